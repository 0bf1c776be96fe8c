/*
 * Deterministic ids: Stripe's prefix, "fake_", and a per-resource counter
 * zero-padded to options.id_width, which grows past the width and never
 * truncates or wraps, and moves only when an object is really created.
 */
#include "helpers.h"


static const char *create_customer_id(fake_processor *p)
{
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	return fake_customer_id(c);
}

static const char *create_payment_method_id(fake_processor *p)
{
	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	return fake_payment_method_id(pm);
}

/* The id of the newest event. */
static const char *newest_event_id(fake_processor *p)
{
	fake_list page;
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.page.limit = 1;
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	return fake_event_id(page.data[0]);
}

static fake_processor *new_with_width(unsigned int width)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.id_width = width;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	return p;
}

static void test_ids_customer_ids_are_zero_padded(void **state)
{
	fake_processor *p = *state;
	char want[32];
	for (int i = 1; i <= 12; i++) {
		snprintf(want, sizeof(want), "cus_fake_%05d", i);
		assert_string_equal(create_customer_id(p), want);
	}
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00010", NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00010");
	assert_string_equal(fake_object_id(c), "cus_fake_00010");
	/* the id is exact: the unpadded number is not an alias */
	check_fails(p, fake_customer_retrieve(&c, p, "cus_fake_10", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
}

static void test_ids_counters_are_per_resource(void **state)
{
	fake_processor *p = *state;
	assert_string_equal(create_customer_id(p), "cus_fake_00001");
	assert_string_equal(create_payment_method_id(p), "pm_fake_00001");
	assert_string_equal(create_payment_method_id(p), "pm_fake_00002");
	assert_string_equal(create_customer_id(p), "cus_fake_00002");
	assert_string_equal(create_payment_method_id(p), "pm_fake_00003");
	assert_string_equal(create_customer_id(p), "cus_fake_00003");
	assert_string_equal(create_customer_id(p), "cus_fake_00004");
	assert_string_equal(create_payment_method_id(p), "pm_fake_00004");
}

static void test_ids_events_have_their_own_counter(void **state)
{
	fake_processor *p = *state;
	assert_string_equal(create_customer_id(p), "cus_fake_00001");
	assert_string_equal(newest_event_id(p), "evt_fake_00001");
	assert_string_equal(create_customer_id(p), "cus_fake_00002");
	assert_string_equal(newest_event_id(p), "evt_fake_00002");

	/* an update makes an event but no customer */
	const fake_customer *c = NULL;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "x@example.com";
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));
	assert_string_equal(newest_event_id(p), "evt_fake_00003");

	/* an unattached payment method makes no event */
	assert_string_equal(create_payment_method_id(p), "pm_fake_00001");
	assert_int_equal(fake_event_count(p), 3);

	assert_string_equal(create_customer_id(p), "cus_fake_00003");
	fake_list page;
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 4);
	assert_string_equal(fake_event_id(page.data[0]), "evt_fake_00004");
	assert_string_equal(fake_event_type(page.data[0]), "customer.created");
	assert_string_equal(fake_object_id(fake_event_object(page.data[0])), "cus_fake_00003");
	assert_string_equal(fake_event_id(page.data[3]), "evt_fake_00001");

	/* a no_events call makes no event id */
	fake_request quiet = FAKE_REQUEST_INIT;
	quiet.no_events = true;
	check_ok(p, fake_customer_create(&c, p, NULL, &quiet));
	assert_string_equal(fake_customer_id(c), "cus_fake_00004");
	assert_string_equal(create_customer_id(p), "cus_fake_00005");
	assert_string_equal(newest_event_id(p), "evt_fake_00005");
}

static void test_ids_grow_past_width_without_truncating(void **state)
{
	fake_processor *p = *state;
	fake_request quiet = FAKE_REQUEST_INIT;
	quiet.no_events = true;
	const fake_customer *c = NULL;
	const fake_customer *c99999 = NULL;
	for (int i = 1; i <= 100000; i++) {
		int rc = fake_customer_create(&c, p, NULL, &quiet);
		if (rc != 0) {
			print_error("customer %d: %s: %s\n", i, fake_status_name(rc), fake_error_last(p)->message);
			fail();
		}
		if (i == 1)
			assert_string_equal(fake_customer_id(c), "cus_fake_00001");
		if (i == 99999)
			c99999 = c;
	}
	assert_string_equal(fake_customer_id(c99999), "cus_fake_99999");
	assert_string_equal(fake_customer_id(c), "cus_fake_100000");
	assert_int_equal(fake_event_count(p), 0);

	const fake_customer *got = NULL;
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_100000", NULL));
	assert_ptr_equal(got, c);
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_99999", NULL));
	assert_ptr_equal(got, c99999);
	check_ok(p, fake_customer_retrieve(&got, p, "cus_fake_00001", NULL));
	assert_string_equal(fake_customer_id(got), "cus_fake_00001");

	fake_list page;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	check_ok(p, fake_customer_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_true(page.has_more);
	assert_string_equal(fake_customer_id(page.data[0]), "cus_fake_100000");
	assert_string_equal(fake_customer_id(page.data[1]), "cus_fake_99999");

	assert_string_equal(create_customer_id(p), "cus_fake_100001");
	/* the quiet creates used no event ids */
	assert_string_equal(newest_event_id(p), "evt_fake_00001");
}

static void test_ids_width_one_grows(void **state)
{
	(void)state;
	fake_processor *p = new_with_width(1);
	const char *id = NULL;
	for (int i = 1; i <= 10; i++) {
		id = create_customer_id(p);
		if (i == 1)
			assert_string_equal(id, "cus_fake_1");
		if (i == 9)
			assert_string_equal(id, "cus_fake_9");
	}
	assert_string_equal(id, "cus_fake_10");
	assert_string_equal(create_payment_method_id(p), "pm_fake_1");
	assert_string_equal(newest_event_id(p), "evt_fake_10");
	fake_processor_free(p);
}

static void test_ids_width_max_pads_to_twenty_digits(void **state)
{
	(void)state;
	fake_processor *p = new_with_width(FAKE_ID_WIDTH_MAX);
	assert_string_equal(create_customer_id(p), "cus_fake_00000000000000000001");
	assert_string_equal(newest_event_id(p), "evt_fake_00000000000000000001");
	fake_processor_free(p);
}

static void test_ids_counter_unchanged_by_failed_creates(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;

	char long_email[FAKE_CUSTOMER_EMAIL_MAX + 2];
	memset(long_email, 'a', sizeof(long_email) - 1);
	long_email[sizeof(long_email) - 1] = '\0';
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = long_email;
	check_fails(p, fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL, NULL, NULL);
	assert_null(c);

	fake_customer_create_params unknown_pm = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	unknown_pm.payment_method = "pm_fake_99999";
	check_fails(p, fake_customer_create(&c, p, &unknown_pm, NULL), FAKE_ENOTFOUND, "resource_missing", NULL);

	/* a declining test card: neither the customer nor the payment method is made */
	fake_customer_create_params declines = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	declines.payment_method = "pm_card_chargeDeclined";
	check_fails(p, fake_customer_create(&c, p, &declines, NULL), FAKE_ECARD, NULL, NULL);

	fake_customer_create_params bad_version = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	bad_version.version = 99;
	check_fails(p, fake_customer_create(&c, p, &bad_version, NULL), FAKE_EINVAL, NULL, NULL);

	fake_payment_method_create_params bad_card = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	bad_card.card_number = "4242424242424241"; /* fails the Luhn check */
	check_fails(p, fake_payment_method_create(&pm, p, &bad_card, NULL), FAKE_EINVAL, NULL, "card[number]");
	assert_null(pm);

	assert_int_equal(fake_event_count(p), 0);
	assert_string_equal(create_customer_id(p), "cus_fake_00001");
	assert_string_equal(create_payment_method_id(p), "pm_fake_00001");
	assert_string_equal(newest_event_id(p), "evt_fake_00001");
}

static void test_ids_counter_unchanged_by_scripted_creates(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;
	fake_script err = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &err, 2));
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_PAYMENT_METHOD, &err, 1));

	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_card_visa";
	assert_int_equal(fake_customer_create(&c, p, &cp, NULL), FAKE_EAPI);
	assert_int_equal(fake_customer_create(&c, p, NULL, NULL), FAKE_EAPI);
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	assert_int_equal(fake_payment_method_create(&pm, p, &pp, NULL), FAKE_EAPI);
	assert_int_equal(fake_event_count(p), 0);

	assert_string_equal(create_customer_id(p), "cus_fake_00001");

	/* a scripted decline of a token attach makes no payment method either */
	fake_script decline = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	check_ok(p, fake_script_push(p, FAKE_OP_ATTACH_PAYMENT_METHOD, &decline, 1));
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00001";
	check_fails(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL), FAKE_ECARD, NULL, NULL);
	assert_null(pm);

	assert_string_equal(create_payment_method_id(p), "pm_fake_00001");
	assert_string_equal(newest_event_id(p), "evt_fake_00001");
}

static int stub_return_object(void *out, fake_processor *p, const fake_call *call, fake_error *error,
			      void *user_data)
{
	(void)p;
	(void)call;
	(void)error;
	*(const void **)out = user_data;
	return 0;
}

static int stub_fail(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)out;
	(void)p;
	(void)call;
	(void)user_data;
	snprintf(error->message, sizeof(error->message), "stubbed failure");
	return FAKE_EAPI;
}

static void test_ids_counter_unchanged_by_stubbed_creates(void **state)
{
	fake_processor *p = *state;
	const fake_customer *first = NULL;
	check_ok(p, fake_customer_create(&first, p, NULL, NULL));
	const fake_payment_method *pm1 = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm1, p, &pp, NULL));

	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_CUSTOMER, stub_return_object, (void *)(uintptr_t)first));
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_PAYMENT_METHOD, stub_return_object, (void *)(uintptr_t)pm1));
	const fake_customer *c = NULL;
	for (int i = 0; i < 3; i++) {
		check_ok(p, fake_customer_create(&c, p, NULL, NULL));
		assert_ptr_equal(c, first);
	}
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_ptr_equal(pm, pm1);

	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_CUSTOMER, stub_fail, NULL));
	assert_int_equal(fake_customer_create(&c, p, NULL, NULL), FAKE_EAPI);
	assert_null(c);

	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_CUSTOMER, NULL, NULL));
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_PAYMENT_METHOD, NULL, NULL));
	assert_int_equal(fake_event_count(p), 1);
	assert_string_equal(create_customer_id(p), "cus_fake_00002");
	assert_string_equal(create_payment_method_id(p), "pm_fake_00002");
	assert_string_equal(newest_event_id(p), "evt_fake_00002");
}

static void test_ids_not_reused_after_delete(void **state)
{
	fake_processor *p = *state;
	assert_string_equal(create_customer_id(p), "cus_fake_00001");
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_delete(&c, p, "cus_fake_00001", NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_string_equal(create_customer_id(p), "cus_fake_00002");
}

static void test_ids_prefixes(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_card_visa"; /* a token: makes a new pm_fake_ payment method */
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");

	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00001";
	fake_list page;
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_payment_method_id(page.data[0]), "pm_fake_00001");
	assert_string_equal(fake_payment_method_customer(page.data[0]), "cus_fake_00001");

	/* attach with a token: another new payment method */
	const fake_payment_method *pm = NULL;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00002");
	assert_string_equal(fake_object_id(pm), "pm_fake_00002");

	/* events: customer.created and two payment_method.attached */
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 3);
	for (size_t i = 0; i < page.count; i++) {
		const char *id = fake_event_id(page.data[i]);
		char want[32];
		snprintf(want, sizeof(want), "evt_fake_%05zu", page.count - i);
		assert_string_equal(id, want);
		assert_string_equal(fake_object_id(page.data[i]), want);
		assert_string_equal(fake_object_name(page.data[i]), "event");
	}

	/* request ids */
	check_fails(p, fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_int_equal(strncmp(fake_error_last(p)->request_id, "req_fake_", 9), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ids_customer_ids_are_zero_padded, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_ids_counters_are_per_resource, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_ids_events_have_their_own_counter, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_ids_grow_past_width_without_truncating, fixture_new, fixture_free),
		cmocka_unit_test(test_ids_width_one_grows),
		cmocka_unit_test(test_ids_width_max_pads_to_twenty_digits),
		cmocka_unit_test_setup_teardown(test_ids_counter_unchanged_by_failed_creates, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_ids_counter_unchanged_by_scripted_creates, fixture_new,
						fixture_free),
		cmocka_unit_test_setup_teardown(test_ids_counter_unchanged_by_stubbed_creates, fixture_new,
						fixture_free),
		cmocka_unit_test_setup_teardown(test_ids_not_reused_after_delete, fixture_new, fixture_free),
		cmocka_unit_test_setup_teardown(test_ids_prefixes, fixture_new, fixture_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
