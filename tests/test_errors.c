/*
 * Status codes and the Stripe-shaped error record (fake/common.h), and the
 * ready-made error scripts (fake/control.h) seen through real calls.
 */
#include "helpers.h"

#include <inttypes.h>

/* ---- status names ------------------------------------------------------------- */

static void test_errors_every_status_has_a_name_and_text(void **state)
{
	(void)state;
	const char *names[16];
	int n = 0;
	assert_true(FAKE_STATUS_MIN < 0);
	for (int s = FAKE_STATUS_MIN; s <= FAKE_ITEROVER; s++) {
		const char *name = fake_status_name(s);
		const char *text = fake_strerror(s);
		assert_non_null(name);
		assert_non_null(text);
		if (strncmp(name, "FAKE_", 5) != 0 || strcmp(name, "FAKE_UNKNOWN") == 0) {
			print_error("status %d is named \"%s\"\n", s, name);
			fail();
		}
		if (text[0] == '\0' || strcmp(text, "unknown status") == 0) {
			print_error("status %d (%s) has no description\n", s, name);
			fail();
		}
		for (int i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0) {
				print_error("statuses share the name %s\n", name);
				fail();
			}
		names[n++] = name;
	}
	assert_int_equal(n, 1 - FAKE_STATUS_MIN + 1);
	assert_string_equal(fake_status_name(0), "FAKE_OK");
	assert_string_equal(fake_status_name(FAKE_EINVAL), "FAKE_EINVAL");
	assert_string_equal(fake_status_name(FAKE_ENOTFOUND), "FAKE_ENOTFOUND");
	assert_string_equal(fake_status_name(FAKE_ENOMEM), "FAKE_ENOMEM");
	assert_string_equal(fake_status_name(FAKE_ITEROVER), "FAKE_ITEROVER");
	assert_int_equal(FAKE_STATUS_MIN, FAKE_ENOMEM);
}

static void test_errors_unknown_status_is_named_unknown(void **state)
{
	(void)state;
	const int unknown[] = { FAKE_STATUS_MIN - 1, FAKE_ITEROVER + 1, 2, 100, -100, INT32_MIN, INT32_MAX };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_string_equal(fake_status_name(unknown[i]), "FAKE_UNKNOWN");
		assert_string_equal(fake_strerror(unknown[i]), "unknown status");
	}
}

static void test_errors_last_of_null_is_null(void **state)
{
	(void)state;
	assert_null(fake_error_last(NULL));
}

static void test_errors_fresh_processor_has_clear_record(void **state)
{
	fake_processor *p = *state;
	const fake_error *e = fake_error_last(p);
	assert_non_null(e);
	assert_int_equal(e->status, 0);
	assert_int_equal(e->http_status, 0);
	assert_string_equal(e->type, "");
	assert_string_equal(e->code, "");
	assert_string_equal(e->message, "");
}

/* ---- the record after a failed call ---------------------------------------------- */

static void test_errors_resource_missing_record(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = (const fake_customer *)state; /* not NULL: must be cleared */
	int rc = fake_customer_retrieve(&c, p, "cus_fake_00042", NULL);
	assert_int_equal(rc, FAKE_ENOTFOUND);
	assert_null(c);
	const fake_error *e = fake_error_last(p);
	assert_int_equal(e->status, FAKE_ENOTFOUND);
	assert_int_equal(e->http_status, 404);
	assert_string_equal(e->type, "invalid_request_error");
	assert_string_equal(e->code, "resource_missing");
	assert_string_equal(e->param, "id");
	assert_string_equal(e->message, "No such customer: 'cus_fake_00042'");
	assert_string_equal(e->decline_code, "");
	assert_int_equal(e->retry_after, 0);
	assert_int_equal(strncmp(e->request_id, "req_fake_", 9), 0);
	assert_true(strlen(e->request_id) > 9);
}

static void test_errors_record_clears_after_success(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND);
	assert_int_equal(fake_error_last(p)->status, FAKE_ENOTFOUND);
	/* the same pointer, with new contents */
	const fake_error *e = fake_error_last(p);
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_ptr_equal(fake_error_last(p), e);
	assert_int_equal(e->status, 0);
	assert_int_equal(e->http_status, 0);

	/* a failing list, then a successful retrieve */
	fake_list page;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 101;
	check_fails(p, fake_customer_list(&page, p, &lp, NULL), FAKE_EINVAL, NULL, NULL);
	assert_int_equal(e->http_status, 400);
	assert_string_equal(e->type, "invalid_request_error");
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	assert_int_equal(e->status, 0);
	assert_int_equal(e->http_status, 0);
}

static void test_errors_request_ids_differ_between_calls(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	char first[sizeof(((fake_error *)0)->request_id)];
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND);
	snprintf(first, sizeof(first), "%s", fake_error_last(p)->request_id);
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND);
	const char *second = fake_error_last(p)->request_id;
	assert_int_equal(strncmp(first, "req_fake_", 9), 0);
	assert_int_equal(strncmp(second, "req_fake_", 9), 0);
	assert_string_not_equal(first, second);

	/* a successful call in between uses a request id too */
	snprintf(first, sizeof(first), "%s", second);
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00009", NULL), FAKE_ENOTFOUND);
	assert_string_not_equal(first, fake_error_last(p)->request_id);
}

/* The request ids of a fixed sequence of failing and succeeding calls. */
static void request_id_run(fake_processor *p, char ids[6][32])
{
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;
	int n = 0;
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND);
	snprintf(ids[n++], 32, "%s", fake_error_last(p)->request_id);
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL), FAKE_ENOTFOUND);
	snprintf(ids[n++], 32, "%s", fake_error_last(p)->request_id);
	check_ok(p, fake_clock_advance(p, 10));
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	assert_int_equal(fake_payment_method_create(&pm, p, &pp, NULL), FAKE_EINVAL);
	snprintf(ids[n++], 32, "%s", fake_error_last(p)->request_id);
	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_LIST_EVENTS, &s, 1));
	fake_list page;
	assert_int_equal(fake_event_list(&page, p, NULL, NULL), FAKE_EAPI);
	snprintf(ids[n++], 32, "%s", fake_error_last(p)->request_id);
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(fake_customer_delete(&c, p, "cus_fake_00002", NULL), FAKE_ENOTFOUND);
	snprintf(ids[n++], 32, "%s", fake_error_last(p)->request_id);
	const fake_event *e = NULL;
	check_ok(p, fake_event_retrieve(&e, p, "evt_fake_00001", NULL));
	snprintf(ids[n++], 32, "%s", fake_event_request_id(e) ? fake_event_request_id(e) : "(null)");
}

static void test_errors_request_ids_are_deterministic(void **state)
{
	fake_processor *p = *state;
	fake_processor *q = NULL;
	assert_int_equal(fake_processor_new(&q, NULL), 0);
	char a[6][32], b[6][32];
	request_id_run(p, a);
	request_id_run(q, b);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(strncmp(a[i], "req_fake_", 9), 0);
		assert_string_equal(a[i], b[i]);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(a[i], a[j]);
	}
	/* and again after a reset */
	check_ok(p, fake_processor_reset(p));
	request_id_run(p, b);
	for (int i = 0; i < 6; i++)
		assert_string_equal(a[i], b[i]);
	fake_processor_free(q);
}

/* ---- ready-made scripts through a real call ------------------------------------- */

/* Pushes s on create_customer, calls create, and checks the record equals
 * the script's, and that nothing was created. */
static void check_script_record(fake_processor *p, const fake_script *s)
{
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, s, 1));
	size_t events = fake_event_count(p);
	const fake_customer *c = (const fake_customer *)p; /* not NULL: must be cleared */
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "scripted@example.com";
	int rc = fake_customer_create(&c, p, &cp, NULL);
	assert_int_equal(rc, s->error.status);
	assert_null(c);
	const fake_error *e = fake_error_last(p);
	assert_int_equal(e->status, s->error.status);
	assert_int_equal(e->http_status, s->error.http_status);
	assert_int_equal(e->retry_after, s->error.retry_after);
	assert_string_equal(e->type, s->error.type);
	assert_string_equal(e->code, s->error.code);
	assert_string_equal(e->decline_code, s->error.decline_code);
	assert_string_equal(e->param, s->error.param);
	assert_string_equal(e->message, s->error.message);
	assert_true(e->message[0] != '\0');
	assert_int_equal(strncmp(e->request_id, "req_fake_", 9), 0);
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.email = "scripted@example.com";
	fake_list page;
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);
}

static void test_errors_card_declined_scripts(void **state)
{
	fake_processor *p = *state;
	static const struct {
		const char *decline_code;
		const char *code;
		const char *message;
	} cases[] = {
		{ "generic_decline", "card_declined", "Your card was declined." },
		{ "insufficient_funds", "card_declined", "Your card has insufficient funds." },
		{ "lost_card", "card_declined", "Your card was declined." },
		{ "stolen_card", "card_declined", "Your card was declined." },
		{ "expired_card", "expired_card", "Your card has expired." },
		{ "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect." },
		{ "processing_error", "processing_error",
		  "An error occurred while processing your card. Try again in a little bit." },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_script s = fake_script_card_declined(cases[i].decline_code);
		assert_int_equal(s.version, FAKE_SCRIPT_VERSION);
		assert_int_equal(s.outcome, FAKE_OUTCOME_ERROR);
		assert_int_equal(s.error.status, FAKE_ECARD);
		assert_int_equal(s.error.http_status, 402);
		assert_string_equal(s.error.type, "card_error");
		assert_string_equal(s.error.decline_code, cases[i].decline_code);
		assert_string_equal(s.error.code, cases[i].code);
		if (strcmp(s.error.message, cases[i].message) != 0) {
			print_error("%s: message \"%s\", Stripe's is \"%s\"\n", cases[i].decline_code, s.error.message,
				    cases[i].message);
			fail();
		}
		check_script_record(p, &s);
	}
}

static void test_errors_card_declined_unknown_code_is_generic(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_card_declined("no_such_decline_code");
	assert_string_equal(s.error.decline_code, "generic_decline");
	assert_string_equal(s.error.code, "card_declined");
	check_script_record(p, &s);
	fake_script n = fake_script_card_declined(NULL);
	assert_string_equal(n.error.decline_code, "generic_decline");
	check_script_record(p, &n);
}

static void test_errors_rate_limit_script(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_rate_limit(30);
	assert_int_equal(s.error.status, FAKE_ERATELIMIT);
	assert_int_equal(s.error.http_status, 429);
	assert_string_equal(s.error.type, "rate_limit_error");
	assert_string_equal(s.error.code, "rate_limit");
	assert_int_equal(s.error.retry_after, 30);
	check_script_record(p, &s);
}

static void test_errors_api_error_script(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_api_error();
	assert_int_equal(s.error.status, FAKE_EAPI);
	assert_int_equal(s.error.http_status, 500);
	assert_string_equal(s.error.type, "api_error");
	check_script_record(p, &s);
}

static void test_errors_idempotency_error_script(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_idempotency_error();
	assert_int_equal(s.error.status, FAKE_EIDEMPOTENCY);
	assert_int_equal(s.error.http_status, 400);
	assert_string_equal(s.error.type, "idempotency_error");
	check_script_record(p, &s);
}

static void test_errors_custom_error_script_gets_status_defaults(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_error(FAKE_ELIMIT, "limit_reached", "metadata[plan]", "Too many plans.");
	assert_int_equal(s.error.status, FAKE_ELIMIT);
	assert_int_equal(s.error.http_status, 400);
	assert_string_equal(s.error.type, "invalid_request_error");
	assert_string_equal(s.error.code, "limit_reached");
	assert_string_equal(s.error.param, "metadata[plan]");
	assert_string_equal(s.error.message, "Too many plans.");
	check_script_record(p, &s);

	fake_script nf = fake_script_error(FAKE_ENOTFOUND, NULL, NULL, NULL);
	assert_int_equal(nf.error.http_status, 404);
	assert_string_equal(nf.error.type, "invalid_request_error");
	check_script_record(p, &nf);
}

static void test_errors_bad_script_is_rejected(void **state)
{
	fake_processor *p = *state;
	/* an error script must carry a negative FAKE_E* status */
	const int not_errors[] = { 0, FAKE_ITEROVER, FAKE_STATUS_MIN - 1, -100 };
	for (size_t i = 0; i < sizeof(not_errors) / sizeof(not_errors[0]); i++) {
		fake_script s = fake_script_api_error();
		s.error.status = not_errors[i];
		check_fails(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1), FAKE_EINVAL, NULL, NULL);
	}
	fake_script unknown_op = fake_script_api_error();
	check_fails(p, fake_script_push(p, FAKE_OP_COUNT, &unknown_op, 1), FAKE_EINVAL, NULL, NULL);
	fake_script bad_version = fake_script_api_error();
	bad_version.version = 0;
	check_fails(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &bad_version, 1), FAKE_EINVAL, NULL, NULL);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_CUSTOMER), 0);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_new, fixture_free)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_every_status_has_a_name_and_text),
		cmocka_unit_test(test_errors_unknown_status_is_named_unknown),
		cmocka_unit_test(test_errors_last_of_null_is_null),
		T(test_errors_fresh_processor_has_clear_record),
		T(test_errors_resource_missing_record),
		T(test_errors_record_clears_after_success),
		T(test_errors_request_ids_differ_between_calls),
		T(test_errors_request_ids_are_deterministic),
		T(test_errors_card_declined_scripts),
		T(test_errors_card_declined_unknown_code_is_generic),
		T(test_errors_rate_limit_script),
		T(test_errors_api_error_script),
		T(test_errors_idempotency_error_script),
		T(test_errors_custom_error_script_gets_status_defaults),
		T(test_errors_bad_script_is_rejected),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
