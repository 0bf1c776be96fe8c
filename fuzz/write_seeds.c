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

static void subscribe(fake_processor *p, const char *price, const char *token, unsigned int trial_days)
{
	fake_kv kv[] = { { "plan", "pro" } };
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.email = "jenny.rosen@example.com";
	cc.payment_method = token;
	cc.default_payment_method = token;
	cc.metadata = kv;
	cc.metadata_count = 1;
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
	return 0;
}
