/**
 * @file fake/refund.h
 * @brief Refunds of captured charges: full or partial, create, retrieve, list.
 *        Returned refunds are borrowed (fake/common.h).
 */
#ifndef FAKE_REFUND_H
#define FAKE_REFUND_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A refund. Opaque. */
typedef struct fake_refund fake_refund;

/** Params of fake_refund_create(). Give charge or payment_intent. */
typedef struct fake_refund_create_params {
	unsigned int version;       /**< FAKE_REFUND_CREATE_PARAMS_VERSION */
	const char *charge;
	const char *payment_intent; /**< refunds its latest (succeeded) charge */
	int64_t amount;             /**< 0: everything not yet refunded */
	const char *reason;         /**< NULL, "duplicate", "fraudulent" or "requested_by_customer" */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_refund_create_params;

#define FAKE_REFUND_CREATE_PARAMS_VERSION 1
#define FAKE_REFUND_CREATE_PARAMS_INIT { FAKE_REFUND_CREATE_PARAMS_VERSION, NULL, NULL, 0, NULL, NULL, 0 }

/**
 * Refunds a captured charge (operation "create_refund"). The charge's
 * amount_refunded grows, and it is `refunded` once it reaches the charge's
 * amount (after a partial capture, amount_refunded already holds the
 * released rest, as Stripe shows it, so the captured amount is what can
 * be refunded). A balance transaction of -amount (no fee) records it. Emits
 * refund.created, then charge.refunded.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (neither or both of charge and payment_intent;
 *         amount negative or more than what is left: code amount_too_large;
 *         unknown reason; bad metadata or version); FAKE_ESTATE (the charge
 *         failed or is not captured; already fully refunded: code
 *         charge_already_refunded); FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_refund_create(const fake_refund **out, fake_processor *p, const fake_refund_create_params *params,
				   const fake_request *request);

/**
 * Retrieves a refund (operation "retrieve_refund").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such refund: 're_x'").
 */
FAKE_EXTERN int fake_refund_retrieve(const fake_refund **out, fake_processor *p, const char *id,
				     const fake_request *request);

/** Params of fake_refund_list(). */
typedef struct fake_refund_list_params {
	unsigned int version;  /**< FAKE_REFUND_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *charge;    /**< only this charge's refunds */
} fake_refund_list_params;

#define FAKE_REFUND_LIST_PARAMS_VERSION 1
#define FAKE_REFUND_LIST_PARAMS_INIT { FAKE_REFUND_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL }

/**
 * Lists refunds, newest first (operation "list_refunds").
 * @param out receives a page of `const fake_refund *`.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown charge or cursor).
 */
FAKE_EXTERN int fake_refund_list(fake_list *out, fake_processor *p, const fake_refund_list_params *params,
				 const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_refund_id(const fake_refund *re);
FAKE_EXTERN int64_t fake_refund_created(const fake_refund *re);
FAKE_EXTERN int64_t fake_refund_amount(const fake_refund *re);
FAKE_EXTERN const char *fake_refund_currency(const fake_refund *re);
FAKE_EXTERN const char *fake_refund_charge(const fake_refund *re);
FAKE_EXTERN const char *fake_refund_payment_intent(const fake_refund *re);
/** "succeeded". Static. */
FAKE_EXTERN const char *fake_refund_status(const fake_refund *re);
FAKE_EXTERN const char *fake_refund_reason(const fake_refund *re);
FAKE_EXTERN const char *fake_refund_balance_transaction(const fake_refund *re);
FAKE_EXTERN const fake_metadata *fake_refund_metadata(const fake_refund *re);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
