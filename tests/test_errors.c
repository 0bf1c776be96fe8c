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
		const char *description = fake_strerror(s);
		assert_non_null(name);
		assert_non_null(description);
		if (strncmp(name, "FAKE_", 5) != 0 || strcmp(name, "FAKE_UNKNOWN") == 0) {
			print_error("status %d is named \"%s\"\n", s, name);
			fail();
		}
		if (description[0] == '\0' || strcmp(description, "unknown status") == 0) {
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
	assert_int_equal(FAKE_STATUS_MIN, FAKE_ECLOCKFAILED);
	assert_string_equal(fake_status_name(FAKE_ETIMEOUT), "FAKE_ETIMEOUT");
	assert_string_equal(fake_status_name(FAKE_ECLOCKFAILED), "FAKE_ECLOCKFAILED");
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
	const fake_error *failed = fake_error_last(p);
	assert_int_equal(failed->status, FAKE_ENOTFOUND);
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_int_equal(fake_error_last(p)->http_status, 0);
	/* the failed call's record is still intact during and after the next call */
	assert_int_equal(failed->status, FAKE_ENOTFOUND);
	assert_string_equal(failed->message, "No such customer: 'cus_fake_00042'");

	/* a failing list, then a successful retrieve */
	fake_list page;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 101;
	check_fails(p, fake_customer_list(&page, p, &lp, NULL), FAKE_EINVAL, NULL, NULL);
	assert_int_equal(fake_error_last(p)->http_status, 400);
	assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_int_equal(fake_error_last(p)->http_status, 0);
}

/* Ids and params passed straight from the last record survive the call
 * clearing the record (a charge and a payment intent named by a decline). */
static void test_errors_params_from_the_record(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params pp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	pp.amount = 2000;
	pp.currency = "usd";
	pp.payment_method = "pm_card_chargeDeclined";
	pp.confirm = true;
	const fake_payment_intent *pi = NULL;
	assert_int_equal(fake_payment_intent_create(&pi, p, &pp, NULL), FAKE_ECARD);
	fake_list page;
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.payment_intent = fake_error_last(p)->payment_intent;
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_charge_id(page.data[0]), "ch_fake_00001");
	assert_int_equal(fake_payment_intent_create(&pi, p, &pp, NULL), FAKE_ECARD);
	fake_refund_list_params rl = FAKE_REFUND_LIST_PARAMS_INIT;
	rl.charge = fake_error_last(p)->charge;
	check_ok(p, fake_refund_list(&page, p, &rl, NULL));
	assert_int_equal(page.count, 0);
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

/* ---- exact request ids ------------------------------------------------------------ */

static void check_request_id(fake_processor *p, const char *want)
{
	const char *got = fake_error_last(p)->request_id;
	if (strcmp(got, want) != 0) {
		print_error("request_id is %s, expected %s\n", got, want);
		fail();
	}
}

static void test_errors_request_ids_count_from_one(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	/* the record of a fresh processor has none yet */
	assert_string_equal(fake_error_last(p)->request_id, "");
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND);
	check_request_id(p, "req_fake_00001");
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_request_id(p, "req_fake_00002"); /* a success keeps its request id too */
	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_CUSTOMER, &s, 1));
	check_request_id(p, "req_fake_00002"); /* not an operation: no request id of its own */
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_EAPI);
	check_request_id(p, "req_fake_00003");
	check_ok(p, fake_clock_advance(p, 60));
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	check_request_id(p, "req_fake_00004");
	/* the event of the create carries the create's id */
	const fake_event *e = NULL;
	check_ok(p, fake_event_retrieve(&e, p, "evt_fake_00001", NULL));
	assert_string_equal(fake_event_request_id(e), "req_fake_00002");
	check_request_id(p, "req_fake_00005");
}

/* A stub that makes two nested calls and notes the request ids they got. */
typedef struct nested_stub {
	char seen[3][32]; /* the stubbed call's own, then each nested call's */
} nested_stub;

static int stub_two_nested_calls(void *out, fake_processor *p, const fake_call *call, fake_error *error,
				 void *user_data)
{
	nested_stub *n = user_data;
	const fake_customer *c = NULL, *missing = NULL;
	(void)error;
	snprintf(n->seen[0], sizeof n->seen[0], "%s", fake_error_last(p)->request_id);
	(void)fake_customer_retrieve(&c, p, call->id, NULL);
	snprintf(n->seen[1], sizeof n->seen[1], "%s", fake_error_last(p)->request_id);
	(void)fake_customer_retrieve(&missing, p, "cus_none", NULL);
	snprintf(n->seen[2], sizeof n->seen[2], "%s", fake_error_last(p)->request_id);
	*(const void **)out = c;
	return 0;
}

static void test_errors_request_ids_after_stub_with_nested_calls(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	nested_stub n;
	memset(&n, 0, sizeof n);
	check_ok(p, fake_customer_create(&c, p, NULL, NULL)); /* 00001 */
	check_ok(p, fake_stub_set(p, FAKE_OP_UPDATE_CUSTOMER, stub_two_nested_calls, &n));

	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", NULL, NULL)); /* 00002 */
	/* the record describes the stubbed call, with its own request id */
	check_request_id(p, "req_fake_00002");
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_string_equal(n.seen[0], "req_fake_00002");
	assert_string_equal(n.seen[1], "req_fake_00003");
	assert_string_equal(n.seen[2], "req_fake_00004");
	/* the next call comes after the nested ones: three past the stubbed call */
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND);
	check_request_id(p, "req_fake_00005");
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", NULL, NULL));
	check_request_id(p, "req_fake_00006");
	assert_string_equal(n.seen[1], "req_fake_00007");
	assert_string_equal(n.seen[2], "req_fake_00008");
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	check_request_id(p, "req_fake_00009");
}

/* A subscriber that makes one call (a create) from the first event it sees. */
typedef struct calling_subscriber {
	int events;
	char inner[32];
} calling_subscriber;

static void subscriber_makes_a_call(fake_processor *p, const fake_event *e, void *user_data)
{
	calling_subscriber *s = user_data;
	(void)e;
	if (s->events++ == 0) {
		const fake_customer *c = NULL;
		(void)fake_customer_create(&c, p, NULL, NULL);
		snprintf(s->inner, sizeof s->inner, "%s", fake_error_last(p)->request_id);
	}
}

static void test_errors_request_ids_after_subscriber_calls(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	calling_subscriber s;
	memset(&s, 0, sizeof s);
	check_ok(p, fake_event_subscribe(p, subscriber_makes_a_call, &s));

	check_ok(p, fake_customer_create(&c, p, NULL, NULL)); /* 00001; its subscriber's create is 00002 */
	check_request_id(p, "req_fake_00001");
	assert_string_equal(s.inner, "req_fake_00002");
	assert_int_equal(s.events, 2);
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00009", NULL), FAKE_ENOTFOUND);
	check_request_id(p, "req_fake_00003");

	const fake_event *e = NULL;
	check_ok(p, fake_event_retrieve(&e, p, "evt_fake_00001", NULL));
	assert_string_equal(fake_event_request_id(e), "req_fake_00001");
	check_ok(p, fake_event_retrieve(&e, p, "evt_fake_00002", NULL));
	assert_string_equal(fake_event_request_id(e), "req_fake_00002");
}

static void test_errors_request_id_rollover(void **state)
{
	(void)state;
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	fake_processor *p = NULL;
	const fake_customer *c = NULL;
	char want[32];
	o.id_width = 1;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	for (int i = 1; i <= 12; i++) {
		assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_1", NULL), FAKE_ENOTFOUND);
		snprintf(want, sizeof want, "req_fake_%d", i);
		check_request_id(p, want);
	}
	/* across a rollover inside a stub: 98 stubbed, 99 and 100 nested, 101 next */
	check_ok(p, fake_processor_reset(p));
	nested_stub n;
	memset(&n, 0, sizeof n);
	for (int i = 1; i <= 7; i++)
		assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_1", NULL), FAKE_ENOTFOUND);
	check_request_id(p, "req_fake_7");
	check_ok(p, fake_stub_set(p, FAKE_OP_UPDATE_CUSTOMER, stub_two_nested_calls, &n));
	check_ok(p, fake_customer_update(&c, p, "cus_fake_1", NULL, NULL));
	check_request_id(p, "req_fake_8");
	assert_string_equal(n.seen[1], "req_fake_9");
	assert_string_equal(n.seen[2], "req_fake_10");
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_1", NULL), FAKE_ENOTFOUND);
	check_request_id(p, "req_fake_11");
	fake_processor_free(p);

	/* the default width: req_fake_99999, then req_fake_100000 */
	assert_int_equal(fake_processor_new(&p, NULL), 0);
	for (int i = 1; i <= 99999; i++)
		(void)fake_customer_retrieve(&c, p, "cus_fake_00001", NULL);
	check_request_id(p, "req_fake_99999");
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND);
	check_request_id(p, "req_fake_100000");
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_request_id(p, "req_fake_100001");
	fake_processor_free(p);
}

/* ---- the payment fields of the record ------------------------------------------------ */

static void decline_a_payment(fake_processor *p)
{
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	const fake_payment_intent *pi = NULL;
	cp.amount = 2000;
	cp.currency = "usd";
	cp.payment_method = "pm_card_chargeDeclined";
	cp.confirm = true;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	assert_true(fake_error_last(p)->charge[0] != '\0');
	assert_true(fake_error_last(p)->payment_intent[0] != '\0');
}

static void check_no_payment_named(fake_processor *p)
{
	const fake_error *e = fake_error_last(p);
	assert_true(e->status < 0);
	assert_string_equal(e->charge, "");
	assert_string_equal(e->payment_intent, "");
	assert_string_equal(e->decline_code, "");
}

static int stub_fails_plainly(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)out;
	(void)p;
	(void)call;
	(void)error;
	(void)user_data;
	return FAKE_EAPI;
}

static void test_errors_payment_fields_cleared_by_later_failures(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;

	decline_a_payment(p);
	assert_string_equal(fake_error_last(p)->payment_intent, "pi_fake_00001");
	assert_string_equal(fake_error_last(p)->charge, "ch_fake_00001");
	/* a failing call that is not an operation */
	assert_int_equal(fake_event_subscribe(p, NULL, NULL), FAKE_EINVAL);
	check_no_payment_named(p);

	decline_a_payment(p);
	/* a failing lookup */
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND);
	check_no_payment_named(p);

	decline_a_payment(p);
	/* a failing clock move and script push */
	assert_int_equal(fake_clock_advance(p, -1), FAKE_EINVAL);
	check_no_payment_named(p);
	decline_a_payment(p);
	fake_script bad = fake_script_api_error();
	bad.version = 0;
	assert_int_equal(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &bad, 1), FAKE_EINVAL);
	check_no_payment_named(p);

	/* a scripted error and a failing stub */
	decline_a_payment(p);
	fake_script s = fake_script_rate_limit(3);
	check_ok(p, fake_script_push(p, FAKE_OP_RETRIEVE_CUSTOMER, &s, 1));
	decline_a_payment(p);
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00001", NULL), FAKE_ERATELIMIT);
	check_no_payment_named(p);
	check_ok(p, fake_stub_set(p, FAKE_OP_LIST_CUSTOMERS, stub_fails_plainly, NULL));
	decline_a_payment(p);
	fake_list page;
	assert_int_equal(fake_customer_list(&page, p, NULL, NULL), FAKE_EAPI);
	check_no_payment_named(p);

	/* a success clears them too */
	decline_a_payment(p);
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_string_equal(fake_error_last(p)->charge, "");
	assert_string_equal(fake_error_last(p)->payment_intent, "");
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
		T(test_errors_params_from_the_record),
		T(test_errors_request_ids_differ_between_calls),
		T(test_errors_request_ids_are_deterministic),
		T(test_errors_card_declined_scripts),
		T(test_errors_card_declined_unknown_code_is_generic),
		T(test_errors_rate_limit_script),
		T(test_errors_api_error_script),
		T(test_errors_idempotency_error_script),
		T(test_errors_custom_error_script_gets_status_defaults),
		T(test_errors_bad_script_is_rejected),
		T(test_errors_request_ids_count_from_one),
		T(test_errors_request_ids_after_stub_with_nested_calls),
		T(test_errors_request_ids_after_subscriber_calls),
		cmocka_unit_test(test_errors_request_id_rollover),
		T(test_errors_payment_fields_cleared_by_later_failures),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
