/*
 * Subscriptions and their items (fake/subscription.h): create in every
 * payment behaviour, trials, anchors and cancellation settings; retrieve,
 * list, update with prorations, cancel, resume; items, usage records; the
 * reference fake's advance and transition helpers; bad input. Every test
 * starts from a fresh processor (fixture_new). docs/subscriptions.md and
 * docs/billing.md describe the behaviour checked here.
 */
#include "billing_op_helpers.h"

/* The usual start: cus_fake_00001 pays with pm_fake_00001 (a visa, its
 * default); price_fake_00001 is Pro, $10 a month; price_fake_00002 is
 * Team, $25 a month. */
static void world(fake_processor *p)
{
	cust_with_card(p, "pm_card_visa");
	monthly(p, 1000, "Pro");
	monthly(p, 2500, "Team");
}

/* ---- create ------------------------------------------------------------------------ */

static void test_subscription_create_charges_at_once(void **state)
{
	fake_processor *p = *state;
	world(p);
	size_t events = fake_event_count(p);
	fake_kv md[] = { { "seat", "alice" } };
	fake_subscription_item_params it = item_of("price_fake_00001", 2);
	it.metadata = md;
	it.metadata_count = 1;
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	const fake_subscription *sub = sub_create(p, &sc);
	char request_id[32];
	snprintf(request_id, sizeof request_id, "%s", fake_error_last(p)->request_id);

	assert_string_equal(fake_subscription_id(sub), "sub_fake_00001");
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_string_equal(fake_subscription_status_name(sub), "active");
	assert_string_equal(fake_subscription_customer(sub), "cus_fake_00001");
	assert_string_equal(fake_subscription_currency(sub), "usd");
	assert_int_equal(fake_subscription_created(sub), T0);
	assert_int_equal(fake_subscription_start_date(sub), T0);
	assert_int_equal(fake_subscription_current_period_start(sub), T0);
	assert_int_equal(fake_subscription_current_period_end(sub), T0 + JAN);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), T0);
	assert_int_equal(fake_subscription_trial_start(sub), 0);
	assert_int_equal(fake_subscription_trial_end(sub), 0);
	assert_false(fake_subscription_cancel_at_period_end(sub));
	assert_int_equal(fake_subscription_cancel_at(sub), 0);
	assert_int_equal(fake_subscription_canceled_at(sub), 0);
	assert_int_equal(fake_subscription_ended_at(sub), 0);
	assert_null(fake_subscription_default_payment_method(sub)); /* the customer's is used */
	assert_int_equal(fake_subscription_collection_method(sub), FAKE_COLLECT_CHARGE_AUTOMATICALLY);
	assert_int_equal(fake_subscription_days_until_due(sub), 0);
	assert_int_equal(fake_subscription_pause_collection(sub), FAKE_PAUSE_NONE);
	assert_int_equal(fake_object_type_of(sub), FAKE_OBJECT_SUBSCRIPTION);
	assert_string_equal(fake_object_name(sub), "subscription");

	assert_int_equal(fake_subscription_item_count(sub), 1);
	const fake_subscription_item *si = fake_subscription_item_at(sub, 0);
	assert_null(fake_subscription_item_at(sub, 1));
	assert_string_equal(fake_subscription_item_id(si), "si_fake_00001");
	assert_string_equal(fake_subscription_item_subscription(si), "sub_fake_00001");
	assert_string_equal(fake_price_id(fake_subscription_item_price(si)), "price_fake_00001");
	assert_int_equal(fake_subscription_item_quantity(si), 2);
	assert_string_equal(fake_metadata_get(fake_subscription_item_metadata(si), "seat"), "alice");
	assert_int_equal(fake_subscription_item_quantity(si_get(p, "si_fake_00001")), 2);

	/* the first period was billed and paid now, with the customer's card */
	assert_string_equal(fake_subscription_latest_invoice(sub), "in_fake_00001");
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_CREATE);
	assert_string_equal(fake_invoice_billing_reason_name(inv), "subscription_create");
	assert_string_equal(fake_invoice_subscription(inv), "sub_fake_00001");
	assert_string_equal(fake_invoice_customer(inv), "cus_fake_00001");
	assert_string_equal(fake_invoice_number(inv), "FAKE-00001");
	check_amounts(inv, 2000, 2000);
	assert_int_equal(fake_invoice_attempt_count(inv), 1);
	assert_int_equal(fake_invoice_line_count(inv), 1);
	const fake_invoice_line *line = fake_invoice_line_at(inv, 0);
	assert_int_equal(fake_invoice_line_amount(line), 2000);
	assert_int_equal(fake_invoice_line_quantity(line), 2);
	assert_string_equal(fake_invoice_line_type(line), "subscription");
	assert_string_equal(fake_invoice_line_description(line), "2 x Pro");
	assert_string_equal(fake_invoice_line_subscription_item(line), "si_fake_00001");
	assert_int_equal(fake_invoice_line_period_start(line), T0);
	assert_int_equal(fake_invoice_line_period_end(line), T0 + JAN);
	assert_false(fake_invoice_line_proration(line));
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
	assert_int_equal(fake_payment_intent_amount_received(pi), 2000);
	assert_string_equal(fake_payment_intent_payment_method(pi), "pm_fake_00001");
	assert_string_equal(fake_invoice_charge(inv), fake_payment_intent_latest_charge(pi));
	assert_int_equal(fake_charge_amount(charge_get(p, fake_invoice_charge(inv))), 2000);

	check_events(p, events, "customer.subscription.created", "invoice.created", "payment_intent.created",
		     "invoice.finalized", "charge.succeeded", "payment_intent.succeeded", "invoice.paid",
		     "invoice.payment_succeeded", "customer.subscription.updated");
	/* created shows it incomplete; the payment activates it */
	const fake_subscription *created = fake_event_object(event_nth(p, events + 1));
	assert_int_equal(fake_subscription_status_of(created), FAKE_SUB_INCOMPLETE);
	const fake_event *upd = event_nth(p, events + 9);
	assert_int_equal(fake_subscription_status_of(fake_event_object(upd)), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_status_of(fake_event_previous(upd)), FAKE_SUB_INCOMPLETE);
	assert_int_equal(fake_event_previous_attribute_count(upd), 1);
	assert_string_equal(fake_event_previous_attribute(upd, 0), "status");
	for (size_t i = events + 1; i <= events + 9; i++)
		assert_string_equal(fake_event_request_id(event_nth(p, i)), request_id);
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_SUBSCRIPTION), 1);
}

static void test_subscription_create_with_default_payment_method_param(void **state)
{
	fake_processor *p = *state;
	world(p);
	/* a second card, attached but not the customer's default */
	pm_attach(p, "pm_card_mastercard", "cus_fake_00001"); /* pm_fake_00002 */
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.default_payment_method = "pm_fake_00002";
	const fake_subscription *sub = sub_create(p, &sc);
	assert_string_equal(fake_subscription_default_payment_method(sub), "pm_fake_00002");
	assert_int_equal(fake_subscription_item_quantity(fake_subscription_item_at(sub, 0)), 1);
	const fake_invoice *inv = latest_invoice(p, sub);
	check_amounts(inv, 1000, 1000);
	assert_string_equal(fake_payment_intent_payment_method(pi_get(p, fake_invoice_payment_intent(inv))),
			    "pm_fake_00002");
}

static void test_subscription_create_trial_period_days(void **state)
{
	fake_processor *p = *state;
	world(p);
	size_t events = fake_event_count(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 3);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);

	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_TRIALING);
	assert_int_equal(fake_subscription_trial_start(sub), T0);
	assert_int_equal(fake_subscription_trial_end(sub), T0 + 14 * DAY);
	assert_int_equal(fake_subscription_current_period_start(sub), T0);
	assert_int_equal(fake_subscription_current_period_end(sub), T0 + 14 * DAY);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), T0 + 14 * DAY);
	/* a $0 invoice, paid at once, without a payment intent */
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	check_amounts(inv, 0, 0);
	assert_null(fake_invoice_payment_intent(inv));
	assert_int_equal(fake_invoice_line_count(inv), 1);
	assert_string_equal(fake_invoice_line_description(fake_invoice_line_at(inv, 0)), "Trial period for Pro");
	assert_int_equal(fake_invoice_line_quantity(fake_invoice_line_at(inv, 0)), 3);
	assert_int_equal(count_payment_intents(p), 0);
	check_events(p, events, "customer.subscription.created", "invoice.created", "invoice.finalized", "invoice.paid",
		     "invoice.payment_succeeded");
	assert_int_equal(fake_subscription_status_of(fake_event_object(event_nth(p, events + 1))), FAKE_SUB_TRIALING);

	/* three days before the end: trial_will_end, then invoice.upcoming (the
	 * trial end T0 + 14 days less the default 3 days); at the end: active, billed */
	events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 11, 0, true));
	check_events(p, events, "customer.subscription.trial_will_end", "invoice.upcoming");
	assert_int_equal(fake_event_created(event_nth(p, events + 2)), T0 + 11 * DAY);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_TRIALING);
	events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 3, 3600, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_current_period_start(sub), T0 + 14 * DAY);
	inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_CYCLE);
	check_amounts(inv, 3000, 3000);
	check_events(p, events, "invoice.created", "customer.subscription.updated", "payment_intent.created",
		     "invoice.finalized", "charge.succeeded", "payment_intent.succeeded", "invoice.paid",
		     "invoice.payment_succeeded");
}

static void test_subscription_create_trial_end(void **state)
{
	fake_processor *p = *state;
	world(p);
	size_t events = fake_event_count(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_end = T0 + 2 * DAY + 600;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_TRIALING);
	assert_int_equal(fake_subscription_trial_end(sub), T0 + 2 * DAY + 600);
	assert_int_equal(fake_subscription_current_period_end(sub), T0 + 2 * DAY + 600);
	/* fewer than three days remain: trial_will_end is emitted now, once */
	check_events(p, events, "customer.subscription.created", "invoice.created", "invoice.finalized", "invoice.paid",
		     "invoice.payment_succeeded", "customer.subscription.trial_will_end");
	check_ok(p, fake_subscription_advance(p, NULL, 2, 0, true));
	assert_int_equal(count_events(p, "customer.subscription.trial_will_end"), 1);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_TRIALING);
	check_ok(p, fake_subscription_advance(p, NULL, 0, 600, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(count_events(p, "customer.subscription.trial_will_end"), 1);

	/* trial_end = now means no trial: charged at once */
	sc.trial_end = FAKE_TRIAL_END_NOW;
	it.price = "price_fake_00002";
	const fake_subscription *now = sub_create(p, &sc);
	assert_int_equal(fake_subscription_status_of(now), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_trial_end(now), 0);
	check_amounts(latest_invoice(p, now), 2500, 2500);
}

static void test_subscription_create_send_invoice(void **state)
{
	fake_processor *p = *state;
	world(p);
	size_t events = fake_event_count(p);
	fake_subscription_item_params it = item_of("price_fake_00002", 2);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.collection_method = FAKE_COLLECT_SEND_INVOICE;
	sc.days_until_due = 7;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_collection_method(sub), FAKE_COLLECT_SEND_INVOICE);
	assert_int_equal(fake_subscription_days_until_due(sub), 7);
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
	assert_int_equal(fake_invoice_collection_method(inv), FAKE_COLLECT_SEND_INVOICE);
	assert_int_equal(fake_invoice_due_date(inv), T0 + 7 * DAY);
	check_amounts(inv, 5000, 0);
	assert_int_equal(fake_invoice_attempt_count(inv), 0);
	/* never charged, though the customer has a card */
	assert_int_equal(fake_payment_intent_status_of(pi_get(p, fake_invoice_payment_intent(inv))),
			 FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_invoice_charge(inv));
	check_events(p, events, "customer.subscription.created", "invoice.created", "payment_intent.created",
		     "invoice.finalized", "invoice.sent");

	/* days_until_due defaults to 30 */
	sc.days_until_due = 0;
	it.price = "price_fake_00001";
	const fake_subscription *dflt = sub_create(p, &sc);
	assert_int_equal(fake_subscription_days_until_due(dflt), 30);
	assert_int_equal(fake_invoice_due_date(latest_invoice(p, dflt)), T0 + 30 * DAY);

	/* unpaid at its due date: overdue, and the subscription past_due */
	events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 7, 0, true));
	check_events(p, events, "invoice.overdue", "customer.subscription.updated");
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_PAST_DUE);
	assert_int_equal(fake_subscription_status_of(dflt), FAKE_SUB_ACTIVE);
}

static void test_subscription_create_default_incomplete(void **state)
{
	fake_processor *p = *state;
	world(p);
	size_t events = fake_event_count(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.payment_behavior = FAKE_PAYMENT_DEFAULT_INCOMPLETE;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_INCOMPLETE);
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
	check_amounts(inv, 1000, 0);
	assert_int_equal(fake_invoice_attempt_count(inv), 0);
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_int_equal(fake_payment_intent_amount(pi), 1000);
	assert_null(fake_payment_intent_latest_charge(pi));
	check_events(p, events, "customer.subscription.created", "invoice.created", "payment_intent.created",
		     "invoice.finalized");

	/* paying the first invoice activates it */
	const fake_invoice *paid = NULL;
	check_ok(p, fake_invoice_pay(&paid, p, fake_invoice_id(inv), NULL, NULL));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	check_amounts(inv, 1000, 1000);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	last_event(p, "customer.subscription.updated");
}

static void test_subscription_create_allow_incomplete_declined(void **state)
{
	fake_processor *p = *state;
	monthly(p, 1000, "Pro");
	cust_with_card(p, "pm_card_chargeCustomerFail");
	size_t events = fake_event_count(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	const fake_subscription *sub = NULL;
	assert_int_equal(fake_subscription_create(&sub, p, &sc, NULL), 0);
	/* the call succeeded: the record is clear */
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_non_null(sub);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_INCOMPLETE);
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
	assert_int_equal(fake_invoice_attempt_count(inv), 1);
	assert_true(fake_invoice_attempted(inv));
	check_amounts(inv, 1000, 0);
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_string_equal(fake_payment_intent_last_error_code(pi), "card_declined");
	assert_string_equal(fake_charge_status(charge_get(p, fake_invoice_charge(inv))), "failed");
	check_events(p, events, "customer.subscription.created", "invoice.created", "payment_intent.created",
		     "invoice.finalized", "charge.failed", "payment_intent.payment_failed", "invoice.payment_failed");

	/* 23 hours later it expires; its invoice is voided */
	events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 0, 23 * 3600, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_INCOMPLETE_EXPIRED);
	assert_int_equal(fake_subscription_ended_at(sub), T0 + 23 * 3600);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_VOID);
	check_events(p, events, "payment_intent.canceled", "invoice.voided", "customer.subscription.updated");
}

static void test_subscription_create_error_if_incomplete_declined(void **state)
{
	fake_processor *p = *state;
	monthly(p, 1000, "Pro");
	cust_with_card(p, "pm_card_chargeCustomerFail");
	size_t events = fake_event_count(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.payment_behavior = FAKE_PAYMENT_ERROR_IF_INCOMPLETE;
	const fake_subscription *sub = SENTINEL;
	check_fails(p, fake_subscription_create(&sub, p, &sc, NULL), FAKE_ECARD, "card_declined", "");
	assert_null(sub);
	const fake_error *e = fake_error_last(p);
	assert_string_equal(e->type, "card_error");
	assert_int_equal(e->http_status, 402);
	assert_string_equal(e->decline_code, "generic_decline");
	assert_string_equal(e->message, "Your card was declined.");
	/* nothing is left to name */
	assert_string_equal(e->charge, "");
	assert_string_equal(e->payment_intent, "");

	/* no subscription, invoice, payment intent, charge or event */
	assert_int_equal(count_subscriptions(p, NULL, NULL, "all"), 0);
	assert_int_equal(count_invoices(p, NULL, NULL), 0);
	assert_int_equal(count_payment_intents(p), 0);
	assert_int_equal(fake_event_count(p), events);
	const fake_charge *ch = SENTINEL;
	check_fails(p, fake_charge_retrieve(&ch, p, "ch_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing", "id");

	/* and no id was used: a good card now gets the first ones */
	cust_with_card(p, "pm_card_visa"); /* cus_fake_00002 */
	sc.customer = "cus_fake_00002";
	sub = sub_create(p, &sc);
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00001");
	assert_string_equal(fake_subscription_item_id(fake_subscription_item_at(sub, 0)), "si_fake_00001");
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_string_equal(fake_invoice_id(inv), "in_fake_00001");
	assert_string_equal(fake_invoice_payment_intent(inv), "pi_fake_00001");
	assert_string_equal(fake_invoice_charge(inv), "ch_fake_00001");
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
}

static void test_subscription_create_billing_cycle_anchor(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.billing_cycle_anchor = T0 + 10 * DAY;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), T0 + 10 * DAY);
	assert_int_equal(fake_subscription_current_period_start(sub), T0);
	assert_int_equal(fake_subscription_current_period_end(sub), T0 + 10 * DAY);
	/* the first invoice bills 10 of January's 31 days: 1000 x 10/31 = 322.58 */
	const fake_invoice *inv = latest_invoice(p, sub);
	check_amounts(inv, 323, 323);
	assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(inv, 0)), T0 + 10 * DAY);

	/* from the anchor on, full periods: Jan 11 -> Feb 11 */
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 10, 3600, true));
	assert_int_equal(fake_subscription_current_period_start(sub), T0 + 10 * DAY);
	assert_int_equal(fake_subscription_current_period_end(sub), T0 + 10 * DAY + JAN);
	inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_CYCLE);
	check_amounts(inv, 1000, 1000);
}

static void test_subscription_create_cancel_at_period_end(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.cancel_at_period_end = true;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_true(fake_subscription_cancel_at_period_end(sub));
	/* Stripe: canceled_at is the time of the request that asked for it */
	assert_int_equal(fake_subscription_canceled_at(sub), T0);
	assert_int_equal(fake_subscription_ended_at(sub), 0);
	/* nothing is upcoming */
	const fake_invoice *preview = SENTINEL;
	check_fails(p, fake_invoice_upcoming(&preview, p, "sub_fake_00001", NULL), FAKE_ESTATE,
		    "invoice_upcoming_none", "subscription");
	assert_null(preview);

	size_t events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 31, 0, true));
	check_events(p, events, "customer.subscription.deleted");
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_CANCELED);
	assert_int_equal(fake_subscription_ended_at(sub), T0 + JAN);
	assert_int_equal(fake_subscription_canceled_at(sub), T0);
	assert_false(fake_subscription_cancel_at_period_end(sub));
	assert_int_equal(count_invoices(p, NULL, NULL), 1); /* no renewal */
}

static void test_subscription_create_cancel_at(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.cancel_at = T0 + 40 * DAY;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_cancel_at(sub), T0 + 40 * DAY);
	assert_false(fake_subscription_cancel_at_period_end(sub));
	/* renewed on Feb 1 as usual, then canceled on Feb 10 */
	check_ok(p, fake_subscription_advance(p, NULL, 39, 86399, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(count_invoices(p, "cus_fake_00001", "paid"), 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, 1, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_CANCELED);
	assert_int_equal(fake_subscription_ended_at(sub), T0 + 40 * DAY);
	last_event(p, "customer.subscription.deleted");
}

static void test_subscription_create_metadata_and_description(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_kv md[] = { { "plan", "gold" }, { "region", "eu" } };
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.metadata = md;
	sc.metadata_count = 2;
	sc.description = "Pro for Alice";
	const fake_subscription *sub = sub_create(p, &sc);
	const fake_metadata *m = fake_subscription_metadata(sub);
	assert_int_equal(fake_metadata_count(m), 2);
	assert_string_equal(fake_metadata_key(m, 0), "plan");
	assert_string_equal(fake_metadata_get(m, "region"), "eu");
	assert_string_equal(fake_subscription_description(sub), "Pro for Alice");

	/* merged on update: "" deletes a key; one event naming what changed */
	fake_kv change[] = { { "region", "" }, { "seats", "5" } };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.metadata = change;
	up.metadata_count = 2;
	up.description = "";
	size_t events = fake_event_count(p);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_ptr_equal(out, sub);
	m = fake_subscription_metadata(sub);
	assert_int_equal(fake_metadata_count(m), 2);
	assert_string_equal(fake_metadata_get(m, "plan"), "gold");
	assert_string_equal(fake_metadata_get(m, "seats"), "5");
	assert_null(fake_metadata_get(m, "region"));
	assert_null(fake_subscription_description(sub));
	check_events(p, events, "customer.subscription.updated");
	const fake_event *e = last_event(p, "customer.subscription.updated");
	assert_int_equal(fake_event_previous_attribute_count(e), 2);
	assert_string_equal(fake_event_previous_attribute(e, 0), "description");
	assert_string_equal(fake_event_previous_attribute(e, 1), "metadata");
	assert_string_equal(fake_metadata_get(fake_subscription_metadata(fake_event_previous(e)), "region"), "eu");

	/* an update that changes nothing emits nothing */
	events = fake_event_count(p);
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_int_equal(fake_event_count(p), events);
}

static void test_subscription_create_price_data(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_price_data pd = { "usd", "prod_fake_00002", 1234, FAKE_INTERVAL_MONTH, 0 };
	fake_subscription_item_params it = { NULL, NULL, &pd, 2, false, NULL, 0 };
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	size_t events = fake_event_count(p);
	const fake_subscription *sub = sub_create(p, &sc);
	/* Stripe makes a real, inactive price for the product */
	const fake_price *price = fake_subscription_item_price(fake_subscription_item_at(sub, 0));
	assert_string_equal(fake_price_id(price), "price_fake_00003");
	assert_string_equal(fake_price_product(price), "prod_fake_00002");
	assert_int_equal(fake_price_unit_amount(price), 1234);
	assert_int_equal(fake_price_interval(price), FAKE_INTERVAL_MONTH);
	assert_false(fake_price_active(price));
	check_amounts(latest_invoice(p, sub), 2468, 2468);
	assert_string_equal(fake_event_type(event_nth(p, events + 1)), "price.created");
	assert_string_equal(fake_event_type(event_nth(p, events + 2)), "customer.subscription.created");
}

static void test_subscription_create_several_items(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params its[] = { item_of("price_fake_00002", 1), item_of("price_fake_00001", 4) };
	fake_subscription_create_params sc = sub_params("cus_fake_00001", its);
	sc.item_count = 2;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_item_count(sub), 2);
	assert_string_equal(fake_subscription_item_id(fake_subscription_item_at(sub, 0)), "si_fake_00001");
	assert_string_equal(fake_price_id(fake_subscription_item_price(fake_subscription_item_at(sub, 1))),
			    "price_fake_00001");
	const fake_invoice *inv = latest_invoice(p, sub);
	check_amounts(inv, 2500 + 4000, 6500);
	assert_int_equal(fake_invoice_line_count(inv), 2);
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 0)), 2500);
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 1)), 4000);
	assert_string_equal(fake_invoice_line_description(fake_invoice_line_at(inv, 1)), "4 x Pro");
}

/* ---- retrieve and list ----------------------------------------------------------------- */

static void test_subscription_retrieve(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 1);
	assert_ptr_equal(sub_get(p, "sub_fake_00001"), sub);
	const fake_subscription *out = SENTINEL;
	check_fails(p, fake_subscription_retrieve(&out, p, "sub_fake_00002", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_null(out);
	assert_string_equal(fake_error_last(p)->message, "No such subscription: 'sub_fake_00002'");
	/* a canceled subscription is still there */
	check_ok(p, fake_subscription_cancel(&out, p, "sub_fake_00001", NULL, NULL));
	assert_int_equal(fake_subscription_status_of(sub_get(p, "sub_fake_00001")), FAKE_SUB_CANCELED);
}

static void check_page(const fake_list *page, const char *const *ids, size_t n)
{
	assert_int_equal(page->count, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(fake_object_id(page->data[i]), ids[i]);
}

static void test_subscription_list_filters(void **state)
{
	fake_processor *p = *state;
	world(p);                           /* cus_fake_00001 */
	cust_with_card(p, "pm_card_visa"); /* cus_fake_00002 */
	cust_with_card(p, "pm_card_chargeCustomerFail"); /* cus_fake_00003 */
	sub_simple(p, "cus_fake_00001", "price_fake_00001", 1); /* 1: active */
	sub_simple(p, "cus_fake_00001", "price_fake_00002", 1); /* 2: canceled below */
	fake_subscription_item_params it = item_of("price_fake_00001", 1);
	fake_subscription_create_params sc = sub_params("cus_fake_00002", &it);
	sc.trial_period_days = 30;
	sub_create(p, &sc);                                     /* 3: trialing */
	sub_simple(p, "cus_fake_00003", "price_fake_00002", 1); /* 4: incomplete */
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_cancel(&out, p, "sub_fake_00002", NULL, NULL));

	fake_subscription_list_params lp = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	fake_list page;
	/* by default, newest first, ended ones left out */
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00004", "sub_fake_00003", "sub_fake_00001" }, 3);
	assert_false(page.has_more);
	lp.status = "all";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00004", "sub_fake_00003", "sub_fake_00002", "sub_fake_00001" },
		   4);
	lp.status = "ended";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00002" }, 1);
	lp.status = "canceled";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00002" }, 1);
	lp.status = "trialing";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00003" }, 1);
	lp.status = "incomplete";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00004" }, 1);
	lp.status = "past_due";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);

	/* by customer and price, combined with status */
	lp.status = NULL;
	lp.customer = "cus_fake_00001";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00001" }, 1);
	lp.status = "all";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00002", "sub_fake_00001" }, 2);
	lp.customer = NULL;
	lp.price = "price_fake_00002";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00004", "sub_fake_00002" }, 2);
	lp.status = NULL;
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00004" }, 1);

	/* pages */
	lp = (fake_subscription_list_params)FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	lp.status = "all";
	lp.page.limit = 2;
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00004", "sub_fake_00003" }, 2);
	assert_true(page.has_more);
	lp.page.starting_after = "sub_fake_00003";
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "sub_fake_00002", "sub_fake_00001" }, 2);
	assert_false(page.has_more);
}

/* ---- update and prorations ------------------------------------------------------------- */

/* 10 days and 12345 seconds into January: 1802055 of 2678400 seconds remain. */
#define MID (10 * DAY + 12345)

/* The pending invoice item `id`: a proration of `amount` for the rest of January. */
static void check_proration(fake_processor *p, const char *id, int64_t amount, int64_t quantity, const char *desc)
{
	const fake_invoice_item *ii = ii_get(p, id);
	assert_int_equal(fake_invoice_item_amount(ii), amount);
	assert_int_equal(fake_invoice_item_quantity(ii), quantity);
	assert_true(fake_invoice_item_proration(ii));
	assert_null(fake_invoice_item_invoice(ii));
	assert_string_equal(fake_invoice_item_subscription(ii), "sub_fake_00001");
	assert_string_equal(fake_invoice_item_customer(ii), "cus_fake_00001");
	assert_string_equal(fake_invoice_item_currency(ii), "usd");
	assert_int_equal(fake_invoice_item_period_start(ii), T0 + MID);
	assert_int_equal(fake_invoice_item_period_end(ii), T0 + JAN);
	assert_string_equal(fake_invoice_item_description(ii), desc);
}

static void test_subscription_update_quantity_create_prorations(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	size_t events = fake_event_count(p);
	fake_subscription_item_params ch = { "si_fake_00001", NULL, NULL, 5, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_ptr_equal(out, sub);
	assert_int_equal(fake_subscription_item_quantity(fake_subscription_item_at(sub, 0)), 5);
	assert_int_equal(fake_subscription_item_quantity(si_get(p, "si_fake_00001")), 5);

	/* credit -round(2000 x 1802055 / 2678400) = -1346 (1345.62);
	 * charge round(5000 x 1802055 / 2678400) = 3364 (3364.05) */
	check_proration(p, "ii_fake_00001", -1346, 2, "Unused time on 2 x Pro after 2026-01-11");
	check_proration(p, "ii_fake_00002", 3364, 5, "Remaining time on 5 x Pro after 2026-01-11");
	assert_string_equal(fake_invoice_item_subscription_item(ii_get(p, "ii_fake_00002")), "si_fake_00001");
	assert_int_equal(count_invoice_items(p, "cus_fake_00001", NULL, true), 2);
	assert_int_equal(count_invoices(p, NULL, NULL), 1); /* nothing billed yet */

	check_events(p, events, "invoiceitem.created", "invoiceitem.created", "customer.subscription.updated");
	const fake_event *e = last_event(p, "customer.subscription.updated");
	assert_int_equal(fake_event_previous_attribute_count(e), 1);
	assert_string_equal(fake_event_previous_attribute(e, 0), "items");
	/* the snapshots keep the items as they were */
	assert_int_equal(fake_subscription_item_quantity(fake_subscription_item_at(fake_event_previous(e), 0)), 2);
	assert_int_equal(fake_subscription_item_quantity(fake_subscription_item_at(fake_event_object(e), 0)), 5);

	/* the renewal bills the new quantity and the prorations */
	check_ok(p, fake_subscription_advance(p, NULL, 0, JAN - MID + 3600, true));
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_CYCLE);
	assert_int_equal(fake_invoice_line_count(inv), 3);
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 0)), 5000);
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 1)), -1346);
	assert_true(fake_invoice_line_proration(fake_invoice_line_at(inv, 1)));
	assert_string_equal(fake_invoice_line_invoice_item(fake_invoice_line_at(inv, 2)), "ii_fake_00002");
	check_amounts(inv, 5000 - 1346 + 3364, 5000 - 1346 + 3364);
	assert_string_equal(fake_invoice_item_invoice(ii_get(p, "ii_fake_00001")), fake_invoice_id(inv));
	assert_int_equal(count_invoice_items(p, "cus_fake_00001", NULL, true), 0);
}

static void test_subscription_update_proration_none(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	size_t events = fake_event_count(p);
	fake_subscription_item_params ch = { "si_fake_00001", NULL, NULL, 5, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	up.proration_behavior = FAKE_PRORATION_NONE;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_int_equal(fake_subscription_item_quantity(fake_subscription_item_at(sub, 0)), 5);
	assert_int_equal(count_invoice_items(p, NULL, NULL, false), 0);
	assert_int_equal(count_invoices(p, NULL, NULL), 1);
	check_events(p, events, "customer.subscription.updated");
	/* the renewal bills the new quantity only */
	check_ok(p, fake_subscription_advance(p, NULL, 0, JAN - MID + 3600, true));
	check_amounts(latest_invoice(p, sub), 5000, 5000);
}

static void test_subscription_update_always_invoice(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	size_t events = fake_event_count(p);
	fake_subscription_item_params ch = { "si_fake_00001", NULL, NULL, 5, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	up.proration_behavior = FAKE_PRORATION_ALWAYS_INVOICE;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));

	/* billed now: the two prorations, charged at once */
	assert_string_equal(fake_subscription_latest_invoice(sub), "in_fake_00002");
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_UPDATE);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	assert_int_equal(fake_invoice_created(inv), T0 + MID);
	assert_int_equal(fake_invoice_line_count(inv), 2);
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 0)), -1346);
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 1)), 3364);
	check_amounts(inv, 2018, 2018);
	assert_int_equal(fake_charge_amount(charge_get(p, fake_invoice_charge(inv))), 2018);
	assert_int_equal(count_invoice_items(p, NULL, NULL, true), 0);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	check_events(p, events, "invoiceitem.created", "invoiceitem.created", "customer.subscription.updated",
		     "invoice.created", "payment_intent.created", "invoice.finalized", "charge.succeeded",
		     "payment_intent.succeeded", "invoice.paid", "invoice.payment_succeeded");
}

static void test_subscription_update_change_price(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 3);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	fake_subscription_item_params ch = { "si_fake_00001", "price_fake_00002", NULL, 0, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	/* the same item, now Team, the quantity kept */
	const fake_subscription_item *si = fake_subscription_item_at(sub, 0);
	assert_string_equal(fake_subscription_item_id(si), "si_fake_00001");
	assert_string_equal(fake_price_id(fake_subscription_item_price(si)), "price_fake_00002");
	assert_int_equal(fake_subscription_item_quantity(si), 3);
	/* -round(3000 x r) = -2018 (2018.43), +round(7500 x r) = 5046 (5046.08) */
	check_proration(p, "ii_fake_00001", -2018, 3, "Unused time on 3 x Pro after 2026-01-11");
	check_proration(p, "ii_fake_00002", 5046, 3, "Remaining time on 3 x Team after 2026-01-11");
	assert_string_equal(fake_price_id(fake_invoice_item_price(ii_get(p, "ii_fake_00002"))), "price_fake_00002");
	/* the price list filter follows */
	assert_int_equal(count_subscriptions(p, NULL, "price_fake_00001", NULL), 0);
	assert_int_equal(count_subscriptions(p, NULL, "price_fake_00002", NULL), 1);
}

static void test_subscription_update_add_and_remove_items(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	/* add Team x1 and remove Pro in one update */
	fake_subscription_item_params ch[] = { { NULL, "price_fake_00002", NULL, 0, false, NULL, 0 },
					       { "si_fake_00001", NULL, NULL, 0, true, NULL, 0 } };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = ch;
	up.item_count = 2;
	size_t events = fake_event_count(p);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_int_equal(fake_subscription_item_count(sub), 1);
	const fake_subscription_item *si = fake_subscription_item_at(sub, 0);
	assert_string_equal(fake_subscription_item_id(si), "si_fake_00002");
	assert_string_equal(fake_price_id(fake_subscription_item_price(si)), "price_fake_00002");
	assert_int_equal(fake_subscription_item_quantity(si), 1);
	/* charge for Team first (its entry came first), then the credit for Pro */
	assert_int_equal(fake_invoice_item_amount(ii_get(p, "ii_fake_00001")), 1682);
	assert_int_equal(fake_invoice_item_amount(ii_get(p, "ii_fake_00002")), -1346);
	check_events(p, events, "invoiceitem.created", "invoiceitem.created", "customer.subscription.updated");
	/* the removed item is gone */
	const fake_subscription_item *gone = SENTINEL;
	check_fails(p, fake_subscription_item_retrieve(&gone, p, "si_fake_00001", NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_null(gone);
}

static void test_subscription_update_trial_end(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_period_days = 7;
	const fake_subscription *sub = sub_create(p, &sc);
	const fake_subscription *out = NULL;

	/* extend the trial: the period follows */
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.trial_end = T0 + 20 * DAY;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_int_equal(fake_subscription_trial_end(sub), T0 + 20 * DAY);
	assert_int_equal(fake_subscription_current_period_end(sub), T0 + 20 * DAY);
	const fake_event *e = last_event(p, "customer.subscription.updated");
	assert_int_equal(fake_subscription_trial_end(fake_event_previous(e)), T0 + 7 * DAY);
	check_ok(p, fake_subscription_advance(p, NULL, 8, 0, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_TRIALING);

	/* end it now: active, billed and charged at once */
	size_t events = fake_event_count(p);
	up.trial_end = FAKE_TRIAL_END_NOW;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_trial_end(sub), T0 + 8 * DAY);
	assert_int_equal(fake_subscription_current_period_start(sub), T0 + 8 * DAY);
	assert_int_equal(fake_subscription_current_period_end(sub), T0 + 8 * DAY + JAN);
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_UPDATE);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	check_amounts(inv, 1000, 1000);
	assert_string_equal(fake_event_type(event_nth(p, events + 1)), "invoice.created");
	last_event(p, "invoice.payment_succeeded");
}

static void test_subscription_update_cancel_settings(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 1);
	const fake_subscription *out = NULL;
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.cancel_at_period_end = FAKE_FLAG_SET;
	up.cancel_at = T0 + 50 * DAY;
	check_ok(p, fake_subscription_advance(p, NULL, 2, 0, true));
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_true(fake_subscription_cancel_at_period_end(sub));
	assert_int_equal(fake_subscription_cancel_at(sub), T0 + 50 * DAY);
	/* Stripe: canceled_at is the time of the request */
	assert_int_equal(fake_subscription_canceled_at(sub), T0 + 2 * DAY);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	up.cancel_at_period_end = FAKE_FLAG_CLEAR;
	up.cancel_at = FAKE_TIME_CLEAR;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL));
	assert_false(fake_subscription_cancel_at_period_end(sub));
	assert_int_equal(fake_subscription_cancel_at(sub), 0);
	assert_int_equal(fake_subscription_canceled_at(sub), 0);
	const fake_event *e = last_event(p, "customer.subscription.updated");
	assert_int_equal(fake_event_previous_attribute_count(e), 3);
	assert_string_equal(fake_event_previous_attribute(e, 0), "cancel_at_period_end");
	assert_string_equal(fake_event_previous_attribute(e, 1), "canceled_at");
	assert_string_equal(fake_event_previous_attribute(e, 2), "cancel_at");
	assert_true(fake_subscription_cancel_at_period_end(fake_event_previous(e)));
	/* it renews */
	check_ok(p, fake_subscription_advance(p, NULL, 31, 3600, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(count_invoices(p, NULL, "paid"), 2);
}

/* ---- cancel and resume --------------------------------------------------------------------- */

static void test_subscription_cancel_now(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	size_t events = fake_event_count(p);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_cancel(&out, p, "sub_fake_00001", NULL, NULL));
	assert_ptr_equal(out, sub);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_CANCELED);
	assert_int_equal(fake_subscription_canceled_at(sub), T0 + MID);
	assert_int_equal(fake_subscription_ended_at(sub), T0 + MID);
	check_events(p, events, "customer.subscription.deleted");
	assert_int_equal(fake_subscription_status_of(fake_event_object(last_event(p, "customer.subscription.deleted"))),
			 FAKE_SUB_CANCELED);
	/* no credit without prorate, and nothing more is billed */
	assert_int_equal(count_invoice_items(p, NULL, NULL, false), 0);
	check_ok(p, fake_subscription_advance(p, NULL, 60, 0, true));
	assert_int_equal(count_invoices(p, NULL, NULL), 1);
	assert_int_equal(fake_event_count(p), events + 1);
}

static void test_subscription_cancel_prorate(void **state)
{
	fake_processor *p = *state;
	world(p);
	sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	size_t events = fake_event_count(p);
	fake_subscription_cancel_params cp = FAKE_SUBSCRIPTION_CANCEL_PARAMS_INIT;
	cp.prorate = true;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_cancel(&out, p, "sub_fake_00001", &cp, NULL));
	assert_int_equal(fake_subscription_status_of(out), FAKE_SUB_CANCELED);
	/* a pending credit for the unused rest of January */
	check_proration(p, "ii_fake_00001", -1346, 2, "Unused time on 2 x Pro after 2026-01-11");
	assert_int_equal(count_invoice_items(p, "cus_fake_00001", NULL, true), 1);
	assert_int_equal(count_invoices(p, NULL, NULL), 1);
	check_events(p, events, "invoiceitem.created", "customer.subscription.deleted");
}

static void test_subscription_cancel_invoice_now(void **state)
{
	fake_processor *p = *state;
	world(p);
	sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	/* a one-off charge waiting for the subscription's next invoice */
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00001";
	ic.subscription = "sub_fake_00001";
	ic.amount = 5000;
	ic.currency = "usd";
	ic.description = "Setup";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL)); /* ii_fake_00001 */
	size_t events = fake_event_count(p);
	fake_subscription_cancel_params cp = FAKE_SUBSCRIPTION_CANCEL_PARAMS_INIT;
	cp.prorate = true;
	cp.invoice_now = true;
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_cancel(&sub, p, "sub_fake_00001", &cp, NULL));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_CANCELED);
	/* the setup fee and the credit, billed and charged now */
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_string_equal(fake_invoice_id(inv), "in_fake_00002");
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_UPDATE);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	assert_int_equal(fake_invoice_line_count(inv), 2);
	assert_string_equal(fake_invoice_line_invoice_item(fake_invoice_line_at(inv, 0)), "ii_fake_00001");
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 1)), -1346);
	check_amounts(inv, 5000 - 1346, 5000 - 1346);
	assert_int_equal(count_invoice_items(p, NULL, NULL, true), 0);
	assert_string_equal(fake_event_type(event_nth(p, events + 1)), "invoiceitem.created");
	assert_string_equal(fake_event_type(event_nth(p, events + 2)), "invoice.created");
	last_event(p, "customer.subscription.deleted");

	/* nothing to bill: no invoice */
	sub_simple(p, "cus_fake_00001", "price_fake_00002", 1); /* sub_fake_00002, in_fake_00003 */
	cp.prorate = false;
	check_ok(p, fake_subscription_cancel(&sub, p, "sub_fake_00002", &cp, NULL));
	assert_string_equal(fake_subscription_latest_invoice(sub), "in_fake_00003");
	assert_int_equal(count_invoices(p, NULL, NULL), 3);
}

static void test_subscription_cancel_keeps_open_invoices(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.collection_method = FAKE_COLLECT_SEND_INVOICE;
	const fake_subscription *sub = sub_create(p, &sc);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_cancel(&out, p, "sub_fake_00001", NULL, NULL));
	assert_int_equal(fake_invoice_status_of(latest_invoice(p, sub)), FAKE_INVOICE_OPEN);
	/* and it cannot be canceled twice */
	out = SENTINEL;
	check_fails(p, fake_subscription_cancel(&out, p, "sub_fake_00001", NULL, NULL), FAKE_ESTATE, NULL, NULL);
	assert_null(out);
	check_message_has(p, "canceled");
}

/* A trial that ends without a payment method pauses the subscription. */
static const fake_subscription *paused_subscription(fake_processor *p)
{
	monthly(p, 1000, "Pro");
	cust_new(p); /* cus_fake_00001: no payment method */
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_period_days = 7;
	sc.trial_missing_payment_method = FAKE_TRIAL_END_PAUSE;
	const fake_subscription *sub = sub_create(p, &sc);
	assert_int_equal(fake_subscription_trial_missing_payment_method(sub), FAKE_TRIAL_END_PAUSE);
	size_t events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 7, 0, true));
	/* at T0 + 4 days the notices (the trial end is still a renewal then;
	 * the payment method is only looked for at the end), at T0 + 7 the pause */
	check_events(p, events, "customer.subscription.trial_will_end", "invoice.upcoming",
		     "customer.subscription.updated", "customer.subscription.paused");
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_PAUSED);
	assert_int_equal(count_invoices(p, NULL, NULL), 1); /* only the trial's */
	return sub;
}

static void test_subscription_resume_paused(void **state)
{
	fake_processor *p = *state;
	const fake_subscription *sub = paused_subscription(p);
	/* paused bills nothing */
	check_ok(p, fake_subscription_advance(p, NULL, 40, 0, true));
	assert_int_equal(count_invoices(p, NULL, NULL), 1);
	const fake_invoice *preview = SENTINEL;
	check_fails(p, fake_invoice_upcoming(&preview, p, "sub_fake_00001", NULL), FAKE_ESTATE, "invoice_upcoming_none",
		    "subscription");

	/* a card, then resume: a new period from now, billed and charged */
	pm_attach(p, "pm_card_visa", "cus_fake_00001");
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00001", "pm_fake_00001", NULL));
	int64_t now = fake_clock_now(p);
	size_t events = fake_event_count(p);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_resume(&out, p, "sub_fake_00001", NULL));
	assert_ptr_equal(out, sub);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_billing_cycle_anchor(sub), now);
	assert_int_equal(fake_subscription_current_period_start(sub), now);
	assert_int_equal(fake_subscription_current_period_end(sub), now + FEB); /* Feb 17 -> Mar 17 */
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_UPDATE);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	check_amounts(inv, 1000, 1000);
	check_events(p, events, "customer.subscription.resumed", "invoice.created", "customer.subscription.updated",
		     "payment_intent.created", "invoice.finalized", "charge.succeeded", "payment_intent.succeeded",
		     "invoice.paid", "invoice.payment_succeeded");
	const fake_event *e = event_nth(p, events + 3);
	assert_int_equal(fake_subscription_status_of(fake_event_previous(e)), FAKE_SUB_PAUSED);

	/* only a paused subscription resumes */
	out = SENTINEL;
	check_fails(p, fake_subscription_resume(&out, p, "sub_fake_00001", NULL), FAKE_ESTATE, "", "");
	assert_null(out);
	assert_string_equal(fake_error_last(p)->message,
			    "Only a paused subscription can be resumed; 'sub_fake_00001' is active.");
}

static void test_subscription_trial_end_cancels_without_payment_method(void **state)
{
	fake_processor *p = *state;
	monthly(p, 1000, "Pro");
	cust_new(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_period_days = 7;
	sc.trial_missing_payment_method = FAKE_TRIAL_END_CANCEL;
	const fake_subscription *sub = sub_create(p, &sc);
	check_ok(p, fake_subscription_advance(p, NULL, 7, 0, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_CANCELED);
	assert_int_equal(fake_subscription_ended_at(sub), T0 + 7 * DAY);
	last_event(p, "customer.subscription.deleted");
	assert_int_equal(count_invoices(p, NULL, NULL), 1);
}

/* ---- subscription items ------------------------------------------------------------------ */

static void test_subscription_items_lifecycle(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));

	/* create: the parent shows it at once */
	fake_kv md[] = { { "team", "ops" } };
	fake_subscription_item_create_params ic = FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_INIT;
	ic.subscription = "sub_fake_00001";
	ic.price = "price_fake_00002";
	ic.quantity = 3;
	ic.metadata = md;
	ic.metadata_count = 1;
	size_t events = fake_event_count(p);
	const fake_subscription_item *si = NULL;
	check_ok(p, fake_subscription_item_create(&si, p, &ic, NULL));
	assert_string_equal(fake_subscription_item_id(si), "si_fake_00002");
	assert_string_equal(fake_subscription_item_subscription(si), "sub_fake_00001");
	assert_int_equal(fake_subscription_item_quantity(si), 3);
	assert_int_equal(fake_subscription_item_created(si), T0 + MID);
	assert_string_equal(fake_metadata_get(fake_subscription_item_metadata(si), "team"), "ops");
	assert_int_equal(fake_subscription_item_count(sub), 2);
	assert_string_equal(fake_subscription_item_id(fake_subscription_item_at(sub, 1)), "si_fake_00002");
	assert_ptr_equal(si_get(p, "si_fake_00002"), si);
	/* a charge for the rest of January: round(7500 x r) = 5046 */
	assert_int_equal(fake_invoice_item_amount(ii_get(p, "ii_fake_00001")), 5046);
	check_events(p, events, "invoiceitem.created", "customer.subscription.updated");
	const fake_event *e = last_event(p, "customer.subscription.updated");
	assert_string_equal(fake_event_previous_attribute(e, 0), "items");
	assert_int_equal(fake_subscription_item_count(fake_event_previous(e)), 1);
	assert_int_equal(fake_subscription_item_count(fake_event_object(e)), 2);

	/* update: quantity, seen through the parent */
	fake_subscription_item_update_params iu = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.quantity = 1;
	iu.proration_behavior = FAKE_PRORATION_NONE;
	const fake_subscription_item *updated = NULL;
	check_ok(p, fake_subscription_item_update(&updated, p, "si_fake_00002", &iu, NULL));
	assert_ptr_equal(updated, si);
	assert_int_equal(fake_subscription_item_quantity(si), 1);
	assert_int_equal(fake_subscription_item_quantity(fake_subscription_item_at(sub, 1)), 1);
	assert_int_equal(count_invoice_items(p, NULL, NULL, false), 1); /* not prorated */
	/* update: metadata only, nothing billed */
	fake_kv md2[] = { { "team", "" }, { "cost_center", "42" } };
	iu = (fake_subscription_item_update_params)FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.metadata = md2;
	iu.metadata_count = 2;
	check_ok(p, fake_subscription_item_update(&updated, p, "si_fake_00002", &iu, NULL));
	const fake_metadata *m = fake_subscription_item_metadata(fake_subscription_item_at(sub, 1));
	assert_int_equal(fake_metadata_count(m), 1);
	assert_string_equal(fake_metadata_get(m, "cost_center"), "42");
	assert_int_equal(fake_subscription_item_quantity(si), 1);
	assert_int_equal(count_invoice_items(p, NULL, NULL, false), 1);

	/* list: newest first, only this subscription's */
	sub_simple(p, "cus_fake_00001", "price_fake_00001", 1); /* sub_fake_00002, si_fake_00003 */
	fake_subscription_item_list_params lp = FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT;
	lp.subscription = "sub_fake_00001";
	fake_list page;
	check_ok(p, fake_subscription_item_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "si_fake_00002", "si_fake_00001" }, 2);

	/* delete: prorated credit, gone from the parent, the list and retrieve */
	events = fake_event_count(p);
	const fake_subscription_item *deleted = NULL;
	check_ok(p, fake_subscription_item_delete(&deleted, p, "si_fake_00001", FAKE_PRORATION_CREATE_PRORATIONS, NULL));
	assert_string_equal(fake_subscription_item_id(deleted), "si_fake_00001");
	assert_int_equal(fake_subscription_item_count(sub), 1);
	assert_string_equal(fake_subscription_item_id(fake_subscription_item_at(sub, 0)), "si_fake_00002");
	assert_int_equal(fake_invoice_item_amount(ii_get(p, "ii_fake_00002")), -1346);
	check_events(p, events, "invoiceitem.created", "customer.subscription.updated");
	check_ok(p, fake_subscription_item_list(&page, p, &lp, NULL));
	check_page(&page, (const char *const[]){ "si_fake_00002" }, 1);
	const fake_subscription_item *gone = SENTINEL;
	check_fails(p, fake_subscription_item_retrieve(&gone, p, "si_fake_00001", NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_null(gone);

	/* the last item cannot go */
	deleted = SENTINEL;
	check_fails(p, fake_subscription_item_delete(&deleted, p, "si_fake_00002", FAKE_PRORATION_NONE, NULL),
		    FAKE_EINVAL, NULL, "items");
	assert_null(deleted);
	assert_int_equal(fake_subscription_item_count(sub), 1);
	/* the renewal bills the item as it is now */
	check_ok(p, fake_subscription_advance(p, NULL, 0, JAN - MID + 3600, true));
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_line_amount(fake_invoice_line_at(inv, 0)), 2500);
	check_amounts(inv, 2500 + 5046 - 1346, 2500 + 5046 - 1346);
}

static void test_subscription_item_update_price(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 1);
	check_ok(p, fake_subscription_advance(p, NULL, 0, MID, true));
	fake_subscription_item_update_params iu = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.price = "price_fake_00002";
	iu.proration_behavior = FAKE_PRORATION_ALWAYS_INVOICE;
	const fake_subscription_item *si = NULL;
	check_ok(p, fake_subscription_item_update(&si, p, "si_fake_00001", &iu, NULL));
	assert_string_equal(fake_price_id(fake_subscription_item_price(si)), "price_fake_00002");
	assert_string_equal(fake_price_id(fake_subscription_item_price(fake_subscription_item_at(sub, 0))),
			    "price_fake_00002");
	/* -673 for Pro, +1682 for Team, invoiced and charged now */
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_SUBSCRIPTION_UPDATE);
	check_amounts(inv, 1682 - 673, 1682 - 673);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
}

/* ---- usage records ------------------------------------------------------------------------- */

static void test_subscription_usage_records_bill_in_arrears(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_price *api =
		price_new(p, "usd", 7, "API calls", FAKE_INTERVAL_MONTH, FAKE_USAGE_METERED); /* price_fake_00003 */
	assert_int_equal(fake_price_usage_type(api), FAKE_USAGE_METERED);
	fake_subscription_item_params its[] = { item_of("price_fake_00001", 1), item_of("price_fake_00003", 0) };
	fake_subscription_create_params sc = sub_params("cus_fake_00001", its);
	sc.item_count = 2;
	const fake_subscription *sub = sub_create(p, &sc);
	const fake_subscription_item *metered = fake_subscription_item_at(sub, 1);
	assert_int_equal(fake_subscription_item_quantity(metered), 0);
	/* the first invoice bills the licensed item only: usage is billed in arrears */
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_int_equal(fake_invoice_line_count(inv), 1);
	check_amounts(inv, 1000, 1000);

	fake_usage_record_params ur = FAKE_USAGE_RECORD_PARAMS_INIT;
	ur.subscription_item = "si_fake_00002";
	ur.quantity = 100;
	const fake_usage_record *rec = NULL;
	check_ok(p, fake_subscription_advance(p, NULL, 3, 0, true));
	check_ok(p, fake_usage_record_create(&rec, p, &ur, NULL));
	assert_string_equal(fake_usage_record_id(rec), "mbur_fake_00001");
	assert_string_equal(fake_usage_record_subscription_item(rec), "si_fake_00002");
	assert_int_equal(fake_usage_record_quantity(rec), 100);
	assert_int_equal(fake_usage_record_timestamp(rec), T0 + 3 * DAY);
	check_ok(p, fake_subscription_advance(p, NULL, 5, 0, true));
	ur.quantity = 50;
	ur.timestamp = T0 + 7 * DAY; /* in the past, within the period */
	check_ok(p, fake_usage_record_create(&rec, p, &ur, NULL));
	assert_int_equal(fake_usage_record_timestamp(rec), T0 + 7 * DAY);
	assert_int_equal(fake_subscription_item_usage(p, metered), 150);
	/* set replaces what came before it */
	ur.quantity = 120;
	ur.timestamp = 0;
	ur.action = FAKE_USAGE_SET;
	check_ok(p, fake_usage_record_create(&rec, p, &ur, NULL));
	assert_int_equal(fake_subscription_item_usage(p, metered), 120);
	ur.quantity = 30;
	ur.action = FAKE_USAGE_INCREMENT;
	check_ok(p, fake_usage_record_create(&rec, p, &ur, NULL));
	assert_int_equal(fake_subscription_item_usage(p, metered), 150);

	/* the upcoming invoice shows the usage so far */
	const fake_invoice *preview = NULL;
	check_ok(p, fake_invoice_upcoming(&preview, p, "sub_fake_00001", NULL));
	check_amounts(preview, 1000 + 150 * 7, 0);

	/* the renewal bills January's 150 calls at 7 cents */
	check_ok(p, fake_subscription_advance(p, NULL, 23, 3600, true));
	inv = latest_invoice(p, sub);
	assert_string_equal(fake_invoice_id(inv), "in_fake_00002");
	assert_int_equal(fake_invoice_line_count(inv), 2);
	const fake_invoice_line *line = fake_invoice_line_at(inv, 1);
	assert_int_equal(fake_invoice_line_quantity(line), 150);
	assert_int_equal(fake_invoice_line_amount(line), 1050);
	assert_string_equal(fake_invoice_line_description(line), "150 x API calls (usage)");
	assert_int_equal(fake_invoice_line_period_start(line), T0);
	assert_int_equal(fake_invoice_line_period_end(line), T0 + JAN);
	check_amounts(inv, 2050, 2050);
	/* February starts from nothing */
	assert_int_equal(fake_subscription_item_usage(p, metered), 0);
}

/* ---- the reference fake's helpers --------------------------------------------------------- */

static void test_subscription_transition_any_status(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00001", 1);
	static const fake_subscription_status path[] = { FAKE_SUB_PAST_DUE, FAKE_SUB_UNPAID, FAKE_SUB_PAUSED,
							 FAKE_SUB_INCOMPLETE, FAKE_SUB_TRIALING, FAKE_SUB_ACTIVE };
	fake_subscription_status from = FAKE_SUB_ACTIVE;
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
		size_t events = fake_event_count(p);
		const fake_subscription *out = SENTINEL;
		check_ok(p, fake_subscription_transition(&out, p, "sub_fake_00001", path[i], true));
		assert_ptr_equal(out, sub);
		assert_int_equal(fake_subscription_status_of(sub), path[i]);
		check_events(p, events, "customer.subscription.updated");
		const fake_event *e = last_event(p, "customer.subscription.updated");
		assert_string_equal(fake_event_previous_attribute(e, 0), "status");
		assert_int_equal(fake_subscription_status_of(fake_event_previous(e)), from);
		assert_int_equal(fake_subscription_status_of(fake_event_object(e)), path[i]);
		assert_null(fake_event_request_id(e));
		from = path[i];
	}
	/* the log, filtered by type, holds one update per step, newest first */
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.type = "customer.subscription.updated";
	fake_list page;
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1 + sizeof path / sizeof path[0]); /* the first payment's activation too */
	assert_int_equal(fake_subscription_status_of(fake_event_object(page.data[0])), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_status_of(fake_event_previous(page.data[0])), FAKE_SUB_TRIALING);
	assert_int_equal(fake_subscription_status_of(fake_event_object(page.data[5])), FAKE_SUB_PAST_DUE);
	assert_int_equal(fake_subscription_status_of(fake_event_previous(page.data[5])), FAKE_SUB_ACTIVE);
	/* no change, no event; synthesize false records none */
	size_t events = fake_event_count(p);
	check_ok(p, fake_subscription_transition(NULL, p, "sub_fake_00001", FAKE_SUB_ACTIVE, true));
	check_ok(p, fake_subscription_transition(NULL, p, "sub_fake_00001", FAKE_SUB_PAST_DUE, false));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_PAST_DUE);
	assert_int_equal(fake_event_count(p), events);
	/* not an operation: not counted; no billing happened */
	assert_int_equal(fake_call_count(p, FAKE_OP_UPDATE_SUBSCRIPTION), 0);
	assert_int_equal(count_invoices(p, NULL, NULL), 1);
	/* the timeline goes on from the new status: past_due renews */
	check_ok(p, fake_subscription_advance(p, NULL, 31, 3600, true));
	assert_int_equal(count_invoices(p, NULL, "paid"), 2);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE); /* the renewal was paid */
}

static void test_subscription_transition_ends_and_leaves_trial(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_period_days = 14;
	const fake_subscription *sub = sub_create(p, &sc);
	check_ok(p, fake_subscription_advance(p, NULL, 2, 0, true));
	/* away from trialing: the trial ends now, nothing billed */
	check_ok(p, fake_subscription_transition(NULL, p, "sub_fake_00001", FAKE_SUB_ACTIVE, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);
	assert_int_equal(fake_subscription_trial_end(sub), T0 + 2 * DAY);
	assert_int_equal(count_invoices(p, NULL, NULL), 1);
	const fake_event *e = last_event(p, "customer.subscription.updated");
	assert_int_equal(fake_subscription_trial_end(fake_event_previous(e)), T0 + 14 * DAY);

	/* to canceled: it has ended; nothing more is billed */
	check_ok(p, fake_subscription_advance(p, NULL, 1, 0, true));
	check_ok(p, fake_subscription_transition(NULL, p, "sub_fake_00001", FAKE_SUB_CANCELED, true));
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_CANCELED);
	assert_int_equal(fake_subscription_ended_at(sub), T0 + 3 * DAY);
	assert_int_equal(fake_subscription_canceled_at(sub), T0 + 3 * DAY);
	assert_int_equal(count_subscriptions(p, NULL, NULL, "ended"), 1);
	size_t events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, NULL, 90, 0, true));
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(count_invoices(p, NULL, NULL), 1);

	/* an ended subscription does not move again */
	const fake_subscription *out = SENTINEL;
	check_fails(p, fake_subscription_transition(&out, p, "sub_fake_00001", FAKE_SUB_ACTIVE, true), FAKE_ESTATE,
		    NULL, NULL);
	assert_null(out);
	assert_int_equal(fake_error_last(p)->http_status, 400);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_CANCELED);
	assert_int_equal(fake_event_count(p), events);

	/* incomplete_expired ends it too */
	sub_simple(p, "cus_fake_00001", "price_fake_00002", 1);
	check_ok(p, fake_subscription_transition(&out, p, "sub_fake_00002", FAKE_SUB_INCOMPLETE_EXPIRED, true));
	assert_int_equal(fake_subscription_ended_at(out), fake_clock_now(p));
	assert_int_equal(fake_subscription_canceled_at(out), 0);
	assert_int_equal(count_subscriptions(p, NULL, NULL, "ended"), 2);
}

static void test_subscription_advance_helper(void **state)
{
	fake_processor *p = *state;
	world(p);
	fake_subscription_item_params it = item_of("price_fake_00001", 0);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_period_days = 10;
	const fake_subscription *sub = sub_create(p, &sc);
	size_t events = fake_event_count(p);

	/* one advance crossing trial_will_end (with invoice.upcoming, the same
	 * second) and the trial end emits them all, in order */
	check_ok(p, fake_subscription_advance(p, "sub_fake_00001", 10, 5, true));
	assert_int_equal(fake_clock_now(p), T0 + 10 * DAY + 5);
	check_events(p, events, "customer.subscription.trial_will_end", "invoice.upcoming", "invoice.created",
		     "customer.subscription.updated");
	assert_int_equal(fake_event_created(event_nth(p, events + 1)), T0 + 7 * DAY);
	assert_int_equal(fake_event_created(event_nth(p, events + 2)), T0 + 7 * DAY);
	assert_int_equal(fake_event_created(event_nth(p, events + 3)), T0 + 10 * DAY);
	assert_int_equal(fake_subscription_status_of(sub), FAKE_SUB_ACTIVE);

	/* unknown id: FAKE_ENOTFOUND and the clock does not move */
	check_fails(p, fake_subscription_advance(p, "sub_fake_00009", 1, 0, true), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_int_equal(fake_clock_now(p), T0 + 10 * DAY + 5);
	check_fails(p, fake_subscription_advance(p, NULL, -1, 0, true), FAKE_EINVAL, "", "days");
	check_fails(p, fake_subscription_advance(p, NULL, 0, -5, true), FAKE_EINVAL, "", "seconds");
	check_fails(p, fake_subscription_advance(p, NULL, FAKE_TIME_MAX / DAY + 1, 0, true), FAKE_EINVAL, "", "days");
	assert_int_equal(fake_clock_now(p), T0 + 10 * DAY + 5);
	assert_int_equal(fake_subscription_advance(NULL, NULL, 1, 0, true), FAKE_EINVAL);

	/* without synthesize: the work happens, no events are recorded */
	events = fake_event_count(p);
	check_ok(p, fake_subscription_advance(p, NULL, 0, 3600, false));
	assert_int_equal(fake_invoice_status_of(latest_invoice(p, sub)), FAKE_INVOICE_PAID);
	assert_int_equal(fake_event_count(p), events);
	/* and later work records events again */
	check_ok(p, fake_subscription_advance(p, NULL, 31, 0, true));
	assert_true(fake_event_count(p) > events);
	assert_int_equal(count_invoices(p, NULL, "paid"), 3);
	/* not an operation */
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_SUBSCRIPTION), 0);
}

/* ---- bad input ------------------------------------------------------------------------------ */

/*
 * The world of the bad-input table, with every id fixed:
 *   cus_fake_00001  visa pm_fake_00001 as its default
 *   cus_fake_00002  no payment method
 *   cus_fake_00003  pm_card_chargeCustomerFail (pm_fake_00002) as its default
 *   price_fake_00001 Pro usd 1000/month; _00002 Team usd 2500/month;
 *   _00003 usd 10000/year; _00004 eur 900/month; _00005 usd 500 one-time;
 *   _00006 usd 7/month metered; _00007 usd 100/month inactive
 *   sub_fake_00001  cus 1, Pro x2 (si_fake_00001), active, 10 days in
 *   sub_fake_00002  cus 1, metered (si_fake_00002), active
 *   sub_fake_00003  cus 1, Team (si_fake_00003), canceled
 */
static void bad_world(fake_processor *p)
{
	world(p);
	cust_new(p);
	cust_with_card(p, "pm_card_chargeCustomerFail");
	price_new(p, "usd", 10000, "Yearly", FAKE_INTERVAL_YEAR, FAKE_USAGE_LICENSED);
	price_new(p, "eur", 900, "Euro", FAKE_INTERVAL_MONTH, FAKE_USAGE_LICENSED);
	price_new(p, "usd", 500, "Once", FAKE_INTERVAL_NONE, FAKE_USAGE_LICENSED);
	price_new(p, "usd", 7, "Calls", FAKE_INTERVAL_MONTH, FAKE_USAGE_METERED);
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.currency = "usd";
	pc.unit_amount = 100;
	pc.product_name = "Old";
	pc.interval = FAKE_INTERVAL_MONTH;
	pc.inactive = true;
	const fake_price *old = NULL;
	check_ok(p, fake_price_create(&old, p, &pc, NULL));
	assert_string_equal(fake_price_id(old), "price_fake_00007");
	sub_simple(p, "cus_fake_00001", "price_fake_00001", 2);
	sub_simple(p, "cus_fake_00001", "price_fake_00006", 0);
	sub_simple(p, "cus_fake_00001", "price_fake_00002", 1);
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_cancel(&out, p, "sub_fake_00003", NULL, NULL));
	check_ok(p, fake_subscription_advance(p, NULL, 10, 0, true));
}

/* The next ids: the table's failures used none. */
static void probe_next_ids(fake_processor *p)
{
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00002", 1);
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00004");
	assert_string_equal(fake_subscription_item_id(fake_subscription_item_at(sub, 0)), "si_fake_00004");
	assert_string_equal(fake_subscription_latest_invoice(sub), "in_fake_00004");
	const fake_invoice *inv = latest_invoice(p, sub);
	assert_string_equal(fake_invoice_payment_intent(inv), "pi_fake_00003");
	assert_string_equal(fake_invoice_charge(inv), "ch_fake_00003");
	const fake_price *price = monthly(p, 100, "Probe");
	assert_string_equal(fake_price_id(price), "price_fake_00008");
	assert_string_equal(fake_price_product(price), "prod_fake_00008");
	fake_usage_record_params ur = FAKE_USAGE_RECORD_PARAMS_INIT;
	ur.subscription_item = "si_fake_00002";
	ur.quantity = 1;
	const fake_usage_record *rec = NULL;
	check_ok(p, fake_usage_record_create(&rec, p, &ur, NULL));
	assert_string_equal(fake_usage_record_id(rec), "mbur_fake_00001");
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00001";
	ic.amount = 100;
	ic.currency = "usd";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	assert_string_equal(fake_invoice_item_id(ii), "ii_fake_00001");
}

/* A create with one item on `price` x `quantity` and the changes of `tweak`. */
static int bad_create(fake_processor *p, void *out, const char *price, int64_t quantity,
		      void (*tweak)(fake_subscription_create_params *sc))
{
	fake_subscription_item_params it = item_of(price, quantity);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	if (tweak)
		tweak(&sc);
	return fake_subscription_create(out, p, &sc, NULL);
}

#define CREATE_CASE(name, price, quantity, ...)                                             \
	static void tweak_##name(fake_subscription_create_params *sc)                       \
	{                                                                                   \
		__VA_ARGS__;                                                                \
	}                                                                                   \
	static int bad_##name(fake_processor *p, void *out)                                 \
	{                                                                                   \
		return bad_create(p, out, price, quantity, tweak_##name);                   \
	}

CREATE_CASE(no_customer, "price_fake_00001", 1, sc->customer = NULL)
CREATE_CASE(unknown_customer, "price_fake_00001", 1, sc->customer = "cus_fake_00099")
CREATE_CASE(no_items, "price_fake_00001", 1, sc->items = NULL; sc->item_count = 0)
CREATE_CASE(unknown_price, "price_fake_00099", 1, (void)sc)
CREATE_CASE(negative_quantity, "price_fake_00001", -1, (void)sc)
CREATE_CASE(huge_quantity, "price_fake_00001", INT64_C(1000000001), (void)sc)
CREATE_CASE(one_time_price, "price_fake_00005", 1, (void)sc)
CREATE_CASE(inactive_price, "price_fake_00007", 1, (void)sc)
CREATE_CASE(metered_with_quantity, "price_fake_00006", 3, (void)sc)
CREATE_CASE(trial_end_past, "price_fake_00001", 1, sc->trial_end = T0)
CREATE_CASE(trial_end_too_far, "price_fake_00001", 1, sc->trial_end = T0 + 10 * DAY + 731 * DAY)
CREATE_CASE(both_trial_params, "price_fake_00001", 1, sc->trial_end = T0 + 20 * DAY; sc->trial_period_days = 3)
CREATE_CASE(trial_too_long, "price_fake_00001", 1, sc->trial_period_days = FAKE_TRIAL_DAYS_MAX + 1)
CREATE_CASE(days_until_due_charging, "price_fake_00001", 1, sc->days_until_due = 10)
CREATE_CASE(days_until_due_too_long, "price_fake_00001", 1,
	    sc->collection_method = FAKE_COLLECT_SEND_INVOICE;
	    sc->days_until_due = 366)
CREATE_CASE(bad_payment_behavior, "price_fake_00001", 1, sc->payment_behavior = (fake_payment_behavior)7)
CREATE_CASE(bad_collection_method, "price_fake_00001", 1, sc->collection_method = (fake_collection_method)2)
CREATE_CASE(bad_trial_behavior, "price_fake_00001", 1,
	    sc->trial_missing_payment_method = (fake_trial_end_behavior)3)
CREATE_CASE(bad_version, "price_fake_00001", 1, sc->version = 2)
CREATE_CASE(zero_version, "price_fake_00001", 1, sc->version = 0)
CREATE_CASE(anchor_past, "price_fake_00001", 1, sc->billing_cycle_anchor = T0 + DAY)
CREATE_CASE(anchor_too_far, "price_fake_00001", 1, sc->billing_cycle_anchor = T0 + 10 * DAY + JAN + 1)
CREATE_CASE(cancel_at_past, "price_fake_00001", 1, sc->cancel_at = T0 + 10 * DAY)
CREATE_CASE(error_if_incomplete_no_pm, "price_fake_00001", 1,
	    sc->customer = "cus_fake_00002";
	    sc->payment_behavior = FAKE_PAYMENT_ERROR_IF_INCOMPLETE)
CREATE_CASE(error_if_incomplete_declined, "price_fake_00001", 1,
	    sc->customer = "cus_fake_00003";
	    sc->payment_behavior = FAKE_PAYMENT_ERROR_IF_INCOMPLETE)
CREATE_CASE(others_payment_method, "price_fake_00001", 1,
	    sc->customer = "cus_fake_00002";
	    sc->default_payment_method = "pm_fake_00001")
CREATE_CASE(unknown_payment_method, "price_fake_00001", 1, sc->default_payment_method = "pm_fake_00099")
CREATE_CASE(long_metadata_key, "price_fake_00001", 1,
	    static const fake_kv md[] = { { "a_key_that_is_longer_than_forty_characters_", "v" } };
	    sc->metadata = md; sc->metadata_count = 1)
CREATE_CASE(long_description, "price_fake_00001", 1,
	    static char long_text[502];
	    memset(long_text, 'x', 501); sc->description = long_text)

static int bad_items(fake_processor *p, void *out, const fake_subscription_item_params *its, size_t n)
{
	fake_subscription_create_params sc = sub_params("cus_fake_00001", its);
	sc.item_count = n;
	return fake_subscription_create(out, p, &sc, NULL);
}

static int bad_mixed_currencies(fake_processor *p, void *out)
{
	fake_subscription_item_params its[] = { item_of("price_fake_00001", 1), item_of("price_fake_00004", 1) };
	return bad_items(p, out, its, 2);
}

static int bad_mixed_intervals(fake_processor *p, void *out)
{
	fake_subscription_item_params its[] = { item_of("price_fake_00001", 1), item_of("price_fake_00003", 1) };
	return bad_items(p, out, its, 2);
}

static int bad_duplicate_price(fake_processor *p, void *out)
{
	fake_subscription_item_params its[] = { item_of("price_fake_00001", 1), item_of("price_fake_00001", 2) };
	return bad_items(p, out, its, 2);
}

static int bad_too_many_items(fake_processor *p, void *out)
{
	fake_subscription_item_params its[FAKE_SUBSCRIPTION_ITEMS_MAX + 1];
	for (size_t i = 0; i < sizeof its / sizeof its[0]; i++)
		its[i] = item_of("price_fake_00001", 1);
	return bad_items(p, out, its, FAKE_SUBSCRIPTION_ITEMS_MAX + 1);
}

static int bad_item_with_id(fake_processor *p, void *out)
{
	fake_subscription_item_params it = item_of("price_fake_00002", 1);
	it.id = "si_fake_00001";
	return bad_items(p, out, &it, 1);
}

static int bad_price_and_price_data(fake_processor *p, void *out)
{
	fake_price_data pd = { "usd", "prod_fake_00001", 100, FAKE_INTERVAL_MONTH, 0 };
	fake_subscription_item_params it = item_of("price_fake_00001", 1);
	it.price_data = &pd;
	return bad_items(p, out, &it, 1);
}

static int bad_price_data_no_product(fake_processor *p, void *out)
{
	fake_price_data pd = { "usd", NULL, 100, FAKE_INTERVAL_MONTH, 0 };
	fake_subscription_item_params it = { NULL, NULL, &pd, 1, false, NULL, 0 };
	return bad_items(p, out, &it, 1);
}

static int bad_price_data_one_time(fake_processor *p, void *out)
{
	fake_price_data pd = { "usd", "prod_fake_00001", 100, FAKE_INTERVAL_NONE, 0 };
	fake_subscription_item_params it = { NULL, NULL, &pd, 1, false, NULL, 0 };
	return bad_items(p, out, &it, 1);
}

static int bad_price_data_unknown_product(fake_processor *p, void *out)
{
	fake_price_data pd = { "usd", "prod_fake_00099", 100, FAKE_INTERVAL_MONTH, 0 };
	fake_subscription_item_params it = { NULL, NULL, &pd, 1, false, NULL, 0 };
	return bad_items(p, out, &it, 1);
}

static int bad_create_null_out(fake_processor *p, void *out)
{
	*(const void **)out = NULL;
	fake_subscription_item_params it = item_of("price_fake_00001", 1);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	return fake_subscription_create(NULL, p, &sc, NULL);
}

static int bad_retrieve_unknown(fake_processor *p, void *out)
{
	return fake_subscription_retrieve(out, p, "sub_fake_00099", NULL);
}

static int bad_retrieve_null(fake_processor *p, void *out)
{
	return fake_subscription_retrieve(out, p, NULL, NULL);
}

static int bad_update(fake_processor *p, void *out, const char *id, const fake_subscription_update_params *up)
{
	return fake_subscription_update(out, p, id, up, NULL);
}

static int bad_update_unknown(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	return bad_update(p, out, "sub_fake_00099", &up);
}

static int bad_update_canceled(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.description = "again";
	return bad_update(p, out, "sub_fake_00003", &up);
}

static int bad_update_foreign_item(fake_processor *p, void *out)
{
	fake_subscription_item_params ch = { "si_fake_00002", NULL, NULL, 3, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_delete_every_item(fake_processor *p, void *out)
{
	fake_subscription_item_params ch = { "si_fake_00001", NULL, NULL, 0, true, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_delete_without_id(fake_processor *p, void *out)
{
	fake_subscription_item_params ch = { NULL, NULL, NULL, 0, true, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_negative_quantity(fake_processor *p, void *out)
{
	fake_subscription_item_params ch = { "si_fake_00001", NULL, NULL, -2, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_interval_change(fake_processor *p, void *out)
{
	fake_subscription_item_params ch = { "si_fake_00001", "price_fake_00003", NULL, 0, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_currency_change(fake_processor *p, void *out)
{
	fake_subscription_item_params ch = { NULL, "price_fake_00004", NULL, 0, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_bad_proration(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.proration_behavior = (fake_proration_behavior)9;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_trial_end_not_trialing(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.trial_end = T0 + 20 * DAY;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_trial_end_past(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.trial_end = T0 + DAY;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_pause_and_resume(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.pause_collection = FAKE_PAUSE_VOID;
	up.resume_collection = true;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_resumes_at_alone(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.pause_resumes_at = T0 + 20 * DAY;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_bad_flag(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.cancel_at_period_end = (fake_flag_change)5;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_items_null(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.item_count = 2;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_update_version(fake_processor *p, void *out)
{
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.version = 99;
	return bad_update(p, out, "sub_fake_00001", &up);
}

static int bad_cancel_canceled(fake_processor *p, void *out)
{
	return fake_subscription_cancel(out, p, "sub_fake_00003", NULL, NULL);
}

static int bad_cancel_unknown(fake_processor *p, void *out)
{
	return fake_subscription_cancel(out, p, "sub_fake_00099", NULL, NULL);
}

static int bad_cancel_version(fake_processor *p, void *out)
{
	fake_subscription_cancel_params cp = FAKE_SUBSCRIPTION_CANCEL_PARAMS_INIT;
	cp.version = 0;
	return fake_subscription_cancel(out, p, "sub_fake_00001", &cp, NULL);
}

static int bad_resume_active(fake_processor *p, void *out)
{
	return fake_subscription_resume(out, p, "sub_fake_00001", NULL);
}

static int bad_resume_canceled(fake_processor *p, void *out)
{
	return fake_subscription_resume(out, p, "sub_fake_00003", NULL);
}

static int bad_list(fake_processor *p, void *out, const char *customer, const char *price, const char *status,
		    int limit)
{
	fake_subscription_list_params lp = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	lp.customer = customer;
	lp.price = price;
	lp.status = status;
	lp.page.limit = limit;
	return fake_subscription_list(out, p, &lp, NULL);
}

static int bad_list_status(fake_processor *p, void *out)
{
	return bad_list(p, out, NULL, NULL, "cancelled", 0);
}

static int bad_list_customer(fake_processor *p, void *out)
{
	return bad_list(p, out, "cus_fake_00099", NULL, NULL, 0);
}

static int bad_list_price(fake_processor *p, void *out)
{
	return bad_list(p, out, NULL, "price_fake_00099", NULL, 0);
}

static int bad_list_limit(fake_processor *p, void *out)
{
	return bad_list(p, out, NULL, NULL, NULL, 101);
}

static int bad_item_create(fake_processor *p, void *out, const char *sub, const char *price, int64_t quantity)
{
	fake_subscription_item_create_params ic = FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_INIT;
	ic.subscription = sub;
	ic.price = price;
	ic.quantity = quantity;
	return fake_subscription_item_create(out, p, &ic, NULL);
}

static int bad_item_create_no_subscription(fake_processor *p, void *out)
{
	return bad_item_create(p, out, NULL, "price_fake_00002", 1);
}

static int bad_item_create_unknown_subscription(fake_processor *p, void *out)
{
	return bad_item_create(p, out, "sub_fake_00099", "price_fake_00002", 1);
}

static int bad_item_create_duplicate_price(fake_processor *p, void *out)
{
	return bad_item_create(p, out, "sub_fake_00001", "price_fake_00001", 1);
}

static int bad_item_create_canceled(fake_processor *p, void *out)
{
	return bad_item_create(p, out, "sub_fake_00003", "price_fake_00001", 1);
}

static int bad_item_create_currency(fake_processor *p, void *out)
{
	return bad_item_create(p, out, "sub_fake_00001", "price_fake_00004", 1);
}

static int bad_item_create_no_price(fake_processor *p, void *out)
{
	return bad_item_create(p, out, "sub_fake_00001", NULL, 1);
}

static int bad_item_create_metered_quantity(fake_processor *p, void *out)
{
	return bad_item_create(p, out, "sub_fake_00001", "price_fake_00006", 2);
}

static int bad_item_update_unknown(fake_processor *p, void *out)
{
	fake_subscription_item_update_params iu = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.quantity = 2;
	return fake_subscription_item_update(out, p, "si_fake_00099", &iu, NULL);
}

static int bad_item_update_negative(fake_processor *p, void *out)
{
	fake_subscription_item_update_params iu = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.quantity = -1;
	return fake_subscription_item_update(out, p, "si_fake_00001", &iu, NULL);
}

static int bad_item_update_unknown_price(fake_processor *p, void *out)
{
	fake_subscription_item_update_params iu = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.price = "price_fake_00099";
	return fake_subscription_item_update(out, p, "si_fake_00001", &iu, NULL);
}

static int bad_item_update_canceled(fake_processor *p, void *out)
{
	fake_subscription_item_update_params iu = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.quantity = 4;
	return fake_subscription_item_update(out, p, "si_fake_00003", &iu, NULL);
}

static int bad_item_update_version(fake_processor *p, void *out)
{
	fake_subscription_item_update_params iu = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	iu.version = 7;
	return fake_subscription_item_update(out, p, "si_fake_00001", &iu, NULL);
}

static int bad_item_delete_last(fake_processor *p, void *out)
{
	return fake_subscription_item_delete(out, p, "si_fake_00001", FAKE_PRORATION_CREATE_PRORATIONS, NULL);
}

static int bad_item_delete_unknown(fake_processor *p, void *out)
{
	return fake_subscription_item_delete(out, p, "si_fake_00099", FAKE_PRORATION_NONE, NULL);
}

static int bad_item_delete_proration(fake_processor *p, void *out)
{
	return fake_subscription_item_delete(out, p, "si_fake_00001", (fake_proration_behavior)3, NULL);
}

static int bad_item_list_no_subscription(fake_processor *p, void *out)
{
	fake_subscription_item_list_params lp = FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT;
	return fake_subscription_item_list(out, p, &lp, NULL);
}

static int bad_item_list_unknown(fake_processor *p, void *out)
{
	fake_subscription_item_list_params lp = FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT;
	lp.subscription = "sub_fake_00099";
	return fake_subscription_item_list(out, p, &lp, NULL);
}

static int bad_usage(fake_processor *p, void *out, const char *item, int64_t quantity, int64_t timestamp,
		     fake_usage_action action)
{
	fake_usage_record_params ur = FAKE_USAGE_RECORD_PARAMS_INIT;
	ur.subscription_item = item;
	ur.quantity = quantity;
	ur.timestamp = timestamp;
	ur.action = action;
	return fake_usage_record_create(out, p, &ur, NULL);
}

static int bad_usage_licensed(fake_processor *p, void *out)
{
	return bad_usage(p, out, "si_fake_00001", 5, 0, FAKE_USAGE_INCREMENT);
}

static int bad_usage_negative(fake_processor *p, void *out)
{
	return bad_usage(p, out, "si_fake_00002", -5, 0, FAKE_USAGE_INCREMENT);
}

static int bad_usage_future(fake_processor *p, void *out)
{
	return bad_usage(p, out, "si_fake_00002", 5, T0 + 10 * DAY + 1, FAKE_USAGE_INCREMENT);
}

static int bad_usage_before_period(fake_processor *p, void *out)
{
	return bad_usage(p, out, "si_fake_00002", 5, T0 - 1, FAKE_USAGE_INCREMENT);
}

static int bad_usage_unknown_item(fake_processor *p, void *out)
{
	return bad_usage(p, out, "si_fake_00099", 5, 0, FAKE_USAGE_INCREMENT);
}

static int bad_usage_action(fake_processor *p, void *out)
{
	return bad_usage(p, out, "si_fake_00002", 5, 0, (fake_usage_action)2);
}

static int bad_usage_no_item(fake_processor *p, void *out)
{
	return bad_usage(p, out, NULL, 5, 0, FAKE_USAGE_INCREMENT);
}

static int bad_advance_unknown(fake_processor *p, void *out)
{
	*(const void **)out = NULL;
	return fake_subscription_advance(p, "sub_fake_00099", 5, 0, true);
}

static int bad_advance_negative(fake_processor *p, void *out)
{
	*(const void **)out = NULL;
	return fake_subscription_advance(p, "sub_fake_00001", 0, -1, true);
}

static int bad_transition_status(fake_processor *p, void *out)
{
	return fake_subscription_transition(out, p, "sub_fake_00001", (fake_subscription_status)8, true);
}

static int bad_transition_unknown(fake_processor *p, void *out)
{
	return fake_subscription_transition(out, p, "sub_fake_00099", FAKE_SUB_ACTIVE, true);
}

static int bad_transition_ended(fake_processor *p, void *out)
{
	return fake_subscription_transition(out, p, "sub_fake_00003", FAKE_SUB_ACTIVE, true);
}

#define BAD(fn, st, code, param) { #fn, bad_##fn, st, code, param, false }
#define BAD_LIST(fn, st, code, param) { #fn, bad_##fn, st, code, param, true }

static const bad_case subscription_bad_cases[] = {
	BAD(no_customer, FAKE_EINVAL, "parameter_missing", "customer"),
	BAD(unknown_customer, FAKE_ENOTFOUND, "resource_missing", "customer"),
	BAD(no_items, FAKE_EINVAL, "parameter_missing", "items"),
	BAD(unknown_price, FAKE_ENOTFOUND, "resource_missing", "items[0]"),
	BAD(negative_quantity, FAKE_EINVAL, "parameter_invalid_integer", "items[0]"),
	BAD(huge_quantity, FAKE_EINVAL, "parameter_invalid_integer", "items[0]"),
	BAD(one_time_price, FAKE_EINVAL, "", "items[0]"),
	BAD(inactive_price, FAKE_EINVAL, "", "items[0]"),
	BAD(metered_with_quantity, FAKE_EINVAL, "", "items[0]"),
	BAD(trial_end_past, FAKE_EINVAL, "", "trial_end"),
	BAD(trial_end_too_far, FAKE_EINVAL, "", "trial_end"),
	BAD(both_trial_params, FAKE_EINVAL, "", "trial_end"),
	BAD(trial_too_long, FAKE_EINVAL, "", "trial_period_days"),
	BAD(days_until_due_charging, FAKE_EINVAL, "", "days_until_due"),
	BAD(days_until_due_too_long, FAKE_EINVAL, "", "days_until_due"),
	BAD(bad_payment_behavior, FAKE_EINVAL, "", "payment_behavior"),
	BAD(bad_collection_method, FAKE_EINVAL, "", "collection_method"),
	BAD(bad_trial_behavior, FAKE_EINVAL, "", "trial_settings[end_behavior][missing_payment_method]"),
	BAD(bad_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(zero_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(anchor_past, FAKE_EINVAL, "", "billing_cycle_anchor"),
	BAD(anchor_too_far, FAKE_EINVAL, "", "billing_cycle_anchor"),
	BAD(cancel_at_past, FAKE_EINVAL, "", "cancel_at"),
	BAD(error_if_incomplete_no_pm, FAKE_EINVAL, "", "default_payment_method"),
	BAD(error_if_incomplete_declined, FAKE_ECARD, "card_declined", ""),
	BAD(others_payment_method, FAKE_EINVAL, NULL, NULL),
	BAD(unknown_payment_method, FAKE_ENOTFOUND, "resource_missing", "default_payment_method"),
	BAD(long_metadata_key, FAKE_EINVAL, NULL, NULL),
	BAD(long_description, FAKE_EINVAL, NULL, "description"),
	BAD(mixed_currencies, FAKE_EINVAL, "", "items"),
	BAD(mixed_intervals, FAKE_EINVAL, "", "items"),
	BAD(duplicate_price, FAKE_EINVAL, "", "items"),
	BAD(too_many_items, FAKE_EINVAL, "", "items"),
	BAD(item_with_id, FAKE_EINVAL, NULL, NULL),
	BAD(price_and_price_data, FAKE_EINVAL, "", "items[0]"),
	BAD(price_data_no_product, FAKE_EINVAL, "parameter_missing", "items[0]"),
	BAD(price_data_one_time, FAKE_EINVAL, "parameter_missing", "items[0]"),
	BAD(price_data_unknown_product, FAKE_ENOTFOUND, "resource_missing", NULL),
	BAD(create_null_out, FAKE_EINVAL, "", "out"),
	BAD(retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(retrieve_null, FAKE_EINVAL, NULL, "id"),
	BAD(update_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(update_canceled, FAKE_ESTATE, "", ""),
	BAD(update_foreign_item, FAKE_EINVAL, "", "items[0]"),
	BAD(update_delete_every_item, FAKE_EINVAL, "parameter_missing", "items"),
	BAD(update_delete_without_id, FAKE_EINVAL, "parameter_missing", "items[0]"),
	BAD(update_negative_quantity, FAKE_EINVAL, "parameter_invalid_integer", "items[0]"),
	BAD(update_interval_change, FAKE_EINVAL, "", "items"),
	BAD(update_currency_change, FAKE_EINVAL, "", "items"),
	BAD(update_bad_proration, FAKE_EINVAL, "", "proration_behavior"),
	BAD(update_trial_end_not_trialing, FAKE_EINVAL, "", "trial_end"),
	BAD(update_trial_end_past, FAKE_EINVAL, "", "trial_end"),
	BAD(update_pause_and_resume, FAKE_EINVAL, "", "pause_collection"),
	BAD(update_resumes_at_alone, FAKE_EINVAL, "", "pause_collection[resumes_at]"),
	BAD(update_bad_flag, FAKE_EINVAL, "", "cancel_at_period_end"),
	BAD(update_items_null, FAKE_EINVAL, "", "items"),
	BAD(update_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(cancel_canceled, FAKE_ESTATE, "", ""),
	BAD(cancel_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(cancel_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(resume_active, FAKE_ESTATE, "", ""),
	BAD(resume_canceled, FAKE_ESTATE, "", ""),
	BAD_LIST(list_status, FAKE_EINVAL, "", "status"),
	BAD_LIST(list_customer, FAKE_ENOTFOUND, "resource_missing", "customer"),
	BAD_LIST(list_price, FAKE_ENOTFOUND, "resource_missing", "price"),
	BAD_LIST(list_limit, FAKE_EINVAL, NULL, NULL),
	BAD(item_create_no_subscription, FAKE_EINVAL, "parameter_missing", "subscription"),
	BAD(item_create_unknown_subscription, FAKE_ENOTFOUND, "resource_missing", "subscription"),
	BAD(item_create_duplicate_price, FAKE_EINVAL, "", "items"),
	BAD(item_create_canceled, FAKE_ESTATE, "", ""),
	BAD(item_create_currency, FAKE_EINVAL, "", "items"),
	BAD(item_create_no_price, FAKE_EINVAL, "parameter_missing", "items[0]"),
	BAD(item_create_metered_quantity, FAKE_EINVAL, "", "items[0]"),
	BAD(item_update_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(item_update_negative, FAKE_EINVAL, "parameter_invalid_integer", "items[0]"),
	BAD(item_update_unknown_price, FAKE_ENOTFOUND, "resource_missing", "items[0]"),
	BAD(item_update_canceled, FAKE_ESTATE, "", ""),
	BAD(item_update_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(item_delete_last, FAKE_EINVAL, "parameter_missing", "items"),
	BAD(item_delete_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(item_delete_proration, FAKE_EINVAL, "", "proration_behavior"),
	BAD_LIST(item_list_no_subscription, FAKE_EINVAL, NULL, "subscription"),
	BAD_LIST(item_list_unknown, FAKE_ENOTFOUND, "resource_missing", "subscription"),
	BAD(usage_licensed, FAKE_EINVAL, "", "subscription_item"),
	BAD(usage_negative, FAKE_EINVAL, "parameter_invalid_integer", "quantity"),
	BAD(usage_future, FAKE_EINVAL, "", "timestamp"),
	BAD(usage_before_period, FAKE_EINVAL, "", "timestamp"),
	BAD(usage_unknown_item, FAKE_ENOTFOUND, "resource_missing", "subscription_item"),
	BAD(usage_action, FAKE_EINVAL, "", "action"),
	BAD(usage_no_item, FAKE_EINVAL, NULL, "subscription_item"),
	BAD(advance_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(advance_negative, FAKE_EINVAL, "", "seconds"),
	BAD(transition_status, FAKE_EINVAL, "", "status"),
	BAD(transition_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(transition_ended, FAKE_ESTATE, "", ""),
};

static void test_subscription_bad_input(void **state)
{
	fake_processor *p = *state;
	bad_world(p);
	run_billing_bad_cases(p, subscription_bad_cases, sizeof subscription_bad_cases / sizeof subscription_bad_cases[0]);
	probe_next_ids(p);
}

/* The messages of state errors name the state. */
static void test_subscription_state_errors_name_the_status(void **state)
{
	fake_processor *p = *state;
	bad_world(p);
	const void *out = NULL;
	check_fails(p, bad_update_canceled(p, &out), FAKE_ESTATE, "", "");
	check_message_has(p, "canceled");
	check_message_has(p, "sub_fake_00003");
	check_fails(p, bad_usage_licensed(p, &out), FAKE_EINVAL, "", "subscription_item");
	check_message_has(p, "price_fake_00001");
	check_fails(p, bad_duplicate_price(p, &out), FAKE_EINVAL, "", "items");
	check_message_has(p, "price_fake_00001");
	check_fails(p, bad_mixed_currencies(p, &out), FAKE_EINVAL, "", "items");
	check_message_has(p, "eur");
	check_fails(p, bad_both_trial_params(p, &out), FAKE_EINVAL, "", "trial_end");
	check_message_has(p, "trial_period_days");
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_subscription_create_charges_at_once),
		TEST(test_subscription_create_with_default_payment_method_param),
		TEST(test_subscription_create_trial_period_days),
		TEST(test_subscription_create_trial_end),
		TEST(test_subscription_create_send_invoice),
		TEST(test_subscription_create_default_incomplete),
		TEST(test_subscription_create_allow_incomplete_declined),
		TEST(test_subscription_create_error_if_incomplete_declined),
		TEST(test_subscription_create_billing_cycle_anchor),
		TEST(test_subscription_create_cancel_at_period_end),
		TEST(test_subscription_create_cancel_at),
		TEST(test_subscription_create_metadata_and_description),
		TEST(test_subscription_create_price_data),
		TEST(test_subscription_create_several_items),
		TEST(test_subscription_retrieve),
		TEST(test_subscription_list_filters),
		TEST(test_subscription_update_quantity_create_prorations),
		TEST(test_subscription_update_proration_none),
		TEST(test_subscription_update_always_invoice),
		TEST(test_subscription_update_change_price),
		TEST(test_subscription_update_add_and_remove_items),
		TEST(test_subscription_update_trial_end),
		TEST(test_subscription_update_cancel_settings),
		TEST(test_subscription_cancel_now),
		TEST(test_subscription_cancel_prorate),
		TEST(test_subscription_cancel_invoice_now),
		TEST(test_subscription_cancel_keeps_open_invoices),
		TEST(test_subscription_resume_paused),
		TEST(test_subscription_trial_end_cancels_without_payment_method),
		TEST(test_subscription_items_lifecycle),
		TEST(test_subscription_item_update_price),
		TEST(test_subscription_usage_records_bill_in_arrears),
		TEST(test_subscription_transition_any_status),
		TEST(test_subscription_transition_ends_and_leaves_trial),
		TEST(test_subscription_advance_helper),
		TEST(test_subscription_bad_input),
		TEST(test_subscription_state_errors_name_the_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
