/*
 * Charges and balance transactions (fake/charge.h): what a payment leaves
 * behind, the fee model, retrieve, list with its filters, the iterator, and
 * bad input. Charges are made by confirming payment intents.
 */
#include "payment_helpers.h"

static void test_charge_retrieve_fields(void **state)
{
	fake_processor *p = *state;
	cust_new(p);
	check_ok(p, fake_clock_advance(p, 120));
	fake_payment_intent_create_params cp = pi_params(5000, "pm_card_mastercard", true);
	cp.currency = "EUR";
	cp.customer = "cus_fake_00001";
	pi_create(p, &cp);

	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_string_equal(fake_charge_id(ch), "ch_fake_00001");
	assert_int_equal(fake_object_type_of(ch), FAKE_OBJECT_CHARGE);
	assert_string_equal(fake_object_name(ch), "charge");
	assert_int_equal(fake_charge_created(ch), fake_clock_now(p));
	assert_int_equal(fake_object_created(ch), fake_clock_now(p));
	assert_int_equal(fake_charge_amount(ch), 5000);
	assert_string_equal(fake_charge_currency(ch), "eur");
	assert_string_equal(fake_charge_customer(ch), "cus_fake_00001");
	assert_string_equal(fake_charge_payment_intent(ch), "pi_fake_00001");
	assert_string_equal(fake_charge_payment_method(ch), "pm_fake_00001");
	assert_string_equal(fake_charge_status(ch), "succeeded");
	assert_string_equal(fake_charge_balance_transaction(ch), "txn_fake_00001");

	const fake_balance_transaction *txn = txn_get(p, "txn_fake_00001");
	assert_int_equal(fake_object_type_of(txn), FAKE_OBJECT_BALANCE_TRANSACTION);
	assert_string_equal(fake_object_name(txn), "balance_transaction");
	assert_string_equal(fake_balance_transaction_id(txn), "txn_fake_00001");
	assert_string_equal(fake_balance_transaction_currency(txn), "eur");
	assert_int_equal(fake_balance_transaction_created(txn), fake_clock_now(p));
	assert_int_equal(fake_balance_transaction_amount(txn), 5000);
	assert_int_equal(fake_balance_transaction_fee(txn), 175);
	assert_int_equal(fake_balance_transaction_net(txn), 4825);
	assert_string_equal(fake_balance_transaction_type(txn), "charge");
	assert_string_equal(fake_balance_transaction_source(txn), "ch_fake_00001");

	/* NULL in, NULL / 0 / false out */
	assert_null(fake_charge_id(NULL));
	assert_null(fake_charge_status(NULL));
	assert_false(fake_charge_paid(NULL));
	assert_int_equal(fake_charge_amount(NULL), 0);
	assert_null(fake_charge_outcome_type(NULL));
	assert_null(fake_balance_transaction_type(NULL));
	assert_int_equal(fake_balance_transaction_net(NULL), 0);
}

static void test_charge_retrieve_unknown(void **state)
{
	fake_processor *p = *state;
	const fake_charge *ch = SENTINEL;
	check_fails(p, fake_charge_retrieve(&ch, p, "ch_x", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_string_equal(fake_error_last(p)->message, "No such charge: 'ch_x'");
	assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
	assert_int_equal(fake_error_last(p)->http_status, 404);
	assert_null(ch);
	pi_paid(p, 2000, NULL);
	/* the intent's id is not the charge's */
	ch = SENTINEL;
	check_fails(p, fake_charge_retrieve(&ch, p, "pi_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_null(ch);

	const fake_balance_transaction *txn = SENTINEL;
	check_fails(p, fake_balance_transaction_retrieve(&txn, p, "txn_x", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_string_equal(fake_error_last(p)->message, "No such balance transaction: 'txn_x'");
	assert_null(txn);
}

/* libfake's fee model: 2.9% rounded half up, plus 30 cents. */
static void test_charge_balance_transaction_fees(void **state)
{
	fake_processor *p = *state;
	static const struct {
		int64_t amount;
		int64_t fee;
	} fees[] = {
		{ 50, 31 },       /* 1.45 -> 1 */
		{ 100, 33 },      /* 2.9 -> 3 */
		{ 500, 45 },      /* 14.5 -> 15: half up */
		{ 1010, 59 },     /* 29.29 -> 29 */
		{ 1234, 66 },     /* 35.786 -> 36 */
		{ 1500, 74 },     /* 43.5 -> 44: half up */
		{ 2000, 88 },     /* 58 */
		{ 2500, 103 },    /* 72.5 -> 73: half up */
		{ 5000, 175 },    /* 145 */
		{ 99999999, 2900030 }, /* 2899999.971 -> 2900000 */
	};
	for (size_t i = 0; i < sizeof fees / sizeof fees[0]; i++) {
		const fake_payment_intent *pi = pi_paid(p, fees[i].amount, NULL);
		const fake_charge *ch = charge_get(p, fake_payment_intent_latest_charge(pi));
		const fake_balance_transaction *txn = txn_get(p, fake_charge_balance_transaction(ch));
		if (fake_balance_transaction_fee(txn) != fees[i].fee) {
			print_error("amount %" PRId64 ": fee %" PRId64 ", expected %" PRId64 "\n", fees[i].amount,
				    fake_balance_transaction_fee(txn), fees[i].fee);
			fail();
		}
		assert_int_equal(fake_balance_transaction_amount(txn), fees[i].amount);
		assert_int_equal(fake_balance_transaction_net(txn), fees[i].amount - fees[i].fee);
		assert_string_equal(fake_balance_transaction_type(txn), "charge");
		assert_string_equal(fake_balance_transaction_source(txn), fake_charge_id(ch));
	}
	/* one balance transaction per payment, numbered in order */
	const fake_balance_transaction *txn = txn_get(p, "txn_fake_00010");
	assert_string_equal(fake_balance_transaction_source(txn), "ch_fake_00010");
}

static void test_charge_failed_has_no_balance_transaction(void **state)
{
	fake_processor *p = *state;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_chargeDeclinedInsufficientFunds", true);
	const fake_payment_intent *pi = SENTINEL;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	const fake_charge *ch = charge_get(p, "ch_fake_00001");
	assert_null(fake_charge_balance_transaction(ch));
	assert_string_equal(fake_charge_failure_code(ch), "card_declined");
	assert_string_equal(fake_charge_failure_message(ch), "Your card has insufficient funds.");
	assert_string_equal(fake_charge_outcome_reason(ch), "insufficient_funds");
	const fake_balance_transaction *txn = SENTINEL;
	check_fails(p, fake_balance_transaction_retrieve(&txn, p, "txn_fake_00001", NULL), FAKE_ENOTFOUND, NULL, NULL);
	/* the next successful payment gets the first balance transaction */
	pi = pi_paid(p, 2000, NULL);
	assert_string_equal(fake_charge_balance_transaction(charge_get(p, "ch_fake_00002")), "txn_fake_00001");
}

static void test_charge_events_snapshot(void **state)
{
	fake_processor *p = *state;
	pi_paid(p, 2000, NULL);
	const fake_event *e = event_nth(p, 2);
	assert_string_equal(fake_event_type(e), "charge.succeeded");
	const fake_charge *snap = fake_event_object(e);
	assert_int_equal(fake_object_type_of(snap), FAKE_OBJECT_CHARGE);
	assert_string_equal(fake_charge_id(snap), "ch_fake_00001");
	assert_null(fake_event_previous(e));
	/* the snapshot is not the live charge, and keeps its moment */
	const fake_charge *live = charge_get(p, "ch_fake_00001");
	assert_ptr_not_equal(snap, live);
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.charge = "ch_fake_00001";
	const fake_refund *re = NULL;
	check_ok(p, fake_refund_create(&re, p, &rp, NULL));
	assert_true(fake_charge_refunded(live));
	assert_false(fake_charge_refunded(snap));
	assert_int_equal(fake_charge_amount_refunded(snap), 0);
}

static void test_charge_no_events_request(void **state)
{
	fake_processor *p = *state;
	fake_request rq = FAKE_REQUEST_INIT;
	rq.no_events = true;
	fake_payment_intent_create_params cp = pi_params(2000, "pm_card_visa", true);
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_create(&pi, p, &cp, &rq));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
	assert_int_equal(fake_event_count(p), 0);
	charge_get(p, "ch_fake_00001");
	/* a declined payment without events is recorded all the same */
	cp.payment_method = "pm_card_chargeDeclined";
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, &rq), FAKE_ECARD);
	assert_string_equal(fake_error_last(p)->charge, "ch_fake_00002");
	assert_int_equal(fake_event_count(p), 0);
	assert_string_equal(fake_charge_status(charge_get(p, "ch_fake_00002")), "failed");
}

/* ---- list ------------------------------------------------------------------------------ */

/*
 * cus_fake_00001 A, cus_fake_00002 B:
 *   ch_fake_00001  A, pi_fake_00001, succeeded
 *   ch_fake_00002  B, pi_fake_00002, succeeded
 *   ch_fake_00003  no customer, pi_fake_00003, succeeded
 *   ch_fake_00004  A, pi_fake_00004, failed
 *   ch_fake_00005  A, pi_fake_00004, succeeded (the retry)
 */
static void prepare_charges(fake_processor *p)
{
	cust_new(p);
	cust_new(p);
	pi_paid(p, 2000, "cus_fake_00001");
	pi_paid(p, 2100, "cus_fake_00002");
	pi_paid(p, 2200, NULL);
	fake_payment_intent_create_params cp = pi_params(2300, "pm_card_chargeDeclined", true);
	cp.customer = "cus_fake_00001";
	const fake_payment_intent *pi = SENTINEL;
	assert_int_equal(fake_payment_intent_create(&pi, p, &cp, NULL), FAKE_ECARD);
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_card_visa";
	check_ok(p, fake_payment_intent_confirm(&pi, p, "pi_fake_00004", &cf, NULL));
	assert_string_equal(fake_payment_intent_latest_charge(pi), "ch_fake_00005");
}

static void check_page_ids(const fake_list *page, const char *const *ids, size_t n)
{
	assert_int_equal(page->count, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(fake_charge_id(page->data[i]), ids[i]);
}

#define check_page(page, ...) check_page_ids((page), EVENT_TYPES(__VA_ARGS__), EVENT_TYPES_N(__VA_ARGS__))

static void test_charge_list_filters(void **state)
{
	fake_processor *p = *state;
	prepare_charges(p);
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	fake_list page;

	check_ok(p, fake_charge_list(&page, p, NULL, NULL));
	check_page(&page, "ch_fake_00005", "ch_fake_00004", "ch_fake_00003", "ch_fake_00002", "ch_fake_00001");
	assert_false(page.has_more);
	/* failed charges are listed too */
	assert_string_equal(fake_charge_status(page.data[1]), "failed");

	lp.customer = "cus_fake_00001";
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00005", "ch_fake_00004", "ch_fake_00001");

	lp.customer = "cus_fake_00002";
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00002");

	lp.customer = NULL;
	lp.payment_intent = "pi_fake_00004";
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00005", "ch_fake_00004");

	/* both filters at once */
	lp.customer = "cus_fake_00002";
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
	lp.customer = "cus_fake_00001";
	lp.payment_intent = "pi_fake_00001";
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00001");

	/* paging */
	lp = (fake_charge_list_params)FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00005", "ch_fake_00004");
	assert_true(page.has_more);
	lp.page.starting_after = "ch_fake_00004";
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00003", "ch_fake_00002");
	assert_true(page.has_more);
	lp.page.starting_after = NULL;
	lp.page.ending_before = "ch_fake_00002";
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00004", "ch_fake_00003");
	assert_true(page.has_more);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CHARGES), 9);
}

static void test_charge_list_deleted_customer(void **state)
{
	fake_processor *p = *state;
	prepare_charges(p);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_delete(&c, p, "cus_fake_00002", NULL));
	/* the deleted customer's charges are still there */
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00002";
	fake_list page;
	check_ok(p, fake_charge_list(&page, p, &lp, NULL));
	check_page(&page, "ch_fake_00002");
}

static void test_charge_list_iterator(void **state)
{
	fake_processor *p = *state;
	prepare_charges(p);
	for (int i = 0; i < 20; i++)
		pi_paid(p, 1000 + i, "cus_fake_00002");
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00002";
	lp.page.limit = 4;
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CHARGES, &lp, NULL);
	const void *o = NULL;
	int rc, n = 0;
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_CHARGES);
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		assert_int_equal(fake_object_type_of(o), FAKE_OBJECT_CHARGE);
		assert_string_equal(fake_charge_customer(o), "cus_fake_00002");
		char want[32];
		snprintf(want, sizeof want, "ch_fake_%05d", n < 20 ? 25 - n : 2);
		assert_string_equal(fake_charge_id(o), want);
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_null(o);
	assert_int_equal(n, 21);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CHARGES) - calls, 6);
}

/* ---- bad input ---------------------------------------------------------------------------- */

static int bad_retrieve(fake_processor *p, void *out, const char *id)
{
	return fake_charge_retrieve(out, p, id, NULL);
}

static int bad_retrieve_null(fake_processor *p, void *out)
{
	return bad_retrieve(p, out, NULL);
}

static int bad_retrieve_empty(fake_processor *p, void *out)
{
	return bad_retrieve(p, out, "");
}

static int bad_retrieve_too_long(fake_processor *p, void *out)
{
	static char id[FAKE_ID_MAX + 2];
	memset(id, 'c', sizeof id - 1);
	return bad_retrieve(p, out, id);
}

static int bad_retrieve_unknown(fake_processor *p, void *out)
{
	return bad_retrieve(p, out, "ch_fake_00099");
}

static int bad_retrieve_intent_id(fake_processor *p, void *out)
{
	return bad_retrieve(p, out, "pi_fake_00001");
}

static int bad_retrieve_txn_id(fake_processor *p, void *out)
{
	return bad_retrieve(p, out, "txn_fake_00001");
}

static int bad_txn_unknown(fake_processor *p, void *out)
{
	return fake_balance_transaction_retrieve(out, p, "txn_fake_00099", NULL);
}

static int bad_txn_charge_id(fake_processor *p, void *out)
{
	return fake_balance_transaction_retrieve(out, p, "ch_fake_00001", NULL);
}

static int bad_txn_null(fake_processor *p, void *out)
{
	return fake_balance_transaction_retrieve(out, p, NULL, NULL);
}

static int bad_list(fake_processor *p, void *out, fake_charge_list_params lp)
{
	return fake_charge_list(out, p, &lp, NULL);
}

static int bad_list_unknown_customer(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00099";
	return bad_list(p, out, lp);
}

static int bad_list_unknown_intent(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.payment_intent = "pi_fake_00099";
	return bad_list(p, out, lp);
}

static int bad_list_charge_as_intent(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.payment_intent = "ch_fake_00001";
	return bad_list(p, out, lp);
}

static int bad_list_empty_customer(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.customer = "";
	return bad_list(p, out, lp);
}

static int bad_list_limit(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.page.limit = -1;
	return bad_list(p, out, lp);
}

static int bad_list_both_cursors(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.page.starting_after = "ch_fake_00001";
	lp.page.ending_before = "ch_fake_00002";
	return bad_list(p, out, lp);
}

static int bad_list_intent_cursor(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.page.ending_before = "pi_fake_00001";
	return bad_list(p, out, lp);
}

static int bad_list_version(fake_processor *p, void *out)
{
	fake_charge_list_params lp = FAKE_CHARGE_LIST_PARAMS_INIT;
	lp.version = 2;
	return bad_list(p, out, lp);
}

static const bad_case bad_cases[] = {
	{ "retrieve: NULL id", bad_retrieve_null, FAKE_EINVAL, "parameter_missing", "id", false },
	{ "retrieve: empty id", bad_retrieve_empty, FAKE_EINVAL, "parameter_invalid_empty", "id", false },
	{ "retrieve: over-long id", bad_retrieve_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "id", false },
	{ "retrieve: unknown", bad_retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "retrieve: a payment intent's id", bad_retrieve_intent_id, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "retrieve: a balance transaction's id", bad_retrieve_txn_id, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "balance transaction: unknown", bad_txn_unknown, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "balance transaction: a charge's id", bad_txn_charge_id, FAKE_ENOTFOUND, "resource_missing", "id", false },
	{ "balance transaction: NULL id", bad_txn_null, FAKE_EINVAL, "parameter_missing", "id", false },
	{ "list: unknown customer", bad_list_unknown_customer, FAKE_ENOTFOUND, "resource_missing", "customer", true },
	{ "list: unknown payment intent", bad_list_unknown_intent, FAKE_ENOTFOUND, "resource_missing", "payment_intent",
	  true },
	{ "list: a charge's id as payment intent", bad_list_charge_as_intent, FAKE_ENOTFOUND, "resource_missing",
	  "payment_intent", true },
	{ "list: empty customer", bad_list_empty_customer, FAKE_EINVAL, "parameter_invalid_empty", "customer", true },
	{ "list: limit -1", bad_list_limit, FAKE_EINVAL, "parameter_invalid_integer", "limit", true },
	{ "list: both cursors", bad_list_both_cursors, FAKE_EINVAL, "", "ending_before", true },
	{ "list: a payment intent as cursor", bad_list_intent_cursor, FAKE_ENOTFOUND, "resource_missing",
	  "ending_before", true },
	{ "list: bad version", bad_list_version, FAKE_EINVAL, "parameter_invalid_integer", "version", true },
};

static void test_charge_bad_input(void **state)
{
	fake_processor *p = *state;
	prepare_charges(p);
	run_bad_cases(p, bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_charge_retrieve_fields),
		T(test_charge_retrieve_unknown),
		T(test_charge_balance_transaction_fees),
		T(test_charge_failed_has_no_balance_transaction),
		T(test_charge_events_snapshot),
		T(test_charge_no_events_request),
		T(test_charge_list_filters),
		T(test_charge_list_deleted_customer),
		T(test_charge_list_iterator),
		T(test_charge_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
