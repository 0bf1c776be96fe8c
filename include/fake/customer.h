/**
 * @file fake/customer.h
 * @brief Customers: create, retrieve, update, delete, list.
 *
 * String parameters are copied; NULL means "not given". On update, "" clears
 * a field (Stripe's empty string). Returned customers are borrowed (see
 * fake/common.h): valid until the processor is reset, loaded or freed, at the same
 * address, and always showing the customer's current state.
 */
#ifndef FAKE_CUSTOMER_H
#define FAKE_CUSTOMER_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A customer. Opaque. */
typedef struct fake_customer fake_customer;

/** Stripe's length limits for customer fields. */
#define FAKE_CUSTOMER_EMAIL_MAX 512
#define FAKE_CUSTOMER_NAME_MAX 256
#define FAKE_CUSTOMER_PHONE_MAX 20
#define FAKE_CUSTOMER_DESCRIPTION_MAX 5000

/** Params of fake_customer_create(). */
typedef struct fake_customer_create_params {
	unsigned int version;            /**< FAKE_CUSTOMER_CREATE_PARAMS_VERSION */
	const char *email;
	const char *name;
	const char *description;
	const char *phone;
	const fake_kv *metadata;         /**< metadata_count pairs; "" values are skipped */
	size_t metadata_count;
	const char *payment_method;      /**< a payment method id or test token (pm_card_visa) to attach */
	const char *default_payment_method; /**< invoice_settings.default_payment_method: must be @c payment_method */
	const char *test_clock;          /**< the test clock the customer lives on, for good (fake/test_clock.h); it must exist and not be deleted */
} fake_customer_create_params;

#define FAKE_CUSTOMER_CREATE_PARAMS_VERSION 1
#define FAKE_CUSTOMER_CREATE_PARAMS_INIT \
	{ FAKE_CUSTOMER_CREATE_PARAMS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL }

/**
 * Creates a customer (operation "create_customer"); emits customer.created,
 * and payment_method.attached when @c payment_method is given.
 * @param out receives the borrowed customer; NULL on failure.
 * @param params NULL for an empty customer.
 * @return 0; FAKE_EINVAL (over-long field, bad metadata, bad version,
 *         default_payment_method that is not the attached payment_method);
 *         FAKE_ENOTFOUND (unknown payment method or test clock); FAKE_ECARD
 *         (payment_method is a card that declines on attach); FAKE_ENOMEM;
 *         or a scripted/stubbed status. On failure nothing changed. Like
 *         attach, it accepts outcome scripts (FAKE_OUTCOME_SUCCEED,
 *         FAKE_OUTCOME_DECLINE) for the card check.
 */
FAKE_EXTERN int fake_customer_create(const fake_customer **out, fake_processor *p,
				     const fake_customer_create_params *params, const fake_request *request);

/**
 * Retrieves a customer (operation "retrieve_customer"). A deleted customer
 * is returned too, with fake_customer_deleted() true, as Stripe does.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (NULL or over-long id); FAKE_ENOTFOUND
 *         ("No such customer: 'cus_x'", param "id").
 */
FAKE_EXTERN int fake_customer_retrieve(const fake_customer **out, fake_processor *p, const char *id,
				       const fake_request *request);

/** Params of fake_customer_update(). NULL fields are left alone; "" clears. */
typedef struct fake_customer_update_params {
	unsigned int version;            /**< FAKE_CUSTOMER_UPDATE_PARAMS_VERSION */
	const char *email;
	const char *name;
	const char *description;
	const char *phone;
	const fake_kv *metadata;         /**< merged: new keys added, "" deletes a key */
	size_t metadata_count;
	bool metadata_clear;             /**< remove every key first (Stripe's metadata="") */
	const char *default_payment_method; /**< invoice_settings.default_payment_method; "" clears */
} fake_customer_update_params;

#define FAKE_CUSTOMER_UPDATE_PARAMS_VERSION 1
#define FAKE_CUSTOMER_UPDATE_PARAMS_INIT \
	{ FAKE_CUSTOMER_UPDATE_PARAMS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, false, NULL }

/**
 * Updates a customer (operation "update_customer"): only given fields change.
 * Emits customer.updated with previous_attributes when anything changed, and
 * nothing when nothing did.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown or deleted customer,
 *         unknown payment method); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_customer_update(const fake_customer **out, fake_processor *p, const char *id,
				     const fake_customer_update_params *params, const fake_request *request);

/**
 * Deletes a customer (operation "delete_customer"). Returns the deleted
 * customer: fake_customer_deleted() is true (Stripe's {id, object, deleted:
 * true}; the accessors still show the last values). It stays retrievable
 * and is left out of lists. Its subscriptions are canceled at once and its
 * payment methods are detached. Emits customer.subscription.deleted for
 * each subscription that had not ended, then customer.deleted, whose object
 * is the customer as it was just before, then payment_method.detached for
 * each attached method.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown or already deleted); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_customer_delete(const fake_customer **out, fake_processor *p, const char *id,
				     const fake_request *request);

/** Params of fake_customer_list(). */
typedef struct fake_customer_list_params {
	unsigned int version;  /**< FAKE_CUSTOMER_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *email;     /**< exact, case-sensitive match (as Stripe) */
	const char *test_clock; /**< only customers on this test clock; NULL: only customers on no test clock (as Stripe) */
} fake_customer_list_params;

#define FAKE_CUSTOMER_LIST_PARAMS_VERSION 1
#define FAKE_CUSTOMER_LIST_PARAMS_INIT { FAKE_CUSTOMER_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL, NULL }

/**
 * Lists customers that are not deleted, newest first (operation
 * "list_customers"). @p params may be NULL.
 * @param out receives a page of `const fake_customer *`; empty on failure.
 * @return 0; FAKE_EINVAL (limit out of 1..100, both cursors, over-long
 *         filter); FAKE_ENOTFOUND (unknown cursor or test clock).
 */
FAKE_EXTERN int fake_customer_list(fake_list *out, fake_processor *p, const fake_customer_list_params *params,
				   const fake_request *request);

/**
 * Sets invoice_settings.default_payment_method (operation
 * "set_default_payment_method"). The payment method must be attached to the
 * customer; a test token (pm_card_visa) is not accepted here, as in Stripe.
 * Emits customer.updated when the default changes.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (NULL, or the payment method is not attached to
 *         this customer); FAKE_ENOTFOUND (unknown customer or payment method).
 */
FAKE_EXTERN int fake_customer_set_default_payment_method(const fake_customer **out, fake_processor *p,
							 const char *customer_id, const char *payment_method_id,
							 const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 / false for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_customer_id(const fake_customer *c);
FAKE_EXTERN int64_t fake_customer_created(const fake_customer *c);
/** NULL when not set. */
FAKE_EXTERN const char *fake_customer_email(const fake_customer *c);
FAKE_EXTERN const char *fake_customer_name(const fake_customer *c);
FAKE_EXTERN const char *fake_customer_description(const fake_customer *c);
FAKE_EXTERN const char *fake_customer_phone(const fake_customer *c);
FAKE_EXTERN const fake_metadata *fake_customer_metadata(const fake_customer *c);
/** invoice_settings.default_payment_method, or NULL. */
FAKE_EXTERN const char *fake_customer_default_payment_method(const fake_customer *c);
/** The test clock id, or NULL. */
FAKE_EXTERN const char *fake_customer_test_clock(const fake_customer *c);
FAKE_EXTERN bool fake_customer_deleted(const fake_customer *c);
/** Customer balance in the smallest currency unit (always 0 for now). */
FAKE_EXTERN int64_t fake_customer_balance(const fake_customer *c);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
