/*
 * Stripe-shaped JSON (fake/json.h): a scenario with every object type and
 * the events of all of it, checked against Stripe's OpenAPI schemas with
 * validate.py (shared/stripe-openapi, found through VALIDATE_PY); then
 * determinism, key order, pretty output, event snapshots and
 * previous_attributes, the deleted customer, error bodies, bad arguments
 * and allocation failure. Every test starts from a fresh processor.
 */
#include "helpers.h"
#include "json_helpers.h"

#include <inttypes.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

/* A non-NULL string no call returns: outs are preset to it so a test can see
 * that a failing call really wrote NULL. */
static char out_sentinel[] = "x";

/* ---- JSON helpers -------------------------------------------------------------- */

/* The compact JSON of an object; the caller frees it with fake_json_free(). */
static char *json_of(fake_processor *p, const void *object, unsigned int flags)
{
	char *s = NULL;
	check_ok(p, fake_json_object(&s, p, object, flags));
	assert_non_null(s);
	return s;
}

/* Appends an object's compact JSON as one line. */
static void add_line(fake_processor *p, text *t, const void *object)
{
	char *s = json_of(p, object, 0);
	text_add(t, "%s\n", s);
	fake_json_free(p, s);
}

/* Appends the error body of the record as one line (call right after the failed call). */
static void add_error_line(fake_processor *p, text *t)
{
	char *s = NULL;
	check_ok(p, fake_json_error(&s, p, 0));
	text_add(t, "%s\n", s);
	fake_json_free(p, s);
}

/* The parsed JSON of an object. */
static json_t *parsed(fake_processor *p, const void *object)
{
	char *s = json_of(p, object, 0);
	json_t *v = parse(s);
	fake_json_free(p, s);
	return v;
}

/* ---- retrieving every object by its deterministic id ---------------------------- */

typedef int (*get_fn)(const void **out, fake_processor *p, const char *id);

#define GETTER(name, type)                                                           \
	static int get_##name(const void **out, fake_processor *p, const char *id)   \
	{                                                                            \
		const type *o = NULL;                                                \
		int rc = fake_##name##_retrieve(&o, p, id, NULL);                    \
		*out = o;                                                            \
		return rc;                                                           \
	}
GETTER(customer, fake_customer)
GETTER(payment_method, fake_payment_method)
GETTER(product, fake_product)
GETTER(price, fake_price)
GETTER(payment_intent, fake_payment_intent)
GETTER(charge, fake_charge)
GETTER(refund, fake_refund)
GETTER(balance_transaction, fake_balance_transaction)
GETTER(setup_intent, fake_setup_intent)
GETTER(webhook_endpoint, fake_webhook_endpoint)
GETTER(event, fake_event)
GETTER(subscription, fake_subscription)
GETTER(subscription_item, fake_subscription_item)
GETTER(invoice, fake_invoice)
GETTER(invoice_item, fake_invoice_item)

static const struct kind {
	const char *prefix;
	get_fn get;
} object_kinds[] = {
	{ "cus_fake_", get_customer },    { "pm_fake_", get_payment_method },
	{ "prod_fake_", get_product },    { "price_fake_", get_price },
	{ "pi_fake_", get_payment_intent }, { "ch_fake_", get_charge },
	{ "re_fake_", get_refund },       { "txn_fake_", get_balance_transaction },
	{ "seti_fake_", get_setup_intent }, { "we_fake_", get_webhook_endpoint },
	{ "sub_fake_", get_subscription }, { "si_fake_", get_subscription_item },
	{ "in_fake_", get_invoice },      { "ii_fake_", get_invoice_item },
};

/* Ids of a kind are numbered from 1; deleted subscription items, invoices
 * and invoice items cannot be retrieved, so a walk skips up to this many
 * missing ids in a row before it stops. */
#define MISSING_IDS_MAX 8

/* The n-th object (1-based) of a kind, or NULL when there is none. */
static const void *nth(fake_processor *p, const struct kind *k, int n)
{
	char id[64];
	const void *o = NULL;
	snprintf(id, sizeof id, "%s%05d", k->prefix, n);
	return k->get(&o, p, id) == 0 ? o : NULL;
}

static const void *get(fake_processor *p, get_fn fn, const char *id)
{
	const void *o = NULL;
	check_ok(p, fn(&o, p, id));
	assert_non_null(o);
	return o;
}

static const fake_event *event_nth(fake_processor *p, size_t n)
{
	static const struct kind events = { "evt_fake_", get_event };
	const fake_event *e = nth(p, &events, (int)n);
	assert_non_null(e);
	return e;
}

/* The last event of a type. */
static const fake_event *event_last(fake_processor *p, const char *type)
{
	for (size_t n = fake_event_count(p); n > 0; n--) {
		const fake_event *e = event_nth(p, n);
		if (strcmp(fake_event_type(e), type) == 0)
			return e;
	}
	print_error("no %s event\n", type);
	fail();
	return NULL;
}

/* The first event of a type about the object with this id. */
static const fake_event *event_first(fake_processor *p, const char *type, const char *id)
{
	for (size_t n = 1; n <= fake_event_count(p); n++) {
		const fake_event *e = event_nth(p, n);
		const char *about = fake_object_id(fake_event_object(e)); /* NULL for a preview */
		if (strcmp(fake_event_type(e), type) == 0 && about && strcmp(about, id) == 0)
			return e;
	}
	print_error("no %s event for %s\n", type, id);
	fail();
	return NULL;
}

/* ---- the scenario ---------------------------------------------------------------- */

static const fake_customer *customer_new(fake_processor *p, const fake_customer_create_params *cp)
{
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, cp, NULL));
	assert_non_null(c);
	return c;
}

static const fake_payment_intent *intent_new(fake_processor *p, int64_t amount, const char *customer, const char *pm,
					     bool confirm, fake_capture_method capture)
{
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	const fake_payment_intent *pi = NULL;
	cp.amount = amount;
	cp.currency = "usd";
	cp.customer = customer;
	cp.payment_method = pm;
	cp.confirm = confirm;
	cp.capture_method = capture;
	check_ok(p, fake_payment_intent_create(&pi, p, &cp, NULL));
	assert_non_null(pi);
	return pi;
}

static const fake_setup_intent *setup_new(fake_processor *p, const char *customer, const char *pm, bool confirm,
					  bool on_session)
{
	fake_setup_intent_create_params sp = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	const fake_setup_intent *si = NULL;
	sp.customer = customer;
	sp.payment_method = pm;
	sp.confirm = confirm;
	sp.on_session = on_session;
	check_ok(p, fake_setup_intent_create(&si, p, &sp, NULL));
	assert_non_null(si);
	return si;
}

static const fake_price *price_new(fake_processor *p, fake_price_create_params *pp)
{
	const fake_price *price = NULL;
	pp->currency = "usd";
	check_ok(p, fake_price_create(&price, p, pp, NULL));
	assert_non_null(price);
	return price;
}

static void refund(fake_processor *p, const char *charge, int64_t amount, const char *reason)
{
	static const fake_kv meta[] = { { "ticket", "T-1" } };
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	const fake_refund *re = NULL;
	rp.charge = charge;
	rp.amount = amount;
	rp.reason = reason;
	rp.metadata = meta;
	rp.metadata_count = reason ? 1 : 0;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
}

/* ---- the billing part of the scenario ------------------------------------------- */

/* A customer, with a test card attached and made its default when `card` is given. */
static const fake_customer *billing_customer(fake_processor *p, const char *email, const char *card)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = email;
	cp.name = "Billing Customer";
	cp.phone = "+15555550199";
	cp.payment_method = card;
	cp.default_payment_method = card;
	return customer_new(p, &cp);
}

static const fake_subscription *subscription_new(fake_processor *p, fake_subscription_create_params *sp)
{
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, sp, NULL));
	assert_non_null(sub);
	return sub;
}

/* An invoice item of `amount` for a customer: pending, or on a draft
 * (`invoice`), for one subscription's next invoice (`subscription`). */
static const fake_invoice_item *invoice_item_new(fake_processor *p, const char *customer, int64_t amount,
						 const char *description, const char *invoice, const char *subscription)
{
	fake_invoice_item_create_params ip = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	const fake_invoice_item *ii = NULL;
	ip.customer = customer;
	ip.amount = amount;
	ip.currency = "usd";
	ip.description = description;
	ip.invoice = invoice;
	ip.subscription = subscription;
	check_ok(p, fake_invoice_item_create(&ii, p, &ip, NULL));
	assert_non_null(ii);
	return ii;
}

/* A draft invoice for a customer with its pending items. */
static const fake_invoice *invoice_new(fake_processor *p, const char *customer, const char *description)
{
	fake_invoice_create_params ip = FAKE_INVOICE_CREATE_PARAMS_INIT;
	const fake_invoice *inv = NULL;
	ip.customer = customer;
	ip.description = description;
	check_ok(p, fake_invoice_create(&inv, p, &ip, NULL));
	assert_non_null(inv);
	return inv;
}

/* Subscriptions in every state the JSON distinguishes (trialing, active,
 * paused and resumed, send_invoice and overdue, with collection paused,
 * incomplete after a decline or 3D Secure, canceled), items added,
 * changed and deleted, usage on a metered item, invoices draft, open,
 * paid, paid out of band, void and uncollectible, a deleted draft,
 * invoice items pending, on a draft and deleted, and the upcoming
 * invoice. Objects that cannot be retrieved by id (usage records,
 * deleted objects, the preview, a line on its own) go to `extra`. */
static void run_billing(fake_processor *p, text *errors, text *extra)
{
	static const fake_kv sub_meta[] = { { "plan", "gold" }, { "team", "core" } };
	static const fake_kv sub_meta2[] = { { "plan", "platinum" }, { "team", "" }, { "seats", "3" } };
	static const fake_kv item_meta[] = { { "role", "base" } };
	static const fake_kv invoice_meta[] = { { "order", "A-17" } };
	const fake_price *monthly = get(p, get_price, "price_fake_00002");
	const fake_price *metered = get(p, get_price, "price_fake_00003");
	fake_price_create_params pp = FAKE_PRICE_CREATE_PARAMS_INIT;
	pp.unit_amount = 500;
	pp.product = "prod_fake_00001";
	pp.interval = FAKE_INTERVAL_MONTH;
	pp.nickname = "Seat";
	const fake_price *seat = price_new(p, &pp);

	/* T: a 14-day trial on a licensed and a metered item */
	const fake_customer *t = billing_customer(p, "trial@example.com", "pm_card_visa");
	fake_subscription_item_params items[2] = { { 0 } };
	items[0].price = fake_price_id(monthly);
	items[0].metadata = item_meta;
	items[0].metadata_count = 1;
	items[1].price = fake_price_id(metered);
	fake_subscription_create_params sp = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = fake_customer_id(t);
	sp.items = items;
	sp.item_count = 2;
	sp.trial_period_days = 14;
	sp.description = "Trial plan";
	sp.metadata = sub_meta;
	sp.metadata_count = 2;
	const fake_subscription *trial = subscription_new(p, &sp);

	/* P: a one-day trial with no payment method, paused when it ends */
	const fake_customer *pc = billing_customer(p, "pause@example.com", NULL);
	memset(items, 0, sizeof items);
	items[0].price = fake_price_id(monthly);
	sp = (fake_subscription_create_params)FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = fake_customer_id(pc);
	sp.items = items;
	sp.item_count = 1;
	sp.trial_period_days = 1;
	sp.trial_missing_payment_method = FAKE_TRIAL_END_PAUSE;
	const fake_subscription *paused = subscription_new(p, &sp);

	/* S: send_invoice, due in 7 days, never paid */
	const fake_customer *s = billing_customer(p, "send@example.com", NULL);
	items[0].price = fake_price_id(seat);
	items[0].quantity = 2;
	sp = (fake_subscription_create_params)FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = fake_customer_id(s);
	sp.items = items;
	sp.item_count = 1;
	sp.collection_method = FAKE_COLLECT_SEND_INVOICE;
	sp.days_until_due = 7;
	const fake_subscription *sent = subscription_new(p, &sp);

	/* C: charged at once, two items */
	const fake_customer *c = billing_customer(p, "charged@example.com", "pm_card_visa");
	memset(items, 0, sizeof items);
	items[0].price = fake_price_id(monthly);
	items[1].price = fake_price_id(seat);
	items[1].quantity = 3;
	sp = (fake_subscription_create_params)FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = fake_customer_id(c);
	sp.items = items;
	sp.item_count = 2;
	sp.metadata = sub_meta;
	sp.metadata_count = 1;
	const fake_subscription *charged = subscription_new(p, &sp);
	assert_string_equal(fake_subscription_status_name(charged), "active");

	/* usage on T's metered item */
	fake_usage_record_params up = FAKE_USAGE_RECORD_PARAMS_INIT;
	const fake_usage_record *ur = NULL;
	up.subscription_item = fake_subscription_item_id(fake_subscription_item_at(trial, 1));
	up.quantity = 40;
	check_ok(p, fake_usage_record_create(&ur, p, &up, NULL));
	add_line(p, extra, ur);
	check_ok(p, fake_clock_advance(p, 60));
	up.quantity = 2;
	check_ok(p, fake_usage_record_create(&ur, p, &up, NULL));
	add_line(p, extra, ur);

	/* T changes its metadata and a quantity: customer.subscription.updated */
	fake_subscription_item_params change = { 0 };
	change.id = fake_subscription_item_id(fake_subscription_item_at(trial, 0));
	change.quantity = 3;
	fake_subscription_update_params su = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	su.items = &change;
	su.item_count = 1;
	su.metadata = sub_meta2;
	su.metadata_count = 3;
	check_ok(p, fake_subscription_update(&trial, p, fake_subscription_id(trial), &su, NULL));

	/* 12 days: P paused at day 1, S overdue at day 7, T's trial_will_end and
	 * invoice.upcoming at day 11 */
	check_ok(p, fake_subscription_advance(p, NULL, 12, 0, true));
	assert_string_equal(fake_subscription_status_name(paused), "paused");
	assert_string_equal(fake_subscription_status_name(sent), "past_due");

	/* P gets a card and resumes: invoiced and charged now */
	const fake_payment_method *pm = NULL;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(pc);
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_mastercard", &ap, NULL));
	check_ok(p, fake_customer_set_default_payment_method(&pc, p, fake_customer_id(pc), fake_payment_method_id(pm),
							     NULL));
	check_ok(p, fake_subscription_resume(&paused, p, fake_subscription_id(paused), NULL));
	assert_string_equal(fake_subscription_status_name(paused), "active");

	/* T's trial ends (day 14): a draft, finalized and paid an hour later */
	check_ok(p, fake_subscription_advance(p, NULL, 2, 7200, true));
	assert_string_equal(fake_subscription_status_name(trial), "active");

	/* C: collection paused, then its seat item deleted */
	su = (fake_subscription_update_params)FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	su.pause_collection = FAKE_PAUSE_KEEP_AS_DRAFT;
	su.pause_resumes_at = fake_clock_now(p) + 7 * 86400;
	check_ok(p, fake_subscription_update(&charged, p, fake_subscription_id(charged), &su, NULL));
	const fake_subscription_item *gone = NULL;
	check_ok(p, fake_subscription_item_delete(&gone, p, fake_subscription_item_id(fake_subscription_item_at(charged, 1)),
						  FAKE_PRORATION_NONE, NULL));
	add_line(p, extra, gone);

	/* C's manual invoices: a draft with three pending items, one added to
	 * it and deleted, then updated */
	const char *cid = fake_customer_id(c);
	fake_invoice_item_create_params ip = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	const fake_invoice_item *ii = NULL;
	ip.customer = cid;
	ip.amount = 1200;
	ip.currency = "usd";
	ip.description = "Setup fee";
	ip.metadata = invoice_meta;
	ip.metadata_count = 1;
	check_ok(p, fake_invoice_item_create(&ii, p, &ip, NULL));
	fake_price_data pd = { "usd", "prod_fake_00001", 333, FAKE_INTERVAL_NONE, 0 };
	ip = (fake_invoice_item_create_params)FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ip.customer = cid;
	ip.price_data = &pd;
	ip.quantity = 2;
	check_ok(p, fake_invoice_item_create(&ii, p, &ip, NULL));
	invoice_item_new(p, cid, -500, "Loyalty credit", NULL, NULL);
	const fake_invoice *draft = invoice_new(p, cid, "Manual invoice");
	ii = invoice_item_new(p, cid, 250, "Rush handling", fake_invoice_id(draft), NULL);
	check_ok(p, fake_invoice_item_delete(&ii, p, fake_invoice_item_id(ii), NULL));
	add_line(p, extra, ii);
	fake_invoice_update_params iu = FAKE_INVOICE_UPDATE_PARAMS_INIT;
	iu.description = "Manual invoice, revised";
	iu.metadata = invoice_meta;
	iu.metadata_count = 1;
	check_ok(p, fake_invoice_update(&draft, p, fake_invoice_id(draft), &iu, NULL));
	add_line(p, extra, fake_invoice_line_at(draft, 0));

	/* void, uncollectible, paid out of band, deleted */
	invoice_item_new(p, cid, 700, "To be voided", NULL, NULL);
	const fake_invoice *inv = invoice_new(p, cid, NULL);
	check_ok(p, fake_invoice_finalize(&inv, p, fake_invoice_id(inv), NULL));
	check_ok(p, fake_invoice_void(&inv, p, fake_invoice_id(inv), NULL));
	invoice_item_new(p, cid, 900, "Never paid", NULL, NULL);
	inv = invoice_new(p, cid, NULL);
	check_ok(p, fake_invoice_finalize(&inv, p, fake_invoice_id(inv), NULL));
	check_ok(p, fake_invoice_mark_uncollectible(&inv, p, fake_invoice_id(inv), NULL));
	invoice_item_new(p, cid, 450, "Paid by cheque", NULL, NULL);
	inv = invoice_new(p, cid, NULL);
	check_ok(p, fake_invoice_finalize(&inv, p, fake_invoice_id(inv), NULL));
	fake_invoice_pay_params pay = FAKE_INVOICE_PAY_PARAMS_INIT;
	pay.paid_out_of_band = true;
	check_ok(p, fake_invoice_pay(&inv, p, fake_invoice_id(inv), &pay, NULL));
	invoice_item_new(p, cid, 100, "Deleted draft", NULL, NULL);
	inv = invoice_new(p, cid, NULL);
	check_ok(p, fake_invoice_delete(&inv, p, fake_invoice_id(inv), NULL));
	add_line(p, extra, inv);

	/* C doubles its base item mid-period: two pending prorations, in its upcoming invoice */
	change = (fake_subscription_item_params){ 0 };
	change.id = fake_subscription_item_id(fake_subscription_item_at(charged, 0));
	change.quantity = 2;
	su = (fake_subscription_update_params)FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	su.items = &change;
	su.item_count = 1;
	check_ok(p, fake_subscription_update(&charged, p, fake_subscription_id(charged), &su, NULL));
	const fake_invoice *upcoming = NULL;
	check_ok(p, fake_invoice_upcoming(&upcoming, p, fake_subscription_id(charged), NULL));
	add_line(p, extra, upcoming);

	/* F: declined at creation (card ...0341 attaches, then declines): open */
	const fake_customer *f = billing_customer(p, "declined@example.com", "pm_card_chargeCustomerFail");
	memset(items, 0, sizeof items);
	items[0].price = fake_price_id(monthly);
	sp = (fake_subscription_create_params)FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = fake_customer_id(f);
	sp.items = items;
	sp.item_count = 1;
	const fake_subscription *incomplete = subscription_new(p, &sp);
	assert_string_equal(fake_subscription_status_name(incomplete), "incomplete");
	inv = NULL;
	check_ok(p, fake_invoice_retrieve(&inv, p, fake_subscription_latest_invoice(incomplete), NULL));
	assert_string_equal(fake_invoice_status_name(inv), "open");
	assert_int_equal(fake_invoice_pay(&inv, p, fake_subscription_latest_invoice(incomplete), NULL, NULL),
			 FAKE_ECARD);
	add_error_line(p, errors);

	/* A: 3D Secure at creation: invoice.payment_action_required */
	const fake_customer *a = billing_customer(p, "auth@example.com", "pm_card_authenticationRequired");
	sp.customer = fake_customer_id(a);
	subscription_new(p, &sp);

	/* T: a pending item for its next invoice, then the upcoming invoice */
	invoice_item_new(p, fake_customer_id(t), 300, "Extra seats", NULL, fake_subscription_id(trial));
	check_ok(p, fake_invoice_upcoming(&upcoming, p, fake_subscription_id(trial), NULL));
	add_line(p, extra, upcoming);

	/* S is canceled: customer.subscription.deleted */
	check_ok(p, fake_subscription_cancel(&sent, p, fake_subscription_id(sent), NULL, NULL));
}

/* Every object type in every state the JSON distinguishes, with the events
 * of all of it. Error bodies are captured right after each failing call;
 * objects that cannot be retrieved by id are written to `extra` as they
 * come. */
/* The scenario's webhook endpoint: every delivery succeeds. */
static int accept_webhook(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	(void)p;
	(void)d;
	(void)user_data;
	return 0;
}

static void run_scenario(fake_processor *p, text *errors, text *extra)
{
	static const char *const every[] = { "*" };
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	const fake_webhook_endpoint *we = NULL;
	wp.url = "https://example.com/stripe/webhook";
	wp.enabled_events = every;
	wp.enabled_event_count = 1;
	wp.handler = accept_webhook;
	wp.description = "libfake JSON test";
	check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));

	static const fake_kv grace_meta[] = { { "plan", "pro" }, { "team", "core" } };
	static const fake_kv ada_meta[] = { { "tier", "gold" } };
	static const fake_kv pm_meta[] = { { "source", "test" } };
	static const fake_kv pm_meta2[] = { { "source", "updated" }, { "extra", "yes" } };
	static const fake_kv product_meta[] = { { "family", "plans" } };
	static const fake_kv price_meta[] = { { "k", "v" } };
	const void *o = NULL;

	/* customers: plain; with metadata and a default payment method; deleted */
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "ada@example.com";
	cp.name = "Ada Lovelace";
	cp.description = "first customer";
	cp.phone = "+15555550100";
	const fake_customer *ada = customer_new(p, &cp);
	cp = (fake_customer_create_params)FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "grace@example.com";
	cp.name = "Grace Hopper";
	cp.metadata = grace_meta;
	cp.metadata_count = 2;
	cp.payment_method = "pm_card_visa";
	cp.default_payment_method = "pm_card_visa";
	const fake_customer *grace = customer_new(p, &cp);
	cp = (fake_customer_create_params)FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "gone@example.com";
	cp.payment_method = "pm_card_mastercard";
	const fake_customer *gone = customer_new(p, &cp);
	check_ok(p, fake_customer_delete(&gone, p, fake_customer_id(gone), NULL));
	check_ok(p, fake_clock_advance(p, 60));

	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "ada@lovelace.example";
	up.metadata = ada_meta;
	up.metadata_count = 1;
	check_ok(p, fake_customer_update(&ada, p, fake_customer_id(ada), &up, NULL));

	/* payment methods: created, attached, updated, made default; attached and detached */
	fake_payment_method_create_params mp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = NULL;
	mp.card_number = "4242424242424242";
	mp.exp_month = 12;
	mp.exp_year = 2030;
	mp.cvc = "123";
	mp.billing_name = "Ada Lovelace";
	mp.billing_email = "ada@example.com";
	mp.billing_phone = "+15555550100";
	mp.metadata = pm_meta;
	mp.metadata_count = 1;
	check_ok(p, fake_payment_method_create(&pm, p, &mp, NULL));
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(ada);
	check_ok(p, fake_payment_method_attach(&pm, p, fake_payment_method_id(pm), &ap, NULL));
	fake_payment_method_update_params mu = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	mu.exp_month = 11;
	mu.billing_name = "Ada L.";
	mu.metadata = pm_meta2;
	mu.metadata_count = 2;
	check_ok(p, fake_payment_method_update(&pm, p, fake_payment_method_id(pm), &mu, NULL));
	check_ok(p, fake_customer_set_default_payment_method(&ada, p, fake_customer_id(ada),
							     fake_payment_method_id(pm), NULL));
	const fake_payment_method *amex = NULL;
	check_ok(p, fake_payment_method_attach(&amex, p, "pm_card_amex", &ap, NULL));
	check_ok(p, fake_payment_method_detach(&amex, p, fake_payment_method_id(amex), NULL));

	/* products and prices: one-time, recurring, metered, with lookup keys */
	fake_product_create_params prp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *gold = NULL;
	prp.name = "Gold plan";
	prp.description = "Everything, monthly";
	prp.metadata = product_meta;
	prp.metadata_count = 1;
	check_ok(p, fake_product_create(&gold, p, &prp, NULL));
	check_ok(p, fake_clock_advance(p, 30));
	fake_product_update_params pru = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	pru.name = "Gold plan v2";
	pru.description = "";
	check_ok(p, fake_product_update(&gold, p, fake_product_id(gold), &pru, NULL));

	fake_price_create_params pp = FAKE_PRICE_CREATE_PARAMS_INIT;
	pp.unit_amount = 1500;
	pp.product = fake_product_id(gold);
	pp.lookup_key = "gold_once";
	const fake_price *once = price_new(p, &pp);
	pp = (fake_price_create_params)FAKE_PRICE_CREATE_PARAMS_INIT;
	pp.unit_amount = 2000;
	pp.product = fake_product_id(gold);
	pp.interval = FAKE_INTERVAL_MONTH;
	pp.lookup_key = "gold_monthly";
	pp.nickname = "Monthly";
	price_new(p, &pp);
	pp = (fake_price_create_params)FAKE_PRICE_CREATE_PARAMS_INIT;
	pp.unit_amount = 5;
	pp.product_name = "API calls";
	pp.interval = FAKE_INTERVAL_MONTH;
	pp.usage_type = FAKE_USAGE_METERED;
	pp.lookup_key = "api_calls";
	price_new(p, &pp);
	pp = (fake_price_create_params)FAKE_PRICE_CREATE_PARAMS_INIT;
	pp.unit_amount = 20000;
	pp.product = fake_product_id(gold);
	pp.interval = FAKE_INTERVAL_YEAR;
	pp.lookup_key = "gold_monthly"; /* taken from the monthly price: price.updated for it */
	pp.transfer_lookup_key = true;
	price_new(p, &pp);
	fake_price_update_params pu = FAKE_PRICE_UPDATE_PARAMS_INIT;
	pu.nickname = "One-off";
	pu.metadata = price_meta;
	pu.metadata_count = 1;
	pu.active = FAKE_ACTIVE_CLEAR;
	check_ok(p, fake_price_update(&once, p, fake_price_id(once), &pu, NULL));

	/* payment intents */
	const fake_payment_intent *paid = intent_new(p, 2000, fake_customer_id(grace),
						     fake_customer_default_payment_method(grace), true,
						     FAKE_CAPTURE_AUTOMATIC);
	fake_payment_intent_create_params dp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	const fake_payment_intent *declined = NULL;
	dp.amount = 1200;
	dp.currency = "usd";
	dp.customer = fake_customer_id(ada);
	dp.payment_method = "pm_card_chargeDeclinedInsufficientFunds";
	dp.confirm = true;
	assert_int_equal(fake_payment_intent_create(&declined, p, &dp, NULL), FAKE_ECARD);
	add_error_line(p, errors);
	intent_new(p, 3000, fake_customer_id(ada), "pm_card_threeDSecure2Required", true, FAKE_CAPTURE_AUTOMATIC);
	const fake_payment_intent *auth_failed = intent_new(p, 3100, NULL, "pm_card_threeDSecure2Required", true,
							    FAKE_CAPTURE_AUTOMATIC);
	check_ok(p, fake_payment_intent_authenticate(&auth_failed, p, fake_payment_intent_id(auth_failed), false, NULL));
	intent_new(p, 4000, NULL, "pm_card_visa", true, FAKE_CAPTURE_MANUAL);
	const fake_payment_intent *partial = intent_new(p, 5000, NULL, "pm_card_visa", true, FAKE_CAPTURE_MANUAL);
	fake_payment_intent_capture_params kp = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	kp.amount_to_capture = 3000;
	check_ok(p, fake_payment_intent_capture(&partial, p, fake_payment_intent_id(partial), &kp, NULL));
	const fake_payment_intent *canceled = intent_new(p, 6000, NULL, "pm_card_visa", false, FAKE_CAPTURE_AUTOMATIC);
	check_ok(p, fake_payment_intent_cancel(&canceled, p, fake_payment_intent_id(canceled), "requested_by_customer",
					       NULL));
	const fake_payment_intent *released = intent_new(p, 7000, NULL, "pm_card_visa", true, FAKE_CAPTURE_MANUAL);
	check_ok(p, fake_payment_intent_cancel(&released, p, fake_payment_intent_id(released), NULL, NULL));
	check_ok(p, fake_clock_advance(p, 3600));

	/* refunds: the paid charge in two parts, the partly captured one in part */
	refund(p, fake_payment_intent_latest_charge(paid), 500, "requested_by_customer");
	refund(p, fake_payment_intent_latest_charge(paid), 0, NULL);
	refund(p, fake_payment_intent_latest_charge(partial), 1000, NULL);

	/* setup intents: succeeded, declined, requires_action, canceled, failed authentication */
	setup_new(p, fake_customer_id(ada), "pm_card_visa", true, false);
	fake_setup_intent_create_params sp = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	const fake_setup_intent *si = NULL;
	sp.payment_method = "pm_card_chargeDeclined";
	sp.confirm = true;
	assert_int_equal(fake_setup_intent_create(&si, p, &sp, NULL), FAKE_ECARD);
	add_error_line(p, errors);
	setup_new(p, fake_customer_id(ada), "pm_card_authenticationRequiredOnSetup", true, true);
	si = setup_new(p, NULL, NULL, false, false);
	check_ok(p, fake_setup_intent_cancel(&si, p, fake_setup_intent_id(si), "abandoned", NULL));
	si = setup_new(p, NULL, "pm_card_threeDSecure2Required", true, false);
	check_ok(p, fake_setup_intent_authenticate(&si, p, fake_setup_intent_id(si), false, NULL));

	/* an invalid_request_error */
	assert_int_equal(fake_customer_retrieve((const fake_customer **)&o, p, "cus_nope", NULL), FAKE_ENOTFOUND);
	add_error_line(p, errors);

	run_billing(p, errors, extra);
}

/* Every object (one line each, by kind and id, then those that cannot be
 * retrieved), every event, pages of customers, subscriptions, invoices,
 * invoice items, subscription items and invoice lines, and the scenario's
 * error bodies. */
typedef struct output {
	text objects;
	text events;
	text page;          /* customers */
	text subscriptions; /* a page of GET /v1/subscriptions */
	text invoices;      /* a page of GET /v1/invoices */
	text pages;         /* pages of invoice items, subscription items and invoice lines */
	text errors;
} output;

/* Appends a page's JSON with its url. */
static void add_page(fake_processor *p, text *t, const fake_list *page, const char *url)
{
	char *s = NULL;
	check_ok(p, fake_json_list(&s, p, page, url, 0));
	text_add(t, "%s", s);
	fake_json_free(p, s);
}

static void produce(fake_processor *p, output *out)
{
	text extra = { 0 };
	run_scenario(p, &out->errors, &extra);
	for (size_t k = 0; k < sizeof(object_kinds) / sizeof(object_kinds[0]); k++) {
		int missing = 0;
		for (int n = 1; missing < MISSING_IDS_MAX; n++) {
			const void *o = nth(p, &object_kinds[k], n);
			missing = o ? 0 : missing + 1;
			if (o)
				add_line(p, &out->objects, o);
		}
	}
	text_add(&out->objects, "%s", extra.s);
	text_free(&extra);
	for (size_t n = 1; n <= fake_event_count(p); n++)
		add_line(p, &out->events, event_nth(p, n));

	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = 1;
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_true(page.has_more);
	add_page(p, &out->page, &page, "/v1/customers");

	fake_subscription_list_params sp = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	sp.status = "all";
	sp.page.limit = 4;
	check_ok(p, fake_subscription_list(&page, p, &sp, NULL));
	assert_true(page.has_more);
	add_page(p, &out->subscriptions, &page, "/v1/subscriptions");
	fake_invoice_list_params ip = FAKE_INVOICE_LIST_PARAMS_INIT;
	ip.page.limit = 5;
	check_ok(p, fake_invoice_list(&page, p, &ip, NULL));
	assert_true(page.has_more);
	add_page(p, &out->invoices, &page, "/v1/invoices");
	check_ok(p, fake_invoice_item_list(&page, p, NULL, NULL));
	add_page(p, &out->pages, &page, "/v1/invoiceitems");
	text_add(&out->pages, "\n");

	/* C's items, and the lines of its manual draft */
	const fake_subscription *sub = get(p, get_subscription, "sub_fake_00004");
	fake_subscription_item_list_params sip = FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT;
	sip.subscription = fake_subscription_id(sub);
	check_ok(p, fake_subscription_item_list(&page, p, &sip, NULL));
	char url[128];
	snprintf(url, sizeof url, "/v1/subscription_items?subscription=%s", fake_subscription_id(sub));
	add_page(p, &out->pages, &page, url);
	text_add(&out->pages, "\n");
	const fake_invoice *draft = get(p, get_invoice, "in_fake_00007");
	assert_string_equal(fake_invoice_status_name(draft), "draft");
	memset(&page, 0, sizeof page);
	for (size_t i = 0; i < fake_invoice_line_count(draft); i++)
		page.data[page.count++] = fake_invoice_line_at(draft, i);
	snprintf(url, sizeof url, "/v1/invoices/%s/lines", fake_invoice_id(draft));
	add_page(p, &out->pages, &page, url);
	text_add(&out->pages, "\n");
}

static void output_free(output *out)
{
	text *all[] = { &out->objects, &out->events, &out->page, &out->subscriptions, &out->invoices, &out->pages,
			&out->errors };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		text_free(all[i]);
}

/* ---- the validator --------------------------------------------------------------- */

static void test_json_validates_against_stripe_schemas(void **state)
{
	fake_processor *p = *state;
	if (access(VALIDATE_PY, R_OK) != 0) {
		print_message("# %s not found: schema checks skipped\n", VALIDATE_PY);
		skip();
	}
	output out = { 0 };
	produce(p, &out);
	/* Every event type libfake emits for billing is in the file
	 * (invoice.upcoming: T's, with its trial_will_end at day 11). */
	static const char *const billing_events[] = {
		"customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
		"customer.subscription.trial_will_end", "customer.subscription.paused", "customer.subscription.resumed",
		"invoice.created", "invoice.updated", "invoice.deleted", "invoice.finalized", "invoice.paid",
		"invoice.payment_succeeded", "invoice.payment_failed", "invoice.payment_action_required",
		"invoice.voided", "invoice.marked_uncollectible", "invoice.sent", "invoice.overdue",
		"invoiceitem.created", "invoiceitem.deleted", "invoice.upcoming",
	};
	for (size_t i = 0; i < sizeof(billing_events) / sizeof(billing_events[0]); i++) {
		char needle[96];
		snprintf(needle, sizeof needle, "\"type\":\"%s\"}", billing_events[i]);
		if (!strstr(out.events.s, needle)) {
			print_error("no %s event in the scenario\n", billing_events[i]);
			fail();
		}
	}
	write_file("json_objects.jsonl", &out.objects);
	write_file("json_events.jsonl", &out.events);
	write_file("json_customers_page.json", &out.page);
	write_file("json_errors.jsonl", &out.errors);
	write_file("json_subscriptions_page.json", &out.subscriptions);
	write_file("json_invoices_page.json", &out.invoices);
	write_file("json_billing_pages.jsonl", &out.pages);

	double spent = 0;
	validate("--strict -q auto --many json_objects.jsonl", "json_validate_objects.log", &spent);
	validate("--strict -q event --many json_events.jsonl", "json_validate_events.log", &spent);
	validate("--strict -q list:customer json_customers_page.json", "json_validate_list.log", &spent);
	validate("--strict -q 'GET /v1/customers' json_customers_page.json", "json_validate_get.log", &spent);
	validate("--strict -q 'POST /v1/customers#default' --many json_errors.jsonl", "json_validate_errors.log",
		 &spent);
	validate("--strict -q 'GET /v1/subscriptions' json_subscriptions_page.json", "json_validate_subscriptions.log",
		 &spent);
	validate("--strict -q 'GET /v1/invoices' json_invoices_page.json", "json_validate_invoices.log", &spent);
	validate("--strict -q auto --many json_billing_pages.jsonl", "json_validate_billing_pages.log", &spent);
	print_message("# validate.py: 8 runs, %.2f s\n", spent);
	output_free(&out);
}

/* ---- determinism, order, pretty --------------------------------------------------- */

static void test_json_same_bytes_in_two_processors(void **state)
{
	(void)state;
	output a = { 0 }, b = { 0 };
	fake_processor *p = NULL, *q = NULL;
	assert_int_equal(fake_processor_new(&p, NULL), 0);
	assert_int_equal(fake_processor_new(&q, NULL), 0);
	produce(p, &a);
	produce(q, &b);
	assert_true(a.objects.len > 10000);
	assert_string_equal(a.objects.s, b.objects.s);
	assert_string_equal(a.events.s, b.events.s);
	assert_string_equal(a.page.s, b.page.s);
	assert_string_equal(a.errors.s, b.errors.s);
	output_free(&a);
	output_free(&b);
	fake_processor_free(p);
	fake_processor_free(q);
}

static void test_json_key_order_is_fixed(void **state)
{
	fake_processor *p = *state;
	output out = { 0 };
	produce(p, &out);

	char *s = json_of(p, get(p, get_customer, "cus_fake_00001"), 0);
	assert_true(strncmp(s, "{\"id\":\"cus_fake_00001\",\"object\":\"customer\",\"address\":null,\"balance\":0,", 70) ==
		    0);
	fake_json_free(p, s);
	s = json_of(p, event_nth(p, 1), 0);
	assert_true(strncmp(s, "{\"id\":\"evt_fake_00001\",\"object\":\"event\",\"api_version\":\"2023-08-16\",", 67) == 0);
	fake_json_free(p, s);
	assert_true(strncmp(out.page.s, "{\"object\":\"list\",\"data\":[{\"id\":\"cus_fake_00009\",", 47) == 0);

	/* jansson keeps insertion order: every document shows the builders' order */
	text *all[] = { &out.objects, &out.events, &out.errors };
	for (size_t t = 0; t < 3; t++) {
		for (char *line = strtok(all[t]->s, "\n"); line; line = strtok(NULL, "\n")) {
			json_t *v = parse(line);
			json_t *err = json_object_get(v, "error");
			check_key_order(err ? err : v, line);
			json_decref(v);
		}
	}
	output_free(&out);
}

static void test_json_pretty_parses_to_the_same_value(void **state)
{
	fake_processor *p = *state;
	output out = { 0 };
	produce(p, &out);
	for (size_t k = 0; k < sizeof(object_kinds) / sizeof(object_kinds[0]); k++) {
		const void *o = nth(p, &object_kinds[k], 1);
		assert_non_null(o);
		char *compact = json_of(p, o, 0);
		char *pretty = json_of(p, o, FAKE_JSON_PRETTY);
		assert_null(strchr(compact, '\n'));
		size_t n = strlen(pretty);
		assert_true(n > strlen(compact));
		assert_int_equal(pretty[n - 1], '\n');
		assert_true(strncmp(pretty, "{\n  \"id\": \"", 11) == 0);
		json_t *a = parse(compact), *b = parse(pretty);
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
		fake_json_free(p, compact);
		fake_json_free(p, pretty);
	}
	output_free(&out);
}

/* ---- shapes and values ----------------------------------------------------------- */

static void test_json_event_shows_the_object_as_it_was(void **state)
{
	static const fake_kv meta1[] = { { "a", "1" }, { "b", "2" } };
	static const fake_kv meta2[] = { { "a", "10" }, { "b", "" }, { "c", "3" } };
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "old@example.com";
	cp.metadata = meta1;
	cp.metadata_count = 2;
	const fake_customer *c = customer_new(p, &cp);
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "new@example.com";
	up.metadata = meta2;
	up.metadata_count = 3;
	check_ok(p, fake_customer_update(&c, p, fake_customer_id(c), &up, NULL));

	json_t *created = parsed(p, event_nth(p, 1));
	check_str(created, "type", "customer.created");
	check_str(created, "data.object.email", "old@example.com");
	check_str(created, "data.object.metadata.b", "2");
	check_absent(created, "data.previous_attributes");
	check_str(created, "request.id", "req_fake_00001");
	check_str(created, "request.idempotency_key", NULL);
	check_int(created, "pending_webhooks", 0);
	assert_true(json_is_false(json_object_get(created, "livemode")));
	json_decref(created);

	json_t *updated = parsed(p, event_nth(p, 2));
	check_str(updated, "type", "customer.updated");
	check_str(updated, "data.object.email", "new@example.com");
	/* Stripe: the old value of each changed field; for metadata the old
	 * values of the keys that changed or went, and null for added keys */
	json_t *want = json_pack("{s:s, s:{s:s, s:s, s:n}}", "email", "old@example.com", "metadata", "a", "1", "b", "2",
				 "c");
	assert_non_null(want);
	if (!json_equal(json_object_get(json_object_get(updated, "data"), "previous_attributes"), want)) {
		char *got = json_dumps(json_object_get(updated, "data"), JSON_COMPACT);
		print_error("previous_attributes: %s\n", got);
		free(got);
		fail();
	}
	json_decref(want);
	json_decref(updated);

	/* a nested field: only the member that changed */
	const fake_payment_method *pm = NULL;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(c);
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	check_ok(p, fake_customer_set_default_payment_method(&c, p, fake_customer_id(c), fake_payment_method_id(pm),
							     NULL));
	json_t *def = parsed(p, event_last(p, "customer.updated"));
	want = json_pack("{s:{s:n}}", "invoice_settings", "default_payment_method");
	assert_true(json_equal(json_object_get(json_object_get(def, "data"), "previous_attributes"), want));
	check_str(def, "data.object.invoice_settings.default_payment_method", fake_payment_method_id(pm));
	json_decref(want);
	json_decref(def);

	fake_payment_method_update_params mu = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	mu.exp_month = 3;
	check_ok(p, fake_payment_method_update(&pm, p, fake_payment_method_id(pm), &mu, NULL));
	json_t *pmu = parsed(p, event_last(p, "payment_method.updated"));
	want = json_pack("{s:{s:i}}", "card", "exp_month", 12);
	assert_true(json_equal(json_object_get(json_object_get(pmu, "data"), "previous_attributes"), want));
	check_int(pmu, "data.object.card.exp_month", 3);
	json_decref(want);
	json_decref(pmu);

	/* the live customer has moved on; the first event has not */
	json_t *live = parsed(p, c);
	check_str(live, "email", "new@example.com");
	json_decref(live);
}

static void test_json_deleted_customer(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "bye@example.com";
	const fake_customer *c = customer_new(p, &cp);
	check_ok(p, fake_customer_delete(&c, p, fake_customer_id(c), NULL));
	char *s = json_of(p, c, 0);
	assert_string_equal(s, "{\"id\":\"cus_fake_00001\",\"object\":\"customer\",\"deleted\":true}");
	fake_json_free(p, s);
	/* customer.deleted carries the customer as it was */
	json_t *e = parsed(p, event_last(p, "customer.deleted"));
	check_str(e, "data.object.email", "bye@example.com");
	check_absent(e, "data.object.deleted");
	json_decref(e);
}

static void test_json_payment_shapes(void **state)
{
	fake_processor *p = *state;
	text errors = { 0 }, extra = { 0 };
	run_scenario(p, &errors, &extra);
	text_free(&errors);
	text_free(&extra);

	/* the charge refunded in two parts: both refunds, newest first */
	json_t *ch = parsed(p, get(p, get_charge, "ch_fake_00001"));
	check_str(ch, "status", "succeeded");
	assert_true(json_is_true(json_object_get(ch, "refunded")));
	check_int(ch, "amount_refunded", 2000);
	check_str(ch, "refunds.url", "/v1/charges/ch_fake_00001/refunds");
	check_str(ch, "refunds.data.0.id", "re_fake_00002");
	check_str(ch, "refunds.data.1.id", "re_fake_00001");
	check_absent(ch, "refunds.data.2");
	check_str(ch, "outcome.network_status", "approved_by_network");
	check_str(ch, "outcome.type", "authorized");
	check_str(ch, "payment_method_details.type", "card");
	check_str(ch, "payment_method_details.card.brand", "visa");
	check_str(ch, "payment_method_details.card.last4", "4242");
	check_str(ch, "billing_details.address.city", NULL);
	json_decref(ch);
	/* ... and its charge.succeeded event, from before any refund: none */
	json_t *ev = parsed(p, event_nth(p, 1));
	for (size_t n = 1; n <= fake_event_count(p); n++) {
		json_decref(ev);
		ev = parsed(p, event_nth(p, n));
		if (strcmp(json_string_value(at(ev, "type")), "charge.succeeded") == 0)
			break;
	}
	check_str(ev, "data.object.id", "ch_fake_00001");
	assert_int_equal(json_array_size(at(ev, "data.object.refunds.data")), 0);
	json_decref(ev);

	/* the declined charge */
	json_t *failed = parsed(p, get(p, get_charge, "ch_fake_00002"));
	check_str(failed, "status", "failed");
	check_str(failed, "failure_code", "card_declined");
	check_str(failed, "outcome.network_status", "declined_by_network");
	check_str(failed, "outcome.reason", "insufficient_funds");
	check_str(failed, "outcome.seller_message", "The bank returned the decline code `insufficient_funds`.");
	check_str(failed, "outcome.type", "issuer_declined");
	check_str(failed, "balance_transaction", NULL);
	json_decref(failed);

	/* the declined intent, the one in requires_action, the failed authentication */
	json_t *pi = parsed(p, get(p, get_payment_intent, "pi_fake_00002"));
	check_str(pi, "status", "requires_payment_method");
	check_str(pi, "last_payment_error.type", "card_error");
	check_str(pi, "last_payment_error.code", "card_declined");
	check_str(pi, "last_payment_error.decline_code", "insufficient_funds");
	check_str(pi, "last_payment_error.charge", "ch_fake_00002");
	check_str(pi, "last_payment_error.doc_url", "https://stripe.com/docs/error-codes/card-declined");
	check_str(pi, "payment_method", NULL);
	check_str(pi, "next_action", NULL);
	json_decref(pi);
	pi = parsed(p, get(p, get_payment_intent, "pi_fake_00003"));
	check_str(pi, "status", "requires_action");
	check_str(pi, "next_action.type", "use_stripe_sdk");
	assert_true(json_is_object(at(pi, "next_action.use_stripe_sdk")));
	check_str(pi, "client_secret", "pi_fake_00003_secret_fake");
	json_decref(pi);
	pi = parsed(p, get(p, get_payment_intent, "pi_fake_00004"));
	check_str(pi, "last_payment_error.type", "invalid_request_error");
	check_str(pi, "last_payment_error.code", "payment_intent_authentication_failure");
	check_absent(pi, "last_payment_error.decline_code");
	json_decref(pi);
	pi = parsed(p, get(p, get_payment_intent, "pi_fake_00005"));
	check_str(pi, "status", "requires_capture");
	check_str(pi, "capture_method", "manual");
	check_int(pi, "amount_capturable", 4000);
	json_decref(pi);
	pi = parsed(p, get(p, get_payment_intent, "pi_fake_00007"));
	check_str(pi, "status", "canceled");
	check_str(pi, "cancellation_reason", "requested_by_customer");
	assert_true(json_is_integer(at(pi, "canceled_at")));
	json_decref(pi);

	/* balance transactions: a charge with Stripe's fee, a refund without */
	json_t *txn = parsed(p, get(p, get_balance_transaction, "txn_fake_00001"));
	check_str(txn, "type", "charge");
	check_str(txn, "reporting_category", "charge");
	check_int(txn, "fee", 88); /* 2.9% of 2000 + 30 */
	check_int(txn, "net", 2000 - 88);
	check_int(txn, "fee_details.0.amount", 88);
	check_str(txn, "fee_details.0.type", "stripe_fee");
	check_str(txn, "source", "ch_fake_00001");
	json_decref(txn);
	const fake_refund *re = get(p, get_refund, "re_fake_00001");
	txn = parsed(p, get(p, get_balance_transaction, fake_refund_balance_transaction(re)));
	check_str(txn, "type", "refund");
	check_int(txn, "amount", -500);
	check_int(txn, "fee", 0);
	assert_int_equal(json_array_size(at(txn, "fee_details")), 0);
	json_decref(txn);

	/* prices: one-time, recurring, metered */
	json_t *price = parsed(p, get(p, get_price, "price_fake_00001"));
	check_str(price, "type", "one_time");
	check_str(price, "recurring", NULL);
	check_str(price, "unit_amount_decimal", "1500");
	check_str(price, "lookup_key", "gold_once");
	json_decref(price);
	price = parsed(p, get(p, get_price, "price_fake_00003"));
	check_str(price, "recurring.usage_type", "metered");
	check_str(price, "recurring.aggregate_usage", "sum");
	check_str(price, "recurring.interval", "month");
	json_decref(price);

	/* setup intents */
	json_t *si = parsed(p, get(p, get_setup_intent, "seti_fake_00002"));
	check_str(si, "last_setup_error.type", "card_error");
	check_str(si, "last_setup_error.decline_code", "generic_decline");
	check_str(si, "usage", "off_session");
	json_decref(si);
	si = parsed(p, get(p, get_setup_intent, "seti_fake_00003"));
	check_str(si, "status", "requires_action");
	check_str(si, "usage", "on_session");
	check_str(si, "next_action.type", "use_stripe_sdk");
	json_decref(si);

	/* the customer with a default payment method and metadata */
	json_t *c = parsed(p, get(p, get_customer, "cus_fake_00002"));
	check_str(c, "invoice_settings.default_payment_method", "pm_fake_00001");
	check_str(c, "metadata.plan", "pro");
	check_int(c, "next_invoice_sequence", 1);
	check_str(c, "tax_exempt", "none");
	assert_int_equal(strlen(json_string_value(at(c, "invoice_prefix"))), 8);
	json_decref(c);
}

/* The subscription, invoice and invoice item shapes of the billing part of
 * the scenario (run_billing): the values Stripe would send. */
static void test_json_billing_shapes(void **state)
{
	fake_processor *p = *state;
	text errors = { 0 }, extra = { 0 };
	run_scenario(p, &errors, &extra);
	text_free(&errors);

	/* T: a trial that ended, with a licensed and a metered item */
	json_t *v = parsed(p, get(p, get_subscription, "sub_fake_00001"));
	check_str(v, "status", "active");
	check_int(v, "trial_end", json_integer_value(at(v, "trial_start")) + 14 * 86400);
	check_int(v, "billing_cycle_anchor", json_integer_value(at(v, "trial_end")));
	check_str(v, "items.object", "list");
	check_str(v, "items.url", "/v1/subscription_items?subscription=sub_fake_00001");
	assert_true(json_is_false(at(v, "items.has_more")));
	check_str(v, "items.data.0.object", "subscription_item");
	check_int(v, "items.data.0.quantity", 3);
	check_str(v, "items.data.0.price.object", "price");
	check_str(v, "items.data.0.price.id", "price_fake_00002");
	check_str(v, "items.data.0.metadata.role", "base");
	check_str(v, "items.data.1.price.recurring.usage_type", "metered");
	check_absent(v, "items.data.1.quantity"); /* Stripe: none for metered prices */
	check_str(v, "days_until_due", NULL);
	check_str(v, "pause_collection", NULL);
	check_str(v, "canceled_at", NULL);
	check_str(v, "trial_settings.end_behavior.missing_payment_method", "create_invoice");
	check_str(v, "latest_invoice", "in_fake_00006");
	check_str(v, "metadata.plan", "platinum");
	check_str(v, "collection_method", "charge_automatically");
	json_decref(v);
	/* ... and as it was created, in its event: trialing, one quantity */
	v = parsed(p, event_first(p, "customer.subscription.created", "sub_fake_00001"));
	check_str(v, "data.object.status", "trialing");
	check_int(v, "data.object.items.data.0.quantity", 1);
	check_str(v, "data.object.metadata.plan", "gold");
	json_decref(v);
	/* its update: the old items and the metadata keys that changed */
	v = parsed(p, event_first(p, "customer.subscription.updated", "sub_fake_00001"));
	check_int(v, "data.previous_attributes.items.data.0.quantity", 1);
	check_int(v, "data.object.items.data.0.quantity", 3);
	json_t *want = json_pack("{s:s, s:s, s:n}", "plan", "gold", "team", "core", "seats");
	assert_true(json_equal(at(v, "data.previous_attributes.metadata"), want));
	json_decref(want);
	json_decref(v);

	/* P: paused at the end of its trial, then resumed */
	v = parsed(p, event_last(p, "customer.subscription.paused"));
	check_str(v, "data.object.status", "paused");
	check_str(v, "data.object.trial_settings.end_behavior.missing_payment_method", "pause");
	json_decref(v);
	/* S: send_invoice, overdue, then canceled */
	v = parsed(p, get(p, get_subscription, "sub_fake_00003"));
	check_str(v, "status", "canceled");
	check_int(v, "days_until_due", 7);
	check_str(v, "collection_method", "send_invoice");
	assert_true(json_is_integer(at(v, "canceled_at")));
	check_int(v, "ended_at", json_integer_value(at(v, "canceled_at")));
	json_decref(v);
	/* C: collection paused, its second item deleted */
	v = parsed(p, get(p, get_subscription, "sub_fake_00004"));
	check_str(v, "pause_collection.behavior", "keep_as_draft");
	assert_true(json_is_integer(at(v, "pause_collection.resumes_at")));
	assert_int_equal(json_array_size(at(v, "items.data")), 1);
	json_decref(v);
	/* the item's deletion: the previous items had it; then the base item
	 * doubled (the last update), with two prorations */
	v = NULL;
	for (size_t n = fake_event_count(p); n > 0 && !v; n--) {
		json_t *e = parsed(p, event_nth(p, n));
		if (strcmp(json_string_value(at(e, "type")), "customer.subscription.updated") == 0 &&
		    json_array_size(at(e, "data.previous_attributes.items.data")) == 2)
			v = e;
		else
			json_decref(e);
	}
	assert_non_null(v);
	check_str(v, "data.object.id", "sub_fake_00004");
	check_str(v, "data.previous_attributes.items.data.1.id", "si_fake_00006");
	check_int(v, "data.previous_attributes.items.data.1.quantity", 3);
	assert_int_equal(json_array_size(at(v, "data.object.items.data")), 1);
	json_decref(v);
	v = parsed(p, event_last(p, "customer.subscription.updated"));
	check_str(v, "data.object.id", "sub_fake_00004");
	check_int(v, "data.previous_attributes.items.data.0.quantity", 1);
	check_int(v, "data.object.items.data.0.quantity", 2);
	json_decref(v);

	/* a paid invoice, its payment intent and charge name it */
	v = parsed(p, get(p, get_invoice, "in_fake_00004"));
	check_str(v, "status", "paid");
	assert_true(json_is_true(at(v, "paid")));
	check_int(v, "amount_paid", 3500);
	check_int(v, "amount_remaining", 0);
	check_str(v, "billing_reason", "subscription_create");
	check_str(v, "number", "FAKE-00004");
	check_str(v, "customer_email", "charged@example.com");
	check_int(v, "status_transitions.paid_at", json_integer_value(at(v, "status_transitions.finalized_at")));
	check_str(v, "status_transitions.voided_at", NULL);
	check_str(v, "lines.url", "/v1/invoices/in_fake_00004/lines");
	check_str(v, "lines.data.0.type", "subscription");
	check_str(v, "lines.data.0.subscription", "sub_fake_00004");
	check_str(v, "lines.data.0.subscription_item", "si_fake_00005");
	check_absent(v, "lines.data.0.invoice_item");
	check_str(v, "lines.data.1.price.id", "price_fake_00005");
	check_int(v, "lines.data.1.quantity", 3);
	check_str(v, "lines.data.1.unit_amount_excluding_tax", "500");
	check_str(v, "subscription_details.metadata.plan", "gold");
	json_t *pi = parsed(p, get(p, get_payment_intent, json_string_value(at(v, "payment_intent"))));
	check_str(pi, "invoice", "in_fake_00004");
	json_decref(pi);
	json_t *ch = parsed(p, get(p, get_charge, json_string_value(at(v, "charge"))));
	check_str(ch, "invoice", "in_fake_00004");
	json_decref(ch);
	json_decref(v);
	/* payments without an invoice have none */
	pi = parsed(p, get(p, get_payment_intent, "pi_fake_00001"));
	check_str(pi, "invoice", NULL);
	json_decref(pi);

	/* the manual draft: three invoice items, a credit not discountable */
	v = parsed(p, get(p, get_invoice, "in_fake_00007"));
	check_str(v, "status", "draft");
	check_str(v, "number", NULL);
	check_str(v, "effective_at", NULL);
	check_str(v, "ending_balance", NULL);
	check_str(v, "billing_reason", "manual");
	check_str(v, "subscription", NULL);
	check_str(v, "subscription_details.metadata", NULL);
	check_int(v, "subtotal", 1200 + 666 - 500);
	check_int(v, "amount_due", 1366);
	check_str(v, "lines.data.0.type", "invoiceitem");
	check_str(v, "lines.data.0.invoice_item", "ii_fake_00001");
	check_str(v, "lines.data.0.metadata.order", "A-17");
	check_absent(v, "lines.data.0.subscription_item");
	check_str(v, "lines.data.1.price.type", "one_time");
	check_str(v, "lines.data.1.unit_amount_excluding_tax", "333");
	check_int(v, "lines.data.2.amount", -500);
	assert_true(json_is_false(at(v, "lines.data.2.discountable")));
	assert_true(json_is_true(at(v, "lines.data.0.discountable")));
	json_decref(v);
	v = parsed(p, event_last(p, "invoice.updated"));
	want = json_pack("{s:s, s:{s:n}}", "description", "Manual invoice", "metadata", "order");
	assert_true(json_equal(at(v, "data.previous_attributes"), want));
	json_decref(want);
	json_decref(v);

	/* void, uncollectible, paid out of band */
	v = parsed(p, get(p, get_invoice, "in_fake_00008"));
	check_str(v, "status", "void");
	assert_true(json_is_integer(at(v, "status_transitions.voided_at")));
	assert_true(json_is_false(at(v, "paid")));
	json_decref(v);
	v = parsed(p, get(p, get_invoice, "in_fake_00009"));
	check_str(v, "status", "uncollectible");
	assert_true(json_is_integer(at(v, "status_transitions.marked_uncollectible_at")));
	json_decref(v);
	v = parsed(p, get(p, get_invoice, "in_fake_00010"));
	assert_true(json_is_true(at(v, "paid")));
	assert_true(json_is_true(at(v, "paid_out_of_band")));
	check_str(v, "charge", NULL);
	json_decref(v);

	/* open after a decline at creation, and a second declined attempt */
	v = parsed(p, get(p, get_invoice, "in_fake_00012"));
	check_str(v, "status", "open");
	check_int(v, "attempt_count", 2);
	assert_true(json_is_true(at(v, "attempted")));
	check_str(v, "charge", "ch_fake_00010");
	json_decref(v);

	/* invoice items: priced, amount only, a proration-free credit */
	v = parsed(p, get(p, get_invoice_item, "ii_fake_00002"));
	check_int(v, "amount", 666);
	check_int(v, "quantity", 2);
	check_int(v, "unit_amount", 333);
	check_str(v, "unit_amount_decimal", "333");
	check_str(v, "price.object", "price");
	check_str(v, "invoice", "in_fake_00007");
	check_int(v, "date", json_integer_value(at(v, "period.start")));
	json_decref(v);
	v = parsed(p, get(p, get_invoice_item, "ii_fake_00010"));
	assert_true(json_is_true(at(v, "proration")));
	assert_true(json_is_false(at(v, "discountable")));
	check_str(v, "subscription_item", "si_fake_00005");
	check_int(v, "quantity", 2);
	json_decref(v);
	v = parsed(p, get(p, get_invoice_item, "ii_fake_00011"));
	check_str(v, "price", NULL);
	check_str(v, "invoice", NULL);
	check_str(v, "subscription", "sub_fake_00001");
	check_absent(v, "subscription_item");
	json_decref(v);

	/* deleted objects are Stripe's deleted shape; their events show them as they were */
	static const char *const deleted[] = {
		"{\"id\":\"si_fake_00006\",\"object\":\"subscription_item\",\"deleted\":true}",
		"{\"id\":\"ii_fake_00004\",\"object\":\"invoiceitem\",\"deleted\":true}",
		"{\"id\":\"in_fake_00011\",\"object\":\"invoice\",\"deleted\":true}",
	};
	for (size_t i = 0; i < sizeof(deleted) / sizeof(deleted[0]); i++)
		assert_non_null(strstr(extra.s, deleted[i]));
	v = parsed(p, event_last(p, "invoice.deleted"));
	check_str(v, "data.object.status", "draft");
	check_absent(v, "data.object.deleted");
	json_decref(v);
	v = parsed(p, event_last(p, "invoiceitem.deleted"));
	check_int(v, "data.object.amount", 250);
	json_decref(v);

	/* a usage record */
	assert_non_null(strstr(extra.s, "{\"id\":\"mbur_fake_00001\",\"object\":\"usage_record\",\"livemode\":false,"
					 "\"quantity\":40,\"subscription_item\":\"si_fake_00002\",\"timestamp\":"));

	/* the upcoming invoice: no id, lines at the upcoming endpoint */
	const fake_invoice *upcoming = NULL;
	check_ok(p, fake_invoice_upcoming(&upcoming, p, "sub_fake_00001", NULL));
	char *s = json_of(p, upcoming, 0);
	assert_true(strncmp(s, "{\"object\":\"invoice\",\"account_country\":", 38) == 0);
	v = parse(s);
	fake_json_free(p, s);
	check_absent(v, "id");
	check_str(v, "billing_reason", "upcoming");
	check_str(v, "status", "draft");
	check_str(v, "webhooks_delivered_at", NULL);
	check_str(v, "lines.url", "/v1/invoices/upcoming/lines?subscription=sub_fake_00001");
	check_str(v, "lines.data.0.id", "il_tmp_fake_00001");
	check_str(v, "lines.data.1.price.recurring.usage_type", "metered");
	check_str(v, "lines.data.2.type", "invoiceitem");
	check_str(v, "lines.data.2.invoice_item", "ii_fake_00011");
	check_str(v, "lines.data.2.subscription", "sub_fake_00001");
	check_int(v, "amount_due", 6000 + 300);
	json_decref(v);
	/* C's: its pending prorations, per unit to 12 decimal places at most */
	check_ok(p, fake_invoice_upcoming(&upcoming, p, "sub_fake_00004", NULL));
	v = parsed(p, upcoming);
	check_str(v, "lines.data.3.invoice_item", "ii_fake_00010");
	assert_true(json_is_true(at(v, "lines.data.3.proration")));
	check_str(v, "lines.data.3.subscription_item", "si_fake_00005");
	check_int(v, "lines.data.3.amount", 2183);
	check_str(v, "lines.data.3.unit_amount_excluding_tax", "1091.5");
	json_decref(v);
	text_free(&extra);
}

static void test_json_error_body(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params dp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	const fake_payment_intent *pi = NULL;
	dp.amount = 1200;
	dp.currency = "usd";
	dp.payment_method = "pm_card_chargeDeclined";
	dp.confirm = true;
	assert_int_equal(fake_payment_intent_create(&pi, p, &dp, NULL), FAKE_ECARD);
	fake_error before = *fake_error_last(p);
	uint64_t calls = fake_call_count(p, FAKE_OP_CREATE_PAYMENT_INTENT);

	char *s = NULL;
	check_ok(p, fake_json_error(&s, p, 0));
	assert_memory_equal(fake_error_last(p), &before, sizeof(before)); /* only read */
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_PAYMENT_INTENT), calls);
	json_t *v = parse(s);
	fake_json_free(p, s);
	check_str(v, "error.type", "card_error");
	check_str(v, "error.code", "card_declined");
	check_str(v, "error.decline_code", "generic_decline");
	check_str(v, "error.message", "Your card was declined.");
	check_str(v, "error.charge", before.charge);
	check_str(v, "error.payment_intent.id", before.payment_intent);
	check_str(v, "error.payment_intent.object", "payment_intent");
	check_str(v, "error.payment_intent.status", "requires_payment_method");
	check_str(v, "error.payment_method.object", "payment_method");
	check_str(v, "error.doc_url", "https://stripe.com/docs/error-codes/card-declined");
	check_str(v, "error.request_log_url", "https://dashboard.stripe.com/test/logs/req_fake_00001");
	check_absent(v, "error.param");
	check_absent(v, "error.setup_intent");
	json_decref(v);

	/* a not-found error: param, no payment fields */
	const fake_customer *c = NULL;
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_nope", NULL), FAKE_ENOTFOUND);
	check_ok(p, fake_json_error(&s, p, FAKE_JSON_PRETTY));
	v = parse(s);
	fake_json_free(p, s);
	check_str(v, "error.type", "invalid_request_error");
	check_str(v, "error.code", "resource_missing");
	check_str(v, "error.param", "id");
	check_str(v, "error.message", "No such customer: 'cus_nope'");
	check_absent(v, "error.charge");
	check_absent(v, "error.decline_code");
	check_absent(v, "error.payment_intent");
	json_decref(v);

	/* no error to write */
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	s = out_sentinel;
	check_fails(p, fake_json_error(&s, p, 0), FAKE_EINVAL, "", "");
	assert_null(s);
}

static void test_json_list_envelope(void **state)
{
	fake_processor *p = *state;
	fake_list page;
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	char *s = NULL;
	check_ok(p, fake_json_list(&s, p, &page, "/v1/customers", 0));
	assert_string_equal(s, "{\"object\":\"list\",\"data\":[],\"has_more\":false,\"url\":\"/v1/customers\"}");
	fake_json_free(p, s);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	check_ok(p, fake_json_list(&s, p, &page, "/v1/customers", FAKE_JSON_PRETTY));
	json_t *v = parse(s);
	fake_json_free(p, s);
	check_str(v, "data.0.id", "cus_fake_00002");
	check_str(v, "data.1.id", "cus_fake_00001");
	assert_true(json_is_false(json_object_get(v, "has_more")));
	json_decref(v);
}

/* ---- arguments and the error record --------------------------------------------- */

static void test_json_bad_arguments(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	char *s = out_sentinel;
	fake_list page = { 0 };

	assert_int_equal(fake_json_object(&s, NULL, c, 0), FAKE_EINVAL);
	assert_null(s);
	assert_int_equal(fake_json_object(NULL, NULL, c, 0), FAKE_EINVAL);
	check_fails(p, fake_json_object(NULL, p, c, 0), FAKE_EINVAL, "parameter_missing", "out");
	s = out_sentinel;
	check_fails(p, fake_json_object(&s, p, NULL, 0), FAKE_EINVAL, "parameter_missing", "object");
	assert_null(s);
	check_fails(p, fake_json_object(&s, p, c, 1u << 7), FAKE_EINVAL, NULL, "flags");
	check_fails(p, fake_json_object(&s, p, c, FAKE_JSON_PRETTY | 2u), FAKE_EINVAL, NULL, "flags");
	assert_null(s);

	assert_int_equal(fake_json_list(&s, NULL, &page, "/v1/customers", 0), FAKE_EINVAL);
	check_fails(p, fake_json_list(&s, p, NULL, "/v1/customers", 0), FAKE_EINVAL, "parameter_missing", "page");
	check_fails(p, fake_json_list(&s, p, &page, NULL, 0), FAKE_EINVAL, "parameter_missing", "url");
	check_fails(p, fake_json_list(&s, p, &page, "/v1/customers", 4u), FAKE_EINVAL, NULL, "flags");
	page.count = FAKE_LIST_LIMIT_MAX + 1;
	check_fails(p, fake_json_list(&s, p, &page, "/v1/customers", 0), FAKE_EINVAL, NULL, "page");
	page.count = 1;
	page.data[0] = NULL;
	check_fails(p, fake_json_list(&s, p, &page, "/v1/customers", 0), FAKE_EINVAL, NULL, "page.data");
	assert_null(s);

	assert_int_equal(fake_json_error(&s, NULL, 0), FAKE_EINVAL);
	check_fails(p, fake_json_error(NULL, p, 0), FAKE_EINVAL, "parameter_missing", "out");
	check_fails(p, fake_json_error(&s, p, 8u), FAKE_EINVAL, NULL, "flags");

	fake_json_free(p, NULL);
	fake_json_free(NULL, NULL);
}

static void test_json_not_utf8(void **state)
{
	static const fake_kv meta[] = { { "note", "caf\xc3" } };
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	/* strings that are not UTF-8 never get in, so every object can be written */
	cp.email = "\xff@example.com";
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, "parameter_invalid_string", "email");
	assert_null(c);
	cp = (fake_customer_create_params)FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.metadata = meta;
	cp.metadata_count = 1;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, "parameter_invalid_string", "metadata");
	assert_int_equal(fake_event_count(p), 0);
	/* valid multi-byte text passes through */
	cp = (fake_customer_create_params)FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.name = "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x92\xb3";
	c = customer_new(p, &cp);
	json_t *v = parsed(p, c);
	check_str(v, "name", "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x92\xb3");
	json_decref(v);
}

/* Success leaves the error record (and the call counts) as they were: these
 * functions are not operations. */
static void test_json_success_keeps_the_record(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	const fake_customer *missing = NULL;
	assert_int_equal(fake_customer_retrieve(&missing, p, "cus_nope", NULL), FAKE_ENOTFOUND);
	fake_error before = *fake_error_last(p);
	uint64_t retrieves = fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER);
	fake_list page = { 0 };
	page.count = 1;
	page.data[0] = c;
	char *s = json_of(p, c, 0);
	fake_json_free(p, s);
	check_ok(p, fake_json_list(&s, p, &page, "/v1/customers", 0));
	fake_json_free(p, s);
	check_ok(p, fake_json_error(&s, p, 0));
	fake_json_free(p, s);
	assert_memory_equal(fake_error_last(p), &before, sizeof(before));
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), retrieves);
}

/* ---- allocation failure ---------------------------------------------------------- */

typedef int (*json_fn)(char **out, fake_processor *p, const void *arg);

static int object_fn(char **out, fake_processor *p, const void *arg)
{
	return fake_json_object(out, p, arg, FAKE_JSON_PRETTY);
}

static int list_fn(char **out, fake_processor *p, const void *arg)
{
	return fake_json_list(out, p, arg, "/v1/customers", 0);
}

static int error_fn(char **out, fake_processor *p, const void *arg)
{
	(void)arg;
	return fake_json_error(out, p, 0);
}

/* Fails instance allocation N = 1, 2, ... until fn succeeds: each failure
 * is FAKE_ENOMEM with no output and nothing left allocated. */
static void fail_each_allocation(fake_processor *p, test_alloc *a, json_fn fn, const void *arg, bool redo_decline)
{
	unsigned long n;
	for (n = 1;; n++) {
		if (redo_decline) {
			/* fake_json_error reads the record, which a failure overwrites */
			const fake_payment_intent *pi = NULL;
			fake_payment_intent_create_params dp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
			dp.amount = 1200;
			dp.currency = "usd";
			dp.payment_method = "pm_card_chargeDeclined";
			dp.confirm = true;
			assert_int_equal(fake_payment_intent_create(&pi, p, &dp, NULL), FAKE_ECARD);
		}
		unsigned long live = a->live;
		char *s = out_sentinel;
		a->calls = 0;
		a->fail_at = n;
		int rc = fn(&s, p, arg);
		a->fail_at = 0;
		if (rc == 0) {
			assert_non_null(s);
			assert_int_equal(a->live, live + 1);
			fake_json_free(p, s);
			assert_int_equal(a->live, live);
			break;
		}
		assert_int_equal(rc, FAKE_ENOMEM);
		assert_null(s);
		assert_int_equal(a->live, live);
		assert_int_equal(fake_error_last(p)->status, FAKE_ENOMEM);
		assert_true(n < 100);
	}
	assert_true(n >= 2); /* at least the copy could fail */
}

static void test_json_allocation_failure(void **state)
{
	(void)state;
	test_alloc a = { 0, 0, 0 };
	fake_processor_options o = test_alloc_options(&a);
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	text errors = { 0 }, extra = { 0 };
	run_scenario(p, &errors, &extra);
	text_free(&errors);
	text_free(&extra);

	fail_each_allocation(p, &a, object_fn, get(p, get_customer, "cus_fake_00001"), false);
	fail_each_allocation(p, &a, object_fn, get(p, get_charge, "ch_fake_00001"), false);
	fail_each_allocation(p, &a, object_fn, event_last(p, "customer.updated"), false);
	fail_each_allocation(p, &a, object_fn, get(p, get_subscription, "sub_fake_00001"), false);
	fail_each_allocation(p, &a, object_fn, get(p, get_invoice, "in_fake_00007"), false);
	fail_each_allocation(p, &a, object_fn, event_last(p, "customer.subscription.updated"), false);
	const fake_invoice *upcoming = NULL;
	check_ok(p, fake_invoice_upcoming(&upcoming, p, "sub_fake_00001", NULL));
	fail_each_allocation(p, &a, object_fn, upcoming, false);
	fake_list page;
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	fail_each_allocation(p, &a, list_fn, &page, false);
	fail_each_allocation(p, &a, error_fn, NULL, true);
	fake_processor_free(p);
	assert_int_equal(a.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_validates_against_stripe_schemas, fixture_new, fixture_free),
		cmocka_unit_test(test_json_same_bytes_in_two_processors),
		cmocka_unit_test_setup_teardown(test_json_key_order_is_fixed, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_pretty_parses_to_the_same_value, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_event_shows_the_object_as_it_was, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_deleted_customer, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_payment_shapes, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_billing_shapes, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_error_body, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_list_envelope, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_bad_arguments, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_not_utf8, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_json_success_keeps_the_record, fixture_new, fixture_free),
		cmocka_unit_test(test_json_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
