/*
 * Products: create, retrieve, update, list, the iterator, scripts and stubs,
 * and a table of bad calls. Every test starts from a fresh processor
 * (fixture_new / fixture_free); each bad-call row gets its own processor
 * seeded with a small world and checks that the call changed nothing.
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

static const fake_product *prod_new_inactive(fake_processor *p, const char *name)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;
	pp.name = name;
	pp.inactive = true;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	assert_non_null(prod);
	return prod;
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

/* Lists products with the active filter; the page goes to *page. */
static void prod_list(fake_processor *p, fake_active_filter active, fake_list *page)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	lp.active = active;
	check_ok(p, fake_product_list(page, p, &lp, NULL));
}

/* Asserts a page holds exactly the products named, in order. */
static void check_page_ids(const fake_list *page, const char *const *ids, size_t n)
{
	assert_int_equal(page->count, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(fake_object_id(page->data[i]), ids[i]);
}

/* ---- create ------------------------------------------------------------ */

static void test_product_create_assigns_sequential_ids(void **state)
{
	fake_processor *p = *state;
	const fake_product *a = prod_new(p, "A");
	const fake_product *b = prod_new(p, "B");

	assert_string_equal(fake_product_id(a), "prod_fake_00001");
	assert_string_equal(fake_product_id(b), "prod_fake_00002");
	assert_string_equal(fake_object_id(b), "prod_fake_00002");
}

static void test_product_create_defaults(void **state)
{
	fake_processor *p = *state;
	const fake_product *prod = prod_new(p, "Basic");

	assert_string_equal(fake_product_name(prod), "Basic");
	assert_null(fake_product_description(prod));
	assert_true(fake_product_active(prod));
	assert_int_equal(fake_metadata_count(fake_product_metadata(prod)), 0);
	assert_non_null(fake_product_metadata(prod));
	assert_int_equal(fake_product_created(prod), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_product_updated(prod), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_object_type_of(prod), FAKE_OBJECT_PRODUCT);
	assert_string_equal(fake_object_name(prod), "product");
	assert_int_equal(fake_object_created(prod), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_product_create_copies_fields(void **state)
{
	fake_processor *p = *state;
	char name[32], desc[32], key[8], value[8];
	fake_kv md[1];
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;

	strcpy(name, "Pro plan");
	strcpy(desc, "everything");
	strcpy(key, "tier");
	strcpy(value, "pro");
	md[0].key = key;
	md[0].value = value;
	pp.name = name;
	pp.description = desc;
	pp.metadata = md;
	pp.metadata_count = 1;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));

	/* the caller's buffers are reused: the product must hold copies */
	memset(name, 'x', sizeof name - 1);
	memset(desc, 'x', sizeof desc - 1);
	strcpy(key, "zzz");
	strcpy(value, "zzz");

	assert_string_equal(fake_product_name(prod), "Pro plan");
	assert_string_equal(fake_product_description(prod), "everything");
	assert_int_equal(fake_metadata_count(fake_product_metadata(prod)), 1);
	assert_string_equal(fake_metadata_get(fake_product_metadata(prod), "tier"), "pro");
}

static void test_product_create_inactive(void **state)
{
	fake_processor *p = *state;
	const fake_product *prod = prod_new_inactive(p, "Old plan");

	assert_false(fake_product_active(prod));
	assert_string_equal(fake_product_id(prod), "prod_fake_00001");
}

static void test_product_create_empty_description_is_not_set(void **state)
{
	fake_processor *p = *state;
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;

	pp.name = "N";
	pp.description = "";
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	assert_null(fake_product_description(prod));
}

static void test_product_create_times_follow_clock(void **state)
{
	fake_processor *p = *state;
	const fake_product *a = prod_new(p, "A");

	check_ok(p, fake_clock_advance(p, 86400));
	const fake_product *b = prod_new(p, "B");

	assert_int_equal(fake_product_created(a), INT64_C(1767225600));
	assert_int_equal(fake_product_updated(a), INT64_C(1767225600));
	assert_int_equal(fake_product_created(b), INT64_C(1767312000));
	assert_int_equal(fake_product_updated(b), INT64_C(1767312000));
	assert_int_equal(fake_product_created(b), fake_clock_now(p));
}

static void test_product_create_emits_created_event(void **state)
{
	fake_processor *p = *state;
	const fake_product *prod = prod_new(p, "Basic");
	char rid[32];
	snprintf(rid, sizeof rid, "%s", fake_error_last(p)->request_id); /* before event_nth, itself a request */

	assert_int_equal(fake_event_count(p), 1);
	const fake_event *e = event_nth(p, 1);
	assert_string_equal(fake_event_type(e), "product.created");
	assert_int_equal(fake_event_created(e), FAKE_EPOCH_DEFAULT);
	const fake_product *snap = fake_event_object(e);
	assert_int_equal(fake_object_type_of(snap), FAKE_OBJECT_PRODUCT);
	assert_string_equal(fake_product_id(snap), "prod_fake_00001");
	assert_string_equal(fake_product_name(snap), "Basic");
	assert_ptr_not_equal(snap, prod);
	assert_null(fake_event_previous(e));
	assert_int_equal(fake_event_previous_attribute_count(e), 0);
	assert_string_equal(fake_event_request_id(e), rid);
}

static void test_product_create_at_length_limits(void **state)
{
	fake_processor *p = *state;
	static char name[FAKE_PRODUCT_NAME_MAX + 1];
	static char desc[FAKE_PRODUCT_DESCRIPTION_MAX + 1];
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;

	memset(name, 'n', FAKE_PRODUCT_NAME_MAX);
	memset(desc, 'd', FAKE_PRODUCT_DESCRIPTION_MAX);
	pp.name = name;
	pp.description = desc;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	assert_int_equal(strlen(fake_product_name(prod)), FAKE_PRODUCT_NAME_MAX);
	assert_int_equal(strlen(fake_product_description(prod)), FAKE_PRODUCT_DESCRIPTION_MAX);
}

static void test_product_create_requires_name(void **state)
{
	fake_processor *p = *state;
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = SENTINEL;

	pp.description = "no name";
	check_fails(p, fake_product_create(&prod, p, &pp, NULL), FAKE_EINVAL, "parameter_missing", "name");
	check_record(p, "invalid_request_error", 400);
	assert_null(prod);

	prod = SENTINEL;
	pp.name = "";
	check_fails(p, fake_product_create(&prod, p, &pp, NULL), FAKE_EINVAL, "parameter_invalid_empty", "name");
	check_record(p, "invalid_request_error", 400);
	assert_null(prod);

	assert_int_equal(fake_event_count(p), 0);
	assert_string_equal(fake_product_id(prod_new(p, "named")), "prod_fake_00001");
}

static void test_product_create_without_events(void **state)
{
	fake_processor *p = *state;
	fake_request rq = FAKE_REQUEST_INIT;
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;

	rq.no_events = true;
	pp.name = "Quiet";
	check_ok(p, fake_product_create(&prod, p, &pp, &rq));
	assert_string_equal(fake_product_id(prod), "prod_fake_00001");
	assert_int_equal(fake_event_count(p), 0);
}

/* ---- retrieve ---------------------------------------------------------- */

static void test_product_retrieve_returns_same_object(void **state)
{
	fake_processor *p = *state;
	const fake_product *prod = prod_new(p, "Basic");
	const fake_product *r = NULL;

	check_ok(p, fake_product_retrieve(&r, p, "prod_fake_00001", NULL));
	assert_ptr_equal(r, prod);
	assert_string_equal(fake_product_name(r), "Basic");
}

static void test_product_retrieve_unknown_id(void **state)
{
	fake_processor *p = *state;
	const fake_product *r = SENTINEL;

	prod_new(p, "Basic");
	check_fails(p, fake_product_retrieve(&r, p, "prod_x", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such product: 'prod_x'");
	assert_null(r);
}

/* ---- update ------------------------------------------------------------ */

static void test_product_update_changes_only_given_fields(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "tier", "basic" } };
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *prod = NULL, *u = NULL;

	pp.name = "Old name";
	pp.description = "desc";
	pp.metadata = md;
	pp.metadata_count = 1;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	check_ok(p, fake_clock_advance(p, 60));
	up.name = "New name";
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));

	assert_ptr_equal(u, prod); /* same address, current state */
	assert_string_equal(fake_product_name(prod), "New name");
	assert_string_equal(fake_product_description(prod), "desc");
	assert_true(fake_product_active(prod));
	assert_string_equal(fake_metadata_get(fake_product_metadata(prod), "tier"), "basic");
	assert_int_equal(fake_product_created(prod), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_product_updated(prod), FAKE_EPOCH_DEFAULT + 60);
}

static void test_product_update_emits_event_with_previous(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "tier", "gold" } };
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = NULL;

	prod_new(p, "Old name");
	check_ok(p, fake_clock_advance(p, 120));
	up.name = "New name";
	up.metadata = md;
	up.metadata_count = 1;
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	char rid[32];
	snprintf(rid, sizeof rid, "%s", fake_error_last(p)->request_id);

	assert_int_equal(fake_event_count(p), 2);
	const fake_event *e = event_nth(p, 2);
	assert_string_equal(fake_event_type(e), "product.updated");
	assert_int_equal(fake_event_created(e), FAKE_EPOCH_DEFAULT + 120);
	assert_string_equal(fake_event_request_id(e), rid);

	const fake_product *now = fake_event_object(e);
	const fake_product *before = fake_event_previous(e);
	assert_non_null(now);
	assert_non_null(before);
	assert_int_equal(fake_object_type_of(before), FAKE_OBJECT_PRODUCT);
	assert_string_equal(fake_product_id(before), "prod_fake_00001");
	assert_string_equal(fake_product_name(before), "Old name");
	assert_string_equal(fake_product_name(now), "New name");
	assert_int_equal(fake_product_updated(before), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_product_updated(now), FAKE_EPOCH_DEFAULT + 120);
	assert_int_equal(fake_metadata_count(fake_product_metadata(before)), 0);
	assert_string_equal(fake_metadata_get(fake_product_metadata(now), "tier"), "gold");

	/* alphabetical, and only what changed */
	assert_int_equal(fake_event_previous_attribute_count(e), 3);
	assert_string_equal(fake_event_previous_attribute(e, 0), "metadata");
	assert_string_equal(fake_event_previous_attribute(e, 1), "name");
	assert_string_equal(fake_event_previous_attribute(e, 2), "updated");
	assert_null(fake_event_previous_attribute(e, 3));
}

static void test_product_update_archive_and_restore(void **state)
{
	fake_processor *p = *state;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = NULL;

	const fake_product *prod = prod_new(p, "Basic");
	check_ok(p, fake_clock_advance(p, 10));
	up.active = FAKE_ACTIVE_CLEAR;
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	assert_false(fake_product_active(prod));
	const fake_event *e = event_nth(p, 2);
	assert_string_equal(fake_event_type(e), "product.updated");
	assert_int_equal(fake_event_previous_attribute_count(e), 2);
	assert_string_equal(fake_event_previous_attribute(e, 0), "active");
	assert_string_equal(fake_event_previous_attribute(e, 1), "updated");
	assert_true(fake_product_active(fake_event_previous(e)));
	assert_false(fake_product_active(fake_event_object(e)));

	/* archiving it again changes nothing */
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	assert_int_equal(fake_event_count(p), 2);

	check_ok(p, fake_clock_advance(p, 10));
	up.active = FAKE_ACTIVE_SET;
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	assert_true(fake_product_active(prod));
	assert_int_equal(fake_product_updated(prod), FAKE_EPOCH_DEFAULT + 20);
	assert_int_equal(fake_event_count(p), 3);
}

static void test_product_update_without_change_emits_no_event(void **state)
{
	fake_processor *p = *state;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = NULL;

	const fake_product *prod = prod_new(p, "Same");
	check_ok(p, fake_clock_advance(p, 30));

	/* nothing given */
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	assert_ptr_equal(u, prod);
	/* the values it already has */
	up.name = "Same";
	up.description = ""; /* it has none: clearing is no change */
	up.active = FAKE_ACTIVE_SET;
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	assert_ptr_equal(u, prod);
	/* params NULL */
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", NULL, NULL));
	assert_ptr_equal(u, prod);

	assert_int_equal(fake_event_count(p), 1);
	assert_int_equal(fake_product_updated(prod), FAKE_EPOCH_DEFAULT); /* untouched by a no-op */
}

/* When the change happens in the same second as the last one, `updated`
 * keeps its value, so it is not among the changed fields. */
static void test_product_update_in_same_second_does_not_list_updated(void **state)
{
	fake_processor *p = *state;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = NULL;

	prod_new(p, "A");
	up.name = "B";
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	const fake_event *e = event_nth(p, 2);
	assert_int_equal(fake_event_previous_attribute_count(e), 1);
	assert_string_equal(fake_event_previous_attribute(e, 0), "name");
	assert_int_equal(fake_product_updated(u), FAKE_EPOCH_DEFAULT);
}

static void test_product_update_description_empty_clears(void **state)
{
	fake_processor *p = *state;
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *prod = NULL, *u = NULL;

	pp.name = "Keep";
	pp.description = "to be cleared";
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	check_ok(p, fake_clock_advance(p, 5));
	up.description = "";
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));

	assert_null(fake_product_description(u));
	assert_string_equal(fake_product_name(u), "Keep");
	const fake_event *e = event_nth(p, 2);
	assert_int_equal(fake_event_previous_attribute_count(e), 2);
	assert_string_equal(fake_event_previous_attribute(e, 0), "description");
	assert_string_equal(fake_event_previous_attribute(e, 1), "updated");
	assert_string_equal(fake_product_description(fake_event_previous(e)), "to be cleared");
	assert_null(fake_product_description(fake_event_object(e)));
}

static void test_product_update_name_cannot_be_cleared(void **state)
{
	fake_processor *p = *state;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = SENTINEL;

	const fake_product *prod = prod_new(p, "Keep");
	up.name = "";
	up.description = "would be set"; /* must not be applied either */
	check_fails(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL), FAKE_EINVAL,
		    "parameter_invalid_empty", "name");
	check_record(p, "invalid_request_error", 400);
	assert_null(u);
	assert_string_equal(fake_product_name(prod), "Keep");
	assert_null(fake_product_description(prod));
	assert_int_equal(fake_event_count(p), 1);
}

static void test_product_update_metadata_merges_and_clears(void **state)
{
	fake_processor *p = *state;
	const fake_kv md0[] = { { "a", "1" }, { "b", "2" } };
	const fake_kv md1[] = { { "a", "" }, { "c", "3" } };
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *prod = NULL;

	pp.name = "M";
	pp.metadata = md0;
	pp.metadata_count = 2;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	up.metadata = md1;
	up.metadata_count = 2;
	check_ok(p, fake_product_update(&prod, p, "prod_fake_00001", &up, NULL));
	const fake_metadata *m = fake_product_metadata(prod);
	assert_int_equal(fake_metadata_count(m), 2);
	assert_string_equal(fake_metadata_key(m, 0), "b");
	assert_string_equal(fake_metadata_key(m, 1), "c");
	assert_null(fake_metadata_get(m, "a"));

	fake_product_update_params up2 = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up2.metadata_clear = true;
	check_ok(p, fake_product_update(&prod, p, "prod_fake_00001", &up2, NULL));
	assert_int_equal(fake_metadata_count(fake_product_metadata(prod)), 0);
	assert_int_equal(fake_event_count(p), 3);
}

static void test_product_update_event_snapshot_is_frozen(void **state)
{
	fake_processor *p = *state;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = NULL;

	prod_new(p, "v1");
	up.name = "v2";
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));
	up.name = "v3";
	check_ok(p, fake_product_update(&u, p, "prod_fake_00001", &up, NULL));

	assert_string_equal(fake_product_name(fake_event_object(event_nth(p, 1))), "v1");
	assert_string_equal(fake_product_name(fake_event_object(event_nth(p, 2))), "v2");
	assert_string_equal(fake_product_name(fake_event_previous(event_nth(p, 2))), "v1");
	assert_string_equal(fake_product_name(fake_event_previous(event_nth(p, 3))), "v2");
	assert_string_equal(fake_product_name(u), "v3");
}

static void test_product_update_unknown_id(void **state)
{
	fake_processor *p = *state;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = SENTINEL;

	up.name = "x";
	check_fails(p, fake_product_update(&u, p, "prod_fake_00042", &up, NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such product: 'prod_fake_00042'");
	assert_null(u);
	assert_int_equal(fake_event_count(p), 0);
}

/* ---- list -------------------------------------------------------------- */

static void test_product_list_newest_first(void **state)
{
	fake_processor *p = *state;
	fake_list page;
	static const char *const want[] = { "prod_fake_00003", "prod_fake_00002", "prod_fake_00001" };

	prod_new(p, "A");
	prod_new(p, "B");
	prod_new(p, "C");
	check_ok(p, fake_product_list(&page, p, NULL, NULL));
	check_page_ids(&page, want, 3);
	assert_false(page.has_more);
}

static void test_product_list_active_filters(void **state)
{
	fake_processor *p = *state;
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	const fake_product *u = NULL;
	fake_list page;
	static const char *const all[] = { "prod_fake_00004", "prod_fake_00003", "prod_fake_00002",
					   "prod_fake_00001" };
	static const char *const active[] = { "prod_fake_00004", "prod_fake_00001" };
	static const char *const inactive[] = { "prod_fake_00003", "prod_fake_00002" };

	prod_new(p, "A");
	prod_new_inactive(p, "B");
	prod_new(p, "C");
	prod_new(p, "D");
	up.active = FAKE_ACTIVE_CLEAR; /* archived later: filtered by its current state */
	check_ok(p, fake_product_update(&u, p, "prod_fake_00003", &up, NULL));

	prod_list(p, FAKE_ACTIVE_ANY, &page);
	check_page_ids(&page, all, 4);
	prod_list(p, FAKE_ACTIVE_ONLY, &page);
	check_page_ids(&page, active, 2);
	prod_list(p, FAKE_INACTIVE_ONLY, &page);
	check_page_ids(&page, inactive, 2);
}

static void test_product_list_pagination(void **state)
{
	fake_processor *p = *state;
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	fake_list page;
	static const char *const first[] = { "prod_fake_00005", "prod_fake_00004" };
	static const char *const second[] = { "prod_fake_00003", "prod_fake_00002" };
	static const char *const last[] = { "prod_fake_00001" };
	static const char *const newer[] = { "prod_fake_00004", "prod_fake_00003" };

	for (int i = 0; i < 5; i++)
		prod_new(p, "P");
	lp.page.limit = 2;
	check_ok(p, fake_product_list(&page, p, &lp, NULL));
	check_page_ids(&page, first, 2);
	assert_true(page.has_more);
	lp.page.starting_after = "prod_fake_00004";
	check_ok(p, fake_product_list(&page, p, &lp, NULL));
	check_page_ids(&page, second, 2);
	assert_true(page.has_more);
	lp.page.starting_after = "prod_fake_00002";
	check_ok(p, fake_product_list(&page, p, &lp, NULL));
	check_page_ids(&page, last, 1);
	assert_false(page.has_more);

	lp.page.starting_after = NULL;
	lp.page.ending_before = "prod_fake_00002";
	check_ok(p, fake_product_list(&page, p, &lp, NULL));
	check_page_ids(&page, newer, 2);
	assert_true(page.has_more);
}

static void test_product_list_iterator(void **state)
{
	fake_processor *p = *state;
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	fake_list_iter it;
	const void *o = NULL;
	static const char *const want[] = { "prod_fake_00006", "prod_fake_00004", "prod_fake_00003",
					    "prod_fake_00001" };
	size_t n = 0;

	prod_new(p, "1");
	prod_new_inactive(p, "2");
	prod_new(p, "3");
	prod_new(p, "4");
	prod_new_inactive(p, "5");
	prod_new(p, "6");
	lp.page.limit = 3;
	lp.active = FAKE_ACTIVE_ONLY;
	uint64_t calls = fake_call_count(p, FAKE_OP_LIST_PRODUCTS);
	fake_list_iter_init(&it, p, FAKE_OP_LIST_PRODUCTS, &lp, NULL);
	int rc;
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		assert_true(n < 4);
		assert_int_equal(fake_object_type_of(o), FAKE_OBJECT_PRODUCT);
		assert_string_equal(fake_product_id(o), want[n]);
		assert_true(fake_product_active(o));
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_null(o);
	assert_int_equal(n, 4);
	/* two pages: each is one counted call of list_products */
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_PRODUCTS) - calls, 2);
}

/* ---- scripts and stubs ------------------------------------------------- */

static void test_product_script_error_on_create(void **state)
{
	fake_processor *p = *state;
	fake_script s = fake_script_rate_limit(2);
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	const fake_product *prod = SENTINEL;
	fake_list page;

	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PRODUCT, &s, 1));
	pp.name = "Scripted";
	check_fails(p, fake_product_create(&prod, p, &pp, NULL), FAKE_ERATELIMIT, "rate_limit", "");
	check_record(p, "rate_limit_error", 429);
	assert_int_equal(fake_error_last(p)->retry_after, 2);
	assert_null(prod);
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_PRODUCT), 1);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_PRODUCT), 0);
	assert_int_equal(fake_event_count(p), 0);
	prod_list(p, FAKE_ACTIVE_ANY, &page);
	assert_int_equal(page.count, 0);

	/* the script is used up: the next call runs the default behaviour */
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	assert_string_equal(fake_product_id(prod), "prod_fake_00001");
	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_PRODUCT), 2);
}

typedef struct stub_seen {
	int calls;
	char id[32];
} stub_seen;

/* Answers retrieve_product with prod_fake_00002, whatever was asked. */
static int stub_retrieve_other(void *out, fake_processor *p, const fake_call *call, fake_error *error,
			       void *user_data)
{
	(void)error;
	stub_seen *seen = user_data;
	seen->calls++;
	snprintf(seen->id, sizeof seen->id, "%s", call->id ? call->id : "(null)");
	assert_int_equal(call->op, FAKE_OP_RETRIEVE_PRODUCT);
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	fake_list page;
	int rc = fake_product_list(&page, p, &lp, NULL); /* the stub may call back in */
	if (rc)
		return rc;
	for (size_t i = 0; i < page.count; i++)
		if (strcmp(fake_object_id(page.data[i]), "prod_fake_00002") == 0)
			*(const void **)out = page.data[i];
	return 0;
}

static void test_product_stub_answers_retrieve(void **state)
{
	fake_processor *p = *state;
	stub_seen seen = { 0, "" };
	const fake_product *r = NULL;

	prod_new(p, "One");
	const fake_product *two = prod_new(p, "Two");
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_PRODUCT, stub_retrieve_other, &seen));
	check_ok(p, fake_product_retrieve(&r, p, "prod_fake_00001", NULL));
	assert_ptr_equal(r, two);
	assert_int_equal(seen.calls, 1);
	assert_string_equal(seen.id, "prod_fake_00001");
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_PRODUCT), 1);

	/* removed: the default behaviour again */
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_PRODUCT, NULL, NULL));
	check_ok(p, fake_product_retrieve(&r, p, "prod_fake_00001", NULL));
	assert_string_equal(fake_product_name(r), "One");
	assert_int_equal(seen.calls, 1);
}

static void test_product_accessors_accept_null(void **state)
{
	(void)state;
	assert_null(fake_product_id(NULL));
	assert_int_equal(fake_product_created(NULL), 0);
	assert_int_equal(fake_product_updated(NULL), 0);
	assert_null(fake_product_name(NULL));
	assert_null(fake_product_description(NULL));
	assert_false(fake_product_active(NULL));
	assert_null(fake_product_metadata(NULL));
}

/* ---- bad calls: one seeded processor per row ----------------------------- */

/*
 * The seeded world:
 *   prod_fake_00001  "Basic", description "The basic plan", metadata tier=basic
 *   prod_fake_00002  "Legacy", inactive
 *   price_fake_00001 prod_fake_00001, usd 1000 monthly, lookup key basic_monthly
 *   clock            epoch + 3600; 3 events
 */
static void seed_world(fake_processor *p)
{
	const fake_kv md[] = { { "tier", "basic" } };
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	const fake_product *prod = NULL;
	const fake_price *price = NULL;

	check_ok(p, fake_clock_advance(p, 3600));
	pp.name = "Basic";
	pp.description = "The basic plan";
	pp.metadata = md;
	pp.metadata_count = 1;
	check_ok(p, fake_product_create(&prod, p, &pp, NULL));
	fake_product_create_params pp2 = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp2.name = "Legacy";
	pp2.inactive = true;
	check_ok(p, fake_product_create(&prod, p, &pp2, NULL));
	cp.currency = "usd";
	cp.unit_amount = 1000;
	cp.product = "prod_fake_00001";
	cp.interval = FAKE_INTERVAL_MONTH;
	cp.lookup_key = "basic_monthly";
	check_ok(p, fake_price_create(&price, p, &cp, NULL));
	assert_string_equal(fake_price_id(price), "price_fake_00001");
	assert_int_equal(fake_event_count(p), 3);
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
		buf_add(b, "%s %s %s %lld %s/%u key=%s nick=%s active=%d", fake_price_id(price),
			fake_price_product(price), fake_price_currency(price), (long long)fake_price_unit_amount(price),
			or_null(fake_price_interval_name(price)), fake_price_interval_count(price),
			or_null(fake_price_lookup_key(price)), or_null(fake_price_nickname(price)),
			(int)fake_price_active(price));
		add_metadata(b, fake_price_metadata(price));
		buf_add(b, "\n");
	}
	prod_list(p, FAKE_ACTIVE_ANY, &page);
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
	const fake_product *prod = prod_new(p, "probe");
	assert_string_equal(fake_product_id(prod), "prod_fake_00003");
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	const fake_price *price = NULL;
	cp.currency = "usd";
	cp.unit_amount = 1;
	cp.product = "prod_fake_00003";
	check_ok(p, fake_price_create(&price, p, &cp, NULL));
	assert_string_equal(fake_price_id(price), "price_fake_00002");
	assert_string_equal(fake_event_id(event_nth(p, 5)), "evt_fake_00005");
	assert_string_equal(fake_event_type(event_nth(p, 4)), "product.created");
	assert_string_equal(fake_event_type(event_nth(p, 5)), "price.created");
	assert_int_equal(fake_event_count(p), 5);
}

static char long_str[FAKE_PRODUCT_DESCRIPTION_MAX + 2];

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

static int create_with(fake_processor *p, const fake_product_create_params *pp, bool *cleared)
{
	const fake_product *prod = SENTINEL;
	int rc = fake_product_create(&prod, p, pp, NULL);
	*cleared = prod == NULL;
	return rc;
}

static int update_with(fake_processor *p, const char *id, const fake_product_update_params *up, bool *cleared)
{
	const fake_product *prod = SENTINEL;
	int rc = fake_product_update(&prod, p, id, up, NULL);
	*cleared = prod == NULL;
	return rc;
}

static int list_with(fake_processor *p, const fake_product_list_params *lp, bool *cleared)
{
	fake_list page;
	page.count = 7;
	page.has_more = true;
	int rc = fake_product_list(&page, p, lp, NULL);
	*cleared = page.count == 0 && !page.has_more;
	return rc;
}

static int bad_create_null_params(fake_processor *p, bool *cleared)
{
	return create_with(p, NULL, cleared);
}

static int bad_create_name_missing(fake_processor *p, bool *cleared)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.description = "no name";
	return create_with(p, &pp, cleared);
}

static int bad_create_name_empty(fake_processor *p, bool *cleared)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.name = "";
	return create_with(p, &pp, cleared);
}

static int bad_create_name_too_long(fake_processor *p, bool *cleared)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.name = str_of('n', FAKE_PRODUCT_NAME_MAX + 1);
	return create_with(p, &pp, cleared);
}

static int bad_create_description_too_long(fake_processor *p, bool *cleared)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.name = "ok";
	pp.description = str_of('d', FAKE_PRODUCT_DESCRIPTION_MAX + 1);
	return create_with(p, &pp, cleared);
}

static int bad_create_version(fake_processor *p, bool *cleared)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.version = FAKE_PRODUCT_CREATE_PARAMS_VERSION + 1;
	pp.name = "ok";
	return create_with(p, &pp, cleared);
}

static int bad_create_metadata_null_value(fake_processor *p, bool *cleared)
{
	const fake_kv md[] = { { "plan", NULL } };
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.name = "ok";
	pp.metadata = md;
	pp.metadata_count = 1;
	return create_with(p, &pp, cleared);
}

static int bad_create_metadata_count_without_pairs(fake_processor *p, bool *cleared)
{
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.name = "ok";
	pp.metadata_count = 2;
	return create_with(p, &pp, cleared);
}

static int bad_retrieve_unknown(fake_processor *p, bool *cleared)
{
	const fake_product *prod = SENTINEL;
	int rc = fake_product_retrieve(&prod, p, "prod_x", NULL);
	*cleared = prod == NULL;
	return rc;
}

static int bad_retrieve_price_id(fake_processor *p, bool *cleared)
{
	const fake_product *prod = SENTINEL;
	int rc = fake_product_retrieve(&prod, p, "price_fake_00001", NULL);
	*cleared = prod == NULL;
	return rc;
}

static int bad_retrieve_null_id(fake_processor *p, bool *cleared)
{
	const fake_product *prod = SENTINEL;
	int rc = fake_product_retrieve(&prod, p, NULL, NULL);
	*cleared = prod == NULL;
	return rc;
}

static int bad_update_unknown(fake_processor *p, bool *cleared)
{
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = "x";
	return update_with(p, "prod_x", &up, cleared);
}

static int bad_update_name_empty(fake_processor *p, bool *cleared)
{
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = "";
	up.active = FAKE_ACTIVE_CLEAR;
	return update_with(p, "prod_fake_00001", &up, cleared);
}

static int bad_update_name_too_long(fake_processor *p, bool *cleared)
{
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = str_of('n', FAKE_PRODUCT_NAME_MAX + 1);
	return update_with(p, "prod_fake_00001", &up, cleared);
}

static int bad_update_description_too_long(fake_processor *p, bool *cleared)
{
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = "changed";
	up.description = str_of('d', FAKE_PRODUCT_DESCRIPTION_MAX + 1);
	return update_with(p, "prod_fake_00001", &up, cleared);
}

static int bad_update_active_value(fake_processor *p, bool *cleared)
{
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = "changed";
	up.active = (fake_active_change)7;
	return update_with(p, "prod_fake_00001", &up, cleared);
}

static int bad_update_version(fake_processor *p, bool *cleared)
{
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.version = 0;
	up.name = "changed";
	return update_with(p, "prod_fake_00001", &up, cleared);
}

static int bad_update_metadata_over_limit(fake_processor *p, bool *cleared)
{
	/* 1 existing key (tier) + 50 new ones = 51 after the merge */
	static char keys[FAKE_METADATA_MAX_KEYS][8];
	fake_kv md[FAKE_METADATA_MAX_KEYS];
	for (int i = 0; i < FAKE_METADATA_MAX_KEYS; i++) {
		snprintf(keys[i], sizeof keys[i], "k%02d", i);
		md[i].key = keys[i];
		md[i].value = "v";
	}
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = "changed";
	up.metadata = md;
	up.metadata_count = FAKE_METADATA_MAX_KEYS;
	return update_with(p, "prod_fake_00001", &up, cleared);
}

static int bad_list_limit(fake_processor *p, bool *cleared)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.page.limit = FAKE_LIST_LIMIT_MAX + 1;
	return list_with(p, &lp, cleared);
}

static int bad_list_active_filter(fake_processor *p, bool *cleared)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.active = (fake_active_filter)9;
	return list_with(p, &lp, cleared);
}

static int bad_list_unknown_cursor(fake_processor *p, bool *cleared)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.page.starting_after = "prod_fake_00042";
	return list_with(p, &lp, cleared);
}

static int bad_list_price_as_cursor(fake_processor *p, bool *cleared)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.page.ending_before = "price_fake_00001";
	return list_with(p, &lp, cleared);
}

static int bad_list_both_cursors(fake_processor *p, bool *cleared)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.page.starting_after = "prod_fake_00002";
	lp.page.ending_before = "prod_fake_00001";
	return list_with(p, &lp, cleared);
}

static int bad_list_version(fake_processor *p, bool *cleared)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.version = 99;
	return list_with(p, &lp, cleared);
}

#define BAD(fn, st, code, param, msg) { #fn, fn, st, code, param, msg }

static bad_case bad_cases[] = {
	BAD(bad_create_null_params, FAKE_EINVAL, "parameter_missing", "name", "Missing required param: name."),
	BAD(bad_create_name_missing, FAKE_EINVAL, "parameter_missing", "name", "Missing required param: name."),
	BAD(bad_create_name_empty, FAKE_EINVAL, "parameter_invalid_empty", "name", NULL),
	BAD(bad_create_name_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "name", NULL),
	BAD(bad_create_description_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "description", NULL),
	BAD(bad_create_version, FAKE_EINVAL, "parameter_invalid_integer", "version", NULL),
	BAD(bad_create_metadata_null_value, FAKE_EINVAL, "parameter_missing", "metadata[plan]", NULL),
	BAD(bad_create_metadata_count_without_pairs, FAKE_EINVAL, "parameter_missing", "metadata", NULL),
	BAD(bad_retrieve_unknown, FAKE_ENOTFOUND, "resource_missing", "id", "No such product: 'prod_x'"),
	BAD(bad_retrieve_price_id, FAKE_ENOTFOUND, "resource_missing", "id", "No such product: 'price_fake_00001'"),
	BAD(bad_retrieve_null_id, FAKE_EINVAL, "parameter_missing", "id", NULL),
	BAD(bad_update_unknown, FAKE_ENOTFOUND, "resource_missing", "id", "No such product: 'prod_x'"),
	BAD(bad_update_name_empty, FAKE_EINVAL, "parameter_invalid_empty", "name", NULL),
	BAD(bad_update_name_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "name", NULL),
	BAD(bad_update_description_too_long, FAKE_EINVAL, "parameter_invalid_string_too_long", "description", NULL),
	BAD(bad_update_active_value, FAKE_EINVAL, "", "active", NULL),
	BAD(bad_update_version, FAKE_EINVAL, "parameter_invalid_integer", "version", NULL),
	BAD(bad_update_metadata_over_limit, FAKE_EINVAL, "parameter_invalid_metadata", "metadata", NULL),
	BAD(bad_list_limit, FAKE_EINVAL, "parameter_invalid_integer", "limit", NULL),
	BAD(bad_list_active_filter, FAKE_EINVAL, "", "active", NULL),
	BAD(bad_list_unknown_cursor, FAKE_ENOTFOUND, "resource_missing", "starting_after", NULL),
	BAD(bad_list_price_as_cursor, FAKE_ENOTFOUND, "resource_missing", "ending_before", NULL),
	BAD(bad_list_both_cursors, FAKE_EINVAL, "", "ending_before", NULL),
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
	T(test_product_create_assigns_sequential_ids),
	T(test_product_create_defaults),
	T(test_product_create_copies_fields),
	T(test_product_create_inactive),
	T(test_product_create_empty_description_is_not_set),
	T(test_product_create_times_follow_clock),
	T(test_product_create_emits_created_event),
	T(test_product_create_at_length_limits),
	T(test_product_create_requires_name),
	T(test_product_create_without_events),
	T(test_product_retrieve_returns_same_object),
	T(test_product_retrieve_unknown_id),
	T(test_product_update_changes_only_given_fields),
	T(test_product_update_emits_event_with_previous),
	T(test_product_update_archive_and_restore),
	T(test_product_update_without_change_emits_no_event),
	T(test_product_update_in_same_second_does_not_list_updated),
	T(test_product_update_description_empty_clears),
	T(test_product_update_name_cannot_be_cleared),
	T(test_product_update_metadata_merges_and_clears),
	T(test_product_update_event_snapshot_is_frozen),
	T(test_product_update_unknown_id),
	T(test_product_list_newest_first),
	T(test_product_list_active_filters),
	T(test_product_list_pagination),
	T(test_product_list_iterator),
	T(test_product_script_error_on_create),
	T(test_product_stub_answers_retrieve),
	T(test_product_accessors_accept_null),
};

#define N_UNIT (sizeof unit_tests / sizeof unit_tests[0])

int main(void)
{
	static struct CMUnitTest tests[N_UNIT + N_BAD];
	static char names[N_BAD][96];

	for (size_t i = 0; i < N_UNIT; i++)
		tests[i] = unit_tests[i];
	for (size_t i = 0; i < N_BAD; i++) {
		/* "bad_create_name_empty" becomes "test_product_rejects_create_name_empty" */
		snprintf(names[i], sizeof names[i], "test_product_rejects_%s", bad_cases[i].name + 4);
		tests[N_UNIT + i].name = names[i];
		tests[N_UNIT + i].test_func = run_bad_case;
		tests[N_UNIT + i].setup_func = NULL;
		tests[N_UNIT + i].teardown_func = NULL;
		tests[N_UNIT + i].initial_state = &bad_cases[i];
	}
	return cmocka_run_group_tests_name("product", tests, NULL, NULL);
}
