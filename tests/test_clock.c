/*
 * The virtual clock and its timeline (fake/clock.h): time moves only
 * forward and only when told; scheduled callbacks run in time order, FIFO
 * at equal times, each seeing its due time as "now".
 */
#include "helpers.h"

#define T0 FAKE_EPOCH_DEFAULT

/* ---- a log of callback runs ------------------------------------------------- */

#define LOG_MAX 64

typedef struct tick_log {
	int n;
	int tag[LOG_MAX];
	int64_t at[LOG_MAX];  /* the due time the callback was given */
	int64_t now[LOG_MAX]; /* fake_clock_now() inside the callback */
} tick_log;

typedef struct tick {
	tick_log *log;
	int tag;
} tick;

static void record_tick(fake_processor *p, int64_t at, void *user_data)
{
	tick *t = user_data;
	tick_log *l = t->log;
	assert_true(l->n < LOG_MAX);
	l->tag[l->n] = t->tag;
	l->at[l->n] = at;
	l->now[l->n] = fake_clock_now(p);
	l->n++;
}

static void check_einval_unchanged(fake_processor *p, int rc, int64_t now_before, size_t pending_before)
{
	assert_int_equal(rc, FAKE_EINVAL);
	const fake_error *e = fake_error_last(p);
	assert_int_equal(e->status, FAKE_EINVAL);
	assert_string_equal(e->type, "invalid_request_error");
	assert_int_equal(e->http_status, 400);
	assert_true(e->message[0] != '\0');
	assert_int_equal(fake_clock_now(p), now_before);
	assert_int_equal(fake_clock_pending(p), pending_before);
}

/* ---- reading and moving the clock --------------------------------------------- */

static void test_clock_now_is_epoch(void **state)
{
	fake_processor *p = *state;
	assert_int_equal(fake_clock_now(p), INT64_C(1767225600));
	assert_int_equal(fake_clock_pending(p), 0);
	assert_int_equal(fake_clock_now(NULL), 0);
	assert_int_equal(fake_clock_pending(NULL), 0);
}

static void test_clock_advance_moves_exactly_that_far(void **state)
{
	fake_processor *p = *state;
	check_ok(p, fake_clock_advance(p, 3600));
	assert_int_equal(fake_clock_now(p), T0 + 3600);
	check_ok(p, fake_clock_advance(p, 1));
	assert_int_equal(fake_clock_now(p), T0 + 3601);
	check_ok(p, fake_clock_advance(p, 86400 * 365));
	assert_int_equal(fake_clock_now(p), T0 + 3601 + 86400 * 365);
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_clock_advance_to_sets_time(void **state)
{
	fake_processor *p = *state;
	check_ok(p, fake_clock_advance_to(p, T0 + 1000));
	assert_int_equal(fake_clock_now(p), T0 + 1000);
	/* advancing to the current time is not an error */
	check_ok(p, fake_clock_advance_to(p, T0 + 1000));
	assert_int_equal(fake_clock_now(p), T0 + 1000);
	check_ok(p, fake_clock_advance_to(p, FAKE_TIME_MAX));
	assert_int_equal(fake_clock_now(p), FAKE_TIME_MAX);
}

static void test_clock_advance_zero_is_ok(void **state)
{
	fake_processor *p = *state;
	check_ok(p, fake_clock_advance(p, 0));
	assert_int_equal(fake_clock_now(p), T0);
	check_ok(p, fake_clock_advance(p, 5));
	check_ok(p, fake_clock_advance(p, 0));
	assert_int_equal(fake_clock_now(p), T0 + 5);
}

static void test_clock_negative_advance_is_rejected(void **state)
{
	fake_processor *p = *state;
	check_ok(p, fake_clock_advance(p, 100));
	check_einval_unchanged(p, fake_clock_advance(p, -1), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_advance(p, -100), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_advance(p, INT64_MIN), T0 + 100, 0);
	/* a later good call clears the record */
	check_ok(p, fake_clock_advance(p, 1));
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_clock_advance_to_the_past_is_rejected(void **state)
{
	fake_processor *p = *state;
	check_ok(p, fake_clock_advance(p, 100));
	check_einval_unchanged(p, fake_clock_advance_to(p, T0 + 99), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_advance_to(p, T0), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_advance_to(p, 0), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_advance_to(p, -1), T0 + 100, 0);
}

static void test_clock_advance_past_time_max_is_rejected(void **state)
{
	fake_processor *p = *state;
	check_einval_unchanged(p, fake_clock_advance_to(p, FAKE_TIME_MAX + 1), T0, 0);
	check_einval_unchanged(p, fake_clock_advance_to(p, INT64_MAX), T0, 0);
	check_einval_unchanged(p, fake_clock_advance(p, FAKE_TIME_MAX - T0 + 1), T0, 0);
	/* must not overflow into the past */
	check_einval_unchanged(p, fake_clock_advance(p, INT64_MAX), T0, 0);

	check_ok(p, fake_clock_advance(p, FAKE_TIME_MAX - T0));
	assert_int_equal(fake_clock_now(p), FAKE_TIME_MAX);
	check_einval_unchanged(p, fake_clock_advance(p, 1), FAKE_TIME_MAX, 0);
	check_ok(p, fake_clock_advance(p, 0));
	assert_int_equal(fake_clock_now(p), FAKE_TIME_MAX);
}

static void test_clock_failed_advance_runs_no_work(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick a = { &log, 1 };
	check_ok(p, fake_clock_schedule(p, T0 + 10, record_tick, &a));
	check_einval_unchanged(p, fake_clock_advance(p, -5), T0, 1);
	check_einval_unchanged(p, fake_clock_advance_to(p, FAKE_TIME_MAX + 1), T0, 1);
	assert_int_equal(log.n, 0);
}

static void test_clock_null_processor_is_einval(void **state)
{
	(void)state;
	tick_log log = { 0 };
	tick a = { &log, 1 };
	assert_int_equal(fake_clock_advance(NULL, 1), FAKE_EINVAL);
	assert_int_equal(fake_clock_advance_to(NULL, T0 + 1), FAKE_EINVAL);
	assert_int_equal(fake_clock_schedule(NULL, T0 + 1, record_tick, &a), FAKE_EINVAL);
	assert_int_equal(log.n, 0);
}

static void test_clock_customer_created_uses_clock_now(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c1 = NULL, *c2 = NULL;
	check_ok(p, fake_customer_create(&c1, p, NULL, NULL));
	assert_int_equal(fake_customer_created(c1), T0);
	check_ok(p, fake_clock_advance(p, 3600));
	check_ok(p, fake_customer_create(&c2, p, NULL, NULL));
	assert_int_equal(fake_customer_created(c2), T0 + 3600);
	/* the earlier customer's timestamp never moves */
	assert_int_equal(fake_customer_created(c1), T0);
	fake_list page;
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 2);
	assert_int_equal(fake_event_created(page.data[0]), T0 + 3600);
	assert_int_equal(fake_event_created(page.data[1]), T0);
}

/* ---- the timeline ---------------------------------------------------------------- */

static void test_clock_callbacks_run_in_time_order(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick t30 = { &log, 30 }, t10 = { &log, 10 }, t20 = { &log, 20 }, t5 = { &log, 5 };
	check_ok(p, fake_clock_schedule(p, T0 + 30, record_tick, &t30));
	check_ok(p, fake_clock_schedule(p, T0 + 10, record_tick, &t10));
	check_ok(p, fake_clock_schedule(p, T0 + 20, record_tick, &t20));
	check_ok(p, fake_clock_schedule(p, T0 + 5, record_tick, &t5));
	assert_int_equal(fake_clock_pending(p), 4);
	assert_int_equal(log.n, 0); /* scheduling runs nothing */

	check_ok(p, fake_clock_advance(p, 60));
	assert_int_equal(log.n, 4);
	const int want[] = { 5, 10, 20, 30 };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(log.tag[i], want[i]);
		assert_int_equal(log.at[i], T0 + want[i]);
	}
	assert_int_equal(fake_clock_now(p), T0 + 60);
	assert_int_equal(fake_clock_pending(p), 0);
}

static void test_clock_equal_times_run_in_scheduling_order(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick t[8];
	for (int i = 0; i < 8; i++)
		t[i] = (tick){ &log, i };
	/* interleave two due times so a heap cannot keep FIFO order by luck */
	for (int i = 0; i < 8; i++)
		check_ok(p, fake_clock_schedule(p, i % 2 ? T0 + 50 : T0 + 40, record_tick, &t[i]));
	check_ok(p, fake_clock_advance(p, 100));
	assert_int_equal(log.n, 8);
	const int want[] = { 0, 2, 4, 6, 1, 3, 5, 7 };
	for (int i = 0; i < 8; i++)
		assert_int_equal(log.tag[i], want[i]);
}

static void test_clock_callback_sees_its_due_time(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick a = { &log, 1 }, b = { &log, 2 };
	check_ok(p, fake_clock_schedule(p, T0 + 7, record_tick, &a));
	check_ok(p, fake_clock_schedule(p, T0 + 3600, record_tick, &b));
	check_ok(p, fake_clock_advance_to(p, T0 + 86400));
	assert_int_equal(log.n, 2);
	assert_int_equal(log.now[0], T0 + 7);
	assert_int_equal(log.at[0], T0 + 7);
	assert_int_equal(log.now[1], T0 + 3600);
	assert_int_equal(log.at[1], T0 + 3600);
	assert_int_equal(fake_clock_now(p), T0 + 86400);
}

static void test_clock_advance_to_leaves_later_work_pending(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick a = { &log, 10 }, b = { &log, 20 }, c = { &log, 30 };
	check_ok(p, fake_clock_schedule(p, T0 + 10, record_tick, &a));
	check_ok(p, fake_clock_schedule(p, T0 + 20, record_tick, &b));
	check_ok(p, fake_clock_schedule(p, T0 + 30, record_tick, &c));

	check_ok(p, fake_clock_advance_to(p, T0 + 20));
	assert_int_equal(fake_clock_now(p), T0 + 20);
	assert_int_equal(log.n, 2); /* work due exactly at the target runs */
	assert_int_equal(fake_clock_pending(p), 1);

	check_ok(p, fake_clock_advance(p, 9));
	assert_int_equal(log.n, 2);
	assert_int_equal(fake_clock_pending(p), 1);

	check_ok(p, fake_clock_advance(p, 1));
	assert_int_equal(log.n, 3);
	assert_int_equal(log.tag[2], 30);
	assert_int_equal(fake_clock_pending(p), 0);
}

static void test_clock_advance_to_now_runs_work_due_now(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick a = { &log, 1 }, b = { &log, 2 };
	check_ok(p, fake_clock_schedule(p, T0, record_tick, &a));
	check_ok(p, fake_clock_advance_to(p, T0));
	assert_int_equal(log.n, 1);
	assert_int_equal(log.now[0], T0);
	check_ok(p, fake_clock_schedule(p, T0, record_tick, &b));
	check_ok(p, fake_clock_advance(p, 0));
	assert_int_equal(log.n, 2);
	assert_int_equal(fake_clock_pending(p), 0);
	assert_int_equal(fake_clock_now(p), T0);
}

/* A callback that schedules more work while it runs. */
typedef struct chain {
	tick self;
	tick same_time; /* scheduled at the callback's own due time */
	tick soon;      /* due +5 s later, within the advance */
	tick late;      /* due after the advance's target */
	int rc[3];
} chain;

static void chain_tick(fake_processor *p, int64_t at, void *user_data)
{
	chain *c = user_data;
	record_tick(p, at, &c->self);
	c->rc[0] = fake_clock_schedule(p, at + 5, record_tick, &c->soon);
	c->rc[1] = fake_clock_schedule(p, at, record_tick, &c->same_time);
	c->rc[2] = fake_clock_schedule(p, at + 1000, record_tick, &c->late);
}

static void test_clock_callback_can_schedule_more_work(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	chain c = { { &log, 1 }, { &log, 2 }, { &log, 3 }, { &log, 4 }, { -1, -1, -1 } };
	tick before = { &log, 10 }, between = { &log, 11 }, after = { &log, 12 };
	check_ok(p, fake_clock_schedule(p, T0 + 10, record_tick, &before));
	check_ok(p, fake_clock_schedule(p, T0 + 10, chain_tick, &c));
	check_ok(p, fake_clock_schedule(p, T0 + 12, record_tick, &between));
	check_ok(p, fake_clock_schedule(p, T0 + 20, record_tick, &after));

	check_ok(p, fake_clock_advance_to(p, T0 + 100));
	assert_int_equal(c.rc[0], 0);
	assert_int_equal(c.rc[1], 0);
	assert_int_equal(c.rc[2], 0);
	/* +10 before, +10 chain, +10 same_time, +12 between, +15 soon, +20 after */
	const int want_tag[] = { 10, 1, 2, 11, 3, 12 };
	const int64_t want_at[] = { T0 + 10, T0 + 10, T0 + 10, T0 + 12, T0 + 15, T0 + 20 };
	assert_int_equal(log.n, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(log.tag[i], want_tag[i]);
		assert_int_equal(log.at[i], want_at[i]);
		assert_int_equal(log.now[i], want_at[i]);
	}
	assert_int_equal(fake_clock_now(p), T0 + 100);
	assert_int_equal(fake_clock_pending(p), 1); /* late, due at +1010 */
	check_ok(p, fake_clock_advance_to(p, T0 + 1010));
	assert_int_equal(log.n, 7);
	assert_int_equal(log.tag[6], 4);
	assert_int_equal(fake_clock_pending(p), 0);
}

typedef struct nested_advance {
	int calls;
	int rc_advance;
	int rc_advance_to;
	int rc_zero;
	int64_t now_after;
} nested_advance;

static void advance_from_callback(fake_processor *p, int64_t at, void *user_data)
{
	(void)at;
	nested_advance *n = user_data;
	n->calls++;
	n->rc_advance = fake_clock_advance(p, 10);
	n->rc_advance_to = fake_clock_advance_to(p, at + 50);
	n->rc_zero = fake_clock_advance(p, 0);
	n->now_after = fake_clock_now(p);
}

static void test_clock_callback_cannot_advance_the_clock(void **state)
{
	fake_processor *p = *state;
	nested_advance n = { 0, 0, 0, 0, 0 };
	tick_log log = { 0 };
	tick later = { &log, 1 };
	check_ok(p, fake_clock_schedule(p, T0 + 30, advance_from_callback, &n));
	check_ok(p, fake_clock_schedule(p, T0 + 70, record_tick, &later));
	check_ok(p, fake_clock_advance(p, 60));
	assert_int_equal(n.calls, 1);
	assert_int_equal(n.rc_advance, FAKE_ESTATE);
	assert_int_equal(n.rc_advance_to, FAKE_ESTATE);
	assert_int_equal(n.rc_zero, FAKE_ESTATE);
	assert_int_equal(n.now_after, T0 + 30);
	/* the outer advance finished where it was told, and ran nothing extra */
	assert_int_equal(fake_clock_now(p), T0 + 60);
	assert_int_equal(log.n, 0);
	assert_int_equal(fake_clock_pending(p), 1);
}

typedef struct creator {
	int calls;
	int rc;
	const fake_customer *customer;
} creator;

static void create_from_callback(fake_processor *p, int64_t at, void *user_data)
{
	(void)at;
	creator *c = user_data;
	c->calls++;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "cron@example.com";
	c->rc = fake_customer_create(&c->customer, p, &cp, NULL);
}

static void test_clock_callback_may_create_customers(void **state)
{
	fake_processor *p = *state;
	creator a = { 0, -100, NULL }, b = { 0, -100, NULL };
	check_ok(p, fake_clock_schedule(p, T0 + 100, create_from_callback, &a));
	check_ok(p, fake_clock_schedule(p, T0 + 250, create_from_callback, &b));
	check_ok(p, fake_clock_advance(p, 1000));
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 1);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_string_equal(fake_customer_id(a.customer), "cus_fake_00001");
	assert_int_equal(fake_customer_created(a.customer), T0 + 100);
	assert_string_equal(fake_customer_id(b.customer), "cus_fake_00002");
	assert_int_equal(fake_customer_created(b.customer), T0 + 250);
	assert_string_equal(fake_customer_email(b.customer), "cron@example.com");

	fake_list page;
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 2);
	assert_int_equal(fake_event_created(page.data[0]), T0 + 250);
	assert_int_equal(fake_event_created(page.data[1]), T0 + 100);
	assert_int_equal(fake_clock_now(p), T0 + 1000);
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_clock_schedule_in_the_past_is_rejected(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick a = { &log, 1 };
	check_ok(p, fake_clock_advance(p, 100));
	check_einval_unchanged(p, fake_clock_schedule(p, T0 + 99, record_tick, &a), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_schedule(p, 0, record_tick, &a), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_schedule(p, INT64_MIN, record_tick, &a), T0 + 100, 0);
	check_einval_unchanged(p, fake_clock_schedule(p, FAKE_TIME_MAX + 1, record_tick, &a), T0 + 100, 0);
	/* now and FAKE_TIME_MAX are fine */
	check_ok(p, fake_clock_schedule(p, T0 + 100, record_tick, &a));
	check_ok(p, fake_clock_schedule(p, FAKE_TIME_MAX, record_tick, &a));
	assert_int_equal(fake_clock_pending(p), 2);
	check_ok(p, fake_clock_advance(p, 0));
	assert_int_equal(log.n, 1);
	assert_int_equal(fake_clock_pending(p), 1);
}

static void test_clock_schedule_null_fn_is_rejected(void **state)
{
	fake_processor *p = *state;
	check_einval_unchanged(p, fake_clock_schedule(p, T0 + 10, NULL, NULL), T0, 0);
	check_ok(p, fake_clock_advance(p, 20));
	assert_int_equal(fake_clock_now(p), T0 + 20);
}

static void test_clock_reset_drops_pending_callbacks(void **state)
{
	fake_processor *p = *state;
	tick_log log = { 0 };
	tick a = { &log, 1 }, b = { &log, 2 };
	check_ok(p, fake_clock_advance(p, 500));
	check_ok(p, fake_clock_schedule(p, T0 + 600, record_tick, &a));
	check_ok(p, fake_clock_schedule(p, T0 + 700, record_tick, &b));
	assert_int_equal(fake_clock_pending(p), 2);
	check_ok(p, fake_processor_reset(p));
	assert_int_equal(fake_clock_pending(p), 0);
	assert_int_equal(fake_clock_now(p), T0);
	check_ok(p, fake_clock_advance(p, 1000));
	assert_int_equal(log.n, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_new, fixture_free)
	const struct CMUnitTest tests[] = {
		T(test_clock_now_is_epoch),
		T(test_clock_advance_moves_exactly_that_far),
		T(test_clock_advance_to_sets_time),
		T(test_clock_advance_zero_is_ok),
		T(test_clock_negative_advance_is_rejected),
		T(test_clock_advance_to_the_past_is_rejected),
		T(test_clock_advance_past_time_max_is_rejected),
		T(test_clock_failed_advance_runs_no_work),
		T(test_clock_null_processor_is_einval),
		T(test_clock_customer_created_uses_clock_now),
		T(test_clock_callbacks_run_in_time_order),
		T(test_clock_equal_times_run_in_scheduling_order),
		T(test_clock_callback_sees_its_due_time),
		T(test_clock_advance_to_leaves_later_work_pending),
		T(test_clock_advance_to_now_runs_work_due_now),
		T(test_clock_callback_can_schedule_more_work),
		T(test_clock_callback_cannot_advance_the_clock),
		T(test_clock_callback_may_create_customers),
		T(test_clock_schedule_in_the_past_is_rejected),
		T(test_clock_schedule_null_fn_is_rejected),
		T(test_clock_reset_drops_pending_callbacks),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
