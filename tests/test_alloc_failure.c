/*
 * Fault injection (STYLE.md 12, SQLite's malloc tests): every operation,
 * run with allocation N failing for N = 1, 2, 3 ... until it succeeds, must
 * fail with FAKE_ENOMEM, give back no object, leave the processor exactly as
 * it was, and leak nothing.
 *
 * Each attempt runs on a freshly prepared processor (the preparation is
 * deterministic), and "unchanged" means: a fingerprint of everything a user
 * can observe, followed by a probe (the ids the next creates get, the events
 * they cause, the callbacks that run), equals the fingerprint of a prepared
 * processor on which the operation never ran. Only call counts and request
 * ids may differ, and the fingerprint leaves them out.
 *
 * block_size is 256 so that most creates need a fresh block and the
 * failure points are many. The billing operations run on a state with
 * subscriptions, invoices and invoice items (prepare_billing()) whose
 * timeline heap is full, so that scheduling billing work needs memory too;
 * the probe then runs 40 days of the billing timeline.
 *
 * A clock advance that runs billing work may fail too: it must stop at the
 * due time of the job that failed, that job undone and still due, and a
 * second advance must end exactly as an advance that never failed
 * (test_alloc_failure_clock_advance_billing).
 */
#include "helpers.h"

#include <inttypes.h>

#define N_MAX 5000 /* no operation allocates this often; a guard against loops */

static const char *str_or(const char *s)
{
	return s ? s : "-";
}

/* Prints where two texts first differ (cmocka cuts long messages short):
 * the line number and a few lines of each from there. */
static void print_difference(const char *want, const char *got)
{
	want = want ? want : "";
	got = got ? got : "";
	size_t line = 1;
	const char *w = want, *g = got;
	while (*w && *w == *g) {
		if (*w == '\n') {
			line++;
			want = w + 1;
			got = g + 1;
		}
		w++;
		g++;
	}
	print_error("first difference at line %zu\n", line);
	for (int k = 0; k < 2; k++) {
		const char *s = k ? got : want;
		print_error("%s:\n", k ? "got" : "expected");
		for (int i = 0; i < 6 && *s; i++) {
			const char *eol = strchr(s, '\n');
			int n = eol ? (int)(eol - s) : (int)strlen(s);
			print_error("  %.*s\n", n, s);
			s += n + (eol != NULL);
		}
	}
}

/* ---- the fixture: a processor on a test allocator ------------------------------ */

#define TICKS 3

typedef struct fx {
	test_alloc a;          /* counts calls, fails call fail_at, tracks live blocks */
	bool fail_all;         /* fail every allocation (for operations that need none) */
	unsigned long refused; /* allocations refused by fail_all */
	fake_processor *p;
	int sub_calls;         /* the prepared subscriber */
	int extra_sub_calls;   /* a subscriber added by the operation under test */
	int scheduled_ran;     /* a callback scheduled by the operation under test */
	/* callbacks that create customers, for the clock advance */
	int tick_ran[TICKS];
	int tick_rc[TICKS];
	int64_t tick_due[TICKS];
} fx;

static void *fx_malloc(size_t size, void *ctx)
{
	fx *f = ctx;
	if (f->fail_all) {
		f->refused++;
		return NULL;
	}
	return test_alloc_malloc(size, &f->a);
}

static void *fx_realloc(void *ptr, size_t size, void *ctx)
{
	fx *f = ctx;
	if (f->fail_all) {
		f->refused++;
		return NULL;
	}
	return test_alloc_realloc(ptr, size, &f->a);
}

static void fx_free(void *ptr, void *ctx)
{
	fx *f = ctx;
	test_alloc_free(ptr, &f->a);
}

static fake_processor_options fx_options(fx *f)
{
	fake_processor_options o = test_alloc_options(&f->a);
	o.allocator.malloc = fx_malloc;
	o.allocator.realloc = fx_realloc;
	o.allocator.free = fx_free;
	o.allocator.ctx = f;
	o.block_size = 256;
	o.seed = 3;
	return o;
}

/* Fail allocation number n from now on (1: the very next one). */
static void arm(fx *f, unsigned long n)
{
	f->a.fail_at = f->a.calls + n;
}

static void disarm(fx *f)
{
	f->a.fail_at = 0;
}

/* Whether the armed failure was reached. */
static bool failure_reached(const fx *f)
{
	return f->a.fail_at && f->a.calls >= f->a.fail_at;
}

static void on_event(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)e;
	((fx *)user_data)->sub_calls++;
}

static void on_event_extra(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)e;
	((fx *)user_data)->extra_sub_calls++;
}

static void on_scheduled(fake_processor *p, int64_t at, void *user_data)
{
	(void)p;
	(void)at;
	((fx *)user_data)->scheduled_ran++;
}

/*
 * The prepared state, the same every time:
 *   cus_fake_00001  a@example.com, name Ann, metadata plan=pro seats=3 (then
 *                   plan=team), with pm_fake_00001 (from pm_card_visa) attached
 *   cus_fake_00002  b@example.com, pm_fake_00002 attached and its default
 *   pm_fake_00003   unattached (5555 5555 5555 4444)
 *   cus_fake_00003  deleted
 *   cus_fake_00004  no payment methods
 *   prod_fake_00001 Basic, description, metadata tier=basic
 *   price_fake_00001 prod_fake_00001, usd 1000 monthly, lookup key
 *                   basic_monthly, nickname "Basic monthly"
 *   price_fake_00002 prod_fake_00001, usd 10000 yearly, no lookup key
 *   clock at epoch + 100; a subscriber (unless subscribe is false)
 */
static void prepare(fx *f, bool subscribe)
{
	memset(f, 0, sizeof(*f));
	fake_processor_options o = fx_options(f);
	assert_int_equal(fake_processor_new(&f->p, &o), 0);
	fake_processor *p = f->p;
	if (subscribe)
		check_ok(p, fake_event_subscribe(p, on_event, f));

	const fake_customer *c = NULL;
	fake_kv meta[] = { { "plan", "pro" }, { "seats", "3" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "a@example.com";
	cp.name = "Ann";
	cp.metadata = meta;
	cp.metadata_count = 2;
	cp.payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");

	fake_customer_create_params cp2 = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp2.email = "b@example.com";
	check_ok(p, fake_customer_create(&c, p, &cp2, NULL));

	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00002");
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00002";
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_fake_00002", &ap, NULL));
	check_ok(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00002", "pm_fake_00002", NULL));

	pp.card_number = "5555555555554444";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00003");

	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_customer_delete(&c, p, "cus_fake_00003", NULL));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00004");

	fake_kv change[] = { { "plan", "team" } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.metadata = change;
	up.metadata_count = 1;
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));

	const fake_product *prod = NULL;
	fake_kv tier[] = { { "tier", "basic" } };
	fake_product_create_params prp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	prp.name = "Basic";
	prp.description = "the basic plan";
	prp.metadata = tier;
	prp.metadata_count = 1;
	check_ok(p, fake_product_create(&prod, p, &prp, NULL));
	assert_string_equal(fake_product_id(prod), "prod_fake_00001");
	const fake_price *price = NULL;
	fake_price_create_params pcp = FAKE_PRICE_CREATE_PARAMS_INIT;
	pcp.product = "prod_fake_00001";
	pcp.currency = "usd";
	pcp.unit_amount = 1000;
	pcp.interval = FAKE_INTERVAL_MONTH;
	pcp.lookup_key = "basic_monthly";
	pcp.nickname = "Basic monthly";
	check_ok(p, fake_price_create(&price, p, &pcp, NULL));
	fake_price_create_params pcp2 = FAKE_PRICE_CREATE_PARAMS_INIT;
	pcp2.product = "prod_fake_00001";
	pcp2.currency = "usd";
	pcp2.unit_amount = 10000;
	pcp2.interval = FAKE_INTERVAL_YEAR;
	check_ok(p, fake_price_create(&price, p, &pcp2, NULL));
	assert_string_equal(fake_price_id(price), "price_fake_00002");

	check_ok(p, fake_clock_advance(p, 100));
	assert_int_equal(fake_error_last(p)->status, 0);
}

/*
 * Payments on top of the prepared state (for the payment operations):
 *   pi_fake_00001  cus_fake_00001 with pm_fake_00001, 2000 usd, succeeded:
 *                  ch_fake_00001 (txn_fake_00001), 300 refunded (re_fake_00001,
 *                  txn_fake_00002)
 *   pi_fake_00002  cus_fake_00001 with pm_fake_00001, 2000 usd, manual capture:
 *                  requires_capture, ch_fake_00002 authorized
 *   pi_fake_00003  pm_card_authenticationRequired (pm_fake_00004): requires_action
 *   pi_fake_00004  pm_card_visa (pm_fake_00005): requires_confirmation
 *   pi_fake_00005  pm_card_chargeDeclined (pm_fake_00006): declined, ch_fake_00003 failed
 */
static void prepare_payments(fx *f)
{
	fake_processor *p = f->p;
	const fake_payment_intent *pi = NULL;
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp.amount = 2000;
	cp.currency = "usd";
	cp.customer = "cus_fake_00001";
	cp.payment_method = "pm_fake_00001";
	cp.confirm = true;
	check_ok(p, fake_payment_intent_create(&pi, p, &cp, NULL));
	cp.capture_method = FAKE_CAPTURE_MANUAL;
	check_ok(p, fake_payment_intent_create(&pi, p, &cp, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CAPTURE);
	fake_payment_intent_create_params cp3 = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp3.amount = 3000;
	cp3.currency = "usd";
	cp3.payment_method = "pm_card_authenticationRequired";
	cp3.confirm = true;
	check_ok(p, fake_payment_intent_create(&pi, p, &cp3, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_ACTION);
	cp3.payment_method = "pm_card_visa";
	cp3.confirm = false;
	check_ok(p, fake_payment_intent_create(&pi, p, &cp3, NULL));
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00004");
	cp3.payment_method = "pm_card_chargeDeclined";
	cp3.confirm = true;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp3, NULL), FAKE_ECARD);
	const fake_refund *re = NULL;
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	rp.amount = 300;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	assert_string_equal(fake_refund_balance_transaction(re), "txn_fake_00002");
	check_ok(p, fake_clock_advance(p, 10));
	assert_int_equal(fake_error_last(p)->status, 0);
}


/*
 * Fills the timeline to the capacity of its heap with callbacks ten years
 * ahead (they never run here), so that the next job scheduled must grow
 * the heap: its allocation can then fail like any other. (Vectors grow by
 * doubling, so without this an operation would rarely reach that point.)
 */
static void fill_timeline(fx *f)
{
	fake_processor *p = f->p;
	int64_t later = fake_clock_now(p) + 3650 * 86400;
	size_t cap = 0;
	while (!cap || fake_clock_pending(p) < cap) {
		unsigned long before = f->a.calls;
		check_ok(p, fake_clock_schedule(p, later, on_scheduled, f));
		size_t len = fake_clock_pending(p);
		if (!cap && f->a.calls != before)
			cap = len == 1 ? 8 : 2 * (len - 1); /* fake__grow doubles from 8 */
	}
	/* the next one needs memory */
	f->fail_all = true;
	assert_int_equal(fake_clock_schedule(p, later, on_scheduled, f), FAKE_ENOMEM);
	f->fail_all = false;
	assert_int_equal(fake_clock_pending(p), cap);
}

/* A subscription item param on price (0: quantity 1). */
static fake_subscription_item_params item_on(const char *price, int64_t quantity)
{
	fake_subscription_item_params it = { NULL, price, NULL, quantity, false, NULL, 0 };
	return it;
}

/*
 * Billing on top of the prepared state (for the billing operations and
 * the billing advance), two days after it was prepared:
 *   price_fake_00003 metered monthly, 50 per unit; price_fake_00004
 *                    one-time 700; price_fake_00005 monthly 300 (an add-on)
 *   sub_fake_00001   cus_fake_00002 (default pm_fake_00002), active:
 *                    si_fake_00001 price_fake_00001 x 2, si_fake_00002
 *                    metered with 7 units used; in_fake_00001 paid
 *   sub_fake_00002   cus_fake_00001 (no default payment method), trialing
 *                    14 days: in_fake_00002 ($0, paid)
 *   sub_fake_00003   cus_fake_00004 (no payment method), its one-day trial
 *                    ended: paused; in_fake_00003 ($0, paid)
 *   sub_fake_00004   cus_fake_00002, send_invoice, yearly, 5 days until
 *                    due: in_fake_00004 open and sent
 *   in_fake_00005    cus_fake_00002 draft: ii_fake_00002 (price_fake_00004 x 2)
 *   in_fake_00006    cus_fake_00002 open (not charged): ii_fake_00003 (1200)
 *   ii_fake_00001    cus_fake_00001, 500 usd, pending
 * and the timeline filled (fill_timeline()).
 */
static void prepare_billing(fx *f)
{
	fake_processor *p = f->p;
	const fake_price *price = NULL;
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.product = "prod_fake_00001";
	pc.currency = "usd";
	pc.unit_amount = 50;
	pc.interval = FAKE_INTERVAL_MONTH;
	pc.usage_type = FAKE_USAGE_METERED;
	check_ok(p, fake_price_create(&price, p, &pc, NULL));
	assert_string_equal(fake_price_id(price), "price_fake_00003");
	fake_price_create_params po = FAKE_PRICE_CREATE_PARAMS_INIT;
	po.product = "prod_fake_00001";
	po.currency = "usd";
	po.unit_amount = 700;
	check_ok(p, fake_price_create(&price, p, &po, NULL));
	fake_price_create_params pa = FAKE_PRICE_CREATE_PARAMS_INIT;
	pa.product = "prod_fake_00001";
	pa.currency = "usd";
	pa.unit_amount = 300;
	pa.interval = FAKE_INTERVAL_MONTH;
	check_ok(p, fake_price_create(&price, p, &pa, NULL));
	assert_string_equal(fake_price_id(price), "price_fake_00005");

	const fake_subscription *sub = NULL;
	fake_subscription_item_params items[] = { item_on("price_fake_00001", 2), item_on("price_fake_00003", 0) };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = "cus_fake_00002";
	sc.items = items;
	sc.item_count = 2;
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "active");

	fake_subscription_item_params trial_item = item_on("price_fake_00001", 0);
	fake_subscription_create_params tc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	tc.customer = "cus_fake_00001";
	tc.items = &trial_item;
	tc.item_count = 1;
	tc.trial_period_days = 14;
	check_ok(p, fake_subscription_create(&sub, p, &tc, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "trialing");

	tc.customer = "cus_fake_00004";
	tc.trial_period_days = 1;
	tc.trial_missing_payment_method = FAKE_TRIAL_END_PAUSE;
	check_ok(p, fake_subscription_create(&sub, p, &tc, NULL));

	fake_subscription_item_params yearly = item_on("price_fake_00002", 0);
	fake_subscription_create_params yc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	yc.customer = "cus_fake_00002";
	yc.items = &yearly;
	yc.item_count = 1;
	yc.collection_method = FAKE_COLLECT_SEND_INVOICE;
	yc.days_until_due = 5;
	check_ok(p, fake_subscription_create(&sub, p, &yc, NULL));
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00004");
	assert_string_equal(fake_subscription_latest_invoice(sub), "in_fake_00004");

	const fake_invoice_item *ii = NULL;
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00001";
	ic.amount = 500;
	ic.currency = "usd";
	ic.description = "setup fee";
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	assert_string_equal(fake_invoice_item_id(ii), "ii_fake_00001");

	const fake_invoice *inv = NULL;
	fake_invoice_create_params dc = FAKE_INVOICE_CREATE_PARAMS_INIT;
	dc.customer = "cus_fake_00002";
	dc.exclude_pending_items = true;
	check_ok(p, fake_invoice_create(&inv, p, &dc, NULL));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00005");
	fake_invoice_item_create_params ic2 = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic2.customer = "cus_fake_00002";
	ic2.price = "price_fake_00004";
	ic2.quantity = 2;
	ic2.invoice = "in_fake_00005";
	check_ok(p, fake_invoice_item_create(&ii, p, &ic2, NULL));
	fake_invoice_item_create_params ic3 = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic3.customer = "cus_fake_00002";
	ic3.amount = 1200;
	ic3.currency = "usd";
	check_ok(p, fake_invoice_item_create(&ii, p, &ic3, NULL));
	fake_invoice_create_params oc = FAKE_INVOICE_CREATE_PARAMS_INIT;
	oc.customer = "cus_fake_00002";
	check_ok(p, fake_invoice_create(&inv, p, &oc, NULL));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00006");
	assert_int_equal(fake_invoice_line_count(inv), 1);
	check_ok(p, fake_invoice_finalize(&inv, p, "in_fake_00006", NULL));
	assert_string_equal(fake_invoice_status_name(inv), "open");

	check_ok(p, fake_clock_advance(p, 2 * 86400));
	check_ok(p, fake_subscription_retrieve(&sub, p, "sub_fake_00003", NULL));
	assert_string_equal(fake_subscription_status_name(sub), "paused");
	const fake_usage_record *ur = NULL;
	fake_usage_record_params up = FAKE_USAGE_RECORD_PARAMS_INIT;
	up.subscription_item = "si_fake_00002";
	up.quantity = 7;
	check_ok(p, fake_usage_record_create(&ur, p, &up, NULL));
	assert_int_equal(fake_error_last(p)->status, 0);
	fill_timeline(f);
}

static void finish(fx *f)
{
	fake_processor_free(f->p);
	f->p = NULL;
	assert_int_equal(f->a.live, 0);
}

static void add_metadata(text *t, const fake_metadata *m)
{
	text_add(t, " metadata{");
	for (size_t i = 0; i < fake_metadata_count(m); i++)
		text_add(t, "%s=%s;", fake_metadata_key(m, i), fake_metadata_value(m, i));
	text_add(t, "}");
}

static void add_payment_method(text *t, const fake_payment_method *pm)
{
	text_add(t, "  pm %s customer=%s brand=%s last4=%s exp=%d/%d fp=%s billing=%s/%s/%s", fake_payment_method_id(pm),
		 str_or(fake_payment_method_customer(pm)), str_or(fake_payment_method_card_brand(pm)),
		 str_or(fake_payment_method_card_last4(pm)), fake_payment_method_card_exp_month(pm),
		 fake_payment_method_card_exp_year(pm), str_or(fake_payment_method_card_fingerprint(pm)),
		 str_or(fake_payment_method_billing_name(pm)), str_or(fake_payment_method_billing_email(pm)),
		 str_or(fake_payment_method_billing_phone(pm)));
	add_metadata(t, fake_payment_method_metadata(pm));
	text_add(t, "\n");
}

static void add_product(text *t, const fake_product *prod)
{
	text_add(t, "product %s created=%" PRId64 " updated=%" PRId64 " name=%s desc=%s active=%d",
		 fake_product_id(prod), fake_product_created(prod), fake_product_updated(prod),
		 str_or(fake_product_name(prod)), str_or(fake_product_description(prod)), (int)fake_product_active(prod));
	add_metadata(t, fake_product_metadata(prod));
	text_add(t, "\n");
}

static void add_price(text *t, const fake_price *price)
{
	text_add(t, "price %s created=%" PRId64 " product=%s %s %" PRId64 " %s %s/%u usage=%d key=%s nick=%s active=%d",
		 fake_price_id(price), fake_price_created(price), str_or(fake_price_product(price)),
		 str_or(fake_price_currency(price)), fake_price_unit_amount(price), str_or(fake_price_type(price)),
		 str_or(fake_price_interval_name(price)), fake_price_interval_count(price),
		 (int)fake_price_usage_type(price), str_or(fake_price_lookup_key(price)),
		 str_or(fake_price_nickname(price)), (int)fake_price_active(price));
	add_metadata(t, fake_price_metadata(price));
	text_add(t, "\n");
}

/* Every payment intent, charge, refund and balance transaction, and the lists. */
static void add_payments(text *t, fake_processor *p)
{
	char id[32];
	for (int i = 1; i < 1000; i++) {
		const fake_payment_intent *pi = NULL;
		snprintf(id, sizeof(id), "pi_fake_%05d", i);
		int rc = fake_payment_intent_retrieve(&pi, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t,
			 "pi %s created=%" PRId64 " %s amount=%" PRId64 " capturable=%" PRId64 " received=%" PRId64
			 " %s customer=%s pm=%s capture=%d charge=%s next=%s error=%s/%s/%s secret=%s reason=%s"
			 " canceled_at=%" PRId64 " desc=%s",
			 id, fake_payment_intent_created(pi), fake_payment_intent_status_name(pi),
			 fake_payment_intent_amount(pi), fake_payment_intent_amount_capturable(pi),
			 fake_payment_intent_amount_received(pi), str_or(fake_payment_intent_currency(pi)),
			 str_or(fake_payment_intent_customer(pi)), str_or(fake_payment_intent_payment_method(pi)),
			 (int)fake_payment_intent_capture_method(pi), str_or(fake_payment_intent_latest_charge(pi)),
			 str_or(fake_payment_intent_next_action(pi)), str_or(fake_payment_intent_last_error_code(pi)),
			 str_or(fake_payment_intent_last_error_decline_code(pi)),
			 str_or(fake_payment_intent_last_error_message(pi)), str_or(fake_payment_intent_client_secret(pi)),
			 str_or(fake_payment_intent_cancellation_reason(pi)), fake_payment_intent_canceled_at(pi),
			 str_or(fake_payment_intent_description(pi)));
		add_metadata(t, fake_payment_intent_metadata(pi));
		text_add(t, "\n");
	}
	for (int i = 1; i < 1000; i++) {
		const fake_charge *ch = NULL;
		snprintf(id, sizeof(id), "ch_fake_%05d", i);
		int rc = fake_charge_retrieve(&ch, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t,
			 "charge %s created=%" PRId64 " %s amount=%" PRId64 " captured=%" PRId64 "/%d refunded=%" PRId64
			 "/%d paid=%d %s customer=%s pi=%s pm=%s failure=%s/%s outcome=%s/%s txn=%s\n",
			 id, fake_charge_created(ch), fake_charge_status(ch), fake_charge_amount(ch),
			 fake_charge_amount_captured(ch), (int)fake_charge_captured(ch), fake_charge_amount_refunded(ch),
			 (int)fake_charge_refunded(ch), (int)fake_charge_paid(ch), str_or(fake_charge_currency(ch)),
			 str_or(fake_charge_customer(ch)), str_or(fake_charge_payment_intent(ch)),
			 str_or(fake_charge_payment_method(ch)), str_or(fake_charge_failure_code(ch)),
			 str_or(fake_charge_failure_message(ch)), str_or(fake_charge_outcome_type(ch)),
			 str_or(fake_charge_outcome_reason(ch)), str_or(fake_charge_balance_transaction(ch)));
	}
	for (int i = 1; i < 1000; i++) {
		const fake_refund *re = NULL;
		snprintf(id, sizeof(id), "re_fake_%05d", i);
		int rc = fake_refund_retrieve(&re, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t, "refund %s created=%" PRId64 " amount=%" PRId64 " %s charge=%s pi=%s %s reason=%s txn=%s", id,
			 fake_refund_created(re), fake_refund_amount(re), str_or(fake_refund_currency(re)),
			 str_or(fake_refund_charge(re)), str_or(fake_refund_payment_intent(re)),
			 str_or(fake_refund_status(re)), str_or(fake_refund_reason(re)),
			 str_or(fake_refund_balance_transaction(re)));
		add_metadata(t, fake_refund_metadata(re));
		text_add(t, "\n");
	}
	for (int i = 1; i < 1000; i++) {
		const fake_balance_transaction *txn = NULL;
		snprintf(id, sizeof(id), "txn_fake_%05d", i);
		int rc = fake_balance_transaction_retrieve(&txn, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t, "txn %s created=%" PRId64 " %s amount=%" PRId64 " fee=%" PRId64 " net=%" PRId64 " %s source=%s\n",
			 id, fake_balance_transaction_created(txn), str_or(fake_balance_transaction_type(txn)),
			 fake_balance_transaction_amount(txn), fake_balance_transaction_fee(txn),
			 fake_balance_transaction_net(txn), str_or(fake_balance_transaction_currency(txn)),
			 str_or(fake_balance_transaction_source(txn)));
	}
	fake_list page;
	fake_payment_intent_list_params pilp = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	pilp.page.limit = 100;
	check_ok(p, fake_payment_intent_list(&page, p, &pilp, NULL));
	text_add(t, "listed payment intents:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_payment_intent_id(page.data[k]));
	text_add(t, "\n");
	fake_charge_list_params chlp = FAKE_CHARGE_LIST_PARAMS_INIT;
	chlp.page.limit = 100;
	check_ok(p, fake_charge_list(&page, p, &chlp, NULL));
	text_add(t, "listed charges:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_charge_id(page.data[k]));
	text_add(t, "\n");
	fake_refund_list_params relp = FAKE_REFUND_LIST_PARAMS_INIT;
	relp.page.limit = 100;
	check_ok(p, fake_refund_list(&page, p, &relp, NULL));
	text_add(t, "listed refunds:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_refund_id(page.data[k]));
	text_add(t, "\n");
}


/* An object id of the form prefix + number, as the processor writes them. */
static void object_id(char *id, size_t size, const char *prefix, int i)
{
	snprintf(id, size, "%s%05d", prefix, i);
}

/* The numbers of consecutive missing ids after which an id scan stops
 * (deleted subscription items, invoice items and drafts are missing). */
#define GAP_MAX 6

static void add_subscription(text *t, fake_processor *p, const fake_subscription *sub)
{
	text_add(t,
		 "sub %s created=%" PRId64 " customer=%s %s %s items=%zu period=%" PRId64 "..%" PRId64 " anchor=%" PRId64
		 " start=%" PRId64 " trial=%" PRId64 "..%" PRId64 " cancel_at_period_end=%d cancel_at=%" PRId64
		 " canceled_at=%" PRId64 " ended_at=%" PRId64 " latest=%s pm=%s collection=%d due_days=%u pause=%d/%" PRId64
		 " trial_missing=%d desc=%s",
		 fake_subscription_id(sub), fake_subscription_created(sub), fake_subscription_customer(sub),
		 fake_subscription_status_name(sub), str_or(fake_subscription_currency(sub)),
		 fake_subscription_item_count(sub), fake_subscription_current_period_start(sub),
		 fake_subscription_current_period_end(sub), fake_subscription_billing_cycle_anchor(sub),
		 fake_subscription_start_date(sub), fake_subscription_trial_start(sub), fake_subscription_trial_end(sub),
		 (int)fake_subscription_cancel_at_period_end(sub), fake_subscription_cancel_at(sub),
		 fake_subscription_canceled_at(sub), fake_subscription_ended_at(sub),
		 str_or(fake_subscription_latest_invoice(sub)), str_or(fake_subscription_default_payment_method(sub)),
		 (int)fake_subscription_collection_method(sub), fake_subscription_days_until_due(sub),
		 (int)fake_subscription_pause_collection(sub), fake_subscription_pause_resumes_at(sub),
		 (int)fake_subscription_trial_missing_payment_method(sub), str_or(fake_subscription_description(sub)));
	add_metadata(t, fake_subscription_metadata(sub));
	text_add(t, "\n");
	for (size_t k = 0; k < fake_subscription_item_count(sub); k++) {
		const fake_subscription_item *item = fake_subscription_item_at(sub, k);
		text_add(t, "  item %s created=%" PRId64 " sub=%s price=%s quantity=%" PRId64 " usage=%" PRId64,
			 fake_subscription_item_id(item), fake_subscription_item_created(item),
			 fake_subscription_item_subscription(item), fake_price_id(fake_subscription_item_price(item)),
			 fake_subscription_item_quantity(item), fake_subscription_item_usage(p, item));
		add_metadata(t, fake_subscription_item_metadata(item));
		text_add(t, "\n");
	}
}

static void add_invoice(text *t, const fake_invoice *inv)
{
	text_add(t,
		 "invoice %s created=%" PRId64 " customer=%s sub=%s %s reason=%s collection=%d %s number=%s lines=%zu"
		 " subtotal=%" PRId64 " total=%" PRId64 " due=%" PRId64 " paid=%" PRId64 " remaining=%" PRId64
		 " attempts=%u/%d next_attempt=%" PRId64 " period=%" PRId64 "..%" PRId64 " due_date=%" PRId64
		 " auto=%d oob=%d pi=%s charge=%s pm=%s finalized=%" PRId64 " paid_at=%" PRId64 " voided=%" PRId64
		 " uncollectible=%" PRId64 " desc=%s",
		 str_or(fake_invoice_id(inv)), fake_invoice_created(inv), fake_invoice_customer(inv),
		 str_or(fake_invoice_subscription(inv)), fake_invoice_status_name(inv), fake_invoice_billing_reason_name(inv),
		 (int)fake_invoice_collection_method(inv), str_or(fake_invoice_currency(inv)),
		 str_or(fake_invoice_number(inv)), fake_invoice_line_count(inv), fake_invoice_subtotal(inv),
		 fake_invoice_total(inv), fake_invoice_amount_due(inv), fake_invoice_amount_paid(inv),
		 fake_invoice_amount_remaining(inv), fake_invoice_attempt_count(inv), (int)fake_invoice_attempted(inv),
		 fake_invoice_next_payment_attempt(inv), fake_invoice_period_start(inv), fake_invoice_period_end(inv),
		 fake_invoice_due_date(inv), (int)fake_invoice_auto_advance(inv), (int)fake_invoice_paid_out_of_band(inv),
		 str_or(fake_invoice_payment_intent(inv)), str_or(fake_invoice_charge(inv)),
		 str_or(fake_invoice_default_payment_method(inv)), fake_invoice_finalized_at(inv),
		 fake_invoice_paid_at(inv), fake_invoice_voided_at(inv), fake_invoice_marked_uncollectible_at(inv),
		 str_or(fake_invoice_description(inv)));
	add_metadata(t, fake_invoice_metadata(inv));
	text_add(t, "\n");
	for (size_t k = 0; k < fake_invoice_line_count(inv); k++) {
		const fake_invoice_line *l = fake_invoice_line_at(inv, k);
		text_add(t,
			 "  line %s %" PRId64 " %s %s %s price=%s quantity=%" PRId64 " proration=%d period=%" PRId64
			 "..%" PRId64 " ii=%s si=%s\n",
			 fake_invoice_line_id(l), fake_invoice_line_amount(l), str_or(fake_invoice_line_currency(l)),
			 str_or(fake_invoice_line_description(l)), fake_invoice_line_type(l),
			 str_or(fake_price_id(fake_invoice_line_price(l))), fake_invoice_line_quantity(l),
			 (int)fake_invoice_line_proration(l), fake_invoice_line_period_start(l),
			 fake_invoice_line_period_end(l), str_or(fake_invoice_line_invoice_item(l)),
			 str_or(fake_invoice_line_subscription_item(l)));
	}
}

static void add_invoice_item(text *t, const fake_invoice_item *ii)
{
	text_add(t,
		 "ii %s customer=%s %" PRId64 " %s price=%s quantity=%" PRId64 " unit=%" PRId64 " invoice=%s sub=%s si=%s"
		 " proration=%d period=%" PRId64 "..%" PRId64 " desc=%s",
		 fake_invoice_item_id(ii), fake_invoice_item_customer(ii), fake_invoice_item_amount(ii),
		 str_or(fake_invoice_item_currency(ii)), str_or(fake_price_id(fake_invoice_item_price(ii))),
		 fake_invoice_item_quantity(ii), fake_invoice_item_unit_amount(ii), str_or(fake_invoice_item_invoice(ii)),
		 str_or(fake_invoice_item_subscription(ii)), str_or(fake_invoice_item_subscription_item(ii)),
		 (int)fake_invoice_item_proration(ii), fake_invoice_item_period_start(ii), fake_invoice_item_period_end(ii),
		 str_or(fake_invoice_item_description(ii)));
	add_metadata(t, fake_invoice_item_metadata(ii));
	text_add(t, "\n");
}

/* Every subscription, subscription item, invoice and invoice item, and their lists. */
static void add_billing(text *t, fake_processor *p)
{
	char id[32];
	for (int i = 1, gap = 0; gap < GAP_MAX; i++) {
		const fake_subscription *sub = NULL;
		object_id(id, sizeof(id), "sub_fake_", i);
		int rc = fake_subscription_retrieve(&sub, p, id, NULL);
		if (rc == FAKE_ENOTFOUND) {
			gap++;
			continue;
		}
		check_ok(p, rc);
		gap = 0;
		add_subscription(t, p, sub);
	}
	for (int i = 1, gap = 0; gap < GAP_MAX; i++) {
		const fake_subscription_item *item = NULL;
		object_id(id, sizeof(id), "si_fake_", i);
		int rc = fake_subscription_item_retrieve(&item, p, id, NULL);
		if (rc == FAKE_ENOTFOUND) {
			text_add(t, "si %s missing\n", id);
			gap++;
			continue;
		}
		check_ok(p, rc);
		gap = 0;
		text_add(t, "si %s price=%s quantity=%" PRId64 " usage=%" PRId64 "\n", id,
			 fake_price_id(fake_subscription_item_price(item)), fake_subscription_item_quantity(item),
			 fake_subscription_item_usage(p, item));
	}
	for (int i = 1, gap = 0; gap < GAP_MAX; i++) {
		const fake_invoice *inv = NULL;
		object_id(id, sizeof(id), "in_fake_", i);
		int rc = fake_invoice_retrieve(&inv, p, id, NULL);
		if (rc == FAKE_ENOTFOUND) {
			text_add(t, "invoice %s missing\n", id);
			gap++;
			continue;
		}
		check_ok(p, rc);
		gap = 0;
		add_invoice(t, inv);
	}
	for (int i = 1, gap = 0; gap < GAP_MAX; i++) {
		const fake_invoice_item *ii = NULL;
		object_id(id, sizeof(id), "ii_fake_", i);
		int rc = fake_invoice_item_retrieve(&ii, p, id, NULL);
		if (rc == FAKE_ENOTFOUND) {
			text_add(t, "ii %s missing\n", id);
			gap++;
			continue;
		}
		check_ok(p, rc);
		gap = 0;
		add_invoice_item(t, ii);
	}
	fake_list page;
	fake_subscription_list_params slp = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	slp.page.limit = 100;
	slp.status = "all";
	check_ok(p, fake_subscription_list(&page, p, &slp, NULL));
	text_add(t, "listed subscriptions:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_subscription_id(page.data[k]));
	text_add(t, "\n");
	fake_invoice_list_params ilp = FAKE_INVOICE_LIST_PARAMS_INIT;
	ilp.page.limit = 100;
	check_ok(p, fake_invoice_list(&page, p, &ilp, NULL));
	text_add(t, "listed invoices:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_invoice_id(page.data[k]));
	text_add(t, "\n");
	fake_invoice_item_list_params iilp = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	iilp.page.limit = 100;
	check_ok(p, fake_invoice_item_list(&page, p, &iilp, NULL));
	text_add(t, "listed invoice items:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_invoice_item_id(page.data[k]));
	text_add(t, "\n");
}

/*
 * Everything a user can see, then a probe that changes the processor.
 * Taken with the allocator disarmed.
 */
static void fingerprint(fx *f, text *t)
{
	fake_processor *p = f->p;
	disarm(f);
	f->fail_all = false;
	text_add(t, "now=%" PRId64 " events=%zu pending=%zu\n", fake_clock_now(p), fake_event_count(p),
		 fake_clock_pending(p));
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		text_add(t, "scripts %s=%zu\n", fake_op_name((fake_op)op), fake_script_pending(p, (fake_op)op));

	/* every customer by id: ids have no gaps, so stop at the first missing one */
	char id[32];
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "cus_fake_%05d", i);
		const fake_customer *c = NULL;
		int rc = fake_customer_retrieve(&c, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t, "customer %s created=%" PRId64 " deleted=%d email=%s name=%s phone=%s desc=%s default=%s",
			 fake_customer_id(c), fake_customer_created(c), (int)fake_customer_deleted(c),
			 str_or(fake_customer_email(c)), str_or(fake_customer_name(c)), str_or(fake_customer_phone(c)),
			 str_or(fake_customer_description(c)), str_or(fake_customer_default_payment_method(c)));
		add_metadata(t, fake_customer_metadata(c));
		text_add(t, "\n");
		if (fake_customer_deleted(c))
			continue;
		fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
		lp.customer = id;
		lp.page.limit = 100;
		fake_list page;
		check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
		for (size_t k = 0; k < page.count; k++)
			add_payment_method(t, page.data[k]);
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "pm_fake_%05d", i);
		const fake_payment_method *pm = NULL;
		int rc = fake_payment_method_retrieve(&pm, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_payment_method(t, pm);
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "prod_fake_%05d", i);
		const fake_product *prod = NULL;
		int rc = fake_product_retrieve(&prod, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_product(t, prod);
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "price_fake_%05d", i);
		const fake_price *price = NULL;
		int rc = fake_price_retrieve(&price, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_price(t, price);
	}
	fake_list page;
	fake_product_list_params prlp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	prlp.page.limit = 100;
	check_ok(p, fake_product_list(&page, p, &prlp, NULL));
	text_add(t, "listed products:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_product_id(page.data[k]));
	text_add(t, "\n");
	fake_price_list_params pclp = FAKE_PRICE_LIST_PARAMS_INIT;
	pclp.page.limit = 100;
	check_ok(p, fake_price_list(&page, p, &pclp, NULL));
	text_add(t, "listed prices:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_price_id(page.data[k]));
	text_add(t, "\n");
	fake_customer_list_params clp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	clp.page.limit = 100;
	check_ok(p, fake_customer_list(&page, p, &clp, NULL));
	text_add(t, "listed customers:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_customer_id(page.data[k]));
	text_add(t, "\n");
	fake_event_list_params elp = FAKE_EVENT_LIST_PARAMS_INIT;
	elp.page.limit = 100;
	check_ok(p, fake_event_list(&page, p, &elp, NULL));
	for (size_t k = 0; k < page.count; k++) {
		const fake_event *e = page.data[k];
		text_add(t, "event %s %s created=%" PRId64 " object=%s changed=%zu\n", fake_event_id(e),
			 fake_event_type(e), fake_event_created(e), str_or(fake_object_id(fake_event_object(e))),
			 fake_event_previous_attribute_count(e));
	}
	add_payments(t, p);
	add_billing(t, p);
	text_add(t, "subscriber calls=%d extra=%d\n", f->sub_calls, f->extra_sub_calls);

	/* the probe: the next ids, the events they cause, what the timeline runs */
	const fake_customer *c = NULL;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "probe@example.com";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	text_add(t, "probe customer %s\n", fake_customer_id(c));
	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	text_add(t, "probe pm %s\n", fake_payment_method_id(pm));
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(c);
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	text_add(t, "probe token pm %s\n", fake_payment_method_id(pm));
	const fake_product *prod = NULL;
	fake_product_create_params prp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	prp.name = "probe";
	check_ok(p, fake_product_create(&prod, p, &prp, NULL));
	text_add(t, "probe product %s\n", fake_product_id(prod));
	const fake_price *price = NULL;
	fake_price_create_params pcp = FAKE_PRICE_CREATE_PARAMS_INIT;
	pcp.product = fake_product_id(prod);
	pcp.currency = "usd";
	pcp.unit_amount = 1;
	check_ok(p, fake_price_create(&price, p, &pcp, NULL));
	text_add(t, "probe price %s\n", fake_price_id(price));
	const fake_payment_intent *pi = NULL;
	fake_payment_intent_create_params picp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	picp.amount = 4321;
	picp.currency = "usd";
	picp.payment_method = "pm_card_visa";
	picp.confirm = true;
	check_ok(p, fake_payment_intent_create(&pi, p, &picp, NULL));
	text_add(t, "probe payment %s pm=%s charge=%s\n", fake_payment_intent_id(pi),
		 fake_payment_intent_payment_method(pi), fake_payment_intent_latest_charge(pi));
	const fake_refund *re = NULL;
	fake_refund_create_params rcp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rcp.payment_intent = fake_payment_intent_id(pi);
	check_ok(p, fake_refund_create(&re, p, &rcp, NULL));
	text_add(t, "probe refund %s txn=%s\n", fake_refund_id(re), fake_refund_balance_transaction(re));
	elp.page.limit = 3;
	check_ok(p, fake_event_list(&page, p, &elp, NULL));
	for (size_t k = 0; k < page.count; k++)
		text_add(t, "probe event %s %s\n", fake_event_id(page.data[k]), fake_event_type(page.data[k]));
	check_ok(p, fake_clock_advance(p, 1000));
	text_add(t, "probe advance now=%" PRId64 " pending=%zu scheduled_ran=%d\n", fake_clock_now(p),
		 fake_clock_pending(p), f->scheduled_ran);
	text_add(t, "subscriber calls=%d extra=%d events=%zu\n", f->sub_calls, f->extra_sub_calls,
		 fake_event_count(p));

	/* the billing probe: the next ids, then 40 days of the timeline (renewals,
	 * trial ends, payment retries, due dates), and what they left */
	const fake_invoice_item *ii = NULL;
	fake_invoice_item_create_params iic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	iic.customer = fake_customer_id(c);
	iic.amount = 100;
	iic.currency = "usd";
	check_ok(p, fake_invoice_item_create(&ii, p, &iic, NULL));
	text_add(t, "probe invoice item %s\n", fake_invoice_item_id(ii));
	fake_subscription_item_params sit = { NULL, fake_price_id(price), NULL, 0, false, NULL, 0 };
	fake_price_create_params rpc = FAKE_PRICE_CREATE_PARAMS_INIT;
	rpc.product = fake_product_id(prod);
	rpc.currency = "usd";
	rpc.unit_amount = 5;
	rpc.interval = FAKE_INTERVAL_WEEK;
	check_ok(p, fake_price_create(&price, p, &rpc, NULL));
	sit.price = fake_price_id(price);
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = fake_customer_id(c);
	sc.items = &sit;
	sc.item_count = 1;
	sc.trial_period_days = 3;
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
	text_add(t, "probe subscription %s item %s invoice %s\n", fake_subscription_id(sub),
		 fake_subscription_item_id(fake_subscription_item_at(sub, 0)), fake_subscription_latest_invoice(sub));
	const fake_invoice *inv = NULL;
	fake_invoice_create_params icp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	icp.customer = fake_customer_id(c);
	check_ok(p, fake_invoice_create(&inv, p, &icp, NULL));
	text_add(t, "probe invoice %s lines=%zu\n", fake_invoice_id(inv), fake_invoice_line_count(inv));
	check_ok(p, fake_clock_advance(p, 40 * 86400));
	text_add(t, "probe billing advance now=%" PRId64 " pending=%zu events=%zu\n", fake_clock_now(p),
		 fake_clock_pending(p), fake_event_count(p));
	add_billing(t, p);
	add_payments(t, p);
}

/* ---- the operations ------------------------------------------------------------ */

enum out_kind { OUT_OBJECT, OUT_LIST, OUT_NONE };

/* What is prepared besides prepare(): nothing, prepare_payments() or prepare_billing(). */
enum extra { EXTRA_NONE, EXTRA_PAYMENTS, EXTRA_BILLING };

typedef struct operation {
	const char *name;
	enum out_kind out;
	bool subscribe;          /* prepare with the subscriber */
	bool may_need_no_memory; /* the operation may legitimately never allocate */
	int (*run)(fx *f, void *out);
	enum extra extra;        /* what else to prepare */
	int expect;              /* what a complete run returns: 0, or FAKE_ECARD for a recorded decline */
} operation;

static int op_customer_create(fx *f, void *out)
{
	fake_kv meta[] = { { "plan", "pro" }, { "ref", "abc-123" }, { "skipped", "" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "new@example.com";
	cp.name = "New Customer";
	cp.description = "created under fault injection";
	cp.phone = "+15555550100";
	cp.metadata = meta;
	cp.metadata_count = 3;
	cp.payment_method = "pm_card_visa";
	return fake_customer_create(out, f->p, &cp, NULL);
}

static int op_customer_create_with_default(fx *f, void *out)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "c@example.com";
	cp.payment_method = "pm_fake_00003";
	cp.default_payment_method = "pm_fake_00003";
	return fake_customer_create(out, f->p, &cp, NULL);
}

static int op_customer_retrieve(fx *f, void *out)
{
	return fake_customer_retrieve(out, f->p, "cus_fake_00001", NULL);
}

static int op_customer_update(fx *f, void *out)
{
	fake_kv meta[] = { { "plan", "enterprise" }, { "seats", "" }, { "region", "eu" } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "a+new@example.com";
	up.name = "Ann B.";
	up.metadata = meta;
	up.metadata_count = 3;
	return fake_customer_update(out, f->p, "cus_fake_00001", &up, NULL);
}

static int op_customer_delete(fx *f, void *out)
{
	/* the customer with an attached default payment method */
	return fake_customer_delete(out, f->p, "cus_fake_00002", NULL);
}

static int op_customer_list(fx *f, void *out)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	lp.page.starting_after = "cus_fake_00004";
	return fake_customer_list(out, f->p, &lp, NULL);
}

static int op_set_default(fx *f, void *out)
{
	return fake_customer_set_default_payment_method(out, f->p, "cus_fake_00001", "pm_fake_00001", NULL);
}

static int op_pm_create(fx *f, void *out)
{
	fake_kv meta[] = { { "source", "test" }, { "n", "1" } };
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "378282246310005";
	pp.exp_month = 7;
	pp.cvc = "1234";
	pp.billing_name = "Card Holder";
	pp.billing_email = "holder@example.com";
	pp.billing_phone = "+15555550101";
	pp.metadata = meta;
	pp.metadata_count = 2;
	return fake_payment_method_create(out, f->p, &pp, NULL);
}

static int op_pm_retrieve(fx *f, void *out)
{
	return fake_payment_method_retrieve(out, f->p, "pm_fake_00002", NULL);
}

static int op_pm_update(fx *f, void *out)
{
	fake_kv meta[] = { { "nickname", "work card" } };
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	up.exp_month = 3;
	up.billing_name = "Bea";
	up.billing_email = "bea@example.com";
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_payment_method_update(out, f->p, "pm_fake_00002", &up, NULL);
}

static int op_pm_attach(fx *f, void *out)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00004";
	return fake_payment_method_attach(out, f->p, "pm_fake_00003", &ap, NULL);
}

static int op_pm_attach_token(fx *f, void *out)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00004";
	return fake_payment_method_attach(out, f->p, "pm_card_visa", &ap, NULL);
}

static int op_pm_detach(fx *f, void *out)
{
	/* cus_fake_00002's default: the detach also clears the default */
	return fake_payment_method_detach(out, f->p, "pm_fake_00002", NULL);
}

static int op_pm_list(fx *f, void *out)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00001";
	return fake_payment_method_list(out, f->p, &lp, NULL);
}

static int op_event_retrieve(fx *f, void *out)
{
	return fake_event_retrieve(out, f->p, "evt_fake_00002", NULL);
}

static int op_event_list(fx *f, void *out)
{
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.type = "customer.*";
	return fake_event_list(out, f->p, &lp, NULL);
}

static int op_event_subscribe(fx *f, void *out)
{
	(void)out;
	return fake_event_subscribe(f->p, on_event_extra, f);
}

static int op_script_push(fx *f, void *out)
{
	(void)out;
	fake_script s = fake_script_card_declined("insufficient_funds");
	return fake_script_push(f->p, FAKE_OP_CREATE_CUSTOMER, &s, 2);
}

static int op_clock_schedule(fx *f, void *out)
{
	(void)out;
	return fake_clock_schedule(f->p, fake_clock_now(f->p) + 50, on_scheduled, f);
}

static int op_list_iterator(fx *f, void *out)
{
	(void)out;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 1;
	fake_list_iter it;
	fake_list_iter_init(&it, f->p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	const void *o = NULL;
	int rc, n = 0;
	while ((rc = fake_list_iter_next(&o, &it)) == 0)
		n++;
	if (rc != FAKE_ITEROVER) {
		assert_null(o);
		return rc;
	}
	assert_int_equal(n, 3);
	return 0;
}

static int op_product_create(fx *f, void *out)
{
	fake_kv meta[] = { { "tier", "pro" }, { "ref", "abc-123" }, { "skipped", "" } };
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.name = "Pro";
	pp.description = "created under fault injection";
	pp.metadata = meta;
	pp.metadata_count = 3;
	return fake_product_create(out, f->p, &pp, NULL);
}

static int op_product_update(fx *f, void *out)
{
	fake_kv meta[] = { { "tier", "" }, { "region", "eu" } };
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = "Basic (old)";
	up.description = "";
	up.active = FAKE_ACTIVE_CLEAR;
	up.metadata = meta;
	up.metadata_count = 2;
	return fake_product_update(out, f->p, "prod_fake_00001", &up, NULL);
}

static int op_product_list(fx *f, void *out)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.active = FAKE_ACTIVE_ONLY;
	return fake_product_list(out, f->p, &lp, NULL);
}

static int op_price_create_product_name(fx *f, void *out)
{
	/* creates prod_fake_00002 too: product.created, then price.created */
	fake_kv meta[] = { { "plan", "gold" }, { "n", "2" } };
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	cp.currency = "EUR";
	cp.unit_amount = 2500;
	cp.product_name = "Gold";
	cp.interval = FAKE_INTERVAL_WEEK;
	cp.interval_count = 2;
	cp.lookup_key = "gold_biweekly";
	cp.nickname = "Gold every two weeks";
	cp.metadata = meta;
	cp.metadata_count = 2;
	return fake_price_create(out, f->p, &cp, NULL);
}

static int op_price_create_transfer(fx *f, void *out)
{
	/* takes basic_monthly from price_fake_00001: price.updated, then price.created */
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	cp.currency = "usd";
	cp.unit_amount = 1200;
	cp.product = "prod_fake_00001";
	cp.interval = FAKE_INTERVAL_MONTH;
	cp.lookup_key = "basic_monthly";
	cp.transfer_lookup_key = true;
	return fake_price_create(out, f->p, &cp, NULL);
}

static int op_price_update(fx *f, void *out)
{
	fake_kv meta[] = { { "legacy", "yes" } };
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.active = FAKE_ACTIVE_CLEAR;
	up.nickname = "Basic monthly (legacy)";
	up.lookup_key = "";
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_price_update(out, f->p, "price_fake_00001", &up, NULL);
}

static int op_price_update_transfer(fx *f, void *out)
{
	/* price_fake_00002 takes basic_monthly: price.updated for price_fake_00001, then for price_fake_00002 */
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.lookup_key = "basic_monthly";
	up.transfer_lookup_key = true;
	up.nickname = "Basic yearly";
	return fake_price_update(out, f->p, "price_fake_00002", &up, NULL);
}

static int op_price_list(fx *f, void *out)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.product = "prod_fake_00001";
	lp.currency = "USD";
	lp.type = FAKE_PRICE_RECURRING;
	return fake_price_list(out, f->p, &lp, NULL);
}

static int op_pi_create_confirm(fx *f, void *out)
{
	fake_kv meta[] = { { "order", "42" }, { "skipped", "" } };
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp.amount = 2500;
	cp.currency = "EUR";
	cp.customer = "cus_fake_00004";
	cp.payment_method = "pm_card_visa";
	cp.confirm = true;
	cp.description = "created under fault injection";
	cp.metadata = meta;
	cp.metadata_count = 2;
	return fake_payment_intent_create(out, f->p, &cp, NULL);
}

static int op_pi_create_confirm_decline(fx *f, void *out)
{
	fake_kv meta[] = { { "order", "43" } };
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp.amount = 2500;
	cp.currency = "usd";
	cp.customer = "cus_fake_00004";
	cp.payment_method = "pm_card_chargeDeclinedInsufficientFunds";
	cp.confirm = true;
	cp.metadata = meta;
	cp.metadata_count = 1;
	return fake_payment_intent_create(out, f->p, &cp, NULL);
}

static int op_pi_create_3ds(fx *f, void *out)
{
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp.amount = 2500;
	cp.currency = "usd";
	cp.payment_method = "pm_card_authenticationRequired";
	cp.confirm = true;
	return fake_payment_intent_create(out, f->p, &cp, NULL);
}

static int op_pi_confirm(fx *f, void *out)
{
	return fake_payment_intent_confirm(out, f->p, "pi_fake_00004", NULL, NULL);
}

static int op_pi_confirm_decline(fx *f, void *out)
{
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_card_chargeDeclinedExpiredCard";
	return fake_payment_intent_confirm(out, f->p, "pi_fake_00004", &cf, NULL);
}

static int op_pi_authenticate(fx *f, void *out)
{
	return fake_payment_intent_authenticate(out, f->p, "pi_fake_00003", true, NULL);
}

static int op_pi_authenticate_fail(fx *f, void *out)
{
	return fake_payment_intent_authenticate(out, f->p, "pi_fake_00003", false, NULL);
}

static int op_pi_capture_partial(fx *f, void *out)
{
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.amount_to_capture = 1500;
	return fake_payment_intent_capture(out, f->p, "pi_fake_00002", &cap, NULL);
}

static int op_pi_cancel_authorized(fx *f, void *out)
{
	/* releases the authorization: charge.refunded, then payment_intent.canceled */
	return fake_payment_intent_cancel(out, f->p, "pi_fake_00002", "abandoned", NULL);
}

static int op_refund_create(fx *f, void *out)
{
	fake_kv meta[] = { { "ticket", "T-7" }, { "by", "support" } };
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	rp.amount = 500;
	rp.reason = "requested_by_customer";
	rp.metadata = meta;
	rp.metadata_count = 2;
	return fake_refund_create(out, f->p, &rp, NULL);
}

static int op_refund_by_payment_intent(fx *f, void *out)
{
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.payment_intent = "pi_fake_00001"; /* the rest: 1700 */
	return fake_refund_create(out, f->p, &rp, NULL);
}


/* ---- billing operations (on prepare_billing()) ---- */

static int op_sub_create(fx *f, void *out)
{
	/* charged at once with cus_fake_00002's default card */
	fake_kv meta[] = { { "plan", "addon" } };
	fake_subscription_item_params it = item_on("price_fake_00005", 3);
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = "cus_fake_00002";
	sc.items = &it;
	sc.item_count = 1;
	sc.description = "created under fault injection";
	sc.metadata = meta;
	sc.metadata_count = 1;
	return fake_subscription_create(out, f->p, &sc, NULL);
}

static int op_sub_create_trial(fx *f, void *out)
{
	fake_subscription_item_params items[] = { item_on("price_fake_00001", 0), item_on("price_fake_00003", 0) };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = "cus_fake_00001";
	sc.items = items;
	sc.item_count = 2;
	sc.trial_period_days = 2; /* trial_will_end at once */
	return fake_subscription_create(out, f->p, &sc, NULL);
}

static int op_sub_create_trial_notice(fx *f, void *out)
{
	/* a trial of exactly upcoming_days (3): trial_will_end and
	 * invoice.upcoming (a preview built and undone inside the call) at once */
	fake_subscription_item_params items[] = { item_on("price_fake_00001", 0), item_on("price_fake_00003", 0) };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = "cus_fake_00001";
	sc.items = items;
	sc.item_count = 2;
	sc.trial_period_days = 3;
	return fake_subscription_create(out, f->p, &sc, NULL);
}

static int op_sub_create_incomplete(fx *f, void *out)
{
	/* no payment method: incomplete, its invoice open */
	fake_subscription_item_params it = item_on("price_fake_00001", 0);
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = "cus_fake_00004";
	sc.items = &it;
	sc.item_count = 1;
	return fake_subscription_create(out, f->p, &sc, NULL);
}

static int op_sub_retrieve(fx *f, void *out)
{
	return fake_subscription_retrieve(out, f->p, "sub_fake_00001", NULL);
}

static int op_sub_update(fx *f, void *out)
{
	/* a quantity change mid-period: two proration items */
	fake_kv meta[] = { { "seats", "5" } };
	fake_subscription_item_params it = { "si_fake_00001", NULL, NULL, 5, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &it;
	up.item_count = 1;
	up.cancel_at_period_end = FAKE_FLAG_SET;
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_subscription_update(out, f->p, "sub_fake_00001", &up, NULL);
}

static int op_sub_update_always_invoice(fx *f, void *out)
{
	fake_subscription_item_params it[] = { { "si_fake_00001", "price_fake_00005", NULL, 4, false, NULL, 0 } };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = it;
	up.item_count = 1;
	up.proration_behavior = FAKE_PRORATION_ALWAYS_INVOICE;
	return fake_subscription_update(out, f->p, "sub_fake_00001", &up, NULL);
}

static int op_sub_update_end_trial(fx *f, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.trial_end = FAKE_TRIAL_END_NOW;
	up.default_payment_method = "pm_fake_00001";
	return fake_subscription_update(out, f->p, "sub_fake_00002", &up, NULL);
}

static int op_sub_update_pause(fx *f, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.pause_collection = FAKE_PAUSE_MARK_UNCOLLECTIBLE;
	up.pause_resumes_at = fake_clock_now(f->p) + 40 * 86400;
	up.description = "paused";
	return fake_subscription_update(out, f->p, "sub_fake_00001", &up, NULL);
}

static int op_sub_cancel(fx *f, void *out)
{
	/* the usage so far and a credit for the unused time, invoiced and charged */
	fake_subscription_cancel_params cp = FAKE_SUBSCRIPTION_CANCEL_PARAMS_INIT;
	cp.invoice_now = true;
	cp.prorate = true;
	return fake_subscription_cancel(out, f->p, "sub_fake_00001", &cp, NULL);
}

static int op_sub_cancel_trial(fx *f, void *out)
{
	return fake_subscription_cancel(out, f->p, "sub_fake_00002", NULL, NULL);
}

static int op_sub_resume(fx *f, void *out)
{
	return fake_subscription_resume(out, f->p, "sub_fake_00003", NULL);
}

static int op_sub_list(fx *f, void *out)
{
	fake_subscription_list_params lp = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	lp.status = "all";
	lp.price = "price_fake_00001";
	return fake_subscription_list(out, f->p, &lp, NULL);
}

static int op_si_create(fx *f, void *out)
{
	fake_kv meta[] = { { "addon", "yes" } };
	fake_subscription_item_create_params cp = FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_INIT;
	cp.subscription = "sub_fake_00001";
	cp.price = "price_fake_00005";
	cp.quantity = 2;
	cp.metadata = meta;
	cp.metadata_count = 1;
	return fake_subscription_item_create(out, f->p, &cp, NULL);
}

static int op_si_create_price_data(fx *f, void *out)
{
	fake_price_data pd = { "usd", "prod_fake_00001", 250, FAKE_INTERVAL_MONTH, 1 };
	fake_subscription_item_create_params cp = FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_INIT;
	cp.subscription = "sub_fake_00001";
	cp.price_data = &pd;
	cp.proration_behavior = FAKE_PRORATION_ALWAYS_INVOICE;
	return fake_subscription_item_create(out, f->p, &cp, NULL);
}

static int op_si_update(fx *f, void *out)
{
	fake_kv meta[] = { { "note", "three seats" } };
	fake_subscription_item_update_params up = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	up.quantity = 3;
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_subscription_item_update(out, f->p, "si_fake_00001", &up, NULL);
}

static int op_si_delete(fx *f, void *out)
{
	return fake_subscription_item_delete(out, f->p, "si_fake_00002", FAKE_PRORATION_CREATE_PRORATIONS, NULL);
}

static int op_si_list(fx *f, void *out)
{
	fake_subscription_item_list_params lp = FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT;
	lp.subscription = "sub_fake_00001";
	return fake_subscription_item_list(out, f->p, &lp, NULL);
}

static int op_usage_record(fx *f, void *out)
{
	fake_usage_record_params up = FAKE_USAGE_RECORD_PARAMS_INIT;
	up.subscription_item = "si_fake_00002";
	up.quantity = 5;
	up.action = FAKE_USAGE_SET;
	return fake_usage_record_create(out, f->p, &up, NULL);
}

static int op_invoice_create(fx *f, void *out)
{
	/* takes ii_fake_00001 */
	fake_kv meta[] = { { "order", "77" } };
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	cp.auto_advance = true;
	cp.description = "created under fault injection";
	cp.default_payment_method = "pm_fake_00001";
	cp.metadata = meta;
	cp.metadata_count = 1;
	return fake_invoice_create(out, f->p, &cp, NULL);
}

static int op_invoice_retrieve(fx *f, void *out)
{
	return fake_invoice_retrieve(out, f->p, "in_fake_00005", NULL);
}

static int op_invoice_update(fx *f, void *out)
{
	fake_kv meta[] = { { "po", "PO-1" } };
	fake_invoice_update_params up = FAKE_INVOICE_UPDATE_PARAMS_INIT;
	up.auto_advance = FAKE_FLAG_SET;
	up.description = "updated under fault injection";
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_invoice_update(out, f->p, "in_fake_00005", &up, NULL);
}

static int op_invoice_finalize(fx *f, void *out)
{
	return fake_invoice_finalize(out, f->p, "in_fake_00005", NULL);
}

static int op_invoice_pay(fx *f, void *out)
{
	return fake_invoice_pay(out, f->p, "in_fake_00006", NULL, NULL);
}

static int op_invoice_pay_decline(fx *f, void *out)
{
	fake_invoice_pay_params pp = FAKE_INVOICE_PAY_PARAMS_INIT;
	pp.payment_method = "pm_card_chargeDeclinedInsufficientFunds";
	return fake_invoice_pay(out, f->p, "in_fake_00006", &pp, NULL);
}

static int op_invoice_pay_out_of_band(fx *f, void *out)
{
	fake_invoice_pay_params pp = FAKE_INVOICE_PAY_PARAMS_INIT;
	pp.paid_out_of_band = true;
	return fake_invoice_pay(out, f->p, "in_fake_00004", &pp, NULL);
}

static int op_invoice_void(fx *f, void *out)
{
	return fake_invoice_void(out, f->p, "in_fake_00006", NULL);
}

static int op_invoice_mark_uncollectible(fx *f, void *out)
{
	return fake_invoice_mark_uncollectible(out, f->p, "in_fake_00006", NULL);
}

static int op_invoice_send(fx *f, void *out)
{
	return fake_invoice_send(out, f->p, "in_fake_00004", NULL);
}

static int op_invoice_delete(fx *f, void *out)
{
	/* ii_fake_00002 becomes pending again */
	return fake_invoice_delete(out, f->p, "in_fake_00005", NULL);
}

static int op_invoice_list(fx *f, void *out)
{
	fake_invoice_list_params lp = FAKE_INVOICE_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00002";
	lp.status = "open";
	return fake_invoice_list(out, f->p, &lp, NULL);
}

static int op_invoice_upcoming(fx *f, void *out)
{
	return fake_invoice_upcoming(out, f->p, "sub_fake_00001", NULL);
}

static int op_ii_create(fx *f, void *out)
{
	fake_kv meta[] = { { "reason", "goodwill" } };
	fake_invoice_item_create_params cp = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	cp.amount = -200;
	cp.currency = "USD";
	cp.description = "credit";
	cp.subscription = "sub_fake_00002";
	cp.metadata = meta;
	cp.metadata_count = 1;
	return fake_invoice_item_create(out, f->p, &cp, NULL);
}

static int op_ii_create_on_draft(fx *f, void *out)
{
	fake_price_data pd = { "usd", "prod_fake_00001", 333, FAKE_INTERVAL_NONE, 0 };
	fake_invoice_item_create_params cp = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00002";
	cp.price_data = &pd;
	cp.quantity = 3;
	cp.invoice = "in_fake_00005";
	return fake_invoice_item_create(out, f->p, &cp, NULL);
}

static int op_ii_update(fx *f, void *out)
{
	/* on the draft in_fake_00005: its lines and totals follow */
	fake_kv meta[] = { { "n", "3" } };
	fake_invoice_item_update_params up = FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT;
	up.quantity = 3;
	up.description = "three of them";
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_invoice_item_update(out, f->p, "ii_fake_00002", &up, NULL);
}

static int op_ii_delete(fx *f, void *out)
{
	return fake_invoice_item_delete(out, f->p, "ii_fake_00001", NULL);
}

static int op_ii_delete_on_draft(fx *f, void *out)
{
	return fake_invoice_item_delete(out, f->p, "ii_fake_00002", NULL);
}

static int op_ii_list(fx *f, void *out)
{
	fake_invoice_item_list_params lp = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00002";
	return fake_invoice_item_list(out, f->p, &lp, NULL);
}

static const operation operations[] = {
	{ "customer_create", OUT_OBJECT, true, false, op_customer_create, EXTRA_NONE, 0 },
	{ "customer_create_with_default", OUT_OBJECT, true, false, op_customer_create_with_default, EXTRA_NONE, 0 },
	{ "customer_retrieve", OUT_OBJECT, true, true, op_customer_retrieve, EXTRA_NONE, 0 },
	{ "customer_update", OUT_OBJECT, true, false, op_customer_update, EXTRA_NONE, 0 },
	{ "customer_delete", OUT_OBJECT, true, false, op_customer_delete, EXTRA_NONE, 0 },
	{ "customer_list", OUT_LIST, true, true, op_customer_list, EXTRA_NONE, 0 },
	{ "set_default_payment_method", OUT_OBJECT, true, false, op_set_default, EXTRA_NONE, 0 },
	{ "payment_method_create", OUT_OBJECT, true, false, op_pm_create, EXTRA_NONE, 0 },
	{ "payment_method_retrieve", OUT_OBJECT, true, true, op_pm_retrieve, EXTRA_NONE, 0 },
	{ "payment_method_update", OUT_OBJECT, true, false, op_pm_update, EXTRA_NONE, 0 },
	{ "payment_method_attach", OUT_OBJECT, true, false, op_pm_attach, EXTRA_NONE, 0 },
	{ "payment_method_attach_token", OUT_OBJECT, true, false, op_pm_attach_token, EXTRA_NONE, 0 },
	{ "payment_method_detach", OUT_OBJECT, true, false, op_pm_detach, EXTRA_NONE, 0 },
	{ "payment_method_list", OUT_LIST, true, true, op_pm_list, EXTRA_NONE, 0 },
	{ "event_retrieve", OUT_OBJECT, true, true, op_event_retrieve, EXTRA_NONE, 0 },
	{ "event_list", OUT_LIST, true, true, op_event_list, EXTRA_NONE, 0 },
	{ "event_subscribe", OUT_NONE, false, false, op_event_subscribe, EXTRA_NONE, 0 },
	{ "script_push", OUT_NONE, true, false, op_script_push, EXTRA_NONE, 0 },
	{ "clock_schedule", OUT_NONE, true, false, op_clock_schedule, EXTRA_NONE, 0 },
	{ "list_iterator", OUT_NONE, true, true, op_list_iterator, EXTRA_NONE, 0 },
	{ "product_create", OUT_OBJECT, true, false, op_product_create, EXTRA_NONE, 0 },
	{ "product_update", OUT_OBJECT, true, false, op_product_update, EXTRA_NONE, 0 },
	{ "product_list", OUT_LIST, true, true, op_product_list, EXTRA_NONE, 0 },
	{ "price_create_product_name", OUT_OBJECT, true, false, op_price_create_product_name, EXTRA_NONE, 0 },
	{ "price_create_transfer", OUT_OBJECT, true, false, op_price_create_transfer, EXTRA_NONE, 0 },
	{ "price_update", OUT_OBJECT, true, false, op_price_update, EXTRA_NONE, 0 },
	{ "price_update_transfer", OUT_OBJECT, true, false, op_price_update_transfer, EXTRA_NONE, 0 },
	{ "price_list", OUT_LIST, true, true, op_price_list, EXTRA_NONE, 0 },
	{ "payment_intent_create_confirm", OUT_OBJECT, true, false, op_pi_create_confirm, EXTRA_PAYMENTS, 0 },
	{ "payment_intent_create_confirm_decline", OUT_OBJECT, true, false, op_pi_create_confirm_decline, EXTRA_PAYMENTS,
	  FAKE_ECARD },
	{ "payment_intent_create_3ds", OUT_OBJECT, true, false, op_pi_create_3ds, EXTRA_PAYMENTS, 0 },
	{ "payment_intent_confirm", OUT_OBJECT, true, false, op_pi_confirm, EXTRA_PAYMENTS, 0 },
	{ "payment_intent_confirm_decline", OUT_OBJECT, true, false, op_pi_confirm_decline, EXTRA_PAYMENTS, FAKE_ECARD },
	{ "payment_intent_authenticate", OUT_OBJECT, true, false, op_pi_authenticate, EXTRA_PAYMENTS, 0 },
	{ "payment_intent_authenticate_fail", OUT_OBJECT, true, false, op_pi_authenticate_fail, EXTRA_PAYMENTS, 0 },
	{ "payment_intent_capture_partial", OUT_OBJECT, true, false, op_pi_capture_partial, EXTRA_PAYMENTS, 0 },
	{ "payment_intent_cancel_authorized", OUT_OBJECT, true, false, op_pi_cancel_authorized, EXTRA_PAYMENTS, 0 },
	{ "refund_create", OUT_OBJECT, true, false, op_refund_create, EXTRA_PAYMENTS, 0 },
	{ "refund_by_payment_intent", OUT_OBJECT, true, false, op_refund_by_payment_intent, EXTRA_PAYMENTS, 0 },
	{ "subscription_create", OUT_OBJECT, true, false, op_sub_create, EXTRA_BILLING, 0 },
	{ "subscription_create_trial", OUT_OBJECT, true, false, op_sub_create_trial, EXTRA_BILLING, 0 },
	{ "subscription_create_incomplete", OUT_OBJECT, true, false, op_sub_create_incomplete, EXTRA_BILLING, 0 },
	{ "subscription_retrieve", OUT_OBJECT, true, true, op_sub_retrieve, EXTRA_BILLING, 0 },
	{ "subscription_update", OUT_OBJECT, true, false, op_sub_update, EXTRA_BILLING, 0 },
	{ "subscription_update_always_invoice", OUT_OBJECT, true, false, op_sub_update_always_invoice, EXTRA_BILLING, 0 },
	{ "subscription_update_end_trial", OUT_OBJECT, true, false, op_sub_update_end_trial, EXTRA_BILLING, 0 },
	{ "subscription_update_pause", OUT_OBJECT, true, false, op_sub_update_pause, EXTRA_BILLING, 0 },
	{ "subscription_cancel", OUT_OBJECT, true, false, op_sub_cancel, EXTRA_BILLING, 0 },
	{ "subscription_cancel_trial", OUT_OBJECT, true, false, op_sub_cancel_trial, EXTRA_BILLING, 0 },
	{ "subscription_resume", OUT_OBJECT, true, false, op_sub_resume, EXTRA_BILLING, 0 },
	{ "subscription_list", OUT_LIST, true, true, op_sub_list, EXTRA_BILLING, 0 },
	{ "subscription_item_create", OUT_OBJECT, true, false, op_si_create, EXTRA_BILLING, 0 },
	{ "subscription_item_create_price_data", OUT_OBJECT, true, false, op_si_create_price_data, EXTRA_BILLING, 0 },
	{ "subscription_item_update", OUT_OBJECT, true, false, op_si_update, EXTRA_BILLING, 0 },
	{ "subscription_item_delete", OUT_OBJECT, true, false, op_si_delete, EXTRA_BILLING, 0 },
	{ "subscription_item_list", OUT_LIST, true, true, op_si_list, EXTRA_BILLING, 0 },
	{ "usage_record_create", OUT_OBJECT, true, true, op_usage_record, EXTRA_BILLING, 0 },
	{ "invoice_create", OUT_OBJECT, true, false, op_invoice_create, EXTRA_BILLING, 0 },
	{ "invoice_retrieve", OUT_OBJECT, true, true, op_invoice_retrieve, EXTRA_BILLING, 0 },
	{ "invoice_update", OUT_OBJECT, true, false, op_invoice_update, EXTRA_BILLING, 0 },
	{ "invoice_finalize", OUT_OBJECT, true, false, op_invoice_finalize, EXTRA_BILLING, 0 },
	{ "invoice_pay", OUT_OBJECT, true, false, op_invoice_pay, EXTRA_BILLING, 0 },
	{ "invoice_pay_decline", OUT_OBJECT, true, false, op_invoice_pay_decline, EXTRA_BILLING, FAKE_ECARD },
	{ "invoice_pay_out_of_band", OUT_OBJECT, true, false, op_invoice_pay_out_of_band, EXTRA_BILLING, 0 },
	{ "invoice_void", OUT_OBJECT, true, false, op_invoice_void, EXTRA_BILLING, 0 },
	{ "invoice_mark_uncollectible", OUT_OBJECT, true, false, op_invoice_mark_uncollectible, EXTRA_BILLING, 0 },
	{ "invoice_send", OUT_OBJECT, true, false, op_invoice_send, EXTRA_BILLING, 0 },
	{ "invoice_delete", OUT_OBJECT, true, false, op_invoice_delete, EXTRA_BILLING, 0 },
	{ "invoice_list", OUT_LIST, true, true, op_invoice_list, EXTRA_BILLING, 0 },
	{ "invoice_upcoming", OUT_OBJECT, true, false, op_invoice_upcoming, EXTRA_BILLING, 0 },
	{ "invoice_item_create", OUT_OBJECT, true, false, op_ii_create, EXTRA_BILLING, 0 },
	{ "invoice_item_create_on_draft", OUT_OBJECT, true, false, op_ii_create_on_draft, EXTRA_BILLING, 0 },
	{ "invoice_item_update", OUT_OBJECT, true, false, op_ii_update, EXTRA_BILLING, 0 },
	{ "invoice_item_delete", OUT_OBJECT, true, false, op_ii_delete, EXTRA_BILLING, 0 },
	{ "invoice_item_delete_on_draft", OUT_OBJECT, true, false, op_ii_delete_on_draft, EXTRA_BILLING, 0 },
	{ "invoice_item_list", OUT_LIST, true, true, op_ii_list, EXTRA_BILLING, 0 },
	{ "subscription_create_trial_notice", OUT_OBJECT, true, false, op_sub_create_trial_notice, EXTRA_BILLING, 0 },
};

#define OPERATION_COUNT (sizeof(operations) / sizeof(operations[0]))

typedef union result {
	const void *object;
	fake_list list;
} result;

static const int sentinel = 0;

static void result_poison(result *r, enum out_kind kind)
{
	if (kind == OUT_LIST) {
		memset(&r->list, 0, sizeof(r->list));
		r->list.count = 3; /* a failed list must leave it empty */
		r->list.has_more = true;
	} else {
		r->object = &sentinel; /* a failed call must set it to NULL */
	}
}

static void check_success(const operation *op, const result *r)
{
	if (op->expect) {
		/* a recorded decline: no object, the record names the payment */
		assert_null(r->object);
		return;
	}
	if (op->out == OUT_OBJECT) {
		assert_non_null(r->object);
		assert_ptr_not_equal(r->object, &sentinel);
	}
}

/* The prepared state an operation runs on. */
static void prepare_for(fx *f, const operation *op)
{
	prepare(f, op->subscribe);
	if (op->extra == EXTRA_PAYMENTS)
		prepare_payments(f);
	if (op->extra == EXTRA_BILLING)
		prepare_billing(f);
}

/* Runs one operation with allocation N failing, for every N until it succeeds. */
static void check_operation(const operation *op)
{
	/* the state the operation must leave alone when it fails */
	fx ref;
	text want = { NULL, 0, 0 };
	prepare_for(&ref, op);
	fingerprint(&ref, &want);
	finish(&ref);

	/* the state a complete run leaves (for the payment and billing
	 * operations): a run that returns success although an allocation
	 * failed must leave it too */
	text complete = { NULL, 0, 0 };
	if (op->extra != EXTRA_NONE) {
		fx c;
		prepare_for(&c, op);
		result r;
		result_poison(&r, op->out);
		int rc = op->run(&c, op->out == OUT_LIST ? (void *)&r.list : (void *)&r.object);
		if (rc != op->expect) {
			print_error("%s without failures: returned %s (%s), not %s\n", op->name, fake_status_name(rc),
				    fake_error_last(c.p)->message, fake_status_name(op->expect));
			fail();
		}
		check_success(op, &r);
		if (op->expect == FAKE_ECARD) {
			const fake_error *e = fake_error_last(c.p);
			assert_string_equal(e->type, "card_error");
			assert_true(e->payment_intent[0] != '\0');
			assert_true(e->charge[0] != '\0');
		}
		fingerprint(&c, &complete);
		finish(&c);
	}

	unsigned long enomem = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		fx f;
		prepare_for(&f, op);
		result r;
		result_poison(&r, op->out);
		arm(&f, n);
		int rc = op->run(&f, op->out == OUT_LIST ? (void *)&r.list : (void *)&r.object);
		bool reached = failure_reached(&f);
		disarm(&f);

		if (rc == op->expect) {
			check_success(op, &r);
			/* a run the failure never reached is a complete, undisturbed run */
			done = !reached;
			if (reached && op->extra != EXTRA_NONE) {
				text got = { NULL, 0, 0 };
				fingerprint(&f, &got);
				if (strcmp(got.s, complete.s) != 0) {
					print_error("%s, allocation %lu failing: returned %s, but the processor is not as a "
						    "complete run leaves it.\nexpected:\n%s\ngot:\n%s\n",
						    op->name, n, fake_status_name(rc), complete.s, got.s);
					fail();
				}
				text_free(&got);
			}
		} else {
			if (rc != FAKE_ENOMEM) {
				print_error("%s, allocation %lu failing: returned %s (%s), not FAKE_ENOMEM\n", op->name, n,
					    fake_status_name(rc), fake_error_last(f.p)->message);
				fail();
			}
			enomem++;
			const fake_error *e = fake_error_last(f.p);
			assert_int_equal(e->status, FAKE_ENOMEM);
			assert_true(e->message[0] != '\0');
			/* not a half-recorded decline: the record names no payment */
			assert_string_equal(e->payment_intent, "");
			assert_string_equal(e->charge, "");
			if (op->out == OUT_OBJECT && r.object != NULL) {
				print_error("%s, allocation %lu failing: *out is not NULL\n", op->name, n);
				fail();
			}
			if (op->out == OUT_LIST && (r.list.count != 0 || r.list.has_more)) {
				print_error("%s, allocation %lu failing: the page is not empty\n", op->name, n);
				fail();
			}
			text got = { NULL, 0, 0 };
			fingerprint(&f, &got);
			if (strcmp(got.s, want.s) != 0) {
				print_error("%s, allocation %lu failing: the processor changed.\nbefore (and should be):\n%s\n"
					    "after:\n%s\n",
					    op->name, n, want.s, got.s);
				fail();
			}
			text_free(&got);
		}
		finish(&f);
	}
	assert_true(done);

	if (enomem == 0) {
		if (!op->may_need_no_memory) {
			print_error("%s never failed: no allocation point was exercised\n", op->name);
			fail();
		}
		/* it needs no memory: it must succeed with every allocation refused */
		fx f;
		prepare_for(&f, op);
		result r;
		result_poison(&r, op->out);
		f.fail_all = true;
		int rc = op->run(&f, op->out == OUT_LIST ? (void *)&r.list : (void *)&r.object);
		f.fail_all = false;
		if (rc != 0) {
			print_error("%s with every allocation refused: %s\n", op->name, fake_status_name(rc));
			fail();
		}
		check_success(op, &r);
		finish(&f);
	}
	text_free(&want);
	text_free(&complete);
}

/* The operation with this name (the table only grows at the end). */
static const operation *operation_named(const char *name)
{
	for (size_t i = 0; i < OPERATION_COUNT; i++)
		if (strcmp(operations[i].name, name) == 0)
			return &operations[i];
	print_error("no operation named %s\n", name);
	fail();
	return NULL;
}

static void test_alloc_failure_customer_create(void **state)
{
	(void)state;
	check_operation(&operations[0]);
	check_operation(&operations[1]);
}

static void test_alloc_failure_customer_retrieve(void **state)
{
	(void)state;
	check_operation(&operations[2]);
}

static void test_alloc_failure_customer_update(void **state)
{
	(void)state;
	check_operation(&operations[3]);
}

static void test_alloc_failure_customer_delete(void **state)
{
	(void)state;
	check_operation(&operations[4]);
}

static void test_alloc_failure_customer_list(void **state)
{
	(void)state;
	check_operation(&operations[5]);
}

static void test_alloc_failure_set_default_payment_method(void **state)
{
	(void)state;
	check_operation(&operations[6]);
}

static void test_alloc_failure_payment_method_create(void **state)
{
	(void)state;
	check_operation(&operations[7]);
}

static void test_alloc_failure_payment_method_retrieve(void **state)
{
	(void)state;
	check_operation(&operations[8]);
}

static void test_alloc_failure_payment_method_update(void **state)
{
	(void)state;
	check_operation(&operations[9]);
}

static void test_alloc_failure_payment_method_attach(void **state)
{
	(void)state;
	check_operation(&operations[10]);
	check_operation(&operations[11]);
}

static void test_alloc_failure_payment_method_detach(void **state)
{
	(void)state;
	check_operation(&operations[12]);
}

static void test_alloc_failure_payment_method_list(void **state)
{
	(void)state;
	check_operation(&operations[13]);
}

static void test_alloc_failure_event_retrieve(void **state)
{
	(void)state;
	check_operation(&operations[14]);
}

static void test_alloc_failure_event_list(void **state)
{
	(void)state;
	check_operation(&operations[15]);
}

static void test_alloc_failure_event_subscribe(void **state)
{
	(void)state;
	check_operation(&operations[16]);
}

static void test_alloc_failure_script_push(void **state)
{
	(void)state;
	check_operation(&operations[17]);
}

static void test_alloc_failure_clock_schedule(void **state)
{
	(void)state;
	check_operation(&operations[18]);
}

static void test_alloc_failure_list_iterator(void **state)
{
	(void)state;
	check_operation(&operations[19]);
}

static void test_alloc_failure_product_create(void **state)
{
	(void)state;
	check_operation(&operations[20]);
}

static void test_alloc_failure_product_update(void **state)
{
	(void)state;
	check_operation(&operations[21]);
}

static void test_alloc_failure_product_list(void **state)
{
	(void)state;
	check_operation(&operations[22]);
}

static void test_alloc_failure_price_create(void **state)
{
	(void)state;
	check_operation(&operations[23]);
	check_operation(&operations[24]);
}

static void test_alloc_failure_price_update(void **state)
{
	(void)state;
	check_operation(&operations[25]);
	check_operation(&operations[26]);
}

static void test_alloc_failure_price_list(void **state)
{
	(void)state;
	check_operation(&operations[27]);
}

static void test_alloc_failure_payment_intent_create_confirm(void **state)
{
	(void)state;
	check_operation(operation_named("payment_intent_create_confirm"));
}

static void test_alloc_failure_payment_intent_create_confirm_decline(void **state)
{
	(void)state;
	check_operation(operation_named("payment_intent_create_confirm_decline"));
}

static void test_alloc_failure_payment_intent_create_3ds(void **state)
{
	(void)state;
	check_operation(operation_named("payment_intent_create_3ds"));
}

static void test_alloc_failure_payment_intent_confirm(void **state)
{
	(void)state;
	check_operation(operation_named("payment_intent_confirm"));
	check_operation(operation_named("payment_intent_confirm_decline"));
}

static void test_alloc_failure_payment_intent_authenticate(void **state)
{
	(void)state;
	check_operation(operation_named("payment_intent_authenticate"));
	check_operation(operation_named("payment_intent_authenticate_fail"));
}

static void test_alloc_failure_payment_intent_capture(void **state)
{
	(void)state;
	check_operation(operation_named("payment_intent_capture_partial"));
}

static void test_alloc_failure_payment_intent_cancel(void **state)
{
	(void)state;
	check_operation(operation_named("payment_intent_cancel_authorized"));
}

static void test_alloc_failure_refund_create(void **state)
{
	(void)state;
	check_operation(operation_named("refund_create"));
	check_operation(operation_named("refund_by_payment_intent"));
}

static void test_alloc_failure_subscription_create(void **state)
{
	(void)state;
	check_operation(operation_named("subscription_create"));
	check_operation(operation_named("subscription_create_trial"));
	check_operation(operation_named("subscription_create_trial_notice"));
	check_operation(operation_named("subscription_create_incomplete"));
}

static void test_alloc_failure_subscription_retrieve_list(void **state)
{
	(void)state;
	check_operation(operation_named("subscription_retrieve"));
	check_operation(operation_named("subscription_list"));
}

static void test_alloc_failure_subscription_update(void **state)
{
	(void)state;
	check_operation(operation_named("subscription_update"));
	check_operation(operation_named("subscription_update_always_invoice"));
	check_operation(operation_named("subscription_update_end_trial"));
	check_operation(operation_named("subscription_update_pause"));
}

static void test_alloc_failure_subscription_cancel(void **state)
{
	(void)state;
	check_operation(operation_named("subscription_cancel"));
	check_operation(operation_named("subscription_cancel_trial"));
}

static void test_alloc_failure_subscription_resume(void **state)
{
	(void)state;
	check_operation(operation_named("subscription_resume"));
}

static void test_alloc_failure_subscription_item(void **state)
{
	(void)state;
	check_operation(operation_named("subscription_item_create"));
	check_operation(operation_named("subscription_item_create_price_data"));
	check_operation(operation_named("subscription_item_update"));
	check_operation(operation_named("subscription_item_delete"));
	check_operation(operation_named("subscription_item_list"));
}

static void test_alloc_failure_usage_record_create(void **state)
{
	(void)state;
	check_operation(operation_named("usage_record_create"));
}

static void test_alloc_failure_invoice_create_update(void **state)
{
	(void)state;
	check_operation(operation_named("invoice_create"));
	check_operation(operation_named("invoice_retrieve"));
	check_operation(operation_named("invoice_update"));
}

static void test_alloc_failure_invoice_finalize(void **state)
{
	(void)state;
	check_operation(operation_named("invoice_finalize"));
}

static void test_alloc_failure_invoice_pay(void **state)
{
	(void)state;
	check_operation(operation_named("invoice_pay"));
	check_operation(operation_named("invoice_pay_decline"));
	check_operation(operation_named("invoice_pay_out_of_band"));
}

static void test_alloc_failure_invoice_void_uncollectible_send(void **state)
{
	(void)state;
	check_operation(operation_named("invoice_void"));
	check_operation(operation_named("invoice_mark_uncollectible"));
	check_operation(operation_named("invoice_send"));
}

static void test_alloc_failure_invoice_delete(void **state)
{
	(void)state;
	check_operation(operation_named("invoice_delete"));
}

static void test_alloc_failure_invoice_list_upcoming(void **state)
{
	(void)state;
	check_operation(operation_named("invoice_list"));
	check_operation(operation_named("invoice_upcoming"));
}

static void test_alloc_failure_invoice_item(void **state)
{
	(void)state;
	check_operation(operation_named("invoice_item_create"));
	check_operation(operation_named("invoice_item_create_on_draft"));
	check_operation(operation_named("invoice_item_update"));
	check_operation(operation_named("invoice_item_delete"));
	check_operation(operation_named("invoice_item_delete_on_draft"));
	check_operation(operation_named("invoice_item_list"));
}

/* ---- processor_new ----------------------------------------------------------------- */

static void test_alloc_failure_processor_new(void **state)
{
	(void)state;
	unsigned long enomem = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		test_alloc a = { 0, n, 0 };
		fake_processor_options o = test_alloc_options(&a);
		o.block_size = 256;
		fake_processor *p = (fake_processor *)&a; /* not NULL: must be cleared */
		int rc = fake_processor_new(&p, &o);
		if (rc == 0) {
			assert_non_null(p);
			done = a.calls < n;
			/* the new processor works */
			a.fail_at = 0;
			const fake_customer *c = NULL;
			check_ok(p, fake_customer_create(&c, p, NULL, NULL));
			assert_string_equal(fake_customer_id(c), "cus_fake_00001");
			fake_processor_free(p);
		} else {
			assert_int_equal(rc, FAKE_ENOMEM);
			assert_null(p);
			enomem++;
		}
		assert_int_equal(a.live, 0);
	}
	assert_true(done);
	assert_true(enomem > 0);
}

/* ---- clock advance with callbacks that create customers -------------------------- */

typedef struct tick_ctx {
	fx *f;
	int k;
} tick_ctx;

static void create_on_tick(fake_processor *p, int64_t at, void *user_data)
{
	tick_ctx *t = user_data;
	fx *f = t->f;
	f->tick_ran[t->k]++;
	f->tick_due[t->k] = at;
	fake_kv meta[] = { { "source", "cron" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "cron@example.com";
	cp.metadata = meta;
	cp.metadata_count = 1;
	cp.payment_method = "pm_card_visa";
	const fake_customer *c = (const fake_customer *)&sentinel;
	f->tick_rc[t->k] = fake_customer_create(&c, p, &cp, NULL);
	if (f->tick_rc[t->k] != 0 && c != NULL)
		f->tick_rc[t->k] = -1000; /* *out not cleared: reported by the test */
}

static void test_alloc_failure_clock_advance(void **state)
{
	(void)state;
	unsigned long exercised = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		fx f;
		prepare(&f, true);
		fake_processor *p = f.p;
		int64_t start = fake_clock_now(p);
		size_t events_before = fake_event_count(p);
		tick_ctx t[TICKS];
		for (int k = 0; k < TICKS; k++) {
			t[k] = (tick_ctx){ &f, k };
			f.tick_rc[k] = -2000;
			check_ok(p, fake_clock_schedule(p, start + 10 * (k + 1), create_on_tick, &t[k]));
		}
		arm(&f, n);
		int rc = fake_clock_advance(p, 100);
		bool reached = failure_reached(&f);
		disarm(&f);

		/* the callbacks that ran, in order; a callback whose own create ran
		 * out of memory got FAKE_ENOMEM and created nothing */
		int ran = 0, created = 0;
		for (int k = 0; k < TICKS; k++) {
			assert_true(f.tick_ran[k] <= 1);
			if (!f.tick_ran[k])
				continue;
			assert_int_equal(k, ran); /* no callback ran before an earlier one */
			ran++;
			assert_int_equal(f.tick_due[k], start + 10 * (k + 1));
			if (f.tick_rc[k] == 0)
				created++;
			else if (f.tick_rc[k] == FAKE_ENOMEM)
				exercised++;
			else {
				print_error("allocation %lu failing: callback %d's create returned %s\n", n, k,
					    fake_status_name(f.tick_rc[k]));
				fail();
			}
		}
		if (rc == 0) {
			assert_int_equal(ran, TICKS);
			assert_int_equal(fake_clock_now(p), start + 100);
			assert_int_equal(fake_clock_pending(p), 0);
		} else {
			/* the clock stops at the due time of the work that failed,
			 * which is still due; the work before it has completed */
			if (rc != FAKE_ENOMEM) {
				print_error("allocation %lu failing: advance returned %s\n", n, fake_status_name(rc));
				fail();
			}
			exercised++;
			assert_int_equal(fake_error_last(p)->status, FAKE_ENOMEM);
			assert_true(fake_clock_now(p) >= start + 10 && fake_clock_now(p) <= start + 10 * TICKS);
			assert_true(fake_clock_pending(p) >= 1);
			assert_int_equal(fake_clock_pending(p) + (size_t)ran, TICKS);
		}

		/* what the callbacks created, and nothing else */
		assert_int_equal(fake_event_count(p), events_before + 2 * (size_t)created);
		fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
		fake_list page;
		check_ok(p, fake_customer_list(&page, p, &lp, NULL));
		assert_int_equal(page.count, 3 + (size_t)created); /* 4 prepared, 1 deleted */
		int seen = 0;
		for (int k = TICKS - 1; k >= 0; k--) {
			if (f.tick_rc[k] != 0 || !f.tick_ran[k])
				continue;
			const fake_customer *c = page.data[seen];
			char want[32];
			snprintf(want, sizeof(want), "cus_fake_%05d", 4 + created - seen);
			assert_string_equal(fake_customer_id(c), want);
			assert_int_equal(fake_customer_created(c), f.tick_due[k]);
			assert_string_equal(fake_metadata_get(fake_customer_metadata(c), "source"), "cron");
			fake_payment_method_list_params pl = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
			pl.customer = want;
			fake_list pms;
			check_ok(p, fake_payment_method_list(&pms, p, &pl, NULL));
			assert_int_equal(pms.count, 1);
			seen++;
		}
		/* the next ids follow without a gap */
		const fake_customer *c = NULL;
		check_ok(p, fake_customer_create(&c, p, NULL, NULL));
		char want[32];
		snprintf(want, sizeof(want), "cus_fake_%05d", 5 + created);
		assert_string_equal(fake_customer_id(c), want);
		fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
		pp.card_number = "4242424242424242";
		const fake_payment_method *pm = NULL;
		check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
		snprintf(want, sizeof(want), "pm_fake_%05d", 4 + created);
		assert_string_equal(fake_payment_method_id(pm), want);

		/* work still due runs on the next advance */
		if (rc != 0) {
			check_ok(p, fake_clock_advance_to(p, start + 100));
			for (int k = 0; k < TICKS; k++)
				assert_int_equal(f.tick_ran[k], 1);
		}
		done = rc == 0 && created == TICKS && !reached;
		finish(&f);
	}
	assert_true(done);
	assert_true(exercised > 0);
}

/* ---- clock advance running billing work ---------------------------------------- */

/* Records every event delivered, one line each: id, type, time, object. */
static void record_event(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	text_add(user_data, "%s %s %" PRId64 " %s\n", fake_event_id(e), fake_event_type(e), fake_event_created(e),
		 str_or(fake_object_id(fake_event_object(e))));
}

/* The created time of the event on line `line` of a transcript (0-based), or -1. */
static int64_t transcript_time(const text *t, size_t line)
{
	const char *s = t->s;
	for (size_t i = 0; s && i < line; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s || !*s)
		return -1;
	const char *time = strchr(strchr(s, ' ') + 1, ' ') + 1;
	return strtoll(time, NULL, 10);
}

static size_t transcript_lines(const text *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->len; i++)
		n += t->s[i] == '\n';
	return n;
}

/* prepare_billing(), then sub_fake_00005: cus_fake_00001, a 10-day trial,
 * its default pm_fake_00004 (pm_card_chargeCustomerFail, attached); and
 * sub_fake_00006: cus_fake_00004, no trial and no payment method:
 * incomplete. */
static void prepare_advance_billing(fx *f)
{
	prepare(f, true);
	prepare_billing(f);
	fake_processor *p = f->p;
	const fake_payment_method *pm = NULL;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_chargeCustomerFail", &ap, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00004");
	const fake_subscription *sub = NULL;
	fake_subscription_item_params it = item_on("price_fake_00005", 2);
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = "cus_fake_00001";
	sc.items = &it;
	sc.item_count = 1;
	sc.trial_period_days = 10;
	sc.default_payment_method = "pm_fake_00004";
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00005");
	fake_subscription_create_params ic = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00004";
	ic.items = &it;
	ic.item_count = 1;
	check_ok(p, fake_subscription_create(&sub, p, &ic, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "incomplete");
	fill_timeline(f);
}

/*
 * The billing state plus two subscriptions (prepare_advance_billing())
 * advanced 70 days: sub_fake_00002's trial_will_end and trial end (an
 * invoice finalized an hour later, collected without a payment method:
 * dunning, retries, canceled), sub_fake_00005's trial end with a card that
 * declines (failed charges on every retry), sub_fake_00006 expiring
 * incomplete, sub_fake_00001's two renewals with usage billed in arrears,
 * the trial ends and renewals charged automatically announced by
 * invoice.upcoming three days before (a preview built and undone inside
 * the job),
 * in_fake_00004 overdue and sub_fake_00004 past due. With allocation N failing, the advance must
 * stop with FAKE_ENOMEM at the due time of the job that failed, that job
 * undone and still due and every job before it complete (the events
 * delivered so far are exactly the first events of a run that never
 * failed, none after the clock); advancing again must then end exactly
 * as that run did.
 */
static void test_alloc_failure_clock_advance_billing(void **state)
{
	(void)state;
	const int64_t span = 70 * 86400;

	fx ref;
	prepare_advance_billing(&ref);
	text ref_events = { NULL, 0, 0 };
	check_ok(ref.p, fake_event_subscribe(ref.p, record_event, &ref_events));
	int64_t end = fake_clock_now(ref.p) + span;
	check_ok(ref.p, fake_clock_advance_to(ref.p, end));
	check_ok(ref.p, fake_event_unsubscribe(ref.p, record_event, &ref_events));
	size_t ref_count = transcript_lines(&ref_events);
	assert_true(ref_count > 40);
	assert_non_null(strstr(ref_events.s, " invoice.upcoming "));
	text want = { NULL, 0, 0 };
	fingerprint(&ref, &want);
	finish(&ref);

	unsigned long enomem = 0, at_event = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		fx f;
		prepare_advance_billing(&f);
		fake_processor *p = f.p;
		text events = { NULL, 0, 0 };
		check_ok(p, fake_event_subscribe(p, record_event, &events));
		int64_t start = fake_clock_now(p);
		arm(&f, n);
		int rc = fake_clock_advance_to(p, end);
		bool reached = failure_reached(&f);
		disarm(&f);

		if (rc == 0) {
			assert_int_equal(fake_clock_now(p), end);
			done = !reached;
		} else {
			if (rc != FAKE_ENOMEM) {
				print_error("allocation %lu failing: the advance returned %s\n", n, fake_status_name(rc));
				fail();
			}
			enomem++;
			assert_int_equal(fake_error_last(p)->status, FAKE_ENOMEM);
			int64_t now = fake_clock_now(p);
			assert_true(now >= start && now <= end);
			assert_true(fake_clock_pending(p) >= 1);
			/* everything before the failed job, and nothing after it */
			size_t got = transcript_lines(&events);
			if (got >= ref_count || strncmp(events.s ? events.s : "", ref_events.s, events.len) != 0) {
				print_error("allocation %lu failing: the events so far are not the start of a complete "
					    "run's\n",
					    n);
				print_difference(ref_events.s, events.s);
				fail();
			}
			for (size_t i = 0; i < got; i++)
				assert_true(transcript_time(&events, i) <= now);
			/* the next event of the complete run is the failed job's (or a later one's) */
			int64_t next = transcript_time(&ref_events, got);
			if (next < now) {
				print_error("allocation %lu failing: the clock stopped at %" PRId64
					    ", after the next event due (%" PRId64 ")\n",
					    n, now, next);
				fail();
			}
			at_event += next == now;
			/* a second advance resumes the failed job */
			check_ok(p, fake_clock_advance_to(p, end));
		}
		check_ok(p, fake_event_unsubscribe(p, record_event, &events));
		if (strcmp(events.s, ref_events.s) != 0) {
			print_error("allocation %lu failing: the events differ from a complete run's\n", n);
			print_difference(ref_events.s, events.s);
			fail();
		}
		text got = { NULL, 0, 0 };
		fingerprint(&f, &got);
		if (strcmp(got.s, want.s) != 0) {
			print_error("allocation %lu failing: the processor is not as a complete advance leaves it\n", n);
			print_difference(want.s, got.s);
			fail();
		}
		text_free(&got);
		finish(&f);
		text_free(&events);
	}
	assert_true(done);
	assert_true(enomem > 0);
	/* most failures hit a job that records events, at its due time */
	assert_true(at_event > enomem / 2);
	text_free(&want);
	text_free(&ref_events);
}

/* ---- snapshots: save and load ------------------------------------------------------ */

/* The processor's snapshot, taken with the allocator disarmed, in memory
 * from malloc. */
static char *snapshot_of(fx *f, unsigned int flags)
{
	disarm(f);
	char *s = NULL;
	check_ok(f->p, fake_processor_save_string(&s, f->p, flags));
	size_t len = strlen(s) + 1;
	char *copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, s, len);
	fake_json_free(f->p, s);
	return copy;
}

/* The billing state advanced 20 days (renewals, dunning, a paused trial),
 * with the timeline full of callbacks, which a snapshot leaves out. */
static void prepare_snapshot_source(fx *f)
{
	prepare_advance_billing(f);
	check_ok(f->p, fake_clock_advance(f->p, 20 * 86400));
	assert_true(fake_clock_pending(f->p) > 0);
}

static void same_snapshot(const char *want, const char *got, const char *what, unsigned long n)
{
	if (strcmp(want, got) != 0) {
		print_error("allocation %lu failing: %s\n", n, what);
		print_difference(want, got);
		fail();
	}
}

/*
 * Saving only reads: with allocation N failing it returns FAKE_ENOMEM
 * (and no string) or the whole snapshot, and the processor saves the same
 * bytes afterwards. (jansson allocates with libc; what goes through the
 * instance allocator is the timeline's copy and the string returned.)
 */
static void test_alloc_failure_snapshot_save(void **state)
{
	(void)state;
	for (unsigned int flags = 0; flags <= FAKE_JSON_PRETTY; flags++) {
		fx f;
		prepare_snapshot_source(&f);
		char *want = snapshot_of(&f, flags);
		unsigned long enomem = 0;
		bool done = false;
		for (unsigned long n = 1; n <= N_MAX && !done; n++) {
			char poison = 0;
			char *got = &poison;
			arm(&f, n);
			int rc = fake_processor_save_string(&got, f.p, flags);
			bool reached = failure_reached(&f);
			disarm(&f);
			if (rc == 0) {
				same_snapshot(want, got, "the snapshot differs", n);
				fake_json_free(f.p, got);
				done = !reached;
			} else {
				if (rc != FAKE_ENOMEM) {
					print_error("allocation %lu failing: save returned %s\n", n, fake_status_name(rc));
					fail();
				}
				enomem++;
				assert_null(got);
				assert_int_equal(fake_error_last(f.p)->status, FAKE_ENOMEM);
			}
			char *after = snapshot_of(&f, flags);
			same_snapshot(want, after, "the processor changed", n);
			free(after);
		}
		assert_true(done);
		print_message("# save: %lu failure points\n", enomem);
		assert_true(enomem >= 2);
		free(want);
		finish(&f);
	}
}

/*
 * Loading builds the new state aside: with allocation N failing it returns
 * FAKE_ENOMEM and the processor is exactly as before (its snapshot and
 * everything a user sees, then the probe), or it has loaded the snapshot
 * whole. Either way nothing leaks, and the subscriber, which is not state,
 * stays.
 */
static void test_alloc_failure_snapshot_load(void **state)
{
	(void)state;
	fx src;
	prepare_snapshot_source(&src);
	char *snap = snapshot_of(&src, 0);
	size_t len = strlen(snap);
	finish(&src);

	/* the state a failed load must leave, and what a complete one gives */
	fx ref;
	prepare(&ref, true);
	prepare_payments(&ref);
	char *before = snapshot_of(&ref, 0);
	text want = { NULL, 0, 0 };
	fingerprint(&ref, &want);
	finish(&ref);
	fx whole;
	prepare(&whole, true);
	prepare_payments(&whole);
	check_ok(whole.p, fake_processor_load_string(whole.p, snap, len));
	whole.sub_calls = 0;
	text loaded = { NULL, 0, 0 };
	fingerprint(&whole, &loaded);
	finish(&whole);

	unsigned long enomem = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		fx f;
		prepare(&f, true);
		prepare_payments(&f);
		int calls = f.sub_calls;
		arm(&f, n);
		int rc = fake_processor_load_string(f.p, snap, len);
		bool reached = failure_reached(&f);
		disarm(&f);
		text got = { NULL, 0, 0 };
		if (rc == 0) {
			char *after = snapshot_of(&f, 0);
			same_snapshot(snap, after, "the loaded processor does not save the snapshot", n);
			free(after);
			assert_int_equal(f.sub_calls, calls); /* restored events are not delivered again */
			f.sub_calls = 0;
			fingerprint(&f, &got);
			if (strcmp(got.s, loaded.s) != 0) {
				print_error("allocation %lu failing: the load succeeded, but not as a complete one\n", n);
				print_difference(loaded.s, got.s);
				fail();
			}
			done = !reached;
		} else {
			if (rc != FAKE_ENOMEM) {
				print_error("allocation %lu failing: load returned %s (%s)\n", n, fake_status_name(rc),
					    fake_error_last(f.p)->message);
				fail();
			}
			enomem++;
			assert_int_equal(fake_error_last(f.p)->status, FAKE_ENOMEM);
			char *after = snapshot_of(&f, 0);
			same_snapshot(before, after, "the processor changed", n);
			free(after);
			/* the full fingerprint (and its probe) for some failure points:
			 * it is slow, and the snapshot already holds the whole state */
			if (n % 16 == 1) {
				fingerprint(&f, &got);
				if (strcmp(got.s, want.s) != 0) {
					print_error("allocation %lu failing: the processor is not as it was\n", n);
					print_difference(want.s, got.s);
					fail();
				}
			} else {
				const fake_customer *c = NULL;
				check_ok(f.p, fake_customer_create(&c, f.p, NULL, NULL));
				assert_string_equal(fake_customer_id(c), "cus_fake_00005");
				assert_int_equal(f.sub_calls, calls + 1);
			}
		}
		text_free(&got);
		finish(&f);
	}
	assert_true(done);
	print_message("# load: %lu failure points\n", enomem);
	assert_true(enomem > 10);
	free(snap);
	free(before);
	text_free(&want);
	text_free(&loaded);
}

/* ---- test clocks ----------------------------------------------------------------------- */

/*
 * Every test clock operation and helper, with allocation N failing for
 * every N until it succeeds. What must not change is the processor's saved
 * state (fake_processor_save_string()), taken with the allocator disarmed
 * and with request numbers blanked: every call counts a request, a failed
 * one too, so a call retried after a failure gives its events a later
 * request id. Then the call (or, for an advance that had started, the
 * retrieval that resumes it, as fake/test_clock.h documents) must succeed
 * and leave the processor exactly as a run that never failed.
 *
 * A clock's advance runs billing work one piece at a time, each in its own
 * transaction: one that stops at a piece that could not allocate leaves
 * the clock advancing at its old frozen_time, the work before that piece
 * done, and the next retrieval resumes it (CLOCK_RESUMABLE). Deletes made
 * by cleanup helpers are counted, not returned, when they fail: the clocks
 * whose delete failed must then be exactly as they were (CLOCK_DELETES).
 */

/* The state the world is prepared in. */
typedef struct clock_fx {
	fx f;
	const fake_test_clock *clock1; /* "billing": customers, a trial */
	const fake_test_clock *clock2; /* "spare" */
	fake_test_clock_owner *owner;  /* for the owner operations */
	size_t failed;                 /* deletes the helper under test counted as failed */
} clock_fx;

/* The processor's saved state, from malloc, with request numbers blanked. */
static char *clock_state(clock_fx *cf)
{
	char *raw = snapshot_of(&cf->f, FAKE_JSON_PRETTY); /* pretty: a difference shows by line */
	size_t len = strlen(raw);
	char *s = malloc(len + 1);
	assert_non_null(s);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		static const char key[] = "\"requests\": ";
		static const char rid[] = "req_fake_";
		size_t skip = 0;
		if (strncmp(raw + i, key, sizeof key - 1) == 0)
			skip = sizeof key - 1;
		else if (strncmp(raw + i, rid, sizeof rid - 1) == 0)
			skip = sizeof rid - 1;
		if (skip) {
			memcpy(s + o, raw + i, skip);
			o += skip;
			i += skip;
			while (raw[i] >= '0' && raw[i] <= '9')
				i++;
			s[o++] = '#';
			continue;
		}
		s[o++] = raw[i++];
	}
	s[o] = '\0';
	free(raw);
	return s;
}

static void same_clock_state(const char *want, const char *got, const char *name, unsigned long n, const char *what)
{
	if (strcmp(want, got) != 0) {
		print_error("%s, allocation %lu failing: %s\n", name, n, what);
		print_difference(want, got);
		fail();
	}
}

static const fake_test_clock *clock_make(fake_processor *p, int64_t frozen_time, const char *name)
{
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = frozen_time;
	cp.name = name;
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_create(&c, p, &cp, NULL));
	return c;
}

static const fake_customer *clock_customer(fake_processor *p, const char *clock, const char *token)
{
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.email = "clock@example.com";
	cc.payment_method = token;
	cc.default_payment_method = token;
	cc.test_clock = clock;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, &cc, NULL));
	return c;
}

static void clock_subscribe(fake_processor *p, const fake_customer *c, const char *price, unsigned int trial_days)
{
	fake_subscription_item_params it = item_on(price, 0);
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = fake_customer_id(c);
	sc.items = &it;
	sc.item_count = 1;
	sc.trial_period_days = trial_days;
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
}

#define CLOCK_T0 (FAKE_EPOCH_DEFAULT - 30 * INT64_C(86400)) /* clock 1's frozen_time: 2025-12-02 */

/*
 * The test clock world, the same every time (advances complete at the
 * `polls`th retrieval):
 *   price_fake_00001 monthly 1000 (product_fake_00001)
 *   clock_fake_00001 "billing" at CLOCK_T0: cus_fake_00001 (pm_card_visa,
 *                    a 10-day trial), cus_fake_00002 (a pending invoice item)
 *   clock_fake_00002 "spare" at the epoch, nothing on it
 *   clock_fake_00003 deleted
 *   cus_fake_00003   on no clock, pm_card_visa, a monthly subscription
 *   the processor clock at epoch + 100, a subscriber; then `extra`, and
 *   the processor's timeline filled (fill_timeline())
 */
static void prepare_clocks(clock_fx *cf, unsigned int polls, void (*extra)(clock_fx *cf))
{
	memset(cf, 0, sizeof(*cf));
	fx *f = &cf->f;
	fake_processor_options o = fx_options(f);
	o.test_clocks.ready_after_retrievals = polls;
	assert_int_equal(fake_processor_new(&f->p, &o), 0);
	fake_processor *p = f->p;
	check_ok(p, fake_event_subscribe(p, on_event, f));
	check_ok(p, fake_clock_advance(p, 100));
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.currency = "usd";
	pc.unit_amount = 1000;
	pc.product_name = "Clocked";
	pc.interval = FAKE_INTERVAL_MONTH;
	const fake_price *price = NULL;
	check_ok(p, fake_price_create(&price, p, &pc, NULL));

	cf->clock1 = clock_make(p, CLOCK_T0, "billing");
	clock_subscribe(p, clock_customer(p, "clock_fake_00001", "pm_card_visa"), fake_price_id(price), 10);
	const fake_customer *c2 = clock_customer(p, "clock_fake_00001", NULL);
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = fake_customer_id(c2);
	ic.amount = 250;
	ic.currency = "usd";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	cf->clock2 = clock_make(p, FAKE_EPOCH_DEFAULT, "spare");
	clock_make(p, CLOCK_T0, "gone");
	const fake_test_clock *gone = NULL;
	check_ok(p, fake_test_clock_delete(&gone, p, "clock_fake_00003", NULL));
	clock_subscribe(p, clock_customer(p, NULL, "pm_card_visa"), fake_price_id(price), 0);
	if (extra)
		extra(cf);
	assert_int_equal(fake_error_last(p)->status, 0);
	fill_timeline(f);
}

static void clock_finish(clock_fx *cf)
{
	if (cf->owner)
		fake_test_clock_owner_cleanup(cf->owner);
	cf->owner = NULL;
	finish(&cf->f);
}

/* Preparations: clock 1 advancing 20 days (its trial ends on the way), polled once. */
static void advancing_polled_once(clock_fx *cf)
{
	fake_processor *p = cf->f.p;
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_advance(&c, p, "clock_fake_00001", CLOCK_T0 + 20 * INT64_C(86400), NULL));
	check_ok(p, fake_test_clock_retrieve(&c, p, "clock_fake_00001", NULL));
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_ADVANCING);
}

static void with_owner(clock_fx *cf)
{
	check_ok(cf->f.p, fake_test_clock_owner_new(&cf->owner, cf->f.p));
}

static void with_owner_of_both(clock_fx *cf)
{
	with_owner(cf);
	check_ok(cf->f.p, fake_test_clock_owner_register(cf->owner, "clock_fake_00001"));
	check_ok(cf->f.p, fake_test_clock_owner_register(cf->owner, "clock_fake_00002"));
}

/* Each operation sets *out_ok when its out is as it must be: set on
 * success, NULL / empty on failure. */
static int cop_create(clock_fx *cf, bool *out_ok)
{
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = CLOCK_T0;
	cp.name = "created under fault injection";
	const fake_test_clock *c = (const fake_test_clock *)(const void *)&sentinel;
	int rc = fake_test_clock_create(&c, cf->f.p, &cp, NULL);
	*out_ok = rc ? c == NULL : c != NULL && (const void *)c != (const void *)&sentinel;
	return rc;
}

static int cop_retrieve(clock_fx *cf, bool *out_ok)
{
	const fake_test_clock *c = (const fake_test_clock *)(const void *)&sentinel;
	int rc = fake_test_clock_retrieve(&c, cf->f.p, "clock_fake_00001", NULL);
	*out_ok = rc ? c == NULL : c == cf->clock1;
	return rc;
}

static int cop_list(clock_fx *cf, bool *out_ok)
{
	fake_test_clock_list_params lp = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	lp.page.limit = 1;
	fake_list page;
	memset(&page, 0, sizeof(page));
	page.count = 3;
	int rc = fake_test_clock_list(&page, cf->f.p, &lp, NULL);
	*out_ok = rc ? page.count == 0 && !page.has_more : page.count == 1 && page.has_more;
	return rc;
}

static int cop_delete(clock_fx *cf, bool *out_ok)
{
	const fake_test_clock *c = (const fake_test_clock *)(const void *)&sentinel;
	int rc = fake_test_clock_delete(&c, cf->f.p, "clock_fake_00001", NULL);
	*out_ok = rc ? c == NULL && !fake_test_clock_deleted(cf->clock1) : c == cf->clock1 && fake_test_clock_deleted(c);
	return rc;
}

static int cop_advance(clock_fx *cf, bool *out_ok)
{
	const fake_test_clock *c = (const fake_test_clock *)(const void *)&sentinel;
	int rc = fake_test_clock_advance(&c, cf->f.p, "clock_fake_00001", CLOCK_T0 + 45 * INT64_C(86400), NULL);
	*out_ok = rc ? c == NULL : c == cf->clock1;
	return rc;
}

static int64_t max_jitter(int64_t max, void *user_data)
{
	(void)user_data;
	return max;
}

static int cop_advance_and_wait(clock_fx *cf, bool *out_ok)
{
	fake_test_clock_wait_options o = FAKE_TEST_CLOCK_WAIT_OPTIONS_INIT;
	o.jitter = max_jitter; /* the processor's PRNG is state: leave it alone */
	fake_test_clock_wait_result r;
	const fake_test_clock *c = (const fake_test_clock *)(const void *)&sentinel;
	int rc = fake_test_clock_advance_and_wait(&c, cf->f.p, "clock_fake_00001", CLOCK_T0 + 45 * INT64_C(86400), &o,
						  &r);
	*out_ok = rc ? c == NULL : c == cf->clock1 && fake_test_clock_status_of(c) == FAKE_TEST_CLOCK_READY &&
					   r.attempts == 2;
	return rc;
}

static int cop_cleanup(clock_fx *cf, bool *out_ok, bool del)
{
	fake_test_clock_cleanup_params cp = FAKE_TEST_CLOCK_CLEANUP_PARAMS_INIT;
	cp.older_than = 0;
	cp.delete_matches = del;
	fake_test_clock_cleanup_result r;
	int rc = fake_test_clock_cleanup(&r, cf->f.p, &cp);
	if (rc)
		*out_ok = true; /* disposed of below either way; what it holds is checked on success */
	else
		*out_ok = r.total_matched == 2 && r.candidates[0] == cf->clock2 && r.candidates[1] == cf->clock1 &&
			  r.deleted + r.failed == (del ? 2u : 0u);
	cf->failed = rc ? 0 : r.failed;
	fake_test_clock_cleanup_result_dispose(cf->f.p, &r);
	return rc;
}

static int cop_cleanup_list(clock_fx *cf, bool *out_ok)
{
	return cop_cleanup(cf, out_ok, false);
}

static int cop_cleanup_delete(clock_fx *cf, bool *out_ok)
{
	return cop_cleanup(cf, out_ok, true);
}

static int cop_owner_new(clock_fx *cf, bool *out_ok)
{
	fake_test_clock_owner *owner = (fake_test_clock_owner *)(void *)&cf->failed;
	int rc = fake_test_clock_owner_new(&owner, cf->f.p);
	*out_ok = rc ? owner == NULL : owner != NULL && fake_test_clock_owner_count(owner) == 0;
	if (!rc)
		cf->owner = owner;
	return rc;
}

static int cop_owner_create(clock_fx *cf, bool *out_ok)
{
	const fake_test_clock *c = (const fake_test_clock *)(const void *)&sentinel;
	int rc = fake_test_clock_owner_create(&c, cf->owner, NULL);
	*out_ok = rc ? c == NULL && fake_test_clock_owner_count(cf->owner) == 0
		     : c != NULL && fake_test_clock_owner_count(cf->owner) == 1 &&
			       strcmp(fake_test_clock_owner_id(cf->owner, 0), fake_test_clock_id(c)) == 0;
	return rc;
}

static int cop_owner_register(clock_fx *cf, bool *out_ok)
{
	int rc = fake_test_clock_owner_register(cf->owner, "clock_fake_00002");
	*out_ok = fake_test_clock_owner_count(cf->owner) == (rc ? 0u : 1u);
	return rc;
}

static int cop_owner_cleanup(clock_fx *cf, bool *out_ok)
{
	cf->failed = fake_test_clock_owner_cleanup(cf->owner);
	cf->owner = NULL; /* freed, whatever failed */
	*out_ok = true;
	return 0;
}

enum clock_kind {
	CLOCK_UNCHANGED, /* FAKE_ENOMEM leaves everything as it was */
	CLOCK_RESUMABLE, /* ... or a started advance, which retrieval resumes */
	CLOCK_DELETES    /* deletes made by the helper fail and are counted */
};

typedef struct clock_operation {
	const char *name;
	unsigned int polls;               /* options.test_clocks.ready_after_retrievals */
	void (*extra)(clock_fx *cf);      /* more preparation */
	int (*run)(clock_fx *cf, bool *out_ok);
	enum clock_kind kind;
	bool may_need_no_memory;
} clock_operation;

static void prepare_clock_op(clock_fx *cf, const clock_operation *op)
{
	prepare_clocks(cf, op->polls, op->extra);
}

/* The state where the clocks the helper deleted (as now) were deleted by
 * hand in the order it deletes them, and the others were left alone. */
static char *state_with_deleted(const clock_operation *op, bool one, bool two)
{
	clock_fx r;
	prepare_clock_op(&r, op);
	const fake_test_clock *c = NULL;
	/* cleanup deletes newest first; the owner in registration order */
	const char *order[2] = { "clock_fake_00002", "clock_fake_00001" };
	bool gone[2] = { two, one };
	if (op->run == cop_owner_cleanup) {
		order[0] = "clock_fake_00001";
		order[1] = "clock_fake_00002";
		gone[0] = one;
		gone[1] = two;
	}
	for (int i = 0; i < 2; i++)
		if (gone[i])
			check_ok(r.f.p, fake_test_clock_delete(&c, r.f.p, order[i], NULL));
	char *s = clock_state(&r);
	clock_finish(&r);
	return s;
}

static void check_clock_operation(const clock_operation *op)
{
	clock_fx ref;
	prepare_clock_op(&ref, op);
	char *before = clock_state(&ref);
	clock_finish(&ref);
	clock_fx whole;
	prepare_clock_op(&whole, op);
	bool out_ok = false;
	int rc = op->run(&whole, &out_ok);
	if (rc != 0 || !out_ok) {
		print_error("%s without failures: returned %s (%s)%s\n", op->name, fake_status_name(rc),
			    fake_error_last(whole.f.p)->message, out_ok ? "" : ", its out is wrong");
		fail();
	}
	assert_int_equal(whole.failed, 0);
	char *complete = clock_state(&whole);
	clock_finish(&whole);

	unsigned long enomem = 0, resumed = 0, counted = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		clock_fx cf;
		prepare_clock_op(&cf, op);
		fake_processor *p = cf.f.p;
		int64_t frozen1 = fake_test_clock_frozen_time(cf.clock1);
		out_ok = false;
		arm(&cf.f, n);
		rc = op->run(&cf, &out_ok);
		bool reached = failure_reached(&cf.f);
		disarm(&cf.f);
		const fake_error err = *fake_error_last(p); /* (a save clears the record) */
		if (!out_ok) {
			print_error("%s, allocation %lu failing: returned %s, and its out is wrong\n", op->name, n,
				    fake_status_name(rc));
			fail();
		}
		char *now = clock_state(&cf);
		if (rc == 0 && cf.failed == 0) {
			/* a run the failure never reached is a complete, undisturbed run;
			 * one that it reached must have ended as one */
			done = !reached;
			same_clock_state(complete, now, op->name, n, "it succeeded, but not as a complete run");
		} else if (rc == 0) {
			/* CLOCK_DELETES: the deletes that failed changed nothing */
			assert_int_equal(op->kind, CLOCK_DELETES);
			counted++;
			char *want = state_with_deleted(op, fake_test_clock_deleted(cf.clock1),
							fake_test_clock_deleted(cf.clock2));
			same_clock_state(want, now, op->name, n, "a delete counted as failed changed the processor");
			free(want);
		} else {
			if (rc != FAKE_ENOMEM) {
				print_error("%s, allocation %lu failing: returned %s (%s), not FAKE_ENOMEM\n", op->name, n,
					    fake_status_name(rc), err.message);
				fail();
			}
			enomem++;
			assert_int_equal(err.status, FAKE_ENOMEM);
			assert_string_equal(err.type, "api_error");
			assert_true(err.message[0] != '\0');
			bool started = strcmp(now, before) != 0;
			if (started) {
				/* only a started advance may have changed anything: it is
				 * still advancing, at its old frozen_time */
				if (op->kind != CLOCK_RESUMABLE) {
					same_clock_state(before, now, op->name, n, "FAKE_ENOMEM, and the processor changed");
				}
				assert_int_equal(fake_test_clock_status_of(cf.clock1), FAKE_TEST_CLOCK_ADVANCING);
				assert_int_equal(fake_test_clock_frozen_time(cf.clock1), frozen1);
				resumed++;
				for (int i = 0; i < 10 && fake_test_clock_status_of(cf.clock1) == FAKE_TEST_CLOCK_ADVANCING;
				     i++) {
					const fake_test_clock *c = NULL;
					check_ok(p, fake_test_clock_retrieve(&c, p, "clock_fake_00001", NULL));
				}
				assert_int_equal(fake_test_clock_status_of(cf.clock1), FAKE_TEST_CLOCK_READY);
			} else {
				/* nothing changed: the call now succeeds */
				out_ok = false;
				rc = op->run(&cf, &out_ok);
				if (rc != 0 || !out_ok) {
					print_error("%s after allocation %lu failed: the call again returned %s (%s)\n",
						    op->name, n, fake_status_name(rc), fake_error_last(p)->message);
					fail();
				}
			}
			char *after = clock_state(&cf);
			same_clock_state(complete, after, op->name, n,
					 started ? "resumed, it did not end as a complete run"
						 : "retried, it did not end as a complete run");
			free(after);
		}
		free(now);
		clock_finish(&cf);
	}
	assert_true(done);
	print_message("# %s: %lu failure points (%lu resumed, %lu counted deletes)\n", op->name, enomem + counted,
		      resumed, counted);
	if (op->kind == CLOCK_RESUMABLE)
		assert_true(resumed > 0);
	if (op->kind == CLOCK_DELETES)
		assert_true(counted > 0);
	if (enomem + counted == 0) {
		if (!op->may_need_no_memory) {
			print_error("%s never failed: no allocation point was exercised\n", op->name);
			fail();
		}
		clock_fx cf;
		prepare_clock_op(&cf, op);
		cf.f.fail_all = true;
		out_ok = false;
		rc = op->run(&cf, &out_ok);
		cf.f.fail_all = false;
		if (rc != 0 || !out_ok) {
			print_error("%s with every allocation refused: %s\n", op->name, fake_status_name(rc));
			fail();
		}
		clock_finish(&cf);
	}
	free(before);
	free(complete);
}

static const clock_operation clock_operations[] = {
	{ "test_clock_create", 0, NULL, cop_create, CLOCK_UNCHANGED, false },
	{ "test_clock_retrieve", 0, NULL, cop_retrieve, CLOCK_UNCHANGED, true },
	{ "test_clock_retrieve_polling", 3, advancing_polled_once, cop_retrieve, CLOCK_UNCHANGED, true },
	{ "test_clock_retrieve_completing", 2, advancing_polled_once, cop_retrieve, CLOCK_RESUMABLE, false },
	{ "test_clock_list", 0, NULL, cop_list, CLOCK_UNCHANGED, true },
	{ "test_clock_delete_cascade", 0, NULL, cop_delete, CLOCK_UNCHANGED, false },
	{ "test_clock_advance_start", 2, NULL, cop_advance, CLOCK_UNCHANGED, false },
	{ "test_clock_advance_billing", 0, NULL, cop_advance, CLOCK_RESUMABLE, false },
	{ "test_clock_advance_and_wait", 2, NULL, cop_advance_and_wait, CLOCK_RESUMABLE, false },
	{ "test_clock_cleanup_list", 0, NULL, cop_cleanup_list, CLOCK_UNCHANGED, false },
	{ "test_clock_cleanup_delete", 0, NULL, cop_cleanup_delete, CLOCK_DELETES, false },
	{ "test_clock_owner_new", 0, NULL, cop_owner_new, CLOCK_UNCHANGED, false },
	{ "test_clock_owner_create", 0, with_owner, cop_owner_create, CLOCK_UNCHANGED, false },
	{ "test_clock_owner_register", 0, with_owner, cop_owner_register, CLOCK_UNCHANGED, false },
	{ "test_clock_owner_cleanup", 0, with_owner_of_both, cop_owner_cleanup, CLOCK_DELETES, false },
};

static const clock_operation *clock_operation_named(const char *name)
{
	for (size_t i = 0; i < sizeof(clock_operations) / sizeof(clock_operations[0]); i++)
		if (strcmp(clock_operations[i].name, name) == 0)
			return &clock_operations[i];
	print_error("no test clock operation named %s\n", name);
	fail();
	return NULL;
}

static void test_alloc_failure_test_clock_create(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_create"));
}

static void test_alloc_failure_test_clock_retrieve(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_retrieve"));
	check_clock_operation(clock_operation_named("test_clock_retrieve_polling"));
	check_clock_operation(clock_operation_named("test_clock_retrieve_completing"));
}

static void test_alloc_failure_test_clock_list(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_list"));
}

static void test_alloc_failure_test_clock_delete_cascade(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_delete_cascade"));
}

static void test_alloc_failure_test_clock_advance(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_advance_start"));
	check_clock_operation(clock_operation_named("test_clock_advance_billing"));
}

static void test_alloc_failure_test_clock_advance_and_wait(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_advance_and_wait"));
}

static void test_alloc_failure_test_clock_cleanup(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_cleanup_list"));
	check_clock_operation(clock_operation_named("test_clock_cleanup_delete"));
}

static void test_alloc_failure_test_clock_owner(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_owner_new"));
	check_clock_operation(clock_operation_named("test_clock_owner_register"));
	check_clock_operation(clock_operation_named("test_clock_owner_cleanup"));
}

/* Separate: FAKE_ENOMEM from registering must leave the processor as it
 * was too (STYLE.md 4), not a clock created and deleted again. */
static void test_alloc_failure_test_clock_owner_create(void **state)
{
	(void)state;
	check_clock_operation(clock_operation_named("test_clock_owner_create"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_failure_processor_new),
		cmocka_unit_test(test_alloc_failure_customer_create),
		cmocka_unit_test(test_alloc_failure_customer_retrieve),
		cmocka_unit_test(test_alloc_failure_customer_update),
		cmocka_unit_test(test_alloc_failure_customer_delete),
		cmocka_unit_test(test_alloc_failure_customer_list),
		cmocka_unit_test(test_alloc_failure_set_default_payment_method),
		cmocka_unit_test(test_alloc_failure_payment_method_create),
		cmocka_unit_test(test_alloc_failure_payment_method_retrieve),
		cmocka_unit_test(test_alloc_failure_payment_method_update),
		cmocka_unit_test(test_alloc_failure_payment_method_attach),
		cmocka_unit_test(test_alloc_failure_payment_method_detach),
		cmocka_unit_test(test_alloc_failure_payment_method_list),
		cmocka_unit_test(test_alloc_failure_event_retrieve),
		cmocka_unit_test(test_alloc_failure_event_list),
		cmocka_unit_test(test_alloc_failure_event_subscribe),
		cmocka_unit_test(test_alloc_failure_script_push),
		cmocka_unit_test(test_alloc_failure_clock_schedule),
		cmocka_unit_test(test_alloc_failure_list_iterator),
		cmocka_unit_test(test_alloc_failure_product_create),
		cmocka_unit_test(test_alloc_failure_product_update),
		cmocka_unit_test(test_alloc_failure_product_list),
		cmocka_unit_test(test_alloc_failure_price_create),
		cmocka_unit_test(test_alloc_failure_price_update),
		cmocka_unit_test(test_alloc_failure_price_list),
		cmocka_unit_test(test_alloc_failure_clock_advance),
		cmocka_unit_test(test_alloc_failure_clock_advance_billing),
		cmocka_unit_test(test_alloc_failure_payment_intent_create_confirm),
		cmocka_unit_test(test_alloc_failure_payment_intent_create_confirm_decline),
		cmocka_unit_test(test_alloc_failure_payment_intent_create_3ds),
		cmocka_unit_test(test_alloc_failure_payment_intent_confirm),
		cmocka_unit_test(test_alloc_failure_payment_intent_authenticate),
		cmocka_unit_test(test_alloc_failure_payment_intent_capture),
		cmocka_unit_test(test_alloc_failure_payment_intent_cancel),
		cmocka_unit_test(test_alloc_failure_refund_create),
		cmocka_unit_test(test_alloc_failure_subscription_create),
		cmocka_unit_test(test_alloc_failure_subscription_retrieve_list),
		cmocka_unit_test(test_alloc_failure_subscription_update),
		cmocka_unit_test(test_alloc_failure_subscription_cancel),
		cmocka_unit_test(test_alloc_failure_subscription_resume),
		cmocka_unit_test(test_alloc_failure_subscription_item),
		cmocka_unit_test(test_alloc_failure_usage_record_create),
		cmocka_unit_test(test_alloc_failure_invoice_create_update),
		cmocka_unit_test(test_alloc_failure_invoice_finalize),
		cmocka_unit_test(test_alloc_failure_invoice_pay),
		cmocka_unit_test(test_alloc_failure_invoice_void_uncollectible_send),
		cmocka_unit_test(test_alloc_failure_invoice_delete),
		cmocka_unit_test(test_alloc_failure_invoice_list_upcoming),
		cmocka_unit_test(test_alloc_failure_invoice_item),
		cmocka_unit_test(test_alloc_failure_snapshot_save),
		cmocka_unit_test(test_alloc_failure_snapshot_load),
		cmocka_unit_test(test_alloc_failure_test_clock_create),
		cmocka_unit_test(test_alloc_failure_test_clock_retrieve),
		cmocka_unit_test(test_alloc_failure_test_clock_list),
		cmocka_unit_test(test_alloc_failure_test_clock_delete_cascade),
		cmocka_unit_test(test_alloc_failure_test_clock_advance),
		cmocka_unit_test(test_alloc_failure_test_clock_advance_and_wait),
		cmocka_unit_test(test_alloc_failure_test_clock_cleanup),
		cmocka_unit_test(test_alloc_failure_test_clock_owner),
		cmocka_unit_test(test_alloc_failure_test_clock_owner_create),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
