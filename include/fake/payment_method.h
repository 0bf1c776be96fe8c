/**
 * @file fake/payment_method.h
 * @brief Payment methods (type card): create, retrieve, update, attach,
 *        detach, list; and Stripe's test cards.
 *
 * Stripe's test vocabulary works: test card numbers given to create, and
 * the test payment-method tokens (pm_card_visa, pm_card_chargeDeclined, ...)
 * given to attach or to a customer's @c payment_method, which create a new
 * payment method from that card. Each payment method stores the outcome its
 * card produces when charged (fake_payment_method_card_behavior()); the
 * billing code charges by it. docs/payment-methods.md has the full table.
 */
#ifndef FAKE_PAYMENT_METHOD_H
#define FAKE_PAYMENT_METHOD_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A payment method. Opaque. */
typedef struct fake_payment_method fake_payment_method;

/** What a card does when it is attached and charged. */
typedef enum fake_card_behavior {
	FAKE_CARD_SUCCEEDS,                /**< attaches, every charge succeeds (4242424242424242) */
	FAKE_CARD_DECLINES,                /**< attaching and charging fail with its decline code (4000000000000002) */
	FAKE_CARD_DECLINES_AFTER_ATTACH,   /**< attaches, every charge fails (4000000000000341) */
	FAKE_CARD_REQUIRES_ACTION,         /**< every payment needs 3D Secure (4000002760003184) */
	FAKE_CARD_REQUIRES_ACTION_ON_SESSION /**< 3DS unless set up for off-session use (4000002500003155) */
} fake_card_behavior;

/** Params of fake_payment_method_create(). Give card_number or card_token. */
typedef struct fake_payment_method_create_params {
	unsigned int version;     /**< FAKE_PAYMENT_METHOD_CREATE_PARAMS_VERSION */
	const char *type;         /**< "card" (NULL means card; no other type yet) */
	const char *card_number;  /**< card[number]: 12..19 digits passing the Luhn check */
	const char *card_token;   /**< card[token]: tok_visa, tok_chargeDeclined, ... */
	int exp_month;            /**< 1..12; 0: 12 */
	int exp_year;             /**< not in the past nor more than 50 years ahead; 0: three years after the clock's year */
	const char *cvc;          /**< 3 or 4 digits, optional */
	const char *billing_name; /**< billing_details.name */
	const char *billing_email;
	const char *billing_phone;
	const fake_kv *metadata;
	size_t metadata_count;
} fake_payment_method_create_params;

#define FAKE_PAYMENT_METHOD_CREATE_PARAMS_VERSION 1
#define FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT \
	{ FAKE_PAYMENT_METHOD_CREATE_PARAMS_VERSION, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 }

/**
 * Creates an unattached payment method (operation "create_payment_method").
 * Brand, last4, funding and fingerprint come from the number, the same every
 * time. Emits no event (Stripe sends none for an unattached method).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (missing card, both number and token, malformed
 *         number "card[number]", unknown token "card[token]", bad expiry,
 *         bad cvc, bad metadata, type other than card); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_method_create(const fake_payment_method **out, fake_processor *p,
					   const fake_payment_method_create_params *params,
					   const fake_request *request);

/**
 * Retrieves a payment method (operation "retrieve_payment_method").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such PaymentMethod: 'pm_x'").
 */
FAKE_EXTERN int fake_payment_method_retrieve(const fake_payment_method **out, fake_processor *p, const char *id,
					     const fake_request *request);

/** Params of fake_payment_method_update(). NULL / 0 fields are left alone; "" clears. */
typedef struct fake_payment_method_update_params {
	unsigned int version;     /**< FAKE_PAYMENT_METHOD_UPDATE_PARAMS_VERSION */
	int exp_month;
	int exp_year;
	const char *billing_name;
	const char *billing_email;
	const char *billing_phone;
	const fake_kv *metadata;
	size_t metadata_count;
	bool metadata_clear;
} fake_payment_method_update_params;

#define FAKE_PAYMENT_METHOD_UPDATE_PARAMS_VERSION 1
#define FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT \
	{ FAKE_PAYMENT_METHOD_UPDATE_PARAMS_VERSION, 0, 0, NULL, NULL, NULL, NULL, 0, false }

/**
 * Updates a payment method (operation "update_payment_method"). As in
 * Stripe, it must be attached to a customer. Month and year are checked
 * together with the stored half. Emits payment_method.updated with
 * previous_attributes when anything changed.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (not attached: "You must save this PaymentMethod
 *         to a customer before you update it."; bad expiry, metadata,
 *         version); FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_method_update(const fake_payment_method **out, fake_processor *p, const char *id,
					   const fake_payment_method_update_params *params,
					   const fake_request *request);

/** Params of fake_payment_method_attach(). */
typedef struct fake_payment_method_attach_params {
	unsigned int version; /**< FAKE_PAYMENT_METHOD_ATTACH_PARAMS_VERSION */
	const char *customer; /**< required */
} fake_payment_method_attach_params;

#define FAKE_PAYMENT_METHOD_ATTACH_PARAMS_VERSION 1
#define FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT { FAKE_PAYMENT_METHOD_ATTACH_PARAMS_VERSION, NULL }

/**
 * Attaches a payment method to a customer (operation
 * "attach_payment_method"). @p id may be a test token (pm_card_visa): a new
 * payment method is created from its card and attached. Like Stripe, the
 * card is checked on attach: a card that declines (FAKE_CARD_DECLINES)
 * fails with a card_error and is not attached. Attaching to the customer it
 * is already attached to changes nothing. Emits payment_method.attached.
 * This operation accepts scripted outcomes (FAKE_OUTCOME_SUCCEED skips the
 * card check, FAKE_OUTCOME_DECLINE declines as the card would).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (missing customer; attached to another customer:
 *         "The payment method you provided has already been attached to a
 *         customer."); FAKE_ENOTFOUND (unknown or deleted customer, unknown
 *         payment method); FAKE_ECARD (declined, with decline_code); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_method_attach(const fake_payment_method **out, fake_processor *p, const char *id,
					   const fake_payment_method_attach_params *params,
					   const fake_request *request);

/**
 * Detaches a payment method from its customer (operation
 * "detach_payment_method"). If it was the customer's default, the default is
 * cleared (customer.updated). Emits payment_method.detached.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (not attached: "The payment method you provided is
 *         not attached to a customer so detachment is impossible.");
 *         FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_payment_method_detach(const fake_payment_method **out, fake_processor *p, const char *id,
					   const fake_request *request);

/** Params of fake_payment_method_list(). */
typedef struct fake_payment_method_list_params {
	unsigned int version;  /**< FAKE_PAYMENT_METHOD_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *customer;  /**< required */
	const char *type;      /**< "card" or NULL */
} fake_payment_method_list_params;

#define FAKE_PAYMENT_METHOD_LIST_PARAMS_VERSION 1
#define FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT { FAKE_PAYMENT_METHOD_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL, NULL }

/**
 * Lists a customer's payment methods, newest first (operation
 * "list_payment_methods").
 * @param out receives a page of `const fake_payment_method *`.
 * @return 0; FAKE_EINVAL (missing customer, unknown type, bad page);
 *         FAKE_ENOTFOUND (unknown customer or cursor).
 */
FAKE_EXTERN int fake_payment_method_list(fake_list *out, fake_processor *p,
					 const fake_payment_method_list_params *params, const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_payment_method_id(const fake_payment_method *pm);
FAKE_EXTERN int64_t fake_payment_method_created(const fake_payment_method *pm);
/** "card". */
FAKE_EXTERN const char *fake_payment_method_type(const fake_payment_method *pm);
/** The customer it is attached to, or NULL. */
FAKE_EXTERN const char *fake_payment_method_customer(const fake_payment_method *pm);
/** "visa", "mastercard", "amex", "discover", "diners", "jcb", "unionpay" or "unknown". */
FAKE_EXTERN const char *fake_payment_method_card_brand(const fake_payment_method *pm);
FAKE_EXTERN const char *fake_payment_method_card_last4(const fake_payment_method *pm);
FAKE_EXTERN int fake_payment_method_card_exp_month(const fake_payment_method *pm);
FAKE_EXTERN int fake_payment_method_card_exp_year(const fake_payment_method *pm);
/** 16 characters, the same for the same card number. */
FAKE_EXTERN const char *fake_payment_method_card_fingerprint(const fake_payment_method *pm);
/** "credit", or "debit" for the debit test card 4000056655665556. */
FAKE_EXTERN const char *fake_payment_method_card_funding(const fake_payment_method *pm);
FAKE_EXTERN fake_card_behavior fake_payment_method_card_behavior(const fake_payment_method *pm);
/** The decline code charges fail with ("generic_decline"...), or NULL for cards that do not decline. Static. */
FAKE_EXTERN const char *fake_payment_method_card_decline_code(const fake_payment_method *pm);
FAKE_EXTERN const char *fake_payment_method_billing_name(const fake_payment_method *pm);
FAKE_EXTERN const char *fake_payment_method_billing_email(const fake_payment_method *pm);
FAKE_EXTERN const char *fake_payment_method_billing_phone(const fake_payment_method *pm);
FAKE_EXTERN const fake_metadata *fake_payment_method_metadata(const fake_payment_method *pm);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
