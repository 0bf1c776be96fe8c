/*
 * Test clocks (fake/test_clock.h): the object, its list, the limit, the
 * customers that live on a clock and their billing, the advance rules,
 * deferred completion, the deletion cascade and auto-delete, the SDK
 * helpers (advance_and_wait, cleanup, the per-test owner), bad input
 * (table-driven, one cmocka test per row) and snapshots.
 *
 * Every test gets a fresh processor from the fixture (proc()); a test that
 * needs other options makes its processors with proc_new(), which the
 * fixture frees too, even when the test fails.
 *
 * Golden times are literal unix seconds (UTC) with the date in a comment,
 * so that the calendar code under test never checks itself. Most clocks
 * are frozen at 2025-06-01 while the processor clock reads its default
 * epoch, 2026-01-01, so that a time taken from the wrong clock shows.
 *
 * The JSON of clocks and their events is checked against Stripe's OpenAPI
 * schemas with validate.py (VALIDATE_PY, as test_json.c). spec3.json is
 * API 2023-08-16, which has no status_details; Stripe's current fixture
 * (fixtures3.latest.json) has it. So the documents are validated whole
 * without --strict, and with --strict after status_details is taken out,
 * and the key set is compared with the current fixture's.
 *
 * Allocation failures in every test clock operation and helper are
 * injected in test_alloc_failure.c; that the owner cleans up after a
 * failing test is proved by test_clock_owner_fixture.c.
 */
#include "helpers.h"
#include "json_helpers.h"

#include <inttypes.h>
#include <math.h>

#include <jansson.h>

#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)

#define EPOCH FAKE_EPOCH_DEFAULT        /* 2026-01-01T00:00:00Z, the processor clock's start */
#define T_2025_06_01 INT64_C(1748736000) /* where most test clocks are frozen */
#define T_2025_06_12 INT64_C(1749686400) /* trial end - 3 days */
#define T_2025_06_15 INT64_C(1749945600) /* a 14-day trial from 2025-06-01 ends */
#define T_2025_07_01 INT64_C(1751328000)
#define T_2025_07_12 INT64_C(1752278400)
#define T_2025_07_15 INT64_C(1752537600)
#define T_2025_08_01 INT64_C(1754006400) /* 2025-06-01 + two months */
#define T_2025_08_15 INT64_C(1755216000)
#define T_2026_02_01 INT64_C(1769904000)
#define T_2026_03_01 INT64_C(1772323200) /* the epoch + two months */
#define T_2026_05_01 INT64_C(1777593600) /* 2026-03-01 + two months */
#define T_2027_06_01 INT64_C(1811808000) /* 2025-06-01 + two years */
#define T_2028_01_01 INT64_C(1830297600) /* the epoch + two years */

#define CLOCK_OBJECT "test_helpers.test_clock"

/* A non-NULL pointer no call returns: outs are preset to it so a test sees
 * that a failing call really wrote NULL. */
static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)
static char owner_sentinel;
#define OWNER_SENTINEL ((fake_test_clock_owner *)(void *)&owner_sentinel)

/* ---- the fixture ---------------------------------------------------------------- */

typedef struct held {
	fake_processor *p[6];
	size_t count;
	void *mem[16]; /* malloc'd by the test, freed by the fixture */
	size_t mem_count;
} held;

static int held_setup(void **state)
{
	held *h = calloc(1, sizeof(held));
	if (!h || fake_processor_new(&h->p[0], NULL) != 0) {
		free(h);
		return -1;
	}
	h->count = 1;
	*state = h;
	return 0;
}

static int held_teardown(void **state)
{
	held *h = *state;
	for (size_t i = 0; i < h->count; i++)
		fake_processor_free(h->p[i]);
	for (size_t i = 0; i < h->mem_count; i++)
		free(h->mem[i]);
	free(h);
	return 0;
}

/* Memory from malloc that the fixture frees, even when the test fails. */
static char *hold(void **state, char *mem)
{
	held *h = *state;
	assert_true(h->mem_count < sizeof h->mem / sizeof h->mem[0]);
	h->mem[h->mem_count++] = mem;
	return mem;
}

/* The test's fresh processor, with the default options. */
static fake_processor *proc(void **state)
{
	return ((held *)*state)->p[0];
}

/* Another processor (NULL options: the defaults), freed by the fixture. */
static fake_processor *proc_new(void **state, const fake_processor_options *o)
{
	held *h = *state;
	assert_true(h->count < sizeof h->p / sizeof h->p[0]);
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, o), 0);
	h->p[h->count++] = p;
	return p;
}

/* A processor whose advances complete at the Nth retrieval. */
static fake_processor *proc_polls(void **state, unsigned int polls)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.test_clocks.ready_after_retrievals = polls;
	return proc_new(state, &o);
}

static fake_processor *proc_no_auto_delete(void **state)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.test_clocks.auto_delete = false;
	return proc_new(state, &o);
}

/* ---- helpers -------------------------------------------------------------------- */

static const fake_test_clock *clock_new(fake_processor *p, int64_t frozen_time, const char *name)
{
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = frozen_time;
	cp.name = name;
	const fake_test_clock *c = SENTINEL;
	check_ok(p, fake_test_clock_create(&c, p, &cp, NULL));
	assert_non_null(c);
	assert_ptr_not_equal(c, SENTINEL);
	return c;
}

static const fake_test_clock *clock_get(fake_processor *p, const char *id)
{
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_retrieve(&c, p, id, NULL));
	assert_non_null(c);
	return c;
}

/* Advances a clock; with the default options it comes back ready at t. */
static const fake_test_clock *clock_advance(fake_processor *p, const char *id, int64_t t)
{
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_advance(&c, p, id, t, NULL));
	assert_non_null(c);
	return c;
}

static void clock_delete(fake_processor *p, const char *id)
{
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_delete(&c, p, id, NULL));
	assert_true(fake_test_clock_deleted(c));
}

/* Whether a clock exists and is not deleted. */
static bool clock_live(fake_processor *p, const char *id)
{
	const fake_test_clock *c = NULL;
	int rc = fake_test_clock_retrieve(&c, p, id, NULL);
	assert_true(rc == 0 || rc == FAKE_ENOTFOUND);
	return rc == 0;
}

/* A customer on `clock` (NULL: on none) whose invoice_settings default is a
 * new card from `token` (NULL: no card). */
static const fake_customer *customer_on(fake_processor *p, const char *clock, const char *token)
{
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.email = "jo@example.com";
	cc.payment_method = token;
	cc.default_payment_method = token;
	cc.test_clock = clock;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, &cc, NULL));
	assert_non_null(c);
	return c;
}

static const fake_customer *customer_get(fake_processor *p, const char *id)
{
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_retrieve(&c, p, id, NULL));
	assert_non_null(c);
	return c;
}

/* A recurring usd price of `amount` every `count` `interval`s, with a new product. */
static const fake_price *price_new(fake_processor *p, int64_t amount, fake_interval interval, unsigned int count)
{
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.currency = "usd";
	pc.unit_amount = amount;
	pc.product_name = "Pro";
	pc.interval = interval;
	pc.interval_count = count;
	const fake_price *price = NULL;
	check_ok(p, fake_price_create(&price, p, &pc, NULL));
	assert_non_null(price);
	return price;
}

/* A subscription of `customer` to one `price`, with a trial of `trial_days` (0: none). */
static const fake_subscription *sub_new(fake_processor *p, const fake_customer *customer, const fake_price *price,
					unsigned int trial_days)
{
	fake_subscription_item_params it = { NULL, fake_price_id(price), NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = fake_customer_id(customer);
	sc.items = &it;
	sc.item_count = 1;
	sc.trial_period_days = trial_days;
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
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

/* The events after the first `from`, one line each: "type created object\n". */
static void transcript(fake_processor *p, size_t from, text *t)
{
	t->len = 0;
	text_add(t, "%s", "");
	for (size_t i = from + 1; i <= fake_event_count(p); i++) {
		const fake_event *e = event_at(p, i);
		const char *about = fake_object_id(fake_event_object(e));
		text_add(t, "%s %" PRId64 " %s\n", fake_event_type(e), fake_event_created(e), about ? about : "-");
	}
}

/* The types of the events after the first `from`, joined with commas. */
static void log_types(fake_processor *p, size_t from, text *t)
{
	t->len = 0;
	text_add(t, "%s", "");
	for (size_t i = from + 1; i <= fake_event_count(p); i++)
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

/* Asserts that the next events after *mark are `golden` (types joined with
 * commas), each created at `at`, and moves *mark past them. */
static void expect_next(fake_processor *p, size_t *mark, int64_t at, const char *golden)
{
	char types[1024];
	snprintf(types, sizeof types, "%s", golden);
	for (char *type = strtok(types, ","); type; type = strtok(NULL, ",")) {
		if (fake_event_count(p) <= *mark) {
			print_error("no event #%zu (expected %s)\n", *mark + 1, type);
			fail();
		}
		const fake_event *e = event_at(p, ++*mark);
		if (strcmp(fake_event_type(e), type) != 0 || fake_event_created(e) != at) {
			print_error("event #%zu is %s at %" PRId64 ", expected %s at %" PRId64 "\n", *mark,
				    fake_event_type(e), fake_event_created(e), type, at);
			fail();
		}
	}
}

/* Asserts that the next event after *mark is `type` about `id` at `at`, and moves past it. */
static void expect_event(fake_processor *p, size_t *mark, const char *type, const char *id, int64_t at)
{
	assert_true(fake_event_count(p) > *mark);
	const fake_event *e = event_at(p, ++*mark);
	if (strcmp(fake_event_type(e), type) != 0) {
		print_error("event #%zu is %s, expected %s\n", *mark, fake_event_type(e), type);
		fail();
	}
	assert_string_equal(fake_object_id(fake_event_object(e)), id);
	assert_int_equal(fake_event_created(e), at);
}

/* Payment events of an automatic charge that succeeds / is declined (as test_billing.c). */
#define PAID "charge.succeeded,payment_intent.succeeded,invoice.paid,invoice.payment_succeeded"
#define DECLINED "charge.failed,payment_intent.payment_failed,invoice.payment_failed"
#define RENEWAL "invoice.created,customer.subscription.updated"
#define CHARGED "payment_intent.created,invoice.finalized," PAID
#define UPCOMING "invoice.upcoming"

/*
 * The processor's saved state (compact), in memory from malloc, with the
 * request counter blanked: every call counts a request, a failing one
 * too, and nothing else of a failing call may show.
 */
static char *state_of(fake_processor *p)
{
	char *s = NULL;
	int rc = fake_processor_save_string(&s, p, 0);
	if (rc) {
		print_error("save: %s: %s\n", fake_status_name(rc), fake_error_last(p)->message);
		fail();
	}
	size_t len = strlen(s);
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	const char *key = "\"requests\":";
	const char *at = strstr(s, key);
	assert_non_null(at);
	size_t head = (size_t)(at - s) + strlen(key);
	memcpy(copy, s, head);
	const char *rest = s + head;
	while (*rest >= '0' && *rest <= '9')
		rest++;
	copy[head] = '#';
	memcpy(copy + head + 1, rest, strlen(rest) + 1);
	fake_json_free(p, s);
	return copy;
}

/* Prints where two texts first differ. */
static void print_difference(const char *want, const char *got)
{
	size_t i = 0;
	while (want[i] && want[i] == got[i])
		i++;
	size_t from = i > 80 ? i - 80 : 0;
	print_error("first difference at byte %zu:\n  expected ...%.160s\n  got      ...%.160s\n", i, want + from,
		    got + from);
}

static void same_state(const char *want, const char *got, const char *what)
{
	if (strcmp(want, got) != 0) {
		print_error("%s\n", what);
		print_difference(want, got);
		fail();
	}
}

/* The total of every operation's call count. */
static uint64_t all_calls(const fake_processor *p)
{
	uint64_t n = 0;
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		n += fake_call_count(p, (fake_op)op);
	return n;
}

/* A page of clocks, with the default page size unless `limit`. */
static fake_list clock_page(fake_processor *p, int limit, const char *after, const char *before)
{
	fake_test_clock_list_params lp = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	lp.page.limit = limit;
	lp.page.starting_after = after;
	lp.page.ending_before = before;
	fake_list page;
	check_ok(p, fake_test_clock_list(&page, p, &lp, NULL));
	return page;
}

/* Asserts that a page holds exactly the clocks numbered `want` (e.g. "5,4"). */
static void expect_page(const fake_list *page, const char *want, bool has_more)
{
	text t = { 0 };
	text_add(&t, "%s", "");
	for (size_t i = 0; i < page->count; i++) {
		const char *id = fake_test_clock_id(page->data[i]);
		assert_non_null(id);
		assert_int_equal(fake_object_type_of(page->data[i]), FAKE_OBJECT_TEST_CLOCK);
		text_add(&t, "%s%d", i ? "," : "", atoi(id + strlen("clock_fake_")));
	}
	if (strcmp(t.s, want) != 0) {
		print_error("page: got %s, expected %s\n", t.s, want);
		text_free(&t);
		fail();
	}
	text_free(&t);
	assert_int_equal(page->has_more, has_more);
}

/* Asserts the error record of the last call. */
static void expect_record(fake_processor *p, const char *type, int http, const char *code, const char *param,
			  const char *message_part)
{
	const fake_error *e = fake_error_last(p);
	assert_string_equal(e->type, type);
	assert_int_equal(e->http_status, http);
	if (code)
		assert_string_equal(e->code, code);
	if (param)
		assert_string_equal(e->param, param);
	if (message_part && !strstr(e->message, message_part)) {
		print_error("message \"%s\" does not contain \"%s\"\n", e->message, message_part);
		fail();
	}
}

/* The compact JSON of an object, parsed. */
static json_t *json_of(fake_processor *p, const void *object)
{
	char *s = NULL;
	check_ok(p, fake_json_object(&s, p, object, 0));
	assert_non_null(s);
	json_t *v = parse(s);
	fake_json_free(p, s);
	return v;
}

/* The keys of a JSON object, in order, joined with commas. */
static void keys_of(json_t *o, text *t)
{
	t->len = 0;
	text_add(t, "%s", "");
	const char *key;
	json_t *v;
	size_t i = 0;
	json_object_foreach(o, key, v) {
		(void)v;
		text_add(t, "%s%s", i++ ? "," : "", key);
	}
}

static void expect_keys(json_t *o, const char *want)
{
	assert_true(json_is_object(o));
	text t = { 0 };
	keys_of(o, &t);
	if (strcmp(t.s, want) != 0) {
		print_error("keys: got %s, expected %s\n", t.s, want);
		text_free(&t);
		fail();
	}
	text_free(&t);
}

#define CLOCK_KEYS "id,object,created,deletes_after,frozen_time,livemode,name,status,status_details"

/* ---- 1. the object ------------------------------------------------------------ */

static void test_test_clock_create_fields(void **state)
{
	fake_processor *p = proc(state);
	check_ok(p, fake_clock_advance(p, 100));
	size_t mark = fake_event_count(p);

	const fake_test_clock *c = clock_new(p, T_2025_06_01, "renewal-test");
	assert_string_equal(fake_test_clock_id(c), "clock_fake_00001");
	assert_int_equal(fake_test_clock_created(c), EPOCH + 100); /* the processor clock's now */
	assert_int_equal(fake_test_clock_deletes_after(c), EPOCH + 100 + 604800);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_06_01);
	assert_string_equal(fake_test_clock_name(c), "renewal-test");
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	assert_string_equal(fake_test_clock_status_name(fake_test_clock_status_of(c)), "ready");
	assert_int_equal(fake_test_clock_target_frozen_time(c), 0);
	assert_false(fake_test_clock_deleted(c));
	/* as any object */
	assert_int_equal(fake_object_type_of(c), FAKE_OBJECT_TEST_CLOCK);
	assert_string_equal(fake_object_name(c), CLOCK_OBJECT);
	assert_string_equal(fake_object_id(c), "clock_fake_00001");
	assert_int_equal(fake_object_created(c), EPOCH + 100);
	/* livemode false: in the JSON */
	json_t *v = json_of(p, c);
	assert_true(json_is_false(json_object_get(v, "livemode")));
	json_decref(v);

	/* one event, on the processor clock's time, about the clock as created */
	expect_event(p, &mark, "test_helpers.test_clock.created", "clock_fake_00001", EPOCH + 100);
	assert_int_equal(fake_event_count(p), mark);
	const fake_test_clock *snap = fake_event_object(event_at(p, mark));
	assert_int_equal(fake_object_type_of(snap), FAKE_OBJECT_TEST_CLOCK);
	assert_int_equal(fake_test_clock_frozen_time(snap), T_2025_06_01);
	assert_int_equal(fake_test_clock_status_of(snap), FAKE_TEST_CLOCK_READY);
	assert_non_null(fake_event_request_id(event_at(p, mark)));

	/* without a name, in the future; at the latest time; a name of 300 bytes */
	const fake_test_clock *c2 = clock_new(p, EPOCH + 10 * DAY, NULL);
	assert_string_equal(fake_test_clock_id(c2), "clock_fake_00002");
	assert_null(fake_test_clock_name(c2));
	assert_int_equal(fake_test_clock_frozen_time(c2), EPOCH + 10 * DAY);
	const fake_test_clock *c3 = clock_new(p, FAKE_TIME_MAX, NULL);
	assert_int_equal(fake_test_clock_frozen_time(c3), FAKE_TIME_MAX);
	assert_int_equal(fake_test_clock_deletes_after(c3), EPOCH + 100 + FAKE_TEST_CLOCK_LIFETIME);
	char name[FAKE_TEST_CLOCK_NAME_MAX + 1];
	memset(name, 'n', FAKE_TEST_CLOCK_NAME_MAX);
	name[FAKE_TEST_CLOCK_NAME_MAX] = '\0';
	const fake_test_clock *c4 = clock_new(p, 1, name);
	assert_string_equal(fake_test_clock_name(c4), name);
	assert_int_equal(fake_test_clock_frozen_time(c4), 1);
	/* the name is copied */
	char mutable_name[] = "copied";
	const fake_test_clock *c5 = clock_new(p, T_2025_06_01, mutable_name);
	mutable_name[0] = 'X';
	assert_string_equal(fake_test_clock_name(c5), "copied");
	assert_int_equal(fake_event_count(p), mark + 4);
}

static void test_test_clock_accessors_of_null(void **state)
{
	(void)state;
	assert_null(fake_test_clock_id(NULL));
	assert_int_equal(fake_test_clock_created(NULL), 0);
	assert_int_equal(fake_test_clock_deletes_after(NULL), 0);
	assert_int_equal(fake_test_clock_frozen_time(NULL), 0);
	assert_null(fake_test_clock_name(NULL));
	assert_int_equal(fake_test_clock_target_frozen_time(NULL), 0);
	assert_false(fake_test_clock_deleted(NULL));
	assert_string_equal(fake_test_clock_status_name(FAKE_TEST_CLOCK_ADVANCING), "advancing");
	assert_string_equal(fake_test_clock_status_name(FAKE_TEST_CLOCK_INTERNAL_FAILURE), "internal_failure");
	assert_null(fake_test_clock_status_name((fake_test_clock_status)3));
	assert_null(fake_test_clock_status_name((fake_test_clock_status)-1));
	assert_string_equal(fake_status_name(FAKE_ETIMEOUT), "FAKE_ETIMEOUT");
	assert_string_equal(fake_status_name(FAKE_ECLOCKFAILED), "FAKE_ECLOCKFAILED");
	assert_string_equal(fake_op_name(FAKE_OP_ADVANCE_TEST_CLOCK), "advance_test_clock");
	assert_string_equal(fake_op_name(FAKE_OP_LIST_TEST_CLOCKS), "list_test_clocks");
	assert_int_equal(fake_test_clock_owner_count(NULL), 0);
	assert_null(fake_test_clock_owner_id(NULL, 0));
	assert_int_equal(fake_test_clock_owner_cleanup(NULL), 0);
	fake_test_clock_cleanup_result_dispose(NULL, NULL);
}

static void test_test_clock_retrieve(void **state)
{
	fake_processor *p = proc(state);
	const fake_test_clock *c = clock_new(p, T_2025_06_01, "a");
	clock_new(p, T_2025_07_01, "b");
	size_t events = fake_event_count(p);
	uint64_t calls = fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK);

	const fake_test_clock *r = SENTINEL;
	check_ok(p, fake_test_clock_retrieve(&r, p, "clock_fake_00001", NULL));
	assert_ptr_equal(r, c); /* borrowed, at the same address */
	assert_string_equal(fake_test_clock_name(r), "a");
	assert_int_equal(fake_test_clock_frozen_time(r), T_2025_06_01);
	assert_int_equal(fake_test_clock_status_of(r), FAKE_TEST_CLOCK_READY);
	r = clock_get(p, "clock_fake_00002");
	assert_string_equal(fake_test_clock_name(r), "b");
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), calls + 2);
	assert_int_equal(fake_event_count(p), events); /* reading is not an event */
}

static void test_test_clock_list_pagination(void **state)
{
	fake_processor *p = proc(state);
	fake_list page = clock_page(p, 0, NULL, NULL);
	expect_page(&page, "", false);
	for (int i = 0; i < 5; i++)
		clock_new(p, T_2025_06_01 + i, NULL);

	/* newest first, 10 by default */
	fake_list all;
	check_ok(p, fake_test_clock_list(&all, p, NULL, NULL));
	expect_page(&all, "5,4,3,2,1", false);
	page = clock_page(p, 2, NULL, NULL);
	expect_page(&page, "5,4", true);
	page = clock_page(p, 2, "clock_fake_00004", NULL);
	expect_page(&page, "3,2", true);
	page = clock_page(p, 2, "clock_fake_00002", NULL);
	expect_page(&page, "1", false);
	page = clock_page(p, 2, "clock_fake_00001", NULL);
	expect_page(&page, "", false);
	/* ending_before: the objects just newer than the cursor, still newest first */
	page = clock_page(p, 2, NULL, "clock_fake_00001");
	expect_page(&page, "3,2", true);
	page = clock_page(p, 2, NULL, "clock_fake_00003");
	expect_page(&page, "5,4", false);
	page = clock_page(p, 0, NULL, "clock_fake_00005");
	expect_page(&page, "", false);
	page = clock_page(p, 5, NULL, NULL);
	expect_page(&page, "5,4,3,2,1", false);
	page = clock_page(p, 4, NULL, NULL);
	expect_page(&page, "5,4,3,2", true);

	/* an unknown cursor, and a cursor of another type */
	fake_test_clock_list_params lp = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	lp.page.starting_after = "clock_fake_00042";
	check_fails(p, fake_test_clock_list(&page, p, &lp, NULL), FAKE_ENOTFOUND, "resource_missing", "starting_after");
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
	const fake_customer *cus = customer_on(p, NULL, NULL);
	lp.page.starting_after = fake_customer_id(cus);
	check_fails(p, fake_test_clock_list(&page, p, &lp, NULL), FAKE_ENOTFOUND, "resource_missing", "starting_after");
}

static void test_test_clock_list_iter_walks_every_page(void **state)
{
	fake_processor *p = proc(state);
	for (int i = 0; i < 7; i++)
		clock_new(p, T_2025_06_01, NULL);
	clock_delete(p, "clock_fake_00004");

	fake_test_clock_list_params lp = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_TEST_CLOCKS);
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_TEST_CLOCKS, &lp, NULL);
	const void *o = NULL;
	int rc;
	text t = { 0 };
	text_add(&t, "%s", "");
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		assert_int_equal(fake_object_type_of(o), FAKE_OBJECT_TEST_CLOCK);
		text_add(&t, "%s ", fake_test_clock_id(o));
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_null(o);
	assert_string_equal(t.s, "clock_fake_00007 clock_fake_00006 clock_fake_00005 clock_fake_00003 "
				 "clock_fake_00002 clock_fake_00001 ");
	/* six live clocks, two a page: three pages, each one call of list_test_clocks */
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_TEST_CLOCKS), calls + 3);

	/* towards newer clocks from a cursor: oldest first */
	lp.page.ending_before = "clock_fake_00002";
	fake_list_iter_init(&it, p, FAKE_OP_LIST_TEST_CLOCKS, &lp, NULL);
	t.len = 0;
	text_add(&t, "%s", "");
	while ((rc = fake_list_iter_next(&o, &it)) == 0)
		text_add(&t, "%s ", fake_test_clock_id(o));
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_string_equal(t.s, "clock_fake_00003 clock_fake_00005 clock_fake_00006 clock_fake_00007 ");
	text_free(&t);

	/* a page that fails ends the walk with its status */
	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_LIST_TEST_CLOCKS, &s, 1));
	fake_list_iter_init(&it, p, FAKE_OP_LIST_TEST_CLOCKS, NULL, NULL);
	assert_int_equal(fake_list_iter_next(&o, &it), FAKE_EAPI);
}

static void test_test_clock_delete(void **state)
{
	fake_processor *p = proc(state);
	const fake_test_clock *c = clock_new(p, T_2025_06_01, "gone");
	clock_new(p, T_2025_06_01, "kept");
	check_ok(p, fake_clock_advance(p, 50));
	size_t mark = fake_event_count(p);

	const fake_test_clock *d = SENTINEL;
	check_ok(p, fake_test_clock_delete(&d, p, "clock_fake_00001", NULL));
	assert_ptr_equal(d, c); /* the same object, which now reads deleted */
	assert_true(fake_test_clock_deleted(d));
	assert_true(fake_test_clock_deleted(c));
	assert_string_equal(fake_test_clock_id(c), "clock_fake_00001");
	assert_string_equal(fake_test_clock_name(c), "gone");
	expect_event(p, &mark, "test_helpers.test_clock.deleted", "clock_fake_00001", EPOCH + 50);
	assert_int_equal(fake_event_count(p), mark);

	/* gone: retrieve, advance and delete say resource_missing */
	const fake_test_clock *r = SENTINEL;
	check_fails(p, fake_test_clock_retrieve(&r, p, "clock_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_null(r);
	expect_record(p, "invalid_request_error", 404, "resource_missing", "id",
		      "No such test_clock: 'clock_fake_00001'");
	r = SENTINEL;
	check_fails(p, fake_test_clock_advance(&r, p, "clock_fake_00001", T_2025_06_01 + DAY, NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_null(r);
	r = SENTINEL;
	check_fails(p, fake_test_clock_delete(&r, p, "clock_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_null(r);
	assert_int_equal(fake_event_count(p), mark);
	/* and not listed */
	fake_list page = clock_page(p, 0, NULL, NULL);
	expect_page(&page, "2", false);
	/* an unknown id */
	check_fails(p, fake_test_clock_delete(&r, p, "clock_fake_00009", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_true(clock_live(p, "clock_fake_00002"));
}

/* ---- 2. JSON -------------------------------------------------------------------- */

/* Appends a document as one line (status_details taken out when `strip`,
 * from a clock or an event's clock). */
static void add_doc(text *t, json_t *doc, bool strip)
{
	json_t *copy = json_deep_copy(doc);
	assert_non_null(copy);
	if (strip) {
		json_t *inner = at(copy, "data.object");
		json_object_del(json_is_object(inner) ? inner : copy, "status_details");
	}
	char *s = json_dumps(copy, JSON_COMPACT);
	assert_non_null(s);
	text_add(t, "%s\n", s);
	free(s);
	json_decref(copy);
}

/* The keys of a JSON object, sorted, joined with commas. */
static void sorted_keys(json_t *o, text *t)
{
	const char *keys[32];
	size_t n = 0;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		(void)v;
		assert_true(n < 32);
		keys[n++] = key;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *tmp = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = tmp;
		}
	t->len = 0;
	text_add(t, "%s", "");
	for (size_t i = 0; i < n; i++)
		text_add(t, "%s%s", i ? "," : "", keys[i]);
}

/* The sorted keys of Stripe's current fixture of a test clock
 * (fixtures3.latest.json next to validate.py). */
static void fixture_keys(text *t)
{
	char path[1024];
	snprintf(path, sizeof path, "%s", VALIDATE_PY);
	char *slash = strrchr(path, '/');
	assert_non_null(slash);
	snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "fixtures3.latest.json");
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err);
	if (!doc) {
		print_error("%s: %s\n", path, err.text);
		fail();
	}
	json_t *resources = json_object_get(doc, "resources");
	json_t *fixture = json_object_get(resources ? resources : doc, CLOCK_OBJECT);
	assert_true(json_is_object(fixture));
	sorted_keys(fixture, t);
	json_decref(doc);
}

static void test_test_clock_json_shape(void **state)
{
	fake_processor *p = proc_polls(state, 1);
	check_ok(p, fake_clock_advance(p, 7));
	const fake_test_clock *a = clock_new(p, T_2025_06_01, "json");
	const fake_test_clock *b = clock_new(p, T_2025_06_01, NULL);

	/* ready: exactly Stripe's keys, "id" and "object" first, then in order */
	json_t *v = json_of(p, a);
	expect_keys(v, CLOCK_KEYS);
	check_str(v, "id", "clock_fake_00001");
	check_str(v, "object", CLOCK_OBJECT);
	check_int(v, "created", EPOCH + 7);
	check_int(v, "deletes_after", EPOCH + 7 + 604800);
	check_int(v, "frozen_time", T_2025_06_01);
	assert_true(json_is_false(json_object_get(v, "livemode")));
	check_str(v, "name", "json");
	check_str(v, "status", "ready");
	json_t *details = json_object_get(v, "status_details");
	assert_true(json_is_object(details));
	assert_int_equal(json_object_size(details), 0);
	/* the same keys as Stripe's current fixture of a test clock */
	text mine = { 0 }, theirs = { 0 };
	fixture_keys(&theirs);
	sorted_keys(v, &mine);
	assert_string_equal(mine.s, theirs.s);
	text_free(&mine);
	text_free(&theirs);
	json_decref(v);

	/* no name: null */
	v = json_of(p, b);
	expect_keys(v, CLOCK_KEYS);
	check_str(v, "name", NULL);
	json_decref(v);

	/* advancing: status_details.advancing.target_frozen_time */
	const fake_test_clock *moving = clock_advance(p, "clock_fake_00001", T_2025_06_15);
	assert_int_equal(fake_test_clock_status_of(moving), FAKE_TEST_CLOCK_ADVANCING);
	v = json_of(p, moving);
	expect_keys(v, CLOCK_KEYS);
	check_str(v, "status", "advancing");
	check_int(v, "frozen_time", T_2025_06_01);
	expect_keys(json_object_get(v, "status_details"), "advancing");
	expect_keys(at(v, "status_details.advancing"), "target_frozen_time");
	check_int(v, "status_details.advancing.target_frozen_time", T_2025_06_15);
	json_decref(v);
	const fake_test_clock *ready = clock_get(p, "clock_fake_00001");
	v = json_of(p, ready);
	check_str(v, "status", "ready");
	check_int(v, "frozen_time", T_2025_06_15);
	assert_int_equal(json_object_size(json_object_get(v, "status_details")), 0);
	json_decref(v);

	/* deleted: {id, object, deleted: true} and nothing else */
	clock_delete(p, "clock_fake_00002");
	v = json_of(p, b);
	expect_keys(v, "id,object,deleted");
	check_str(v, "id", "clock_fake_00002");
	check_str(v, "object", CLOCK_OBJECT);
	assert_true(json_is_true(json_object_get(v, "deleted")));
	json_decref(v);
}

static void test_test_clock_json_validates(void **state)
{
	fake_processor *p = proc_polls(state, 1);
	text whole = { 0 }, stripped = { 0 }, events_whole = { 0 }, events_stripped = { 0 };
	text_add(&whole, "%s", "");
	text_add(&stripped, "%s", "");
	text_add(&events_whole, "%s", "");
	text_add(&events_stripped, "%s", "");

	/* every status, with and without a name, and a deleted clock; the five events */
	clock_new(p, T_2025_06_01, "validated");
	clock_new(p, T_2025_06_01, NULL);
	const fake_test_clock *failing = clock_new(p, T_2025_06_01, "failing");
	clock_new(p, T_2025_06_01, "deleted");
	const fake_customer *cus = customer_on(p, "clock_fake_00001", "pm_card_visa");
	sub_new(p, cus, price_new(p, 1000, FAKE_INTERVAL_MONTH, 1), 0);
	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", T_2025_07_01 + 2 * HOUR);
	json_t *v = json_of(p, c); /* advancing */
	add_doc(&whole, v, false);
	add_doc(&stripped, v, true);
	json_decref(v);
	c = clock_get(p, "clock_fake_00001"); /* ready, its renewal done */
	v = json_of(p, c);
	add_doc(&whole, v, false);
	add_doc(&stripped, v, true);
	json_decref(v);
	v = json_of(p, clock_get(p, "clock_fake_00002"));
	add_doc(&whole, v, false);
	add_doc(&stripped, v, true);
	json_decref(v);
	fake_script fs = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &fs, 1));
	clock_advance(p, "clock_fake_00003", T_2025_06_01 + DAY);
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00003")), FAKE_TEST_CLOCK_INTERNAL_FAILURE);
	v = json_of(p, failing);
	check_str(v, "status", "internal_failure");
	assert_int_equal(json_object_size(json_object_get(v, "status_details")), 0);
	add_doc(&whole, v, false);
	add_doc(&stripped, v, true);
	json_decref(v);
	clock_delete(p, "clock_fake_00004");
	fake_list page = clock_page(p, 0, NULL, NULL);
	expect_page(&page, "3,2,1", false);

	const char *seen[5] = { "test_helpers.test_clock.created", "test_helpers.test_clock.advancing",
				"test_helpers.test_clock.ready", "test_helpers.test_clock.internal_failure",
				"test_helpers.test_clock.deleted" };
	int count[5] = { 0 };
	for (size_t i = 1; i <= fake_event_count(p); i++) {
		const fake_event *e = event_at(p, i);
		if (strncmp(fake_event_type(e), "test_helpers.test_clock.", 24) != 0)
			continue;
		for (int k = 0; k < 5; k++)
			count[k] += strcmp(fake_event_type(e), seen[k]) == 0;
		assert_int_equal(fake_object_type_of(fake_event_object(e)), FAKE_OBJECT_TEST_CLOCK);
		v = json_of(p, e);
		check_str(v, "type", fake_event_type(e));
		check_str(v, "data.object.object", CLOCK_OBJECT);
		check_str(v, "data.object.id", fake_test_clock_id(fake_event_object(e)));
		expect_keys(at(v, "data.object"), CLOCK_KEYS);
		if (strcmp(fake_event_type(e), "test_helpers.test_clock.advancing") == 0) {
			check_str(v, "data.object.status", "advancing");
			assert_true(json_is_integer(at(v, "data.object.status_details.advancing.target_frozen_time")));
		}
		if (strcmp(fake_event_type(e), "test_helpers.test_clock.ready") == 0)
			check_str(v, "data.object.status", "ready");
		if (strcmp(fake_event_type(e), "test_helpers.test_clock.internal_failure") == 0)
			check_str(v, "data.object.status", "internal_failure");
		add_doc(&events_whole, v, false);
		add_doc(&events_stripped, v, true);
		json_decref(v);
	}
	assert_int_equal(count[0], 4);
	assert_int_equal(count[1], 2);
	assert_int_equal(count[2], 1);
	assert_int_equal(count[3], 1);
	assert_int_equal(count[4], 1);

	/* a deleted clock: Stripe's deleted object, through the pointer create returned */
	const fake_test_clock *dead = clock_new(p, T_2025_06_01, "x");
	clock_delete(p, "clock_fake_00005");
	assert_true(fake_test_clock_deleted(dead));

	/* the list envelope */
	char *list_json = NULL;
	check_ok(p, fake_json_list(&list_json, p, &page, "/v1/test_helpers/test_clocks", 0));
	json_t *lv = parse(list_json);
	fake_json_free(p, list_json);
	text list_whole = { 0 }, list_stripped = { 0 };
	add_doc(&list_whole, lv, false);
	json_t *items = json_object_get(lv, "data");
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
		json_object_del(item, "status_details");
	add_doc(&list_stripped, lv, false);
	json_decref(lv);

	write_file("test_clock_objects.jsonl", &whole);
	write_file("test_clock_objects_stripped.jsonl", &stripped);
	write_file("test_clock_events.jsonl", &events_whole);
	write_file("test_clock_events_stripped.jsonl", &events_stripped);
	write_file("test_clock_page.json", &list_whole);
	write_file("test_clock_page_stripped.json", &list_stripped);
	text deleted = { 0 };
	json_t *dv = json_of(p, dead);
	expect_keys(dv, "id,object,deleted");
	add_doc(&deleted, dv, false);
	json_decref(dv);
	write_file("test_clock_deleted.json", &deleted);

	double spent = 0;
	validate("-q auto --many test_clock_objects.jsonl", "test_clock_validate_objects.log", &spent);
	validate("--strict -q auto --many test_clock_objects_stripped.jsonl", "test_clock_validate_objects_strict.log",
		 &spent);
	validate("--strict -q test_clock test_clock_objects_stripped.jsonl --many", "test_clock_validate_alias.log",
		 &spent);
	validate("-q event --many test_clock_events.jsonl", "test_clock_validate_events.log", &spent);
	validate("--strict -q event --many test_clock_events_stripped.jsonl", "test_clock_validate_events_strict.log",
		 &spent);
	validate("-q 'GET /v1/test_helpers/test_clocks' test_clock_page.json", "test_clock_validate_page.log", &spent);
	validate("--strict -q 'GET /v1/test_helpers/test_clocks' test_clock_page_stripped.json",
		 "test_clock_validate_page_strict.log", &spent);
	validate("--strict -q 'DELETE /v1/test_helpers/test_clocks/{test_clock}' test_clock_deleted.json",
		 "test_clock_validate_deleted.log", &spent);
	validate("--strict -q auto test_clock_deleted.json", "test_clock_validate_deleted_auto.log", &spent);
	print_message("# validate.py: %.1f s\n", spent);
	text_free(&whole);
	text_free(&stripped);
	text_free(&events_whole);
	text_free(&events_stripped);
	text_free(&list_whole);
	text_free(&list_stripped);
	text_free(&deleted);
}

/* ---- 3. the limit --------------------------------------------------------------- */

static void test_test_clock_limit_default_100(void **state)
{
	fake_processor *p = proc(state);
	for (int i = 0; i < 100; i++)
		clock_new(p, T_2025_06_01, "many");
	size_t events = fake_event_count(p);
	char *before = state_of(p);

	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = T_2025_06_01;
	const fake_test_clock *c = SENTINEL;
	check_fails(p, fake_test_clock_create(&c, p, &cp, NULL), FAKE_ELIMIT, NULL, "");
	assert_null(c);
	expect_record(p, "invalid_request_error", 400, NULL, "", "100 test clocks");
	assert_int_equal(fake_event_count(p), events);
	char *after = state_of(p);
	same_state(before, after, "a refused create changed the processor");
	free(after);

	/* a deleted clock no longer counts: one slot, and the id counter moved on only by creates */
	clock_delete(p, "clock_fake_00042");
	c = clock_new(p, T_2025_06_01, NULL);
	assert_string_equal(fake_test_clock_id(c), "clock_fake_00101");
	check_fails(p, fake_test_clock_create(&c, p, &cp, NULL), FAKE_ELIMIT, NULL, NULL);
	fake_list page;
	check_ok(p, fake_test_clock_list(&page, p, &(fake_test_clock_list_params)FAKE_TEST_CLOCK_LIST_PARAMS_INIT, NULL));
	assert_int_equal(page.count, 10);
	free(before);
}

static void test_test_clock_limit_configured(void **state)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.test_clocks.max_clocks = 3;
	fake_processor *p = proc_new(state, &o);
	assert_int_equal(fake_processor_options_get(p)->test_clocks.max_clocks, 3);
	for (int i = 0; i < 3; i++)
		clock_new(p, T_2025_06_01, NULL);
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = T_2025_06_01;
	const fake_test_clock *c = SENTINEL;
	check_fails(p, fake_test_clock_create(&c, p, &cp, NULL), FAKE_ELIMIT, NULL, NULL);
	assert_null(c);
	expect_record(p, "invalid_request_error", 400, NULL, NULL, "limit of 3 test clocks");
	clock_delete(p, "clock_fake_00002");
	c = clock_new(p, T_2025_06_01, NULL);
	assert_string_equal(fake_test_clock_id(c), "clock_fake_00004");
	check_fails(p, fake_test_clock_create(&c, p, &cp, NULL), FAKE_ELIMIT, NULL, NULL);

	/* the option's range: 1 .. 10000; ready_after_retrievals 0 .. 1000 */
	fake_processor *q = NULL;
	o.test_clocks.max_clocks = 0;
	assert_int_equal(fake_processor_new(&q, &o), FAKE_EINVAL);
	assert_null(q);
	o.test_clocks.max_clocks = FAKE_TEST_CLOCKS_MAX + 1;
	assert_int_equal(fake_processor_new(&q, &o), FAKE_EINVAL);
	o.test_clocks.max_clocks = FAKE_TEST_CLOCKS_MAX;
	o.test_clocks.ready_after_retrievals = 1001;
	assert_int_equal(fake_processor_new(&q, &o), FAKE_EINVAL);
	o.test_clocks.ready_after_retrievals = 1000;
	q = proc_new(state, &o);
	assert_int_equal(fake_processor_options_get(q)->test_clocks.max_clocks, FAKE_TEST_CLOCKS_MAX);
	/* the defaults */
	const fake_processor_options *d = fake_processor_options_get(proc(state));
	assert_int_equal(d->test_clocks.max_clocks, 100);
	assert_true(d->test_clocks.auto_delete);
	assert_int_equal(d->test_clocks.ready_after_retrievals, 0);
}

/* ---- 4. customers on a clock ------------------------------------------------------ */

static void test_test_clock_customer_lives_at_frozen_time(void **state)
{
	fake_processor *p = proc(state);
	const fake_test_clock *clock = clock_new(p, T_2025_06_01, "past");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	assert_int_equal(fake_price_created(price), EPOCH); /* not on a clock */
	size_t mark = fake_event_count(p);

	const fake_customer *cus = customer_on(p, fake_test_clock_id(clock), "pm_card_visa");
	assert_int_equal(fake_customer_created(cus), T_2025_06_01);
	assert_string_equal(fake_customer_test_clock(cus), "clock_fake_00001");
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_retrieve(&pm, p, fake_customer_default_payment_method(cus), NULL));
	assert_int_equal(fake_payment_method_created(pm), T_2025_06_01);
	expect_events(p, &mark, T_2025_06_01, "customer.created,payment_method.attached");

	const fake_subscription *sub = sub_new(p, cus, price, 0);
	assert_int_equal(fake_subscription_created(sub), T_2025_06_01);
	assert_int_equal(fake_subscription_start_date(sub), T_2025_06_01);
	assert_int_equal(fake_subscription_current_period_start(sub), T_2025_06_01);
	assert_int_equal(fake_subscription_current_period_end(sub), T_2025_07_01);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_int_equal(fake_invoice_created(inv), T_2025_06_01);
	assert_string_equal(fake_invoice_status_name(inv), "paid");
	assert_int_equal(fake_invoice_paid_at(inv), T_2025_06_01);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_retrieve(&pi, p, fake_invoice_payment_intent(inv), NULL));
	assert_int_equal(fake_payment_intent_created(pi), T_2025_06_01);
	const fake_charge *ch = NULL;
	check_ok(p, fake_charge_retrieve(&ch, p, fake_invoice_charge(inv), NULL));
	assert_int_equal(fake_charge_created(ch), T_2025_06_01);
	expect_events(p, &mark, T_2025_06_01,
		      "customer.subscription.created,invoice.created,payment_intent.created,invoice.finalized," PAID
		      ",customer.subscription.updated");
	/* the processor clock did not move */
	assert_int_equal(fake_clock_now(p), EPOCH);

	/* an invoice item made by hand, and the JSON's test_clock fields */
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = fake_customer_id(cus);
	ic.amount = 500;
	ic.currency = "usd";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	json_t *v = json_of(p, ii);
	check_int(v, "date", T_2025_06_01);
	check_str(v, "test_clock", "clock_fake_00001");
	json_decref(v);
	v = json_of(p, cus);
	check_str(v, "test_clock", "clock_fake_00001");
	json_decref(v);
	v = json_of(p, sub);
	check_str(v, "test_clock", "clock_fake_00001");
	json_decref(v);
	v = json_of(p, inv);
	check_str(v, "test_clock", "clock_fake_00001");
	json_decref(v);
	/* a customer on no clock: null, at the processor clock's time */
	const fake_customer *plain = customer_on(p, NULL, NULL);
	assert_int_equal(fake_customer_created(plain), EPOCH);
	assert_null(fake_customer_test_clock(plain));
	v = json_of(p, plain);
	check_str(v, "test_clock", NULL);
	json_decref(v);

	/* a clock in the future works the same way */
	const fake_test_clock *later = clock_new(p, EPOCH + 30 * DAY, "future");
	const fake_customer *c2 = customer_on(p, fake_test_clock_id(later), NULL);
	assert_int_equal(fake_customer_created(c2), EPOCH + 30 * DAY);
	/* the clocks did not move either */
	assert_int_equal(fake_test_clock_frozen_time(clock), T_2025_06_01);
	assert_int_equal(fake_test_clock_frozen_time(later), EPOCH + 30 * DAY);
}

static void test_test_clock_processor_clock_does_not_bill_clock_customers(void **state)
{
	fake_processor *p = proc_no_auto_delete(state);
	const fake_test_clock *clock = clock_new(p, EPOCH, "still");
	const fake_test_clock *other = clock_new(p, EPOCH, "other");
	const fake_customer *a = customer_on(p, fake_test_clock_id(clock), "pm_card_visa");
	const fake_customer *b = customer_on(p, fake_test_clock_id(clock), "pm_card_visa");
	const fake_subscription *trial = sub_new(p, a, price_new(p, 1000, FAKE_INTERVAL_MONTH, 1), 14);
	const fake_subscription *daily = sub_new(p, b, price_new(p, 100, FAKE_INTERVAL_DAY, 1), 0);
	const char *trial_invoice = fake_subscription_latest_invoice(trial);
	const char *daily_invoice = fake_subscription_latest_invoice(daily);
	size_t events = fake_event_count(p);

	/* sixty days of the processor clock: nothing for them */
	check_ok(p, fake_clock_advance(p, 60 * DAY));
	assert_int_equal(fake_event_count(p), events);
	assert_string_equal(fake_subscription_status_name(trial), "trialing");
	assert_string_equal(fake_subscription_latest_invoice(trial), trial_invoice);
	assert_int_equal(fake_subscription_current_period_end(trial), EPOCH + 14 * DAY);
	assert_string_equal(fake_subscription_status_name(daily), "active");
	assert_string_equal(fake_subscription_latest_invoice(daily), daily_invoice);
	assert_int_equal(fake_subscription_current_period_end(daily), EPOCH + DAY);
	assert_int_equal(fake_test_clock_frozen_time(clock), EPOCH);
	/* the billing helper that moves the processor clock refuses them */
	check_fails(p, fake_subscription_advance(p, fake_subscription_id(trial), 1, 0, true), FAKE_EINVAL, NULL, "id");
	assert_int_equal(fake_event_count(p), events);

	/* advancing another clock: only that clock's own events */
	size_t mark = events;
	clock_advance(p, fake_test_clock_id(other), EPOCH + 700 * DAY);
	expect_events(p, &mark, EPOCH + 60 * DAY, "test_helpers.test_clock.advancing,test_helpers.test_clock.ready");
	assert_string_equal(fake_subscription_status_name(trial), "trialing");
	assert_string_equal(fake_subscription_latest_invoice(trial), trial_invoice);
	assert_string_equal(fake_subscription_latest_invoice(daily), daily_invoice);
	assert_int_equal(fake_test_clock_frozen_time(clock), EPOCH);

	/* their own clock does */
	clock_advance(p, fake_test_clock_id(clock), EPOCH + 2 * DAY);
	assert_string_not_equal(fake_subscription_latest_invoice(daily), daily_invoice);
	assert_int_equal(fake_subscription_current_period_end(daily), EPOCH + 3 * DAY);
	assert_string_equal(fake_subscription_status_name(trial), "trialing");
}

/* A 14-day trial at 2025-06-01 for a customer whose card is `token`, on
 * `clock` (NULL: on the processor clock, whose epoch must be 2025-06-01). */
static const fake_subscription *trial_on(fake_processor *p, const char *clock, const char *token)
{
	const fake_customer *cus = customer_on(p, clock, token);
	assert_int_equal(fake_customer_created(cus), T_2025_06_01);
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	const fake_subscription *sub = sub_new(p, cus, price, 14);
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	assert_int_equal(fake_subscription_trial_end(sub), T_2025_06_15);
	return sub;
}

/*
 * Advancing a clock runs its customers' billing as the processor clock runs
 * a customer's on no clock: the same events, in the same order, at the
 * same (clock) times, between the clock's .advancing and .ready, which are
 * on the processor clock's time.
 */
static void test_test_clock_advance_bills_as_processor_clock_does(void **state)
{
	const int64_t target = T_2025_07_15 + 2 * HOUR;

	/* the reference: the same subscription on the processor clock */
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.epoch = T_2025_06_01;
	fake_processor *ref = proc_new(state, &o);
	trial_on(ref, NULL, "pm_card_visa");
	size_t ref_mark = fake_event_count(ref);
	check_ok(ref, fake_clock_advance_to(ref, target));
	text want = { 0 };
	transcript(ref, ref_mark, &want);

	fake_processor *p = proc(state);
	const fake_test_clock *clock = clock_new(p, T_2025_06_01, NULL);
	const fake_subscription *sub = trial_on(p, "clock_fake_00001", "pm_card_visa");
	size_t mark = fake_event_count(p);
	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", target);
	assert_ptr_equal(c, clock);
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	assert_int_equal(fake_test_clock_frozen_time(c), target);
	assert_int_equal(fake_test_clock_target_frozen_time(c), 0);
	assert_int_equal(fake_clock_now(p), EPOCH);

	size_t count = fake_event_count(p);
	assert_true(count > mark + 2);
	const fake_event *first = event_at(p, mark + 1), *last = event_at(p, count);
	assert_string_equal(fake_event_type(first), "test_helpers.test_clock.advancing");
	assert_int_equal(fake_event_created(first), EPOCH);
	assert_int_equal(fake_test_clock_status_of(fake_event_object(first)), FAKE_TEST_CLOCK_ADVANCING);
	assert_int_equal(fake_test_clock_target_frozen_time(fake_event_object(first)), target);
	assert_string_equal(fake_event_type(last), "test_helpers.test_clock.ready");
	assert_int_equal(fake_event_created(last), EPOCH);
	assert_int_equal(fake_test_clock_frozen_time(fake_event_object(last)), target);
	assert_null(fake_event_request_id(last)); /* work of the timeline, not of a request */

	text got = { 0 };
	transcript(p, mark + 1, &got);
	/* drop the .ready line */
	char *ready = strstr(got.s, "test_helpers.test_clock.ready ");
	assert_non_null(ready);
	*ready = '\0';
	if (strcmp(got.s, want.s) != 0) {
		print_error("on the clock:\n%s\non the processor clock:\n%s\n", got.s, want.s);
		fail();
	}
	/* and that is Stripe's order (as test_billing.c's goldens) */
	text t = { 0 };
	log_types(p, mark + 1, &t);
	assert_string_equal(t.s, "customer.subscription.trial_will_end," UPCOMING "," RENEWAL "," CHARGED "," UPCOMING
				 "," RENEWAL "," CHARGED ",test_helpers.test_clock.ready");
	text_free(&t);
	assert_string_equal(fake_event_type(event_at(p, mark + 2)), "customer.subscription.trial_will_end");
	assert_int_equal(fake_event_created(event_at(p, mark + 2)), T_2025_06_12);
	assert_int_equal(fake_event_created(event_at(p, mark + 4)), T_2025_06_15);
	assert_int_equal(fake_event_created(event_at(p, mark + 6)), T_2025_06_15 + HOUR);
	assert_int_equal(fake_event_created(event_at(p, mark + 12)), T_2025_07_12);
	assert_int_equal(fake_event_created(event_at(p, mark + 13)), T_2025_07_15);
	assert_int_equal(fake_event_created(event_at(p, mark + 15)), T_2025_07_15 + HOUR);

	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_int_equal(fake_subscription_current_period_start(sub), T_2025_07_15);
	assert_int_equal(fake_subscription_current_period_end(sub), T_2025_08_15);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_status_name(inv), "paid");
	assert_int_equal(fake_invoice_created(inv), T_2025_07_15);
	assert_int_equal(fake_invoice_paid_at(inv), T_2025_07_15 + HOUR);
	text_free(&want);
	text_free(&got);
}

/* A card that declines every charge on a clock: past_due at the first
 * failure, retries 3, 5 and 7 days after it (the default schedule), then
 * canceled. */
static void test_test_clock_advance_runs_dunning(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, "dunning");
	const fake_subscription *sub = trial_on(p, "clock_fake_00001", "pm_card_chargeCustomerFail");
	const int64_t first_failure = T_2025_06_15 + HOUR;
	size_t mark = fake_event_count(p);

	clock_advance(p, "clock_fake_00001", first_failure);
	expect_event(p, &mark, "test_helpers.test_clock.advancing", "clock_fake_00001", EPOCH);
	expect_next(p, &mark, T_2025_06_12, "customer.subscription.trial_will_end," UPCOMING);
	expect_next(p, &mark, T_2025_06_15, RENEWAL);
	expect_next(p, &mark, first_failure,
		    "payment_intent.created,invoice.finalized," DECLINED ",customer.subscription.updated");
	expect_event(p, &mark, "test_helpers.test_clock.ready", "clock_fake_00001", EPOCH);
	assert_int_equal(fake_event_count(p), mark);
	assert_string_equal(fake_subscription_status_name(sub), "past_due");
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(sub));
	assert_string_equal(fake_invoice_status_name(inv), "open");
	assert_int_equal(fake_invoice_attempt_count(inv), 1);
	assert_int_equal(fake_invoice_next_payment_attempt(inv), first_failure + 3 * DAY);

	/* the retries, 3, 5 and 7 days after the first failure, then canceled */
	clock_advance(p, "clock_fake_00001", first_failure + 8 * DAY);
	expect_event(p, &mark, "test_helpers.test_clock.advancing", "clock_fake_00001", EPOCH);
	expect_next(p, &mark, first_failure + 3 * DAY, DECLINED);
	expect_next(p, &mark, first_failure + 5 * DAY, DECLINED);
	expect_next(p, &mark, first_failure + 7 * DAY, DECLINED ",customer.subscription.deleted");
	expect_event(p, &mark, "test_helpers.test_clock.ready", "clock_fake_00001", EPOCH);
	assert_int_equal(fake_event_count(p), mark);
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	assert_int_equal(fake_subscription_canceled_at(sub), first_failure + 7 * DAY);
	assert_int_equal(fake_invoice_attempt_count(inv), 4);
	assert_int_equal(fake_invoice_next_payment_attempt(inv), 0);
	assert_string_equal(fake_invoice_status_name(inv), "open");
	assert_int_equal(fake_test_clock_frozen_time(clock_get(p, "clock_fake_00001")), first_failure + 8 * DAY);
	assert_int_equal(fake_clock_now(p), EPOCH);
}

static void test_test_clock_two_clocks_stay_independent(void **state)
{
	fake_processor *p = proc(state);
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	clock_new(p, T_2025_06_01, "a");
	clock_new(p, T_2025_06_01, "b");
	const fake_subscription *sa = sub_new(p, customer_on(p, "clock_fake_00001", "pm_card_visa"), price, 0);
	const fake_subscription *sb = sub_new(p, customer_on(p, "clock_fake_00002", "pm_card_visa"), price, 0);
	const char *ia = fake_subscription_latest_invoice(sa), *ib = fake_subscription_latest_invoice(sb);

	clock_advance(p, "clock_fake_00001", T_2025_07_01 + 2 * HOUR);
	assert_string_not_equal(fake_subscription_latest_invoice(sa), ia);
	assert_int_equal(fake_subscription_current_period_start(sa), T_2025_07_01);
	assert_string_equal(fake_invoice_status_name(inv_get(p, fake_subscription_latest_invoice(sa))), "paid");
	assert_string_equal(fake_subscription_latest_invoice(sb), ib);
	assert_int_equal(fake_subscription_current_period_start(sb), T_2025_06_01);
	assert_int_equal(fake_test_clock_frozen_time(clock_get(p, "clock_fake_00002")), T_2025_06_01);
	const char *ia2 = fake_subscription_latest_invoice(sa);

	clock_advance(p, "clock_fake_00002", T_2025_06_01 + 10 * DAY);
	assert_string_equal(fake_subscription_latest_invoice(sb), ib);
	assert_string_equal(fake_subscription_latest_invoice(sa), ia2);
	clock_advance(p, "clock_fake_00002", T_2025_07_01 + 2 * HOUR);
	assert_string_not_equal(fake_subscription_latest_invoice(sb), ib);
	assert_int_equal(fake_subscription_current_period_start(sb), T_2025_07_01);
	assert_string_equal(fake_subscription_latest_invoice(sa), ia2);
	assert_int_equal(fake_test_clock_frozen_time(clock_get(p, "clock_fake_00001")), T_2025_07_01 + 2 * HOUR);
	assert_int_equal(fake_test_clock_frozen_time(clock_get(p, "clock_fake_00002")), T_2025_07_01 + 2 * HOUR);
}

static void test_test_clock_customer_without_clock_billed_by_processor(void **state)
{
	fake_processor *p = proc_no_auto_delete(state);
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	clock_new(p, EPOCH, NULL);
	const fake_subscription *plain = sub_new(p, customer_on(p, NULL, "pm_card_visa"), price, 0);
	const fake_subscription *on = sub_new(p, customer_on(p, "clock_fake_00001", "pm_card_visa"), price, 0);
	const char *ion = fake_subscription_latest_invoice(on);

	check_ok(p, fake_clock_advance_to(p, T_2026_02_01 + 2 * HOUR));
	assert_int_equal(fake_subscription_current_period_start(plain), T_2026_02_01);
	const fake_invoice *inv = inv_get(p, fake_subscription_latest_invoice(plain));
	assert_string_equal(fake_invoice_status_name(inv), "paid");
	assert_int_equal(fake_invoice_created(inv), T_2026_02_01);
	assert_int_equal(fake_subscription_current_period_start(on), EPOCH);
	assert_string_equal(fake_subscription_latest_invoice(on), ion);
}

/* Asserts that a page holds exactly these objects (ids joined with commas). */
static void expect_ids(const fake_list *page, const char *want)
{
	text t = { 0 };
	text_add(&t, "%s", "");
	for (size_t i = 0; i < page->count; i++)
		text_add(&t, "%s%s", i ? "," : "", fake_object_id(page->data[i]));
	if (strcmp(t.s, want) != 0) {
		print_error("page: got %s, expected %s\n", t.s, want);
		text_free(&t);
		fail();
	}
	text_free(&t);
}

static void test_test_clock_lists_of_customers_and_subscriptions(void **state)
{
	fake_processor *p = proc(state);
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	clock_new(p, T_2025_06_01, "a");
	clock_new(p, T_2025_06_01, "b");
	const fake_customer *c0 = customer_on(p, NULL, "pm_card_visa");
	const fake_customer *c1 = customer_on(p, "clock_fake_00001", "pm_card_visa");
	customer_on(p, "clock_fake_00001", NULL);
	const fake_customer *c3 = customer_on(p, "clock_fake_00002", "pm_card_visa");
	sub_new(p, c0, price, 0);
	sub_new(p, c1, price, 0);
	sub_new(p, c3, price, 0);

	fake_list page;
	fake_customer_list_params cl = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	check_ok(p, fake_customer_list(&page, p, &cl, NULL));
	expect_ids(&page, "cus_fake_00001"); /* customers on clocks are left out */
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	expect_ids(&page, "cus_fake_00001");
	cl.test_clock = "clock_fake_00001";
	check_ok(p, fake_customer_list(&page, p, &cl, NULL));
	expect_ids(&page, "cus_fake_00003,cus_fake_00002");
	cl.test_clock = "clock_fake_00002";
	check_ok(p, fake_customer_list(&page, p, &cl, NULL));
	expect_ids(&page, "cus_fake_00004");
	cl.test_clock = "clock_fake_00002";
	cl.email = "nobody@example.com";
	check_ok(p, fake_customer_list(&page, p, &cl, NULL));
	expect_ids(&page, "");
	cl.email = NULL;
	cl.test_clock = "clock_fake_00042";
	check_fails(p, fake_customer_list(&page, p, &cl, NULL), FAKE_ENOTFOUND, "resource_missing", "test_clock");
	assert_int_equal(page.count, 0);

	fake_subscription_list_params sl = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "sub_fake_00001");
	check_ok(p, fake_subscription_list(&page, p, NULL, NULL));
	expect_ids(&page, "sub_fake_00001");
	sl.test_clock = "clock_fake_00001";
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "sub_fake_00002");
	sl.test_clock = "clock_fake_00002";
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "sub_fake_00003");
	sl.test_clock = NULL;
	sl.customer = fake_customer_id(c1);
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "sub_fake_00002");
	/* a customer and a clock: both must hold */
	sl.test_clock = "clock_fake_00001";
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "sub_fake_00002");
	sl.test_clock = "clock_fake_00002";
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "");
	sl.test_clock = NULL;
	sl.customer = NULL;
	sl.status = "all";
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "sub_fake_00001");
	sl.status = NULL;
	sl.test_clock = "clock_fake_00042";
	check_fails(p, fake_subscription_list(&page, p, &sl, NULL), FAKE_ENOTFOUND, "resource_missing", "test_clock");

	/* a walk over every page with the filter */
	fake_customer_list_params wl = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	wl.test_clock = "clock_fake_00001";
	wl.page.limit = 1;
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &wl, NULL);
	const void *o = NULL;
	int n = 0;
	while (fake_list_iter_next(&o, &it) == 0) {
		assert_string_equal(fake_customer_test_clock(o), "clock_fake_00001");
		n++;
	}
	assert_int_equal(n, 2);
}

static void test_test_clock_customer_create_needs_a_live_clock(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	clock_new(p, T_2025_06_01, NULL);
	clock_delete(p, "clock_fake_00002");
	const fake_customer *plain = customer_on(p, NULL, NULL);
	size_t events = fake_event_count(p);
	char *before = state_of(p);

	const char *bad[] = { "clock_fake_00042", "clock_fake_00002", fake_customer_id(plain) };
	for (size_t i = 0; i < 3; i++) {
		fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
		cc.test_clock = bad[i];
		cc.payment_method = "pm_card_visa";
		const fake_customer *c = SENTINEL;
		check_fails(p, fake_customer_create(&c, p, &cc, NULL), FAKE_ENOTFOUND, "resource_missing", "test_clock");
		assert_null(c);
		char want[96];
		snprintf(want, sizeof want, "No such test_clock: '%s'", bad[i]);
		expect_record(p, "invalid_request_error", 404, NULL, NULL, want);
	}
	assert_int_equal(fake_event_count(p), events);
	char *after = state_of(p);
	same_state(before, after, "a refused customer create changed the processor");
	/* the next customer gets the next id */
	assert_string_equal(fake_customer_id(customer_on(p, "clock_fake_00001", NULL)), "cus_fake_00002");
	free(before);
	free(after);
}

/* ---- 5. advance rules ------------------------------------------------------------ */

/* Asserts that advancing `id` to `t` is refused with FAKE_EINVAL on
 * frozen_time (message containing `part`) and changes nothing. */
static void advance_refused(fake_processor *p, const char *id, int64_t t, const char *part)
{
	char *before = state_of(p);
	size_t events = fake_event_count(p);
	const fake_test_clock *c = SENTINEL;
	check_fails(p, fake_test_clock_advance(&c, p, id, t, NULL), FAKE_EINVAL, NULL, "frozen_time");
	assert_null(c);
	expect_record(p, "invalid_request_error", 400, NULL, "frozen_time", part);
	assert_int_equal(fake_event_count(p), events);
	char *after = state_of(p);
	same_state(before, after, "a refused advance changed the processor");
	free(before);
	free(after);
}

static void test_test_clock_advance_must_move_forward(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	advance_refused(p, "clock_fake_00001", T_2025_06_01, "must be after");
	advance_refused(p, "clock_fake_00001", T_2025_06_01 - 1, "must be after");
	advance_refused(p, "clock_fake_00001", 0, "must be after");
	advance_refused(p, "clock_fake_00001", INT64_MIN, "must be after");
	/* one second is enough */
	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", T_2025_06_01 + 1);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_06_01 + 1);
	advance_refused(p, "clock_fake_00001", T_2025_06_01, "must be after");
}

/* A clock at `frozen` with one active subscription per price (each on a
 * customer of its own, paying by card). */
static void clock_with_subs(fake_processor *p, int64_t frozen, const fake_price *const *prices, size_t n)
{
	const fake_test_clock *c = clock_new(p, frozen, NULL);
	for (size_t i = 0; i < n; i++) {
		const fake_subscription *sub = sub_new(p, customer_on(p, fake_test_clock_id(c), "pm_card_visa"), prices[i], 0);
		assert_string_equal(fake_subscription_status_name(sub), "active");
	}
}

static void test_test_clock_advance_limit_monthly(void **state)
{
	fake_processor *p = proc(state);
	const fake_price *monthly = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	clock_with_subs(p, EPOCH, &monthly, 1);
	advance_refused(p, "clock_fake_00001", T_2026_03_01 + 1, "two intervals");
	advance_refused(p, "clock_fake_00001", T_2026_03_01 + 1, "sub_fake_00001");
	advance_refused(p, "clock_fake_00001", FAKE_TIME_MAX, "two intervals");
	advance_refused(p, "clock_fake_00001", INT64_MAX, "9999-12-31T23:59:59Z");
	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", T_2026_03_01); /* exactly two months */
	assert_int_equal(fake_test_clock_frozen_time(c), T_2026_03_01);
	/* the next two months start from the new frozen time */
	advance_refused(p, "clock_fake_00001", T_2026_05_01 + 1, "two intervals");
	clock_advance(p, "clock_fake_00001", T_2026_05_01);
}

static void test_test_clock_advance_limit_weekly_and_daily(void **state)
{
	fake_processor *p = proc(state);
	const fake_price *weekly = price_new(p, 100, FAKE_INTERVAL_WEEK, 1);
	const fake_price *daily = price_new(p, 10, FAKE_INTERVAL_DAY, 1);
	const fake_price *biweekly = price_new(p, 100, FAKE_INTERVAL_WEEK, 2);
	clock_with_subs(p, T_2025_06_01, &weekly, 1);
	clock_with_subs(p, T_2025_06_01, &daily, 1);
	clock_with_subs(p, T_2025_06_01, &biweekly, 1);
	advance_refused(p, "clock_fake_00001", T_2025_06_01 + 14 * DAY + 1, "two intervals");
	clock_advance(p, "clock_fake_00001", T_2025_06_01 + 14 * DAY);
	advance_refused(p, "clock_fake_00002", T_2025_06_01 + 2 * DAY + 1, "two intervals");
	clock_advance(p, "clock_fake_00002", T_2025_06_01 + 2 * DAY);
	/* an interval is interval_count intervals */
	advance_refused(p, "clock_fake_00003", T_2025_06_01 + 28 * DAY + 1, "two intervals");
	clock_advance(p, "clock_fake_00003", T_2025_06_01 + 28 * DAY);
}

static void test_test_clock_advance_limit_shortest_subscription(void **state)
{
	fake_processor *p = proc(state);
	const fake_price *yearly = price_new(p, 10000, FAKE_INTERVAL_YEAR, 1);
	const fake_price *monthly = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	const fake_price *both[] = { yearly, monthly };
	clock_with_subs(p, EPOCH, both, 2);
	advance_refused(p, "clock_fake_00001", T_2026_03_01 + 1, "sub_fake_00002");
	clock_advance(p, "clock_fake_00001", T_2026_03_01);
	/* a yearly subscription alone: two years */
	clock_with_subs(p, EPOCH, &yearly, 1);
	advance_refused(p, "clock_fake_00002", T_2028_01_01 + 1, "two intervals");
	clock_advance(p, "clock_fake_00002", T_2028_01_01);
}

static void test_test_clock_advance_limit_without_subscriptions(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, EPOCH, NULL);
	advance_refused(p, "clock_fake_00001", T_2028_01_01 + 1, "two years");
	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", T_2028_01_01);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2028_01_01);
	/* a customer without subscriptions changes nothing */
	clock_new(p, T_2025_06_01, NULL);
	customer_on(p, "clock_fake_00002", "pm_card_visa");
	advance_refused(p, "clock_fake_00002", T_2027_06_01 + 1, "two years");
	clock_advance(p, "clock_fake_00002", T_2027_06_01);
}

static void test_test_clock_advance_limit_ignores_canceled(void **state)
{
	fake_processor *p = proc(state);
	const fake_price *monthly = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	const fake_price *daily = price_new(p, 10, FAKE_INTERVAL_DAY, 1);
	const fake_price *both[] = { monthly, daily };
	clock_with_subs(p, EPOCH, both, 2);
	advance_refused(p, "clock_fake_00001", EPOCH + 2 * DAY + 1, "sub_fake_00002");
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_cancel(&sub, p, "sub_fake_00002", NULL, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	/* the monthly one is the shortest left */
	advance_refused(p, "clock_fake_00001", T_2026_03_01 + 1, "sub_fake_00001");
	check_ok(p, fake_subscription_cancel(&sub, p, "sub_fake_00001", NULL, NULL));
	/* none left: two years */
	advance_refused(p, "clock_fake_00001", T_2028_01_01 + 1, "two years");
	clock_advance(p, "clock_fake_00001", T_2028_01_01);
}

static void test_test_clock_internal_failure_is_terminal(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	const fake_subscription *sub = trial_on(p, "clock_fake_00001", "pm_card_visa");
	const char *invoice = fake_subscription_latest_invoice(sub);
	size_t mark = fake_event_count(p);

	fake_script s = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &s, 1));
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_advance(&c, p, "clock_fake_00001", T_2025_07_01, NULL));
	assert_non_null(c);
	assert_int_equal(fake_script_pending(p, FAKE_OP_ADVANCE_TEST_CLOCK), 0);
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_INTERNAL_FAILURE);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_06_01); /* it stays */
	assert_int_equal(fake_test_clock_target_frozen_time(c), 0);
	/* none of its work ran */
	expect_event(p, &mark, "test_helpers.test_clock.advancing", "clock_fake_00001", EPOCH);
	expect_event(p, &mark, "test_helpers.test_clock.internal_failure", "clock_fake_00001", EPOCH);
	assert_int_equal(fake_event_count(p), mark);
	assert_int_equal(fake_test_clock_status_of(fake_event_object(event_at(p, mark))),
			 FAKE_TEST_CLOCK_INTERNAL_FAILURE);
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	assert_string_equal(fake_subscription_latest_invoice(sub), invoice);
	c = clock_get(p, "clock_fake_00001");
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_INTERNAL_FAILURE);

	/* every advance after it is refused, for good */
	char *before = state_of(p);
	const int64_t targets[] = { T_2025_06_01 + 1, T_2025_07_01, T_2025_06_01 - 1 };
	for (size_t i = 0; i < 3; i++) {
		c = SENTINEL;
		check_fails(p, fake_test_clock_advance(&c, p, "clock_fake_00001", targets[i], NULL), FAKE_ESTATE, NULL,
			    "");
		assert_null(c);
		expect_record(p, "invalid_request_error", 400, "test_clock_internal_failure", "", "internal_failure");
	}
	char *after = state_of(p);
	same_state(before, after, "a refused advance changed the processor");
	free(before);
	free(after);
	/* it can still be deleted, with its customers */
	clock_delete(p, "clock_fake_00001");
	assert_string_equal(fake_subscription_status_name(sub_get(p, fake_subscription_id(sub))), "canceled");
}

static void test_test_clock_error_script_on_advance(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	trial_on(p, "clock_fake_00001", "pm_card_visa");
	char *before = state_of(p);
	size_t events = fake_event_count(p);

	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &s, 1));
	fake_script e = fake_script_error(FAKE_EINVAL, "custom_code", "frozen_time", "Scripted: no.");
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &e, 1));
	const fake_test_clock *c = SENTINEL;
	check_fails(p, fake_test_clock_advance(&c, p, "clock_fake_00001", T_2025_07_01, NULL), FAKE_EAPI, NULL, NULL);
	assert_null(c);
	expect_record(p, "api_error", 500, NULL, NULL, NULL);
	c = SENTINEL;
	check_fails(p, fake_test_clock_advance(&c, p, "clock_fake_00001", T_2025_07_01, NULL), FAKE_EINVAL,
		    "custom_code", "frozen_time");
	assert_null(c);
	assert_string_equal(fake_error_last(p)->message, "Scripted: no.");
	assert_int_equal(fake_event_count(p), events);
	char *after = state_of(p);
	same_state(before, after, "a scripted error changed the processor");
	/* the scripts are used up: the next advance runs */
	c = clock_advance(p, "clock_fake_00001", T_2025_07_01);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_07_01);
	assert_int_equal(fake_call_count(p, FAKE_OP_ADVANCE_TEST_CLOCK), 3);
	free(before);
	free(after);
}

/* ---- 6. deferred completion -------------------------------------------------------- */

static void test_test_clock_ready_after_retrievals(void **state)
{
	fake_processor *p = proc_polls(state, 3);
	clock_new(p, T_2025_06_01, NULL);
	const fake_subscription *sub = trial_on(p, "clock_fake_00001", "pm_card_visa");
	const char *invoice = fake_subscription_latest_invoice(sub);
	const int64_t target = T_2025_06_15 + 2 * HOUR;
	size_t mark = fake_event_count(p);

	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", target);
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_ADVANCING);
	assert_int_equal(fake_test_clock_target_frozen_time(c), target);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_06_01);
	json_t *v = json_of(p, c);
	check_str(v, "status", "advancing");
	check_int(v, "status_details.advancing.target_frozen_time", target);
	json_decref(v);
	expect_events(p, &mark, EPOCH, "test_helpers.test_clock.advancing");
	assert_string_equal(fake_subscription_status_name(sub), "trialing");

	/* advancing again while advancing: refused, nothing changes */
	char *before = state_of(p);
	const fake_test_clock *r = SENTINEL;
	check_fails(p, fake_test_clock_advance(&r, p, "clock_fake_00001", target + DAY, NULL), FAKE_ESTATE,
		    "test_clock_advancing", "");
	assert_null(r);
	expect_record(p, "invalid_request_error", 400, NULL, NULL, "already advancing");
	char *after = state_of(p);
	same_state(before, after, "advancing an advancing clock changed the processor");
	free(before);
	free(after);

	/* retrievals 1 and 2: still advancing, nothing runs */
	for (int i = 1; i <= 2; i++) {
		r = clock_get(p, "clock_fake_00001");
		assert_ptr_equal(r, c);
		assert_int_equal(fake_test_clock_status_of(r), FAKE_TEST_CLOCK_ADVANCING);
		assert_int_equal(fake_test_clock_frozen_time(r), T_2025_06_01);
		assert_int_equal(fake_test_clock_target_frozen_time(r), target);
		expect_events(p, &mark, 0, "");
		assert_string_equal(fake_subscription_status_name(sub), "trialing");
	}
	/* retrieval 3: the work is done, and it is ready */
	r = clock_get(p, "clock_fake_00001");
	assert_int_equal(fake_test_clock_status_of(r), FAKE_TEST_CLOCK_READY);
	assert_int_equal(fake_test_clock_frozen_time(r), target);
	assert_int_equal(fake_test_clock_target_frozen_time(r), 0);
	expect_events(p, &mark, 0,
		      "customer.subscription.trial_will_end," UPCOMING "," RENEWAL "," CHARGED
		      ",test_helpers.test_clock.ready");
	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_string_not_equal(fake_subscription_latest_invoice(sub), invoice);
	assert_string_equal(fake_invoice_status_name(inv_get(p, fake_subscription_latest_invoice(sub))), "paid");
	/* and stays so */
	r = clock_get(p, "clock_fake_00001");
	assert_int_equal(fake_test_clock_status_of(r), FAKE_TEST_CLOCK_READY);
	expect_events(p, &mark, 0, "");
	/* a scripted failure shows at the third retrieval too */
	fake_script s = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &s, 1));
	r = clock_advance(p, "clock_fake_00001", target + DAY);
	assert_int_equal(fake_test_clock_status_of(r), FAKE_TEST_CLOCK_ADVANCING);
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00001")), FAKE_TEST_CLOCK_ADVANCING);
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00001")), FAKE_TEST_CLOCK_ADVANCING);
	r = clock_get(p, "clock_fake_00001");
	assert_int_equal(fake_test_clock_status_of(r), FAKE_TEST_CLOCK_INTERNAL_FAILURE);
	assert_int_equal(fake_test_clock_frozen_time(r), target);
	expect_events(p, &mark, EPOCH, "test_helpers.test_clock.advancing,test_helpers.test_clock.internal_failure");
}

/* What a subscriber does while a clock's advance runs its customers' work. */
typedef struct inside {
	fake_processor *p;
	int calls;
	int retrieve_rc, delete_rc, advance_rc;
	fake_test_clock_status seen;
	char delete_code[64];
} inside;

static void act_inside(fake_processor *p, const fake_event *e, void *user_data)
{
	inside *in = user_data;
	if (strcmp(fake_event_type(e), "invoice.created") != 0 || in->calls++)
		return;
	const fake_test_clock *c = NULL;
	in->retrieve_rc = fake_test_clock_retrieve(&c, p, "clock_fake_00001", NULL);
	in->seen = fake_test_clock_status_of(c);
	in->delete_rc = fake_test_clock_delete(&c, p, "clock_fake_00001", NULL);
	snprintf(in->delete_code, sizeof in->delete_code, "%s", fake_error_last(p)->code);
	in->advance_rc = fake_test_clock_advance(&c, p, "clock_fake_00001", T_2025_08_01, NULL);
}

static void test_test_clock_callbacks_during_its_advance(void **state)
{
	/* the work runs at the second retrieval; the subscriber's own retrieval
	 * during it is not a poll, and the clock cannot be deleted or advanced
	 * again by its own work */
	fake_processor *p = proc_polls(state, 2);
	clock_new(p, T_2025_06_01, NULL);
	const fake_subscription *sub = trial_on(p, "clock_fake_00001", "pm_card_visa");
	inside in = { p, 0, 1, 1, 1, FAKE_TEST_CLOCK_READY, "" };
	check_ok(p, fake_event_subscribe(p, act_inside, &in));
	clock_advance(p, "clock_fake_00001", T_2025_06_15 + 2 * HOUR);
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00001")), FAKE_TEST_CLOCK_ADVANCING);
	assert_int_equal(in.calls, 0);
	const fake_test_clock *c = clock_get(p, "clock_fake_00001");
	assert_int_equal(in.calls, 1); /* the renewal's invoice.created, during the second retrieval */
	assert_int_equal(in.retrieve_rc, 0);
	assert_int_equal(in.seen, FAKE_TEST_CLOCK_ADVANCING);
	assert_int_equal(in.delete_rc, FAKE_ESTATE);
	assert_string_equal(in.delete_code, "test_clock_advancing");
	assert_int_equal(in.advance_rc, FAKE_ESTATE);
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_06_15 + 2 * HOUR);
	assert_false(fake_test_clock_deleted(c));
	assert_string_equal(fake_subscription_status_name(sub), "active");
	check_ok(p, fake_event_unsubscribe(p, act_inside, &in));
}

/* A subscriber to .advancing that retrieves the clock (and so completes the
 * advance, there being no polls to wait for) or deletes it: the advance's
 * own completion then has nothing left to do. */
typedef struct on_advancing {
	bool delete_it;
	int rc;
} on_advancing;

static void act_on_advancing(fake_processor *p, const fake_event *e, void *user_data)
{
	on_advancing *a = user_data;
	if (strcmp(fake_event_type(e), "test_helpers.test_clock.advancing") != 0)
		return;
	const fake_test_clock *c = NULL;
	a->rc = a->delete_it ? fake_test_clock_delete(&c, p, "clock_fake_00001", NULL)
			     : fake_test_clock_retrieve(&c, p, "clock_fake_00001", NULL);
}

/* How many of the events after the first `mark` are of `type`. */
static size_t events_since(fake_processor *p, size_t mark, const char *type)
{
	size_t n = 0, seen = 0, total = fake_event_count(p);
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_EVENTS, NULL, NULL);
	const void *e = NULL;
	while (seen < total - mark && fake_list_iter_next(&e, &it) == 0) {
		seen++;
		n += strcmp(fake_event_type(e), type) == 0;
	}
	return n;
}

static void test_test_clock_subscriber_completes_or_deletes_before_the_advance_does(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	trial_on(p, "clock_fake_00001", "pm_card_visa");
	on_advancing a = { false, 1 };
	check_ok(p, fake_event_subscribe(p, act_on_advancing, &a));
	size_t mark = fake_event_count(p);
	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", T_2025_07_01);
	assert_int_equal(a.rc, 0);
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_07_01);
	assert_int_equal(events_since(p, mark, "test_helpers.test_clock.ready"), 1);

	/* deleted by the subscriber: the advance's work never runs */
	a.delete_it = true;
	a.rc = 1;
	mark = fake_event_count(p);
	c = clock_advance(p, "clock_fake_00001", T_2025_08_01);
	assert_int_equal(a.rc, 0);
	assert_true(fake_test_clock_deleted(c));
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_07_01);
	assert_int_equal(events_since(p, mark, "test_helpers.test_clock.ready"), 0);
	assert_int_equal(events_since(p, mark, "invoice.created"), 0);
	check_ok(p, fake_event_unsubscribe(p, act_on_advancing, &a));
}

/* The processor clock cannot move from work a test clock's advance runs:
 * it could delete that clock (deletes_after) in the middle of it. */
static void advance_processor_inside(fake_processor *p, const fake_event *e, void *user_data)
{
	int *rc = user_data;
	if (strcmp(fake_event_type(e), "invoice.created") == 0 && *rc == 1)
		*rc = fake_clock_advance(p, 8 * DAY);
}

static void test_test_clock_processor_clock_cannot_move_inside_its_advance(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	trial_on(p, "clock_fake_00001", "pm_card_visa");
	int rc = 1;
	check_ok(p, fake_event_subscribe(p, advance_processor_inside, &rc));
	const fake_test_clock *c = clock_advance(p, "clock_fake_00001", T_2025_07_01);
	assert_int_equal(rc, FAKE_ESTATE);
	assert_int_equal(fake_clock_now(p), EPOCH);
	assert_false(fake_test_clock_deleted(c));
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_07_01);
	check_ok(p, fake_event_unsubscribe(p, advance_processor_inside, &rc));
	check_ok(p, fake_clock_advance(p, 8 * DAY)); /* outside it, the clock's deletes_after comes */
	assert_false(clock_live(p, "clock_fake_00001"));
}

/* Subscription create checks its times against the customer's clock, and an
 * invoice item's period defaults to that clock's time. */
static void test_test_clock_create_checks_times_on_the_customers_clock(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL); /* seven months before the processor clock */
	const fake_customer *cus = customer_on(p, "clock_fake_00001", "pm_card_visa");
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	fake_subscription_item_params item = { NULL, fake_price_id(price), NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = fake_customer_id(cus);
	sc.items = &item;
	sc.item_count = 1;
	sc.trial_end = T_2025_06_15; /* in the clock's future, the processor's past */
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
	assert_int_equal(fake_subscription_trial_end(sub), T_2025_06_15);
	sc.trial_end = T_2025_06_01 - DAY; /* in the clock's past */
	check_fails(p, fake_subscription_create(&sub, p, &sc, NULL), FAKE_EINVAL, NULL, "trial_end");

	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = fake_customer_id(cus);
	ic.amount = 500;
	ic.currency = "usd";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	assert_int_equal(fake_object_created(ii), T_2025_06_01);
	assert_int_equal(fake_invoice_item_period_start(ii), T_2025_06_01);
}

/* A caller built against version 1 of the subscription list params passes
 * the smaller struct: libfake reads none of test_clock, which it lacks. */
static void test_test_clock_subscription_list_params_version_1(void **state)
{
	fake_processor *p = proc(state);
	const fake_customer *cus = customer_on(p, NULL, "pm_card_visa");
	sub_new(p, cus, price_new(p, 1000, FAKE_INTERVAL_MONTH, 1), 0);
	size_t v1 = offsetof(fake_subscription_list_params, test_clock);
	fake_subscription_list_params full = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	full.version = 1;
	void *params = malloc(v1); /* exactly a version-1 struct: reading past it is caught under ASan/valgrind */
	assert_non_null(params);
	memcpy(params, &full, v1);
	fake_list page;
	check_ok(p, fake_subscription_list(&page, p, params, NULL));
	assert_int_equal(page.count, 1);
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_SUBSCRIPTIONS, params, NULL);
	const void *o = NULL;
	assert_int_equal(fake_list_iter_next(&o, &it), 0);
	assert_int_equal(fake_list_iter_next(&o, &it), FAKE_ITEROVER);
	free(params);
}

/* ---- 7. deletion ----------------------------------------------------------------- */

static void test_test_clock_delete_cascades(void **state)
{
	fake_processor *p = proc(state);
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	clock_new(p, T_2025_06_01, "doomed");
	clock_new(p, T_2025_06_01, "spared");
	const fake_customer *c0 = customer_on(p, NULL, "pm_card_visa");
	const fake_customer *c1 = customer_on(p, "clock_fake_00001", "pm_card_visa");
	const fake_customer *c2 = customer_on(p, "clock_fake_00001", NULL);
	const fake_customer *c3 = customer_on(p, "clock_fake_00002", "pm_card_visa");
	const fake_subscription *s0 = sub_new(p, c0, price, 0);
	const fake_subscription *s1 = sub_new(p, c1, price, 0);
	const fake_subscription *s3 = sub_new(p, c3, price, 0);
	clock_advance(p, "clock_fake_00001", T_2025_06_01 + 5 * DAY);
	check_ok(p, fake_clock_advance(p, 60));
	const char *pm1 = fake_customer_default_payment_method(c1);
	assert_string_equal(pm1, "pm_fake_00002");
	size_t mark = fake_event_count(p);

	clock_delete(p, "clock_fake_00001");
	/* each customer as fake_customer_delete() deletes it, at the clock's time; then the clock */
	expect_event(p, &mark, "customer.subscription.deleted", fake_subscription_id(s1), T_2025_06_01 + 5 * DAY);
	expect_event(p, &mark, "customer.deleted", fake_customer_id(c1), T_2025_06_01 + 5 * DAY);
	expect_event(p, &mark, "payment_method.detached", pm1, T_2025_06_01 + 5 * DAY);
	expect_event(p, &mark, "customer.deleted", fake_customer_id(c2), T_2025_06_01 + 5 * DAY);
	expect_event(p, &mark, "test_helpers.test_clock.deleted", "clock_fake_00001", EPOCH + 60);
	assert_int_equal(fake_event_count(p), mark);

	assert_true(fake_customer_deleted(customer_get(p, fake_customer_id(c1))));
	assert_true(fake_customer_deleted(customer_get(p, fake_customer_id(c2))));
	assert_string_equal(fake_subscription_status_name(s1), "canceled");
	assert_int_equal(fake_subscription_canceled_at(s1), T_2025_06_01 + 5 * DAY);
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_retrieve(&pm, p, pm1, NULL));
	assert_null(fake_payment_method_customer(pm));
	/* the others are untouched */
	assert_false(fake_customer_deleted(customer_get(p, fake_customer_id(c0))));
	assert_false(fake_customer_deleted(customer_get(p, fake_customer_id(c3))));
	assert_string_equal(fake_subscription_status_name(s0), "active");
	assert_string_equal(fake_subscription_status_name(s3), "active");
	assert_true(clock_live(p, "clock_fake_00002"));
	fake_list page;
	fake_customer_list_params cl = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	cl.test_clock = "clock_fake_00002";
	check_ok(p, fake_customer_list(&page, p, &cl, NULL));
	expect_ids(&page, "cus_fake_00004");
	cl.test_clock = "clock_fake_00001";
	check_fails(p, fake_customer_list(&page, p, &cl, NULL), FAKE_ENOTFOUND, "resource_missing", "test_clock");
	fake_subscription_list_params sl = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	sl.test_clock = "clock_fake_00001";
	sl.status = "all";
	check_fails(p, fake_subscription_list(&page, p, &sl, NULL), FAKE_ENOTFOUND, "resource_missing", "test_clock");
	/* by customer, its subscription is there, canceled */
	sl.test_clock = NULL;
	sl.customer = fake_customer_id(c1);
	check_ok(p, fake_subscription_list(&page, p, &sl, NULL));
	expect_ids(&page, "sub_fake_00002");
	/* and the processor clock goes on without it */
	check_ok(p, fake_clock_advance(p, 40 * DAY));
	assert_string_equal(fake_subscription_status_name(s1), "canceled");
}

static void test_test_clock_auto_delete(void **state)
{
	fake_processor *p = proc(state);
	const fake_test_clock *a = clock_new(p, T_2025_06_01, "a");
	const fake_customer *cus = customer_on(p, "clock_fake_00001", "pm_card_visa");
	const fake_subscription *sub = sub_new(p, cus, price_new(p, 1000, FAKE_INTERVAL_MONTH, 1), 0);
	clock_advance(p, "clock_fake_00001", T_2025_06_01 + DAY);
	check_ok(p, fake_clock_advance(p, DAY));
	const fake_test_clock *b = clock_new(p, T_2025_06_01, "b"); /* created a day later */
	assert_int_equal(fake_test_clock_deletes_after(a), EPOCH + 7 * DAY);
	assert_int_equal(fake_test_clock_deletes_after(b), EPOCH + 8 * DAY);
	size_t mark = fake_event_count(p);

	check_ok(p, fake_clock_advance_to(p, EPOCH + 7 * DAY - 1));
	expect_events(p, &mark, 0, "");
	assert_true(clock_live(p, "clock_fake_00001"));
	check_ok(p, fake_clock_advance_to(p, EPOCH + 7 * DAY));
	/* the same cascade as a delete: the customer at the clock's time, the clock at deletes_after */
	expect_event(p, &mark, "customer.subscription.deleted", fake_subscription_id(sub), T_2025_06_01 + DAY);
	expect_event(p, &mark, "customer.deleted", fake_customer_id(cus), T_2025_06_01 + DAY);
	expect_event(p, &mark, "payment_method.detached", "pm_fake_00001", T_2025_06_01 + DAY);
	expect_event(p, &mark, "test_helpers.test_clock.deleted", "clock_fake_00001", EPOCH + 7 * DAY);
	assert_int_equal(fake_event_count(p), mark);
	assert_null(fake_event_request_id(event_at(p, mark)));
	assert_false(clock_live(p, "clock_fake_00001"));
	assert_true(fake_test_clock_deleted(a));
	assert_true(fake_customer_deleted(customer_get(p, fake_customer_id(cus))));
	assert_string_equal(fake_subscription_status_name(sub), "canceled");
	assert_true(clock_live(p, "clock_fake_00002"));
	check_ok(p, fake_clock_advance_to(p, EPOCH + 8 * DAY));
	expect_events(p, &mark, EPOCH + 8 * DAY, "test_helpers.test_clock.deleted");
	assert_false(clock_live(p, "clock_fake_00002"));
	fake_list page = clock_page(p, 0, NULL, NULL);
	expect_page(&page, "", false);

	/* a clock deleted by hand before its time is not deleted again */
	clock_new(p, T_2025_06_01, "c");
	clock_delete(p, "clock_fake_00003");
	mark = fake_event_count(p);
	check_ok(p, fake_clock_advance(p, 30 * DAY));
	expect_events(p, &mark, 0, "");
}

static void test_test_clock_auto_delete_off(void **state)
{
	fake_processor *p = proc_no_auto_delete(state);
	const fake_test_clock *c = clock_new(p, T_2025_06_01, NULL);
	customer_on(p, "clock_fake_00001", NULL);
	assert_int_equal(fake_test_clock_deletes_after(c), EPOCH + 7 * DAY); /* still shown */
	assert_int_equal(fake_clock_pending(p), 0);
	size_t mark = fake_event_count(p);
	check_ok(p, fake_clock_advance(p, 30 * DAY));
	expect_events(p, &mark, 0, "");
	assert_true(clock_live(p, "clock_fake_00001"));
	assert_false(fake_customer_deleted(customer_get(p, "cus_fake_00001")));
	/* with auto-delete on, the expiry waits on the processor clock */
	fake_processor *q = proc(state);
	clock_new(q, T_2025_06_01, NULL);
	assert_int_equal(fake_clock_pending(q), 1);
}

/* ---- 8. advance_and_wait ------------------------------------------------------------ */

#define LOG_MAX 1100

/* What the injected sleep, monotonic clock, jitter and observer saw. */
typedef struct waitlog {
	int64_t now_ms;             /* the injected monotonic clock: moved by the sleeps */
	size_t sleeps;
	int64_t slept[LOG_MAX];
	size_t jitters;
	int64_t jitter_max[LOG_MAX];
	bool jitter_one;            /* jitter returns 1 (else its max) */
	size_t starts, stops;
	fake_test_clock_wait_event start, stop;
	char start_id[64], stop_id[64], stop_status[32], stop_type[32];
	bool stop_status_null, stop_type_null;
	fake_processor *p;          /* to check the processor's state in a callback */
	size_t retrievals_at_stop;
	const fake_script *push_on_sleep; /* pushed for retrieve_test_clock at the first sleep */
} waitlog;

static void w_sleep(int64_t ms, void *user_data)
{
	waitlog *l = user_data;
	if (l->sleeps < LOG_MAX)
		l->slept[l->sleeps] = ms;
	l->sleeps++;
	l->now_ms += ms;
	if (l->push_on_sleep && l->sleeps == 1)
		assert_int_equal(fake_script_push(l->p, FAKE_OP_RETRIEVE_TEST_CLOCK, l->push_on_sleep, 1), 0);
}

static int64_t w_monotonic(void *user_data)
{
	return ((waitlog *)user_data)->now_ms;
}

static int64_t w_jitter(int64_t max, void *user_data)
{
	waitlog *l = user_data;
	if (l->jitters < LOG_MAX)
		l->jitter_max[l->jitters] = max;
	l->jitters++;
	return l->jitter_one ? 1 : max;
}

static void w_observe(const fake_test_clock_wait_event *e, void *user_data)
{
	waitlog *l = user_data;
	if (!e->stop) {
		l->starts++;
		l->start = *e;
		snprintf(l->start_id, sizeof l->start_id, "%s", e->clock_id ? e->clock_id : "(null)");
		return;
	}
	l->stops++;
	l->stop = *e;
	snprintf(l->stop_id, sizeof l->stop_id, "%s", e->clock_id ? e->clock_id : "(null)");
	l->stop_status_null = e->status == NULL;
	snprintf(l->stop_status, sizeof l->stop_status, "%s", e->status ? e->status : "");
	l->stop_type_null = e->error_type == NULL;
	snprintf(l->stop_type, sizeof l->stop_type, "%s", e->error_type ? e->error_type : "");
	if (l->p)
		l->retrievals_at_stop = (size_t)fake_call_count(l->p, FAKE_OP_RETRIEVE_TEST_CLOCK);
}

/* Wait options with every function injected into `l`. */
static fake_test_clock_wait_options wait_options(waitlog *l)
{
	fake_test_clock_wait_options o = FAKE_TEST_CLOCK_WAIT_OPTIONS_INIT;
	o.sleep = w_sleep;
	o.monotonic_ms = w_monotonic;
	o.jitter = w_jitter;
	o.observer = w_observe;
	o.user_data = l;
	return o;
}

static void expect_sleeps(const waitlog *l, const int64_t *want, size_t n)
{
	assert_int_equal(l->sleeps, n);
	for (size_t i = 0; i < n; i++)
		if (l->slept[i] != want[i]) {
			print_error("sleep %zu: %" PRId64 " ms, expected %" PRId64 "\n", i + 1, l->slept[i], want[i]);
			fail();
		}
}

static void test_test_clock_wait_ready_at_once(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, "w");
	waitlog *l = calloc(1, sizeof *l);
	assert_non_null(l);
	l->p = p;
	fake_test_clock_wait_options o = wait_options(l);
	fake_test_clock_wait_result r;
	memset(&r, 0x55, sizeof r);
	const fake_test_clock *c = SENTINEL;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, &o, &r));
	assert_non_null(c);
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_07_01);
	assert_string_equal(r.clock_id, "clock_fake_00001");
	assert_string_equal(r.last_status, "ready");
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.elapsed_ms, 0);
	/* no sleep before the first poll */
	assert_int_equal(l->sleeps, 0);
	assert_int_equal(l->jitters, 0);
	assert_int_equal(fake_call_count(p, FAKE_OP_ADVANCE_TEST_CLOCK), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), 1);
	assert_int_equal(fake_error_last(p)->status, 0);
	/* the observer: start {clock_id, timeout 60000}, stop {ok, "ready"} */
	assert_int_equal(l->starts, 1);
	assert_false(l->start.stop);
	assert_string_equal(l->start_id, "clock_fake_00001");
	assert_int_equal(l->start.timeout_ms, 60000);
	assert_int_equal(l->stops, 1);
	assert_true(l->stop.stop);
	assert_true(l->stop.ok);
	assert_string_equal(l->stop_id, "clock_fake_00001");
	assert_string_equal(l->stop_status, "ready");
	assert_true(l->stop_type_null);
	assert_int_equal(l->stop.attempts, -1); /* not tracked on success */
	assert_int_equal(l->stop.duration_ms, 0);
	assert_int_equal(l->retrievals_at_stop, 1);
	/* NULL result and NULL options are fine */
	c = SENTINEL;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01 + DAY, NULL, NULL));
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_07_01 + DAY);
	free(l);
}

static void test_test_clock_wait_polls_until_ready(void **state)
{
	fake_processor *p = proc_polls(state, 4);
	clock_new(p, T_2025_06_01, "w");
	const fake_subscription *sub = trial_on(p, "clock_fake_00001", "pm_card_visa");
	waitlog *l = calloc(1, sizeof *l);
	assert_non_null(l);
	fake_test_clock_wait_options o = wait_options(l);
	fake_test_clock_wait_result r;
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_06_15 + 2 * HOUR, &o, &r));
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_06_15 + 2 * HOUR);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_int_equal(r.attempts, 4);
	assert_string_equal(r.last_status, "ready");
	/* full jitter returning its max: sleeps are the base delays */
	const int64_t want[] = { 500, 750, 1125 };
	expect_sleeps(l, want, 3);
	assert_int_equal(l->jitters, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(l->jitter_max[i], want[i]);
	assert_int_equal(r.elapsed_ms, 500 + 750 + 1125);
	assert_int_equal(l->stop.duration_ms, 500 + 750 + 1125);
	assert_int_equal(fake_call_count(p, FAKE_OP_ADVANCE_TEST_CLOCK), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), 4);

	/* a jitter of 1: every sleep is the 500 ms floor */
	memset(l, 0, sizeof *l);
	l->jitter_one = true;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_06_15 + 3 * HOUR, &o, &r));
	const int64_t floor_sleeps[] = { 500, 500, 500 };
	expect_sleeps(l, floor_sleeps, 3);
	assert_int_equal(l->jitter_max[2], 1125); /* the base delay still grows */
	assert_int_equal(r.attempts, 4);
	assert_int_equal(r.elapsed_ms, 1500);
	free(l);
}

static void test_test_clock_wait_delay_sequence(void **state)
{
	fake_processor *p = proc_polls(state, 1000);
	clock_new(p, T_2025_06_01, NULL);
	waitlog *l = calloc(1, sizeof *l);
	assert_non_null(l);
	fake_test_clock_wait_options o = wait_options(l);
	o.timeout_ms = 86400000;
	fake_test_clock_wait_result r;
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, &o, &r));
	assert_int_equal(r.attempts, 1000);
	assert_int_equal(l->sleeps, 999);
	/* 500, x1.5 rounded half away from zero, capped at 5000 */
	const int64_t want[] = { 500, 750, 1125, 1688, 2532, 3798, 5000, 5000, 5000 };
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(l->jitter_max[i], want[i]);
	int64_t total = 0;
	for (size_t i = 0; i < l->sleeps; i++) {
		assert_int_equal(l->slept[i], i < 9 ? want[i] : 5000);
		total += l->slept[i];
	}
	assert_int_equal(r.elapsed_ms, total);

	/* initial_interval below 500 is floored; above it is taken; the
	 * multiplier and cap are the caller's */
	const struct {
		int64_t initial, max;
		double mult;
		int64_t want[4]; /* jitter maxima */
		int64_t sleeps[4];
	} cases[] = {
		{ 100, 5000, 1.5, { 500, 750, 1125, 1688 }, { 500, 750, 1125, 1688 } },
		{ 0, 5000, 1.5, { 500, 750, 1125, 1688 }, { 500, 750, 1125, 1688 } },
		{ 800, 5000, 2.0, { 800, 1600, 3200, 5000 }, { 800, 1600, 3200, 5000 } },
		{ 500, 600, 1.5, { 500, 600, 600, 600 }, { 500, 600, 600, 600 } },
		{ 500, 100, 1.5, { 500, 100, 100, 100 }, { 500, 500, 500, 500 } }, /* sleeps stay >= 500 */
		{ 1000, 10000, 1.0, { 1000, 1000, 1000, 1000 }, { 1000, 1000, 1000, 1000 } },
		{ 501, 5000, 1.5, { 501, 752, 1128, 1692 }, { 501, 752, 1128, 1692 } }, /* 751.5 -> 752 */
	};
	fake_processor *q = proc_polls(state, 5);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		memset(l, 0, sizeof *l);
		o.initial_interval_ms = cases[k].initial;
		o.max_interval_ms = cases[k].max;
		o.multiplier = cases[k].mult;
		const fake_test_clock *qc = clock_new(q, T_2025_06_01, NULL);
		check_ok(q, fake_test_clock_advance_and_wait(&c, q, fake_test_clock_id(qc), T_2025_07_01, &o, &r));
		assert_int_equal(r.attempts, 5);
		expect_sleeps(l, cases[k].sleeps, 4);
		for (size_t i = 0; i < 4; i++)
			if (l->jitter_max[i] != cases[k].want[i]) {
				print_error("case %zu: jitter %zu got max %" PRId64 ", expected %" PRId64 "\n", k, i,
					    l->jitter_max[i], cases[k].want[i]);
				fail();
			}
	}
	free(l);
}

static void test_test_clock_wait_timeout(void **state)
{
	fake_processor *p = proc_polls(state, 5);
	clock_new(p, T_2025_06_01, NULL);
	waitlog *l = calloc(1, sizeof *l);
	assert_non_null(l);
	l->p = p;
	fake_test_clock_wait_options o = wait_options(l);
	o.timeout_ms = 0;
	fake_test_clock_wait_result r;
	const fake_test_clock *c = SENTINEL;
	int rc = fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, &o, &r);
	assert_int_equal(rc, FAKE_ETIMEOUT);
	assert_null(c);
	/* exactly one advance and one retrieval */
	assert_int_equal(fake_call_count(p, FAKE_OP_ADVANCE_TEST_CLOCK), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), 1);
	const fake_error *e = fake_error_last(p);
	assert_int_equal(e->status, FAKE_ETIMEOUT);
	assert_string_equal(e->type, "test_clock_timeout");
	assert_int_equal(e->http_status, 0);
	assert_string_equal(e->code, "");
	assert_non_null(strstr(e->message, "clock_fake_00001"));
	assert_non_null(strstr(e->message, "did not reach ready within 0 ms"));
	assert_string_equal(r.clock_id, "clock_fake_00001");
	assert_string_equal(r.last_status, "advancing");
	assert_int_equal(r.attempts, 1);
	assert_true(r.elapsed_ms >= 0);
	assert_int_equal(l->sleeps, 0);
	/* the observer: stop {error, test_clock_timeout, attempts} */
	assert_int_equal(l->stops, 1);
	assert_false(l->stop.ok);
	assert_string_equal(l->stop_type, "test_clock_timeout");
	assert_string_equal(l->stop_status, "advancing");
	assert_int_equal(l->stop.attempts, 1);
	assert_int_equal(l->start.timeout_ms, 0);
	/* the JSON error body of a timeout */
	char *body = NULL;
	check_ok(p, fake_json_error(&body, p, 0));
	json_t *v = parse(body);
	fake_json_free(p, body);
	check_str(v, "error.type", "test_clock_timeout");
	json_decref(v);
	/* the clock goes on advancing; a later poll finds it ready */
	c = clock_get(p, "clock_fake_00001");
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_ADVANCING);

	/* a deadline of 2 s: checked only after a poll that was not ready,
	 * and the sleep is not cut short: 500 + 750 + 1125 >= 2000 after the 4th poll */
	fake_processor *q = proc_polls(state, 10);
	clock_new(q, T_2025_06_01, NULL);
	memset(l, 0, sizeof *l);
	l->p = q;
	o.timeout_ms = 2000;
	assert_int_equal(fake_test_clock_advance_and_wait(&c, q, "clock_fake_00001", T_2025_07_01, &o, &r),
			 FAKE_ETIMEOUT);
	const int64_t want[] = { 500, 750, 1125 };
	expect_sleeps(l, want, 3);
	assert_int_equal(r.attempts, 4);
	assert_int_equal(r.elapsed_ms, 2375);
	assert_int_equal(l->stop.attempts, 4);
	assert_int_equal(l->stop.duration_ms, 2375);
	assert_int_equal(fake_call_count(q, FAKE_OP_RETRIEVE_TEST_CLOCK), 4);
	assert_non_null(strstr(fake_error_last(q)->message, "within 2000 ms"));
	/* ready at the last poll before the deadline would pass: success */
	fake_processor *s = proc_polls(state, 4);
	clock_new(s, T_2025_06_01, NULL);
	memset(l, 0, sizeof *l);
	check_ok(s, fake_test_clock_advance_and_wait(&c, s, "clock_fake_00001", T_2025_07_01, &o, &r));
	assert_int_equal(r.attempts, 4);
	free(l);
}

static void test_test_clock_wait_internal_failure(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	waitlog *l = calloc(1, sizeof *l);
	assert_non_null(l);
	fake_test_clock_wait_options o = wait_options(l);
	fake_script s = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &s, 1));
	fake_test_clock_wait_result r;
	const fake_test_clock *c = SENTINEL;
	assert_int_equal(fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, &o, &r),
			 FAKE_ECLOCKFAILED);
	assert_null(c);
	const fake_error *e = fake_error_last(p);
	assert_int_equal(e->status, FAKE_ECLOCKFAILED);
	assert_string_equal(e->type, "test_clock_failed");
	assert_int_equal(e->http_status, 0);
	assert_non_null(strstr(e->message, "clock_fake_00001"));
	assert_non_null(strstr(e->message, "internal_failure"));
	assert_int_equal(r.attempts, 1);
	assert_string_equal(r.last_status, "internal_failure");
	assert_int_equal(l->sleeps, 0); /* no retry */
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), 1);
	assert_false(l->stop.ok);
	assert_string_equal(l->stop_type, "test_clock_failed");
	assert_string_equal(l->stop_status, "internal_failure");
	assert_int_equal(l->stop.attempts, 1);

	/* seen at the third poll when advances complete at the third retrieval */
	fake_processor *q = proc_polls(state, 3);
	clock_new(q, T_2025_06_01, NULL);
	check_ok(q, fake_script_push(q, FAKE_OP_ADVANCE_TEST_CLOCK, &s, 1));
	memset(l, 0, sizeof *l);
	assert_int_equal(fake_test_clock_advance_and_wait(&c, q, "clock_fake_00001", T_2025_07_01, &o, &r),
			 FAKE_ECLOCKFAILED);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(l->sleeps, 2);
	/* and a clock already failed: its advance is refused, passed through */
	memset(l, 0, sizeof *l);
	assert_int_equal(fake_test_clock_advance_and_wait(&c, q, "clock_fake_00001", T_2025_07_01, &o, &r), FAKE_ESTATE);
	assert_int_equal(r.attempts, 0);
	assert_string_equal(fake_error_last(q)->code, "test_clock_internal_failure");
	free(l);
}

static void test_test_clock_wait_passes_errors_through(void **state)
{
	fake_processor *p = proc_polls(state, 3);
	clock_new(p, T_2025_06_01, NULL);
	clock_new(p, T_2025_06_01, NULL);
	waitlog *l = calloc(1, sizeof *l);
	assert_non_null(l);
	fake_test_clock_wait_options o = wait_options(l);
	fake_test_clock_wait_result r;

	/* a 429 on the first poll: returned unchanged */
	fake_script rl = fake_script_rate_limit(7);
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_TEST_CLOCK, &rl, 1));
	const fake_test_clock *c = SENTINEL;
	assert_int_equal(fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, &o, &r),
			 FAKE_ERATELIMIT);
	assert_null(c);
	const fake_error *e = fake_error_last(p);
	assert_int_equal(e->status, FAKE_ERATELIMIT);
	assert_string_equal(e->type, "rate_limit_error");
	assert_int_equal(e->http_status, 429);
	assert_int_equal(e->retry_after, 7);
	assert_string_equal(e->code, "rate_limit");
	assert_int_equal(r.attempts, 1);
	assert_int_equal(l->sleeps, 0);
	assert_false(l->stop.ok);
	assert_string_equal(l->stop_type, "rate_limit_error");
	assert_true(l->stop_status_null);
	assert_int_equal(l->stop.attempts, -1);

	/* a 429 on a later poll (pushed during the first sleep) */
	memset(l, 0, sizeof *l);
	l->push_on_sleep = &rl;
	l->p = p;
	uint64_t retrievals = fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK);
	assert_int_equal(fake_test_clock_advance_and_wait(&c, p, "clock_fake_00002", T_2025_07_01, &o, &r),
			 FAKE_ERATELIMIT);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), retrievals + 2);
	assert_int_equal(r.attempts, 2);
	assert_string_equal(r.last_status, "advancing"); /* what the last good poll saw */
	assert_int_equal(l->sleeps, 1);
	assert_string_equal(fake_error_last(p)->type, "rate_limit_error");

	/* a failing advance (a target in the past): its error, and no poll */
	clock_new(p, T_2025_06_01, NULL);
	memset(l, 0, sizeof *l);
	retrievals = fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK);
	c = SENTINEL;
	assert_int_equal(fake_test_clock_advance_and_wait(&c, p, "clock_fake_00003", T_2025_06_01 - DAY, &o, &r),
			 FAKE_EINVAL);
	assert_null(c);
	assert_string_equal(fake_error_last(p)->param, "frozen_time");
	assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), retrievals);
	assert_int_equal(r.attempts, 0);
	assert_string_equal(r.last_status, "");
	assert_string_equal(r.clock_id, "clock_fake_00003");
	assert_int_equal(l->starts, 1);
	assert_int_equal(l->stops, 1);
	assert_false(l->stop.ok);
	assert_string_equal(l->stop_type, "invalid_request_error");
	assert_true(l->stop_status_null);
	assert_int_equal(l->stop.attempts, -1);
	/* a scripted error on the advance, and an unknown clock */
	fake_script api = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &api, 1));
	assert_int_equal(fake_test_clock_advance_and_wait(&c, p, "clock_fake_00003", T_2025_07_01, &o, &r), FAKE_EAPI);
	assert_int_equal(fake_test_clock_advance_and_wait(&c, p, "clock_fake_00099", T_2025_07_01, &o, &r),
			 FAKE_ENOTFOUND);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_TEST_CLOCK), retrievals);
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00003")), FAKE_TEST_CLOCK_READY);
	free(l);
}

/* Runs the same wait with the default options (virtual time, jitter from
 * the processor's PRNG) on a fresh processor of seed 11; returns its state. */
static char *default_wait(void **state, fake_test_clock_wait_result *r)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.seed = 11;
	o.test_clocks.ready_after_retrievals = 6;
	fake_processor *p = proc_new(state, &o);
	clock_new(p, T_2025_06_01, NULL);
	trial_on(p, "clock_fake_00001", "pm_card_visa");
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, NULL, r));
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	return state_of(p);
}

static void test_test_clock_wait_default_options_are_deterministic(void **state)
{
	fake_test_clock_wait_result r1, r2;
	char *s1 = default_wait(state, &r1);
	char *s2 = default_wait(state, &r2);
	assert_int_equal(r1.attempts, 6);
	assert_int_equal(r2.attempts, 6);
	/* virtual time moved by five sleeps, each in [500, base delay] */
	assert_int_equal(r1.elapsed_ms, r2.elapsed_ms);
	assert_true(r1.elapsed_ms >= 5 * 500);
	assert_true(r1.elapsed_ms <= 500 + 750 + 1125 + 1688 + 2532);
	assert_string_equal(r1.last_status, r2.last_status);
	same_state(s1, s2, "two processors of the same seed waited differently");
	/* another seed: the same outcome, whatever its sleeps */
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.seed = 12;
	o.test_clocks.ready_after_retrievals = 6;
	fake_processor *p = proc_new(state, &o);
	clock_new(p, T_2025_06_01, NULL);
	const fake_test_clock *c = NULL;
	fake_test_clock_wait_result r3;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, NULL, &r3));
	assert_int_equal(r3.attempts, 6);
	assert_true(r3.elapsed_ms >= 2500 && r3.elapsed_ms <= 500 + 750 + 1125 + 1688 + 2532);
	free(s1);
	free(s2);
}

/* Asserts that these wait options are refused (FAKE_EINVAL on `param`) and that nothing was called. */
static void wait_refused(fake_processor *p, const fake_test_clock_wait_options *o, const char *param)
{
	uint64_t calls = all_calls(p);
	char *before = state_of(p);
	fake_test_clock_wait_result r;
	memset(&r, 0x55, sizeof r);
	const fake_test_clock *c = SENTINEL;
	check_fails(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, o, &r), FAKE_EINVAL,
		    NULL, param);
	assert_null(c);
	assert_int_equal(r.attempts, 0);
	assert_int_equal(all_calls(p), calls);
	char *after = state_of(p);
	same_state(before, after, "refused wait options changed the processor");
	free(before);
	free(after);
}

static void test_test_clock_wait_bad_options(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	waitlog *l = calloc(1, sizeof *l);
	assert_non_null(l);
	const fake_test_clock_wait_options good = wait_options(l);
	fake_test_clock_wait_options o = good;
	o.version = 0;
	wait_refused(p, &o, "version");
	o.version = FAKE_TEST_CLOCK_WAIT_OPTIONS_VERSION + 1;
	wait_refused(p, &o, "version");
	o = good;
	o.timeout_ms = -1;
	wait_refused(p, &o, "timeout_ms");
	o.timeout_ms = 86400001;
	wait_refused(p, &o, "timeout_ms");
	o = good;
	o.initial_interval_ms = -1;
	wait_refused(p, &o, "initial_interval_ms");
	o.initial_interval_ms = 3600001;
	wait_refused(p, &o, "initial_interval_ms");
	o = good;
	o.max_interval_ms = 0;
	wait_refused(p, &o, "max_interval_ms");
	o.max_interval_ms = 3600001;
	wait_refused(p, &o, "max_interval_ms");
	o = good;
	o.multiplier = 0.5;
	wait_refused(p, &o, "multiplier");
	o.multiplier = 10.5;
	wait_refused(p, &o, "multiplier");
	o.multiplier = NAN;
	wait_refused(p, &o, "multiplier");
	o.multiplier = INFINITY;
	wait_refused(p, &o, "multiplier");
	assert_int_equal(l->starts, 0); /* the observer is not told about refused options */
	/* the edges are fine */
	o = good;
	o.timeout_ms = 86400000;
	o.initial_interval_ms = 3600000;
	o.max_interval_ms = 3600000;
	o.multiplier = 10.0;
	const fake_test_clock *c = NULL;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, &o, NULL));
	o.multiplier = 1.0;
	o.timeout_ms = 0;
	o.initial_interval_ms = 0;
	o.max_interval_ms = 1;
	check_ok(p, fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01 + 1, &o, NULL));
	/* NULL out or processor */
	assert_int_equal(fake_test_clock_advance_and_wait(&c, NULL, "clock_fake_00001", T_2025_08_01, &good, NULL),
			 FAKE_EINVAL);
	check_fails(p, fake_test_clock_advance_and_wait(NULL, p, "clock_fake_00001", T_2025_08_01, &good, NULL),
		    FAKE_EINVAL, NULL, "out");
	free(l);
}

/* A subscriber that calls advance_and_wait: refused inside a callback. */
static void wait_inside(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)e;
	int *rc = user_data;
	const fake_test_clock *c = NULL;
	if (*rc == 1)
		*rc = fake_test_clock_advance_and_wait(&c, p, "clock_fake_00001", T_2025_07_01, NULL, NULL);
}

static void test_test_clock_wait_not_from_a_callback(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	int rc = 1;
	check_ok(p, fake_event_subscribe(p, wait_inside, &rc));
	customer_on(p, NULL, NULL);
	assert_int_equal(rc, FAKE_ESTATE);
	check_ok(p, fake_event_unsubscribe(p, wait_inside, &rc));
	assert_int_equal(fake_test_clock_frozen_time(clock_get(p, "clock_fake_00001")), T_2025_06_01);
}

/* ---- 9. cleanup of leaked clocks ------------------------------------------------------ */

/* Clocks 1-3 at the epoch ("lattice_stripe_test", "other_clock", no name),
 * then two hours later clocks 4-5 ("lattice_stripe_new", no name). */
static void leaked_clocks(fake_processor *p)
{
	clock_new(p, T_2025_06_01, "lattice_stripe_test");
	clock_new(p, T_2025_06_01, "other_clock");
	clock_new(p, T_2025_06_01, NULL);
	check_ok(p, fake_clock_advance(p, 2 * HOUR));
	clock_new(p, T_2025_06_01, "lattice_stripe_new");
	clock_new(p, T_2025_06_01, NULL);
}

/* Runs a cleanup; asserts its candidates are the clocks numbered `want` ("3,2,1"). */
static fake_test_clock_cleanup_result cleanup(fake_processor *p, int64_t older_than, const char *prefix, bool del,
					      const char *want)
{
	fake_test_clock_cleanup_params cp = FAKE_TEST_CLOCK_CLEANUP_PARAMS_INIT;
	cp.older_than = older_than;
	cp.name_prefix = prefix;
	cp.delete_matches = del;
	fake_test_clock_cleanup_result r;
	memset(&r, 0x55, sizeof r);
	check_ok(p, fake_test_clock_cleanup(&r, p, &cp));
	fake_list page;
	page.count = r.total_matched;
	page.has_more = false;
	assert_true(r.total_matched <= FAKE_LIST_LIMIT_MAX);
	for (size_t i = 0; i < r.total_matched; i++)
		page.data[i] = r.candidates[i];
	expect_page(&page, want, false);
	if (!del) {
		assert_int_equal(r.deleted, 0);
		assert_int_equal(r.failed, 0);
	}
	return r;
}

static void test_test_clock_cleanup_finds_old_clocks(void **state)
{
	fake_processor *p = proc(state);
	leaked_clocks(p);
	size_t events = fake_event_count(p);

	/* the 1 h default: only the clocks made two hours ago, newest first */
	fake_test_clock_cleanup_result r;
	check_ok(p, fake_test_clock_cleanup(&r, p, NULL));
	assert_int_equal(r.total_matched, 3);
	assert_string_equal(fake_test_clock_id(r.candidates[0]), "clock_fake_00003");
	assert_string_equal(fake_test_clock_id(r.candidates[2]), "clock_fake_00001");
	fake_test_clock_cleanup_result_dispose(p, &r);
	assert_null(r.candidates);
	assert_int_equal(r.total_matched, 0);
	r = cleanup(p, 3600, NULL, false, "3,2,1");
	fake_test_clock_cleanup_result_dispose(p, &r);
	/* the cutoff is inclusive: created at or before now - older_than */
	r = cleanup(p, 7200, NULL, false, "3,2,1");
	fake_test_clock_cleanup_result_dispose(p, &r);
	r = cleanup(p, 7201, NULL, false, "");
	assert_null(r.candidates);
	fake_test_clock_cleanup_result_dispose(p, &r);
	/* 0: every clock made up to now */
	r = cleanup(p, 0, NULL, false, "5,4,3,2,1");
	fake_test_clock_cleanup_result_dispose(p, &r);
	/* a name prefix; a clock without a name never matches one, even "" */
	r = cleanup(p, 3600, "lattice_stripe", false, "1");
	fake_test_clock_cleanup_result_dispose(p, &r);
	r = cleanup(p, 0, "lattice_stripe", false, "4,1");
	fake_test_clock_cleanup_result_dispose(p, &r);
	r = cleanup(p, 0, "", false, "4,2,1");
	fake_test_clock_cleanup_result_dispose(p, &r);
	r = cleanup(p, 0, "lattice_stripe_test_and_more", false, "");
	fake_test_clock_cleanup_result_dispose(p, &r);
	r = cleanup(p, 0, "other", false, "2");
	fake_test_clock_cleanup_result_dispose(p, &r);
	/* listing only changes nothing */
	assert_int_equal(fake_event_count(p), events);
	fake_list page = clock_page(p, 0, NULL, NULL);
	expect_page(&page, "5,4,3,2,1", false);
	/* deleted clocks are not candidates */
	clock_delete(p, "clock_fake_00002");
	r = cleanup(p, 3600, NULL, false, "3,1");
	fake_test_clock_cleanup_result_dispose(p, &r);
	fake_test_clock_cleanup_result_dispose(p, &r); /* twice is harmless */
	fake_test_clock_cleanup_result_dispose(p, NULL);
}

static void test_test_clock_cleanup_walks_every_page(void **state)
{
	fake_processor *p = proc(state);
	for (int i = 0; i < 25; i++)
		clock_new(p, T_2025_06_01, i % 2 ? "odd" : "even");
	check_ok(p, fake_clock_advance(p, 2 * HOUR));
	uint64_t lists = fake_call_count(p, FAKE_OP_LIST_TEST_CLOCKS);
	fake_test_clock_cleanup_params cp = FAKE_TEST_CLOCK_CLEANUP_PARAMS_INIT;
	cp.name_prefix = "odd";
	fake_test_clock_cleanup_result r;
	check_ok(p, fake_test_clock_cleanup(&r, p, &cp));
	assert_int_equal(r.total_matched, 12);
	assert_string_equal(fake_test_clock_id(r.candidates[0]), "clock_fake_00024");
	assert_string_equal(fake_test_clock_id(r.candidates[11]), "clock_fake_00002");
	/* Stripe's default page size, 10: three pages */
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_TEST_CLOCKS), lists + 3);
	fake_test_clock_cleanup_result_dispose(p, &r);
	/* a page that fails: its status */
	fake_script s = fake_script_rate_limit(1);
	check_ok(p, fake_script_push(p, FAKE_OP_LIST_TEST_CLOCKS, &s, 1));
	assert_int_equal(fake_test_clock_cleanup(&r, p, &cp), FAKE_ERATELIMIT);
	assert_string_equal(fake_error_last(p)->type, "rate_limit_error");
	fake_test_clock_cleanup_result_dispose(p, &r);
}

/* Pushes an error script for delete_test_clock after the first clock is deleted. */
static void fail_second_delete(fake_processor *p, const fake_event *e, void *user_data)
{
	int *pushed = user_data;
	if (*pushed || strcmp(fake_event_type(e), "test_helpers.test_clock.deleted") != 0)
		return;
	fake_script s = fake_script_error(FAKE_EINVAL, "", "", "Scripted: cannot delete.");
	assert_int_equal(fake_script_push(p, FAKE_OP_DELETE_TEST_CLOCK, &s, 1), 0);
	*pushed = 1;
}

static void test_test_clock_cleanup_deletes(void **state)
{
	fake_processor *p = proc(state);
	leaked_clocks(p);
	customer_on(p, "clock_fake_00001", "pm_card_visa");

	uint64_t deletes = fake_call_count(p, FAKE_OP_DELETE_TEST_CLOCK);
	fake_test_clock_cleanup_result r = cleanup(p, 3600, "lattice_stripe", true, "1");
	assert_int_equal(r.deleted, 1);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.total_matched, 1);
	fake_test_clock_cleanup_result_dispose(p, &r);
	r = cleanup(p, 0, "", true, "4,2");
	assert_int_equal(r.deleted, 2);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.total_matched, 2);
	fake_test_clock_cleanup_result_dispose(p, &r);
	assert_false(clock_live(p, "clock_fake_00001"));
	assert_false(clock_live(p, "clock_fake_00002"));
	assert_false(clock_live(p, "clock_fake_00004"));
	/* the first cleanup's clock went with its customer */
	assert_true(fake_customer_deleted(customer_get(p, "cus_fake_00001")));
	assert_int_equal(fake_call_count(p, FAKE_OP_DELETE_TEST_CLOCK), deletes + 3);

	/* scenario 52: two matches, one delete succeeds and the second fails:
	 * counted, not returned */
	fake_processor *q = proc_new(state, NULL);
	int pushed = 0;
	clock_new(q, T_2025_06_01, "lattice_stripe_a");
	clock_new(q, T_2025_06_01, "lattice_stripe_b");
	check_ok(q, fake_clock_advance(q, 2 * HOUR));
	check_ok(q, fake_event_subscribe(q, fail_second_delete, &pushed));
	size_t mark = fake_event_count(q);
	r = cleanup(q, 3600, "lattice_stripe", true, "2,1");
	assert_int_equal(r.deleted, 1);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.total_matched, 2);
	assert_int_equal(fake_error_last(q)->status, 0); /* it succeeded */
	fake_test_clock_cleanup_result_dispose(q, &r);
	/* in list order: the newest went, the older stays */
	assert_false(clock_live(q, "clock_fake_00002"));
	assert_true(clock_live(q, "clock_fake_00001"));
	expect_events(q, &mark, EPOCH + 2 * HOUR, "test_helpers.test_clock.deleted");
	/* scenario 53: nothing old enough */
	r = cleanup(q, 3 * HOUR, NULL, true, "");
	assert_int_equal(r.deleted, 0);
	assert_int_equal(r.failed, 0);
	fake_test_clock_cleanup_result_dispose(q, &r);
	assert_true(clock_live(q, "clock_fake_00001"));
}

/* ---- 10. the per-test owner -------------------------------------------------------------- */

/* The ids of the test_helpers.test_clock.deleted events after `from`, joined with commas. */
static void deleted_order(fake_processor *p, size_t from, text *t)
{
	t->len = 0;
	text_add(t, "%s", "");
	for (size_t i = from + 1; i <= fake_event_count(p); i++) {
		const fake_event *e = event_at(p, i);
		if (strcmp(fake_event_type(e), "test_helpers.test_clock.deleted") == 0)
			text_add(t, "%s%s", t->len ? "," : "", fake_object_id(fake_event_object(e)));
	}
}

static void test_test_clock_owner_registers_in_order(void **state)
{
	fake_processor *p = proc(state);
	check_ok(p, fake_clock_advance(p, 42));
	fake_test_clock_owner *owner = NULL;
	check_ok(p, fake_test_clock_owner_new(&owner, p));
	assert_non_null(owner);
	assert_int_equal(fake_test_clock_owner_count(owner), 0);

	const fake_test_clock *c = SENTINEL;
	check_ok(p, fake_test_clock_owner_create(&c, owner, NULL));
	/* the defaults: frozen at the processor clock's now, named libfake_test */
	assert_string_equal(fake_test_clock_id(c), "clock_fake_00001");
	assert_int_equal(fake_test_clock_frozen_time(c), EPOCH + 42);
	assert_string_equal(fake_test_clock_name(c), "libfake_test");
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = T_2025_06_01;
	cp.name = "my-custom";
	check_ok(p, fake_test_clock_owner_create(&c, owner, &cp));
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_06_01);
	assert_string_equal(fake_test_clock_name(c), "my-custom");
	clock_new(p, T_2025_06_01, "made elsewhere");
	check_ok(p, fake_test_clock_owner_register(owner, "clock_fake_00003"));
	check_ok(p, fake_test_clock_owner_create(NULL, owner, NULL)); /* out may be NULL */

	assert_int_equal(fake_test_clock_owner_count(owner), 4);
	assert_string_equal(fake_test_clock_owner_id(owner, 0), "clock_fake_00001");
	assert_string_equal(fake_test_clock_owner_id(owner, 1), "clock_fake_00002");
	assert_string_equal(fake_test_clock_owner_id(owner, 2), "clock_fake_00003");
	assert_string_equal(fake_test_clock_owner_id(owner, 3), "clock_fake_00004");
	assert_null(fake_test_clock_owner_id(owner, 4));
	/* a refused create registers nothing */
	cp.frozen_time = 0;
	c = SENTINEL;
	check_fails(p, fake_test_clock_owner_create(&c, owner, &cp), FAKE_EINVAL, "parameter_missing", "frozen_time");
	assert_null(c);
	assert_int_equal(fake_test_clock_owner_count(owner), 4);
	/* the ids are copies */
	char id[] = "clock_fake_00003";
	check_ok(p, fake_test_clock_owner_register(owner, id));
	id[0] = 'X';
	assert_string_equal(fake_test_clock_owner_id(owner, 4), "clock_fake_00003");

	/* cleanup deletes in registration order (the duplicate fails: already deleted) */
	size_t mark = fake_event_count(p);
	uint64_t deletes = fake_call_count(p, FAKE_OP_DELETE_TEST_CLOCK);
	assert_int_equal(fake_test_clock_owner_cleanup(owner), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_DELETE_TEST_CLOCK), deletes + 5);
	text t = { 0 };
	deleted_order(p, mark, &t);
	assert_string_equal(t.s, "clock_fake_00001,clock_fake_00002,clock_fake_00003,clock_fake_00004");
	text_free(&t);
	fake_list page = clock_page(p, 0, NULL, NULL);
	expect_page(&page, "", false);
}

static void test_test_clock_owner_cleanup_ignores_errors(void **state)
{
	fake_processor *p = proc(state);
	fake_test_clock_owner *owner = NULL;
	check_ok(p, fake_test_clock_owner_new(&owner, p));
	for (int i = 0; i < 4; i++)
		check_ok(p, fake_test_clock_owner_create(NULL, owner, NULL));
	customer_on(p, "clock_fake_00003", "pm_card_visa");
	clock_delete(p, "clock_fake_00002");                      /* already deleted */
	check_ok(p, fake_test_clock_owner_register(owner, "clock_fake_00099")); /* never existed */
	fake_script s = fake_script_api_error();                  /* the first delete fails */
	check_ok(p, fake_script_push(p, FAKE_OP_DELETE_TEST_CLOCK, &s, 1));
	size_t mark = fake_event_count(p);

	assert_int_equal(fake_test_clock_owner_cleanup(owner), 3);
	text t = { 0 };
	deleted_order(p, mark, &t);
	assert_string_equal(t.s, "clock_fake_00003,clock_fake_00004");
	text_free(&t);
	assert_true(clock_live(p, "clock_fake_00001")); /* its delete was the scripted failure: not retried */
	assert_true(fake_customer_deleted(customer_get(p, "cus_fake_00001")));
}

static void test_test_clock_owners_are_independent(void **state)
{
	fake_processor *p = proc(state);
	fake_test_clock_owner *a = NULL, *b = NULL;
	check_ok(p, fake_test_clock_owner_new(&a, p));
	check_ok(p, fake_test_clock_owner_new(&b, p));
	check_ok(p, fake_test_clock_owner_create(NULL, a, NULL));
	check_ok(p, fake_test_clock_owner_create(NULL, b, NULL));
	check_ok(p, fake_test_clock_owner_create(NULL, a, NULL));
	assert_int_equal(fake_test_clock_owner_count(a), 2);
	assert_int_equal(fake_test_clock_owner_count(b), 1);
	assert_string_equal(fake_test_clock_owner_id(a, 1), "clock_fake_00003");
	assert_string_equal(fake_test_clock_owner_id(b, 0), "clock_fake_00002");
	assert_int_equal(fake_test_clock_owner_cleanup(a), 0);
	assert_false(clock_live(p, "clock_fake_00001"));
	assert_false(clock_live(p, "clock_fake_00003"));
	assert_true(clock_live(p, "clock_fake_00002"));
	assert_int_equal(fake_test_clock_owner_count(b), 1);
	assert_int_equal(fake_test_clock_owner_cleanup(b), 0);
	assert_false(clock_live(p, "clock_fake_00002"));

	/* owners of two processors */
	fake_processor *q = proc_new(state, NULL);
	check_ok(p, fake_test_clock_owner_new(&a, p));
	check_ok(q, fake_test_clock_owner_new(&b, q));
	check_ok(p, fake_test_clock_owner_create(NULL, a, NULL));
	check_ok(q, fake_test_clock_owner_create(NULL, b, NULL));
	assert_string_equal(fake_test_clock_owner_id(b, 0), "clock_fake_00001");
	assert_int_equal(fake_test_clock_owner_cleanup(b), 0);
	assert_false(clock_live(q, "clock_fake_00001"));
	/* a processor clock at 0: the default frozen_time is 1 */
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.epoch = 0;
	fake_processor *z = proc_new(state, &o);
	fake_test_clock_owner *zo = NULL;
	check_ok(z, fake_test_clock_owner_new(&zo, z));
	const fake_test_clock *zc = NULL;
	check_ok(z, fake_test_clock_owner_create(&zc, zo, NULL));
	assert_int_equal(fake_test_clock_frozen_time(zc), 1);
	assert_int_equal(fake_test_clock_owner_cleanup(zo), 0);
	assert_true(clock_live(p, "clock_fake_00004"));
	assert_int_equal(fake_test_clock_owner_cleanup(a), 0);
}

static void test_test_clock_owner_empty_makes_no_calls(void **state)
{
	fake_processor *p = proc(state);
	clock_new(p, T_2025_06_01, NULL);
	fake_test_clock_owner *owner = NULL;
	check_ok(p, fake_test_clock_owner_new(&owner, p));
	uint64_t calls = all_calls(p);
	size_t events = fake_event_count(p);
	assert_int_equal(fake_test_clock_owner_cleanup(owner), 0);
	assert_int_equal(all_calls(p), calls);
	assert_int_equal(fake_call_count(p, FAKE_OP_DELETE_TEST_CLOCK), 0);
	assert_int_equal(fake_event_count(p), events);
	assert_true(clock_live(p, "clock_fake_00001"));
	/* bad arguments */
	fake_test_clock_owner *o = OWNER_SENTINEL;
	assert_int_equal(fake_test_clock_owner_new(&o, NULL), FAKE_EINVAL);
	assert_null(o);
	check_fails(p, fake_test_clock_owner_new(NULL, p), FAKE_EINVAL, NULL, "out");
	assert_int_equal(fake_test_clock_owner_register(NULL, "clock_fake_00001"), FAKE_EINVAL);
	const fake_test_clock *c = SENTINEL;
	assert_int_equal(fake_test_clock_owner_create(&c, NULL, NULL), FAKE_EINVAL);
	assert_null(c);
}

/* ---- 11. bad input, table-driven ------------------------------------------------------- */

/*
 * The world each row runs in (advances complete at the second retrieval):
 *   clock_fake_00001  "world" at 2025-06-01: cus_fake_00001 (pm_card_visa),
 *                     sub_fake_00001 monthly, active
 *   clock_fake_00002  "failed": internal_failure
 *   clock_fake_00003  deleted
 *   clock_fake_00004  "moving": advancing to 2025-06-02, no poll yet
 *   clock_fake_00005  "empty" at the epoch, nothing on it
 *   cus_fake_00002    on no clock
 *   processor clock   epoch + 1 h
 * A row may prepare more before the state it must leave alone is taken.
 */
static fake_processor *bad_world(void **state)
{
	fake_processor *p = proc_polls(state, 2);
	check_ok(p, fake_clock_advance(p, HOUR));
	clock_new(p, T_2025_06_01, "world");
	const fake_customer *cus = customer_on(p, "clock_fake_00001", "pm_card_visa");
	const fake_subscription *sub = sub_new(p, cus, price_new(p, 1000, FAKE_INTERVAL_MONTH, 1), 0);
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00001");
	clock_new(p, T_2025_06_01, "failed");
	fake_script s = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &s, 1));
	clock_advance(p, "clock_fake_00002", T_2025_06_01 + DAY);
	clock_get(p, "clock_fake_00002");
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00002")), FAKE_TEST_CLOCK_INTERNAL_FAILURE);
	clock_new(p, T_2025_06_01, "deleted");
	clock_delete(p, "clock_fake_00003");
	clock_new(p, T_2025_06_01, "moving");
	clock_advance(p, "clock_fake_00004", T_2025_06_01 + DAY);
	clock_new(p, EPOCH, "empty");
	customer_on(p, NULL, NULL);
	return p;
}

/* A row: one bad call. `*cleared` is set when its out was left NULL / empty
 * (or it has none). */
typedef int (*bad_fn)(fake_processor *p, bool *cleared);

typedef struct bad_case {
	const char *name;
	bad_fn run;
	int status;
	const char *type;    /* NULL: no record to check (no processor) */
	int http;
	const char *code;    /* NULL: not checked */
	const char *param;   /* NULL: not checked */
	const char *message; /* a part of the message */
	int calls;           /* operation calls the row makes */
	void (*prepare)(fake_processor *p);
} bad_case;

static char long_string[FAKE_TEST_CLOCK_NAME_MAX + 2]; /* 301 bytes, filled by main */
static char long_id[FAKE_ID_MAX + 2];                 /* 256 bytes, filled by main */

#define OBJ(expr)                                   \
	do {                                        \
		const fake_test_clock *c_ = SENTINEL; \
		int rc_ = (expr);                   \
		*cleared = c_ == NULL;              \
		return rc_;                         \
	} while (0)

static fake_test_clock_create_params create_params(int64_t frozen, const char *name)
{
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = frozen;
	cp.name = name;
	return cp;
}

static int b_create_out_null(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(T_2025_06_01, NULL);
	*cleared = true;
	return fake_test_clock_create(NULL, p, &cp, NULL);
}
static int b_create_p_null(fake_processor *p, bool *cleared)
{
	(void)p;
	fake_test_clock_create_params cp = create_params(T_2025_06_01, NULL);
	OBJ(fake_test_clock_create(&c_, NULL, &cp, NULL));
}
static int b_create_params_null(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_create(&c_, p, NULL, NULL));
}
static int b_create_version_zero(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(T_2025_06_01, NULL);
	cp.version = 0;
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static int b_create_version_future(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(T_2025_06_01, NULL);
	cp.version = FAKE_TEST_CLOCK_CREATE_PARAMS_VERSION + 1;
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static int b_create_frozen_zero(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(0, "x");
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static int b_create_frozen_negative(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(-1, NULL);
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static int b_create_frozen_past_max(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(FAKE_TIME_MAX + 1, NULL);
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static int b_create_name_too_long(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(T_2025_06_01, long_string);
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static int b_create_name_not_utf8(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(T_2025_06_01, "caf\xc3");
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static void fill_to_100(fake_processor *p)
{
	for (int i = 0; i < 96; i++)
		clock_new(p, T_2025_06_01, NULL);
}
static int b_create_101st(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(T_2025_06_01, "one too many");
	OBJ(fake_test_clock_create(&c_, p, &cp, NULL));
}
static int b_create_request_version(fake_processor *p, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(T_2025_06_01, NULL);
	fake_request rq = FAKE_REQUEST_INIT;
	rq.version = 0;
	OBJ(fake_test_clock_create(&c_, p, &cp, &rq));
}

static int b_retrieve_out_null(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_retrieve(NULL, p, "clock_fake_00001", NULL);
}
static int b_retrieve_p_null(fake_processor *p, bool *cleared)
{
	(void)p;
	OBJ(fake_test_clock_retrieve(&c_, NULL, "clock_fake_00001", NULL));
}
static int b_retrieve_id_null(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_retrieve(&c_, p, NULL, NULL));
}
static int b_retrieve_id_empty(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_retrieve(&c_, p, "", NULL));
}
static int b_retrieve_id_too_long(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_retrieve(&c_, p, long_id, NULL));
}
static int b_retrieve_unknown(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_retrieve(&c_, p, "clock_fake_00042", NULL));
}
static int b_retrieve_customer_id(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_retrieve(&c_, p, "cus_fake_00001", NULL));
}
static int b_retrieve_malformed(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_retrieve(&c_, p, "clock_fake_\xff", NULL));
}
static int b_retrieve_deleted(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_retrieve(&c_, p, "clock_fake_00003", NULL));
}

static int list_with(fake_processor *p, bool *cleared, unsigned int version, int limit, const char *after,
		     const char *before)
{
	fake_test_clock_list_params lp = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	lp.version = version;
	lp.page.limit = limit;
	lp.page.starting_after = after;
	lp.page.ending_before = before;
	fake_list page;
	memset(&page, 0, sizeof page);
	page.count = 3;
	page.has_more = true;
	int rc = fake_test_clock_list(&page, p, &lp, NULL);
	*cleared = page.count == 0 && !page.has_more;
	return rc;
}
static int b_list_limit_negative(fake_processor *p, bool *cleared)
{
	return list_with(p, cleared, FAKE_TEST_CLOCK_LIST_PARAMS_VERSION, -1, NULL, NULL);
}
static int b_list_limit_101(fake_processor *p, bool *cleared)
{
	return list_with(p, cleared, FAKE_TEST_CLOCK_LIST_PARAMS_VERSION, 101, NULL, NULL);
}
static int b_list_both_cursors(fake_processor *p, bool *cleared)
{
	return list_with(p, cleared, FAKE_TEST_CLOCK_LIST_PARAMS_VERSION, 0, "clock_fake_00004", "clock_fake_00001");
}
static int b_list_unknown_cursor(fake_processor *p, bool *cleared)
{
	return list_with(p, cleared, FAKE_TEST_CLOCK_LIST_PARAMS_VERSION, 0, NULL, "clock_fake_00042");
}
static int b_list_version(fake_processor *p, bool *cleared)
{
	return list_with(p, cleared, 0, 0, NULL, NULL);
}
static int b_list_out_null(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_list(NULL, p, NULL, NULL);
}

static int b_delete_unknown(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_delete(&c_, p, "clock_fake_00042", NULL));
}
static int b_delete_deleted(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_delete(&c_, p, "clock_fake_00003", NULL));
}
static int b_delete_id_null(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_delete(&c_, p, NULL, NULL));
}
static int b_delete_out_null(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_delete(NULL, p, "clock_fake_00001", NULL);
}

static int b_advance_backwards(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00001", T_2025_06_01 - 1, NULL));
}
static int b_advance_same_time(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00001", T_2025_06_01, NULL));
}
static int b_advance_too_far_monthly(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00001", T_2025_08_01 + 1, NULL));
}
static int b_advance_too_far_no_subscriptions(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00005", T_2028_01_01 + 1, NULL));
}
static int b_advance_failed_clock(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00002", T_2025_07_01, NULL));
}
static int b_advance_advancing_clock(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00004", T_2025_07_01, NULL));
}
static int b_advance_deleted(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00003", T_2025_07_01, NULL));
}
static int b_advance_unknown(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, "clock_fake_00042", T_2025_07_01, NULL));
}
static int b_advance_id_null(fake_processor *p, bool *cleared)
{
	OBJ(fake_test_clock_advance(&c_, p, NULL, T_2025_07_01, NULL));
}
static int b_advance_out_null(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_advance(NULL, p, "clock_fake_00001", T_2025_07_01, NULL);
}

static int cleanup_with(fake_processor *p, bool *cleared, unsigned int version, int64_t older_than,
			const char *prefix)
{
	fake_test_clock_cleanup_params cp = FAKE_TEST_CLOCK_CLEANUP_PARAMS_INIT;
	cp.version = version;
	cp.older_than = older_than;
	cp.name_prefix = prefix;
	cp.delete_matches = true;
	fake_test_clock_cleanup_result r;
	memset(&r, 0x55, sizeof r);
	int rc = fake_test_clock_cleanup(&r, p, &cp);
	*cleared = r.candidates == NULL && r.total_matched == 0 && r.deleted == 0 && r.failed == 0;
	fake_test_clock_cleanup_result_dispose(p, &r);
	return rc;
}
static int b_cleanup_negative_older_than(fake_processor *p, bool *cleared)
{
	return cleanup_with(p, cleared, FAKE_TEST_CLOCK_CLEANUP_PARAMS_VERSION, -1, NULL);
}
static int b_cleanup_version(fake_processor *p, bool *cleared)
{
	return cleanup_with(p, cleared, 2, 0, NULL);
}
static int b_cleanup_prefix_too_long(fake_processor *p, bool *cleared)
{
	return cleanup_with(p, cleared, FAKE_TEST_CLOCK_CLEANUP_PARAMS_VERSION, 0, long_string);
}
static int b_cleanup_prefix_not_utf8(fake_processor *p, bool *cleared)
{
	return cleanup_with(p, cleared, FAKE_TEST_CLOCK_CLEANUP_PARAMS_VERSION, 0, "\xe2\x82");
}
static int b_cleanup_out_null(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_cleanup(NULL, p, NULL);
}
static int b_cleanup_p_null(fake_processor *p, bool *cleared)
{
	(void)p;
	fake_test_clock_cleanup_result r;
	memset(&r, 0x55, sizeof r);
	int rc = fake_test_clock_cleanup(&r, NULL, NULL);
	*cleared = r.candidates == NULL && r.total_matched == 0;
	return rc;
}

static int wait_with(fake_processor *p, bool *cleared, const fake_test_clock_wait_options *o, const char *id,
		     int64_t t)
{
	fake_test_clock_wait_result r;
	memset(&r, 0x55, sizeof r);
	const fake_test_clock *c = SENTINEL;
	int rc = fake_test_clock_advance_and_wait(&c, p, id, t, o, &r);
	*cleared = c == NULL && r.attempts == 0;
	return rc;
}
static int wait_option(fake_processor *p, bool *cleared, int which)
{
	fake_test_clock_wait_options o = FAKE_TEST_CLOCK_WAIT_OPTIONS_INIT;
	switch (which) {
	case 0: o.version = 0; break;
	case 1: o.timeout_ms = -1; break;
	case 2: o.timeout_ms = 86400001; break;
	case 3: o.initial_interval_ms = -1; break;
	case 4: o.initial_interval_ms = 3600001; break;
	case 5: o.max_interval_ms = 0; break;
	case 6: o.max_interval_ms = 3600001; break;
	case 7: o.multiplier = 0.5; break;
	case 8: o.multiplier = 10.5; break;
	case 9: o.multiplier = NAN; break;
	default: break;
	}
	return wait_with(p, cleared, &o, "clock_fake_00001", T_2025_07_01);
}
static int b_wait_version(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 0); }
static int b_wait_timeout_negative(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 1); }
static int b_wait_timeout_too_long(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 2); }
static int b_wait_initial_negative(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 3); }
static int b_wait_initial_too_long(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 4); }
static int b_wait_max_zero(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 5); }
static int b_wait_max_too_long(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 6); }
static int b_wait_multiplier_half(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 7); }
static int b_wait_multiplier_too_big(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 8); }
static int b_wait_multiplier_nan(fake_processor *p, bool *cleared) { return wait_option(p, cleared, 9); }
static int b_wait_out_null(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_advance_and_wait(NULL, p, "clock_fake_00001", T_2025_07_01, NULL, NULL);
}
static int b_wait_p_null(fake_processor *p, bool *cleared)
{
	(void)p;
	return wait_with(NULL, cleared, NULL, "clock_fake_00001", T_2025_07_01);
}
static int b_wait_backwards(fake_processor *p, bool *cleared)
{
	return wait_with(p, cleared, NULL, "clock_fake_00001", T_2025_06_01 - DAY);
}
static int b_wait_failed_clock(fake_processor *p, bool *cleared)
{
	return wait_with(p, cleared, NULL, "clock_fake_00002", T_2025_07_01);
}
static int b_wait_deleted_clock(fake_processor *p, bool *cleared)
{
	return wait_with(p, cleared, NULL, "clock_fake_00003", T_2025_07_01);
}

static int b_owner_new_out_null(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_owner_new(NULL, p);
}
static int b_owner_new_p_null(fake_processor *p, bool *cleared)
{
	(void)p;
	fake_test_clock_owner *o = OWNER_SENTINEL;
	int rc = fake_test_clock_owner_new(&o, NULL);
	*cleared = o == NULL;
	return rc;
}
/* Runs `fn` on a new owner, checks that it registered nothing, and ends the owner. */
static int with_owner(fake_processor *p, bool *cleared, int (*fn)(fake_test_clock_owner *o, bool *cleared))
{
	fake_test_clock_owner *o = NULL;
	if (fake_test_clock_owner_new(&o, p) != 0)
		return -1000;
	int rc = fn(o, cleared);
	if (fake_test_clock_owner_count(o) != 0)
		*cleared = false;
	fake_error saved = *fake_error_last(p);
	if (fake_test_clock_owner_cleanup(o) != 0)
		*cleared = false;
	assert_memory_equal(&saved, fake_error_last(p), sizeof saved); /* an empty cleanup calls nothing */
	return rc;
}
static int o_register_null(fake_test_clock_owner *o, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_owner_register(o, NULL);
}
static int o_register_too_long(fake_test_clock_owner *o, bool *cleared)
{
	*cleared = true;
	return fake_test_clock_owner_register(o, long_id);
}
static int o_create_bad_params(fake_test_clock_owner *o, bool *cleared)
{
	fake_test_clock_create_params cp = create_params(-5, "x");
	const fake_test_clock *c = SENTINEL;
	int rc = fake_test_clock_owner_create(&c, o, &cp);
	*cleared = c == NULL;
	return rc;
}
static int b_owner_register_null(fake_processor *p, bool *cleared) { return with_owner(p, cleared, o_register_null); }
static int b_owner_register_too_long(fake_processor *p, bool *cleared)
{
	return with_owner(p, cleared, o_register_too_long);
}
static int b_owner_create_bad_params(fake_processor *p, bool *cleared)
{
	return with_owner(p, cleared, o_create_bad_params);
}

static int customer_with_clock(fake_processor *p, bool *cleared, const char *clock)
{
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.email = "late@example.com";
	cc.payment_method = "pm_card_visa";
	cc.test_clock = clock;
	const fake_customer *c = SENTINEL;
	int rc = fake_customer_create(&c, p, &cc, NULL);
	*cleared = c == NULL;
	return rc;
}
static int b_customer_unknown_clock(fake_processor *p, bool *cleared)
{
	return customer_with_clock(p, cleared, "clock_fake_00042");
}
static int b_customer_deleted_clock(fake_processor *p, bool *cleared)
{
	return customer_with_clock(p, cleared, "clock_fake_00003");
}
static int b_customer_empty_clock(fake_processor *p, bool *cleared)
{
	return customer_with_clock(p, cleared, "");
}
static int b_customer_list_unknown_clock(fake_processor *p, bool *cleared)
{
	fake_customer_list_params cl = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	cl.test_clock = "clock_fake_00042";
	fake_list page;
	page.count = 3;
	page.has_more = true;
	int rc = fake_customer_list(&page, p, &cl, NULL);
	*cleared = page.count == 0 && !page.has_more;
	return rc;
}
static int b_subscription_list_unknown_clock(fake_processor *p, bool *cleared)
{
	fake_subscription_list_params sl = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	sl.test_clock = "clock_fake_00042";
	fake_list page;
	page.count = 3;
	page.has_more = true;
	int rc = fake_subscription_list(&page, p, &sl, NULL);
	*cleared = page.count == 0 && !page.has_more;
	return rc;
}
static int b_script_internal_failure_on_retrieve(fake_processor *p, bool *cleared)
{
	*cleared = true;
	fake_script s = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	return fake_script_push(p, FAKE_OP_RETRIEVE_TEST_CLOCK, &s, 1);
}
static int b_script_internal_failure_on_invoice_pay(fake_processor *p, bool *cleared)
{
	*cleared = true;
	fake_script s = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	return fake_script_push(p, FAKE_OP_PAY_INVOICE, &s, 1);
}
static int b_subscription_advance_on_clock(fake_processor *p, bool *cleared)
{
	*cleared = true;
	return fake_subscription_advance(p, "sub_fake_00001", 1, 0, true);
}

#define IRE "invalid_request_error"
static const bad_case bad_cases[] = {
	{ "create_out_null", b_create_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer is NULL", 1, NULL },
	{ "create_p_null", b_create_p_null, FAKE_EINVAL, NULL, 0, NULL, NULL, NULL, 0, NULL },
	{ "create_params_null", b_create_params_null, FAKE_EINVAL, IRE, 400, "parameter_missing", "frozen_time",
	  "Missing required param: frozen_time.", 1, NULL },
	{ "create_version_zero", b_create_version_zero, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer", "version",
	  "fake_test_clock_create_params version 0", 1, NULL },
	{ "create_version_future", b_create_version_future, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer",
	  "version", "version 2", 1, NULL },
	{ "create_frozen_time_zero", b_create_frozen_zero, FAKE_EINVAL, IRE, 400, "parameter_missing", "frozen_time",
	  "frozen_time", 1, NULL },
	{ "create_frozen_time_negative", b_create_frozen_negative, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer",
	  "frozen_time", "-1", 1, NULL },
	{ "create_frozen_time_past_max", b_create_frozen_past_max, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer",
	  "frozen_time", "253402300800", 1, NULL },
	{ "create_name_301_bytes", b_create_name_too_long, FAKE_EINVAL, IRE, 400, "parameter_invalid_string_too_long",
	  "name", "at most 300", 1, NULL },
	{ "create_name_not_utf8", b_create_name_not_utf8, FAKE_EINVAL, IRE, 400, "parameter_invalid_string", "name",
	  "UTF-8", 1, NULL },
	{ "create_101st_clock", b_create_101st, FAKE_ELIMIT, IRE, 400, "test_clock_limit_reached", "",
	  "limit of 100 test clocks", 1, fill_to_100 },
	{ "create_request_version", b_create_request_version, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer",
	  "version", "fake_request", 1, NULL },
	{ "retrieve_out_null", b_retrieve_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer", 1, NULL },
	{ "retrieve_p_null", b_retrieve_p_null, FAKE_EINVAL, NULL, 0, NULL, NULL, NULL, 0, NULL },
	{ "retrieve_id_null", b_retrieve_id_null, FAKE_EINVAL, IRE, 400, "parameter_missing", "id",
	  "Missing required param", 1, NULL },
	{ "retrieve_id_empty", b_retrieve_id_empty, FAKE_EINVAL, IRE, 400, "parameter_invalid_empty", "id",
	  "empty string", 1, NULL },
	{ "retrieve_id_256_bytes", b_retrieve_id_too_long, FAKE_EINVAL, IRE, 400, "parameter_invalid_string_too_long",
	  "id", "at most 255", 1, NULL },
	{ "retrieve_unknown", b_retrieve_unknown, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "No such test_clock: 'clock_fake_00042'", 1, NULL },
	{ "retrieve_customer_id", b_retrieve_customer_id, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "No such test_clock: 'cus_fake_00001'", 1, NULL },
	{ "retrieve_malformed_id", b_retrieve_malformed, FAKE_EINVAL, IRE, 400, "parameter_invalid_string",
	  "id", "UTF-8", 1, NULL },
	{ "retrieve_deleted", b_retrieve_deleted, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "No such test_clock: 'clock_fake_00003'", 1, NULL },
	{ "list_limit_negative", b_list_limit_negative, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer", "limit",
	  "between 1 and 100", 1, NULL },
	{ "list_limit_101", b_list_limit_101, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer", "limit",
	  "Invalid limit: 101", 1, NULL },
	{ "list_both_cursors", b_list_both_cursors, FAKE_EINVAL, IRE, 400, NULL, NULL, "ending_before", 1, NULL },
	{ "list_unknown_cursor", b_list_unknown_cursor, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "ending_before",
	  "clock_fake_00042", 1, NULL },
	{ "list_version", b_list_version, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer", "version",
	  "fake_test_clock_list_params", 1, NULL },
	{ "list_out_null", b_list_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer", 1, NULL },
	{ "delete_unknown", b_delete_unknown, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "No such test_clock: 'clock_fake_00042'", 1, NULL },
	{ "delete_deleted", b_delete_deleted, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "No such test_clock: 'clock_fake_00003'", 1, NULL },
	{ "delete_id_null", b_delete_id_null, FAKE_EINVAL, IRE, 400, "parameter_missing", "id",
	  "Missing required param", 1, NULL },
	{ "delete_out_null", b_delete_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer", 1, NULL },
	{ "advance_backwards", b_advance_backwards, FAKE_EINVAL, IRE, 400, "", "frozen_time",
	  "must be after the test clock's current frozen time", 1, NULL },
	{ "advance_to_frozen_time", b_advance_same_time, FAKE_EINVAL, IRE, 400, "", "frozen_time", "must be after", 1,
	  NULL },
	{ "advance_past_two_months", b_advance_too_far_monthly, FAKE_EINVAL, IRE, 400, "", "frozen_time",
	  "two intervals of the shortest subscription", 1, NULL },
	{ "advance_past_two_years", b_advance_too_far_no_subscriptions, FAKE_EINVAL, IRE, 400, "", "frozen_time",
	  "two years", 1, NULL },
	{ "advance_failed_clock", b_advance_failed_clock, FAKE_ESTATE, IRE, 400, "test_clock_internal_failure", "",
	  "internal_failure", 1, NULL },
	{ "advance_advancing_clock", b_advance_advancing_clock, FAKE_ESTATE, IRE, 400, "test_clock_advancing", "",
	  "already advancing", 1, NULL },
	{ "advance_deleted", b_advance_deleted, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "No such test_clock", 1, NULL },
	{ "advance_unknown", b_advance_unknown, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "clock_fake_00042", 1, NULL },
	{ "advance_id_null", b_advance_id_null, FAKE_EINVAL, IRE, 400, "parameter_missing", "id",
	  "Missing required param", 1, NULL },
	{ "advance_out_null", b_advance_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer", 1, NULL },
	{ "cleanup_negative_older_than", b_cleanup_negative_older_than, FAKE_EINVAL, IRE, 400, "", "older_than",
	  "cannot be negative", 0, NULL },
	{ "cleanup_version", b_cleanup_version, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer", "version",
	  "fake_test_clock_cleanup_params", 0, NULL },
	{ "cleanup_prefix_301_bytes", b_cleanup_prefix_too_long, FAKE_EINVAL, IRE, 400,
	  "parameter_invalid_string_too_long", "name_prefix", "at most 300", 0, NULL },
	{ "cleanup_prefix_not_utf8", b_cleanup_prefix_not_utf8, FAKE_EINVAL, IRE, 400, "parameter_invalid_string",
	  "name_prefix", "UTF-8", 0, NULL },
	{ "cleanup_out_null", b_cleanup_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer", 0, NULL },
	{ "cleanup_p_null", b_cleanup_p_null, FAKE_EINVAL, NULL, 0, NULL, NULL, NULL, 0, NULL },
	{ "wait_version", b_wait_version, FAKE_EINVAL, IRE, 400, "parameter_invalid_integer", "version",
	  "fake_test_clock_wait_options", 0, NULL },
	{ "wait_timeout_negative", b_wait_timeout_negative, FAKE_EINVAL, IRE, 400, "", "timeout_ms", "-1", 0, NULL },
	{ "wait_timeout_over_a_day", b_wait_timeout_too_long, FAKE_EINVAL, IRE, 400, "", "timeout_ms", "86400001", 0,
	  NULL },
	{ "wait_initial_interval_negative", b_wait_initial_negative, FAKE_EINVAL, IRE, 400, "", "initial_interval_ms",
	  "-1", 0, NULL },
	{ "wait_initial_interval_over_an_hour", b_wait_initial_too_long, FAKE_EINVAL, IRE, 400, "",
	  "initial_interval_ms", "3600001", 0, NULL },
	{ "wait_max_interval_zero", b_wait_max_zero, FAKE_EINVAL, IRE, 400, "", "max_interval_ms", "Invalid", 0, NULL },
	{ "wait_max_interval_over_an_hour", b_wait_max_too_long, FAKE_EINVAL, IRE, 400, "", "max_interval_ms",
	  "3600001", 0, NULL },
	{ "wait_multiplier_half", b_wait_multiplier_half, FAKE_EINVAL, IRE, 400, "", "multiplier", "1.0 to 10.0", 0,
	  NULL },
	{ "wait_multiplier_over_ten", b_wait_multiplier_too_big, FAKE_EINVAL, IRE, 400, "", "multiplier", "multiplier",
	  0, NULL },
	{ "wait_multiplier_nan", b_wait_multiplier_nan, FAKE_EINVAL, IRE, 400, "", "multiplier", "multiplier", 0, NULL },
	{ "wait_out_null", b_wait_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer", 0, NULL },
	{ "wait_p_null", b_wait_p_null, FAKE_EINVAL, NULL, 0, NULL, NULL, NULL, 0, NULL },
	{ "wait_backwards", b_wait_backwards, FAKE_EINVAL, IRE, 400, "", "frozen_time", "must be after", 1, NULL },
	{ "wait_failed_clock", b_wait_failed_clock, FAKE_ESTATE, IRE, 400, "test_clock_internal_failure", "",
	  "internal_failure", 1, NULL },
	{ "wait_deleted_clock", b_wait_deleted_clock, FAKE_ENOTFOUND, IRE, 404, "resource_missing", "id",
	  "clock_fake_00003", 1, NULL },
	{ "owner_new_out_null", b_owner_new_out_null, FAKE_EINVAL, IRE, 400, "", "out", "result pointer", 0, NULL },
	{ "owner_new_p_null", b_owner_new_p_null, FAKE_EINVAL, NULL, 0, NULL, NULL, NULL, 0, NULL },
	{ "owner_register_null_id", b_owner_register_null, FAKE_EINVAL, IRE, 400, "parameter_missing", "clock_id",
	  "Missing required param: clock_id.", 0, NULL },
	{ "owner_register_256_bytes", b_owner_register_too_long, FAKE_EINVAL, IRE, 400,
	  "parameter_invalid_string_too_long", "clock_id", "at most 255", 0, NULL },
	{ "owner_create_negative_frozen_time", b_owner_create_bad_params, FAKE_EINVAL, IRE, 400,
	  "parameter_invalid_integer", "frozen_time", "-5", 1, NULL },
	{ "customer_create_unknown_clock", b_customer_unknown_clock, FAKE_ENOTFOUND, IRE, 404, "resource_missing",
	  "test_clock", "No such test_clock: 'clock_fake_00042'", 1, NULL },
	{ "customer_create_deleted_clock", b_customer_deleted_clock, FAKE_ENOTFOUND, IRE, 404, "resource_missing",
	  "test_clock", "No such test_clock: 'clock_fake_00003'", 1, NULL },
	{ "customer_create_empty_clock", b_customer_empty_clock, FAKE_EINVAL, IRE, 400, "parameter_invalid_empty",
	  "test_clock", "empty string", 1, NULL },
	{ "customer_list_unknown_clock", b_customer_list_unknown_clock, FAKE_ENOTFOUND, IRE, 404, "resource_missing",
	  "test_clock", "clock_fake_00042", 1, NULL },
	{ "subscription_list_unknown_clock", b_subscription_list_unknown_clock, FAKE_ENOTFOUND, IRE, 404,
	  "resource_missing", "test_clock", "clock_fake_00042", 1, NULL },
	{ "script_internal_failure_on_retrieve", b_script_internal_failure_on_retrieve, FAKE_EINVAL, IRE, 400, "",
	  "script.outcome", "only advance_test_clock takes internal_failure", 0, NULL },
	{ "script_internal_failure_on_invoice_pay", b_script_internal_failure_on_invoice_pay, FAKE_EINVAL, IRE, 400,
	  "", "script.outcome", "pay_invoice", 0, NULL },
	{ "subscription_advance_on_a_clock", b_subscription_advance_on_clock, FAKE_EINVAL, IRE, 400, "", "id",
	  "fake_test_clock_advance", 0, NULL },
};
#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

typedef struct bad_ctx {
	const bad_case *bc;
	held h;
} bad_ctx;
static bad_ctx bad_ctxs[N_BAD];

static int bad_setup(void **state)
{
	bad_ctx *ctx = *state;
	memset(&ctx->h, 0, sizeof ctx->h);
	if (fake_processor_new(&ctx->h.p[0], NULL) != 0)
		return -1;
	ctx->h.count = 1;
	return 0;
}

static int bad_teardown(void **state)
{
	bad_ctx *ctx = *state;
	for (size_t i = 0; i < ctx->h.count; i++)
		fake_processor_free(ctx->h.p[i]);
	ctx->h.count = 0;
	return 0;
}

static void run_bad_case(void **state)
{
	bad_ctx *ctx = *state;
	const bad_case *bc = ctx->bc;
	void *hs = &ctx->h;
	fake_processor *p = bad_world(&hs);
	if (bc->prepare)
		bc->prepare(p);
	char *before = state_of(p);
	size_t events = fake_event_count(p);
	uint64_t calls = all_calls(p);
	size_t scripts[FAKE_OP_COUNT];
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		scripts[op] = fake_script_pending(p, (fake_op)op);

	bool cleared = false;
	int rc = bc->run(p, &cleared);
	const fake_error *e = fake_error_last(p);
	if (rc != bc->status) {
		print_error("%s returned %s, expected %s (%s)\n", bc->name, fake_status_name(rc),
			    fake_status_name(bc->status), e->message);
		fail();
	}
	if (!cleared) {
		print_error("%s failed but left its out parameter set\n", bc->name);
		fail();
	}
	if (bc->type) {
		assert_int_equal(e->status, bc->status);
		assert_string_equal(e->type, bc->type);
		assert_int_equal(e->http_status, bc->http);
		assert_true(e->message[0] != '\0');
		assert_null(strchr(e->message, '\n'));
		if (bc->code)
			assert_string_equal(e->code, bc->code);
		if (bc->param)
			assert_string_equal(e->param, bc->param);
		if (bc->message && !strstr(e->message, bc->message)) {
			print_error("%s: message \"%s\" does not contain \"%s\"\n", bc->name, e->message, bc->message);
			fail();
		}
	}
	assert_int_equal(all_calls(p) - calls, (uint64_t)bc->calls);
	assert_int_equal(fake_event_count(p), events);
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		assert_int_equal(fake_script_pending(p, (fake_op)op), scripts[op]);
	char *after = state_of(p);
	same_state(before, after, "a bad call changed the processor");
	free(before);
	free(after);
	/* the world goes on as before: the advancing clock completes, the next ids follow */
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00004")), FAKE_TEST_CLOCK_ADVANCING);
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00004")), FAKE_TEST_CLOCK_READY);
	if (bc->prepare)
		clock_delete(p, "clock_fake_00005"); /* a free slot */
	const fake_test_clock *c = clock_new(p, T_2025_06_01, NULL);
	assert_string_equal(fake_test_clock_id(c), bc->prepare ? "clock_fake_00102" : "clock_fake_00006");
}

/* ---- 12. snapshots ------------------------------------------------------------------ */

static fake_processor_options snapshot_options(void)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.seed = 7;
	o.test_clocks.ready_after_retrievals = 2;
	o.test_clocks.max_clocks = 6;
	return o;
}

/*
 * A processor with clocks in every state: clock 1 ready with a customer
 * in trial, clock 2 advancing with one poll to go and a renewal due in its
 * advance, clock 3 deleted (with its customer), clock 4 internal_failure,
 * and a customer on no clock with a subscription.
 */
static fake_processor *snapshot_source(void **state)
{
	fake_processor_options o = snapshot_options();
	fake_processor *p = proc_new(state, &o);
	const fake_price *price = price_new(p, 1000, FAKE_INTERVAL_MONTH, 1);
	clock_new(p, T_2025_06_01, "trial");
	sub_new(p, customer_on(p, "clock_fake_00001", "pm_card_visa"), price, 14);
	clock_new(p, T_2025_06_01, "polling");
	sub_new(p, customer_on(p, "clock_fake_00002", "pm_card_chargeCustomerFail"), price, 0);
	clock_advance(p, "clock_fake_00002", T_2025_07_01 + 5 * DAY);
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00002")), FAKE_TEST_CLOCK_ADVANCING);
	/* one poll to go */
	clock_new(p, T_2025_06_01, "deleted");
	customer_on(p, "clock_fake_00003", "pm_card_visa");
	clock_delete(p, "clock_fake_00003");
	clock_new(p, T_2025_06_01, NULL);
	fake_script s = fake_script_outcome(FAKE_OUTCOME_INTERNAL_FAILURE);
	check_ok(p, fake_script_push(p, FAKE_OP_ADVANCE_TEST_CLOCK, &s, 1));
	clock_advance(p, "clock_fake_00004", T_2025_06_01 + DAY);
	clock_get(p, "clock_fake_00004");
	assert_int_equal(fake_test_clock_status_of(clock_get(p, "clock_fake_00004")), FAKE_TEST_CLOCK_INTERNAL_FAILURE);
	sub_new(p, customer_on(p, NULL, "pm_card_visa"), price, 0);
	check_ok(p, fake_clock_advance(p, DAY));
	return p;
}

static char *raw_save(fake_processor *p)
{
	char *s = NULL;
	check_ok(p, fake_processor_save_string(&s, p, FAKE_JSON_PRETTY));
	char *copy = malloc(strlen(s) + 1);
	assert_non_null(copy);
	strcpy(copy, s);
	fake_json_free(p, s);
	return copy;
}

/* The same steps on any processor holding the source's state. */
static void continue_snapshot(fake_processor *p)
{
	const fake_test_clock *c = clock_get(p, "clock_fake_00002"); /* its last poll: the work runs */
	assert_int_equal(fake_test_clock_status_of(c), FAKE_TEST_CLOCK_READY);
	assert_int_equal(fake_test_clock_frozen_time(c), T_2025_07_01 + 5 * DAY);
	c = clock_advance(p, "clock_fake_00001", T_2025_07_01);
	clock_get(p, "clock_fake_00001");
	clock_get(p, "clock_fake_00001");
	c = clock_advance(p, "clock_fake_00002", T_2025_08_01);
	check_ok(p, fake_clock_advance(p, 3 * DAY));
	const fake_test_clock *fresh = clock_new(p, T_2025_06_01, "after load");
	customer_on(p, fake_test_clock_id(fresh), "pm_card_visa");
	clock_get(p, "clock_fake_00002");
	clock_get(p, "clock_fake_00002");
	check_ok(p, fake_clock_advance(p, 5 * DAY)); /* the first clocks' deletes_after pass */
	(void)c;
}

static void test_test_clock_snapshot_round_trip(void **state)
{
	fake_processor *a = snapshot_source(state);
	char *saved = hold(state, raw_save(a));
	/* the clocks, their timelines and pending polls are in it */
	assert_non_null(strstr(saved, "\"polls_left\": 1"));
	assert_non_null(strstr(saved, "\"internal_failure\""));
	assert_non_null(strstr(saved, "\"test_clock_expiry\""));

	fake_processor_options o = snapshot_options();
	fake_processor *b = proc_new(state, &o);
	check_ok(b, fake_processor_load_string(b, saved, strlen(saved)));
	char *again = hold(state, raw_save(b));
	same_state(saved, again, "load then save did not give the same bytes");
	assert_int_equal(fake_test_clock_status_of(clock_get(b, "clock_fake_00004")), FAKE_TEST_CLOCK_INTERNAL_FAILURE);
	assert_false(clock_live(b, "clock_fake_00003"));

	/* the two go on exactly alike */
	/* (the same calls on both: the request counter is state) */
	clock_get(a, "clock_fake_00004");
	assert_false(clock_live(a, "clock_fake_00003"));
	continue_snapshot(a);
	continue_snapshot(b);
	char *sa = hold(state, raw_save(a)), *sb = hold(state, raw_save(b));
	same_state(sa, sb, "the loaded processor went on differently");
	assert_false(clock_live(a, "clock_fake_00001")); /* auto-deleted on the way */
	assert_false(clock_live(b, "clock_fake_00001"));
}

/*
 * fake/snapshot.h: "save, load into any processor, save again gives the
 * same bytes, and the loaded processor goes on exactly as the original
 * would"; a load makes the processor's options the snapshot's. So a
 * snapshot loaded into a processor with the default options must go on as
 * the source, whose advances complete at the second retrieval and which
 * holds at most six clocks.
 */
static void test_test_clock_snapshot_into_default_processor(void **state)
{
	fake_processor *a = snapshot_source(state);
	char *saved = hold(state, raw_save(a));
	fake_processor *b = proc(state); /* the default options */
	check_ok(b, fake_processor_load_string(b, saved, strlen(saved)));
	char *again = hold(state, raw_save(b));
	same_state(saved, again, "load then save did not give the same bytes");
	continue_snapshot(a);
	continue_snapshot(b);
	char *sa = hold(state, raw_save(a)), *sb = hold(state, raw_save(b));
	same_state(sa, sb, "the loaded processor went on differently");
	assert_int_equal(fake_processor_options_get(b)->test_clocks.ready_after_retrievals, 2);
	assert_int_equal(fake_processor_options_get(b)->test_clocks.max_clocks, 6);
}

/* ---- main -------------------------------------------------------------------------- */

#define T(name) cmocka_unit_test_setup_teardown(name, held_setup, held_teardown)

int main(void)
{
	memset(long_string, 'n', FAKE_TEST_CLOCK_NAME_MAX + 1);
	long_string[FAKE_TEST_CLOCK_NAME_MAX + 1] = '\0';
	memset(long_id, 'c', FAKE_ID_MAX + 1);
	long_id[FAKE_ID_MAX + 1] = '\0';

	static const struct CMUnitTest named[] = {
		T(test_test_clock_create_fields),
		T(test_test_clock_accessors_of_null),
		T(test_test_clock_retrieve),
		T(test_test_clock_list_pagination),
		T(test_test_clock_list_iter_walks_every_page),
		T(test_test_clock_delete),
		T(test_test_clock_json_shape),
		T(test_test_clock_json_validates),
		T(test_test_clock_limit_default_100),
		T(test_test_clock_limit_configured),
		T(test_test_clock_customer_lives_at_frozen_time),
		T(test_test_clock_processor_clock_does_not_bill_clock_customers),
		T(test_test_clock_advance_bills_as_processor_clock_does),
		T(test_test_clock_advance_runs_dunning),
		T(test_test_clock_two_clocks_stay_independent),
		T(test_test_clock_customer_without_clock_billed_by_processor),
		T(test_test_clock_lists_of_customers_and_subscriptions),
		T(test_test_clock_customer_create_needs_a_live_clock),
		T(test_test_clock_advance_must_move_forward),
		T(test_test_clock_advance_limit_monthly),
		T(test_test_clock_advance_limit_weekly_and_daily),
		T(test_test_clock_advance_limit_shortest_subscription),
		T(test_test_clock_advance_limit_without_subscriptions),
		T(test_test_clock_advance_limit_ignores_canceled),
		T(test_test_clock_internal_failure_is_terminal),
		T(test_test_clock_error_script_on_advance),
		T(test_test_clock_ready_after_retrievals),
		T(test_test_clock_callbacks_during_its_advance),
		T(test_test_clock_subscriber_completes_or_deletes_before_the_advance_does),
		T(test_test_clock_processor_clock_cannot_move_inside_its_advance),
		T(test_test_clock_create_checks_times_on_the_customers_clock),
		T(test_test_clock_subscription_list_params_version_1),
		T(test_test_clock_delete_cascades),
		T(test_test_clock_auto_delete),
		T(test_test_clock_auto_delete_off),
		T(test_test_clock_wait_ready_at_once),
		T(test_test_clock_wait_polls_until_ready),
		T(test_test_clock_wait_delay_sequence),
		T(test_test_clock_wait_timeout),
		T(test_test_clock_wait_internal_failure),
		T(test_test_clock_wait_passes_errors_through),
		T(test_test_clock_wait_default_options_are_deterministic),
		T(test_test_clock_wait_bad_options),
		T(test_test_clock_wait_not_from_a_callback),
		T(test_test_clock_cleanup_finds_old_clocks),
		T(test_test_clock_cleanup_walks_every_page),
		T(test_test_clock_cleanup_deletes),
		T(test_test_clock_owner_registers_in_order),
		T(test_test_clock_owner_cleanup_ignores_errors),
		T(test_test_clock_owners_are_independent),
		T(test_test_clock_owner_empty_makes_no_calls),
		T(test_test_clock_snapshot_round_trip),
		T(test_test_clock_snapshot_into_default_processor),
	};
	enum { N_NAMED = sizeof named / sizeof named[0] };
	static struct CMUnitTest tests[N_NAMED + N_BAD];
	static char names[N_BAD][96];
	for (size_t i = 0; i < N_NAMED; i++)
		tests[i] = named[i];
	for (size_t i = 0; i < N_BAD; i++) {
		snprintf(names[i], sizeof names[i], "test_test_clock_bad_input_%s", bad_cases[i].name);
		bad_ctxs[i].bc = &bad_cases[i];
		tests[N_NAMED + i].name = names[i];
		tests[N_NAMED + i].test_func = run_bad_case;
		tests[N_NAMED + i].setup_func = bad_setup;
		tests[N_NAMED + i].teardown_func = bad_teardown;
		tests[N_NAMED + i].initial_state = &bad_ctxs[i];
	}
	return cmocka_run_group_tests_name("test_clock", tests, NULL, NULL);
}
