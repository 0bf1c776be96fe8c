/*
 * Cursor pagination and the auto-paginating iterator, over customers,
 * payment methods and events. Every test starts from a fresh processor
 * (fixture_new / fixture_free).
 */
#include "helpers.h"

static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

static void cust_make(fake_processor *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const fake_customer *c = NULL;
		check_ok(p, fake_customer_create(&c, p, NULL, NULL));
		assert_non_null(c);
	}
}

static const char *cus_id(size_t n, char buf[32])
{
	snprintf(buf, 32, "cus_fake_%05zu", n);
	return buf;
}

/* Asserts the page holds exactly customers first, first-1, ... (newest first). */
static void check_page_desc(const fake_list *page, size_t first, size_t count)
{
	char want[32];
	assert_int_equal(page->count, count);
	for (size_t i = 0; i < count; i++)
		assert_string_equal(fake_object_id(page->data[i]), cus_id(first - i, want));
}

static void check_record(fake_processor *p, const char *type, int http)
{
	const fake_error *e = fake_error_last(p);
	assert_non_null(e);
	assert_string_equal(e->type, type);
	assert_int_equal(e->http_status, http);
}

static int list_customers(fake_processor *p, fake_list *page, int limit, const char *after, const char *before)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = limit;
	lp.page.starting_after = after;
	lp.page.ending_before = before;
	page->count = 99; /* garbage: the call must set it */
	page->has_more = true;
	return fake_customer_list(page, p, &lp, NULL);
}

/* ---- customers: pages ---------------------------------------------------- */

static void test_list_customers_empty(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	check_ok(p, list_customers(p, &page, 0, NULL, NULL));
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
	page.count = 99;
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
}

static void test_list_customers_newest_first_default_limit(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 12);
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	check_page_desc(&page, 12, FAKE_LIST_LIMIT_DEFAULT);
	assert_true(page.has_more);

	check_ok(p, list_customers(p, &page, 0, NULL, NULL));
	check_page_desc(&page, 12, 10);
	assert_true(page.has_more);
}

static void test_list_customers_limit_bounds(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 12);
	check_ok(p, list_customers(p, &page, 1, NULL, NULL));
	check_page_desc(&page, 12, 1);
	assert_true(page.has_more);

	check_ok(p, list_customers(p, &page, 12, NULL, NULL));
	check_page_desc(&page, 12, 12);
	assert_false(page.has_more);

	check_ok(p, list_customers(p, &page, FAKE_LIST_LIMIT_MAX, NULL, NULL));
	check_page_desc(&page, 12, 12);
	assert_false(page.has_more);

	check_fails(p, list_customers(p, &page, 101, NULL, NULL), FAKE_EINVAL, NULL, "limit");
	check_record(p, "invalid_request_error", 400);
	assert_int_equal(page.count, 0);

	check_fails(p, list_customers(p, &page, -1, NULL, NULL), FAKE_EINVAL, NULL, "limit");
	check_record(p, "invalid_request_error", 400);
	assert_int_equal(page.count, 0);
}

static void test_list_customers_limit_100_with_more(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 101);
	check_ok(p, list_customers(p, &page, 100, NULL, NULL));
	check_page_desc(&page, 101, 100);
	assert_true(page.has_more);
	check_ok(p, list_customers(p, &page, 100, "cus_fake_00002", NULL));
	check_page_desc(&page, 1, 1);
	assert_false(page.has_more);
}

static void test_list_customers_starting_after(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 5);
	check_ok(p, list_customers(p, &page, 0, "cus_fake_00003", NULL));
	check_page_desc(&page, 2, 2);
	assert_false(page.has_more);

	check_ok(p, list_customers(p, &page, 1, "cus_fake_00003", NULL));
	check_page_desc(&page, 2, 1);
	assert_true(page.has_more);

	/* past the oldest: an empty page */
	check_ok(p, list_customers(p, &page, 0, "cus_fake_00001", NULL));
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
}

static void test_list_customers_ending_before(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 5);
	/* the objects just newer than the cursor, still newest first */
	check_ok(p, list_customers(p, &page, 2, NULL, "cus_fake_00002"));
	check_page_desc(&page, 4, 2);
	assert_true(page.has_more);

	check_ok(p, list_customers(p, &page, 0, NULL, "cus_fake_00002"));
	check_page_desc(&page, 5, 3);
	assert_false(page.has_more);

	check_ok(p, list_customers(p, &page, 0, NULL, "cus_fake_00005"));
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
}

static void test_list_customers_pages_chain(void **state)
{
	fake_processor *p = *state;
	fake_list page;
	char cursor[FAKE_ID_MAX + 1];

	cust_make(p, 7);
	check_ok(p, list_customers(p, &page, 3, NULL, NULL));
	check_page_desc(&page, 7, 3);
	assert_true(page.has_more);
	snprintf(cursor, sizeof cursor, "%s", fake_object_id(page.data[2]));
	check_ok(p, list_customers(p, &page, 3, cursor, NULL));
	check_page_desc(&page, 4, 3);
	assert_true(page.has_more);
	snprintf(cursor, sizeof cursor, "%s", fake_object_id(page.data[2]));
	check_ok(p, list_customers(p, &page, 3, cursor, NULL));
	check_page_desc(&page, 1, 1);
	assert_false(page.has_more);
}

static void test_list_customers_both_cursors(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 5);
	check_fails(p, list_customers(p, &page, 0, "cus_fake_00004", "cus_fake_00002"), FAKE_EINVAL, NULL, NULL);
	check_record(p, "invalid_request_error", 400);
	assert_int_equal(page.count, 0);
}

static void test_list_customers_unknown_cursor(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 3);
	check_fails(p, list_customers(p, &page, 0, "cus_fake_00042", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "starting_after");
	check_record(p, "invalid_request_error", 404);
	assert_int_equal(page.count, 0);

	check_fails(p, list_customers(p, &page, 0, NULL, "cus_fake_00042"), FAKE_ENOTFOUND, "resource_missing",
		    "ending_before");
	check_record(p, "invalid_request_error", 404);
	assert_int_equal(page.count, 0);
}

static void test_list_customers_email_filter(void **state)
{
	fake_processor *p = *state;
	static const char *emails[] = { "a@x.com", "A@x.com", "a@x.com", "b@x.com", "a@x.co" };
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list page;

	for (size_t i = 0; i < sizeof emails / sizeof emails[0]; i++) {
		fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
		const fake_customer *c = NULL;
		cp.email = emails[i];
		check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	}
	lp.email = "a@x.com";
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_false(page.has_more);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_00003");
	assert_string_equal(fake_customer_id(page.data[1]), "cus_fake_00001");

	lp.email = "A@x.com";
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_00002");

	lp.email = "nobody@x.com";
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);

	/* the filter combines with the page */
	lp.email = "a@x.com";
	lp.page.limit = 1;
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_true(page.has_more);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_00003");
}

static void test_list_customers_skips_deleted(void **state)
{
	fake_processor *p = *state;
	const fake_customer *d = NULL;
	fake_list page;

	cust_make(p, 4);
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00003", NULL));
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 2);
	assert_false(page.has_more);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_00004");
	assert_string_equal(fake_customer_id(page.data[1]), "cus_fake_00002");

	/* has_more does not count deleted customers */
	check_ok(p, list_customers(p, &page, 1, "cus_fake_00004", NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_00002");
	assert_false(page.has_more);
}

static void test_list_customers_counted(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	cust_make(p, 2);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CUSTOMERS), 0);
	check_ok(p, fake_customer_list(&page, p, NULL, NULL));
	assert_int_equal(list_customers(p, &page, 101, NULL, NULL), FAKE_EINVAL);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CUSTOMERS), 2);
}

/* ---- iterator ------------------------------------------------------------ */

static void test_list_iter_walks_all_pages(void **state)
{
	fake_processor *p = *state;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *obj = NULL;
	char want[32];
	size_t n = 0;
	int rc;

	cust_make(p, 25);
	lp.page.limit = 10;
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_CUSTOMERS);
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CUSTOMERS), calls); /* nothing fetched yet */

	while ((rc = fake_list_iter_next(&obj, &it)) == 0) {
		assert_non_null(obj);
		assert_int_equal(fake_object_type_of(obj), FAKE_OBJECT_CUSTOMER);
		assert_string_equal(fake_customer_id(obj), cus_id(25 - n, want));
		n++;
		assert_true(n <= 25);
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_null(obj);
	assert_int_equal(n, 25);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CUSTOMERS) - calls, 3);

	/* stays over */
	obj = SENTINEL;
	assert_int_equal(fake_list_iter_next(&obj, &it), FAKE_ITEROVER);
	assert_null(obj);
}

static void test_list_iter_exact_page_multiple(void **state)
{
	fake_processor *p = *state;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *obj = NULL;
	size_t n = 0;
	int rc;

	cust_make(p, 20);
	lp.page.limit = 10;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	while ((rc = fake_list_iter_next(&obj, &it)) == 0)
		n++;
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 20);
}

static void test_list_iter_empty(void **state)
{
	fake_processor *p = *state;
	fake_list_iter it;
	const void *obj = SENTINEL;

	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, NULL, NULL);
	assert_int_equal(fake_list_iter_next(&obj, &it), FAKE_ITEROVER);
	assert_null(obj);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CUSTOMERS), 1);
}

static void test_list_iter_ending_before_walks_newer(void **state)
{
	fake_processor *p = *state;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *obj = NULL;
	char want[32];
	size_t n = 0;
	int rc;

	cust_make(p, 25);
	lp.page.limit = 2;
	lp.page.ending_before = "cus_fake_00020";
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	while ((rc = fake_list_iter_next(&obj, &it)) == 0) {
		/* towards newer objects, oldest first: 21, 22, ... 25 */
		assert_string_equal(fake_customer_id(obj), cus_id(21 + n, want));
		n++;
		assert_true(n <= 5);
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 5);
}

static void test_list_iter_starting_after(void **state)
{
	fake_processor *p = *state;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *obj = NULL;
	char want[32];
	size_t n = 0;
	int rc;

	cust_make(p, 12);
	lp.page.limit = 4;
	lp.page.starting_after = "cus_fake_00006";
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	while ((rc = fake_list_iter_next(&obj, &it)) == 0) {
		assert_string_equal(fake_customer_id(obj), cus_id(5 - n, want));
		n++;
		assert_true(n <= 5);
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 5);
}

static void test_list_iter_payment_methods(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	fake_list_iter it;
	const void *obj = NULL;
	char want[32];
	size_t n = 0;
	int rc;

	cust_make(p, 2);
	for (int i = 0; i < 7; i++) {
		const fake_payment_method *pm = NULL;
		ap.customer = (i % 2) ? "cus_fake_00002" : "cus_fake_00001"; /* 1: pm 1,3,5,7 */
		check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	}
	lp.customer = "cus_fake_00001";
	lp.page.limit = 3;
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_PAYMENT_METHODS);
	fake_list_iter_init(&it, p, FAKE_OP_LIST_PAYMENT_METHODS, &lp, NULL);
	while ((rc = fake_list_iter_next(&obj, &it)) == 0) {
		assert_int_equal(fake_object_type_of(obj), FAKE_OBJECT_PAYMENT_METHOD);
		snprintf(want, sizeof want, "pm_fake_%05zu", 7 - 2 * n);
		assert_string_equal(fake_payment_method_id(obj), want);
		assert_string_equal(fake_payment_method_customer(obj), "cus_fake_00001");
		n++;
		assert_true(n <= 4);
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 4);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_PAYMENT_METHODS) - calls, 2);
}

static void test_list_iter_events_with_type(void **state)
{
	fake_processor *p = *state;
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	fake_list_iter it;
	const void *obj = NULL;
	size_t n = 0;
	int rc;

	cust_make(p, 5);                 /* events 1..5: customer.created */
	up.name = "x";
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00002", &up, NULL)); /* 6: updated */
	lp.type = "customer.created";
	lp.page.limit = 2;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_EVENTS, &lp, NULL);
	while ((rc = fake_list_iter_next(&obj, &it)) == 0) {
		char want[32];
		assert_int_equal(fake_object_type_of(obj), FAKE_OBJECT_EVENT);
		assert_string_equal(fake_event_type(obj), "customer.created");
		snprintf(want, sizeof want, "evt_fake_%05zu", 5 - n);
		assert_string_equal(fake_event_id(obj), want);
		n++;
		assert_true(n <= 5);
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 5);
}

static void test_list_iter_error_stops_walk(void **state)
{
	fake_processor *p = *state;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *obj = NULL;
	size_t n = 0;
	int rc;

	cust_make(p, 25);
	lp.page.limit = 10;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	/* the first page is fetched at the first next() */
	check_ok(p, fake_list_iter_next(&obj, &it));
	n++;
	fake_script s = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_LIST_CUSTOMERS, &s, 1));
	while ((rc = fake_list_iter_next(&obj, &it)) == 0)
		n++;
	/* the second page fetch is the scripted call */
	assert_int_equal(rc, FAKE_EAPI);
	assert_int_equal(n, 10);
	assert_null(obj);
	assert_string_equal(fake_error_last(p)->type, "api_error");
}

/* Walks with a rate-limit script on page fetch `fail_fetch` (1-based): the
 * walk reports FAKE_ERATELIMIT once, then resumes, and yields every one of
 * the 25 customers exactly once, in order. */
static void check_iter_retry(fake_processor *p, bool backward, int fail_fetch)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *obj = NULL;
	int seen[26];
	size_t n = 0;
	int rc, rate_limited = 0;
	bool armed = false;
	char want[32];

	memset(seen, 0, sizeof seen);
	lp.page.limit = 10;
	if (backward)
		lp.page.ending_before = "cus_fake_00001"; /* walks cus 2 .. 25, oldest first */
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_CUSTOMERS);
	for (;;) {
		/* page k is fetched by the next() that follows (k - 1) * 10 objects */
		if (!armed && n == (size_t)(fail_fetch - 1) * 10) {
			fake_script s = fake_script_rate_limit(2);
			check_ok(p, fake_script_push(p, FAKE_OP_LIST_CUSTOMERS, &s, 1));
			armed = true;
		}
		obj = SENTINEL;
		rc = fake_list_iter_next(&obj, &it);
		if (rc == FAKE_ERATELIMIT) {
			rate_limited++;
			assert_int_equal(rate_limited, 1); /* once only: the retry must not fail again */
			assert_null(obj);
			assert_int_equal(fake_error_last(p)->retry_after, 2);
			assert_string_equal(fake_error_last(p)->type, "rate_limit_error");
			continue; /* retry: the same call resumes the walk */
		}
		if (rc != 0)
			break;
		size_t k = backward ? n + 2 : 25 - n;
		assert_string_equal(fake_customer_id(obj), cus_id(k, want));
		seen[k]++;
		n++;
		assert_true(n <= 25);
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(rate_limited, 1);
	size_t total = backward ? 24 : 25;
	assert_int_equal(n, total);
	for (size_t k = backward ? 2 : 1; k <= 25; k++)
		assert_int_equal(seen[k], 1);
	/* three pages, and the one call the script answered */
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_CUSTOMERS) - calls, 4);
}

static void test_list_iter_retry_after_rate_limit(void **state)
{
	fake_processor *p = *state;
	cust_make(p, 25);
	check_iter_retry(p, false, 2); /* the second page fetch */
	check_iter_retry(p, false, 3); /* the third */
	check_iter_retry(p, false, 1); /* the very first */
	check_iter_retry(p, true, 2);  /* walking towards newer objects */
}

static void test_list_iter_bad_use(void **state)
{
	fake_processor *p = *state;
	fake_list_iter it;
	const void *obj = SENTINEL;

	cust_make(p, 1);
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, NULL, NULL);
	assert_int_equal(fake_list_iter_next(NULL, &it), FAKE_EINVAL);
	assert_int_equal(fake_list_iter_next(&obj, NULL), FAKE_EINVAL);

	fake_list_iter_init(&it, p, FAKE_OP_RETRIEVE_CUSTOMER, NULL, NULL);
	obj = SENTINEL;
	assert_int_equal(fake_list_iter_next(&obj, &it), FAKE_EINVAL);
	assert_null(obj);

	/* a bad page in the params surfaces from the list operation */
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 101;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	obj = SENTINEL;
	check_fails(p, fake_list_iter_next(&obj, &it), FAKE_EINVAL, NULL, "limit");
	assert_null(obj);
}

/* ---- other lists ----------------------------------------------------------- */

static void test_list_events_cursors(void **state)
{
	fake_processor *p = *state;
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	fake_list page;

	cust_make(p, 6); /* evt 1..6 */
	lp.page.limit = 2;
	lp.page.starting_after = "evt_fake_00004";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_true(page.has_more);
	assert_string_equal(fake_event_id(page.data[0]), "evt_fake_00003");
	assert_string_equal(fake_event_id(page.data[1]), "evt_fake_00002");

	lp.page.starting_after = NULL;
	lp.page.ending_before = "evt_fake_00004";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_false(page.has_more);
	assert_string_equal(fake_event_id(page.data[0]), "evt_fake_00006");
	assert_string_equal(fake_event_id(page.data[1]), "evt_fake_00005");

	lp.page.ending_before = "evt_fake_00099";
	page.count = 9;
	check_fails(p, fake_event_list(&page, p, &lp, NULL), FAKE_ENOTFOUND, "resource_missing", NULL);
	assert_int_equal(page.count, 0);

	lp.page.ending_before = "evt_fake_00004";
	lp.page.starting_after = "evt_fake_00002";
	check_fails(p, fake_event_list(&page, p, &lp, NULL), FAKE_EINVAL, NULL, NULL);

	lp.page.ending_before = NULL;
	lp.page.starting_after = NULL;
	lp.page.limit = 101;
	check_fails(p, fake_event_list(&page, p, &lp, NULL), FAKE_EINVAL, NULL, "limit");
}

static void test_list_payment_methods_limit(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *pm = NULL;
	fake_list page;

	cust_make(p, 1);
	ap.customer = "cus_fake_00001";
	for (int i = 0; i < 12; i++)
		check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	lp.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 10);
	assert_true(page.has_more);
	assert_string_equal(fake_payment_method_id(page.data[0]), "pm_fake_00012");

	lp.page.limit = -1;
	check_fails(p, fake_payment_method_list(&page, p, &lp, NULL), FAKE_EINVAL, NULL, "limit");
	lp.page.limit = 101;
	check_fails(p, fake_payment_method_list(&page, p, &lp, NULL), FAKE_EINVAL, NULL, "limit");
	assert_int_equal(page.count, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_list_customers_empty),
		T(test_list_customers_newest_first_default_limit),
		T(test_list_customers_limit_bounds),
		T(test_list_customers_limit_100_with_more),
		T(test_list_customers_starting_after),
		T(test_list_customers_ending_before),
		T(test_list_customers_pages_chain),
		T(test_list_customers_both_cursors),
		T(test_list_customers_unknown_cursor),
		T(test_list_customers_email_filter),
		T(test_list_customers_skips_deleted),
		T(test_list_customers_counted),
		T(test_list_iter_walks_all_pages),
		T(test_list_iter_exact_page_multiple),
		T(test_list_iter_empty),
		T(test_list_iter_ending_before_walks_newer),
		T(test_list_iter_starting_after),
		T(test_list_iter_payment_methods),
		T(test_list_iter_events_with_type),
		T(test_list_iter_error_stops_walk),
		T(test_list_iter_retry_after_rate_limit),
		T(test_list_iter_bad_use),
		T(test_list_events_cursors),
		T(test_list_payment_methods_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
