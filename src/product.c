/*
 * Products (fake/product.h): create, retrieve, update, list.
 * docs/products-and-prices.md describes them.
 */
#include "private.h"

static int check_name(fake_processor *p, const char *name, bool required)
{
	if (!name && !required)
		return 0;
	if (!name)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "name", "Missing required param: name.");
	if (!name[0])
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_empty", "name",
				       "You passed an empty string for 'name'. We assume empty values are an attempt to unset a parameter; however 'name' cannot be unset.");
	return fake__check_string(p, name, FAKE_PRODUCT_NAME_MAX, "name");
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_product_create_params defaults = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_PRODUCT_CREATE_PARAMS_VERSION, "fake_product_create_params") ||
	    check_name(p, c->name, true) ||
	    fake__check_string(p, c->description, FAKE_PRODUCT_DESCRIPTION_MAX, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	const fake_product *product = NULL;
	if (fake__product_new(&product, p, ctx, c))
		return p->error->status;
	*(const fake_product **)out = product;
	return 0;
}

int fake__product_new(const fake_product **out, fake_processor *p, fake__ctx *ctx,
		      const fake_product_create_params *c)
{
	struct fake_product *product = fake__object_new(p, FAKE_OBJECT_PRODUCT, sizeof(*product));
	if (!product)
		return fake__error_nomem(p);
	bool ok = true;
	product->name = fake__arena_strdup(p, c->name, &ok);
	product->description = c->description && c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	product->active = !c->inactive;
	product->updated = product->obj.created;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&product->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__store_add(p, product) || fake__event_emit(p, ctx, FAKE__EVT_PRODUCT_CREATED, product, NULL, NULL, 0))
		return p->error->status;
	*out = product;
	return 0;
}

int fake_product_create(const fake_product **out, fake_processor *p, const fake_product_create_params *params,
			const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_PRODUCT, NULL, params, request, out, create);
}

int fake_product_retrieve(const fake_product **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_PRODUCT, id, NULL, request, out, fake__op_retrieve);
}


static int update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_product_update_params defaults = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product_update_params *u = ctx->call.params ? ctx->call.params : &defaults;
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PRODUCT, ctx->call.id, "id") ||
	    fake__check_version(p, u->version, FAKE_PRODUCT_UPDATE_PARAMS_VERSION, "fake_product_update_params") ||
	    check_name(p, u->name, false) ||
	    fake__check_string(p, u->description, FAKE_PRODUCT_DESCRIPTION_MAX, "description") ||
	    fake__check_active_change(p, u->active) || fake__metadata_check(p, u->metadata, u->metadata_count))
		return p->error->status;
	struct fake_product *product = found;

	struct fake_product next = *product;
	bool ok = true;
	if (u->name)
		next.name = fake__arena_strdup(p, u->name, &ok);
	if (u->description)
		next.description = u->description[0] ? fake__arena_strdup(p, u->description, &ok) : NULL;
	next.active = fake__apply_active(u->active, product->active);
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&next.metadata, p, product->metadata, u->metadata, u->metadata_count,
				 u->metadata_clear))
		return p->error->status;

	static const char *const names[] = { "active", "description", "metadata", "name", "updated" };
	bool differs[] = {
		product->active != next.active,
		!fake__same(product->description, next.description),
		!fake__metadata_equal(product->metadata, next.metadata),
		!fake__same(product->name, next.name),
		false,
	};
	bool any = differs[0] || differs[1] || differs[2] || differs[3];
	next.updated = any ? fake__now(p) : product->updated;
	differs[4] = next.updated != product->updated;
	size_t n;
	const char *const *changed = fake__event_changed(p, names, differs, FAKE__COUNT(names), &n);
	if (!changed)
		return FAKE_ENOMEM;
	if (any) {
		if (fake__event_emit(p, ctx, FAKE__EVT_PRODUCT_UPDATED, &next, product, changed, n))
			return p->error->status;
		if (fake__object_commit(p, product, &next))
			return p->error->status;
	}
	*(const fake_product **)out = product;
	return 0;
}

int fake_product_update(const fake_product **out, fake_processor *p, const char *id,
			const fake_product_update_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_PRODUCT, id, params, request, out, update);
}


static bool list_filter(const fake__object *o, const void *ctx)
{
	const fake_product_list_params *params = ctx;
	return fake__active_matches(params->active, ((const struct fake_product *)o)->active);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_product_list_params defaults = FAKE_PRODUCT_LIST_PARAMS_INIT;
	const fake_product_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_PRODUCT_LIST_PARAMS_VERSION, "fake_product_list_params") ||
	    fake__check_active_filter(p, params->active))
		return p->error->status;
	return fake__list_page(out, p, FAKE_OBJECT_PRODUCT, &params->page, list_filter, params);
}

int fake_product_list(fake_list *out, fake_processor *p, const fake_product_list_params *params,
		      const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_PRODUCTS, NULL, params, request, out, list);
}

const char *fake_product_id(const fake_product *product)
{
	return product ? product->obj.id : NULL;
}

int64_t fake_product_created(const fake_product *product)
{
	return product ? product->obj.created : 0;
}

int64_t fake_product_updated(const fake_product *product)
{
	return product ? product->updated : 0;
}

const char *fake_product_name(const fake_product *product)
{
	return product ? product->name : NULL;
}

const char *fake_product_description(const fake_product *product)
{
	return product ? product->description : NULL;
}

bool fake_product_active(const fake_product *product)
{
	return product && product->active;
}

const fake_metadata *fake_product_metadata(const fake_product *product)
{
	return product ? product->metadata : NULL;
}
