/*
 * bench: libfake's core benchmarks (`meson test --benchmark`, or run
 * build/bench/bench directly; an argument runs only the cases whose name
 * contains it).
 *
 * Each case is run 7 times; the line shows the median time per operation,
 * its target where it has one (docs/performance.md), and PASS or MISS.
 * The harness reads CLOCK_MONOTONIC; the library itself never reads real
 * time. Figures from a sanitizer or debug build mean little.
 *
 * The JSON cases write a subscription with and without Stripe's expand[]
 * (customer and latest_invoice), and sign and verify the JSON of a real
 * event as a webhook payload. After the timed cases, the event log's memory
 * per event: the bytes the same workload holds with and without events.
 *
 * The billing cases follow: a year of monthly billing for N subscriptions
 * on a fresh processor whose allocator counts the bytes it holds, reported
 * with the objects it made, the page faults and the peak memory. The
 * 100,000-subscription case takes a few minutes and 7 GiB, and runs only
 * when asked for (`bench 100k`, or any argument it matches).
 *
 * The test-clock cases (docs/test-clocks.md): "clock: ..." times what a
 * test of subscription code on a test clock does (a clock, three customers
 * on it with a monthly subscription each, one month's advance, a
 * retrieve), per iteration after a reset; "clock-1k" is 1,000
 * subscriptions on one clock advanced month by month through two years,
 * reported like the billing year (`bench clock` runs all of them).
 *
 * The exit status is 0 whatever the figures (timings on a shared machine are
 * noisy); it is 1 only when an operation fails.
 */
#define _POSIX_C_SOURCE 200809L

#include <fake/fake.h>

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#define RUNS 7
#define DAY INT64_C(86400)

struct bench {
	fake_processor *p;
	const char *ids[10000]; /* borrowed customer ids, valid until reset */
	size_t id_count;
};

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void check(struct bench *b, int rc, const char *what)
{
	if (rc == 0)
		return;
	const fake_error *e = fake_error_last(b->p);
	fprintf(stderr, "bench: %s failed: %s: %s\n", what, fake_status_name(rc), e ? e->message : "");
	exit(1);
}

static void reset(struct bench *b)
{
	check(b, fake_processor_reset(b->p), "fake_processor_reset");
	b->id_count = 0;
}

/* Adds n customers with an email and a name (and a visa card if with_card). */
static void add_customers(struct bench *b, size_t n, bool with_card)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "jenny.rosen@example.com";
	cp.name = "Jenny Rosen";
	cp.payment_method = with_card ? "pm_card_visa" : NULL;
	for (size_t i = 0; i < n; i++) {
		const fake_customer *c = NULL;
		check(b, fake_customer_create(&c, b->p, &cp, NULL), "fake_customer_create");
		if (b->id_count < sizeof(b->ids) / sizeof(b->ids[0]))
			b->ids[b->id_count++] = fake_customer_id(c);
	}
}

/* Each case: one run, returning nanoseconds per operation. */

static double create_customer(struct bench *b)
{
	enum { N = 10000 };
	reset(b);
	double t0 = now_ns();
	add_customers(b, N, false);
	return (now_ns() - t0) / N;
}

static double retrieve_customer(struct bench *b)
{
	enum { N = 200000 };
	if (b->id_count != 1000) {
		reset(b);
		add_customers(b, 1000, false);
	}
	double t0 = now_ns();
	for (size_t i = 0; i < N; i++) {
		const fake_customer *c = NULL;
		check(b, fake_customer_retrieve(&c, b->p, b->ids[(i * 7) % 1000], NULL), "fake_customer_retrieve");
	}
	return (now_ns() - t0) / N;
}

static double list_customers(struct bench *b)
{
	enum { N = 20000 };
	if (b->id_count != 1000) {
		reset(b);
		add_customers(b, 1000, false);
	}
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 10;
	fake_list page;
	double t0 = now_ns();
	for (size_t i = 0; i < N; i++)
		check(b, fake_customer_list(&page, b->p, &lp, NULL), "fake_customer_list");
	return (now_ns() - t0) / N;
}

/* Times `rounds` resets of a processor filled by `fill` each round. */
static double timed_resets(struct bench *b, size_t rounds, size_t customers, bool with_card)
{
	double total = 0;
	for (size_t r = 0; r < rounds; r++) {
		add_customers(b, customers, with_card);
		double t0 = now_ns();
		check(b, fake_processor_reset(b->p), "fake_processor_reset");
		total += now_ns() - t0;
		b->id_count = 0;
	}
	return total / (double)rounds;
}

static double reset_10(struct bench *b)
{
	return timed_resets(b, 2000, 10, false);
}

static double reset_typical(struct bench *b)
{
	return timed_resets(b, 500, 50, true);
}

static double reset_10000(struct bench *b)
{
	return timed_resets(b, 3, 10000, false);
}

/* Signs and verifies a 1 KiB event payload, as a handler would. */
static double sign_verify_webhook(struct bench *b)
{
	enum { N = 20000 };
	static char payload[1024];
	memset(payload, 'x', sizeof(payload) - 1);
	memcpy(payload, "{\"id\":\"evt_fake_00001\",\"object\":\"event\",\"pad\":\"", 47);
	payload[sizeof(payload) - 3] = '"';
	payload[sizeof(payload) - 2] = '}';
	size_t len = strlen(payload);
	char header[FAKE_WEBHOOK_HEADER_MAX];
	double t0 = now_ns();
	for (size_t i = 0; i < N; i++) {
		check(b, fake_webhook_sign(header, sizeof(header), b->p, "whsec_bench", 1767225600, payload, len),
		      "fake_webhook_sign");
		check(b, fake_webhook_verify(b->p, payload, len, header, "whsec_bench", 1767225600, 300),
		      "fake_webhook_verify");
	}
	return (now_ns() - t0) / N;
}

/* ---- billing: one subscription at a time ---------------------------------------- */

/* A product and a monthly usd 10.00 price on it; returns the price id
 * (borrowed, valid until reset). */
static const char *add_monthly_price(struct bench *b)
{
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.currency = "usd";
	pc.unit_amount = 1000;
	pc.product_name = "Pro";
	pc.interval = FAKE_INTERVAL_MONTH;
	const fake_price *price = NULL;
	check(b, fake_price_create(&price, b->p, &pc, NULL), "fake_price_create");
	return fake_price_id(price);
}

/* Adds a customer with the card `token` (pm_card_visa...) attached and its default. */
static const char *add_customer_with_default_card(struct bench *b, const char *token)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "jenny.rosen@example.com";
	cp.name = "Jenny Rosen";
	cp.payment_method = token;
	cp.default_payment_method = token;
	const fake_customer *c = NULL;
	check(b, fake_customer_create(&c, b->p, &cp, NULL), "fake_customer_create");
	return fake_customer_id(c);
}

static void add_subscription(struct bench *b, const char *customer, const char *price, unsigned int trial_days)
{
	fake_subscription_item_params item = { NULL, price, NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = customer;
	sc.items = &item;
	sc.item_count = 1;
	sc.trial_period_days = trial_days;
	const fake_subscription *sub = NULL;
	check(b, fake_subscription_create(&sub, b->p, &sc, NULL), "fake_subscription_create");
}

/* A subscription with a 14-day trial: the subscription and its item, the
 * $0 invoice (created, finalized, paid) and their five events. 500 per
 * run, on 500 customers with a card, after a reset. */
static double create_trial_subscription(struct bench *b)
{
	enum { N = 500 };
	reset(b);
	const char *price = add_monthly_price(b);
	add_customers(b, N, true);
	double t0 = now_ns();
	for (size_t i = 0; i < N; i++)
		add_subscription(b, b->ids[i], price, 14);
	return (now_ns() - t0) / N;
}

/* What a test of subscription code typically does first, in full: reset,
 * a price (and its product), a customer with pm_card_visa attached and
 * its default, one more payment method, a subscription with a 14-day
 * trial, and 45 days of the clock in one call: trial_will_end, the trial
 * end with its invoice finalized and charged an hour later, and the first
 * renewal, likewise. */
static double typical_billing_fixture(struct bench *b)
{
	enum { N = 2000 };
	double t0 = now_ns();
	for (size_t i = 0; i < N; i++) {
		reset(b);
		const char *price = add_monthly_price(b);
		const char *customer = add_customer_with_default_card(b, "pm_card_visa");
		fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
		pp.card_number = "5555555555554444";
		const fake_payment_method *pm = NULL;
		check(b, fake_payment_method_create(&pm, b->p, &pp, NULL), "fake_payment_method_create");
		add_subscription(b, customer, price, 14);
		check(b, fake_clock_advance(b->p, 45 * DAY), "fake_clock_advance");
	}
	double t = (now_ns() - t0) / N;
	reset(b);
	return t;
}

/* ---- JSON and webhook payloads (issue 5) ------------------------------------------- */

/* A customer with pm_card_visa as default, subscribed to a monthly price
 * with no trial: the first invoice finalized and paid at once. Returns the
 * subscription. */
static const fake_subscription *add_paid_subscription(struct bench *b)
{
	reset(b);
	const char *price = add_monthly_price(b);
	const char *customer = add_customer_with_default_card(b, "pm_card_visa");
	fake_subscription_item_params item = { NULL, price, NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = customer;
	sc.items = &item;
	sc.item_count = 1;
	const fake_subscription *sub = NULL;
	check(b, fake_subscription_create(&sub, b->p, &sc, NULL), "fake_subscription_create");
	return sub;
}

/* Writes one subscription N times (compact), with `expand` paths. */
static double subscription_json(struct bench *b, const char *const *expand, size_t expand_count)
{
	enum { N = 5000 };
	const fake_subscription *sub = add_paid_subscription(b);
	double t0 = now_ns();
	for (size_t i = 0; i < N; i++) {
		char *json = NULL;
		check(b, fake_json_object_expand(&json, b->p, sub, expand, expand_count, 0), "fake_json_object_expand");
		fake_json_free(b->p, json);
	}
	return (now_ns() - t0) / N;
}

static double json_subscription(struct bench *b)
{
	return subscription_json(b, NULL, 0);
}

static double json_subscription_expanded(struct bench *b)
{
	static const char *const expand[] = { "customer", "latest_invoice" };
	return subscription_json(b, expand, 2);
}

/* Signs and verifies the JSON of the subscription's invoice.payment_succeeded
 * event (its invoice inside: 3,336 bytes) as a webhook handler would: what
 * a delivery costs beyond writing the payload. */
static double sign_verify_event_payload(struct bench *b)
{
	enum { N = 20000 };
	add_paid_subscription(b);
	fake_event_list_params ep = FAKE_EVENT_LIST_PARAMS_INIT;
	ep.type = "invoice.payment_succeeded";
	fake_list page;
	check(b, fake_event_list(&page, b->p, &ep, NULL), "fake_event_list");
	char *payload = NULL;
	check(b, page.count == 1 ? fake_json_object(&payload, b->p, page.data[0], 0) : FAKE_ENOTFOUND,
	      "fake_json_object");
	size_t len = strlen(payload);
	int64_t now = fake_clock_now(b->p);
	char header[FAKE_WEBHOOK_HEADER_MAX];
	double t0 = now_ns();
	for (size_t i = 0; i < N; i++) {
		check(b, fake_webhook_sign(header, sizeof(header), b->p, "whsec_bench", now, payload, len),
		      "fake_webhook_sign");
		check(b, fake_webhook_verify(b->p, payload, len, header, "whsec_bench", now, 300),
		      "fake_webhook_verify");
	}
	double t = (now_ns() - t0) / N;
	fake_json_free(b->p, payload);
	return t;
}

/* ---- test clocks (docs/test-clocks.md) --------------------------------------------- */

/* Adds a customer on test clock `clock` (NULL: on none) with the card
 * `token` attached and its default; returns its id (borrowed, valid until
 * reset). */
static const char *add_clock_customer(struct bench *b, const char *clock, const char *token)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "jenny.rosen@example.com";
	cp.name = "Jenny Rosen";
	cp.payment_method = token;
	cp.default_payment_method = token;
	cp.test_clock = clock;
	const fake_customer *c = NULL;
	check(b, fake_customer_create(&c, b->p, &cp, NULL), "fake_customer_create (test_clock)");
	return fake_customer_id(c);
}

/* The test-clock fixture, once, after a reset: a price (and its
 * product), a test clock frozen at the processor's now (2026-01-01), three
 * customers on it with pm_card_visa attached and their default, each
 * subscribed to the monthly price (the first invoice paid at once); then
 * the clock advances one month, to 2026-02-01T02:00Z (for each
 * subscription: invoice.upcoming on Jan 29, the renewal's invoice drafted
 * on Feb 1, finalized and charged an hour later: 9 events each, 29 with
 * the clock's advancing and ready), and is retrieved, as a test would
 * before it looks.
 * Adds the nanoseconds of the advance and the retrieve alone to
 * *advance_ns. */
static void clock_month_once(struct bench *b, double *advance_ns)
{
	reset(b);
	const char *price = add_monthly_price(b);
	fake_test_clock_create_params tc = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	tc.frozen_time = fake_clock_now(b->p);
	tc.name = "bench";
	const fake_test_clock *clock = NULL;
	check(b, fake_test_clock_create(&clock, b->p, &tc, NULL), "fake_test_clock_create");
	const char *id = fake_test_clock_id(clock);
	for (int i = 0; i < 3; i++)
		add_subscription(b, add_clock_customer(b, id, "pm_card_visa"), price, 0);
	double t0 = now_ns();
	int64_t target = tc.frozen_time + 31 * DAY + 2 * 3600;
	check(b, fake_test_clock_advance(&clock, b->p, id, target, NULL), "fake_test_clock_advance");
	check(b, fake_test_clock_retrieve(&clock, b->p, id, NULL), "fake_test_clock_retrieve");
	*advance_ns += now_ns() - t0;
	if (fake_test_clock_status_of(clock) != FAKE_TEST_CLOCK_READY || fake_test_clock_frozen_time(clock) != target) {
		fprintf(stderr, "bench: the test clock is not ready at its target after its advance\n");
		exit(1);
	}
}

enum { CLOCK_ITERATIONS = 2000 };

/* The whole fixture per iteration (reset included). */
static double clock_month(struct bench *b)
{
	double ignored = 0;
	double t0 = now_ns();
	for (int i = 0; i < CLOCK_ITERATIONS; i++)
		clock_month_once(b, &ignored);
	double t = (now_ns() - t0) / CLOCK_ITERATIONS;
	reset(b);
	return t;
}

/* Only the advance and the retrieve of the same fixture. */
static double clock_month_advance(struct bench *b)
{
	double advance = 0;
	for (int i = 0; i < CLOCK_ITERATIONS; i++)
		clock_month_once(b, &advance);
	reset(b);
	return advance / CLOCK_ITERATIONS;
}

static const struct bench_case {
	const char *name;
	double (*run)(struct bench *b);
	double target_ns; /* 0: none */
} cases[] = {
	{ "create_customer (email, name)", create_customer, 250 },
	{ "retrieve_customer (of 1,000)", retrieve_customer, 100 },
	{ "list_customers limit 10 (of 1,000)", list_customers, 0 },
	{ "reset, 10 customers", reset_10, 2000 },
	{ "reset, typical test (50 cus + 50 pm)", reset_typical, 2000 },
	{ "reset, 10,000 customers", reset_10000, 0 },
	{ "sign + verify a 1 KiB webhook payload", sign_verify_webhook, 0 },
	{ "create subscription, 14-day trial", create_trial_subscription, 3000 },
	{ "typical billing fixture (see source)", typical_billing_fixture, 25000 },
	{ "json: subscription", json_subscription, 0 },
	{ "json: subscription + customer, invoice", json_subscription_expanded, 0 },
	{ "sign + verify an invoice event payload", sign_verify_event_payload, 0 },
	{ "clock: 3 subs, a month (see source)", clock_month, 0 },
	{ "clock: its advance + retrieve alone", clock_month_advance, 0 },
};

/* ---- billing: a year of monthly billing ---------------------------------------------- */

/* An allocator that counts the bytes a processor holds, and their peak.
 * Each block carries its size in a header of max_align_t. */
typedef struct counting_alloc {
	size_t live;
	size_t peak;
} counting_alloc;

#define HEADER sizeof(max_align_t)

static void *count_malloc(size_t size, void *ctx)
{
	counting_alloc *a = ctx;
	unsigned char *block = malloc(HEADER + size);
	if (!block)
		return NULL;
	memcpy(block, &size, sizeof(size));
	a->live += size;
	if (a->live > a->peak)
		a->peak = a->live;
	return block + HEADER;
}

static void count_free(void *ptr, void *ctx)
{
	counting_alloc *a = ctx;
	if (!ptr)
		return;
	unsigned char *block = (unsigned char *)ptr - HEADER;
	size_t size;
	memcpy(&size, block, sizeof(size));
	a->live -= size;
	free(block);
}

static void *count_realloc(void *ptr, size_t size, void *ctx)
{
	counting_alloc *a = ctx;
	if (!ptr)
		return count_malloc(size, ctx);
	unsigned char *block = (unsigned char *)ptr - HEADER;
	size_t old;
	memcpy(&old, block, sizeof(old));
	unsigned char *grown = realloc(block, HEADER + size);
	if (!grown)
		return NULL;
	memcpy(grown, &size, sizeof(size));
	a->live = a->live - old + size;
	if (a->live > a->peak)
		a->peak = a->live;
	return grown + HEADER;
}

typedef struct year_case {
	const char *name;
	size_t subscriptions;
	bool daily;          /* 365 advances of a day; else one advance of 365 days */
	bool opt_in;         /* runs only when the argument names it */
	bool keep_memory;    /* malloc keeps freed memory: runs after the first reuse it */
	double target_ms;    /* 0: none */
	double target_mib;   /* peak memory target; 0: none */
} year_case;

typedef struct year_result {
	double setup_ms;
	double advance_ms;
	long faults;         /* minor page faults during the advance (first touches of memory) */
	uint64_t invoices, payment_intents, charges, events;
	size_t peak_bytes;
	long maxrss_kib;     /* the process's high-water mark so far (not per case) */
} year_result;

/* The number in the id of the newest object a list returns (ids count up
 * from 1 and are never reused, and nothing here is deleted): the count of
 * objects of that type. */
static uint64_t newest_number(const fake_list *page)
{
	if (!page->count)
		return 0;
	const char *id = fake_object_id(page->data[0]);
	const char *digits = strrchr(id, '_');
	return digits ? strtoull(digits + 1, NULL, 10) : 0;
}

static long minor_faults(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/*
 * One processor, N customers each with pm_card_visa attached and their
 * default, each with a subscription to a monthly usd 10.00 price, no
 * trial, its first invoice paid at once. Every tenth customer then gets
 * pm_card_chargeCustomerFail (attaches, declines every charge) as its
 * default, so its first renewal fails and goes through dunning (retries
 * after 3, 5 and 7 days, then canceled: the default billing options).
 * Then the clock moves one year (2026-01-01 to 2027-01-01: twelve
 * renewals for the others).
 */
static void billing_year(const year_case *yc, year_result *r)
{
	counting_alloc a = { 0, 0 };
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.allocator.malloc = count_malloc;
	o.allocator.realloc = count_realloc;
	o.allocator.free = count_free;
	o.allocator.ctx = &a;
	struct bench yb;
	yb.id_count = 0;
	if (fake_processor_new(&yb.p, &o) != 0) {
		fprintf(stderr, "bench: cannot make a processor\n");
		exit(1);
	}
	struct bench *b = &yb;

	double t0 = now_ns();
	const char *price = add_monthly_price(b);
	for (size_t i = 0; i < yc->subscriptions; i++) {
		const char *customer = add_customer_with_default_card(b, "pm_card_visa");
		add_subscription(b, customer, price, 0);
		if (i % 10 == 9) {
			fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
			ap.customer = customer;
			const fake_payment_method *pm = NULL;
			check(b, fake_payment_method_attach(&pm, b->p, "pm_card_chargeCustomerFail", &ap, NULL),
			      "fake_payment_method_attach");
			const fake_customer *c = NULL;
			check(b, fake_customer_set_default_payment_method(&c, b->p, customer, fake_payment_method_id(pm),
									  NULL),
			      "fake_customer_set_default_payment_method");
		}
	}
	long f1 = minor_faults();
	double t1 = now_ns();
	if (yc->daily) {
		for (int d = 0; d < 365; d++)
			check(b, fake_clock_advance(b->p, DAY), "fake_clock_advance");
	} else {
		check(b, fake_clock_advance(b->p, 365 * DAY), "fake_clock_advance");
	}
	double t2 = now_ns();
	r->faults = minor_faults() - f1;
	r->setup_ms = (t1 - t0) / 1e6;
	r->advance_ms = (t2 - t1) / 1e6;

	fake_list page;
	fake_invoice_list_params il = FAKE_INVOICE_LIST_PARAMS_INIT;
	il.page.limit = 1;
	check(b, fake_invoice_list(&page, b->p, &il, NULL), "fake_invoice_list");
	r->invoices = newest_number(&page);
	fake_payment_intent_list_params pl = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	pl.page.limit = 1;
	check(b, fake_payment_intent_list(&page, b->p, &pl, NULL), "fake_payment_intent_list");
	r->payment_intents = newest_number(&page);
	fake_charge_list_params cl = FAKE_CHARGE_LIST_PARAMS_INIT;
	cl.page.limit = 1;
	check(b, fake_charge_list(&page, b->p, &cl, NULL), "fake_charge_list");
	r->charges = newest_number(&page);
	r->events = fake_event_count(b->p);
	r->peak_bytes = a.peak;
	fake_processor_free(b->p);
	if (a.live != 0) {
		fprintf(stderr, "bench: %zu bytes still held after fake_processor_free\n", a.live);
		exit(1);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	r->maxrss_kib = ru.ru_maxrss;
}

/*
 * The cases. The timed advance of a fresh processor first touches every
 * page it fills, and on a virtual machine each first touch (a page fault)
 * can cost more than the work done in the page: glibc gives the memory of
 * a freed processor back to the system, so every run pays them. The last
 * 10k case asks malloc to keep freed memory (glibc's mallopt) so that runs
 * after the warm-up reuse pages already touched: the difference between
 * the two 10k one-advance figures is the cost of the page faults.
 */
static const year_case year_cases[] = {
	{ "year, 1k subs, daily advances", 1000, true, false, false, 0, 0 },
	{ "year, 10k subs, daily advances", 10000, true, false, false, 1000, 1024 },
	{ "year, 10k subs, one advance", 10000, false, false, false, 1000, 1024 },
	{ "year, 100k subs, daily advances", 100000, true, true, false, 0, 0 },
	{ "year, 10k subs, one advance, warm", 10000, false, false, true, 0, 1024 },
};

#define YEAR_RUNS 5
#define YEAR_RUNS_BIG 3

/* Lets malloc keep the memory freed processors give back (glibc only). */
static void keep_freed_memory(void)
{
#if defined(__GLIBC__)
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	mallopt(M_MMAP_THRESHOLD, INT_MAX);
#endif
}

static int cmp_year_advance(const void *a, const void *b)
{
	double x = ((const year_result *)a)->advance_ms, y = ((const year_result *)b)->advance_ms;
	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b);

static void run_year_cases(const char *only)
{
	bool header = false;
	for (size_t i = 0; i < sizeof(year_cases) / sizeof(year_cases[0]); i++) {
		const year_case *yc = &year_cases[i];
		if (only ? !strstr(yc->name, only) : yc->opt_in)
			continue;
		if (!header) {
			printf("\nA year of monthly billing, a tenth of the cards failing: median of %d runs (%d for 100k),\n"
			       "each on a new processor; setup (customers, cards, subscriptions) not in the advance time;\n"
			       "faults: page faults during the advance, in thousands; us/inv: advance time per invoice\n",
			       YEAR_RUNS, YEAR_RUNS_BIG);
			printf("%-34s %8s %10s %7s  %-6s %7s %8s %8s %8s %9s %7s %8s %7s  %s\n", "case", "setup ms",
			       "advance ms", "target", "result", "faults", "invoices", "intents", "charges", "events",
			       "us/inv", "peak MiB", "rss MiB", "memory");
			header = true;
		}
		if (yc->keep_memory)
			keep_freed_memory();
		int runs = yc->opt_in ? YEAR_RUNS_BIG : YEAR_RUNS;
		year_result res[YEAR_RUNS];
		double setups[YEAR_RUNS];
		if (!yc->opt_in)
			billing_year(yc, &res[0]); /* warm-up */
		for (int r = 0; r < runs; r++) {
			billing_year(yc, &res[r]);
			setups[r] = res[r].setup_ms;
		}
		qsort(res, (size_t)runs, sizeof(res[0]), cmp_year_advance);
		qsort(setups, (size_t)runs, sizeof(setups[0]), cmp_double);
		const year_result *m = &res[runs / 2];
		double mib = (double)m->peak_bytes / (1024.0 * 1024.0);
		double rss = (double)m->maxrss_kib / 1024.0;
		char target[32] = "-";
		const char *time_result = "-", *mem_result = "-";
		if (yc->target_ms > 0) {
			snprintf(target, sizeof(target), "<= %.0f", yc->target_ms);
			time_result = m->advance_ms <= yc->target_ms ? "PASS" : "MISS";
		}
		if (yc->target_mib > 0)
			mem_result = mib <= yc->target_mib && rss <= yc->target_mib ? "PASS" : "MISS";
		printf("%-34s %8.1f %10.1f %7s  %-6s %7.1f %8llu %8llu %8llu %9llu %7.1f %8.1f %7.1f  %s\n", yc->name,
		       setups[runs / 2], m->advance_ms, target, time_result, (double)m->faults / 1000.0,
		       (unsigned long long)m->invoices, (unsigned long long)m->payment_intents,
		       (unsigned long long)m->charges, (unsigned long long)m->events,
		       m->advance_ms * 1e3 / (double)m->invoices, mib, rss, mem_result);
		fflush(stdout);
	}
}

/* ---- test clocks: 1,000 subscriptions on one clock, two years ------------------------- */

#define CLOCK_1K_NAME "clock-1k: 1,000 subs on a test clock, 24 monthly advances"
#define CLOCK_1K_BASELINE_NAME "clock-1k baseline: the same on the processor clock"
#define CLOCK_1K_SUBS 1000
#define CLOCK_1K_MONTHS 24
#define CLOCK_1K_RUNS 5

/* Unix time of 00:00:00 UTC on the first of `month` (1..12) of `year`
 * (days from the civil date: Howard Hinnant's algorithm). */
static int64_t first_of_month(int64_t year, int64_t month)
{
	year -= month <= 2;
	int64_t era = (year >= 0 ? year : year - 399) / 400;
	int64_t yoe = year - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * DAY;
}

typedef struct clock_1k_result {
	double setup_ms;
	double advance_ms;   /* the 24 advances (each followed by a retrieve) */
	long faults;         /* minor page faults during the advances */
	uint64_t invoices;   /* made by the advances (the first ones, made at setup, not counted) */
	uint64_t payment_intents, charges;
	size_t events;       /* every event, setup included */
	size_t peak_bytes;
	long maxrss_kib;     /* the process's high-water mark so far */
} clock_1k_result;

static int cmp_clock_1k(const void *a, const void *b)
{
	double x = ((const clock_1k_result *)a)->advance_ms, y = ((const clock_1k_result *)b)->advance_ms;
	return (x > y) - (x < y);
}

static uint64_t invoice_count(struct bench *b)
{
	fake_list page;
	fake_invoice_list_params il = FAKE_INVOICE_LIST_PARAMS_INIT;
	il.page.limit = 1;
	check(b, fake_invoice_list(&page, b->p, &il, NULL), "fake_invoice_list");
	return newest_number(&page);
}

/*
 * One processor (counting allocator), one test clock frozen at the epoch
 * (2026-01-01), 1,000 customers on it, each with pm_card_visa attached and
 * its default, each subscribed to a monthly usd 10.00 price: every fourth
 * with a 14-day trial (renewing on the 15th), the others paying their
 * first invoice at once (renewing on the 1st). 75 of them then get
 * pm_card_chargeCustomerFail as their default (50 paying ones, i % 20 ==
 * 19, and 25 trial ones, i % 40 == 0), so their next charge (the first
 * renewal, or the trial end) fails and dunning cancels the subscription
 * after the retries (3, 5, 7 days: the default billing). Then the clock
 * advances to the first of each month, 2026-02-01 .. 2028-01-01: 24
 * advances, each at most two intervals of the shortest subscription (one
 * month here), each followed by a retrieve that must read ready.
 *
 * The baseline (on_test_clock false) does the same on the processor
 * clock: customers without test_clock, fake_clock_advance_to() the same
 * 24 times, no clock to retrieve. The difference is what test clocks cost.
 */
static void clock_1k(clock_1k_result *r, bool on_test_clock)
{
	counting_alloc a = { 0, 0 };
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.allocator.malloc = count_malloc;
	o.allocator.realloc = count_realloc;
	o.allocator.free = count_free;
	o.allocator.ctx = &a;
	struct bench cb;
	cb.id_count = 0;
	if (fake_processor_new(&cb.p, &o) != 0) {
		fprintf(stderr, "bench: cannot make a processor\n");
		exit(1);
	}
	struct bench *b = &cb;

	double t0 = now_ns();
	const char *price = add_monthly_price(b);
	fake_test_clock_create_params tc = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	tc.frozen_time = fake_clock_now(b->p);
	tc.name = "bench 1k";
	const fake_test_clock *clock = NULL;
	const char *id = NULL;
	if (on_test_clock) {
		check(b, fake_test_clock_create(&clock, b->p, &tc, NULL), "fake_test_clock_create");
		id = fake_test_clock_id(clock);
	}
	for (size_t i = 0; i < CLOCK_1K_SUBS; i++) {
		const char *customer = add_clock_customer(b, id, "pm_card_visa");
		add_subscription(b, customer, price, i % 4 == 0 ? 14 : 0);
		if (i % 20 == 19 || i % 40 == 0) {
			fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
			ap.customer = customer;
			const fake_payment_method *pm = NULL;
			check(b, fake_payment_method_attach(&pm, b->p, "pm_card_chargeCustomerFail", &ap, NULL),
			      "fake_payment_method_attach");
			const fake_customer *c = NULL;
			check(b, fake_customer_set_default_payment_method(&c, b->p, customer, fake_payment_method_id(pm),
									  NULL),
			      "fake_customer_set_default_payment_method");
		}
	}
	uint64_t invoices_before = invoice_count(b);
	long f1 = minor_faults();
	double t1 = now_ns();
	for (int m = 1; m <= CLOCK_1K_MONTHS; m++) {
		int64_t target = first_of_month(2026 + m / 12, 1 + m % 12);
		if (!on_test_clock) {
			check(b, fake_clock_advance_to(b->p, target), "fake_clock_advance_to");
			continue;
		}
		check(b, fake_test_clock_advance(&clock, b->p, id, target, NULL), "fake_test_clock_advance");
		check(b, fake_test_clock_retrieve(&clock, b->p, id, NULL), "fake_test_clock_retrieve");
		if (fake_test_clock_status_of(clock) != FAKE_TEST_CLOCK_READY ||
		    fake_test_clock_frozen_time(clock) != target) {
			fprintf(stderr, "bench: the test clock is not ready at its target after advance %d\n", m);
			exit(1);
		}
	}
	double t2 = now_ns();
	r->faults = minor_faults() - f1;
	r->setup_ms = (t1 - t0) / 1e6;
	r->advance_ms = (t2 - t1) / 1e6;
	r->invoices = invoice_count(b) - invoices_before;
	fake_list page;
	fake_payment_intent_list_params pl = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	pl.page.limit = 1;
	check(b, fake_payment_intent_list(&page, b->p, &pl, NULL), "fake_payment_intent_list");
	r->payment_intents = newest_number(&page);
	fake_charge_list_params cl = FAKE_CHARGE_LIST_PARAMS_INIT;
	cl.page.limit = 1;
	check(b, fake_charge_list(&page, b->p, &cl, NULL), "fake_charge_list");
	r->charges = newest_number(&page);
	r->events = fake_event_count(b->p);
	r->peak_bytes = a.peak;
	fake_processor_free(b->p);
	if (a.live != 0) {
		fprintf(stderr, "bench: %zu bytes still held after fake_processor_free\n", a.live);
		exit(1);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	r->maxrss_kib = ru.ru_maxrss;
}

static void run_clock_1k_case(const char *name, bool on_test_clock, bool header)
{
	clock_1k_result res[CLOCK_1K_RUNS], warm;
	double setups[CLOCK_1K_RUNS];
	clock_1k(&warm, on_test_clock); /* warm-up */
	for (int r = 0; r < CLOCK_1K_RUNS; r++) {
		clock_1k(&res[r], on_test_clock);
		setups[r] = res[r].setup_ms;
	}
	qsort(res, CLOCK_1K_RUNS, sizeof(res[0]), cmp_clock_1k);
	qsort(setups, CLOCK_1K_RUNS, sizeof(setups[0]), cmp_double);
	const clock_1k_result *m = &res[CLOCK_1K_RUNS / 2];
	if (header) {
		printf("\n1,000 subscriptions, two years month by month: median of %d runs (min-max), each on a new\n"
		       "processor; setup (clock, customers, cards, subscriptions) not in the advance time; invoices: made\n"
		       "by the advances; us/inv: advance time per such invoice; faults: page faults during the advances,\n"
		       "in thousands\n",
		       CLOCK_1K_RUNS);
		printf("%-58s %-10s %-20s %9s %7s %8s %8s %8s %9s %7s %8s %7s\n", "case", "setup ms", "advances ms",
		       "per adv", "faults", "invoices", "intents", "charges", "events", "us/inv", "peak MiB", "rss MiB");
	}
	char range[32];
	snprintf(range, sizeof(range), "%.1f (%.1f-%.1f)", m->advance_ms, res[0].advance_ms,
		 res[CLOCK_1K_RUNS - 1].advance_ms);
	printf("%-58s %-10.1f %-20s %9.2f %7.1f %8llu %8llu %8llu %9zu %7.1f %8.1f %7.1f\n", name,
	       setups[CLOCK_1K_RUNS / 2], range,
	       m->advance_ms / CLOCK_1K_MONTHS, (double)m->faults / 1000.0, (unsigned long long)m->invoices,
	       (unsigned long long)m->payment_intents, (unsigned long long)m->charges, m->events,
	       m->advance_ms * 1e3 / (double)m->invoices, (double)m->peak_bytes / (1024.0 * 1024.0),
	       (double)m->maxrss_kib / 1024.0);
	fflush(stdout);
}

static void run_clock_1k(const char *only)
{
	bool header = true;
	if (!only || strstr(CLOCK_1K_NAME, only)) {
		run_clock_1k_case(CLOCK_1K_NAME, true, header);
		header = false;
	}
	if (!only || strstr(CLOCK_1K_BASELINE_NAME, only))
		run_clock_1k_case(CLOCK_1K_BASELINE_NAME, false, header);
}

/* ---- the event log's memory (issue 5) ------------------------------------------------ */

/*
 * The bytes a processor holds at its peak after a workload: n customers
 * with pm_card_visa attached and their default, each subscribed to a
 * monthly price with no trial (the first invoice paid at once), then 32
 * days of the clock (the first renewal: its invoice created, finalized an
 * hour later and paid; 19 events per subscription in all). With events
 * (the default) or with synthesize_events off; the difference divided by
 * the events is what the event log costs per event: the event, its
 * snapshots (object and previous), ids and its place in the tables.
 */
static size_t event_workload(bool events, size_t n, size_t *event_count)
{
	counting_alloc a = { 0, 0 };
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.allocator.malloc = count_malloc;
	o.allocator.realloc = count_realloc;
	o.allocator.free = count_free;
	o.allocator.ctx = &a;
	o.synthesize_events = events;
	struct bench eb;
	eb.id_count = 0;
	if (fake_processor_new(&eb.p, &o) != 0) {
		fprintf(stderr, "bench: cannot make a processor\n");
		exit(1);
	}
	const char *price = add_monthly_price(&eb);
	for (size_t i = 0; i < n; i++)
		add_subscription(&eb, add_customer_with_default_card(&eb, "pm_card_visa"), price, 0);
	check(&eb, fake_clock_advance(eb.p, 32 * DAY), "fake_clock_advance");
	*event_count = fake_event_count(eb.p);
	fake_processor_free(eb.p);
	return a.peak;
}

#define EVENT_MEMORY_NAME "event log memory, 1,000 subscriptions"
#define EVENT_MEMORY_RUNS 5

static void run_event_memory(const char *only)
{
	if (only && !strstr(EVENT_MEMORY_NAME, only))
		return;
	enum { N = 1000 };
	double per_event[EVENT_MEMORY_RUNS];
	size_t events = 0, with = 0, without = 0, none = 0;
	for (int r = 0; r < EVENT_MEMORY_RUNS; r++) {
		with = event_workload(true, N, &events);
		without = event_workload(false, N, &none);
		per_event[r] = events ? (double)(with - without) / (double)events : 0;
	}
	qsort(per_event, EVENT_MEMORY_RUNS, sizeof(per_event[0]), cmp_double);
	printf("\n%-38s %9s %12s %12s %12s\n", "case", "events", "peak bytes", "no events", "bytes/event");
	printf("%-38s %9zu %12zu %12zu %12.1f\n", EVENT_MEMORY_NAME, events, with, without,
	       per_event[EVENT_MEMORY_RUNS / 2]);
	fflush(stdout);
}

/* ---- snapshots: save and load 100,000 objects -------------------------------------- */

#define SNAPSHOT_NAME "snapshot of 100,000 objects"
#define SNAPSHOT_RUNS 5

/* 12,500 customers, each with a card and a paid monthly subscription: the
 * customer, payment method, subscription, item, invoice, payment intent,
 * charge and balance transaction make 8 objects each, 100,001 with the
 * price and product (and their events, also in the snapshot). */
static void snapshot_workload(struct bench *sb)
{
	if (fake_processor_new(&sb->p, NULL) != 0) {
		fprintf(stderr, "bench: cannot make a processor\n");
		exit(1);
	}
	const char *price = add_monthly_price(sb);
	for (size_t i = 0; i < 12500; i++)
		add_subscription(sb, add_customer_with_default_card(sb, "pm_card_visa"), price, 0);
}

static void run_snapshot(const char *only)
{
	if (only && !strstr(SNAPSHOT_NAME, only))
		return;
	struct bench sb;
	sb.id_count = 0;
	snapshot_workload(&sb);
	double save_ms[SNAPSHOT_RUNS], load_ms[SNAPSHOT_RUNS];
	size_t bytes = 0;
	for (int r = 0; r < SNAPSHOT_RUNS; r++) {
		char *doc = NULL;
		double t0 = now_ns();
		check(&sb, fake_processor_save_string(&doc, sb.p, 0), "fake_processor_save_string");
		double t1 = now_ns();
		bytes = strlen(doc);
		fake_processor *q = NULL;
		if (fake_processor_new(&q, NULL) != 0)
			exit(1);
		double t2 = now_ns();
		if (fake_processor_load_string(q, doc, bytes) != 0) {
			fprintf(stderr, "bench: load failed: %s\n", fake_error_last(q)->message);
			exit(1);
		}
		double t3 = now_ns();
		save_ms[r] = (t1 - t0) / 1e6;
		load_ms[r] = (t3 - t2) / 1e6;
		fake_processor_free(q);
		fake_json_free(sb.p, doc);
	}
	qsort(save_ms, SNAPSHOT_RUNS, sizeof(save_ms[0]), cmp_double);
	qsort(load_ms, SNAPSHOT_RUNS, sizeof(load_ms[0]), cmp_double);
	double mb = (double)bytes / 1e6;
	printf("\n%-38s %9s %9s %9s %9s %9s %9s\n", "case", "objects", "events", "MB", "save ms", "save MB/s",
	       "load ms");
	printf("%-38s %9zu %9zu %9.1f %9.1f %9.1f %9.1f  load %.1f MB/s\n", SNAPSHOT_NAME, (size_t)100001,
	       fake_event_count(sb.p), mb, save_ms[SNAPSHOT_RUNS / 2], mb / (save_ms[SNAPSHOT_RUNS / 2] / 1e3),
	       load_ms[SNAPSHOT_RUNS / 2], mb / (load_ms[SNAPSHOT_RUNS / 2] / 1e3));
	fflush(stdout);
	fake_processor_free(sb.p);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	struct bench *b = calloc(1, sizeof(*b));
	if (!b || fake_processor_new(&b->p, NULL) != 0) {
		fprintf(stderr, "bench: cannot make a processor\n");
		return 1;
	}
	printf("libfake %s benchmarks: median of %d runs\n", FAKE_VERSION_STRING, RUNS);
	printf("%-38s %12s %10s  %s\n", "case", "ns/op", "target", "result");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bench_case *c = &cases[i];
		if (only && !strstr(c->name, only))
			continue;
		double runs[RUNS];
		c->run(b); /* warm-up */
		for (int r = 0; r < RUNS; r++)
			runs[r] = c->run(b);
		qsort(runs, RUNS, sizeof(runs[0]), cmp_double);
		double median = runs[RUNS / 2];
		char target[32] = "-";
		const char *result = "-";
		if (c->target_ns > 0) {
			snprintf(target, sizeof(target), "<= %.0f", c->target_ns);
			result = median <= c->target_ns ? "PASS" : "MISS";
		}
		printf("%-38s %12.1f %10s  %s\n", c->name, median, target, result);
		fflush(stdout);
	}
	run_event_memory(only);
	run_snapshot(only);
	run_clock_1k(only); /* before the year cases: their last one makes malloc keep freed memory */
	run_year_cases(only);
	fake_processor_free(b->p);
	free(b);
	return 0;
}
