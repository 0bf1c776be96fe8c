/*
 * Writes the fuzz target's seed snapshots into a directory:
 * `write_seeds fuzz/corpus`. Run it again whenever the snapshot format
 * changes (the fuzz_corpus test fails when a seed no longer loads).
 */
#include <fake/fake.h>

#include <stdio.h>
#include <stdlib.h>

static const char *dir;

static void need(fake_processor *p, int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "write_seeds: %s: %s\n", what, fake_error_last(p)->message);
		exit(1);
	}
}

static void write_seed(fake_processor *p, const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/seed-%s.json", dir, name);
	need(p, fake_processor_save(p, path, 0), path);
}

static int fails(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	(void)p;
	(void)d;
	(void)user_data;
	return 1;
}

static void subscribe_on(fake_processor *p, const char *price, const char *token, unsigned int trial_days,
			 const char *clock)
{
	fake_kv kv[] = { { "plan", "pro" } };
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.email = "jenny.rosen@example.com";
	cc.payment_method = token;
	cc.default_payment_method = token;
	cc.metadata = kv;
	cc.metadata_count = 1;
	cc.test_clock = clock;
	const fake_customer *c = NULL;
	need(p, fake_customer_create(&c, p, &cc, NULL), "customer");
	fake_subscription_item_params item = { NULL, price, NULL, 0, false, NULL, 0 };
	fake_subscription_create_params sc = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sc.customer = fake_customer_id(c);
	sc.items = &item;
	sc.item_count = 1;
	sc.trial_period_days = trial_days;
	const fake_subscription *sub = NULL;
	need(p, fake_subscription_create(&sub, p, &sc, NULL), "subscription");
}

static void subscribe(fake_processor *p, const char *price, const char *token, unsigned int trial_days)
{
	subscribe_on(p, price, token, trial_days, NULL);
}

static const char *clock_new(fake_processor *p, int64_t frozen_time, const char *name)
{
	fake_test_clock_create_params tc = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	tc.frozen_time = frozen_time;
	tc.name = name;
	const fake_test_clock *c = NULL;
	need(p, fake_test_clock_create(&c, p, &tc, NULL), "test clock");
	return fake_test_clock_id(c);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: write_seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	fake_processor *p = NULL;
	if (fake_processor_new(&p, NULL))
		return 1;
	write_seed(p, "empty");

	fake_price_create_params pc = FAKE_PRICE_CREATE_PARAMS_INIT;
	pc.currency = "usd";
	pc.unit_amount = 1500;
	pc.product_name = "Pro";
	pc.interval = FAKE_INTERVAL_MONTH;
	const fake_price *price = NULL;
	need(p, fake_price_create(&price, p, &pc, NULL), "price");
	subscribe(p, fake_price_id(price), "pm_card_visa", 0);
	write_seed(p, "one-subscription");

	subscribe(p, fake_price_id(price), "pm_card_chargeCustomerFail", 3);
	const char *events[] = { "invoice.payment_failed", "customer.subscription.updated", "invoice.upcoming" };
	fake_webhook_endpoint_create_params wc = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wc.url = "https://example.com/hooks";
	wc.enabled_events = events;
	wc.enabled_event_count = 3;
	wc.handler = fails;
	const fake_webhook_endpoint *we = NULL;
	need(p, fake_webhook_endpoint_create(&we, p, &wc, NULL), "webhook endpoint");
	need(p, fake_clock_advance(p, 5 * 86400), "advance");
	write_seed(p, "dunning-webhook-retries");
	need(p, fake_clock_advance(p, 26 * 86400), "advance");
	write_seed(p, "upcoming-renewal");
	fake_processor_free(p);

	/* Test clocks: one with a trial and a failing card advanced 40 days,
	 * one advancing (completed by the second retrieval), one deleted. */
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.test_clocks.ready_after_retrievals = 2;
	if (fake_processor_new(&p, &o))
		return 1;
	need(p, fake_price_create(&price, p, &pc, NULL), "price");
	int64_t now = fake_clock_now(p);
	const char *a = clock_new(p, now, "renewals");
	subscribe_on(p, fake_price_id(price), "pm_card_visa", 7, a);
	subscribe_on(p, fake_price_id(price), "pm_card_chargeCustomerFail", 0, a);
	const fake_test_clock *c = NULL;
	need(p, fake_test_clock_advance(&c, p, a, now + 40 * 86400, NULL), "advance");
	need(p, fake_test_clock_retrieve(&c, p, a, NULL), "retrieve");
	need(p, fake_test_clock_retrieve(&c, p, a, NULL), "retrieve");
	const char *b = clock_new(p, now - 86400, NULL);
	subscribe_on(p, fake_price_id(price), "pm_card_visa", 0, b);
	need(p, fake_test_clock_advance(&c, p, b, now + 86400, NULL), "advance");
	const char *gone = clock_new(p, now, "gone");
	subscribe_on(p, fake_price_id(price), "pm_card_visa", 0, gone);
	need(p, fake_test_clock_delete(&c, p, gone, NULL), "delete");
	need(p, fake_clock_advance(p, 3600), "advance");
	write_seed(p, "test-clocks");
	fake_processor_free(p);
	return 0;
}
