/*
 * Prices: create (with a product or product_name), recurring intervals,
 * lookup keys and their transfer, retrieve, update, list filters, the
 * iterator, scripts and stubs, and a table of bad calls. Every test starts
 * from a fresh processor (fixture_new / fixture_free); each bad-call row
 * gets its own processor seeded with a small world and checks that the call
 * changed nothing.
 */
#include "helpers.h"

/* A non-NULL pointer that no call returns: outs are preset to it so a test
 * can see that a failing call really wrote NULL. */
static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

static const fake_product *prod_new(fake_processor *p, const char *name)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;
	pp.name = name;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	assert_non_null(prod);
	return prod;
}

/* Params for a one-time price of `amount` in `currency` for `product`. */
static fake_price_create_params price_params(const char *product, const char *currency, int64_t amount)
{
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	cp.product = product;
	cp.currency = currency;
	cp.unit_amount = amount;
	return cp;
}

static const fake_price *price_create_ok(fake_processor *p, const fake_price_create_params *cp)
{
	const fake_price *price = NULL;
	check_ok(p, fake_price_create(&price, p, cp, NULL));
	assert_non_null(price);
	return price;
}

static const fake_price *price_new(fake_processor *p, const char *product, const char *currency, int64_t amount)
{
	fake_price_create_params cp = price_params(product, currency, amount);
	return price_create_ok(p, &cp);
}

/* A price with a lookup key (transferred from its holder when `transfer`). */
static const fake_price *price_new_keyed(fake_processor *p, const char *product, const char *key, bool transfer)
{
	fake_price_create_params cp = price_params(product, "usd", 1000);
	cp.lookup_key = key;
	cp.transfer_lookup_key = transfer;
	return price_create_ok(p, &cp);
}

static const fake_price *price_get(fake_processor *p, const char *id)
{
	const fake_price *price = NULL;
	check_ok(p, fake_price_retrieve(&price, p, id, NULL));
	assert_non_null(price);
	return price;
}

/* The n-th event of the log (1-based), by its deterministic id. */
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

/* Asserts a page holds exactly the objects named, in order. */
static void check_page_ids(const fake_list *page, const char *const *ids, size_t n)
{
	if (page->count != n) {
		print_error("page has %zu objects, expected %zu\n", page->count, n);
		for (size_t i = 0; i < page->count; i++)
			print_error("  %s\n", fake_object_id(page->data[i]));
	}
	assert_int_equal(page->count, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(fake_object_id(page->data[i]), ids[i]);
}

static void check_list(fake_processor *p, const fake_price_list_params *lp, const char *const *ids, size_t n)
{
	fake_list page;
	check_ok(p, fake_price_list(&page, p, lp, NULL));
	check_page_ids(&page, ids, n);
	assert_false(page.has_more);
}

/* ---- create ------------------------------------------------------------ */

static void test_price_create_one_time_fields(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "Basic");
	const fake_price *price = price_new(p, "prod_fake_00001", "usd", 1500);

	assert_string_equal(fake_price_id(price), "price_fake_00001");
	assert_string_equal(fake_price_product(price), "prod_fake_00001");
	assert_string_equal(fake_price_currency(price), "usd");
	assert_int_equal(fake_price_unit_amount(price), 1500);
	assert_string_equal(fake_price_type(price), "one_time");
	assert_int_equal(fake_price_interval(price), FAKE_INTERVAL_NONE);
	assert_null(fake_price_interval_name(price));
	assert_int_equal(fake_price_interval_count(price), 0);
	assert_int_equal(fake_price_usage_type(price), FAKE_USAGE_LICENSED);
	assert_null(fake_price_lookup_key(price));
	assert_null(fake_price_nickname(price));
	assert_true(fake_price_active(price));
	assert_non_null(fake_price_metadata(price));
	assert_int_equal(fake_metadata_count(fake_price_metadata(price)), 0);
	assert_int_equal(fake_price_created(price), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_object_type_of(price), FAKE_OBJECT_PRICE);
	assert_string_equal(fake_object_name(price), "price");
	assert_string_equal(fake_object_id(price), "price_fake_00001");

	const fake_price *second = price_new(p, "prod_fake_00001", "usd", 1);
	assert_string_equal(fake_price_id(second), "price_fake_00002");
}

static void test_price_create_created_follows_clock(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "Basic");
	check_ok(p, fake_clock_advance(p, 86400));
	const fake_price *price = price_new(p, "prod_fake_00001", "usd", 1);

	assert_int_equal(fake_price_created(price), INT64_C(1767312000));
	assert_int_equal(fake_price_created(price), fake_clock_now(p));
	assert_int_equal(fake_event_created(event_nth(p, 2)), INT64_C(1767312000));
}

static void test_price_create_copies_fields(void **state)
{
	fake_processor *p = *state;
	char currency[4], key[16], nick[16], mkey[8], mval[8];
	fake_kv md[1];

	prod_new(p, "Basic");
	strcpy(currency, "eur");
	strcpy(key, "basic_eur");
	strcpy(nick, "Basic (EUR)");
	strcpy(mkey, "tier");
	strcpy(mval, "basic");
	md[0].key = mkey;
	md[0].value = mval;
	fake_price_create_params cp = price_params("prod_fake_00001", currency, 900);
	cp.lookup_key = key;
	cp.nickname = nick;
	cp.metadata = md;
	cp.metadata_count = 1;
	cp.inactive = true;
	const fake_price *price = price_create_ok(p, &cp);

	/* the caller's buffers are reused: the price must hold copies */
	strcpy(currency, "gbp");
	memset(key, 'x', sizeof key - 1);
	memset(nick, 'x', sizeof nick - 1);
	strcpy(mkey, "zzz");
	strcpy(mval, "zzz");

	assert_string_equal(fake_price_currency(price), "eur");
	assert_string_equal(fake_price_lookup_key(price), "basic_eur");
	assert_string_equal(fake_price_nickname(price), "Basic (EUR)");
	assert_string_equal(fake_metadata_get(fake_price_metadata(price), "tier"), "basic");
	assert_false(fake_price_active(price));
}

static void test_price_create_currency_is_lowercased(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "Basic");

	assert_string_equal(fake_price_currency(price_new(p, "prod_fake_00001", "USD", 1)), "usd");
	assert_string_equal(fake_price_currency(price_new(p, "prod_fake_00001", "EuR", 1)), "eur");
	assert_string_equal(fake_price_currency(price_new(p, "prod_fake_00001", "jpy", 1)), "jpy");
}

static void test_price_create_unit_amount_bounds(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "Basic");

	assert_int_equal(fake_price_unit_amount(price_new(p, "prod_fake_00001", "usd", 0)), 0);
	assert_int_equal(fake_price_unit_amount(price_new(p, "prod_fake_00001", "usd", FAKE_PRICE_UNIT_AMOUNT_MAX)),
			 FAKE_PRICE_UNIT_AMOUNT_MAX);
	assert_int_equal(FAKE_PRICE_UNIT_AMOUNT_MAX, INT64_C(99999999));
}

static void test_price_create_emits_created_event(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "Basic");
	const fake_price *price = price_new(p, "prod_fake_00001", "usd", 700);
	char rid[32];
	snprintf(rid, sizeof rid, "%s", fake_error_last(p)->request_id); /* before event_nth, itself a request */

	assert_int_equal(fake_event_count(p), 2);
	const fake_event *e = event_nth(p, 2);
	assert_string_equal(fake_event_type(e), "price.created");
	const fake_price *snap = fake_event_object(e);
	assert_int_equal(fake_object_type_of(snap), FAKE_OBJECT_PRICE);
	assert_string_equal(fake_price_id(snap), "price_fake_00001");
	assert_int_equal(fake_price_unit_amount(snap), 700);
	assert_ptr_not_equal(snap, price);
	assert_null(fake_event_previous(e));
	assert_int_equal(fake_event_previous_attribute_count(e), 0);
	assert_string_equal(fake_event_request_id(e), rid);
}

static void test_price_create_recurring_defaults(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "Basic");
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 1000);
	cp.interval = FAKE_INTERVAL_MONTH; /* interval_count 0 means 1 */
	const fake_price *price = price_create_ok(p, &cp);

	assert_string_equal(fake_price_type(price), "recurring");
	assert_int_equal(fake_price_interval(price), FAKE_INTERVAL_MONTH);
	assert_string_equal(fake_price_interval_name(price), "month");
	assert_int_equal(fake_price_interval_count(price), 1);
	assert_int_equal(fake_price_usage_type(price), FAKE_USAGE_LICENSED);
}

static void test_price_create_recurring_limits_accepted(void **state)
{
	fake_processor *p = *state;
	static const struct {
		fake_interval interval;
		unsigned int count;
		const char *name;
	} ok[] = {
		{ FAKE_INTERVAL_MONTH, 36, "month" }, { FAKE_INTERVAL_WEEK, 156, "week" },
		{ FAKE_INTERVAL_DAY, 1095, "day" },   { FAKE_INTERVAL_YEAR, 3, "year" },
		{ FAKE_INTERVAL_MONTH, 12, "month" }, { FAKE_INTERVAL_YEAR, 1, "year" },
		{ FAKE_INTERVAL_DAY, 1, "day" },      { FAKE_INTERVAL_WEEK, 2, "week" },
		{ FAKE_INTERVAL_MONTH, 3, "month" },
	};

	prod_new(p, "Basic");
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		fake_price_create_params cp = price_params("prod_fake_00001", "usd", 100);
		cp.interval = ok[i].interval;
		cp.interval_count = ok[i].count;
		const fake_price *price = price_create_ok(p, &cp);
		assert_string_equal(fake_price_type(price), "recurring");
		assert_int_equal(fake_price_interval(price), ok[i].interval);
		assert_string_equal(fake_price_interval_name(price), ok[i].name);
		assert_int_equal(fake_price_interval_count(price), ok[i].count);
	}
}

static void test_price_create_metered_recurring(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "API calls");
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 2);
	cp.interval = FAKE_INTERVAL_MONTH;
	cp.usage_type = FAKE_USAGE_METERED;
	const fake_price *price = price_create_ok(p, &cp);

	assert_int_equal(fake_price_usage_type(price), FAKE_USAGE_METERED);
	assert_string_equal(fake_price_type(price), "recurring");
}

static void test_price_create_recurring_limits_rejected(void **state)
{
	fake_processor *p = *state;
	static const struct {
		fake_interval interval;
		unsigned int count;
	} over[] = {
		{ FAKE_INTERVAL_MONTH, 37 },
		{ FAKE_INTERVAL_WEEK, 157 },
		{ FAKE_INTERVAL_DAY, 1096 },
		{ FAKE_INTERVAL_YEAR, 4 },
	};

	prod_new(p, "Basic");
	for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
		fake_price_create_params cp = price_params("prod_fake_00001", "usd", 100);
		const fake_price *price = SENTINEL;
		cp.interval = over[i].interval;
		cp.interval_count = over[i].count;
		check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "parameter_invalid_integer",
			    "recurring[interval_count]");
		check_record(p, "invalid_request_error", 400);
		assert_null(price);
	}
	assert_int_equal(fake_event_count(p), 1);
	assert_string_equal(fake_price_id(price_new(p, "prod_fake_00001", "usd", 1)), "price_fake_00001");
}

static void test_price_create_with_product_name(void **state)
{
	fake_processor *p = *state;
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;
	fake_list page;

	prod_new(p, "Existing");
	cp.currency = "usd";
	cp.unit_amount = 2500;
	cp.product_name = "Gold plan";
	cp.interval = FAKE_INTERVAL_YEAR;
	const fake_price *price = price_create_ok(p, &cp);
	char rid[32];
	snprintf(rid, sizeof rid, "%s", fake_error_last(p)->request_id);

	assert_string_equal(fake_price_id(price), "price_fake_00001");
	assert_string_equal(fake_price_product(price), "prod_fake_00002");
	check_ok(p, fake_product_retrieve(&prod, p, "prod_fake_00002", NULL));
	assert_string_equal(fake_product_name(prod), "Gold plan");
	assert_true(fake_product_active(prod));
	assert_null(fake_product_description(prod));
	assert_int_equal(fake_product_created(prod), fake_clock_now(p));
	check_ok(p, fake_product_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 2);
	assert_string_equal(fake_object_id(page.data[0]), "prod_fake_00002");

	/* product.created, then price.created, both from the one request */
	assert_int_equal(fake_event_count(p), 3);
	const fake_event *e1 = event_nth(p, 2);
	const fake_event *e2 = event_nth(p, 3);
	assert_string_equal(fake_event_type(e1), "product.created");
	assert_string_equal(fake_object_id(fake_event_object(e1)), "prod_fake_00002");
	assert_string_equal(fake_event_type(e2), "price.created");
	assert_string_equal(fake_object_id(fake_event_object(e2)), "price_fake_00001");
	assert_string_equal(fake_event_request_id(e1), fake_event_request_id(e2));
	assert_string_equal(fake_event_request_id(e2), rid);
	assert_string_not_equal(fake_event_request_id(event_nth(p, 1)), fake_event_request_id(e1));
}

static void test_price_create_without_events(void **state)
{
	fake_processor *p = *state;
	fake_request rq = FAKE_REQUEST_INIT;
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	const fake_price *price = NULL;

	rq.no_events = true;
	cp.currency = "usd";
	cp.unit_amount = 1;
	cp.product_name = "Quiet";
	check_ok(p, fake_price_create(&price, p, &cp, &rq));
	assert_string_equal(fake_price_id(price), "price_fake_00001");
	assert_string_equal(fake_price_product(price), "prod_fake_00001");
	assert_int_equal(fake_event_count(p), 0);
}

static void test_price_create_unknown_product(void **state)
{
	fake_processor *p = *state;
	fake_price_create_params cp = price_params("prod_x", "usd", 100);
	const fake_price *price = SENTINEL;

	prod_new(p, "Basic");
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_ENOTFOUND, "resource_missing", "product");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such product: 'prod_x'");
	assert_null(price);
	assert_int_equal(fake_event_count(p), 1);
}

static void test_price_create_needs_exactly_one_product_source(void **state)
{
	fake_processor *p = *state;
	fake_price_create_params cp = price_params(NULL, "usd", 100);
	const fake_price *price = SENTINEL;

	prod_new(p, "Basic");
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "parameter_missing", "product");
	assert_null(price);

	price = SENTINEL;
	cp.product = "prod_fake_00001";
	cp.product_name = "Also this";
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "", "product");
	check_record(p, "invalid_request_error", 400);
	assert_null(price);

	fake_list page;
	check_ok(p, fake_product_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 1);
	assert_int_equal(fake_event_count(p), 1);
}

static void test_price_create_currency_required_and_validated(void **state)
{
	fake_processor *p = *state;
	static const char *const bad[] = { "us", "usdx", "u$d", "", "12a", "usd " };
	fake_price_create_params cp = price_params("prod_fake_00001", NULL, 100);
	const fake_price *price = SENTINEL;

	prod_new(p, "Basic");
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "parameter_missing", "currency");
	assert_null(price);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		price = SENTINEL;
		cp.currency = bad[i];
		check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "parameter_invalid_string",
			    "currency");
		check_record(p, "invalid_request_error", 400);
		assert_null(price);
	}
	assert_int_equal(fake_event_count(p), 1);
	assert_string_equal(fake_price_id(price_new(p, "prod_fake_00001", "usd", 1)), "price_fake_00001");
}

static void test_price_create_unit_amount_required_and_bounded(void **state)
{
	fake_processor *p = *state;
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT; /* unit_amount -1: not given */
	const fake_price *price = SENTINEL;

	prod_new(p, "Basic");
	cp.product = "prod_fake_00001";
	cp.currency = "usd";
	assert_int_equal(cp.unit_amount, -1);
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "parameter_missing", "unit_amount");
	assert_null(price);

	static const int64_t bad[] = { -2, INT64_MIN, FAKE_PRICE_UNIT_AMOUNT_MAX + 1, INT64_MAX };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		price = SENTINEL;
		cp.unit_amount = bad[i];
		check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "parameter_invalid_integer",
			    "unit_amount");
		assert_null(price);
	}
	assert_int_equal(fake_event_count(p), 1);
}

/* ---- lookup keys ------------------------------------------------------- */

static void test_price_lookup_key_is_unique(void **state)
{
	fake_processor *p = *state;
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 2000);
	const fake_price *price = SENTINEL;

	prod_new(p, "Basic");
	const fake_price *first = price_new_keyed(p, "prod_fake_00001", "standard", false);
	size_t events = fake_event_count(p);

	cp.lookup_key = "standard";
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "lookup_key_already_exists",
		    "lookup_key");
	check_record(p, "invalid_request_error", 400);
	assert_null(price);
	assert_string_equal(fake_price_lookup_key(first), "standard");
	assert_int_equal(fake_event_count(p), events);

	/* nothing was created: the next price is price_fake_00002 */
	assert_string_equal(fake_price_id(price_new(p, "prod_fake_00001", "usd", 1)), "price_fake_00002");
}

static void test_price_create_transfers_lookup_key(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	static const char *const holder[] = { "price_fake_00002" };

	prod_new(p, "Basic");
	const fake_price *old = price_new_keyed(p, "prod_fake_00001", "standard", false);
	check_ok(p, fake_clock_advance(p, 60));
	const fake_price *now = price_new_keyed(p, "prod_fake_00001", "standard", true);

	assert_string_equal(fake_price_id(now), "price_fake_00002");
	assert_string_equal(fake_price_lookup_key(now), "standard");
	assert_null(fake_price_lookup_key(old));
	lp.lookup_key = "standard";
	check_list(p, &lp, holder, 1);

	/* price.updated for the old price first, then price.created */
	assert_int_equal(fake_event_count(p), 4);
	const fake_event *upd = event_nth(p, 3);
	const fake_event *cre = event_nth(p, 4);
	assert_string_equal(fake_event_type(upd), "price.updated");
	assert_string_equal(fake_object_id(fake_event_object(upd)), "price_fake_00001");
	assert_null(fake_price_lookup_key(fake_event_object(upd)));
	assert_string_equal(fake_price_lookup_key(fake_event_previous(upd)), "standard");
	assert_int_equal(fake_event_previous_attribute_count(upd), 1);
	assert_string_equal(fake_event_previous_attribute(upd, 0), "lookup_key");
	assert_int_equal(fake_event_created(upd), FAKE_EPOCH_DEFAULT + 60);
	assert_string_equal(fake_event_type(cre), "price.created");
	assert_string_equal(fake_object_id(fake_event_object(cre)), "price_fake_00002");
	assert_string_equal(fake_price_lookup_key(fake_event_object(cre)), "standard");
	assert_string_equal(fake_event_request_id(upd), fake_event_request_id(cre));
}

static void test_price_create_transfer_of_unused_key(void **state)
{
	fake_processor *p = *state;
	prod_new(p, "Basic");
	const fake_price *price = price_new_keyed(p, "prod_fake_00001", "fresh", true);

	assert_string_equal(fake_price_lookup_key(price), "fresh");
	assert_int_equal(fake_event_count(p), 2); /* product.created, price.created: nobody lost a key */
	assert_string_equal(fake_event_type(event_nth(p, 2)), "price.created");
}

static void test_price_create_with_product_name_transfers_lookup_key(void **state)
{
	fake_processor *p = *state;
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;

	prod_new(p, "Basic");
	price_new_keyed(p, "prod_fake_00001", "standard", false);
	cp.currency = "usd";
	cp.unit_amount = 3000;
	cp.product_name = "Basic v2";
	cp.lookup_key = "standard";
	cp.transfer_lookup_key = true;
	const fake_price *price = price_create_ok(p, &cp);

	assert_string_equal(fake_price_product(price), "prod_fake_00002");
	assert_null(fake_price_lookup_key(price_get(p, "price_fake_00001")));
	assert_int_equal(fake_event_count(p), 5);
	assert_string_equal(fake_event_type(event_nth(p, 3)), "product.created");
	assert_string_equal(fake_event_type(event_nth(p, 4)), "price.updated");
	assert_string_equal(fake_object_id(fake_event_object(event_nth(p, 4))), "price_fake_00001");
	assert_string_equal(fake_event_type(event_nth(p, 5)), "price.created");
	assert_string_equal(fake_event_request_id(event_nth(p, 3)), fake_event_request_id(event_nth(p, 5)));
	assert_string_equal(fake_event_request_id(event_nth(p, 4)), fake_event_request_id(event_nth(p, 5)));
}

static void test_price_create_transfer_needs_lookup_key(void **state)
{
	fake_processor *p = *state;
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 100);
	const fake_price *price = SENTINEL;

	prod_new(p, "Basic");
	cp.transfer_lookup_key = true;
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "", "transfer_lookup_key");
	check_record(p, "invalid_request_error", 400);
	assert_null(price);

	price = SENTINEL;
	cp.lookup_key = "";
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EINVAL, "", "transfer_lookup_key");
	assert_null(price);
	assert_int_equal(fake_event_count(p), 1);
}

/* ---- retrieve ---------------------------------------------------------- */

static void test_price_retrieve_returns_same_object(void **state)
{
	fake_processor *p = *state;
	const fake_price *r = NULL;

	prod_new(p, "Basic");
	const fake_price *price = price_new(p, "prod_fake_00001", "usd", 100);
	check_ok(p, fake_price_retrieve(&r, p, "price_fake_00001", NULL));
	assert_ptr_equal(r, price);
}

static void test_price_retrieve_unknown_id(void **state)
{
	fake_processor *p = *state;
	const fake_price *r = SENTINEL;

	prod_new(p, "Basic");
	check_fails(p, fake_price_retrieve(&r, p, "price_x", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such price: 'price_x'");
	assert_null(r);

	/* a product's id is not a price's */
	r = SENTINEL;
	check_fails(p, fake_price_retrieve(&r, p, "prod_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_null(r);
}

/* ---- update ------------------------------------------------------------ */

static void test_price_update_emits_event_with_previous(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "tier", "gold" } };
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price *u = NULL;

	prod_new(p, "Basic");
	const fake_price *price = price_new(p, "prod_fake_00001", "usd", 100);
	check_ok(p, fake_clock_advance(p, 30));
	up.active = FAKE_ACTIVE_CLEAR;
	up.nickname = "Legacy";
	up.metadata = md;
	up.metadata_count = 1;
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));
	char rid[32];
	snprintf(rid, sizeof rid, "%s", fake_error_last(p)->request_id);

	assert_ptr_equal(u, price);
	assert_false(fake_price_active(price));
	assert_string_equal(fake_price_nickname(price), "Legacy");
	assert_string_equal(fake_metadata_get(fake_price_metadata(price), "tier"), "gold");

	assert_int_equal(fake_event_count(p), 3);
	const fake_event *e = event_nth(p, 3);
	assert_string_equal(fake_event_type(e), "price.updated");
	assert_int_equal(fake_event_created(e), FAKE_EPOCH_DEFAULT + 30);
	assert_string_equal(fake_event_request_id(e), rid);
	const fake_price *before = fake_event_previous(e);
	const fake_price *after = fake_event_object(e);
	assert_true(fake_price_active(before));
	assert_null(fake_price_nickname(before));
	assert_int_equal(fake_metadata_count(fake_price_metadata(before)), 0);
	assert_false(fake_price_active(after));
	assert_string_equal(fake_price_nickname(after), "Legacy");
	assert_int_equal(fake_event_previous_attribute_count(e), 3);
	assert_string_equal(fake_event_previous_attribute(e, 0), "active");
	assert_string_equal(fake_event_previous_attribute(e, 1), "metadata");
	assert_string_equal(fake_event_previous_attribute(e, 2), "nickname");
	assert_null(fake_event_previous_attribute(e, 3));
}

static void test_price_update_lookup_key_set_and_clear(void **state)
{
	fake_processor *p = *state;
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price *u = NULL;

	prod_new(p, "Basic");
	price_new(p, "prod_fake_00001", "usd", 100);
	up.lookup_key = "basic";
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));
	assert_string_equal(fake_price_lookup_key(u), "basic");
	const fake_event *e = event_nth(p, 3);
	assert_string_equal(fake_event_type(e), "price.updated");
	assert_int_equal(fake_event_previous_attribute_count(e), 1);
	assert_string_equal(fake_event_previous_attribute(e, 0), "lookup_key");
	assert_null(fake_price_lookup_key(fake_event_previous(e)));

	/* its own key again: no change, no event, no conflict */
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));
	assert_int_equal(fake_event_count(p), 3);

	up.lookup_key = "";
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));
	assert_null(fake_price_lookup_key(u));
	assert_int_equal(fake_event_count(p), 4);
	assert_string_equal(fake_price_lookup_key(fake_event_previous(event_nth(p, 4))), "basic");

	/* the key is free again */
	const fake_price *other = price_new_keyed(p, "prod_fake_00001", "basic", false);
	assert_string_equal(fake_price_lookup_key(other), "basic");
}

static void test_price_update_lookup_key_in_use(void **state)
{
	fake_processor *p = *state;
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price *u = SENTINEL;

	prod_new(p, "Basic");
	price_new_keyed(p, "prod_fake_00001", "standard", false);
	const fake_price *second = price_new(p, "prod_fake_00001", "usd", 100);
	size_t events = fake_event_count(p);

	up.lookup_key = "standard";
	up.nickname = "must not apply";
	check_fails(p, fake_price_update(&u, p, "price_fake_00002", &up, NULL), FAKE_EINVAL,
		    "lookup_key_already_exists", "lookup_key");
	check_record(p, "invalid_request_error", 400);
	assert_null(u);
	assert_null(fake_price_lookup_key(second));
	assert_null(fake_price_nickname(second));
	assert_string_equal(fake_price_lookup_key(price_get(p, "price_fake_00001")), "standard");
	assert_int_equal(fake_event_count(p), events);
}

static void test_price_update_transfers_lookup_key(void **state)
{
	fake_processor *p = *state;
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price *u = NULL;

	prod_new(p, "Basic");
	const fake_price *old = price_new_keyed(p, "prod_fake_00001", "standard", false);
	price_new(p, "prod_fake_00001", "usd", 100);
	up.lookup_key = "standard";
	up.transfer_lookup_key = true;
	check_ok(p, fake_price_update(&u, p, "price_fake_00002", &up, NULL));

	assert_string_equal(fake_price_lookup_key(u), "standard");
	assert_null(fake_price_lookup_key(old));
	/* the price that lost the key first, then the one that took it */
	assert_int_equal(fake_event_count(p), 5);
	const fake_event *lost = event_nth(p, 4);
	const fake_event *took = event_nth(p, 5);
	assert_string_equal(fake_event_type(lost), "price.updated");
	assert_string_equal(fake_object_id(fake_event_object(lost)), "price_fake_00001");
	assert_null(fake_price_lookup_key(fake_event_object(lost)));
	assert_string_equal(fake_price_lookup_key(fake_event_previous(lost)), "standard");
	assert_string_equal(fake_event_previous_attribute(lost, 0), "lookup_key");
	assert_string_equal(fake_event_type(took), "price.updated");
	assert_string_equal(fake_object_id(fake_event_object(took)), "price_fake_00002");
	assert_string_equal(fake_price_lookup_key(fake_event_object(took)), "standard");
	assert_null(fake_price_lookup_key(fake_event_previous(took)));
	assert_string_equal(fake_event_previous_attribute(took, 0), "lookup_key");
	assert_string_equal(fake_event_request_id(lost), fake_event_request_id(took));
}

static void test_price_update_without_change_emits_no_event(void **state)
{
	fake_processor *p = *state;
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price *u = NULL;

	prod_new(p, "Basic");
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 100);
	cp.nickname = "Nick";
	const fake_price *price = price_create_ok(p, &cp);

	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));
	assert_ptr_equal(u, price);
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", NULL, NULL));
	assert_ptr_equal(u, price);
	up.active = FAKE_ACTIVE_SET;
	up.nickname = "Nick";
	up.lookup_key = ""; /* it has none */
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));
	assert_ptr_equal(u, price);
	assert_int_equal(fake_event_count(p), 2);
}

static void test_price_update_nickname_empty_clears(void **state)
{
	fake_processor *p = *state;
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price *u = NULL;

	prod_new(p, "Basic");
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 100);
	cp.nickname = "Nick";
	price_create_ok(p, &cp);
	up.nickname = "";
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));
	assert_null(fake_price_nickname(u));
	assert_string_equal(fake_event_previous_attribute(event_nth(p, 3), 0), "nickname");
}

/* The update params have no amount, currency, interval or product: they
 * stay what the price was created with, whatever the update changes. */
static void test_price_update_leaves_amounts_alone(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "k", "v" } };
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	const fake_price *u = NULL;

	prod_new(p, "Basic");
	fake_price_create_params cp = price_params("prod_fake_00001", "eur", 4200);
	cp.interval = FAKE_INTERVAL_WEEK;
	cp.interval_count = 2;
	cp.usage_type = FAKE_USAGE_METERED;
	const fake_price *price = price_create_ok(p, &cp);
	check_ok(p, fake_clock_advance(p, 100));

	up.active = FAKE_ACTIVE_CLEAR;
	up.lookup_key = "weekly";
	up.nickname = "Every two weeks";
	up.metadata = md;
	up.metadata_count = 1;
	check_ok(p, fake_price_update(&u, p, "price_fake_00001", &up, NULL));

	assert_ptr_equal(u, price);
	assert_int_equal(fake_price_unit_amount(u), 4200);
	assert_string_equal(fake_price_currency(u), "eur");
	assert_int_equal(fake_price_interval(u), FAKE_INTERVAL_WEEK);
	assert_int_equal(fake_price_interval_count(u), 2);
	assert_int_equal(fake_price_usage_type(u), FAKE_USAGE_METERED);
	assert_string_equal(fake_price_product(u), "prod_fake_00001");
	assert_int_equal(fake_price_created(u), FAKE_EPOCH_DEFAULT);
	const fake_event *e = event_nth(p, 3);
	assert_int_equal(fake_event_previous_attribute_count(e), 4);
	assert_string_equal(fake_event_previous_attribute(e, 0), "active");
	assert_string_equal(fake_event_previous_attribute(e, 1), "lookup_key");
	assert_string_equal(fake_event_previous_attribute(e, 2), "metadata");
	assert_string_equal(fake_event_previous_attribute(e, 3), "nickname");
}

/* ---- list -------------------------------------------------------------- */

/*
 * prod_fake_00001 A, prod_fake_00002 B, prod_fake_00003 C (from product_name)
 * price_fake_00001  A usd   100 one-time           key a_once
 * price_fake_00002  A usd  1000 monthly            key a_monthly
 * price_fake_00003  B eur   200 one-time  inactive
 * price_fake_00004  B usd  2000 yearly
 * price_fake_00005  C gbp    50 weekly
 */
static void seed_list(fake_processor *p)
{
	prod_new(p, "A");
	prod_new(p, "B");
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 100);
	cp.lookup_key = "a_once";
	price_create_ok(p, &cp);
	cp = price_params("prod_fake_00001", "usd", 1000);
	cp.lookup_key = "a_monthly";
	cp.interval = FAKE_INTERVAL_MONTH;
	price_create_ok(p, &cp);
	cp = price_params("prod_fake_00002", "eur", 200);
	cp.inactive = true;
	price_create_ok(p, &cp);
	cp = price_params("prod_fake_00002", "usd", 2000);
	cp.interval = FAKE_INTERVAL_YEAR;
	price_create_ok(p, &cp);
	cp = price_params(NULL, "gbp", 50);
	cp.product_name = "C";
	cp.interval = FAKE_INTERVAL_WEEK;
	const fake_price *last = price_create_ok(p, &cp);
	assert_string_equal(fake_price_product(last), "prod_fake_00003");
}

static void test_price_list_newest_first(void **state)
{
	fake_processor *p = *state;
	static const char *const all[] = { "price_fake_00005", "price_fake_00004", "price_fake_00003",
					   "price_fake_00002", "price_fake_00001" };
	fake_list page;

	seed_list(p);
	check_ok(p, fake_price_list(&page, p, NULL, NULL));
	check_page_ids(&page, all, 5);
	assert_false(page.has_more);
}

static void test_price_list_filter_active(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	static const char *const active[] = { "price_fake_00005", "price_fake_00004", "price_fake_00002",
					      "price_fake_00001" };
	static const char *const inactive[] = { "price_fake_00003" };

	seed_list(p);
	lp.active = FAKE_ACTIVE_ONLY;
	check_list(p, &lp, active, 4);
	lp.active = FAKE_INACTIVE_ONLY;
	check_list(p, &lp, inactive, 1);
}

static void test_price_list_filter_product(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	static const char *const a[] = { "price_fake_00002", "price_fake_00001" };
	static const char *const b[] = { "price_fake_00004", "price_fake_00003" };
	static const char *const c[] = { "price_fake_00005" };
	fake_list page;

	seed_list(p);
	lp.product = "prod_fake_00001";
	check_list(p, &lp, a, 2);
	lp.product = "prod_fake_00002";
	check_list(p, &lp, b, 2);
	lp.product = "prod_fake_00003";
	check_list(p, &lp, c, 1);

	/* an unknown product is an error, not an empty page */
	lp.product = "prod_x";
	page.count = 3;
	check_fails(p, fake_price_list(&page, p, &lp, NULL), FAKE_ENOTFOUND, "resource_missing", "product");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such product: 'prod_x'");
	assert_int_equal(page.count, 0);
}

static void test_price_list_filter_currency_any_case(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	static const char *const usd[] = { "price_fake_00004", "price_fake_00002", "price_fake_00001" };
	static const char *const eur[] = { "price_fake_00003" };

	seed_list(p);
	lp.currency = "usd";
	check_list(p, &lp, usd, 3);
	lp.currency = "USD";
	check_list(p, &lp, usd, 3);
	lp.currency = "eUr";
	check_list(p, &lp, eur, 1);
	lp.currency = "jpy";
	check_list(p, &lp, NULL, 0);
}

static void test_price_list_filter_type(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	static const char *const one_time[] = { "price_fake_00003", "price_fake_00001" };
	static const char *const recurring[] = { "price_fake_00005", "price_fake_00004", "price_fake_00002" };

	seed_list(p);
	lp.type = FAKE_PRICE_ONE_TIME;
	check_list(p, &lp, one_time, 2);
	lp.type = FAKE_PRICE_RECURRING;
	check_list(p, &lp, recurring, 3);
}

static void test_price_list_filter_lookup_key(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	static const char *const monthly[] = { "price_fake_00002" };

	seed_list(p);
	lp.lookup_key = "a_monthly";
	check_list(p, &lp, monthly, 1);
	lp.lookup_key = "nobody_has_this";
	check_list(p, &lp, NULL, 0);
}

static void test_price_list_filters_combine(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	static const char *const one[] = { "price_fake_00004" };

	seed_list(p);
	lp.product = "prod_fake_00002";
	lp.currency = "usd";
	lp.type = FAKE_PRICE_RECURRING;
	lp.active = FAKE_ACTIVE_ONLY;
	check_list(p, &lp, one, 1);
	lp.type = FAKE_PRICE_ONE_TIME;
	check_list(p, &lp, NULL, 0);
}

static void test_price_list_pagination(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	fake_list page;
	static const char *const first[] = { "price_fake_00005", "price_fake_00004" };
	static const char *const second[] = { "price_fake_00003", "price_fake_00002" };
	static const char *const last[] = { "price_fake_00001" };
	static const char *const newer[] = { "price_fake_00005" };
	static const char *const usd_after[] = { "price_fake_00002", "price_fake_00001" };

	seed_list(p);
	lp.page.limit = 2;
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	check_page_ids(&page, first, 2);
	assert_true(page.has_more);
	lp.page.starting_after = "price_fake_00004";
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	check_page_ids(&page, second, 2);
	assert_true(page.has_more);
	lp.page.starting_after = "price_fake_00002";
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	check_page_ids(&page, last, 1);
	assert_false(page.has_more);

	lp.page.starting_after = NULL;
	lp.page.ending_before = "price_fake_00004";
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	check_page_ids(&page, newer, 1);
	assert_false(page.has_more);

	/* a cursor the filter leaves out still marks a position */
	lp.page.ending_before = NULL;
	lp.page.starting_after = "price_fake_00003";
	lp.currency = "usd";
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	check_page_ids(&page, usd_after, 2);
	assert_false(page.has_more);
}

static void test_price_list_iterator(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *o = NULL;
	static const char *const recurring[] = { "price_fake_00005", "price_fake_00004", "price_fake_00002" };
	size_t n = 0;
	int rc;

	seed_list(p);
	lp.page.limit = 1;
	lp.type = FAKE_PRICE_RECURRING;
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_PRICES);
	fake_list_iter_init(&it, p, FAKE_OP_LIST_PRICES, &lp, NULL);
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		assert_true(n < 3);
		assert_int_equal(fake_object_type_of(o), FAKE_OBJECT_PRICE);
		assert_string_equal(fake_price_id(o), recurring[n]);
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_null(o);
	assert_int_equal(n, 3);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_PRICES) - calls, 3);

	/* ending_before walks towards newer prices, oldest first */
	static const char *const newer[] = { "price_fake_00002", "price_fake_00003", "price_fake_00004",
					     "price_fake_00005" };
	fake_price_list_params back = FAKE_PRICE_LIST_PARAMS_INIT;
	back.page.limit = 3;
	back.page.ending_before = "price_fake_00001";
	fake_list_iter_init(&it, p, FAKE_OP_LIST_PRICES, &back, NULL);
	n = 0;
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		assert_true(n < 4);
		assert_string_equal(fake_price_id(o), newer[n]);
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 4);
}

/* ---- scripts and stubs ------------------------------------------------- */

static void test_price_script_error_on_create(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_api_error();
	fake_price_create_params cp = price_params(NULL, "usd", 100);
	const fake_price *price = SENTINEL;
	fake_list page;

	cp.product_name = "Scripted";
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PRICE, &s, 1));
	check_fails(p, fake_price_create(&price, p, &cp, NULL), FAKE_EAPI, NULL, NULL);
	check_record(p, "api_error", 500);
	assert_null(price);
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_PRICE), 1);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_PRICE), 0);
	/* the script answered: no product was made from product_name */
	assert_int_equal(fake_event_count(p), 0);
	check_ok(p, fake_product_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 0);

	price = price_create_ok(p, &cp);
	assert_string_equal(fake_price_id(price), "price_fake_00001");
	assert_string_equal(fake_price_product(price), "prod_fake_00001");
}

typedef struct list_stub {
	int calls;
	const void *params_seen;
	const fake_price *answer;
} list_stub;

/* Answers list_prices with one price and has_more. */
static int stub_list_one(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)p;
	(void)error;
	list_stub *st = user_data;
	fake_list *page = out;
	st->calls++;
	st->params_seen = call->params;
	assert_int_equal(call->op, FAKE_OP_LIST_PRICES);
	page->count = 1;
	page->has_more = true;
	page->data[0] = st->answer;
	return 0;
}

static void test_price_stub_answers_list(void **state)
{
	fake_processor *p = *state;
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	fake_list page;

	prod_new(p, "Basic");
	price_new(p, "prod_fake_00001", "usd", 1);
	list_stub st = { 0, NULL, price_new(p, "prod_fake_00001", "usd", 2) };
	check_ok(p, fake_stub_set(p, FAKE_OP_LIST_PRICES, stub_list_one, &st));
	lp.currency = "eur"; /* the stub answers, whatever the filter */
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	assert_int_equal(st.calls, 1);
	assert_ptr_equal(st.params_seen, &lp);
	assert_int_equal(page.count, 1);
	assert_true(page.has_more);
	assert_string_equal(fake_price_id(page.data[0]), "price_fake_00002");
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_PRICES), 1);

	check_ok(p, fake_stub_set(p, FAKE_OP_LIST_PRICES, NULL, NULL));
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);
	assert_int_equal(st.calls, 1);
}

static void test_price_accessors_accept_null(void **state)
{
	(void)state;
	assert_null(fake_price_id(NULL));
	assert_int_equal(fake_price_created(NULL), 0);
	assert_null(fake_price_product(NULL));
	assert_null(fake_price_currency(NULL));
	assert_int_equal(fake_price_unit_amount(NULL), 0);
	assert_null(fake_price_type(NULL));
	assert_int_equal(fake_price_interval(NULL), FAKE_INTERVAL_NONE);
	assert_null(fake_price_interval_name(NULL));
	assert_int_equal(fake_price_interval_count(NULL), 0);
	assert_null(fake_price_lookup_key(NULL));
	assert_null(fake_price_nickname(NULL));
	assert_false(fake_price_active(NULL));
	assert_null(fake_price_metadata(NULL));
}

/* ---- bad calls: one seeded processor per row ----------------------------- */

/*
 * The seeded world:
 *   prod_fake_00001  "Basic"
 *   prod_fake_00002  "Legacy", inactive
 *   price_fake_00001 prod_fake_00001, usd 1000 monthly, lookup key
 *                    basic_monthly, nickname "Basic monthly", metadata tier=basic
 *   price_fake_00002 prod_fake_00001, eur 500 one-time
 *   clock            epoch + 3600; 4 events
 */
static void seed_world(fake_processor *p)
{
	const fake_kv md[] = { { "tier", "basic" } };
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;

	check_ok(p, fake_clock_advance(p, 3600));
	prod_new(p, "Basic");
	pp.name = "Legacy";
	pp.inactive = true;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 1000);
	cp.interval = FAKE_INTERVAL_MONTH;
	cp.lookup_key = "basic_monthly";
	cp.nickname = "Basic monthly";
	cp.metadata = md;
	cp.metadata_count = 1;
	price_create_ok(p, &cp);
	price_new(p, "prod_fake_00001", "eur", 500);
	assert_int_equal(fake_event_count(p), 4);
}

typedef struct buf {
	char s[8192];
	size_t len;
} buf;

static void buf_add(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->s + b->len, sizeof b->s - b->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof b->s - b->len);
	b->len += (size_t)n;
}

static const char *or_null(const char *s)
{
	return s ? s : "(null)";
}

static void add_metadata(buf *b, const fake_metadata *m)
{
	buf_add(b, " md{");
	for (size_t i = 0; i < fake_metadata_count(m); i++)
		buf_add(b, "%s=%s;", fake_metadata_key(m, i), fake_metadata_value(m, i));
	buf_add(b, "}");
}

/* Everything a user can see of products, prices and the log. */
static void fingerprint(fake_processor *p, buf *b)
{
	char id[32];
	fake_list page;

	memset(b, 0, sizeof *b);
	for (int i = 1; i < 100; i++) {
		const fake_product *prod = NULL;
		snprintf(id, sizeof id, "prod_fake_%05d", i);
		if (fake_product_retrieve(&prod, p, id, NULL) == FAKE_ENOTFOUND)
			break;
		buf_add(b, "%s %s|%s active=%d created=%lld updated=%lld", fake_product_id(prod),
			or_null(fake_product_name(prod)), or_null(fake_product_description(prod)),
			(int)fake_product_active(prod), (long long)fake_product_created(prod),
			(long long)fake_product_updated(prod));
		add_metadata(b, fake_product_metadata(prod));
		buf_add(b, "\n");
	}
	for (int i = 1; i < 100; i++) {
		const fake_price *price = NULL;
		snprintf(id, sizeof id, "price_fake_%05d", i);
		if (fake_price_retrieve(&price, p, id, NULL) == FAKE_ENOTFOUND)
			break;
		buf_add(b, "%s %s %s %lld %s %s/%u usage=%d key=%s nick=%s active=%d created=%lld",
			fake_price_id(price), fake_price_product(price), fake_price_currency(price),
			(long long)fake_price_unit_amount(price), fake_price_type(price),
			or_null(fake_price_interval_name(price)), fake_price_interval_count(price),
			(int)fake_price_usage_type(price), or_null(fake_price_lookup_key(price)),
			or_null(fake_price_nickname(price)), (int)fake_price_active(price),
			(long long)fake_price_created(price));
		add_metadata(b, fake_price_metadata(price));
		buf_add(b, "\n");
	}
	fake_product_list_params plp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	plp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_product_list(&page, p, &plp, NULL));
	buf_add(b, "listed products:");
	for (size_t i = 0; i < page.count; i++)
		buf_add(b, " %s", fake_object_id(page.data[i]));
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_price_list(&page, p, &lp, NULL));
	buf_add(b, "\nlisted prices:");
	for (size_t i = 0; i < page.count; i++)
		buf_add(b, " %s", fake_object_id(page.data[i]));
	buf_add(b, "\nevents=%zu now=%lld\n", fake_event_count(p), (long long)fake_clock_now(p));
}

/* The last thing a row does: the next ids are the ones the seeded world
 * leads to, so the bad call consumed none. */
static void probe_next_ids(fake_processor *p)
{
	fake_price_create_params cp = price_params(NULL, "usd", 1);
	cp.product_name = "probe";
	const fake_price *price = price_create_ok(p, &cp);
	assert_string_equal(fake_price_id(price), "price_fake_00003");
	assert_string_equal(fake_price_product(price), "prod_fake_00003");
	assert_int_equal(fake_event_count(p), 6);
	assert_string_equal(fake_event_type(event_nth(p, 5)), "product.created");
	assert_string_equal(fake_event_type(event_nth(p, 6)), "price.created");
}

static char long_str[FAKE_PRODUCT_NAME_MAX + 2];

/* A string of n copies of c; each call overwrites the last. */
static const char *str_of(char c, size_t n)
{
	memset(long_str, c, n);
	long_str[n] = '\0';
	return long_str;
}

/* run(): makes the bad call; sets *cleared when its out came back NULL or empty. */
typedef int (*bad_fn)(fake_processor *p, bool *cleared);

typedef struct bad_case {
	const char *name;
	bad_fn run;
	int status;
	const char *code;    /* "" : must be empty */
	const char *param;
	const char *message; /* NULL: not checked */
} bad_case;

static int create_with(fake_processor *p, const fake_price_create_params *cp, bool *cleared)
{
	const fake_price *price = SENTINEL;
	int rc = fake_price_create(&price, p, cp, NULL);
	*cleared = price == NULL;
	return rc;
}

/* A valid monthly price on prod_fake_00001, to be spoilt by one field. */
static fake_price_create_params good(void)
{
	fake_price_create_params cp = price_params("prod_fake_00001", "usd", 1000);
	cp.interval = FAKE_INTERVAL_MONTH;
	return cp;
}

static int update_with(fake_processor *p, const char *id, const fake_price_update_params *up, bool *cleared)
{
	const fake_price *price = SENTINEL;
	int rc = fake_price_update(&price, p, id, up, NULL);
	*cleared = price == NULL;
	return rc;
}

static int list_with(fake_processor *p, const fake_price_list_params *lp, bool *cleared)
{
	fake_list page;
	page.count = 7;
	page.has_more = true;
	int rc = fake_price_list(&page, p, lp, NULL);
	*cleared = page.count == 0 && !page.has_more;
	return rc;
}

static int bad_create_null_params(fake_processor *p, bool *cleared)
{
	return create_with(p, NULL, cleared);
}

static int bad_create_currency_missing(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.currency = NULL;
	return create_with(p, &cp, cleared);
}

static int bad_create_currency_us(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.currency = "us";
	return create_with(p, &cp, cleared);
}

static int bad_create_currency_usdx(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.currency = "usdx";
	return create_with(p, &cp, cleared);
}

static int bad_create_currency_u_dollar_d(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.currency = "u$d";
	return create_with(p, &cp, cleared);
}

static int bad_create_currency_empty(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.currency = "";
	return create_with(p, &cp, cleared);
}

static int bad_create_unit_amount_missing(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.unit_amount = -1;
	return create_with(p, &cp, cleared);
}

static int bad_create_unit_amount_negative(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.unit_amount = -100;
	return create_with(p, &cp, cleared);
}

static int bad_create_unit_amount_over_max(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.unit_amount = FAKE_PRICE_UNIT_AMOUNT_MAX + 1;
	return create_with(p, &cp, cleared);
}

static int bad_create_no_product(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.product = NULL;
	return create_with(p, &cp, cleared);
}

static int bad_create_product_and_product_name(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.product_name = "New product";
	return create_with(p, &cp, cleared);
}

static int bad_create_unknown_product(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.product = "prod_x";
	return create_with(p, &cp, cleared);
}

static int bad_create_price_id_as_product(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.product = "price_fake_00001";
	return create_with(p, &cp, cleared);
}

static int bad_create_product_name_empty(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.product = NULL;
	cp.product_name = "";
	return create_with(p, &cp, cleared);
}

static int bad_create_product_name_too_long(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.product = NULL;
	cp.product_name = str_of('n', FAKE_PRODUCT_NAME_MAX + 1);
	return create_with(p, &cp, cleared);
}

static int bad_create_37_months(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.interval_count = 37;
	return create_with(p, &cp, cleared);
}

static int bad_create_157_weeks(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.interval = FAKE_INTERVAL_WEEK;
	cp.interval_count = 157;
	return create_with(p, &cp, cleared);
}

static int bad_create_1096_days(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.interval = FAKE_INTERVAL_DAY;
	cp.interval_count = 1096;
	return create_with(p, &cp, cleared);
}

static int bad_create_4_years(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.interval = FAKE_INTERVAL_YEAR;
	cp.interval_count = 4;
	return create_with(p, &cp, cleared);
}

static int bad_create_interval_count_one_time(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.interval = FAKE_INTERVAL_NONE;
	cp.interval_count = 1;
	return create_with(p, &cp, cleared);
}

static int bad_create_metered_one_time(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.interval = FAKE_INTERVAL_NONE;
	cp.usage_type = FAKE_USAGE_METERED;
	return create_with(p, &cp, cleared);
}

static int bad_create_interval_value(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.interval = (fake_interval)9;
	return create_with(p, &cp, cleared);
}

static int bad_create_usage_type_value(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.usage_type = (fake_usage_type)5;
	return create_with(p, &cp, cleared);
}

static int bad_create_lookup_key_in_use(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.lookup_key = "basic_monthly";
	return create_with(p, &cp, cleared);
}

static int bad_create_product_name_lookup_key_in_use(fake_processor *p, bool *cleared)
{
	/* the product would be created first: it must be rolled back too */
	fake_price_create_params cp = good();
	cp.product = NULL;
	cp.product_name = "Would be created";
	cp.lookup_key = "basic_monthly";
	return create_with(p, &cp, cleared);
}

static int bad_create_transfer_without_key(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.transfer_lookup_key = true;
	return create_with(p, &cp, cleared);
}

static int bad_create_lookup_key_too_long(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.lookup_key = str_of('k', FAKE_PRICE_LOOKUP_KEY_MAX + 1);
	cp.transfer_lookup_key = true;
	return create_with(p, &cp, cleared);
}

static int bad_create_nickname_too_long(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.nickname = str_of('n', FAKE_PRICE_NICKNAME_MAX + 1);
	return create_with(p, &cp, cleared);
}

static int bad_create_version(fake_processor *p, bool *cleared)
{
	fake_price_create_params cp = good();
	cp.version = FAKE_PRICE_CREATE_PARAMS_VERSION + 1;
	return create_with(p, &cp, cleared);
}

static int bad_create_metadata_key_empty(fake_processor *p, bool *cleared)
{
	const fake_kv md[] = { { "", "v" } };
	fake_price_create_params cp = good();
	cp.metadata = md;
	cp.metadata_count = 1;
	return create_with(p, &cp, cleared);
}

static int bad_retrieve_unknown(fake_processor *p, bool *cleared)
{
	const fake_price *price = SENTINEL;
	int rc = fake_price_retrieve(&price, p, "price_x", NULL);
	*cleared = price == NULL;
	return rc;
}

static int bad_retrieve_empty_id(fake_processor *p, bool *cleared)
{
	const fake_price *price = SENTINEL;
	int rc = fake_price_retrieve(&price, p, "", NULL);
	*cleared = price == NULL;
	return rc;
}

static int bad_update_unknown(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.nickname = "x";
	return update_with(p, "price_x", &up, cleared);
}

static int bad_update_lookup_key_in_use(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.lookup_key = "basic_monthly";
	up.nickname = "would change";
	up.active = FAKE_ACTIVE_CLEAR;
	return update_with(p, "price_fake_00002", &up, cleared);
}

static int bad_update_clear_key_with_transfer(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.lookup_key = "";
	up.transfer_lookup_key = true;
	return update_with(p, "price_fake_00001", &up, cleared);
}

static int bad_update_transfer_without_key(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.nickname = "would change";
	up.transfer_lookup_key = true;
	return update_with(p, "price_fake_00002", &up, cleared);
}

static int bad_update_lookup_key_too_long(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.lookup_key = str_of('k', FAKE_PRICE_LOOKUP_KEY_MAX + 1);
	return update_with(p, "price_fake_00002", &up, cleared);
}

static int bad_update_nickname_too_long(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.nickname = str_of('n', FAKE_PRICE_NICKNAME_MAX + 1);
	return update_with(p, "price_fake_00001", &up, cleared);
}

static int bad_update_active_value(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.active = (fake_active_change)3;
	up.nickname = "would change";
	return update_with(p, "price_fake_00001", &up, cleared);
}

static int bad_update_version(fake_processor *p, bool *cleared)
{
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.version = 0;
	up.nickname = "would change";
	return update_with(p, "price_fake_00001", &up, cleared);
}

static int bad_update_metadata_null_value(fake_processor *p, bool *cleared)
{
	const fake_kv md[] = { { "tier", NULL } };
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.metadata = md;
	up.metadata_count = 1;
	return update_with(p, "price_fake_00001", &up, cleared);
}

static int bad_list_unknown_product(fake_processor *p, bool *cleared)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.product = "prod_x";
	return list_with(p, &lp, cleared);
}

static int bad_list_currency(fake_processor *p, bool *cleared)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.currency = "dollars";
	return list_with(p, &lp, cleared);
}

static int bad_list_type_value(fake_processor *p, bool *cleared)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.type = (fake_price_type_filter)7;
	return list_with(p, &lp, cleared);
}

static int bad_list_active_value(fake_processor *p, bool *cleared)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.active = (fake_active_filter)7;
	return list_with(p, &lp, cleared);
}

static int bad_list_lookup_key_too_long(fake_processor *p, bool *cleared)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.lookup_key = str_of('k', FAKE_PRICE_LOOKUP_KEY_MAX + 1);
	return list_with(p, &lp, cleared);
}

static int bad_list_product_as_cursor(fake_processor *p, bool *cleared)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.page.starting_after = "prod_fake_00001";
	return list_with(p, &lp, cleared);
}

static int bad_list_version(fake_processor *p, bool *cleared)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.version = 2;
	return list_with(p, &lp, cleared);
}

#define BAD(fn, st, code, param, msg) { #fn, fn, st, code, param, msg }

static bad_case bad_cases[] = {
	BAD(bad_create_null_params, FAKE_EINVAL, "parameter_missing", "currency", "Missing required param: currency."),
	BAD(bad_create_currency_missing, FAKE_EINVAL, "parameter_missing", "currency", NULL),
	BAD(bad_create_currency_us, FAKE_EINVAL, "parameter_invalid_string", "currency", NULL),
	BAD(bad_create_currency_usdx, FAKE_EINVAL, "parameter_invalid_string", "currency", NULL),
	BAD(bad_create_currency_u_dollar_d, FAKE_EINVAL, "parameter_invalid_string", "currency", NULL),
	BAD(bad_create_currency_empty, FAKE_EINVAL, "parameter_invalid_string", "currency", NULL),
	BAD(bad_create_unit_amount_missing, FAKE_EINVAL, "parameter_missing", "unit_amount",
	    "Missing required param: unit_amount."),
	BAD(bad_create_unit_amount_negative, FAKE_EINVAL, "parameter_invalid_integer", "unit_amount", NULL),
	BAD(bad_create_unit_amount_over_max, FAKE_EINVAL, "parameter_invalid_integer", "unit_amount", NULL),
	BAD(bad_create_no_product, FAKE_EINVAL, "parameter_missing", "product", NULL),
	BAD(bad_create_product_and_product_name, FAKE_EINVAL, "", "product", NULL),
	BAD(bad_create_unknown_product, FAKE_ENOTFOUND, "resource_missing", "product", "No such product: 'prod_x'"),
	BAD(bad_create_price_id_as_product, FAKE_ENOTFOUND, "resource_missing", "product",
	    "No such product: 'price_fake_00001'"),
	BAD(bad_create_product_name_empty, FAKE_EINVAL, "parameter_invalid_empty", "product_data[name]", NULL),
	BAD(bad_create_product_name_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "product_data[name]",
	    NULL),
	BAD(bad_create_37_months, FAKE_EINVAL, "parameter_invalid_integer", "recurring[interval_count]", NULL),
	BAD(bad_create_157_weeks, FAKE_EINVAL, "parameter_invalid_integer", "recurring[interval_count]", NULL),
	BAD(bad_create_1096_days, FAKE_EINVAL, "parameter_invalid_integer", "recurring[interval_count]", NULL),
	BAD(bad_create_4_years, FAKE_EINVAL, "parameter_invalid_integer", "recurring[interval_count]", NULL),
	BAD(bad_create_interval_count_one_time, FAKE_EINVAL, "", "recurring[interval_count]", NULL),
	BAD(bad_create_metered_one_time, FAKE_EINVAL, "", "recurring[usage_type]", NULL),
	BAD(bad_create_interval_value, FAKE_EINVAL, "", "recurring[interval]", NULL),
	BAD(bad_create_usage_type_value, FAKE_EINVAL, "", "recurring[usage_type]", NULL),
	BAD(bad_create_lookup_key_in_use, FAKE_EINVAL, "lookup_key_already_exists", "lookup_key", NULL),
	BAD(bad_create_product_name_lookup_key_in_use, FAKE_EINVAL, "lookup_key_already_exists", "lookup_key", NULL),
	BAD(bad_create_transfer_without_key, FAKE_EINVAL, "", "transfer_lookup_key", NULL),
	BAD(bad_create_lookup_key_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "lookup_key", NULL),
	BAD(bad_create_nickname_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "nickname", NULL),
	BAD(bad_create_version, FAKE_EINVAL, "parameter_invalid_integer", "version", NULL),
	BAD(bad_create_metadata_key_empty, FAKE_EINVAL, "parameter_invalid_metadata", "metadata", NULL),
	BAD(bad_retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id", "No such price: 'price_x'"),
	BAD(bad_retrieve_empty_id, FAKE_EINVAL, "parameter_invalid_empty", "id", NULL),
	BAD(bad_update_unknown, FAKE_ENOTFOUND, "resource_missing", "id", "No such price: 'price_x'"),
	BAD(bad_update_lookup_key_in_use, FAKE_EINVAL, "lookup_key_already_exists", "lookup_key", NULL),
	BAD(bad_update_clear_key_with_transfer, FAKE_EINVAL, "", "transfer_lookup_key", NULL),
	BAD(bad_update_transfer_without_key, FAKE_EINVAL, "", "transfer_lookup_key", NULL),
	BAD(bad_update_lookup_key_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "lookup_key", NULL),
	BAD(bad_update_nickname_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "nickname", NULL),
	BAD(bad_update_active_value, FAKE_EINVAL, "", "active", NULL),
	BAD(bad_update_version, FAKE_EINVAL, "parameter_invalid_integer", "version", NULL),
	BAD(bad_update_metadata_null_value, FAKE_EINVAL, "parameter_missing", "metadata[tier]", NULL),
	BAD(bad_list_unknown_product, FAKE_ENOTFOUND, "resource_missing", "product", "No such product: 'prod_x'"),
	BAD(bad_list_currency, FAKE_EINVAL, "parameter_invalid_string", "currency", NULL),
	BAD(bad_list_type_value, FAKE_EINVAL, "", "type", NULL),
	BAD(bad_list_active_value, FAKE_EINVAL, "", "active", NULL),
	BAD(bad_list_lookup_key_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "lookup_key", NULL),
	BAD(bad_list_product_as_cursor, FAKE_ENOTFOUND, "resource_missing", "starting_after", NULL),
	BAD(bad_list_version, FAKE_EINVAL, "parameter_invalid_integer", "version", NULL),
};

#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

static void run_bad_case(void **state)
{
	const bad_case *bc = *state;
	fake_processor *p = NULL;
	buf before, after;
	bool cleared = false;

	assert_int_equal(fake_processor_new(&p, NULL), 0);
	seed_world(p);
	fingerprint(p, &before);

	int rc = bc->run(p, &cleared);
	const fake_error *e = fake_error_last(p);
	if (rc != bc->status) {
		print_error("%s returned %s, expected %s (%s)\n", bc->name, fake_status_name(rc),
			    fake_status_name(bc->status), e->message);
		fail();
	}
	assert_true(cleared);
	assert_int_equal(e->status, bc->status);
	assert_string_equal(e->type, "invalid_request_error");
	assert_int_equal(e->http_status, bc->status == FAKE_ENOTFOUND ? 404 : 400);
	assert_string_equal(e->code, bc->code);
	assert_string_equal(e->param, bc->param);
	assert_true(e->message[0] != '\0');
	if (bc->message)
		assert_string_equal(e->message, bc->message);

	fingerprint(p, &after);
	assert_string_equal(after.s, before.s);
	probe_next_ids(p);
	fake_processor_free(p);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

static const struct CMUnitTest unit_tests[] = {
	T(test_price_create_one_time_fields),
	T(test_price_create_created_follows_clock),
	T(test_price_create_copies_fields),
	T(test_price_create_currency_is_lowercased),
	T(test_price_create_unit_amount_bounds),
	T(test_price_create_emits_created_event),
	T(test_price_create_recurring_defaults),
	T(test_price_create_recurring_limits_accepted),
	T(test_price_create_metered_recurring),
	T(test_price_create_recurring_limits_rejected),
	T(test_price_create_with_product_name),
	T(test_price_create_without_events),
	T(test_price_create_unknown_product),
	T(test_price_create_needs_exactly_one_product_source),
	T(test_price_create_currency_required_and_validated),
	T(test_price_create_unit_amount_required_and_bounded),
	T(test_price_lookup_key_is_unique),
	T(test_price_create_transfers_lookup_key),
	T(test_price_create_transfer_of_unused_key),
	T(test_price_create_with_product_name_transfers_lookup_key),
	T(test_price_create_transfer_needs_lookup_key),
	T(test_price_retrieve_returns_same_object),
	T(test_price_retrieve_unknown_id),
	T(test_price_update_emits_event_with_previous),
	T(test_price_update_lookup_key_set_and_clear),
	T(test_price_update_lookup_key_in_use),
	T(test_price_update_transfers_lookup_key),
	T(test_price_update_without_change_emits_no_event),
	T(test_price_update_nickname_empty_clears),
	T(test_price_update_leaves_amounts_alone),
	T(test_price_list_newest_first),
	T(test_price_list_filter_active),
	T(test_price_list_filter_product),
	T(test_price_list_filter_currency_any_case),
	T(test_price_list_filter_type),
	T(test_price_list_filter_lookup_key),
	T(test_price_list_filters_combine),
	T(test_price_list_pagination),
	T(test_price_list_iterator),
	T(test_price_script_error_on_create),
	T(test_price_stub_answers_list),
	T(test_price_accessors_accept_null),
};

#define N_UNIT (sizeof unit_tests / sizeof unit_tests[0])

int main(void)
{
	static struct CMUnitTest tests[N_UNIT + N_BAD];
	static char names[N_BAD][96];

	for (size_t i = 0; i < N_UNIT; i++)
		tests[i] = unit_tests[i];
	for (size_t i = 0; i < N_BAD; i++) {
		/* "bad_create_4_years" becomes "test_price_rejects_create_2_years" */
		snprintf(names[i], sizeof names[i], "test_price_rejects_%s", bad_cases[i].name + 4);
		tests[N_UNIT + i].name = names[i];
		tests[N_UNIT + i].test_func = run_bad_case;
		tests[N_UNIT + i].setup_func = NULL;
		tests[N_UNIT + i].teardown_func = NULL;
		tests[N_UNIT + i].initial_state = &bad_cases[i];
	}
	return cmocka_run_group_tests_name("price", tests, NULL, NULL);
}
