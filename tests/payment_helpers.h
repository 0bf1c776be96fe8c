/*
 * Helpers shared by the payment tests (test_payment_intent.c,
 * test_charge.c, test_refund.c): making customers, payment methods and
 * payment intents; checking the events a call added; a signature of
 * everything the payment side of a processor holds, so that a test can
 * prove a failed call changed nothing; and a table runner for bad input.
 */
#ifndef TEST_PAYMENT_HELPERS_H
#define TEST_PAYMENT_HELPERS_H

#include "helpers.h"

#include <inttypes.h>

/* A non-NULL pointer that no call returns: outs are preset to it so a test
 * can see that a failing call really wrote NULL. */
static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

static inline const fake_customer *cust_new(fake_processor *p)
{
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_non_null(c);
	return c;
}

/* Attaches a payment method (an id or a pm_card_ token) to a customer. */
static inline const fake_payment_method *pm_attach(fake_processor *p, const char *pm, const char *customer)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *out = NULL;
	ap.customer = customer;
	check_ok(p, fake_payment_method_attach(&out, p, pm, &ap, NULL));
	assert_non_null(out);
	return out;
}

static inline const fake_payment_method *pm_detach(fake_processor *p, const char *pm)
{
	const fake_payment_method *out = NULL;
	check_ok(p, fake_payment_method_detach(&out, p, pm, NULL));
	assert_non_null(out);
	return out;
}

/* Create params for `amount` usd with payment method `pm` (may be NULL). */
static inline fake_payment_intent_create_params pi_params(int64_t amount, const char *pm, bool confirm)
{
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp.amount = amount;
	cp.currency = "usd";
	cp.payment_method = pm;
	cp.confirm = confirm;
	return cp;
}

/* Creates a payment intent that must succeed (rc 0). */
static inline const fake_payment_intent *pi_create(fake_processor *p, const fake_payment_intent_create_params *cp)
{
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_create(&pi, p, cp, NULL));
	assert_non_null(pi);
	return pi;
}

/* A succeeded, automatically captured payment of `amount` usd paid with a
 * new pm_card_visa, optionally for a customer. */
static inline const fake_payment_intent *pi_paid(fake_processor *p, int64_t amount, const char *customer)
{
	fake_payment_intent_create_params cp = pi_params(amount, "pm_card_visa", true);
	cp.customer = customer;
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
	return pi;
}

/* An authorized (requires_capture) payment of `amount` usd. */
static inline const fake_payment_intent *pi_authorized(fake_processor *p, int64_t amount)
{
	fake_payment_intent_create_params cp = pi_params(amount, "pm_card_visa", true);
	cp.capture_method = FAKE_CAPTURE_MANUAL;
	const fake_payment_intent *pi = pi_create(p, &cp);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_CAPTURE);
	return pi;
}

static inline const fake_payment_intent *pi_get(fake_processor *p, const char *id)
{
	const fake_payment_intent *pi = NULL;
	check_ok(p, fake_payment_intent_retrieve(&pi, p, id, NULL));
	assert_non_null(pi);
	return pi;
}

static inline const fake_charge *charge_get(fake_processor *p, const char *id)
{
	const fake_charge *ch = NULL;
	check_ok(p, fake_charge_retrieve(&ch, p, id, NULL));
	assert_non_null(ch);
	return ch;
}

static inline const fake_balance_transaction *txn_get(fake_processor *p, const char *id)
{
	const fake_balance_transaction *txn = NULL;
	check_ok(p, fake_balance_transaction_retrieve(&txn, p, id, NULL));
	assert_non_null(txn);
	return txn;
}

static inline const fake_refund *refund_get(fake_processor *p, const char *id)
{
	const fake_refund *re = NULL;
	check_ok(p, fake_refund_retrieve(&re, p, id, NULL));
	assert_non_null(re);
	return re;
}

/* The n-th event of the log (1-based), by its deterministic id. */
static inline const fake_event *event_nth(fake_processor *p, size_t n)
{
	char id[32];
	const fake_event *e = NULL;
	snprintf(id, sizeof id, "evt_fake_%05zu", n);
	check_ok(p, fake_event_retrieve(&e, p, id, NULL));
	assert_non_null(e);
	return e;
}

/* Asserts that the events after the first `from` are exactly `types`, in order. */
static inline void check_events_since(fake_processor *p, size_t from, const char *const *types, size_t n)
{
	size_t count = fake_event_count(p);
	if (count != from + n) {
		print_error("expected %zu new events, got %zu:\n", n, count - from);
		for (size_t i = from + 1; i <= count; i++)
			print_error("  %s\n", fake_event_type(event_nth(p, i)));
		fail();
	}
	for (size_t i = 0; i < n; i++) {
		const fake_event *e = event_nth(p, from + i + 1);
		if (strcmp(fake_event_type(e), types[i]) != 0) {
			print_error("new event %zu is %s, expected %s\n", i + 1, fake_event_type(e), types[i]);
			fail();
		}
	}
}

#define EVENT_TYPES(...) ((const char *const[]){ __VA_ARGS__ })
#define EVENT_TYPES_N(...) (sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))
/* check_events(p, before, "charge.failed", "payment_intent.payment_failed") */
#define check_events(p, from, ...) check_events_since((p), (from), EVENT_TYPES(__VA_ARGS__), EVENT_TYPES_N(__VA_ARGS__))

/* ---- a signature of the whole payment side of a processor ---------------------- */

typedef struct sig {
	char s[32768];
	size_t len;
} sig;

static inline void sig_add(sig *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(g->s + g->len, sizeof(g->s) - g->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(g->s) - g->len);
	g->len += (size_t)n;
}

static inline const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* Every customer, payment method, payment intent, charge, refund and
 * balance transaction with its fields, the event count, and the ids the
 * next objects would get (ids have no gaps: the first missing one is next). */
static inline void sig_take(fake_processor *p, sig *g)
{
	char id[32];
	g->len = 0;
	g->s[0] = '\0';
	sig_add(g, "events=%zu\n", fake_event_count(p));
	for (int i = 1;; i++) {
		const fake_customer *c = NULL;
		snprintf(id, sizeof id, "cus_fake_%05d", i);
		if (fake_customer_retrieve(&c, p, id, NULL))
			break;
		sig_add(g, "%s deleted=%d default=%s\n", id, (int)fake_customer_deleted(c),
			or_dash(fake_customer_default_payment_method(c)));
	}
	for (int i = 1;; i++) {
		const fake_payment_method *pm = NULL;
		snprintf(id, sizeof id, "pm_fake_%05d", i);
		if (fake_payment_method_retrieve(&pm, p, id, NULL))
			break;
		sig_add(g, "%s customer=%s last4=%s\n", id, or_dash(fake_payment_method_customer(pm)),
			or_dash(fake_payment_method_card_last4(pm)));
	}
	for (int i = 1;; i++) {
		const fake_payment_intent *pi = NULL;
		snprintf(id, sizeof id, "pi_fake_%05d", i);
		if (fake_payment_intent_retrieve(&pi, p, id, NULL))
			break;
		sig_add(g,
			"%s %s amount=%" PRId64 " capturable=%" PRId64 " received=%" PRId64
			" cur=%s cus=%s pm=%s capture=%d charge=%s err=%s/%s/%s reason=%s canceled_at=%" PRId64 "\n",
			id, fake_payment_intent_status_name(pi), fake_payment_intent_amount(pi),
			fake_payment_intent_amount_capturable(pi), fake_payment_intent_amount_received(pi),
			or_dash(fake_payment_intent_currency(pi)), or_dash(fake_payment_intent_customer(pi)),
			or_dash(fake_payment_intent_payment_method(pi)), (int)fake_payment_intent_capture_method(pi),
			or_dash(fake_payment_intent_latest_charge(pi)), or_dash(fake_payment_intent_last_error_code(pi)),
			or_dash(fake_payment_intent_last_error_decline_code(pi)),
			or_dash(fake_payment_intent_last_error_message(pi)),
			or_dash(fake_payment_intent_cancellation_reason(pi)), fake_payment_intent_canceled_at(pi));
	}
	for (int i = 1;; i++) {
		const fake_charge *ch = NULL;
		snprintf(id, sizeof id, "ch_fake_%05d", i);
		if (fake_charge_retrieve(&ch, p, id, NULL))
			break;
		sig_add(g,
			"%s %s amount=%" PRId64 " captured=%" PRId64 "/%d refunded=%" PRId64
			"/%d paid=%d pi=%s pm=%s cus=%s failure=%s txn=%s\n",
			id, fake_charge_status(ch), fake_charge_amount(ch), fake_charge_amount_captured(ch),
			(int)fake_charge_captured(ch), fake_charge_amount_refunded(ch), (int)fake_charge_refunded(ch),
			(int)fake_charge_paid(ch), or_dash(fake_charge_payment_intent(ch)),
			or_dash(fake_charge_payment_method(ch)), or_dash(fake_charge_customer(ch)),
			or_dash(fake_charge_failure_code(ch)), or_dash(fake_charge_balance_transaction(ch)));
	}
	for (int i = 1;; i++) {
		const fake_refund *re = NULL;
		snprintf(id, sizeof id, "re_fake_%05d", i);
		if (fake_refund_retrieve(&re, p, id, NULL))
			break;
		sig_add(g, "%s amount=%" PRId64 " charge=%s reason=%s txn=%s\n", id, fake_refund_amount(re),
			or_dash(fake_refund_charge(re)), or_dash(fake_refund_reason(re)),
			or_dash(fake_refund_balance_transaction(re)));
	}
	for (int i = 1;; i++) {
		const fake_balance_transaction *txn = NULL;
		snprintf(id, sizeof id, "txn_fake_%05d", i);
		if (fake_balance_transaction_retrieve(&txn, p, id, NULL))
			break;
		sig_add(g, "%s %s amount=%" PRId64 " fee=%" PRId64 " source=%s\n", id, fake_balance_transaction_type(txn),
			fake_balance_transaction_amount(txn), fake_balance_transaction_fee(txn),
			or_dash(fake_balance_transaction_source(txn)));
	}
}

static inline void check_sig_unchanged(const char *what, const sig *before, const sig *after)
{
	if (strcmp(before->s, after->s) != 0) {
		print_error("%s changed the processor.\nbefore:\n%s\nafter:\n%s\n", what, before->s, after->s);
		fail();
	}
}

/* ---- bad input tables ---------------------------------------------------------------- */

/* A call that must fail. `out` is a `const void **` for object operations
 * and a `fake_list *` for lists (bad_case.list). */
typedef int (*bad_fn)(fake_processor *p, void *out);

typedef struct bad_case {
	const char *what;
	bad_fn run;
	int status;
	const char *code;  /* NULL: not checked */
	const char *param; /* NULL: not checked */
	bool list;
} bad_case;

/* Runs each case against the same processor: each must fail with its status,
 * Stripe type, HTTP status, code and param, give back no object or an empty
 * page, and leave the processor exactly as it was, as `take` sees it. */
static inline void run_bad_cases_with(fake_processor *p, const bad_case *cases, size_t n,
				      void (*take)(fake_processor *, sig *))
{
	static sig before, after;
	for (size_t i = 0; i < n; i++) {
		const bad_case *c = &cases[i];
		take(p, &before);
		union {
			const void *object;
			fake_list list;
		} out;
		if (c->list) {
			memset(&out.list, 0, sizeof(out.list));
			out.list.count = 3;
			out.list.has_more = true;
		} else {
			out.object = SENTINEL;
		}
		int rc = c->run(p, c->list ? (void *)&out.list : (void *)&out.object);
		const fake_error *e = fake_error_last(p);
		if (rc != c->status) {
			print_error("%s: returned %s, expected %s (%s)\n", c->what, fake_status_name(rc),
				    fake_status_name(c->status), e->message);
			fail();
		}
		assert_int_equal(e->status, c->status);
		if (c->status == FAKE_ECARD) {
			assert_string_equal(e->type, "card_error");
			assert_int_equal(e->http_status, 402);
		} else {
			assert_string_equal(e->type, "invalid_request_error");
			assert_int_equal(e->http_status, c->status == FAKE_ENOTFOUND ? 404 : 400);
		}
		assert_true(e->message[0] != '\0');
		if (c->code && strcmp(e->code, c->code) != 0) {
			print_error("%s: code \"%s\", expected \"%s\" (%s)\n", c->what, e->code, c->code, e->message);
			fail();
		}
		if (c->param && strcmp(e->param, c->param) != 0) {
			print_error("%s: param \"%s\", expected \"%s\" (%s)\n", c->what, e->param, c->param, e->message);
			fail();
		}
		/* a failure that is not a recorded decline names no payment */
		assert_string_equal(e->charge, "");
		assert_string_equal(e->payment_intent, "");
		if (c->list) {
			assert_int_equal(out.list.count, 0);
			assert_false(out.list.has_more);
		} else if (out.object != NULL) {
			print_error("%s: *out is not NULL\n", c->what);
			fail();
		}
		take(p, &after);
		check_sig_unchanged(c->what, &before, &after);
	}
}

/* run_bad_cases_with() with the payments signature. */
static inline void run_bad_cases(fake_processor *p, const bad_case *cases, size_t n)
{
	run_bad_cases_with(p, cases, n, sig_take);
}

#endif
