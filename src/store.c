/*
 * The store: one table per object type in creation order, and the
 * transaction marks that undo appends.
 *
 * The tables are the id index. An id is its type's prefix and a number, the
 * number counts the type's objects from 1, and every object that takes a
 * number is either appended to its table or undone with its transaction
 * (rollback removes objects from the end): so the object numbered n is
 * item n - 1 of its table. Finding an id is a prefix match, a parse and a
 * string compare, with no hash to build, grow or keep in memory. (Invoice
 * lines take numbers but are never stored, so no id finds one.)
 */
#include "private.h"

/* Everything the store knows about each object type, in one place. */
static const struct {
	const char *name;   /* Stripe's `object` string */
	const char *noun;   /* as in Stripe's "No such <noun>: 'id'" */
	const char *prefix; /* id prefix (docs/ids.md) */
	size_t size;        /* size of the struct, for snapshots and commits */
} types[FAKE_OBJECT_TYPE_COUNT] = {
	[FAKE_OBJECT_CUSTOMER] = { "customer", "customer", "cus_fake_", sizeof(struct fake_customer) },
	[FAKE_OBJECT_PAYMENT_METHOD] = { "payment_method", "PaymentMethod", "pm_fake_",
					 sizeof(struct fake_payment_method) },
	[FAKE_OBJECT_EVENT] = { "event", "event", "evt_fake_", sizeof(struct fake_event) },
	[FAKE_OBJECT_PRODUCT] = { "product", "product", "prod_fake_", sizeof(struct fake_product) },
	[FAKE_OBJECT_PRICE] = { "price", "price", "price_fake_", sizeof(struct fake_price) },
	[FAKE_OBJECT_PAYMENT_INTENT] = { "payment_intent", "payment_intent", "pi_fake_",
					 sizeof(struct fake_payment_intent) },
	[FAKE_OBJECT_CHARGE] = { "charge", "charge", "ch_fake_", sizeof(struct fake_charge) },
	[FAKE_OBJECT_REFUND] = { "refund", "refund", "re_fake_", sizeof(struct fake_refund) },
	[FAKE_OBJECT_BALANCE_TRANSACTION] = { "balance_transaction", "balance transaction", "txn_fake_",
					      sizeof(struct fake_balance_transaction) },
	[FAKE_OBJECT_SETUP_INTENT] = { "setup_intent", "setupintent", "seti_fake_", sizeof(struct fake_setup_intent) },
	[FAKE_OBJECT_WEBHOOK_ENDPOINT] = { "webhook_endpoint", "webhook endpoint", "we_fake_",
					   sizeof(struct fake_webhook_endpoint) },
	[FAKE_OBJECT_SUBSCRIPTION] = { "subscription", "subscription", "sub_fake_", sizeof(struct fake_subscription) },
	[FAKE_OBJECT_SUBSCRIPTION_ITEM] = { "subscription_item", "subscription item", "si_fake_",
					    sizeof(struct fake_subscription_item) },
	[FAKE_OBJECT_USAGE_RECORD] = { "usage_record", "usage record", "mbur_fake_", sizeof(struct fake_usage_record) },
	[FAKE_OBJECT_INVOICE] = { "invoice", "invoice", "in_fake_", sizeof(struct fake_invoice) },
	[FAKE_OBJECT_INVOICE_LINE] = { "line_item", "line item", "il_fake_", sizeof(struct fake_invoice_line) },
	[FAKE_OBJECT_INVOICE_ITEM] = { "invoiceitem", "invoiceitem", "ii_fake_", sizeof(struct fake_invoice_item) },
	[FAKE_OBJECT_TEST_CLOCK] = { "test_helpers.test_clock", "test_clock", "clock_fake_",
				     sizeof(struct fake_test_clock) },
};

const char *fake__object_noun(fake_object_type type)
{
	return types[type].noun;
}

const char *fake__object_prefix(fake_object_type type)
{
	return types[type].prefix;
}

size_t fake__object_size(fake_object_type type)
{
	return types[type].size;
}

const char *fake__object_type_name(fake_object_type type)
{
	return types[type].name;
}

fake_object_type fake__object_type_named(const char *name)
{
	int type = 0;
	while (type < FAKE_OBJECT_TYPE_COUNT && strcmp(types[type].name, name) != 0)
		type++;
	return (fake_object_type)type;
}

void *fake__object_new(fake_processor *p, fake_object_type type, size_t size)
{
	if (fake__grow(p, (void **)&p->created, &p->created_cap, p->created_len + 1, sizeof(*p->created)))
		return NULL;
	fake__object *o = fake__arena_calloc(p, size);
	if (!o)
		return NULL;
	uint64_t number = p->counters[type] + 1;
	o->id = fake__id_format(p, types[type].prefix, number);
	if (!o->id)
		return NULL;
	p->counters[type] = number;
	p->created[p->created_len++] = o;
	o->type = type;
	o->created = fake__now(p);
	return o;
}

int fake__store_add(fake_processor *p, void *object)
{
	fake__object *o = object;
	fake__table *t = &p->tables[o->type];

	if (fake__grow(p, (void **)&t->items, &t->cap, t->len + 1, sizeof(*t->items)))
		return fake__error_nomem(p);
	o->flags |= FAKE__LIVE;
	o->pos = t->len;
	t->items[t->len++] = o;
	return 0;
}

fake__object *fake__store_find(const fake_processor *p, const char *id)
{
	for (int type = 0; type < FAKE_OBJECT_TYPE_COUNT; type++) {
		size_t len = strlen(types[type].prefix);
		if (strncmp(id, types[type].prefix, len) != 0)
			continue;
		uint64_t number = 0;
		for (const char *d = id + len; *d; d++) {
			if (*d < '0' || *d > '9' || number > UINT64_MAX / 10 - 1)
				return NULL;
			number = number * 10 + (uint64_t)(*d - '0');
		}
		const fake__table *t = &p->tables[type];
		if (number < 1 || number > t->len || strcmp(t->items[number - 1]->id, id) != 0)
			return NULL;
		return t->items[number - 1];
	}
	return NULL;
}

int fake__store_get(void **out, fake_processor *p, fake_object_type type, const char *id, const char *param)
{
	*out = NULL;
	int rc = fake__check_id(p, id, param);
	if (rc)
		return rc;
	fake__object *o = fake__store_find(p, id);
	if (!o || o->type != type)
		return fake__error_set(p, FAKE_ENOTFOUND, "resource_missing", param, "No such %s: '%s'",
				       types[type].noun, id);
	if (!p->clock_fixed) /* only inside an operation (fake__op_run()) */
		fake__clock_follow(p, o);
	*out = o;
	return 0;
}

int fake__store_get_live(void **out, fake_processor *p, fake_object_type type, const char *id, const char *param)
{
	int rc = fake__store_get(out, p, type, id, param);
	if (rc || !(((fake__object *)*out)->flags & FAKE__DELETED))
		return rc;
	*out = NULL;
	return fake__error_set(p, FAKE_ENOTFOUND, "resource_missing", param, "No such %s: '%s'", types[type].noun, id);
}

/* The snapshot `copy` shows the version `o` holds now. */
static bool same_version(const fake__object *copy, const fake__object *o, size_t size)
{
	size_t from = offsetof(fake__object, pos);
	return copy->type == o->type && copy->flags == (o->flags & ~(unsigned int)FAKE__LIVE) &&
	       memcmp((const char *)copy + from, (const char *)o + from, size - from) == 0;
}

void *fake__snapshot(fake_processor *p, const void *object)
{
	const fake__object *o = object;
	size_t size = types[o->type].size;
	/* Events in a row often show one version (invoice.paid, then
	 * invoice.payment_succeeded): snapshots are immutable, so they share it. */
	if (p->last_snapshot && p->last_snapshot_of == object && same_version(p->last_snapshot, o, size))
		return p->last_snapshot;
	fake__object *copy = fake__arena_alloc(p, size);
	if (!copy)
		return NULL;
	memcpy(copy, o, size);
	copy->flags &= ~(unsigned int)FAKE__LIVE;
	p->last_snapshot = copy;
	p->last_snapshot_of = object;
	return copy;
}

int fake__object_commit(fake_processor *p, void *live, const void *version)
{
	fake__object *o = live;
	size_t size = types[o->type].size;
	fake__undo *u = &p->undo;
	if (fake__grow(p, (void **)&u->items, &u->cap, u->len + 1, sizeof(*u->items)) ||
	    fake__grow(p, (void **)&u->bytes, &u->bytes_cap, u->bytes_len + size, 1))
		return fake__error_nomem(p);
	u->items[u->len].live = o;
	u->items[u->len++].offset = u->bytes_len;
	memcpy(u->bytes + u->bytes_len, live, size);
	u->bytes_len += size;

	size_t pos = o->pos;
	unsigned int flags = o->flags & FAKE__LIVE;
	memcpy(live, version, size);
	o->pos = pos;
	o->flags |= flags;
	return 0;
}

void fake__txn_begin(fake_processor *p, fake__txn *txn)
{
	p->created_len = 0;
	p->undo.len = 0;
	p->undo.bytes_len = 0;
	fake__txn_savepoint(p, txn);
}

void fake__txn_savepoint(fake_processor *p, fake__txn *txn)
{
	txn->arena = fake__arena_mark_get(p);
	txn->job_seq = p->job_seq;
	txn->created = p->created_len;
	txn->undo = p->undo.len;
	txn->undo_bytes = p->undo.bytes_len;
}

void fake__txn_rollback(fake_processor *p, const fake__txn *txn)
{
	/* Versions written into objects that existed before, newest first. */
	fake__undo *u = &p->undo;
	while (u->len > txn->undo) {
		const struct fake__undo_item *item = &u->items[--u->len];
		fake__object *o = item->live;
		memcpy(o, u->bytes + item->offset, types[o->type].size);
	}
	u->bytes_len = txn->undo_bytes;
	p->last_snapshot = NULL; /* it may be in memory the rollback releases */
	/* Every object the transaction created took the next id of its type,
	 * and those that went live were appended to the end of their table:
	 * undoing them newest first restores both. */
	while (p->created_len > txn->created) {
		fake__object *o = p->created[--p->created_len];
		if (o->flags & FAKE__LIVE)
			p->tables[o->type].len--;
		p->counters[o->type]--;
	}
	fake__timeline_rollback(p, txn->job_seq);
	fake__arena_rollback(p, txn->arena);
}

void fake__store_clear(fake_processor *p)
{
	p->last_snapshot = NULL;
	p->created_len = 0;
	p->undo.len = 0;
	p->undo.bytes_len = 0;
	for (int t = 0; t < FAKE_OBJECT_TYPE_COUNT; t++)
		p->tables[t].len = 0;
	memset(p->counters, 0, sizeof(p->counters));
}

void fake__store_free(fake_processor *p)
{
	fake__store_clear(p);
	fake__free(p, p->undo.items);
	fake__free(p, p->undo.bytes);
	memset(&p->undo, 0, sizeof(p->undo));
	fake__free(p, p->created);
	p->created = NULL;
	p->created_cap = 0;
	for (int t = 0; t < FAKE_OBJECT_TYPE_COUNT; t++) {
		fake__free(p, p->tables[t].items);
		p->tables[t].items = NULL;
		p->tables[t].cap = 0;
	}
}

fake_object_type fake_object_type_of(const void *object)
{
	return object ? ((const fake__object *)object)->type : FAKE_OBJECT_TYPE_COUNT;
}

const char *fake_object_name(const void *object)
{
	return object ? types[((const fake__object *)object)->type].name : NULL;
}

const char *fake_object_id(const void *object)
{
	return object ? ((const fake__object *)object)->id : NULL;
}

int64_t fake_object_created(const void *object)
{
	return object ? ((const fake__object *)object)->created : 0;
}
