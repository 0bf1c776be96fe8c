/**
 * @file fake/charge.h
 * @brief Charges and balance transactions. Charges are made by confirming
 *        payment intents (fake/payment_intent.h); here they are read and
 *        listed. Each captured amount and each refund has a balance
 *        transaction with libfake's fee model (docs/payments.md): Stripe's
 *        US card pricing, 2.9% rounded half up plus 30 cents; refunds carry
 *        no fee. Returned objects are borrowed (fake/common.h).
 */
#ifndef FAKE_CHARGE_H
#define FAKE_CHARGE_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A charge. Opaque. */
typedef struct fake_charge fake_charge;
/** A balance transaction. Opaque. */
typedef struct fake_balance_transaction fake_balance_transaction;

/**
 * Retrieves a charge (operation "retrieve_charge").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such charge: 'ch_x'").
 */
FAKE_EXTERN int fake_charge_retrieve(const fake_charge **out, fake_processor *p, const char *id,
				     const fake_request *request);

/** Params of fake_charge_list(). */
typedef struct fake_charge_list_params {
	unsigned int version;        /**< FAKE_CHARGE_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *customer;        /**< only this customer's charges */
	const char *payment_intent;  /**< only this payment intent's charges */
} fake_charge_list_params;

#define FAKE_CHARGE_LIST_PARAMS_VERSION 1
#define FAKE_CHARGE_LIST_PARAMS_INIT { FAKE_CHARGE_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL, NULL }

/**
 * Lists charges, newest first (operation "list_charges").
 * @param out receives a page of `const fake_charge *`.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown customer, payment intent or cursor).
 */
FAKE_EXTERN int fake_charge_list(fake_list *out, fake_processor *p, const fake_charge_list_params *params,
				 const fake_request *request);

/**
 * @name Charge accessors
 * Each returns NULL / 0 / false for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_charge_id(const fake_charge *ch);
FAKE_EXTERN int64_t fake_charge_created(const fake_charge *ch);
FAKE_EXTERN int64_t fake_charge_amount(const fake_charge *ch);
FAKE_EXTERN int64_t fake_charge_amount_captured(const fake_charge *ch);
FAKE_EXTERN int64_t fake_charge_amount_refunded(const fake_charge *ch);
FAKE_EXTERN bool fake_charge_captured(const fake_charge *ch);
/** True when the whole captured amount (or the released authorization) is refunded. */
FAKE_EXTERN bool fake_charge_refunded(const fake_charge *ch);
FAKE_EXTERN bool fake_charge_paid(const fake_charge *ch);
/** "succeeded" or "failed". Static. */
FAKE_EXTERN const char *fake_charge_status(const fake_charge *ch);
FAKE_EXTERN const char *fake_charge_currency(const fake_charge *ch);
FAKE_EXTERN const char *fake_charge_customer(const fake_charge *ch);
FAKE_EXTERN const char *fake_charge_payment_intent(const fake_charge *ch);
FAKE_EXTERN const char *fake_charge_payment_method(const fake_charge *ch);
/** For a failed charge: Stripe's error code ("card_declined", "expired_card"...); else NULL. Static. */
FAKE_EXTERN const char *fake_charge_failure_code(const fake_charge *ch);
/** For a failed charge: the decline message; else NULL. Static. */
FAKE_EXTERN const char *fake_charge_failure_message(const fake_charge *ch);
/** outcome.type: "authorized" or "issuer_declined". Static. */
FAKE_EXTERN const char *fake_charge_outcome_type(const fake_charge *ch);
/** outcome.reason: the decline code of a failed charge, else NULL. Static. */
FAKE_EXTERN const char *fake_charge_outcome_reason(const fake_charge *ch);
/** The balance transaction of the captured amount, or NULL (failed or not captured). */
FAKE_EXTERN const char *fake_charge_balance_transaction(const fake_charge *ch);
/** @} */

/**
 * Retrieves a balance transaction (operation "retrieve_balance_transaction").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such balance transaction: 'txn_x'").
 */
FAKE_EXTERN int fake_balance_transaction_retrieve(const fake_balance_transaction **out, fake_processor *p,
						  const char *id, const fake_request *request);

/**
 * @name Balance transaction accessors
 * Each returns NULL / 0 for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_balance_transaction_id(const fake_balance_transaction *txn);
FAKE_EXTERN int64_t fake_balance_transaction_created(const fake_balance_transaction *txn);
/** Positive for a charge, negative for a refund. */
FAKE_EXTERN int64_t fake_balance_transaction_amount(const fake_balance_transaction *txn);
FAKE_EXTERN int64_t fake_balance_transaction_fee(const fake_balance_transaction *txn);
/** amount - fee. */
FAKE_EXTERN int64_t fake_balance_transaction_net(const fake_balance_transaction *txn);
FAKE_EXTERN const char *fake_balance_transaction_currency(const fake_balance_transaction *txn);
/** "charge" or "refund". Static. */
FAKE_EXTERN const char *fake_balance_transaction_type(const fake_balance_transaction *txn);
/** The charge or refund it records. */
FAKE_EXTERN const char *fake_balance_transaction_source(const fake_balance_transaction *txn);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
