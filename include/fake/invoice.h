/**
 * @file fake/invoice.h
 * @brief Invoices and invoice items: create a draft by hand, finalize, pay,
 *        void, mark uncollectible, send, delete, retrieve, list, preview
 *        the upcoming invoice; invoice items create, retrieve, update,
 *        delete, list.
 *
 * Stripe's invoice state machine is enforced: draft → open (finalize) →
 * paid | void | uncollectible; uncollectible → paid | void. Anything else
 * is FAKE_ESTATE (invalid_request_error, 400) with a message naming the
 * status. Subscriptions make their invoices on the timeline
 * (fake/subscription.h, docs/billing.md). Returned objects are borrowed
 * (fake/common.h).
 */
#ifndef FAKE_INVOICE_H
#define FAKE_INVOICE_H

#include "common.h"
#include "list.h"
#include "subscription.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An invoice. Opaque. */
typedef struct fake_invoice fake_invoice;
/** One line of an invoice. Opaque. */
typedef struct fake_invoice_line fake_invoice_line;
/** An invoice item: a one-off amount waiting for (or on) an invoice. Opaque. */
typedef struct fake_invoice_item fake_invoice_item;

/** Stripe's invoice statuses. */
typedef enum fake_invoice_status {
	FAKE_INVOICE_DRAFT,
	FAKE_INVOICE_OPEN,
	FAKE_INVOICE_PAID,
	FAKE_INVOICE_VOID,
	FAKE_INVOICE_UNCOLLECTIBLE
} fake_invoice_status;

/** Why an invoice was made. */
typedef enum fake_billing_reason {
	FAKE_BILLING_MANUAL,
	FAKE_BILLING_SUBSCRIPTION_CREATE,
	FAKE_BILLING_SUBSCRIPTION_CYCLE,
	FAKE_BILLING_SUBSCRIPTION_UPDATE,
	FAKE_BILLING_UPCOMING
} fake_billing_reason;

/** Params of fake_invoice_create(). */
typedef struct fake_invoice_create_params {
	unsigned int version;          /**< FAKE_INVOICE_CREATE_PARAMS_VERSION */
	const char *customer;          /**< required */
	const char *subscription;      /**< take only this subscription's pending items */
	fake_collection_method collection_method;
	unsigned int days_until_due;   /**< send_invoice only: 0 means 30 */
	bool auto_advance;             /**< finalize an hour after creation and collect (default false) */
	bool exclude_pending_items;    /**< pending_invoice_items_behavior=exclude; default include */
	const char *currency;          /**< NULL: the pending items' currency, else "usd" */
	const char *default_payment_method;
	const char *description;
	const fake_kv *metadata;
	size_t metadata_count;
} fake_invoice_create_params;

#define FAKE_INVOICE_CREATE_PARAMS_VERSION 1
#define FAKE_INVOICE_CREATE_PARAMS_INIT                                                                    \
	{ FAKE_INVOICE_CREATE_PARAMS_VERSION, NULL, NULL, FAKE_COLLECT_CHARGE_AUTOMATICALLY, 0, false, false, \
	  NULL, NULL, NULL, NULL, 0 }

/**
 * Creates a draft invoice for a customer (operation "create_invoice"),
 * pulling in the customer's pending invoice items (of one currency).
 * Emits invoice.created.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (missing customer, days_until_due without
 *         send_invoice, bad currency or metadata); FAKE_ENOTFOUND
 *         (customer, subscription, payment method); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_create(const fake_invoice **out, fake_processor *p,
				    const fake_invoice_create_params *params, const fake_request *request);

/**
 * Retrieves an invoice (operation "retrieve_invoice"); a deleted draft is missing.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND.
 */
FAKE_EXTERN int fake_invoice_retrieve(const fake_invoice **out, fake_processor *p, const char *id,
				      const fake_request *request);

/** Params of fake_invoice_update(). */
typedef struct fake_invoice_update_params {
	unsigned int version;          /**< FAKE_INVOICE_UPDATE_PARAMS_VERSION */
	fake_flag_change auto_advance;
	const char *default_payment_method; /**< "" clears */
	const char *description;       /**< "" clears */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_invoice_update_params;

#define FAKE_INVOICE_UPDATE_PARAMS_VERSION 1
#define FAKE_INVOICE_UPDATE_PARAMS_INIT { FAKE_INVOICE_UPDATE_PARAMS_VERSION, FAKE_FLAG_UNCHANGED, NULL, NULL, NULL, 0 }

/**
 * Updates an invoice that is not paid or void (operation
 * "update_invoice"); emits invoice.updated with previous_attributes.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE (paid or void); FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_update(const fake_invoice **out, fake_processor *p, const char *id,
				    const fake_invoice_update_params *params, const fake_request *request);

/**
 * Finalizes a draft (operation "finalize_invoice"): status open (paid at
 * once when nothing is due), number assigned, a payment intent for
 * amount_due; due_date for send_invoice. Emits invoice.finalized.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE (not a draft); FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_finalize(const fake_invoice **out, fake_processor *p, const char *id,
				      const fake_request *request);

/** Params of fake_invoice_pay(). */
typedef struct fake_invoice_pay_params {
	unsigned int version;          /**< FAKE_INVOICE_PAY_PARAMS_VERSION */
	const char *payment_method;    /**< NULL: the invoice's, subscription's or customer's default */
	bool paid_out_of_band;         /**< mark paid without charging */
	bool on_session;               /**< the customer is present (3D Secure may be asked); default off session */
} fake_invoice_pay_params;

#define FAKE_INVOICE_PAY_PARAMS_VERSION 1
#define FAKE_INVOICE_PAY_PARAMS_INIT { FAKE_INVOICE_PAY_PARAMS_VERSION, NULL, false, false }

/**
 * Pays an open or uncollectible invoice (operation "pay_invoice"): charges
 * the payment method through the invoice's payment intent, or records an
 * out-of-band payment. Paid: status paid, amount_paid, events
 * invoice.paid and invoice.payment_succeeded, and its subscription
 * recovers (active). Declined: attempt_count grows, invoice.payment_failed,
 * FAKE_ECARD (recorded, as Stripe).
 * Accepts outcome scripts.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE (draft, paid or void: "You cannot pay this
 *         invoice because it is draft."); FAKE_EINVAL (no payment
 *         method); FAKE_ENOTFOUND; FAKE_ECARD; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_pay(const fake_invoice **out, fake_processor *p, const char *id,
				 const fake_invoice_pay_params *params, const fake_request *request);

/**
 * Voids an open or uncollectible invoice (operation "void_invoice"); its
 * payment intent is canceled. Emits invoice.voided.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE; FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_void(const fake_invoice **out, fake_processor *p, const char *id,
				  const fake_request *request);

/**
 * Marks an open invoice uncollectible (operation
 * "mark_uncollectible_invoice"). Emits invoice.marked_uncollectible.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE; FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_mark_uncollectible(const fake_invoice **out, fake_processor *p, const char *id,
						const fake_request *request);

/**
 * Sends an open invoice to the customer (operation "send_invoice").
 * Emits invoice.sent.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE (not open); FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_send(const fake_invoice **out, fake_processor *p, const char *id,
				  const fake_request *request);

/**
 * Deletes a draft (operation "delete_invoice"); its invoice items become
 * pending again. Emits invoice.deleted.
 * @param out receives the deleted invoice (a tombstone: retrieve no longer finds it).
 * @return 0; FAKE_ESTATE (not a draft); FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_delete(const fake_invoice **out, fake_processor *p, const char *id,
				    const fake_request *request);

/** Params of fake_invoice_list(). */
typedef struct fake_invoice_list_params {
	unsigned int version;          /**< FAKE_INVOICE_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *customer;
	const char *subscription;
	const char *status;            /**< draft, open, paid, void or uncollectible; NULL: any */
} fake_invoice_list_params;

#define FAKE_INVOICE_LIST_PARAMS_VERSION 1
#define FAKE_INVOICE_LIST_PARAMS_INIT { FAKE_INVOICE_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL, NULL, NULL }

/**
 * Lists invoices, newest first (operation "list_invoices").
 * @param out receives a page of `const fake_invoice *`.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (customer, subscription, cursor).
 */
FAKE_EXTERN int fake_invoice_list(fake_list *out, fake_processor *p, const fake_invoice_list_params *params,
				  const fake_request *request);

/**
 * Previews the next invoice of a subscription (operation
 * "create_invoice_preview"), computed from its items, quantities, metered usage
 * and pending invoice items (prorations included), for the period that
 * starts when the current one ends. Nothing is stored: the preview has no
 * id, and no counter moves.
 * @param out receives a preview that stays valid until the processor is
 *        reset, loaded or freed; NULL on failure.
 * @return 0; FAKE_EINVAL (missing subscription); FAKE_ESTATE (the
 *         subscription has ended or will cancel at period end: nothing is
 *         upcoming); FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_upcoming(const fake_invoice **out, fake_processor *p, const char *subscription,
				      const fake_request *request);

/**
 * Stripe's name of an invoice status ("uncollectible"...), static; NULL
 * when @p status is not one.
 */
FAKE_EXTERN const char *fake_invoice_status_string(fake_invoice_status status);

/**
 * @name Invoice accessors
 * Each returns NULL / 0 / false for NULL. Borrowed, showing the current state.
 * @{
 */
/** NULL for a preview (fake_invoice_upcoming(), the object of an invoice.upcoming event). */
FAKE_EXTERN const char *fake_invoice_id(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_created(const fake_invoice *inv);
FAKE_EXTERN const char *fake_invoice_customer(const fake_invoice *inv);
FAKE_EXTERN const char *fake_invoice_subscription(const fake_invoice *inv);
FAKE_EXTERN fake_invoice_status fake_invoice_status_of(const fake_invoice *inv);
/** Stripe's status string. Static. */
FAKE_EXTERN const char *fake_invoice_status_name(const fake_invoice *inv);
FAKE_EXTERN fake_billing_reason fake_invoice_billing_reason(const fake_invoice *inv);
/** "manual", "subscription_create", "subscription_cycle", "subscription_update", "upcoming". Static. */
FAKE_EXTERN const char *fake_invoice_billing_reason_name(const fake_invoice *inv);
FAKE_EXTERN fake_collection_method fake_invoice_collection_method(const fake_invoice *inv);
FAKE_EXTERN const char *fake_invoice_currency(const fake_invoice *inv);
/** Stripe's invoice number ("FAKE-00001"), given at finalization; NULL for drafts. */
FAKE_EXTERN const char *fake_invoice_number(const fake_invoice *inv);
FAKE_EXTERN size_t fake_invoice_line_count(const fake_invoice *inv);
/** The i-th line, or NULL out of range. */
FAKE_EXTERN const fake_invoice_line *fake_invoice_line_at(const fake_invoice *inv, size_t i);
FAKE_EXTERN int64_t fake_invoice_subtotal(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_total(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_amount_due(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_amount_paid(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_amount_remaining(const fake_invoice *inv);
FAKE_EXTERN unsigned int fake_invoice_attempt_count(const fake_invoice *inv);
FAKE_EXTERN bool fake_invoice_attempted(const fake_invoice *inv);
/** When the next automatic payment attempt runs; 0 when none is scheduled. */
FAKE_EXTERN int64_t fake_invoice_next_payment_attempt(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_period_start(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_period_end(const fake_invoice *inv);
/** send_invoice only; else 0. */
FAKE_EXTERN int64_t fake_invoice_due_date(const fake_invoice *inv);
FAKE_EXTERN bool fake_invoice_auto_advance(const fake_invoice *inv);
FAKE_EXTERN bool fake_invoice_paid_out_of_band(const fake_invoice *inv);
FAKE_EXTERN const char *fake_invoice_payment_intent(const fake_invoice *inv);
FAKE_EXTERN const char *fake_invoice_charge(const fake_invoice *inv);
FAKE_EXTERN const char *fake_invoice_default_payment_method(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_finalized_at(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_paid_at(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_voided_at(const fake_invoice *inv);
FAKE_EXTERN int64_t fake_invoice_marked_uncollectible_at(const fake_invoice *inv);
FAKE_EXTERN const char *fake_invoice_description(const fake_invoice *inv);
FAKE_EXTERN const fake_metadata *fake_invoice_metadata(const fake_invoice *inv);
/** @} */

/**
 * @name Invoice line accessors
 * Each returns NULL / 0 / false for NULL. Borrowed; lines never change.
 * @{
 */
FAKE_EXTERN const char *fake_invoice_line_id(const fake_invoice_line *line);
FAKE_EXTERN int64_t fake_invoice_line_amount(const fake_invoice_line *line);
FAKE_EXTERN const char *fake_invoice_line_currency(const fake_invoice_line *line);
FAKE_EXTERN const char *fake_invoice_line_description(const fake_invoice_line *line);
/** "subscription" or "invoiceitem". Static. */
FAKE_EXTERN const char *fake_invoice_line_type(const fake_invoice_line *line);
FAKE_EXTERN const fake_price *fake_invoice_line_price(const fake_invoice_line *line);
FAKE_EXTERN int64_t fake_invoice_line_quantity(const fake_invoice_line *line);
FAKE_EXTERN bool fake_invoice_line_proration(const fake_invoice_line *line);
FAKE_EXTERN int64_t fake_invoice_line_period_start(const fake_invoice_line *line);
FAKE_EXTERN int64_t fake_invoice_line_period_end(const fake_invoice_line *line);
FAKE_EXTERN const char *fake_invoice_line_invoice_item(const fake_invoice_line *line);
FAKE_EXTERN const char *fake_invoice_line_subscription_item(const fake_invoice_line *line);
/** @} */

/** Params of fake_invoice_item_create(). */
typedef struct fake_invoice_item_create_params {
	unsigned int version;          /**< FAKE_INVOICE_ITEM_CREATE_PARAMS_VERSION */
	const char *customer;          /**< required */
	int64_t amount;                /**< a signed amount (negative: a credit); or give a price */
	const char *currency;          /**< required with amount */
	const char *price;             /**< a one-time price (or price_data) times quantity */
	const fake_price_data *price_data;
	int64_t quantity;              /**< 0 means 1 */
	const char *invoice;           /**< put it on this draft instead of leaving it pending */
	const char *subscription;      /**< only this subscription's next invoice takes it */
	const char *description;
	int64_t period_start;          /**< 0: now */
	int64_t period_end;            /**< 0: period_start */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_invoice_item_create_params;

#define FAKE_INVOICE_ITEM_CREATE_PARAMS_VERSION 1
#define FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT                                                                  \
	{ FAKE_INVOICE_ITEM_CREATE_PARAMS_VERSION, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, NULL, 0 }

/**
 * Creates an invoice item (operation "create_invoice_item"), pending for
 * the customer's next invoice or added to a draft. Emits invoiceitem.created.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (no customer, both or neither of amount and
 *         price, currency mismatch with the invoice, the invoice not a
 *         draft or another customer's, bad period); FAKE_ESTATE (the
 *         invoice is not a draft); FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_item_create(const fake_invoice_item **out, fake_processor *p,
					 const fake_invoice_item_create_params *params, const fake_request *request);

/**
 * Retrieves an invoice item (operation "retrieve_invoice_item").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND.
 */
FAKE_EXTERN int fake_invoice_item_retrieve(const fake_invoice_item **out, fake_processor *p, const char *id,
					   const fake_request *request);

/** Params of fake_invoice_item_update(). */
typedef struct fake_invoice_item_update_params {
	unsigned int version;          /**< FAKE_INVOICE_ITEM_UPDATE_PARAMS_VERSION */
	int64_t amount;                /**< 0: unchanged (items priced by amount only) */
	int64_t quantity;              /**< 0: unchanged */
	const char *description;       /**< "" clears */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_invoice_item_update_params;

#define FAKE_INVOICE_ITEM_UPDATE_PARAMS_VERSION 1
#define FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT { FAKE_INVOICE_ITEM_UPDATE_PARAMS_VERSION, 0, 0, NULL, NULL, 0 }

/**
 * Updates an invoice item while it is pending or on a draft (operation
 * "update_invoice_item"); the draft's lines and totals follow. No event
 * (Stripe has no invoiceitem.updated).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE (on a finalized invoice); FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_item_update(const fake_invoice_item **out, fake_processor *p, const char *id,
					 const fake_invoice_item_update_params *params, const fake_request *request);

/**
 * Deletes an invoice item while it is pending or on a draft (operation
 * "delete_invoice_item"). Emits invoiceitem.deleted.
 * @param out receives the deleted item (a tombstone: retrieve no longer finds it).
 * @return 0; FAKE_ESTATE (on a finalized invoice); FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_invoice_item_delete(const fake_invoice_item **out, fake_processor *p, const char *id,
					 const fake_request *request);

/** Params of fake_invoice_item_list(). */
typedef struct fake_invoice_item_list_params {
	unsigned int version;          /**< FAKE_INVOICE_ITEM_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *customer;
	const char *invoice;
	bool pending;                  /**< only items on no invoice yet */
} fake_invoice_item_list_params;

#define FAKE_INVOICE_ITEM_LIST_PARAMS_VERSION 1
#define FAKE_INVOICE_ITEM_LIST_PARAMS_INIT { FAKE_INVOICE_ITEM_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL, NULL, false }

/**
 * Lists invoice items, newest first (operation "list_invoice_items").
 * @param out receives a page of `const fake_invoice_item *`.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (customer, invoice, cursor).
 */
FAKE_EXTERN int fake_invoice_item_list(fake_list *out, fake_processor *p, const fake_invoice_item_list_params *params,
				       const fake_request *request);

/**
 * @name Invoice item accessors
 * Each returns NULL / 0 / false for NULL. Borrowed, showing the current state.
 * @{
 */
FAKE_EXTERN const char *fake_invoice_item_id(const fake_invoice_item *ii);
FAKE_EXTERN const char *fake_invoice_item_customer(const fake_invoice_item *ii);
FAKE_EXTERN int64_t fake_invoice_item_amount(const fake_invoice_item *ii);
FAKE_EXTERN const char *fake_invoice_item_currency(const fake_invoice_item *ii);
FAKE_EXTERN const fake_price *fake_invoice_item_price(const fake_invoice_item *ii);
FAKE_EXTERN int64_t fake_invoice_item_quantity(const fake_invoice_item *ii);
FAKE_EXTERN int64_t fake_invoice_item_unit_amount(const fake_invoice_item *ii);
/** The invoice it is on; NULL while pending. */
FAKE_EXTERN const char *fake_invoice_item_invoice(const fake_invoice_item *ii);
FAKE_EXTERN const char *fake_invoice_item_subscription(const fake_invoice_item *ii);
FAKE_EXTERN const char *fake_invoice_item_subscription_item(const fake_invoice_item *ii);
FAKE_EXTERN bool fake_invoice_item_proration(const fake_invoice_item *ii);
FAKE_EXTERN int64_t fake_invoice_item_period_start(const fake_invoice_item *ii);
FAKE_EXTERN int64_t fake_invoice_item_period_end(const fake_invoice_item *ii);
FAKE_EXTERN const char *fake_invoice_item_description(const fake_invoice_item *ii);
FAKE_EXTERN const fake_metadata *fake_invoice_item_metadata(const fake_invoice_item *ii);
/** @} */

#ifdef __cplusplus
}
#endif

#endif
