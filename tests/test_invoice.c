/*
 * Invoices and invoice items (fake/invoice.h): drafts made by hand with
 * pending items, invoice items pending and on drafts, Stripe's state
 * machine (every legal step, every illegal one refused with nothing
 * changed), payments and declines, amounts after each step, lists, the
 * upcoming invoice, and bad input. Every test starts from a fresh
 * processor (fixture_new). docs/invoices.md describes the behaviour.
 */
#include "billing_op_helpers.h"

/* cus_fake_00001 pays with a visa (pm_fake_00001, its default);
 * price_fake_00001 is a one-time "Widget" at $5. */
static void world(fake_processor *p)
{
	cust_with_card(p, "pm_card_visa");
	price_new(p, "usd", 500, "Widget", FAKE_INTERVAL_NONE, FAKE_USAGE_LICENSED);
}

/* A pending item of `amount` in `currency` for `customer`. */
static const fake_invoice_item *item_amount(fake_processor *p, const char *customer, int64_t amount,
					    const char *currency, const char *description)
{
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = customer;
	ic.amount = amount;
	ic.currency = currency;
	ic.description = description;
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	assert_non_null(ii);
	return ii;
}

/* An item on `price` x `quantity`, pending or on `invoice`. */
static const fake_invoice_item *item_priced(fake_processor *p, const char *customer, const char *price,
					    int64_t quantity, const char *invoice)
{
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = customer;
	ic.price = price;
	ic.quantity = quantity;
	ic.invoice = invoice;
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	assert_non_null(ii);
	return ii;
}

static const fake_invoice *draft_new(fake_processor *p, const char *customer)
{
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = customer;
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	assert_non_null(inv);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_DRAFT);
	return inv;
}

static const fake_invoice *finalized(fake_processor *p, const fake_invoice *draft)
{
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_finalize(&inv, p, fake_invoice_id(draft), NULL));
	assert_ptr_equal(inv, draft);
	return inv;
}

/* An open invoice of `amount` for `customer`, from a new pending item. */
static const fake_invoice *open_invoice(fake_processor *p, const char *customer, int64_t amount)
{
	item_amount(p, customer, amount, "usd", "Services");
	const fake_invoice *inv = finalized(p, draft_new(p, customer));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
	return inv;
}

static void check_line(const fake_invoice *inv, size_t i, int64_t amount, int64_t quantity, const char *item,
		       const char *description)
{
	const fake_invoice_line *line = fake_invoice_line_at(inv, i);
	assert_non_null(line);
	assert_int_equal(fake_invoice_line_amount(line), amount);
	assert_int_equal(fake_invoice_line_quantity(line), quantity);
	assert_string_equal(fake_invoice_line_type(line), "invoiceitem");
	assert_string_equal(fake_invoice_line_invoice_item(line), item);
	if (description)
		assert_string_equal(fake_invoice_line_description(line), description);
	else
		assert_null(fake_invoice_line_description(line));
	assert_string_equal(fake_invoice_line_currency(line), fake_invoice_currency(inv));
	assert_false(fake_invoice_line_proration(line));
}

/* ---- drafts by hand ----------------------------------------------------------------------- */

static void test_invoice_create_draft_pulls_pending_items(void **state)
{
	fake_processor *p = *state;
	world(p);
	check_ok(p, fake_clock_advance(p, 3600));
	item_amount(p, "cus_fake_00001", 1500, "usd", "Consulting");  /* ii_fake_00001 */
	item_priced(p, "cus_fake_00001", "price_fake_00001", 4, NULL); /* ii_fake_00002: 4 x $5 */
	item_amount(p, "cus_fake_00001", -300, "usd", "Goodwill");    /* ii_fake_00003: a credit */
	item_amount(p, "cus_fake_00001", 900, "eur", "Euro work");    /* ii_fake_00004 */
	cust_new(p);                                                   /* cus_fake_00002 */
	item_amount(p, "cus_fake_00002", 700, "usd", "Theirs");       /* ii_fake_00005 */
	size_t events = fake_event_count(p);

	fake_kv md[] = { { "order", "7" } };
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	cp.description = "March work";
	cp.metadata = md;
	cp.metadata_count = 1;
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	assert_string_equal(fake_invoice_id(inv), "in_fake_00001");
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_DRAFT);
	assert_string_equal(fake_invoice_status_name(inv), "draft");
	assert_int_equal(fake_invoice_billing_reason(inv), FAKE_BILLING_MANUAL);
	assert_string_equal(fake_invoice_billing_reason_name(inv), "manual");
	assert_string_equal(fake_invoice_customer(inv), "cus_fake_00001");
	assert_null(fake_invoice_subscription(inv));
	assert_string_equal(fake_invoice_currency(inv), "usd");
	assert_null(fake_invoice_number(inv));
	assert_null(fake_invoice_payment_intent(inv));
	assert_null(fake_invoice_charge(inv));
	assert_false(fake_invoice_auto_advance(inv));
	assert_int_equal(fake_invoice_collection_method(inv), FAKE_COLLECT_CHARGE_AUTOMATICALLY);
	assert_int_equal(fake_invoice_due_date(inv), 0);
	assert_int_equal(fake_invoice_created(inv), T0 + 3600);
	assert_int_equal(fake_invoice_period_start(inv), T0 + 3600);
	assert_int_equal(fake_invoice_period_end(inv), T0 + 3600);
	assert_int_equal(fake_invoice_attempt_count(inv), 0);
	assert_false(fake_invoice_attempted(inv));
	assert_string_equal(fake_invoice_description(inv), "March work");
	assert_string_equal(fake_metadata_get(fake_invoice_metadata(inv), "order"), "7");
	assert_int_equal(fake_object_type_of(inv), FAKE_OBJECT_INVOICE);

	/* the customer's usd items, in creation order */
	assert_int_equal(fake_invoice_line_count(inv), 3);
	check_line(inv, 0, 1500, 1, "ii_fake_00001", "Consulting");
	check_line(inv, 1, 2000, 4, "ii_fake_00002", NULL);
	assert_string_equal(fake_price_id(fake_invoice_line_price(fake_invoice_line_at(inv, 1))), "price_fake_00001");
	check_line(inv, 2, -300, 1, "ii_fake_00003", "Goodwill");
	assert_null(fake_invoice_line_at(inv, 3));
	check_amounts(inv, 3200, 0);
	for (int i = 1; i <= 3; i++) {
		char id[32];
		snprintf(id, sizeof id, "ii_fake_%05d", i);
		assert_string_equal(fake_invoice_item_invoice(ii_get(p, id)), "in_fake_00001");
	}
	assert_null(fake_invoice_item_invoice(ii_get(p, "ii_fake_00004")));
	assert_null(fake_invoice_item_invoice(ii_get(p, "ii_fake_00005")));
	assert_int_equal(count_invoice_items(p, "cus_fake_00001", NULL, true), 1);
	assert_int_equal(count_invoice_items(p, NULL, "in_fake_00001", false), 3);
	check_events(p, events, "invoice.created");
	/* the event shows the draft complete */
	const fake_invoice *snap = fake_event_object(last_event(p, "invoice.created"));
	assert_int_equal(fake_invoice_line_count(snap), 3);
	assert_string_equal(fake_invoice_description(snap), "March work");

	/* the next draft takes the eur item; then nothing is pending */
	const fake_invoice *eur = draft_new(p, "cus_fake_00001");
	assert_string_equal(fake_invoice_currency(eur), "eur");
	check_line(eur, 0, 900, 1, "ii_fake_00004", "Euro work");
	check_amounts(eur, 900, 0);
	const fake_invoice *empty = draft_new(p, "cus_fake_00001");
	assert_string_equal(fake_invoice_currency(empty), "usd");
	assert_int_equal(fake_invoice_line_count(empty), 0);
	check_amounts(empty, 0, 0);
}

static void test_invoice_create_exclude_pending_and_currency(void **state)
{
	fake_processor *p = *state;
	world(p);
	item_amount(p, "cus_fake_00001", 1500, "usd", "A");
	item_amount(p, "cus_fake_00001", 900, "eur", "B");
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	cp.exclude_pending_items = true;
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	assert_int_equal(fake_invoice_line_count(inv), 0);
	assert_int_equal(count_invoice_items(p, "cus_fake_00001", NULL, true), 2);
	/* currency picks the items: EUR, any case */
	cp.exclude_pending_items = false;
	cp.currency = "EUR";
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	assert_string_equal(fake_invoice_currency(inv), "eur");
	assert_int_equal(fake_invoice_line_count(inv), 1);
	check_line(inv, 0, 900, 1, "ii_fake_00002", "B");
	assert_int_equal(count_invoice_items(p, "cus_fake_00001", NULL, true), 1);
}

static void test_invoice_create_for_one_subscription(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_price *pro = monthly(p, 1000, "Pro"); /* price_fake_00002 */
	const fake_price *team = monthly(p, 2500, "Team");
	sub_simple(p, "cus_fake_00001", fake_price_id(pro), 1);  /* sub_fake_00001 */
	sub_simple(p, "cus_fake_00001", fake_price_id(team), 1); /* sub_fake_00002 */
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00001";
	ic.currency = "usd";
	ic.amount = 100;
	ic.subscription = "sub_fake_00001";
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL)); /* ii_fake_00001: sub 1's */
	assert_string_equal(fake_invoice_item_subscription(ii), "sub_fake_00001");
	ic.subscription = "sub_fake_00002";
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL)); /* ii_fake_00002: sub 2's */
	item_amount(p, "cus_fake_00001", 300, "usd", "Loose");    /* ii_fake_00003: the customer's */

	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	cp.subscription = "sub_fake_00001";
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	/* only that subscription's pending items */
	assert_string_equal(fake_invoice_subscription(inv), "sub_fake_00001");
	assert_int_equal(fake_invoice_line_count(inv), 1);
	check_line(inv, 0, 100, 1, "ii_fake_00001", NULL);
	assert_int_equal(count_invoice_items(p, "cus_fake_00001", NULL, true), 2);
	/* the list by subscription shows it with the first invoice */
	fake_invoice_list_params lp = FAKE_INVOICE_LIST_PARAMS_INIT;
	lp.subscription = "sub_fake_00001";
	fake_list page;
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_ptr_equal(page.data[0], inv);
}

static void test_invoice_send_invoice_draft(void **state)
{
	fake_processor *p = *state;
	world(p);
	item_amount(p, "cus_fake_00001", 4200, "usd", "Audit");
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	cp.collection_method = FAKE_COLLECT_SEND_INVOICE;
	cp.days_until_due = 14;
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	assert_int_equal(fake_invoice_collection_method(inv), FAKE_COLLECT_SEND_INVOICE);
	assert_int_equal(fake_invoice_due_date(inv), 0);
	check_ok(p, fake_clock_advance(p, DAY));
	finalized(p, inv);
	assert_int_equal(fake_invoice_due_date(inv), T0 + 15 * DAY);
	assert_int_equal(fake_invoice_finalized_at(inv), T0 + DAY);
	size_t events = fake_event_count(p);
	const fake_invoice *sent = NULL;
	check_ok(p, fake_invoice_send(&sent, p, "in_fake_00001", NULL));
	assert_ptr_equal(sent, inv);
	check_events(p, events, "invoice.sent");
	/* sending does not change it, and may be repeated */
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
	check_ok(p, fake_invoice_send(&sent, p, "in_fake_00001", NULL));
	check_events(p, events, "invoice.sent", "invoice.sent");
	check_amounts(inv, 4200, 0);
	/* never charged; overdue at its due date */
	check_ok(p, fake_clock_advance(p, 14 * DAY));
	last_event(p, "invoice.overdue");
	assert_int_equal(fake_invoice_attempt_count(inv), 0);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
	/* days_until_due defaults to 30 */
	cp.days_until_due = 0;
	item_amount(p, "cus_fake_00001", 100, "usd", NULL);
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	finalized(p, inv);
	assert_int_equal(fake_invoice_due_date(inv), fake_clock_now(p) + 30 * DAY);
}

/* ---- invoice items ------------------------------------------------------------------------ */

static void test_invoice_items_pending(void **state)
{
	fake_processor *p = *state;
	world(p);
	size_t events = fake_event_count(p);
	fake_kv md[] = { { "ticket", "T-1" } };
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00001";
	ic.amount = 2500;
	ic.currency = "USD";
	ic.description = "Support";
	ic.metadata = md;
	ic.metadata_count = 1;
	ic.period_start = T0 - 10 * DAY;
	ic.period_end = T0 - DAY;
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_create(&ii, p, &ic, NULL));
	assert_string_equal(fake_invoice_item_id(ii), "ii_fake_00001");
	assert_string_equal(fake_invoice_item_customer(ii), "cus_fake_00001");
	assert_int_equal(fake_invoice_item_amount(ii), 2500);
	assert_int_equal(fake_invoice_item_unit_amount(ii), 2500);
	assert_int_equal(fake_invoice_item_quantity(ii), 1);
	assert_string_equal(fake_invoice_item_currency(ii), "usd");
	assert_null(fake_invoice_item_price(ii));
	assert_null(fake_invoice_item_invoice(ii));
	assert_null(fake_invoice_item_subscription(ii));
	assert_false(fake_invoice_item_proration(ii));
	assert_int_equal(fake_invoice_item_period_start(ii), T0 - 10 * DAY);
	assert_int_equal(fake_invoice_item_period_end(ii), T0 - DAY);
	assert_string_equal(fake_invoice_item_description(ii), "Support");
	assert_string_equal(fake_metadata_get(fake_invoice_item_metadata(ii), "ticket"), "T-1");
	assert_ptr_equal(ii_get(p, "ii_fake_00001"), ii);
	check_events(p, events, "invoiceitem.created");
	assert_int_equal(fake_object_type_of(ii), FAKE_OBJECT_INVOICE_ITEM);

	/* a priced item: unit_amount x quantity; its period defaults to now */
	const fake_invoice_item *priced = item_priced(p, "cus_fake_00001", "price_fake_00001", 3, NULL);
	assert_int_equal(fake_invoice_item_amount(priced), 1500);
	assert_int_equal(fake_invoice_item_unit_amount(priced), 500);
	assert_int_equal(fake_invoice_item_period_start(priced), T0);
	assert_int_equal(fake_invoice_item_period_end(priced), T0);

	/* update: no event */
	events = fake_event_count(p);
	fake_kv md2[] = { { "ticket", "" } };
	fake_invoice_item_update_params iu = FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT;
	iu.amount = 3000;
	iu.description = "Premium support";
	iu.metadata = md2;
	iu.metadata_count = 1;
	const fake_invoice_item *out = NULL;
	check_ok(p, fake_invoice_item_update(&out, p, "ii_fake_00001", &iu, NULL));
	assert_ptr_equal(out, ii);
	assert_int_equal(fake_invoice_item_amount(ii), 3000);
	assert_string_equal(fake_invoice_item_description(ii), "Premium support");
	assert_int_equal(fake_metadata_count(fake_invoice_item_metadata(ii)), 0);
	iu = (fake_invoice_item_update_params)FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT;
	iu.quantity = 5;
	iu.description = "";
	check_ok(p, fake_invoice_item_update(&out, p, "ii_fake_00002", &iu, NULL));
	assert_int_equal(fake_invoice_item_quantity(priced), 5);
	assert_int_equal(fake_invoice_item_amount(priced), 2500);
	assert_int_equal(fake_event_count(p), events);

	/* list: newest first, by customer and pending */
	cust_new(p); /* cus_fake_00002 */
	item_amount(p, "cus_fake_00002", 100, "usd", NULL); /* ii_fake_00003 */
	fake_invoice_item_list_params lp = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	fake_list page;
	check_ok(p, fake_invoice_item_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 3);
	assert_string_equal(fake_object_id(page.data[0]), "ii_fake_00003");
	lp.customer = "cus_fake_00001";
	check_ok(p, fake_invoice_item_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_string_equal(fake_object_id(page.data[0]), "ii_fake_00002");
	assert_string_equal(fake_object_id(page.data[1]), "ii_fake_00001");

	/* delete: invoiceitem.deleted; gone from retrieve, lists and the next draft */
	const fake_invoice_item *deleted = NULL;
	check_ok(p, fake_invoice_item_delete(&deleted, p, "ii_fake_00001", NULL));
	assert_ptr_equal(deleted, ii);
	check_events(p, events, "customer.created", "invoiceitem.created", "invoiceitem.deleted");
	assert_string_equal(fake_object_id(fake_event_object(last_event(p, "invoiceitem.deleted"))), "ii_fake_00001");
	const fake_invoice_item *gone = SENTINEL;
	check_fails(p, fake_invoice_item_retrieve(&gone, p, "ii_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_null(gone);
	check_ok(p, fake_invoice_item_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	const fake_invoice *inv = draft_new(p, "cus_fake_00001");
	assert_int_equal(fake_invoice_line_count(inv), 1);
	check_line(inv, 0, 2500, 5, "ii_fake_00002", NULL);
}

static void test_invoice_items_on_a_draft(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_invoice *inv = draft_new(p, "cus_fake_00001");
	/* added to the draft: its lines and totals follow */
	const fake_invoice_item *a = item_priced(p, "cus_fake_00001", "price_fake_00001", 2, "in_fake_00001");
	assert_string_equal(fake_invoice_item_invoice(a), "in_fake_00001");
	assert_int_equal(fake_invoice_line_count(inv), 1);
	check_line(inv, 0, 1000, 2, "ii_fake_00001", NULL);
	check_amounts(inv, 1000, 0);
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00001";
	ic.amount = -250;
	ic.currency = "usd";
	ic.description = "Credit";
	ic.invoice = "in_fake_00001";
	const fake_invoice_item *b = NULL;
	check_ok(p, fake_invoice_item_create(&b, p, &ic, NULL));
	assert_int_equal(fake_invoice_line_count(inv), 2);
	check_line(inv, 1, -250, 1, "ii_fake_00002", "Credit");
	check_amounts(inv, 750, 0);
	assert_int_equal(count_invoice_items(p, NULL, NULL, true), 0);
	assert_int_equal(count_invoice_items(p, NULL, "in_fake_00001", false), 2);

	/* updated: the line is replaced, totals follow */
	const fake_invoice_line *before = fake_invoice_line_at(inv, 0);
	fake_invoice_item_update_params iu = FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT;
	iu.quantity = 6;
	const fake_invoice_item *out = NULL;
	check_ok(p, fake_invoice_item_update(&out, p, "ii_fake_00001", &iu, NULL));
	assert_int_equal(fake_invoice_line_count(inv), 2);
	check_amounts(inv, 3000 - 250, 0);
	int64_t sum = 0;
	for (size_t i = 0; i < 2; i++) {
		const fake_invoice_line *line = fake_invoice_line_at(inv, i);
		if (strcmp(fake_invoice_line_invoice_item(line), "ii_fake_00001") == 0) {
			assert_int_equal(fake_invoice_line_amount(line), 3000);
			assert_int_equal(fake_invoice_line_quantity(line), 6);
			assert_string_not_equal(fake_invoice_line_id(line), fake_invoice_line_id(before));
		}
		sum += fake_invoice_line_amount(line);
	}
	assert_int_equal(sum, 2750);
	/* lines never change: the old one still reads as it was */
	assert_int_equal(fake_invoice_line_amount(before), 1000);
	iu = (fake_invoice_item_update_params)FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT;
	iu.amount = -500;
	check_ok(p, fake_invoice_item_update(&out, p, "ii_fake_00002", &iu, NULL));
	check_amounts(inv, 2500, 0);

	/* deleted: the line goes */
	const fake_invoice_item *deleted = NULL;
	check_ok(p, fake_invoice_item_delete(&deleted, p, "ii_fake_00001", NULL));
	assert_int_equal(fake_invoice_line_count(inv), 1);
	check_line(inv, 0, -500, 1, "ii_fake_00002", "Credit");
	check_amounts(inv, -500, 0);

	/* once finalized, the items are frozen */
	item_priced(p, "cus_fake_00001", "price_fake_00001", 1, "in_fake_00001"); /* ii_fake_00003 */
	finalized(p, inv);
	check_amounts(inv, 0, 0);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID); /* nothing was due */
	out = SENTINEL;
	check_fails(p, fake_invoice_item_update(&out, p, "ii_fake_00003", &iu, NULL), FAKE_ESTATE,
		    "invoice_not_editable", "");
	assert_null(out);
	check_message_has(p, "paid");
	check_fails(p, fake_invoice_item_delete(&out, p, "ii_fake_00003", NULL), FAKE_ESTATE, "invoice_not_editable",
		    "");
	assert_non_null(ii_get(p, "ii_fake_00003"));
	assert_int_equal(fake_invoice_line_count(inv), 2);
}

static void test_invoice_delete_draft(void **state)
{
	fake_processor *p = *state;
	world(p);
	item_amount(p, "cus_fake_00001", 1500, "usd", "A");
	const fake_invoice *inv = draft_new(p, "cus_fake_00001");
	assert_int_equal(count_invoice_items(p, NULL, NULL, true), 0);
	size_t events = fake_event_count(p);
	const fake_invoice *deleted = NULL;
	check_ok(p, fake_invoice_delete(&deleted, p, "in_fake_00001", NULL));
	assert_ptr_equal(deleted, inv);
	check_events(p, events, "invoice.deleted");
	const fake_invoice *gone = SENTINEL;
	check_fails(p, fake_invoice_retrieve(&gone, p, "in_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_null(gone);
	assert_int_equal(count_invoices(p, NULL, NULL), 0);
	/* its item waits again, and the next draft takes it */
	assert_null(fake_invoice_item_invoice(ii_get(p, "ii_fake_00001")));
	assert_int_equal(count_invoice_items(p, NULL, NULL, true), 1);
	const fake_invoice *next = draft_new(p, "cus_fake_00001");
	assert_string_equal(fake_invoice_id(next), "in_fake_00002");
	check_line(next, 0, 1500, 1, "ii_fake_00001", "A");
	/* a deleted draft cannot be deleted or finalized again */
	check_fails(p, fake_invoice_delete(&gone, p, "in_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	check_fails(p, fake_invoice_finalize(&gone, p, "in_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
}

/* ---- the legal steps ---------------------------------------------------------------------- */

static void test_invoice_finalize(void **state)
{
	fake_processor *p = *state;
	world(p);
	item_amount(p, "cus_fake_00001", 1999, "usd", "A");
	const fake_invoice *inv = draft_new(p, "cus_fake_00001");
	check_ok(p, fake_clock_advance(p, 120));
	size_t events = fake_event_count(p);
	finalized(p, inv);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
	assert_string_equal(fake_invoice_status_name(inv), "open");
	assert_string_equal(fake_invoice_number(inv), "FAKE-00001");
	assert_int_equal(fake_invoice_finalized_at(inv), T0 + 120);
	assert_int_equal(fake_invoice_next_payment_attempt(inv), 0); /* not auto_advance */
	check_amounts(inv, 1999, 0);
	/* a payment intent for amount_due, not yet confirmed */
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	assert_string_equal(fake_payment_intent_id(pi), "pi_fake_00001");
	assert_int_equal(fake_payment_intent_amount(pi), 1999);
	assert_string_equal(fake_payment_intent_currency(pi), "usd");
	assert_string_equal(fake_payment_intent_customer(pi), "cus_fake_00001");
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	check_events(p, events, "payment_intent.created", "invoice.finalized");
	const fake_invoice *snap = fake_event_object(last_event(p, "invoice.finalized"));
	assert_int_equal(fake_invoice_status_of(snap), FAKE_INVOICE_OPEN);
	assert_string_equal(fake_invoice_number(snap), "FAKE-00001");

	/* nothing due: paid at once, no payment intent */
	item_amount(p, "cus_fake_00001", -400, "usd", "Credit");
	const fake_invoice *credit = draft_new(p, "cus_fake_00001");
	events = fake_event_count(p);
	finalized(p, credit);
	assert_int_equal(fake_invoice_status_of(credit), FAKE_INVOICE_PAID);
	assert_string_equal(fake_invoice_number(credit), "FAKE-00002");
	assert_null(fake_invoice_payment_intent(credit));
	check_amounts(credit, -400, 0);
	assert_int_equal(fake_invoice_paid_at(credit), T0 + 120);
	check_events(p, events, "invoice.finalized", "invoice.paid", "invoice.payment_succeeded");
}

static void test_invoice_pay_with_default_card(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_invoice *inv = open_invoice(p, "cus_fake_00001", 4500);
	check_ok(p, fake_clock_advance(p, 60));
	size_t events = fake_event_count(p);
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00001", NULL, NULL));
	assert_ptr_equal(out, inv);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	assert_int_equal(fake_invoice_paid_at(inv), T0 + 60);
	assert_int_equal(fake_invoice_attempt_count(inv), 1);
	assert_true(fake_invoice_attempted(inv));
	assert_false(fake_invoice_paid_out_of_band(inv));
	check_amounts(inv, 4500, 4500);
	const fake_charge *ch = charge_get(p, fake_invoice_charge(inv));
	assert_int_equal(fake_charge_amount(ch), 4500);
	assert_string_equal(fake_charge_payment_method(ch), "pm_fake_00001");
	assert_string_equal(fake_charge_customer(ch), "cus_fake_00001");
	const fake_payment_intent *pi = pi_get(p, fake_invoice_payment_intent(inv));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
	assert_int_equal(fake_payment_intent_amount_received(pi), 4500);
	check_events(p, events, "charge.succeeded", "payment_intent.succeeded", "invoice.paid",
		     "invoice.payment_succeeded");
}

static void test_invoice_pay_with_given_payment_method(void **state)
{
	fake_processor *p = *state;
	world(p);
	pm_attach(p, "pm_card_mastercard", "cus_fake_00001"); /* pm_fake_00002 */
	const fake_invoice *inv = open_invoice(p, "cus_fake_00001", 800);
	fake_invoice_pay_params pp = FAKE_INVOICE_PAY_PARAMS_INIT;
	pp.payment_method = "pm_fake_00002";
	pp.on_session = true;
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00001", &pp, NULL));
	assert_string_equal(fake_charge_payment_method(charge_get(p, fake_invoice_charge(inv))), "pm_fake_00002");
	check_amounts(inv, 800, 800);

	/* the invoice's own default payment method comes before the customer's */
	item_amount(p, "cus_fake_00001", 300, "usd", NULL);
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	cp.default_payment_method = "pm_fake_00002";
	const fake_invoice *second = NULL;
	check_ok(p, fake_invoice_create(&second, p, &cp, NULL));
	assert_string_equal(fake_invoice_default_payment_method(second), "pm_fake_00002");
	finalized(p, second);
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00002", NULL, NULL));
	assert_string_equal(fake_charge_payment_method(charge_get(p, fake_invoice_charge(second))), "pm_fake_00002");
}

static void test_invoice_pay_out_of_band(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_invoice *inv = open_invoice(p, "cus_fake_00001", 2000);
	size_t events = fake_event_count(p);
	fake_invoice_pay_params pp = FAKE_INVOICE_PAY_PARAMS_INIT;
	pp.paid_out_of_band = true;
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00001", &pp, NULL));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	assert_true(fake_invoice_paid_out_of_band(inv));
	check_amounts(inv, 2000, 2000);
	assert_null(fake_invoice_charge(inv));
	assert_int_equal(fake_payment_intent_status_of(pi_get(p, fake_invoice_payment_intent(inv))), FAKE_PI_CANCELED);
	/* invoice.paid, but no payment succeeded (Stripe) */
	check_events(p, events, "payment_intent.canceled", "invoice.paid");

	/* from uncollectible too */
	const fake_invoice *bad = open_invoice(p, "cus_fake_00001", 700);
	check_ok(p, fake_invoice_mark_uncollectible(&out, p, "in_fake_00002", NULL));
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00002", &pp, NULL));
	assert_int_equal(fake_invoice_status_of(bad), FAKE_INVOICE_PAID);
	check_amounts(bad, 700, 700);
}

static void test_invoice_pay_declined(void **state)
{
	fake_processor *p = *state;
	cust_with_card(p, "pm_card_chargeCustomerFail");
	const fake_invoice *inv = open_invoice(p, "cus_fake_00001", 1500);
	for (unsigned int attempt = 1; attempt <= 2; attempt++) {
		size_t events = fake_event_count(p);
		const fake_invoice *out = SENTINEL;
		int rc = fake_invoice_pay(&out, p, "in_fake_00001", NULL, NULL);
		assert_int_equal(rc, FAKE_ECARD);
		assert_null(out);
		const fake_error *e = fake_error_last(p);
		assert_string_equal(e->type, "card_error");
		assert_int_equal(e->http_status, 402);
		assert_string_equal(e->code, "card_declined");
		assert_string_equal(e->decline_code, "generic_decline");
		assert_string_equal(e->payment_intent, "pi_fake_00001");
		char charge[32];
		snprintf(charge, sizeof charge, "ch_fake_%05u", attempt);
		assert_string_equal(e->charge, charge);
		/* the attempt is kept: open, attempt_count grows, nothing paid */
		assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_OPEN);
		assert_int_equal(fake_invoice_attempt_count(inv), attempt);
		assert_true(fake_invoice_attempted(inv));
		assert_string_equal(fake_invoice_charge(inv), charge);
		check_amounts(inv, 1500, 0);
		assert_string_equal(fake_charge_status(charge_get(p, charge)), "failed");
		check_events(p, events, "charge.failed", "payment_intent.payment_failed", "invoice.payment_failed");
		const fake_invoice *snap = fake_event_object(last_event(p, "invoice.payment_failed"));
		assert_int_equal(fake_invoice_attempt_count(snap), attempt);
	}
	/* a manual attempt schedules no retry */
	assert_int_equal(fake_invoice_next_payment_attempt(inv), 0);
	/* another card pays it */
	fake_invoice_pay_params pp = FAKE_INVOICE_PAY_PARAMS_INIT;
	pp.payment_method = "pm_card_visa";
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00001", &pp, NULL));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	assert_int_equal(fake_invoice_attempt_count(inv), 3);
	assert_string_equal(fake_invoice_charge(inv), "ch_fake_00003");
	check_amounts(inv, 1500, 1500);
}

static void test_invoice_void(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_invoice *inv = open_invoice(p, "cus_fake_00001", 1200);
	check_ok(p, fake_clock_advance(p, 30));
	size_t events = fake_event_count(p);
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_void(&out, p, "in_fake_00001", NULL));
	assert_ptr_equal(out, inv);
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_VOID);
	assert_string_equal(fake_invoice_status_name(inv), "void");
	assert_int_equal(fake_invoice_voided_at(inv), T0 + 30);
	check_amounts(inv, 1200, 0);
	assert_int_equal(fake_payment_intent_status_of(pi_get(p, fake_invoice_payment_intent(inv))), FAKE_PI_CANCELED);
	check_events(p, events, "payment_intent.canceled", "invoice.voided");
	/* a void invoice is not listed as open, and can no longer be paid */
	assert_int_equal(count_invoices(p, NULL, "open"), 0);
	assert_int_equal(count_invoices(p, NULL, "void"), 1);
}

static void test_invoice_uncollectible_then_void(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_invoice *inv = open_invoice(p, "cus_fake_00001", 1200);
	size_t events = fake_event_count(p);
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_mark_uncollectible(&out, p, "in_fake_00001", NULL));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_UNCOLLECTIBLE);
	assert_string_equal(fake_invoice_status_name(inv), "uncollectible");
	assert_int_equal(fake_invoice_marked_uncollectible_at(inv), T0);
	check_amounts(inv, 1200, 0);
	check_events(p, events, "invoice.marked_uncollectible");
	check_ok(p, fake_invoice_void(&out, p, "in_fake_00001", NULL));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_VOID);
	check_events(p, events, "invoice.marked_uncollectible", "payment_intent.canceled", "invoice.voided");
	check_amounts(inv, 1200, 0);
}

static void test_invoice_uncollectible_then_paid(void **state)
{
	fake_processor *p = *state;
	world(p);
	const fake_invoice *inv = open_invoice(p, "cus_fake_00001", 1200);
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_mark_uncollectible(&out, p, "in_fake_00001", NULL));
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00001", NULL, NULL));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	check_amounts(inv, 1200, 1200);
	last_event(p, "invoice.payment_succeeded");
}

static void test_invoice_update(void **state)
{
	fake_processor *p = *state;
	world(p);
	pm_attach(p, "pm_card_mastercard", "cus_fake_00001"); /* pm_fake_00002 */
	item_amount(p, "cus_fake_00001", 1000, "usd", NULL);
	const fake_invoice *inv = draft_new(p, "cus_fake_00001");
	fake_kv md[] = { { "po", "123" } };
	fake_invoice_update_params up = FAKE_INVOICE_UPDATE_PARAMS_INIT;
	up.description = "Thanks";
	up.metadata = md;
	up.metadata_count = 1;
	up.default_payment_method = "pm_fake_00002";
	size_t events = fake_event_count(p);
	const fake_invoice *out = NULL;
	check_ok(p, fake_invoice_update(&out, p, "in_fake_00001", &up, NULL));
	assert_ptr_equal(out, inv);
	assert_string_equal(fake_invoice_description(inv), "Thanks");
	assert_string_equal(fake_metadata_get(fake_invoice_metadata(inv), "po"), "123");
	assert_string_equal(fake_invoice_default_payment_method(inv), "pm_fake_00002");
	check_events(p, events, "invoice.updated");
	const fake_event *e = last_event(p, "invoice.updated");
	assert_int_equal(fake_event_previous_attribute_count(e), 3);
	assert_string_equal(fake_event_previous_attribute(e, 0), "default_payment_method");
	assert_string_equal(fake_event_previous_attribute(e, 1), "description");
	assert_string_equal(fake_event_previous_attribute(e, 2), "metadata");
	assert_null(fake_invoice_description(fake_event_previous(e)));
	/* nothing changes: no event */
	check_ok(p, fake_invoice_update(&out, p, "in_fake_00001", &up, NULL));
	assert_int_equal(fake_event_count(p), events + 1);

	/* auto_advance on a draft: finalized an hour later and charged, with its own card */
	up = (fake_invoice_update_params)FAKE_INVOICE_UPDATE_PARAMS_INIT;
	up.auto_advance = FAKE_FLAG_SET;
	check_ok(p, fake_invoice_update(&out, p, "in_fake_00001", &up, NULL));
	assert_true(fake_invoice_auto_advance(inv));
	check_ok(p, fake_clock_advance(p, 3599));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_DRAFT);
	check_ok(p, fake_clock_advance(p, 1));
	assert_int_equal(fake_invoice_status_of(inv), FAKE_INVOICE_PAID);
	check_amounts(inv, 1000, 1000);
	assert_string_equal(fake_charge_payment_method(charge_get(p, fake_invoice_charge(inv))), "pm_fake_00002");

	/* open and uncollectible invoices can still be updated */
	const fake_invoice *open = open_invoice(p, "cus_fake_00001", 500);
	up = (fake_invoice_update_params)FAKE_INVOICE_UPDATE_PARAMS_INIT;
	up.description = "Open";
	check_ok(p, fake_invoice_update(&out, p, fake_invoice_id(open), &up, NULL));
	check_ok(p, fake_invoice_mark_uncollectible(&out, p, fake_invoice_id(open), NULL));
	up.description = "Lost";
	check_ok(p, fake_invoice_update(&out, p, fake_invoice_id(open), &up, NULL));
	assert_string_equal(fake_invoice_description(open), "Lost");
	assert_int_equal(fake_invoice_status_of(open), FAKE_INVOICE_UNCOLLECTIBLE);
}

/* ---- the illegal steps -------------------------------------------------------------------- */

typedef enum action {
	ACT_FINALIZE,
	ACT_PAY,
	ACT_VOID,
	ACT_MARK_UNCOLLECTIBLE,
	ACT_SEND,
	ACT_DELETE,
	ACT_UPDATE,
	ACT_COUNT
} action;

static const char *const action_words[ACT_COUNT] = { "finalize", "pay", "void", "mark uncollectible",
						     "send", "delete", "update" };

static int run_action(fake_processor *p, action a, const char *id, const fake_invoice **out)
{
	fake_invoice_update_params up = FAKE_INVOICE_UPDATE_PARAMS_INIT;
	up.description = "changed";
	switch (a) {
	case ACT_FINALIZE:
		return fake_invoice_finalize(out, p, id, NULL);
	case ACT_PAY:
		return fake_invoice_pay(out, p, id, NULL, NULL);
	case ACT_VOID:
		return fake_invoice_void(out, p, id, NULL);
	case ACT_MARK_UNCOLLECTIBLE:
		return fake_invoice_mark_uncollectible(out, p, id, NULL);
	case ACT_SEND:
		return fake_invoice_send(out, p, id, NULL);
	case ACT_DELETE:
		return fake_invoice_delete(out, p, id, NULL);
	default:
		return fake_invoice_update(out, p, id, &up, NULL);
	}
}

/* Stripe's state machine: what each action accepts. */
static bool legal(action a, fake_invoice_status s)
{
	switch (a) {
	case ACT_FINALIZE:
	case ACT_DELETE:
		return s == FAKE_INVOICE_DRAFT;
	case ACT_PAY:
	case ACT_VOID:
		return s == FAKE_INVOICE_OPEN || s == FAKE_INVOICE_UNCOLLECTIBLE;
	case ACT_MARK_UNCOLLECTIBLE:
	case ACT_SEND:
		return s == FAKE_INVOICE_OPEN;
	default:
		return s != FAKE_INVOICE_PAID && s != FAKE_INVOICE_VOID;
	}
}

/* in_fake_00001 draft, _00002 open, _00003 paid, _00004 void, _00005 uncollectible. */
static void invoices_in_every_state(fake_processor *p)
{
	const fake_invoice *out = NULL;
	item_amount(p, "cus_fake_00001", 100, "usd", NULL);
	draft_new(p, "cus_fake_00001");
	open_invoice(p, "cus_fake_00001", 200);
	open_invoice(p, "cus_fake_00001", 300);
	check_ok(p, fake_invoice_pay(&out, p, "in_fake_00003", NULL, NULL));
	open_invoice(p, "cus_fake_00001", 400);
	check_ok(p, fake_invoice_void(&out, p, "in_fake_00004", NULL));
	open_invoice(p, "cus_fake_00001", 500);
	check_ok(p, fake_invoice_mark_uncollectible(&out, p, "in_fake_00005", NULL));
	static const fake_invoice_status want[] = { FAKE_INVOICE_DRAFT, FAKE_INVOICE_OPEN, FAKE_INVOICE_PAID,
						    FAKE_INVOICE_VOID, FAKE_INVOICE_UNCOLLECTIBLE };
	for (int i = 0; i < 5; i++) {
		char id[32];
		snprintf(id, sizeof id, "in_fake_%05d", i + 1);
		assert_int_equal(fake_invoice_status_of(inv_get(p, id)), want[i]);
	}
}

static void test_invoice_illegal_transitions(void **state)
{
	fake_processor *p = *state;
	world(p);
	invoices_in_every_state(p);
	static sig before, after;
	size_t refused = 0;
	for (int s = 0; s < 5; s++) {
		char id[32];
		snprintf(id, sizeof id, "in_fake_%05d", s + 1);
		const fake_invoice *inv = inv_get(p, id);
		fake_invoice_status status = fake_invoice_status_of(inv);
		for (int a = 0; a < ACT_COUNT; a++) {
			if (legal((action)a, status))
				continue;
			bsig_take(p, &before);
			const fake_invoice *out = SENTINEL;
			int rc = run_action(p, (action)a, id, &out);
			const fake_error *e = fake_error_last(p);
			if (rc != FAKE_ESTATE) {
				print_error("%s a %s invoice returned %s (%s)\n", action_words[a],
					    fake_invoice_status_string(status), fake_status_name(rc), e->message);
				fail();
			}
			assert_null(out);
			assert_int_equal(e->status, FAKE_ESTATE);
			assert_string_equal(e->type, "invalid_request_error");
			assert_int_equal(e->http_status, 400);
			assert_string_equal(e->code, "invoice_unexpected_state");
			char want[128];
			snprintf(want, sizeof want, "You cannot %s this invoice because it is %s.", action_words[a],
				 fake_invoice_status_string(status));
			assert_string_equal(e->message, want);
			bsig_take(p, &after);
			check_sig_unchanged(want, &before, &after);
			refused++;
		}
	}
	/* draft 4, open 2, paid 7, void 7, uncollectible 4 */
	assert_int_equal(refused, 24);
}

/* Every legal step from every state works, with the amounts that follow. */
static void test_invoice_legal_transitions(void **state)
{
	fake_processor *p = *state;
	world(p);
	static const struct {
		fake_invoice_status from;
		action a;
		fake_invoice_status to;
		int64_t paid;
	} steps[] = {
		{ FAKE_INVOICE_DRAFT, ACT_FINALIZE, FAKE_INVOICE_OPEN, 0 },
		{ FAKE_INVOICE_DRAFT, ACT_UPDATE, FAKE_INVOICE_DRAFT, 0 },
		{ FAKE_INVOICE_OPEN, ACT_PAY, FAKE_INVOICE_PAID, 1 },
		{ FAKE_INVOICE_OPEN, ACT_VOID, FAKE_INVOICE_VOID, 0 },
		{ FAKE_INVOICE_OPEN, ACT_MARK_UNCOLLECTIBLE, FAKE_INVOICE_UNCOLLECTIBLE, 0 },
		{ FAKE_INVOICE_OPEN, ACT_SEND, FAKE_INVOICE_OPEN, 0 },
		{ FAKE_INVOICE_OPEN, ACT_UPDATE, FAKE_INVOICE_OPEN, 0 },
		{ FAKE_INVOICE_UNCOLLECTIBLE, ACT_PAY, FAKE_INVOICE_PAID, 1 },
		{ FAKE_INVOICE_UNCOLLECTIBLE, ACT_VOID, FAKE_INVOICE_VOID, 0 },
		{ FAKE_INVOICE_UNCOLLECTIBLE, ACT_UPDATE, FAKE_INVOICE_UNCOLLECTIBLE, 0 },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const fake_invoice *inv = NULL, *out = NULL;
		if (steps[i].from == FAKE_INVOICE_DRAFT) {
			item_amount(p, "cus_fake_00001", 1000 + (int64_t)i, "usd", NULL);
			inv = draft_new(p, "cus_fake_00001");
		} else {
			inv = open_invoice(p, "cus_fake_00001", 1000 + (int64_t)i);
		}
		if (steps[i].from == FAKE_INVOICE_UNCOLLECTIBLE)
			check_ok(p, fake_invoice_mark_uncollectible(&out, p, fake_invoice_id(inv), NULL));
		assert_int_equal(fake_invoice_status_of(inv), steps[i].from);
		check_ok(p, run_action(p, steps[i].a, fake_invoice_id(inv), &out));
		assert_ptr_equal(out, inv);
		assert_int_equal(fake_invoice_status_of(inv), steps[i].to);
		check_amounts(inv, 1000 + (int64_t)i, steps[i].paid ? 1000 + (int64_t)i : 0);
	}
}

/* ---- lists -------------------------------------------------------------------------------- */

static void test_invoice_list_filters(void **state)
{
	fake_processor *p = *state;
	world(p);
	cust_with_card(p, "pm_card_visa"); /* cus_fake_00002 */
	invoices_in_every_state(p);        /* in_fake_00001..5 for cus_fake_00001 */
	open_invoice(p, "cus_fake_00002", 900); /* in_fake_00006 */
	fake_invoice_list_params lp = FAKE_INVOICE_LIST_PARAMS_INIT;
	fake_list page;
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 6);
	assert_string_equal(fake_object_id(page.data[0]), "in_fake_00006");
	assert_string_equal(fake_object_id(page.data[5]), "in_fake_00001");
	lp.customer = "cus_fake_00001";
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 5);
	lp.status = "open";
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_object_id(page.data[0]), "in_fake_00002");
	lp.customer = NULL;
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	static const char *const statuses[] = { "draft", "paid", "void", "uncollectible" };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(count_invoices(p, "cus_fake_00001", statuses[i]), 1);
	/* pages */
	lp = (fake_invoice_list_params)FAKE_INVOICE_LIST_PARAMS_INIT;
	lp.page.limit = 4;
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 4);
	assert_true(page.has_more);
	lp.page.starting_after = fake_object_id(page.data[3]);
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_false(page.has_more);
	assert_string_equal(fake_object_id(page.data[1]), "in_fake_00001");
}

/* ---- the upcoming invoice ----------------------------------------------------------------- */

/* A subscription mid-period with two items, a quantity change and a
 * pending one-off item: the same on two processors. */
static void upcoming_world(fake_processor *p)
{
	world(p);
	monthly(p, 1000, "Pro");  /* price_fake_00002 */
	monthly(p, 2500, "Team"); /* price_fake_00003 */
	fake_subscription_item_params its[] = { item_of("price_fake_00002", 2), item_of("price_fake_00003", 1) };
	fake_subscription_create_params sc = sub_params("cus_fake_00001", its);
	sc.item_count = 2;
	sub_create(p, &sc);
	check_ok(p, fake_clock_advance(p, 10 * DAY + 12345));
	fake_subscription_item_params ch = { "si_fake_00001", NULL, NULL, 5, false, NULL, 0 };
	fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	up.items = &ch;
	up.item_count = 1;
	const fake_subscription *out = NULL;
	check_ok(p, fake_subscription_update(&out, p, "sub_fake_00001", &up, NULL)); /* ii_fake_00001, _00002 */
	item_amount(p, "cus_fake_00001", 700, "usd", "Onboarding");                  /* ii_fake_00003 */
}

/* What a user sees of the invoices and their lines, ids included. */
static void invoices_text(fake_processor *p, text *t)
{
	fake_invoice_list_params lp = FAKE_INVOICE_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	for (size_t i = 0; i < page.count; i++) {
		const fake_invoice *inv = page.data[i];
		text_add(t, "%s %s %" PRId64 "\n", fake_invoice_id(inv), fake_invoice_status_name(inv), fake_invoice_total(inv));
		for (size_t j = 0; j < fake_invoice_line_count(inv); j++) {
			const fake_invoice_line *line = fake_invoice_line_at(inv, j);
			text_add(t, "  %s %" PRId64 " %s\n", fake_invoice_line_id(line), fake_invoice_line_amount(line),
				 or_dash(fake_invoice_line_description(line)));
		}
	}
	text_add(t, "events=%zu\n", fake_event_count(p));
}

static void test_invoice_upcoming_preview(void **state)
{
	fake_processor *p = *state;
	upcoming_world(p);
	static sig before, after;
	bsig_take(p, &before);
	size_t events = fake_event_count(p);
	const fake_invoice *preview = NULL;
	check_ok(p, fake_invoice_upcoming(&preview, p, "sub_fake_00001", NULL));
	assert_non_null(preview);
	assert_null(fake_invoice_id(preview));
	assert_int_equal(fake_invoice_billing_reason(preview), FAKE_BILLING_UPCOMING);
	assert_string_equal(fake_invoice_billing_reason_name(preview), "upcoming");
	assert_int_equal(fake_invoice_status_of(preview), FAKE_INVOICE_DRAFT);
	assert_string_equal(fake_invoice_subscription(preview), "sub_fake_00001");
	assert_string_equal(fake_invoice_customer(preview), "cus_fake_00001");
	assert_int_equal(fake_invoice_period_start(preview), T0);
	assert_int_equal(fake_invoice_period_end(preview), T0 + JAN);
	/* February's items at their new quantities, then the pending items:
	 * the prorations (-1346, +3364) and the one-off */
	assert_int_equal(fake_invoice_line_count(preview), 5);
	static const struct {
		int64_t amount;
		const char *description;
		const char *id;
	} want[] = {
		{ 5000, "5 x Pro", "il_tmp_fake_00001" },
		{ 2500, "1 x Team", "il_tmp_fake_00002" },
		{ -1346, "Unused time on 2 x Pro after 2026-01-11", "il_tmp_fake_00003" },
		{ 3364, "Remaining time on 5 x Pro after 2026-01-11", "il_tmp_fake_00004" },
		{ 700, "Onboarding", "il_tmp_fake_00005" },
	};
	for (size_t i = 0; i < 5; i++) {
		const fake_invoice_line *line = fake_invoice_line_at(preview, i);
		assert_int_equal(fake_invoice_line_amount(line), want[i].amount);
		assert_string_equal(fake_invoice_line_description(line), want[i].description);
		assert_string_equal(fake_invoice_line_id(line), want[i].id);
	}
	assert_int_equal(fake_invoice_line_period_start(fake_invoice_line_at(preview, 0)), T0 + JAN);
	assert_int_equal(fake_invoice_line_period_end(fake_invoice_line_at(preview, 0)), T0 + JAN + FEB);
	assert_true(fake_invoice_line_proration(fake_invoice_line_at(preview, 2)));
	assert_string_equal(fake_invoice_line_subscription_item(fake_invoice_line_at(preview, 0)), "si_fake_00001");
	check_amounts(preview, 5000 + 2500 - 1346 + 3364 + 700, 0);

	/* nothing stored, nothing moved: no event, the items still pending */
	bsig_take(p, &after);
	check_sig_unchanged("upcoming", &before, &after);
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(count_invoice_items(p, NULL, NULL, true), 3);
	const fake_invoice *again = NULL;
	check_ok(p, fake_invoice_upcoming(&again, p, "sub_fake_00001", NULL));
	check_amounts(again, fake_invoice_total(preview), 0);
	/* the preview stays readable after later calls */
	const fake_invoice *next = draft_new(p, "cus_fake_00001");
	assert_string_equal(fake_invoice_id(next), "in_fake_00002");
	assert_string_equal(fake_invoice_line_description(fake_invoice_line_at(preview, 0)), "5 x Pro");
	assert_int_equal(fake_invoice_line_count(preview), 5);
}

static void test_invoice_upcoming_moves_no_counter(void **state)
{
	fake_processor *p = *state;
	fake_processor *twin = NULL;
	assert_int_equal(fake_processor_new(&twin, NULL), 0);
	upcoming_world(p);
	upcoming_world(twin);
	/* only one of them previews, three times */
	for (int i = 0; i < 3; i++) {
		const fake_invoice *preview = NULL;
		check_ok(p, fake_invoice_upcoming(&preview, p, "sub_fake_00001", NULL));
	}
	/* then both live on the same: a manual invoice and the renewal */
	fake_processor *both[] = { p, twin };
	for (int i = 0; i < 2; i++) {
		item_amount(both[i], "cus_fake_00001", 100, "usd", "Later");
		check_ok(both[i], fake_subscription_advance(both[i], NULL, 25, 0, true));
	}
	static sig a, b;
	bsig_take(p, &a);
	bsig_take(twin, &b);
	check_sig_unchanged("previews", &b, &a);
	text ta = { 0 }, tb = { 0 };
	invoices_text(p, &ta);
	invoices_text(twin, &tb);
	assert_string_equal(ta.s, tb.s);
	/* the renewal billed the new quantities and every pending item */
	assert_non_null(strstr(ta.s, "in_fake_00002 paid 10318\n"));
	text_free(&ta);
	text_free(&tb);
	fake_processor_free(twin);
}

static void test_invoice_upcoming_trial_and_none(void **state)
{
	fake_processor *p = *state;
	world(p);
	monthly(p, 1000, "Pro"); /* price_fake_00002 */
	fake_subscription_item_params it = item_of("price_fake_00002", 3);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.trial_period_days = 14;
	sub_create(p, &sc);
	/* a trialing subscription's next invoice is the first full period */
	const fake_invoice *preview = NULL;
	check_ok(p, fake_invoice_upcoming(&preview, p, "sub_fake_00001", NULL));
	assert_int_equal(fake_invoice_line_count(preview), 1);
	const fake_invoice_line *line = fake_invoice_line_at(preview, 0);
	assert_int_equal(fake_invoice_line_amount(line), 3000);
	assert_int_equal(fake_invoice_line_period_start(line), T0 + 14 * DAY);
	assert_int_equal(fake_invoice_line_period_end(line), T0 + 14 * DAY + JAN);
	check_amounts(preview, 3000, 0);
	/* a canceled one has none */
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_cancel(&sub, p, "sub_fake_00001", NULL, NULL));
	preview = SENTINEL;
	check_fails(p, fake_invoice_upcoming(&preview, p, "sub_fake_00001", NULL), FAKE_ESTATE, "invoice_upcoming_none",
		    "subscription");
	assert_null(preview);
	check_message_has(p, "canceled");
}

/* ---- bad input ---------------------------------------------------------------------------- */

/*
 * The world of the bad-input table:
 *   cus_fake_00001 (visa pm_fake_00001 default), cus_fake_00002 (no card)
 *   price_fake_00001 Widget usd 500 one-time; price_fake_00002 Pro usd 1000/month
 *   in_fake_00001..5 for cus_fake_00001: draft, open, paid, void, uncollectible
 *   in_fake_00006 draft of cus_fake_00002 (ii_fake_00006 on it)
 *   in_fake_00007 open of cus_fake_00002
 *   sub_fake_00001 cus_fake_00001 Pro (its invoice in_fake_00008, paid);
 *   sub_fake_00002 cus_fake_00001 Pro, cancel_at_period_end (in_fake_00009);
 *   sub_fake_00003 cus_fake_00002 Pro, canceled (in_fake_00010, open)
 *   ii_fake_00002 is on the open in_fake_00002; ii_fake_00009 pending (priced)
 */
static void bad_world(fake_processor *p)
{
	world(p);
	cust_new(p);
	invoices_in_every_state(p); /* ii_fake_00001..5 */
	item_amount(p, "cus_fake_00002", 100, "usd", NULL);
	draft_new(p, "cus_fake_00002");
	item_amount(p, "cus_fake_00002", 200, "usd", NULL);
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00002";
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_create(&inv, p, &cp, NULL));
	finalized(p, inv);
	assert_string_equal(fake_invoice_id(inv), "in_fake_00007");
	monthly(p, 1000, "Pro");
	sub_simple(p, "cus_fake_00001", "price_fake_00002", 1);
	fake_subscription_item_params it = item_of("price_fake_00002", 1);
	fake_subscription_create_params sc = sub_params("cus_fake_00001", &it);
	sc.cancel_at_period_end = true;
	sub_create(p, &sc);
	sub_simple(p, "cus_fake_00002", "price_fake_00002", 1);
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_cancel(&sub, p, "sub_fake_00003", NULL, NULL));
	assert_int_equal(fake_invoice_status_of(inv_get(p, "in_fake_00010")), FAKE_INVOICE_OPEN);
	const fake_invoice_item *ii = item_priced(p, "cus_fake_00001", "price_fake_00001", 2, NULL);
	assert_string_equal(fake_invoice_item_id(ii), "ii_fake_00008");
	check_ok(p, fake_clock_advance(p, DAY));
}

/* The next ids: the table's failures used none. */
static void probe_next_ids(fake_processor *p)
{
	const fake_invoice_item *ii = item_amount(p, "cus_fake_00001", 100, "usd", NULL);
	assert_string_equal(fake_invoice_item_id(ii), "ii_fake_00009");
	const fake_invoice *inv = draft_new(p, "cus_fake_00001");
	assert_string_equal(fake_invoice_id(inv), "in_fake_00011");
	finalized(p, inv);
	assert_string_equal(fake_invoice_payment_intent(inv), "pi_fake_00009");
	const fake_price *price = price_new(p, "usd", 100, "Probe", FAKE_INTERVAL_NONE, FAKE_USAGE_LICENSED);
	assert_string_equal(fake_price_id(price), "price_fake_00003");
	const fake_subscription *sub = sub_simple(p, "cus_fake_00001", "price_fake_00002", 1);
	assert_string_equal(fake_subscription_id(sub), "sub_fake_00004");
}

static int bad_inv_create(fake_processor *p, void *out, void (*tweak)(fake_invoice_create_params *cp))
{
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	tweak(&cp);
	return fake_invoice_create(out, p, &cp, NULL);
}

#define INVOICE_CREATE_CASE(name, ...)                                      \
	static void tweak_##name(fake_invoice_create_params *cp)            \
	{                                                                   \
		__VA_ARGS__;                                                \
	}                                                                   \
	static int bad_##name(fake_processor *p, void *out)                 \
	{                                                                   \
		return bad_inv_create(p, out, tweak_##name);                \
	}

INVOICE_CREATE_CASE(create_no_customer, cp->customer = NULL)
INVOICE_CREATE_CASE(create_unknown_customer, cp->customer = "cus_fake_00099")
INVOICE_CREATE_CASE(create_days_until_due_charging, cp->days_until_due = 10)
INVOICE_CREATE_CASE(create_days_until_due_too_long, cp->collection_method = FAKE_COLLECT_SEND_INVOICE;
		    cp->days_until_due = 400)
INVOICE_CREATE_CASE(create_bad_currency, cp->currency = "us")
INVOICE_CREATE_CASE(create_bad_collection, cp->collection_method = (fake_collection_method)5)
INVOICE_CREATE_CASE(create_others_subscription, cp->subscription = "sub_fake_00003")
INVOICE_CREATE_CASE(create_unknown_subscription, cp->subscription = "sub_fake_00099")
INVOICE_CREATE_CASE(create_version, cp->version = 2)
INVOICE_CREATE_CASE(create_unknown_payment_method, cp->default_payment_method = "pm_fake_00099")
INVOICE_CREATE_CASE(create_long_description, static char long_text[1502]; memset(long_text, 'x', 1501);
		    cp->description = long_text)
INVOICE_CREATE_CASE(create_bad_metadata, static const fake_kv md[] = { { "", "empty key" } }; cp->metadata = md;
		    cp->metadata_count = 1)

static int bad_create_null_out(fake_processor *p, void *out)
{
	*(const void **)out = NULL;
	fake_invoice_create_params cp = FAKE_INVOICE_CREATE_PARAMS_INIT;
	cp.customer = "cus_fake_00001";
	return fake_invoice_create(NULL, p, &cp, NULL);
}

#define STATE_CASE(name, call) \
	static int bad_##name(fake_processor *p, void *out) \
	{                                                   \
		return call;                                \
	}

STATE_CASE(pay_draft, fake_invoice_pay(out, p, "in_fake_00001", NULL, NULL))
STATE_CASE(pay_paid, fake_invoice_pay(out, p, "in_fake_00003", NULL, NULL))
STATE_CASE(pay_void, fake_invoice_pay(out, p, "in_fake_00004", NULL, NULL))
STATE_CASE(void_paid, fake_invoice_void(out, p, "in_fake_00003", NULL))
STATE_CASE(void_draft, fake_invoice_void(out, p, "in_fake_00001", NULL))
STATE_CASE(void_void, fake_invoice_void(out, p, "in_fake_00004", NULL))
STATE_CASE(finalize_open, fake_invoice_finalize(out, p, "in_fake_00002", NULL))
STATE_CASE(finalize_paid, fake_invoice_finalize(out, p, "in_fake_00003", NULL))
STATE_CASE(delete_open, fake_invoice_delete(out, p, "in_fake_00002", NULL))
STATE_CASE(delete_paid, fake_invoice_delete(out, p, "in_fake_00003", NULL))
STATE_CASE(delete_uncollectible, fake_invoice_delete(out, p, "in_fake_00005", NULL))
STATE_CASE(uncollectible_paid, fake_invoice_mark_uncollectible(out, p, "in_fake_00003", NULL))
STATE_CASE(uncollectible_draft, fake_invoice_mark_uncollectible(out, p, "in_fake_00001", NULL))
STATE_CASE(uncollectible_twice, fake_invoice_mark_uncollectible(out, p, "in_fake_00005", NULL))
STATE_CASE(send_draft, fake_invoice_send(out, p, "in_fake_00001", NULL))
STATE_CASE(send_void, fake_invoice_send(out, p, "in_fake_00004", NULL))
STATE_CASE(retrieve_unknown, fake_invoice_retrieve(out, p, "in_fake_00099", NULL))
STATE_CASE(retrieve_null, fake_invoice_retrieve(out, p, NULL, NULL))
STATE_CASE(finalize_unknown, fake_invoice_finalize(out, p, "in_fake_00099", NULL))
STATE_CASE(upcoming_null, fake_invoice_upcoming(out, p, NULL, NULL))
STATE_CASE(upcoming_unknown, fake_invoice_upcoming(out, p, "sub_fake_00099", NULL))
STATE_CASE(upcoming_canceled, fake_invoice_upcoming(out, p, "sub_fake_00003", NULL))
STATE_CASE(upcoming_cancels_at_period_end, fake_invoice_upcoming(out, p, "sub_fake_00002", NULL))
STATE_CASE(item_retrieve_unknown, fake_invoice_item_retrieve(out, p, "ii_fake_00099", NULL))
STATE_CASE(item_delete_unknown, fake_invoice_item_delete(out, p, "ii_fake_00099", NULL))
STATE_CASE(item_delete_finalized, fake_invoice_item_delete(out, p, "ii_fake_00002", NULL))

static int bad_update(fake_processor *p, void *out, const char *id, void (*tweak)(fake_invoice_update_params *up))
{
	fake_invoice_update_params up = FAKE_INVOICE_UPDATE_PARAMS_INIT;
	up.description = "changed";
	if (tweak)
		tweak(&up);
	return fake_invoice_update(out, p, id, &up, NULL);
}

static void bad_flag(fake_invoice_update_params *up)
{
	up->auto_advance = (fake_flag_change)4;
}

static void bad_update_version_tweak(fake_invoice_update_params *up)
{
	up->version = 0;
}

static void others_payment_method(fake_invoice_update_params *up)
{
	up->default_payment_method = "pm_fake_00001";
}

STATE_CASE(update_paid, bad_update(p, out, "in_fake_00003", NULL))
STATE_CASE(update_void, bad_update(p, out, "in_fake_00004", NULL))
STATE_CASE(update_bad_flag, bad_update(p, out, "in_fake_00001", bad_flag))
STATE_CASE(update_version, bad_update(p, out, "in_fake_00001", bad_update_version_tweak))
STATE_CASE(update_others_payment_method, bad_update(p, out, "in_fake_00006", others_payment_method))

static int bad_pay(fake_processor *p, void *out, const char *id, const char *pm, bool oob, unsigned int version)
{
	fake_invoice_pay_params pp = FAKE_INVOICE_PAY_PARAMS_INIT;
	pp.payment_method = pm;
	pp.paid_out_of_band = oob;
	pp.version = version;
	return fake_invoice_pay(out, p, id, &pp, NULL);
}

STATE_CASE(pay_oob_with_payment_method, bad_pay(p, out, "in_fake_00002", "pm_fake_00001", true, 1))
STATE_CASE(pay_no_payment_method, bad_pay(p, out, "in_fake_00007", NULL, false, 1))
STATE_CASE(pay_others_payment_method, bad_pay(p, out, "in_fake_00007", "pm_fake_00001", false, 1))
STATE_CASE(pay_unknown_payment_method, bad_pay(p, out, "in_fake_00002", "pm_fake_00099", false, 1))
STATE_CASE(pay_version, bad_pay(p, out, "in_fake_00002", NULL, false, 9))
STATE_CASE(pay_unknown, bad_pay(p, out, "in_fake_00099", NULL, false, 1))

static int bad_inv_list(fake_processor *p, void *out, const char *customer, const char *sub, const char *status)
{
	fake_invoice_list_params lp = FAKE_INVOICE_LIST_PARAMS_INIT;
	lp.customer = customer;
	lp.subscription = sub;
	lp.status = status;
	return fake_invoice_list(out, p, &lp, NULL);
}

STATE_CASE(list_status, bad_inv_list(p, out, NULL, NULL, "pending"))
STATE_CASE(list_customer, bad_inv_list(p, out, "cus_fake_00099", NULL, NULL))
STATE_CASE(list_subscription, bad_inv_list(p, out, NULL, "sub_fake_00099", NULL))

static int bad_ii_create(fake_processor *p, void *out, void (*tweak)(fake_invoice_item_create_params *ic))
{
	fake_invoice_item_create_params ic = FAKE_INVOICE_ITEM_CREATE_PARAMS_INIT;
	ic.customer = "cus_fake_00001";
	ic.amount = 100;
	ic.currency = "usd";
	tweak(&ic);
	return fake_invoice_item_create(out, p, &ic, NULL);
}

#define ITEM_CREATE_CASE(name, ...)                                         \
	static void tweak_##name(fake_invoice_item_create_params *ic)       \
	{                                                                   \
		__VA_ARGS__;                                                \
	}                                                                   \
	static int bad_##name(fake_processor *p, void *out)                 \
	{                                                                   \
		return bad_ii_create(p, out, tweak_##name);                 \
	}

ITEM_CREATE_CASE(item_no_customer, ic->customer = NULL)
ITEM_CREATE_CASE(item_unknown_customer, ic->customer = "cus_fake_00099")
ITEM_CREATE_CASE(item_amount_and_price, ic->price = "price_fake_00001")
ITEM_CREATE_CASE(item_neither_amount_nor_price, ic->amount = 0)
ITEM_CREATE_CASE(item_no_currency, ic->currency = NULL)
ITEM_CREATE_CASE(item_bad_currency, ic->currency = "dollars")
ITEM_CREATE_CASE(item_price_with_currency, ic->amount = 0; ic->price = "price_fake_00001")
ITEM_CREATE_CASE(item_recurring_price, ic->amount = 0; ic->currency = NULL; ic->price = "price_fake_00002")
ITEM_CREATE_CASE(item_unknown_price, ic->amount = 0; ic->currency = NULL; ic->price = "price_fake_00099")
ITEM_CREATE_CASE(item_negative_quantity, ic->quantity = -3)
ITEM_CREATE_CASE(item_amount_too_large, ic->amount = FAKE_PRICE_UNIT_AMOUNT_MAX + 1)
ITEM_CREATE_CASE(item_period_backwards, ic->period_start = T0 + 5 * DAY; ic->period_end = T0 + DAY)
ITEM_CREATE_CASE(item_currency_mismatch_with_draft, ic->currency = "eur"; ic->invoice = "in_fake_00001")
ITEM_CREATE_CASE(item_on_open_invoice, ic->invoice = "in_fake_00002")
ITEM_CREATE_CASE(item_on_paid_invoice, ic->invoice = "in_fake_00003")
ITEM_CREATE_CASE(item_on_others_draft, ic->invoice = "in_fake_00006")
ITEM_CREATE_CASE(item_on_unknown_invoice, ic->invoice = "in_fake_00099")
ITEM_CREATE_CASE(item_others_subscription, ic->subscription = "sub_fake_00003")
ITEM_CREATE_CASE(item_unknown_subscription, ic->subscription = "sub_fake_00099")
ITEM_CREATE_CASE(item_version, ic->version = 3)
ITEM_CREATE_CASE(item_price_data_recurring, static const fake_price_data pd = { "usd", "prod_fake_00001", 100,
										    FAKE_INTERVAL_MONTH, 0 };
		 ic->amount = 0; ic->currency = NULL; ic->price_data = &pd)

static int bad_ii_update(fake_processor *p, void *out, const char *id, int64_t amount, int64_t quantity,
			 unsigned int version)
{
	fake_invoice_item_update_params iu = FAKE_INVOICE_ITEM_UPDATE_PARAMS_INIT;
	iu.amount = amount;
	iu.quantity = quantity;
	iu.version = version;
	return fake_invoice_item_update(out, p, id, &iu, NULL);
}

STATE_CASE(item_update_finalized, bad_ii_update(p, out, "ii_fake_00002", 500, 0, 1))
STATE_CASE(item_update_amount_of_priced, bad_ii_update(p, out, "ii_fake_00008", 500, 0, 1))
STATE_CASE(item_update_negative_quantity, bad_ii_update(p, out, "ii_fake_00008", 0, -1, 1))
STATE_CASE(item_update_amount_too_large, bad_ii_update(p, out, "ii_fake_00001", -FAKE_PRICE_UNIT_AMOUNT_MAX - 1, 0, 1))
STATE_CASE(item_update_version, bad_ii_update(p, out, "ii_fake_00001", 500, 0, 2))
STATE_CASE(item_update_unknown, bad_ii_update(p, out, "ii_fake_00099", 500, 0, 1))

static int bad_ii_list(fake_processor *p, void *out, const char *customer, const char *invoice, int limit)
{
	fake_invoice_item_list_params lp = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	lp.customer = customer;
	lp.invoice = invoice;
	lp.page.limit = limit;
	return fake_invoice_item_list(out, p, &lp, NULL);
}

STATE_CASE(item_list_unknown_invoice, bad_ii_list(p, out, NULL, "in_fake_00099", 0))
STATE_CASE(item_list_unknown_customer, bad_ii_list(p, out, "cus_fake_00099", NULL, 0))
STATE_CASE(item_list_limit, bad_ii_list(p, out, NULL, NULL, -1))

#define BAD(fn, st, code, param) { #fn, bad_##fn, st, code, param, false }
#define BAD_LIST(fn, st, code, param) { #fn, bad_##fn, st, code, param, true }
#define BAD_STATE(fn) BAD(fn, FAKE_ESTATE, "invoice_unexpected_state", "")

static const bad_case invoice_bad_cases[] = {
	BAD(create_no_customer, FAKE_EINVAL, "parameter_missing", "customer"),
	BAD(create_unknown_customer, FAKE_ENOTFOUND, "resource_missing", "customer"),
	BAD(create_days_until_due_charging, FAKE_EINVAL, "", "days_until_due"),
	BAD(create_days_until_due_too_long, FAKE_EINVAL, "", "days_until_due"),
	BAD(create_bad_currency, FAKE_EINVAL, NULL, "currency"),
	BAD(create_bad_collection, FAKE_EINVAL, "", "collection_method"),
	BAD(create_others_subscription, FAKE_EINVAL, "", "subscription"),
	BAD(create_unknown_subscription, FAKE_ENOTFOUND, "resource_missing", "subscription"),
	BAD(create_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(create_unknown_payment_method, FAKE_ENOTFOUND, "resource_missing", "default_payment_method"),
	BAD(create_long_description, FAKE_EINVAL, NULL, "description"),
	BAD(create_bad_metadata, FAKE_EINVAL, NULL, NULL),
	BAD(create_null_out, FAKE_EINVAL, "", "out"),
	BAD_STATE(pay_draft),
	BAD_STATE(pay_paid),
	BAD_STATE(pay_void),
	BAD_STATE(void_paid),
	BAD_STATE(void_draft),
	BAD_STATE(void_void),
	BAD_STATE(finalize_open),
	BAD_STATE(finalize_paid),
	BAD_STATE(delete_open),
	BAD_STATE(delete_paid),
	BAD_STATE(delete_uncollectible),
	BAD_STATE(uncollectible_paid),
	BAD_STATE(uncollectible_draft),
	BAD_STATE(uncollectible_twice),
	BAD_STATE(send_draft),
	BAD_STATE(send_void),
	BAD_STATE(update_paid),
	BAD_STATE(update_void),
	BAD(update_bad_flag, FAKE_EINVAL, "", "auto_advance"),
	BAD(update_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(update_others_payment_method, FAKE_EINVAL, NULL, NULL),
	BAD(retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(retrieve_null, FAKE_EINVAL, NULL, "id"),
	BAD(finalize_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(pay_oob_with_payment_method, FAKE_EINVAL, "", "paid_out_of_band"),
	BAD(pay_no_payment_method, FAKE_EINVAL, "", "payment_method"),
	BAD(pay_others_payment_method, FAKE_EINVAL, NULL, NULL),
	BAD(pay_unknown_payment_method, FAKE_ENOTFOUND, "resource_missing", "payment_method"),
	BAD(pay_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(pay_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD_LIST(list_status, FAKE_EINVAL, "", "status"),
	BAD_LIST(list_customer, FAKE_ENOTFOUND, "resource_missing", "customer"),
	BAD_LIST(list_subscription, FAKE_ENOTFOUND, "resource_missing", "subscription"),
	BAD(upcoming_null, FAKE_EINVAL, "parameter_missing", "subscription"),
	BAD(upcoming_unknown, FAKE_ENOTFOUND, "resource_missing", "subscription"),
	BAD(upcoming_canceled, FAKE_ESTATE, "invoice_upcoming_none", "subscription"),
	BAD(upcoming_cancels_at_period_end, FAKE_ESTATE, "invoice_upcoming_none", "subscription"),
	BAD(item_no_customer, FAKE_EINVAL, "parameter_missing", "customer"),
	BAD(item_unknown_customer, FAKE_ENOTFOUND, "resource_missing", "customer"),
	BAD(item_amount_and_price, FAKE_EINVAL, "", "amount"),
	BAD(item_neither_amount_nor_price, FAKE_EINVAL, "parameter_missing", "amount"),
	BAD(item_no_currency, FAKE_EINVAL, NULL, "currency"),
	BAD(item_bad_currency, FAKE_EINVAL, NULL, "currency"),
	BAD(item_price_with_currency, FAKE_EINVAL, "", "currency"),
	BAD(item_recurring_price, FAKE_EINVAL, "", "price"),
	BAD(item_unknown_price, FAKE_ENOTFOUND, "resource_missing", "price"),
	BAD(item_negative_quantity, FAKE_EINVAL, "parameter_invalid_integer", "quantity"),
	BAD(item_amount_too_large, FAKE_EINVAL, "parameter_invalid_integer", "amount"),
	BAD(item_period_backwards, FAKE_EINVAL, "", "period[end]"),
	BAD(item_currency_mismatch_with_draft, FAKE_EINVAL, "", "currency"),
	BAD(item_on_open_invoice, FAKE_ESTATE, "invoice_not_editable", "invoice"),
	BAD(item_on_paid_invoice, FAKE_ESTATE, "invoice_not_editable", "invoice"),
	BAD(item_on_others_draft, FAKE_EINVAL, "", "invoice"),
	BAD(item_on_unknown_invoice, FAKE_ENOTFOUND, "resource_missing", "invoice"),
	BAD(item_others_subscription, FAKE_EINVAL, "", "subscription"),
	BAD(item_unknown_subscription, FAKE_ENOTFOUND, "resource_missing", "subscription"),
	BAD(item_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(item_price_data_recurring, FAKE_EINVAL, "", "price"),
	BAD(item_update_finalized, FAKE_ESTATE, "invoice_not_editable", ""),
	BAD(item_update_amount_of_priced, FAKE_EINVAL, "", "amount"),
	BAD(item_update_negative_quantity, FAKE_EINVAL, "parameter_invalid_integer", "quantity"),
	BAD(item_update_amount_too_large, FAKE_EINVAL, "parameter_invalid_integer", "amount"),
	BAD(item_update_version, FAKE_EINVAL, "parameter_invalid_integer", "version"),
	BAD(item_update_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(item_retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(item_delete_unknown, FAKE_ENOTFOUND, "resource_missing", "id"),
	BAD(item_delete_finalized, FAKE_ESTATE, "invoice_not_editable", ""),
	BAD_LIST(item_list_unknown_invoice, FAKE_ENOTFOUND, "resource_missing", "invoice"),
	BAD_LIST(item_list_unknown_customer, FAKE_ENOTFOUND, "resource_missing", "customer"),
	BAD_LIST(item_list_limit, FAKE_EINVAL, NULL, NULL),
};

static void test_invoice_bad_input(void **state)
{
	fake_processor *p = *state;
	bad_world(p);
	run_billing_bad_cases(p, invoice_bad_cases, sizeof invoice_bad_cases / sizeof invoice_bad_cases[0]);
	probe_next_ids(p);
}

/* The messages name what was wrong. */
static void test_invoice_error_messages(void **state)
{
	fake_processor *p = *state;
	bad_world(p);
	const void *out = NULL;
	check_fails(p, bad_pay_draft(p, &out), FAKE_ESTATE, "invoice_unexpected_state", "");
	assert_string_equal(fake_error_last(p)->message, "You cannot pay this invoice because it is draft.");
	check_fails(p, bad_void_paid(p, &out), FAKE_ESTATE, "invoice_unexpected_state", "");
	assert_string_equal(fake_error_last(p)->message, "You cannot void this invoice because it is paid.");
	check_fails(p, bad_item_currency_mismatch_with_draft(p, &out), FAKE_EINVAL, "", "currency");
	check_message_has(p, "eur");
	check_message_has(p, "usd");
	check_fails(p, bad_item_on_open_invoice(p, &out), FAKE_ESTATE, "invoice_not_editable", "invoice");
	check_message_has(p, "open");
	check_fails(p, bad_upcoming_canceled(p, &out), FAKE_ESTATE, "invoice_upcoming_none", "subscription");
	check_message_has(p, "sub_fake_00003");
	check_fails(p, bad_retrieve_unknown(p, &out), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_string_equal(fake_error_last(p)->message, "No such invoice: 'in_fake_00099'");
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_invoice_create_draft_pulls_pending_items),
		TEST(test_invoice_create_exclude_pending_and_currency),
		TEST(test_invoice_create_for_one_subscription),
		TEST(test_invoice_send_invoice_draft),
		TEST(test_invoice_items_pending),
		TEST(test_invoice_items_on_a_draft),
		TEST(test_invoice_delete_draft),
		TEST(test_invoice_finalize),
		TEST(test_invoice_pay_with_default_card),
		TEST(test_invoice_pay_with_given_payment_method),
		TEST(test_invoice_pay_out_of_band),
		TEST(test_invoice_pay_declined),
		TEST(test_invoice_void),
		TEST(test_invoice_uncollectible_then_void),
		TEST(test_invoice_uncollectible_then_paid),
		TEST(test_invoice_update),
		TEST(test_invoice_illegal_transitions),
		TEST(test_invoice_legal_transitions),
		TEST(test_invoice_list_filters),
		TEST(test_invoice_upcoming_preview),
		TEST(test_invoice_upcoming_moves_no_counter),
		TEST(test_invoice_upcoming_trial_and_none),
		TEST(test_invoice_bad_input),
		TEST(test_invoice_error_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
