/**
 * @file fake/subscription.h
 * @brief Subscriptions and their items: create, retrieve, update, cancel,
 *        resume, list; items create, retrieve, update, delete, list; usage
 *        records for metered items; and the reference fake's test helpers
 *        fake_subscription_advance() and fake_subscription_transition().
 *
 * A subscription bills its items on the processor timeline (fake/clock.h):
 * creating one makes its first invoice at once, and advancing the clock
 * runs trial ends, renewals, payments, dunning and cancellations in
 * Stripe's order. docs/billing.md describes every lifecycle with its events.
 * Returned objects are borrowed (fake/common.h).
 */
#ifndef FAKE_SUBSCRIPTION_H
#define FAKE_SUBSCRIPTION_H

#include "common.h"
#include "list.h"
#include "price.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A subscription. Opaque. */
typedef struct fake_subscription fake_subscription;
/** A subscription item: one price and quantity of a subscription. Opaque. */
typedef struct fake_subscription_item fake_subscription_item;
/** A usage record of a metered subscription item. Opaque. */
typedef struct fake_usage_record fake_usage_record;

/** Stripe's subscription statuses. */
typedef enum fake_subscription_status {
	FAKE_SUB_INCOMPLETE,
	FAKE_SUB_INCOMPLETE_EXPIRED,
	FAKE_SUB_TRIALING,
	FAKE_SUB_ACTIVE,
	FAKE_SUB_PAST_DUE,
	FAKE_SUB_CANCELED,
	FAKE_SUB_UNPAID,
	FAKE_SUB_PAUSED
} fake_subscription_status;

/** What to do when the first payment fails (Stripe's payment_behavior). */
typedef enum fake_payment_behavior {
	FAKE_PAYMENT_ALLOW_INCOMPLETE,   /**< default: the subscription is created incomplete */
	FAKE_PAYMENT_DEFAULT_INCOMPLETE, /**< never charge at create: incomplete, invoice open, payment intent unconfirmed */
	FAKE_PAYMENT_ERROR_IF_INCOMPLETE /**< fail the call (FAKE_ECARD) and create nothing */
} fake_payment_behavior;

/** How invoices are collected. */
typedef enum fake_collection_method {
	FAKE_COLLECT_CHARGE_AUTOMATICALLY, /**< default: charge the default payment method */
	FAKE_COLLECT_SEND_INVOICE          /**< email the invoice, due after days_until_due */
} fake_collection_method;

/** How a change in the middle of a period is billed. */
typedef enum fake_proration_behavior {
	FAKE_PRORATION_CREATE_PRORATIONS, /**< default: pending invoice items on the next invoice */
	FAKE_PRORATION_NONE,              /**< no credit, no charge */
	FAKE_PRORATION_ALWAYS_INVOICE     /**< the prorations are invoiced and charged at once */
} fake_proration_behavior;

/** What happens when a trial ends and the customer has no payment method
 *  (trial_settings.end_behavior.missing_payment_method). */
typedef enum fake_trial_end_behavior {
	FAKE_TRIAL_END_CREATE_INVOICE, /**< default: invoice as usual (and fail to collect) */
	FAKE_TRIAL_END_PAUSE,          /**< the subscription becomes paused */
	FAKE_TRIAL_END_CANCEL          /**< the subscription is canceled */
} fake_trial_end_behavior;

/** pause_collection.behavior; FAKE_PAUSE_NONE when collection is not paused. */
typedef enum fake_pause_behavior {
	FAKE_PAUSE_NONE,
	FAKE_PAUSE_KEEP_AS_DRAFT,       /**< new invoices stay drafts */
	FAKE_PAUSE_MARK_UNCOLLECTIBLE,  /**< new invoices are marked uncollectible */
	FAKE_PAUSE_VOID                 /**< new invoices are voided */
} fake_pause_behavior;

/** A three-way switch for update params. */
typedef enum fake_flag_change {
	FAKE_FLAG_UNCHANGED,
	FAKE_FLAG_SET,
	FAKE_FLAG_CLEAR
} fake_flag_change;

/** trial_end = "now": end the trial at once. */
#define FAKE_TRIAL_END_NOW INT64_C(-1)
/** cancel_at / pause resumes_at in update params: clear the value. */
#define FAKE_TIME_CLEAR INT64_C(-1)
/** The most items a subscription holds (Stripe's limit). */
#define FAKE_SUBSCRIPTION_ITEMS_MAX 20
/** The longest trial: two years (Stripe's 730 days). */
#define FAKE_TRIAL_DAYS_MAX 730

/** An inline price (price_data): a price made for this item or invoice item. */
typedef struct fake_price_data {
	const char *currency;         /**< required: three letters */
	const char *product;          /**< required: an existing product */
	int64_t unit_amount;          /**< required: 0 .. FAKE_PRICE_UNIT_AMOUNT_MAX */
	fake_interval interval;       /**< required for subscription items; NONE for invoice items */
	unsigned int interval_count;  /**< 0 means 1 */
} fake_price_data;

/** One entry of `items` in subscription create and update params. */
typedef struct fake_subscription_item_params {
	const char *id;               /**< update: the item to change (or delete); NULL adds an item */
	const char *price;            /**< a recurring price id (or give price_data) */
	const fake_price_data *price_data;
	int64_t quantity;             /**< 0: 1 for a new item, unchanged for an existing one; metered items take none */
	bool deleted;                 /**< update: remove the item named by id */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_subscription_item_params;

/** Params of fake_subscription_create(). */
typedef struct fake_subscription_create_params {
	unsigned int version;         /**< FAKE_SUBSCRIPTION_CREATE_PARAMS_VERSION */
	const char *customer;         /**< required */
	const fake_subscription_item_params *items; /**< required: 1 .. FAKE_SUBSCRIPTION_ITEMS_MAX, one currency, one interval */
	size_t item_count;
	unsigned int trial_period_days; /**< 1 .. FAKE_TRIAL_DAYS_MAX; exclusive with trial_end */
	int64_t trial_end;            /**< a time after now, or FAKE_TRIAL_END_NOW; 0: none */
	fake_trial_end_behavior trial_missing_payment_method;
	const char *default_payment_method; /**< else the customer's invoice_settings default */
	fake_payment_behavior payment_behavior;
	fake_collection_method collection_method;
	unsigned int days_until_due;  /**< send_invoice only: 0 means 30 */
	int64_t billing_cycle_anchor; /**< 0: now (or the trial end); else a future time within one period */
	bool cancel_at_period_end;
	int64_t cancel_at;            /**< 0: none; else a future time */
	const char *description;
	const fake_kv *metadata;
	size_t metadata_count;
} fake_subscription_create_params;

#define FAKE_SUBSCRIPTION_CREATE_PARAMS_VERSION 1
#define FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT                                                                \
	{ FAKE_SUBSCRIPTION_CREATE_PARAMS_VERSION, NULL, NULL, 0, 0, 0, FAKE_TRIAL_END_CREATE_INVOICE, NULL, \
	  FAKE_PAYMENT_ALLOW_INCOMPLETE, FAKE_COLLECT_CHARGE_AUTOMATICALLY, 0, 0, false, 0, NULL, NULL, 0 }

/**
 * Creates a subscription (operation "create_subscription") and its first
 * invoice (billing_reason subscription_create), then:
 *  - with a trial: status trialing; the $0 invoice is paid at once;
 *    trial_will_end is scheduled three days before the trial ends (or
 *    emitted now when fewer remain);
 *  - without: the invoice is finalized and charged now. Paid: active.
 *    Declined or needing 3D Secure: incomplete, the invoice open
 *    (allow_incomplete), or FAKE_ECARD and nothing created
 *    (error_if_incomplete). default_incomplete never charges here.
 *    send_invoice: active, the invoice open and sent.
 * Events, in order: customer.subscription.created, invoice.created,
 * invoice.finalized, then the payment's (docs/billing.md).
 * Accepts outcome scripts for the first payment.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0 (an incomplete subscription included); FAKE_EINVAL (missing
 *         customer or items, unknown or inactive or one-time price, mixed
 *         currencies or intervals, negative quantity, trial in the past or
 *         too long, both trial params, anchor or cancel_at in the past,
 *         days_until_due without send_invoice, no payment method for
 *         error_if_incomplete, bad metadata or version); FAKE_ENOTFOUND
 *         (customer, price, product, payment method); FAKE_ECARD
 *         (error_if_incomplete and the payment failed: nothing was
 *         created); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_subscription_create(const fake_subscription **out, fake_processor *p,
					 const fake_subscription_create_params *params, const fake_request *request);

/**
 * Retrieves a subscription (operation "retrieve_subscription").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND.
 */
FAKE_EXTERN int fake_subscription_retrieve(const fake_subscription **out, fake_processor *p, const char *id,
					   const fake_request *request);

/** Params of fake_subscription_update(). Zero / NULL fields are left alone. */
typedef struct fake_subscription_update_params {
	unsigned int version;         /**< FAKE_SUBSCRIPTION_UPDATE_PARAMS_VERSION */
	const fake_subscription_item_params *items; /**< changes: by id, new (id NULL), or deleted */
	size_t item_count;
	fake_proration_behavior proration_behavior;
	int64_t trial_end;            /**< a later time sets or extends the trial; FAKE_TRIAL_END_NOW ends it */
	fake_flag_change cancel_at_period_end;
	int64_t cancel_at;            /**< a future time; FAKE_TIME_CLEAR removes it */
	fake_pause_behavior pause_collection; /**< FAKE_PAUSE_NONE: unchanged (see resume_collection) */
	int64_t pause_resumes_at;     /**< with pause_collection: when collection resumes by itself; 0: never */
	bool resume_collection;       /**< pause_collection = "": collect again */
	const char *default_payment_method; /**< "" clears */
	const char *description;      /**< "" clears */
	const fake_kv *metadata;
	size_t metadata_count;
} fake_subscription_update_params;

#define FAKE_SUBSCRIPTION_UPDATE_PARAMS_VERSION 1
#define FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT                                                                \
	{ FAKE_SUBSCRIPTION_UPDATE_PARAMS_VERSION, NULL, 0, FAKE_PRORATION_CREATE_PRORATIONS, 0, FAKE_FLAG_UNCHANGED, \
	  0, FAKE_PAUSE_NONE, 0, false, NULL, NULL, NULL, 0 }

/**
 * Updates a subscription (operation "update_subscription"); emits
 * customer.subscription.updated with previous_attributes when anything
 * changed. Changing an item's price or quantity mid-period prorates by the
 * second (proration_behavior): a credit for the unused time of the old
 * line and a charge for the rest of the period at the new one, as pending
 * invoice items, invoiced at once with always_invoice. Ending a trial
 * starts a new period and invoices it now.
 * Accepts outcome scripts (for always_invoice or a trial ended now).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (as create; an item id not on this subscription;
 *         deleting every item); FAKE_ESTATE (canceled or
 *         incomplete_expired); FAKE_ENOTFOUND; FAKE_ECARD (an invoice made
 *         at once was declined: the change stands, the invoice is open);
 *         FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_subscription_update(const fake_subscription **out, fake_processor *p, const char *id,
					 const fake_subscription_update_params *params, const fake_request *request);

/** Params of fake_subscription_cancel(). */
typedef struct fake_subscription_cancel_params {
	unsigned int version;  /**< FAKE_SUBSCRIPTION_CANCEL_PARAMS_VERSION */
	bool invoice_now;      /**< invoice pending items (and usage) now */
	bool prorate;          /**< credit the unused time of the period as a pending invoice item */
} fake_subscription_cancel_params;

#define FAKE_SUBSCRIPTION_CANCEL_PARAMS_VERSION 1
#define FAKE_SUBSCRIPTION_CANCEL_PARAMS_INIT { FAKE_SUBSCRIPTION_CANCEL_PARAMS_VERSION, false, false }

/**
 * Cancels a subscription now (operation "cancel_subscription"): status
 * canceled, canceled_at and ended_at now; its open invoices stay open.
 * Emits customer.subscription.deleted (after the invoice's events when
 * invoice_now bills something).
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_ESTATE (already canceled or incomplete_expired);
 *         FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_subscription_cancel(const fake_subscription **out, fake_processor *p, const char *id,
					 const fake_subscription_cancel_params *params, const fake_request *request);

/**
 * Resumes a paused subscription (operation "resume_subscription"): a new
 * period starts now and is invoiced and charged at once (Stripe's
 * billing_cycle_anchor "now"). Emits customer.subscription.resumed, then
 * the invoice's events.
 * Accepts outcome scripts.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0 (a declined payment leaves it past_due, as a failed renewal);
 *         FAKE_ESTATE (not paused); FAKE_EINVAL; FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_subscription_resume(const fake_subscription **out, fake_processor *p, const char *id,
					 const fake_request *request);

/** Params of fake_subscription_list(). */
typedef struct fake_subscription_list_params {
	unsigned int version;  /**< FAKE_SUBSCRIPTION_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *customer;
	const char *price;     /**< only subscriptions with an item on this price */
	const char *status;    /**< a status name, "all" or "ended" (canceled, incomplete_expired); NULL: all but canceled and incomplete_expired, as Stripe */
	const char *test_clock; /**< only subscriptions on this test clock; with neither this nor customer, only those on no test clock (as Stripe) */
} fake_subscription_list_params;

#define FAKE_SUBSCRIPTION_LIST_PARAMS_VERSION 2
#define FAKE_SUBSCRIPTION_LIST_PARAMS_INIT { FAKE_SUBSCRIPTION_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL, NULL, NULL, NULL }

/**
 * Lists subscriptions, newest first (operation "list_subscriptions").
 * Subscriptions of customers on a test clock are listed only when the
 * customer or the test clock is given, as Stripe.
 * @param out receives a page of `const fake_subscription *`.
 * @return 0; FAKE_EINVAL (bad page or status); FAKE_ENOTFOUND (unknown
 *         customer, price, test clock or cursor).
 */
FAKE_EXTERN int fake_subscription_list(fake_list *out, fake_processor *p, const fake_subscription_list_params *params,
				       const fake_request *request);

/**
 * Test helper (the reference fake's advance_subscription): moves the clock
 * forward by @p days and @p seconds, running everything due on the way
 * (fake_clock_advance()), so a subscription whose trial is crossed gets
 * trial_will_end and then its trial end, in time order, both when one
 * advance crosses both. @p id may be NULL (only the clock moves); when
 * given it must name a subscription. With @p synthesize false, no events
 * are recorded for the work this advance runs. Not an operation: not
 * counted, scripted or stubbed.
 * @return 0; FAKE_EINVAL (NULL @p p, negative amounts, past FAKE_TIME_MAX);
 *         FAKE_ENOTFOUND (unknown @p id: the clock does not move);
 *         FAKE_ESTATE (called from timeline work); FAKE_ENOMEM as
 *         fake_clock_advance().
 */
FAKE_EXTERN int fake_subscription_advance(fake_processor *p, const char *id, int64_t days, int64_t seconds,
					  bool synthesize);

/**
 * Test helper (the reference fake's transition): moves a subscription to
 * @p status at once, without billing, and emits
 * customer.subscription.updated with previous_attributes.status (unless
 * @p synthesize is false). Moving to canceled or incomplete_expired ends
 * it (ended_at; nothing more is billed); moving away from trialing ends
 * the trial now. Not an operation: not counted, scripted or stubbed.
 * @param out receives the borrowed object; may be NULL.
 * @return 0; FAKE_EINVAL (unknown status); FAKE_ENOTFOUND; FAKE_ESTATE
 *         (the subscription has ended); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_subscription_transition(const fake_subscription **out, fake_processor *p, const char *id,
					     fake_subscription_status status, bool synthesize);

/**
 * Stripe's name of a status ("past_due"...), static; NULL when @p status
 * is not one.
 */
FAKE_EXTERN const char *fake_subscription_status_string(fake_subscription_status status);

/**
 * @name Subscription accessors
 * Each returns NULL / 0 / false for NULL. Borrowed, showing the current state.
 * @{
 */
FAKE_EXTERN const char *fake_subscription_id(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_created(const fake_subscription *sub);
FAKE_EXTERN const char *fake_subscription_customer(const fake_subscription *sub);
FAKE_EXTERN fake_subscription_status fake_subscription_status_of(const fake_subscription *sub);
/** Stripe's status string. Static. */
FAKE_EXTERN const char *fake_subscription_status_name(const fake_subscription *sub);
FAKE_EXTERN const char *fake_subscription_currency(const fake_subscription *sub);
FAKE_EXTERN size_t fake_subscription_item_count(const fake_subscription *sub);
/** The i-th item (in the order added), or NULL out of range. */
FAKE_EXTERN const fake_subscription_item *fake_subscription_item_at(const fake_subscription *sub, size_t i);
FAKE_EXTERN int64_t fake_subscription_current_period_start(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_current_period_end(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_billing_cycle_anchor(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_start_date(const fake_subscription *sub);
/** 0 when there is no trial. */
FAKE_EXTERN int64_t fake_subscription_trial_start(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_trial_end(const fake_subscription *sub);
FAKE_EXTERN bool fake_subscription_cancel_at_period_end(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_cancel_at(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_canceled_at(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_ended_at(const fake_subscription *sub);
FAKE_EXTERN const char *fake_subscription_latest_invoice(const fake_subscription *sub);
FAKE_EXTERN const char *fake_subscription_default_payment_method(const fake_subscription *sub);
FAKE_EXTERN fake_collection_method fake_subscription_collection_method(const fake_subscription *sub);
/** 0 unless send_invoice. */
FAKE_EXTERN unsigned int fake_subscription_days_until_due(const fake_subscription *sub);
FAKE_EXTERN fake_pause_behavior fake_subscription_pause_collection(const fake_subscription *sub);
FAKE_EXTERN int64_t fake_subscription_pause_resumes_at(const fake_subscription *sub);
FAKE_EXTERN fake_trial_end_behavior fake_subscription_trial_missing_payment_method(const fake_subscription *sub);
FAKE_EXTERN const char *fake_subscription_description(const fake_subscription *sub);
FAKE_EXTERN const fake_metadata *fake_subscription_metadata(const fake_subscription *sub);
/** @} */

/** Params of fake_subscription_item_create(). */
typedef struct fake_subscription_item_create_params {
	unsigned int version;       /**< FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_VERSION */
	const char *subscription;   /**< required */
	const char *price;          /**< or price_data */
	const fake_price_data *price_data;
	int64_t quantity;           /**< 0 means 1 */
	fake_proration_behavior proration_behavior;
	const fake_kv *metadata;
	size_t metadata_count;
} fake_subscription_item_create_params;

#define FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_VERSION 1
#define FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_INIT \
	{ FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_VERSION, NULL, NULL, NULL, 0, FAKE_PRORATION_CREATE_PRORATIONS, NULL, 0 }

/**
 * Adds an item to a subscription (operation "subscription_item_create");
 * the subscription shows it at once and emits customer.subscription.updated
 * (previous_attributes.items); prorated as fake_subscription_update().
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return as fake_subscription_update(); FAKE_EINVAL also for a price
 *         already on the subscription.
 */
FAKE_EXTERN int fake_subscription_item_create(const fake_subscription_item **out, fake_processor *p,
					      const fake_subscription_item_create_params *params,
					      const fake_request *request);

/**
 * Retrieves a subscription item (operation "subscription_item_retrieve");
 * a deleted item is missing.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND.
 */
FAKE_EXTERN int fake_subscription_item_retrieve(const fake_subscription_item **out, fake_processor *p, const char *id,
						const fake_request *request);

/** Params of fake_subscription_item_update(). */
typedef struct fake_subscription_item_update_params {
	unsigned int version;       /**< FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_VERSION */
	const char *price;          /**< NULL: unchanged */
	const fake_price_data *price_data;
	int64_t quantity;           /**< 0: unchanged */
	fake_proration_behavior proration_behavior;
	const fake_kv *metadata;
	size_t metadata_count;
} fake_subscription_item_update_params;

#define FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_VERSION 1
#define FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT \
	{ FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_VERSION, NULL, NULL, 0, FAKE_PRORATION_CREATE_PRORATIONS, NULL, 0 }

/**
 * Changes an item's price, quantity or metadata (operation
 * "subscription_item_update"); as fake_subscription_update() with one item.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return as fake_subscription_update().
 */
FAKE_EXTERN int fake_subscription_item_update(const fake_subscription_item **out, fake_processor *p, const char *id,
					      const fake_subscription_item_update_params *params,
					      const fake_request *request);

/**
 * Removes an item (operation "subscription_item_delete"), prorated with
 * @p proration_behavior; the subscription shows it gone at once. The last
 * item cannot be deleted (cancel the subscription instead).
 * @param out receives the deleted item (a tombstone: retrieve no longer finds it).
 * @return as fake_subscription_update().
 */
FAKE_EXTERN int fake_subscription_item_delete(const fake_subscription_item **out, fake_processor *p, const char *id,
					      fake_proration_behavior proration_behavior, const fake_request *request);

/** Params of fake_subscription_item_list(). */
typedef struct fake_subscription_item_list_params {
	unsigned int version;       /**< FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *subscription;   /**< required */
} fake_subscription_item_list_params;

#define FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_VERSION 1
#define FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT { FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL }

/**
 * Lists a subscription's items, newest first (operation "subscription_item_list").
 * @param out receives a page of `const fake_subscription_item *`.
 * @return 0; FAKE_EINVAL (no subscription, bad page); FAKE_ENOTFOUND.
 */
FAKE_EXTERN int fake_subscription_item_list(fake_list *out, fake_processor *p,
					    const fake_subscription_item_list_params *params,
					    const fake_request *request);

/** How a usage record combines with the period's usage so far. */
typedef enum fake_usage_action {
	FAKE_USAGE_INCREMENT, /**< add to the usage (default) */
	FAKE_USAGE_SET        /**< replace the usage reported so far in this period */
} fake_usage_action;

/** Params of fake_usage_record_create(). */
typedef struct fake_usage_record_params {
	unsigned int version;        /**< FAKE_USAGE_RECORD_PARAMS_VERSION */
	const char *subscription_item; /**< required: a metered item */
	int64_t quantity;            /**< required: >= 0 */
	int64_t timestamp;           /**< 0: now; else within the current period and not in the future */
	fake_usage_action action;
} fake_usage_record_params;

#define FAKE_USAGE_RECORD_PARAMS_VERSION 1
#define FAKE_USAGE_RECORD_PARAMS_INIT { FAKE_USAGE_RECORD_PARAMS_VERSION, NULL, 0, 0, FAKE_USAGE_INCREMENT }

/**
 * Reports usage of a metered item (operation "create_usage_record"); the
 * renewal invoice bills the period's usage in arrears. This is the seam
 * through which meter events will feed metered prices.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (not a metered item, negative quantity, timestamp
 *         outside the current period); FAKE_ESTATE (the subscription has
 *         ended); FAKE_ENOTFOUND; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_usage_record_create(const fake_usage_record **out, fake_processor *p,
					 const fake_usage_record_params *params, const fake_request *request);

/**
 * @name Subscription item and usage record accessors
 * Each returns NULL / 0 for NULL. Borrowed.
 * @{
 */
FAKE_EXTERN const char *fake_subscription_item_id(const fake_subscription_item *item);
FAKE_EXTERN int64_t fake_subscription_item_created(const fake_subscription_item *item);
FAKE_EXTERN const char *fake_subscription_item_subscription(const fake_subscription_item *item);
FAKE_EXTERN const fake_price *fake_subscription_item_price(const fake_subscription_item *item);
/** 0 for metered items. */
FAKE_EXTERN int64_t fake_subscription_item_quantity(const fake_subscription_item *item);
FAKE_EXTERN const fake_metadata *fake_subscription_item_metadata(const fake_subscription_item *item);
/** Usage reported for the item's current period (metered items). */
FAKE_EXTERN int64_t fake_subscription_item_usage(const fake_processor *p, const fake_subscription_item *item);
FAKE_EXTERN const char *fake_usage_record_id(const fake_usage_record *record);
FAKE_EXTERN const char *fake_usage_record_subscription_item(const fake_usage_record *record);
FAKE_EXTERN int64_t fake_usage_record_quantity(const fake_usage_record *record);
FAKE_EXTERN int64_t fake_usage_record_timestamp(const fake_usage_record *record);
/** @} */

#ifdef __cplusplus
}
#endif

#endif
