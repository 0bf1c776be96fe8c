/*
 * The processor instance (fake/processor.h): creation and its options,
 * destruction, reset (to exactly the state a new instance has), the
 * independence of two instances, and the instance PRNG.
 */
#include "helpers.h"

#include <inttypes.h>

static const char *str_or(const char *s)
{
	return s ? s : "(null)";
}

/* ---- fixtures ---------------------------------------------------------------- */

#define TEST_SEED UINT64_C(0x5eed5eed)

static fake_processor_options seeded_options(void)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.seed = TEST_SEED;
	return o;
}

/* *state is a fresh processor made with seeded_options(). */
static int fixture_new_seeded(void **state)
{
	fake_processor_options o = seeded_options();
	fake_processor *p = NULL;
	if (fake_processor_new(&p, &o) != 0)
		return -1;
	*state = p;
	return 0;
}

/* The reference splitmix64 (Steele, Lea, Flood; Vigna's public-domain code). */
static uint64_t splitmix64_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* ---- new --------------------------------------------------------------------- */

static void test_processor_new_null_options_uses_defaults(void **state)
{
	(void)state;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, NULL), 0);
	assert_non_null(p);

	assert_int_equal(fake_clock_now(p), INT64_C(1767225600));
	assert_int_equal(fake_clock_now(p), FAKE_EPOCH_DEFAULT);
	const fake_processor_options *o = fake_processor_options_get(p);
	assert_non_null(o);
	assert_int_equal(o->version, FAKE_PROCESSOR_OPTIONS_VERSION);
	assert_int_equal(o->epoch, FAKE_EPOCH_DEFAULT);
	assert_int_equal(o->id_width, 5);
	assert_int_equal(o->seed, 0);
	assert_true(o->synthesize_events);
	assert_int_equal(fake_event_count(p), 0);
	assert_int_equal(fake_clock_pending(p), 0);
	assert_int_equal(fake_error_last(p)->status, 0);

	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_int_equal(fake_customer_created(c), INT64_C(1767225600));
	/* events are synthesized by default */
	assert_int_equal(fake_event_count(p), 1);
	fake_processor_free(p);
}

enum bad_option {
	BAD_VERSION_0,
	BAD_VERSION_99,
	BAD_ID_WIDTH_0,
	BAD_ID_WIDTH_21,
	BAD_EPOCH_NEGATIVE,
	BAD_EPOCH_PAST_MAX,
	BAD_BLOCK_SIZE_100,
	BAD_BLOCK_SIZE_255,
	BAD_ALLOCATOR_MALLOC_ONLY,
	BAD_ALLOCATOR_NO_FREE,
	BAD_ALLOCATOR_NO_MALLOC,
	BAD_OPTION_COUNT
};

static const char *const bad_option_names[BAD_OPTION_COUNT] = {
	"version 0", "version 99", "id_width 0", "id_width 21", "epoch -1", "epoch FAKE_TIME_MAX + 1",
	"block_size 100", "block_size 255", "allocator with only malloc", "allocator without free",
	"allocator without malloc",
};

static fake_processor_options bad_options(enum bad_option which)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	switch (which) {
	case BAD_VERSION_0:
		o.version = 0;
		break;
	case BAD_VERSION_99:
		o.version = 99;
		break;
	case BAD_ID_WIDTH_0:
		o.id_width = 0;
		break;
	case BAD_ID_WIDTH_21:
		o.id_width = FAKE_ID_WIDTH_MAX + 1;
		break;
	case BAD_EPOCH_NEGATIVE:
		o.epoch = -1;
		break;
	case BAD_EPOCH_PAST_MAX:
		o.epoch = INT64_C(253402300799) + 1;
		break;
	case BAD_BLOCK_SIZE_100:
		o.block_size = 100;
		break;
	case BAD_BLOCK_SIZE_255:
		o.block_size = 255;
		break;
	case BAD_ALLOCATOR_MALLOC_ONLY:
		o.allocator.malloc = test_alloc_malloc;
		break;
	case BAD_ALLOCATOR_NO_FREE:
		o.allocator.malloc = test_alloc_malloc;
		o.allocator.realloc = test_alloc_realloc;
		break;
	case BAD_ALLOCATOR_NO_MALLOC:
		o.allocator.realloc = test_alloc_realloc;
		o.allocator.free = test_alloc_free;
		break;
	case BAD_OPTION_COUNT:
		break;
	}
	return o;
}

static void test_processor_new_rejects_invalid_options(void **state)
{
	(void)state;
	test_alloc a = { 0, 0, 0 };
	for (int i = 0; i < BAD_OPTION_COUNT; i++) {
		fake_processor_options o = bad_options((enum bad_option)i);
		o.allocator.ctx = &a;
		fake_processor *p = (fake_processor *)&a; /* not NULL: new must clear it */
		int rc = fake_processor_new(&p, &o);
		if (rc != FAKE_EINVAL || p != NULL) {
			print_error("options with %s: fake_processor_new returned %s, out %s\n", bad_option_names[i],
				    fake_status_name(rc), p ? "not NULL" : "NULL");
			if (rc == 0)
				fake_processor_free(p);
			fail();
		}
	}
	/* a rejected allocator was never called */
	assert_int_equal(a.calls, 0);
	assert_int_equal(a.live, 0);
}

static void test_processor_new_null_out_is_einval(void **state)
{
	(void)state;
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	assert_int_equal(fake_processor_new(NULL, &o), FAKE_EINVAL);
	assert_int_equal(fake_processor_new(NULL, NULL), FAKE_EINVAL);
}

static void test_processor_new_accepts_boundary_options(void **state)
{
	(void)state;
	fake_processor_options cases[5];
	for (int i = 0; i < 5; i++)
		cases[i] = (fake_processor_options)FAKE_PROCESSOR_OPTIONS_INIT;
	cases[0].epoch = 0;
	cases[1].epoch = FAKE_TIME_MAX;
	cases[2].id_width = 1;
	cases[3].id_width = FAKE_ID_WIDTH_MAX;
	cases[4].block_size = 256;
	for (int i = 0; i < 5; i++) {
		fake_processor *p = NULL;
		assert_int_equal(fake_processor_new(&p, &cases[i]), 0);
		assert_non_null(p);
		assert_int_equal(fake_clock_now(p), cases[i].epoch);
		const fake_customer *c = NULL;
		check_ok(p, fake_customer_create(&c, p, NULL, NULL));
		assert_int_equal(fake_customer_created(c), cases[i].epoch);
		fake_processor_free(p);
	}
}

static void test_processor_options_get_returns_given_options(void **state)
{
	(void)state;
	test_alloc a = { 0, 0, 0 };
	fake_processor_options o = test_alloc_options(&a);
	o.epoch = 1000;
	o.id_width = 7;
	o.seed = 99;
	o.synthesize_events = false;
	o.block_size = 4096;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	const fake_processor_options *got = fake_processor_options_get(p);
	assert_non_null(got);
	assert_int_equal(got->version, FAKE_PROCESSOR_OPTIONS_VERSION);
	assert_int_equal(got->epoch, 1000);
	assert_int_equal(got->id_width, 7);
	assert_int_equal(got->seed, 99);
	assert_false(got->synthesize_events);
	assert_int_equal(got->block_size, 4096);
	assert_ptr_equal(got->allocator.malloc, test_alloc_malloc);
	assert_ptr_equal(got->allocator.realloc, test_alloc_realloc);
	assert_ptr_equal(got->allocator.free, test_alloc_free);
	assert_ptr_equal(got->allocator.ctx, &a);
	/* the instance allocator is really used */
	assert_true(a.calls > 0);
	assert_true(a.live > 0);
	fake_processor_free(p);
	assert_int_equal(a.live, 0);
}

static void test_processor_synthesize_events_false_records_no_events(void **state)
{
	(void)state;
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.synthesize_events = false;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	const fake_customer *c = NULL;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "a@example.com";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "b@example.com";
	check_ok(p, fake_customer_update(&c, p, fake_customer_id(c), &up, NULL));
	assert_int_equal(fake_event_count(p), 0);
	fake_list page;
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 0);
	fake_processor_free(p);
}

/* ---- free ---------------------------------------------------------------------- */

static void test_processor_free_null_is_harmless(void **state)
{
	fake_processor *p = *state;
	fake_processor_free(NULL);
	/* the NULL-tolerant accessors agree that there is nothing there */
	assert_null(fake_processor_options_get(NULL));
	assert_int_equal(fake_processor_random(NULL), 0);
	assert_int_equal(fake_processor_reset(NULL), FAKE_EINVAL);
	assert_int_equal(fake_processor_reset_preserve_connect(NULL), FAKE_EINVAL);
	assert_int_equal(fake_clock_now(NULL), 0);
	assert_int_equal(fake_event_count(NULL), 0);
	/* and another processor is not affected */
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
}

static void test_processor_free_releases_everything(void **state)
{
	(void)state;
	test_alloc a = { 0, 0, 0 };
	fake_processor_options o = test_alloc_options(&a);
	o.block_size = 256;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "a@example.com";
	cp.payment_method = "pm_card_visa";
	for (int i = 0; i < 20; i++) {
		const fake_customer *c = NULL;
		check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	}
	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_CUSTOMER, &s, 3));
	assert_true(a.live > 1);
	fake_processor_free(p);
	assert_int_equal(a.live, 0);
}

/* ---- reset --------------------------------------------------------------------- */

typedef struct counters {
	int events;     /* subscriber calls */
	int ticks;      /* clock callback calls */
	int stub_calls; /* stub calls */
} counters;

static void count_event(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)e;
	((counters *)user_data)->events++;
}

static void count_tick(fake_processor *p, int64_t at, void *user_data)
{
	(void)p;
	(void)at;
	((counters *)user_data)->ticks++;
}

static int stub_api_error(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)out;
	(void)p;
	(void)call;
	(void)error;
	((counters *)user_data)->stub_calls++;
	return FAKE_EAPI;
}

/* Puts p in a state where every resettable thing differs from new. */
static void build_scenario(fake_processor *p, counters *k)
{
	check_ok(p, fake_event_subscribe(p, count_event, k));

	fake_kv meta[] = { { "plan", "pro" }, { "seats", "3" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "first@example.com";
	cp.name = "First";
	cp.metadata = meta;
	cp.metadata_count = 2;
	cp.payment_method = "pm_card_visa";
	const fake_customer *c1 = NULL, *c2 = NULL, *c3 = NULL;
	check_ok(p, fake_customer_create(&c1, p, &cp, NULL));
	fake_customer_create_params cp2 = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp2.email = "second@example.com";
	check_ok(p, fake_customer_create(&c2, p, &cp2, NULL));
	check_ok(p, fake_customer_create(&c3, p, NULL, NULL));

	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(c2);
	check_ok(p, fake_payment_method_attach(&pm, p, fake_payment_method_id(pm), &ap, NULL));
	const fake_customer *cu = NULL;
	check_ok(p, fake_customer_set_default_payment_method(&cu, p, fake_customer_id(c2), fake_payment_method_id(pm),
							     NULL));

	fake_kv meta2[] = { { "plan", "enterprise" } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "first+new@example.com";
	up.metadata = meta2;
	up.metadata_count = 1;
	check_ok(p, fake_customer_update(&cu, p, fake_customer_id(c1), &up, NULL));
	check_ok(p, fake_customer_delete(&cu, p, fake_customer_id(c3), NULL));

	check_ok(p, fake_clock_advance(p, 3600));

	fake_script err = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &err, 3));
	fake_script rl = fake_script_rate_limit(5);
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_EVENT, &rl, FAKE_SCRIPT_UNTIL_CLEARED));
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_api_error, k));
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_PAYMENT_METHOD, stub_api_error, k));

	check_ok(p, fake_clock_schedule(p, fake_clock_now(p) + 100, count_tick, k));
	check_ok(p, fake_clock_schedule(p, fake_clock_now(p) + 10000, count_tick, k));

	for (int i = 0; i < 5; i++)
		(void)fake_processor_random(p);

	/* exercise the stub and leave a failure in the error record */
	const fake_customer *none = NULL;
	assert_int_equal(fake_customer_retrieve(&none, p, "cus_fake_00001", NULL), FAKE_EAPI);

	/* the scenario really changed everything the probe looks at */
	assert_true(k->events > 0);
	assert_int_equal(k->stub_calls, 1);
	assert_int_equal(k->ticks, 0);
	assert_true(fake_event_count(p) > 0);
	assert_int_equal(fake_clock_now(p), fake_processor_options_get(p)->epoch + 3600);
	assert_int_equal(fake_clock_pending(p), 2);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 3);
	assert_int_equal(fake_script_pending(p, FAKE_OP_RETRIEVE_EVENT), SIZE_MAX);
	assert_true(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER) > 0);
	assert_int_equal(fake_error_last(p)->status, FAKE_EAPI);
}

/* Every observable of a processor, and the results of a fixed sequence of
 * calls, written to t. Two processors in the same state write the same text. */
static void probe(fake_processor *p, text *t)
{
	text_add(t, "now=%" PRId64 " events=%zu pending=%zu err=%d\n", fake_clock_now(p), fake_event_count(p),
		 fake_clock_pending(p), fake_error_last(p)->status);
	for (int op = 0; op < FAKE_OP_COUNT; op++) {
		size_t sp = fake_script_pending(p, (fake_op)op);
		text_add(t, "op %s calls=%" PRIu64 " scripts=%zu\n", fake_op_name((fake_op)op),
			 fake_call_count(p, (fake_op)op), sp);
	}
	for (int i = 0; i < 4; i++)
		text_add(t, "random %" PRIu64 "\n", fake_processor_random(p));

	fake_list page;
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	text_add(t, "customers listed=%zu more=%d\n", page.count, (int)page.has_more);
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	text_add(t, "events listed=%zu\n", page.count);

	/* an unknown customer: resource_missing, not a stub's api_error */
	const fake_customer *c = NULL;
	int rc = fake_customer_retrieve(&c, p, "cus_fake_00001", NULL);
	text_add(t, "retrieve missing rc=%s code=%s req=%s\n", fake_status_name(rc), fake_error_last(p)->code,
		 fake_error_last(p)->request_id);

	fake_kv meta[] = { { "k", "v" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "probe@example.com";
	cp.metadata = meta;
	cp.metadata_count = 1;
	rc = fake_customer_create(&c, p, &cp, NULL);
	text_add(t, "create rc=%s id=%s created=%" PRId64 " events=%zu\n", fake_status_name(rc),
		 str_or(fake_customer_id(c)), fake_customer_created(c), fake_event_count(p));
	const fake_customer *again = NULL;
	rc = fake_customer_retrieve(&again, p, fake_customer_id(c), NULL);
	text_add(t, "retrieve rc=%s same=%d\n", fake_status_name(rc), (int)(c && again == c));

	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "5555555555554444";
	rc = fake_payment_method_create(&pm, p, &pp, NULL);
	text_add(t, "pm create rc=%s id=%s brand=%s exp=%d/%d\n", fake_status_name(rc),
		 str_or(fake_payment_method_id(pm)), str_or(fake_payment_method_card_brand(pm)),
		 fake_payment_method_card_exp_month(pm), fake_payment_method_card_exp_year(pm));
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(c);
	rc = fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL);
	text_add(t, "attach token rc=%s id=%s customer=%s\n", fake_status_name(rc), str_or(fake_payment_method_id(pm)),
		 str_or(fake_payment_method_customer(pm)));

	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	for (size_t i = 0; i < page.count; i++) {
		const fake_event *e = page.data[i];
		text_add(t, "event %s %s %" PRId64 " %s\n", fake_event_id(e), fake_event_type(e), fake_event_created(e),
			 str_or(fake_event_request_id(e)));
	}
	const fake_event *e = NULL;
	rc = fake_event_retrieve(&e, p, "evt_fake_00001", NULL);
	text_add(t, "event retrieve rc=%s id=%s\n", fake_status_name(rc), str_or(fake_event_id(e)));

	rc = fake_clock_advance(p, 20000);
	text_add(t, "advance rc=%s now=%" PRId64 " pending=%zu\n", fake_status_name(rc), fake_clock_now(p),
		 fake_clock_pending(p));
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		text_add(t, "op %s calls=%" PRIu64 "\n", fake_op_name((fake_op)op), fake_call_count(p, (fake_op)op));
}

static void check_reset_restores_initial_state(fake_processor *p, int (*reset_fn)(fake_processor *))
{
	counters k = { 0, 0, 0 };
	build_scenario(p, &k);

	check_ok(p, reset_fn(p));

	/* the plain facts a user checks first */
	const fake_processor_options *o = fake_processor_options_get(p);
	assert_int_equal(fake_clock_now(p), o->epoch);
	assert_int_equal(fake_event_count(p), 0);
	assert_int_equal(fake_clock_pending(p), 0);
	for (int op = 0; op < FAKE_OP_COUNT; op++) {
		assert_int_equal(fake_call_count(p, (fake_op)op), 0);
		assert_int_equal(fake_script_pending(p, (fake_op)op), 0);
	}
	assert_int_equal(fake_error_last(p)->status, 0);

	/* the same probe on the reset processor and a new one with the same options */
	fake_processor *fresh = NULL;
	assert_int_equal(fake_processor_new(&fresh, o), 0);
	text a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	int events_before = k.events, stubs_before = k.stub_calls;
	probe(p, &a);
	probe(fresh, &b);
	assert_string_equal(a.s, b.s);

	/* the probe's calls succeeded the way a new processor's do */
	assert_non_null(strstr(a.s, "create rc=FAKE_OK id=cus_fake_00001 "));
	assert_non_null(strstr(a.s, "retrieve missing rc=FAKE_ENOTFOUND "));
	assert_non_null(strstr(a.s, "pm create rc=FAKE_OK id=pm_fake_00001 "));
	assert_non_null(strstr(a.s, "event retrieve rc=FAKE_OK id=evt_fake_00001"));

	/* nothing from before the reset reacted: no subscriber, stub or callback */
	assert_int_equal(k.events, events_before);
	assert_int_equal(k.stub_calls, stubs_before);
	assert_int_equal(k.ticks, 0);

	text_free(&a);
	text_free(&b);
	fake_processor_free(fresh);
}

static void test_processor_reset_restores_initial_state(void **state)
{
	check_reset_restores_initial_state(*state, fake_processor_reset);
}

static void test_processor_reset_preserve_connect_restores_initial_state(void **state)
{
	check_reset_restores_initial_state(*state, fake_processor_reset_preserve_connect);
}

static void test_processor_reset_restarts_random_sequence(void **state)
{
	fake_processor *p = *state;
	uint64_t first[8];
	for (int i = 0; i < 8; i++)
		first[i] = fake_processor_random(p);
	check_ok(p, fake_processor_reset(p));
	for (int i = 0; i < 8; i++)
		assert_int_equal(fake_processor_random(p), first[i]);
}

static void test_processor_reset_twice_is_same_as_once(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_processor_reset(p));
	check_ok(p, fake_processor_reset(p));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_int_equal(fake_event_count(p), 1);
}

typedef struct reset_attempt {
	int calls;
	int rc;
	int rc_preserve;
} reset_attempt;

static void reset_from_subscriber(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)e;
	reset_attempt *r = user_data;
	r->calls++;
	r->rc = fake_processor_reset(p);
	r->rc_preserve = fake_processor_reset_preserve_connect(p);
}

static void test_processor_reset_from_subscriber_is_estate(void **state)
{
	fake_processor *p = *state;
	reset_attempt r = { 0, 0, 0 };
	check_ok(p, fake_event_subscribe(p, reset_from_subscriber, &r));
	check_ok(p, fake_clock_advance(p, 60));
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.rc, FAKE_ESTATE);
	assert_int_equal(r.rc_preserve, FAKE_ESTATE);
	/* nothing was reset: the customer, its event and the clock are still there */
	const fake_customer *got = NULL;
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_00001", NULL));
	assert_ptr_equal(got, c);
	assert_int_equal(fake_event_count(p), 1);
	assert_int_equal(fake_clock_now(p), FAKE_EPOCH_DEFAULT + 60);
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 1);
}

static void reset_from_tick(fake_processor *p, int64_t at, void *user_data)
{
	(void)at;
	reset_attempt *r = user_data;
	r->calls++;
	r->rc = fake_processor_reset(p);
	r->rc_preserve = fake_processor_reset_preserve_connect(p);
}

static void test_processor_reset_from_clock_callback_is_estate(void **state)
{
	fake_processor *p = *state;
	reset_attempt r = { 0, 0, 0 };
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_clock_schedule(p, FAKE_EPOCH_DEFAULT + 10, reset_from_tick, &r));
	check_ok(p, fake_clock_advance(p, 20));
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.rc, FAKE_ESTATE);
	assert_int_equal(r.rc_preserve, FAKE_ESTATE);
	assert_int_equal(fake_clock_now(p), FAKE_EPOCH_DEFAULT + 20);
	const fake_customer *got = NULL;
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_00001", NULL));
	assert_ptr_equal(got, c);
}

static int reset_from_stub(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)call;
	(void)error;
	reset_attempt *r = user_data;
	r->calls++;
	r->rc = fake_processor_reset(p);
	r->rc_preserve = fake_processor_reset_preserve_connect(p);
	*(const void **)out = NULL;
	return 0;
}

static void test_processor_reset_from_stub_is_estate(void **state)
{
	fake_processor *p = *state;
	reset_attempt r = { 0, 0, 0 };
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, reset_from_stub, &r));
	const fake_customer *got = NULL;
	(void)fake_customer_retrieve(&got, p, "cus_fake_00001", NULL);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.rc, FAKE_ESTATE);
	assert_int_equal(r.rc_preserve, FAKE_ESTATE);
	/* the stub is still installed and the customer still exists */
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, NULL, NULL));
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_00001", NULL));
	assert_ptr_equal(got, c);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 2);
}

/* ---- two instances ------------------------------------------------------------- */

static void test_processor_instances_do_not_interfere(void **state)
{
	fake_processor *p = *state;
	fake_processor *q = NULL;
	assert_int_equal(fake_processor_new(&q, NULL), 0);

	const fake_customer *c = NULL;
	for (int i = 0; i < 3; i++)
		check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00003");
	check_ok(p, fake_clock_advance(p, 86400));
	fake_script err = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &err, 1));
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND);
	(void)fake_processor_random(p);

	/* q saw none of it */
	assert_int_equal(fake_clock_now(q), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_event_count(q), 0);
	assert_int_equal(fake_error_last(q)->status, 0);
	assert_int_equal(fake_script_pending(q, FAKE_OP_CREATE_CUSTOMER), 0);
	assert_int_equal(fake_call_count(q, FAKE_OP_CREATE_CUSTOMER), 0);
	const fake_customer *qc = NULL;
	check_ok(q, fake_customer_create(&qc, q, NULL, NULL));
	assert_string_equal(fake_customer_id(qc), "cus_fake_00001");
	assert_int_equal(fake_customer_created(qc), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_customer_retrieve(&qc, q, "cus_fake_00002", NULL), FAKE_ENOTFOUND);
	assert_int_equal(fake_event_count(q), 1);

	/* and p saw none of q's */
	assert_int_equal(fake_event_count(p), 3);
	assert_int_equal(fake_clock_now(p), FAKE_EPOCH_DEFAULT + 86400);
	assert_int_equal(fake_error_last(p)->status, FAKE_ENOTFOUND);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 1);
	check_ok(q, fake_processor_reset(q));
	const fake_customer *got = NULL;
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_00003", NULL));
	assert_int_equal(fake_customer_created(got), FAKE_EPOCH_DEFAULT);
	fake_processor_free(q);
	/* freeing q leaves p working */
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_00001", NULL));
	assert_string_equal(fake_customer_id(got), "cus_fake_00001");
}

/* ---- random -------------------------------------------------------------------- */

static void test_processor_random_same_seed_same_sequence(void **state)
{
	(void)state;
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.seed = 42;
	fake_processor *a = NULL, *b = NULL;
	assert_int_equal(fake_processor_new(&a, &o), 0);
	assert_int_equal(fake_processor_new(&b, &o), 0);
	uint64_t prev = 0;
	int changes = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t x = fake_processor_random(a);
		assert_int_equal(x, fake_processor_random(b));
		if (i && x != prev)
			changes++;
		prev = x;
	}
	assert_int_equal(changes, 99);
	fake_processor_free(a);
	fake_processor_free(b);
}

static void test_processor_random_different_seeds_differ(void **state)
{
	(void)state;
	fake_processor_options o1 = FAKE_PROCESSOR_OPTIONS_INIT, o2 = FAKE_PROCESSOR_OPTIONS_INIT;
	o1.seed = 1;
	o2.seed = 2;
	fake_processor *a = NULL, *b = NULL;
	assert_int_equal(fake_processor_new(&a, &o1), 0);
	assert_int_equal(fake_processor_new(&b, &o2), 0);
	int same = 0;
	for (int i = 0; i < 16; i++)
		if (fake_processor_random(a) == fake_processor_random(b))
			same++;
	assert_int_equal(same, 0);
	fake_processor_free(a);
	fake_processor_free(b);
}

static void test_processor_random_is_splitmix64(void **state)
{
	(void)state;
	const uint64_t seeds[] = { 0, 42, TEST_SEED, UINT64_MAX };
	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
		o.seed = seeds[s];
		fake_processor *p = NULL;
		assert_int_equal(fake_processor_new(&p, &o), 0);
		uint64_t ref = seeds[s];
		for (int i = 0; i < 10; i++) {
			uint64_t want = splitmix64_next(&ref);
			uint64_t got = fake_processor_random(p);
			if (got != want) {
				print_error("seed %" PRIu64 " draw %d: got 0x%016" PRIx64 ", splitmix64 gives 0x%016" PRIx64
					    "\n",
					    seeds[s], i, got, want);
				fake_processor_free(p);
				fail();
			}
		}
		fake_processor_free(p);
	}
	/* the published first output of splitmix64 seeded with 0 */
	uint64_t zero = 0;
	assert_int_equal(splitmix64_next(&zero), UINT64_C(0xE220A8397B1DCDAF));
}

static void test_processor_random_does_not_affect_ids_or_clock(void **state)
{
	fake_processor *p = *state;
	for (int i = 0; i < 10; i++)
		(void)fake_processor_random(p);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_int_equal(fake_clock_now(p), FAKE_EPOCH_DEFAULT);
}

/* ---- options that shape ids and time ------------------------------------------- */

static void test_processor_custom_epoch_and_id_width(void **state)
{
	(void)state;
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.epoch = INT64_C(1000000000);
	o.id_width = 8;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	assert_int_equal(fake_clock_now(p), INT64_C(1000000000));

	const fake_customer *c = NULL;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00000001");
	assert_int_equal(fake_customer_created(c), INT64_C(1000000000));

	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = fake_customer_id(c);
	fake_list page;
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_payment_method_id(page.data[0]), "pm_fake_00000001");

	const fake_event *e = NULL;
	check_ok(p, fake_event_retrieve(&e, p, "evt_fake_00000001", NULL));
	assert_int_equal(fake_event_created(e), INT64_C(1000000000));

	/* reset goes back to the custom epoch, not the default */
	check_ok(p, fake_clock_advance(p, 5));
	check_ok(p, fake_processor_reset(p));
	assert_int_equal(fake_clock_now(p), INT64_C(1000000000));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00000001");
	fake_processor_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_processor_new_null_options_uses_defaults),
		cmocka_unit_test(test_processor_new_rejects_invalid_options),
		cmocka_unit_test(test_processor_new_null_out_is_einval),
		cmocka_unit_test(test_processor_new_accepts_boundary_options),
		cmocka_unit_test(test_processor_options_get_returns_given_options),
		cmocka_unit_test(test_processor_synthesize_events_false_records_no_events),
		cmocka_unit_test_setup_teardown(test_processor_free_null_is_harmless, fixture_new, fixture_free),
		cmocka_unit_test(test_processor_free_releases_everything),
		cmocka_unit_test_setup_teardown(test_processor_reset_restores_initial_state, fixture_new_seeded,
						fixture_free),
		cmocka_unit_test_setup_teardown(test_processor_reset_preserve_connect_restores_initial_state,
						fixture_new_seeded, fixture_free),
		cmocka_unit_test_setup_teardown(test_processor_reset_restarts_random_sequence, fixture_new_seeded,
						fixture_free),
		cmocka_unit_test_setup_teardown(test_processor_reset_twice_is_same_as_once, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_processor_reset_from_subscriber_is_estate, fixture_new,
						fixture_free),
		cmocka_unit_test_setup_teardown(test_processor_reset_from_clock_callback_is_estate, fixture_new,
						fixture_free),
		cmocka_unit_test_setup_teardown(test_processor_reset_from_stub_is_estate, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_processor_instances_do_not_interfere, fixture_new, fixture_free),
		cmocka_unit_test(test_processor_random_same_seed_same_sequence),
		cmocka_unit_test(test_processor_random_different_seeds_differ),
		cmocka_unit_test(test_processor_random_is_splitmix64),
		cmocka_unit_test_setup_teardown(test_processor_random_does_not_affect_ids_or_clock, fixture_new,
						fixture_free),
		cmocka_unit_test(test_processor_custom_epoch_and_id_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
