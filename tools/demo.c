/*
 * fakebill demo: a simulated SaaS on a fresh processor (docs/cli.md, "demo").
 *
 * 200 customers (--customers) sign up in January on 10 cohort test clocks,
 * one cohort every 3 days, each to one of three monthly plans, some with a
 * 14-day trial, most with a good card, some with a card that attaches and
 * then declines every charge (pm_card_chargeCustomerFail), some with a
 * card that starts declining in a later month ("expires"). Every test
 * clock is then advanced half a month at a time for 12 months (--months)
 * with fake_test_clock_advance_and_wait(). Between advances the customers
 * act: a card expires, a past-due customer who cares updates the card and
 * pays, a few customers ask to cancel at the end of the period.
 *
 * What happened is read back from the processor afterwards: the timeline
 * from the event log (trial conversions, payments, failures, recoveries,
 * cancellations, by the month of the event), the summary from the objects
 * (subscriptions and invoices by status, revenue by the month invoices
 * were paid). Every choice comes from the processor's seeded PRNG
 * (fake_processor_random(), --seed), so one seed gives the same bytes on
 * every run.
 */

#include "fakebill.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY INT64_C(86400)
#define HOUR INT64_C(3600)
#define TRIAL_DAYS 14
#define COHORTS_MAX 10
#define CUSTOMERS_MAX 2000
#define MONTHS_MAX 36
#define PROGRESS_MIN 10000 /* customer-months from which a run shows a progress bar */

/* What the demo's options say. */
typedef struct demo_options {
	int64_t customers;
	int64_t months;
	int64_t seed;
	bool json;
	const char *save; /* --save FILE: where to write the final state, or NULL */
} demo_options;

typedef struct plan {
	const char *name;
	int64_t amount; /* cents a month */
	unsigned int weight; /* percent of sign-ups */
	const fake_price *price;
} plan;

/* The card a customer signs up with. */
typedef enum card_kind {
	CARD_GOOD,    /* pm_card_visa or pm_card_mastercard: every charge succeeds */
	CARD_FAILS,   /* pm_card_chargeCustomerFail: attaches, then declines every charge */
	CARD_EXPIRES  /* good until expires_month, then replaced by one that declines */
} card_kind;

typedef struct demo_customer {
	const char *id;           /* borrowed from the processor */
	const char *subscription; /* borrowed */
	size_t cohort;
	size_t plan;
	card_kind card;
	bool trial;
	bool updates_card;        /* when a payment fails, adds a good card and pays */
	int64_t expires_month;    /* CARD_EXPIRES: the month its card starts declining */
} demo_customer;

/* What happened in one month: from the event log, and the customers' own actions. */
typedef struct month_stats {
	int64_t signups, trial_signups, trials_converted;
	int64_t invoices_paid, revenue;
	int64_t payments_failed, first_failures;
	int64_t expired_unpaid, recovered, canceled_dunning, canceled_voluntary;
	int64_t cards_expired, cards_updated, cancels_requested;
	int64_t revenue_by_paid_at; /* from the invoices themselves, for the summary */
} month_stats;

typedef struct demo {
	fb_ctx *ctx;
	fake_processor *p;
	demo_options o;
	plan plans[3];
	size_t ncohorts;
	const char *clocks[COHORTS_MAX]; /* borrowed ids */
	int64_t clock_time[COHORTS_MAX]; /* each clock's frozen_time */
	demo_customer *customers;
	month_stats *months;
	int64_t start_year;
	unsigned int start_month;
	bool progress;
	int64_t events;
	/* the summary */
	int64_t sub_status[8];
	int64_t inv_status[5];
	int64_t mrr, active;
} demo;

/* Stops the demo at a call that should have worked. */
#define MUST(d, call)                                      \
	do {                                               \
		int rc_ = (call);                          \
		if (rc_ != 0)                              \
			return fb_fail((d)->ctx, rc_);     \
	} while (0)

/* An integer in 0 .. n-1 from the processor's PRNG (n is small: the modulo's bias does not show). */
static uint64_t pick(demo *d, uint64_t n)
{
	return fake_processor_random(d->p) % n;
}

/* ---- calendar months ---------------------------------------------------- */

/* The first second of month m of the simulation (0: the processor's start month). */
static int64_t month_start(const demo *d, int64_t m)
{
	int64_t months = d->start_year * 12 + (d->start_month - 1) + m;
	return fb_days_from_civil(months / 12, (unsigned int)(months % 12) + 1, 1) * DAY;
}

/* The month of the simulation that time @p t falls in, held within the run. */
static int64_t month_of(const demo *d, int64_t t)
{
	int64_t y;
	unsigned int m, day;
	fb_civil_from_days(t / DAY, &y, &m, &day);
	int64_t i = (y * 12 + m - 1) - (d->start_year * 12 + d->start_month - 1);
	return i < 0 ? 0 : i >= d->o.months ? d->o.months - 1 : i;
}

static const char *month_name(const demo *d, int64_t m, char buf[16])
{
	int64_t y;
	unsigned int mo, day;
	fb_civil_from_days(month_start(d, m) / DAY, &y, &mo, &day);
	snprintf(buf, 16, "%04lld-%02u", (long long)y, mo);
	return buf;
}

/* ---- numbers ------------------------------------------------------------ */

/* 1234567 -> "1,234,567". */
static const char *grouped(int64_t n, char buf[32])
{
	char digits[32];
	snprintf(digits, sizeof(digits), "%lld", (long long)(n < 0 ? -n : n));
	size_t len = strlen(digits), o = 0;
	if (n < 0)
		buf[o++] = '-';
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* 123456 cents -> "1,234.56 USD". */
static const char *money(int64_t cents, char buf[48])
{
	char whole[32];
	snprintf(buf, 48, "%s.%02lld USD", grouped(cents / 100, whole), (long long)(cents % 100));
	return buf;
}

static const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- the run ------------------------------------------------------------ */

static void progress(const demo *d, int64_t step, int64_t steps)
{
	if (!d->progress)
		return;
	char bar[31];
	size_t filled = (size_t)(step * 30 / steps);
	memset(bar, '#', filled);
	memset(bar + filled, '.', 30 - filled);
	bar[30] = '\0';
	fprintf(stderr, "\rfakebill demo: [%s] month %lld/%lld", bar, (long long)((step + 1) / 2),
		(long long)d->o.months);
	if (step == steps)
		fprintf(stderr, "\r%60s\r", "");
	fflush(stderr);
}

static int create_plans(demo *d)
{
	static const struct {
		const char *name;
		int64_t amount;
		unsigned int weight;
	} catalog[3] = { { "Starter", 900, 50 }, { "Pro", 2900, 35 }, { "Business", 9900, 15 } };
	for (size_t i = 0; i < 3; i++) {
		fake_price_create_params pp = FAKE_PRICE_CREATE_PARAMS_INIT;
		pp.currency = "usd";
		pp.unit_amount = catalog[i].amount;
		pp.product_name = catalog[i].name;
		pp.interval = FAKE_INTERVAL_MONTH;
		d->plans[i] = (plan){ catalog[i].name, catalog[i].amount, catalog[i].weight, NULL };
		MUST(d, fake_price_create(&d->plans[i].price, d->p, &pp, NULL));
	}
	return FB_EXIT_OK;
}

/* Cohort k signs up on day 2 + 3k of the first month at 10:00 on its own clock. */
static int create_clocks(demo *d)
{
	d->ncohorts = d->o.customers < COHORTS_MAX ? (size_t)d->o.customers : COHORTS_MAX;
	for (size_t k = 0; k < d->ncohorts; k++) {
		char name[48];
		snprintf(name, sizeof(name), "demo cohort %02zu", k + 1);
		fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
		cp.frozen_time = month_start(d, 0) + (int64_t)(1 + 3 * k) * DAY + 10 * HOUR;
		cp.name = name;
		const fake_test_clock *c = NULL;
		MUST(d, fake_test_clock_create(&c, d->p, &cp, NULL));
		d->clocks[k] = fake_test_clock_id(c);
		d->clock_time[k] = cp.frozen_time;
	}
	return FB_EXIT_OK;
}

/* Draws a customer's profile; the order of the draws is part of the output. */
static void draw_customer(demo *d, demo_customer *c, size_t i)
{
	c->cohort = i * d->ncohorts / (size_t)d->o.customers;
	uint64_t r = pick(d, 100);
	c->plan = r < d->plans[0].weight ? 0 : r < d->plans[0].weight + d->plans[1].weight ? 1 : 2;
	c->trial = pick(d, 100) < 40;
	r = pick(d, 100);
	c->card = r < 78 ? CARD_GOOD : r < 88 ? CARD_FAILS : CARD_EXPIRES;
	c->updates_card = pick(d, 100) < 50;
	c->expires_month = 1 + (int64_t)pick(d, (uint64_t)d->o.months);
}

static int sign_up(demo *d, demo_customer *c, size_t i)
{
	char name[32], email[64];
	snprintf(name, sizeof(name), "Customer %04zu", i + 1);
	snprintf(email, sizeof(email), "customer%04zu@example.com", i + 1);
	const char *card = c->card == CARD_FAILS ? "pm_card_chargeCustomerFail"
			   : pick(d, 2)         ? "pm_card_mastercard"
						: "pm_card_visa";
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.name = name;
	cp.email = email;
	cp.payment_method = card;
	cp.default_payment_method = card;
	cp.test_clock = d->clocks[c->cohort];
	const fake_customer *cus = NULL;
	MUST(d, fake_customer_create(&cus, d->p, &cp, NULL));
	c->id = fake_customer_id(cus);

	fake_subscription_item_params item = { NULL, fake_price_id(d->plans[c->plan].price), NULL, 1, false, NULL, 0 };
	fake_subscription_create_params sp = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	sp.customer = c->id;
	sp.items = &item;
	sp.item_count = 1;
	sp.trial_period_days = c->trial ? TRIAL_DAYS : 0;
	const fake_subscription *sub = NULL;
	MUST(d, fake_subscription_create(&sub, d->p, &sp, NULL));
	c->subscription = fake_subscription_id(sub);
	return FB_EXIT_OK;
}

static int subscription_of(demo *d, const demo_customer *c, const fake_subscription **out)
{
	MUST(d, fake_subscription_retrieve(out, d->p, c->subscription, NULL));
	return FB_EXIT_OK;
}

/* Attaches test card @p token to the customer and makes it the default. */
static int new_default_card(demo *d, const demo_customer *c, const char *token)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = c->id;
	const fake_payment_method *pm = NULL;
	MUST(d, fake_payment_method_attach(&pm, d->p, token, &ap, NULL));
	const fake_customer *cus = NULL;
	MUST(d, fake_customer_set_default_payment_method(&cus, d->p, c->id, fake_payment_method_id(pm), NULL));
	return FB_EXIT_OK;
}

/* A past-due customer who cares adds a good card and pays what is open. */
static int recover(demo *d, demo_customer *c, month_stats *ms)
{
	int status = new_default_card(d, c, "pm_card_visa");
	if (status != FB_EXIT_OK)
		return status;
	c->updates_card = false; /* once */
	ms->cards_updated++;
	fake_invoice_list_params ip = FAKE_INVOICE_LIST_PARAMS_INIT;
	ip.customer = c->id;
	ip.status = "open";
	ip.page.limit = FAKE_LIST_LIMIT_MAX;
	fake_list open;
	MUST(d, fake_invoice_list(&open, d->p, &ip, NULL));
	for (size_t i = open.count; i-- > 0;) {
		const fake_invoice *inv = NULL;
		MUST(d, fake_invoice_pay(&inv, d->p, fake_invoice_id(open.data[i]), NULL, NULL));
	}
	return FB_EXIT_OK;
}

/*
 * What the customers do at a checkpoint (every clock stands at its time):
 * past-due customers who care recover; at the start of a month (@p
 * month_start), cards that expire this month start declining and a few
 * active customers ask to cancel at the end of their period.
 */
static int act(demo *d, int64_t month, bool at_month_start)
{
	month_stats *ms = &d->months[month];
	for (int64_t i = 0; i < d->o.customers; i++) {
		demo_customer *c = &d->customers[i];
		const fake_subscription *sub = NULL;
		int status = subscription_of(d, c, &sub);
		if (status != FB_EXIT_OK)
			return status;
		fake_subscription_status st = fake_subscription_status_of(sub);
		if (st == FAKE_SUB_PAST_DUE && c->updates_card) {
			if ((status = recover(d, c, ms)) != FB_EXIT_OK)
				return status;
			continue;
		}
		if (!at_month_start)
			continue;
		if (c->card == CARD_EXPIRES && c->expires_month == month &&
		    (st == FAKE_SUB_ACTIVE || st == FAKE_SUB_TRIALING || st == FAKE_SUB_PAST_DUE)) {
			if ((status = new_default_card(d, c, "pm_card_chargeCustomerFail")) != FB_EXIT_OK)
				return status;
			ms->cards_expired++;
		}
		if (st == FAKE_SUB_ACTIVE && !fake_subscription_cancel_at_period_end(sub) && pick(d, 1000) < 25) {
			fake_subscription_update_params up = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
			up.cancel_at_period_end = FAKE_FLAG_SET;
			MUST(d, fake_subscription_update(&sub, d->p, c->subscription, &up, NULL));
			ms->cancels_requested++;
		}
	}
	return FB_EXIT_OK;
}

/* Advances every clock that is not there yet to @p t, waiting for each. */
static int advance_all(demo *d, int64_t t)
{
	for (size_t k = 0; k < d->ncohorts; k++) {
		if (d->clock_time[k] >= t)
			continue;
		const fake_test_clock *c = NULL;
		MUST(d, fake_test_clock_advance_and_wait(&c, d->p, d->clocks[k], t, NULL, NULL));
		d->clock_time[k] = fake_test_clock_frozen_time(c);
	}
	return FB_EXIT_OK;
}

static int simulate(demo *d)
{
	int status;
	if ((status = create_plans(d)) != FB_EXIT_OK || (status = create_clocks(d)) != FB_EXIT_OK)
		return status;
	for (int64_t i = 0; i < d->o.customers; i++)
		draw_customer(d, &d->customers[i], (size_t)i);
	for (int64_t i = 0; i < d->o.customers; i++)
		if ((status = sign_up(d, &d->customers[i], (size_t)i)) != FB_EXIT_OK)
			return status;
	/* Half a month at a time: the 16th, then the 1st of the next month. */
	for (int64_t m = 0; m < d->o.months; m++) {
		if (m > 0 && (status = act(d, m, true)) != FB_EXIT_OK)
			return status;
		if ((status = advance_all(d, month_start(d, m) + 15 * DAY)) != FB_EXIT_OK)
			return status;
		progress(d, 2 * m + 1, 2 * d->o.months);
		if ((status = act(d, m, false)) != FB_EXIT_OK)
			return status;
		if ((status = advance_all(d, month_start(d, m + 1))) != FB_EXIT_OK)
			return status;
		progress(d, 2 * m + 2, 2 * d->o.months);
	}
	return FB_EXIT_OK;
}

/* ---- reading it back ---------------------------------------------------- */

static void count_event(demo *d, const fake_event *e)
{
	month_stats *ms = &d->months[month_of(d, fake_event_created(e))];
	const char *type = fake_event_type(e);
	const void *obj = fake_event_object(e);
	d->events++;
	if (strcmp(type, "customer.subscription.created") == 0) {
		ms->signups++;
		ms->trial_signups += fake_subscription_status_of(obj) == FAKE_SUB_TRIALING;
	} else if (strcmp(type, "customer.subscription.updated") == 0) {
		const void *prev = fake_event_previous(e);
		fake_subscription_status from = fake_subscription_status_of(prev), to = fake_subscription_status_of(obj);
		if (from == to)
			return;
		ms->trials_converted += from == FAKE_SUB_TRIALING && to == FAKE_SUB_ACTIVE;
		ms->recovered += from == FAKE_SUB_PAST_DUE && to == FAKE_SUB_ACTIVE;
		ms->expired_unpaid += to == FAKE_SUB_INCOMPLETE_EXPIRED;
	} else if (strcmp(type, "customer.subscription.deleted") == 0) {
		/* The demo's only cancellations: asked for at period end, or by
		 * dunning. A cancellation asked for earlier keeps the request's
		 * time as canceled_at; dunning cancels when it ends it. */
		if (fake_subscription_canceled_at(obj) < fake_subscription_ended_at(obj))
			ms->canceled_voluntary++;
		else
			ms->canceled_dunning++;
	} else if (strcmp(type, "invoice.paid") == 0) {
		int64_t paid = fake_invoice_amount_paid(obj);
		if (paid > 0) {
			ms->invoices_paid++;
			ms->revenue += paid;
		}
	} else if (strcmp(type, "invoice.payment_failed") == 0) {
		ms->payments_failed++;
		ms->first_failures += fake_invoice_attempt_count(obj) == 1;
	}
}

static int read_events(demo *d)
{
	fake_event_list_params ep = FAKE_EVENT_LIST_PARAMS_INIT;
	ep.page.limit = FAKE_LIST_LIMIT_MAX;
	fake_list_iter it;
	fake_list_iter_init(&it, d->p, FAKE_OP_LIST_EVENTS, &ep, NULL);
	const void *e;
	int rc;
	while ((rc = fake_list_iter_next(&e, &it)) == 0)
		count_event(d, e);
	if (rc != FAKE_ITEROVER)
		return fb_fail(d->ctx, rc);
	return FB_EXIT_OK;
}

static int read_objects(demo *d)
{
	for (int64_t i = 0; i < d->o.customers; i++) {
		const demo_customer *c = &d->customers[i];
		const fake_subscription *sub = NULL;
		int status = subscription_of(d, c, &sub);
		if (status != FB_EXIT_OK)
			return status;
		fake_subscription_status st = fake_subscription_status_of(sub);
		if ((size_t)st < 8)
			d->sub_status[st]++;
		if (st == FAKE_SUB_ACTIVE) {
			d->active++;
			d->mrr += d->plans[c->plan].amount;
		}

		fake_invoice_list_params ip = FAKE_INVOICE_LIST_PARAMS_INIT;
		ip.customer = c->id;
		ip.page.limit = FAKE_LIST_LIMIT_MAX;
		fake_list_iter it;
		fake_list_iter_init(&it, d->p, FAKE_OP_LIST_INVOICES, &ip, NULL);
		const void *o;
		int rc;
		while ((rc = fake_list_iter_next(&o, &it)) == 0) {
			fake_invoice_status is = fake_invoice_status_of(o);
			if ((size_t)is < 5)
				d->inv_status[is]++;
			if (is == FAKE_INVOICE_PAID)
				d->months[month_of(d, fake_invoice_paid_at(o))].revenue_by_paid_at +=
					fake_invoice_amount_paid(o);
		}
		if (rc != FAKE_ITEROVER)
			return fb_fail(d->ctx, rc);
	}
	return FB_EXIT_OK;
}

/* ---- text output -------------------------------------------------------- */

/* The order the summary shows subscription statuses in: live ones first. */
static const fake_subscription_status status_order[8] = {
	FAKE_SUB_ACTIVE,   FAKE_SUB_TRIALING,   FAKE_SUB_PAST_DUE, FAKE_SUB_UNPAID,
	FAKE_SUB_PAUSED,   FAKE_SUB_INCOMPLETE, FAKE_SUB_CANCELED, FAKE_SUB_INCOMPLETE_EXPIRED,
};

static int64_t total(const demo *d, size_t offset)
{
	int64_t sum = 0;
	for (int64_t m = 0; m < d->o.months; m++)
		sum += *(const int64_t *)(const void *)((const char *)&d->months[m] + offset);
	return sum;
}
#define TOTAL(d, field) total((d), offsetof(month_stats, field))

static void print_month(const demo *d, FILE *out, int64_t m)
{
	const month_stats *s = &d->months[m];
	char name[16], a[48], n1[32];
	fprintf(out, "%s  %s revenue from %s paid %s\n", month_name(d, m, name), money(s->revenue, a),
		grouped(s->invoices_paid, n1), plural(s->invoices_paid, "invoice", "invoices"));
	if (s->signups)
		fprintf(out, "  %lld %s, %lld with a %d-day trial\n", (long long)s->signups,
			plural(s->signups, "sign-up", "sign-ups"), (long long)s->trial_signups, TRIAL_DAYS);
	if (s->trials_converted)
		fprintf(out, "  %lld %s to a paid plan\n", (long long)s->trials_converted,
			plural(s->trials_converted, "trial converted", "trials converted"));
	if (s->payments_failed)
		fprintf(out, "  %lld %s failed (%lld first %s, %lld %s)\n", (long long)s->payments_failed,
			plural(s->payments_failed, "payment", "payments"), (long long)s->first_failures,
			plural(s->first_failures, "attempt", "attempts"), (long long)(s->payments_failed - s->first_failures),
			plural(s->payments_failed - s->first_failures, "retry", "retries"));
	if (s->expired_unpaid)
		fprintf(out, "  %lld %s expired unpaid 23 hours after a failed first payment\n",
			(long long)s->expired_unpaid, plural(s->expired_unpaid, "sign-up", "sign-ups"));
	if (s->cards_expired || s->cards_updated || s->cancels_requested) {
		fputs("  customers:", out);
		const char *sep = " ";
		if (s->cards_expired) {
			fprintf(out, "%s%lld %s", sep, (long long)s->cards_expired,
				plural(s->cards_expired, "card expired", "cards expired"));
			sep = ", ";
		}
		if (s->cards_updated) {
			fprintf(out, "%s%lld %s", sep, (long long)s->cards_updated,
				plural(s->cards_updated, "card updated", "cards updated"));
			sep = ", ";
		}
		if (s->cancels_requested)
			fprintf(out, "%s%lld asked to cancel at period end", sep, (long long)s->cancels_requested);
		fputc('\n', out);
	}
	if (s->recovered)
		fprintf(out, "  %lld past-due %s recovered\n", (long long)s->recovered,
			plural(s->recovered, "subscription", "subscriptions"));
	if (s->canceled_dunning || s->canceled_voluntary)
		fprintf(out, "  canceled: %lld after failed payments (dunning), %lld at period end\n",
			(long long)s->canceled_dunning, (long long)s->canceled_voluntary);
}

static void print_text(const demo *d, FILE *out)
{
	char a[48], b[48], c[48], n1[32], n2[32];
	fprintf(out, "fakebill demo: a simulated SaaS on libfake's test clocks (seed %lld)\n", (long long)d->o.seed);
	fprintf(out, "%lld %s on %zu test %s, a cohort every 3 days; %lld %s from %s\n",
		(long long)d->o.customers, plural(d->o.customers, "customer", "customers"), d->ncohorts,
		plural((int64_t)d->ncohorts, "clock", "clocks"),
		(long long)d->o.months, plural(d->o.months, "month", "months"), fb_iso(month_start(d, 0), n1));
	fprintf(out, "Plans: %s %s, %s %s, %s %s a month\n\n", d->plans[0].name, money(d->plans[0].amount, a),
		d->plans[1].name, money(d->plans[1].amount, b), d->plans[2].name, money(d->plans[2].amount, c));

	for (int64_t m = 0; m < d->o.months; m++)
		print_month(d, out, m);

	int64_t signups = TOTAL(d, signups), dunning = TOTAL(d, canceled_dunning);
	int64_t invoices = 0;
	for (size_t i = 0; i < 5; i++)
		invoices += d->inv_status[i];
	fprintf(out, "\nSummary after %lld %s (to %s)\n", (long long)d->o.months, plural(d->o.months, "month", "months"),
		fb_iso(month_start(d, d->o.months), n1));
	fprintf(out, "  subscriptions  %lld:", (long long)signups);
	const char *sep = " ";
	for (size_t i = 0; i < 8; i++) {
		fake_subscription_status s = status_order[i];
		if (d->sub_status[s]) {
			fprintf(out, "%s%lld %s", sep, (long long)d->sub_status[s], fake_subscription_status_string(s));
			sep = ", ";
		}
	}
	fprintf(out, "\n  invoices       %s: %s paid, %lld open, %lld uncollectible, %lld void, %lld draft\n",
		grouped(invoices, n1), grouped(d->inv_status[FAKE_INVOICE_PAID], n2),
		(long long)d->inv_status[FAKE_INVOICE_OPEN], (long long)d->inv_status[FAKE_INVOICE_UNCOLLECTIBLE],
		(long long)d->inv_status[FAKE_INVOICE_VOID], (long long)d->inv_status[FAKE_INVOICE_DRAFT]);
	fprintf(out, "  revenue        %s\n", money(TOTAL(d, revenue_by_paid_at), a));
	fprintf(out, "  MRR at the end %s from %lld active %s\n", money(d->mrr, a), (long long)d->active,
		plural(d->active, "subscription", "subscriptions"));
	fprintf(out, "  dunning churn  %lld %s canceled after failed payments (%lld.%lld%% of %lld %s)\n",
		(long long)dunning, plural(dunning, "subscription", "subscriptions"),
		(long long)(signups ? dunning * 1000 / signups / 10 : 0),
		(long long)(signups ? dunning * 1000 / signups % 10 : 0), (long long)signups,
		plural(signups, "sign-up", "sign-ups"));
	fprintf(out, "  voluntary      %lld canceled at period end on request\n",
		(long long)TOTAL(d, canceled_voluntary));
	fprintf(out, "  event log      %s events\n", grouped(d->events, n1));

	fputs("\nRevenue by month (amount_paid of the invoices paid in the month)\n", out);
	int64_t top = 1;
	for (int64_t m = 0; m < d->o.months; m++)
		if (d->months[m].revenue_by_paid_at > top)
			top = d->months[m].revenue_by_paid_at;
	for (int64_t m = 0; m < d->o.months; m++) {
		int64_t r = d->months[m].revenue_by_paid_at;
		char bar[41];
		size_t len = (size_t)(r * 40 / top);
		memset(bar, '#', len);
		bar[len] = '\0';
		fprintf(out, "  %s  %16s  %s\n", month_name(d, m, n1), money(r, a), bar);
	}
}

/* ---- JSON output -------------------------------------------------------- */

static int print_json(const demo *d, FILE *out)
{
	char buf[48];
	json_t *root = json_object();
	json_object_set_new(root, "seed", json_integer(d->o.seed));
	json_object_set_new(root, "customers", json_integer(d->o.customers));
	json_object_set_new(root, "months", json_integer(d->o.months));
	json_object_set_new(root, "test_clocks", json_integer((json_int_t)d->ncohorts));
	json_object_set_new(root, "start", json_string(fb_iso(month_start(d, 0), buf)));
	json_object_set_new(root, "end", json_string(fb_iso(month_start(d, d->o.months), buf)));
	json_object_set_new(root, "currency", json_string("usd"));

	json_t *plans = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(plans, json_pack("{s:s, s:s, s:I, s:s}", "name", d->plans[i].name, "price",
						       fake_price_id(d->plans[i].price), "unit_amount",
						       (json_int_t)d->plans[i].amount, "interval", "month"));
	json_object_set_new(root, "plans", plans);

	json_t *timeline = json_array();
	for (int64_t m = 0; m < d->o.months; m++) {
		const month_stats *s = &d->months[m];
		char name[16];
		json_t *o = json_object();
		json_object_set_new(o, "month", json_string(month_name(d, m, name)));
		json_object_set_new(o, "signups", json_integer(s->signups));
		json_object_set_new(o, "trial_signups", json_integer(s->trial_signups));
		json_object_set_new(o, "trials_converted", json_integer(s->trials_converted));
		json_object_set_new(o, "invoices_paid", json_integer(s->invoices_paid));
		json_object_set_new(o, "revenue", json_integer(s->revenue));
		json_object_set_new(o, "payments_failed", json_integer(s->payments_failed));
		json_object_set_new(o, "first_attempt_failures", json_integer(s->first_failures));
		json_object_set_new(o, "expired_unpaid", json_integer(s->expired_unpaid));
		json_object_set_new(o, "recovered", json_integer(s->recovered));
		json_object_set_new(o, "canceled_dunning", json_integer(s->canceled_dunning));
		json_object_set_new(o, "canceled_voluntary", json_integer(s->canceled_voluntary));
		json_object_set_new(o, "cards_expired", json_integer(s->cards_expired));
		json_object_set_new(o, "cards_updated", json_integer(s->cards_updated));
		json_object_set_new(o, "cancellations_requested", json_integer(s->cancels_requested));
		json_array_append_new(timeline, o);
	}
	json_object_set_new(root, "timeline", timeline);

	json_t *subs = json_object();
	for (size_t i = 0; i < 8; i++)
		json_object_set_new(subs, fake_subscription_status_string(status_order[i]),
				    json_integer(d->sub_status[status_order[i]]));
	json_object_set_new(root, "subscriptions", subs);
	json_t *invs = json_object();
	for (size_t s = 0; s < 5; s++)
		json_object_set_new(invs, fake_invoice_status_string((fake_invoice_status)s),
				    json_integer(d->inv_status[s]));
	json_object_set_new(root, "invoices", invs);

	json_t *by_month = json_array();
	for (int64_t m = 0; m < d->o.months; m++) {
		char name[16];
		json_array_append_new(by_month, json_pack("{s:s, s:I}", "month", month_name(d, m, name), "amount_paid",
							  (json_int_t)d->months[m].revenue_by_paid_at));
	}
	json_object_set_new(root, "revenue", json_pack("{s:I, s:o}", "total", (json_int_t)TOTAL(d, revenue_by_paid_at),
						       "by_month", by_month));
	json_object_set_new(root, "mrr", json_pack("{s:I, s:I}", "amount", (json_int_t)d->mrr, "active_subscriptions",
						   (json_int_t)d->active));
	json_object_set_new(root, "churn", json_pack("{s:I, s:I}", "dunning", (json_int_t)TOTAL(d, canceled_dunning),
						     "voluntary", (json_int_t)TOTAL(d, canceled_voluntary)));
	json_object_set_new(root, "events", json_integer(d->events));

	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text) {
		fprintf(stderr, "fakebill demo: out of memory\n");
		return FB_EXIT_FAIL;
	}
	fprintf(out, "%s\n", text);
	free(text);
	return FB_EXIT_OK;
}

/* ---- the command -------------------------------------------------------- */

static const char demo_help[] =
	"Usage: fakebill demo [--customers N] [--months N] [--seed N] [--json] [--save FILE]\n"
	"\n"
	"Runs a simulated SaaS on a fresh processor (no state file): N customers sign\n"
	"up in the first month on 10 cohort test clocks, one cohort every 3 days, to\n"
	"three monthly plans (Starter 9 USD, Pro 29 USD, Business 99 USD), about 4 in\n"
	"10 with a 14-day trial; most cards are good, some attach and then decline\n"
	"every charge, some start declining in a later month. The clocks advance half\n"
	"a month at a time; between advances some past-due customers update their card\n"
	"and pay, and a few ask to cancel at the end of the period. It prints what\n"
	"happened month by month (from the event log) and a summary: subscriptions by\n"
	"status, invoices by status, revenue by month, MRR and churn. The same seed\n"
	"gives the same output, byte for byte.\n"
	"\n"
	"Options:\n"
	"  --customers N          customers, 1..2000 (default 200)\n"
	"  --months N             months to simulate, 1..36 (default 12)\n"
	"  --seed N               the processor's PRNG seed, 0..9223372036854775807 (default 1)\n"
	"  --json                 print the summary as a JSON document instead of text\n"
	"  --save FILE            also write the final state to FILE, a state file for the\n"
	"                         other commands ('fakebill customers list --state FILE ...')\n"
	"  -h, --help             print this help\n";

enum { OPT_CUSTOMERS = FB_OPT_FIRST_PRIVATE, OPT_MONTHS, OPT_SEED, OPT_SAVE };

/* Reads the demo's options into @p o; sets *helped when it printed the help instead. */
static int parse_options(fb_ctx *ctx, int argc, char **argv, demo_options *o, bool *helped)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "customers", required_argument, NULL, OPT_CUSTOMERS },
		{ "months", required_argument, NULL, OPT_MONTHS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "json", no_argument, NULL, FB_OPT_JSON },
		{ "save", required_argument, NULL, OPT_SAVE },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case FB_OPT_HELP:
			*helped = true;
			return fb_help(ctx, demo_help);
		case OPT_CUSTOMERS:
			if (fb_parse_int(optarg, 1, CUSTOMERS_MAX, &o->customers) != 0)
				return fb_usage_error(ctx, "invalid --customers: '%s' (use 1..%d)", optarg, CUSTOMERS_MAX);
			break;
		case OPT_MONTHS:
			if (fb_parse_int(optarg, 1, MONTHS_MAX, &o->months) != 0)
				return fb_usage_error(ctx, "invalid --months: '%s' (use 1..%d)", optarg, MONTHS_MAX);
			break;
		case OPT_SEED:
			if (fb_parse_int(optarg, 0, INT64_MAX, &o->seed) != 0)
				return fb_usage_error(ctx, "invalid --seed: '%s' (use 0..%lld)", optarg,
						      (long long)INT64_MAX);
			break;
		case FB_OPT_JSON: o->json = true; break;
		case OPT_SAVE:
			if (!*optarg)
				return fb_usage_error(ctx, "--save needs a file name");
			o->save = optarg;
			break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	return fb_no_arguments(ctx, argc, argv);
}

int fb_cmd_demo(fb_ctx *ctx, int argc, char **argv)
{
	demo d;
	memset(&d, 0, sizeof(d));
	d.ctx = ctx;
	d.o = (demo_options){ 200, 12, 1, false, NULL };
	bool helped = false;
	int status = parse_options(ctx, argc, argv, &d.o, &helped);
	if (status != FB_EXIT_OK || helped)
		return status;

	fake_processor_options po = FAKE_PROCESSOR_OPTIONS_INIT;
	po.seed = (uint64_t)d.o.seed;
	int rc = fake_processor_new(&d.p, &po);
	if (rc != 0) {
		fprintf(stderr, "fakebill demo: cannot create a processor: %s\n", fake_strerror(rc));
		return FB_EXIT_FAIL;
	}
	/* main() frees the processor, and saves it when --save names a file
	 * and the run succeeded. */
	ctx->p = d.p;
	ctx->state_path = d.o.save;
	d.customers = calloc((size_t)d.o.customers, sizeof(*d.customers));
	d.months = calloc((size_t)d.o.months, sizeof(*d.months));
	if (!d.customers || !d.months) {
		free(d.customers);
		free(d.months);
		fprintf(stderr, "fakebill demo: out of memory\n");
		return FB_EXIT_FAIL;
	}
	int64_t days = fake_clock_now(d.p) / DAY;
	unsigned int day;
	fb_civil_from_days(days, &d.start_year, &d.start_month, &day);
	/* A progress bar only where someone watches, and only for a run that
	 * takes a while (the default takes a tenth of a second). */
	d.progress = isatty(STDERR_FILENO) == 1 && d.o.customers * d.o.months >= PROGRESS_MIN;

	status = simulate(&d);
	if (status != FB_EXIT_OK && d.progress)
		fprintf(stderr, "\n");
	if (status == FB_EXIT_OK)
		status = read_events(&d);
	if (status == FB_EXIT_OK)
		status = read_objects(&d);
	if (status == FB_EXIT_OK && d.o.save)
		ctx->dirty = true;
	if (status == FB_EXIT_OK) {
		if (d.o.json)
			status = print_json(&d, ctx->out);
		else
			print_text(&d, ctx->out);
	}
	free(d.customers);
	free(d.months);
	return status;
}
