/*
 * Instances in threads (fake/processor.h, lifetime rule 1): processors in
 * different threads share nothing, so the same scenario gives the same
 * transcript in every thread and in a single-threaded run. CI runs this
 * under ThreadSanitizer.
 *
 * cmocka's assertions must not be used off the main thread (they longjmp),
 * so the worker records every failure in its transcript and the main thread
 * checks.
 */
#include "helpers.h"

#include <inttypes.h>
#include <pthread.h>

#define THREADS 4
#define CUSTOMERS 200

/* Like helpers.h's text, but it never calls cmocka: worker threads must
 * not assert (cmocka is not thread-safe); a failed realloc is noted instead. */
typedef struct transcript {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
} transcript;

static void transcript_add(transcript *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || t->oom)
		return;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(t->s, cap);
		if (!s) {
			t->oom = true;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

typedef struct run {
	transcript t;
	int failures;
	fake_processor *p;
} run;

/* Records a failed call; the main thread fails the test when failures > 0. */
static void expect_ok(run *r, int rc, const char *what)
{
	if (rc != 0) {
		r->failures++;
		const fake_error *e = fake_error_last(r->p);
		transcript_add(&r->t, "FAIL %s: %s %s\n", what, fake_status_name(rc), e ? e->message : "");
	}
}

static const char *str_or(const char *s)
{
	return s ? s : "-";
}

static void on_event(fake_processor *p, const fake_event *e, void *user_data)
{
	run *r = user_data;
	transcript_add(&r->t, "event %s %s at=%" PRId64 " obj=%s now=%" PRId64 "\n", fake_event_id(e), fake_event_type(e),
		 fake_event_created(e), str_or(fake_object_id(fake_event_object(e))), fake_clock_now(p));
}

static void on_tick(fake_processor *p, int64_t at, void *user_data)
{
	run *r = user_data;
	const fake_customer *c = NULL;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "cron@example.com";
	expect_ok(r, fake_customer_create(&c, p, &cp, NULL), "create from callback");
	transcript_add(&r->t, "tick at=%" PRId64 " now=%" PRId64 " customer=%s created=%" PRId64 "\n", at, fake_clock_now(p),
		 str_or(fake_customer_id(c)), fake_customer_created(c));
}

static void walk(run *r, fake_op op, const void *params, const char *label)
{
	fake_list_iter it;
	fake_list_iter_init(&it, r->p, op, params, NULL);
	const void *o = NULL;
	int rc;
	size_t n = 0;
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		transcript_add(&r->t, "%s %s %" PRId64 "\n", label, fake_object_id(o), fake_object_created(o));
		n++;
	}
	if (rc != FAKE_ITEROVER)
		expect_ok(r, rc, label);
	transcript_add(&r->t, "%s total %zu\n", label, n);
}

/* The scenario every thread runs on its own processor. */
static void scenario(run *r)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.seed = 7;
	o.block_size = 4096;
	r->p = NULL;
	int rc = fake_processor_new(&r->p, &o);
	if (rc != 0) {
		r->failures++;
		transcript_add(&r->t, "FAIL new: %s\n", fake_status_name(rc));
		return;
	}
	fake_processor *p = r->p;
	expect_ok(r, fake_event_subscribe(p, on_event, r), "subscribe");
	for (int k = 1; k <= 5; k++)
		expect_ok(r, fake_clock_schedule(p, fake_clock_now(p) + 250 * k, on_tick, r), "schedule");

	char email[64], value[16], cus_id[32];
	for (int i = 0; i < CUSTOMERS; i++) {
		snprintf(email, sizeof(email), "user%d@example.com", i);
		snprintf(value, sizeof(value), "%d", i);
		fake_kv meta[] = { { "index", value }, { "tier", i % 3 ? "basic" : "pro" } };
		fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
		cp.email = email;
		cp.metadata = meta;
		cp.metadata_count = 2;
		if (i % 4 == 0)
			cp.payment_method = "pm_card_visa";
		const fake_customer *c = NULL;
		expect_ok(r, fake_customer_create(&c, p, &cp, NULL), "create customer");
		transcript_add(&r->t, "customer %s created=%" PRId64 "\n", str_or(fake_customer_id(c)), fake_customer_created(c));
		if (!c)
			continue;
		snprintf(cus_id, sizeof(cus_id), "%s", fake_customer_id(c));

		if (i % 5 == 0) {
			const fake_payment_method *pm = NULL;
			fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
			pp.card_number = i % 2 ? "5555555555554444" : "4242424242424242";
			pp.billing_name = email;
			expect_ok(r, fake_payment_method_create(&pm, p, &pp, NULL), "create pm");
			fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
			ap.customer = cus_id;
			if (pm) {
				expect_ok(r, fake_payment_method_attach(&pm, p, fake_payment_method_id(pm), &ap, NULL),
					  "attach");
				transcript_add(&r->t, "pm %s brand=%s last4=%s fp=%s customer=%s\n", fake_payment_method_id(pm),
					 str_or(fake_payment_method_card_brand(pm)),
					 str_or(fake_payment_method_card_last4(pm)),
					 str_or(fake_payment_method_card_fingerprint(pm)),
					 str_or(fake_payment_method_customer(pm)));
				const fake_customer *cu = NULL;
				expect_ok(r, fake_customer_set_default_payment_method(&cu, p, cus_id,
										      fake_payment_method_id(pm), NULL),
					  "set default");
				transcript_add(&r->t, "default %s\n", str_or(fake_customer_default_payment_method(cu)));
			}
		}
		if (i % 7 == 0) {
			snprintf(email, sizeof(email), "renamed%d@example.com", i);
			fake_kv change[] = { { "tier", "" }, { "renamed", "yes" } };
			fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
			up.email = email;
			up.metadata = change;
			up.metadata_count = 2;
			const fake_customer *cu = NULL;
			expect_ok(r, fake_customer_update(&cu, p, cus_id, &up, NULL), "update");
			const fake_metadata *m = fake_customer_metadata(cu);
			transcript_add(&r->t, "updated %s email=%s keys=%zu\n", cus_id, str_or(fake_customer_email(cu)),
				 fake_metadata_count(m));
		}
		if (i % 10 == 9) {
			expect_ok(r, fake_clock_advance(p, 60), "advance");
			transcript_add(&r->t, "now %" PRId64 " pending %zu\n", fake_clock_now(p), fake_clock_pending(p));
		}
		if (i % 50 == 49) {
			const fake_customer *gone = NULL;
			expect_ok(r, fake_customer_delete(&gone, p, cus_id, NULL), "delete");
			transcript_add(&r->t, "deleted %s %d\n", cus_id, (int)fake_customer_deleted(gone));
		}
	}
	expect_ok(r, fake_clock_advance_to(p, fake_clock_now(p) + 3600), "advance_to");

	fake_customer_list_params clp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	clp.page.limit = 7;
	walk(r, FAKE_OP_LIST_CUSTOMERS, &clp, "list customer");
	fake_event_list_params elp = FAKE_EVENT_LIST_PARAMS_INIT;
	elp.page.limit = 100;
	walk(r, FAKE_OP_LIST_EVENTS, &elp, "list event");
	fake_payment_method_list_params plp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	plp.customer = "cus_fake_00001";
	walk(r, FAKE_OP_LIST_PAYMENT_METHODS, &plp, "list pm");

	transcript_add(&r->t, "end now=%" PRId64 " events=%zu pending=%zu random=%" PRIu64 " calls=%" PRIu64 "\n",
		 fake_clock_now(p), fake_event_count(p), fake_clock_pending(p), fake_processor_random(p),
		 fake_call_count(p, FAKE_OP_CREATE_CUSTOMER));
	fake_processor_free(p);
	r->p = NULL;
}

static void *thread_main(void *arg)
{
	scenario(arg);
	return NULL;
}

static void test_threads_identical_transcripts(void **state)
{
	(void)state;
	run single = { { NULL, 0, 0, false }, 0, NULL };
	scenario(&single);
	assert_false(single.t.oom);
	if (single.failures) {
		print_error("%s", single.t.s);
		fail();
	}
	assert_non_null(single.t.s);
	/* the scenario did what it says */
	assert_non_null(strstr(single.t.s, "customer cus_fake_00200 "));
	assert_non_null(strstr(single.t.s, "list customer total 201\n")); /* 200 + 5 from callbacks - 4 deleted */
	assert_non_null(strstr(single.t.s, "tick at="));

	run runs[THREADS];
	pthread_t threads[THREADS];
	memset(runs, 0, sizeof(runs));
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, thread_main, &runs[i]), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);

	for (int i = 0; i < THREADS; i++) {
		assert_false(runs[i].t.oom);
		if (runs[i].failures) {
			print_error("thread %d:\n%s", i, runs[i].t.s);
			fail();
		}
		assert_non_null(runs[i].t.s);
		if (strcmp(runs[i].t.s, single.t.s) != 0) {
			size_t k = 0;
			while (runs[i].t.s[k] && runs[i].t.s[k] == single.t.s[k])
				k++;
			print_error("thread %d differs from the single-threaded run at byte %zu:\n%.200s\nvs\n%.200s\n", i,
				    k, runs[i].t.s + k, single.t.s + k);
			fail();
		}
	}
	for (int i = 0; i < THREADS; i++)
		free(runs[i].t.s);
	free(single.t.s);
}

static void test_threads_transcript_is_repeatable(void **state)
{
	(void)state;
	run a = { { NULL, 0, 0, false }, 0, NULL }, b = { { NULL, 0, 0, false }, 0, NULL };
	scenario(&a);
	scenario(&b);
	assert_int_equal(a.failures, 0);
	assert_int_equal(b.failures, 0);
	assert_non_null(a.t.s);
	assert_non_null(b.t.s);
	assert_string_equal(a.t.s, b.t.s);
	free(a.t.s);
	free(b.t.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_identical_transcripts),
		cmocka_unit_test(test_threads_transcript_is_repeatable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
