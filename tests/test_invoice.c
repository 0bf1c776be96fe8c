/*
 * Tests of fake/invoice: see docs/billing.md.
 */
#include "helpers.h"

static void test_invoice_trial_subscription_starts_trialing(void **state)
{
	(void)state;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, NULL), 0);
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *cus = NULL;
	check_ok(p, fake_customer_create(&cus, p, &cc, NULL));
	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.currency = "usd";
	pc.unit_amount = 1000;
	pc.product_name = "Pro";
	pc.interval = FAKE_INTERVAL_MONTH;
	const fake_price *price = NULL;
	check_ok(p, fake_price_create(&price, p, &pc, NULL));
	fake_subscription_item_params it = { NULL, fake_price_id(price), NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = fake_customer_id(cus);
	sc.items = &it;
	sc.item_count = 1;
	sc.trial_period_days = 14;
	const fake_subscription *sub = NULL;
	check_ok(p, fake_subscription_create(&sub, p, &sc, NULL));
	assert_string_equal(fake_subscription_status_name(sub), "trialing");
	fake_processor_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invoice_trial_subscription_starts_trialing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
