/*
 * Prices (fake/price.h): create (with an existing product or product_data),
 * retrieve, update, list. Lookup keys are unique among prices and can be
 * transferred. docs/products-and-prices.md describes them.
 */
#include "private.h"

static const char *const interval_names[] = {
	[FAKE_INTERVAL_NONE] = NULL,
	[FAKE_INTERVAL_DAY] = "day",
	[FAKE_INTERVAL_WEEK] = "week",
	[FAKE_INTERVAL_MONTH] = "month",
	[FAKE_INTERVAL_YEAR] = "year",
};

/* The most of each interval that fits in three years, Stripe's maximum
 * billing interval (3 years, 36 months, 156 weeks, 1,095 days). */
static const unsigned int interval_max[] = {
	[FAKE_INTERVAL_NONE] = 0,
	[FAKE_INTERVAL_DAY] = 1095,
	[FAKE_INTERVAL_WEEK] = 156,
	[FAKE_INTERVAL_MONTH] = 36,
	[FAKE_INTERVAL_YEAR] = 3,
};

/* The price holding `key`, or NULL. */
static struct fake_price *lookup_key_holder(const fake_processor *p, const char *key)
{
	const fake__table *t = &p->tables[FAKE_OBJECT_PRICE];
	for (size_t i = 0; i < t->len; i++) {
		struct fake_price *price = (struct fake_price *)t->items[i];
		if (price->lookup_key && strcmp(price->lookup_key, key) == 0)
			return price;
	}
	return NULL;
}

/* Takes `key` for `self`: when another price holds it, that is an error
 * unless `transfer`, in which case *holder receives that price, and its
 * price.updated event (lookup_key cleared) is emitted; the caller commits
 * *cleared into *holder once nothing can fail. */
static int take_lookup_key(fake_processor *p, fake__ctx *ctx, const char *key, bool transfer,
			   const struct fake_price *self, struct fake_price **holder, struct fake_price *cleared)
{
	*holder = NULL;
	if (!key || !key[0]) {
		if (transfer)
			return fake__error_set(p, FAKE_EINVAL, "", "transfer_lookup_key",
					       "Invalid transfer_lookup_key: it needs a lookup_key to transfer.");
		return 0;
	}
	if (fake__check_string(p, key, FAKE_PRICE_LOOKUP_KEY_MAX, "lookup_key"))
		return p->error->status;
	struct fake_price *other = lookup_key_holder(p, key);
	if (!other || other == self)
		return 0;
	if (!transfer)
		return fake__error_set(p, FAKE_EINVAL, "lookup_key_already_exists", "lookup_key",
				       "A price (%s) already uses the lookup key '%s'; pass transfer_lookup_key to move it.",
				       other->obj.id, key);
	static const char *const changed[] = { "lookup_key" };
	*cleared = *other;
	cleared->lookup_key = NULL;
	if (fake__event_emit(p, ctx, FAKE__EVT_PRICE_UPDATED, cleared, other, changed, 1))
		return p->error->status;
	*holder = other;
	return 0;
}

static int check_recurring(fake_processor *p, const fake_price_create_params *c)
{
	if ((unsigned int)c->interval > FAKE_INTERVAL_YEAR)
		return fake__error_set(p, FAKE_EINVAL, "", "recurring[interval]",
				       "Invalid recurring[interval]: %d is not a fake_interval.", (int)c->interval);
	if (c->usage_type != FAKE_USAGE_LICENSED && c->usage_type != FAKE_USAGE_METERED)
		return fake__error_set(p, FAKE_EINVAL, "", "recurring[usage_type]",
				       "Invalid recurring[usage_type]: %d is not a fake_usage_type.", (int)c->usage_type);
	if (c->interval == FAKE_INTERVAL_NONE) {
		if (c->interval_count)
			return fake__error_set(p, FAKE_EINVAL, "", "recurring[interval_count]",
					       "Invalid recurring[interval_count]: a one-time price has no interval.");
		if (c->usage_type == FAKE_USAGE_METERED)
			return fake__error_set(p, FAKE_EINVAL, "", "recurring[usage_type]",
					       "Invalid recurring[usage_type]: only recurring prices can be metered.");
		return 0;
	}
	unsigned int count = c->interval_count ? c->interval_count : 1;
	if (count > interval_max[c->interval])
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "recurring[interval_count]",
				       "Invalid recurring[interval_count]: the longest interval is three years (3 years, 36 months, 156 weeks or 1095 days); %u %ss is longer.",
				       count, interval_names[c->interval]);
	return 0;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_price_create_params defaults = FAKE_PRICE_CREATE_PARAMS_INIT;
	const fake_price_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	char currency[4];
	if (fake__check_version(p, c->version, FAKE_PRICE_CREATE_PARAMS_VERSION, "fake_price_create_params") ||
	    fake__check_currency(p, c->currency, currency))
		return p->error->status;
	if (c->unit_amount == -1)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "unit_amount",
				       "Missing required param: unit_amount.");
	if (c->unit_amount < 0 || c->unit_amount > FAKE_PRICE_UNIT_AMOUNT_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "unit_amount",
				       "Invalid unit_amount: %lld; it must be between 0 and %lld.",
				       (long long)c->unit_amount, (long long)FAKE_PRICE_UNIT_AMOUNT_MAX);
	if (!c->product == !c->product_name)
		return fake__error_set(p, FAKE_EINVAL, c->product ? "" : "parameter_missing", "product",
				       "Give exactly one of product and product_data[name].");
	if (check_recurring(p, c) || fake__check_string(p, c->nickname, FAKE_PRICE_NICKNAME_MAX, "nickname") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;

	const fake_product *product = NULL;
	if (c->product) {
		void *found = NULL;
		if (fake__store_get(&found, p, FAKE_OBJECT_PRODUCT, c->product, "product"))
			return p->error->status;
		product = found;
	} else {
		if (!c->product_name[0])
			return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_empty", "product_data[name]",
					       "Invalid product_data[name]: it cannot be empty.");
		if (fake__check_string(p, c->product_name, FAKE_PRODUCT_NAME_MAX, "product_data[name]"))
			return p->error->status;
		fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
		pp.name = c->product_name;
		if (fake__product_new(&product, p, ctx, &pp))
			return p->error->status;
	}

	struct fake_price *price = fake__object_new(p, FAKE_OBJECT_PRICE, sizeof(*price));
	if (!price)
		return fake__error_nomem(p);
	bool ok = true;
	price->product = product->obj.id;
	price->currency = fake__arena_strdup(p, currency, &ok);
	price->unit_amount = c->unit_amount;
	price->interval = c->interval;
	price->interval_count = c->interval == FAKE_INTERVAL_NONE ? 0 : (c->interval_count ? c->interval_count : 1);
	price->usage_type = c->usage_type;
	price->lookup_key = c->lookup_key && c->lookup_key[0] ? fake__arena_strdup(p, c->lookup_key, &ok) : NULL;
	price->nickname = c->nickname && c->nickname[0] ? fake__arena_strdup(p, c->nickname, &ok) : NULL;
	price->active = !c->inactive;
	if (!ok)
		return fake__error_nomem(p);
	struct fake_price *holder, cleared;
	if (fake__metadata_merge(&price->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    take_lookup_key(p, ctx, c->lookup_key, c->transfer_lookup_key, NULL, &holder, &cleared) ||
	    fake__store_add(p, price) || fake__event_emit(p, ctx, FAKE__EVT_PRICE_CREATED, price, NULL, NULL, 0))
		return p->error->status;
	if (holder && fake__object_commit(p, holder, &cleared))
		return p->error->status;
	*(const fake_price **)out = price;
	return 0;
}

int fake_price_create(const fake_price **out, fake_processor *p, const fake_price_create_params *params,
		      const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_PRICE, NULL, params, request, out, create);
}

int fake_price_retrieve(const fake_price **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_PRICE, id, NULL, request, out, fake__op_retrieve);
}

static int update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_price_update_params defaults = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price_update_params *u = ctx->call.params ? ctx->call.params : &defaults;
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PRICE, ctx->call.id, "id") ||
	    fake__check_version(p, u->version, FAKE_PRICE_UPDATE_PARAMS_VERSION, "fake_price_update_params") ||
	    fake__check_active_change(p, u->active) ||
	    fake__check_string(p, u->nickname, FAKE_PRICE_NICKNAME_MAX, "nickname") ||
	    fake__metadata_check(p, u->metadata, u->metadata_count))
		return p->error->status;
	struct fake_price *price = found;
	if (u->transfer_lookup_key && (!u->lookup_key || !u->lookup_key[0]))
		return fake__error_set(p, FAKE_EINVAL, "", "transfer_lookup_key",
				       "Invalid transfer_lookup_key: it needs a lookup_key to transfer.");

	struct fake_price next = *price;
	bool ok = true;
	next.active = fake__apply_active(u->active, price->active);
	if (u->lookup_key)
		next.lookup_key = u->lookup_key[0] ? fake__arena_strdup(p, u->lookup_key, &ok) : NULL;
	if (u->nickname)
		next.nickname = u->nickname[0] ? fake__arena_strdup(p, u->nickname, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&next.metadata, p, price->metadata, u->metadata, u->metadata_count, u->metadata_clear))
		return p->error->status;

	static const char *const names[] = { "active", "lookup_key", "metadata", "nickname" };
	const bool differs[] = {
		price->active != next.active,
		!fake__same(price->lookup_key, next.lookup_key),
		!fake__metadata_equal(price->metadata, next.metadata),
		!fake__same(price->nickname, next.nickname),
	};
	size_t n;
	const char *const *changed = fake__event_changed(p, names, differs, FAKE__COUNT(names), &n);
	if (!changed)
		return FAKE_ENOMEM;
	struct fake_price *holder = NULL, cleared;
	if (differs[1] && take_lookup_key(p, ctx, next.lookup_key, u->transfer_lookup_key, price, &holder, &cleared))
		return p->error->status;
	if (n) {
		if (fake__event_emit(p, ctx, FAKE__EVT_PRICE_UPDATED, &next, price, changed, n))
			return p->error->status;
		if (holder && fake__object_commit(p, holder, &cleared))
			return p->error->status;
		if (fake__object_commit(p, price, &next))
			return p->error->status;
	}
	*(const fake_price **)out = price;
	return 0;
}

int fake_price_update(const fake_price **out, fake_processor *p, const char *id, const fake_price_update_params *params,
		      const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_PRICE, id, params, request, out, update);
}

typedef struct list_filter_ctx {
	const fake_price_list_params *params;
	const char *product;  /* the product's id, or NULL */
	const char *currency; /* lowercase, or NULL */
} list_filter_ctx;

static bool list_filter(const fake__object *o, const void *ctx)
{
	const list_filter_ctx *f = ctx;
	const struct fake_price *price = (const struct fake_price *)o;
	fake_price_type_filter type = f->params->type;
	return fake__active_matches(f->params->active, price->active) &&
	       (!f->product || strcmp(price->product, f->product) == 0) &&
	       (!f->currency || strcmp(price->currency, f->currency) == 0) &&
	       (type == FAKE_PRICE_ANY_TYPE || (type == FAKE_PRICE_RECURRING) == (price->interval != FAKE_INTERVAL_NONE)) &&
	       (!f->params->lookup_key || fake__same(price->lookup_key, f->params->lookup_key));
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_price_list_params defaults = FAKE_PRICE_LIST_PARAMS_INIT;
	const fake_price_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	char currency[4];
	list_filter_ctx f = { params, NULL, NULL };
	if (fake__check_version(p, params->version, FAKE_PRICE_LIST_PARAMS_VERSION, "fake_price_list_params") ||
	    fake__check_active_filter(p, params->active) ||
	    fake__check_string(p, params->lookup_key, FAKE_PRICE_LOOKUP_KEY_MAX, "lookup_key") ||
	    (params->currency && fake__check_currency(p, params->currency, currency)))
		return p->error->status;
	if (params->type != FAKE_PRICE_ANY_TYPE && params->type != FAKE_PRICE_ONE_TIME &&
	    params->type != FAKE_PRICE_RECURRING)
		return fake__error_set(p, FAKE_EINVAL, "", "type", "Invalid type: %d is not a fake_price_type_filter.",
				       (int)params->type);
	if (params->product) {
		void *product = NULL;
		if (fake__store_get(&product, p, FAKE_OBJECT_PRODUCT, params->product, "product"))
			return p->error->status;
		f.product = ((const fake__object *)product)->id;
	}
	f.currency = params->currency ? currency : NULL;
	return fake__list_page(out, p, FAKE_OBJECT_PRICE, &params->page, list_filter, &f);
}

int fake_price_list(fake_list *out, fake_processor *p, const fake_price_list_params *params,
		    const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_PRICES, NULL, params, request, out, list);
}

const char *fake_price_id(const fake_price *price)
{
	return price ? price->obj.id : NULL;
}

int64_t fake_price_created(const fake_price *price)
{
	return price ? price->obj.created : 0;
}

const char *fake_price_product(const fake_price *price)
{
	return price ? price->product : NULL;
}

const char *fake_price_currency(const fake_price *price)
{
	return price ? price->currency : NULL;
}

int64_t fake_price_unit_amount(const fake_price *price)
{
	return price ? price->unit_amount : 0;
}

const char *fake_price_type(const fake_price *price)
{
	if (!price)
		return NULL;
	return price->interval == FAKE_INTERVAL_NONE ? "one_time" : "recurring";
}

fake_interval fake_price_interval(const fake_price *price)
{
	return price ? price->interval : FAKE_INTERVAL_NONE;
}

const char *fake_price_interval_name(const fake_price *price)
{
	return price ? interval_names[price->interval] : NULL;
}

unsigned int fake_price_interval_count(const fake_price *price)
{
	return price ? price->interval_count : 0;
}

fake_usage_type fake_price_usage_type(const fake_price *price)
{
	return price ? price->usage_type : FAKE_USAGE_LICENSED;
}

const char *fake_price_lookup_key(const fake_price *price)
{
	return price ? price->lookup_key : NULL;
}

const char *fake_price_nickname(const fake_price *price)
{
	return price ? price->nickname : NULL;
}

bool fake_price_active(const fake_price *price)
{
	return price && price->active;
}

const fake_metadata *fake_price_metadata(const fake_price *price)
{
	return price ? price->metadata : NULL;
}

int fake__price_resolve(const struct fake_price **out, fake_processor *p, fake__ctx *ctx, const char *price,
			const fake_price_data *data, bool recurring, const char *param)
{
	*out = NULL;
	if (!price == !data)
		return fake__error_set(p, FAKE_EINVAL, price ? "" : "parameter_missing", param,
				       "Give exactly one of %s[price] and %s[price_data].", param, param);
	if (data) {
		if (recurring && data->interval == FAKE_INTERVAL_NONE)
			return fake__error_set(p, FAKE_EINVAL, "parameter_missing", param,
					       "Missing required param: %s[price_data][recurring][interval].", param);
		if (!recurring && data->interval != FAKE_INTERVAL_NONE)
			return fake__error_set(p, FAKE_EINVAL, "", param,
					       "Invalid %s[price_data]: an invoice item's price is one-time.", param);
		if (!data->product)
			return fake__error_set(p, FAKE_EINVAL, "parameter_missing", param,
					       "Missing required param: %s[price_data][product].", param);
		/* Stripe makes a real price for inline price data, inactive. */
		fake_price_create_params c = FAKE_PRICE_CREATE_PARAMS_INIT;
		c.currency = data->currency;
		c.unit_amount = data->unit_amount;
		c.product = data->product;
		c.interval = data->interval;
		c.interval_count = data->interval_count;
		c.inactive = true;
		fake__ctx inner = *ctx;
		inner.call.params = &c;
		const fake_price *made = NULL;
		int rc = create(&made, p, &inner);
		ctx->request_id = inner.request_id;
		*out = made;
		return rc;
	}
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PRICE, price, param))
		return p->error->status;
	const struct fake_price *pr = found;
	if (!pr->active)
		return fake__error_set(p, FAKE_EINVAL, "", param,
				       "The price specified is inactive. This field only accepts active prices: '%s'.", price);
	if (recurring && pr->interval == FAKE_INTERVAL_NONE)
		return fake__error_set(p, FAKE_EINVAL, "", param,
				       "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`: '%s'.",
				       price);
	if (!recurring && pr->interval != FAKE_INTERVAL_NONE)
		return fake__error_set(p, FAKE_EINVAL, "", param,
				       "The price specified is set to `type=recurring` but this field only accepts prices with `type=one_time`: '%s'.",
				       price);
	*out = pr;
	return 0;
}

const char *fake__product_name(const fake_processor *p, const struct fake_price *price)
{
	const fake__object *o = fake__store_find(p, price->product);
	return o ? ((const struct fake_product *)o)->name : price->product;
}
