/*
 * Customers (fake/customer.h): create, retrieve, update, delete, list, and
 * setting the default payment method. docs/customers.md describes them.
 */
#include "private.h"

static const fake_customer_create_params create_defaults = FAKE_CUSTOMER_CREATE_PARAMS_INIT;

/* Copies an optional string parameter; "" means unset (NULL). */
static const char *copy_field(fake_processor *p, const char *s, bool *ok)
{
	return s && s[0] ? fake__arena_strdup(p, s, ok) : NULL;
}

static int check_fields(fake_processor *p, const char *email, const char *name, const char *description,
			const char *phone)
{
	if (fake__check_string(p, email, FAKE_CUSTOMER_EMAIL_MAX, "email") ||
	    fake__check_string(p, name, FAKE_CUSTOMER_NAME_MAX, "name") ||
	    fake__check_string(p, description, FAKE_CUSTOMER_DESCRIPTION_MAX, "description") ||
	    fake__check_string(p, phone, FAKE_CUSTOMER_PHONE_MAX, "phone"))
		return p->error->status;
	return 0;
}

static int not_attached(fake_processor *p, const char *pm_id)
{
	return fake__error_set(p, FAKE_EINVAL, "", "invoice_settings[default_payment_method]",
			       "The customer does not have a payment method with the ID %s. The payment method must be attached to the customer.",
			       pm_id);
}

/* The live test clock `id` names, for a customer to live on or a list to filter by. */
static int find_clock(struct fake_test_clock **out, fake_processor *p, const char *id)
{
	void *found = NULL;
	int rc = fake__store_get_live(&found, p, FAKE_OBJECT_TEST_CLOCK, id, "test_clock");
	*out = found;
	return rc;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	const fake_customer_create_params *params = ctx->call.params ? ctx->call.params : &create_defaults;
	if (fake__check_version(p, params->version, FAKE_CUSTOMER_CREATE_PARAMS_VERSION,
				"fake_customer_create_params") ||
	    check_fields(p, params->email, params->name, params->description, params->phone) ||
	    fake__metadata_check(p, params->metadata, params->metadata_count))
		return p->error->status;
	struct fake_test_clock *clock = NULL;
	if (params->test_clock) {
		if (find_clock(&clock, p, params->test_clock))
			return p->error->status;
		fake__clock_enter(p, clock); /* the customer is created at the clock's frozen_time */
	}
	if (params->default_payment_method) {
		if (fake__check_id(p, params->default_payment_method, "invoice_settings[default_payment_method]"))
			return p->error->status;
		if (!params->payment_method || strcmp(params->payment_method, params->default_payment_method) != 0)
			return not_attached(p, params->default_payment_method);
	}

	fake_payment_method *pm = NULL;
	if (params->payment_method && fake__payment_method_resolve(&pm, p, params->payment_method, "payment_method"))
		return p->error->status;

	struct fake_customer *c = fake__object_new(p, FAKE_OBJECT_CUSTOMER, sizeof(*c));
	if (!c)
		return fake__error_nomem(p);
	bool ok = true;
	c->email = copy_field(p, params->email, &ok);
	c->name = copy_field(p, params->name, &ok);
	c->description = copy_field(p, params->description, &ok);
	c->phone = copy_field(p, params->phone, &ok);
	if (pm && params->default_payment_method)
		c->default_payment_method = pm->obj.id;
	if (clock)
		c->test_clock = clock->obj.id;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&c->metadata, p, &fake__metadata_empty, params->metadata, params->metadata_count,
				 false))
		return p->error->status;
	if (fake__store_add(p, c) || fake__event_emit(p, ctx, FAKE__EVT_CUSTOMER_CREATED, c, NULL, NULL, 0))
		return p->error->status;
	if (pm && fake__payment_method_attach(p, ctx, pm, c))
		return p->error->status;
	*(const fake_customer **)out = c;
	return 0;
}

int fake_customer_create(const fake_customer **out, fake_processor *p, const fake_customer_create_params *params,
			 const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_CUSTOMER, NULL, params, request, out, create);
}

int fake_customer_retrieve(const fake_customer **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_CUSTOMER, id, NULL, request, out, fake__op_retrieve);
}

/* Applies an update to customer c: builds the new version, emits
 * customer.updated if anything changed, then writes it. */
static int apply(fake_processor *p, fake__ctx *ctx, struct fake_customer *c, const fake_customer_update_params *u)
{
	if (check_fields(p, u->email, u->name, u->description, u->phone) ||
	    fake__metadata_check(p, u->metadata, u->metadata_count))
		return p->error->status;
	const char *default_pm = c->default_payment_method;
	if (u->default_payment_method && !u->default_payment_method[0]) {
		default_pm = NULL;
	} else if (u->default_payment_method) {
		void *found = NULL;
		if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_METHOD, u->default_payment_method,
				    "invoice_settings[default_payment_method]"))
			return p->error->status;
		const fake_payment_method *pm = found;
		if (!pm->customer || strcmp(pm->customer, c->obj.id) != 0)
			return not_attached(p, u->default_payment_method);
		default_pm = pm->obj.id;
	}

	struct fake_customer next = *c;
	bool ok = true;
	if (u->email)
		next.email = copy_field(p, u->email, &ok);
	if (u->name)
		next.name = copy_field(p, u->name, &ok);
	if (u->description)
		next.description = copy_field(p, u->description, &ok);
	if (u->phone)
		next.phone = copy_field(p, u->phone, &ok);
	next.default_payment_method = default_pm;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&next.metadata, p, c->metadata, u->metadata, u->metadata_count, u->metadata_clear))
		return p->error->status;

	static const char *const names[] = { "description", "email", "invoice_settings", "metadata", "name", "phone" };
	const bool differs[] = {
		!fake__same(c->description, next.description),
		!fake__same(c->email, next.email),
		!fake__same(c->default_payment_method, next.default_payment_method),
		!fake__metadata_equal(c->metadata, next.metadata),
		!fake__same(c->name, next.name),
		!fake__same(c->phone, next.phone),
	};
	size_t n;
	const char *const *changed = fake__event_changed(p, names, differs, FAKE__COUNT(names), &n);
	if (!changed)
		return FAKE_ENOMEM;
	if (!n)
		return 0;
	if (fake__event_emit(p, ctx, FAKE__EVT_CUSTOMER_UPDATED, &next, c, changed, n))
		return p->error->status;
	if (fake__object_commit(p, c, &next))
		return p->error->status;
	return 0;
}

static int update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_customer_update_params defaults = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer_update_params *u = ctx->call.params ? ctx->call.params : &defaults;
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_CUSTOMER, ctx->call.id, "id") ||
	    fake__check_version(p, u->version, FAKE_CUSTOMER_UPDATE_PARAMS_VERSION, "fake_customer_update_params") ||
	    apply(p, ctx, found, u))
		return p->error->status;
	*(const fake_customer **)out = found;
	return 0;
}

int fake_customer_update(const fake_customer **out, fake_processor *p, const char *id,
			 const fake_customer_update_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_CUSTOMER, id, params, request, out, update);
}

static int set_default(void *out, fake_processor *p, fake__ctx *ctx)
{
	const char *pm_id = ctx->call.params;
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_CUSTOMER, ctx->call.id, "customer") ||
	    fake__check_id(p, pm_id, "invoice_settings[default_payment_method]"))
		return p->error->status;
	fake_customer_update_params u = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	u.default_payment_method = pm_id;
	if (apply(p, ctx, found, &u))
		return p->error->status;
	*(const fake_customer **)out = found;
	return 0;
}

int fake_customer_set_default_payment_method(const fake_customer **out, fake_processor *p, const char *customer_id,
					     const char *payment_method_id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_SET_DEFAULT_PAYMENT_METHOD, customer_id, payment_method_id, request, out,
			    set_default);
}

int fake__customer_delete(fake_processor *p, fake__ctx *ctx, struct fake_customer *c)
{
	/* Stripe cancels the customer's subscriptions and detaches its
	 * payment methods. */
	const fake__table *subs = &p->tables[FAKE_OBJECT_SUBSCRIPTION];
	for (size_t i = 0; i < subs->len; i++) {
		struct fake_subscription *sub = (struct fake_subscription *)subs->items[i];
		if (strcmp(sub->customer, c->obj.id) == 0 && !fake__subscription_ended(sub) &&
		    fake__subscription_end(p, ctx, sub, FAKE_SUB_CANCELED))
			return p->error->status;
	}
	if (fake__event_emit(p, ctx, FAKE__EVT_CUSTOMER_DELETED, c, NULL, NULL, 0))
		return p->error->status;
	const fake__table *pms = &p->tables[FAKE_OBJECT_PAYMENT_METHOD];
	for (size_t i = 0; i < pms->len; i++) {
		fake_payment_method *pm = (fake_payment_method *)pms->items[i];
		if (!pm->customer || strcmp(pm->customer, c->obj.id) != 0)
			continue;
		fake_payment_method next = *pm;
		next.customer = NULL;
		next.detached = true;
		if (fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_METHOD_DETACHED, &next, NULL, NULL, 0) ||
		    fake__object_commit(p, pm, &next))
			return p->error->status;
	}
	struct fake_customer next = *c;
	next.default_payment_method = NULL;
	next.obj.flags |= FAKE__DELETED;
	return fake__object_commit(p, c, &next);
}

static int delete(void *out, fake_processor *p, fake__ctx *ctx)
{
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_CUSTOMER, ctx->call.id, "id") ||
	    fake__customer_delete(p, ctx, found))
		return p->error->status;
	*(const fake_customer **)out = found;
	return 0;
}

int fake_customer_delete(const fake_customer **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_DELETE_CUSTOMER, id, NULL, request, out, delete);
}

typedef struct list_filter {
	const char *email;
	const char *clock; /* the customers of this clock; NULL: of none */
} list_filter;

static bool list_match(const fake__object *o, const void *ctx)
{
	const list_filter *f = ctx;
	const struct fake_customer *c = (const struct fake_customer *)o;
	return (!f->email || (c->email && strcmp(c->email, f->email) == 0)) && fake__same(c->test_clock, f->clock);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_customer_list_params defaults = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	const fake_customer_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_CUSTOMER_LIST_PARAMS_VERSION, "fake_customer_list_params") ||
	    fake__check_string(p, params->email, FAKE_CUSTOMER_EMAIL_MAX, "email"))
		return p->error->status;
	list_filter f = { params->email, NULL };
	if (params->test_clock) {
		struct fake_test_clock *clock = NULL;
		if (find_clock(&clock, p, params->test_clock))
			return p->error->status;
		f.clock = clock->obj.id;
	}
	return fake__list_page(out, p, FAKE_OBJECT_CUSTOMER, &params->page, list_match, &f);
}

int fake_customer_list(fake_list *out, fake_processor *p, const fake_customer_list_params *params,
		       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_CUSTOMERS, NULL, params, request, out, list);
}

const char *fake_customer_id(const fake_customer *c)
{
	return c ? c->obj.id : NULL;
}

int64_t fake_customer_created(const fake_customer *c)
{
	return c ? c->obj.created : 0;
}

const char *fake_customer_email(const fake_customer *c)
{
	return c ? c->email : NULL;
}

const char *fake_customer_name(const fake_customer *c)
{
	return c ? c->name : NULL;
}

const char *fake_customer_description(const fake_customer *c)
{
	return c ? c->description : NULL;
}

const char *fake_customer_phone(const fake_customer *c)
{
	return c ? c->phone : NULL;
}

const fake_metadata *fake_customer_metadata(const fake_customer *c)
{
	return c ? c->metadata : NULL;
}

const char *fake_customer_default_payment_method(const fake_customer *c)
{
	return c ? c->default_payment_method : NULL;
}

const char *fake_customer_test_clock(const fake_customer *c)
{
	return c ? c->test_clock : NULL;
}

bool fake_customer_deleted(const fake_customer *c)
{
	return c && (c->obj.flags & FAKE__DELETED);
}

int64_t fake_customer_balance(const fake_customer *c)
{
	return c ? c->balance : 0;
}
