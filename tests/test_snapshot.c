/*
 * Save and restore (fake/snapshot.h): a snapshot is exact (save, load,
 * save gives the same bytes), a loaded processor goes on exactly as the
 * original (the same events, ids, renewals, dunning and webhook retries),
 * snapshots are deterministic within a process and across processes, the
 * file API writes atomically and reports I/O failures, every malformed
 * snapshot is refused with the JSON path of its fault and leaves the
 * processor exactly as it was, and what is not state (subscribers,
 * scripts, stubs, call counts, handlers, clock callbacks) is left alone
 * by a load.
 *
 * Allocation failures in save_string and load_string are injected in
 * test_alloc_failure.c; those of the file functions' own allocations here
 * (test_snapshot_file_out_of_memory).
 *
 * Most tests run one scenario (scenario_start(), scenario_finish()) on
 * options that differ from the defaults in everything a snapshot records.
 * Run as `test_snapshot --write-scenario PATH`, the binary saves the
 * scenario to PATH: test_snapshot_deterministic_across_processes runs it
 * so, in a new process.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, realpath, fork, execv */

#include "helpers.h"

#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#define DAY INT64_C(86400)
#define HOUR INT64_C(3600)

/* The path of this test binary, for the cross-process test (set by main). */
static char self_path[4096];

/* ---- the fixture: processors and memory a failing test still frees ----------- */

typedef struct held {
	fake_processor *p[8];
	size_t count;
	void *mem[64];
	size_t mem_count;
	const char *dir; /* a temporary directory, removed with what it holds */
} held;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int held_setup(void **state)
{
	*state = calloc(1, sizeof(held));
	return *state ? 0 : -1;
}

static int held_teardown(void **state)
{
	held *h = *state;
	if (h->dir)
		nftw(h->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < h->count; i++)
		fake_processor_free(h->p[i]);
	for (size_t i = 0; i < h->mem_count; i++)
		free(h->mem[i]);
	free(h);
	return 0;
}

/* Memory from malloc that the fixture frees. */
static void *keep(held *h, void *ptr)
{
	assert_non_null(ptr);
	assert_true(h->mem_count < sizeof h->mem / sizeof h->mem[0]);
	h->mem[h->mem_count++] = ptr;
	return ptr;
}

/* A new processor (NULL options: the defaults) that the fixture frees. */
static fake_processor *proc_new(held *h, const fake_processor_options *o)
{
	assert_true(h->count < sizeof h->p / sizeof h->p[0]);
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, o), 0);
	h->p[h->count++] = p;
	return p;
}

/* The processor's snapshot, in memory the fixture frees. */
static char *save_str(held *h, fake_processor *p, unsigned int flags)
{
	char *s = NULL;
	check_ok(p, fake_processor_save_string(&s, p, flags));
	assert_non_null(s);
	char *copy = keep(h, strdup(s));
	fake_json_free(p, s);
	return copy;
}

/* Fails unless a and b are the same text, showing where they part. */
static void same_text(const char *a, const char *b, const char *what)
{
	assert_non_null(a);
	assert_non_null(b);
	if (strcmp(a, b) == 0)
		return;
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	size_t from = i > 80 ? i - 80 : 0;
	print_error("%s differ at byte %zu (lengths %zu and %zu):\n  %.160s\n  %.160s\n", what, i, strlen(a), strlen(b),
		    a + from, b + from);
	fail();
}

static void load_ok(fake_processor *p, const char *snapshot)
{
	check_ok(p, fake_processor_load_string(p, snapshot, strlen(snapshot)));
	assert_int_equal(fake_error_last(p)->status, 0);
}

/* The id the next customer gets; the customer is created. */
static const char *next_customer(fake_processor *p, char id[64])
{
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	snprintf(id, 64, "%s", fake_customer_id(c));
	return id;
}

/* ---- what the scenario's code records ------------------------------------------- */

/* An event subscriber: one line per event (id, type, time, object). */
static void record_event(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	text_add(user_data, "%s %s %" PRId64 " %s\n", fake_event_id(e), fake_event_type(e), fake_event_created(e),
		 fake_object_id(fake_event_object(e)));
}

/* A webhook handler: one line per delivery (event, attempt, time); it
 * fails unless *ok is set. */
typedef struct hook {
	text log;
	bool ok;
	unsigned long calls;
} hook;

static int record_delivery(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	hook *k = user_data;
	k->calls++;
	text_add(&k->log, "%s %s attempt=%u at=%" PRId64 " len=%zu\n", d->endpoint, fake_event_id(d->event), d->attempt,
		 fake_clock_now(p), d->payload_len);
	return k->ok ? 0 : 1;
}

/* ---- the scenario ---------------------------------------------------------------- */

/* Options that differ from the defaults in every way a snapshot records. */
static fake_processor_options scenario_options(void)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.id_width = 8;
	o.seed = UINT64_C(0x5eed0fca11ab1e42);
	o.billing.retry_count = 2;
	o.billing.retry_days[0] = 2;
	o.billing.retry_days[1] = 4;
	o.billing.exhausted_subscription = FAKE_DUNNING_UNPAID;
	o.billing.exhausted_invoice = FAKE_DUNNING_UNCOLLECTIBLE;
	o.billing.finalize_delay = 2 * HOUR;
	return o;
}

static const char *customer_new(fake_processor *p, const char *email, const char *token, const fake_kv *meta,
				size_t meta_count)
{
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.email = email;
	cc.name = "Customer";
	cc.phone = "+15555550100";
	cc.metadata = meta;
	cc.metadata_count = meta_count;
	cc.payment_method = token;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, &cc, NULL));
	if (token) {
		/* the attached card becomes the invoice_settings default */
		const char *pm = NULL;
		fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
		lp.customer = fake_customer_id(c);
		fake_list page;
		check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
		assert_int_equal(page.count, 1);
		pm = fake_payment_method_id(page.data[0]);
		check_ok(p, fake_customer_set_default_payment_method(&c, p, fake_customer_id(c), pm, NULL));
	}
	return fake_customer_id(c);
}

static const char *price_new(fake_processor *p, const char *product, int64_t amount, fake_interval interval,
			     fake_usage_type usage, const char *lookup_key)
{
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.product = product;
	pc.currency = "usd";
	pc.unit_amount = amount;
	pc.interval = interval;
	pc.usage_type = usage;
	pc.lookup_key = lookup_key;
	const fake_price *price = NULL;
	check_ok(p, fake_price_create(&price, p, &pc, NULL));
	return fake_price_id(price);
}

static const char *ii_new(fake_processor *p, const char *customer, int64_t amount, const char *description)
{
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = customer;
	ic.amount = amount;
	ic.currency = "usd";
	ic.description = description;
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	return fake_invoice_item_id(ii);
}

/* A manual invoice for the customer's pending items, finalized unless draft. */
static const char *invoice_new(fake_processor *p, const char *customer, bool finalize, bool send_invoice)
{
	fake_invoice_create_params ic = FAKE_INVOICE_CREATE_PARAMS_INIT;
	ic.customer = customer;
	if (send_invoice) {
		ic.collection_method = FAKE_COLLECT_SEND_INVOICE;
		ic.days_until_due = 10;
	}
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &ic, NULL));
	if (finalize)
		check_ok(p, fake_invoice_finalize(&inv, p, fake_invoice_id(inv), NULL));
	return fake_invoice_id(inv);
}

static const char *pi_new(fake_processor *p, const char *customer, const char *pm, int64_t amount, bool confirm,
			  fake_capture_method capture, int expect)
{
	fake_kv meta[] = { { "order", "1001" }, { "channel", "web" } };
	fake_payment_intent_create_params pc = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	pc.amount = amount;
	pc.currency = "usd";
	pc.customer = customer;
	pc.payment_method = pm;
	pc.confirm = confirm;
	pc.capture_method = capture;
	pc.metadata = meta;
	pc.metadata_count = 2;
	const fake_payment_intent *pi = NULL;
	int rc = fake_payment_intent_create(&pi, p, &pc, NULL);
	if (expect == 0) {
		check_ok(p, rc);
		return fake_payment_intent_id(pi);
	}
	assert_int_equal(rc, expect);
	return NULL;
}

/* The ids the scenario made, with the widths of scenario_options(). */
#define W8(prefix, n) prefix "0000000" #n

/*
 * The first part of the scenario (on scenario_options()): four days of a
 * small business.
 *   we_...1    a webhook endpoint for a few event types whose handler
 *              fails: retries pending on the timeline
 *   products   Basic (metadata), API (from a price's product_name)
 *   prices     one-time 700, monthly 1000 (lookup key), yearly 10000,
 *              metered monthly 50
 *   customers  good card (metadata with three keys), pm_card_chargeCustomerFail,
 *              3D Secure card, no card, and one deleted (a tombstone)
 *   subs       good: two items and metered usage; failing: a 3-day trial
 *              that ended, its invoice declined, in dunning (retries at
 *              +2 and +4 days); trial: 14 days, no card; 3ds: incomplete
 *   invoices   draft, open, paid, void, uncollectible, sent (send_invoice),
 *              and a pending invoice item
 *   payments   succeeded and partly refunded, manual capture captured in
 *              part and left authorized, 3D Secure pending, declined,
 *              canceled; a succeeded setup intent
 */
static void scenario_start(fake_processor *p, hook *k)
{
	static const char *const hooked[] = { "customer.created", "invoice.payment_failed", "invoice.paid",
					      "charge.failed" };
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wp.url = "https://example.com/hooks/stripe";
	wp.enabled_events = hooked;
	wp.enabled_event_count = sizeof hooked / sizeof hooked[0];
	wp.handler = record_delivery;
	wp.user_data = k;
	wp.description = "billing webhooks";
	const fake_webhook_endpoint *we = NULL;
	check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));
	assert_string_equal(fake_webhook_endpoint_id(we), W8("we_fake_", 1));

	fake_kv tier[] = { { "tier", "basic" }, { "team", "growth" }, { "code", "B-1" } };
	fake_product_create_params prp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	prp.name = "Basic";
	prp.description = "the basic plan";
	prp.metadata = tier;
	prp.metadata_count = 3;
	const fake_product *prod = NULL;
	check_ok(p, fake_product_create(&prod, p, &prp, NULL));
	const char *basic = fake_product_id(prod);
	const char *one_time = price_new(p, basic, 700, FAKE_INTERVAL_NONE, FAKE_USAGE_LICENSED, NULL);
	const char *monthly = price_new(p, basic, 1000, FAKE_INTERVAL_MONTH, FAKE_USAGE_LICENSED, "basic_monthly");
	price_new(p, basic, 10000, FAKE_INTERVAL_YEAR, FAKE_USAGE_LICENSED, NULL);
	fake_price_create_params mc = FAKE_PRICE_CREATE_PARAMS_INIT;
	mc.product_name = "API";
	mc.currency = "usd";
	mc.unit_amount = 50;
	mc.interval = FAKE_INTERVAL_MONTH;
	mc.usage_type = FAKE_USAGE_METERED;
	mc.nickname = "API calls";
	const fake_price *price = NULL;
	check_ok(p, fake_price_create(&price, p, &mc, NULL));
	const char *metered = fake_price_id(price);
	assert_string_equal(metered, W8("price_fake_", 4));

	fake_kv meta[] = { { "plan", "pro" }, { "seats", "3" }, { "region", "eu" } };
	const char *good = customer_new(p, "good@example.com", "pm_card_visa", meta, 3);
	const char *failing = customer_new(p, "failing@example.com", "pm_card_chargeCustomerFail", NULL, 0);
	const char *threeds = customer_new(p, "3ds@example.com", "pm_card_authenticationRequired", NULL, 0);
	const char *nocard = customer_new(p, "nocard@example.com", NULL, NULL, 0);
	const char *gone = customer_new(p, "gone@example.com", NULL, NULL, 0);
	assert_string_equal(gone, W8("cus_fake_", 5));
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_delete(&c, p, gone, NULL));

	/* subscriptions */
	fake_subscription_item_params items[] = { { NULL, monthly, NULL, 2, false, NULL, 0 },
						  { NULL, metered, NULL, 0, false, NULL, 0 } };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = good;
	sc.items = items;
	sc.item_count = 2;
	sc.description = "good";
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "active");
	const char *metered_item = fake_subscription_item_id(fake_subscription_item_at(sub, 1));
	fake_subscription_create_params fc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	fc.customer = failing;
	fc.items = items;
	fc.item_count = 1;
	fc.trial_period_days = 3;
	check_ok(p, fake_subscription_create(&sub, p, &fc, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	fake_subscription_create_params tc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	tc.customer = nocard;
	tc.items = items;
	tc.item_count = 1;
	tc.trial_period_days = 14;
	check_ok(p, fake_subscription_create(&sub, p, &tc, NULL));
	fake_subscription_create_params dc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	dc.customer = threeds;
	dc.items = items;
	dc.item_count = 1;
	check_ok(p, fake_subscription_create(&sub, p, &dc, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "incomplete");

	const fake_usage_record *ur = NULL;
	fake_usage_record_params up = FAKE_USAGE_RECORD_PARAMS_INIT;
	up.subscription_item = metered_item;
	up.quantity = 7;
	check_ok(p, fake_usage_record_create(&ur, p, &up, NULL));

	/* manual invoices in every state, and a pending item */
	fake_invoice_item_create_params oc = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	oc.customer = good;
	oc.price = one_time;
	oc.quantity = 2;
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &oc, NULL));
	invoice_new(p, good, false, false); /* draft */
	ii_new(p, nocard, 1200, "open");
	invoice_new(p, nocard, true, false); /* open */
	ii_new(p, good, 300, "paid");
	const char *paid = invoice_new(p, good, true, false);
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_pay(&inv, p, paid, NULL, NULL));
	assert_string_equal(fake_invoice_status_name(inv), "paid");
	ii_new(p, good, 400, "void");
	const char *voided = invoice_new(p, good, true, false);
	check_ok(p, fake_invoice_void(&inv, p, voided, NULL));
	ii_new(p, good, 250, "uncollectible");
	const char *bad = invoice_new(p, good, true, false);
	check_ok(p, fake_invoice_mark_uncollectible(&inv, p, bad, NULL));
	ii_new(p, failing, 900, "sent");
	const char *sent = invoice_new(p, failing, true, true);
	check_ok(p, fake_invoice_send(&inv, p, sent, NULL));
	ii_new(p, good, 500, "pending setup fee");

	/* payments */
	const fake_customer *gc = NULL;
	check_ok(p, fake_customer_retrieve(&gc, p, good, NULL));
	const char *card = fake_customer_default_payment_method(gc);
	const char *pi = pi_new(p, good, card, 2000, true, FAKE_CAPTURE_AUTOMATIC, 0);
	fake_kv why[] = { { "ticket", "T-7" }, { "by", "support" } };
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.payment_intent = pi;
	rp.amount = 300;
	rp.reason = "requested_by_customer";
	rp.metadata = why;
	rp.metadata_count = 2;
	const fake_refund *re = NULL;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	const char *held_pi = pi_new(p, good, card, 5000, true, FAKE_CAPTURE_MANUAL, 0);
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.amount_to_capture = 3000;
	const fake_payment_intent *got = NULL;
	check_ok(p, fake_payment_intent_capture(&got, p, held_pi, &cap, NULL));
	got = NULL;
	check_ok(p, fake_payment_intent_retrieve(&got, p, pi_new(p, good, card, 1500, true, FAKE_CAPTURE_MANUAL, 0), NULL));
	assert_string_equal(fake_payment_intent_status_name(got), "requires_capture");
	pi_new(p, NULL, "pm_card_authenticationRequired", 3000, true, FAKE_CAPTURE_AUTOMATIC, 0);
	pi_new(p, NULL, "pm_card_chargeDeclined", 3000, true, FAKE_CAPTURE_AUTOMATIC, FAKE_ECARD);
	const char *later = pi_new(p, NULL, NULL, 800, false, FAKE_CAPTURE_AUTOMATIC, 0);
	check_ok(p, fake_payment_intent_cancel(&got, p, later, "abandoned", NULL));
	fake_setup_intent_create_params sp = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	sp.customer = good;
	sp.payment_method = "pm_card_mastercard";
	sp.confirm = true;
	sp.description = "save a second card";
	const fake_setup_intent *si = NULL;
	check_ok(p, fake_setup_intent_create(&si, p, &sp, NULL));
	assert_string_equal(fake_setup_intent_status_name(si), "succeeded");

	/* four days: the failing trial ends, its invoice is declined (dunning) */
	check_ok(p, fake_clock_advance(p, 3 * DAY + 5 * HOUR));
	check_ok(p, fake_subscription_retrieve(&sub, p, W8("sub_fake_", 2), NULL));
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
	up.quantity = 5;
	check_ok(p, fake_usage_record_create(&ur, p, &up, NULL));
	check_ok(p, fake_clock_advance(p, 20 * HOUR));
	assert_true(fake_clock_pending(p) > 0);
}

/*
 * The rest: fourteen months, with calls between the advances. The failing
 * subscription exhausts its retries and becomes unpaid; the trial without
 * a card ends; renewals bill the metered usage.
 */
static void scenario_finish(fake_processor *p)
{
	const fake_subscription *sub = NULL;
	fake_subscription_item_params more = { W8("si_fake_", 1), NULL, NULL, 3, false, NULL, 0 };
	fake_subscription_update_params su = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	su.items = &more;
	su.item_count = 1;
	check_ok(p, fake_subscription_update(&sub, p, W8("sub_fake_", 1), &su, NULL));
	char id[64];
	next_customer(p, id);
	for (int month = 0; month < 14; month++) {
		check_ok(p, fake_clock_advance(p, 30 * DAY + month * HOUR));
		const fake_usage_record *ur = NULL;
		fake_usage_record_params up = FAKE_USAGE_RECORD_PARAMS_INIT;
		up.subscription_item = W8("si_fake_", 2);
		up.quantity = 10 + month;
		if (month <= 9)
			check_ok(p, fake_usage_record_create(&ur, p, &up, NULL));
		if (month == 4)
			ii_new(p, W8("cus_fake_", 1), 4200, "consulting");
		if (month == 9) {
			fake_subscription_cancel_params cp = FAKE_SUBSCRIPTION_CANCEL_PARAMS_INIT;
			cp.invoice_now = true;
			cp.prorate = true;
			check_ok(p, fake_subscription_cancel(&sub, p, W8("sub_fake_", 1), &cp, NULL));
		}
	}
	check_ok(p, fake_subscription_retrieve(&sub, p, W8("sub_fake_", 2), NULL));
	assert_string_equal(fake_subscription_status_name(sub), "unpaid");
}

/* ---- 1. exact round trips ------------------------------------------------------- */

/* Whether a record of `table` in the snapshot has `field` equal to `value`
 * (JSON text). */
static bool has_record(json_t *doc, const char *table, const char *field, const char *value)
{
	json_t *want = json_loads(value, JSON_DECODE_ANY, NULL);
	assert_non_null(want);
	json_t *records = json_object_get(json_object_get(doc, "objects"), table);
	assert_non_null(records);
	bool found = false;
	size_t i;
	json_t *r;
	json_array_foreach(records, i, r)
	{
		json_t *v = json_object_get(r, field);
		if (v && json_equal(v, want))
			found = true;
	}
	json_decref(want);
	return found;
}

/* The scenario's snapshot holds what the scenario claims to make. */
static void check_scenario_snapshot(const char *snap, bool finished)
{
	json_t *doc = json_loads(snap, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "options"), "id_width")), 8);
	assert_true(has_record(doc, "customer", "deleted", "true"));
	assert_true(has_record(doc, "customer", "metadata", "{\"plan\": \"pro\", \"seats\": \"3\", \"region\": \"eu\"}"));
	static const char *const invoice_states[] = { "\"draft\"", "\"open\"", "\"paid\"", "\"void\"",
						      "\"uncollectible\"" };
	for (size_t i = 0; i < sizeof invoice_states / sizeof invoice_states[0]; i++)
		assert_true(has_record(doc, "invoice", "status", invoice_states[i]));
	assert_true(has_record(doc, "invoice", "collection_method", "\"send_invoice\""));
	assert_true(has_record(doc, "subscription", "status", finished ? "\"unpaid\"" : "\"past_due\""));
	assert_true(has_record(doc, "subscription", "status", finished ? "\"canceled\"" : "\"trialing\""));
	assert_true(has_record(doc, "price", "usage_type", "\"metered\""));
	assert_true(has_record(doc, "price", "interval", "\"none\""));
	assert_true(has_record(doc, "payment_intent", "status", finished ? "\"succeeded\"" : "\"requires_capture\""));
	assert_true(has_record(doc, "payment_intent", "status", "\"requires_action\""));
	assert_true(has_record(doc, "payment_method", "card.behavior", "\"declines_after_attach\""));
	assert_true(has_record(doc, "payment_method", "card.behavior", "\"requires_action\""));
	assert_true(has_record(doc, "charge", "refunded", "false"));
	assert_true(has_record(doc, "setup_intent", "status", "\"succeeded\""));
	assert_true(json_array_size(json_object_get(json_object_get(doc, "objects"), "refund")) >= 1);
	assert_true(json_array_size(json_object_get(json_object_get(doc, "objects"), "usage_record")) >= 2);
	assert_true(json_array_size(json_object_get(json_object_get(doc, "objects"), "invoiceitem")) >= 7);
	if (!finished) {
		bool kinds[3] = { false, false, false };
		size_t i;
		json_t *job;
		json_array_foreach(json_object_get(doc, "timeline"), i, job)
		{
			const char *kind = json_string_value(json_object_get(job, "kind"));
			kinds[0] |= strcmp(kind, "subscription") == 0;
			kinds[1] |= strcmp(kind, "invoice") == 0;
			kinds[2] |= strcmp(kind, "webhook_retry") == 0;
		}
		assert_true(kinds[0] && kinds[1] && kinds[2]);
	}
	json_decref(doc);
}

static void test_snapshot_round_trip_exact(void **state)
{
	held *h = *state;
	fake_processor_options o = scenario_options();
	fake_processor *p = proc_new(h, &o);
	hook k = { { 0 }, false, 0 };
	scenario_start(p, &k);
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int flags = 0; flags <= FAKE_JSON_PRETTY; flags += FAKE_JSON_PRETTY) {
			const char *first = save_str(h, p, flags);
			check_scenario_snapshot(first, pass == 1);
			fake_processor *q = proc_new(h, NULL);
			load_ok(q, first);
			same_text(first, save_str(h, q, flags), "save, load, save");
			/* a second load over a loaded processor changes nothing */
			load_ok(q, first);
			same_text(first, save_str(h, q, flags), "save, load twice, save");
		}
		if (pass == 0)
			scenario_finish(p);
	}
	text_free(&k.log);
}

/* ---- 2. continuation -------------------------------------------------------------- */

/* The JSON of every event of p, one per line. */
static void events_json(fake_processor *p, text *t)
{
	size_t count = fake_event_count(p);
	for (size_t i = 1; i <= count; i++) {
		char id[64];
		snprintf(id, sizeof id, "evt_fake_%08zu", i);
		const fake_event *e = NULL;
		check_ok(p, fake_event_retrieve(&e, p, id, NULL));
		char *json = NULL;
		check_ok(p, fake_json_object(&json, p, e, 0));
		text_add(t, "%s\n", json);
		fake_json_free(p, json);
	}
}

static void test_snapshot_continuation(void **state)
{
	held *h = *state;
	fake_processor_options o = scenario_options();
	fake_processor *a = proc_new(h, &o);
	hook ka = { { 0 }, false, 0 }, kb = { { 0 }, false, 0 };
	text ea = { 0 }, eb = { 0 };
	check_ok(a, fake_event_subscribe(a, record_event, &ea));
	scenario_start(a, &ka);
	(void)fake_processor_random(a);
	const char *snap = save_str(h, a, 0);
	size_t events_at_save = ea.len, hooks_at_save = ka.log.len;
	assert_true(fake_clock_pending(a) > 0);

	/* a processor with default options takes the snapshot's */
	fake_processor *b = proc_new(h, NULL);
	check_ok(b, fake_event_subscribe(b, record_event, &eb));
	load_ok(b, snap);
	const fake_processor_options *bo = fake_processor_options_get(b);
	assert_int_equal(bo->id_width, 8);
	assert_int_equal(bo->seed, o.seed);
	assert_int_equal(bo->epoch, o.epoch);
	assert_int_equal(bo->billing.retry_count, 2);
	assert_int_equal(bo->billing.retry_days[0], 2);
	assert_int_equal(bo->billing.retry_days[1], 4);
	assert_int_equal(bo->billing.exhausted_subscription, FAKE_DUNNING_UNPAID);
	assert_int_equal(bo->billing.exhausted_invoice, FAKE_DUNNING_UNCOLLECTIBLE);
	assert_int_equal(bo->billing.finalize_delay, 2 * HOUR);
	assert_null(bo->allocator.malloc); /* its own allocator stays */
	assert_int_equal(fake_clock_now(b), fake_clock_now(a));
	assert_int_equal(fake_clock_pending(b), fake_clock_pending(a));
	assert_int_equal(fake_event_count(b), fake_event_count(a));
	assert_int_equal(eb.len, 0); /* restored events are not delivered again */
	assert_int_equal(fake_processor_random(b), fake_processor_random(a));
	check_ok(b, fake_webhook_endpoint_set_handler(b, W8("we_fake_", 1), record_delivery, &kb));

	/* the restored objects read as the originals, events included */
	text ja = { 0 }, jb = { 0 };
	events_json(a, &ja);
	events_json(b, &jb);
	same_text(ja.s, jb.s, "restored events' JSON");

	scenario_finish(a);
	scenario_finish(b);
	assert_true(ea.len > events_at_save + 1000);
	same_text(ea.s + events_at_save, eb.s, "events after the snapshot");
	assert_true(ka.log.len > hooks_at_save);
	/* b delivers the retry first due in the snapshot's timeline (new
	 * events are delivered at once, before it) */
	json_error_t jerr;
	json_t *doc = json_loads(snap, 0, &jerr);
	assert_non_null(doc);
	json_t *job = json_array_get(json_object_get(doc, "timeline"), 0);
	assert_string_equal(json_string_value(json_object_get(job, "kind")), "webhook_retry");
	char first[128];
	snprintf(first, sizeof first, "\n%s %s attempt=%lld at=%lld ", json_string_value(json_object_get(job, "endpoint")),
		 json_string_value(json_object_get(job, "event")),
		 (long long)json_integer_value(json_object_get(job, "attempt")),
		 (long long)json_integer_value(json_object_get(job, "due")));
	json_decref(doc);
	assert_non_null(kb.log.s);
	if (!strstr(kb.log.s, first)) {
		print_error("no delivery%s\n", first);
		fail();
	}
	same_text(ka.log.s + hooks_at_save, kb.log.s, "webhook deliveries after the snapshot");
	same_text(save_str(h, a, 0), save_str(h, b, 0), "final snapshots");
	char ida[64], idb[64];
	assert_string_equal(next_customer(a, ida), next_customer(b, idb));
	assert_string_equal(ida, "cus_fake_00000007");
	assert_string_equal(fake_error_last(a)->request_id, fake_error_last(b)->request_id);
	text_free(&ja);
	text_free(&jb);
	ja = (text){ 0 };
	jb = (text){ 0 };
	events_json(a, &ja);
	events_json(b, &jb);
	same_text(ja.s, jb.s, "every event's JSON");
	text_free(&ja);
	text_free(&jb);
	text_free(&ea);
	text_free(&eb);
	text_free(&ka.log);
	text_free(&kb.log);
}

/* ---- 3. determinism ------------------------------------------------------------- */

static void test_snapshot_deterministic_in_process(void **state)
{
	held *h = *state;
	fake_processor_options o = scenario_options();
	const char *saves[2];
	text events[2] = { { 0 }, { 0 } };
	hook k[2] = { { { 0 }, false, 0 }, { { 0 }, false, 0 } };
	for (int run = 0; run < 2; run++) {
		fake_processor *p = proc_new(h, &o);
		scenario_start(p, &k[run]);
		scenario_finish(p);
		saves[run] = save_str(h, p, FAKE_JSON_PRETTY);
		events_json(p, &events[run]);
	}
	same_text(saves[0], saves[1], "two runs' snapshots");
	same_text(events[0].s, events[1].s, "two runs' events");
	same_text(k[0].log.s, k[1].log.s, "two runs' webhook deliveries");
	for (int run = 0; run < 2; run++) {
		text_free(&events[run]);
		text_free(&k[run].log);
	}
}

/* Reads a whole file into memory the fixture frees. */
static char *read_file(held *h, const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	text t = { 0 };
	text_add(&t, "%s", "");
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		text_add(&t, "%.*s", (int)n, buf);
	assert_int_equal(ferror(f), 0);
	fclose(f);
	return keep(h, t.s);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A new directory under /tmp, which the fixture removes. */
static char *temp_dir(held *h)
{
	assert_null(h->dir);
	char *dir = keep(h, strdup("/tmp/libfake_snapshot_XXXXXX"));
	assert_non_null(mkdtemp(dir));
	h->dir = dir;
	return dir;
}

static char *path_in(held *h, const char *dir, const char *name)
{
	char *path = keep(h, malloc(strlen(dir) + strlen(name) + 2));
	sprintf(path, "%s/%s", dir, name);
	return path;
}

/* The scenario run by a new process (this binary, started again), whose
 * memory layout and addresses differ from this one's. */
static void test_snapshot_deterministic_across_processes(void **state)
{
	held *h = *state;
	char *dir = temp_dir(h);
	char *path = path_in(h, dir, "child.json");
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char flag[] = "--write-scenario";
		char *argv[] = { self_path, flag, path, NULL };
		execv(self_path, argv);
		_exit(127);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	const char *child = read_file(h, path);

	fake_processor_options o = scenario_options();
	fake_processor *p = proc_new(h, &o);
	hook k = { { 0 }, false, 0 };
	scenario_start(p, &k);
	same_text(save_str(h, p, 0), child, "this process's and another's snapshots");
	/* and it loads */
	fake_processor *q = proc_new(h, NULL);
	check_ok(q, fake_processor_load(q, path));
	same_text(save_str(h, q, 0), child, "the other process's snapshot, loaded and saved");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	text_free(&k.log);
}

/* ---- 4. the file API ------------------------------------------------------------- */

/* Fails unless p saves `want` (compact). */
static void saves(fake_processor *p, const char *want, const char *what)
{
	char *s = NULL;
	check_ok(p, fake_processor_save_string(&s, p, 0));
	bool same = strcmp(s, want) == 0;
	if (!same)
		same_text(want, s, what); /* prints where, then fails */
	fake_json_free(p, s);
}

/* Fails unless the file at path holds `want`. */
static void holds(const char *path, const char *want, const char *what)
{
	held mine = { { NULL }, 0, { NULL }, 0, NULL };
	const char *got = read_file(&mine, path);
	bool same = strcmp(got, want) == 0;
	if (!same)
		same_text(want, got, what);
	free(mine.mem[0]);
}

/* Frees a processor from proc_new() before the fixture would. */
static void proc_free(held *h, fake_processor *p)
{
	for (size_t i = 0; i < h->count; i++)
		if (h->p[i] == p)
			h->p[i] = NULL;
	fake_processor_free(p);
}

/* The file functions' own allocations (the temporary path, the directory
 * to sync, the file's bytes) failing, each in turn: FAKE_ENOMEM, the file
 * and the processor as they were, no temporary file left; or success. */
static void test_snapshot_file_out_of_memory(void **state)
{
	held *h = *state;
	char *dir = temp_dir(h);
	char *path = path_in(h, dir, "state.json");
	char *tmp = path_in(h, dir, "state.json.tmp");
	test_alloc *a = keep(h, calloc(1, sizeof(test_alloc)));
	fake_processor_options o = test_alloc_options(a);
	fake_processor *p = proc_new(h, &o);
	customer_new(p, "a@example.com", "pm_card_visa", NULL, 0);
	check_ok(p, fake_processor_save(p, path, 0));
	const char *old = read_file(h, path);
	char id[64];
	next_customer(p, id);
	const char *want = save_str(h, p, 0);
	unsigned long enomem = 0;
	bool done = false;
	for (unsigned long n = 1; n < 1000 && !done; n++) {
		a->fail_at = a->calls + n;
		int rc = fake_processor_save(p, path, 0);
		bool reached = a->calls >= a->fail_at;
		a->fail_at = 0;
		assert_false(exists(tmp));
		if (rc == 0) {
			/* a failure after the rename (syncing the directory) is not one */
			holds(path, want, "the saved file");
			old = want;
			done = !reached;
		} else {
			assert_int_equal(rc, FAKE_ENOMEM);
			assert_int_equal(fake_error_last(p)->status, FAKE_ENOMEM);
			holds(path, old, "the file after a failed save");
			enomem++;
		}
		saves(p, want, "the processor after a save");
	}
	assert_true(done);
	assert_true(enomem >= 2); /* the snapshot, the temporary path */

	fake_processor *q = proc_new(h, &o);
	const char *before = save_str(h, q, 0);
	enomem = 0;
	done = false;
	for (unsigned long n = 1; n < 10000 && !done; n++) {
		a->fail_at = a->calls + n;
		int rc = fake_processor_load(q, path);
		bool reached = a->calls >= a->fail_at;
		a->fail_at = 0;
		if (rc == 0) {
			saves(q, want, "the loaded processor");
			done = !reached;
		} else {
			assert_int_equal(rc, FAKE_ENOMEM);
			saves(q, before, "the processor after a failed load");
			enomem++;
		}
	}
	assert_true(done);
	assert_true(enomem >= 2);
	proc_free(h, p);
	proc_free(h, q);
	assert_int_equal(a->live, 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_snapshot_file_save_load(void **state)
{
	held *h = *state;
	char *dir = temp_dir(h);
	char *path = path_in(h, dir, "state.json");
	char *tmp = path_in(h, dir, "state.json.tmp");
	fake_processor_options o = scenario_options();
	fake_processor *p = proc_new(h, &o);
	hook k = { { 0 }, false, 0 };
	scenario_start(p, &k);

	check_ok(p, fake_processor_save(p, path, 0));
	assert_int_equal(fake_error_last(p)->status, 0);
	const char *first = read_file(h, path);
	same_text(first, save_str(h, p, 0), "the file and save_string");
	assert_false(exists(tmp));
	fake_processor *q = proc_new(h, NULL);
	check_ok(q, fake_processor_load(q, path));
	assert_int_equal(fake_error_last(q)->status, 0);
	same_text(save_str(h, q, 0), first, "loaded from the file");

	/* saving again replaces the file */
	char id[64];
	next_customer(p, id);
	check_ok(p, fake_processor_save(p, path, FAKE_JSON_PRETTY));
	const char *second = read_file(h, path);
	assert_string_not_equal(second, first);
	same_text(second, save_str(h, p, FAKE_JSON_PRETTY), "the replaced file");
	assert_false(exists(tmp));
	check_ok(q, fake_processor_load(q, path));
	same_text(save_str(h, q, FAKE_JSON_PRETTY), second, "loaded from the replaced file");
	check_ok(q, fake_processor_load(q, path));

	/* a bare file name: saved in the current directory (whose sync needs
	 * no slash to find it) */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	int bare = fake_processor_save(p, "bare.json", 0);
	const char *bare_text = bare == 0 ? read_file(h, "bare.json") : NULL;
	int removed = unlink("bare.json");
	assert_int_equal(chdir(cwd), 0);
	check_ok(p, bare);
	same_text(bare_text, save_str(h, p, 0), "a file saved by its bare name");
	assert_int_equal(removed, 0);

	/* a directory that does not exist */
	char *nowhere = path_in(h, dir, "missing/state.json");
	check_fails(p, fake_processor_save(p, nowhere, 0), FAKE_EIO, "io_error", "path");
	assert_string_equal(fake_error_last(p)->type, "api_error");
	assert_int_equal(fake_error_last(p)->http_status, 500);
	assert_non_null(strstr(fake_error_last(p)->message, nowhere));
	assert_non_null(strstr(fake_error_last(p)->message, strerror(ENOENT)));
	assert_false(exists(nowhere));

	/* the temporary file cannot be made: the target is left as it was */
	assert_int_equal(mkdir(tmp, 0700), 0);
	next_customer(p, id);
	check_fails(p, fake_processor_save(p, path, 0), FAKE_EIO, "io_error", "path");
	assert_non_null(strstr(fake_error_last(p)->message, tmp));
	same_text(read_file(h, path), second, "the target after a failed save");
	assert_int_equal(rmdir(tmp), 0);

	/* the target is a directory: the rename fails, the temporary file goes */
	char *sub = path_in(h, dir, "adir");
	char *sub_tmp = path_in(h, dir, "adir.tmp");
	assert_int_equal(mkdir(sub, 0700), 0);
	check_fails(p, fake_processor_save(p, sub, 0), FAKE_EIO, "io_error", "path");
	assert_non_null(strstr(fake_error_last(p)->message, sub));
	assert_false(exists(sub_tmp));
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	/* loading what is not there, or not a file, changes nothing */
	const char *before = save_str(h, q, 0);
	check_fails(q, fake_processor_load(q, nowhere), FAKE_EIO, "io_error", "path");
	assert_non_null(strstr(fake_error_last(q)->message, nowhere));
	assert_non_null(strstr(fake_error_last(q)->message, strerror(ENOENT)));
	check_fails(q, fake_processor_load(q, sub), FAKE_EIO, "io_error", "path");
	assert_non_null(strstr(fake_error_last(q)->message, sub));
	check_fails(q, fake_processor_load(q, "/dev/null"), FAKE_EIO, "io_error", "path");
	assert_non_null(strstr(fake_error_last(q)->message, "not a regular file"));
	/* a FIFO with no writer: refused at once, not waited on */
	char *fifo = path_in(h, dir, "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	check_fails(q, fake_processor_load(q, fifo), FAKE_EIO, "io_error", "path");
	assert_non_null(strstr(fake_error_last(q)->message, "not a regular file"));
	assert_int_equal(unlink(fifo), 0);
	/* an empty file and a file that is not a snapshot are invalid */
	char *empty = path_in(h, dir, "empty.json");
	FILE *f = fopen(empty, "w");
	assert_non_null(f);
	fclose(f);
	check_fails(q, fake_processor_load(q, empty), FAKE_EINVAL, "snapshot_invalid", "$");
	f = fopen(empty, "w");
	assert_non_null(f);
	fputs("{\"format\": \"something else\"}\n", f);
	fclose(f);
	check_fails(q, fake_processor_load(q, empty), FAKE_EINVAL, "snapshot_invalid", "$.format");
	same_text(save_str(h, q, 0), before, "after failed loads");

	/* bad arguments */
	check_fails(p, fake_processor_save(p, NULL, 0), FAKE_EINVAL, "parameter_missing", "path");
	check_fails(p, fake_processor_save(p, "", 0), FAKE_EINVAL, "parameter_missing", "path");
	check_fails(p, fake_processor_save(p, path, 8), FAKE_EINVAL, "parameter_invalid", "flags");
	check_fails(q, fake_processor_load(q, NULL), FAKE_EINVAL, "parameter_missing", "path");
	check_fails(q, fake_processor_load(q, ""), FAKE_EINVAL, "parameter_missing", "path");
	assert_int_equal(fake_processor_save(NULL, path, 0), FAKE_EINVAL);
	assert_int_equal(fake_processor_load(NULL, path), FAKE_EINVAL);
	same_text(read_file(h, path), second, "the file after refused calls");

	assert_int_equal(unlink(path), 0);
	assert_int_equal(unlink(empty), 0);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
	text_free(&k.log);
}

/* ---- 5. invalid snapshots ----------------------------------------------------------- */

/* The member `at` of doc names ("objects.customer[0].email"): its parent,
 * and its key (or index, when *key is NULL) in it. */
static json_t *parent_of(json_t *doc, const char *at, char *key, size_t key_size, size_t *index)
{
	json_t *node = doc, *parent = NULL;
	const char *s = at;
	key[0] = '\0';
	while (*s) {
		parent = node;
		if (*s == '[') {
			char *end = NULL;
			*index = strtoul(s + 1, &end, 10);
			assert_true(*end == ']');
			key[0] = '\0';
			node = json_array_get(parent, *index);
			s = end + 1;
		} else {
			if (*s == '.')
				s++;
			size_t n = strcspn(s, ".[");
			assert_true(n > 0 && n < key_size);
			memcpy(key, s, n);
			key[n] = '\0';
			node = json_object_get(parent, key);
			s += n;
		}
		if (*s && !node) {
			print_error("no member %s in the snapshot\n", at);
			fail();
		}
	}
	assert_non_null(parent);
	return parent;
}

/* Sets (value: JSON text) or removes (value NULL) the member `at` of doc. */
static void edit_member(json_t *doc, const char *at, const char *value)
{
	char key[128];
	size_t index = 0;
	json_t *parent = parent_of(doc, at, key, sizeof key, &index);
	if (!value) {
		assert_true(key[0]);
		assert_int_equal(json_object_del(parent, key), 0);
		return;
	}
	json_error_t jerr;
	json_t *v = json_loads(value, JSON_DECODE_ANY, &jerr);
	if (!v) {
		print_error("bad test value %s: %s\n", value, jerr.text);
		fail();
	}
	if (key[0])
		assert_int_equal(json_object_set_new(parent, key, v), 0);
	else
		assert_int_equal(json_array_set_new(parent, index, v), 0);
}

static json_t *member_of(json_t *doc, const char *at)
{
	char key[128];
	size_t index = 0;
	json_t *parent = parent_of(doc, at, key, sizeof key, &index);
	json_t *v = key[0] ? json_object_get(parent, key) : json_array_get(parent, index);
	assert_non_null(v);
	return v;
}

static void swap_members(json_t *doc, const char *a, const char *b)
{
	json_t *x = json_incref(member_of(doc, a));
	json_t *y = json_incref(member_of(doc, b));
	char key[128];
	size_t index = 0;
	json_t *pa = parent_of(doc, a, key, sizeof key, &index);
	assert_int_equal(json_array_set_new(pa, index, y), 0);
	json_t *pb = parent_of(doc, b, key, sizeof key, &index);
	assert_int_equal(json_array_set_new(pb, index, x), 0);
}

static void set_new(json_t *doc, const char *at, json_t *v)
{
	char key[128];
	size_t index = 0;
	json_t *parent = parent_of(doc, at, key, sizeof key, &index);
	assert_non_null(v);
	assert_true(key[0]);
	assert_int_equal(json_object_set_new(parent, key, v), 0);
}

static json_t *string_of(char c, size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	json_t *v = json_string(s);
	free(s);
	return v;
}

static void edit_swap_customers(json_t *doc)
{
	swap_members(doc, "objects.customer[0]", "objects.customer[1]");
}

static void edit_swap_jobs(json_t *doc)
{
	swap_members(doc, "timeline[0]", "timeline[1]");
}

static void edit_swap_events(json_t *doc)
{
	swap_members(doc, "events[3]", "events[4]");
}

static void edit_metadata_51_keys(json_t *doc)
{
	json_t *m = json_object();
	for (int i = 0; i < 51; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		json_object_set_new(m, key, json_string("v"));
	}
	set_new(doc, "objects.customer[0].metadata", m);
}

static void edit_metadata_long_key(json_t *doc)
{
	json_t *m = json_object();
	char key[42];
	memset(key, 'k', 41);
	key[41] = '\0';
	json_object_set_new(m, key, json_string("v"));
	set_new(doc, "objects.customer[0].metadata", m);
}

static void edit_metadata_long_value(json_t *doc)
{
	json_t *m = json_object();
	json_object_set_new(m, "plan", string_of('v', 501));
	set_new(doc, "objects.customer[0].metadata", m);
}

/* Card fields are saved flat, with dotted names ("card.exp_month"). */
static void edit_exp_month(json_t *doc)
{
	json_t *pm = member_of(doc, "objects.payment_method[0]");
	assert_non_null(json_object_get(pm, "card.exp_month"));
	assert_int_equal(json_object_set_new(pm, "card.exp_month", json_integer(13)), 0);
}

static void edit_nul(json_t *doc)
{
	set_new(doc, "objects.customer[0].email", json_stringn("a\0b@example.com", 15));
}

static void edit_long_string(json_t *doc)
{
	set_new(doc, "objects.customer[0].email", string_of('e', 40001));
}

/* The first card (pm_card_visa, no decline code) made to decline: card
 * fields are dotted keys ("card.behavior"), which the path helper splits. */
static void edit_declining_card(json_t *doc)
{
	json_t *pm = json_array_get(json_object_get(json_object_get(doc, "objects"), "payment_method"), 0);
	assert_true(json_is_null(json_object_get(pm, "card.decline_code")));
	assert_int_equal(json_object_set_new(pm, "card.behavior", json_string("declines")), 0);
}

static void edit_long_ref(json_t *doc)
{
	set_new(doc, "objects.subscription[0].customer", string_of('9', 256));
}

/* A second "format" member, first: duplicate keys. */
static char *rewrite_duplicate_key(const char *snap)
{
	const char *head = "{\"format\":\"libfake-snapshot\",";
	char *s = malloc(strlen(head) + strlen(snap) + 1);
	assert_non_null(s);
	strcpy(s, head);
	strcat(s, snap + 1);
	return s;
}

/* The same snapshot, pretty-printed by jansson with keys in another order. */
static char *rewrite_trailing_garbage(const char *snap)
{
	char *s = malloc(strlen(snap) + 8);
	assert_non_null(s);
	strcpy(s, snap);
	strcat(s, "{}");
	return s;
}

typedef struct bad {
	const char *what;
	const char *raw;               /* the whole input; NULL: the real snapshot, edited */
	const char *at;                /* the member to change, from the root */
	const char *value;             /* its new value (JSON text); NULL: removed */
	void (*edit)(json_t *doc);     /* instead of at/value */
	char *(*rewrite)(const char *snap); /* instead: a new text from the snapshot's */
	const char *code;
	const char *param;
	const char *message;           /* a part of the message */
} bad;

#define SYNTAX "byte offset"
#define INVALID "snapshot_invalid"

static const bad bad_inputs[] = {
	{ "empty input", "", NULL, NULL, NULL, NULL, INVALID, "$", SYNTAX },
	{ "not JSON", "libfake snapshot", NULL, NULL, NULL, NULL, INVALID, "$", SYNTAX },
	{ "a JSON string", "\"libfake-snapshot\"", NULL, NULL, NULL, NULL, INVALID, "$", SYNTAX },
	{ "a JSON array", "[{\"format\": \"libfake-snapshot\"}]", NULL, NULL, NULL, NULL, INVALID, "$", "a JSON object" },
	{ "an empty object", "{}", NULL, NULL, NULL, NULL, INVALID, "$.format", "not a libfake snapshot" },
	{ "duplicate keys", NULL, NULL, NULL, NULL, rewrite_duplicate_key, INVALID, "$", "duplicate" },
	{ "trailing garbage", NULL, NULL, NULL, NULL, rewrite_trailing_garbage, INVALID, "$", SYNTAX },
	{ "a NUL in a string", NULL, NULL, NULL, edit_nul, NULL, INVALID, "$", SYNTAX },
	{ "wrong format", NULL, "format", "\"stripe-fixture\"", NULL, NULL, INVALID, "$.format", "libfake-snapshot" },
	{ "format not a string", NULL, "format", "1", NULL, NULL, INVALID, "$.format", "libfake-snapshot" },
	{ "version 3", NULL, "version", "3", NULL, NULL, "snapshot_version", "$.version", "version 3" },
	{ "version 0", NULL, "version", "0", NULL, NULL, "snapshot_version", "$.version", "version 0" },
	{ "version \"1\"", NULL, "version", "\"1\"", NULL, NULL, "snapshot_version", "$.version", "not a number" },
	{ "version 1.0", NULL, "version", "1.0", NULL, NULL, "snapshot_version", "$.version", "not a number" },
	{ "unknown top-level member", NULL, "comment", "\"hello\"", NULL, NULL, INVALID, "$.comment",
	  "unknown member 'comment'" },
	{ "options not an object", NULL, "options", "[]", NULL, NULL, INVALID, "$.options", "object" },
	{ "unknown option", NULL, "options.colour", "\"red\"", NULL, NULL, INVALID, "$.options.colour", "colour" },
	{ "id_width 0", NULL, "options.id_width", "0", NULL, NULL, INVALID, "$.options.id_width", "outside 1..20" },
	{ "id_width 21", NULL, "options.id_width", "21", NULL, NULL, INVALID, "$.options.id_width", "outside 1..20" },
	{ "id_width changed", NULL, "options.id_width", "5", NULL, NULL, INVALID, "$.objects.customer[0].id",
	  "cus_fake_00001" },
	{ "epoch negative", NULL, "options.epoch", "-1", NULL, NULL, INVALID, "$.options.epoch", "epoch" },
	{ "seed not hex", NULL, "options.seed", "\"5eed0fca11ab1e4z\"", NULL, NULL, INVALID, "$.options.seed", "hex" },
	{ "seed in capitals", NULL, "options.seed", "\"5EED0FCA11AB1E42\"", NULL, NULL, INVALID, "$.options.seed", "hex" },
	{ "seed a number", NULL, "options.seed", "42", NULL, NULL, INVALID, "$.options.seed", "hex" },
	{ "synthesize_events a string", NULL, "options.synthesize_events", "\"yes\"", NULL, NULL, INVALID,
	  "$.options.synthesize_events", "true or false" },
	{ "retry_days decreasing", NULL, "options.billing.retry_days", "[4, 2]", NULL, NULL, INVALID,
	  "$.options.billing.retry_days", "increase" },
	{ "retry day 0", NULL, "options.billing.retry_days[0]", "0", NULL, NULL, INVALID,
	  "$.options.billing.retry_days[0]", "outside 1..60" },
	{ "nine retry days", NULL, "options.billing.retry_days", "[1,2,3,4,5,6,7,8,9]", NULL, NULL, INVALID,
	  "$.options.billing.retry_days", "at most 8" },
	{ "exhausted_subscription unknown", NULL, "options.billing.exhausted_subscription", "\"delete\"", NULL, NULL,
	  INVALID, "$.options.billing.exhausted_subscription", "cancel" },
	{ "finalize_delay too long", NULL, "options.billing.finalize_delay", "259201", NULL, NULL, INVALID,
	  "$.options.billing.finalize_delay", "outside" },
	{ "clock before the epoch", NULL, "clock.now", "1767225599", NULL, NULL, INVALID, "$.clock.now", "outside" },
	{ "clock a string", NULL, "clock.now", "\"now\"", NULL, NULL, INVALID, "$.clock.now", "integer" },
	{ "clock without next_seq", NULL, "clock.next_seq", NULL, NULL, NULL, INVALID, "$.clock.next_seq", "missing" },
	{ "requests negative", NULL, "requests", "-1", NULL, NULL, INVALID, "$.requests", "outside" },
	{ "prng not hex", NULL, "prng", "\"\"", NULL, NULL, INVALID, "$.prng", "hex" },
	{ "objects without a table", NULL, "objects.refund", NULL, NULL, NULL, INVALID, "$.objects.refund", "missing" },
	{ "objects with an unknown table", NULL, "objects.coupon", "[]", NULL, NULL, INVALID, "$.objects.coupon",
	  "unknown member 'coupon'" },
	{ "a table not an array", NULL, "objects.product", "{}", NULL, NULL, INVALID, "$.objects.product", "array" },
	{ "a record not an object", NULL, "objects.product[1]", "\"prod_fake_00000002\"", NULL, NULL, INVALID,
	  "$.objects.product[1]", "object" },
	{ "unknown member in a record", NULL, "objects.customer[1].nickname", "\"Bo\"", NULL, NULL, INVALID,
	  "$.objects.customer[1].nickname", "unknown member 'nickname'" },
	{ "a record without a field", NULL, "objects.price[1].currency", NULL, NULL, NULL, INVALID,
	  "$.objects.price[1].currency", "currency is missing" },
	{ "a record without its id", NULL, "objects.price[1].id", NULL, NULL, NULL, INVALID, "$.objects.price[1].id",
	  "missing" },
	{ "a record id out of place", NULL, NULL, NULL, edit_swap_customers, NULL, INVALID, "$.objects.customer[0].id",
	  "cus_fake_00000002" },
	{ "deleted false", NULL, "objects.customer[0].deleted", "false", NULL, NULL, INVALID,
	  "$.objects.customer[0].deleted", "true" },
	{ "a reference to a missing object", NULL, "objects.subscription[0].customer", "\"cus_fake_99999999\"", NULL,
	  NULL, INVALID, "$.objects.subscription[0].customer", "cus_fake_99999999" },
	{ "a reference of the wrong type", NULL, "objects.customer[0].default_payment_method", "\"cus_fake_00000002\"",
	  NULL, NULL, INVALID, "$.objects.customer[0].default_payment_method", "payment_method" },
	{ "a required reference null", NULL, "objects.price[0].product", "null", NULL, NULL, INVALID,
	  "$.objects.price[0].product", "string" },
	{ "an item's price naming no price", NULL, "objects.subscription[0].items[0].price", "\"price_fake_00000099\"",
	  NULL, NULL, INVALID, "$.objects.subscription[0].items[0].price", "price_fake_00000099" },
	{ "an item's price naming a product", NULL, "objects.subscription[0].items[0].price", "\"prod_fake_00000001\"",
	  NULL, NULL, INVALID, "$.objects.subscription[0].items[0].price", "no price" },
	{ "an item on a one-time price", NULL, "objects.subscription[0].items[0].price", "\"price_fake_00000001\"",
	  NULL, NULL, INVALID, "$.objects.subscription[0].items[0].price", "recurring" },
	{ "a line's price naming no price", NULL, "objects.invoice[0].lines[0].price", "\"price_fake_00000099\"", NULL,
	  NULL, INVALID, "$.objects.invoice[0].lines[0].price", "price_fake_00000099" },
	{ "a subscription with no items", NULL, "objects.subscription[0].items", "[]", NULL, NULL, INVALID,
	  "$.objects.subscription[0].items", "items" },
	{ "a price with an interval and no count", NULL, "objects.price[1].interval_count", "0", NULL, NULL, INVALID,
	  "$.objects.price[1].interval_count", "interval" },
	{ "an unknown enum name", NULL, "objects.subscription[1].status", "\"bogus\"", NULL, NULL, INVALID,
	  "$.objects.subscription[1].status", "status must be one of" },
	{ "an enum as a number", NULL, "objects.invoice[0].status", "2", NULL, NULL, INVALID,
	  "$.objects.invoice[0].status", "status must be one of" },
	{ "a negative created", NULL, "objects.customer[0].created", "-1", NULL, NULL, INVALID,
	  "$.objects.customer[0].created", "outside" },
	{ "unit_amount 1e12", NULL, "objects.price[0].unit_amount", "1000000000000", NULL, NULL, INVALID,
	  "$.objects.price[0].unit_amount", "outside" },
	{ "unit_amount as a real", NULL, "objects.price[0].unit_amount", "700.0", NULL, NULL, INVALID,
	  "$.objects.price[0].unit_amount", "integer" },
	{ "an amount past the limit", NULL, "objects.invoice[0].total", "100000000000000001", NULL, NULL, INVALID,
	  "$.objects.invoice[0].total", "outside" },
	{ "a string for an integer", NULL, "objects.invoice[0].total", "\"1000\"", NULL, NULL, INVALID,
	  "$.objects.invoice[0].total", "integer" },
	{ "an integer for a string", NULL, "objects.customer[0].email", "42", NULL, NULL, INVALID,
	  "$.objects.customer[0].email", "string" },
	{ "an object for a bool", NULL, "objects.product[0].active", "{}", NULL, NULL, INVALID,
	  "$.objects.product[0].active", "true or false" },
	{ "an exp_month of 13", NULL, NULL, NULL, edit_exp_month, NULL, INVALID,
	  "$.objects.payment_method[0].card.exp_month", "outside 0..12" },
	{ "metadata with 51 keys", NULL, NULL, NULL, edit_metadata_51_keys, NULL, INVALID,
	  "$.objects.customer[0].metadata", "51 keys" },
	{ "a metadata key of 41 bytes", NULL, NULL, NULL, edit_metadata_long_key, NULL, INVALID,
	  "$.objects.customer[0].metadata", "longer than 40" },
	{ "a metadata value of 501 bytes", NULL, NULL, NULL, edit_metadata_long_value, NULL, INVALID,
	  "$.objects.customer[0].metadata", "longer than 500" },
	{ "a metadata value not a string", NULL, "objects.customer[0].metadata.seats", "3", NULL, NULL, INVALID,
	  "$.objects.customer[0].metadata", "metadata value must be a string" },
	{ "metadata an array", NULL, "objects.customer[0].metadata", "[]", NULL, NULL, INVALID,
	  "$.objects.customer[0].metadata", "object" },
	{ "a string of 40001 bytes", NULL, NULL, NULL, edit_long_string, NULL, INVALID, "$.objects.customer[0].email",
	  "longer than 40000" },
	{ "an id of 256 bytes", NULL, NULL, NULL, edit_long_ref, NULL, INVALID, "$.objects.subscription[0].customer",
	  "longer than 255" },
	{ "an enabled event not a string", NULL, "objects.webhook_endpoint[0].enabled_events[1]", "7", NULL, NULL,
	  INVALID, "$.objects.webhook_endpoint[0].enabled_events[1]", "string" },
	{ "a charge without its card", NULL, "objects.charge[0].card", "null", NULL, NULL, INVALID,
	  "$.objects.charge[0].card", "object" },
	{ "a charge's card of another id", NULL, "objects.charge[0].card.id", "\"pm_fake_00000099\"", NULL, NULL,
	  INVALID, "$.objects.charge[0].card.id", "pm_fake_00000099" },
	{ "a counter not matching its table", NULL, "counters.customer", "6", NULL, NULL, INVALID, "$.counters.customer",
	  "5 customer records" },
	{ "a counter negative", NULL, "counters.line_item", "-1", NULL, NULL, INVALID, "$.counters.line_item",
	  "outside" },
	{ "a counter missing", NULL, "counters.event", NULL, NULL, NULL, INVALID, "$.counters.event", "missing" },
	{ "an unknown counter", NULL, "counters.coupon", "0", NULL, NULL, INVALID, "$.counters.coupon", "coupon" },
	{ "events not an array", NULL, "events", "{}", NULL, NULL, INVALID, "$.events", "array" },
	{ "an event id out of place", NULL, NULL, NULL, edit_swap_events, NULL, INVALID, "$.events[3].id",
	  "evt_fake_00000004" },
	{ "an event of an unknown type", NULL, "events[0].type", "\"product.exploded\"", NULL, NULL, INVALID,
	  "$.events[0].type", "not an event type" },
	{ "an event of an unknown object type", NULL, "events[0].object_type", "\"spaceship\"", NULL, NULL, INVALID,
	  "$.events[0].object_type", "object_type" },
	{ "a price marked deleted (prices are never deleted)", NULL, "objects.price[0].deleted", "true", NULL, NULL,
	  INVALID, "$.objects.price[0].deleted", "never deleted" },
	{ "a declining card without its decline code", NULL, NULL, NULL, edit_declining_card, NULL, INVALID,
	  "$.objects.payment_method[0].card.decline_code", "decline_code" },
	{ "a negative quantity", NULL, "objects.subscription_item[0].quantity", "-1", NULL, NULL, INVALID,
	  "$.objects.subscription_item[0].quantity", "outside" },
	{ "a balance transaction whose source is a customer", NULL, "objects.balance_transaction[0].source",
	  "\"cus_fake_00000001\"", NULL, NULL, INVALID, "$.objects.balance_transaction[0].source", "charge or refund" },
	{ "a line counter below the lines already numbered", NULL, "counters.line_item", "0", NULL, NULL, INVALID,
	  "$.counters.line_item", "a line is numbered" },
	{ "a created time of INT64_MAX (only period ends may be never)", NULL, "objects.customer[0].created",
	  "9223372036854775807", NULL, NULL, INVALID, "$.objects.customer[0].created", "outside" },
	{ "pending_webhooks without a retry on the timeline", NULL, "events[0].pending_webhooks", "1", NULL, NULL,
	  INVALID, "$.events[0].pending_webhooks", "retries" },
	{ "an event of the wrong object type", NULL, "events[0].object_type", "\"customer\"", NULL, NULL, INVALID,
	  "$.events[0].object_type", "a product.created event carries" },
	{ "an event naming no stored object", NULL, "events[0].object.id", "\"prod_fake_00000099\"", NULL, NULL,
	  INVALID, "$.events[0].object.id", "prod_fake_00000099" },
	{ "an event whose object has a bad field", NULL, "events[0].object.active", "1", NULL, NULL, INVALID,
	  "$.events[0].object.active", "true or false" },
	{ "an event with changes and no previous", NULL, "events[0].changed", "[\"name\"]", NULL, NULL, INVALID,
	  "$.events[0].changed", "previous" },
	{ "an event's request not a string", NULL, "events[0].request", "7", NULL, NULL, INVALID, "$.events[0].request",
	  "string" },
	{ "an unknown member in an event", NULL, "events[0].livemode", "false", NULL, NULL, INVALID,
	  "$.events[0].livemode", "livemode" },
	{ "timeline not an array", NULL, "timeline", "null", NULL, NULL, INVALID, "$.timeline", "array" },
	{ "timeline out of order", NULL, NULL, NULL, edit_swap_jobs, NULL, INVALID, "$.timeline[1]", "order" },
	{ "a job due before now", NULL, "timeline[0].due", "1767225600", NULL, NULL, INVALID, "$.timeline[0].due",
	  "outside" },
	{ "a job with a seq not yet given", NULL, "timeline[1].seq", "123", NULL, NULL, INVALID, "$.timeline[1].seq",
	  "outside" },
	{ "a job of an unknown kind", NULL, "timeline[0].kind", "\"cron\"", NULL, NULL, INVALID, "$.timeline[0].kind",
	  "kind must be" },
	{ "a job naming a missing subscription", NULL, "timeline[4].object", "\"sub_fake_00000099\"", NULL, NULL, INVALID,
	  "$.timeline[4].object", "names no subscription" },
	{ "a job naming an invoice as a subscription", NULL, "timeline[4].object", "\"in_fake_00000001\"", NULL, NULL,
	  INVALID, "$.timeline[4].object", "names no subscription" },
	{ "a retry naming no event", NULL, "timeline[0].event", "\"evt_fake_00009999\"", NULL, NULL, INVALID,
	  "$.timeline[0].event", "names no event" },
	{ "a retry of attempt 1", NULL, "timeline[0].attempt", "1", NULL, NULL, INVALID, "$.timeline[0].attempt",
	  "outside" },
	{ "an unknown member in a job", NULL, "timeline[2].attempt", "2", NULL, NULL, INVALID, "$.timeline[2].attempt",
	  "unknown member 'attempt'" },
};

/* The processor the bad inputs are loaded into (small, so that the many
 * cases run quickly under valgrind): two customers, one with a card, and
 * a product, the next customer cus_fake_00003. The fixture frees it if a
 * check fails. */
static fake_processor *target_new(held *h)
{
	fake_processor *p = proc_new(h, NULL);
	customer_new(p, "a@example.com", "pm_card_visa", NULL, 0);
	customer_new(p, "b@example.com", NULL, NULL, 0);
	fake_product_create_params prp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	prp.name = "Basic";
	const fake_product *prod = NULL;
	check_ok(p, fake_product_create(&prod, p, &prp, NULL));
	return p;
}

static void target_free(held *h, fake_processor *p)
{
	assert_ptr_equal(h->p[h->count - 1], p);
	fake_processor_free(p);
	h->p[--h->count] = NULL;
}

/* Loads `input` into a processor with state and checks the refusal, and
 * that the processor is exactly as it was and goes on as before. */
static bool check_refused(held *h, const char *input, size_t len, const char *what, const char *code,
			  const char *param, const char *message)
{
	bool right = true;
	fake_processor *p = target_new(h);
	char *before = NULL;
	check_ok(p, fake_processor_save_string(&before, p, 0));
	int rc = fake_processor_load_string(p, input, len);
	const fake_error *e = fake_error_last(p);
	/* a syntax error gives a place in the text; any other fault a path */
	bool syntax = strstr(e->message, SYNTAX) != NULL;
	if (rc != FAKE_EINVAL || strcmp(e->code, code) != 0 || strcmp(e->param, param) != 0 ||
	    !strstr(e->message, message) || (!syntax && !strstr(e->message, param))) {
		print_error("%s: got %s code=%s param=%s message=%s\n   expected FAKE_EINVAL code=%s param=%s, a message "
			    "with '%s' (and the param, unless a syntax error)\n",
			    what, fake_status_name(rc), e->code, e->param, e->message, code, param, message);
		right = false;
	}
	assert_int_equal(e->status, FAKE_EINVAL);
	assert_string_equal(e->type, "invalid_request_error");
	assert_int_equal(e->http_status, 400);
	assert_int_equal(strncmp(e->message, "Invalid snapshot: ", 18), 0);
	if (syntax) {
		assert_non_null(strstr(e->message, "line "));
		assert_non_null(strstr(e->message, "column "));
	}
	assert_null(strchr(e->message, '\n'));
	char *after = NULL;
	check_ok(p, fake_processor_save_string(&after, p, 0));
	int same = strcmp(before, after);
	fake_json_free(p, before);
	fake_json_free(p, after);
	if (same != 0) {
		print_error("%s: the processor changed\n", what);
		fail();
	}
	/* it works on: the next customer is the one it would have been */
	char id[64];
	assert_string_equal(next_customer(p, id), "cus_fake_00003");
	target_free(h, p);
	return right;
}

static void test_snapshot_load_refuses_invalid(void **state)
{
	held *h = *state;
	fake_processor_options o = scenario_options();
	fake_processor *p = proc_new(h, &o);
	hook k = { { 0 }, false, 0 };
	scenario_start(p, &k);
	const char *snap = save_str(h, p, 0);
	json_error_t jerr;
	json_t *doc = json_loads(snap, 0, &jerr);
	assert_non_null(doc);

	size_t n = sizeof bad_inputs / sizeof bad_inputs[0];
	assert_true(n >= 30);
	bool failed = false;
	for (size_t i = 0; i < n; i++) {
		const bad *b = &bad_inputs[i];
		char *input = NULL;
		if (b->raw) {
			input = strdup(b->raw);
		} else if (b->rewrite) {
			input = b->rewrite(snap);
		} else {
			json_t *copy = json_deep_copy(doc);
			assert_non_null(copy);
			if (b->edit)
				b->edit(copy);
			else
				edit_member(copy, b->at, b->value);
			input = json_dumps(copy, JSON_COMPACT);
			json_decref(copy);
		}
		assert_non_null(input);
		if (!check_refused(h, input, strlen(input), b->what, b->code, b->param, b->message))
			failed = true;
		free(input);
	}

	/* every top-level member missing, one at a time */
	static const char *const members[] = { "format", "version", "options", "clock", "requests",
					       "prng", "counters", "objects", "events", "timeline" };
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
		json_t *copy = json_deep_copy(doc);
		assert_int_equal(json_object_del(copy, members[i]), 0);
		char *input = json_dumps(copy, JSON_COMPACT);
		json_decref(copy);
		char param[32], message[32];
		snprintf(param, sizeof param, "$.%s", members[i]);
		/* the format is checked first, with its own message */
		snprintf(message, sizeof message, i == 0 ? "libfake-snapshot" : "%s is missing", members[i]);
		if (!check_refused(h, input, strlen(input), members[i], i == 1 ? "snapshot_version" : INVALID,
				   param, message))
			failed = true;
		free(input);
	}

	/* the snapshot cut short anywhere: a syntax error, never a crash */
	size_t len = strlen(snap), cuts = 0;
	for (size_t at = 0; at + 1 < len; at += 997, cuts++)
		if (!check_refused(h, snap, at, "a truncated snapshot", INVALID, "$", SYNTAX))
			failed = true;
	assert_true(cuts >= 20);
	assert_false(failed);
	json_decref(doc);
	text_free(&k.log);
}

/* ---- 6. what a load may not do, and what it leaves alone ------------------------------- */

/* Save and load attempted from inside a callback (attempt false: the
 * callback does nothing, for a twin that shows what the calls alone do). */
typedef struct inside {
	bool attempt;
	const char *other;   /* a snapshot to load */
	int load_rc[4];      /* per kind of callback: subscriber, stub, clock, handler */
	int save_rc[4];
	bool out_cleared[4];
	bool record_says_why[4];
} inside;

static void try_inside(fake_processor *p, inside *in, int kind)
{
	if (!in->attempt)
		return;
	in->load_rc[kind] = fake_processor_load_string(p, in->other, strlen(in->other));
	in->record_says_why[kind] = fake_error_last(p)->status == FAKE_ESTATE &&
				    strstr(fake_error_last(p)->message, "inside") != NULL;
	char *out = (char *)in;
	in->save_rc[kind] = fake_processor_save_string(&out, p, 0);
	in->out_cleared[kind] = out == NULL;
}

static void subscriber_inside(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)e;
	try_inside(p, user_data, 0);
}

static int stub_inside(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)call;
	(void)error;
	try_inside(p, user_data, 1);
	*(const void **)out = NULL;
	return FAKE_EAPI;
}

static void clock_inside(fake_processor *p, int64_t at, void *user_data)
{
	(void)at;
	try_inside(p, user_data, 2);
}

static int handler_inside(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	(void)d;
	try_inside(p, user_data, 3);
	return 0;
}

/* The same calls, with the callbacks attempting saves and loads or not. */
static void run_callbacks(fake_processor *p, inside *in)
{
	static const char *const created[] = { "customer.created" };
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wp.url = "https://example.com/hook";
	wp.enabled_events = created;
	wp.enabled_event_count = 1;
	wp.handler = handler_inside;
	wp.user_data = in;
	const fake_webhook_endpoint *we = NULL;
	check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));
	check_ok(p, fake_event_subscribe(p, subscriber_inside, in));
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_PRODUCT, stub_inside, in));
	check_ok(p, fake_clock_schedule(p, fake_clock_now(p) + 10, clock_inside, in));
	char id[64];
	next_customer(p, id);
	const fake_product *prod = NULL;
	assert_int_equal(fake_product_retrieve(&prod, p, "prod_fake_00001", NULL), FAKE_EAPI);
	check_ok(p, fake_clock_advance(p, 20));
	next_customer(p, id);
	assert_string_equal(id, "cus_fake_00002");
}

static void test_snapshot_refused_inside_callbacks(void **state)
{
	held *h = *state;
	fake_processor_options o = scenario_options();
	fake_processor *other = proc_new(h, &o);
	hook k = { { 0 }, false, 0 };
	scenario_start(other, &k);
	inside in = { true, save_str(h, other, 0), { 0 }, { 0 }, { false }, { false } };
	inside twin_in = { false, NULL, { 0 }, { 0 }, { false }, { false } };
	fake_processor *p = proc_new(h, NULL);
	fake_processor *twin = proc_new(h, NULL);
	run_callbacks(p, &in);
	run_callbacks(twin, &twin_in);
	for (int kind = 0; kind < 4; kind++) {
		print_message("# callback kind %d\n", kind);
		assert_int_equal(in.load_rc[kind], FAKE_ESTATE);
		assert_int_equal(in.save_rc[kind], FAKE_ESTATE);
		assert_true(in.out_cleared[kind]);
		assert_true(in.record_says_why[kind]);
	}
	/* nothing was loaded: p is as its twin, which never tried */
	same_text(save_str(h, p, 0), save_str(h, twin, 0), "after refused loads");
	assert_int_equal(fake_error_last(p)->status, 0);
	/* outside callbacks the same calls work */
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_PRODUCT, NULL, NULL));
	check_ok(p, fake_event_unsubscribe(p, subscriber_inside, &in));
	load_ok(p, in.other);
	same_text(save_str(h, p, 0), in.other, "loaded outside callbacks");
	text_free(&k.log);
}

static void test_snapshot_bad_arguments(void **state)
{
	held *h = *state;
	fake_processor *p = proc_new(h, NULL);
	char id[64];
	next_customer(p, id);
	const char *before = save_str(h, p, 0);
	char *out = (char *)p;
	check_fails(p, fake_processor_save_string(NULL, p, 0), FAKE_EINVAL, "parameter_missing", "out");
	assert_int_equal(fake_processor_save_string(&out, NULL, 0), FAKE_EINVAL);
	assert_null(out);
	out = (char *)p;
	check_fails(p, fake_processor_save_string(&out, p, 2), FAKE_EINVAL, "parameter_invalid", "flags");
	assert_null(out);
	out = (char *)p;
	check_fails(p, fake_processor_save_string(&out, p, ~0u), FAKE_EINVAL, "parameter_invalid", "flags");
	assert_null(out);
	assert_int_equal(fake_processor_load_string(NULL, before, strlen(before)), FAKE_EINVAL);
	check_fails(p, fake_processor_load_string(p, NULL, 0), FAKE_EINVAL, "parameter_missing", "data");
	check_fails(p, fake_processor_load_string(p, before, 0), FAKE_EINVAL, "snapshot_invalid", "$");
	same_text(save_str(h, p, 0), before, "after refused calls");

	/* the data need not end with a NUL: only len bytes are read */
	fake_processor_options o = scenario_options();
	fake_processor *src = proc_new(h, &o);
	hook k = { { 0 }, false, 0 };
	scenario_start(src, &k);
	const char *snap = save_str(h, src, 0);
	size_t len = strlen(snap);
	char *buf = keep(h, malloc(len + 16));
	memcpy(buf, snap, len);
	memcpy(buf + len, "{garbage}", 9); /* no NUL at all */
	check_fails(p, fake_processor_load_string(p, buf, len - 2), FAKE_EINVAL, "snapshot_invalid", "$");
	check_ok(p, fake_processor_load_string(p, buf, len));
	assert_int_equal(fake_error_last(p)->status, 0); /* a load that succeeds clears the record */
	same_text(save_str(h, p, 0), snap, "loaded from a buffer without a NUL");
	text_free(&k.log);
}

typedef struct harness {
	text events;
	int clock_ran;
} harness;

static void harness_event(fake_processor *p, const fake_event *e, void *user_data)
{
	record_event(p, e, &((harness *)user_data)->events);
}

static void harness_clock(fake_processor *p, int64_t at, void *user_data)
{
	(void)p;
	(void)at;
	((harness *)user_data)->clock_ran++;
}

static int stub_rate_limit(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)p;
	(void)call;
	(void)error;
	(void)user_data;
	*(const void **)out = NULL;
	return FAKE_ERATELIMIT;
}

/* Scripts, stubs, subscribers and call counts are the harness, not state:
 * a load leaves them; clock callbacks go with the timeline they were on. */
static void test_snapshot_load_keeps_harness(void **state)
{
	held *h = *state;
	fake_processor_options o = scenario_options();
	fake_processor *src = proc_new(h, &o);
	hook k = { { 0 }, false, 0 };
	scenario_start(src, &k);
	const char *snap = save_str(h, src, 0);
	size_t jobs = fake_clock_pending(src);
	assert_true(jobs > 0);

	fake_processor *p = proc_new(h, NULL);
	harness hs = { { 0 }, 0 };
	check_ok(p, fake_event_subscribe(p, harness_event, &hs));
	fake_script api = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &api, 1));
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_PRODUCT, stub_rate_limit, NULL));
	const fake_customer *c = NULL;
	for (int i = 0; i < 3; i++)
		assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND);
	check_ok(p, fake_clock_schedule(p, fake_clock_now(p) + DAY, harness_clock, &hs));
	check_ok(p, fake_clock_schedule(p, fake_clock_now(p) + 400 * DAY, harness_clock, &hs));
	assert_int_equal(fake_clock_pending(p), 2);

	load_ok(p, snap);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 3);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 1);
	assert_int_equal(fake_clock_pending(p), jobs); /* the snapshot's jobs only */
	assert_int_equal(hs.events.len, 0);

	/* the script queued before the load answers the first create after it */
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	check_fails(p, fake_customer_create(&c, p, &cc, NULL), FAKE_EAPI, NULL, NULL);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	check_ok(p, fake_customer_create(&c, p, &cc, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00000006");
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 2);
	/* the subscriber registered before the load gets the events after it */
	assert_non_null(hs.events.s);
	assert_non_null(strstr(hs.events.s, "customer.created"));
	assert_non_null(strstr(hs.events.s, "cus_fake_00000006"));
	/* the stub still answers */
	const fake_product *prod = NULL;
	assert_int_equal(fake_product_retrieve(&prod, p, "prod_fake_00000001", NULL), FAKE_ERATELIMIT);
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_PRODUCT, NULL, NULL));
	check_ok(p, fake_product_retrieve(&prod, p, "prod_fake_00000001", NULL));
	/* the callbacks scheduled before the load never run */
	check_ok(p, fake_clock_advance(p, 500 * DAY));
	assert_int_equal(hs.clock_ran, 0);
	text_free(&hs.events);
	text_free(&k.log);
}

/* A webhook endpoint with a pending retry: saved after one failed delivery. */
static const char *endpoint_with_retry(held *h, hook *k, int64_t *t0)
{
	fake_processor *p = proc_new(h, NULL);
	static const char *const created[] = { "customer.created" };
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wp.url = "https://example.com/hook";
	wp.enabled_events = created;
	wp.enabled_event_count = 1;
	wp.handler = record_delivery;
	wp.user_data = k;
	const fake_webhook_endpoint *we = NULL;
	check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));
	*t0 = fake_clock_now(p);
	char id[64];
	next_customer(p, id);
	assert_int_equal(k->calls, 1);
	assert_int_equal(fake_clock_pending(p), 1); /* the retry, at t0 + 5 min */
	return save_str(h, p, 0);
}

static const fake_event *first_event(fake_processor *p)
{
	const fake_event *e = NULL;
	check_ok(p, fake_event_retrieve(&e, p, "evt_fake_00001", NULL));
	return e;
}

static const fake_webhook_endpoint *endpoint(fake_processor *p)
{
	const fake_webhook_endpoint *we = NULL;
	check_ok(p, fake_webhook_endpoint_retrieve(&we, p, "we_fake_00001", NULL));
	return we;
}

static void test_snapshot_webhook_retries_resume(void **state)
{
	held *h = *state;
	hook k0 = { { 0 }, false, 0 };
	int64_t t0 = 0;
	const char *snap = endpoint_with_retry(h, &k0, &t0);

	/* the handler set again: the retries go on where they were */
	fake_processor *p = proc_new(h, NULL);
	load_ok(p, snap);
	assert_int_equal(fake_event_pending_webhooks(first_event(p)), 1);
	hook k = { { 0 }, false, 0 };
	check_ok(p, fake_webhook_endpoint_set_handler(p, "we_fake_00001", record_delivery, &k));
	check_ok(p, fake_clock_advance(p, 299));
	assert_int_equal(k.calls, 0);
	check_ok(p, fake_clock_advance(p, 1));
	assert_int_equal(k.calls, 1);
	k.ok = true;
	check_ok(p, fake_clock_advance(p, 1800));
	assert_int_equal(k.calls, 2);
	/* attempts 2 and 3, at 5 and 35 minutes (payload lengths left out) */
	char got[256], want[256];
	size_t n = 0;
	for (const char *line = k.log.s; line && *line && n < sizeof got - 1;) {
		const char *len = strstr(line, " len=");
		const char *eol = strchr(line, '\n');
		assert_non_null(len);
		assert_non_null(eol);
		n += (size_t)snprintf(got + n, sizeof got - n, "%.*s\n", (int)(len - line), line);
		line = eol + 1;
	}
	snprintf(want, sizeof want,
		 "we_fake_00001 evt_fake_00001 attempt=2 at=%" PRId64 "\n"
		 "we_fake_00001 evt_fake_00001 attempt=3 at=%" PRId64 "\n",
		 t0 + 300, t0 + 2100);
	assert_string_equal(got, want);
	assert_int_equal(fake_event_pending_webhooks(first_event(p)), 0);
	assert_int_equal(fake_clock_pending(p), 0);
	/* the endpoint's counts go on from the snapshot's (one failed attempt) */
	assert_int_equal(fake_webhook_endpoint_attempts(endpoint(p)), 3);
	assert_int_equal(fake_webhook_endpoint_failures(endpoint(p)), 2);

	/* no handler: the restored endpoint receives nothing, and its retry
	 * is given up when it comes due */
	fake_processor *q = proc_new(h, NULL);
	load_ok(q, snap);
	hook kq = { { 0 }, true, 0 };
	char id[64];
	next_customer(q, id);
	assert_int_equal(fake_webhook_endpoint_attempts(endpoint(q)), 1);
	check_ok(q, fake_clock_advance(q, 3 * DAY));
	assert_int_equal(fake_event_pending_webhooks(first_event(q)), 0);
	assert_int_equal(fake_clock_pending(q), 0);
	assert_int_equal(fake_webhook_endpoint_attempts(endpoint(q)), 1);
	/* set afterwards, the handler gets only what comes after */
	check_ok(q, fake_webhook_endpoint_set_handler(q, "we_fake_00001", record_delivery, &kq));
	check_ok(q, fake_clock_advance(q, 3 * DAY));
	assert_int_equal(kq.calls, 0);
	next_customer(q, id);
	assert_int_equal(kq.calls, 1);
	assert_non_null(strstr(kq.log.s, "evt_fake_00003 attempt=1"));
	assert_int_equal(fake_webhook_endpoint_attempts(endpoint(q)), 2);
	text_free(&k0.log);
	text_free(&k.log);
	text_free(&kq.log);
}

/* What a new processor is, and one that records no events. */
static void test_snapshot_round_trip_small(void **state)
{
	held *h = *state;
	fake_processor *p = proc_new(h, NULL);
	const char *empty = save_str(h, p, 0);
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.synthesize_events = false;
	o.epoch = 0;
	o.id_width = 1;
	o.billing.retry_count = 0;
	fake_processor *quiet = proc_new(h, &o);
	char id[64];
	for (int i = 0; i < 12; i++)
		next_customer(quiet, id);
	assert_string_equal(id, "cus_fake_12");
	assert_int_equal(fake_event_count(quiet), 0);
	const char *small = save_str(h, quiet, FAKE_JSON_PRETTY);

	/* a loaded processor takes every option back, the defaults too */
	fake_processor *q = proc_new(h, NULL);
	load_ok(q, small);
	same_text(save_str(h, q, FAKE_JSON_PRETTY), small, "a processor without events");
	assert_false(fake_processor_options_get(q)->synthesize_events);
	assert_int_equal(fake_processor_options_get(q)->billing.retry_count, 0);
	next_customer(q, id);
	assert_string_equal(id, "cus_fake_13");
	assert_int_equal(fake_event_count(q), 0);
	load_ok(q, empty);
	same_text(save_str(h, q, 0), empty, "a new processor");
	assert_true(fake_processor_options_get(q)->synthesize_events);
	assert_int_equal(fake_clock_now(q), FAKE_EPOCH_DEFAULT);
	next_customer(q, id);
	assert_string_equal(id, "cus_fake_00001");
	assert_int_equal(fake_event_count(q), 1);
}

/* The child of test_snapshot_deterministic_across_processes: runs the
 * scenario and saves it to path. */
static int write_scenario(const char *path)
{
	fake_processor_options o = scenario_options();
	fake_processor *p = NULL;
	if (fake_processor_new(&p, &o) != 0)
		return 2;
	hook k = { { 0 }, false, 0 };
	scenario_start(p, &k);
	int rc = fake_processor_save(p, path, 0);
	fake_processor_free(p);
	text_free(&k.log);
	return rc == 0 ? 0 : 3;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write-scenario") == 0)
		return write_scenario(argv[2]);
	if (!realpath(argv[0], self_path))
		snprintf(self_path, sizeof self_path, "%s", argv[0]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_snapshot_round_trip_exact, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_continuation, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_deterministic_in_process, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_deterministic_across_processes, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_file_save_load, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_file_out_of_memory, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_load_refuses_invalid, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_refused_inside_callbacks, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_bad_arguments, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_load_keeps_harness, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_webhook_retries_resume, held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_round_trip_small, held_setup, held_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
