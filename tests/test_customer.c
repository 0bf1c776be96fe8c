/*
 * Customers: create, retrieve, update, delete, default payment method.
 * Every test starts from a fresh processor (fixture_new / fixture_free).
 */
#include "helpers.h"

/* A non-NULL pointer that no call returns: outs are preset to it so a test
 * can see that a failing call really wrote NULL. */
static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

static const fake_customer *cust_new(fake_processor *p, const char *email)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	cp.email = email;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_non_null(c);
	return c;
}

/* Customers that are listed (not deleted); at most 100. */
static size_t cust_listed(fake_processor *p)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	return page.count;
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

static bool event_has_attr(const fake_event *e, const char *name)
{
	for (size_t i = 0; i < fake_event_previous_attribute_count(e); i++)
		if (strcmp(fake_event_previous_attribute(e, i), name) == 0)
			return true;
	return false;
}

static void check_record(fake_processor *p, const char *type, int http)
{
	const fake_error *e = fake_error_last(p);
	assert_non_null(e);
	assert_string_equal(e->type, type);
	assert_int_equal(e->http_status, http);
}

/* Creates a customer and asserts the id it gets: proves which ids were used. */
static void check_next_customer_id(fake_processor *p, const char *want)
{
	const fake_customer *c = cust_new(p, NULL);
	assert_string_equal(fake_customer_id(c), want);
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

/* ---- create ------------------------------------------------------------ */

static void test_customer_create_assigns_sequential_ids(void **state)
{
	fake_processor *p = *state;
	const fake_customer *a = cust_new(p, NULL);
	const fake_customer *b = cust_new(p, NULL);
	const fake_customer *c = cust_new(p, NULL);

	assert_string_equal(fake_customer_id(a), "cus_fake_00001");
	assert_string_equal(fake_customer_id(b), "cus_fake_00002");
	assert_string_equal(fake_customer_id(c), "cus_fake_00003");
	assert_string_equal(fake_object_id(b), "cus_fake_00002");
}

static void test_customer_create_empty_customer_defaults(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;

	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_non_null(c);
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_int_equal(fake_customer_created(c), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_customer_created(c), INT64_C(1767225600));
	assert_null(fake_customer_email(c));
	assert_null(fake_customer_name(c));
	assert_null(fake_customer_description(c));
	assert_null(fake_customer_phone(c));
	assert_null(fake_customer_default_payment_method(c));
	assert_null(fake_customer_test_clock(c));
	assert_int_equal(fake_metadata_count(fake_customer_metadata(c)), 0);
	assert_false(fake_customer_deleted(c));
	assert_int_equal(fake_customer_balance(c), 0);
	assert_int_equal(fake_object_type_of(c), FAKE_OBJECT_CUSTOMER);
	assert_string_equal(fake_object_name(c), "customer");
	assert_int_equal(fake_object_created(c), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_customer_create_copies_fields(void **state)
{
	fake_processor *p = *state;
	char email[32], name[32], desc[32], phone[32], key[8], value[8];
	fake_kv md[1];
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	strcpy(email, "jenny@example.com");
	strcpy(name, "Jenny Rosen");
	strcpy(desc, "first customer");
	strcpy(phone, "+15555550100");
	strcpy(key, "plan");
	strcpy(value, "gold");
	md[0].key = key;
	md[0].value = value;
	cp.email = email;
	cp.name = name;
	cp.description = desc;
	cp.phone = phone;
	cp.metadata = md;
	cp.metadata_count = 1;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));

	/* The caller's buffers are reused: the customer must hold copies. */
	memset(email, 'x', sizeof email - 1);
	memset(name, 'x', sizeof name - 1);
	memset(desc, 'x', sizeof desc - 1);
	memset(phone, 'x', sizeof phone - 1);
	strcpy(key, "zzz");
	strcpy(value, "zzz");

	assert_string_equal(fake_customer_email(c), "jenny@example.com");
	assert_string_equal(fake_customer_name(c), "Jenny Rosen");
	assert_string_equal(fake_customer_description(c), "first customer");
	assert_string_equal(fake_customer_phone(c), "+15555550100");
	assert_int_equal(fake_metadata_count(fake_customer_metadata(c)), 1);
	assert_string_equal(fake_metadata_get(fake_customer_metadata(c), "plan"), "gold");
	assert_null(fake_metadata_get(fake_customer_metadata(c), "zzz"));
}

static void test_customer_create_created_follows_clock(void **state)
{
	fake_processor *p = *state;
	const fake_customer *a = cust_new(p, NULL);

	check_ok(p, fake_clock_advance(p, 86400));
	const fake_customer *b = cust_new(p, NULL);

	assert_int_equal(fake_customer_created(a), INT64_C(1767225600));
	assert_int_equal(fake_customer_created(b), INT64_C(1767312000));
	assert_int_equal(fake_customer_created(b), fake_clock_now(p));
}

static void test_customer_create_failure_does_not_consume_id(void **state)
{
	fake_processor *p = *state;
	char email[FAKE_CUSTOMER_EMAIL_MAX + 2];
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;

	memset(email, 'e', sizeof email - 1);
	email[sizeof email - 1] = '\0';
	cp.email = email;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL, "email");
	assert_null(c);
	assert_int_equal(fake_event_count(p), 0);
	assert_int_equal(cust_listed(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
}

static void test_customer_create_field_length_limits(void **state)
{
	fake_processor *p = *state;
	static const struct {
		const char *param;
		size_t max;
	} fields[] = {
		{ "email", FAKE_CUSTOMER_EMAIL_MAX },
		{ "name", FAKE_CUSTOMER_NAME_MAX },
		{ "phone", FAKE_CUSTOMER_PHONE_MAX },
		{ "description", FAKE_CUSTOMER_DESCRIPTION_MAX },
	};
	char buf[FAKE_CUSTOMER_DESCRIPTION_MAX + 2];
	size_t created = 0;

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		for (int over = 0; over <= 1; over++) {
			fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
			const fake_customer *c = SENTINEL;
			size_t len = fields[i].max + (size_t)over;
			const char **field = strcmp(fields[i].param, "email") == 0	  ? &cp.email
					     : strcmp(fields[i].param, "name") == 0	  ? &cp.name
					     : strcmp(fields[i].param, "phone") == 0 ? &cp.phone
										    : &cp.description;

			memset(buf, '7', len);
			buf[len] = '\0';
			*field = buf;
			if (over) {
				check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL,
					    fields[i].param);
				check_record(p, "invalid_request_error", 400);
				assert_null(c);
			} else {
				check_ok(p, fake_customer_create(&c, p, &cp, NULL));
				assert_non_null(c);
				created++;
			}
		}
	}
	assert_int_equal(cust_listed(p), created);
	assert_int_equal(fake_event_count(p), created);
	check_next_customer_id(p, "cus_fake_00005");
}

static void test_customer_create_bad_version(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;

	cp.version = 999;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL, NULL);
	check_record(p, "invalid_request_error", 400);
	assert_null(c);
	assert_int_equal(cust_listed(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
}

/* ---- metadata ---------------------------------------------------------- */

static void test_customer_create_metadata_keeps_order(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "zeta", "1" }, { "alpha", "2" }, { "mid", "3" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	cp.metadata = md;
	cp.metadata_count = 3;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	const fake_metadata *m = fake_customer_metadata(c);
	assert_int_equal(fake_metadata_count(m), 3);
	assert_string_equal(fake_metadata_key(m, 0), "zeta");
	assert_string_equal(fake_metadata_key(m, 1), "alpha");
	assert_string_equal(fake_metadata_key(m, 2), "mid");
	assert_string_equal(fake_metadata_value(m, 0), "1");
	assert_string_equal(fake_metadata_value(m, 1), "2");
	assert_string_equal(fake_metadata_value(m, 2), "3");
	assert_null(fake_metadata_key(m, 3));
	assert_null(fake_metadata_value(m, 3));
	assert_null(fake_metadata_get(m, "absent"));
}

static void test_customer_create_metadata_skips_empty_values(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "a", "1" }, { "b", "" }, { "c", "3" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	cp.metadata = md;
	cp.metadata_count = 3;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	const fake_metadata *m = fake_customer_metadata(c);
	assert_int_equal(fake_metadata_count(m), 2);
	assert_string_equal(fake_metadata_key(m, 0), "a");
	assert_string_equal(fake_metadata_key(m, 1), "c");
	assert_null(fake_metadata_get(m, "b"));
}

static void test_customer_create_metadata_at_limits(void **state)
{
	fake_processor *p = *state;
	char keys[FAKE_METADATA_MAX_KEYS][FAKE_METADATA_MAX_KEY_LEN + 1];
	char value[FAKE_METADATA_MAX_VALUE_LEN + 1];
	fake_kv md[FAKE_METADATA_MAX_KEYS];
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	memset(value, 'v', FAKE_METADATA_MAX_VALUE_LEN);
	value[FAKE_METADATA_MAX_VALUE_LEN] = '\0';
	for (int i = 0; i < FAKE_METADATA_MAX_KEYS; i++) {
		/* 40-character keys, distinct by their first two characters */
		memset(keys[i], 'k', FAKE_METADATA_MAX_KEY_LEN);
		keys[i][0] = (char)('a' + i / 26);
		keys[i][1] = (char)('a' + i % 26);
		keys[i][FAKE_METADATA_MAX_KEY_LEN] = '\0';
		md[i].key = keys[i];
		md[i].value = value;
	}
	cp.metadata = md;
	cp.metadata_count = FAKE_METADATA_MAX_KEYS;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	const fake_metadata *m = fake_customer_metadata(c);
	assert_int_equal(fake_metadata_count(m), FAKE_METADATA_MAX_KEYS);
	assert_string_equal(fake_metadata_key(m, 49), keys[49]);
	assert_int_equal(strlen(fake_metadata_get(m, keys[0])), FAKE_METADATA_MAX_VALUE_LEN);
}

static void test_customer_create_metadata_too_many_keys(void **state)
{
	fake_processor *p = *state;
	char keys[FAKE_METADATA_MAX_KEYS + 1][8];
	fake_kv md[FAKE_METADATA_MAX_KEYS + 1];
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;

	for (int i = 0; i <= FAKE_METADATA_MAX_KEYS; i++) {
		snprintf(keys[i], sizeof keys[i], "k%02d", i);
		md[i].key = keys[i];
		md[i].value = "v";
	}
	cp.metadata = md;
	cp.metadata_count = FAKE_METADATA_MAX_KEYS + 1;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL, "metadata");
	check_record(p, "invalid_request_error", 400);
	assert_null(c);
	assert_int_equal(cust_listed(p), 0);
	assert_int_equal(fake_event_count(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
}

static void test_customer_create_metadata_key_too_long(void **state)
{
	fake_processor *p = *state;
	char key[FAKE_METADATA_MAX_KEY_LEN + 2];
	char param[64];
	fake_kv md[1];
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;

	memset(key, 'k', FAKE_METADATA_MAX_KEY_LEN + 1);
	key[FAKE_METADATA_MAX_KEY_LEN + 1] = '\0';
	snprintf(param, sizeof param, "metadata[%s]", key);
	md[0].key = key;
	md[0].value = "v";
	cp.metadata = md;
	cp.metadata_count = 1;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL, param);
	check_record(p, "invalid_request_error", 400);
	assert_null(c);
	assert_int_equal(cust_listed(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
}

static void test_customer_create_metadata_value_too_long(void **state)
{
	fake_processor *p = *state;
	char value[FAKE_METADATA_MAX_VALUE_LEN + 2];
	fake_kv md[2];
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;

	memset(value, 'v', FAKE_METADATA_MAX_VALUE_LEN + 1);
	value[FAKE_METADATA_MAX_VALUE_LEN + 1] = '\0';
	md[0].key = "fine";
	md[0].value = "ok";
	md[1].key = "plan";
	md[1].value = value;
	cp.metadata = md;
	cp.metadata_count = 2;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL, "metadata[plan]");
	check_record(p, "invalid_request_error", 400);
	assert_null(c);
	assert_int_equal(cust_listed(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
}

/* ---- retrieve ---------------------------------------------------------- */

static void test_customer_retrieve_returns_same_object(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p, "a@example.com");
	const fake_customer *r = NULL;

	check_ok(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL));
	assert_ptr_equal(r, c);
	assert_string_equal(fake_customer_email(r), "a@example.com");
}

static void test_customer_retrieve_unknown_id(void **state)
{
	fake_processor *p = *state;
	const fake_customer *r = SENTINEL;

	cust_new(p, NULL);
	check_fails(p, fake_customer_retrieve(&r, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_null(r);
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such customer: 'cus_fake_00042'");
}

static void test_customer_retrieve_id_length_limit(void **state)
{
	fake_processor *p = *state;
	char id[FAKE_ID_MAX + 2];
	const fake_customer *r = SENTINEL;

	/* exactly FAKE_ID_MAX bytes: a valid id argument, just unknown */
	memset(id, 'c', FAKE_ID_MAX);
	id[FAKE_ID_MAX] = '\0';
	check_fails(p, fake_customer_retrieve(&r, p, id, NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_null(r);

	/* one byte more: misuse */
	r = SENTINEL;
	memset(id, 'c', FAKE_ID_MAX + 1);
	id[FAKE_ID_MAX + 1] = '\0';
	check_fails(p, fake_customer_retrieve(&r, p, id, NULL), FAKE_EINVAL, NULL, "id");
	check_record(p, "invalid_request_error", 400);
	assert_null(r);
}

/* ---- update ------------------------------------------------------------ */

static void test_customer_update_changes_only_given_fields(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL, *u = NULL;

	cp.email = "old@example.com";
	cp.name = "Old Name";
	cp.phone = "+100";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	up.name = "New Name";
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));

	assert_ptr_equal(u, c); /* same address, current state */
	assert_string_equal(fake_customer_name(c), "New Name");
	assert_string_equal(fake_customer_email(c), "old@example.com");
	assert_string_equal(fake_customer_phone(c), "+100");
	assert_null(fake_customer_description(c));
	assert_int_equal(fake_customer_created(c), FAKE_EPOCH_DEFAULT);
}

static void test_customer_update_empty_string_clears_field(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL, *u = NULL;

	cp.email = "old@example.com";
	cp.name = "Name";
	cp.description = "desc";
	cp.phone = "+100";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	up.email = "";
	up.description = "";
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));

	assert_null(fake_customer_email(u));
	assert_null(fake_customer_description(u));
	assert_string_equal(fake_customer_name(u), "Name");
	assert_string_equal(fake_customer_phone(u), "+100");
}

static void test_customer_update_metadata_merges_and_deletes(void **state)
{
	fake_processor *p = *state;
	const fake_kv md0[] = { { "zeta", "z" }, { "alpha", "a" }, { "mid", "m" } };
	const fake_kv md1[] = { { "alpha", "" }, { "beta", "b" }, { "zeta", "z2" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	cp.metadata = md0;
	cp.metadata_count = 3;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	up.metadata = md1;
	up.metadata_count = 3;
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));

	const fake_metadata *m = fake_customer_metadata(c);
	assert_int_equal(fake_metadata_count(m), 3);
	/* zeta keeps its first position, alpha is gone, beta is appended */
	assert_string_equal(fake_metadata_key(m, 0), "zeta");
	assert_string_equal(fake_metadata_value(m, 0), "z2");
	assert_string_equal(fake_metadata_key(m, 1), "mid");
	assert_string_equal(fake_metadata_value(m, 1), "m");
	assert_string_equal(fake_metadata_key(m, 2), "beta");
	assert_string_equal(fake_metadata_value(m, 2), "b");
	assert_null(fake_metadata_get(m, "alpha"));
}

static void test_customer_update_metadata_clear(void **state)
{
	fake_processor *p = *state;
	const fake_kv md0[] = { { "a", "1" }, { "b", "2" } };
	const fake_kv md1[] = { { "c", "3" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	cp.metadata = md0;
	cp.metadata_count = 2;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	up.metadata_clear = true;
	up.metadata = md1;
	up.metadata_count = 1;
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));

	const fake_metadata *m = fake_customer_metadata(c);
	assert_int_equal(fake_metadata_count(m), 1);
	assert_string_equal(fake_metadata_key(m, 0), "c");
	assert_null(fake_metadata_get(m, "a"));

	/* clear alone empties it */
	fake_customer_update_params up2 = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up2.metadata_clear = true;
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up2, NULL));
	assert_int_equal(fake_metadata_count(fake_customer_metadata(c)), 0);
}

static void test_customer_update_metadata_over_limit_changes_nothing(void **state)
{
	fake_processor *p = *state;
	char keys[FAKE_METADATA_MAX_KEYS][8];
	fake_kv md[FAKE_METADATA_MAX_KEYS];
	const fake_kv first[] = { { "existing", "1" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL, *u = SENTINEL;

	cp.email = "keep@example.com";
	cp.metadata = first;
	cp.metadata_count = 1;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	/* 1 existing + 50 new = 51 keys after the merge */
	for (int i = 0; i < FAKE_METADATA_MAX_KEYS; i++) {
		snprintf(keys[i], sizeof keys[i], "n%02d", i);
		md[i].key = keys[i];
		md[i].value = "v";
	}
	up.email = "changed@example.com";
	up.metadata = md;
	up.metadata_count = FAKE_METADATA_MAX_KEYS;
	check_fails(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL), FAKE_EINVAL, NULL, "metadata");
	check_record(p, "invalid_request_error", 400);
	assert_null(u);
	assert_string_equal(fake_customer_email(c), "keep@example.com");
	assert_int_equal(fake_metadata_count(fake_customer_metadata(c)), 1);
	assert_int_equal(fake_event_count(p), 1);

	/* replacing keys does not count twice: clear + 50 new keys fits */
	up.email = NULL;
	up.metadata_clear = true;
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));
	assert_int_equal(fake_metadata_count(fake_customer_metadata(c)), FAKE_METADATA_MAX_KEYS);
	assert_null(fake_metadata_get(fake_customer_metadata(c), "existing"));
}

static void test_customer_update_emits_event_with_previous(void **state)
{
	fake_processor *p = *state;
	const fake_kv md[] = { { "plan", "gold" } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *u = NULL;

	cust_new(p, "old@example.com");
	check_ok(p, fake_clock_advance(p, 60));
	up.email = "new@example.com";
	up.metadata = md;
	up.metadata_count = 1;
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));

	assert_int_equal(fake_event_count(p), 2);
	const fake_event *e = event_nth(p, 2);
	assert_string_equal(fake_event_type(e), "customer.updated");
	assert_int_equal(fake_event_created(e), FAKE_EPOCH_DEFAULT + 60);

	const fake_customer *now = fake_event_object(e);
	const fake_customer *before = fake_event_previous(e);
	assert_non_null(now);
	assert_non_null(before);
	assert_int_equal(fake_object_type_of(before), FAKE_OBJECT_CUSTOMER);
	assert_string_equal(fake_customer_id(before), "cus_fake_00001");
	assert_string_equal(fake_customer_email(now), "new@example.com");
	assert_string_equal(fake_customer_email(before), "old@example.com");
	assert_string_equal(fake_metadata_get(fake_customer_metadata(now), "plan"), "gold");
	assert_int_equal(fake_metadata_count(fake_customer_metadata(before)), 0);

	assert_int_equal(fake_event_previous_attribute_count(e), 2);
	assert_true(event_has_attr(e, "email"));
	assert_true(event_has_attr(e, "metadata"));
	assert_false(event_has_attr(e, "name"));
	assert_null(fake_event_previous_attribute(e, 2));
}

static void test_customer_update_without_change_emits_no_event(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *u = NULL;

	const fake_customer *c = cust_new(p, "same@example.com");
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));
	assert_ptr_equal(u, c);
	assert_int_equal(fake_event_count(p), 1);

	up.email = "same@example.com";
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));
	assert_ptr_equal(u, c);
	assert_int_equal(fake_event_count(p), 1);

	up.email = "other@example.com";
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));
	assert_int_equal(fake_event_count(p), 2);
}

static void test_customer_update_event_snapshot_is_frozen(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *u = NULL;

	cust_new(p, "v1@example.com");
	up.email = "v2@example.com";
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));
	up.email = "v3@example.com";
	check_ok(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL));

	const fake_event *created = event_nth(p, 1);
	const fake_event *first_update = event_nth(p, 2);
	assert_string_equal(fake_customer_email(fake_event_object(created)), "v1@example.com");
	assert_string_equal(fake_customer_email(fake_event_object(first_update)), "v2@example.com");
	assert_string_equal(fake_customer_email(fake_event_previous(first_update)), "v1@example.com");
	assert_string_equal(fake_customer_email(u), "v3@example.com");
	assert_ptr_not_equal(fake_event_object(first_update), u);
}

static void test_customer_update_unknown_id(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *u = SENTINEL;

	up.email = "x@example.com";
	check_fails(p, fake_customer_update(&u, p, "cus_fake_00042", &up, NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such customer: 'cus_fake_00042'");
	assert_null(u);
	assert_int_equal(fake_event_count(p), 0);
}

/* ---- delete ------------------------------------------------------------ */

static void test_customer_delete_marks_deleted(void **state)
{
	fake_processor *p = *state;
	const fake_customer *d = NULL, *r = NULL;

	cust_new(p, "a@example.com");
	cust_new(p, "b@example.com");
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));
	assert_non_null(d);
	assert_true(fake_customer_deleted(d));
	assert_string_equal(fake_customer_id(d), "cus_fake_00001");

	assert_int_equal(fake_event_count(p), 3);
	const fake_event *e = event_nth(p, 3);
	assert_string_equal(fake_event_type(e), "customer.deleted");
	assert_string_equal(fake_object_id(fake_event_object(e)), "cus_fake_00001");

	check_ok(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL));
	assert_non_null(r);
	assert_true(fake_customer_deleted(r));
	assert_string_equal(fake_customer_id(r), "cus_fake_00001");

	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_list page;
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_00002");
}

static void test_customer_delete_twice_not_found(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *d = NULL, *u = SENTINEL;

	cust_new(p, NULL);
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));
	size_t events = fake_event_count(p);

	d = SENTINEL;
	check_fails(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    NULL);
	check_record(p, "invalid_request_error", 404);
	assert_null(d);

	up.name = "Ghost";
	check_fails(p, fake_customer_update(&u, p, "cus_fake_00001", &up, NULL), FAKE_ENOTFOUND,
		    "resource_missing", NULL);
	assert_null(u);
	assert_int_equal(fake_event_count(p), events);
}

static void test_customer_delete_detaches_payment_methods(void **state)
{
	fake_processor *p = *state;
	const fake_customer *d = NULL;
	const fake_payment_method *r = NULL;

	cust_new(p, NULL);
	pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));

	check_ok(p, fake_payment_method_retrieve(&r, p, "pm_fake_00001", NULL));
	assert_null(fake_payment_method_customer(r));
}

/* ---- payment methods through the customer ------------------------------- */

static void test_customer_create_with_payment_method_token(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;

	cp.payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_null(fake_customer_default_payment_method(c));

	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL));
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00001");
	assert_string_equal(fake_payment_method_card_brand(pm), "visa");

	assert_int_equal(fake_event_count(p), 2);
	const char *t1 = fake_event_type(event_nth(p, 1));
	const char *t2 = fake_event_type(event_nth(p, 2));
	assert_true((strcmp(t1, "customer.created") == 0 && strcmp(t2, "payment_method.attached") == 0) ||
		    (strcmp(t2, "customer.created") == 0 && strcmp(t1, "payment_method.attached") == 0));
}

static void test_customer_create_with_default_payment_method(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;

	pm_new(p, "4242424242424242");
	cp.payment_method = "pm_fake_00001";
	cp.default_payment_method = "pm_fake_00001";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_default_payment_method(c), "pm_fake_00001");
	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL));
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00001");

	/* with a token in both: the default is the payment method it created */
	fake_customer_create_params cp2 = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp2.payment_method = "pm_card_visa";
	cp2.default_payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp2, NULL));
	assert_string_equal(fake_customer_default_payment_method(c), "pm_fake_00002");
	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00002", NULL));
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00002");
}

static void test_customer_create_default_payment_method_mismatch(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;
	const fake_payment_method *pm = NULL;

	pm_new(p, "4242424242424242");
	pm_new(p, "5555555555554444");
	cp.payment_method = "pm_fake_00001";
	cp.default_payment_method = "pm_fake_00002";
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL, NULL);
	check_record(p, "invalid_request_error", 400);
	assert_null(c);

	/* a default without any payment_method is the same mistake */
	fake_customer_create_params cp2 = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	c = SENTINEL;
	cp2.default_payment_method = "pm_fake_00001";
	check_fails(p, fake_customer_create(&c, p, &cp2, NULL), FAKE_EINVAL, NULL, NULL);
	assert_null(c);

	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL));
	assert_null(fake_payment_method_customer(pm));
	assert_int_equal(cust_listed(p), 0);
	assert_int_equal(fake_event_count(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
}

static void test_customer_create_with_declining_payment_method(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;

	cp.email = "declined@example.com";
	cp.payment_method = "pm_card_chargeDeclined";
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_ECARD, "card_declined", NULL);
	check_record(p, "card_error", 402);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
	assert_null(c);
	assert_int_equal(cust_listed(p), 0);
	assert_int_equal(fake_event_count(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
	const fake_payment_method *pm = pm_new(p, "4242424242424242");
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00001");
}

static void test_customer_create_with_unknown_payment_method(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = SENTINEL;

	cp.payment_method = "pm_x";
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_ENOTFOUND, "resource_missing", NULL);
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such PaymentMethod: 'pm_x'");
	assert_null(c);
	assert_int_equal(cust_listed(p), 0);
	check_next_customer_id(p, "cus_fake_00001");
}

static void test_customer_set_default_payment_method(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;

	cust_new(p, NULL);
	pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	size_t events = fake_event_count(p);

	check_ok(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00001", "pm_fake_00001", NULL));
	assert_non_null(c);
	assert_string_equal(fake_customer_default_payment_method(c), "pm_fake_00001");

	assert_int_equal(fake_event_count(p), events + 1);
	const fake_event *e = event_nth(p, events + 1);
	assert_string_equal(fake_event_type(e), "customer.updated");
	assert_true(event_has_attr(e, "invoice_settings"));
	assert_null(fake_customer_default_payment_method(fake_event_previous(e)));
	assert_string_equal(fake_customer_default_payment_method(fake_event_object(e)), "pm_fake_00001");
}

static void test_customer_set_default_payment_method_requires_attached(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = SENTINEL;

	cust_new(p, NULL);
	cust_new(p, NULL);
	pm_new(p, "4242424242424242"); /* unattached */
	pm_new(p, "5555555555554444");
	pm_attach(p, "pm_fake_00002", "cus_fake_00002"); /* someone else's */
	size_t events = fake_event_count(p);

	check_fails(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00001", "pm_fake_00001", NULL),
		    FAKE_EINVAL, NULL, NULL);
	check_record(p, "invalid_request_error", 400);
	assert_null(c);

	c = SENTINEL;
	check_fails(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00001", "pm_fake_00002", NULL),
		    FAKE_EINVAL, NULL, NULL);
	assert_null(c);

	/* a test token is not a payment method here */
	c = SENTINEL;
	int rc = fake_customer_set_default_payment_method(&c, p, "cus_fake_00001", "pm_card_visa", NULL);
	assert_true(rc == FAKE_EINVAL || rc == FAKE_ENOTFOUND);
	assert_null(c);

	c = SENTINEL;
	check_fails(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00042", "pm_fake_00002", NULL),
		    FAKE_ENOTFOUND, "resource_missing", NULL);
	assert_string_equal(fake_error_last(p)->message, "No such customer: 'cus_fake_00042'");
	assert_null(c);

	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	assert_null(fake_customer_default_payment_method(c));
	assert_int_equal(fake_event_count(p), events);
	/* the token did not create a payment method */
	assert_string_equal(fake_payment_method_id(pm_new(p, "4242424242424242")), "pm_fake_00003");
}

static void test_customer_update_clears_default_payment_method(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	cust_new(p, NULL);
	pm_new(p, "4242424242424242");
	pm_attach(p, "pm_fake_00001", "cus_fake_00001");
	up.default_payment_method = "pm_fake_00001";
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));
	assert_string_equal(fake_customer_default_payment_method(c), "pm_fake_00001");
	size_t events = fake_event_count(p);
	assert_true(event_has_attr(event_nth(p, events), "invoice_settings"));

	up.default_payment_method = "";
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));
	assert_null(fake_customer_default_payment_method(c));
	assert_int_equal(fake_event_count(p), events + 1);
	const fake_event *e = event_nth(p, events + 1);
	assert_string_equal(fake_event_type(e), "customer.updated");
	assert_true(event_has_attr(e, "invoice_settings"));
	assert_string_equal(fake_customer_default_payment_method(fake_event_previous(e)), "pm_fake_00001");
}

static void test_customer_delete_tombstone_has_no_default_payment_method(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL, *d = NULL, *r = NULL;

	cp.payment_method = "pm_card_visa";
	cp.default_payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_default_payment_method(c), "pm_fake_00001");

	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));
	assert_ptr_equal(d, c);
	assert_true(fake_customer_deleted(d));
	assert_null(fake_customer_default_payment_method(d));
	check_ok(p, fake_customer_retrieve(&r, p, "cus_fake_00001", NULL));
	assert_true(fake_customer_deleted(r));
	assert_null(fake_customer_default_payment_method(r));
	/* its payment method was detached */
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL));
	assert_null(fake_payment_method_customer(pm));
}

/* Stripe takes UTF-8 only: other bytes are refused where they come in. */
static void test_customer_rejects_strings_that_are_not_utf8(void **state)
{
	fake_processor *p = *state;
	static const char *const bad[] = { "\xff", "caf\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80" };
	const fake_customer *c = NULL;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
		cp.name = bad[i];
		check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, "parameter_invalid_string", "name");
		assert_null(c);
	}
	fake_kv md[] = { { "note", "\xff" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.metadata = md;
	cp.metadata_count = 1;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, "parameter_invalid_string", "metadata");
	assert_int_equal(fake_event_count(p), 0);
	/* two-, three- and four-byte characters are fine */
	cp = (fake_customer_create_params)FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.name = "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x92\xb3";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_customer_create_assigns_sequential_ids),
		T(test_customer_create_empty_customer_defaults),
		T(test_customer_create_copies_fields),
		T(test_customer_create_created_follows_clock),
		T(test_customer_create_failure_does_not_consume_id),
		T(test_customer_create_field_length_limits),
		T(test_customer_create_bad_version),
		T(test_customer_create_metadata_keeps_order),
		T(test_customer_create_metadata_skips_empty_values),
		T(test_customer_create_metadata_at_limits),
		T(test_customer_create_metadata_too_many_keys),
		T(test_customer_create_metadata_key_too_long),
		T(test_customer_create_metadata_value_too_long),
		T(test_customer_retrieve_returns_same_object),
		T(test_customer_retrieve_unknown_id),
		T(test_customer_retrieve_id_length_limit),
		T(test_customer_update_changes_only_given_fields),
		T(test_customer_update_empty_string_clears_field),
		T(test_customer_update_metadata_merges_and_deletes),
		T(test_customer_update_metadata_clear),
		T(test_customer_update_metadata_over_limit_changes_nothing),
		T(test_customer_update_emits_event_with_previous),
		T(test_customer_update_without_change_emits_no_event),
		T(test_customer_update_event_snapshot_is_frozen),
		T(test_customer_update_unknown_id),
		T(test_customer_delete_marks_deleted),
		T(test_customer_delete_twice_not_found),
		T(test_customer_delete_detaches_payment_methods),
		T(test_customer_create_with_payment_method_token),
		T(test_customer_create_with_default_payment_method),
		T(test_customer_create_default_payment_method_mismatch),
		T(test_customer_create_with_declining_payment_method),
		T(test_customer_create_with_unknown_payment_method),
		T(test_customer_set_default_payment_method),
		T(test_customer_set_default_payment_method_requires_attached),
		T(test_customer_update_clears_default_payment_method),
		T(test_customer_delete_tombstone_has_no_default_payment_method),
		T(test_customer_rejects_strings_that_are_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
