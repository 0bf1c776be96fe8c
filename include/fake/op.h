/**
 * @file fake/op.h
 * @brief Operation ids. Every public operation has one, with a stable name
 *        (the reference fake's callback name where it has one). Call counts,
 *        scripts, stubs and list iterators name operations by these ids.
 */
#ifndef FAKE_OP_H
#define FAKE_OP_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Operation ids. New operations are only ever added before FAKE_OP_COUNT. */
typedef enum fake_op {
	FAKE_OP_CREATE_CUSTOMER,            /**< "create_customer" */
	FAKE_OP_RETRIEVE_CUSTOMER,          /**< "retrieve_customer" */
	FAKE_OP_UPDATE_CUSTOMER,            /**< "update_customer" */
	FAKE_OP_DELETE_CUSTOMER,            /**< "delete_customer" */
	FAKE_OP_LIST_CUSTOMERS,             /**< "list_customers" */
	FAKE_OP_CREATE_PAYMENT_METHOD,      /**< "create_payment_method" */
	FAKE_OP_RETRIEVE_PAYMENT_METHOD,    /**< "retrieve_payment_method" */
	FAKE_OP_UPDATE_PAYMENT_METHOD,      /**< "update_payment_method" */
	FAKE_OP_ATTACH_PAYMENT_METHOD,      /**< "attach_payment_method" */
	FAKE_OP_DETACH_PAYMENT_METHOD,      /**< "detach_payment_method" */
	FAKE_OP_LIST_PAYMENT_METHODS,       /**< "list_payment_methods" */
	FAKE_OP_SET_DEFAULT_PAYMENT_METHOD, /**< "set_default_payment_method" */
	FAKE_OP_RETRIEVE_EVENT,             /**< "retrieve_event" */
	FAKE_OP_LIST_EVENTS,                /**< "list_events" */
	FAKE_OP_CREATE_PRODUCT,             /**< "create_product" */
	FAKE_OP_RETRIEVE_PRODUCT,           /**< "retrieve_product" */
	FAKE_OP_UPDATE_PRODUCT,             /**< "update_product" */
	FAKE_OP_LIST_PRODUCTS,              /**< "list_products" */
	FAKE_OP_CREATE_PRICE,               /**< "create_price" */
	FAKE_OP_RETRIEVE_PRICE,             /**< "retrieve_price" */
	FAKE_OP_UPDATE_PRICE,               /**< "update_price" */
	FAKE_OP_LIST_PRICES,                /**< "list_prices" */
	FAKE_OP_CREATE_PAYMENT_INTENT,      /**< "create_payment_intent" */
	FAKE_OP_RETRIEVE_PAYMENT_INTENT,    /**< "retrieve_payment_intent" */
	FAKE_OP_CONFIRM_PAYMENT_INTENT,     /**< "confirm_payment_intent" */
	FAKE_OP_AUTHENTICATE_PAYMENT_INTENT, /**< "authenticate_payment_intent" (test helper) */
	FAKE_OP_CAPTURE_PAYMENT_INTENT,     /**< "capture_payment_intent" */
	FAKE_OP_CANCEL_PAYMENT_INTENT,      /**< "cancel_payment_intent" */
	FAKE_OP_LIST_PAYMENT_INTENTS,       /**< "list_payment_intents" */
	FAKE_OP_RETRIEVE_CHARGE,            /**< "retrieve_charge" */
	FAKE_OP_LIST_CHARGES,               /**< "list_charges" */
	FAKE_OP_RETRIEVE_BALANCE_TRANSACTION, /**< "retrieve_balance_transaction" */
	FAKE_OP_CREATE_REFUND,              /**< "create_refund" */
	FAKE_OP_RETRIEVE_REFUND,            /**< "retrieve_refund" */
	FAKE_OP_LIST_REFUNDS,               /**< "list_refunds" */
	FAKE_OP_CREATE_SETUP_INTENT,        /**< "create_setup_intent" */
	FAKE_OP_RETRIEVE_SETUP_INTENT,      /**< "retrieve_setup_intent" */
	FAKE_OP_CONFIRM_SETUP_INTENT,       /**< "confirm_setup_intent" */
	FAKE_OP_AUTHENTICATE_SETUP_INTENT,  /**< "authenticate_setup_intent" (test helper) */
	FAKE_OP_CANCEL_SETUP_INTENT,        /**< "cancel_setup_intent" */
	FAKE_OP_LIST_SETUP_INTENTS,         /**< "list_setup_intents" */
	FAKE_OP_CREATE_WEBHOOK_ENDPOINT,    /**< "create_webhook_endpoint" */
	FAKE_OP_RETRIEVE_WEBHOOK_ENDPOINT,  /**< "retrieve_webhook_endpoint" */
	FAKE_OP_UPDATE_WEBHOOK_ENDPOINT,    /**< "update_webhook_endpoint" */
	FAKE_OP_DELETE_WEBHOOK_ENDPOINT,    /**< "delete_webhook_endpoint" */
	FAKE_OP_LIST_WEBHOOK_ENDPOINTS,     /**< "list_webhook_endpoints" */
	FAKE_OP_CREATE_SUBSCRIPTION,        /**< "create_subscription" */
	FAKE_OP_RETRIEVE_SUBSCRIPTION,      /**< "retrieve_subscription" */
	FAKE_OP_UPDATE_SUBSCRIPTION,        /**< "update_subscription" */
	FAKE_OP_CANCEL_SUBSCRIPTION,        /**< "cancel_subscription" */
	FAKE_OP_RESUME_SUBSCRIPTION,        /**< "resume_subscription" */
	FAKE_OP_LIST_SUBSCRIPTIONS,         /**< "list_subscriptions" */
	FAKE_OP_CREATE_SUBSCRIPTION_ITEM,   /**< "subscription_item_create" */
	FAKE_OP_RETRIEVE_SUBSCRIPTION_ITEM, /**< "subscription_item_retrieve" */
	FAKE_OP_UPDATE_SUBSCRIPTION_ITEM,   /**< "subscription_item_update" */
	FAKE_OP_DELETE_SUBSCRIPTION_ITEM,   /**< "subscription_item_delete" */
	FAKE_OP_LIST_SUBSCRIPTION_ITEMS,    /**< "subscription_item_list" */
	FAKE_OP_CREATE_USAGE_RECORD,        /**< "create_usage_record" */
	FAKE_OP_CREATE_INVOICE,             /**< "create_invoice" */
	FAKE_OP_RETRIEVE_INVOICE,           /**< "retrieve_invoice" */
	FAKE_OP_UPDATE_INVOICE,             /**< "update_invoice" */
	FAKE_OP_FINALIZE_INVOICE,           /**< "finalize_invoice" */
	FAKE_OP_PAY_INVOICE,                /**< "pay_invoice" */
	FAKE_OP_VOID_INVOICE,               /**< "void_invoice" */
	FAKE_OP_MARK_UNCOLLECTIBLE_INVOICE, /**< "mark_uncollectible_invoice" */
	FAKE_OP_SEND_INVOICE,               /**< "send_invoice" */
	FAKE_OP_DELETE_INVOICE,             /**< "delete_invoice" */
	FAKE_OP_LIST_INVOICES,              /**< "list_invoices" */
	FAKE_OP_UPCOMING_INVOICE,           /**< "create_invoice_preview" */
	FAKE_OP_CREATE_INVOICE_ITEM,        /**< "create_invoice_item" */
	FAKE_OP_RETRIEVE_INVOICE_ITEM,      /**< "retrieve_invoice_item" */
	FAKE_OP_UPDATE_INVOICE_ITEM,        /**< "update_invoice_item" */
	FAKE_OP_DELETE_INVOICE_ITEM,        /**< "delete_invoice_item" */
	FAKE_OP_LIST_INVOICE_ITEMS,         /**< "list_invoice_items" */
	FAKE_OP_CREATE_TEST_CLOCK,          /**< "create_test_clock" */
	FAKE_OP_RETRIEVE_TEST_CLOCK,        /**< "retrieve_test_clock" */
	FAKE_OP_LIST_TEST_CLOCKS,           /**< "list_test_clocks" */
	FAKE_OP_DELETE_TEST_CLOCK,          /**< "delete_test_clock" */
	FAKE_OP_ADVANCE_TEST_CLOCK,         /**< "advance_test_clock" */
	FAKE_OP_COUNT
} fake_op;

/**
 * The stable name of an operation, e.g. "create_customer".
 * @return a static string, or NULL when @p op is not an operation.
 */
FAKE_EXTERN const char *fake_op_name(fake_op op);

/**
 * Looks an operation up by its name.
 * @param out receives the operation id; FAKE_OP_COUNT when it is not found.
 * @return 0, or FAKE_EINVAL when @p out or @p name is NULL, or
 *         FAKE_ENOTFOUND when no operation has that name.
 */
FAKE_EXTERN int fake_op_from_name(fake_op *out, const char *name);

#ifdef __cplusplus
}
#endif

#endif
