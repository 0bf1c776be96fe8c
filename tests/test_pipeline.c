/*
 * The operation pipeline (fake/control.h): call counts, scripted responses,
 * outcome scripts, stubs, and operation names.
 * Every test starts from a fresh processor (fixture_new / fixture_free).
 */
#include "helpers.h"

static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

static const fake_customer *cust_new(fake_processor *p)
{
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_non_null(c);
	return c;
}

static size_t cust_listed(fake_processor *p)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	return page.count;
}

static size_t pm_listed(fake_processor *p, const char *cus_id)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	fake_list page;
	lp.customer = cus_id;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	return page.count;
}

static int create_rc(fake_processor *p, const fake_customer **out)
{
	*out = SENTINEL;
	return fake_customer_create(out, p, NULL, NULL);
}

static int attach_rc(fake_processor *p, const fake_payment_method **out, const char *pm_id, const char *cus_id)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = cus_id;
	*out = SENTINEL;
	return fake_payment_method_attach(out, p, pm_id, &ap, NULL);
}

static void check_record(fake_processor *p, const char *type, int http)
{
	const fake_error *e = fake_error_last(p);
	assert_non_null(e);
	assert_string_equal(e->type, type);
	assert_int_equal(e->http_status, http);
}

/* A scripted create_customer failed: nothing was created, no event, and the
 * next real create still gets the first id. */
static void check_create_untouched(fake_processor *p, size_t customers, size_t events, const char *next_id)
{
	assert_int_equal(cust_listed(p), customers);
	assert_int_equal(fake_event_count(p), events);
	assert_string_equal(fake_customer_id(cust_new(p)), next_id);
}

/* ---- call counts -------------------------------------------------------- */

static int stub_ok_customer(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)p;
	(void)call;
	(void)error;
	*(const void **)out = user_data;
	return 0;
}

static void test_pipeline_call_count_counts_every_call(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;

	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 0);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 0);

	const fake_customer *first = cust_new(p);                                        /* success */
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND); /* failure */
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));                      /* success */

	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_CUSTOMER, &s, 1));
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_EAPI); /* scripted */

	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_ok_customer, (void *)(uintptr_t)first));
	check_ok(p, fake_customer_retrieve(&c, p, "cus_anything", NULL)); /* stubbed */

	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 4);
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_DELETE_CUSTOMER), 0);
	assert_int_equal(fake_call_count(p, FAKE_OP_COUNT), 0);
	assert_int_equal(fake_call_count(NULL, FAKE_OP_CREATE_CUSTOMER), 0);

	/* misuse is a call too */
	assert_int_equal(fake_customer_retrieve(NULL, p, "cus_fake_00001", NULL), FAKE_EINVAL);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 5);
}

static void test_pipeline_call_count_reset(void **state)
{
	fake_processor *p = *state;

	cust_new(p);
	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, FAKE_SCRIPT_UNTIL_CLEARED));
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_ok_customer, NULL));
	check_ok(p, fake_processor_reset(p));

	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 0);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	/* scripts and stubs are gone: default behaviour */
	assert_string_equal(fake_customer_id(cust_new(p)), "cus_fake_00001");
	const fake_customer *c = NULL;
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND);
}

/* ---- error scripts ------------------------------------------------------- */

static void test_pipeline_script_card_declined_once(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c;

	fake_script s = fake_script_card_declined("insufficient_funds");
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1));
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 1);

	check_fails(p, create_rc(p, &c), FAKE_ECARD, "card_declined", NULL);
	assert_null(c);
	check_record(p, "card_error", 402);
	assert_string_equal(fake_error_last(p)->decline_code, "insufficient_funds");
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);

	/* one-shot: back to default, and no id was used */
	check_create_untouched(p, 0, 0, "cus_fake_00001");
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_pipeline_script_rate_limit(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c;

	fake_script s = fake_script_rate_limit(30);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1));
	check_fails(p, create_rc(p, &c), FAKE_ERATELIMIT, "rate_limit", NULL);
	assert_null(c);
	check_record(p, "rate_limit_error", 429);
	assert_int_equal(fake_error_last(p)->retry_after, 30);
	check_create_untouched(p, 0, 0, "cus_fake_00001");
	assert_int_equal(fake_error_last(p)->retry_after, 0);
}

static void test_pipeline_script_api_error(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c;

	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1));
	check_fails(p, create_rc(p, &c), FAKE_EAPI, NULL, NULL);
	assert_null(c);
	check_record(p, "api_error", 500);
	check_create_untouched(p, 0, 0, "cus_fake_00001");
}

static void test_pipeline_script_idempotency_error(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c;

	fake_script s = fake_script_idempotency_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1));
	check_fails(p, create_rc(p, &c), FAKE_EIDEMPOTENCY, NULL, NULL);
	assert_null(c);
	check_record(p, "idempotency_error", 400);
	check_create_untouched(p, 0, 0, "cus_fake_00001");
}

static void test_pipeline_script_custom_error(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p);
	const fake_customer *r = SENTINEL;

	fake_script s = fake_script_error(FAKE_ENOTFOUND, "resource_missing", "id", "gone for good");
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_CUSTOMER, &s, 1));
	check_fails(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "gone for good");
	assert_null(r);

	check_ok(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL));
	assert_ptr_equal(r, c);
}

static void test_pipeline_script_on_update_changes_nothing(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = cust_new(p);
	const fake_customer *u = SENTINEL;

	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_UPDATE_CUSTOMER, &s, 1));
	up.email = "scripted@example.com";
	check_fails(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL), FAKE_EAPI, NULL, NULL);
	assert_null(u);
	assert_null(fake_customer_email(c));
	assert_int_equal(fake_event_count(p), 1);
}

static void test_pipeline_script_fifo(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c;

	fake_script a = fake_script_rate_limit(5);
	fake_script b = fake_script_api_error();
	fake_script d = fake_script_card_declined("lost_card");
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &a, 1));
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &b, 1));
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &d, 1));
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 3);

	assert_int_equal(create_rc(p, &c), FAKE_ERATELIMIT);
	assert_int_equal(fake_error_last(p)->retry_after, 5);
	assert_int_equal(create_rc(p, &c), FAKE_EAPI);
	assert_int_equal(create_rc(p, &c), FAKE_ECARD);
	assert_string_equal(fake_error_last(p)->decline_code, "lost_card");
	assert_null(c);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	check_create_untouched(p, 0, 0, "cus_fake_00001");
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 4);
}

static void test_pipeline_script_times(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c;

	fake_script s = fake_script_api_error();
	fake_script after = fake_script_rate_limit(1);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 3));
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &after, 1));
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 4);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(create_rc(p, &c), FAKE_EAPI);
		assert_null(c);
		assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 3 - i);
	}
	assert_int_equal(create_rc(p, &c), FAKE_ERATELIMIT);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	check_create_untouched(p, 0, 0, "cus_fake_00001");
}

static void test_pipeline_script_until_cleared(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c;

	fake_script s = fake_script_api_error();
	fake_script behind = fake_script_rate_limit(1);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, FAKE_SCRIPT_UNTIL_CLEARED));
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &behind, 1));
	assert_true(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER) == SIZE_MAX);
	for (int i = 0; i < 20; i++)
		assert_int_equal(create_rc(p, &c), FAKE_EAPI); /* the one behind never runs */
	assert_true(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER) == SIZE_MAX);

	fake_script_clear(p, FAKE_OP_CREATE_CUSTOMER);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	check_create_untouched(p, 0, 0, "cus_fake_00001");
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 21);

	/* clearing is harmless on NULL, unknown ops and empty queues */
	fake_script_clear(NULL, FAKE_OP_CREATE_CUSTOMER);
	fake_script_clear(p, FAKE_OP_COUNT);
	fake_script_clear(p, FAKE_OP_LIST_EVENTS);
	assert_int_equal(fake_script_pending(p, FAKE_OP_LIST_EVENTS), 0);
}

static void test_pipeline_script_is_per_operation(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p);
	const fake_customer *r = NULL;

	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_DELETE_CUSTOMER, &s, 1));
	check_ok(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL));
	assert_ptr_equal(r, c);
	cust_new(p);
	assert_int_equal(fake_script_pending(p, FAKE_OP_DELETE_CUSTOMER), 1);
	assert_int_equal(fake_customer_delete(&r, p, "cus_fake_00001", NULL), FAKE_EAPI);
	assert_false(fake_customer_deleted(c));
}

static void test_pipeline_script_beats_stub(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p);
	const fake_customer *r = SENTINEL;

	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_ok_customer, (void *)(uintptr_t)c));
	fake_script s = fake_script_rate_limit(7);
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_CUSTOMER, &s, 1));

	check_fails(p, fake_customer_retrieve(&r, p, "cus_whatever", NULL), FAKE_ERATELIMIT, NULL, NULL);
	assert_null(r);
	/* the script is used up: the stub answers again */
	check_ok(p, fake_customer_retrieve(&r, p, "cus_whatever", NULL));
	assert_ptr_equal(r, c);
}

static void test_pipeline_script_card_declined_codes(void **state)
{
	fake_processor *p = *state;
	static const struct {
		const char *decline_code;
		const char *code;
	} codes[] = {
		{ "generic_decline", "card_declined" },   { "insufficient_funds", "card_declined" },
		{ "lost_card", "card_declined" },         { "stolen_card", "card_declined" },
		{ "expired_card", "expired_card" },       { "incorrect_cvc", "incorrect_cvc" },
		{ "processing_error", "processing_error" },
	};

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const fake_customer *c;
		fake_script s = fake_script_card_declined(codes[i].decline_code);
		print_message("# decline code %s\n", codes[i].decline_code);
		assert_int_equal(s.version, FAKE_SCRIPT_VERSION);
		assert_int_equal(s.outcome, FAKE_OUTCOME_ERROR);
		assert_int_equal(s.error.status, FAKE_ECARD);
		assert_int_equal(s.error.http_status, 402);
		assert_string_equal(s.error.type, "card_error");
		assert_string_equal(s.error.code, codes[i].code);
		assert_string_equal(s.error.decline_code, codes[i].decline_code);
		assert_true(s.error.message[0] != '\0');

		check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1));
		check_fails(p, create_rc(p, &c), FAKE_ECARD, codes[i].code, NULL);
		check_record(p, "card_error", 402);
		assert_string_equal(fake_error_last(p)->decline_code, codes[i].decline_code);
		assert_string_equal(fake_error_last(p)->message, s.error.message);
	}
	check_create_untouched(p, 0, 0, "cus_fake_00001");
}

static void test_pipeline_script_card_declined_unknown_code(void **state)
{
	fake_processor *p = *state;
	(void)p;

	fake_script a = fake_script_card_declined(NULL);
	fake_script b = fake_script_card_declined("no_such_decline_code");
	assert_string_equal(a.error.decline_code, "generic_decline");
	assert_string_equal(a.error.code, "card_declined");
	assert_string_equal(b.error.decline_code, "generic_decline");
	assert_string_equal(b.error.code, "card_declined");
	assert_int_equal(b.error.status, FAKE_ECARD);
}

static void test_pipeline_script_helpers_shape(void **state)
{
	(void)state;
	fake_script r = fake_script_rate_limit(12);
	assert_int_equal(r.outcome, FAKE_OUTCOME_ERROR);
	assert_int_equal(r.error.status, FAKE_ERATELIMIT);
	assert_int_equal(r.error.http_status, 429);
	assert_int_equal(r.error.retry_after, 12);
	assert_string_equal(r.error.type, "rate_limit_error");
	assert_string_equal(r.error.code, "rate_limit");

	fake_script a = fake_script_api_error();
	assert_int_equal(a.error.status, FAKE_EAPI);
	assert_int_equal(a.error.http_status, 500);
	assert_string_equal(a.error.type, "api_error");

	fake_script i = fake_script_idempotency_error();
	assert_int_equal(i.error.status, FAKE_EIDEMPOTENCY);
	assert_int_equal(i.error.http_status, 400);
	assert_string_equal(i.error.type, "idempotency_error");

	fake_script e = fake_script_error(FAKE_ESTATE, "my_code", "my_param", "my message");
	assert_int_equal(e.outcome, FAKE_OUTCOME_ERROR);
	assert_int_equal(e.error.status, FAKE_ESTATE);
	assert_int_equal(e.error.http_status, 400);
	assert_string_equal(e.error.type, "invalid_request_error");
	assert_string_equal(e.error.code, "my_code");
	assert_string_equal(e.error.param, "my_param");
	assert_string_equal(e.error.message, "my message");

	fake_script o = fake_script_outcome(FAKE_OUTCOME_SUCCEED);
	assert_int_equal(o.version, FAKE_SCRIPT_VERSION);
	assert_int_equal(o.outcome, FAKE_OUTCOME_SUCCEED);
}

static void test_pipeline_script_push_rejects_bad_scripts(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_api_error();

	assert_int_equal(fake_script_push(NULL, FAKE_OP_CREATE_CUSTOMER, &s, 1), FAKE_EINVAL);
	assert_int_equal(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, NULL, 1), FAKE_EINVAL);
	assert_int_equal(fake_script_push(p, FAKE_OP_COUNT, &s, 1), FAKE_EINVAL);
	assert_int_equal(fake_script_push(p, (fake_op)-1, &s, 1), FAKE_EINVAL);

	fake_script bad_version = s;
	bad_version.version = 999;
	assert_int_equal(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &bad_version, 1), FAKE_EINVAL);

	fake_script zero_status = s;
	zero_status.error.status = 0;
	assert_int_equal(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &zero_status, 1), FAKE_EINVAL);
	fake_script not_a_status = s;
	not_a_status.error.status = -100;
	assert_int_equal(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &not_a_status, 1), FAKE_EINVAL);
	fake_script iterover = s;
	iterover.error.status = FAKE_ITEROVER;
	assert_int_equal(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &iterover, 1), FAKE_EINVAL);

	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	check_create_untouched(p, 0, 0, "cus_fake_00001");
}

/* ---- outcome scripts ----------------------------------------------------- */

static void test_pipeline_outcome_decline_on_attach(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm;

	cust_new(p);
	size_t events = fake_event_count(p);
	fake_script s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	check_ok(p, fake_script_push(p, FAKE_OP_ATTACH_PAYMENT_METHOD, &s, 1));

	check_fails(p, attach_rc(p, &pm, "pm_card_visa", "cus_fake_00001"), FAKE_ECARD, "card_declined", NULL);
	check_record(p, "card_error", 402);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
	assert_null(pm);
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 0);
	assert_int_equal(fake_event_count(p), events);

	/* one-shot: the next attach of the same token works, with the first pm id */
	check_ok(p, attach_rc(p, &pm, "pm_card_visa", "cus_fake_00001"));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00001");
}

static void test_pipeline_outcome_decline_with_code(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = NULL;

	cust_new(p);
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	fake_script s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	snprintf(s.error.decline_code, sizeof s.error.decline_code, "%s", "insufficient_funds");
	check_ok(p, fake_script_push(p, FAKE_OP_ATTACH_PAYMENT_METHOD, &s, 1));

	const fake_payment_method *out;
	check_fails(p, attach_rc(p, &out, "pm_fake_00001", "cus_fake_00001"), FAKE_ECARD, "card_declined", NULL);
	assert_string_equal(fake_error_last(p)->decline_code, "insufficient_funds");
	assert_null(out);
	assert_null(fake_payment_method_customer(pm));
}

static void test_pipeline_outcome_succeed_on_attach(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm;

	cust_new(p);
	fake_script s = fake_script_outcome(FAKE_OUTCOME_SUCCEED);
	check_ok(p, fake_script_push(p, FAKE_OP_ATTACH_PAYMENT_METHOD, &s, 1));
	size_t events = fake_event_count(p);

	check_ok(p, attach_rc(p, &pm, "pm_card_chargeDeclined", "cus_fake_00001"));
	assert_non_null(pm);
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00001");
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00001");
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 1);
	assert_int_equal(fake_event_count(p), events + 1);

	/* used up: the declining token declines again */
	assert_int_equal(attach_rc(p, &pm, "pm_card_chargeDeclined", "cus_fake_00001"), FAKE_ECARD);
	assert_null(pm);
}

static void test_pipeline_outcome_on_create_customer(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params params = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	/* create_customer checks the card of its payment_method like attach does */
	fake_script s = fake_script_outcome(FAKE_OUTCOME_REQUIRES_ACTION);
	assert_int_equal(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1), FAKE_EINVAL);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);

	s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1));
	params.payment_method = "pm_card_visa";
	check_fails(p, fake_customer_create(&c, p, &params, NULL), FAKE_ECARD, "card_declined", NULL);
	assert_null(c);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
	assert_int_equal(fake_event_count(p), 0);

	s = fake_script_outcome(FAKE_OUTCOME_SUCCEED);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1));
	params.payment_method = "pm_card_chargeDeclined";
	check_ok(p, fake_customer_create(&c, p, &params, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL));
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00001");
	assert_int_equal(fake_payment_method_card_behavior(pm), FAKE_CARD_DECLINES);
}

static void test_pipeline_outcome_rejected_for_non_card_ops(void **state)
{
	fake_processor *p = *state;
	static const fake_op ops[] = {
		FAKE_OP_RETRIEVE_CUSTOMER, FAKE_OP_UPDATE_CUSTOMER, FAKE_OP_LIST_CUSTOMERS,
		FAKE_OP_DETACH_PAYMENT_METHOD, FAKE_OP_LIST_EVENTS, FAKE_OP_RETRIEVE_EVENT,
	};

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		fake_script s = fake_script_outcome(FAKE_OUTCOME_SUCCEED);
		print_message("# op %s\n", fake_op_name(ops[i]));
		assert_int_equal(fake_script_push(p, ops[i], &s, 1), FAKE_EINVAL);
		s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
		assert_int_equal(fake_script_push(p, ops[i], &s, 1), FAKE_EINVAL);
		assert_int_equal(fake_script_pending(p, ops[i]), 0);
	}
	/* attach does take them */
	fake_script ok = fake_script_outcome(FAKE_OUTCOME_SUCCEED);
	check_ok(p, fake_script_push(p, FAKE_OP_ATTACH_PAYMENT_METHOD, &ok, 1));
	assert_int_equal(fake_script_pending(p, FAKE_OP_ATTACH_PAYMENT_METHOD), 1);
}

/* ---- stubs ----------------------------------------------------------------- */

typedef struct stub_log {
	int calls;
	fake_op op;
	char id[64];
	const void *params;
	const fake_request *request;
	const void *answer;
} stub_log;

static int stub_record(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	stub_log *log = user_data;
	(void)p;
	(void)error;
	log->calls++;
	log->op = call->op;
	snprintf(log->id, sizeof log->id, "%s", call->id ? call->id : "(null)");
	log->params = call->params;
	log->request = call->request;
	*(const void **)out = log->answer;
	return 0;
}

static int stub_fail(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)out;
	(void)p;
	(void)call;
	(void)user_data;
	snprintf(error->code, sizeof error->code, "%s", "stub_code");
	snprintf(error->message, sizeof error->message, "%s", "the stub said no");
	return FAKE_EAPI;
}

static void test_pipeline_stub_returns_object(void **state)
{
	fake_processor *p = *state;
	fake_request rq = FAKE_REQUEST_INIT;
	stub_log log;
	const fake_customer *r = NULL;

	memset(&log, 0, sizeof log);
	log.answer = cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_record, &log));

	check_ok(p, fake_customer_retrieve(&r, p, "cus_does_not_exist", &rq));
	assert_ptr_equal(r, log.answer);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.op, FAKE_OP_RETRIEVE_CUSTOMER);
	assert_string_equal(log.id, "cus_does_not_exist");
	assert_ptr_equal(log.request, &rq);
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_pipeline_stub_sees_params(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	stub_log log;
	const fake_customer *u = NULL;

	memset(&log, 0, sizeof log);
	log.answer = cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_UPDATE_CUSTOMER, stub_record, &log));
	up.email = "stubbed@example.com";
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));
	assert_ptr_equal(u, log.answer);
	assert_ptr_equal(log.params, &up);
	assert_string_equal(log.id, "cus_fake_00001");
	assert_null(log.request);
	/* the stub answered instead of the default: nothing changed */
	assert_null(fake_customer_email(u));
	assert_int_equal(fake_event_count(p), 1);
}

static void test_pipeline_stub_fails_with_error(void **state)
{
	fake_processor *p = *state;
	const fake_customer *r = SENTINEL;

	cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_fail, NULL));
	check_fails(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL), FAKE_EAPI, "stub_code", NULL);
	assert_null(r);
	assert_string_equal(fake_error_last(p)->message, "the stub said no");
	/* fields the stub left empty get the status's defaults */
	check_record(p, "api_error", 500);
	assert_int_equal(fake_error_last(p)->status, FAKE_EAPI);
}

static void test_pipeline_stub_stays_until_removed(void **state)
{
	fake_processor *p = *state;
	stub_log log;
	const fake_customer *r = NULL;

	memset(&log, 0, sizeof log);
	log.answer = cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_record, &log));
	for (int i = 0; i < 5; i++) {
		r = NULL;
		check_ok(p, fake_customer_retrieve(&r, p, "cus_nope", NULL));
		assert_ptr_equal(r, log.answer);
	}
	assert_int_equal(log.calls, 5);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 5);

	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, NULL, NULL));
	r = SENTINEL;
	check_fails(p, fake_customer_retrieve(&r, p, "cus_nope", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_null(r);
	assert_int_equal(log.calls, 5);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 6);
}

static void test_pipeline_stub_replaced_by_later_stub(void **state)
{
	fake_processor *p = *state;
	stub_log first, second;
	const fake_customer *r = NULL;

	memset(&first, 0, sizeof first);
	memset(&second, 0, sizeof second);
	first.answer = cust_new(p);
	second.answer = cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_record, &first));
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_record, &second));
	check_ok(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL));
	assert_ptr_equal(r, second.answer);
	assert_int_equal(first.calls, 0);
	assert_int_equal(second.calls, 1);
}

static void test_pipeline_stub_create_does_not_consume_id(void **state)
{
	fake_processor *p = *state;
	stub_log log;
	const fake_customer *c = NULL;

	memset(&log, 0, sizeof log);
	log.answer = cust_new(p); /* cus_fake_00001 */
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_CUSTOMER, stub_record, &log));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_ptr_equal(c, log.answer);
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(log.calls, 2);
	assert_null(strstr(log.id, "cus_")); /* create names no id */
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_CUSTOMER), 3);

	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_CUSTOMER, NULL, NULL));
	check_create_untouched(p, 1, 1, "cus_fake_00002");
}

static int stub_list_fill(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	fake_list *page = out;
	const fake_customer *c = NULL;
	(void)call;
	(void)error;
	(void)user_data;
	/* a stub may call back into the processor */
	if (fake_customer_retrieve(&c, p, "cus_fake_00002", NULL) != 0)
		return FAKE_EAPI;
	page->count = 1;
	page->has_more = true;
	page->data[0] = c;
	return 0;
}

static void test_pipeline_stub_list_fills_page(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_new(p);
	cust_new(p);
	cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_LIST_CUSTOMERS, stub_list_fill, NULL));
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 1);
	assert_true(page.has_more);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_00002");
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CUSTOMERS), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CUSTOMER), 1);
}

static void test_pipeline_stub_set_bad_op(void **state)
{
	fake_processor *p = *state;
	stub_log log;

	memset(&log, 0, sizeof log);
	assert_int_equal(fake_stub_set(p, FAKE_OP_COUNT, stub_record, &log), FAKE_EINVAL);
	assert_int_equal(fake_stub_set(NULL, FAKE_OP_CREATE_CUSTOMER, stub_record, &log), FAKE_EINVAL);
	/* nothing was installed */
	check_create_untouched(p, 0, 0, "cus_fake_00001");
	assert_int_equal(log.calls, 0);
}

/* A stub that answers with the object `*(const void **)user_data`, of any type. */
static int stub_answer_object(void *out, fake_processor *p, const fake_call *call, fake_error *error,
			      void *user_data)
{
	(void)p;
	(void)call;
	(void)error;
	*(const void **)out = *(const void **)user_data;
	return 0;
}

static void test_pipeline_stub_wrong_object_type(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;
	const void *answer = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;

	cust_new(p);
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	/* a payment method where a customer is due */
	answer = pm;
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_answer_object, &answer));
	c = SENTINEL;
	check_fails(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_EAPI, "", "");
	assert_null(c);
	check_record(p, "api_error", 500);
	assert_string_equal(fake_error_last(p)->message,
			    "The stub for retrieve_customer returned a payment_method, not a customer.");
	/* an event where a payment intent is due */
	const fake_event *e = NULL;
	check_ok(p, fake_event_retrieve(&e, p, "evt_fake_00001", NULL));
	answer = e;
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_PAYMENT_INTENT, stub_answer_object, &answer));
	const fake_payment_intent *pi = SENTINEL;
	check_fails(p, fake_payment_intent_create(&pi, p, NULL, NULL), FAKE_EAPI, NULL, NULL);
	assert_null(pi);
	/* the right type, or NULL, is accepted */
	answer = NULL;
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_CUSTOMER, stub_answer_object, &answer));
	c = SENTINEL;
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	assert_null(c);
	answer = fake_event_object(e); /* a customer snapshot is a customer */
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	/* nothing was created by any of it */
	check_create_untouched(p, 1, 1, "cus_fake_00002");
}

/* A list stub that claims `count` objects, all the same customer. */
static int stub_list_count(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	fake_list *page = out;
	const fake_customer *c = NULL;
	size_t count = *(const size_t *)user_data;
	(void)call;
	(void)error;
	if (fake_customer_retrieve(&c, p, "cus_fake_00001", NULL) != 0)
		return FAKE_EAPI;
	for (size_t i = 0; i < count && i < FAKE_LIST_LIMIT_MAX; i++)
		page->data[i] = c;
	page->count = count;
	page->has_more = true;
	return 0;
}

static void test_pipeline_stub_list_too_long(void **state)
{
	fake_processor *p = *state;
	fake_list page;
	size_t count = FAKE_LIST_LIMIT_MAX;

	cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_LIST_CUSTOMERS, stub_list_count, &count));
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, FAKE_LIST_LIMIT_MAX);

	count = FAKE_LIST_LIMIT_MAX + 1;
	page.count = 7;
	page.has_more = true;
	check_fails(p, fake_customer_list(&page, p, NULL, NULL), FAKE_EAPI, "", "");
	check_record(p, "api_error", 500);
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
	/* through an iterator too */
	fake_list_iter it;
	const void *o = SENTINEL;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, NULL, NULL);
	assert_int_equal(fake_list_iter_next(&o, &it), FAKE_EAPI);
	assert_null(o);
}

/* The message names the count the stub gave, not the emptied page's. */
static void test_pipeline_stub_list_too_long_message(void **state)
{
	fake_processor *p = *state;
	fake_list page;
	size_t count = FAKE_LIST_LIMIT_MAX + 1;

	cust_new(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_LIST_CUSTOMERS, stub_list_count, &count));
	assert_int_equal(fake_customer_list(&page, p, NULL, NULL), FAKE_EAPI);
	assert_string_equal(fake_error_last(p)->message,
			    "The stub for list_customers returned 101 objects, more than 100.");
}

/* ---- operation names ----------------------------------------------------- */

static void test_pipeline_op_names(void **state)
{
	(void)state;
	static const char *names[FAKE_OP_COUNT] = {
		"create_customer", "retrieve_customer", "update_customer", "delete_customer",
		"list_customers", "create_payment_method", "retrieve_payment_method",
		"update_payment_method", "attach_payment_method", "detach_payment_method",
		"list_payment_methods", "set_default_payment_method", "retrieve_event", "list_events",
		"create_product", "retrieve_product", "update_product", "list_products",
		"create_price", "retrieve_price", "update_price", "list_prices",
		"create_payment_intent", "retrieve_payment_intent", "confirm_payment_intent",
		"authenticate_payment_intent", "capture_payment_intent", "cancel_payment_intent",
		"list_payment_intents", "retrieve_charge", "list_charges", "retrieve_balance_transaction",
		"create_refund", "retrieve_refund", "list_refunds",
		"create_setup_intent", "retrieve_setup_intent", "confirm_setup_intent",
		"authenticate_setup_intent", "cancel_setup_intent", "list_setup_intents",
		"create_webhook_endpoint", "retrieve_webhook_endpoint", "update_webhook_endpoint",
		"delete_webhook_endpoint", "list_webhook_endpoints",
		"create_subscription", "retrieve_subscription", "update_subscription", "cancel_subscription", "resume_subscription", "list_subscriptions", "subscription_item_create", "subscription_item_retrieve", "subscription_item_update", "subscription_item_delete", "subscription_item_list", "create_usage_record", "create_invoice", "retrieve_invoice", "update_invoice", "finalize_invoice", "pay_invoice", "void_invoice", "mark_uncollectible_invoice", "send_invoice", "delete_invoice", "list_invoices", "create_invoice_preview", "create_invoice_item", "retrieve_invoice_item", "update_invoice_item", "delete_invoice_item", "list_invoice_items",
		"create_test_clock", "retrieve_test_clock", "list_test_clocks", "delete_test_clock", "advance_test_clock",
	};

	assert_string_equal(fake_op_name(FAKE_OP_CREATE_CUSTOMER), "create_customer");
	for (int i = 0; i < FAKE_OP_COUNT; i++) {
		fake_op back = FAKE_OP_COUNT;
		const char *name = fake_op_name((fake_op)i);
		assert_non_null(name);
		assert_non_null(names[i]); /* every op is listed above */
		assert_string_equal(name, names[i]);
		assert_int_equal(fake_op_from_name(&back, name), 0);
		assert_int_equal(back, i);
	}
	assert_null(fake_op_name(FAKE_OP_COUNT));
	assert_null(fake_op_name((fake_op)-1));
}

static void test_pipeline_op_from_name_errors(void **state)
{
	(void)state;
	fake_op op = FAKE_OP_LIST_EVENTS;

	assert_int_equal(fake_op_from_name(&op, "no_such_op"), FAKE_ENOTFOUND);
	assert_int_equal(fake_op_from_name(&op, "Create_Customer"), FAKE_ENOTFOUND);
	assert_int_equal(fake_op_from_name(&op, ""), FAKE_ENOTFOUND);
	assert_int_equal(fake_op_from_name(NULL, "create_customer"), FAKE_EINVAL);
	assert_int_equal(fake_op_from_name(&op, NULL), FAKE_EINVAL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pipeline_call_count_counts_every_call),
		T(test_pipeline_call_count_reset),
		T(test_pipeline_script_card_declined_once),
		T(test_pipeline_script_rate_limit),
		T(test_pipeline_script_api_error),
		T(test_pipeline_script_idempotency_error),
		T(test_pipeline_script_custom_error),
		T(test_pipeline_script_on_update_changes_nothing),
		T(test_pipeline_script_fifo),
		T(test_pipeline_script_times),
		T(test_pipeline_script_until_cleared),
		T(test_pipeline_script_is_per_operation),
		T(test_pipeline_script_beats_stub),
		T(test_pipeline_script_card_declined_codes),
		T(test_pipeline_script_card_declined_unknown_code),
		T(test_pipeline_script_helpers_shape),
		T(test_pipeline_script_push_rejects_bad_scripts),
		T(test_pipeline_outcome_decline_on_attach),
		T(test_pipeline_outcome_decline_with_code),
		T(test_pipeline_outcome_succeed_on_attach),
		T(test_pipeline_outcome_on_create_customer),
		T(test_pipeline_outcome_rejected_for_non_card_ops),
		T(test_pipeline_stub_returns_object),
		T(test_pipeline_stub_sees_params),
		T(test_pipeline_stub_fails_with_error),
		T(test_pipeline_stub_stays_until_removed),
		T(test_pipeline_stub_replaced_by_later_stub),
		T(test_pipeline_stub_create_does_not_consume_id),
		T(test_pipeline_stub_list_fills_page),
		T(test_pipeline_stub_set_bad_op),
		T(test_pipeline_stub_wrong_object_type),
		T(test_pipeline_stub_list_too_long),
		T(test_pipeline_stub_list_too_long_message),
		T(test_pipeline_op_names),
		T(test_pipeline_op_from_name_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
