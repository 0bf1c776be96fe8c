/*
 * demo: what libfake does, in one run (scripts/demo.sh builds and runs it).
 *
 * It drives one processor through a short story and prints what happened:
 *  1. creates customers, some with a test card attached (pm_card_visa,
 *     pm_card_mastercard, pm_card_amex), and tries one whose card declines
 *     (pm_card_chargeDeclined), printing the Stripe-shaped error record;
 *  2. updates a customer (email and metadata) and sets a default card;
 *  3. deletes a customer (it stays retrievable, marked deleted);
 *  4. schedules a callback on the virtual clock, as the code under test
 *     would schedule a nightly job, and advances the clock two and a half
 *     days: the job runs at its due times, in virtual time;
 *  5. sells: a product with a monthly price, then payments: a card that
 *     succeeds (with Stripe's fee), one that declines (the decline is
 *     recorded; a retry with another card succeeds), one that needs 3D
 *     Secure (completed with the test helper), and an authorization
 *     captured in part and then partly refunded;
 *  6. adds a webhook endpoint whose handler verifies each delivery's
 *     Stripe-Signature and answers 500 the first time: the failed delivery
 *     is retried five minutes later on the virtual clock;
 *  7. lists the customers two per page with cursor pagination;
 *  8. prints the event log, oldest first: id, time, type, object id.
 *
 * The output is the same, byte for byte, on every run: ids, timestamps and
 * order all come from the processor, never from the real clock.
 */
#define _POSIX_C_SOURCE 200809L

#include <fake/fake.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DAY INT64_C(86400)
#define HOUR INT64_C(3600)

/* Processor time (int64 unix seconds) as ISO-8601 UTC. */
static const char *iso(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "%lld", (long long)t);
	return buf;
}

static const char *or_none(const char *s)
{
	return s ? s : "-";
}

/* Stops the demo when a call that should succeed did not. */
static void must(fake_processor *p, int rc, const char *what)
{
	if (rc == 0)
		return;
	const fake_error *e = fake_error_last(p);
	fprintf(stderr, "demo: %s failed: %s: %s\n", what, fake_status_name(rc), e ? e->message : "");
	fake_processor_free(p);
	exit(1);
}

static void print_error(const fake_processor *p, int rc)
{
	const fake_error *e = fake_error_last(p);
	printf("    -> %s (%s)\n", fake_status_name(rc), fake_strerror(rc));
	printf("       error.type          %s\n", e->type);
	printf("       error.code          %s\n", e->code);
	printf("       error.decline_code  %s\n", e->decline_code[0] ? e->decline_code : "-");
	printf("       error.param         %s\n", e->param[0] ? e->param : "-");
	printf("       error.message       %s\n", e->message);
	printf("       http_status         %d\n", e->http_status);
	printf("       request_id          %s\n", e->request_id);
}

static void print_customer(fake_processor *p, const fake_customer *c)
{
	const char *pm_id = fake_customer_default_payment_method(c);
	const fake_payment_method *pm = NULL;
	if (pm_id && fake_payment_method_retrieve(&pm, p, pm_id, NULL) != 0)
		pm = NULL;
	printf("    %s  %-16s %-*s", fake_customer_id(c), or_none(fake_customer_name(c)), pm ? 22 : 0,
	       or_none(fake_customer_email(c)));
	if (pm)
		printf(" default %s (%s *%s)", pm_id, fake_payment_method_card_brand(pm),
		       fake_payment_method_card_last4(pm));
	printf("\n");
}

/* Creates a customer whose card is a test token, made its default. */
static const fake_customer *create_with_card(fake_processor *p, const char *name, const char *email,
					     const char *token)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.name = name;
	cp.email = email;
	cp.payment_method = token;
	cp.default_payment_method = token;
	const fake_customer *c = NULL;
	printf("  create customer %s <%s> with %s\n", name, email, token);
	int rc = fake_customer_create(&c, p, &cp, NULL);
	if (rc != 0) {
		print_error(p, rc);
		return NULL;
	}
	print_customer(p, c);
	return c;
}

/* Subscribes `customer` to `price` with a trial of `trial_days` (0: none). */
static const fake_subscription *subscribe(fake_processor *p, const fake_customer *customer, const fake_price *price,
					  unsigned int trial_days)
{
	fake_subscription_item_params item = { NULL, fake_price_id(price), NULL, 1, false, NULL, 0 };
	fake_subscription_create_params sp = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = fake_customer_id(customer);
	sp.items = &item;
	sp.item_count = 1;
	sp.trial_period_days = trial_days;
	const fake_subscription *sub = NULL;
	must(p, fake_subscription_create(&sub, p, &sp, NULL), "create subscription");
	char end[32];
	printf("  %s for %s: %s until %s\n", fake_subscription_id(sub), fake_customer_id(customer),
	       fake_subscription_status_name(sub), iso(fake_subscription_current_period_end(sub), end));
	return sub;
}

/* Prints a subscription and its invoices, oldest first. */
static void print_billing(fake_processor *p, const fake_subscription *sub)
{
	printf("  %s: %s, period ends %s\n", fake_subscription_id(sub), fake_subscription_status_name(sub),
	       iso(fake_subscription_current_period_end(sub), (char[32]){ 0 }));
	fake_invoice_list_params ip = FAKE_INVOICE_LIST_PARAMS_INIT;
	ip.subscription = fake_subscription_id(sub);
	fake_list page;
	must(p, fake_invoice_list(&page, p, &ip, NULL), "list invoices");
	for (size_t i = page.count; i-- > 0;) {
		const fake_invoice *inv = page.data[i];
		printf("    %s %-19s %-13s %6lld cents, %u attempt(s)\n", fake_invoice_id(inv),
		       fake_invoice_billing_reason_name(inv), fake_invoice_status_name(inv),
		       (long long)fake_invoice_amount_due(inv), fake_invoice_attempt_count(inv));
	}
}

/* The "nightly job" of the code under test, run by the virtual clock. */
struct nightly {
	const char *customer;
	int runs;
};

static void nightly_job(fake_processor *p, int64_t at, void *user_data)
{
	struct nightly *job = user_data;
	char when[32], runs[16];
	job->runs++;
	snprintf(runs, sizeof runs, "%d", job->runs);
	printf("  [%s] nightly job, run %d: stamps %s\n", iso(at, when), job->runs, job->customer);

	fake_kv kv[] = { { "nightly_runs", runs } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.metadata = kv;
	up.metadata_count = 1;
	const fake_customer *c = NULL;
	must(p, fake_customer_update(&c, p, job->customer, &up, NULL), "nightly update");
	/* A job may schedule more work: the next night, for three nights. */
	if (job->runs < 3)
		must(p, fake_clock_schedule(p, at + DAY, nightly_job, job), "schedule next night");
}

/* Pays `amount` cents for `customer` with `card`; prints the outcome. */
static const fake_payment_intent *pay(fake_processor *p, const char *customer, const char *card, int64_t amount,
				      fake_capture_method capture)
{
	fake_payment_intent_create_params pp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	pp.amount = amount;
	pp.currency = "usd";
	pp.customer = customer;
	pp.payment_method = card;
	pp.confirm = true;
	pp.capture_method = capture;
	const fake_payment_intent *pi = NULL;
	printf("  %s pays %lld.%02lld usd with %s%s\n", customer, (long long)(amount / 100), (long long)(amount % 100),
	       card, capture == FAKE_CAPTURE_MANUAL ? " (authorize now, capture later)" : "");
	int rc = fake_payment_intent_create(&pi, p, &pp, NULL);
	if (rc == FAKE_ECARD) {
		print_error(p, rc);
		printf("       error.payment_intent %s, error.charge %s\n", fake_error_last(p)->payment_intent,
		       fake_error_last(p)->charge);
		must(p, fake_payment_intent_retrieve(&pi, p, fake_error_last(p)->payment_intent, NULL), "retrieve pi");
	} else {
		must(p, rc, "create payment intent");
	}
	printf("    %s  %s", fake_payment_intent_id(pi), fake_payment_intent_status_name(pi));
	if (fake_payment_intent_next_action(pi))
		printf(", next_action %s", fake_payment_intent_next_action(pi));
	if (fake_payment_intent_last_error_code(pi))
		printf(", last_payment_error %s", fake_payment_intent_last_error_code(pi));
	printf("\n");
	return pi;
}

static void print_charge(fake_processor *p, const char *charge_id)
{
	const fake_charge *ch = NULL;
	const fake_balance_transaction *txn = NULL;
	must(p, fake_charge_retrieve(&ch, p, charge_id, NULL), "retrieve charge");
	printf("    %s  %s, captured %lld, refunded %lld", fake_charge_id(ch), fake_charge_status(ch),
	       (long long)fake_charge_amount_captured(ch), (long long)fake_charge_amount_refunded(ch));
	if (fake_charge_balance_transaction(ch)) {
		must(p, fake_balance_transaction_retrieve(&txn, p, fake_charge_balance_transaction(ch), NULL), "txn");
		printf("; %s: fee %lld, net %lld", fake_balance_transaction_id(txn),
		       (long long)fake_balance_transaction_fee(txn), (long long)fake_balance_transaction_net(txn));
	}
	printf("\n");
}

/* The application's webhook handler: verify, then act. It fails its first
 * delivery, as a server returning 500 would, to show the retry. */
struct webhook_app {
	const char *secret;
	int deliveries;
};

static int on_webhook(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	struct webhook_app *app = user_data;
	char when[32];
	int rc = fake_webhook_verify(p, d->payload, d->payload_len, d->signature, app->secret, fake_clock_now(p),
				     FAKE_WEBHOOK_TOLERANCE_DEFAULT);
	int status = rc != 0 ? 400 : app->deliveries++ == 0 ? 500 : 200;
	printf("  [%s] %s %s attempt %u, %zu bytes, signature %s -> %d\n", iso(fake_clock_now(p), when),
	       fake_event_id(d->event), fake_event_type(d->event), d->attempt, d->payload_len,
	       rc == 0 ? "verified" : "REJECTED", status);
	return status == 200 ? 0 : 1;
}

int main(void)
{
	char when[32];
	fake_processor *p = NULL;
	int rc = fake_processor_new(&p, NULL);
	if (rc != 0) {
		fprintf(stderr, "demo: fake_processor_new: %s\n", fake_status_name(rc));
		return 1;
	}
	printf("libfake %s demo: one processor, its clock at %s\n\n", FAKE_VERSION_STRING,
	       iso(fake_clock_now(p), when));

	printf("1. Customers with test cards\n");
	const fake_customer *ada = create_with_card(p, "Ada Lovelace", "ada@example.com", "pm_card_visa");
	const fake_customer *alan = create_with_card(p, "Alan Turing", "alan@example.com", "pm_card_mastercard");
	create_with_card(p, "Mallory", "mallory@example.com", "pm_card_chargeDeclined");
	printf("    (a declined card is the fake working as Stripe does: nothing was created)\n");
	if (!ada || !alan) {
		fake_processor_free(p);
		return 1;
	}

	static const char *const more[][2] = {
		{ "Edsger Dijkstra", "edsger@example.com" },
		{ "Barbara Liskov", "barbara@example.com" },
		{ "Ken Thompson", "ken@example.com" },
	};
	const fake_customer *more_ids[3] = { NULL, NULL, NULL };
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		fake_customer_create_params mp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
		mp.name = more[i][0];
		mp.email = more[i][1];
		const fake_customer *c = NULL;
		printf("  create customer %s <%s>, no card\n", mp.name, mp.email);
		must(p, fake_customer_create(&c, p, &mp, NULL), "create customer");
		print_customer(p, c);
		more_ids[i] = c;
	}

	const fake_customer *grace = NULL;
	fake_customer_create_params gp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	gp.name = "Grace Hopper";
	gp.email = "grace@example.com";
	printf("  create customer Grace Hopper <grace@example.com>, then attach pm_card_amex\n");
	must(p, fake_customer_create(&grace, p, &gp, NULL), "create grace");
	const char *grace_id = fake_customer_id(grace);
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = grace_id;
	const fake_payment_method *amex = NULL;
	must(p, fake_payment_method_attach(&amex, p, "pm_card_amex", &ap, NULL), "attach amex");
	printf("    attached %s (%s *%s, expires %02d/%d) to %s\n", fake_payment_method_id(amex),
	       fake_payment_method_card_brand(amex), fake_payment_method_card_last4(amex),
	       fake_payment_method_card_exp_month(amex), fake_payment_method_card_exp_year(amex),
	       or_none(fake_payment_method_customer(amex)));

	printf("\n2. Update\n");
	must(p, fake_clock_advance(p, HOUR), "advance");
	fake_kv plan[] = { { "plan", "pro" } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "grace@navy.example";
	up.metadata = plan;
	up.metadata_count = 1;
	must(p, fake_customer_update(&grace, p, grace_id, &up, NULL), "update grace");
	printf("  %s: email -> %s, metadata plan=%s\n", grace_id, fake_customer_email(grace),
	       or_none(fake_metadata_get(fake_customer_metadata(grace), "plan")));
	must(p, fake_customer_set_default_payment_method(&grace, p, grace_id, fake_payment_method_id(amex), NULL),
	     "set default");
	printf("  %s: default payment method -> %s\n", grace_id, or_none(fake_customer_default_payment_method(grace)));

	printf("\n3. Delete\n");
	const fake_customer *gone = NULL;
	must(p, fake_customer_delete(&gone, p, fake_customer_id(alan), NULL), "delete alan");
	const fake_customer *again = NULL;
	must(p, fake_customer_retrieve(&again, p, fake_customer_id(alan), NULL), "retrieve alan");
	printf("  deleted %s; retrieving it still works: deleted=%s\n", fake_customer_id(gone),
	       fake_customer_deleted(again) ? "true" : "false");
	const fake_customer *missing = NULL;
	rc = fake_customer_retrieve(&missing, p, "cus_nope", NULL);
	printf("  retrieve cus_nope:\n");
	print_error(p, rc);

	printf("\n4. The virtual clock\n");
	struct nightly job = { fake_customer_id(ada), 0 };
	int64_t first_night = fake_processor_options_get(p)->epoch + DAY + 2 * HOUR; /* 02:00 on day 2 */
	must(p, fake_clock_schedule(p, first_night, nightly_job, &job), "schedule");
	printf("  scheduled a nightly job for %s; advancing 2.5 days from %s\n", iso(first_night, when),
	       iso(fake_clock_now(p), (char[32]){ 0 }));
	must(p, fake_clock_advance(p, 2 * DAY + 12 * HOUR), "advance");
	printf("  clock now %s; the job ran %d times; %zu piece(s) of work still pending\n",
	       iso(fake_clock_now(p), when), job.runs, fake_clock_pending(p));

	printf("\n5. Payments\n");
	const fake_product *product = NULL;
	const fake_price *price = NULL;
	fake_price_create_params prp = FAKE_PRICE_CREATE_PARAMS_INIT;
	prp.currency = "usd";
	prp.unit_amount = 2000;
	prp.product_name = "Pro plan";
	prp.interval = FAKE_INTERVAL_MONTH;
	prp.lookup_key = "pro_monthly";
	must(p, fake_price_create(&price, p, &prp, NULL), "create price");
	must(p, fake_product_retrieve(&product, p, fake_price_product(price), NULL), "retrieve product");
	printf("  %s \"%s\", %s: %lld usd cents every %u %s (lookup key %s)\n", fake_product_id(product),
	       fake_product_name(product), fake_price_id(price), (long long)fake_price_unit_amount(price),
	       fake_price_interval_count(price), fake_price_interval_name(price), fake_price_lookup_key(price));

	const fake_payment_intent *pi = pay(p, fake_customer_id(ada), fake_customer_default_payment_method(ada), 2000,
					    FAKE_CAPTURE_AUTOMATIC);
	print_charge(p, fake_payment_intent_latest_charge(pi));

	const char *edsger = fake_customer_id(more_ids[0]);
	pi = pay(p, edsger, "pm_card_chargeDeclinedInsufficientFunds", 2000, FAKE_CAPTURE_AUTOMATIC);
	print_charge(p, fake_payment_intent_latest_charge(pi));
	fake_payment_intent_confirm_params cf = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	cf.payment_method = "pm_card_visa";
	must(p, fake_payment_intent_confirm(&pi, p, fake_payment_intent_id(pi), &cf, NULL), "retry");
	printf("  retried %s with pm_card_visa: %s\n", fake_payment_intent_id(pi), fake_payment_intent_status_name(pi));

	pi = pay(p, fake_customer_id(more_ids[1]), "pm_card_authenticationRequired", 2000, FAKE_CAPTURE_AUTOMATIC);
	must(p, fake_payment_intent_authenticate(&pi, p, fake_payment_intent_id(pi), true, NULL), "authenticate");
	printf("  the customer completes 3D Secure: %s\n", fake_payment_intent_status_name(pi));

	pi = pay(p, fake_customer_id(more_ids[2]), "pm_card_visa", 5000, FAKE_CAPTURE_MANUAL);
	fake_payment_intent_capture_params capture = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	capture.amount_to_capture = 4000;
	must(p, fake_payment_intent_capture(&pi, p, fake_payment_intent_id(pi), &capture, NULL), "capture");
	printf("  captured 40.00 of 50.00: %s\n", fake_payment_intent_status_name(pi));
	const fake_refund *refund = NULL;
	fake_refund_create_params rp = FAKE_REFUND_CREATE_PARAMS_INIT;
	rp.payment_intent = fake_payment_intent_id(pi);
	rp.amount = 1000;
	rp.reason = "requested_by_customer";
	must(p, fake_refund_create(&refund, p, &rp, NULL), "refund");
	printf("  refunded 10.00 (%s, %s); amount_refunded also counts the 10.00 released at capture\n",
	       fake_refund_id(refund), fake_refund_reason(refund));
	print_charge(p, fake_payment_intent_latest_charge(pi));

	printf("\n6. Webhooks\n");
	static const char *const wanted[] = { "customer.updated", "charge.refunded" };
	struct webhook_app app = { NULL, 0 };
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wp.url = "https://example.com/stripe/webhook";
	wp.enabled_events = wanted;
	wp.enabled_event_count = 2;
	wp.handler = on_webhook;
	wp.user_data = &app;
	const fake_webhook_endpoint *endpoint = NULL;
	must(p, fake_webhook_endpoint_create(&endpoint, p, &wp, NULL), "create webhook endpoint");
	app.secret = fake_webhook_endpoint_secret(endpoint);
	printf("  %s for customer.updated and charge.refunded, secret %s\n", fake_webhook_endpoint_id(endpoint),
	       app.secret);
	fake_customer_update_params wu = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	wu.name = "Rear Admiral Grace Hopper";
	must(p, fake_customer_update(&grace, p, grace_id, &wu, NULL), "update grace");
	rp.amount = 500;
	rp.reason = NULL;
	must(p, fake_refund_create(&refund, p, &rp, NULL), "refund");
	printf("  advancing 10 minutes: the failed delivery is retried at its time\n");
	must(p, fake_clock_advance(p, 10 * 60), "advance");
	printf("  %llu deliveries, %llu failed\n", (unsigned long long)fake_webhook_endpoint_attempts(endpoint),
	       (unsigned long long)fake_webhook_endpoint_failures(endpoint));

	printf("\n7. Subscriptions: a trial that renews, and a card that fails into dunning\n");
	const fake_customer *barbara =
		create_with_card(p, "Barbara Liskov", "barbara@example.com", "pm_card_chargeCustomerFail");
	if (!barbara) {
		fake_processor_free(p);
		return 1;
	}
	const fake_subscription *ada_sub = subscribe(p, ada, price, 14);
	const fake_subscription *barbara_sub = subscribe(p, barbara, price, 7);
	printf("  advancing 75 days: renewal notices, trial ends, renewals, failed payments and their retries\n");
	must(p, fake_clock_advance(p, 75 * DAY), "advance");
	print_billing(p, ada_sub);
	print_billing(p, barbara_sub);

	printf("\n8. Customers, two per page, newest first\n");
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	fake_list page;
	for (int n = 1;; n++) {
		must(p, fake_customer_list(&page, p, &lp, NULL), "list customers");
		printf("  page %d%s\n", n, page.has_more ? " (has_more)" : "");
		for (size_t i = 0; i < page.count; i++)
			print_customer(p, page.data[i]);
		if (!page.has_more || page.count == 0)
			break;
		lp.page.starting_after = fake_customer_id(page.data[page.count - 1]);
	}

	printf("\n9. Event log, oldest first (%zu events)\n", fake_event_count(p));
	size_t total = fake_event_count(p), n = 0;
	const fake_event **events = calloc(total ? total : 1, sizeof(*events));
	if (!events) {
		fake_processor_free(p);
		return 1;
	}
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_EVENTS, NULL, NULL);
	const void *obj = NULL;
	while (n < total && (rc = fake_list_iter_next(&obj, &it)) == 0)
		events[n++] = obj;
	if (rc < 0)
		must(p, rc, "list events");
	for (size_t i = n; i-- > 0;) {
		const fake_event *e = events[i];
		const char *object = fake_object_id(fake_event_object(e)); /* NULL: invoice.upcoming's preview */
		printf("  %s  %s  %-26s %s", fake_event_id(e), iso(fake_event_created(e), when), fake_event_type(e),
		       object ? object : "(upcoming invoice, no id)");
		size_t changed = fake_event_previous_attribute_count(e);
		for (size_t k = 0; k < changed; k++)
			printf("%s%s", k ? "," : "  changed: ", fake_event_previous_attribute(e, k));
		printf("\n");
	}
	free(events);
	fake_processor_free(p);
	return 0;
}
