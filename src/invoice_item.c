/*
 * Invoice items (fake/invoice.h): one-off amounts (and prorations) that
 * wait for a customer's next invoice, or sit on a draft. They change only
 * while pending or on a draft; the draft's lines and totals follow.
 */
#include "private.h"

#include <stdio.h>

#define QUANTITY_MAX INT64_C(1000000000)

int fake__invoice_item_proration(fake_processor *p, fake__ctx *ctx, const struct fake_subscription *sub,
				 const struct fake_subscription_item *item, int64_t amount, const char *description,
				 int64_t period_start, int64_t period_end)
{
	struct fake_invoice_item *ii = fake__object_new(p, FAKE_OBJECT_INVOICE_ITEM, sizeof(*ii));
	bool ok = true;
	if (!ii)
		return fake__error_nomem(p);
	ii->customer = sub->customer;
	ii->amount = amount;
	ii->currency = sub->currency;
	ii->price = item->price;
	ii->quantity = item->quantity ? item->quantity : 1;
	ii->unit_amount = amount / ii->quantity; /* prorated, as Stripe's proration items */
	ii->subscription = sub->obj.id;
	ii->subscription_item = item->obj.id;
	ii->proration = true;
	ii->period_start = period_start;
	ii->period_end = period_end;
	ii->description = fake__arena_strdup(p, description, &ok);
	ii->metadata = &fake__metadata_empty;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__store_add(p, ii) || fake__event_emit(p, ctx, FAKE__EVT_INVOICEITEM_CREATED, ii, NULL, NULL, 0))
		return p->error->status;
	return 0;
}

static int get(struct fake_invoice_item **out, fake_processor *p, const char *id)
{
	void *found = NULL;
	int rc = fake__store_get_live(&found, p, FAKE_OBJECT_INVOICE_ITEM, id, "id");
	*out = found;
	return rc;
}

/* The draft an item is on (NULL while pending); FAKE_ESTATE once finalized. */
static int editable(struct fake_invoice **draft, fake_processor *p, const struct fake_invoice_item *ii,
		    const char *action)
{
	*draft = NULL;
	if (!ii->invoice)
		return 0;
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_INVOICE, ii->invoice, "invoice"))
		return p->error->status;
	*draft = found;
	if ((*draft)->status != FAKE_INVOICE_DRAFT)
		return fake__error_set(p, FAKE_ESTATE, "invoice_not_editable", "",
				       "You cannot %s this invoice item because it is on invoice %s, which is %s.", action,
				       ii->invoice, fake_invoice_status_string((*draft)->status));
	return 0;
}

static int check_quantity(fake_processor *p, int64_t quantity)
{
	if (quantity < 0 || quantity > QUANTITY_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "quantity",
				       "Invalid quantity: %lld; it must be between 1 and %lld.", (long long)quantity,
				       (long long)QUANTITY_MAX);
	return 0;
}

static int check_amount(fake_processor *p, int64_t amount)
{
	if (amount < -FAKE_PRICE_UNIT_AMOUNT_MAX || amount > FAKE_PRICE_UNIT_AMOUNT_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "amount",
				       "Invalid amount: %lld; it must be between -%lld and %lld.", (long long)amount,
				       (long long)FAKE_PRICE_UNIT_AMOUNT_MAX, (long long)FAKE_PRICE_UNIT_AMOUNT_MAX);
	return 0;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_invoice_item_create_params defaults = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	const fake_invoice_item_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	char currency[4] = "";
	if (fake__check_version(p, c->version, FAKE_INVOICE_ITEM_CREATE_PARAMS_VERSION,
				"fake_invoice_item_create_params"))
		return p->error->status;
	if (!c->customer)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "customer", "Missing required param: customer.");
	bool priced = c->price || c->price_data;
	if (priced == (c->amount != 0))
		return fake__error_set(p, FAKE_EINVAL, priced ? "" : "parameter_missing", "amount",
				       "Give exactly one of amount and price (or price_data).");
	if (!priced && (check_amount(p, c->amount) || fake__check_currency(p, c->currency, currency)))
		return p->error->status;
	if (priced && c->currency)
		return fake__error_set(p, FAKE_EINVAL, "", "currency",
				       "Invalid currency: an item with a price takes the price's currency.");
	if (check_quantity(p, c->quantity) || fake__check_string(p, c->description, 500, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	/* The customer first: the period defaults to its test clock's time. */
	void *customer = NULL, *found = NULL;
	if (fake__store_get_live(&customer, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer"))
		return p->error->status;
	int64_t start = c->period_start ? c->period_start : fake__now(p);
	int64_t end = c->period_end ? c->period_end : start;
	if (start < 0 || end < start)
		return fake__error_set(p, FAKE_EINVAL, "", "period[end]",
				       "Invalid period: the end (%lld) is before the start (%lld).", (long long)end,
				       (long long)start);
	const char *customer_id = ((const fake__object *)customer)->id;
	if (c->subscription) {
		if (fake__store_get(&found, p, FAKE_OBJECT_SUBSCRIPTION, c->subscription, "subscription"))
			return p->error->status;
		if (strcmp(((const struct fake_subscription *)found)->customer, customer_id) != 0)
			return fake__error_set(p, FAKE_EINVAL, "", "subscription",
					       "The subscription '%s' does not belong to customer '%s'.", c->subscription,
					       customer_id);
	}
	const char *sub_id = found ? ((const fake__object *)found)->id : NULL;
	struct fake_invoice *draft = NULL;
	if (c->invoice) {
		if (fake__store_get_live(&found, p, FAKE_OBJECT_INVOICE, c->invoice, "invoice"))
			return p->error->status;
		draft = found;
		if (strcmp(draft->customer, customer_id) != 0)
			return fake__error_set(p, FAKE_EINVAL, "", "invoice",
					       "The invoice '%s' belongs to another customer.", c->invoice);
		if (draft->status != FAKE_INVOICE_DRAFT)
			return fake__error_set(p, FAKE_ESTATE, "invoice_not_editable", "invoice",
					       "You can only add invoice items to draft invoices; '%s' is %s.", c->invoice,
					       fake_invoice_status_string(draft->status));
	}
	const struct fake_price *price = NULL;
	if (priced && fake__price_resolve(&price, p, ctx, c->price, c->price_data, false, "price"))
		return p->error->status;
	const char *cur = price ? price->currency : currency;
	if (draft && strcmp(draft->currency, cur) != 0)
		return fake__error_set(p, FAKE_EINVAL, "", "currency",
				       "The currency %s does not match the invoice's currency %s.", cur, draft->currency);

	struct fake_invoice_item *ii = fake__object_new(p, FAKE_OBJECT_INVOICE_ITEM, sizeof(*ii));
	if (!ii)
		return fake__error_nomem(p);
	bool ok = true;
	ii->customer = customer_id;
	ii->currency = price ? price->currency : fake__arena_strdup(p, currency, &ok);
	ii->price = price;
	ii->quantity = c->quantity ? c->quantity : 1;
	ii->unit_amount = price ? price->unit_amount : c->amount;
	ii->amount = price ? price->unit_amount * ii->quantity : c->amount;
	ii->invoice = draft ? draft->obj.id : NULL;
	ii->subscription = sub_id;
	ii->period_start = start;
	ii->period_end = end;
	ii->description = c->description && c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&ii->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__store_add(p, ii) || fake__event_emit(p, ctx, FAKE__EVT_INVOICEITEM_CREATED, ii, NULL, NULL, 0))
		return p->error->status;
	if (draft) {
		struct fake_invoice next = *draft;
		const struct fake_invoice_line *line = fake__invoice_item_line(p, ii);
		if (!line)
			return fake__error_nomem(p);
		if (fake__invoice_relines(p, &next, line, NULL) || fake__invoice_commit(p, draft, &next))
			return p->error->status;
	}
	*(const fake_invoice_item **)out = ii;
	return 0;
}

int fake_invoice_item_create(const fake_invoice_item **out, fake_processor *p,
			     const fake_invoice_item_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_INVOICE_ITEM, NULL, params, request, out, create);
}

static int retrieve(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice_item *ii = NULL;
	if (get(&ii, p, ctx->call.id))
		return p->error->status;
	*(const fake_invoice_item **)out = ii;
	return 0;
}

int fake_invoice_item_retrieve(const fake_invoice_item **out, fake_processor *p, const char *id,
			       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_INVOICE_ITEM, id, NULL, request, out, retrieve);
}

static int update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_invoice_item_update_params defaults = FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT;
	const fake_invoice_item_update_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_invoice_item *ii = NULL;
	struct fake_invoice *draft = NULL;
	if (get(&ii, p, ctx->call.id) ||
	    fake__check_version(p, c->version, FAKE_INVOICE_ITEM_UPDATE_PARAMS_VERSION,
				"fake_invoice_item_update_params") ||
	    check_quantity(p, c->quantity) || fake__check_string(p, c->description, 500, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count) || editable(&draft, p, ii, "update"))
		return p->error->status;
	if (c->amount && ii->price)
		return fake__error_set(p, FAKE_EINVAL, "", "amount",
				       "Invalid amount: this invoice item is priced by %s; change its quantity instead.",
				       ii->price->obj.id);
	if (c->amount && check_amount(p, c->amount))
		return p->error->status;
	struct fake_invoice_item next = *ii;
	bool ok = true;
	if (c->quantity) {
		next.quantity = c->quantity;
		next.amount = next.unit_amount * c->quantity;
	}
	if (c->amount)
		next.amount = next.unit_amount = c->amount;
	if (c->description)
		next.description = c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&next.metadata, p, ii->metadata, c->metadata, c->metadata_count, false) ||
	    fake__object_commit(p, ii, &next))
		return p->error->status;
	if (draft) {
		struct fake_invoice inv_next = *draft;
		const struct fake_invoice_line *line = fake__invoice_item_line(p, ii);
		if (!line)
			return fake__error_nomem(p);
		if (fake__invoice_relines(p, &inv_next, NULL, ii->obj.id) ||
		    fake__invoice_relines(p, &inv_next, line, NULL) || fake__invoice_commit(p, draft, &inv_next))
			return p->error->status;
	}
	*(const fake_invoice_item **)out = ii;
	return 0;
}

int fake_invoice_item_update(const fake_invoice_item **out, fake_processor *p, const char *id,
			     const fake_invoice_item_update_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_INVOICE_ITEM, id, params, request, out, update);
}

static int delete(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice_item *ii = NULL;
	struct fake_invoice *draft = NULL;
	if (get(&ii, p, ctx->call.id) || editable(&draft, p, ii, "delete"))
		return p->error->status;
	struct fake_invoice_item next = *ii;
	next.obj.flags |= FAKE__DELETED;
	if (fake__event_emit(p, ctx, FAKE__EVT_INVOICEITEM_DELETED, ii, NULL, NULL, 0) ||
	    fake__object_commit(p, ii, &next))
		return p->error->status;
	if (draft) {
		struct fake_invoice inv_next = *draft;
		if (fake__invoice_relines(p, &inv_next, NULL, ii->obj.id) || fake__invoice_commit(p, draft, &inv_next))
			return p->error->status;
	}
	*(const fake_invoice_item **)out = ii;
	return 0;
}

int fake_invoice_item_delete(const fake_invoice_item **out, fake_processor *p, const char *id,
			     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_DELETE_INVOICE_ITEM, id, NULL, request, out, delete);
}

typedef struct list_filter {
	const char *customer;
	const char *invoice;
	bool pending;
} list_filter;

static bool list_match(const fake__object *o, const void *ctx)
{
	const struct fake_invoice_item *ii = (const struct fake_invoice_item *)o;
	const list_filter *f = ctx;
	return (!f->customer || strcmp(ii->customer, f->customer) == 0) &&
	       (!f->invoice || fake__same(ii->invoice, f->invoice)) && (!f->pending || !ii->invoice);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_invoice_item_list_params defaults = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	const fake_invoice_item_list_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_INVOICE_ITEM_LIST_PARAMS_VERSION, "fake_invoice_item_list_params"))
		return p->error->status;
	void *found = NULL;
	if ((c->customer && fake__store_get(&found, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer")) ||
	    (c->invoice && fake__store_get(&found, p, FAKE_OBJECT_INVOICE, c->invoice, "invoice")))
		return p->error->status;
	list_filter f = { c->customer, c->invoice, c->pending };
	return fake__list_page(out, p, FAKE_OBJECT_INVOICE_ITEM, &c->page, list_match, &f);
}

int fake_invoice_item_list(fake_list *out, fake_processor *p, const fake_invoice_item_list_params *params,
			   const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_INVOICE_ITEMS, NULL, params, request, out, list);
}

const char *fake_invoice_item_id(const fake_invoice_item *ii)
{
	return ii ? ii->obj.id : NULL;
}

const char *fake_invoice_item_customer(const fake_invoice_item *ii)
{
	return ii ? ii->customer : NULL;
}

int64_t fake_invoice_item_amount(const fake_invoice_item *ii)
{
	return ii ? ii->amount : 0;
}

const char *fake_invoice_item_currency(const fake_invoice_item *ii)
{
	return ii ? ii->currency : NULL;
}

const fake_price *fake_invoice_item_price(const fake_invoice_item *ii)
{
	return ii ? ii->price : NULL;
}

int64_t fake_invoice_item_quantity(const fake_invoice_item *ii)
{
	return ii ? ii->quantity : 0;
}

int64_t fake_invoice_item_unit_amount(const fake_invoice_item *ii)
{
	return ii ? ii->unit_amount : 0;
}

const char *fake_invoice_item_invoice(const fake_invoice_item *ii)
{
	return ii ? ii->invoice : NULL;
}

const char *fake_invoice_item_subscription(const fake_invoice_item *ii)
{
	return ii ? ii->subscription : NULL;
}

const char *fake_invoice_item_subscription_item(const fake_invoice_item *ii)
{
	return ii ? ii->subscription_item : NULL;
}

bool fake_invoice_item_proration(const fake_invoice_item *ii)
{
	return ii && ii->proration;
}

int64_t fake_invoice_item_period_start(const fake_invoice_item *ii)
{
	return ii ? ii->period_start : 0;
}

int64_t fake_invoice_item_period_end(const fake_invoice_item *ii)
{
	return ii ? ii->period_end : 0;
}

const char *fake_invoice_item_description(const fake_invoice_item *ii)
{
	return ii ? ii->description : NULL;
}

const fake_metadata *fake_invoice_item_metadata(const fake_invoice_item *ii)
{
	return ii ? ii->metadata : NULL;
}
