/**
 * @file fake/list.h
 * @brief Stripe's cursor pagination, shared by every list operation.
 *
 * Lists are newest first (by creation order, never hash or pointer order).
 * A page holds at most FAKE_LIST_LIMIT_MAX borrowed object pointers.
 */
#ifndef FAKE_LIST_H
#define FAKE_LIST_H

#include "common.h"
#include "op.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FAKE_LIST_LIMIT_DEFAULT 10
#define FAKE_LIST_LIMIT_MAX 100

/** Page parameters, embedded in every list operation's params. */
typedef struct fake_list_params {
	int limit;                  /**< 1..100; 0 means the default, 10 */
	const char *starting_after; /**< the page after this object (older) */
	const char *ending_before;  /**< the page before this object (newer); exclusive with starting_after */
} fake_list_params;

/** One page of a list. A value type: the caller provides the storage. */
typedef struct fake_list {
	size_t count;                          /**< objects in data */
	bool has_more;                         /**< more objects past this page, in its direction */
	const void *data[FAKE_LIST_LIMIT_MAX]; /**< borrowed objects, newest first */
} fake_list;

/**
 * Walks every page of a list operation, one object at a time (Stripe's
 * auto-pagination). Its fields are private.
 */
typedef struct fake_list_iter {
	fake_processor *p;
	fake_op op;
	const void *params;
	const fake_request *request;
	fake_list page;
	size_t pos;
	bool started;
	bool backward;
	char cursor[FAKE_ID_MAX + 1];
} fake_list_iter;

/**
 * Prepares an iterator over list operation @p op (FAKE_OP_LIST_CUSTOMERS,
 * FAKE_OP_LIST_PAYMENT_METHODS, FAKE_OP_LIST_EVENTS, FAKE_OP_LIST_PRODUCTS,
 * FAKE_OP_LIST_PRICES, FAKE_OP_LIST_PAYMENT_INTENTS, FAKE_OP_LIST_CHARGES,
 * FAKE_OP_LIST_REFUNDS, FAKE_OP_LIST_SETUP_INTENTS, FAKE_OP_LIST_WEBHOOK_ENDPOINTS,
 * FAKE_OP_LIST_SUBSCRIPTIONS, FAKE_OP_LIST_SUBSCRIPTION_ITEMS, FAKE_OP_LIST_INVOICES,
 * FAKE_OP_LIST_INVOICE_ITEMS, FAKE_OP_LIST_TEST_CLOCKS)
 * with that operation's params
 * (`fake_customer_list_params` ...). Nothing is fetched yet. The
 * params and request must stay valid while the iterator is used. When the
 * params give ending_before, the walk goes towards newer objects, oldest
 * first; otherwise it goes towards older objects, newest first.
 */
FAKE_EXTERN void fake_list_iter_init(fake_list_iter *it, fake_processor *p, fake_op op,
				     const void *params, const fake_request *request);

/**
 * The next object. Each page fetched is one call of the list operation, so
 * it is counted, and can be scripted or stubbed.
 * @param out receives a borrowed object pointer, or NULL at the end.
 * @return 0 with an object; FAKE_ITEROVER when no objects remain; a
 *         negative status from the list operation (FAKE_EINVAL when @p it or
 *         @p out is NULL or @p op is not a list operation).
 */
FAKE_EXTERN int fake_list_iter_next(const void **out, fake_list_iter *it);

#ifdef __cplusplus
}
#endif

#endif
