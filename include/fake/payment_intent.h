/**
 * @file fake/payment_intent.h
 * @brief Payment intents: create, confirm, capture, cancel, retrieve, list,
 *        and a test helper that completes or fails 3D Secure.
 *
 * Confirming charges the payment method, whose card decides the outcome
 * (fake/payment_method.h) unless a script forces one (fake/control.h). A
 * declined confirmation is recorded as Stripe records it — a failed charge,
 * the intent back to requires_payment_method with last_payment_error — and
 * the call still returns FAKE_ECARD; the error record then names the
 * intent and the charge. Returned intents are borrowed (fake/common.h).
 */
#ifndef FAKE_PAYMENT_INTENT_H
#define FAKE_PAYMENT_INTENT_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A payment intent. Opaque. */
typedef struct fake_payment_intent fake_payment_intent;

/** Stripe's payment intent statuses. */
typedef enum fake_payment_intent_status {
	FAKE_PI_REQUIRES_PAYMENT_METHOD,
	FAKE_PI_REQUIRES_CONFIRMATION,
	FAKE_PI_REQUIRES_ACTION,
	FAKE_PI_PROCESSING,
	FAKE_PI_REQUIRES_CAPTURE,
	FAKE_PI_CANCELED,
	FAKE_PI_SUCCEEDED
} fake_payment_intent_status;

/** When the money is captured. */
typedef enum fake_capture_method {
	FAKE_CAPTURE_AUTOMATIC, /**< on confirmation (default) */
	FAKE_CAPTURE_MANUAL     /**< authorize on confirmation, capture later */
} fake_capture_method;

/** Params of fake_payment_intent_create(). */
typedef struct fake_payment_intent_create_params {
	unsigned int version;     /**< FAKE_PAYMENT_INTENT_CREATE_PARAMS_VERSION */
	int64_t amount;           /**< required: 1 .. 99,999,999 in the smallest unit, at least the currency's minimum charge */
	const char *currency;     /**< required: three letters */
	const char *customer;     /**< optional: an existing customer */
	const char *payment_method; /**< optional: an id or a test token (pm_card_visa) */
	bool confirm;             /**< confirm at once */
	bool off_session;         /**< with confirm: the customer is not present */
	fake_capture_method capture_method;
	const char *description;
	const fake_kv *metadata;
	size_t metadata_count;
} fake_payment_intent_create_params;

#define FAKE_PAYMENT_INTENT_CREATE_PARAMS_VERSION 1
#define FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT                                                        \
	{ FAKE_PAYMENT_INTENT_CREATE_PARAMS_VERSION, 0, NULL, NULL, NULL, false, false, FAKE_CAPTURE_AUTOMATIC, \
	  NULL, NULL, 0 }

/**
 * Creates a payment intent (operation "create_payment_intent"); emits
 * payment_intent.created, then, with confirm, what confirming emits.
 * Status: requires_payment_method without a payment method, else
 * requires_confirmation, or the result of confirming.
 * Accepts outcome scripts when it confirms (FAKE_OUTCOME_SUCCEED,
 * _DECLINE, _REQUIRES_ACTION).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (amount missing, out of range or under the
 *         currency's minimum; bad currency; the payment method belongs to
 *         another customer; off_session without confirm; bad metadata or
 *         version); FAKE_ENOTFOUND (customer, payment method); FAKE_ECARD
 *         (confirm declined: the intent and failed charge exist, named in
 *         the error record); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_intent_create(const fake_payment_intent **out, fake_processor *p,
					   const fake_payment_intent_create_params *params,
					   const fake_request *request);

/**
 * Retrieves a payment intent (operation "retrieve_payment_intent").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND.
 */
FAKE_EXTERN int fake_payment_intent_retrieve(const fake_payment_intent **out, fake_processor *p, const char *id,
					     const fake_request *request);

/** Params of fake_payment_intent_confirm(). */
typedef struct fake_payment_intent_confirm_params {
	unsigned int version;       /**< FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_VERSION */
	const char *payment_method; /**< optional: use this payment method (id or test token) */
	bool off_session;
} fake_payment_intent_confirm_params;

#define FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_VERSION 1
#define FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT { FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_VERSION, NULL, false }

/**
 * Confirms a payment intent (operation "confirm_payment_intent"): charges
 * its payment method. Outcomes, by card:
 *  - succeeds: a succeeded charge; status succeeded (or requires_capture
 *    with manual capture); events charge.succeeded, payment_intent.succeeded
 *    (or payment_intent.amount_capturable_updated);
 *  - declines: a failed charge; status requires_payment_method with
 *    last_payment_error; events charge.failed, payment_intent.payment_failed;
 *    returns FAKE_ECARD;
 *  - needs 3D Secure (on session): status requires_action with next_action
 *    use_stripe_sdk; event payment_intent.requires_action; no charge yet.
 *    Off session, a card that always needs 3DS declines with
 *    authentication_required instead.
 * Accepts outcome scripts (FAKE_OUTCOME_SUCCEED, _DECLINE, _REQUIRES_ACTION).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (no payment method); FAKE_ESTATE (not in
 *         requires_payment_method or requires_confirmation); FAKE_ENOTFOUND;
 *         FAKE_ECARD (declined, recorded); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_intent_confirm(const fake_payment_intent **out, fake_processor *p, const char *id,
					    const fake_payment_intent_confirm_params *params,
					    const fake_request *request);

/**
 * Test helper (operation "authenticate_payment_intent"): the customer
 * completes (@p succeed true) or fails the 3D Secure step of an intent in
 * requires_action. Completing charges the card (which then succeeds);
 * failing returns the intent to requires_payment_method with
 * last_payment_error code payment_intent_authentication_failure and emits
 * payment_intent.payment_failed (the call itself succeeds).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (completing with a card that was detached
 *         meanwhile); FAKE_ESTATE (not in requires_action); FAKE_ENOTFOUND;
 *         FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_intent_authenticate(const fake_payment_intent **out, fake_processor *p, const char *id,
						 bool succeed, const fake_request *request);

/** Params of fake_payment_intent_capture(). */
typedef struct fake_payment_intent_capture_params {
	unsigned int version;       /**< FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_VERSION */
	int64_t amount_to_capture;  /**< 0: all of it; else 1 .. amount_capturable (the rest is released) */
} fake_payment_intent_capture_params;

#define FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_VERSION 1
#define FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT { FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_VERSION, 0 }

/**
 * Captures an authorized intent (operation "capture_payment_intent"):
 * status succeeded; the charge is captured (amount_captured; an uncaptured
 * remainder shows as refunded). Emits charge.captured, payment_intent.succeeded.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (amount out of range); FAKE_ESTATE (not in
 *         requires_capture); FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_intent_capture(const fake_payment_intent **out, fake_processor *p, const char *id,
					    const fake_payment_intent_capture_params *params,
					    const fake_request *request);

/**
 * Cancels an intent (operation "cancel_payment_intent") that is not
 * succeeded or canceled; an authorization is released. @p reason is NULL or
 * one of duplicate, fraudulent, requested_by_customer, abandoned.
 * Emits payment_intent.canceled.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (unknown reason); FAKE_ESTATE ("You cannot cancel
 *         this PaymentIntent because it has a status of succeeded.");
 *         FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_intent_cancel(const fake_payment_intent **out, fake_processor *p, const char *id,
					   const char *reason, const fake_request *request);

/** Params of fake_payment_intent_list(). */
typedef struct fake_payment_intent_list_params {
	unsigned int version;  /**< FAKE_PAYMENT_INTENT_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *customer;  /**< only this customer's intents */
} fake_payment_intent_list_params;

#define FAKE_PAYMENT_INTENT_LIST_PARAMS_VERSION 1
#define FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT { FAKE_PAYMENT_INTENT_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL }

/**
 * Lists payment intents, newest first (operation "list_payment_intents").
 * @param out receives a page of `const fake_payment_intent *`.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown customer or cursor).
 */
FAKE_EXTERN int fake_payment_intent_list(fake_list *out, fake_processor *p,
					 const fake_payment_intent_list_params *params, const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_payment_intent_id(const fake_payment_intent *pi);
FAKE_EXTERN int64_t fake_payment_intent_created(const fake_payment_intent *pi);
FAKE_EXTERN int64_t fake_payment_intent_amount(const fake_payment_intent *pi);
/** Authorized and not yet captured. */
FAKE_EXTERN int64_t fake_payment_intent_amount_capturable(const fake_payment_intent *pi);
FAKE_EXTERN int64_t fake_payment_intent_amount_received(const fake_payment_intent *pi);
FAKE_EXTERN const char *fake_payment_intent_currency(const fake_payment_intent *pi);
FAKE_EXTERN const char *fake_payment_intent_customer(const fake_payment_intent *pi);
FAKE_EXTERN const char *fake_payment_intent_payment_method(const fake_payment_intent *pi);
FAKE_EXTERN fake_payment_intent_status fake_payment_intent_status_of(const fake_payment_intent *pi);
/** Stripe's status string ("requires_action", ...). Static. NULL for NULL. */
FAKE_EXTERN const char *fake_payment_intent_status_name(const fake_payment_intent *pi);
FAKE_EXTERN fake_capture_method fake_payment_intent_capture_method(const fake_payment_intent *pi);
/** The latest charge's id, or NULL. */
FAKE_EXTERN const char *fake_payment_intent_latest_charge(const fake_payment_intent *pi);
/** "use_stripe_sdk" while requires_action, else NULL. Static. */
FAKE_EXTERN const char *fake_payment_intent_next_action(const fake_payment_intent *pi);
/** last_payment_error.code ("card_declined", "payment_intent_authentication_failure"...), or NULL. */
FAKE_EXTERN const char *fake_payment_intent_last_error_code(const fake_payment_intent *pi);
/** last_payment_error.decline_code, or NULL. */
FAKE_EXTERN const char *fake_payment_intent_last_error_decline_code(const fake_payment_intent *pi);
/** last_payment_error.message, or NULL. */
FAKE_EXTERN const char *fake_payment_intent_last_error_message(const fake_payment_intent *pi);
/** "<id>_secret_fake", as Stripe's client_secret. */
FAKE_EXTERN const char *fake_payment_intent_client_secret(const fake_payment_intent *pi);
FAKE_EXTERN const char *fake_payment_intent_cancellation_reason(const fake_payment_intent *pi);
/** 0 unless canceled. */
FAKE_EXTERN int64_t fake_payment_intent_canceled_at(const fake_payment_intent *pi);
FAKE_EXTERN const char *fake_payment_intent_description(const fake_payment_intent *pi);
FAKE_EXTERN const fake_metadata *fake_payment_intent_metadata(const fake_payment_intent *pi);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
