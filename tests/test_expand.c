/*
 * Stripe's expand[] in JSON (fake_json_object_expand(),
 * fake_json_list_expand()): every expandable field libfake holds, nested
 * and list paths, deleted and null references, live objects rather than
 * snapshots, paths that repeat, determinism, strict schema validation of
 * everything expanded (validate.py, as test_json.c), bad paths with the
 * error record Stripe would fill and nothing changed, and allocation
 * failure. Every test starts from a fresh processor.
 */
#include "helpers.h"
#include "json_helpers.h"

#include <unistd.h>

/* A non-NULL string no call returns: outs are preset to it so a test can
 * see that a failing call really wrote NULL. */
static char out_sentinel[] = "x";

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the world ---------------------------------------------------------------- */

/* Everything the tests expand, made the same way in every processor. */
typedef struct world {
	const fake_customer *ada;      /* cus_fake_00001: pm_card_visa attached and default */
	const fake_customer *gone;     /* cus_fake_00002: paid once, then deleted */
	const fake_payment_method *card; /* ada's default */
	const fake_price *monthly;     /* and its product, "Gold plan" */
	const fake_price *setup_fee;   /* one-time, on the same product */
	const fake_subscription *sub;  /* ada's, charged at once */
	const fake_invoice *first;     /* sub's first invoice, paid */
	const fake_payment_intent *pi; /* first's payment intent */
	const fake_charge *charge;     /* its charge, partly refunded */
	const fake_refund *refund;
	const fake_payment_intent *orphan; /* gone's payment intent */
	const fake_setup_intent *seti; /* ada's, succeeded */
	const fake_invoice_item *priced; /* ada's, priced setup_fee, on the draft */
	const fake_invoice *draft;     /* a manual draft for ada */
	const fake_invoice_item *pending;  /* ada's, pending for sub's next invoice */
} world;

static const fake_customer *customer_new(fake_processor *p, const char *email, const char *name, const char *card)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	cp.email = email;
	cp.name = name;
	cp.payment_method = card;
	cp.default_payment_method = card;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	return c;
}

static void world_new(fake_processor *p, world *w)
{
	memset(w, 0, sizeof(*w));
	w->ada = customer_new(p, "ada@example.com", "Ada Lovelace", "pm_card_visa");
	check_ok(p, fake_payment_method_retrieve(&w->card, p, fake_customer_default_payment_method(w->ada), NULL));

	fake_price_create_params pp = FAKE_PRICE_CREATE_PARAMS_INIT;
	pp.currency = "usd";
	pp.unit_amount = 2000;
	pp.product_name = "Gold plan";
	pp.interval = FAKE_INTERVAL_MONTH;
	check_ok(p, fake_price_create(&w->monthly, p, &pp, NULL));
	pp = (fake_price_create_params)FAKE_PRICE_CREATE_PARAMS_INIT;
	pp.currency = "usd";
	pp.unit_amount = 500;
	pp.product = fake_price_product(w->monthly);
	check_ok(p, fake_price_create(&w->setup_fee, p, &pp, NULL));

	fake_subscription_item_params item = { NULL, fake_price_id(w->monthly), NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sp = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = fake_customer_id(w->ada);
	sp.items = &item;
	sp.item_count = 1;
	check_ok(p, fake_subscription_create(&w->sub, p, &sp, NULL));
	check_ok(p, fake_invoice_retrieve(&w->first, p, fake_subscription_latest_invoice(w->sub), NULL));
	check_ok(p, fake_payment_intent_retrieve(&w->pi, p, fake_invoice_payment_intent(w->first), NULL));
	check_ok(p, fake_charge_retrieve(&w->charge, p, fake_payment_intent_latest_charge(w->pi), NULL));

	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = fake_charge_id(w->charge);
	rp.amount = 500;
	check_ok(p, fake_refund_create(&w->refund, p, &rp, NULL));

	w->gone = customer_new(p, "gone@example.com", "Gone Away", NULL);
	fake_payment_intent_create_params ip = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	ip.amount = 1200;
	ip.currency = "usd";
	ip.customer = fake_customer_id(w->gone);
	ip.payment_method = "pm_card_mastercard";
	ip.confirm = true;
	check_ok(p, fake_payment_intent_create(&w->orphan, p, &ip, NULL));
	check_ok(p, fake_customer_delete(&w->gone, p, fake_customer_id(w->gone), NULL));

	fake_setup_intent_create_params sip = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	sip.customer = fake_customer_id(w->ada);
	sip.payment_method = fake_payment_method_id(w->card);
	sip.confirm = true;
	check_ok(p, fake_setup_intent_create(&w->seti, p, &sip, NULL));

	/* a draft that takes Ada's one pending item, priced */
	fake_invoice_item_create_params iip = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	iip.customer = fake_customer_id(w->ada);
	iip.price = fake_price_id(w->setup_fee);
	check_ok(p, fake_invoice_item_create(&w->priced, p, &iip, NULL));
	fake_invoice_create_params dp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	dp.customer = fake_customer_id(w->ada);
	dp.description = "Manual";
	check_ok(p, fake_invoice_create(&w->draft, p, &dp, NULL));
	assert_int_equal(fake_invoice_line_count(w->draft), 1);

	iip = (fake_invoice_item_create_params)FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	iip.customer = fake_customer_id(w->ada);
	iip.amount = 300;
	iip.currency = "usd";
	iip.description = "Extra seat";
	iip.subscription = fake_subscription_id(w->sub);
	check_ok(p, fake_invoice_item_create(&w->pending, p, &iip, NULL));

	/* Ada's email changes after all of it: expansions show it, snapshots do not. */
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "ada@lovelace.example";
	check_ok(p, fake_customer_update(&w->ada, p, fake_customer_id(w->ada), &up, NULL));
	check_ok(p, fake_clock_advance(p, 60));
}

/* ---- JSON helpers -------------------------------------------------------------- */

/* The compact JSON of an object with these paths; the caller frees it. */
static char *expanded(fake_processor *p, const void *object, const char *const *paths, size_t n, unsigned int flags)
{
	char *s = NULL;
	check_ok(p, fake_json_object_expand(&s, p, object, paths, n, flags));
	assert_non_null(s);
	return s;
}

static json_t *expanded_doc(fake_processor *p, const void *object, const char *const *paths, size_t n)
{
	char *s = expanded(p, object, paths, n, 0);
	json_t *v = parse(s);
	fake_json_free(p, s);
	return v;
}

static char *plain(fake_processor *p, const void *object)
{
	char *s = NULL;
	check_ok(p, fake_json_object(&s, p, object, 0));
	return s;
}

/* Asserts that the value at `path` is the object `object` exactly as
 * fake_json_object() writes it now (the same bytes). */
static void check_same_as(fake_processor *p, json_t *doc, const char *path, const void *object)
{
	json_t *v = at(doc, path);
	if (!json_is_object(v)) {
		print_error("%s: expected the expanded %s %s, got %s\n", path, fake_object_name(object),
			    fake_object_id(object), json_is_string(v) ? json_string_value(v) : "no object");
		fail();
	}
	char *got = json_dumps(v, JSON_COMPACT);
	char *want = plain(p, object);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	fake_json_free(p, want);
}

/* Asserts that the value at `path` is an expanded object of that type and id. */
static void check_object(json_t *doc, const char *path, const char *type, const char *id)
{
	json_t *v = at(doc, path);
	if (!json_is_object(v)) {
		print_error("%s: expected an expanded %s, got %s\n", path, type,
			    json_is_string(v) ? json_string_value(v) : v ? "a non-object" : "nothing");
		fail();
	}
	char where[256];
	snprintf(where, sizeof where, "%s.object", path);
	check_str(doc, where, type);
	snprintf(where, sizeof where, "%s.id", path);
	check_str(doc, where, id);
}

/* ---- every expandable field ------------------------------------------------------ */

/* One expansion case: an object, its paths, and what must be expanded
 * where (type and id of each expected object; NULL type: the value must
 * stay this string, or null for a NULL id). */
typedef struct want {
	const char *at;
	const char *type;
	const char *id;
} want;

typedef struct expand_case {
	const char *name;
	const void *object;
	const char *paths[6];
	want wants[8];
} expand_case;

static size_t path_count(const expand_case *c)
{
	size_t n = 0;
	while (n < COUNT(c->paths) && c->paths[n])
		n++;
	return n;
}

static void check_wants(json_t *doc, const expand_case *c)
{
	for (size_t i = 0; i < COUNT(c->wants) && c->wants[i].at; i++) {
		const want *w = &c->wants[i];
		if (w->type)
			check_object(doc, w->at, w->type, w->id);
		else
			check_str(doc, w->at, w->id);
	}
}

/* Fills `cases` for the world; returns how many. */
static size_t world_cases(fake_processor *p, const world *w, expand_case *cases, size_t max)
{
	const char *ada = fake_customer_id(w->ada), *gone = fake_customer_id(w->gone);
	const char *pm = fake_payment_method_id(w->card), *product = fake_price_product(w->monthly);
	const char *sub = fake_subscription_id(w->sub), *first = fake_invoice_id(w->first);
	const char *pi = fake_payment_intent_id(w->pi), *ch = fake_charge_id(w->charge);
	const char *charge_txn = fake_charge_balance_transaction(w->charge);
	const char *refund_txn = fake_refund_balance_transaction(w->refund);
	const char *draft = fake_invoice_id(w->draft);
	const fake_subscription_item *item = fake_subscription_item_at(w->sub, 0);
	const fake_balance_transaction *ctxn = NULL, *rtxn = NULL;
	check_ok(p, fake_balance_transaction_retrieve(&ctxn, p, charge_txn, NULL));
	check_ok(p, fake_balance_transaction_retrieve(&rtxn, p, refund_txn, NULL));
	const fake_product *prod = NULL;
	check_ok(p, fake_product_retrieve(&prod, p, product, NULL));
	const expand_case all[] = {
		{ "customer", w->ada,
		  { "invoice_settings.default_payment_method", "test_clock" },
		  { { "invoice_settings.default_payment_method", "payment_method", pm }, { "test_clock", NULL, NULL } } },
		{ "payment_method", w->card, { "customer" }, { { "customer", "customer", ada } } },
		{ "price", w->monthly, { "product" }, { { "product", "product", product } } },
		/* nothing a product can expand is set by libfake: default_price stays null */
		{ "product", prod, { "default_price", "features" }, { { "default_price", NULL, NULL } } },
		{ "payment_intent", w->pi,
		  { "customer", "payment_method", "latest_charge", "invoice" },
		  { { "customer", "customer", ada },
		    { "payment_method", "payment_method", pm },
		    { "latest_charge", "charge", ch },
		    { "invoice", "invoice", first } } },
		{ "setup_intent", w->seti,
		  { "customer", "payment_method" },
		  { { "customer", "customer", ada }, { "payment_method", "payment_method", pm } } },
		{ "charge", w->charge,
		  { "customer", "payment_intent", "balance_transaction", "invoice", "refunds.data.balance_transaction" },
		  { { "customer", "customer", ada },
		    { "payment_intent", "payment_intent", pi },
		    { "balance_transaction", "balance_transaction", charge_txn },
		    { "invoice", "invoice", first },
		    { "refunds.data.0.balance_transaction", "balance_transaction", refund_txn },
		    { "payment_method", NULL, pm } } },
		{ "refund", w->refund,
		  { "charge", "payment_intent", "balance_transaction" },
		  { { "charge", "charge", ch },
		    { "payment_intent", "payment_intent", pi },
		    { "balance_transaction", "balance_transaction", refund_txn } } },
		{ "balance_transaction of the charge", ctxn, { "source" }, { { "source", "charge", ch } } },
		{ "balance_transaction of the refund", rtxn,
		  { "source.charge.customer" },
		  { { "source", "refund", fake_refund_id(w->refund) },
		    { "source.charge", "charge", ch },
		    { "source.charge.customer", "customer", ada } } },
		{ "subscription", w->sub,
		  { "customer", "latest_invoice.payment_intent", "items.data.price.product" },
		  { { "customer", "customer", ada },
		    { "latest_invoice", "invoice", first },
		    { "latest_invoice.payment_intent", "payment_intent", pi },
		    { "latest_invoice.charge", NULL, ch },
		    { "items.data.0.price.product", "product", product },
		    { "default_payment_method", NULL, NULL } } },
		{ "subscription with default_payment_method", w->sub,
		  { "default_payment_method", "test_clock", "pending_setup_intent" },
		  { { "default_payment_method", NULL, NULL }, { "test_clock", NULL, NULL },
		    { "pending_setup_intent", NULL, NULL }, { "customer", NULL, ada } } },
		{ "subscription_item", item, { "price.product" }, { { "price.product", "product", product } } },
		{ "invoice", w->first,
		  { "customer.invoice_settings.default_payment_method", "subscription", "payment_intent.latest_charge",
		    "charge.balance_transaction", "lines.data.price.product", "default_payment_method" },
		  { { "customer", "customer", ada },
		    { "customer.invoice_settings.default_payment_method", "payment_method", pm },
		    { "subscription", "subscription", sub },
		    { "payment_intent.latest_charge", "charge", ch },
		    { "charge.balance_transaction", "balance_transaction", charge_txn },
		    { "lines.data.0.price.product", "product", product },
		    { "default_payment_method", NULL, NULL } } },
		{ "draft invoice", w->draft,
		  { "payment_intent", "charge", "subscription", "lines.data.invoice_item", "lines.data.price.product" },
		  { { "payment_intent", NULL, NULL },
		    { "charge", NULL, NULL },
		    { "subscription", NULL, NULL },
		    { "lines.data.0.invoice_item", "invoiceitem", fake_invoice_item_id(w->priced) },
		    { "lines.data.0.invoice_item.price.product", NULL, product },
		    { "lines.data.0.price.product", "product", product } } },
		{ "invoice line", fake_invoice_line_at(w->first, 0),
		  { "price.product", "subscription.customer", "subscription_item" },
		  { { "price.product", "product", product },
		    { "subscription", "subscription", sub },
		    { "subscription.customer", "customer", ada },
		    { "subscription_item", "subscription_item", fake_subscription_item_id(item) } } },
		{ "invoiceitem", w->pending,
		  { "customer", "invoice", "subscription", "test_clock" },
		  { { "customer", "customer", ada },
		    { "invoice", NULL, NULL },
		    { "subscription", "subscription", sub },
		    { "test_clock", NULL, NULL } } },
		{ "priced invoiceitem", w->priced,
		  { "invoice", "price.product" },
		  { { "invoice", "invoice", draft }, { "price.product", "product", product } } },
		{ "payment_intent of a deleted customer", w->orphan,
		  { "customer", "latest_charge.customer" },
		  { { "customer", "customer", gone }, { "latest_charge.customer", "customer", gone } } },
	};
	assert_true(COUNT(all) <= max);
	memcpy(cases, all, sizeof(all));
	return COUNT(all);
}

/* Every case expands what it names, and only that; the single-level
 * expansions are byte for byte what fake_json_object() writes for the
 * object now. */
static void test_expand_every_expandable_field(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	expand_case cases[32];
	size_t n = world_cases(p, &w, cases, COUNT(cases));
	for (size_t i = 0; i < n; i++) {
		const expand_case *c = &cases[i];
		print_message("# %s\n", c->name);
		json_t *doc = expanded_doc(p, c->object, c->paths, path_count(c));
		check_wants(doc, c);
		check_key_order(doc, c->name);
		json_decref(doc);
	}

	const char *const subscription_paths[] = { "customer", "latest_invoice", "default_payment_method" };
	json_t *doc = expanded_doc(p, w.sub, subscription_paths, COUNT(subscription_paths));
	check_same_as(p, doc, "customer", w.ada);
	check_same_as(p, doc, "latest_invoice", w.first);
	json_decref(doc);
	const char *const intent_paths[] = { "customer", "payment_method", "latest_charge", "invoice" };
	doc = expanded_doc(p, w.pi, intent_paths, COUNT(intent_paths));
	check_same_as(p, doc, "customer", w.ada);
	check_same_as(p, doc, "payment_method", w.card);
	check_same_as(p, doc, "latest_charge", w.charge);
	check_same_as(p, doc, "invoice", w.first);
	json_decref(doc);
}

/* The example of docs/json.md: a subscription with its customer and its
 * latest invoice, whose payment intent is expanded too. */
static void test_expand_subscription_customer_and_latest_invoice(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	const char *const paths[] = { "customer", "latest_invoice.payment_intent" };
	json_t *doc = expanded_doc(p, w.sub, paths, COUNT(paths));
	check_str(doc, "id", "sub_fake_00001");
	check_object(doc, "customer", "customer", "cus_fake_00001");
	check_str(doc, "customer.email", "ada@lovelace.example"); /* as it is now */
	check_str(doc, "customer.name", "Ada Lovelace");
	check_str(doc, "customer.invoice_settings.default_payment_method", "pm_fake_00001");
	check_object(doc, "latest_invoice", "invoice", "in_fake_00001");
	check_str(doc, "latest_invoice.status", "paid");
	check_str(doc, "latest_invoice.customer", "cus_fake_00001"); /* not asked for */
	check_object(doc, "latest_invoice.payment_intent", "payment_intent", "pi_fake_00001");
	check_str(doc, "latest_invoice.payment_intent.status", "succeeded");
	check_int(doc, "latest_invoice.payment_intent.amount", 2000);
	check_str(doc, "latest_invoice.payment_intent.customer", "cus_fake_00001");
	check_str(doc, "items.data.0.price.product", "prod_fake_00001");
	check_str(doc, "default_payment_method", NULL);
	json_decref(doc);

	/* Without paths, the same subscription names them by id. */
	char *s = plain(p, w.sub);
	doc = parse(s);
	fake_json_free(p, s);
	check_str(doc, "customer", "cus_fake_00001");
	check_str(doc, "latest_invoice", "in_fake_00001");
	json_decref(doc);
}

/* ---- lists ------------------------------------------------------------------------- */

static json_t *page_doc(fake_processor *p, const fake_list *page, const char *url, const char *const *paths, size_t n)
{
	char *s = NULL;
	check_ok(p, fake_json_list_expand(&s, p, page, url, paths, n, 0));
	json_t *v = parse(s);
	fake_json_free(p, s);
	return v;
}

static void test_expand_lists(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	/* a second subscription, for a second customer */
	const fake_customer *grace = customer_new(p, "grace@example.com", "Grace Hopper", "pm_card_mastercard");
	fake_subscription_item_params item = { NULL, fake_price_id(w.monthly), NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sp = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	const fake_subscription *sub2 = NULL;
	sp.customer = fake_customer_id(grace);
	sp.items = &item;
	sp.item_count = 1;
	check_ok(p, fake_subscription_create(&sub2, p, &sp, NULL));

	fake_list page;
	check_ok(p, fake_subscription_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 2);
	const char *const paths[] = { "data.customer", "data.latest_invoice.payment_intent" };
	json_t *doc = page_doc(p, &page, "/v1/subscriptions", paths, COUNT(paths));
	check_str(doc, "object", "list");
	check_object(doc, "data.0.customer", "customer", fake_customer_id(grace));
	check_str(doc, "data.0.customer.email", "grace@example.com");
	const fake_invoice *inv2 = NULL;
	check_ok(p, fake_invoice_retrieve(&inv2, p, fake_subscription_latest_invoice(sub2), NULL));
	check_object(doc, "data.0.latest_invoice", "invoice", fake_invoice_id(inv2));
	check_object(doc, "data.0.latest_invoice.payment_intent", "payment_intent", fake_invoice_payment_intent(inv2));
	check_object(doc, "data.1.customer", "customer", "cus_fake_00001");
	check_object(doc, "data.1.latest_invoice", "invoice", "in_fake_00001");
	check_object(doc, "data.1.latest_invoice.payment_intent", "payment_intent", "pi_fake_00001");
	check_str(doc, "data.1.latest_invoice.payment_intent.status", "succeeded");
	check_key_order(doc, "subscriptions page");
	json_decref(doc);

	/* "data" alone changes nothing */
	const char *const data[] = { "data" };
	char *with = NULL, *without = NULL;
	check_ok(p, fake_json_list_expand(&with, p, &page, "/v1/subscriptions", data, 1, 0));
	check_ok(p, fake_json_list(&without, p, &page, "/v1/subscriptions", 0));
	assert_string_equal(with, without);
	fake_json_free(p, with);
	fake_json_free(p, without);

	/* charges, with their customers and balance transactions */
	check_ok(p, fake_charge_list(&page, p, NULL, NULL));
	const char *const charge_paths[] = { "data.customer", "data.balance_transaction", "data.payment_intent.invoice" };
	doc = page_doc(p, &page, "/v1/charges", charge_paths, COUNT(charge_paths));
	size_t i;
	json_t *item_doc;
	size_t deleted = 0;
	json_array_foreach(json_object_get(doc, "data"), i, item_doc) {
		json_t *c = json_object_get(item_doc, "customer");
		assert_true(json_is_object(c));
		deleted += json_is_true(json_object_get(c, "deleted"));
		assert_true(json_is_object(json_object_get(item_doc, "balance_transaction")));
		assert_true(json_is_object(json_object_get(item_doc, "payment_intent")));
	}
	assert_int_equal(i, page.count);
	assert_int_equal(deleted, 1); /* gone's charge */
	json_decref(doc);

	/* an empty page: only the form of the paths is checked */
	memset(&page, 0, sizeof page);
	const char *const anything[] = { "data.whatever" };
	doc = page_doc(p, &page, "/v1/customers", anything, 1);
	assert_int_equal(json_array_size(json_object_get(doc, "data")), 0);
	json_decref(doc);
}

/* ---- references: deleted, null, live ------------------------------------------------ */

static void test_expand_deleted_and_null(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	/* a deleted customer expands to Stripe's deleted object, exactly */
	const char *const customer[] = { "customer" };
	char *s = expanded(p, w.orphan, customer, 1, 0);
	assert_non_null(strstr(s, "\"customer\":{\"id\":\"cus_fake_00002\",\"object\":\"customer\",\"deleted\":true}"));
	json_t *doc = parse(s);
	fake_json_free(p, s);
	check_same_as(p, doc, "customer", w.gone);
	assert_int_equal(json_object_size(json_object_get(doc, "customer")), 3);
	json_decref(doc);

	/* paths below a deleted object find nothing to expand */
	const char *const deeper[] = { "customer.invoice_settings.default_payment_method" };
	doc = expanded_doc(p, w.orphan, deeper, 1);
	assert_int_equal(json_object_size(json_object_get(doc, "customer")), 3);
	json_decref(doc);

	/* null fields stay null: a detached card's customer, a draft's payment */
	const fake_payment_method *detached = NULL;
	check_ok(p, fake_payment_method_detach(&detached, p, fake_payment_method_id(w.card), NULL));
	doc = expanded_doc(p, detached, customer, 1);
	check_str(doc, "customer", NULL);
	json_decref(doc);
	const char *const draft_paths[] = { "payment_intent.customer", "charge", "subscription", "latest_revision" };
	doc = expanded_doc(p, w.draft, draft_paths, COUNT(draft_paths));
	check_str(doc, "payment_intent", NULL);
	check_str(doc, "charge", NULL);
	check_str(doc, "subscription", NULL);
	check_str(doc, "latest_revision", NULL);
	json_decref(doc);
}

/* Expansions show objects as they are now, also when the object expanded
 * is an event's snapshot; an event itself is written unexpanded. */
static void test_expand_shows_live_objects(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	const fake_event *created = NULL;
	fake_list page;
	fake_event_list_params ep = FAKE_EVENT_LIST_PARAMS_INIT;
	ep.type = "customer.subscription.created";
	check_ok(p, fake_event_list(&page, p, &ep, NULL));
	assert_int_equal(page.count, 1);
	created = page.data[0];
	const void *snapshot = fake_event_object(created);
	const char *const customer[] = { "customer" };
	json_t *doc = expanded_doc(p, snapshot, customer, 1);
	check_object(doc, "customer", "customer", "cus_fake_00001");
	check_str(doc, "customer.email", "ada@lovelace.example");
	json_decref(doc);

	char *s = plain(p, created);
	doc = parse(s);
	fake_json_free(p, s);
	check_str(doc, "data.object.customer", "cus_fake_00001");
	json_decref(doc);

	/* a later change shows in the next expansion */
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.name = "Augusta Ada King";
	const fake_customer *ada = NULL;
	check_ok(p, fake_customer_update(&ada, p, "cus_fake_00001", &up, NULL));
	doc = expanded_doc(p, w.sub, customer, 1);
	check_str(doc, "customer.name", "Augusta Ada King");
	json_decref(doc);
}

/* ---- paths that repeat, no paths, determinism ------------------------------------------ */

static void test_expand_paths_repeat_in_any_order(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	const char *const once[] = { "customer.invoice_settings.default_payment_method", "latest_invoice.payment_intent" };
	const char *const again[] = { "latest_invoice", "customer", "latest_invoice.payment_intent", "customer",
				      "customer.invoice_settings", "customer.invoice_settings.default_payment_method",
				      "latest_invoice.payment_intent" };
	char *a = expanded(p, w.sub, once, COUNT(once), 0);
	char *b = expanded(p, w.sub, again, COUNT(again), 0);
	assert_string_equal(a, b);
	json_t *doc = parse(a);
	check_object(doc, "customer.invoice_settings.default_payment_method", "payment_method", "pm_fake_00001");
	json_decref(doc);
	fake_json_free(p, a);
	fake_json_free(p, b);
}

/* No paths (NULL or a count of 0) is fake_json_object() / fake_json_list(),
 * and expand paths are borrowed: the output does not point into them. */
static void test_expand_nothing_is_plain(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	expand_case cases[32];
	size_t n = world_cases(p, &w, cases, COUNT(cases));
	for (size_t i = 0; i < n; i++) {
		char *a = plain(p, cases[i].object);
		char *b = NULL, *c = NULL;
		check_ok(p, fake_json_object_expand(&b, p, cases[i].object, NULL, 0, 0));
		check_ok(p, fake_json_object_expand(&c, p, cases[i].object, cases[i].paths, 0, 0));
		assert_string_equal(a, b);
		assert_string_equal(a, c);
		fake_json_free(p, a);
		fake_json_free(p, b);
		fake_json_free(p, c);
	}
	fake_list page;
	check_ok(p, fake_invoice_list(&page, p, NULL, NULL));
	char *a = NULL, *b = NULL;
	check_ok(p, fake_json_list(&a, p, &page, "/v1/invoices", FAKE_JSON_PRETTY));
	check_ok(p, fake_json_list_expand(&b, p, &page, "/v1/invoices", NULL, 0, FAKE_JSON_PRETTY));
	assert_string_equal(a, b);
	fake_json_free(p, a);
	fake_json_free(p, b);

	char path[] = "customer";
	const char *const paths[] = { path };
	char *s = expanded(p, w.sub, paths, 1, 0);
	memcpy(path, "xxxxxxx", 8);
	json_t *doc = parse(s);
	check_object(doc, "customer", "customer", "cus_fake_00001");
	json_decref(doc);
	fake_json_free(p, s);
}

/* Everything the cases and some pages write, as JSON Lines. */
typedef struct output {
	text objects;  /* every case, one line each */
	text pretty;   /* every case, pretty */
	text subscriptions; /* a page of GET /v1/subscriptions */
	text invoices; /* a page of GET /v1/invoices */
	text charges;  /* a page of GET /v1/charges */
} output;

static void add_page(fake_processor *p, text *t, const char *url, const char *const *paths, size_t n,
		     const fake_list *page)
{
	char *s = NULL;
	check_ok(p, fake_json_list_expand(&s, p, page, url, paths, n, 0));
	text_add(t, "%s", s);
	fake_json_free(p, s);
}

static void produce(fake_processor *p, output *out)
{
	world w;
	world_new(p, &w);
	expand_case cases[32];
	size_t n = world_cases(p, &w, cases, COUNT(cases));
	for (size_t i = 0; i < n; i++) {
		char *s = expanded(p, cases[i].object, cases[i].paths, path_count(&cases[i]), 0);
		text_add(&out->objects, "%s\n", s);
		fake_json_free(p, s);
		s = expanded(p, cases[i].object, cases[i].paths, path_count(&cases[i]), FAKE_JSON_PRETTY);
		text_add(&out->pretty, "%s", s);
		fake_json_free(p, s);
	}
	fake_list page;
	fake_subscription_list_params sp = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	sp.status = "all";
	check_ok(p, fake_subscription_list(&page, p, &sp, NULL));
	const char *const sub_paths[] = { "data.customer.invoice_settings.default_payment_method",
					  "data.latest_invoice.payment_intent", "data.items.data.price",
					  "data.default_payment_method" };
	add_page(p, &out->subscriptions, "/v1/subscriptions", sub_paths, COUNT(sub_paths), &page);
	check_ok(p, fake_invoice_list(&page, p, NULL, NULL));
	const char *const invoice_paths[] = { "data.customer", "data.payment_intent.latest_charge", "data.subscription",
					      "data.charge" };
	add_page(p, &out->invoices, "/v1/invoices", invoice_paths, COUNT(invoice_paths), &page);
	check_ok(p, fake_charge_list(&page, p, NULL, NULL));
	const char *const charge_paths[] = { "data.customer", "data.balance_transaction", "data.invoice.subscription",
					     "data.refunds.data" };
	add_page(p, &out->charges, "/v1/charges", charge_paths, COUNT(charge_paths), &page);
}

static void output_free(output *out)
{
	text_free(&out->objects);
	text_free(&out->pretty);
	text_free(&out->subscriptions);
	text_free(&out->invoices);
	text_free(&out->charges);
}

static void test_expand_is_deterministic(void **state)
{
	(void)state;
	output a = { 0 }, b = { 0 }, c = { 0 };
	fake_processor *p = NULL, *q = NULL;
	assert_int_equal(fake_processor_new(&p, NULL), 0);
	assert_int_equal(fake_processor_new(&q, NULL), 0);
	produce(p, &a);
	produce(q, &b);
	assert_true(a.objects.len > 20000);
	assert_string_equal(a.objects.s, b.objects.s);
	assert_string_equal(a.pretty.s, b.pretty.s);
	assert_string_equal(a.subscriptions.s, b.subscriptions.s);
	assert_string_equal(a.invoices.s, b.invoices.s);
	assert_string_equal(a.charges.s, b.charges.s);
	/* and the same processor writes the same bytes twice */
	check_ok(p, fake_processor_reset(p));
	produce(p, &c);
	assert_string_equal(a.objects.s, c.objects.s);
	assert_string_equal(a.charges.s, c.charges.s);
	output_free(&a);
	output_free(&b);
	output_free(&c);
	fake_processor_free(p);
	fake_processor_free(q);
}

/* Pretty output parses to the same value as compact. */
static void test_expand_pretty_is_the_same_value(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	const char *const paths[] = { "customer", "latest_invoice.payment_intent", "items.data.price.product" };
	char *compact = expanded(p, w.sub, paths, COUNT(paths), 0);
	char *pretty = expanded(p, w.sub, paths, COUNT(paths), FAKE_JSON_PRETTY);
	assert_true(strlen(pretty) > strlen(compact));
	assert_int_equal(pretty[strlen(pretty) - 1], '\n');
	json_t *a = parse(compact), *b = parse(pretty);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	fake_json_free(p, compact);
	fake_json_free(p, pretty);
}

/* Every expanded document passes Stripe's schemas strictly. */
static void test_expand_validates_against_stripe_schemas(void **state)
{
	fake_processor *p = *state;
	if (access(VALIDATE_PY, R_OK) != 0) {
		print_message("# %s not found: schema checks skipped\n", VALIDATE_PY);
		skip();
	}
	output out = { 0 };
	produce(p, &out);
	write_file("expand_objects.jsonl", &out.objects);
	write_file("expand_subscriptions_page.json", &out.subscriptions);
	write_file("expand_invoices_page.json", &out.invoices);
	write_file("expand_charges_page.json", &out.charges);
	double spent = 0;
	validate("--strict -q auto --many expand_objects.jsonl", "expand_validate_objects.log", &spent);
	validate("--strict -q 'GET /v1/subscriptions' expand_subscriptions_page.json", "expand_validate_subscriptions.log",
		 &spent);
	validate("--strict -q 'GET /v1/invoices' expand_invoices_page.json", "expand_validate_invoices.log", &spent);
	validate("--strict -q 'GET /v1/charges' expand_charges_page.json", "expand_validate_charges.log", &spent);
	print_message("# validate.py: 4 runs, %.2f s\n", spent);
	output_free(&out);
}

/* ---- bad paths ---------------------------------------------------------------------- */

/* What a call must not change. */
typedef struct fingerprint {
	size_t events;
	int64_t now;
	char *subscription;
	char *customer;
} fingerprint;

static fingerprint fingerprint_of(fake_processor *p, const world *w)
{
	fingerprint f = { fake_event_count(p), fake_clock_now(p), plain(p, w->sub), plain(p, w->ada) };
	return f;
}

static void check_unchanged(fake_processor *p, const world *w, fingerprint *before)
{
	fingerprint after = fingerprint_of(p, w);
	assert_int_equal(after.events, before->events);
	assert_int_equal(after.now, before->now);
	assert_string_equal(after.subscription, before->subscription);
	assert_string_equal(after.customer, before->customer);
	fake_json_free(p, after.subscription);
	fake_json_free(p, after.customer);
}

typedef struct bad_case {
	const char *name;
	const char *const *paths; /* NULL with count: a NULL array */
	size_t count;
	const char *code;         /* Stripe's code, "" for none */
	const char *message;      /* exactly */
} bad_case;

/* Runs a bad call (an object's when `object`, else a page's) and checks
 * the error record, the NULL output, that the error body can be written,
 * and that nothing changed. */
static void check_bad(fake_processor *p, const world *w, const void *object, const fake_list *page, const bad_case *c,
		      text *bodies)
{
	print_message("# %s\n", c->name);
	fingerprint before = fingerprint_of(p, w);
	char *s = out_sentinel;
	int rc = object ? fake_json_object_expand(&s, p, object, c->paths, c->count, 0)
			: fake_json_list_expand(&s, p, page, "/v1/subscriptions", c->paths, c->count, 0);
	const fake_error *e = fake_error_last(p);
	if (rc != FAKE_EINVAL) {
		print_error("%s: returned %s, expected FAKE_EINVAL\n", c->name, fake_status_name(rc));
		fail();
	}
	assert_null(s);
	assert_int_equal(e->status, FAKE_EINVAL);
	assert_int_equal(e->http_status, 400);
	assert_string_equal(e->type, "invalid_request_error");
	assert_string_equal(e->param, "expand");
	assert_string_equal(e->code, c->code);
	assert_string_equal(e->message, c->message);
	char *body = NULL;
	check_ok(p, fake_json_error(&body, p, 0));
	text_add(bodies, "%s\n", body);
	fake_json_free(p, body);
	check_unchanged(p, w, &before);
	fake_json_free(p, before.subscription);
	fake_json_free(p, before.customer);
}

static void test_expand_bad_paths(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	char long_path[FAKE_JSON_EXPAND_PATH_MAX + 2];
	memset(long_path, 'a', sizeof long_path - 1);
	long_path[sizeof long_path - 1] = '\0';
	char longest[FAKE_JSON_EXPAND_PATH_MAX + 1]; /* FAKE_JSON_EXPAND_PATH_MAX bytes: long, but only unknown */
	memset(longest, 'b', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	char longest_message[FAKE_JSON_EXPAND_PATH_MAX + 64];
	snprintf(longest_message, sizeof longest_message, "This property cannot be expanded (%s).", longest);

	static const char *const null_entry[] = { "customer", NULL };
	static const char *const empty[] = { "" };
	static const char *const double_dot[] = { "customer..invoice_settings" };
	static const char *const leading_dot[] = { ".customer" };
	static const char *const trailing_dot[] = { "customer." };
	static const char *const too_deep[] = { "latest_invoice.payment_intent.customer.invoice_settings.default_payment_method" };
	static const char *const unknown[] = { "bogus" };
	static const char *const not_expandable[] = { "status" };
	static const char *const metadata[] = { "metadata" };
	static const char *const nested_unknown[] = { "latest_invoice.number" };
	static const char *const below_plain[] = { "customer.address.city" };
	static const char *const list_without_data[] = { "items.price" };
	static const char *const below_null_ref[] = { "test_clock.name" };
	static const char *const second_bad[] = { "customer", "latest_invoice.payment_intent", "customer.bogus" };
	static const char *const not_ascii[] = { "cust\xc3\xb3mer" };
	static const char *const with_space[] = { "customer .email" };
	static const char *const upper[] = { "Customer" };
	const char *const too_long[] = { long_path };
	const char *const long_unknown[] = { longest };
	const bad_case cases[] = {
		{ "NULL paths with a count", NULL, 2, "", "Invalid expand: NULL with expand_count 2." },
		{ "a NULL path", null_entry, 2, "", "Invalid expand[1]: NULL instead of a path." },
		{ "an empty path", empty, 1, "", "Invalid expand[0]: the path is empty." },
		{ "an empty segment", double_dot, 1, "",
		  "Invalid expand[0]: \"customer..invoice_settings\" has an empty segment." },
		{ "a leading dot", leading_dot, 1, "", "Invalid expand[0]: \".customer\" has an empty segment." },
		{ "a trailing dot", trailing_dot, 1, "", "Invalid expand[0]: \"customer.\" has an empty segment." },
		{ "an over-long path", too_long, 1, "", "Invalid expand[0]: the path is longer than 255 bytes." },
		{ "the longest path, unknown", long_unknown, 1, "", longest_message },
		{ "five levels", too_deep, 1, "property_expansion_max_depth",
		  "You cannot expand more than 4 levels of a property. Property: "
		  "latest_invoice.payment_intent.customer.invoice_settings.default_payment_method" },
		{ "an unknown field", unknown, 1, "", "This property cannot be expanded (bogus)." },
		{ "a field that holds no id", not_expandable, 1, "", "This property cannot be expanded (status)." },
		{ "metadata", metadata, 1, "", "This property cannot be expanded (metadata)." },
		{ "a field of the expanded object", nested_unknown, 1, "",
		  "This property cannot be expanded (latest_invoice.number)." },
		{ "below a field with nothing to expand", below_plain, 1, "",
		  "This property cannot be expanded (customer.address.city)." },
		{ "through a list without data", list_without_data, 1, "",
		  "This property cannot be expanded (items.price)." },
		{ "below a test clock", below_null_ref, 1, "", "This property cannot be expanded (test_clock.name)." },
		{ "a good path, then a bad one", second_bad, 3, "",
		  "This property cannot be expanded (customer.bogus)." },
		{ "bytes that are not ASCII", not_ascii, 1, "",
		  "Invalid expand[0]: a path is field names joined by dots, in printable ASCII without spaces." },
		{ "a space", with_space, 1, "",
		  "Invalid expand[0]: a path is field names joined by dots, in printable ASCII without spaces." },
		{ "upper case", upper, 1, "", "This property cannot be expanded (Customer)." },
	};
	text bodies = { 0 };
	for (size_t i = 0; i < COUNT(cases); i++)
		check_bad(p, &w, w.sub, NULL, &cases[i], &bodies);

	/* objects with nothing to expand, and events */
	static const char *const customer[] = { "customer" };
	static const char *const data_object[] = { "data.object" };
	const bad_case on_customer = { "a customer's customer", customer, 1, "",
				       "This property cannot be expanded (customer)." };
	check_bad(p, &w, w.ada, NULL, &on_customer, &bodies);
	fake_list page;
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	const bad_case on_event = { "an event", data_object, 1, "",
				    "This property cannot be expanded (data): Stripe expands nothing inside an event, "
				    "whose data.object is the object as it was." };
	check_bad(p, &w, page.data[0], NULL, &on_event, &bodies);
	const bad_case event_customer = { "an event's customer", customer, 1, "",
					  "This property cannot be expanded (customer): Stripe expands nothing inside "
					  "an event, whose data.object is the object as it was." };
	check_bad(p, &w, page.data[0], NULL, &event_customer, &bodies);

	if (access(VALIDATE_PY, R_OK) == 0) {
		double spent = 0;
		write_file("expand_errors.jsonl", &bodies);
		validate("--strict -q 'POST /v1/customers#default' --many expand_errors.jsonl", "expand_validate_errors.log",
			 &spent);
	}
	text_free(&bodies);
}

static void test_expand_bad_list_paths(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	fake_list subs;
	check_ok(p, fake_subscription_list(&subs, p, NULL, NULL));
	static const char *const no_data[] = { "customer" };
	static const char *const no_data_deep[] = { "latest_invoice.payment_intent" };
	static const char *const bad_item[] = { "data.bogus" };
	static const char *const too_deep[] = { "data.items.data.price.product" };
	static const char *const data_data[] = { "data.data" };
	const bad_case cases[] = {
		{ "without data", no_data, 1, "",
		  "This property cannot be expanded (customer). You may want to try expanding 'data.customer' instead." },
		{ "without data, nested", no_data_deep, 1, "",
		  "This property cannot be expanded (latest_invoice). You may want to try expanding "
		  "'data.latest_invoice.payment_intent' instead." },
		{ "an unknown item field", bad_item, 1, "", "This property cannot be expanded (data.bogus)." },
		{ "five levels with data", too_deep, 1, "property_expansion_max_depth",
		  "You cannot expand more than 4 levels of a property. Property: data.items.data.price.product" },
		{ "data twice", data_data, 1, "", "This property cannot be expanded (data.data)." },
	};
	text bodies = { 0 };
	for (size_t i = 0; i < COUNT(cases); i++)
		check_bad(p, &w, NULL, &subs, &cases[i], &bodies);

	fake_list events;
	check_ok(p, fake_event_list(&events, p, NULL, NULL));
	static const char *const event_paths[] = { "data.data" };
	const bad_case on_events = { "a page of events", event_paths, 1, "",
				     "This property cannot be expanded (data.data): Stripe expands nothing inside an "
				     "event, whose data.object is the object as it was." };
	check_bad(p, &w, NULL, &events, &on_events, &bodies);
	/* "data" alone is fine on events too */
	static const char *const data_only[] = { "data" };
	char *s = NULL;
	check_ok(p, fake_json_list_expand(&s, p, &events, "/v1/events", data_only, 1, 0));
	fake_json_free(p, s);
	text_free(&bodies);
}

/* Success leaves the error record as it was, as every fake_json_* function. */
static void test_expand_success_keeps_the_record(void **state)
{
	fake_processor *p = *state;
	world w;
	world_new(p, &w);
	fake_list page;
	check_ok(p, fake_subscription_list(&page, p, NULL, NULL));
	const fake_customer *missing = NULL;
	assert_int_equal(fake_customer_retrieve(&missing, p, "cus_nope", NULL), FAKE_ENOTFOUND);
	fake_error before = *fake_error_last(p);
	const char *const paths[] = { "customer", "latest_invoice.payment_intent" };
	char *s = expanded(p, w.sub, paths, COUNT(paths), 0);
	fake_json_free(p, s);
	const char *const data[] = { "data.customer" };
	check_ok(p, fake_json_list_expand(&s, p, &page, "/v1/subscriptions", data, 1, 0));
	fake_json_free(p, s);
	assert_memory_equal(fake_error_last(p), &before, sizeof(before));
	assert_string_equal(fake_error_last(p)->code, "resource_missing");
}

/* ---- allocation failure ------------------------------------------------------------- */

/* The only instance allocation is the finished string: failing it is
 * FAKE_ENOMEM with no output and nothing left allocated. */
static void test_expand_allocation_failure(void **state)
{
	(void)state;
	test_alloc a = { 0, 0, 0 };
	fake_processor_options o = test_alloc_options(&a);
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	world w;
	world_new(p, &w);
	const char *const paths[] = { "customer", "latest_invoice.payment_intent", "items.data.price.product" };
	for (unsigned long n = 1;; n++) {
		unsigned long live = a.live;
		char *s = out_sentinel;
		a.calls = 0;
		a.fail_at = n;
		int rc = fake_json_object_expand(&s, p, w.sub, paths, COUNT(paths), 0);
		a.fail_at = 0;
		if (rc == 0) {
			assert_int_equal(a.live, live + 1);
			fake_json_free(p, s);
			assert_true(n >= 2);
			break;
		}
		assert_int_equal(rc, FAKE_ENOMEM);
		assert_null(s);
		assert_int_equal(a.live, live);
		assert_true(n < 10);
	}
	fake_processor_free(p);
	assert_int_equal(a.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_expand_subscription_customer_and_latest_invoice, fixture_new,
						fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_every_expandable_field, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_lists, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_deleted_and_null, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_shows_live_objects, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_paths_repeat_in_any_order, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_nothing_is_plain, fixture_new, fixture_free),
		cmocka_unit_test(test_expand_is_deterministic),
		cmocka_unit_test_setup_teardown(test_expand_pretty_is_the_same_value, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_validates_against_stripe_schemas, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_bad_paths, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_bad_list_paths, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_expand_success_keeps_the_record, fixture_new, fixture_free),
		cmocka_unit_test(test_expand_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
