/*
 * Payment intents (fake/payment_intent.h): create, confirm by card, the
 * 3D Secure helper, manual capture, cancel, scripts and stubs, lists, and
 * bad input. Every test starts from a fresh processor (fixture_new).
 */
#include "payment_helpers.h"

/* ---- create ------------------------------------------------------------------------ */

static void test_payment_intent_create_without_payment_method(void **state)
{
	fake_processor *p = *state;
	fake_kv md[] = { { "order", "42" } };
	fake_payment_intent_create_params cp = pi_params(2000, NULL, false);
	cp.currency = "USD";
	cp.description = "order 42";
	cp.metadata = md;
	cp.metadata_count = 1;

	const fake_payment_intent *pi = pi_create(p, &cp);
	char request_id[32];
	snprintf(request_id, sizeof request_id, "%s", fake_error_last(p)->request_id);

	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00001");
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_payment_method");
	assert_string_equal(fake_payment_intent_client_secret(pi), "pi_fake_00001_secret_fake");
	assert_int_equal(fake_payment_intent_amount(pi), 2000);
	assert_int_equal(fake_payment_intent_amount_capturable(pi), 0);
	assert_int_equal(fake_payment_intent_amount_received(pi), 0);
	assert_string_equal(fake_payment_intent_currency(pi), "usd");
	assert_null(fake_payment_intent_customer(pi));
	assert_null(fake_payment_intent_payment_method(pi));
	assert_int_equal(fake_payment_intent_capture_method(pi), FAKE_CAPTURE_AUTOMATIC);
	assert_null(fake_payment_intent_latest_charge(pi));
	assert_null(fake_payment_intent_next_action(pi));
	assert_null(fake_payment_intent_last_error_code(pi));
	assert_null(fake_payment_intent_last_error_decline_code(pi));
	assert_null(fake_payment_intent_last_error_message(pi));
	assert_null(fake_payment_intent_cancellation_reason(pi));
	assert_int_equal(fake_payment_intent_canceled_at(pi), 0);
	assert_string_equal(fake_payment_intent_description(pi), "order 42");
	assert_string_equal(fake_metadata_get(fake_payment_intent_metadata(pi), "order"), "42");
	assert_int_equal(fake_payment_intent_created(pi), fake_clock_now(p));
	assert_int_equal(fake_object_type_of(pi), FAKE_OBJECT_PAYMENT_INTENT);
	assert_string_equal(fake_object_name(pi), "payment_intent");
	assert_string_equal(fake_object_id(pi), "pi_fake_00001");

	check_events(p, 0, "payment_intent.created");
	const fake_event *e = event_nth(p, 1);
	assert_string_equal(fake_object_id(fake_event_object(e)), "pi_fake_00001");
	assert_string_equal(fake_event_request_id(e), request_id);

	const fake_payment_intent *second = pi_create(p, &cp);
	assert_string_equal(fake_payment_intent_id(second), "pi_fake_00002");
	assert_string_equal(fake_payment_intent_client_secret(second), "pi_fake_00002_secret_fake");
	/* no charge was made */
	const fake_charge *ch = SENTINEL;
	check_fails(p, fake_charge_retrieve(&ch, p, "ch_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_null(ch);
}

static void test_payment_intent_create_with_payment_method(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p);
	pm_attach(p, "pm_card_visa", fake_customer_id(c)); /* pm_fake_00001 */

	fake_payment_intent_create_params cp = pi_params(1000, "pm_card_mastercard", false);
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CONFIRMATION);
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_confirmation");
	assert_string_equal(fake_payment_intent_payment_method(pi), "pm_fake_00002"); /* made from the token */
	assert_null(fake_payment_intent_customer(pi));

	cp = pi_params(1000, "pm_fake_00001", false);
	cp.customer = "cus_fake_00001";
	pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CONFIRMATION);
	assert_string_equal(fake_payment_intent_payment_method(pi), "pm_fake_00001");
	assert_string_equal(fake_payment_intent_customer(pi), "cus_fake_00001");
	assert_null(fake_payment_intent_latest_charge(pi));

	/* the customer's own events, then one payment_intent.created each */
	size_t n = fake_event_count(p);
	assert_string_equal(fake_event_type(event_nth(p, n)), "payment_intent.created");
	assert_string_equal(fake_event_type(event_nth(p, n - 1)), "payment_intent.created");
	assert_string_equal(fake_event_type(event_nth(p, n - 2)), "payment_method.attached");
}

static void test_payment_intent_create_amount_boundaries(void **state)
{
	fake_processor *p = *state;
	static const struct {
		int64_t amount;
		const char *currency;
	} ok[] = {
		{ 50, "usd" }, { 99999999, "usd" }, { 30, "gbp" }, { 30, "GBP" }, { 50, "eur" }, { 250, "dkk" },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		fake_payment_intent_create_params cp = pi_params(ok[i].amount, NULL, false);
		cp.currency = ok[i].currency;
		const fake_payment_intent *pi = pi_create(p, &cp);
		assert_int_equal(fake_payment_intent_amount(pi), ok[i].amount);
	}
	/* the smallest amount, confirmed, is charged */
	fake_payment_intent_create_params cp = pi_params(50, "pm_card_visa", true);
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_amount_received(pi), 50);
}

static void test_payment_intent_create_under_minimum(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = SENTINEL;
	fake_payment_intent_create_params cp = pi_params(49, "pm_card_visa", true);

	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL, "amount_too_small", "amount");
	assert_null(pi);
	assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
	cp.amount = 29;
	cp.currency = "gbp";
	pi = SENTINEL;
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL, "amount_too_small", "amount");
	assert_null(pi);
	cp.amount = 999;
	cp.currency = "mxn";
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL, "amount_too_small", "amount");

	/* nothing was made, not even the token's payment method */
	assert_int_equal(fake_event_count(p), 0);
	cp = pi_params(2000, "pm_card_visa", true);
	pi = pi_create(p, &cp);
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00001");
	assert_string_equal(fake_payment_intent_payment_method(pi), "pm_fake_00001");
	assert_string_equal(fake_payment_intent_latest_charge(pi), "ch_fake_00001");
}

static void test_payment_intent_create_owner_rules(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = SENTINEL;
	cust_new(p); /* A */
	cust_new(p); /* B */
	pm_attach(p, "pm_card_visa", "cus_fake_00001");

	/* A's payment method without a customer */
	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", false);
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL, "", "customer");
	assert_null(pi);
	/* with customer B */
	cp.customer = "cus_fake_00002";
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL, "", "payment_method");
	assert_null(pi);
	/* with customer A it is fine, and the charge is A's */
	cp.customer = "cus_fake_00001";
	cp.confirm = true;
	pi = pi_create(p, &cp);
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00001");
	assert_string_equal(fake_charge_customer(charge_get(p, "ch_fake_00001")), "cus_fake_00001");
	/* an unattached payment method may pay for any customer's intent */
	cp = pi_params(2000, "pm_card_visa", true);
	cp.customer = "cus_fake_00002";
	pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
}

static void test_payment_intent_create_detached_payment_method(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = SENTINEL;
	const fake_payment_method *pm = SENTINEL;
	cust_new(p);
	pm_attach(p, "pm_card_visa", "cus_fake_00001");
	pm_detach(p, "pm_fake_00001");
	size_t events = fake_event_count(p);

	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", true);
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL, NULL, "payment_method");
	assert_null(pi);
	assert_non_null(strstr(fake_error_last(p)->message, "may not be used again"));
	cp.confirm = false;
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL, NULL, "payment_method");
	/* nor attached again, to the same customer or another */
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00001";
	check_fails(p, fake_payment_method_attach(&pm, p, "pm_fake_00001", &ap, NULL), FAKE_EINVAL, NULL, NULL);
	assert_null(pm);
	/* nor used to confirm an existing intent */
	cp = pi_params(2000, NULL, false);
	pi = pi_create(p, &cp);
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_fake_00001";
	const fake_payment_intent *confirmed = SENTINEL;
	check_fails(p, fake_payment_intent_confirm(&confirmed, p, "pi_fake_00001", &cf, NULL), FAKE_EINVAL, NULL,
		    "payment_method");
	assert_null(confirmed);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_int_equal(fake_event_count(p), events + 1); /* only the intent's creation */
}

/* ---- confirm: success -------------------------------------------------------------- */

static void check_paid(fake_processor *p, const fake_payment_intent *pi, int64_t amount, const char *charge_id,
		       const char *pm_id, const char *customer)
{
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
	assert_string_equal(fake_payment_intent_status_name(pi), "succeeded");
	assert_int_equal(fake_payment_intent_amount_received(pi), amount);
	assert_int_equal(fake_payment_intent_amount_capturable(pi), 0);
	assert_string_equal(fake_payment_intent_latest_charge(pi), charge_id);
	assert_string_equal(fake_payment_intent_payment_method(pi), pm_id);
	assert_null(fake_payment_intent_next_action(pi));
	assert_null(fake_payment_intent_last_error_code(pi));
	assert_null(fake_payment_intent_last_error_decline_code(pi));
	assert_null(fake_payment_intent_last_error_message(pi));

	const fake_charge *ch = charge_get(p, charge_id);
	assert_string_equal(fake_charge_status(ch), "succeeded");
	assert_true(fake_charge_paid(ch));
	assert_true(fake_charge_captured(ch));
	assert_false(fake_charge_refunded(ch));
	assert_int_equal(fake_charge_amount(ch), amount);
	assert_int_equal(fake_charge_amount_captured(ch), amount);
	assert_int_equal(fake_charge_amount_refunded(ch), 0);
	assert_string_equal(fake_charge_currency(ch), "usd");
	assert_string_equal(fake_charge_payment_intent(ch), fake_payment_intent_id(pi));
	assert_string_equal(fake_charge_payment_method(ch), pm_id);
	if (customer)
		assert_string_equal(fake_charge_customer(ch), customer);
	else
		assert_null(fake_charge_customer(ch));
	assert_null(fake_charge_failure_code(ch));
	assert_null(fake_charge_failure_message(ch));
	assert_string_equal(fake_charge_outcome_type(ch), "authorized");
	assert_null(fake_charge_outcome_reason(ch));
	assert_non_null(fake_charge_balance_transaction(ch));
	const fake_balance_transaction *txn = txn_get(p, fake_charge_balance_transaction(ch));
	assert_int_equal(fake_balance_transaction_amount(txn), amount);
	assert_string_equal(fake_balance_transaction_type(txn), "charge");
	assert_string_equal(fake_balance_transaction_source(txn), charge_id);
}

static void test_payment_intent_create_confirm_visa(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p);
	pm_attach(p, "pm_card_visa", fake_customer_id(c));
	size_t events = fake_event_count(p);

	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", true);
	cp.customer = "cus_fake_00001";
	const fake_payment_intent *pi = pi_create(p, &cp);
	char request_id[32];
	snprintf(request_id, sizeof request_id, "%s", fake_error_last(p)->request_id);
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00001");
	check_paid(p, pi, 2000, "ch_fake_00001", "pm_fake_00001", "cus_fake_00001");
	assert_string_equal(fake_charge_balance_transaction(charge_get(p, "ch_fake_00001")), "txn_fake_00001");

	check_events(p, events, "payment_intent.created", "charge.succeeded", "payment_intent.succeeded");
	/* every event of the call carries its request id; the snapshots are of their moment */
	for (size_t i = events + 1; i <= events + 3; i++)
		assert_string_equal(fake_event_request_id(event_nth(p, i)), request_id);
	const fake_charge *snap_ch = fake_event_object(event_nth(p, events + 2));
	assert_int_equal(fake_object_type_of(snap_ch), FAKE_OBJECT_CHARGE);
	assert_string_equal(fake_charge_id(snap_ch), "ch_fake_00001");
	assert_true(fake_charge_paid(snap_ch));
	const fake_payment_intent *snap_pi = fake_event_object(event_nth(p, events + 3));
	assert_int_equal(fake_payment_intent_status_of(snap_pi), FAKE_PI_SUCCEEDED);
	assert_string_equal(fake_payment_intent_latest_charge(snap_pi), "ch_fake_00001");
	/* the live intent is the retrieved one */
	assert_ptr_equal(pi_get(p, "pi_fake_00001"), pi);
}

static void test_payment_intent_confirm_visa(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", false);
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CONFIRMATION);
	size_t events = fake_event_count(p);

	const fake_payment_intent *confirmed = NULL;
	check_ok(p, fake_payment_intent_confirm(&confirmed, p, "pi_fake_00001", NULL, NULL));
	assert_ptr_equal(confirmed, pi);
	check_paid(p, pi, 2000, "ch_fake_00001", "pm_fake_00001", NULL);
	check_events(p, events, "charge.succeeded", "payment_intent.succeeded");
	assert_int_equal(fake_call_count(p, FAKE_OP_CONFIRM_PAYMENT_INTENT), 1);
}

static void test_payment_intent_confirm_with_payment_method_param(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(1234, NULL, false);
	const fake_payment_intent *pi = pi_create(p, &cp);
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_card_amex";
	const fake_payment_intent *confirmed = NULL;
	check_ok(p, fake_payment_intent_confirm(&confirmed, p, "pi_fake_00001", &cf, NULL));
	check_paid(p, pi, 1234, "ch_fake_00001", "pm_fake_00001", NULL);

	/* a given payment method replaces the intent's own */
	cp = pi_params(2000, "pm_card_chargeDeclined", false); /* pm_fake_00002 */
	pi = pi_create(p, &cp);
	cf.payment_method = "pm_card_visa"; /* pm_fake_00003 */
	check_ok(p, fake_payment_intent_confirm(&confirmed, p, "pi_fake_00002", &cf, NULL));
	check_paid(p, pi, 2000, "ch_fake_00002", "pm_fake_00003", NULL);
}

static void test_payment_intent_confirm_off_session_card_that_succeeds(void **state)
{
	fake_processor *p = *state;
	cust_new(p);
	pm_attach(p, "pm_card_visa", "cus_fake_00001");
	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", true);
	cp.customer = "cus_fake_00001";
	cp.off_session = true;
	const fake_payment_intent *pi = pi_create(p, &cp);
	check_paid(p, pi, 2000, "ch_fake_00001", "pm_fake_00001", "cus_fake_00001");
}

/* ---- confirm: declines ------------------------------------------------------------- */

typedef struct decline_card {
	const char *token;
	const char *decline_code;
	const char *code;
	const char *message;
} decline_card;

/* docs/errors.md's decline table, card by card. */
static const decline_card decline_cards[] = {
	{ "pm_card_chargeDeclined", "generic_decline", "card_declined", "Your card was declined." },
	{ "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds", "card_declined",
	  "Your card has insufficient funds." },
	{ "pm_card_chargeDeclinedLostCard", "lost_card", "card_declined", "Your card was declined." },
	{ "pm_card_chargeDeclinedStolenCard", "stolen_card", "card_declined", "Your card was declined." },
	{ "pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card", "Your card has expired." },
	{ "pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc",
	  "Your card's security code is incorrect." },
	{ "pm_card_chargeDeclinedProcessingError", "processing_error", "processing_error",
	  "An error occurred while processing your card. Try again in a little bit." },
	{ "pm_card_visa_chargeDeclined", "generic_decline", "card_declined", "Your card was declined." },
};

/*
 * Checks a declined confirmation: the call returned FAKE_ECARD and no
 * object; the record is the card error naming the intent and the charge;
 * the intent exists, back in requires_payment_method with
 * last_payment_error; the failed charge exists; the call's last two events
 * are charge.failed and payment_intent.payment_failed.
 */
static void check_declined(fake_processor *p, int rc, const fake_payment_intent *out, const decline_card *d,
			   const char *pi_id, const char *ch_id, const char *pm_id, int64_t amount)
{
	const fake_error *e = fake_error_last(p);
	if (rc != FAKE_ECARD) {
		print_error("%s: returned %s, expected FAKE_ECARD (%s)\n", d->token, fake_status_name(rc), e->message);
		fail();
	}
	assert_null(out);
	assert_int_equal(e->status, FAKE_ECARD);
	assert_int_equal(e->http_status, 402);
	assert_string_equal(e->type, "card_error");
	assert_string_equal(e->code, d->code);
	assert_string_equal(e->decline_code, d->decline_code);
	assert_string_equal(e->message, d->message);
	assert_string_equal(e->param, "");
	assert_string_equal(e->payment_intent, pi_id);
	assert_string_equal(e->charge, ch_id);
	char request_id[32];
	snprintf(request_id, sizeof request_id, "%s", e->request_id);

	/* the record's own field works as the id argument */
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_retrieve(&pi, p, fake_error_last(p)->payment_intent, NULL));
	assert_non_null(pi);
	assert_string_equal(fake_payment_intent_id(pi), pi_id);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_payment_intent_payment_method(pi));
	assert_string_equal(fake_payment_intent_last_error_code(pi), d->code);
	assert_string_equal(fake_payment_intent_last_error_decline_code(pi), d->decline_code);
	assert_string_equal(fake_payment_intent_last_error_message(pi), d->message);
	assert_string_equal(fake_payment_intent_latest_charge(pi), ch_id);
	assert_int_equal(fake_payment_intent_amount_received(pi), 0);
	assert_int_equal(fake_payment_intent_amount_capturable(pi), 0);
	assert_null(fake_payment_intent_next_action(pi));

	const fake_charge *ch = charge_get(p, ch_id);
	assert_string_equal(fake_charge_status(ch), "failed");
	assert_false(fake_charge_paid(ch));
	assert_false(fake_charge_captured(ch));
	assert_false(fake_charge_refunded(ch));
	assert_int_equal(fake_charge_amount(ch), amount);
	assert_int_equal(fake_charge_amount_captured(ch), 0);
	assert_int_equal(fake_charge_amount_refunded(ch), 0);
	assert_string_equal(fake_charge_failure_code(ch), d->code);
	assert_string_equal(fake_charge_failure_message(ch), d->message);
	assert_string_equal(fake_charge_outcome_type(ch), "issuer_declined");
	assert_string_equal(fake_charge_outcome_reason(ch), d->decline_code);
	assert_null(fake_charge_balance_transaction(ch));
	assert_string_equal(fake_charge_payment_intent(ch), pi_id);
	assert_string_equal(fake_charge_payment_method(ch), pm_id);

	size_t n = fake_event_count(p);
	const fake_event *failed = event_nth(p, n - 1);
	const fake_event *payment_failed = event_nth(p, n);
	assert_string_equal(fake_event_type(failed), "charge.failed");
	assert_string_equal(fake_object_id(fake_event_object(failed)), ch_id);
	assert_string_equal(fake_event_type(payment_failed), "payment_intent.payment_failed");
	assert_string_equal(fake_event_request_id(failed), request_id);
	assert_string_equal(fake_event_request_id(payment_failed), request_id);
	const fake_payment_intent *snap = fake_event_object(payment_failed);
	assert_string_equal(fake_payment_intent_id(snap), pi_id);
	assert_int_equal(fake_payment_intent_status_of(snap), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_string_equal(fake_payment_intent_last_error_decline_code(snap), d->decline_code);
}

/* After a decline, paying with pm_card_visa succeeds and clears the last error. */
static void check_retry_succeeds(fake_processor *p, const char *pi_id, const char *next_charge, const char *next_pm,
				 int64_t amount)
{
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_card_visa";
	const fake_payment_intent *pi = NULL;
	size_t events = fake_event_count(p);
	check_ok(p, fake_payment_intent_confirm(&pi, p, pi_id, &cf, NULL));
	assert_string_equal(fake_error_last(p)->payment_intent, "");
	assert_string_equal(fake_error_last(p)->charge, "");
	check_paid(p, pi, amount, next_charge, next_pm, fake_payment_intent_customer(pi));
	check_events(p, events, "charge.succeeded", "payment_intent.succeeded");
}

static void test_payment_intent_create_confirm_declines(void **state)
{
	fake_processor *p = *state;
	for (size_t i = 0; i < sizeof decline_cards / sizeof decline_cards[0]; i++) {
		const decline_card *d = &decline_cards[i];
		check_ok(p, fake_processor_reset(p));
		fake_payment_intent_create_params cp = pi_params(2000, d->token, true);
		const fake_payment_intent *pi = SENTINEL;
		int rc = fake_payment_intent_create(&pi, p, &cp, NULL);
		check_declined(p, rc, pi, d, "pi_fake_00001", "ch_fake_00001", "pm_fake_00001", 2000);
		check_events(p, 0, "payment_intent.created", "charge.failed", "payment_intent.payment_failed");
		check_retry_succeeds(p, "pi_fake_00001", "ch_fake_00002", "pm_fake_00002", 2000);
	}
}

static void test_payment_intent_confirm_declines(void **state)
{
	fake_processor *p = *state;
	for (size_t i = 0; i < sizeof decline_cards / sizeof decline_cards[0]; i++) {
		const decline_card *d = &decline_cards[i];
		check_ok(p, fake_processor_reset(p));
		fake_payment_intent_create_params cp = pi_params(1500, d->token, false);
		pi_create(p, &cp);
		const fake_payment_intent *pi = SENTINEL;
		int rc = fake_payment_intent_confirm(&pi, p, "pi_fake_00001", NULL, NULL);
		check_declined(p, rc, pi, d, "pi_fake_00001", "ch_fake_00001", "pm_fake_00001", 1500);
		check_events(p, 0, "payment_intent.created", "charge.failed", "payment_intent.payment_failed");
		check_retry_succeeds(p, "pi_fake_00001", "ch_fake_00002", "pm_fake_00002", 1500);
	}
}

static void test_payment_intent_decline_card_attached_to_customer(void **state)
{
	fake_processor *p = *state;
	static const decline_card d = { "pm_card_chargeCustomerFail", "generic_decline", "card_declined",
					"Your card was declined." };
	cust_new(p);
	/* it attaches (the card check passes) but every charge fails */
	pm_attach(p, "pm_card_chargeCustomerFail", "cus_fake_00001");
	size_t events = fake_event_count(p);

	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", true);
	cp.customer = "cus_fake_00001";
	const fake_payment_intent *pi = SENTINEL;
	int rc = fake_payment_intent_create(&pi, p, &cp, NULL);
	check_declined(p, rc, pi, &d, "pi_fake_00001", "ch_fake_00001", "pm_fake_00001", 2000);
	check_events(p, events, "payment_intent.created", "charge.failed", "payment_intent.payment_failed");
	assert_string_equal(fake_charge_customer(charge_get(p, "ch_fake_00001")), "cus_fake_00001");

	/* the intent lost its payment method: confirming again needs one */
	const fake_payment_intent *again = SENTINEL;
	check_fails(p, fake_payment_intent_confirm(&again, p, "pi_fake_00001", NULL, NULL), FAKE_EINVAL, "",
		    "payment_method");
	assert_null(again);
	/* the same card again declines again, with a second failed charge */
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_fake_00001";
	rc = fake_payment_intent_confirm(&again, p, "pi_fake_00001", &cf, NULL);
	check_declined(p, rc, again, &d, "pi_fake_00001", "ch_fake_00002", "pm_fake_00001", 2000);
	check_retry_succeeds(p, "pi_fake_00001", "ch_fake_00003", "pm_fake_00002", 2000);
	assert_int_equal(fake_payment_intent_status_of(pi_get(p, "pi_fake_00001")), FAKE_PI_SUCCEEDED);
}

static void test_payment_intent_decline_charge_id_from_record(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_chargeDeclined", true);
	const fake_payment_intent *pi = SENTINEL;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	/* the charge, too, can be looked up straight from the record */
	const fake_charge *ch = NULL;
	check_ok(p, fake_charge_retrieve(&ch, p, fake_error_last(p)->charge, NULL));
	assert_string_equal(fake_charge_id(ch), "ch_fake_00001");
	assert_string_equal(fake_charge_status(ch), "failed");
	/* the retrieve succeeded, so the record is clear again */
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_string_equal(fake_error_last(p)->charge, "");
	assert_string_equal(fake_error_last(p)->payment_intent, "");
	/* and confirm takes the intent's id from the record as well */
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_card_visa";
	check_ok(p, fake_payment_intent_confirm(&pi, p, fake_error_last(p)->payment_intent, &cf, NULL));
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00002");
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
}

/* ---- 3D Secure ---------------------------------------------------------------------- */

static void check_requires_action(fake_processor *p, const fake_payment_intent *pi, const char *pm_id)
{
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_ACTION);
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_action");
	assert_string_equal(fake_payment_intent_next_action(pi), "use_stripe_sdk");
	assert_string_equal(fake_payment_intent_payment_method(pi), pm_id);
	assert_null(fake_payment_intent_latest_charge(pi));
	assert_int_equal(fake_payment_intent_amount_received(pi), 0);
	assert_null(fake_payment_intent_last_error_code(pi));
	/* no charge yet */
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.payment_intent = fake_payment_intent_id(pi);
	fake_list page;
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);
}

static void test_payment_intent_3ds_create_confirm_requires_action(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_authenticationRequired", true);
	const fake_payment_intent *pi = pi_create(p, &cp);
	check_requires_action(p, pi, "pm_fake_00001");
	check_events(p, 0, "payment_intent.created", "payment_intent.requires_action");
	const fake_payment_intent *snap = fake_event_object(event_nth(p, 2));
	assert_string_equal(fake_payment_intent_next_action(snap), "use_stripe_sdk");
	/* the alias works too */
	cp.payment_method = "pm_card_threeDSecure2Required";
	pi = pi_create(p, &cp);
	check_requires_action(p, pi, "pm_fake_00002");
}

static void test_payment_intent_3ds_confirm_requires_action(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_authenticationRequired", false);
	pi_create(p, &cp);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00001", NULL, NULL));
	check_requires_action(p, pi, "pm_fake_00001");
	check_events(p, 0, "payment_intent.created", "payment_intent.requires_action");
	/* confirming again is not allowed while it waits for the customer */
	const fake_payment_intent *again = SENTINEL;
	check_fails(p, fake_payment_intent_confirm(&again, p, "pi_fake_00001", NULL, NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", NULL);
	assert_null(again);
}

static void test_payment_intent_3ds_authenticate_succeeds(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_authenticationRequired", true);
	pi_create(p, &cp);
	size_t events = fake_event_count(p);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00001", true, NULL));
	check_paid(p, pi, 2000, "ch_fake_00001", "pm_fake_00001", NULL);
	check_events(p, events, "charge.succeeded", "payment_intent.succeeded");
	assert_int_equal(fake_call_count(p, FAKE_OP_AUTHENTICATE_PAYMENT_INTENT), 1);
}

static void test_payment_intent_3ds_authenticate_fails(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_authenticationRequired", true);
	pi_create(p, &cp);
	size_t events = fake_event_count(p);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00001", false, NULL));
	assert_non_null(pi);
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_payment_intent_payment_method(pi));
	assert_null(fake_payment_intent_next_action(pi));
	assert_string_equal(fake_payment_intent_last_error_code(pi), "payment_intent_authentication_failure");
	assert_null(fake_payment_intent_last_error_decline_code(pi));
	assert_non_null(fake_payment_intent_last_error_message(pi));
	assert_null(fake_payment_intent_latest_charge(pi));
	check_events(p, events, "payment_intent.payment_failed");
	const fake_charge *ch = SENTINEL;
	check_fails(p, fake_charge_retrieve(&ch, p, "ch_fake_00001", NULL), FAKE_ENOTFOUND, NULL, NULL);

	/* a new payment method, a new attempt */
	check_retry_succeeds(p, "pi_fake_00001", "ch_fake_00001", "pm_fake_00002", 2000);
}

static void test_payment_intent_3ds_authenticate_wrong_status(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = SENTINEL;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_authenticationRequired", false);
	pi_create(p, &cp); /* requires_confirmation */
	pi_paid(p, 2000, NULL);
	size_t events = fake_event_count(p);

	check_fails(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00001", true, NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", "");
	assert_null(pi);
	check_fails(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00002", false, NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", "");
	check_fails(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00009", true, NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_string_equal(fake_error_last(p)->message, "No such payment_intent: 'pi_fake_00009'");
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(fake_payment_intent_status_of(pi_get(p, "pi_fake_00001")), FAKE_PI_REQUIRES_CONFIRMATION);
}

static void test_payment_intent_3ds_manual_capture(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_authenticationRequired", true);
	cp.capture_method = FAKE_CAPTURE_MANUAL;
	pi_create(p, &cp);
	size_t events = fake_event_count(p);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00001", true, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CAPTURE);
	assert_int_equal(fake_payment_intent_amount_capturable(pi), 2000);
	check_events(p, events, "charge.succeeded", "payment_intent.amount_capturable_updated");
}

static void test_payment_intent_3ds_off_session_declines(void **state)
{
	fake_processor *p = *state;
	static const decline_card d = { "pm_card_authenticationRequired", "authentication_required", "card_declined",
					"Your card was declined. This transaction requires authentication." };
	cust_new(p);
	pm_attach(p, "pm_card_authenticationRequired", "cus_fake_00001");
	size_t events = fake_event_count(p);

	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", true);
	cp.customer = "cus_fake_00001";
	cp.off_session = true;
	const fake_payment_intent *pi = SENTINEL;
	int rc = fake_payment_intent_create(&pi, p, &cp, NULL);
	check_declined(p, rc, pi, &d, "pi_fake_00001", "ch_fake_00001", "pm_fake_00001", 2000);
	check_events(p, events, "payment_intent.created", "charge.failed", "payment_intent.payment_failed");

	/* the same through confirm's off_session */
	cp.confirm = false;
	cp.off_session = false;
	pi_create(p, &cp);
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.off_session = true;
	rc = fake_payment_intent_confirm(&pi, p, "pi_fake_00002", &cf, NULL);
	check_declined(p, rc, pi, &d, "pi_fake_00002", "ch_fake_00002", "pm_fake_00001", 2000);
}

static void test_payment_intent_3155_off_session_after_authentication(void **state)
{
	fake_processor *p = *state;
	static const decline_card d = { "pm_card_authenticationRequiredOnSetup", "authentication_required",
					"card_declined",
					"Your card was declined. This transaction requires authentication." };
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *pm = NULL;
	pp.card_number = "4000002500003155";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_int_equal(fake_payment_method_card_behavior(pm), FAKE_CARD_REQUIRES_ACTION_ON_SESSION);
	cust_new(p);
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");

	/* off session before any authentication: declined */
	fake_payment_intent_create_params off = pi_params(2000, "pm_fake_00001", true);
	off.customer = "cus_fake_00001";
	off.off_session = true;
	const fake_payment_intent *pi = SENTINEL;
	int rc = fake_payment_intent_create(&pi, p, &off, NULL);
	check_declined(p, rc, pi, &d, "pi_fake_00001", "ch_fake_00001", "pm_fake_00001", 2000);

	/* on session it needs 3D Secure; failing it sets nothing up */
	fake_payment_intent_create_params on = pi_params(2000, "pm_fake_00001", true);
	on.customer = "cus_fake_00001";
	pi = pi_create(p, &on); /* pi_fake_00002 */
	check_requires_action(p, pi, "pm_fake_00001");
	check_ok(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00002", false, NULL));
	rc = fake_payment_intent_create(&pi, p, &off, NULL);
	check_declined(p, rc, pi, &d, "pi_fake_00003", "ch_fake_00002", "pm_fake_00001", 2000);

	/* completed with its customer: later off-session payments succeed */
	pi = pi_create(p, &on); /* pi_fake_00004 */
	check_requires_action(p, pi, "pm_fake_00001");
	check_ok(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00004", true, NULL));
	check_paid(p, pi, 2000, "ch_fake_00003", "pm_fake_00001", "cus_fake_00001");
	for (int i = 0; i < 2; i++) {
		size_t events = fake_event_count(p);
		pi = pi_create(p, &off);
		check_paid(p, pi, 2000, i == 0 ? "ch_fake_00004" : "ch_fake_00005", "pm_fake_00001", "cus_fake_00001");
		check_events(p, events, "payment_intent.created", "charge.succeeded", "payment_intent.succeeded");
	}
}

/* ---- manual capture ------------------------------------------------------------------ */

static void test_payment_intent_manual_capture_authorizes(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	cp.capture_method = FAKE_CAPTURE_MANUAL;
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CAPTURE);
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_capture");
	assert_int_equal(fake_payment_intent_capture_method(pi), FAKE_CAPTURE_MANUAL);
	assert_int_equal(fake_payment_intent_amount_capturable(pi), 2000);
	assert_int_equal(fake_payment_intent_amount_received(pi), 0);
	assert_string_equal(fake_payment_intent_latest_charge(pi), "ch_fake_00001");

	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_string_equal(fake_charge_status(ch), "succeeded");
	assert_true(fake_charge_paid(ch));
	assert_false(fake_charge_captured(ch));
	assert_int_equal(fake_charge_amount_captured(ch), 0);
	assert_null(fake_charge_balance_transaction(ch));
	assert_string_equal(fake_charge_outcome_type(ch), "authorized");
	const fake_balance_transaction *txn = SENTINEL;
	check_fails(p, fake_balance_transaction_retrieve(&txn, p, "txn_fake_00001", NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	check_events(p, 0, "payment_intent.created", "charge.succeeded", "payment_intent.amount_capturable_updated");
}

static void test_payment_intent_capture_all(void **state)
{
	fake_processor *p = *state;
	pi_authorized(p, 2000);
	size_t events = fake_event_count(p);
	check_ok(p, fake_clock_advance(p, 3600));

	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", NULL, NULL));
	check_paid(p, pi, 2000, "ch_fake_00001", "pm_fake_00001", NULL);
	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_string_equal(fake_charge_balance_transaction(ch), "txn_fake_00001");
	const fake_balance_transaction *txn = txn_get(p, "txn_fake_00001");
	assert_int_equal(fake_balance_transaction_fee(txn), 88);
	assert_int_equal(fake_balance_transaction_net(txn), 1912);
	assert_int_equal(fake_balance_transaction_created(txn), fake_clock_now(p));
	check_events(p, events, "charge.captured", "payment_intent.succeeded");
	const fake_charge *snap = fake_event_object(event_nth(p, events + 1));
	assert_true(fake_charge_captured(snap));
	assert_int_equal(fake_charge_amount_captured(snap), 2000);

	/* amount_to_capture equal to the whole amount does the same */
	pi_authorized(p, 3000);
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.amount_to_capture = 3000;
	check_ok(p, fake_payment_intent_capture(&pi, p, "pi_fake_00002", &cap, NULL));
	check_paid(p, pi, 3000, "ch_fake_00002", "pm_fake_00002", NULL);
}

static void test_payment_intent_capture_partial(void **state)
{
	fake_processor *p = *state;
	pi_authorized(p, 2000);
	size_t events = fake_event_count(p);
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.amount_to_capture = 1500;
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", &cap, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
	assert_int_equal(fake_payment_intent_amount_received(pi), 1500);
	assert_int_equal(fake_payment_intent_amount_capturable(pi), 0);
	assert_int_equal(fake_payment_intent_amount(pi), 2000);

	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_true(fake_charge_captured(ch));
	assert_int_equal(fake_charge_amount(ch), 2000);
	assert_int_equal(fake_charge_amount_captured(ch), 1500);
	assert_int_equal(fake_charge_amount_refunded(ch), 500); /* the released rest */
	assert_false(fake_charge_refunded(ch));
	const fake_balance_transaction *txn = txn_get(p, fake_charge_balance_transaction(ch));
	assert_int_equal(fake_balance_transaction_amount(txn), 1500);
	assert_int_equal(fake_balance_transaction_fee(txn), 74);
	assert_int_equal(fake_balance_transaction_net(txn), 1426);
	check_events(p, events, "charge.captured", "payment_intent.succeeded");
}

static void test_payment_intent_capture_errors(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = SENTINEL;
	pi_authorized(p, 2000);
	pi_paid(p, 2000, NULL);
	size_t events = fake_event_count(p);
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;

	cap.amount_to_capture = 2001;
	check_fails(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", &cap, NULL), FAKE_EINVAL,
		    "amount_too_large", "amount_to_capture");
	assert_null(pi);
	cap.amount_to_capture = -5;
	check_fails(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", &cap, NULL), FAKE_EINVAL, NULL,
		    "amount_to_capture");
	check_fails(p, fake_payment_intent_capture(&pi, p, "pi_fake_00002", NULL, NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", "");
	assert_string_equal(fake_error_last(p)->message,
			    "This PaymentIntent could not be captured because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.");
	assert_int_equal(fake_event_count(p), events);
	const fake_payment_intent *live = pi_get(p, "pi_fake_00001");
	assert_int_equal(fake_payment_intent_status_of(live), FAKE_PI_REQUIRES_CAPTURE);
	assert_int_equal(fake_payment_intent_amount_capturable(live), 2000);

	/* captured once, it cannot be captured again */
	check_ok(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", NULL, NULL));
	check_fails(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", NULL, NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", NULL);
	assert_null(pi);
}

/* ---- cancel -------------------------------------------------------------------------- */

static void check_canceled(fake_processor *p, const fake_payment_intent *pi, const char *reason)
{
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_CANCELED);
	assert_string_equal(fake_payment_intent_status_name(pi), "canceled");
	assert_int_equal(fake_payment_intent_canceled_at(pi), fake_clock_now(p));
	if (reason)
		assert_string_equal(fake_payment_intent_cancellation_reason(pi), reason);
	else
		assert_null(fake_payment_intent_cancellation_reason(pi));
	assert_int_equal(fake_payment_intent_amount_capturable(pi), 0);
	assert_null(fake_payment_intent_next_action(pi));
}

static void test_payment_intent_cancel_open_statuses(void **state)
{
	fake_processor *p = *state;
	static const char *const reasons[] = { NULL, "duplicate", "fraudulent", "requested_by_customer", "abandoned" };
	fake_payment_intent_create_params cp = pi_params(2000, NULL, false);
	pi_create(p, &cp); /* requires_payment_method */
	cp.payment_method = "pm_card_visa";
	pi_create(p, &cp); /* requires_confirmation */
	cp.payment_method = "pm_card_authenticationRequired";
	cp.confirm = true;
	pi_create(p, &cp); /* requires_action */
	cp = pi_params(2000, "pm_card_chargeDeclined", true);
	const fake_payment_intent *pi = SENTINEL;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD); /* declined */
	cp = pi_params(2000, NULL, false);
	pi_create(p, &cp); /* requires_payment_method */

	static const fake_payment_intent_status was[] = { FAKE_PI_REQUIRES_PAYMENT_METHOD, FAKE_PI_REQUIRES_CONFIRMATION,
							  FAKE_PI_REQUIRES_ACTION, FAKE_PI_REQUIRES_PAYMENT_METHOD,
							  FAKE_PI_REQUIRES_PAYMENT_METHOD };
	for (int i = 0; i < 5; i++) {
		char id[32];
		snprintf(id, sizeof id, "pi_fake_%05d", i + 1);
		assert_int_equal(fake_payment_intent_status_of(pi_get(p, id)), was[i]);
		check_ok(p, fake_clock_advance(p, 60));
		size_t events = fake_event_count(p);
		check_ok(p, fake_payment_intent_cancel(&pi, p, id, reasons[i], NULL));
		assert_string_equal(fake_payment_intent_id(pi), id);
		check_canceled(p, pi, reasons[i]);
		check_events(p, events, "payment_intent.canceled");
		const fake_payment_intent *snap = fake_event_object(event_nth(p, events + 1));
		check_canceled(p, snap, reasons[i]);
	}
	/* the 3D Secure intent cannot be authenticated any more */
	check_fails(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00003", true, NULL), FAKE_ESTATE, NULL, NULL);
}

static void test_payment_intent_cancel_releases_authorization(void **state)
{
	fake_processor *p = *state;
	pi_authorized(p, 2000);
	check_ok(p, fake_clock_advance(p, 86400));
	size_t events = fake_event_count(p);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00001", "requested_by_customer", NULL));
	check_canceled(p, pi, "requested_by_customer");
	assert_int_equal(fake_payment_intent_amount_received(pi), 0);

	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_true(fake_charge_refunded(ch));
	assert_int_equal(fake_charge_amount_refunded(ch), 2000);
	assert_false(fake_charge_captured(ch));
	assert_int_equal(fake_charge_amount_captured(ch), 0);
	assert_null(fake_charge_balance_transaction(ch));
	check_events(p, events, "charge.refunded", "payment_intent.canceled");
	const fake_charge *snap = fake_event_object(event_nth(p, events + 1));
	assert_true(fake_charge_refunded(snap));
	assert_int_equal(fake_charge_amount_refunded(snap), 2000);

	/* nothing left to capture */
	check_fails(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", NULL, NULL), FAKE_ESTATE, NULL, NULL);
}

static void test_payment_intent_cancel_errors(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = SENTINEL;
	pi_paid(p, 2000, NULL);
	fake_payment_intent_create_params cp = pi_params(2000, NULL, false);
	pi_create(p, &cp);
	check_ok(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00002", NULL, NULL));
	size_t events = fake_event_count(p);

	check_fails(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00001", NULL, NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", "");
	assert_null(pi);
	assert_string_equal(fake_error_last(p)->message,
			    "You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.");
	check_fails(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00002", "duplicate", NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", "");
	assert_string_equal(fake_error_last(p)->message,
			    "You cannot cancel this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.");
	/* a canceled intent keeps its first cancellation */
	assert_null(fake_payment_intent_cancellation_reason(pi_get(p, "pi_fake_00002")));

	cp = pi_params(2000, NULL, false);
	pi_create(p, &cp);
	events = fake_event_count(p);
	check_fails(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00003", "because", NULL), FAKE_EINVAL, "",
		    "cancellation_reason");
	check_fails(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00003", "", NULL), FAKE_EINVAL, "",
		    "cancellation_reason");
	check_fails(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00009", NULL, NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(fake_payment_intent_status_of(pi_get(p, "pi_fake_00003")), FAKE_PI_REQUIRES_PAYMENT_METHOD);

	/* a canceled intent cannot be confirmed */
	check_fails(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00002", NULL, NULL), FAKE_ESTATE,
		    "payment_intent_unexpected_state", NULL);
}

/* ---- scripts and stubs ------------------------------------------------------------------ */

static void test_payment_intent_script_decline_with_code(void **state)
{
	fake_processor *p = *state;
	static const decline_card d = { "pm_card_visa", "insufficient_funds", "card_declined",
					"Your card has insufficient funds." };
	fake_script s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	snprintf(s.error.decline_code, sizeof s.error.decline_code, "%s", "insufficient_funds");
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PAYMENT_INTENT, &s, 1));

	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	const fake_payment_intent *pi = SENTINEL;
	int rc = fake_payment_intent_create(&pi, p, &cp, NULL);
	check_declined(p, rc, pi, &d, "pi_fake_00001", "ch_fake_00001", "pm_fake_00001", 2000);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_PAYMENT_INTENT), 0);

	/* the script is used up: the next payment succeeds */
	pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);

	/* fake_script_outcome's own code is generic_decline, and confirm takes scripts too */
	s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_PAYMENT_INTENT, &s, 1));
	cp.confirm = false;
	pi_create(p, &cp); /* pi_fake_00003 */
	rc = fake_payment_intent_confirm(&pi, p, "pi_fake_00003", NULL, NULL);
	assert_int_equal(rc, FAKE_ECARD);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
	assert_string_equal(fake_error_last(p)->payment_intent, "pi_fake_00003");
}

static void test_payment_intent_script_succeed(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_outcome(FAKE_OUTCOME_SUCCEED);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PAYMENT_INTENT, &s, 1));
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_chargeDeclined", true);
	const fake_payment_intent *pi = pi_create(p, &cp);
	check_paid(p, pi, 2000, "ch_fake_00001", "pm_fake_00001", NULL);

	/* even a 3D Secure card, through confirm */
	check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_PAYMENT_INTENT, &s, 1));
	cp = pi_params(2000, "pm_card_authenticationRequired", false);
	pi_create(p, &cp);
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00002", NULL, NULL));
	check_paid(p, pi, 2000, "ch_fake_00002", "pm_fake_00002", NULL);

	/* without the script the declining card declines */
	cp = pi_params(2000, "pm_card_chargeDeclined", true);
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
}

static void test_payment_intent_script_requires_action(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_outcome(FAKE_OUTCOME_REQUIRES_ACTION);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PAYMENT_INTENT, &s, 1));
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	const fake_payment_intent *pi = pi_create(p, &cp);
	check_requires_action(p, pi, "pm_fake_00001");
	check_events(p, 0, "payment_intent.created", "payment_intent.requires_action");
	check_ok(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00001", true, NULL));
	check_paid(p, pi, 2000, "ch_fake_00001", "pm_fake_00001", NULL);
}

static void test_payment_intent_outcome_script_used_by_create_without_confirm(void **state)
{
	fake_processor *p = *state;
	/* a create that does not confirm still consumes the script, and charges nothing */
	fake_script s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PAYMENT_INTENT, &s, 1));
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", false);
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CONFIRMATION);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_PAYMENT_INTENT), 0);
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00001", NULL, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
}

static void test_payment_intent_outcome_scripts_refused_elsewhere(void **state)
{
	fake_processor *p = *state;
	static const fake_op ops[] = { FAKE_OP_CAPTURE_PAYMENT_INTENT, FAKE_OP_CANCEL_PAYMENT_INTENT,
				       FAKE_OP_AUTHENTICATE_PAYMENT_INTENT, FAKE_OP_RETRIEVE_PAYMENT_INTENT,
				       FAKE_OP_LIST_PAYMENT_INTENTS, FAKE_OP_CREATE_REFUND, FAKE_OP_LIST_CHARGES };
	static const fake_outcome outcomes[] = { FAKE_OUTCOME_SUCCEED, FAKE_OUTCOME_DECLINE,
						 FAKE_OUTCOME_REQUIRES_ACTION };
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		for (size_t k = 0; k < 3; k++) {
			fake_script s = fake_script_outcome(outcomes[k]);
			check_fails(p, fake_script_push(p, ops[i], &s, 1), FAKE_EINVAL, NULL, "script.outcome");
			assert_int_equal(fake_script_pending(p, ops[i]), 0);
		}
	}
	for (size_t k = 0; k < 3; k++) {
		fake_script s = fake_script_outcome(outcomes[k]);
		check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PAYMENT_INTENT, &s, 1));
		check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_PAYMENT_INTENT, &s, 1));
	}
}

static void test_payment_intent_error_script_creates_nothing(void **state)
{
	fake_processor *p = *state;
	static sig before, after;
	fake_script s = fake_script_card_declined("insufficient_funds");
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PAYMENT_INTENT, &s, 1));
	sig_take(p, &before);

	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	const fake_payment_intent *pi = SENTINEL;
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD, "card_declined", "");
	assert_null(pi);
	const fake_error *e = fake_error_last(p);
	assert_string_equal(e->decline_code, "insufficient_funds");
	/* nothing was recorded, so the record names no payment */
	assert_string_equal(e->payment_intent, "");
	assert_string_equal(e->charge, "");
	sig_take(p, &after);
	check_sig_unchanged("a scripted create error", &before, &after);

	/* an error script on confirm leaves the intent alone */
	pi = pi_create(p, &cp); /* the first ids were not used */
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00001");
	assert_string_equal(fake_payment_intent_latest_charge(pi), "ch_fake_00001");
	assert_string_equal(fake_payment_intent_payment_method(pi), "pm_fake_00001");
	cp.confirm = false;
	pi_create(p, &cp);
	fake_script rl = fake_script_rate_limit(7);
	check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_PAYMENT_INTENT, &rl, 1));
	sig_take(p, &before);
	check_fails(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00002", NULL, NULL), FAKE_ERATELIMIT, "rate_limit",
		    NULL);
	assert_int_equal(fake_error_last(p)->retry_after, 7);
	assert_null(pi);
	sig_take(p, &after);
	check_sig_unchanged("a scripted confirm error", &before, &after);
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00002", NULL, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
}

typedef struct stub_answer {
	int calls;
	const char *id; /* retrieved by the stub and returned */
} stub_answer;

static int stub_retrieve_intent(void *out, fake_processor *p, const fake_call *call, fake_error *error,
				void *user_data)
{
	stub_answer *a = user_data;
	(void)call;
	(void)error;
	a->calls++;
	const fake_payment_intent *pi = NULL;
	int rc = fake_payment_intent_retrieve(&pi, p, a->id, NULL);
	*(const void **)out = pi;
	return rc;
}

static int stub_decline(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)out;
	(void)p;
	(void)call;
	(void)user_data;
	snprintf(error->code, sizeof error->code, "%s", "card_declined");
	snprintf(error->decline_code, sizeof error->decline_code, "%s", "stolen_card");
	return FAKE_ECARD;
}

static void test_payment_intent_stubs(void **state)
{
	fake_processor *p = *state;
	static sig before, after;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", false);
	pi_create(p, &cp);

	/* a stubbed confirm answers with the untouched intent */
	stub_answer a = { 0, "pi_fake_00001" };
	check_ok(p, fake_stub_set(p, FAKE_OP_CONFIRM_PAYMENT_INTENT, stub_retrieve_intent, &a));
	sig_take(p, &before);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00001", NULL, NULL));
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00001");
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CONFIRMATION);
	assert_int_equal(a.calls, 1);
	sig_take(p, &after);
	check_sig_unchanged("a stubbed confirm", &before, &after);
	assert_int_equal(fake_call_count(p, FAKE_OP_CONFIRM_PAYMENT_INTENT), 1);
	check_ok(p, fake_stub_set(p, FAKE_OP_CONFIRM_PAYMENT_INTENT, NULL, NULL));
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00001", NULL, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);

	/* a stubbed create that declines records nothing */
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_PAYMENT_INTENT, stub_decline, NULL));
	sig_take(p, &before);
	cp.confirm = true;
	pi = SENTINEL;
	check_fails(p, fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD, "card_declined", NULL);
	assert_null(pi);
	assert_string_equal(fake_error_last(p)->decline_code, "stolen_card");
	assert_string_equal(fake_error_last(p)->type, "card_error");
	assert_int_equal(fake_error_last(p)->http_status, 402);
	assert_string_equal(fake_error_last(p)->payment_intent, "");
	sig_take(p, &after);
	check_sig_unchanged("a stubbed create", &before, &after);
}

static void test_payment_intent_call_counts(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = NULL;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", false);
	pi_create(p, &cp);
	cp.amount = 0;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_EINVAL);
	cp = pi_params(2000, "pm_card_chargeDeclined", true);
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00001", NULL, NULL));
	assert_int_equal(fake_payment_intent_confirm(&pi, p, "pi_fake_00001", NULL, NULL), FAKE_ESTATE);
	assert_int_equal(fake_payment_intent_cancel(&pi, p, "pi_fake_00001", NULL, NULL), FAKE_ESTATE);
	check_ok(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00002", NULL, NULL));
	assert_int_equal(fake_payment_intent_capture(&pi, p, "pi_fake_00002", NULL, NULL), FAKE_ESTATE);
	assert_int_equal(fake_payment_intent_authenticate(&pi, p, "pi_fake_00002", true, NULL), FAKE_ESTATE);
	check_ok(p, fake_payment_intent_retrieve(&pi, p, "pi_fake_00002", NULL));
	fake_list page;
	check_ok(p, fake_payment_intent_list(&page, p, NULL, NULL));

	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_PAYMENT_INTENT), 3);
	assert_int_equal(fake_call_count(p, FAKE_OP_CONFIRM_PAYMENT_INTENT), 2);
	assert_int_equal(fake_call_count(p, FAKE_OP_CANCEL_PAYMENT_INTENT), 2);
	assert_int_equal(fake_call_count(p, FAKE_OP_CAPTURE_PAYMENT_INTENT), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_AUTHENTICATE_PAYMENT_INTENT), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_PAYMENT_INTENT), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_PAYMENT_INTENTS), 1);
	/* charges are made by payment intents, not by charge operations */
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_CHARGE), 0);
}

/* ---- retrieve and list ------------------------------------------------------------------ */

static void test_payment_intent_retrieve_unknown(void **state)
{
	fake_processor *p = *state;
	const fake_payment_intent *pi = SENTINEL;
	check_fails(p, fake_payment_intent_retrieve(&pi, p, "pi_x", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_string_equal(fake_error_last(p)->message, "No such payment_intent: 'pi_x'");
	assert_int_equal(fake_error_last(p)->http_status, 404);
	assert_null(pi);
	/* a charge id is not a payment intent id */
	pi_paid(p, 2000, NULL);
	check_fails(p, fake_payment_intent_retrieve(&pi, p, "ch_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	check_fails(p, fake_payment_intent_retrieve(&pi, p, NULL, NULL), FAKE_EINVAL, "parameter_missing", "id");
}

static void test_payment_intent_list(void **state)
{
	fake_processor *p = *state;
	cust_new(p);
	cust_new(p);
	for (int i = 0; i < 5; i++) {
		fake_payment_intent_create_params cp = pi_params(1000 + i, NULL, false);
		cp.customer = i % 2 ? "cus_fake_00002" : "cus_fake_00001";
		pi_create(p, &cp);
	}
	fake_list page;
	check_ok(p, fake_payment_intent_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 5);
	assert_false(page.has_more);
	assert_string_equal(fake_payment_intent_id(page.data[0]), "pi_fake_00005");
	assert_string_equal(fake_payment_intent_id(page.data[4]), "pi_fake_00001");

	fake_payment_intent_list_params lp = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00002";
	check_ok(p, fake_payment_intent_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_string_equal(fake_payment_intent_id(page.data[0]), "pi_fake_00004");
	assert_string_equal(fake_payment_intent_id(page.data[1]), "pi_fake_00002");

	lp.customer = NULL;
	lp.page.limit = 2;
	lp.page.starting_after = "pi_fake_00004";
	check_ok(p, fake_payment_intent_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_true(page.has_more);
	assert_string_equal(fake_payment_intent_id(page.data[0]), "pi_fake_00003");

	/* the iterator walks them all, one page fetch per two */
	lp = (fake_payment_intent_list_params)FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	fake_list_iter it;
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_PAYMENT_INTENTS);
	fake_list_iter_init(&it, p, FAKE_OP_LIST_PAYMENT_INTENTS, &lp, NULL);
	const void *o = NULL;
	int rc, n = 0;
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		char want[32];
		snprintf(want, sizeof want, "pi_fake_%05d", 5 - n);
		assert_string_equal(fake_object_id(o), want);
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 5);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_PAYMENT_INTENTS) - calls, 3);
}

/* ---- bad input ---------------------------------------------------------------------------- */

/*
 * The state the bad-input table runs against:
 *   cus_fake_00001  A, pm_fake_00001 (visa) attached
 *   cus_fake_00002  B
 *   cus_fake_00003  deleted
 *   pm_fake_00002   detached from A (never usable again)
 *   pi_fake_00001   succeeded (A, pm_fake_00001)
 *   pi_fake_00002   requires_capture (pm_fake_00003)
 *   pi_fake_00003   canceled
 *   pi_fake_00004   requires_action (pm_fake_00004, 3D Secure card)
 *   pi_fake_00005   requires_payment_method
 *   pi_fake_00006   requires_confirmation (A, pm_fake_00001)
 */
static void prepare_bad(fake_processor *p)
{
	const fake_payment_intent *pi = NULL;
	cust_new(p);
	cust_new(p);
	cust_new(p);
	check_ok(p, fake_customer_delete(&(const fake_customer *){ NULL }, p, "cus_fake_00003", NULL));
	pm_attach(p, "pm_card_visa", "cus_fake_00001");
	pm_attach(p, "pm_card_mastercard", "cus_fake_00001");
	pm_detach(p, "pm_fake_00002");
	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", true);
	cp.customer = "cus_fake_00001";
	pi_create(p, &cp);
	pi_authorized(p, 2000);
	cp = pi_params(2000, NULL, false);
	pi_create(p, &cp);
	check_ok(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00003", NULL, NULL));
	cp = pi_params(2000, "pm_card_authenticationRequired", true);
	pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_ACTION);
	cp = pi_params(2000, NULL, false);
	pi_create(p, &cp);
	cp = pi_params(2000, "pm_fake_00001", false);
	cp.customer = "cus_fake_00001";
	pi = pi_create(p, &cp);
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00006");
}

static int bad_create(fake_processor *p, void *out, fake_payment_intent_create_params cp)
{
	return fake_payment_intent_create(out, p, &cp, NULL);
}

static int bad_amount_missing(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(0, "pm_card_visa", true));
}

static int bad_amount_negative(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(-100, "pm_card_visa", true));
}

static int bad_amount_too_big(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(100000000, "pm_card_visa", true));
}

static int bad_amount_under_usd_minimum(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(49, "pm_card_visa", true));
}

static int bad_amount_under_gbp_minimum(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(29, "pm_card_visa", true);
	cp.currency = "gbp";
	return bad_create(p, out, cp);
}

static int bad_currency_missing(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, NULL, false);
	cp.currency = NULL;
	return bad_create(p, out, cp);
}

static int bad_currency_short(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, NULL, false);
	cp.currency = "us";
	return bad_create(p, out, cp);
}

static int bad_currency_long(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, NULL, false);
	cp.currency = "usdx";
	return bad_create(p, out, cp);
}

static int bad_currency_symbol(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, NULL, false);
	cp.currency = "u$d";
	return bad_create(p, out, cp);
}

static int bad_off_session_without_confirm(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", false);
	cp.off_session = true;
	return bad_create(p, out, cp);
}

static int bad_confirm_without_payment_method(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(2000, NULL, true));
}

static int bad_unknown_customer(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	cp.customer = "cus_fake_00042";
	return bad_create(p, out, cp);
}

static int bad_deleted_customer(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	cp.customer = "cus_fake_00003";
	return bad_create(p, out, cp);
}

static int bad_unknown_payment_method(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(2000, "pm_fake_00042", true));
}

static int bad_unknown_token(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(2000, "pm_card_nope", true));
}

static int bad_empty_payment_method(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(2000, "", true));
}

static int bad_customer_id_as_payment_method(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(2000, "cus_fake_00001", true));
}

static int bad_payment_method_of_a_without_customer(fake_processor *p, void *out)
{
	return bad_create(p, out, pi_params(2000, "pm_fake_00001", true));
}

static int bad_payment_method_of_a_for_b(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00001", true);
	cp.customer = "cus_fake_00002";
	return bad_create(p, out, cp);
}

static int bad_detached_payment_method(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, "pm_fake_00002", true);
	cp.customer = "cus_fake_00001";
	return bad_create(p, out, cp);
}

static int bad_create_version(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	cp.version = 99;
	return bad_create(p, out, cp);
}

static int bad_capture_method(fake_processor *p, void *out)
{
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	cp.capture_method = (fake_capture_method)7;
	return bad_create(p, out, cp);
}

static int bad_description_too_long(fake_processor *p, void *out)
{
	static char description[1002];
	memset(description, 'd', sizeof description - 1);
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	cp.description = description;
	return bad_create(p, out, cp);
}

static int bad_metadata_key_too_long(fake_processor *p, void *out)
{
	static const fake_kv md[] = { { "a_key_that_is_much_longer_than_forty_bytes_long", "v" } };
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	cp.metadata = md;
	cp.metadata_count = 1;
	return bad_create(p, out, cp);
}

static int bad_confirm(fake_processor *p, void *out, const char *id, const char *pm, unsigned int version)
{
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = pm;
	if (version)
		cf.version = version;
	return fake_payment_intent_confirm(out, p, id, &cf, NULL);
}

static int bad_confirm_unknown(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00042", NULL, 0);
}

static int bad_confirm_null_id(fake_processor *p, void *out)
{
	return bad_confirm(p, out, NULL, NULL, 0);
}

static int bad_confirm_succeeded(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00001", "pm_card_visa", 0);
}

static int bad_confirm_requires_capture(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00002", NULL, 0);
}

static int bad_confirm_canceled(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00003", "pm_card_visa", 0);
}

static int bad_confirm_requires_action(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00004", NULL, 0);
}

static int bad_confirm_no_payment_method(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00005", NULL, 0);
}

static int bad_confirm_owned_payment_method(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00005", "pm_fake_00001", 0);
}

static int bad_confirm_detached_payment_method(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00006", "pm_fake_00002", 0);
}

static int bad_confirm_version(fake_processor *p, void *out)
{
	return bad_confirm(p, out, "pi_fake_00006", NULL, 2);
}

static int bad_capture(fake_processor *p, void *out, const char *id, int64_t amount)
{
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.amount_to_capture = amount;
	return fake_payment_intent_capture(out, p, id, &cap, NULL);
}

static int bad_capture_too_much(fake_processor *p, void *out)
{
	return bad_capture(p, out, "pi_fake_00002", 2001);
}

static int bad_capture_negative(fake_processor *p, void *out)
{
	return bad_capture(p, out, "pi_fake_00002", -1);
}

static int bad_capture_succeeded(fake_processor *p, void *out)
{
	return bad_capture(p, out, "pi_fake_00001", 0);
}

static int bad_capture_requires_confirmation(fake_processor *p, void *out)
{
	return bad_capture(p, out, "pi_fake_00006", 0);
}

static int bad_capture_unknown(fake_processor *p, void *out)
{
	return bad_capture(p, out, "pi_nope", 0);
}

static int bad_capture_version(fake_processor *p, void *out)
{
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.version = 0;
	return fake_payment_intent_capture(out, p, "pi_fake_00002", &cap, NULL);
}

static int bad_cancel_succeeded(fake_processor *p, void *out)
{
	return fake_payment_intent_cancel(out, p, "pi_fake_00001", NULL, NULL);
}

static int bad_cancel_canceled(fake_processor *p, void *out)
{
	return fake_payment_intent_cancel(out, p, "pi_fake_00003", "abandoned", NULL);
}

static int bad_cancel_reason(fake_processor *p, void *out)
{
	return fake_payment_intent_cancel(out, p, "pi_fake_00005", "bored", NULL);
}

static int bad_cancel_unknown(fake_processor *p, void *out)
{
	return fake_payment_intent_cancel(out, p, "pi_fake_00042", NULL, NULL);
}

static int bad_authenticate_requires_confirmation(fake_processor *p, void *out)
{
	return fake_payment_intent_authenticate(out, p, "pi_fake_00006", true, NULL);
}

static int bad_authenticate_requires_capture(fake_processor *p, void *out)
{
	return fake_payment_intent_authenticate(out, p, "pi_fake_00002", false, NULL);
}

static int bad_authenticate_empty_id(fake_processor *p, void *out)
{
	return fake_payment_intent_authenticate(out, p, "", true, NULL);
}

static int bad_retrieve_unknown(fake_processor *p, void *out)
{
	return fake_payment_intent_retrieve(out, p, "pi_x", NULL);
}

static int bad_retrieve_too_long(fake_processor *p, void *out)
{
	static char id[FAKE_ID_MAX + 2];
	memset(id, 'i', sizeof id - 1);
	return fake_payment_intent_retrieve(out, p, id, NULL);
}

static int bad_list_unknown_customer(fake_processor *p, void *out)
{
	fake_payment_intent_list_params lp = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00042";
	return fake_payment_intent_list(out, p, &lp, NULL);
}

static int bad_list_limit(fake_processor *p, void *out)
{
	fake_payment_intent_list_params lp = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	lp.page.limit = 101;
	return fake_payment_intent_list(out, p, &lp, NULL);
}

static int bad_list_unknown_cursor(fake_processor *p, void *out)
{
	fake_payment_intent_list_params lp = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	lp.page.starting_after = "pi_fake_00042";
	return fake_payment_intent_list(out, p, &lp, NULL);
}

static const bad_case bad_cases[] = {
	{ "create: amount missing", bad_amount_missing, FAKE_EINVAL, "parameter_missing", "amount", false },
	{ "create: amount negative", bad_amount_negative, FAKE_EINVAL, "parameter_invalid_integer", "amount", false },
	{ "create: amount over 99,999,999", bad_amount_too_big, FAKE_EINVAL, "parameter_invalid_integer", "amount", false },
	{ "create: 49 usd", bad_amount_under_usd_minimum, FAKE_EINVAL, "amount_too_small", "amount", false },
	{ "create: 29 gbp", bad_amount_under_gbp_minimum, FAKE_EINVAL, "amount_too_small", "amount", false },
	{ "create: currency missing", bad_currency_missing, FAKE_EINVAL, "parameter_missing", "currency", false },
	{ "create: currency 'us'", bad_currency_short, FAKE_EINVAL, "parameter_invalid_string", "currency", false },
	{ "create: currency 'usdx'", bad_currency_long, FAKE_EINVAL, "parameter_invalid_string", "currency", false },
	{ "create: currency 'u$d'", bad_currency_symbol, FAKE_EINVAL, "parameter_invalid_string", "currency", false },
	{ "create: off_session without confirm", bad_off_session_without_confirm, FAKE_EINVAL, "", "off_session", false },
	{ "create: confirm without a payment method", bad_confirm_without_payment_method, FAKE_EINVAL, "",
	  "payment_method", false },
	{ "create: unknown customer", bad_unknown_customer, FAKE_ENOTFOUND, "resource_missing", "customer", false },
	{ "create: deleted customer", bad_deleted_customer, FAKE_ENOTFOUND, "resource_missing", "customer", false },
	{ "create: unknown payment method", bad_unknown_payment_method, FAKE_ENOTFOUND, "resource_missing",
	  "payment_method", false },
	{ "create: unknown test token", bad_unknown_token, FAKE_ENOTFOUND, "resource_missing", "payment_method", false },
	{ "create: empty payment method", bad_empty_payment_method, FAKE_EINVAL, "parameter_invalid_empty",
	  "payment_method", false },
	{ "create: a customer id as payment method", bad_customer_id_as_payment_method, FAKE_ENOTFOUND,
	  "resource_missing", "payment_method", false },
	{ "create: A's payment method without customer", bad_payment_method_of_a_without_customer, FAKE_EINVAL, "",
	  "customer", false },
	{ "create: A's payment method for B", bad_payment_method_of_a_for_b, FAKE_EINVAL, "", "payment_method", false },
	{ "create: detached payment method", bad_detached_payment_method, FAKE_EINVAL, "", "payment_method", false },
	{ "create: bad version", bad_create_version, FAKE_EINVAL, "parameter_invalid_integer", "version", false },
	{ "create: bad capture_method", bad_capture_method, FAKE_EINVAL, "", "capture_method", false },
	{ "create: description over 1000", bad_description_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long",
	  "description", false },
	{ "create: metadata key over 40", bad_metadata_key_too_long, FAKE_EINVAL, "parameter_invalid_metadata", NULL,
	  false },
	{ "confirm: unknown intent", bad_confirm_unknown, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "confirm: NULL id", bad_confirm_null_id, FAKE_EINVAL, "parameter_missing", "id", false },
	{ "confirm: succeeded", bad_confirm_succeeded, FAKE_ESTATE, "payment_intent_unexpected_state", "", false },
	{ "confirm: requires_capture", bad_confirm_requires_capture, FAKE_ESTATE, "payment_intent_unexpected_state", "",
	  false },
	{ "confirm: canceled", bad_confirm_canceled, FAKE_ESTATE, "payment_intent_unexpected_state", "", false },
	{ "confirm: requires_action", bad_confirm_requires_action, FAKE_ESTATE, "payment_intent_unexpected_state", "",
	  false },
	{ "confirm: no payment method", bad_confirm_no_payment_method, FAKE_EINVAL, "", "payment_method", false },
	{ "confirm: A's payment method on an intent without customer", bad_confirm_owned_payment_method, FAKE_EINVAL,
	  "", "customer", false },
	{ "confirm: detached payment method", bad_confirm_detached_payment_method, FAKE_EINVAL, "", "payment_method",
	  false },
	{ "confirm: bad version", bad_confirm_version, FAKE_EINVAL, "parameter_invalid_integer", "version", false },
	{ "capture: more than capturable", bad_capture_too_much, FAKE_EINVAL, "amount_too_large", "amount_to_capture",
	  false },
	{ "capture: negative", bad_capture_negative, FAKE_EINVAL, NULL, "amount_to_capture", false },
	{ "capture: succeeded", bad_capture_succeeded, FAKE_ESTATE, "payment_intent_unexpected_state", "", false },
	{ "capture: requires_confirmation", bad_capture_requires_confirmation, FAKE_ESTATE,
	  "payment_intent_unexpected_state", "", false },
	{ "capture: unknown", bad_capture_unknown, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "capture: bad version", bad_capture_version, FAKE_EINVAL, "parameter_invalid_integer", "version", false },
	{ "cancel: succeeded", bad_cancel_succeeded, FAKE_ESTATE, "payment_intent_unexpected_state", "", false },
	{ "cancel: canceled", bad_cancel_canceled, FAKE_ESTATE, "payment_intent_unexpected_state", "", false },
	{ "cancel: unknown reason", bad_cancel_reason, FAKE_EINVAL, "", "cancellation_reason", false },
	{ "cancel: unknown", bad_cancel_unknown, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "authenticate: requires_confirmation", bad_authenticate_requires_confirmation, FAKE_ESTATE,
	  "payment_intent_unexpected_state", "", false },
	{ "authenticate: requires_capture", bad_authenticate_requires_capture, FAKE_ESTATE,
	  "payment_intent_unexpected_state", "", false },
	{ "authenticate: empty id", bad_authenticate_empty_id, FAKE_EINVAL, "parameter_invalid_empty", "id", false },
	{ "retrieve: unknown", bad_retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "retrieve: over-long id", bad_retrieve_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "id",
	  false },
	{ "list: unknown customer", bad_list_unknown_customer, FAKE_ENOTFOUND, "resource_missing", "customer", true },
	{ "list: limit 101", bad_list_limit, FAKE_EINVAL, "parameter_invalid_integer", "limit", true },
	{ "list: unknown cursor", bad_list_unknown_cursor, FAKE_ENOTFOUND, "resource_missing", "starting_after", true },
};

static void test_payment_intent_bad_input(void **state)
{
	fake_processor *p = *state;
	prepare_bad(p);
	run_bad_cases(p, bad_cases, sizeof bad_cases / sizeof bad_cases[0]);

	/* no id was used by any of them */
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00007");
	assert_string_equal(fake_payment_intent_payment_method(pi), "pm_fake_00005");
	assert_string_equal(fake_payment_intent_latest_charge(pi), "ch_fake_00003");
}

/* A card detached while the customer was on the 3D Secure page cannot
 * complete the payment. */
static void test_payment_intent_authenticate_detached_card(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_card_authenticationRequired";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	fake_payment_intent_create_params pp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	pp.amount = 2000;
	pp.currency = "usd";
	pp.customer = "cus_fake_00001";
	pp.payment_method = "pm_fake_00001";
	pp.confirm = true;
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_create(&pi, p, &pp, NULL));
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_action");
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_detach(&pm, p, "pm_fake_00001", NULL));
	size_t events = fake_event_count(p);
	check_fails(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00001", true, NULL), FAKE_EINVAL, NULL,
		    "payment_method");
	assert_null(pi);
	check_ok(p, fake_payment_intent_retrieve(&pi, p, "pi_fake_00001", NULL));
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_action");
	assert_null(fake_payment_intent_latest_charge(pi));
	assert_int_equal(fake_event_count(p), events);
	/* failing the authentication still works */
	check_ok(p, fake_payment_intent_authenticate(&pi, p, "pi_fake_00001", false, NULL));
	assert_string_equal(fake_payment_intent_status_name(pi), "requires_payment_method");
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_payment_intent_create_without_payment_method),
		T(test_payment_intent_create_with_payment_method),
		T(test_payment_intent_create_amount_boundaries),
		T(test_payment_intent_create_under_minimum),
		T(test_payment_intent_create_owner_rules),
		T(test_payment_intent_create_detached_payment_method),
		T(test_payment_intent_create_confirm_visa),
		T(test_payment_intent_confirm_visa),
		T(test_payment_intent_confirm_with_payment_method_param),
		T(test_payment_intent_confirm_off_session_card_that_succeeds),
		T(test_payment_intent_create_confirm_declines),
		T(test_payment_intent_confirm_declines),
		T(test_payment_intent_decline_card_attached_to_customer),
		T(test_payment_intent_decline_charge_id_from_record),
		T(test_payment_intent_3ds_create_confirm_requires_action),
		T(test_payment_intent_3ds_confirm_requires_action),
		T(test_payment_intent_3ds_authenticate_succeeds),
		T(test_payment_intent_3ds_authenticate_fails),
		T(test_payment_intent_3ds_authenticate_wrong_status),
		T(test_payment_intent_3ds_manual_capture),
		T(test_payment_intent_3ds_off_session_declines),
		T(test_payment_intent_3155_off_session_after_authentication),
		T(test_payment_intent_manual_capture_authorizes),
		T(test_payment_intent_capture_all),
		T(test_payment_intent_capture_partial),
		T(test_payment_intent_capture_errors),
		T(test_payment_intent_cancel_open_statuses),
		T(test_payment_intent_cancel_releases_authorization),
		T(test_payment_intent_cancel_errors),
		T(test_payment_intent_script_decline_with_code),
		T(test_payment_intent_script_succeed),
		T(test_payment_intent_script_requires_action),
		T(test_payment_intent_outcome_script_used_by_create_without_confirm),
		T(test_payment_intent_outcome_scripts_refused_elsewhere),
		T(test_payment_intent_error_script_creates_nothing),
		T(test_payment_intent_stubs),
		T(test_payment_intent_call_counts),
		T(test_payment_intent_retrieve_unknown),
		T(test_payment_intent_list),
		T(test_payment_intent_bad_input),
		T(test_payment_intent_authenticate_detached_card),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
