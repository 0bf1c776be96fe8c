/*
 * Refunds (fake/refund.h): full and partial refunds of captured charges, by
 * charge or by payment intent, their balance transactions and events,
 * retrieve, list, the iterator, and bad input.
 */
#include "payment_helpers.h"

static const fake_refund *refund_by_charge(fake_processor *p, const char *charge, int64_t amount)
{
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = charge;
	rp.amount = amount;
	const fake_refund *re = NULL;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	assert_non_null(re);
	return re;
}

static void test_refund_full(void **state)
{
	fake_processor *p = *state;
	fake_kv md[] = { { "ticket", "T-1" } };
	pi_paid(p, 2000, NULL);
	check_ok(p, fake_clock_advance(p, 86400));
	size_t events = fake_event_count(p);

	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	rp.reason = "requested_by_customer";
	rp.metadata = md;
	rp.metadata_count = 1;
	const fake_refund *re = NULL;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	char request_id[32];
	snprintf(request_id, sizeof request_id, "%s", fake_error_last(p)->request_id);

	assert_string_equal(fake_refund_id(re), "re_fake_00001");
	assert_int_equal(fake_object_type_of(re), FAKE_OBJECT_REFUND);
	assert_string_equal(fake_object_name(re), "refund");
	assert_int_equal(fake_refund_created(re), fake_clock_now(p));
	assert_int_equal(fake_refund_amount(re), 2000);
	assert_string_equal(fake_refund_currency(re), "usd");
	assert_string_equal(fake_refund_charge(re), "ch_fake_00001");
	assert_string_equal(fake_refund_payment_intent(re), "pi_fake_00001");
	assert_string_equal(fake_refund_status(re), "succeeded");
	assert_string_equal(fake_refund_reason(re), "requested_by_customer");
	assert_string_equal(fake_metadata_get(fake_refund_metadata(re), "ticket"), "T-1");
	assert_string_equal(fake_refund_balance_transaction(re), "txn_fake_00002");

	const fake_balance_transaction *txn = txn_get(p, "txn_fake_00002");
	assert_int_equal(fake_balance_transaction_amount(txn), -2000);
	assert_int_equal(fake_balance_transaction_fee(txn), 0);
	assert_int_equal(fake_balance_transaction_net(txn), -2000);
	assert_string_equal(fake_balance_transaction_type(txn), "refund");
	assert_string_equal(fake_balance_transaction_source(txn), "re_fake_00001");
	assert_string_equal(fake_balance_transaction_currency(txn), "usd");
	assert_int_equal(fake_balance_transaction_created(txn), fake_clock_now(p));

	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_int_equal(fake_charge_amount_refunded(ch), 2000);
	assert_true(fake_charge_refunded(ch));
	assert_true(fake_charge_captured(ch));
	assert_int_equal(fake_charge_amount_captured(ch), 2000);
	/* the charge's own balance transaction is untouched */
	txn = txn_get(p, "txn_fake_00001");
	assert_int_equal(fake_balance_transaction_amount(txn), 2000);
	assert_int_equal(fake_balance_transaction_fee(txn), 88);
	/* the intent stays succeeded */
	assert_int_equal(fake_payment_intent_status_of(pi_get(p, "pi_fake_00001")), FAKE_PI_SUCCEEDED);

	check_events(p, events, "refund.created", "charge.refunded");
	const fake_event *created = event_nth(p, events + 1);
	const fake_event *refunded = event_nth(p, events + 2);
	assert_string_equal(fake_refund_id(fake_event_object(created)), "re_fake_00001");
	assert_true(fake_charge_refunded(fake_event_object(refunded)));
	assert_int_equal(fake_charge_amount_refunded(fake_event_object(refunded)), 2000);
	assert_string_equal(fake_event_request_id(created), request_id);
	assert_string_equal(fake_event_request_id(refunded), request_id);
	assert_ptr_equal(refund_get(p, "re_fake_00001"), re);
}

static void test_refund_partials(void **state)
{
	fake_processor *p = *state;
	pi_paid(p, 2000, NULL);
	const fake_charge *ch = charge_get(p, "ch_fake_00001");

	const fake_refund *re = refund_by_charge(p, "ch_fake_00001", 800);
	assert_int_equal(fake_refund_amount(re), 800);
	assert_null(fake_refund_reason(re));
	assert_int_equal(fake_charge_amount_refunded(ch), 800);
	assert_false(fake_charge_refunded(ch));
	const fake_event *e = event_nth(p, fake_event_count(p));
	assert_string_equal(fake_event_type(e), "charge.refunded");
	assert_false(fake_charge_refunded(fake_event_object(e)));

	re = refund_by_charge(p, "ch_fake_00001", 1200);
	assert_string_equal(fake_refund_id(re), "re_fake_00002");
	assert_int_equal(fake_charge_amount_refunded(ch), 2000);
	assert_true(fake_charge_refunded(ch));
	assert_int_equal(fake_balance_transaction_amount(txn_get(p, fake_refund_balance_transaction(re))), -1200);

	/* nothing left */
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	rp.amount = 1;
	re = SENTINEL;
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_already_refunded", "charge");
	assert_null(re);

	/* amount 0 refunds the rest */
	pi_paid(p, 1500, NULL);
	refund_by_charge(p, "ch_fake_00002", 1000);
	re = refund_by_charge(p, "ch_fake_00002", 0);
	assert_int_equal(fake_refund_amount(re), 500);
	assert_true(fake_charge_refunded(charge_get(p, "ch_fake_00002")));
}

static void test_refund_too_much(void **state)
{
	fake_processor *p = *state;
	pi_paid(p, 2000, NULL);
	size_t events = fake_event_count(p);
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	const fake_refund *re = SENTINEL;
	rp.charge = "ch_fake_00001";
	rp.amount = 2001;
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_EINVAL, "amount_too_large", "amount");
	assert_null(re);
	assert_string_equal(fake_error_last(p)->message,
			    "Refund amount (2001) is greater than the unrefunded amount on charge ch_fake_00001 (2000).");
	refund_by_charge(p, "ch_fake_00001", 500);
	rp.amount = 1501;
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_EINVAL, "amount_too_large", "amount");
	assert_int_equal(fake_charge_amount_refunded(charge_get(p, "ch_fake_00001")), 500);
	assert_int_equal(fake_event_count(p), events + 2);
	re = refund_by_charge(p, "ch_fake_00001", 1500);
	assert_string_equal(fake_refund_id(re), "re_fake_00002");
}

static void test_refund_fully_refunded(void **state)
{
	fake_processor *p = *state;
	pi_paid(p, 2000, NULL);
	refund_by_charge(p, "ch_fake_00001", 0);
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	const fake_refund *re = SENTINEL;
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_already_refunded", "charge");
	assert_string_equal(fake_error_last(p)->message, "Charge ch_fake_00001 has already been refunded.");
	assert_null(re);
	rp.charge = NULL;
	rp.payment_intent = "pi_fake_00001";
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_already_refunded", "charge");
}

static void test_refund_failed_or_uncaptured_charge(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_chargeDeclined", true);
	const fake_payment_intent *pi = SENTINEL;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	pi_authorized(p, 2000); /* ch_fake_00002 */
	size_t events = fake_event_count(p);

	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	const fake_refund *re = SENTINEL;
	rp.charge = "ch_fake_00001";
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_not_refundable", "charge");
	assert_null(re);
	assert_non_null(strstr(fake_error_last(p)->message, "failed"));
	rp.charge = "ch_fake_00002";
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_not_refundable", "charge");
	assert_non_null(strstr(fake_error_last(p)->message, "not been captured"));
	/* by payment intent: it must be succeeded */
	rp.charge = NULL;
	rp.payment_intent = "pi_fake_00002";
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_not_refundable", "payment_intent");
	rp.payment_intent = "pi_fake_00001";
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_not_refundable", "payment_intent");
	assert_int_equal(fake_event_count(p), events);

	/* a released authorization is not refundable either */
	check_ok(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00002", NULL, NULL));
	rp.payment_intent = NULL;
	rp.charge = "ch_fake_00002";
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_not_refundable", "charge");
	rp.charge = NULL;
	rp.payment_intent = "pi_fake_00002";
	check_fails(p, fake_refund_create(&re, p, &rp, NULL), FAKE_ESTATE, "charge_not_refundable", "payment_intent");

	/* once captured, an authorized charge can be refunded */
	pi_authorized(p, 3000); /* pi_fake_00003, ch_fake_00003 */
	check_ok(p, fake_payment_intent_capture(&pi, p, "pi_fake_00003", NULL, NULL));
	re = refund_by_charge(p, "ch_fake_00003", 0);
	assert_int_equal(fake_refund_amount(re), 3000);
	assert_true(fake_charge_refunded(charge_get(p, "ch_fake_00003")));
}

static void test_refund_by_payment_intent(void **state)
{
	fake_processor *p = *state;
	pi_paid(p, 2000, NULL);
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.payment_intent = "pi_fake_00001";
	rp.amount = 500;
	const fake_refund *re = NULL;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	assert_string_equal(fake_refund_charge(re), "ch_fake_00001");
	assert_string_equal(fake_refund_payment_intent(re), "pi_fake_00001");
	assert_int_equal(fake_refund_amount(re), 500);
	assert_int_equal(fake_charge_amount_refunded(charge_get(p, "ch_fake_00001")), 500);

	/* a declined then paid intent refunds its latest, succeeded charge */
	fake_payment_intent_create_params cp = pi_params(3000, "pm_card_chargeDeclined", true);
	const fake_payment_intent *pi = SENTINEL;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD); /* pi 2, ch 2 failed */
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_card_visa";
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00002", &cf, NULL)); /* ch 3 */
	rp.payment_intent = "pi_fake_00002";
	rp.amount = 0;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	assert_string_equal(fake_refund_charge(re), "ch_fake_00003");
	assert_int_equal(fake_refund_amount(re), 3000);
	assert_true(fake_charge_refunded(charge_get(p, "ch_fake_00003")));
	assert_int_equal(fake_charge_amount_refunded(charge_get(p, "ch_fake_00002")), 0);
}

static void test_refund_reasons(void **state)
{
	fake_processor *p = *state;
	static const char *const reasons[] = { "duplicate", "fraudulent", "requested_by_customer" };
	pi_paid(p, 3000, NULL);
	for (int i = 0; i < 3; i++) {
		char reason[32];
		snprintf(reason, sizeof reason, "%s", reasons[i]); /* the refund keeps its own copy */
		fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
		rp.charge = "ch_fake_00001";
		rp.amount = 1000;
		rp.reason = reason;
		const fake_refund *re = NULL;
		check_ok(p, fake_refund_create(&re, p, &rp, NULL));
		memset(reason, 'x', sizeof reason - 1);
		assert_string_equal(fake_refund_reason(re), reasons[i]);
	}
	assert_true(fake_charge_refunded(charge_get(p, "ch_fake_00001")));
}

/* fake/refund.h: a charge is `refunded` once all of amount_captured is;
 * amount 0 refunds everything not yet refunded. After a partial capture,
 * amount_refunded already counts the released, never-captured rest
 * (fake/payment_intent.h), which was not paid and cannot be refunded: all
 * of the captured amount must still be refundable. */
static void test_refund_after_partial_capture(void **state)
{
	fake_processor *p = *state;
	pi_authorized(p, 2000);
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.amount_to_capture = 1500;
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", &cap, NULL));
	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_int_equal(fake_charge_amount_captured(ch), 1500);
	assert_int_equal(fake_charge_amount_refunded(ch), 500);
	assert_false(fake_charge_refunded(ch));

	/* refund the whole captured amount */
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	const fake_refund *re = NULL;
	int rc = fake_refund_create(&re, p, &rp, NULL);
	check_ok(p, rc);
	if (fake_refund_amount(re) != 1500) {
		print_error("a full refund after capturing 1500 of 2000 refunded %" PRId64 ", not 1500\n",
			    fake_refund_amount(re));
		fail();
	}
	assert_int_equal(fake_charge_amount_refunded(ch), 2000);
	assert_true(fake_charge_refunded(ch));
}

static void test_refund_after_partial_capture_in_parts(void **state)
{
	fake_processor *p = *state;
	pi_authorized(p, 2000);
	fake_payment_intent_capture_params cap = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	cap.amount_to_capture = 1500;
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_capture(&pi, p, "pi_fake_00001", &cap, NULL));
	const fake_charge *ch = charge_get(p, "ch_fake_00001");

	/* 1000 of the 1500 captured: the charge is not fully refunded yet */
	refund_by_charge(p, "ch_fake_00001", 1000);
	if (fake_charge_refunded(ch)) {
		print_error("refunding 1000 of 1500 captured marked the charge refunded\n");
		fail();
	}
	/* the last 500 of the captured amount */
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	rp.amount = 500;
	const fake_refund *re = NULL;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	assert_true(fake_charge_refunded(ch));
}

static void test_refund_retrieve_unknown(void **state)
{
	fake_processor *p = *state;
	const fake_refund *re = SENTINEL;
	check_fails(p, fake_refund_retrieve(&re, p, "re_x", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_string_equal(fake_error_last(p)->message, "No such refund: 're_x'");
	assert_null(re);
}

static void test_refund_list(void **state)
{
	fake_processor *p = *state;
	pi_paid(p, 5000, NULL);
	pi_paid(p, 5000, NULL);
	for (int i = 0; i < 4; i++)
		refund_by_charge(p, i % 2 ? "ch_fake_00002" : "ch_fake_00001", 100 + i);
	fake_list page;
	check_ok(p, fake_refund_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 4);
	assert_string_equal(fake_refund_id(page.data[0]), "re_fake_00004");
	assert_string_equal(fake_refund_id(page.data[3]), "re_fake_00001");

	fake_refund_list_params lp = FAKE_REFUND_LIST_PARAMS_INIT;
	lp.charge = "ch_fake_00002";
	check_ok(p, fake_refund_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_string_equal(fake_refund_id(page.data[0]), "re_fake_00004");
	assert_string_equal(fake_refund_id(page.data[1]), "re_fake_00002");
	assert_int_equal(fake_refund_amount(page.data[1]), 101);

	/* the iterator, one refund per page */
	lp.charge = "ch_fake_00001";
	lp.page.limit = 1;
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_REFUNDS, &lp, NULL);
	const void *o = NULL;
	int rc, n = 0;
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		assert_int_equal(fake_object_type_of(o), FAKE_OBJECT_REFUND);
		assert_string_equal(fake_refund_charge(o), "ch_fake_00001");
		assert_string_equal(fake_refund_id(o), n == 0 ? "re_fake_00003" : "re_fake_00001");
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 2);
}

/* ---- bad input ---------------------------------------------------------------------------- */

/*
 *   pi_fake_00001 / ch_fake_00001  paid 2000, 500 refunded (re_fake_00001)
 *   pi_fake_00002 / ch_fake_00002  authorized (requires_capture)
 *   pi_fake_00003 / ch_fake_00003  declined (failed charge)
 *   pi_fake_00004 / ch_fake_00004  paid 1000, fully refunded (re_fake_00002)
 *   pi_fake_00005                  canceled, no charge
 */
static void prepare_bad(fake_processor *p)
{
	const fake_payment_intent *pi = NULL;
	pi_paid(p, 2000, NULL);
	refund_by_charge(p, "ch_fake_00001", 500);
	pi_authorized(p, 2000);
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_chargeDeclined", true);
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	pi_paid(p, 1000, NULL);
	refund_by_charge(p, "ch_fake_00004", 0);
	cp = pi_params(2000, NULL, false);
	pi_create(p, &cp);
	check_ok(p, fake_payment_intent_cancel(&pi, p, "pi_fake_00005", NULL, NULL));
}

static int bad_create(fake_processor *p, void *out, fake_refund_create_params rp)
{
	return fake_refund_create(out, p, &rp, NULL);
}

static fake_refund_create_params refund_params(const char *charge, const char *payment_intent, int64_t amount)
{
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = charge;
	rp.payment_intent = payment_intent;
	rp.amount = amount;
	return rp;
}

static int bad_neither(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params(NULL, NULL, 100));
}

static int bad_both(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("ch_fake_00001", "pi_fake_00001", 100));
}

static int bad_unknown_charge(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("ch_fake_00099", NULL, 100));
}

static int bad_empty_charge(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("", NULL, 100));
}

static int bad_refund_id_as_charge(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("re_fake_00001", NULL, 100));
}

static int bad_unknown_intent(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params(NULL, "pi_fake_00099", 100));
}

static int bad_negative_amount(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("ch_fake_00001", NULL, -1));
}

static int bad_too_much(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("ch_fake_00001", NULL, 1501));
}

static int bad_too_much_by_intent(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params(NULL, "pi_fake_00001", 2000));
}

static int bad_reason(fake_processor *p, void *out)
{
	fake_refund_create_params rp = refund_params("ch_fake_00001", NULL, 100);
	rp.reason = "changed_mind";
	return bad_create(p, out, rp);
}

static int bad_reason_abandoned(fake_processor *p, void *out)
{
	fake_refund_create_params rp = refund_params("ch_fake_00001", NULL, 100);
	rp.reason = "abandoned"; /* a cancellation reason, not a refund reason */
	return bad_create(p, out, rp);
}

static int bad_failed_charge(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("ch_fake_00003", NULL, 0));
}

static int bad_uncaptured_charge(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("ch_fake_00002", NULL, 100));
}

static int bad_already_refunded(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params("ch_fake_00004", NULL, 0));
}

static int bad_intent_requires_capture(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params(NULL, "pi_fake_00002", 0));
}

static int bad_intent_declined(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params(NULL, "pi_fake_00003", 0));
}

static int bad_intent_canceled(fake_processor *p, void *out)
{
	return bad_create(p, out, refund_params(NULL, "pi_fake_00005", 0));
}

static int bad_version(fake_processor *p, void *out)
{
	fake_refund_create_params rp = refund_params("ch_fake_00001", NULL, 100);
	rp.version = 0;
	return bad_create(p, out, rp);
}

static int bad_metadata(fake_processor *p, void *out)
{
	fake_refund_create_params rp = refund_params("ch_fake_00001", NULL, 100);
	rp.metadata_count = 2; /* with metadata NULL */
	return bad_create(p, out, rp);
}

static int bad_metadata_value(fake_processor *p, void *out)
{
	static char value[FAKE_METADATA_MAX_VALUE_LEN + 2];
	memset(value, 'v', sizeof value - 1);
	static fake_kv md[1];
	md[0].key = "note";
	md[0].value = value;
	fake_refund_create_params rp = refund_params("ch_fake_00001", NULL, 100);
	rp.metadata = md;
	rp.metadata_count = 1;
	return bad_create(p, out, rp);
}

static int bad_retrieve_unknown(fake_processor *p, void *out)
{
	return fake_refund_retrieve(out, p, "re_fake_00099", NULL);
}

static int bad_retrieve_charge_id(fake_processor *p, void *out)
{
	return fake_refund_retrieve(out, p, "ch_fake_00001", NULL);
}

static int bad_list_unknown_charge(fake_processor *p, void *out)
{
	fake_refund_list_params lp = FAKE_REFUND_LIST_PARAMS_INIT;
	lp.charge = "ch_fake_00099";
	return fake_refund_list(out, p, &lp, NULL);
}

static int bad_list_version(fake_processor *p, void *out)
{
	fake_refund_list_params lp = FAKE_REFUND_LIST_PARAMS_INIT;
	lp.version = 5;
	return fake_refund_list(out, p, &lp, NULL);
}

static int bad_list_cursor(fake_processor *p, void *out)
{
	fake_refund_list_params lp = FAKE_REFUND_LIST_PARAMS_INIT;
	lp.page.starting_after = "ch_fake_00001"; /* a charge is not a refund */
	return fake_refund_list(out, p, &lp, NULL);
}

static const bad_case bad_cases[] = {
	{ "create: neither charge nor payment_intent", bad_neither, FAKE_EINVAL, "parameter_missing", "charge", false },
	{ "create: both charge and payment_intent", bad_both, FAKE_EINVAL, "", "charge", false },
	{ "create: unknown charge", bad_unknown_charge, FAKE_ENOTFOUND, "resource_missing", "charge", false },
	{ "create: empty charge", bad_empty_charge, FAKE_EINVAL, "parameter_invalid_empty", "charge", false },
	{ "create: a refund's id as charge", bad_refund_id_as_charge, FAKE_ENOTFOUND, "resource_missing", "charge",
	  false },
	{ "create: unknown payment intent", bad_unknown_intent, FAKE_ENOTFOUND, "resource_missing", "payment_intent",
	  false },
	{ "create: negative amount", bad_negative_amount, FAKE_EINVAL, "parameter_invalid_integer", "amount", false },
	{ "create: more than is left", bad_too_much, FAKE_EINVAL, "amount_too_large", "amount", false },
	{ "create: more than is left, by intent", bad_too_much_by_intent, FAKE_EINVAL, "amount_too_large", "amount",
	  false },
	{ "create: unknown reason", bad_reason, FAKE_EINVAL, "", "reason", false },
	{ "create: reason abandoned", bad_reason_abandoned, FAKE_EINVAL, "", "reason", false },
	{ "create: failed charge", bad_failed_charge, FAKE_ESTATE, "charge_not_refundable", "charge", false },
	{ "create: uncaptured charge", bad_uncaptured_charge, FAKE_ESTATE, "charge_not_refundable", "charge", false },
	{ "create: fully refunded charge", bad_already_refunded, FAKE_ESTATE, "charge_already_refunded", "charge",
	  false },
	{ "create: intent requires_capture", bad_intent_requires_capture, FAKE_ESTATE, "charge_not_refundable",
	  "payment_intent", false },
	{ "create: declined intent", bad_intent_declined, FAKE_ESTATE, "charge_not_refundable", "payment_intent",
	  false },
	{ "create: canceled intent", bad_intent_canceled, FAKE_ESTATE, "charge_not_refundable", "payment_intent",
	  false },
	{ "create: bad version", bad_version, FAKE_EINVAL, "parameter_invalid_integer", "version", false },
	{ "create: metadata NULL with a count", bad_metadata, FAKE_EINVAL, "parameter_missing", "metadata", false },
	{ "create: metadata value over 500", bad_metadata_value, FAKE_EINVAL, "parameter_invalid_metadata",
	  "metadata[note]", false },
	{ "retrieve: unknown", bad_retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "retrieve: a charge's id", bad_retrieve_charge_id, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "list: unknown charge", bad_list_unknown_charge, FAKE_ENOTFOUND, "resource_missing", "charge", true },
	{ "list: bad version", bad_list_version, FAKE_EINVAL, "parameter_invalid_integer", "version", true },
	{ "list: a charge as cursor", bad_list_cursor, FAKE_ENOTFOUND, "resource_missing", "starting_after", true },
};

static void test_refund_bad_input(void **state)
{
	fake_processor *p = *state;
	prepare_bad(p);
	run_bad_cases(p, bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
	/* no id was used */
	const fake_refund *re = refund_by_charge(p, "ch_fake_00001", 0);
	assert_string_equal(fake_refund_id(re), "re_fake_00003");
	assert_int_equal(fake_refund_amount(re), 1500);
	assert_string_equal(fake_refund_balance_transaction(re), "txn_fake_00005");
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_refund_full),
		T(test_refund_partials),
		T(test_refund_too_much),
		T(test_refund_fully_refunded),
		T(test_refund_failed_or_uncaptured_charge),
		T(test_refund_by_payment_intent),
		T(test_refund_reasons),
		T(test_refund_after_partial_capture),
		T(test_refund_after_partial_capture_in_parts),
		T(test_refund_retrieve_unknown),
		T(test_refund_list),
		T(test_refund_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
