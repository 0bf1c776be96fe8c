/*
 * The event log. Events are objects like any other (type FAKE_OBJECT_EVENT,
 * ids evt_fake_...), so they live in the store's event table in the order
 * they happened. Each holds snapshots, never pointers to live objects.
 * Delivery to subscribers happens after the change that caused the event,
 * from one loop that never nests: events caused by a subscriber queue up
 * behind the one being delivered.
 */
#include "private.h"

static const char *const type_names[FAKE__EVT_COUNT] = {
	[FAKE__EVT_CUSTOMER_CREATED] = "customer.created",
	[FAKE__EVT_CUSTOMER_UPDATED] = "customer.updated",
	[FAKE__EVT_CUSTOMER_DELETED] = "customer.deleted",
	[FAKE__EVT_PAYMENT_METHOD_ATTACHED] = "payment_method.attached",
	[FAKE__EVT_PAYMENT_METHOD_DETACHED] = "payment_method.detached",
	[FAKE__EVT_PAYMENT_METHOD_UPDATED] = "payment_method.updated",
	[FAKE__EVT_PRODUCT_CREATED] = "product.created",
	[FAKE__EVT_PRODUCT_UPDATED] = "product.updated",
	[FAKE__EVT_PRICE_CREATED] = "price.created",
	[FAKE__EVT_PRICE_UPDATED] = "price.updated",
	[FAKE__EVT_PAYMENT_INTENT_CREATED] = "payment_intent.created",
	[FAKE__EVT_PAYMENT_INTENT_REQUIRES_ACTION] = "payment_intent.requires_action",
	[FAKE__EVT_PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED] = "payment_intent.amount_capturable_updated",
	[FAKE__EVT_PAYMENT_INTENT_SUCCEEDED] = "payment_intent.succeeded",
	[FAKE__EVT_PAYMENT_INTENT_PAYMENT_FAILED] = "payment_intent.payment_failed",
	[FAKE__EVT_PAYMENT_INTENT_CANCELED] = "payment_intent.canceled",
	[FAKE__EVT_CHARGE_SUCCEEDED] = "charge.succeeded",
	[FAKE__EVT_CHARGE_FAILED] = "charge.failed",
	[FAKE__EVT_CHARGE_CAPTURED] = "charge.captured",
	[FAKE__EVT_CHARGE_REFUNDED] = "charge.refunded",
	[FAKE__EVT_REFUND_CREATED] = "refund.created",
	[FAKE__EVT_SETUP_INTENT_CREATED] = "setup_intent.created",
	[FAKE__EVT_SETUP_INTENT_REQUIRES_ACTION] = "setup_intent.requires_action",
	[FAKE__EVT_SETUP_INTENT_SUCCEEDED] = "setup_intent.succeeded",
	[FAKE__EVT_SETUP_INTENT_SETUP_FAILED] = "setup_intent.setup_failed",
	[FAKE__EVT_SETUP_INTENT_CANCELED] = "setup_intent.canceled",
	[FAKE__EVT_SUBSCRIPTION_CREATED] = "customer.subscription.created",
	[FAKE__EVT_SUBSCRIPTION_UPDATED] = "customer.subscription.updated",
	[FAKE__EVT_SUBSCRIPTION_DELETED] = "customer.subscription.deleted",
	[FAKE__EVT_SUBSCRIPTION_TRIAL_WILL_END] = "customer.subscription.trial_will_end",
	[FAKE__EVT_SUBSCRIPTION_PAUSED] = "customer.subscription.paused",
	[FAKE__EVT_SUBSCRIPTION_RESUMED] = "customer.subscription.resumed",
	[FAKE__EVT_INVOICE_CREATED] = "invoice.created",
	[FAKE__EVT_INVOICE_UPDATED] = "invoice.updated",
	[FAKE__EVT_INVOICE_DELETED] = "invoice.deleted",
	[FAKE__EVT_INVOICE_FINALIZED] = "invoice.finalized",
	[FAKE__EVT_INVOICE_PAID] = "invoice.paid",
	[FAKE__EVT_INVOICE_PAYMENT_SUCCEEDED] = "invoice.payment_succeeded",
	[FAKE__EVT_INVOICE_PAYMENT_FAILED] = "invoice.payment_failed",
	[FAKE__EVT_INVOICE_PAYMENT_ACTION_REQUIRED] = "invoice.payment_action_required",
	[FAKE__EVT_INVOICE_VOIDED] = "invoice.voided",
	[FAKE__EVT_INVOICE_MARKED_UNCOLLECTIBLE] = "invoice.marked_uncollectible",
	[FAKE__EVT_INVOICE_SENT] = "invoice.sent",
	[FAKE__EVT_INVOICE_OVERDUE] = "invoice.overdue",
	[FAKE__EVT_INVOICE_UPCOMING] = "invoice.upcoming",
	[FAKE__EVT_INVOICEITEM_CREATED] = "invoiceitem.created",
	[FAKE__EVT_INVOICEITEM_DELETED] = "invoiceitem.deleted",
	[FAKE__EVT_TEST_CLOCK_CREATED] = "test_helpers.test_clock.created",
	[FAKE__EVT_TEST_CLOCK_ADVANCING] = "test_helpers.test_clock.advancing",
	[FAKE__EVT_TEST_CLOCK_READY] = "test_helpers.test_clock.ready",
	[FAKE__EVT_TEST_CLOCK_INTERNAL_FAILURE] = "test_helpers.test_clock.internal_failure",
	[FAKE__EVT_TEST_CLOCK_DELETED] = "test_helpers.test_clock.deleted",
};

fake_object_type fake__event_object_type(fake__event_type type)
{
	static const struct {
		const char *prefix;
		fake_object_type object;
	} carriers[] = {
		{ "customer.subscription.", FAKE_OBJECT_SUBSCRIPTION }, { "customer.", FAKE_OBJECT_CUSTOMER },
		{ "payment_method.", FAKE_OBJECT_PAYMENT_METHOD },      { "product.", FAKE_OBJECT_PRODUCT },
		{ "price.", FAKE_OBJECT_PRICE },                        { "payment_intent.", FAKE_OBJECT_PAYMENT_INTENT },
		{ "charge.", FAKE_OBJECT_CHARGE },                      { "refund.", FAKE_OBJECT_REFUND },
		{ "setup_intent.", FAKE_OBJECT_SETUP_INTENT },          { "invoiceitem.", FAKE_OBJECT_INVOICE_ITEM },
		{ "invoice.", FAKE_OBJECT_INVOICE },                    { "test_helpers.test_clock.", FAKE_OBJECT_TEST_CLOCK },
	};
	for (size_t i = 0; i < FAKE__COUNT(carriers); i++)
		if (strncmp(type_names[type], carriers[i].prefix, strlen(carriers[i].prefix)) == 0)
			return carriers[i].object;
	return FAKE_OBJECT_TYPE_COUNT;
}

fake__event_type fake__event_type_named(const char *name)
{
	for (int t = 0; t < FAKE__EVT_COUNT; t++)
		if (strcmp(type_names[t], name) == 0)
			return (fake__event_type)t;
	return FAKE__EVT_COUNT;
}

int fake__event_emit(fake_processor *p, fake__ctx *ctx, fake__event_type type, const void *object,
		     const void *previous, const char *const *changed, size_t changed_count)
{
	if (ctx && !ctx->events)
		return 0;
	if (!ctx && !p->options.synthesize_events)
		return 0;
	struct fake_event *e = fake__object_new(p, FAKE_OBJECT_EVENT, sizeof(*e));
	if (!e)
		return fake__error_nomem(p);
	e->type = type;
	e->object = fake__snapshot(p, object);
	if (!e->object)
		return fake__error_nomem(p);
	if (previous) {
		e->previous = fake__snapshot(p, previous);
		if (!e->previous)
			return fake__error_nomem(p);
		e->changed = changed;
		e->changed_count = changed_count;
	}
	if (ctx && !ctx->timeline) {
		if (!ctx->request_id) {
			bool ok = true;
			ctx->request_id = fake__arena_strdup(p, p->error->request_id, &ok);
			if (!ok)
				return fake__error_nomem(p);
		}
		e->request_id = ctx->request_id;
	}
	return fake__store_add(p, e);
}

const char *const *fake__event_changed(fake_processor *p, const char *const *names, const bool *differs, size_t n,
				       size_t *count)
{
	const char **changed = fake__arena_alloc(p, n * sizeof(*changed));
	*count = 0;
	if (!changed) {
		fake__error_nomem(p);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (differs[i])
			changed[(*count)++] = names[i];
	return changed;
}

static void dispatch(fake_processor *p)
{
	p->delivering = true;
	p->depth++;
	const fake__table *t = &p->tables[FAKE_OBJECT_EVENT];
	while (p->delivered < t->len) {
		struct fake_event *e = (struct fake_event *)t->items[p->delivered++];
		/* Subscribers added during delivery start with the next event;
		 * removed ones are blanked (fn NULL) and compacted afterwards. */
		size_t n = p->subscriber_count;
		for (size_t i = 0; i < n; i++)
			if (p->subscribers[i].fn)
				p->subscribers[i].fn(p, e, p->subscribers[i].user_data);
		fake__webhook_deliver(p, e);
	}
	size_t kept = 0;
	for (size_t i = 0; i < p->subscriber_count; i++)
		if (p->subscribers[i].fn)
			p->subscribers[kept++] = p->subscribers[i];
	p->subscriber_count = kept;
	p->depth--;
	p->delivering = false;
}

void fake__event_deliver(fake_processor *p)
{
	size_t recorded = p->tables[FAKE_OBJECT_EVENT].len;
	if (p->delivering || p->delivered == recorded)
		return;
	if (!p->subscriber_count && !p->tables[FAKE_OBJECT_WEBHOOK_ENDPOINT].len) {
		p->delivered = recorded;
		return;
	}
	/* Subscribers may make calls of their own; the caller still sees its
	 * own call's error record afterwards. */
	fake_error saved = *p->error;
	dispatch(p);
	*p->error = saved;
}

void fake__events_clear(fake_processor *p)
{
	p->delivered = 0;
	p->delivering = false;
	p->subscriber_count = 0;
}

void fake__events_free(fake_processor *p)
{
	fake__free(p, p->subscribers);
	p->subscribers = NULL;
	p->subscriber_cap = 0;
	fake__events_clear(p);
}

const char *fake_event_id(const fake_event *e)
{
	return e ? e->obj.id : NULL;
}

int64_t fake_event_created(const fake_event *e)
{
	return e ? e->obj.created : 0;
}

const char *fake_event_type(const fake_event *e)
{
	return e ? type_names[e->type] : NULL;
}

const void *fake_event_object(const fake_event *e)
{
	return e ? e->object : NULL;
}

const void *fake_event_previous(const fake_event *e)
{
	return e ? e->previous : NULL;
}

size_t fake_event_previous_attribute_count(const fake_event *e)
{
	return e ? e->changed_count : 0;
}

const char *fake_event_previous_attribute(const fake_event *e, size_t i)
{
	return e && i < e->changed_count ? e->changed[i] : NULL;
}

const char *fake_event_request_id(const fake_event *e)
{
	return e ? e->request_id : NULL;
}

unsigned int fake_event_pending_webhooks(const fake_event *e)
{
	return e ? e->pending_webhooks : 0;
}

size_t fake_event_count(const fake_processor *p)
{
	return p ? p->tables[FAKE_OBJECT_EVENT].len : 0;
}

int fake_event_retrieve(const fake_event **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_EVENT, id, NULL, request, out, fake__op_retrieve);
}

/* "customer.*" matches every type starting with "customer."; anything else
 * must match exactly. */
static bool type_matches(const fake__object *o, const void *ctx)
{
	const char *want = ctx;
	const char *type = type_names[((const struct fake_event *)o)->type];
	size_t n = strlen(want);
	if (n >= 2 && want[n - 1] == '*' && want[n - 2] == '.')
		return strncmp(type, want, n - 1) == 0;
	return strcmp(type, want) == 0;
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_event_list_params defaults = FAKE_EVENT_LIST_PARAMS_INIT;
	const fake_event_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_EVENT_LIST_PARAMS_VERSION, "fake_event_list_params") ||
	    fake__check_string(p, params->type, 255, "type"))
		return p->error->status;
	return fake__list_page(out, p, FAKE_OBJECT_EVENT, &params->page, params->type ? type_matches : NULL,
			       params->type);
}

int fake_event_list(fake_list *out, fake_processor *p, const fake_event_list_params *params,
		    const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_EVENTS, NULL, params, request, out, list);
}

static long subscriber_find(const fake_processor *p, fake_event_fn fn, void *user_data)
{
	for (size_t i = 0; i < p->subscriber_count; i++)
		if (p->subscribers[i].fn == fn && p->subscribers[i].user_data == user_data)
			return (long)i;
	return -1;
}

int fake_event_subscribe(fake_processor *p, fake_event_fn fn, void *user_data)
{
	if (!p)
		return FAKE_EINVAL;
	if (!fn)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "fn", "Missing required param: fn.");
	if (subscriber_find(p, fn, user_data) >= 0)
		return fake__error_set(p, FAKE_EINVAL, "", "fn",
				       "Invalid fn: this subscriber (fn, user_data) is already subscribed.");
	if (fake__grow(p, (void **)&p->subscribers, &p->subscriber_cap, p->subscriber_count + 1,
		       sizeof(*p->subscribers)))
		return FAKE_ENOMEM;
	p->subscribers[p->subscriber_count].fn = fn;
	p->subscribers[p->subscriber_count].user_data = user_data;
	p->subscriber_count++;
	fake__error_clear(p);
	return 0;
}

int fake_event_unsubscribe(fake_processor *p, fake_event_fn fn, void *user_data)
{
	if (!p)
		return FAKE_EINVAL;
	if (!fn)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "fn", "Missing required param: fn.");
	long i = subscriber_find(p, fn, user_data);
	if (i < 0)
		return fake__error_set(p, FAKE_ENOTFOUND, "", "fn", "No such subscriber: (fn, user_data) is not subscribed.");
	if (p->delivering) {
		p->subscribers[i].fn = NULL; /* compacted when delivery ends */
	} else {
		memmove(&p->subscribers[i], &p->subscribers[i + 1],
			(p->subscriber_count - (size_t)i - 1) * sizeof(*p->subscribers));
		p->subscriber_count--;
	}
	fake__error_clear(p);
	return 0;
}
