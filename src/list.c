/*
 * Stripe's cursor pagination over a type table (newest first), and the
 * iterator that walks every page of a list operation.
 */
#include "private.h"

static bool listed(const fake__object *o, fake__filter_fn filter, const void *ctx)
{
	return !(o->flags & FAKE__DELETED) && (!filter || filter(o, ctx));
}

static int cursor(const fake__object **out, fake_processor *p, fake_object_type type, const char *id,
		  const char *param)
{
	void *o = NULL;
	int rc = fake__store_get(&o, p, type, id, param);
	*out = o;
	return rc;
}

int fake__list_page(fake_list *out, fake_processor *p, fake_object_type type, const fake_list_params *page,
		    fake__filter_fn filter, const void *filter_ctx)
{
	int limit = page->limit ? page->limit : FAKE_LIST_LIMIT_DEFAULT;
	if (limit < 1 || limit > FAKE_LIST_LIMIT_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "limit",
				       "Invalid limit: %d. It must be between 1 and %d.", page->limit,
				       FAKE_LIST_LIMIT_MAX);
	if (page->starting_after && page->ending_before)
		return fake__error_set(p, FAKE_EINVAL, "", "ending_before",
				       "You may only specify one of these parameters: ending_before, starting_after.");

	const fake__table *t = &p->tables[type];
	const fake__object *at = NULL;
	if (page->starting_after && cursor(&at, p, type, page->starting_after, "starting_after"))
		return p->error->status;
	if (page->ending_before && cursor(&at, p, type, page->ending_before, "ending_before"))
		return p->error->status;

	out->count = 0;
	out->has_more = false;
	if (page->ending_before) {
		/* The `limit` listed objects just newer than the cursor, newest first. */
		size_t i = at->pos + 1;
		for (; i < t->len && out->count < (size_t)limit; i++)
			if (listed(t->items[i], filter, filter_ctx))
				out->data[out->count++] = t->items[i];
		for (; i < t->len && !out->has_more; i++)
			out->has_more = listed(t->items[i], filter, filter_ctx);
		for (size_t a = 0, b = out->count; a + 1 < b; a++, b--) {
			const void *tmp = out->data[a];
			out->data[a] = out->data[b - 1];
			out->data[b - 1] = tmp;
		}
		return 0;
	}
	size_t i = at ? at->pos : t->len;
	while (i > 0 && out->count < (size_t)limit) {
		const fake__object *o = t->items[--i];
		if (listed(o, filter, filter_ctx))
			out->data[out->count++] = o;
	}
	while (i > 0 && !out->has_more)
		out->has_more = listed(t->items[--i], filter, filter_ctx);
	return 0;
}

typedef struct field_filter {
	size_t offset; /* of a `const char *` field in the object's struct */
	const char *value;
} field_filter;

static bool field_equals(const fake__object *o, const void *ctx)
{
	const field_filter *f = ctx;
	const char *field = *(const char *const *)(const void *)((const char *)o + f->offset);
	return fake__same(field, f->value);
}

int fake__list_by_customer(fake_list *out, fake_processor *p, fake_object_type type, const fake_list_params *page,
			   const char *customer, size_t customer_offset)
{
	field_filter f = { customer_offset, NULL };
	if (customer) {
		void *found = NULL;
		if (fake__store_get(&found, p, FAKE_OBJECT_CUSTOMER, customer, "customer"))
			return p->error->status;
		f.value = ((const fake__object *)found)->id;
	}
	return fake__list_page(out, p, type, page, customer ? field_equals : NULL, &f);
}

void fake_list_iter_init(fake_list_iter *it, fake_processor *p, fake_op op, const void *params,
			 const fake_request *request)
{
	if (!it)
		return;
	memset(it, 0, sizeof(*it));
	it->p = p;
	it->op = op;
	it->params = params;
	it->request = request;
}

/* The list operations the iterator can walk: each one's params type (its
 * size, where its page params are, its defaults) and its function. */
typedef int (*list_fn)(fake_list *out, fake_processor *p, const void *params, const fake_request *request);

static int customers(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_customer_list(out, p, params, request);
}

static int payment_methods(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_payment_method_list(out, p, params, request);
}

static int events(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_event_list(out, p, params, request);
}

static int products(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_product_list(out, p, params, request);
}

static int prices(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_price_list(out, p, params, request);
}

static int payment_intents(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_payment_intent_list(out, p, params, request);
}

static int charges(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_charge_list(out, p, params, request);
}

static int refunds(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_refund_list(out, p, params, request);
}

static int setup_intents(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_setup_intent_list(out, p, params, request);
}

static int webhook_endpoints(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_webhook_endpoint_list(out, p, params, request);
}

static int subscriptions(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_subscription_list(out, p, params, request);
}

static int subscription_items(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_subscription_item_list(out, p, params, request);
}

static int invoices(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_invoice_list(out, p, params, request);
}

static int invoice_items(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_invoice_item_list(out, p, params, request);
}

static int test_clocks(fake_list *out, fake_processor *p, const void *params, const fake_request *request)
{
	return fake_test_clock_list(out, p, params, request);
}

static const fake_customer_list_params customers_init = FAKE_CUSTOMER_LIST_PARAMS_INIT;
static const fake_payment_method_list_params payment_methods_init = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
static const fake_event_list_params events_init = FAKE_EVENT_LIST_PARAMS_INIT;
static const fake_product_list_params products_init = FAKE_PRODUCT_LIST_PARAMS_INIT;
static const fake_price_list_params prices_init = FAKE_PRICE_LIST_PARAMS_INIT;
static const fake_payment_intent_list_params payment_intents_init = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
static const fake_charge_list_params charges_init = FAKE_CHARGE_LIST_PARAMS_INIT;
static const fake_refund_list_params refunds_init = FAKE_REFUND_LIST_PARAMS_INIT;
static const fake_setup_intent_list_params setup_intents_init = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
static const fake_webhook_endpoint_list_params webhook_endpoints_init = FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_INIT;
static const fake_subscription_list_params subscriptions_init = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
static const fake_subscription_item_list_params subscription_items_init = FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT;
static const fake_invoice_list_params invoices_init = FAKE_INVOICE_LIST_PARAMS_INIT;
static const fake_invoice_item_list_params invoice_items_init = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
static const fake_test_clock_list_params test_clocks_init = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;

#define LIST(op, type, init, fn) { op, sizeof(type), offsetof(type, page), &init, fn }
static const struct list_op {
	fake_op op;
	size_t size;
	size_t page;
	const void *defaults;
	list_fn fn;
} list_ops[] = {
	LIST(FAKE_OP_LIST_CUSTOMERS, fake_customer_list_params, customers_init, customers),
	LIST(FAKE_OP_LIST_PAYMENT_METHODS, fake_payment_method_list_params, payment_methods_init, payment_methods),
	LIST(FAKE_OP_LIST_EVENTS, fake_event_list_params, events_init, events),
	LIST(FAKE_OP_LIST_PRODUCTS, fake_product_list_params, products_init, products),
	LIST(FAKE_OP_LIST_PRICES, fake_price_list_params, prices_init, prices),
	LIST(FAKE_OP_LIST_PAYMENT_INTENTS, fake_payment_intent_list_params, payment_intents_init, payment_intents),
	LIST(FAKE_OP_LIST_CHARGES, fake_charge_list_params, charges_init, charges),
	LIST(FAKE_OP_LIST_REFUNDS, fake_refund_list_params, refunds_init, refunds),
	LIST(FAKE_OP_LIST_SETUP_INTENTS, fake_setup_intent_list_params, setup_intents_init, setup_intents),
	LIST(FAKE_OP_LIST_WEBHOOK_ENDPOINTS, fake_webhook_endpoint_list_params, webhook_endpoints_init,
	     webhook_endpoints),
	LIST(FAKE_OP_LIST_SUBSCRIPTIONS, fake_subscription_list_params, subscriptions_init, subscriptions),
	LIST(FAKE_OP_LIST_SUBSCRIPTION_ITEMS, fake_subscription_item_list_params, subscription_items_init, subscription_items),
	LIST(FAKE_OP_LIST_INVOICES, fake_invoice_list_params, invoices_init, invoices),
	LIST(FAKE_OP_LIST_INVOICE_ITEMS, fake_invoice_item_list_params, invoice_items_init, invoice_items),
	LIST(FAKE_OP_LIST_TEST_CLOCKS, fake_test_clock_list_params, test_clocks_init, test_clocks),
};

/* Room for a copy of any list params struct. */
#define PARAMS_MAX 256
typedef union params_buf {
	max_align_t align;
	unsigned char bytes[PARAMS_MAX];
} params_buf;
_Static_assert(sizeof(fake_customer_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_subscription_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_subscription_item_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_invoice_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_invoice_item_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_payment_method_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_event_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_product_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_price_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_payment_intent_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_charge_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_refund_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_setup_intent_list_params) <= PARAMS_MAX, "list params too large");
_Static_assert(sizeof(fake_webhook_endpoint_list_params) <= PARAMS_MAX, "list params too large");

/* Fetches the next page: the first with the caller's params, the next ones
 * with the cursor moved past the last object seen. */
static int fetch(fake_list_iter *it)
{
	const struct list_op *l = NULL;
	for (size_t i = 0; i < FAKE__COUNT(list_ops); i++)
		if (list_ops[i].op == it->op)
			l = &list_ops[i];
	if (!l) {
		if (it->p)
			return fake__error_set(it->p, FAKE_EINVAL, "", "op", "Invalid op %d: not a list operation.",
					       (int)it->op);
		return FAKE_EINVAL;
	}
	params_buf params;
	const void *given = it->params ? it->params : l->defaults;
	size_t size = l->size;
	/* Version 1 of the subscription list params ends before test_clock. */
	if (it->op == FAKE_OP_LIST_SUBSCRIPTIONS && ((const fake_subscription_list_params *)given)->version == 1)
		size = offsetof(fake_subscription_list_params, test_clock);
	memset(params.bytes, 0, sizeof(params.bytes));
	memcpy(params.bytes, given, size);
	fake_list_params *page = (fake_list_params *)(void *)(params.bytes + l->page);
	if (!it->started) {
		it->backward = page->ending_before != NULL;
	} else if (it->backward) {
		page->ending_before = it->cursor;
		page->starting_after = NULL;
	} else {
		page->starting_after = it->cursor;
		page->ending_before = NULL;
	}
	it->pos = 0;

	int rc = l->fn(&it->page, it->p, params.bytes, it->request);
	if (rc) {
		/* Leave the walk where it was, so that the next call retries. */
		it->page.count = 0;
		it->page.has_more = true;
		return rc;
	}
	it->started = true;
	return 0;
}

int fake_list_iter_next(const void **out, fake_list_iter *it)
{
	if (out)
		*out = NULL;
	if (!out || !it)
		return FAKE_EINVAL;
	if (it->pos == it->page.count) {
		if (it->started && !it->page.has_more)
			return FAKE_ITEROVER;
		int rc = fetch(it);
		if (rc)
			return rc;
		if (!it->page.count)
			return FAKE_ITEROVER;
	}
	/* Walking backward (towards newer objects) yields oldest first, so the
	 * walk is monotonic; pages still come newest first, and the next
	 * cursor is the newest object of the page. */
	const void *o = it->backward ? it->page.data[it->page.count - 1 - it->pos] : it->page.data[it->pos];
	it->pos++;
	const void *edge = it->backward ? it->page.data[0] : it->page.data[it->page.count - 1];
	fake__copy(it->cursor, sizeof(it->cursor), fake_object_id(edge));
	*out = o;
	return 0;
}
