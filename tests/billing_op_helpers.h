/*
 * Helpers shared by the billing operation tests (test_subscription.c,
 * test_invoice.c): making prices, customers with a card, subscriptions;
 * fetching billing objects; a signature of everything billing holds (on
 * top of payment_helpers.h's signature of the payment side), so that a
 * test can prove a failed call changed nothing; a table runner for bad
 * input; and a probe that no id counter moved.
 */
#ifndef TEST_BILLING_OP_HELPERS_H
#define TEST_BILLING_OP_HELPERS_H

#include "payment_helpers.h"

#define DAY INT64_C(86400)
/* The default epoch, 2026-01-01T00:00:00Z: the first monthly period ends
 * on 2026-02-01, 31 days later. */
#define T0 INT64_C(1767225600)
#define JAN (31 * DAY)
#define FEB (28 * DAY)

/* A price of `amount` in `currency` for a new product `name`;
 * FAKE_INTERVAL_NONE makes a one-time price. */
static inline const fake_price *price_new(fake_processor *p, const char *currency, int64_t amount, const char *name,
					  fake_interval interval, fake_usage_type usage)
{
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	const fake_price *price = NULL;
	pc.currency = currency;
	pc.unit_amount = amount;
	pc.product_name = name;
	pc.interval = interval;
	pc.usage_type = usage;
	check_ok(p, fake_price_create(&price, p, &pc, NULL));
	assert_non_null(price);
	return price;
}

static inline const fake_price *monthly(fake_processor *p, int64_t amount, const char *name)
{
	return price_new(p, "usd", amount, name, FAKE_INTERVAL_MONTH, FAKE_USAGE_LICENSED);
}

/* A customer whose default payment method is a new card from `token`
 * (pm_card_visa...), made and attached by customer create. */
static inline const fake_customer *cust_with_card(fake_processor *p, const char *token)
{
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	cc.payment_method = token;
	cc.default_payment_method = token;
	check_ok(p, fake_customer_create(&c, p, &cc, NULL));
	assert_non_null(c);
	assert_non_null(fake_customer_default_payment_method(c));
	return c;
}

/* One item on `price`; quantity 0 means the default (1). */
static inline fake_subscription_item_params item_of(const char *price, int64_t quantity)
{
	fake_subscription_item_params it = { NULL, price, NULL, quantity, false, NULL, 0 };
	return it;
}

/* Create params for one item. `it` must outlive the params. */
static inline fake_subscription_create_params sub_params(const char *customer, const fake_subscription_item_params *it)
{
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = customer;
	sc.items = it;
	sc.item_count = 1;
	return sc;
}

static inline const fake_subscription *sub_create(fake_processor *p, const fake_subscription_create_params *sc)
{
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, sc, NULL));
	assert_non_null(sub);
	return sub;
}

/* A subscription of `customer` to `quantity` x `price`, no trial. */
static inline const fake_subscription *sub_simple(fake_processor *p, const char *customer, const char *price,
						  int64_t quantity)
{
	fake_subscription_item_params it = item_of(price, quantity);
	fake_subscription_create_params sc = sub_params(customer, &it);
	return sub_create(p, &sc);
}

static inline const fake_subscription *sub_get(fake_processor *p, const char *id)
{
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_retrieve(&sub, p, id, NULL));
	assert_non_null(sub);
	return sub;
}

static inline const fake_invoice *inv_get(fake_processor *p, const char *id)
{
	const fake_invoice *inv = NULL;
	check_ok(p, fake_invoice_retrieve(&inv, p, id, NULL));
	assert_non_null(inv);
	return inv;
}

static inline const fake_invoice_item *ii_get(fake_processor *p, const char *id)
{
	const fake_invoice_item *ii = NULL;
	check_ok(p, fake_invoice_item_retrieve(&ii, p, id, NULL));
	assert_non_null(ii);
	return ii;
}

static inline const fake_subscription_item *si_get(fake_processor *p, const char *id)
{
	const fake_subscription_item *si = NULL;
	check_ok(p, fake_subscription_item_retrieve(&si, p, id, NULL));
	assert_non_null(si);
	return si;
}

/* The subscription's latest invoice. */
static inline const fake_invoice *latest_invoice(fake_processor *p, const fake_subscription *sub)
{
	assert_non_null(fake_subscription_latest_invoice(sub));
	return inv_get(p, fake_subscription_latest_invoice(sub));
}

/* Stripe's invoice arithmetic, checked on every invoice a test looks at:
 * subtotal and total are the sum of the lines (no tax or discount here),
 * a credit is never due, and what remains is what is due minus what was paid. */
static inline void check_amounts(const fake_invoice *inv, int64_t total, int64_t paid)
{
	int64_t sum = 0;
	for (size_t i = 0; i < fake_invoice_line_count(inv); i++)
		sum += fake_invoice_line_amount(fake_invoice_line_at(inv, i));
	assert_int_equal(sum, total);
	assert_int_equal(fake_invoice_subtotal(inv), total);
	assert_int_equal(fake_invoice_total(inv), total);
	assert_int_equal(fake_invoice_amount_due(inv), total > 0 ? total : 0);
	assert_int_equal(fake_invoice_amount_paid(inv), paid);
	assert_int_equal(fake_invoice_amount_remaining(inv), (total > 0 ? total : 0) - paid);
}

/* How many objects a list operation returns on one full page. */
static inline size_t count_subscriptions(fake_processor *p, const char *customer, const char *price, const char *status)
{
	fake_subscription_list_params lp = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	lp.customer = customer;
	lp.price = price;
	lp.status = status;
	check_ok(p, fake_subscription_list(&page, p, &lp, NULL));
	return page.count;
}

static inline size_t count_invoices(fake_processor *p, const char *customer, const char *status)
{
	fake_invoice_list_params lp = FAKE_INVOICE_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	lp.customer = customer;
	lp.status = status;
	check_ok(p, fake_invoice_list(&page, p, &lp, NULL));
	return page.count;
}

static inline size_t count_invoice_items(fake_processor *p, const char *customer, const char *invoice, bool pending)
{
	fake_invoice_item_list_params lp = FAKE_INVOICE_ITEM_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	lp.customer = customer;
	lp.invoice = invoice;
	lp.pending = pending;
	check_ok(p, fake_invoice_item_list(&page, p, &lp, NULL));
	return page.count;
}

static inline size_t count_payment_intents(fake_processor *p)
{
	fake_payment_intent_list_params lp = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_payment_intent_list(&page, p, &lp, NULL));
	return page.count;
}

/* The number of events of `type` in the log. */
static inline size_t count_events(fake_processor *p, const char *type)
{
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *e = NULL;
	size_t n = 0;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	lp.type = type;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_EVENTS, &lp, NULL);
	int rc;
	while ((rc = fake_list_iter_next(&e, &it)) == 0)
		n++;
	assert_int_equal(rc, FAKE_ITEROVER);
	return n;
}

/* The newest event, which must be of `type`. */
static inline const fake_event *last_event(fake_processor *p, const char *type)
{
	const fake_event *e = event_nth(p, fake_event_count(p));
	assert_string_equal(fake_event_type(e), type);
	return e;
}

/* ---- a signature of billing -------------------------------------------------------- */

/* Walks ids prefix_00001, prefix_00002... calling `add` for each that
 * exists, until 20 in a row are missing (deleted items and drafts leave
 * gaps that retrieve does not see). */
#define SIG_SCAN(g, prefix, type, retrieve, ...)                                       \
	do {                                                                           \
		char scan_id_[32];                                                     \
		for (int scan_i_ = 1, scan_miss_ = 0; scan_miss_ < 20; scan_i_++) {    \
			const type *o = NULL;                                          \
			snprintf(scan_id_, sizeof scan_id_, prefix "%05d", scan_i_);   \
			if (retrieve(&o, p, scan_id_, NULL)) {                         \
				scan_miss_++;                                          \
				continue;                                              \
			}                                                              \
			scan_miss_ = 0;                                                \
			sig_add(g, __VA_ARGS__);                                       \
		}                                                                      \
	} while (0)

static inline size_t md_count(const fake_metadata *m)
{
	return fake_metadata_count(m);
}

/* Everything sig_take() records, plus the clock, products, prices,
 * subscriptions with their items and usage, invoices with their lines,
 * and invoice items. */
static inline void bsig_take(fake_processor *p, sig *g)
{
	sig_take(p, g);
	sig_add(g, "now=%" PRId64 " pending=%zu\n", fake_clock_now(p), fake_clock_pending(p));
	SIG_SCAN(g, "prod_fake_", fake_product, fake_product_retrieve, "%s\n", fake_product_id(o));
	SIG_SCAN(g, "price_fake_", fake_price, fake_price_retrieve, "%s %s %" PRId64 " active=%d\n", fake_price_id(o),
		 fake_price_currency(o), fake_price_unit_amount(o), (int)fake_price_active(o));
	SIG_SCAN(g, "sub_fake_", fake_subscription, fake_subscription_retrieve,
		 "%s %s items=%zu period=%" PRId64 "-%" PRId64 " anchor=%" PRId64 " trial=%" PRId64 "-%" PRId64
		 " cape=%d cancel_at=%" PRId64 " canceled=%" PRId64 " ended=%" PRId64
		 " latest=%s pm=%s coll=%d due=%u pause=%d/%" PRId64 " desc=%s md=%zu\n",
		 fake_subscription_id(o), fake_subscription_status_name(o), fake_subscription_item_count(o),
		 fake_subscription_current_period_start(o), fake_subscription_current_period_end(o),
		 fake_subscription_billing_cycle_anchor(o), fake_subscription_trial_start(o), fake_subscription_trial_end(o),
		 (int)fake_subscription_cancel_at_period_end(o), fake_subscription_cancel_at(o),
		 fake_subscription_canceled_at(o), fake_subscription_ended_at(o),
		 or_dash(fake_subscription_latest_invoice(o)), or_dash(fake_subscription_default_payment_method(o)),
		 (int)fake_subscription_collection_method(o), fake_subscription_days_until_due(o),
		 (int)fake_subscription_pause_collection(o), fake_subscription_pause_resumes_at(o),
		 or_dash(fake_subscription_description(o)), md_count(fake_subscription_metadata(o)));
	SIG_SCAN(g, "si_fake_", fake_subscription_item, fake_subscription_item_retrieve,
		 "%s sub=%s price=%s qty=%" PRId64 " usage=%" PRId64 " md=%zu\n", fake_subscription_item_id(o),
		 fake_subscription_item_subscription(o), fake_price_id(fake_subscription_item_price(o)),
		 fake_subscription_item_quantity(o), fake_subscription_item_usage(p, o),
		 md_count(fake_subscription_item_metadata(o)));
	SIG_SCAN(g, "in_fake_", fake_invoice, fake_invoice_retrieve,
		 "%s %s lines=%zu total=%" PRId64 " due=%" PRId64 " paid=%" PRId64 " remaining=%" PRId64
		 " attempts=%u number=%s pi=%s charge=%s pm=%s auto=%d next=%" PRId64 " desc=%s md=%zu\n",
		 fake_invoice_id(o), fake_invoice_status_name(o), fake_invoice_line_count(o), fake_invoice_total(o),
		 fake_invoice_amount_due(o), fake_invoice_amount_paid(o), fake_invoice_amount_remaining(o),
		 fake_invoice_attempt_count(o), or_dash(fake_invoice_number(o)), or_dash(fake_invoice_payment_intent(o)),
		 or_dash(fake_invoice_charge(o)), or_dash(fake_invoice_default_payment_method(o)),
		 (int)fake_invoice_auto_advance(o), fake_invoice_next_payment_attempt(o),
		 or_dash(fake_invoice_description(o)), md_count(fake_invoice_metadata(o)));
	SIG_SCAN(g, "ii_fake_", fake_invoice_item, fake_invoice_item_retrieve,
		 "%s cus=%s amount=%" PRId64 " qty=%" PRId64 " unit=%" PRId64 " cur=%s invoice=%s sub=%s desc=%s md=%zu\n",
		 fake_invoice_item_id(o), fake_invoice_item_customer(o), fake_invoice_item_amount(o),
		 fake_invoice_item_quantity(o), fake_invoice_item_unit_amount(o), fake_invoice_item_currency(o),
		 or_dash(fake_invoice_item_invoice(o)), or_dash(fake_invoice_item_subscription(o)),
		 or_dash(fake_invoice_item_description(o)), md_count(fake_invoice_item_metadata(o)));
}

/* run_bad_cases_with() with the billing signature. */
static inline void run_billing_bad_cases(fake_processor *p, const bad_case *cases, size_t n)
{
	run_bad_cases_with(p, cases, n, bsig_take);
}

/* Asserts that the message of the last error contains `part`. */
static inline void check_message_has(fake_processor *p, const char *part)
{
	const char *m = fake_error_last(p)->message;
	if (!strstr(m, part)) {
		print_error("message \"%s\" does not contain \"%s\"\n", m, part);
		fail();
	}
}

#endif
