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
		return p->error.status;
	if (page->ending_before && cursor(&at, p, type, page->ending_before, "ending_before"))
		return p->error.status;

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

/* Fetches the next page: the first with the caller's params, the next ones
 * with the cursor moved past the last object seen. */
static int fetch(fake_list_iter *it)
{
	union {
		fake_customer_list_params customers;
		fake_payment_method_list_params payment_methods;
		fake_event_list_params events;
	} u;
	static const fake_customer_list_params customers = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	static const fake_payment_method_list_params payment_methods = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	static const fake_event_list_params events = FAKE_EVENT_LIST_PARAMS_INIT;
	fake_list_params *page;

	switch (it->op) {
	case FAKE_OP_LIST_CUSTOMERS:
		u.customers = it->params ? *(const fake_customer_list_params *)it->params : customers;
		page = &u.customers.page;
		break;
	case FAKE_OP_LIST_PAYMENT_METHODS:
		u.payment_methods = it->params ? *(const fake_payment_method_list_params *)it->params : payment_methods;
		page = &u.payment_methods.page;
		break;
	case FAKE_OP_LIST_EVENTS:
		u.events = it->params ? *(const fake_event_list_params *)it->params : events;
		page = &u.events.page;
		break;
	default:
		if (it->p)
			return fake__error_set(it->p, FAKE_EINVAL, "", "op", "Invalid op %d: not a list operation.",
					       (int)it->op);
		return FAKE_EINVAL;
	}
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

	int rc;
	switch (it->op) {
	case FAKE_OP_LIST_CUSTOMERS:
		rc = fake_customer_list(&it->page, it->p, &u.customers, it->request);
		break;
	case FAKE_OP_LIST_PAYMENT_METHODS:
		rc = fake_payment_method_list(&it->page, it->p, &u.payment_methods, it->request);
		break;
	default:
		rc = fake_event_list(&it->page, it->p, &u.events, it->request);
		break;
	}
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
