/*
 * Payment methods: test cards, create, retrieve, update, attach, detach, list.
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

static const fake_payment_method *pm_new(fake_processor *p, const char *number)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = NULL;
	pp.card_number = number;
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_non_null(pm);
	return pm;
}

static const fake_payment_method *pm_attach(fake_processor *p, const char *pm_id, const char *cus_id)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *pm = NULL;
	ap.customer = cus_id;
	check_ok(p, fake_payment_method_attach(&pm, p, pm_id, &ap, NULL));
	assert_non_null(pm);
	return pm;
}

static int pm_attach_rc(fake_processor *p, const fake_payment_method **out, const char *pm_id, const char *cus_id)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = cus_id;
	return fake_payment_method_attach(out, p, pm_id, &ap, NULL);
}

/* Payment methods attached to a customer (at most 100). */
static size_t pm_listed(fake_processor *p, const char *cus_id)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	fake_list page;
	lp.customer = cus_id;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	return page.count;
}

static const fake_event *event_nth(fake_processor *p, size_t n)
{
	char id[32];
	const fake_event *e = NULL;
	snprintf(id, sizeof id, "evt_fake_%05zu", n);
	check_ok(p, fake_event_retrieve(&e, p, id, NULL));
	assert_non_null(e);
	return e;
}

static void check_record(fake_processor *p, const char *type, int http)
{
	const fake_error *e = fake_error_last(p);
	assert_non_null(e);
	assert_string_equal(e->type, type);
	assert_int_equal(e->http_status, http);
}

static void check_next_pm_id(fake_processor *p, const char *want)
{
	assert_string_equal(fake_payment_method_id(pm_new(p, "4242424242424242")), want);
}

/* ---- create ------------------------------------------------------------ */

static void test_payment_method_create_visa(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm = pm_new(p, "4242424242424242");

	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00001");
	assert_string_equal(fake_payment_method_type(pm), "card");
	assert_string_equal(fake_payment_method_card_brand(pm), "visa");
	assert_string_equal(fake_payment_method_card_last4(pm), "4242");
	assert_string_equal(fake_payment_method_card_funding(pm), "credit");
	assert_int_equal(strlen(fake_payment_method_card_fingerprint(pm)), 16);
	assert_null(fake_payment_method_customer(pm));
	assert_int_equal(fake_payment_method_created(pm), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_payment_method_card_behavior(pm), FAKE_CARD_SUCCEEDS);
	assert_null(fake_payment_method_card_decline_code(pm));
	assert_int_equal(fake_object_type_of(pm), FAKE_OBJECT_PAYMENT_METHOD);
	assert_string_equal(fake_object_name(pm), "payment_method");
	assert_string_equal(fake_object_id(pm), "pm_fake_00001");
	/* Stripe sends no event for an unattached payment method */
	assert_int_equal(fake_event_count(p), 0);

	assert_string_equal(fake_payment_method_id(pm_new(p, "4242424242424242")), "pm_fake_00002");
}

static void test_payment_method_create_default_expiry(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm = pm_new(p, "4242424242424242");

	/* 0 month: 12; 0 year: three years after the clock's year (2026) */
	assert_int_equal(fake_payment_method_card_exp_month(pm), 12);
	assert_int_equal(fake_payment_method_card_exp_year(pm), 2029);

	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	pp.exp_month = 6;
	pp.exp_year = 2030;
	pp.cvc = "123";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_int_equal(fake_payment_method_card_exp_month(pm), 6);
	assert_int_equal(fake_payment_method_card_exp_year(pm), 2030);

	/* the current year is not the past */
	pp.exp_month = 12;
	pp.exp_year = 2026;
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_int_equal(fake_payment_method_card_exp_year(pm), 2026);
}

static void test_payment_method_create_fingerprint(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *a = pm_new(p, "4242424242424242");
	const fake_payment_method *b = pm_new(p, "4242424242424242");
	const fake_payment_method *c = pm_new(p, "5555555555554444");

	assert_ptr_not_equal(a, b);
	assert_string_equal(fake_payment_method_card_fingerprint(a), fake_payment_method_card_fingerprint(b));
	assert_int_equal(strlen(fake_payment_method_card_fingerprint(c)), 16);
	assert_string_not_equal(fake_payment_method_card_fingerprint(a), fake_payment_method_card_fingerprint(c));
}

static void test_payment_method_create_from_token(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = NULL;

	pp.card_token = "tok_visa";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00001");
	assert_string_equal(fake_payment_method_card_brand(pm), "visa");
	assert_string_equal(fake_payment_method_card_last4(pm), "4242");
	assert_int_equal(fake_payment_method_card_behavior(pm), FAKE_CARD_SUCCEEDS);
	/* tok_visa is the 4242 card: same fingerprint */
	const fake_payment_method *n = pm_new(p, "4242424242424242");
	assert_string_equal(fake_payment_method_card_fingerprint(pm), fake_payment_method_card_fingerprint(n));
}

static void test_payment_method_create_mastercard(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm = pm_new(p, "5555555555554444");

	assert_string_equal(fake_payment_method_card_brand(pm), "mastercard");
	assert_string_equal(fake_payment_method_card_last4(pm), "4444");
	assert_int_equal(fake_payment_method_card_behavior(pm), FAKE_CARD_SUCCEEDS);
}

static void test_payment_method_create_card_behaviors(void **state)
{
	fake_processor *p = *state;
	static const struct {
		const char *number;
		fake_card_behavior behavior;
		const char *decline_code;
	} cards[] = {
		{ "4242424242424242", FAKE_CARD_SUCCEEDS, NULL },
		{ "4000000000000002", FAKE_CARD_DECLINES, "generic_decline" },
		{ "4000000000009995", FAKE_CARD_DECLINES, "insufficient_funds" },
		{ "4000000000000341", FAKE_CARD_DECLINES_AFTER_ATTACH, NULL },
		{ "4000002760003184", FAKE_CARD_REQUIRES_ACTION, NULL },
		{ "4000002500003155", FAKE_CARD_REQUIRES_ACTION_ON_SESSION, NULL },
	};

	for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
		const fake_payment_method *pm = pm_new(p, cards[i].number);
		print_message("# card %s\n", cards[i].number);
		assert_int_equal(fake_payment_method_card_behavior(pm), cards[i].behavior);
		assert_string_equal(fake_payment_method_card_last4(pm), cards[i].number + 12);
		assert_string_equal(fake_payment_method_card_brand(pm), "visa");
		if (cards[i].decline_code)
			assert_string_equal(fake_payment_method_card_decline_code(pm), cards[i].decline_code);
		else if (cards[i].behavior == FAKE_CARD_SUCCEEDS)
			assert_null(fake_payment_method_card_decline_code(pm));
	}
}

static void test_payment_method_create_bad_luhn(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = SENTINEL;

	pp.card_number = "4242424242424241";
	check_fails(p, fake_payment_method_create(&pm, p, &pp, NULL), FAKE_EINVAL, NULL, "card[number]");
	check_record(p, "invalid_request_error", 400);
	assert_null(pm);
	check_next_pm_id(p, "pm_fake_00001");
}

static void test_payment_method_create_bad_expiry(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = SENTINEL;

	pp.card_number = "4242424242424242";
	pp.exp_month = 13;
	check_fails(p, fake_payment_method_create(&pm, p, &pp, NULL), FAKE_EINVAL, NULL, "card[exp_month]");
	check_record(p, "invalid_request_error", 400);
	assert_null(pm);

	pm = SENTINEL;
	pp.exp_month = 1;
	pp.exp_year = 2025; /* the clock is in 2026 */
	check_fails(p, fake_payment_method_create(&pm, p, &pp, NULL), FAKE_EINVAL, NULL, "card[exp_year]");
	check_record(p, "invalid_request_error", 400);
	assert_null(pm);
	check_next_pm_id(p, "pm_fake_00001");
}

static void test_payment_method_create_stores_billing_and_metadata(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "source", "signup" } };
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = NULL;

	pp.card_number = "4242424242424242";
	pp.billing_name = "Jenny Rosen";
	pp.billing_email = "jenny@example.com";
	pp.billing_phone = "+15555550100";
	pp.metadata = md;
	pp.metadata_count = 1;
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_string_equal(fake_payment_method_billing_name(pm), "Jenny Rosen");
	assert_string_equal(fake_payment_method_billing_email(pm), "jenny@example.com");
	assert_string_equal(fake_payment_method_billing_phone(pm), "+15555550100");
	assert_string_equal(fake_metadata_get(fake_payment_method_metadata(pm), "source"), "signup");

	const fake_payment_method *plain = pm_new(p, "4242424242424242");
	assert_null(fake_payment_method_billing_name(plain));
	assert_int_equal(fake_metadata_count(fake_payment_method_metadata(plain)), 0);
}

/* ---- retrieve / update -------------------------------------------------- */

static void test_payment_method_retrieve(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	const fake_payment_method *r = SENTINEL;

	check_ok(p, fake_payment_method_retrieve(&r, p, "pm_fake_00001", NULL));
	assert_ptr_equal(r, pm);

	r = SENTINEL;
	check_fails(p, fake_payment_method_retrieve(&r, p, "pm_x", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such PaymentMethod: 'pm_x'");
	assert_null(r);
}

static void test_payment_method_update(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "nickname", "work card" } };
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	const fake_payment_method *u = NULL;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;

	/* Stripe updates only payment methods saved to a customer */
	up.billing_name = "New Name";
	check_fails(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL), FAKE_EINVAL, "", "id");
	assert_null(u);
	assert_null(fake_payment_method_billing_name(pm));
	cust_new(p);
	ap.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_attach(&u, p, "pm_fake_00001", &ap, NULL));
	size_t before = fake_event_count(p);

	up.exp_month = 3;
	up.exp_year = 2031;
	up.metadata = md;
	up.metadata_count = 1;
	check_ok(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL));
	assert_ptr_equal(u, pm);
	assert_string_equal(fake_payment_method_billing_name(u), "New Name");
	assert_int_equal(fake_payment_method_card_exp_month(u), 3);
	assert_int_equal(fake_payment_method_card_exp_year(u), 2031);
	assert_string_equal(fake_metadata_get(fake_payment_method_metadata(u), "nickname"), "work card");
	assert_string_equal(fake_payment_method_card_last4(u), "4242");

	assert_int_equal(fake_event_count(p), before + 1);
	const fake_event *e = event_nth(p, before + 1);
	assert_string_equal(fake_event_type(e), "payment_method.updated");
	assert_true(fake_event_previous_attribute_count(e) > 0);
	assert_int_equal(fake_payment_method_card_exp_month(fake_event_previous(e)), 12);
	assert_null(fake_payment_method_billing_name(fake_event_previous(e)));

	/* "" clears */
	fake_payment_method_update_params clr = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	clr.billing_name = "";
	check_ok(p, fake_payment_method_update(&u, p, "pm_fake_00001", &clr, NULL));
	assert_null(fake_payment_method_billing_name(u));
}

static void test_payment_method_update_bad_expiry(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	const fake_payment_method *u = SENTINEL;

	up.exp_month = 13;
	up.billing_name = "Not Applied";
	check_fails(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL), FAKE_EINVAL, NULL,
		    "card[exp_month]");
	check_record(p, "invalid_request_error", 400);
	assert_null(u);
	assert_int_equal(fake_payment_method_card_exp_month(pm), 12);
	assert_null(fake_payment_method_billing_name(pm));
	assert_int_equal(fake_event_count(p), 0);
}

/* ---- attach ------------------------------------------------------------ */

static void test_payment_method_attach_created(void **state)
{
	fake_processor *p = *state;
	cust_new(p);
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	size_t events = fake_event_count(p);

	const fake_payment_method *a = pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	assert_ptr_equal(a, pm);
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00001");
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 1);

	assert_int_equal(fake_event_count(p), events + 1);
	const fake_event *e = event_nth(p, events + 1);
	assert_string_equal(fake_event_type(e), "payment_method.attached");
	assert_int_equal(fake_object_type_of(fake_event_object(e)), FAKE_OBJECT_PAYMENT_METHOD);
	assert_string_equal(fake_payment_method_id(fake_event_object(e)), "pm_fake_00001");
	assert_string_equal(fake_payment_method_customer(fake_event_object(e)), "cus_fake_00001");
}

static void test_payment_method_attach_test_token(void **state)
{
	fake_processor *p = *state;
	cust_new(p);

	const fake_payment_method *pm = pm_attach(p, "pm_card_visa", "cus_fake_00001");
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00001");
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00001");
	assert_string_equal(fake_payment_method_card_brand(pm), "visa");
	assert_string_equal(fake_payment_method_card_last4(pm), "4242");

	/* each use of the token makes a new payment method */
	const fake_payment_method *pm2 = pm_attach(p, "pm_card_visa", "cus_fake_00001");
	assert_string_equal(fake_payment_method_id(pm2), "pm_fake_00002");

	const fake_payment_method *mc = pm_attach(p, "pm_card_mastercard", "cus_fake_00001");
	assert_string_equal(fake_payment_method_id(mc), "pm_fake_00003");
	assert_string_equal(fake_payment_method_card_brand(mc), "mastercard");
	assert_string_equal(fake_payment_method_card_last4(mc), "4444");
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 3);
}

static void test_payment_method_attach_behavior_tokens(void **state)
{
	fake_processor *p = *state;
	cust_new(p);

	const fake_payment_method *fail = pm_attach(p, "pm_card_chargeCustomerFail", "cus_fake_00001");
	assert_string_equal(fake_payment_method_customer(fail), "cus_fake_00001");
	assert_int_equal(fake_payment_method_card_behavior(fail), FAKE_CARD_DECLINES_AFTER_ATTACH);
	assert_string_equal(fake_payment_method_card_last4(fail), "0341");

	const fake_payment_method *auth = pm_attach(p, "pm_card_authenticationRequired", "cus_fake_00001");
	assert_string_equal(fake_payment_method_customer(auth), "cus_fake_00001");
	assert_int_equal(fake_payment_method_card_behavior(auth), FAKE_CARD_REQUIRES_ACTION);
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 2);
}

static void test_payment_method_attach_declined_token(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm = SENTINEL;

	cust_new(p);
	size_t events = fake_event_count(p);
	check_fails(p, pm_attach_rc(p, &pm, "pm_card_chargeDeclined", "cus_fake_00001"), FAKE_ECARD, "card_declined",
		    NULL);
	check_record(p, "card_error", 402);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
	assert_null(pm);

	pm = SENTINEL;
	check_fails(p, pm_attach_rc(p, &pm, "pm_card_chargeDeclinedInsufficientFunds", "cus_fake_00001"), FAKE_ECARD,
		    "card_declined", NULL);
	assert_string_equal(fake_error_last(p)->decline_code, "insufficient_funds");
	assert_null(pm);

	assert_int_equal(pm_listed(p, "cus_fake_00001"), 0);
	assert_int_equal(fake_event_count(p), events);
	check_next_pm_id(p, "pm_fake_00001");
}

static void test_payment_method_attach_declined_card(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = SENTINEL;

	cust_new(p);
	const fake_payment_method *pm = pm_new(p, "4000000000000002");
	size_t events = fake_event_count(p);
	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00001", "cus_fake_00001"), FAKE_ECARD, "card_declined", NULL);
	check_record(p, "card_error", 402);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
	assert_null(out);
	assert_null(fake_payment_method_customer(pm));
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 0);
	assert_int_equal(fake_event_count(p), events);
}

static void test_payment_method_attach_again_same_customer(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = NULL;

	cust_new(p);
	pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	size_t events = fake_event_count(p);

	check_ok(p, pm_attach_rc(p, &out, "pm_fake_00001", "cus_fake_00001"));
	assert_non_null(out);
	assert_string_equal(fake_payment_method_customer(out), "cus_fake_00001");
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 1);
}

static void test_payment_method_attach_to_other_customer(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = SENTINEL;

	cust_new(p);
	cust_new(p);
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	size_t events = fake_event_count(p);

	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00001", "cus_fake_00002"), FAKE_EINVAL, NULL, NULL);
	check_record(p, "invalid_request_error", 400);
	assert_string_equal(fake_error_last(p)->message,
			    "The payment method you provided has already been attached to a customer.");
	assert_null(out);
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00001");
	assert_int_equal(pm_listed(p, "cus_fake_00002"), 0);
	assert_int_equal(fake_event_count(p), events);
}

static void test_payment_method_attach_unknown_customer(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = SENTINEL;

	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00001", "cus_nope"), FAKE_ENOTFOUND, "resource_missing",
		    "customer");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such customer: 'cus_nope'");
	assert_null(out);
	assert_null(fake_payment_method_customer(pm));

	/* a token with an unknown customer creates nothing */
	out = SENTINEL;
	check_fails(p, pm_attach_rc(p, &out, "pm_card_visa", "cus_nope"), FAKE_ENOTFOUND, "resource_missing",
		    "customer");
	assert_null(out);
	check_next_pm_id(p, "pm_fake_00002");
}

static void test_payment_method_attach_deleted_customer(void **state)
{
	fake_processor *p = *state;
	const fake_customer *d = NULL;
	const fake_payment_method *out = SENTINEL;

	cust_new(p);
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));
	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00001", "cus_fake_00001"), FAKE_ENOTFOUND, "resource_missing",
		    NULL);
	assert_null(out);
	assert_null(fake_payment_method_customer(pm));
}

static void test_payment_method_attach_unknown_payment_method(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = SENTINEL;

	cust_new(p);
	check_fails(p, pm_attach_rc(p, &out, "pm_x", "cus_fake_00001"), FAKE_ENOTFOUND, "resource_missing", NULL);
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such PaymentMethod: 'pm_x'");
	assert_null(out);
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 0);
}

static void test_payment_method_attach_missing_customer(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = SENTINEL;

	pm_new(p, "4242424242424242");
	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00001", NULL), FAKE_EINVAL, "parameter_missing", "customer");
	check_record(p, "invalid_request_error", 400);
	assert_null(out);
	assert_int_equal(fake_event_count(p), 0);
}

/* ---- detach ------------------------------------------------------------ */

static void test_payment_method_detach(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = NULL;

	cust_new(p);
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	size_t events = fake_event_count(p);

	check_ok(p, fake_payment_method_detach(&out, p, "pm_fake_00001", NULL));
	assert_ptr_equal(out, pm);
	assert_null(fake_payment_method_customer(pm));
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 0);

	assert_int_equal(fake_event_count(p), events + 1);
	const fake_event *e = event_nth(p, events + 1);
	assert_string_equal(fake_event_type(e), "payment_method.detached");
	assert_string_equal(fake_payment_method_id(fake_event_object(e)), "pm_fake_00001");
}

static void test_payment_method_detach_not_attached(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = SENTINEL;

	pm_new(p, "4242424242424242");
	check_fails(p, fake_payment_method_detach(&out, p, "pm_fake_00001", NULL), FAKE_EINVAL, NULL, NULL);
	check_record(p, "invalid_request_error", 400);
	assert_string_equal(fake_error_last(p)->message,
			    "The payment method you provided is not attached to a customer so detachment is "
			    "impossible.");
	assert_null(out);
	assert_int_equal(fake_event_count(p), 0);

	out = SENTINEL;
	check_fails(p, fake_payment_method_detach(&out, p, "pm_x", NULL), FAKE_ENOTFOUND, "resource_missing", NULL);
	assert_string_equal(fake_error_last(p)->message, "No such PaymentMethod: 'pm_x'");
	assert_null(out);
}

static void test_payment_method_detach_default_clears_default(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	const fake_payment_method *out = NULL;

	cust_new(p);
	pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	check_ok(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00001", "pm_fake_00001", NULL));
	assert_string_equal(fake_customer_default_payment_method(c), "pm_fake_00001");
	size_t events = fake_event_count(p);

	check_ok(p, fake_payment_method_detach(&out, p, "pm_fake_00001", NULL));
	assert_null(fake_customer_default_payment_method(c));

	assert_int_equal(fake_event_count(p), events + 2);
	bool saw_detached = false, saw_updated = false;
	for (size_t i = events + 1; i <= events + 2; i++) {
		const fake_event *e = event_nth(p, i);
		if (strcmp(fake_event_type(e), "payment_method.detached") == 0)
			saw_detached = true;
		if (strcmp(fake_event_type(e), "customer.updated") == 0) {
			saw_updated = true;
			assert_string_equal(fake_customer_default_payment_method(fake_event_previous(e)),
					    "pm_fake_00001");
			assert_null(fake_customer_default_payment_method(fake_event_object(e)));
		}
	}
	assert_true(saw_detached);
	assert_true(saw_updated);
}

/* ---- list -------------------------------------------------------------- */

static void test_payment_method_list_by_customer(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	fake_list page;

	cust_new(p);
	cust_new(p);
	pm_attach(p, "pm_card_visa", "cus_fake_00001");       /* pm 1 */
	pm_attach(p, "pm_card_mastercard", "cus_fake_00002"); /* pm 2 */
	pm_attach(p, "pm_card_mastercard", "cus_fake_00001"); /* pm 3 */
	pm_new(p, "4242424242424242");                        /* pm 4, unattached */

	lp.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_false(page.has_more);
	assert_string_equal(fake_payment_method_id(page.data[0]), "pm_fake_00003");
	assert_string_equal(fake_payment_method_id(page.data[1]), "pm_fake_00001");

	lp.type = "card";
	lp.page.limit = 1;
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_true(page.has_more);
	assert_string_equal(fake_payment_method_id(page.data[0]), "pm_fake_00003");

	lp.page.starting_after = "pm_fake_00003";
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_false(page.has_more);
	assert_string_equal(fake_payment_method_id(page.data[0]), "pm_fake_00001");
}

static void test_payment_method_list_requires_customer(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	fake_list page;

	cust_new(p);
	pm_attach(p, "pm_card_visa", "cus_fake_00001");
	page.count = 5;
	check_fails(p, fake_payment_method_list(&page, p, &lp, NULL), FAKE_EINVAL, "parameter_missing", "customer");
	check_record(p, "invalid_request_error", 400);
	assert_int_equal(page.count, 0);

	lp.customer = "cus_nope";
	page.count = 5;
	check_fails(p, fake_payment_method_list(&page, p, &lp, NULL), FAKE_ENOTFOUND, "resource_missing", NULL);
	assert_string_equal(fake_error_last(p)->message, "No such customer: 'cus_nope'");
	assert_int_equal(page.count, 0);

	lp.customer = "cus_fake_00001";
	lp.type = "sepa_debit_nope";
	page.count = 5;
	check_fails(p, fake_payment_method_list(&page, p, &lp, NULL), FAKE_EINVAL, NULL, NULL);
	assert_int_equal(page.count, 0);
}

/* ---- expiry on update, detached and unattached methods ------------------------------- */

static void test_payment_method_update_year_checked_with_stored_month(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	const fake_payment_method *pm = NULL, *u = SENTINEL;

	pp.card_number = "4242424242424242";
	pp.exp_month = 3;
	pp.exp_year = 2028;
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	cust_new(p);
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	check_ok(p, fake_clock_advance_to(p, 1782864000)); /* 2026-07-01 */
	size_t events = fake_event_count(p);

	/* 2026 alone is a valid year, but with the stored month 3 the card expired in March */
	up.exp_year = 2026;
	check_fails(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL), FAKE_EINVAL,
		    "invalid_expiry_year", "card[exp_year]");
	check_record(p, "invalid_request_error", 400);
	assert_null(u);
	assert_int_equal(fake_payment_method_card_exp_month(pm), 3);
	assert_int_equal(fake_payment_method_card_exp_year(pm), 2028);
	assert_int_equal(fake_event_count(p), events);

	/* with a month that is not past, the same year is fine */
	up.exp_month = 7;
	check_ok(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL));
	assert_int_equal(fake_payment_method_card_exp_month(pm), 7);
	assert_int_equal(fake_payment_method_card_exp_year(pm), 2026);
	assert_int_equal(fake_event_count(p), events + 1);

	/* and a past month alone, against the stored year 2026, is refused */
	fake_payment_method_update_params month = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	month.exp_month = 6;
	u = SENTINEL;
	check_fails(p, fake_payment_method_update(&u, p, "pm_fake_00001", &month, NULL), FAKE_EINVAL, NULL, NULL);
	assert_null(u);
	assert_int_equal(fake_payment_method_card_exp_month(pm), 7);
	assert_int_equal(fake_event_count(p), events + 1);
}

static void test_payment_method_detached_cannot_be_attached_again(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *out = SENTINEL;
	cust_new(p);
	cust_new(p);
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	check_ok(p, fake_payment_method_detach(&out, p, "pm_fake_00001", NULL));
	size_t events = fake_event_count(p);

	out = SENTINEL;
	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00001", "cus_fake_00001"), FAKE_EINVAL, "", "");
	check_record(p, "invalid_request_error", 400);
	assert_non_null(strstr(fake_error_last(p)->message, "It may not be used again."));
	assert_null(out);
	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00001", "cus_fake_00002"), FAKE_EINVAL, "", "");
	assert_null(fake_payment_method_customer(pm));
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(pm_listed(p, "cus_fake_00001"), 0);
	assert_int_equal(pm_listed(p, "cus_fake_00002"), 0);

	/* the payment methods of a deleted customer are detached the same way */
	pm_attach(p, "pm_card_visa", "cus_fake_00001"); /* pm_fake_00002 */
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_delete(&c, p, "cus_fake_00001", NULL));
	check_fails(p, pm_attach_rc(p, &out, "pm_fake_00002", "cus_fake_00002"), FAKE_EINVAL, "", "");
	assert_null(out);
}

static void test_payment_method_update_requires_attached(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	const fake_payment_method *u = SENTINEL, *out = NULL;
	const fake_payment_method *pm = pm_new(p, "4242424242424242");

	up.billing_name = "Not Applied";
	up.exp_month = 5;
	check_fails(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL), FAKE_EINVAL, "", "id");
	assert_string_equal(fake_error_last(p)->message,
			    "You must save this PaymentMethod to a customer before you update it.");
	check_record(p, "invalid_request_error", 400);
	assert_null(u);
	assert_null(fake_payment_method_billing_name(pm));
	assert_int_equal(fake_payment_method_card_exp_month(pm), 12);

	/* attached, it can be updated; detached, no more */
	cust_new(p);
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	check_ok(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL));
	assert_string_equal(fake_payment_method_billing_name(pm), "Not Applied");
	check_ok(p, fake_payment_method_detach(&out, p, "pm_fake_00001", NULL));
	size_t events = fake_event_count(p);
	up.billing_name = "Again";
	u = SENTINEL;
	check_fails(p, fake_payment_method_update(&u, p, "pm_fake_00001", &up, NULL), FAKE_EINVAL, "", "id");
	assert_null(u);
	assert_string_equal(fake_payment_method_billing_name(pm), "Not Applied");
	assert_int_equal(fake_event_count(p), events);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_payment_method_create_visa),
		T(test_payment_method_create_default_expiry),
		T(test_payment_method_create_fingerprint),
		T(test_payment_method_create_from_token),
		T(test_payment_method_create_mastercard),
		T(test_payment_method_create_card_behaviors),
		T(test_payment_method_create_bad_luhn),
		T(test_payment_method_create_bad_expiry),
		T(test_payment_method_create_stores_billing_and_metadata),
		T(test_payment_method_retrieve),
		T(test_payment_method_update),
		T(test_payment_method_update_bad_expiry),
		T(test_payment_method_attach_created),
		T(test_payment_method_attach_test_token),
		T(test_payment_method_attach_behavior_tokens),
		T(test_payment_method_attach_declined_token),
		T(test_payment_method_attach_declined_card),
		T(test_payment_method_attach_again_same_customer),
		T(test_payment_method_attach_to_other_customer),
		T(test_payment_method_attach_unknown_customer),
		T(test_payment_method_attach_deleted_customer),
		T(test_payment_method_attach_unknown_payment_method),
		T(test_payment_method_attach_missing_customer),
		T(test_payment_method_detach),
		T(test_payment_method_detach_not_attached),
		T(test_payment_method_detach_default_clears_default),
		T(test_payment_method_list_by_customer),
		T(test_payment_method_list_requires_customer),
		T(test_payment_method_update_year_checked_with_stored_month),
		T(test_payment_method_detached_cannot_be_attached_again),
		T(test_payment_method_update_requires_attached),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
