/*
 * Golden lifecycle tests of the billing timeline (fake/subscription.h,
 * fake/invoice.h, docs/billing.md): each test drives subscriptions through
 * time and checks the exact events of every step, in order and at their
 * times, and the objects' states after it (status, periods as exact unix
 * times, amounts, attempts, retry times).
 *
 * Golden times are literal unix seconds (UTC), with the date in a comment,
 * so that the calendar code under test is never used to check itself.
 */
#include "helpers.h"

#include <inttypes.h>
#include <jansson.h>

#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)

/* 2026-01-01T00:00:00Z, the default epoch. */
#define T_2026_01_01 INT64_C(1767225600)

/* ---- helpers --------------------------------------------------------------------------- */

/* Most tests make their own processors (with options): the fixture keeps
 * them, so that a failing test's processors are freed too. */
typedef struct held {
	fake_processor *p[4];
	size_t count;
} held;

static int held_setup(void **state)
{
	*state = calloc(1, sizeof(held));
	return *state ? 0 : -1;
}

static int held_teardown(void **state)
{
	held *h = *state;
	for (size_t i = 0; i < h->count; i++)
		fake_processor_free(h->p[i]);
	free(h);
	return 0;
}

/* A new processor (NULL options: the defaults), freed by the fixture. */
static fake_processor *proc_new(void **state, const fake_processor_options *o)
{
	held *h = *state;
	assert_true(h->count < sizeof h->p / sizeof h->p[0]);
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, o), 0);
	h->p[h->count++] = p;
	return p;
}

static fake_processor *proc_at(void **state, int64_t epoch)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.epoch = epoch;
	return proc_new(state, &o);
}

/* A customer whose invoice_settings default is a new card from `token`
 * (NULL: no card). */
static const fake_customer *customer_with(fake_processor *p, const char *token)
{
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.email = "jo@example.com";
	cc.payment_method = token;
	cc.default_payment_method = token;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, &cc, NULL));
	assert_non_null(c);
	if (token)
		assert_non_null(fake_customer_default_payment_method(c));
	return c;
}

/* A recurring usd price of `amount` with a new product `name`. */
static const fake_price *price_new(fake_processor *p, int64_t amount, fake_interval interval, unsigned int count,
				   const char *name)
{
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.currency = "usd";
	pc.unit_amount = amount;
	pc.product_name = name;
	pc.interval = interval;
	pc.interval_count = count;
	const fake_price *price = NULL;
	check_ok(p, fake_price_create(&price, p, &pc, NULL));
	assert_non_null(price);
	return price;
}

/* Create params for one item of `price` (quantity 0: 1) for `customer`;
 * `item` must outlive the params. */
static fake_subscription_create_params sub_params(const fake_customer *customer, fake_subscription_item_params *item,
						  const fake_price *price, int64_t quantity)
{
	fake_subscription_item_params it = { NULL, fake_price_id(price), NULL, quantity, false, NULL, 0 };
	*item = it;
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = fake_customer_id(customer);
	sc.items = item;
	sc.item_count = 1;
	return sc;
}

static const fake_subscription *sub_create(fake_processor *p, const fake_subscription_create_params *sc)
{
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, sc, NULL));
	assert_non_null(sub);
	return sub;
}

static const fake_subscription *sub_get(fake_processor *p, const char *id)
{
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_retrieve(&sub, p, id, NULL));
	assert_non_null(sub);
	return sub;
}

static const fake_invoice *inv_get(fake_processor *p, const char *id)
{
	assert_non_null(id);
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_retrieve(&inv, p, id, NULL));
	assert_non_null(inv);
	return inv;
}

static const fake_payment_intent *pi_get(fake_processor *p, const char *id)
{
	assert_non_null(id);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_retrieve(&pi, p, id, NULL));
	assert_non_null(pi);
	return pi;
}

/* The n-th event of the log (1-based), by its deterministic id. */
static const fake_event *event_at(fake_processor *p, size_t n)
{
	char id[32];
	const fake_event *e = NULL;
	snprintf(id, sizeof id, "evt_fake_%05zu", n);
	check_ok(p, fake_event_retrieve(&e, p, id, NULL));
	assert_non_null(e);
	return e;
}

/* The types of the events after the first `from`, joined with commas. */
static void log_types(fake_processor *p, size_t from, text *t)
{
	t->len = 0;
	text_add(t, "%s", "");
	size_t count = fake_event_count(p);
	for (size_t i = from + 1; i <= count; i++)
		text_add(t, "%s%s", i > from + 1 ? "," : "", fake_event_type(event_at(p, i)));
}

/* Asserts that the events since *mark are exactly `golden` (types joined
 * with commas, "" for none), each created at `at` (0: not checked), and
 * moves *mark past them. */
static void expect_events(fake_processor *p, size_t *mark, int64_t at, const char *golden)
{
	text t = { 0 };
	log_types(p, *mark, &t);
	if (strcmp(t.s, golden) != 0) {
		print_error("events since #%zu:\n  got      %s\n  expected %s\n", *mark, t.s, golden);
		text_free(&t);
		fail();
	}
	text_free(&t);
	size_t count = fake_event_count(p);
	for (size_t i = *mark + 1; at && i <= count; i++) {
		const fake_event *e = event_at(p, i);
		if (fake_event_created(e) != at) {
			print_error("event #%zu %s created at %" PRId64 ", expected %" PRId64 "\n", i, fake_event_type(e),
				    fake_event_created(e), at);
			fail();
		}
	}
	*mark = count;
}

/* The changed fields of an update event, joined with commas. */
static void expect_previous(const fake_event *e, const char *golden)
{
	text t = { 0 };
	text_add(&t, "%s", "");
	for (size_t i = 0; i < fake_event_previous_attribute_count(e); i++)
		text_add(&t, "%s%s", i ? "," : "", fake_event_previous_attribute(e, i));
	if (strcmp(t.s, golden) != 0) {
		print_error("%s previous_attributes: got %s, expected %s\n", fake_event_type(e), t.s, golden);
		text_free(&t);
		fail();
	}
	text_free(&t);
}

/* The last event of the log whose type is `type` (the test fails if none). */
static const fake_event *last_event(fake_processor *p, const char *type)
{
	for (size_t i = fake_event_count(p); i > 0; i--) {
		const fake_event *e = event_at(p, i);
		if (strcmp(fake_event_type(e), type) == 0)
			return e;
	}
	print_error("no %s event\n", type);
	fail();
	return NULL;
}

static void advance_to(fake_processor *p, int64_t t)
{
	check_ok(p, fake_clock_advance_to(p, t));
	assert_int_equal(fake_clock_now(p), t);
}

/* Advances to `t`, expecting nothing to happen on the way. */
static void quiet_until(fake_processor *p, size_t *mark, int64_t t)
{
	advance_to(p, t);
	expect_events(p, mark, 0, "");
}

static void expect_period(const fake_subscription *sub, int64_t start, int64_t end)
{
	assert_int_equal(fake_subscription_current_period_start(sub), start);
	assert_int_equal(fake_subscription_current_period_end(sub), end);
}

/* An invoice's collection state. */
static void expect_invoice(const fake_invoice *inv, const char *status, int64_t amount_due, int64_t amount_paid,
			   unsigned int attempts, int64_t next_attempt)
{
	assert_string_equal(fake_invoice_status_name(inv), status);
	assert_int_equal(fake_invoice_amount_due(inv), amount_due);
	assert_int_equal(fake_invoice_amount_paid(inv), amount_paid);
	assert_int_equal(fake_invoice_amount_remaining(inv), amount_due - amount_paid);
	assert_int_equal(fake_invoice_attempt_count(inv), attempts);
	assert_int_equal(fake_invoice_next_payment_attempt(inv), next_attempt);
}

/* The subscription's invoices, oldest first, into out[] (returns how many). */
static size_t sub_invoices(fake_processor *p, const char *sub, const fake_invoice **out, size_t max)
{
	fake_invoice_list_params lp = FAKE_INVOICE_LIST_PARAMS_INIT;
	lp.subscription = sub;
	lp.page.limit = 100;
	fake_list page;
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_false(page.has_more);
	assert_true(page.count <= max);
	for (size_t i = 0; i < page.count; i++)
		out[page.count - 1 - i] = page.data[i]; /* the list is newest first */
	return page.count;
}

/* Payment events of an automatic charge that succeeds / is declined. */
#define PAID "charge.succeeded,payment_intent.succeeded,invoice.paid,invoice.payment_succeeded"
#define DECLINED "charge.failed,payment_intent.payment_failed,invoice.payment_failed"
/* A renewal: the draft, the new period; then the draft finalized and charged. */
#define RENEWAL "invoice.created,customer.subscription.updated"
#define CHARGED "payment_intent.created,invoice.finalized," PAID
/* The renewal notice, upcoming_days (default 3) before a renewal or trial end. */
#define UPCOMING "invoice.upcoming"

/* Advances to `t`, expecting nothing on the way and invoice.upcoming at `t`. */
static void notice_at(fake_processor *p, size_t *mark, int64_t t)
{
	quiet_until(p, mark, t - 1);
	advance_to(p, t);
	expect_events(p, mark, t, UPCOMING);
}

/* ---- 1. a monthly trial subscription through fourteen months ------------------------------ */

/* The 15th of each month, 00:00:00Z, 2026-01 .. 2027-03. */
static const int64_t fifteenth[] = {
	INT64_C(1768435200), /* 2026-01-15 */
	INT64_C(1771113600), /* 2026-02-15 */
	INT64_C(1773532800), /* 2026-03-15 */
	INT64_C(1776211200), /* 2026-04-15 */
	INT64_C(1778803200), /* 2026-05-15 */
	INT64_C(1781481600), /* 2026-06-15 */
	INT64_C(1784073600), /* 2026-07-15 */
	INT64_C(1786752000), /* 2026-08-15 */
	INT64_C(1789430400), /* 2026-09-15 */
	INT64_C(1792022400), /* 2026-10-15 */
	INT64_C(1794700800), /* 2026-11-15 */
	INT64_C(1797292800), /* 2026-12-15 */
	INT64_C(1799971200), /* 2027-01-15 */
	INT64_C(1802649600), /* 2027-02-15 */
	INT64_C(1805068800), /* 2027-03-15 */
};

/* Runs the whole lifecycle in p (a fresh default processor), asserting every step. */
static void run_trial_lifecycle(fake_processor *p)
{
	size_t mark = 0;
	const int64_t t0 = T_2026_01_01, trial_end = fifteenth[0];
	const int64_t warn = INT64_C(1768176000); /* 2026-01-12, trial_end - 3 days */

	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	expect_events(p, &mark, t0, "customer.created,payment_method.attached,product.created,price.created");

	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	const char *sub_id = fake_subscription_id(sub);
	assert_string_equal(sub_id, "sub_fake_00001");
	expect_events(p, &mark, t0,
		      "customer.subscription.created,invoice.created,invoice.finalized,invoice.paid,invoice.payment_succeeded");
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	assert_int_equal(fake_subscription_trial_start(sub), t0);
	assert_int_equal(fake_subscription_trial_end(sub), trial_end);
	assert_int_equal(fake_subscription_start_date(sub), t0);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), trial_end);
	expect_period(sub, t0, trial_end);
	/* the $0 trial invoice, paid at once without a payment */
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00001");
	assert_string_equal(fake_invoice_billing_reason_name(inv), "subscription_create");
	expect_invoice(inv, "paid", 0, 0, 0, 0);
	assert_int_equal(fake_invoice_total(inv), 0);
	assert_null(fake_invoice_payment_intent(inv));
	assert_null(fake_invoice_charge(inv));
	assert_int_equal(fake_invoice_line_count(inv), 1);
	assert_string_equal(fake_invoice_line_description(fake_invoice_line_at(inv, 0)), "Trial period for Pro");
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 0)), 0);
	assert_int_equal(fake_invoice_line_period_start(fake_invoice_line_at(inv, 0)), t0);
	assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(inv, 0)), trial_end);
	/* the event's snapshot shows the subscription as created */
	assert_string_equal(fake_subscription_status_name(fake_event_object(event_at(p, 5))), "trialing");

	/* trial_will_end exactly three days before the trial ends, not a second
	 * earlier, and invoice.upcoming for the trial end (also 3 days, the default) */
	quiet_until(p, &mark, warn - 1);
	advance_to(p, warn);
	expect_events(p, &mark, warn, "customer.subscription.trial_will_end," UPCOMING);
	assert_string_equal(fake_subscription_status_name(sub), "trialing");

	/* the trial ends: a new period and its invoice as a draft */
	quiet_until(p, &mark, trial_end - 1);
	advance_to(p, trial_end);
	expect_events(p, &mark, trial_end, RENEWAL);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	expect_period(sub, trial_end, fifteenth[1]);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), trial_end);
	assert_int_equal(fake_subscription_trial_end(sub), trial_end);
	const fake_event *upd = last_event(p, "customer.subscription.updated");
	expect_previous(upd, "status,current_period_start,current_period_end,latest_invoice");
	assert_string_equal(fake_subscription_status_name(fake_event_previous(upd)), "trialing");
	assert_string_equal(fake_subscription_status_name(fake_event_object(upd)), "active");
	inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00002");
	assert_string_equal(fake_invoice_billing_reason_name(inv), "subscription_cycle");
	expect_invoice(inv, "draft", 1000, 0, 0, 0);
	assert_true(fake_invoice_auto_advance(inv));
	assert_null(fake_invoice_number(inv));
	assert_int_equal(fake_invoice_line_count(inv), 1);
	assert_string_equal(fake_invoice_line_description(fake_invoice_line_at(inv, 0)), "1 x Pro");
	assert_int_equal(fake_invoice_line_period_start(fake_invoice_line_at(inv, 0)), trial_end);
	assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(inv, 0)), fifteenth[1]);
	/* Stripe's invoice period is the one that ended (here the trial). */
	assert_int_equal(fake_invoice_period_start(inv), t0);
	assert_int_equal(fake_invoice_period_end(inv), trial_end);

	/* an hour later it is finalized and charged */
	quiet_until(p, &mark, trial_end + HOUR - 1);
	advance_to(p, trial_end + HOUR);
	expect_events(p, &mark, trial_end + HOUR, CHARGED);
	expect_invoice(inv, "paid", 1000, 1000, 1, 0);
	assert_string_equal(fake_invoice_number(inv), "FAKE-00002");
	assert_int_equal(fake_invoice_finalized_at(inv), trial_end + HOUR);
	assert_int_equal(fake_invoice_paid_at(inv), trial_end + HOUR);
	assert_string_equal(fake_invoice_payment_intent(inv), "pi_fake_00001");
	assert_string_equal(fake_invoice_charge(inv), "ch_fake_00001");
	const fake_payment_intent *pi = pi_get(p, "pi_fake_00001");
	assert_string_equal(fake_payment_intent_status_name(pi), "succeeded");
	assert_int_equal(fake_payment_intent_amount_received(pi), 1000);
	assert_string_equal(fake_payment_intent_customer(pi), fake_customer_id(cus));
	assert_string_equal(fake_subscription_status_name(sub), "active");

	/* thirteen renewals, on the 15th, each announced three days before and
	 * charged an hour after */
	for (size_t k = 1; k <= 13; k++) {
		notice_at(p, &mark, fifteenth[k] - 3 * DAY);
		quiet_until(p, &mark, fifteenth[k] - 1);
		advance_to(p, fifteenth[k]);
		expect_events(p, &mark, fifteenth[k], RENEWAL);
		expect_previous(last_event(p, "customer.subscription.updated"),
				"current_period_start,current_period_end,latest_invoice");
		expect_period(sub, fifteenth[k], fifteenth[k + 1]);
		inv = inv_get(p, fake_subscription_latest_invoice(sub));
		expect_invoice(inv, "draft", 1000, 0, 0, 0);
		assert_string_equal(fake_invoice_billing_reason_name(inv), "subscription_cycle");
		assert_int_equal(fake_invoice_period_start(inv), fifteenth[k - 1]);
		assert_int_equal(fake_invoice_period_end(inv), fifteenth[k]);
		assert_int_equal(fake_invoice_line_period_start(fake_invoice_line_at(inv, 0)), fifteenth[k]);
		assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(inv, 0)), fifteenth[k + 1]);

		advance_to(p, fifteenth[k] + HOUR);
		expect_events(p, &mark, fifteenth[k] + HOUR, CHARGED);
		expect_invoice(inv, "paid", 1000, 1000, 1, 0);
		assert_string_equal(fake_subscription_status_name(sub), "active");
	}
	notice_at(p, &mark, fifteenth[14] - 3 * DAY); /* 2027-03-12 */
	quiet_until(p, &mark, fifteenth[14] - 1);

	/* fifteen invoices, all paid: one $0 and fourteen of $10 */
	const fake_invoice *all[20];
	assert_int_equal(sub_invoices(p, sub_id, all, 20), 15);
	int64_t paid = 0;
	for (size_t i = 0; i < 15; i++) {
		char id[32];
		snprintf(id, sizeof id, "in_fake_%05zu", i + 1);
		assert_string_equal(fake_invoice_id(all[i]), id);
		assert_string_equal(fake_invoice_status_name(all[i]), "paid");
		assert_string_equal(fake_invoice_subscription(all[i]), sub_id);
		paid += fake_invoice_amount_paid(all[i]);
	}
	assert_int_equal(paid, 14 * 1000);
	/* setup, creation, trial_will_end, 14 periods, 15 notices (for the trial
	 * end and the 15th of 2026-02 .. 2027-03, the last renewal not reached) */
	assert_int_equal(fake_event_count(p), 4 + 5 + 1 + 14 * 8 + 15);
}

static void test_billing_trial_subscription_fourteen_months(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	run_trial_lifecycle(p);
}

/* ---- 2. a failing card through dunning ------------------------------------------------- */

/* The first failure of the trial-end invoice (2026-01-15T01:00Z) and the retries. */
#define FIRST_FAILURE (INT64_C(1768435200) + HOUR)
#define RETRY_1 (FIRST_FAILURE + 3 * DAY)
#define RETRY_2 (FIRST_FAILURE + 5 * DAY)
#define RETRY_3 (FIRST_FAILURE + 7 * DAY)

/* A 14-day trial for a customer whose default card is accepted at attach but
 * declines every charge, advanced to the first failed charge at trial end. */
static const fake_subscription *failing_trial(fake_processor *p, size_t *mark)
{
	const fake_customer *cus = customer_with(p, "pm_card_chargeCustomerFail");
	assert_string_equal(fake_customer_default_payment_method(cus), "pm_fake_00001");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	*mark = fake_event_count(p);

	advance_to(p, fifteenth[0]);
	expect_events(p, mark, 0, "customer.subscription.trial_will_end," UPCOMING "," RENEWAL);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	advance_to(p, FIRST_FAILURE);
	expect_events(p, mark, FIRST_FAILURE,
		      "payment_intent.created,invoice.finalized," DECLINED ",customer.subscription.updated");
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
	const fake_event *upd = last_event(p, "customer.subscription.updated");
	expect_previous(upd, "status");
	assert_string_equal(fake_subscription_status_name(fake_event_previous(upd)), "active");

	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00002");
	expect_invoice(inv, "open", 1000, 0, 1, RETRY_1);
	assert_true(fake_invoice_attempted(inv));
	assert_string_equal(fake_invoice_charge(inv), "ch_fake_00001");
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_payment_method");
	assert_string_equal(fake_payment_intent_last_error_decline_code(pi), "generic_decline");
	/* the invoice.payment_failed snapshot carries the retry time */
	const fake_event *failed = last_event(p, "invoice.payment_failed");
	assert_int_equal(fake_invoice_next_payment_attempt(fake_event_object(failed)), RETRY_1);
	assert_int_equal(fake_invoice_attempt_count(fake_event_object(failed)), 1);
	return sub;
}

/* Retries 1 and 2 fail on schedule. */
static void first_two_retries_fail(fake_processor *p, size_t *mark, const fake_invoice *inv)
{
	quiet_until(p, mark, RETRY_1 - 1);
	advance_to(p, RETRY_1);
	expect_events(p, mark, RETRY_1, DECLINED);
	expect_invoice(inv, "open", 1000, 0, 2, RETRY_2);
	quiet_until(p, mark, RETRY_2 - 1);
	advance_to(p, RETRY_2);
	expect_events(p, mark, RETRY_2, DECLINED);
	expect_invoice(inv, "open", 1000, 0, 3, RETRY_3);
	quiet_until(p, mark, RETRY_3 - 1);
}

static fake_processor *proc_dunning(void **state, fake_dunning_subscription sub, fake_dunning_invoice inv)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.billing.exhausted_subscription = sub;
	o.billing.exhausted_invoice = inv;
	return proc_new(state, &o);
}

static void test_billing_dunning_cancels_after_last_retry(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = failing_trial(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	first_two_retries_fail(p, &mark, inv);

	advance_to(p, RETRY_3);
	expect_events(p, &mark, RETRY_3, DECLINED ",customer.subscription.deleted");
	expect_invoice(inv, "open", 1000, 0, 4, 0); /* left open, no more attempts */
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	assert_int_equal(fake_subscription_canceled_at(sub), RETRY_3);
	assert_int_equal(fake_subscription_ended_at(sub), RETRY_3);
	assert_string_equal(fake_subscription_status_name(fake_event_object(last_event(p, "customer.subscription.deleted"))),
			    "canceled");
	assert_int_equal(fake_invoice_next_payment_attempt(fake_event_object(last_event(p, "invoice.payment_failed"))), 0);

	/* nothing more: no renewal at the period end, no retry */
	quiet_until(p, &mark, fifteenth[3]);
	const fake_invoice *all[8];
	assert_int_equal(sub_invoices(p, fake_subscription_id(sub), all, 8), 2);
	assert_int_equal(fake_clock_pending(p), 0);
}

static void test_billing_dunning_exhausted_unpaid(void **state)
{
	fake_processor *p = proc_dunning(state, FAKE_DUNNING_UNPAID, FAKE_DUNNING_LEAVE_OPEN);
	size_t mark = 0;
	const fake_subscription *sub = failing_trial(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	first_two_retries_fail(p, &mark, inv);

	advance_to(p, RETRY_3);
	expect_events(p, &mark, RETRY_3, DECLINED ",customer.subscription.updated");
	expect_previous(last_event(p, "customer.subscription.updated"), "status");
	assert_string_equal(fake_subscription_status_name(sub), "unpaid");
	expect_invoice(inv, "open", 1000, 0, 4, 0);
	assert_int_equal(fake_subscription_ended_at(sub), 0);

	/* it still renews, but the invoices stay drafts and are never charged */
	quiet_until(p, &mark, fifteenth[1] - 1);
	advance_to(p, fifteenth[1]);
	expect_events(p, &mark, fifteenth[1], RENEWAL);
	assert_string_equal(fake_subscription_status_name(sub), "unpaid");
	expect_period(sub, fifteenth[1], fifteenth[2]);
	const fake_invoice *next = inv_get(p, fake_subscription_latest_invoice(sub));
	expect_invoice(next, "draft", 1000, 0, 0, 0);
	assert_false(fake_invoice_auto_advance(next));
	quiet_until(p, &mark, fifteenth[2] - 1);
	expect_invoice(next, "draft", 1000, 0, 0, 0);
	advance_to(p, fifteenth[2]);
	expect_events(p, &mark, fifteenth[2], RENEWAL);
	quiet_until(p, &mark, fifteenth[2] + 10 * DAY);
}

static void test_billing_dunning_exhausted_past_due(void **state)
{
	fake_processor *p = proc_dunning(state, FAKE_DUNNING_PAST_DUE, FAKE_DUNNING_LEAVE_OPEN);
	size_t mark = 0;
	const fake_subscription *sub = failing_trial(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	first_two_retries_fail(p, &mark, inv);

	advance_to(p, RETRY_3);
	expect_events(p, &mark, RETRY_3, DECLINED);
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
	expect_invoice(inv, "open", 1000, 0, 4, 0);

	/* it renews and charges as usual (past_due is notified as well); the new
	 * invoice fails and has its own schedule */
	notice_at(p, &mark, fifteenth[1] - 3 * DAY);
	quiet_until(p, &mark, fifteenth[1] - 1);
	advance_to(p, fifteenth[1]);
	expect_events(p, &mark, fifteenth[1], RENEWAL);
	const fake_invoice *next = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_id(next), "in_fake_00003");
	expect_invoice(next, "draft", 1000, 0, 0, 0);
	assert_true(fake_invoice_auto_advance(next));
	advance_to(p, fifteenth[1] + HOUR);
	expect_events(p, &mark, fifteenth[1] + HOUR, "payment_intent.created,invoice.finalized," DECLINED);
	expect_invoice(next, "open", 1000, 0, 1, fifteenth[1] + HOUR + 3 * DAY);
	expect_invoice(inv, "open", 1000, 0, 4, 0);
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
}

static void test_billing_dunning_exhausted_marks_invoice_uncollectible(void **state)
{
	fake_processor *p = proc_dunning(state, FAKE_DUNNING_CANCEL, FAKE_DUNNING_UNCOLLECTIBLE);
	size_t mark = 0;
	const fake_subscription *sub = failing_trial(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	first_two_retries_fail(p, &mark, inv);

	advance_to(p, RETRY_3);
	expect_events(p, &mark, RETRY_3, DECLINED ",invoice.marked_uncollectible,customer.subscription.deleted");
	expect_invoice(inv, "uncollectible", 1000, 0, 4, 0);
	assert_int_equal(fake_invoice_marked_uncollectible_at(inv), RETRY_3);
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	quiet_until(p, &mark, fifteenth[2]);
}

/* A new default card for the customer of sub: pm_card_visa attached and made the default. */
static void swap_card(fake_processor *p, size_t *mark, const fake_subscription *sub)
{
	const char *cus = fake_subscription_customer(sub);
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = cus;
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.default_payment_method = fake_payment_method_id(pm);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_update(&c, p, cus, &up, NULL));
	assert_string_equal(fake_customer_default_payment_method(c), fake_payment_method_id(pm));
	expect_events(p, mark, fake_clock_now(p), "payment_method.attached,customer.updated");
}

static void test_billing_dunning_recovers_when_paid_by_hand(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = failing_trial(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));

	/* a manual attempt with the failing card fails, and does not move the schedule */
	advance_to(p, FIRST_FAILURE + DAY);
	expect_events(p, &mark, 0, "");
	const fake_invoice *out = NULL;
	check_fails(p, fake_invoice_pay(&out, p, fake_invoice_id(inv), NULL, NULL), FAKE_ECARD, "card_declined", NULL);
	assert_null(out);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
	expect_events(p, &mark, FIRST_FAILURE + DAY, DECLINED);
	expect_invoice(inv, "open", 1000, 0, 2, RETRY_1);

	/* a working card, and the open invoice paid by hand */
	swap_card(p, &mark, sub);
	check_ok(p, fake_invoice_pay(&out, p, fake_invoice_id(inv), NULL, NULL));
	assert_ptr_equal(out, inv);
	expect_events(p, &mark, FIRST_FAILURE + DAY, PAID ",customer.subscription.updated");
	expect_invoice(inv, "paid", 1000, 1000, 3, 0);
	assert_int_equal(fake_invoice_paid_at(inv), FIRST_FAILURE + DAY);
	assert_string_equal(fake_invoice_charge(inv), "ch_fake_00003");
	assert_string_equal(fake_subscription_status_name(sub), "active");
	const fake_event *upd = last_event(p, "customer.subscription.updated");
	expect_previous(upd, "status");
	assert_string_equal(fake_subscription_status_name(fake_event_previous(upd)), "past_due");

	/* no retry runs any more; the next renewal is announced and charges the new card */
	notice_at(p, &mark, fifteenth[1] - 3 * DAY);
	quiet_until(p, &mark, fifteenth[1] - 1);
	advance_to(p, fifteenth[1] + HOUR);
	expect_events(p, &mark, 0, RENEWAL "," CHARGED);
	expect_invoice(inv_get(p, fake_subscription_latest_invoice(sub)), "paid", 1000, 1000, 1, 0);
	assert_string_equal(fake_subscription_status_name(sub), "active");
}

static void test_billing_dunning_recovers_on_retry_after_card_swap(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = failing_trial(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	quiet_until(p, &mark, RETRY_1 - 1);
	advance_to(p, RETRY_1);
	expect_events(p, &mark, RETRY_1, DECLINED);
	expect_invoice(inv, "open", 1000, 0, 2, RETRY_2);

	advance_to(p, RETRY_1 + DAY);
	swap_card(p, &mark, sub);
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
	quiet_until(p, &mark, RETRY_2 - 1);
	advance_to(p, RETRY_2);
	expect_events(p, &mark, RETRY_2, PAID ",customer.subscription.updated");
	expect_invoice(inv, "paid", 1000, 1000, 3, 0);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	/* the third retry never runs; the next renewal is announced as usual */
	notice_at(p, &mark, fifteenth[1] - 3 * DAY);
	quiet_until(p, &mark, fifteenth[1] - 1);
}

static void test_billing_dunning_follows_configured_schedule(void **state)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.billing.retry_count = 2;
	o.billing.retry_days[0] = 1;
	o.billing.retry_days[1] = 10;
	o.billing.finalize_delay = 0;
	fake_processor *p = proc_new(state, &o);
	const fake_customer *cus = customer_with(p, "pm_card_chargeCustomerFail");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	size_t mark = fake_event_count(p);

	/* finalize_delay 0: the trial-end invoice is charged the same second */
	const int64_t f = fifteenth[0];
	advance_to(p, f);
	expect_events(p, &mark, 0,
		      "customer.subscription.trial_will_end," UPCOMING "," RENEWAL
		      ",payment_intent.created,invoice.finalized," DECLINED ",customer.subscription.updated");
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	expect_invoice(inv, "open", 1000, 0, 1, f + DAY);
	quiet_until(p, &mark, f + DAY - 1);
	advance_to(p, f + DAY);
	expect_events(p, &mark, f + DAY, DECLINED);
	expect_invoice(inv, "open", 1000, 0, 2, f + 10 * DAY);
	quiet_until(p, &mark, f + 10 * DAY - 1);
	advance_to(p, f + 10 * DAY);
	expect_events(p, &mark, f + 10 * DAY, DECLINED ",customer.subscription.deleted");
	expect_invoice(inv, "open", 1000, 0, 3, 0);
}

/* ---- 3. 3D Secure on the first payment ---------------------------------------------------- */

#define T_2026_02_01 INT64_C(1769904000)

/* A subscription without trial whose first payment needs 3D Secure. */
static const fake_subscription *sub_needing_3ds(fake_processor *p, size_t *mark)
{
	const fake_customer *cus = customer_with(p, "pm_card_threeDSecure2Required");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	*mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, mark, T_2026_01_01,
		      "customer.subscription.created,invoice.created,payment_intent.created,invoice.finalized,"
		      "payment_intent.requires_action,invoice.payment_action_required");
	assert_string_equal(fake_subscription_status_name(sub), "incomplete");
	expect_period(sub, T_2026_01_01, T_2026_02_01);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_billing_reason_name(inv), "subscription_create");
	expect_invoice(inv, "open", 1000, 0, 1, 0);
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_action");
	assert_string_equal(fake_payment_intent_next_action(pi), "use_stripe_sdk");
	assert_null(fake_payment_intent_latest_charge(pi));
	return sub;
}

static void test_billing_3ds_first_payment_authenticated(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = sub_needing_3ds(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));

	advance_to(p, T_2026_01_01 + 10 * 60);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_authenticate(&pi, p, fake_invoice_payment_intent(inv), true, NULL));
	assert_string_equal(fake_payment_intent_status_name(pi), "succeeded");
	expect_events(p, &mark, T_2026_01_01 + 10 * 60, PAID ",customer.subscription.updated");
	expect_invoice(inv, "paid", 1000, 1000, 1, 0);
	assert_string_equal(fake_invoice_charge(inv), fake_payment_intent_latest_charge(pi));
	assert_string_equal(fake_subscription_status_name(sub), "active");
	expect_period(sub, T_2026_01_01, T_2026_02_01);
	const fake_event *upd = last_event(p, "customer.subscription.updated");
	expect_previous(upd, "status");
	assert_string_equal(fake_subscription_status_name(fake_event_previous(upd)), "incomplete");

	/* it does not expire 23 hours later */
	quiet_until(p, &mark, T_2026_01_01 + 30 * HOUR);
	assert_string_equal(fake_subscription_status_name(sub), "active");
}

static void test_billing_3ds_first_payment_left_alone_expires(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = sub_needing_3ds(p, &mark);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	const int64_t expiry = T_2026_01_01 + 23 * HOUR;

	quiet_until(p, &mark, expiry - 1);
	assert_string_equal(fake_subscription_status_name(sub), "incomplete");
	advance_to(p, expiry);
	expect_events(p, &mark, expiry, "payment_intent.canceled,invoice.voided,customer.subscription.updated");
	assert_string_equal(fake_subscription_status_name(sub), "incomplete_expired");
	assert_int_equal(fake_subscription_ended_at(sub), expiry);
	const fake_event *upd = last_event(p, "customer.subscription.updated");
	expect_previous(upd, "status");
	assert_string_equal(fake_subscription_status_name(fake_event_previous(upd)), "incomplete");
	expect_invoice(inv, "void", 1000, 0, 1, 0);
	assert_int_equal(fake_invoice_voided_at(inv), expiry);
	assert_string_equal(fake_payment_intent_status_name(pi), "canceled");
	assert_int_equal(fake_payment_intent_canceled_at(pi), expiry);

	/* terminal: no renewal, and the expired subscription cannot be updated */
	quiet_until(p, &mark, T_2026_02_01 + 2 * HOUR);
	const fake_invoice *all[4];
	assert_int_equal(sub_invoices(p, fake_subscription_id(sub), all, 4), 1);
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.description = "late";
	const fake_subscription *out = NULL;
	check_fails(p, fake_subscription_update(&out, p, fake_subscription_id(sub), &up, NULL), FAKE_ESTATE, NULL, NULL);
	/* nor can its void invoice be paid */
	const fake_invoice *paid = NULL;
	check_fails(p, fake_invoice_pay(&paid, p, fake_invoice_id(inv), NULL, NULL), FAKE_ESTATE, "invoice_unexpected_state",
		    NULL);
}

/* Renewals charge off session: a card that always asks for 3D Secure
 * cannot be charged without the customer. docs/billing.md: the payment
 * intent waits in requires_action, invoice.payment_action_required, and the
 * attempt counts as a failure for dunning. */
static void test_billing_3ds_card_at_renewal_needs_customer(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const fake_customer *cus = customer_with(p, "pm_card_threeDSecure2Required");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	size_t mark = fake_event_count(p);
	advance_to(p, fifteenth[0]);
	expect_events(p, &mark, 0, "customer.subscription.trial_will_end," UPCOMING "," RENEWAL);
	advance_to(p, FIRST_FAILURE);
	expect_events(p, &mark, FIRST_FAILURE,
		      "payment_intent.created,invoice.finalized,payment_intent.requires_action,"
		      "invoice.payment_action_required,invoice.payment_failed,customer.subscription.updated");
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	expect_invoice(inv, "open", 1000, 0, 1, RETRY_1);
	assert_string_equal(fake_payment_intent_status_name(pi_get(p, fake_invoice_payment_intent(inv))),
			    "requires_action");
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
	assert_null(fake_invoice_charge(inv)); /* nothing was charged */
	/* the retries ask again, on the same schedule */
	quiet_until(p, &mark, RETRY_1 - 1);
	advance_to(p, RETRY_1);
	expect_events(p, &mark, RETRY_1,
		      "payment_intent.requires_action,invoice.payment_action_required,invoice.payment_failed");
	expect_invoice(inv, "open", 1000, 0, 2, RETRY_2);
}

/* A trial shorter than three days gets trial_will_end at once, and no
 * invoice.upcoming (its notice would fall before the trial began); a
 * trial of exactly three days gets both at once, in that order. */
static void test_billing_short_trial_warns_at_creation(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	size_t mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 2;
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, &mark, T_2026_01_01,
		      "customer.subscription.created,invoice.created,invoice.finalized,invoice.paid,"
		      "invoice.payment_succeeded,customer.subscription.trial_will_end");
	/* exactly three days ahead: at creation too, and only once; the notice
	 * is owed at creation as well (trial_end - 3 days = trial_start) */
	fake_subscription_item_params item2;
	sc = sub_params(cus, &item2, price, 0);
	sc.trial_period_days = 3;
	sub_create(p, &sc);
	expect_events(p, &mark, T_2026_01_01,
		      "customer.subscription.created,invoice.created,invoice.finalized,invoice.paid,"
		      "invoice.payment_succeeded,customer.subscription.trial_will_end," UPCOMING);
	advance_to(p, T_2026_01_01 + 2 * DAY);
	expect_events(p, &mark, T_2026_01_01 + 2 * DAY, RENEWAL);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	quiet_until(p, &mark, T_2026_01_01 + 2 * DAY - 1 + HOUR);
	advance_to(p, T_2026_01_01 + 3 * DAY);
	expect_events(p, &mark, 0, CHARGED "," RENEWAL);
}

/* ---- 4. mid-period changes, prorated to the second ------------------------------------------ */

#define T_2026_04_01 INT64_C(1775001600)
#define T_2026_05_01 INT64_C(1777593600)
#define T_2026_06_01 INT64_C(1780272000)
/* Day 10 of April's 30 days, plus 12345 s: 2026-04-11T03:25:45Z; 1715655 s of 2592000 remain. */
#define T_CHANGE INT64_C(1775877945)

/* The first invoice of a subscription without trial, charged at once. */
#define CREATED_AND_PAID \
	"customer.subscription.created,invoice.created,payment_intent.created,invoice.finalized," PAID \
	",customer.subscription.updated"

static void expect_line(const fake_invoice_line *line, const char *description, int64_t amount, int64_t quantity,
			bool proration, int64_t start, int64_t end)
{
	assert_non_null(line);
	assert_string_equal(fake_invoice_line_description(line), description);
	assert_int_equal(fake_invoice_line_amount(line), amount);
	assert_int_equal(fake_invoice_line_quantity(line), quantity);
	assert_int_equal(fake_invoice_line_proration(line), proration);
	assert_int_equal(fake_invoice_line_period_start(line), start);
	assert_int_equal(fake_invoice_line_period_end(line), end);
}

/* A $10/month subscription from 2026-04-01, active and paid. */
static const fake_subscription *april_sub(fake_processor *p, size_t *mark, const fake_price **price, int64_t quantity)
{
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	*price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	*mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, *price, quantity);
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, mark, T_2026_04_01, CREATED_AND_PAID);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	expect_period(sub, T_2026_04_01, T_2026_05_01);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	expect_invoice(inv, "paid", 1000 * quantity, 1000 * quantity, 1, 0);
	return sub;
}

static void test_billing_upgrade_prorates_onto_next_renewal(void **state)
{
	fake_processor *p = proc_at(state, T_2026_04_01);
	size_t mark = 0;
	const fake_price *price = NULL;
	const fake_subscription *sub = april_sub(p, &mark, &price, 1);
	const char *first_invoice = fake_subscription_latest_invoice(sub);
	const char *si = fake_subscription_item_id(fake_subscription_item_at(sub, 0));

	advance_to(p, T_CHANGE);
	fake_subscription_item_params change = { si, NULL, NULL, 3, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &change;
	up.item_count = 1;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, fake_subscription_id(sub), &up, NULL));
	expect_events(p, &mark, T_CHANGE, "invoiceitem.created,invoiceitem.created,customer.subscription.updated");
	expect_previous(last_event(p, "customer.subscription.updated"), "items");
	assert_int_equal(fake_subscription_item_quantity(fake_subscription_item_at(sub, 0)), 3);
	/* no invoice now; the period is unchanged */
	assert_string_equal(fake_subscription_latest_invoice(sub), first_invoice);
	expect_period(sub, T_2026_04_01, T_2026_05_01);

	/* two pending items: -round(1000 x 1715655 / 2592000), +round(3000 x 1715655 / 2592000) */
	fake_invoice_item_list_params lp = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	lp.pending = true;
	fake_list page;
	check_ok(p, fake_invoice_item_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	const fake_invoice_item *credit = page.data[1], *charge = page.data[0];
	assert_int_equal(fake_invoice_item_amount(credit), -662);
	assert_int_equal(fake_invoice_item_amount(charge), 1986);
	assert_string_equal(fake_invoice_item_description(credit), "Unused time on 1 x Pro after 2026-04-11");
	assert_string_equal(fake_invoice_item_description(charge), "Remaining time on 3 x Pro after 2026-04-11");
	assert_int_equal(fake_invoice_item_quantity(credit), 1);
	assert_int_equal(fake_invoice_item_quantity(charge), 3);
	for (size_t i = 0; i < 2; i++) {
		const fake_invoice_item *ii = page.data[i];
		assert_true(fake_invoice_item_proration(ii));
		assert_int_equal(fake_invoice_item_period_start(ii), T_CHANGE);
		assert_int_equal(fake_invoice_item_period_end(ii), T_2026_05_01);
		assert_null(fake_invoice_item_invoice(ii));
		assert_string_equal(fake_invoice_item_subscription(ii), fake_subscription_id(sub));
		assert_string_equal(fake_invoice_item_subscription_item(ii), si);
	}
	/* the preview shows what the renewal will bill */
	const fake_invoice *preview = NULL;
	check_ok(p, fake_invoice_upcoming(&preview, p, fake_subscription_id(sub), NULL));
	assert_null(fake_invoice_id(preview));
	assert_int_equal(fake_invoice_amount_due(preview), 3000 - 662 + 1986);

	/* the notice three days before (2026-04-28) carries the same amount */
	notice_at(p, &mark, T_2026_05_01 - 3 * DAY);
	assert_int_equal(fake_invoice_amount_due(fake_event_object(event_at(p, mark))), 3000 - 662 + 1986);

	/* the renewal bills the new quantity in advance and both prorations */
	quiet_until(p, &mark, T_2026_05_01 - 1);
	advance_to(p, T_2026_05_01);
	expect_events(p, &mark, T_2026_05_01, RENEWAL);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_int_equal(fake_invoice_line_count(inv), 3);
	expect_line(fake_invoice_line_at(inv, 0), "3 x Pro", 3000, 3, false, T_2026_05_01, T_2026_06_01);
	expect_line(fake_invoice_line_at(inv, 1), "Unused time on 1 x Pro after 2026-04-11", -662, 1, true, T_CHANGE,
		    T_2026_05_01);
	expect_line(fake_invoice_line_at(inv, 2), "Remaining time on 3 x Pro after 2026-04-11", 1986, 3, true, T_CHANGE,
		    T_2026_05_01);
	assert_string_equal(fake_invoice_line_type(fake_invoice_line_at(inv, 0)), "subscription");
	assert_string_equal(fake_invoice_line_type(fake_invoice_line_at(inv, 1)), "invoiceitem");
	assert_int_equal(fake_invoice_subtotal(inv), 4324);
	expect_invoice(inv, "draft", 4324, 0, 0, 0);
	assert_string_equal(fake_invoice_item_invoice(credit), fake_invoice_id(inv));
	advance_to(p, T_2026_05_01 + HOUR);
	expect_events(p, &mark, T_2026_05_01 + HOUR, CHARGED);
	expect_invoice(inv, "paid", 4324, 4324, 1, 0);
	assert_int_equal(fake_payment_intent_amount(pi_get(p, fake_invoice_payment_intent(inv))), 4324);

	/* the prorations are billed once: June is 3 x $10 (announced on 2026-05-29) */
	advance_to(p, T_2026_06_01 + HOUR);
	expect_events(p, &mark, 0, UPCOMING "," RENEWAL "," CHARGED);
	assert_int_equal(fake_event_created(last_event(p, UPCOMING)), T_2026_06_01 - 3 * DAY);
	assert_int_equal(fake_invoice_amount_due(fake_event_object(last_event(p, UPCOMING))), 3000);
	inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_int_equal(fake_invoice_line_count(inv), 1);
	expect_invoice(inv, "paid", 3000, 3000, 1, 0);
}

static void test_billing_price_change_always_invoice_bills_at_once(void **state)
{
	fake_processor *p = proc_at(state, T_2026_04_01);
	size_t mark = 0;
	const fake_price *price = NULL;
	const fake_subscription *sub = april_sub(p, &mark, &price, 1);
	const fake_price *max = price_new(p, 2500, FAKE_INTERVAL_MONTH, 1, "Max");
	mark = fake_event_count(p);
	const char *si = fake_subscription_item_id(fake_subscription_item_at(sub, 0));

	advance_to(p, T_CHANGE);
	fake_subscription_item_params change = { si, fake_price_id(max), NULL, 0, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &change;
	up.item_count = 1;
	up.proration_behavior = FAKE_PRORATION_ALWAYS_INVOICE;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, fake_subscription_id(sub), &up, NULL));
	expect_events(p, &mark, T_CHANGE,
		      "invoiceitem.created,invoiceitem.created,customer.subscription.updated,invoice.created,"
		      "payment_intent.created,invoice.finalized," PAID);
	assert_ptr_equal(fake_subscription_item_price(fake_subscription_item_at(sub, 0)), max);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00002");
	assert_string_equal(fake_invoice_billing_reason_name(inv), "subscription_update");
	assert_int_equal(fake_invoice_line_count(inv), 2);
	expect_line(fake_invoice_line_at(inv, 0), "Unused time on 1 x Pro after 2026-04-11", -662, 1, true, T_CHANGE,
		    T_2026_05_01);
	expect_line(fake_invoice_line_at(inv, 1), "Remaining time on 1 x Max after 2026-04-11", 1655, 1, true, T_CHANGE,
		    T_2026_05_01);
	expect_invoice(inv, "paid", 993, 993, 1, 0);
	assert_int_equal(fake_invoice_paid_at(inv), T_CHANGE);
	/* the period is unchanged and nothing stays pending */
	expect_period(sub, T_2026_04_01, T_2026_05_01);
	fake_invoice_item_list_params lp = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	lp.pending = true;
	fake_list page;
	check_ok(p, fake_invoice_item_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);

	/* the renewal bills the new price only */
	notice_at(p, &mark, T_2026_05_01 - 3 * DAY);
	assert_int_equal(fake_invoice_amount_due(fake_event_object(event_at(p, mark))), 2500);
	quiet_until(p, &mark, T_2026_05_01 - 1);
	advance_to(p, T_2026_05_01 + HOUR);
	expect_events(p, &mark, 0, RENEWAL "," CHARGED);
	inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_int_equal(fake_invoice_line_count(inv), 1);
	expect_line(fake_invoice_line_at(inv, 0), "1 x Max", 2500, 1, false, T_2026_05_01, T_2026_06_01);
	expect_invoice(inv, "paid", 2500, 2500, 1, 0);
}

static void test_billing_change_without_proration(void **state)
{
	fake_processor *p = proc_at(state, T_2026_04_01);
	size_t mark = 0;
	const fake_price *price = NULL;
	const fake_subscription *sub = april_sub(p, &mark, &price, 1);
	advance_to(p, T_CHANGE);
	fake_subscription_item_params change = { fake_subscription_item_id(fake_subscription_item_at(sub, 0)), NULL,
						 NULL, 3, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &change;
	up.item_count = 1;
	up.proration_behavior = FAKE_PRORATION_NONE;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, fake_subscription_id(sub), &up, NULL));
	expect_events(p, &mark, T_CHANGE, "customer.subscription.updated");
	advance_to(p, T_2026_05_01 + HOUR);
	expect_events(p, &mark, 0, UPCOMING "," RENEWAL "," CHARGED);
	assert_int_equal(fake_event_created(last_event(p, UPCOMING)), T_2026_05_01 - 3 * DAY);
	expect_invoice(inv_get(p, fake_subscription_latest_invoice(sub)), "paid", 3000, 3000, 1, 0);
}

/* ---- 5. calendar anchors across a leap year ------------------------------------------------ */

#define T_2028_01_31 INT64_C(1832889600)

static void test_billing_monthly_anchor_jan_31_across_leap_year(void **state)
{
	static const int64_t ends[] = {
		INT64_C(1832889600), /* 2028-01-31 */
		INT64_C(1835395200), /* 2028-02-29 */
		INT64_C(1838073600), /* 2028-03-31 */
		INT64_C(1840665600), /* 2028-04-30 */
		INT64_C(1843344000), /* 2028-05-31 */
		INT64_C(1845936000), /* 2028-06-30 */
		INT64_C(1848614400), /* 2028-07-31 */
		INT64_C(1851292800), /* 2028-08-31 */
		INT64_C(1853884800), /* 2028-09-30 */
		INT64_C(1856563200), /* 2028-10-31 */
		INT64_C(1859155200), /* 2028-11-30 */
		INT64_C(1861833600), /* 2028-12-31 */
		INT64_C(1864512000), /* 2029-01-31 */
		INT64_C(1866931200), /* 2029-02-28 */
		INT64_C(1869609600), /* 2029-03-31 */
	};
	fake_processor *p = proc_at(state, T_2028_01_31);
	assert_int_equal(fake_clock_now(p), ends[0]);
	size_t mark = 0;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, &mark, ends[0], CREATED_AND_PAID);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), ends[0]);
	expect_period(sub, ends[0], ends[1]);
	for (size_t k = 1; k + 1 < sizeof ends / sizeof ends[0]; k++) {
		/* the notice three days before each clamped end (2028-02-26, 03-28, 04-27, ...) */
		notice_at(p, &mark, ends[k] - 3 * DAY);
		quiet_until(p, &mark, ends[k] - 1);
		advance_to(p, ends[k]);
		expect_events(p, &mark, ends[k], RENEWAL);
		expect_period(sub, ends[k], ends[k + 1]);
		advance_to(p, ends[k] + HOUR);
		expect_events(p, &mark, ends[k] + HOUR, CHARGED);
		const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
		/* whole months, never prorated however long */
		expect_invoice(inv, "paid", 1000, 1000, 1, 0);
		assert_int_equal(fake_invoice_line_period_start(fake_invoice_line_at(inv, 0)), ends[k]);
		assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(inv, 0)), ends[k + 1]);
	}
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), ends[0]);
}

static void test_billing_yearly_anchor_feb_29(void **state)
{
	static const int64_t ends[] = {
		INT64_C(1835395200), /* 2028-02-29 */
		INT64_C(1866931200), /* 2029-02-28 */
		INT64_C(1898467200), /* 2030-02-28 */
		INT64_C(1930003200), /* 2031-02-28 */
		INT64_C(1961625600), /* 2032-02-29 */
	};
	fake_processor *p = proc_at(state, T_2028_01_31);
	size_t mark = 0;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 12000, FAKE_INTERVAL_YEAR, 1, "Annual");
	mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.billing_cycle_anchor = ends[0];
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, &mark, T_2028_01_31, CREATED_AND_PAID);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), ends[0]);
	/* the short first period, 29 of the 366 days of a year from now, prorated:
	 * 12000 x 29 / 366 = 950.82 -> 951 */
	expect_period(sub, T_2028_01_31, ends[0]);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	expect_invoice(inv, "paid", 951, 951, 1, 0);
	assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(inv, 0)), ends[0]);

	for (size_t k = 0; k + 1 < sizeof ends / sizeof ends[0]; k++) {
		/* the notice three days before (2028-02-26, then 02-25 of 2029, 2030
		 * and 2031); the short first period of 29 days is longer than it */
		notice_at(p, &mark, ends[k] - 3 * DAY);
		assert_int_equal(fake_invoice_amount_due(fake_event_object(event_at(p, mark))), 12000);
		quiet_until(p, &mark, ends[k] - 1);
		advance_to(p, ends[k]);
		expect_events(p, &mark, ends[k], RENEWAL);
		expect_period(sub, ends[k], ends[k + 1]);
		advance_to(p, ends[k] + HOUR);
		expect_events(p, &mark, ends[k] + HOUR, CHARGED);
		expect_invoice(inv_get(p, fake_subscription_latest_invoice(sub)), "paid", 12000, 12000, 1, 0);
	}
}

/* Weekly and daily prices with interval_count: fixed-length periods across Feb 29. */
static void test_billing_weekly_and_daily_intervals(void **state)
{
	fake_processor *p = proc_at(state, T_2028_01_31);
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *biweekly = price_new(p, 500, FAKE_INTERVAL_WEEK, 2, "Fortnightly");
	const fake_price *three_days = price_new(p, 100, FAKE_INTERVAL_DAY, 3, "Triduum");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, biweekly, 0);
	const fake_subscription *weekly = sub_create(p, &sc);
	fake_subscription_item_params item2;
	sc = sub_params(cus, &item2, three_days, 0);
	const fake_subscription *daily = sub_create(p, &sc);
	assert_string_equal(fake_subscription_status_name(weekly), "active");
	assert_string_equal(fake_subscription_status_name(daily), "active");
	expect_period(weekly, T_2028_01_31, T_2028_01_31 + 14 * DAY); /* 2028-02-14 */
	expect_period(daily, T_2028_01_31, T_2028_01_31 + 3 * DAY);   /* 2028-02-03 */

	/* 2028-02-14, 2028-02-28, 2028-03-13: 14 days each, Feb 29 included */
	static const int64_t weekly_ends[] = { INT64_C(1834099200), INT64_C(1835308800), INT64_C(1836518400) };
	assert_int_equal(fake_subscription_current_period_end(weekly), weekly_ends[0]);
	advance_to(p, weekly_ends[0]);
	expect_period(weekly, weekly_ends[0], weekly_ends[1]);
	advance_to(p, weekly_ends[1]);
	expect_period(weekly, weekly_ends[1], weekly_ends[2]);
	/* every 3 days: by 2028-02-28 nine renewals (Feb 3, 6, .. 27), the last period to Mar 1 */
	int64_t start = T_2028_01_31 + 9 * 3 * DAY; /* 2028-02-27 */
	expect_period(daily, start, start + 3 * DAY);
	assert_int_equal(start + 3 * DAY, INT64_C(1835481600)); /* 2028-03-01 */
	/* every invoice of both was charged: 1 + 2 fortnightly, 1 + 9 three-daily */
	const fake_invoice *all[20];
	assert_int_equal(sub_invoices(p, fake_subscription_id(weekly), all, 20), 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(fake_invoice_amount_due(all[i]), 500);
	/* the renewal at 2028-02-28 is charged an hour later */
	assert_string_equal(fake_invoice_status_name(all[2]), "draft");
	size_t n = sub_invoices(p, fake_subscription_id(daily), all, 20);
	assert_int_equal(n, 10);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(fake_invoice_amount_due(all[i]), 100);
		assert_string_equal(fake_invoice_status_name(all[i]), "paid");
	}
}

/* ---- 6. send_invoice collection ---------------------------------------------------------------- */

static void test_billing_send_invoice_overdue_makes_past_due(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const int64_t t0 = T_2026_01_01;
	const fake_customer *cus = customer_with(p, NULL);
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	size_t mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.collection_method = FAKE_COLLECT_SEND_INVOICE;
	sc.days_until_due = 7;
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, &mark, t0,
		      "customer.subscription.created,invoice.created,payment_intent.created,invoice.finalized,invoice.sent");
	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_int_equal(fake_subscription_days_until_due(sub), 7);
	assert_int_equal(fake_subscription_collection_method(sub), FAKE_COLLECT_SEND_INVOICE);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	expect_invoice(inv, "open", 1000, 0, 0, 0);
	assert_int_equal(fake_invoice_collection_method(inv), FAKE_COLLECT_SEND_INVOICE);
	assert_int_equal(fake_invoice_due_date(inv), t0 + 7 * DAY);
	assert_false(fake_invoice_attempted(inv));

	/* overdue at the due date, not a second before */
	quiet_until(p, &mark, t0 + 7 * DAY - 1);
	advance_to(p, t0 + 7 * DAY);
	expect_events(p, &mark, t0 + 7 * DAY, "invoice.overdue,customer.subscription.updated");
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
	expect_previous(last_event(p, "customer.subscription.updated"), "status");
	expect_invoice(inv, "open", 1000, 0, 0, 0);

	/* paid out of band: active again */
	advance_to(p, t0 + 9 * DAY);
	fake_invoice_pay_params pp = FAKE_INVOICE_PAY_PARAMS_INIT;
	pp.paid_out_of_band = true;
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_pay(&out, p, fake_invoice_id(inv), &pp, NULL));
	expect_events(p, &mark, t0 + 9 * DAY, "payment_intent.canceled,invoice.paid,customer.subscription.updated");
	expect_invoice(inv, "paid", 1000, 1000, 0, 0);
	assert_true(fake_invoice_paid_out_of_band(inv));
	assert_null(fake_invoice_charge(inv));
	assert_string_equal(fake_subscription_status_name(sub), "active");

	/* the renewal's invoice is finalized and sent an hour after its draft, due 7 days later */
	const int64_t feb1 = T_2026_02_01;
	quiet_until(p, &mark, feb1 - 1);
	advance_to(p, feb1);
	expect_events(p, &mark, feb1, RENEWAL);
	inv = inv_get(p, fake_subscription_latest_invoice(sub));
	expect_invoice(inv, "draft", 1000, 0, 0, 0);
	advance_to(p, feb1 + HOUR);
	expect_events(p, &mark, feb1 + HOUR, "payment_intent.created,invoice.finalized,invoice.sent");
	expect_invoice(inv, "open", 1000, 0, 0, 0);
	assert_int_equal(fake_invoice_due_date(inv), feb1 + HOUR + 7 * DAY);
	/* paid by card before it is due: no overdue */
	fake_invoice_pay_params card = FAKE_INVOICE_PAY_PARAMS_INIT;
	advance_to(p, feb1 + 2 * DAY);
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(cus);
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	card.payment_method = fake_payment_method_id(pm);
	mark = fake_event_count(p);
	check_ok(p, fake_invoice_pay(&out, p, fake_invoice_id(inv), &card, NULL));
	expect_events(p, &mark, feb1 + 2 * DAY, PAID);
	expect_invoice(inv, "paid", 1000, 1000, 1, 0);
	quiet_until(p, &mark, feb1 + 20 * DAY);
	assert_string_equal(fake_subscription_status_name(sub), "active");
}

/* ---- 7. cancellation at a set time ---------------------------------------------------------- */

static void test_billing_cancel_at_period_end(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const int64_t t0 = T_2026_01_01, feb1 = T_2026_02_01;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	size_t mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, &mark, t0, CREATED_AND_PAID);

	advance_to(p, t0 + 9 * DAY);
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.cancel_at_period_end = FAKE_FLAG_SET;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, fake_subscription_id(sub), &up, NULL));
	expect_events(p, &mark, t0 + 9 * DAY, "customer.subscription.updated");
	expect_previous(last_event(p, "customer.subscription.updated"), "cancel_at_period_end,canceled_at");
	assert_true(fake_subscription_cancel_at_period_end(sub));
	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_int_equal(fake_subscription_canceled_at(sub), t0 + 9 * DAY);
	/* nothing is upcoming */
	const fake_invoice *preview = NULL;
	check_fails(p, fake_invoice_upcoming(&preview, p, fake_subscription_id(sub), NULL), FAKE_ESTATE,
		    "invoice_upcoming_none", NULL);

	quiet_until(p, &mark, feb1 - 1);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	advance_to(p, feb1);
	expect_events(p, &mark, feb1, "customer.subscription.deleted");
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	assert_int_equal(fake_subscription_ended_at(sub), feb1);
	assert_false(fake_subscription_cancel_at_period_end(sub));
	expect_period(sub, t0, feb1);
	/* no renewal invoice, then or later */
	quiet_until(p, &mark, feb1 + 60 * DAY);
	const fake_invoice *all[4];
	assert_int_equal(sub_invoices(p, fake_subscription_id(sub), all, 4), 1);
	assert_int_equal(fake_clock_pending(p), 0);
}

static void test_billing_cancel_at(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const int64_t t0 = T_2026_01_01, feb1 = T_2026_02_01;
	const int64_t cancel_at = INT64_C(1771113600) + 12 * HOUR; /* 2026-02-15T12:00Z */
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	size_t mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.cancel_at = cancel_at;
	const fake_subscription *sub = sub_create(p, &sc);
	expect_events(p, &mark, t0, CREATED_AND_PAID);
	assert_int_equal(fake_subscription_cancel_at(sub), cancel_at);

	/* the renewal before cancel_at happens (and is announced) as usual */
	advance_to(p, feb1 + HOUR);
	expect_events(p, &mark, 0, UPCOMING "," RENEWAL "," CHARGED);
	assert_int_equal(fake_event_created(last_event(p, UPCOMING)), feb1 - 3 * DAY);
	expect_period(sub, feb1, INT64_C(1772323200)); /* 2026-03-01 */
	/* the next one (2026-03-01) comes after cancel_at: no notice */
	quiet_until(p, &mark, cancel_at - 1);
	advance_to(p, cancel_at);
	expect_events(p, &mark, cancel_at, "customer.subscription.deleted");
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	assert_int_equal(fake_subscription_ended_at(sub), cancel_at);
	assert_int_equal(fake_subscription_canceled_at(sub), cancel_at);
	quiet_until(p, &mark, feb1 + 90 * DAY);
	const fake_invoice *all[4];
	assert_int_equal(sub_invoices(p, fake_subscription_id(sub), all, 4), 2);

	/* cancel_at set by update, clearing and setting */
	fake_subscription_item_params item2;
	sc = sub_params(cus, &item2, price, 0);
	const fake_subscription *second = sub_create(p, &sc);
	const int64_t now = fake_clock_now(p);
	mark = fake_event_count(p);
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.cancel_at = now + 10 * DAY;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, fake_subscription_id(second), &up, NULL));
	expect_events(p, &mark, now, "customer.subscription.updated");
	expect_previous(last_event(p, "customer.subscription.updated"), "cancel_at");
	quiet_until(p, &mark, now + 10 * DAY - 1);
	advance_to(p, now + 10 * DAY);
	expect_events(p, &mark, now + 10 * DAY, "customer.subscription.deleted");
	assert_string_equal(fake_subscription_status_name(second), "canceled");
}

/* ---- 8. the reference fake's helpers (accrue-fake.md §3.4, §3.5) ---------------------------- */

/* A 7-day trial from 2026-01-01 with a working card. */
static const fake_subscription *seven_day_trial(fake_processor *p, size_t *mark)
{
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 7;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	assert_int_equal(fake_subscription_trial_end(sub), T_2026_01_01 + 7 * DAY);
	*mark = fake_event_count(p);
	return sub;
}

static void test_billing_advance_helper_crosses_both_trial_points(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = seven_day_trial(p, &mark);
	const int64_t t0 = T_2026_01_01, trial_end = t0 + 7 * DAY;

	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 10, 0, true));
	assert_int_equal(fake_clock_now(p), t0 + 10 * DAY);
	/* both crossings, in time order (invoice.upcoming with trial_will_end),
	 * then the charge an hour after the trial end */
	size_t from = mark;
	expect_events(p, &mark, 0, "customer.subscription.trial_will_end," UPCOMING "," RENEWAL "," CHARGED);
	assert_int_equal(fake_event_created(event_at(p, from + 1)), trial_end - 3 * DAY);
	assert_int_equal(fake_event_created(event_at(p, from + 2)), trial_end - 3 * DAY);
	assert_int_equal(fake_event_created(event_at(p, from + 3)), trial_end);
	assert_int_equal(fake_event_created(event_at(p, from + 4)), trial_end);
	for (size_t i = from + 5; i <= mark; i++)
		assert_int_equal(fake_event_created(event_at(p, i)), trial_end + HOUR);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	expect_period(sub, trial_end, INT64_C(1770508800)); /* 2026-02-08 */
	expect_invoice(inv_get(p, fake_subscription_latest_invoice(sub)), "paid", 1000, 1000, 1, 0);
	/* timeline work carries no request */
	assert_null(fake_event_request_id(event_at(p, from + 1)));

	/* with memory: advancing again crosses nothing twice */
	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 1, 0, true));
	expect_events(p, &mark, 0, "");
}

static void test_billing_advance_helper_within_trial(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = seven_day_trial(p, &mark);
	const int64_t t0 = T_2026_01_01;

	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 5, 0, true));
	assert_int_equal(fake_clock_now(p), t0 + 5 * DAY);
	expect_events(p, &mark, t0 + 4 * DAY, "customer.subscription.trial_will_end," UPCOMING);
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	expect_period(sub, t0, t0 + 7 * DAY);
	/* seconds add to days */
	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 1, 3600, true));
	assert_int_equal(fake_clock_now(p), t0 + 6 * DAY + HOUR);
	expect_events(p, &mark, 0, "");
	assert_string_equal(fake_subscription_status_name(sub), "trialing");

	/* bad calls change nothing */
	check_fails(p, fake_subscription_advance(p, "sub_fake_99999", 1, 0, true), FAKE_ENOTFOUND, "resource_missing", "id");
	check_fails(p, fake_subscription_advance(p, fake_subscription_id(sub), -1, 0, true), FAKE_EINVAL, NULL, "days");
	check_fails(p, fake_subscription_advance(p, fake_subscription_id(sub), 0, -1, true), FAKE_EINVAL, NULL, "seconds");
	assert_int_equal(fake_clock_now(p), t0 + 6 * DAY + HOUR);
	expect_events(p, &mark, 0, "");
}

static void test_billing_advance_helper_without_events_still_changes_state(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = seven_day_trial(p, &mark);
	const int64_t t0 = T_2026_01_01;

	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 10, 0, false));
	assert_int_equal(fake_clock_now(p), t0 + 10 * DAY);
	expect_events(p, &mark, 0, "");
	assert_string_equal(fake_subscription_status_name(sub), "active");
	expect_period(sub, t0 + 7 * DAY, INT64_C(1770508800)); /* 2026-02-08 */
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00002");
	expect_invoice(inv, "paid", 1000, 1000, 1, 0);

	/* later work records events again: the notice on 2026-02-05, the renewal on 02-08 */
	check_ok(p, fake_subscription_advance(p, NULL, 29, 0, true));
	expect_events(p, &mark, 0, UPCOMING "," RENEWAL "," CHARGED);
	assert_int_equal(fake_event_created(last_event(p, UPCOMING)), INT64_C(1770508800) - 3 * DAY);
	assert_int_equal(fake_event_created(event_at(p, mark)), INT64_C(1770508800) + HOUR);
}

/* Moves sub to `to` with the transition helper, checking the one
 * customer.subscription.updated it emits (previous_attributes `changed`),
 * or that it emits nothing (synthesize false, or no change). */
static void transition(fake_processor *p, size_t *mark, const fake_subscription *sub, fake_subscription_status to,
		       bool synthesize, const char *changed)
{
	fake_subscription_status from = fake_subscription_status_of(sub);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_transition(&out, p, fake_subscription_id(sub), to, synthesize));
	assert_ptr_equal(out, sub);
	assert_int_equal(fake_subscription_status_of(sub), to);
	assert_int_equal(fake_subscription_status_of(sub_get(p, fake_subscription_id(sub))), to);
	if (!synthesize || from == to) {
		expect_events(p, mark, 0, "");
		return;
	}
	expect_events(p, mark, fake_clock_now(p), "customer.subscription.updated");
	const fake_event *e = event_at(p, *mark);
	expect_previous(e, changed);
	assert_int_equal(fake_subscription_status_of(fake_event_previous(e)), from);
	assert_int_equal(fake_subscription_status_of(fake_event_object(e)), to);
	assert_null(fake_event_request_id(e));
}

static void test_billing_transition_helper_each_status(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_subscription *sub = seven_day_trial(p, &mark);
	const int64_t t0 = T_2026_01_01;
	advance_to(p, t0 + DAY);
	mark = fake_event_count(p);

	/* leaving the trial ends it now, without billing */
	transition(p, &mark, sub, FAKE_SUB_ACTIVE, true, "status,trial_end");
	assert_int_equal(fake_subscription_trial_end(sub), t0 + DAY);
	assert_string_equal(fake_subscription_latest_invoice(sub), "in_fake_00001");
	transition(p, &mark, sub, FAKE_SUB_PAST_DUE, true, "status");
	transition(p, &mark, sub, FAKE_SUB_UNPAID, true, "status");
	transition(p, &mark, sub, FAKE_SUB_PAUSED, true, "status");
	transition(p, &mark, sub, FAKE_SUB_INCOMPLETE, true, "status");
	transition(p, &mark, sub, FAKE_SUB_TRIALING, true, "status");
	transition(p, &mark, sub, FAKE_SUB_ACTIVE, false, "");
	transition(p, &mark, sub, FAKE_SUB_ACTIVE, true, ""); /* no change, no event */
	assert_int_equal(fake_subscription_ended_at(sub), 0);
	transition(p, &mark, sub, FAKE_SUB_CANCELED, true, "status");
	assert_int_equal(fake_subscription_ended_at(sub), t0 + DAY);
	assert_int_equal(fake_subscription_canceled_at(sub), t0 + DAY);
	/* ended: no more transitions, nothing billed */
	const fake_subscription *out = NULL;
	check_fails(p, fake_subscription_transition(&out, p, fake_subscription_id(sub), FAKE_SUB_ACTIVE, true),
		    FAKE_ESTATE, NULL, NULL);
	assert_null(out);
	quiet_until(p, &mark, t0 + 90 * DAY);
	const fake_invoice *all[4];
	assert_int_equal(sub_invoices(p, fake_subscription_id(sub), all, 4), 1);

	/* bad calls */
	check_fails(p, fake_subscription_transition(&out, p, "sub_fake_99999", FAKE_SUB_ACTIVE, true), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	check_fails(p, fake_subscription_transition(&out, p, fake_subscription_id(sub), (fake_subscription_status)99, true),
		    FAKE_EINVAL, NULL, "status");
	expect_events(p, &mark, 0, "");
}

/* After a transition the timeline goes on from the new status: a past_due
 * subscription renews at its period end, and the paid renewal makes it active. */
static void test_billing_transition_then_timeline_continues(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	size_t mark = 0;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = sub_create(p, &sc);
	mark = fake_event_count(p);
	transition(p, &mark, sub, FAKE_SUB_PAST_DUE, true, "status");
	advance_to(p, T_2026_02_01 + HOUR);
	/* announced on 2026-01-29 (past_due is notified too); its latest invoice
	 * paid, a past_due subscription is active again */
	expect_events(p, &mark, 0, UPCOMING "," RENEWAL "," CHARGED ",customer.subscription.updated");
	assert_int_equal(fake_event_created(last_event(p, UPCOMING)), T_2026_02_01 - 3 * DAY);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	expect_period(sub, T_2026_02_01, INT64_C(1772323200)); /* 2026-03-01 */
}

/* ---- 9. the reference's scenarios about subscriptions and invoices (accrue-fake.md §6) ------ */

/* 22, 24, 25: a trial_end 14 days ahead; retrieve; unknown id. */
static void test_billing_reference_22_24_25_create_retrieve(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_end = T_2026_01_01 + 14 * DAY;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00001");
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	assert_string_equal(fake_subscription_customer(sub), fake_customer_id(cus));
	assert_int_equal(fake_subscription_trial_end(sub), T_2026_01_01 + 14 * DAY);
	assert_int_equal(fake_object_type_of(sub), FAKE_OBJECT_SUBSCRIPTION);
	assert_string_equal(fake_object_name(sub), "subscription");

	const fake_subscription *again = sub_get(p, "sub_fake_00001");
	assert_ptr_equal(again, sub);
	assert_int_equal(fake_subscription_trial_end(again), T_2026_01_01 + 14 * DAY);

	const fake_subscription *missing = sub;
	check_fails(p, fake_subscription_retrieve(&missing, p, "sub_fake_00002", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_null(missing);
	assert_int_equal(fake_error_last(p)->http_status, 404);
	assert_non_null(strstr(fake_error_last(p)->message, "sub_fake_00002"));
}

/* 23: without a trial, and paid, it is active. */
static void test_billing_reference_23_no_trial_active(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = sub_create(p, &sc);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_int_equal(fake_subscription_trial_start(sub), 0);
	assert_int_equal(fake_subscription_trial_end(sub), 0);
	expect_period(sub, T_2026_01_01, T_2026_02_01);
	expect_invoice(inv_get(p, fake_subscription_latest_invoice(sub)), "paid", 1000, 1000, 1, 0);
}

/* 26, 27: transitions stored, with and without events. */
static void test_billing_reference_26_27_transitions_stored(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = sub_create(p, &sc);
	size_t mark = fake_event_count(p);
	transition(p, &mark, sub, FAKE_SUB_PAST_DUE, false, "");
	assert_string_equal(fake_subscription_status_name(sub_get(p, fake_subscription_id(sub))), "past_due");
	transition(p, &mark, sub, FAKE_SUB_CANCELED, true, "status");
	assert_string_equal(fake_subscription_status_name(sub_get(p, fake_subscription_id(sub))), "canceled");
}

/* 28, 29, 30: the advance helper on a 7-day trial, and with no subscription. */
static void test_billing_reference_28_29_30_advance(void **state)
{
	fake_processor *p = *state;
	size_t mark = 0;
	const fake_subscription *a = seven_day_trial(p, &mark);
	check_ok(p, fake_subscription_advance(p, fake_subscription_id(a), 5, 0, false));
	assert_int_equal(fake_clock_now(p), T_2026_01_01 + 5 * DAY);
	assert_string_equal(fake_subscription_status_name(a), "trialing");
	check_ok(p, fake_subscription_advance(p, fake_subscription_id(a), 5, 0, false));
	assert_string_equal(fake_subscription_status_name(a), "active");

	int64_t before = fake_clock_now(p);
	mark = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, NULL, 0, 3600, true));
	assert_int_equal(fake_clock_now(p), before + 3600);
	expect_events(p, &mark, 0, "");
	assert_string_equal(fake_subscription_status_name(a), "active");
}

/* 31: cancel now: canceled, ended_at now, customer.subscription.deleted. */
static void test_billing_reference_31_cancel(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = sub_create(p, &sc);
	advance_to(p, T_2026_01_01 + 3 * DAY);
	size_t mark = fake_event_count(p);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_cancel(&out, p, fake_subscription_id(sub), NULL, NULL));
	assert_ptr_equal(out, sub);
	expect_events(p, &mark, T_2026_01_01 + 3 * DAY, "customer.subscription.deleted");
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	assert_int_equal(fake_subscription_ended_at(sub), T_2026_01_01 + 3 * DAY);
	assert_int_equal(fake_subscription_canceled_at(sub), T_2026_01_01 + 3 * DAY);
	assert_non_null(fake_event_request_id(event_at(p, mark)));
	check_fails(p, fake_subscription_cancel(&out, p, fake_subscription_id(sub), NULL, NULL), FAKE_ESTATE, NULL, NULL);
	quiet_until(p, &mark, T_2026_02_01 + DAY);
}

/* 32, 33: an invoice's draft -> open -> paid, and void. */
static void test_billing_reference_32_33_invoice_actions(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = fake_customer_id(cus);
	ic.amount = 2500;
	ic.currency = "usd";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	size_t mark = fake_event_count(p);
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = fake_customer_id(cus);
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00001");
	assert_string_equal(fake_invoice_status_name(inv), "draft");
	assert_int_equal(fake_invoice_amount_due(inv), 2500);
	expect_events(p, &mark, T_2026_01_01, "invoice.created");
	check_ok(p, fake_invoice_finalize(&inv, p, "in_fake_00001", NULL));
	assert_string_equal(fake_invoice_status_name(inv), "open");
	expect_events(p, &mark, T_2026_01_01, "payment_intent.created,invoice.finalized");
	check_ok(p, fake_invoice_pay(&inv, p, "in_fake_00001", NULL, NULL));
	expect_events(p, &mark, T_2026_01_01, PAID);
	expect_invoice(inv, "paid", 2500, 2500, 1, 0);

	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	check_ok(p, fake_invoice_finalize(&inv, p, fake_invoice_id(inv), NULL));
	advance_to(p, T_2026_01_01 + 600);
	mark = fake_event_count(p);
	check_ok(p, fake_invoice_void(&inv, p, fake_invoice_id(inv), NULL));
	expect_events(p, &mark, T_2026_01_01 + 600, "payment_intent.canceled,invoice.voided");
	assert_string_equal(fake_invoice_status_name(inv), "void");
	assert_int_equal(fake_invoice_voided_at(inv), T_2026_01_01 + 600);
	/* Stripe's state machine holds */
	check_fails(p, fake_invoice_pay(&inv, p, "in_fake_00002", NULL, NULL), FAKE_ESTATE, "invoice_unexpected_state",
		    NULL);
	check_fails(p, fake_invoice_void(&inv, p, "in_fake_00001", NULL), FAKE_ESTATE, "invoice_unexpected_state", NULL);
}

/* 34: a preview has no id and is not stored. */
static void test_billing_reference_34_preview_not_stored(void **state)
{
	fake_processor *p = *state;
	size_t mark = 0;
	const fake_subscription *sub = seven_day_trial(p, &mark);
	const fake_invoice *preview = NULL;
	check_ok(p, fake_invoice_upcoming(&preview, p, fake_subscription_id(sub), NULL));
	assert_null(fake_invoice_id(preview));
	assert_string_equal(fake_object_name(preview), "invoice");
	assert_string_equal(fake_invoice_billing_reason_name(preview), "upcoming");
	assert_int_equal(fake_invoice_amount_due(preview), 1000);
	expect_events(p, &mark, 0, "");
	const fake_invoice *all[4];
	assert_int_equal(sub_invoices(p, fake_subscription_id(sub), all, 4), 1);
	/* the next invoice still takes the next id */
	advance_to(p, T_2026_01_01 + 7 * DAY);
	assert_string_equal(fake_subscription_latest_invoice(sub), "in_fake_00002");
}

/* 44: a scripted card error answers the next create_subscription only. */
static void test_billing_reference_44_scripted_create_error(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_script s = fake_script_card_declined("insufficient_funds");
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SUBSCRIPTION, &s, 1));
	size_t mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	const fake_subscription *sub = NULL;
	check_fails(p, fake_subscription_create(&sub, p, &sc, NULL), FAKE_ECARD, "card_declined", NULL);
	assert_null(sub);
	assert_string_equal(fake_error_last(p)->decline_code, "insufficient_funds");
	expect_events(p, &mark, 0, "");
	sub = sub_create(p, &sc);
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00001");
	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_SUBSCRIPTION), 2);
}

/* 59: a trial made after the clock moved 5 days ends 14 days after the new now. */
static void test_billing_reference_59_trial_after_clock_moved(void **state)
{
	fake_processor *p = *state;
	check_ok(p, fake_clock_advance(p, 5 * DAY));
	size_t mark = 0;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	const int64_t now = T_2026_01_01 + 5 * DAY;
	assert_int_equal(fake_clock_now(p), now);
	assert_int_equal(fake_subscription_created(sub), now);
	assert_int_equal(fake_subscription_trial_start(sub), now);
	assert_int_equal(fake_subscription_trial_end(sub), now + 14 * DAY);
	assert_true(fake_subscription_trial_end(sub) - fake_clock_now(p) > 13 * DAY);
	expect_events(p, &mark, now,
		      "customer.subscription.created,invoice.created,invoice.finalized,invoice.paid,invoice.payment_succeeded");
}

/* 60: transitions in the reference's order are all accepted; a re-read shows each. */
static void test_billing_reference_60_transitions_any_order(void **state)
{
	fake_processor *p = *state;
	size_t mark = 0;
	const fake_subscription *sub = seven_day_trial(p, &mark);
	static const fake_subscription_status order[] = { FAKE_SUB_TRIALING, FAKE_SUB_PAST_DUE,   FAKE_SUB_ACTIVE,
							  FAKE_SUB_UNPAID,   FAKE_SUB_INCOMPLETE, FAKE_SUB_INCOMPLETE_EXPIRED };
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const fake_subscription *out = NULL;
		check_ok(p, fake_subscription_transition(&out, p, fake_subscription_id(sub), order[i], true));
		assert_int_equal(fake_subscription_status_of(sub_get(p, fake_subscription_id(sub))), order[i]);
	}
	/* trialing -> trialing changed nothing; then five updates */
	expect_events(p, &mark, T_2026_01_01,
		      "customer.subscription.updated,customer.subscription.updated,customer.subscription.updated,"
		      "customer.subscription.updated,customer.subscription.updated");
	assert_int_equal(fake_subscription_ended_at(sub), T_2026_01_01);
}

/* ---- 10. determinism ---------------------------------------------------------------------------- */

static void collect(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	text_add(user_data, "%s %s %" PRId64 "\n", fake_event_id(e), fake_event_type(e), fake_event_created(e));
}

/* The whole event log: ids, types, times, requests, objects and their JSON. */
static void transcript(fake_processor *p, text *t)
{
	for (size_t i = 1; i <= fake_event_count(p); i++) {
		const fake_event *e = event_at(p, i);
		char *json = NULL;
		check_ok(p, fake_json_object(&json, p, e, 0));
		const char *object = fake_object_id(fake_event_object(e)); /* NULL: an upcoming invoice */
		text_add(t, "%s %s %" PRId64 " %s %s %s\n", fake_event_id(e), fake_event_type(e), fake_event_created(e),
			 object ? object : "-", fake_event_request_id(e) ? fake_event_request_id(e) : "-", json);
		fake_json_free(p, json);
	}
}

static void test_billing_lifecycle_is_deterministic(void **state)
{
	fake_processor *a = proc_new(state, NULL), *b = proc_new(state, NULL);
	text seen_a = { 0 }, seen_b = { 0 }, log_a = { 0 }, log_b = { 0 }, listed = { 0 };
	check_ok(a, fake_event_subscribe(a, collect, &seen_a));
	check_ok(b, fake_event_subscribe(b, collect, &seen_b));
	run_trial_lifecycle(a);
	run_trial_lifecycle(b);
	transcript(a, &log_a);
	transcript(b, &log_b);
	assert_int_equal(log_a.len, log_b.len);
	assert_true(memcmp(log_a.s, log_b.s, log_a.len) == 0);
	assert_string_equal(seen_a.s, seen_b.s);
	/* the subscriber saw every event once, in log order */
	for (size_t i = 1; i <= fake_event_count(a); i++)
		collect(a, event_at(a, i), &listed);
	assert_string_equal(seen_a.s, listed.s);
	assert_int_equal(fake_event_count(a), 4 + 5 + 1 + 14 * 8 + 15);
	text_free(&seen_a);
	text_free(&seen_b);
	text_free(&log_a);
	text_free(&log_b);
	text_free(&listed);
}

/* ---- 11. invoice.upcoming, the renewal notice ---------------------------------------------- */

#define T_2026_01_29 INT64_C(1769644800) /* T_2026_02_01 - 3 days */
#define T_2026_04_28 INT64_C(1777334400) /* T_2026_05_01 - 3 days */

static fake_processor *proc_upcoming(void **state, int64_t epoch, unsigned int days)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.epoch = epoch;
	o.billing.upcoming_days = days;
	return proc_new(state, &o);
}

/* The event's JSON (fake_json_object), parsed; the caller decrefs it. */
static json_t *event_json(fake_processor *p, const fake_event *e)
{
	char *s = NULL;
	check_ok(p, fake_json_object(&s, p, e, 0));
	json_error_t err;
	json_t *v = json_loads(s, 0, &err);
	if (!v)
		print_error("event JSON does not parse: %s\n%s\n", err.text, s);
	fake_json_free(p, s);
	assert_non_null(v);
	return v;
}

/* Asserts that the invoice.upcoming event e carries an upcoming invoice of
 * sub: no id (object and JSON), billing_reason upcoming, amount_due
 * `amount`, the invoice period [start, end) that the renewal closes, and
 * `lines` lines of which the first bills [line_start, line_end). Sent by
 * the timeline, it carries no request; sent by a call (a subscription
 * created with a period or trial exactly as long as the notice), that
 * call's request. */
static void expect_notice(fake_processor *p, const fake_event *e, const fake_subscription *sub, int64_t amount,
			  size_t lines, int64_t start, int64_t end, int64_t line_start, int64_t line_end)
{
	assert_string_equal(fake_event_type(e), "invoice.upcoming");
	const fake_invoice *inv = fake_event_object(e);
	assert_int_equal(fake_object_type_of(inv), FAKE_OBJECT_INVOICE);
	assert_null(fake_object_id(inv));
	assert_null(fake_invoice_id(inv));
	assert_string_equal(fake_invoice_billing_reason_name(inv), "upcoming");
	assert_string_equal(fake_invoice_status_name(inv), "draft");
	assert_string_equal(fake_invoice_subscription(inv), fake_subscription_id(sub));
	assert_string_equal(fake_invoice_customer(inv), fake_subscription_customer(sub));
	assert_int_equal(fake_invoice_amount_due(inv), amount);
	assert_int_equal(fake_invoice_period_start(inv), start);
	assert_int_equal(fake_invoice_period_end(inv), end);
	assert_int_equal(fake_invoice_line_count(inv), lines);
	assert_string_equal(fake_invoice_line_id(fake_invoice_line_at(inv, 0)), "il_tmp_fake_00001");
	assert_int_equal(fake_invoice_line_period_start(fake_invoice_line_at(inv, 0)), line_start);
	assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(inv, 0)), line_end);

	json_t *v = event_json(p, e);
	json_t *obj = json_object_get(json_object_get(v, "data"), "object");
	assert_non_null(obj);
	assert_null(json_object_get(obj, "id")); /* left out, as Stripe */
	assert_string_equal(json_string_value(json_object_get(v, "type")), "invoice.upcoming");
	assert_string_equal(json_string_value(json_object_get(obj, "object")), "invoice");
	assert_string_equal(json_string_value(json_object_get(obj, "billing_reason")), "upcoming");
	assert_string_equal(json_string_value(json_object_get(obj, "subscription")), fake_subscription_id(sub));
	assert_int_equal(json_integer_value(json_object_get(obj, "amount_due")), amount);
	assert_int_equal(json_integer_value(json_object_get(obj, "period_start")), start);
	assert_int_equal(json_integer_value(json_object_get(obj, "period_end")), end);
	json_t *data = json_object_get(json_object_get(obj, "lines"), "data");
	assert_int_equal(json_array_size(data), lines);
	json_t *period = json_object_get(json_array_get(data, 0), "period");
	assert_int_equal(json_integer_value(json_object_get(period, "start")), line_start);
	assert_int_equal(json_integer_value(json_object_get(period, "end")), line_end);
	json_decref(v);
}

/* The default: 3 days before a monthly renewal, with the next period's
 * invoice as the renewal will make it; the renewal then bills the same. */
/* A notice whose preview has many lines (120 pending items: more than any
 * fixed buffer would hold) is sent, and the renewal bills them all: the
 * clock never stops on it. */
static void test_billing_upcoming_with_many_pending_items(void **state)
{
	fake_processor *p = proc_at(state, T_2026_04_01);
	size_t mark = 0;
	const fake_price *price = NULL;
	const fake_subscription *sub = april_sub(p, &mark, &price, 1);
	for (int i = 0; i < 120; i++) {
		fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
		ic.customer = fake_subscription_customer(sub);
		ic.amount = 100;
		ic.currency = "usd";
		const fake_invoice_item *ii = NULL;
		check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	}
	check_ok(p, fake_clock_advance_to(p, T_2026_04_28));
	const fake_event *e = last_event(p, "invoice.upcoming");
	assert_non_null(e);
	assert_int_equal(fake_event_created(e), T_2026_04_28);
	const fake_invoice *notice = fake_event_object(e);
	assert_int_equal(fake_invoice_line_count(notice), 121);
	assert_int_equal(fake_invoice_amount_due(notice), 1000 + 120 * 100);
	check_ok(p, fake_clock_advance_to(p, T_2026_05_01 + HOUR));
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_int_equal(fake_invoice_line_count(inv), 121);
	expect_invoice(inv, "paid", 13000, 13000, 1, 0);
}

static void test_billing_upcoming_default_before_monthly_renewal(void **state)
{
	fake_processor *p = proc_at(state, T_2026_04_01);
	assert_int_equal(fake_processor_options_get(p)->billing.upcoming_days, 3);
	fake_processor_options defaults = FAKE_PROCESSOR_OPTIONS_INIT;
	assert_int_equal(defaults.billing.upcoming_days, 3);
	size_t mark = 0;
	const fake_price *price = NULL;
	const fake_subscription *sub = april_sub(p, &mark, &price, 2);

	/* 2026-04-28T00:00Z, not a second earlier */
	notice_at(p, &mark, T_2026_04_28);
	const fake_event *e = event_at(p, mark);
	expect_notice(p, e, sub, 2000, 1, T_2026_04_01, T_2026_05_01, T_2026_05_01, T_2026_06_01);
	assert_null(fake_event_request_id(e)); /* timeline work */
	const fake_invoice *notice = fake_event_object(e);
	expect_line(fake_invoice_line_at(notice, 0), "2 x Pro", 2000, 2, false, T_2026_05_01, T_2026_06_01);
	/* the same as the preview on demand, and nothing stored */
	const fake_invoice *preview = NULL;
	check_ok(p, fake_invoice_upcoming(&preview, p, fake_subscription_id(sub), NULL));
	assert_int_equal(fake_invoice_amount_due(preview), fake_invoice_amount_due(notice));
	const fake_invoice *all[8];
	assert_int_equal(sub_invoices(p, fake_subscription_id(sub), all, 8), 1);

	/* the renewal bills what was announced, under the next invoice id */
	quiet_until(p, &mark, T_2026_05_01 - 1);
	advance_to(p, T_2026_05_01);
	expect_events(p, &mark, T_2026_05_01, RENEWAL);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00002");
	expect_invoice(inv, "draft", 2000, 0, 0, 0);
	expect_line(fake_invoice_line_at(inv, 0), "2 x Pro", 2000, 2, false, T_2026_05_01, T_2026_06_01);
	assert_int_equal(fake_invoice_period_start(inv), T_2026_04_01);
	assert_int_equal(fake_invoice_period_end(inv), T_2026_05_01);
	advance_to(p, T_2026_05_01 + HOUR);
	expect_events(p, &mark, T_2026_05_01 + HOUR, CHARGED);
	/* and the next one, 2026-05-29 */
	notice_at(p, &mark, T_2026_06_01 - 3 * DAY);
	expect_notice(p, event_at(p, mark), sub, 2000, 1, T_2026_05_01, T_2026_06_01, T_2026_06_01,
		      INT64_C(1782864000) /* 2026-07-01 */);
}

/* Before a trial end: right after trial_will_end, the same second, with
 * the first paid period and the customer's pending items. */
static void test_billing_upcoming_default_before_trial_end(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const int64_t t0 = T_2026_01_01, trial_end = fifteenth[0], warn = trial_end - 3 * DAY;
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	size_t mark = fake_event_count(p);

	/* a pending item on day 5 goes on the trial end's invoice, and so in the notice */
	advance_to(p, t0 + 5 * DAY);
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = fake_customer_id(cus);
	ic.amount = 500;
	ic.currency = "usd";
	ic.description = "Setup fee";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	expect_events(p, &mark, t0 + 5 * DAY, "invoiceitem.created");

	quiet_until(p, &mark, warn - 1);
	advance_to(p, warn);
	expect_events(p, &mark, warn, "customer.subscription.trial_will_end," UPCOMING);
	assert_string_equal(fake_event_type(event_at(p, mark - 1)), "customer.subscription.trial_will_end");
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	/* the invoice period is the trial; the subscription line the first month */
	expect_notice(p, event_at(p, mark), sub, 1500, 2, t0, trial_end, trial_end, fifteenth[1]);
	const fake_invoice *notice = fake_event_object(event_at(p, mark));
	expect_line(fake_invoice_line_at(notice, 0), "1 x Pro", 1000, 1, false, trial_end, fifteenth[1]);
	assert_string_equal(fake_invoice_line_description(fake_invoice_line_at(notice, 1)), "Setup fee");
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(notice, 1)), 500);
	assert_null(fake_invoice_item_invoice(ii)); /* still pending */

	quiet_until(p, &mark, trial_end - 1);
	advance_to(p, trial_end + HOUR);
	expect_events(p, &mark, 0, RENEWAL "," CHARGED);
	expect_invoice(inv_get(p, fake_subscription_latest_invoice(sub)), "paid", 1500, 1500, 1, 0);
	/* the first renewal's notice, 2026-02-12 */
	notice_at(p, &mark, fifteenth[1] - 3 * DAY);
	expect_notice(p, event_at(p, mark), sub, 1000, 1, trial_end, fifteenth[1], fifteenth[1], fifteenth[2]);
}

/* upcoming_days 7: a week before, so before trial_will_end at a trial end;
 * 0: never; the most, 45, is longer than a month: monthly periods get none. */
static void test_billing_upcoming_configured_days(void **state)
{
	fake_processor *p = proc_upcoming(state, T_2026_01_01, 7);
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	size_t mark = fake_event_count(p);
	notice_at(p, &mark, fifteenth[0] - 7 * DAY); /* 2026-01-08 */
	expect_notice(p, event_at(p, mark), sub, 1000, 1, T_2026_01_01, fifteenth[0], fifteenth[0], fifteenth[1]);
	quiet_until(p, &mark, fifteenth[0] - 3 * DAY - 1);
	advance_to(p, fifteenth[0] - 3 * DAY);
	expect_events(p, &mark, fifteenth[0] - 3 * DAY, "customer.subscription.trial_will_end");
	quiet_until(p, &mark, fifteenth[0] - 1);
	advance_to(p, fifteenth[0] + HOUR);
	expect_events(p, &mark, 0, RENEWAL "," CHARGED);
	notice_at(p, &mark, fifteenth[1] - 7 * DAY); /* 2026-02-08 */
	quiet_until(p, &mark, fifteenth[1] - 1);

	/* 0: never, over a trial end and two renewals */
	fake_processor *off = proc_upcoming(state, T_2026_01_01, 0);
	cus = customer_with(off, "pm_card_visa");
	price = price_new(off, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	sc = sub_params(cus, &item, price, 0);
	sc.trial_period_days = 14;
	sub_create(off, &sc);
	mark = fake_event_count(off);
	advance_to(off, fifteenth[2] + HOUR);
	expect_events(off, &mark, 0,
		      "customer.subscription.trial_will_end," RENEWAL "," CHARGED "," RENEWAL "," CHARGED "," RENEWAL
		      "," CHARGED);

	/* 45: a month is shorter than the notice; a year is not (2027-01-01 - 45 days = 2026-11-17) */
	fake_processor *most = proc_upcoming(state, T_2026_01_01, FAKE_UPCOMING_DAYS_MAX);
	cus = customer_with(most, "pm_card_visa");
	price = price_new(most, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	const fake_price *annual = price_new(most, 12000, FAKE_INTERVAL_YEAR, 1, "Annual");
	sc = sub_params(cus, &item, price, 0);
	sub_create(most, &sc);
	fake_subscription_item_params item2;
	sc = sub_params(cus, &item2, annual, 0);
	const fake_subscription *yearly = sub_create(most, &sc);
	mark = fake_event_count(most);
	advance_to(most, INT64_C(1794873600) - 1); /* 2026-11-17 - 1 s: ten monthly renewals, no notice */
	text t = { 0 };
	log_types(most, mark, &t);
	assert_null(strstr(t.s, UPCOMING));
	text_free(&t);
	mark = fake_event_count(most);
	advance_to(most, INT64_C(1794873600));
	expect_events(most, &mark, INT64_C(1794873600), UPCOMING);
	expect_notice(most, event_at(most, mark), yearly, 12000, 1, T_2026_01_01, INT64_C(1798761600),
		      INT64_C(1798761600), INT64_C(1830297600)); /* 2027-01-01 .. 2028-01-01 */

	/* more than 45 days is refused */
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.billing.upcoming_days = FAKE_UPCOMING_DAYS_MAX + 1;
	fake_processor *bad = NULL;
	assert_int_equal(fake_processor_new(&bad, &o), FAKE_EINVAL);
	assert_null(bad);
}

/* A subscription to `price` from 2026-01-01 for `cus`, charged at once
 * (monthly: renewal 02-01, notice 01-29). */
static const fake_subscription *january_sub(fake_processor *p, const fake_customer *cus, const fake_price *price)
{
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	return sub_create(p, &sc);
}

static const fake_subscription *sub_update(fake_processor *p, const fake_subscription *sub,
					   const fake_subscription_update_params *up)
{
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, fake_subscription_id(sub), up, NULL));
	assert_ptr_equal(out, sub);
	return out;
}

/* No notice for send_invoice: nothing is charged automatically. */
static void test_billing_upcoming_none_for_send_invoice(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, price, 0);
	sc.collection_method = FAKE_COLLECT_SEND_INVOICE;
	sc.days_until_due = 60; /* not overdue within the test */
	const fake_subscription *sub = sub_create(p, &sc);
	size_t mark = fake_event_count(p);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	quiet_until(p, &mark, T_2026_02_01 - 1);
	advance_to(p, T_2026_02_01 + HOUR);
	expect_events(p, &mark, 0, RENEWAL ",payment_intent.created,invoice.finalized,invoice.sent");
	quiet_until(p, &mark, INT64_C(1772323200) - 1); /* 2026-03-01 - 1 s: none on 02-26 either */
}

/* No notice while the subscription cancels at the period end; cleared
 * within the notice, the notice is owed at once: the next advance sends
 * it, dated at the change (as trial_will_end after a trial update). */
static void test_billing_upcoming_none_for_cancel_at_period_end(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	const fake_subscription *ending = january_sub(p, cus, price);
	const fake_subscription *staying = january_sub(p, cus, price);
	size_t mark = fake_event_count(p);
	advance_to(p, T_2026_01_01 + 9 * DAY);
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.cancel_at_period_end = FAKE_FLAG_SET;
	sub_update(p, ending, &up);
	sub_update(p, staying, &up);
	expect_events(p, &mark, T_2026_01_01 + 9 * DAY, "customer.subscription.updated,customer.subscription.updated");

	/* 2026-01-29 passes without a notice; on 01-30 at noon one of them stays after all */
	const int64_t change = T_2026_01_29 + DAY + 12 * HOUR;
	quiet_until(p, &mark, change);
	up.cancel_at_period_end = FAKE_FLAG_CLEAR;
	sub_update(p, staying, &up);
	expect_events(p, &mark, change, "customer.subscription.updated");
	advance_to(p, change + 1);
	expect_events(p, &mark, change, UPCOMING);
	expect_notice(p, event_at(p, mark), staying, 1000, 1, T_2026_01_01, T_2026_02_01, T_2026_02_01,
		      INT64_C(1772323200));
	quiet_until(p, &mark, T_2026_02_01 - 1);
	advance_to(p, T_2026_02_01);
	expect_events(p, &mark, T_2026_02_01, "customer.subscription.deleted," RENEWAL);
	assert_string_equal(fake_subscription_status_name(ending), "canceled");
	assert_string_equal(fake_subscription_status_name(staying), "active");
}

/* No notice for a renewal at or after cancel_at; one before it is announced. */
static void test_billing_upcoming_none_for_cancel_at(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	const fake_subscription *at_renewal = january_sub(p, cus, price);
	const fake_subscription *before = january_sub(p, cus, price);
	size_t mark = fake_event_count(p);
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.cancel_at = T_2026_02_01; /* exactly at the renewal */
	sub_update(p, at_renewal, &up);
	up.cancel_at = T_2026_01_29 + DAY; /* 2026-01-30, within the notice */
	sub_update(p, before, &up);
	expect_events(p, &mark, T_2026_01_01, "customer.subscription.updated,customer.subscription.updated");

	quiet_until(p, &mark, T_2026_01_29 + DAY - 1);
	advance_to(p, T_2026_01_29 + DAY);
	expect_events(p, &mark, T_2026_01_29 + DAY, "customer.subscription.deleted");
	assert_string_equal(fake_subscription_status_name(before), "canceled");
	quiet_until(p, &mark, T_2026_02_01 - 1);
	advance_to(p, T_2026_02_01);
	expect_events(p, &mark, T_2026_02_01, "customer.subscription.deleted");
	assert_string_equal(fake_subscription_status_name(at_renewal), "canceled");
}

/* No notice while collection is paused; collection resuming within the
 * notice sends it in the same job, right after the update. */
static void test_billing_upcoming_none_while_collection_paused(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1, "Pro");
	const fake_subscription *paused = january_sub(p, cus, price);
	const fake_subscription *resuming = january_sub(p, cus, price);
	size_t mark = fake_event_count(p);
	advance_to(p, T_2026_01_01 + 10 * DAY);
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.pause_collection = FAKE_PAUSE_KEEP_AS_DRAFT;
	sub_update(p, paused, &up);
	const int64_t resumes = T_2026_01_29 + DAY + 12 * HOUR; /* 2026-01-30T12:00Z */
	up.pause_resumes_at = resumes;
	sub_update(p, resuming, &up);
	expect_events(p, &mark, T_2026_01_01 + 10 * DAY,
		      "customer.subscription.updated,customer.subscription.updated");

	quiet_until(p, &mark, resumes - 1);
	advance_to(p, resumes);
	expect_events(p, &mark, resumes, "customer.subscription.updated," UPCOMING);
	expect_previous(event_at(p, mark - 1), "pause_collection");
	expect_notice(p, event_at(p, mark), resuming, 1000, 1, T_2026_01_01, T_2026_02_01, T_2026_02_01,
		      INT64_C(1772323200));
	assert_int_equal(fake_subscription_pause_collection(resuming), FAKE_PAUSE_NONE);
	assert_int_equal(fake_subscription_pause_collection(paused), FAKE_PAUSE_KEEP_AS_DRAFT);
	/* both renew; only the resumed one is charged */
	quiet_until(p, &mark, T_2026_02_01 - 1);
	advance_to(p, T_2026_02_01);
	expect_events(p, &mark, T_2026_02_01, RENEWAL "," RENEWAL);
	advance_to(p, T_2026_02_01 + HOUR);
	expect_events(p, &mark, T_2026_02_01 + HOUR, CHARGED);
	expect_invoice(inv_get(p, fake_subscription_latest_invoice(paused)), "draft", 1000, 0, 0, 0);
	/* still paused: no notice for 03-01 either */
	notice_at(p, &mark, INT64_C(1772323200) - 3 * DAY);
	assert_string_equal(fake_invoice_subscription(fake_event_object(event_at(p, mark))),
			    fake_subscription_id(resuming));
}

/* Daily periods are shorter than the notice: none. A period exactly as
 * long as the notice gets it at its start: at creation, and at each
 * renewal right after the renewal's events. */
static void test_billing_upcoming_period_shorter_than_notice(void **state)
{
	fake_processor *p = proc_new(state, NULL);
	const fake_customer *cus = customer_with(p, "pm_card_visa");
	const fake_price *daily = price_new(p, 100, FAKE_INTERVAL_DAY, 1, "Daily");
	size_t mark = fake_event_count(p);
	fake_subscription_item_params item;
	fake_subscription_create_params sc = sub_params(cus, &item, daily, 0);
	sub_create(p, &sc);
	expect_events(p, &mark, T_2026_01_01, CREATED_AND_PAID);
	for (int64_t d = 1; d <= 5; d++) {
		quiet_until(p, &mark, T_2026_01_01 + d * DAY - 1);
		advance_to(p, T_2026_01_01 + d * DAY);
		expect_events(p, &mark, T_2026_01_01 + d * DAY, RENEWAL);
		advance_to(p, T_2026_01_01 + d * DAY + HOUR);
		expect_events(p, &mark, T_2026_01_01 + d * DAY + HOUR, CHARGED);
	}

	fake_processor *q = proc_new(state, NULL);
	cus = customer_with(q, "pm_card_visa");
	const fake_price *three = price_new(q, 100, FAKE_INTERVAL_DAY, 3, "Triduum");
	mark = fake_event_count(q);
	sc = sub_params(cus, &item, three, 0);
	const fake_subscription *sub = sub_create(q, &sc);
	expect_events(q, &mark, T_2026_01_01, CREATED_AND_PAID "," UPCOMING);
	expect_notice(q, event_at(q, mark), sub, 100, 1, T_2026_01_01, T_2026_01_01 + 3 * DAY, T_2026_01_01 + 3 * DAY,
		      T_2026_01_01 + 6 * DAY);
	/* part of the create call, as its trial_will_end would be */
	assert_non_null(fake_event_request_id(event_at(q, mark)));
	assert_string_equal(fake_event_request_id(event_at(q, mark)),
			    fake_event_request_id(last_event(q, "customer.subscription.created")));
	for (int64_t k = 1; k <= 3; k++) {
		const int64_t end = T_2026_01_01 + 3 * k * DAY;
		quiet_until(q, &mark, end - 1);
		advance_to(q, end);
		expect_events(q, &mark, end, RENEWAL "," UPCOMING);
		expect_notice(q, event_at(q, mark), sub, 100, 1, end, end + 3 * DAY, end + 3 * DAY, end + 6 * DAY);
		assert_null(fake_event_request_id(event_at(q, mark)));
		advance_to(q, end + HOUR);
		expect_events(q, &mark, end + HOUR, CHARGED);
	}
}

/* Once per renewal: advancing an hour at a time crosses the notice once,
 * and a proration update after it does not send it again. */
static void test_billing_upcoming_once_per_renewal(void **state)
{
	fake_processor *p = proc_at(state, T_2026_04_01);
	size_t mark = 0;
	const fake_price *price = NULL;
	const fake_subscription *sub = april_sub(p, &mark, &price, 1);
	const char *si = fake_subscription_item_id(fake_subscription_item_at(sub, 0));
	const int64_t change = T_2026_04_28 + DAY + 12 * HOUR; /* 2026-04-29T12:00Z */
	advance_to(p, T_2026_04_28 - DAY);
	expect_events(p, &mark, 0, "");
	size_t notices = 0;
	for (int64_t t = T_2026_04_28 - DAY + HOUR; t < T_2026_05_01; t += HOUR) {
		check_ok(p, fake_clock_advance(p, HOUR));
		if (t == T_2026_04_28) {
			expect_events(p, &mark, t, UPCOMING);
			notices++;
		} else {
			expect_events(p, &mark, 0, "");
		}
		if (t == change) {
			fake_subscription_item_params it = { si, NULL, NULL, 2, false, NULL, 0 };
			fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
			up.items = &it;
			up.item_count = 1;
			sub_update(p, sub, &up);
			expect_events(p, &mark, change, "invoiceitem.created,invoiceitem.created,customer.subscription.updated");
		}
	}
	assert_int_equal(notices, 1);
	/* the helper's small steps do not repeat it either */
	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 0, HOUR - 1, true));
	expect_events(p, &mark, 0, "");
	assert_int_equal(fake_clock_now(p), T_2026_05_01 - 1);
	/* the renewal bills the change the notice did not show: 2 x $10 and the prorations */
	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 0, 1, true));
	expect_events(p, &mark, T_2026_05_01, RENEWAL);
	assert_int_equal(fake_invoice_amount_due(fake_event_object(last_event(p, UPCOMING))), 1000);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_int_equal(fake_invoice_line_count(inv), 3);
	assert_true(fake_invoice_amount_due(inv) > 2000);
	advance_to(p, T_2026_05_01 + HOUR);
	expect_events(p, &mark, T_2026_05_01 + HOUR, CHARGED);
	/* the next renewal has its own notice, of the new quantity */
	notice_at(p, &mark, T_2026_06_01 - 3 * DAY);
	assert_int_equal(fake_invoice_amount_due(fake_event_object(event_at(p, mark))), 2000);
	advance_to(p, T_2026_06_01 + HOUR);
	expect_events(p, &mark, 0, RENEWAL "," CHARGED);
	/* crossed without events (synthesize false), the July notice still
	 * counts as sent: the advance with events shows the renewal alone */
	const int64_t july = INT64_C(1782864000); /* 2026-07-01 */
	check_ok(p, fake_subscription_advance(p, fake_subscription_id(sub), 27, 0, false));
	assert_int_equal(fake_clock_now(p), july - 3 * DAY + HOUR);
	expect_events(p, &mark, 0, "");
	advance_to(p, july + HOUR);
	expect_events(p, &mark, 0, RENEWAL "," CHARGED);
}

/* A processor whose log holds a notice saves and loads to the same bytes,
 * and goes on the same: the notice is not sent again after the load. */
static void test_billing_upcoming_survives_snapshot(void **state)
{
	fake_processor *p = proc_at(state, T_2026_04_01);
	size_t mark = 0;
	const fake_price *price = NULL;
	april_sub(p, &mark, &price, 1);
	notice_at(p, &mark, T_2026_04_28);
	advance_to(p, T_2026_04_28 + HOUR);

	char *saved = NULL;
	check_ok(p, fake_processor_save_string(&saved, p, 0));
	assert_non_null(strstr(saved, "invoice.upcoming"));
	fake_processor *q = proc_new(state, NULL);
	check_ok(q, fake_processor_load_string(q, saved, strlen(saved)));
	char *again = NULL;
	check_ok(q, fake_processor_save_string(&again, q, 0));
	assert_string_equal(saved, again);
	fake_json_free(q, again);

	/* the loaded notice: the same event, with its id-less invoice (each
	 * processor makes the same calls, so that their states stay alike) */
	assert_int_equal(fake_event_count(q), mark);
	expect_notice(p, event_at(p, mark), sub_get(p, "sub_fake_00001"), 1000, 1, T_2026_04_01, T_2026_05_01,
		      T_2026_05_01, T_2026_06_01);
	expect_notice(q, event_at(q, mark), sub_get(q, "sub_fake_00001"), 1000, 1, T_2026_04_01, T_2026_05_01,
		      T_2026_05_01, T_2026_06_01);
	char *a = NULL, *b = NULL;
	check_ok(p, fake_json_object(&a, p, event_at(p, mark), 0));
	check_ok(q, fake_json_object(&b, q, event_at(q, mark), 0));
	assert_string_equal(a, b);
	fake_json_free(p, a);
	fake_json_free(q, b);

	/* both go on alike, without a second notice, to the same state */
	size_t mark_q = mark;
	advance_to(p, T_2026_05_01 + HOUR);
	advance_to(q, T_2026_05_01 + HOUR);
	expect_events(p, &mark, 0, RENEWAL "," CHARGED);
	expect_events(q, &mark_q, 0, RENEWAL "," CHARGED);
	text tp = { 0 }, tq = { 0 };
	transcript(p, &tp);
	transcript(q, &tq);
	assert_string_equal(tp.s, tq.s);
	text_free(&tp);
	text_free(&tq);
	char *after_p = NULL, *after_q = NULL;
	check_ok(p, fake_processor_save_string(&after_p, p, 0));
	check_ok(q, fake_processor_save_string(&after_q, q, 0));
	assert_string_equal(after_p, after_q);
	fake_json_free(p, after_p);
	fake_json_free(q, after_q);
	fake_json_free(p, saved);
}

/* Tests that make their own processors, and tests on one fresh default processor. */
#define HELD(test) cmocka_unit_test_setup_teardown(test, held_setup, held_teardown)
#define FRESH(test) cmocka_unit_test_setup_teardown(test, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		HELD(test_billing_trial_subscription_fourteen_months),
		HELD(test_billing_dunning_cancels_after_last_retry),
		HELD(test_billing_dunning_exhausted_unpaid),
		HELD(test_billing_dunning_exhausted_past_due),
		HELD(test_billing_dunning_exhausted_marks_invoice_uncollectible),
		HELD(test_billing_dunning_recovers_when_paid_by_hand),
		HELD(test_billing_dunning_recovers_on_retry_after_card_swap),
		HELD(test_billing_dunning_follows_configured_schedule),
		HELD(test_billing_3ds_first_payment_authenticated),
		HELD(test_billing_3ds_first_payment_left_alone_expires),
		HELD(test_billing_3ds_card_at_renewal_needs_customer),
		FRESH(test_billing_short_trial_warns_at_creation),
		HELD(test_billing_upgrade_prorates_onto_next_renewal),
		HELD(test_billing_price_change_always_invoice_bills_at_once),
		HELD(test_billing_change_without_proration),
		HELD(test_billing_monthly_anchor_jan_31_across_leap_year),
		HELD(test_billing_yearly_anchor_feb_29),
		HELD(test_billing_weekly_and_daily_intervals),
		HELD(test_billing_send_invoice_overdue_makes_past_due),
		HELD(test_billing_cancel_at_period_end),
		HELD(test_billing_cancel_at),
		HELD(test_billing_advance_helper_crosses_both_trial_points),
		HELD(test_billing_advance_helper_within_trial),
		HELD(test_billing_advance_helper_without_events_still_changes_state),
		HELD(test_billing_transition_helper_each_status),
		HELD(test_billing_transition_then_timeline_continues),
		FRESH(test_billing_reference_22_24_25_create_retrieve),
		FRESH(test_billing_reference_23_no_trial_active),
		FRESH(test_billing_reference_26_27_transitions_stored),
		FRESH(test_billing_reference_28_29_30_advance),
		FRESH(test_billing_reference_31_cancel),
		FRESH(test_billing_reference_32_33_invoice_actions),
		FRESH(test_billing_reference_34_preview_not_stored),
		FRESH(test_billing_reference_44_scripted_create_error),
		FRESH(test_billing_reference_59_trial_after_clock_moved),
		FRESH(test_billing_reference_60_transitions_any_order),
		HELD(test_billing_lifecycle_is_deterministic),
		HELD(test_billing_upcoming_default_before_monthly_renewal),
		HELD(test_billing_upcoming_with_many_pending_items),
		HELD(test_billing_upcoming_default_before_trial_end),
		HELD(test_billing_upcoming_configured_days),
		HELD(test_billing_upcoming_none_for_send_invoice),
		HELD(test_billing_upcoming_none_for_cancel_at_period_end),
		HELD(test_billing_upcoming_none_for_cancel_at),
		HELD(test_billing_upcoming_none_while_collection_paused),
		HELD(test_billing_upcoming_period_shorter_than_notice),
		HELD(test_billing_upcoming_once_per_renewal),
		HELD(test_billing_upcoming_survives_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
