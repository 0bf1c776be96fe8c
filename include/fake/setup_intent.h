/**
 * @file fake/setup_intent.h
 * @brief Setup intents: save a card for later (off-session) payments. Create,
 *        confirm, cancel, retrieve, list, and a test helper that completes or
 *        fails 3D Secure.
 *
 * Confirming checks the card: a card that declines fails (recorded, as
 * Stripe records it, and the call returns FAKE_ECARD with the setup
 * intent's id in the error record); a card that needs 3D Secure (both
 * 4000002760003184 and 4000002500003155) goes to requires_action. On
 * success the payment method is attached to the intent's customer and
 * counts as authenticated, so 4000002500003155 then pays off session
 * without 3D Secure. Returned intents are borrowed (fake/common.h).
 */
#ifndef FAKE_SETUP_INTENT_H
#define FAKE_SETUP_INTENT_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A setup intent. Opaque. */
typedef struct fake_setup_intent fake_setup_intent;

/** Stripe's setup intent statuses. */
typedef enum fake_setup_intent_status {
	FAKE_SETI_REQUIRES_PAYMENT_METHOD,
	FAKE_SETI_REQUIRES_CONFIRMATION,
	FAKE_SETI_REQUIRES_ACTION,
	FAKE_SETI_PROCESSING,
	FAKE_SETI_CANCELED,
	FAKE_SETI_SUCCEEDED
} fake_setup_intent_status;

/** Params of fake_setup_intent_create(). */
typedef struct fake_setup_intent_create_params {
	unsigned int version;       /**< FAKE_SETUP_INTENT_CREATE_PARAMS_VERSION */
	const char *customer;       /**< optional: the customer the card is saved to */
	const char *payment_method; /**< optional: an id or a test token (pm_card_visa) */
	bool confirm;               /**< confirm at once */
	bool on_session;            /**< usage on_session (default: off_session) */
	const char *description;
	const fake_kv *metadata;
	size_t metadata_count;
} fake_setup_intent_create_params;

#define FAKE_SETUP_INTENT_CREATE_PARAMS_VERSION 1
#define FAKE_SETUP_INTENT_CREATE_PARAMS_INIT \
	{ FAKE_SETUP_INTENT_CREATE_PARAMS_VERSION, NULL, NULL, false, false, NULL, NULL, 0 }

/**
 * Creates a setup intent (operation "create_setup_intent"); emits
 * setup_intent.created, then, with confirm, what confirming emits. Accepts
 * outcome scripts when it confirms.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (confirm without a payment method; a payment
 *         method that belongs to another customer or was detached; bad
 *         metadata or version); FAKE_ENOTFOUND (customer, payment method);
 *         FAKE_ECARD (confirm declined: the intent exists, named in
 *         error.setup_intent); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_setup_intent_create(const fake_setup_intent **out, fake_processor *p,
					 const fake_setup_intent_create_params *params, const fake_request *request);

/**
 * Retrieves a setup intent (operation "retrieve_setup_intent").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such setupintent: 'seti_x'").
 */
FAKE_EXTERN int fake_setup_intent_retrieve(const fake_setup_intent **out, fake_processor *p, const char *id,
					   const fake_request *request);

/**
 * Confirms a setup intent (operation "confirm_setup_intent") with its
 * payment method, or @p payment_method (an id or a test token) when not
 * NULL. Succeeds (setup_intent.succeeded; the method is attached to the
 * customer, payment_method.attached first), needs 3D Secure
 * (setup_intent.requires_action), or declines (setup_intent.setup_failed,
 * status requires_payment_method with last_setup_error; FAKE_ECARD).
 * Accepts outcome scripts (FAKE_OUTCOME_SUCCEED, _DECLINE, _REQUIRES_ACTION).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (no payment method; another customer's);
 *         FAKE_ESTATE (not requires_payment_method or requires_confirmation);
 *         FAKE_ENOTFOUND; FAKE_ECARD (declined, recorded); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_setup_intent_confirm(const fake_setup_intent **out, fake_processor *p, const char *id,
					  const char *payment_method, const fake_request *request);

/**
 * Test helper (operation "authenticate_setup_intent"): the customer
 * completes (@p succeed true) or fails 3D Secure on an intent in
 * requires_action. Completing succeeds the setup as confirm would; failing
 * returns it to requires_payment_method with last_setup_error code
 * setup_intent_authentication_failure and emits setup_intent.setup_failed
 * (the call itself succeeds).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (completing with a card detached, or attached to
 *         another customer, meanwhile); FAKE_ESTATE (not in requires_action);
 *         FAKE_ENOTFOUND (also: the intent's customer was deleted meanwhile);
 *         FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_setup_intent_authenticate(const fake_setup_intent **out, fake_processor *p, const char *id,
					       bool succeed, const fake_request *request);

/**
 * Cancels a setup intent (operation "cancel_setup_intent") that is not
 * succeeded or canceled. @p reason is NULL or one of abandoned, duplicate,
 * requested_by_customer. Emits setup_intent.canceled.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (unknown reason); FAKE_ESTATE; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_setup_intent_cancel(const fake_setup_intent **out, fake_processor *p, const char *id,
					 const char *reason, const fake_request *request);

/** Params of fake_setup_intent_list(). */
typedef struct fake_setup_intent_list_params {
	unsigned int version;  /**< FAKE_SETUP_INTENT_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *customer;  /**< only this customer's intents */
} fake_setup_intent_list_params;

#define FAKE_SETUP_INTENT_LIST_PARAMS_VERSION 1
#define FAKE_SETUP_INTENT_LIST_PARAMS_INIT { FAKE_SETUP_INTENT_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL }

/**
 * Lists setup intents, newest first (operation "list_setup_intents").
 * @param out receives a page of borrowed objects (see fake/common.h); empty on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown customer or cursor).
 */
FAKE_EXTERN int fake_setup_intent_list(fake_list *out, fake_processor *p, const fake_setup_intent_list_params *params,
				       const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 / false for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_setup_intent_id(const fake_setup_intent *si);
FAKE_EXTERN int64_t fake_setup_intent_created(const fake_setup_intent *si);
FAKE_EXTERN const char *fake_setup_intent_customer(const fake_setup_intent *si);
FAKE_EXTERN const char *fake_setup_intent_payment_method(const fake_setup_intent *si);
FAKE_EXTERN fake_setup_intent_status fake_setup_intent_status_of(const fake_setup_intent *si);
/** Stripe's status string ("requires_action", ...). Static. */
FAKE_EXTERN const char *fake_setup_intent_status_name(const fake_setup_intent *si);
/** "off_session" or "on_session". Static. */
FAKE_EXTERN const char *fake_setup_intent_usage(const fake_setup_intent *si);
/** "use_stripe_sdk" while requires_action, else NULL. Static. */
FAKE_EXTERN const char *fake_setup_intent_next_action(const fake_setup_intent *si);
/** last_setup_error.code ("card_declined", "setup_intent_authentication_failure"...), or NULL. */
FAKE_EXTERN const char *fake_setup_intent_last_error_code(const fake_setup_intent *si);
FAKE_EXTERN const char *fake_setup_intent_last_error_decline_code(const fake_setup_intent *si);
FAKE_EXTERN const char *fake_setup_intent_last_error_message(const fake_setup_intent *si);
/** "<id>_secret_fake". */
FAKE_EXTERN const char *fake_setup_intent_client_secret(const fake_setup_intent *si);
FAKE_EXTERN const char *fake_setup_intent_cancellation_reason(const fake_setup_intent *si);
FAKE_EXTERN const char *fake_setup_intent_description(const fake_setup_intent *si);
FAKE_EXTERN const fake_metadata *fake_setup_intent_metadata(const fake_setup_intent *si);
/** @} */

#ifdef __cplusplus
}
#endif

#endif
