/**
 * @file fake/control.h
 * @brief Test controls: call counts, scripted responses and stubs.
 *
 * Every public operation runs through one pipeline:
 *  1. the call is counted (fake_call_count());
 *  2. if a script is queued for the operation, it is consumed: an error
 *     script returns its error without touching state; an outcome script
 *     runs the default behaviour with that outcome forced;
 *  3. else, if a stub is installed for the operation, the stub answers;
 *  4. else the default behaviour runs.
 * Scripts, stubs and call counts are cleared by reset and are not state
 * that is saved.
 */
#ifndef FAKE_CONTROL_H
#define FAKE_CONTROL_H

#include "common.h"
#include "op.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * How many times @p op was called since the processor was made or reset,
 * including calls answered by scripts or stubs and calls that failed.
 * @return the count; 0 for NULL or an unknown op.
 */
FAKE_EXTERN uint64_t fake_call_count(const fake_processor *p, fake_op op);

/** What a script does. */
typedef enum fake_outcome {
	FAKE_OUTCOME_ERROR,           /**< return the script's error; state is untouched */
	FAKE_OUTCOME_SUCCEED,         /**< run the default behaviour; the card succeeds whatever it is */
	FAKE_OUTCOME_DECLINE,         /**< run the default behaviour; the card declines with error.decline_code */
	FAKE_OUTCOME_REQUIRES_ACTION, /**< run the default behaviour; the payment needs 3D Secure */
	FAKE_OUTCOME_INTERNAL_FAILURE /**< advance_test_clock only: the advance starts, then the clock fails (internal_failure) */
} fake_outcome;

/** A scripted response. Build one with the fake_script_* helpers below. */
typedef struct fake_script {
	unsigned int version; /**< FAKE_SCRIPT_VERSION */
	fake_outcome outcome;
	fake_error error;     /**< for FAKE_OUTCOME_ERROR: status < 0 and the record to return;
				   for FAKE_OUTCOME_DECLINE: decline_code (empty: generic_decline) */
} fake_script;

#define FAKE_SCRIPT_VERSION 1

/** Pass as @c times to keep a script in force until it is cleared. */
#define FAKE_SCRIPT_UNTIL_CLEARED 0u

/**
 * A card_error, 402, for a decline code: generic_decline, insufficient_funds,
 * lost_card, stolen_card, authentication_required (code card_declined), expired_card, incorrect_cvc,
 * processing_error (code = the decline code), with Stripe's messages. NULL or
 * an unknown code gives generic_decline.
 */
FAKE_EXTERN fake_script fake_script_card_declined(const char *decline_code);
/** A rate_limit_error, 429, code rate_limit, with retry_after seconds. */
FAKE_EXTERN fake_script fake_script_rate_limit(int64_t retry_after);
/** An api_error, 500. */
FAKE_EXTERN fake_script fake_script_api_error(void);
/** An idempotency_error, 400. */
FAKE_EXTERN fake_script fake_script_idempotency_error(void);
/** Any error: status (a negative FAKE_E* code; anything else becomes FAKE_EAPI) with its
 *  default type and HTTP status, and the given code/param/message (each may be NULL). */
FAKE_EXTERN fake_script fake_script_error(int status, const char *code, const char *param, const char *message);
/** A success that forces an outcome (FAKE_OUTCOME_SUCCEED, _DECLINE, _REQUIRES_ACTION). */
FAKE_EXTERN fake_script fake_script_outcome(fake_outcome outcome);

/**
 * Queues a script for @p op, behind those already queued (FIFO). It answers
 * the next @p times calls of @p op (1 for one-shot), or every call until
 * cleared with FAKE_SCRIPT_UNTIL_CLEARED (scripts queued behind it then
 * never run). Outcome scripts are accepted only by operations that charge or
 * check a card (see each operation's documentation).
 * @return 0; FAKE_EINVAL (NULL, unknown op, bad version, an error script
 *         whose status is not a negative FAKE_E* code, an outcome the op
 *         does not accept, a negative retry_after); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_script_push(fake_processor *p, fake_op op, const fake_script *script, unsigned int times);

/** Drops every script queued for @p op. Harmless for NULL or an unknown op. */
FAKE_EXTERN void fake_script_clear(fake_processor *p, fake_op op);

/** Calls of @p op that queued scripts will still answer; SIZE_MAX if one is in force until cleared. */
FAKE_EXTERN size_t fake_script_pending(const fake_processor *p, fake_op op);

/** What a stub is told about the call it answers. */
typedef struct fake_call {
	fake_op op;
	const char *id;               /**< the id the call names (retrieve, update...), or NULL */
	const void *params;           /**< the operation's params struct as the caller gave it (may be NULL);
					   for set_default_payment_method, the payment method id (const char *);
					   for advance_test_clock, the target frozen_time (const int64_t *) */
	const fake_request *request;  /**< may be NULL */
} fake_call;

/**
 * A stub. It answers a call instead of the default behaviour.
 * @param out for object operations a `const void **` to set to an object of
 *        the operation's result type (one this processor returned, e.g.
 *        from a retrieve) or NULL; for list operations a `fake_list *` to fill.
 * @param error on failure, fill what you want returned (type, code, message...);
 *        fields left empty get the status's defaults.
 * @return 0 (or any non-negative value) for success, or a negative FAKE_E*
 *         status, which the call returns; a negative value that is not a
 *         FAKE_E* code is returned as FAKE_EAPI.
 * A stub may call back into the processor.
 */
typedef int (*fake_stub_fn)(void *out, fake_processor *p, const fake_call *call, fake_error *error,
			    void *user_data);

/**
 * Installs (or, with @p fn NULL, removes) the stub for @p op. It stays in
 * force until removed or reset; a later stub replaces an earlier one.
 * @return 0; FAKE_EINVAL for NULL @p p or an unknown op.
 */
FAKE_EXTERN int fake_stub_set(fake_processor *p, fake_op op, fake_stub_fn fn, void *user_data);

#ifdef __cplusplus
}
#endif

#endif
