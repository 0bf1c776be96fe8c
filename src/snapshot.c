/*
 * Save and restore (fake/snapshot.h, docs/snapshots.md): the processor's
 * whole state as one JSON document, written and read with jansson.
 *
 * One table of fields per object type drives both directions, so what is
 * saved and what is loaded cannot drift apart: each field names its C
 * member, how it is stored and what it may hold. Saving walks the store;
 * loading builds a new processor state aside, in a processor of its own,
 * checks everything (types, ranges, ids, references), and only then swaps
 * it into the caller's processor, which is untouched by any failure.
 *
 * Loading is two passes. The first turns records into structs, in type
 * order, so that prices exist before the items and lines that point at
 * them; events come last. The second, once every object exists, checks
 * that every id a record names is an object of the right type.
 */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC, O_DIRECTORY, fsync */

#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#define FORMAT_NAME "libfake-snapshot"
#define AMOUNT_MAX INT64_C(100000000000000000) /* 1e17: 1e9 units of the largest price */
#define QUANTITY_MAX INT64_C(1000000000)
#define COUNT_MAX 1000000000u /* unsigned counts: a quarter of UINT_MAX, room to grow after a load */
/* Counters (requests, the timeline's sequence, ids, deliveries): far above
 * anything a run reaches, and far enough below INT64_MAX that one more
 * can always be saved again. */
#define COUNTER_MAX INT64_C(1000000000000000)
#define PATH_MAX_LEN 200

/* ---- the field tables ----------------------------------------------------- */

typedef enum kind {
	K_STR,   /* const char *: a string, or null */
	K_REF,   /* const char *: null, or the id of a stored object of type `arg` (or MONEY_SOURCE) */
	K_I64,   /* int64_t in [-arg, arg] */
	K_NAT,   /* int64_t in [0, arg] */
	K_TIME,  /* int64_t in [0, FAKE_TIME_MAX] */
	K_END,   /* a period end: as K_TIME, or INT64_MAX (past the year 9999: never) */
	K_INT,   /* int in [0, arg] */
	K_UINT,  /* unsigned int in [0, arg] */
	K_ENUM,  /* an enum (unsigned int) in [0, arg], saved as names[value] */
	K_U64,   /* uint64_t in [0, COUNTER_MAX] */
	K_BOOL,
	K_META,  /* const fake_metadata *, never NULL */
	K_PRICE, /* const struct fake_price *: the live price, by id */
	K_CARD,  /* const struct fake_payment_method *: a snapshot, as a record */
	K_ITEMS, /* subscription item versions: records; size_t count at `arg` */
	K_LINES, /* invoice lines: records; size_t count at `arg` */
	K_NAMES  /* const char *const *: strings; size_t count at `arg` */
} kind;

#define ANY_TYPE FAKE_OBJECT_TYPE_COUNT
#define MONEY_SOURCE FAKE_OBJECT_TYPE_COUNT /* K_REF to a charge or a refund */

typedef struct field {
	const char *name;
	kind kind;
	size_t offset;
	int64_t arg;   /* range bound, referenced type or count offset (see kind) */
	bool required; /* K_STR, K_REF, K_PRICE, K_CARD: never null */
	const char *const *names; /* K_ENUM: the name of each value 0..arg */
} field;

/* Enums are read and written as unsigned int. */
_Static_assert(sizeof(fake_subscription_status) == sizeof(unsigned int), "enums are unsigned int");
_Static_assert(sizeof(fake_card_behavior) == sizeof(unsigned int), "enums are unsigned int");

/* Enums are saved by name: the names of each, indexed by value. */
static const char *const card_behavior_names[] = { [FAKE_CARD_SUCCEEDS] = "succeeds", [FAKE_CARD_DECLINES] = "declines", [FAKE_CARD_DECLINES_AFTER_ATTACH] = "declines_after_attach", [FAKE_CARD_REQUIRES_ACTION] = "requires_action", [FAKE_CARD_REQUIRES_ACTION_ON_SESSION] = "requires_action_on_session" };
static const char *const interval_names[] = { [FAKE_INTERVAL_NONE] = "none", [FAKE_INTERVAL_DAY] = "day", [FAKE_INTERVAL_WEEK] = "week", [FAKE_INTERVAL_MONTH] = "month", [FAKE_INTERVAL_YEAR] = "year" };
static const char *const usage_type_names[] = { [FAKE_USAGE_LICENSED] = "licensed", [FAKE_USAGE_METERED] = "metered" };
static const char *const payment_intent_status_names[] = { [FAKE_PI_REQUIRES_PAYMENT_METHOD] = "requires_payment_method", [FAKE_PI_REQUIRES_CONFIRMATION] = "requires_confirmation", [FAKE_PI_REQUIRES_ACTION] = "requires_action", [FAKE_PI_PROCESSING] = "processing", [FAKE_PI_REQUIRES_CAPTURE] = "requires_capture", [FAKE_PI_CANCELED] = "canceled", [FAKE_PI_SUCCEEDED] = "succeeded" };
static const char *const capture_method_names[] = { [FAKE_CAPTURE_AUTOMATIC] = "automatic", [FAKE_CAPTURE_MANUAL] = "manual" };
static const char *const setup_intent_status_names[] = { [FAKE_SETI_REQUIRES_PAYMENT_METHOD] = "requires_payment_method", [FAKE_SETI_REQUIRES_CONFIRMATION] = "requires_confirmation", [FAKE_SETI_REQUIRES_ACTION] = "requires_action", [FAKE_SETI_PROCESSING] = "processing", [FAKE_SETI_CANCELED] = "canceled", [FAKE_SETI_SUCCEEDED] = "succeeded" };
static const char *const usage_action_names[] = { [FAKE_USAGE_INCREMENT] = "increment", [FAKE_USAGE_SET] = "set" };
static const char *const subscription_status_names[] = { [FAKE_SUB_INCOMPLETE] = "incomplete", [FAKE_SUB_INCOMPLETE_EXPIRED] = "incomplete_expired", [FAKE_SUB_TRIALING] = "trialing", [FAKE_SUB_ACTIVE] = "active", [FAKE_SUB_PAST_DUE] = "past_due", [FAKE_SUB_CANCELED] = "canceled", [FAKE_SUB_UNPAID] = "unpaid", [FAKE_SUB_PAUSED] = "paused" };
static const char *const trial_end_behavior_names[] = { [FAKE_TRIAL_END_CREATE_INVOICE] = "create_invoice", [FAKE_TRIAL_END_PAUSE] = "pause", [FAKE_TRIAL_END_CANCEL] = "cancel" };
static const char *const collection_method_names[] = { [FAKE_COLLECT_CHARGE_AUTOMATICALLY] = "charge_automatically", [FAKE_COLLECT_SEND_INVOICE] = "send_invoice" };
static const char *const pause_behavior_names[] = { [FAKE_PAUSE_NONE] = "none", [FAKE_PAUSE_KEEP_AS_DRAFT] = "keep_as_draft", [FAKE_PAUSE_MARK_UNCOLLECTIBLE] = "mark_uncollectible", [FAKE_PAUSE_VOID] = "void" };
static const char *const invoice_status_names[] = { [FAKE_INVOICE_DRAFT] = "draft", [FAKE_INVOICE_OPEN] = "open", [FAKE_INVOICE_PAID] = "paid", [FAKE_INVOICE_VOID] = "void", [FAKE_INVOICE_UNCOLLECTIBLE] = "uncollectible" };
static const char *const billing_reason_names[] = { [FAKE_BILLING_MANUAL] = "manual", [FAKE_BILLING_SUBSCRIPTION_CREATE] = "subscription_create", [FAKE_BILLING_SUBSCRIPTION_CYCLE] = "subscription_cycle", [FAKE_BILLING_SUBSCRIPTION_UPDATE] = "subscription_update", [FAKE_BILLING_UPCOMING] = "upcoming" };
static const char *const dunning_subscription_names[] = { [FAKE_DUNNING_CANCEL] = "cancel", [FAKE_DUNNING_UNPAID] = "unpaid", [FAKE_DUNNING_PAST_DUE] = "past_due" };
static const char *const dunning_invoice_names[] = { [FAKE_DUNNING_LEAVE_OPEN] = "leave_open", [FAKE_DUNNING_UNCOLLECTIBLE] = "uncollectible" };

#define F(T, m, k, a, r) { #m, k, offsetof(T, m), (int64_t)(a), r, NULL }
#define STR(T, m) F(T, m, K_STR, 0, false)
#define STR_REQ(T, m) F(T, m, K_STR, 0, true)
#define REF(T, m, type) F(T, m, K_REF, type, false)
#define REF_REQ(T, m, type) F(T, m, K_REF, type, true)
#define AMOUNT(T, m) F(T, m, K_I64, AMOUNT_MAX, false)
#define QUANTITY(T, m) F(T, m, K_NAT, QUANTITY_MAX, false)
#define TIME(T, m) F(T, m, K_TIME, 0, false)
#define END(T, m) F(T, m, K_END, 0, false)
#define ENUM(T, m, names) { #m, K_ENUM, offsetof(T, m), (int64_t)FAKE__COUNT(names) - 1, false, names }
#define UINT(T, m) F(T, m, K_UINT, COUNT_MAX, false)
#define U64(T, m) F(T, m, K_U64, 0, false)
#define BOOL(T, m) F(T, m, K_BOOL, 0, false)
#define META(T, m) F(T, m, K_META, 0, false)

#define T struct fake_customer
static const field customer_fields[] = {
	STR(T, email), STR(T, name), STR(T, description), STR(T, phone), META(T, metadata),
	REF(T, default_payment_method, FAKE_OBJECT_PAYMENT_METHOD), REF(T, test_clock, FAKE_OBJECT_TEST_CLOCK),
	AMOUNT(T, balance),
};
#undef T
static const char *const test_clock_status_names[] = { [FAKE_TEST_CLOCK_READY] = "ready",
						       [FAKE_TEST_CLOCK_ADVANCING] = "advancing",
						       [FAKE_TEST_CLOCK_INTERNAL_FAILURE] = "internal_failure" };
#define T struct fake_test_clock
static const field test_clock_fields[] = {
	STR(T, name), TIME(T, deletes_after), TIME(T, frozen_time), ENUM(T, status, test_clock_status_names),
	TIME(T, target), F(T, polls_left, K_UINT, 1000, false), BOOL(T, fail),
};
#undef T
#define T struct fake_payment_method
static const field payment_method_fields[] = {
	REF(T, customer, FAKE_OBJECT_CUSTOMER), STR_REQ(T, card.brand), STR_REQ(T, card.last4),
	STR_REQ(T, card.fingerprint), STR_REQ(T, card.funding), F(T, card.exp_month, K_INT, 12, false),
	F(T, card.exp_year, K_INT, 9999, false), ENUM(T, card.behavior, card_behavior_names),
	STR(T, card.decline_code), STR(T, billing_name), STR(T, billing_email), STR(T, billing_phone),
	META(T, metadata), BOOL(T, authenticated), BOOL(T, detached),
};
#undef T
#define T struct fake_product
static const field product_fields[] = {
	STR_REQ(T, name), STR(T, description), BOOL(T, active), TIME(T, updated), META(T, metadata),
};
#undef T
#define T struct fake_price
static const field price_fields[] = {
	REF_REQ(T, product, FAKE_OBJECT_PRODUCT), STR_REQ(T, currency),
	F(T, unit_amount, K_NAT, FAKE_PRICE_UNIT_AMOUNT_MAX, false), ENUM(T, interval, interval_names),
	F(T, interval_count, K_UINT, 1000, false), ENUM(T, usage_type, usage_type_names), STR(T, lookup_key),
	STR(T, nickname), BOOL(T, active), META(T, metadata),
};
#undef T
#define T struct fake_payment_intent
static const field payment_intent_fields[] = {
	REF(T, invoice, FAKE_OBJECT_INVOICE), AMOUNT(T, amount), AMOUNT(T, amount_capturable),
	AMOUNT(T, amount_received), STR_REQ(T, currency), REF(T, customer, FAKE_OBJECT_CUSTOMER),
	REF(T, payment_method, FAKE_OBJECT_PAYMENT_METHOD), ENUM(T, status, payment_intent_status_names),
	ENUM(T, capture_method, capture_method_names), REF(T, latest_charge, FAKE_OBJECT_CHARGE),
	STR(T, last_error_code), STR(T, last_error_decline_code), STR(T, last_error_message),
	STR(T, client_secret), STR(T, cancellation_reason), TIME(T, canceled_at), STR(T, description),
	META(T, metadata),
};
#undef T
#define T struct fake_charge
static const field charge_fields[] = {
	REF(T, invoice, FAKE_OBJECT_INVOICE), AMOUNT(T, amount), AMOUNT(T, amount_captured),
	AMOUNT(T, amount_refunded), BOOL(T, captured), BOOL(T, refunded), BOOL(T, paid), STR_REQ(T, currency),
	REF(T, customer, FAKE_OBJECT_CUSTOMER), REF(T, payment_intent, FAKE_OBJECT_PAYMENT_INTENT),
	REF(T, payment_method, FAKE_OBJECT_PAYMENT_METHOD), F(T, card, K_CARD, 0, true), STR(T, failure_code),
	STR(T, failure_message), STR(T, outcome_reason), REF(T, balance_transaction, FAKE_OBJECT_BALANCE_TRANSACTION),
};
#undef T
#define T struct fake_refund
static const field refund_fields[] = {
	AMOUNT(T, amount), STR_REQ(T, currency), REF_REQ(T, charge, FAKE_OBJECT_CHARGE),
	REF(T, payment_intent, FAKE_OBJECT_PAYMENT_INTENT), STR(T, reason),
	REF(T, balance_transaction, FAKE_OBJECT_BALANCE_TRANSACTION), META(T, metadata),
};
#undef T
#define T struct fake_balance_transaction
static const field balance_transaction_fields[] = {
	AMOUNT(T, amount), AMOUNT(T, fee), STR_REQ(T, currency), STR_REQ(T, type), REF(T, source, MONEY_SOURCE),
};
#undef T
#define T struct fake_setup_intent
static const field setup_intent_fields[] = {
	REF(T, customer, FAKE_OBJECT_CUSTOMER), REF(T, payment_method, FAKE_OBJECT_PAYMENT_METHOD),
	ENUM(T, status, setup_intent_status_names), BOOL(T, on_session), STR(T, last_error_code),
	STR(T, last_error_decline_code), STR(T, last_error_message), STR(T, client_secret),
	STR(T, cancellation_reason), STR(T, description), META(T, metadata),
};
#undef T
#define T struct fake_webhook_endpoint
static const field webhook_endpoint_fields[] = {
	STR_REQ(T, url), F(T, enabled_events, K_NAMES, offsetof(T, enabled_count), false), STR_REQ(T, secret),
	BOOL(T, disabled), STR(T, description), U64(T, attempts), U64(T, failures),
};
#undef T
#define T struct fake_subscription_item
static const field subscription_item_fields[] = {
	REF_REQ(T, subscription, FAKE_OBJECT_SUBSCRIPTION), F(T, price, K_PRICE, 0, true), QUANTITY(T, quantity),
	META(T, metadata),
};
#undef T
#define T struct fake_usage_record
static const field usage_record_fields[] = {
	REF_REQ(T, subscription_item, FAKE_OBJECT_SUBSCRIPTION_ITEM), QUANTITY(T, quantity), TIME(T, timestamp),
	ENUM(T, action, usage_action_names),
};
#undef T
#define T struct fake_subscription
static const field subscription_fields[] = {
	REF_REQ(T, customer, FAKE_OBJECT_CUSTOMER), ENUM(T, status, subscription_status_names), STR_REQ(T, currency),
	ENUM(T, interval, interval_names), F(T, interval_count, K_UINT, 1000, false),
	F(T, items, K_ITEMS, offsetof(T, item_count), false), TIME(T, billing_cycle_anchor), U64(T, cycle),
	TIME(T, current_period_start), END(T, current_period_end), TIME(T, start_date), TIME(T, trial_start),
	TIME(T, trial_end), BOOL(T, trial_will_end_done), TIME(T, upcoming_for), ENUM(T, trial_missing_payment_method, trial_end_behavior_names),
	BOOL(T, cancel_at_period_end), TIME(T, cancel_at), TIME(T, canceled_at), TIME(T, ended_at),
	REF(T, latest_invoice, FAKE_OBJECT_INVOICE), REF(T, default_payment_method, FAKE_OBJECT_PAYMENT_METHOD),
	ENUM(T, collection_method, collection_method_names), UINT(T, days_until_due),
	ENUM(T, pause_collection, pause_behavior_names), TIME(T, pause_resumes_at), STR(T, description),
	META(T, metadata), TIME(T, job_due),
};
#undef T
#define T struct fake_invoice_line
static const field invoice_line_fields[] = {
	AMOUNT(T, amount), STR_REQ(T, currency), STR(T, description), F(T, price, K_PRICE, 0, false),
	QUANTITY(T, quantity), BOOL(T, proration), TIME(T, period_start), END(T, period_end),
	REF(T, invoice_item, FAKE_OBJECT_INVOICE_ITEM), REF(T, subscription_item, FAKE_OBJECT_SUBSCRIPTION_ITEM),
};
#undef T
#define T struct fake_invoice
static const field invoice_fields[] = {
	REF_REQ(T, customer, FAKE_OBJECT_CUSTOMER), REF(T, subscription, FAKE_OBJECT_SUBSCRIPTION),
	ENUM(T, status, invoice_status_names), ENUM(T, billing_reason, billing_reason_names),
	ENUM(T, collection_method, collection_method_names), STR_REQ(T, currency), STR(T, number),
	F(T, lines, K_LINES, offsetof(T, line_count), false), AMOUNT(T, subtotal), AMOUNT(T, total),
	AMOUNT(T, amount_due), AMOUNT(T, amount_paid), AMOUNT(T, amount_remaining), UINT(T, attempt_count),
	BOOL(T, attempted), TIME(T, first_failure), UINT(T, failures), TIME(T, next_payment_attempt),
	TIME(T, period_start), END(T, period_end), UINT(T, days_until_due), TIME(T, due_date),
	BOOL(T, overdue_done), BOOL(T, auto_advance), TIME(T, finalize_at), BOOL(T, paid_out_of_band),
	REF(T, payment_intent, FAKE_OBJECT_PAYMENT_INTENT), REF(T, charge, FAKE_OBJECT_CHARGE),
	REF(T, default_payment_method, FAKE_OBJECT_PAYMENT_METHOD), TIME(T, finalized_at), TIME(T, paid_at),
	TIME(T, voided_at), TIME(T, marked_uncollectible_at), STR(T, description), META(T, metadata),
	TIME(T, job_due),
};
#undef T
#define T struct fake_invoice_item
static const field invoice_item_fields[] = {
	REF_REQ(T, customer, FAKE_OBJECT_CUSTOMER), AMOUNT(T, amount), STR_REQ(T, currency),
	F(T, price, K_PRICE, 0, false), QUANTITY(T, quantity), AMOUNT(T, unit_amount),
	REF(T, invoice, FAKE_OBJECT_INVOICE), REF(T, subscription, FAKE_OBJECT_SUBSCRIPTION),
	REF(T, subscription_item, FAKE_OBJECT_SUBSCRIPTION_ITEM), BOOL(T, proration), TIME(T, period_start),
	END(T, period_end), STR(T, description), META(T, metadata),
};
#undef T

typedef struct record_kind {
	const field *fields;
	size_t count;
} record_kind;

#define KIND(a) { a, FAKE__COUNT(a) }
/* Events are written by hand (event_json, event_parse): they hold records of other types. */
static const record_kind kinds[FAKE_OBJECT_TYPE_COUNT] = {
	[FAKE_OBJECT_CUSTOMER] = KIND(customer_fields),
	[FAKE_OBJECT_PAYMENT_METHOD] = KIND(payment_method_fields),
	[FAKE_OBJECT_PRODUCT] = KIND(product_fields),
	[FAKE_OBJECT_PRICE] = KIND(price_fields),
	[FAKE_OBJECT_PAYMENT_INTENT] = KIND(payment_intent_fields),
	[FAKE_OBJECT_CHARGE] = KIND(charge_fields),
	[FAKE_OBJECT_REFUND] = KIND(refund_fields),
	[FAKE_OBJECT_BALANCE_TRANSACTION] = KIND(balance_transaction_fields),
	[FAKE_OBJECT_SETUP_INTENT] = KIND(setup_intent_fields),
	[FAKE_OBJECT_WEBHOOK_ENDPOINT] = KIND(webhook_endpoint_fields),
	[FAKE_OBJECT_SUBSCRIPTION] = KIND(subscription_fields),
	[FAKE_OBJECT_SUBSCRIPTION_ITEM] = KIND(subscription_item_fields),
	[FAKE_OBJECT_USAGE_RECORD] = KIND(usage_record_fields),
	[FAKE_OBJECT_INVOICE] = KIND(invoice_fields),
	[FAKE_OBJECT_INVOICE_LINE] = KIND(invoice_line_fields),
	[FAKE_OBJECT_INVOICE_ITEM] = KIND(invoice_item_fields),
	[FAKE_OBJECT_TEST_CLOCK] = KIND(test_clock_fields),
};

/* Types with a table in "objects" (events have their own member; lines live in invoices). */
static bool tabled(int type)
{
	return type != FAKE_OBJECT_EVENT && type != FAKE_OBJECT_INVOICE_LINE;
}

#define AT(o, f, type) ((type *)((char *)(o) + (f)->offset))
#define AT_CONST(o, f, type) ((type const *)((const char *)(o) + (f)->offset))
#define COUNT_AT(o, f) ((size_t *)((char *)(o) + (size_t)(f)->arg))
#define COUNT_AT_CONST(o, f) ((const size_t *)((const char *)(o) + (size_t)(f)->arg))

static const char *const job_kinds[] = {
	[FAKE__JOB_SUBSCRIPTION] = "subscription",
	[FAKE__JOB_INVOICE] = "invoice",
	[FAKE__JOB_WEBHOOK] = "webhook_retry",
	[FAKE__JOB_TEST_CLOCK] = "test_clock_expiry",
};

/* ---- saving ----------------------------------------------------------------- */

typedef struct save {
	fake_processor *p;
	bool failed; /* a jansson allocation failed */
	int status;  /* FAKE_EINVAL: a string that is not UTF-8 (bad_* say where) */
	const char *bad_id;
	const char *bad_field;
} save;

static json_t *checked(save *s, json_t *v)
{
	if (!v)
		s->failed = true;
	return v;
}

static void put(save *s, json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		s->failed = true;
}

static void push(save *s, json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v))
		s->failed = true;
}

static json_t *string_or_null(save *s, const char *str, const char *owner, const char *field_name)
{
	if (!str)
		return json_null();
	json_t *v = json_string(str);
	if (!v && !fake__utf8_valid(str)) {
		if (!s->status) {
			s->status = FAKE_EINVAL;
			s->bad_id = owner;
			s->bad_field = field_name;
		}
		return json_null();
	}
	return checked(s, v);
}

static json_t *record_json(save *s, const void *object);

static json_t *records_json(save *s, const void *const *items, size_t count)
{
	json_t *a = checked(s, json_array());
	for (size_t i = 0; a && i < count; i++)
		push(s, a, record_json(s, items[i]));
	return a;
}

static json_t *field_json(save *s, const fake__object *o, const field *f)
{
	switch (f->kind) {
	case K_STR:
	case K_REF:
		return string_or_null(s, *AT_CONST(o, f, const char *), o->id, f->name);
	case K_I64:
	case K_NAT:
	case K_TIME:
	case K_END:
		return checked(s, json_integer(*AT_CONST(o, f, int64_t)));
	case K_INT:
		return checked(s, json_integer(*AT_CONST(o, f, int)));
	case K_UINT:
		return checked(s, json_integer(*AT_CONST(o, f, unsigned int)));
	case K_ENUM:
		return checked(s, json_string(f->names[*AT_CONST(o, f, unsigned int)]));
	case K_U64:
		return checked(s, json_integer((json_int_t)*AT_CONST(o, f, uint64_t)));
	case K_BOOL:
		return json_boolean(*AT_CONST(o, f, bool));
	case K_META: {
		const fake_metadata *m = *AT_CONST(o, f, const fake_metadata *);
		json_t *v = checked(s, json_object());
		for (size_t i = 0; v && i < m->count; i++)
			put(s, v, m->items[i].key, string_or_null(s, m->items[i].value, o->id, f->name));
		return v;
	}
	case K_PRICE: {
		const struct fake_price *price = *AT_CONST(o, f, const struct fake_price *);
		return price ? checked(s, json_string(price->obj.id)) : json_null();
	}
	case K_CARD: {
		const void *card = *AT_CONST(o, f, const void *);
		return card ? record_json(s, card) : json_null();
	}
	case K_ITEMS:
	case K_LINES:
		return records_json(s, *AT_CONST(o, f, const void *const *), *COUNT_AT_CONST(o, f));
	case K_NAMES: {
		const char *const *names = *AT_CONST(o, f, const char *const *);
		json_t *a = checked(s, json_array());
		for (size_t i = 0; a && i < *COUNT_AT_CONST(o, f); i++)
			push(s, a, string_or_null(s, names[i], o->id, f->name));
		return a;
	}
	}
	return NULL;
}

/* {"id", "created", ["deleted": true,] fields...} */
static json_t *record_json(save *s, const void *object)
{
	const fake__object *o = object;
	const record_kind *k = &kinds[o->type];
	json_t *r = checked(s, json_object());
	if (!r)
		return NULL;
	put(s, r, "id", o->id ? checked(s, json_string(o->id)) : json_null()); /* null: an upcoming invoice */
	put(s, r, "created", checked(s, json_integer(o->created)));
	if (o->flags & FAKE__DELETED)
		put(s, r, "deleted", json_true());
	for (size_t i = 0; i < k->count; i++)
		put(s, r, k->fields[i].name, field_json(s, o, &k->fields[i]));
	return r;
}

static json_t *event_json(save *s, const struct fake_event *e)
{
	json_t *r = checked(s, json_object());
	if (!r)
		return NULL;
	const fake__object *object = e->object;
	put(s, r, "id", checked(s, json_string(e->obj.id)));
	put(s, r, "created", checked(s, json_integer(e->obj.created)));
	put(s, r, "type", checked(s, json_string(fake_event_type(e))));
	put(s, r, "request", string_or_null(s, e->request_id, e->obj.id, "request"));
	put(s, r, "pending_webhooks", checked(s, json_integer(e->pending_webhooks)));
	put(s, r, "object_type", checked(s, json_string(fake__object_type_name(object->type))));
	put(s, r, "object", record_json(s, object));
	put(s, r, "previous", e->previous ? record_json(s, e->previous) : json_null());
	json_t *changed = checked(s, json_array());
	for (size_t i = 0; changed && i < e->changed_count; i++)
		push(s, changed, checked(s, json_string(e->changed[i])));
	put(s, r, "changed", changed);
	return r;
}

static json_t *options_json(save *s, const fake_processor_options *o)
{
	char seed[24];
	snprintf(seed, sizeof(seed), "%016" PRIx64, o->seed);
	json_t *r = checked(s, json_object());
	json_t *billing = checked(s, json_object());
	json_t *days = checked(s, json_array());
	/* (put() and push() into a NULL container drop the value: a failed
	 * allocation is recorded once and the document thrown away.) */
	put(s, r, "epoch", checked(s, json_integer(o->epoch)));
	put(s, r, "id_width", checked(s, json_integer(o->id_width)));
	put(s, r, "seed", checked(s, json_string(seed)));
	put(s, r, "synthesize_events", json_boolean(o->synthesize_events));
	for (unsigned int i = 0; i < o->billing.retry_count; i++)
		push(s, days, checked(s, json_integer(o->billing.retry_days[i])));
	put(s, billing, "retry_days", days);
	put(s, billing, "exhausted_subscription",
	    checked(s, json_string(dunning_subscription_names[o->billing.exhausted_subscription])));
	put(s, billing, "exhausted_invoice", checked(s, json_string(dunning_invoice_names[o->billing.exhausted_invoice])));
	put(s, billing, "finalize_delay", checked(s, json_integer(o->billing.finalize_delay)));
	put(s, billing, "upcoming_days", checked(s, json_integer(o->billing.upcoming_days)));
	put(s, r, "billing", billing);
	json_t *tc = checked(s, json_object());
	put(s, tc, "max_clocks", checked(s, json_integer(o->test_clocks.max_clocks)));
	put(s, tc, "auto_delete", json_boolean(o->test_clocks.auto_delete));
	put(s, tc, "ready_after_retrievals", checked(s, json_integer(o->test_clocks.ready_after_retrievals)));
	put(s, r, "test_clocks", tc);
	return r;
}

static int job_order(const void *a, const void *b)
{
	const fake__job *x = a, *y = b;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The timelines the state holds: the processor clock's and those of the
 * test clocks that are not deleted (a deleted clock's never runs). */
static const fake__timeline *saved_timeline(const fake_processor *p, size_t i)
{
	if (i == 0)
		return &p->timeline;
	const fake__object *c = p->tables[FAKE_OBJECT_TEST_CLOCK].items[i - 1];
	return c->flags & FAKE__DELETED ? NULL : fake__test_clock_timeline(p, (const struct fake_test_clock *)c);
}

/* The work of every timeline and the webhook retries, in one list in the
 * order (due, seq); which timeline a billing job is on follows from its
 * object's customer. Clock callbacks are code, not state, and are left out. */
static json_t *timeline_json(save *s)
{
	const fake_processor *p = s->p;
	size_t timelines = 1 + p->tables[FAKE_OBJECT_TEST_CLOCK].len, total = 0;
	for (size_t i = 0; i < timelines; i++) {
		const fake__timeline *t = saved_timeline(p, i);
		total += t ? t->len : 0;
	}
	fake__job *jobs = total ? fake__malloc(s->p, total * sizeof(*jobs)) : NULL;
	json_t *a = checked(s, json_array());
	if ((total && !jobs) || !a) {
		s->failed = true;
		fake__free(s->p, jobs);
		return a;
	}
	size_t n = 0;
	for (size_t i = 0; i < timelines; i++) {
		const fake__timeline *t = saved_timeline(p, i);
		for (size_t k = 0; t && k < t->len; k++)
			if (t->heap[k].kind != FAKE__JOB_CALLBACK)
				jobs[n++] = t->heap[k];
	}
	if (n)
		qsort(jobs, n, sizeof(*jobs), job_order);
	for (size_t i = 0; i < n; i++) {
		json_t *j = checked(s, json_object());
		if (!j)
			break;
		put(s, j, "due", checked(s, json_integer(jobs[i].due)));
		put(s, j, "seq", checked(s, json_integer((json_int_t)jobs[i].seq)));
		put(s, j, "kind", checked(s, json_string(job_kinds[jobs[i].kind])));
		if (jobs[i].kind == FAKE__JOB_WEBHOOK) {
			const fake__webhook_retry_job *r = jobs[i].object;
			put(s, j, "endpoint", checked(s, json_string(r->endpoint->obj.id)));
			put(s, j, "event", checked(s, json_string(r->event->obj.id)));
			put(s, j, "attempt", checked(s, json_integer(r->attempt)));
		} else {
			put(s, j, "object", checked(s, json_string(((const fake__object *)jobs[i].object)->id)));
		}
		push(s, a, j);
	}
	fake__free(s->p, jobs);
	return a;
}

static json_t *document_json(save *s)
{
	fake_processor *p = s->p;
	json_t *doc = checked(s, json_object());
	json_t *counters = checked(s, json_object());
	json_t *objects = checked(s, json_object());
	json_t *clock = checked(s, json_object());
	json_t *events = checked(s, json_array());
	char prng[24];
	snprintf(prng, sizeof(prng), "%016" PRIx64, p->prng);
	put(s, doc, "format", checked(s, json_string(FORMAT_NAME)));
	put(s, doc, "version", checked(s, json_integer(FAKE_SNAPSHOT_VERSION)));
	put(s, doc, "options", options_json(s, &p->options));
	put(s, clock, "now", checked(s, json_integer(p->timeline.now)));
	put(s, clock, "next_seq", checked(s, json_integer((json_int_t)p->job_seq)));
	put(s, doc, "clock", clock);
	put(s, doc, "requests", checked(s, json_integer((json_int_t)p->requests)));
	put(s, doc, "prng", checked(s, json_string(prng)));
	for (int type = 0; type < FAKE_OBJECT_TYPE_COUNT; type++)
		put(s, counters, fake__object_type_name(type), checked(s, json_integer((json_int_t)p->counters[type])));
	put(s, doc, "counters", counters);
	for (int type = 0; type < FAKE_OBJECT_TYPE_COUNT; type++) {
		if (!tabled(type))
			continue;
		const fake__table *t = &p->tables[type];
		put(s, objects, fake__object_type_name(type),
		    records_json(s, (const void *const *)t->items, t->len));
	}
	put(s, doc, "objects", objects);
	const fake__table *et = &p->tables[FAKE_OBJECT_EVENT];
	for (size_t i = 0; i < et->len && !s->failed; i++)
		push(s, events, event_json(s, (const struct fake_event *)et->items[i]));
	put(s, doc, "events", events);
	put(s, doc, "timeline", timeline_json(s));
	return doc;
}

static int check_call(fake_processor *p)
{
	if (p->depth || p->delivering)
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "A snapshot cannot be saved or loaded from inside a subscriber, stub, webhook handler or clock callback.");
	return 0;
}

int fake_processor_save_string(char **out, fake_processor *p, unsigned int flags)
{
	if (out)
		*out = NULL;
	if (!p)
		return FAKE_EINVAL;
	if (!out)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "out", "Missing required param: out.");
	if (flags & ~(unsigned int)FAKE_JSON_PRETTY)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid", "flags", "Invalid flags: %#x.", flags);
	if (check_call(p))
		return p->error->status;
	save s = { p, false, 0, NULL, NULL };
	json_t *doc = document_json(&s);
	if (s.status && !s.failed) {
		json_decref(doc);
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_string", s.bad_field,
				       "The %s of %s is not valid UTF-8: it cannot be saved.", s.bad_field, s.bad_id);
	}
	size_t dump_flags = (flags & FAKE_JSON_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) | JSON_ENSURE_ASCII;
	size_t n = s.failed || !doc ? 0 : json_dumpb(doc, NULL, 0, dump_flags);
	char *str = n ? fake__malloc(p, n + 2) : NULL;
	if (!str || json_dumpb(doc, str, n, dump_flags) != n) {
		fake__free(p, str);
		json_decref(doc);
		return fake__error_nomem(p);
	}
	json_decref(doc);
	str[n++] = '\n';
	str[n] = '\0';
	*out = str;
	fake__error_clear(p);
	return 0;
}

static int io_error(fake_processor *p, const char *what, const char *path, int err)
{
	return fake__error_set(p, FAKE_EIO, "io_error", "path", "Could not %s '%s': %s.", what, path, strerror(err));
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The directory holding path, synced so that a rename in it is durable. */
static void sync_directory(fake_processor *p, const char *path)
{
	const char *slash = strrchr(path, '/');
	/* "dir/name": "dir"; "/name": "/"; "name": "." */
	size_t len = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
	char *dir = fake__malloc(p, len + 1);
	if (!dir)
		return; /* the rename happened: only its durability is less certain */
	memcpy(dir, slash ? path : ".", len);
	dir[len] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	fake__free(p, dir);
}

int fake_processor_save(fake_processor *p, const char *path, unsigned int flags)
{
	if (!p)
		return FAKE_EINVAL;
	if (!path || !path[0])
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "path", "Missing required param: path.");
	char *doc = NULL;
	int rc = fake_processor_save_string(&doc, p, flags);
	if (rc)
		return rc;
	size_t len = strlen(path);
	char *tmp = fake__malloc(p, len + 5);
	if (!tmp) {
		fake_json_free(p, doc);
		return fake__error_nomem(p);
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp", 5);
	int err = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = io_error(p, "create", tmp, errno);
	} else {
		err = write_all(fd, doc, strlen(doc));
		if (!err && fsync(fd) != 0)
			err = errno;
		if (close(fd) != 0 && !err)
			err = errno;
		if (err)
			rc = io_error(p, "write", tmp, err);
		else if (rename(tmp, path) != 0)
			rc = io_error(p, "replace", path, errno);
		if (rc)
			unlink(tmp);
		else
			sync_directory(p, path);
	}
	fake__free(p, tmp);
	fake_json_free(p, doc);
	if (!rc)
		fake__error_clear(p);
	return rc;
}

/* ---- loading ---------------------------------------------------------------- */

typedef struct load {
	fake_processor *q;       /* the state being built */
	char path[PATH_MAX_LEN]; /* JSON path of the value being read */
	size_t path_len;
	int status;              /* first failure: FAKE_EINVAL or FAKE_ENOMEM */
	const char *code;        /* snapshot_invalid or snapshot_version */
	char message[256];
	uint64_t last_line;      /* the highest il_fake_ number seen: the line counter is at least that */
} load;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static size_t path_push(load *l, const char *fmt, ...)
{
	size_t mark = l->path_len;
	if (mark < sizeof(l->path) - 1) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(l->path + mark, sizeof(l->path) - mark, fmt, ap);
		va_end(ap);
		l->path_len = n < 0 ? mark : mark + (size_t)n;
		if (l->path_len >= sizeof(l->path))
			l->path_len = sizeof(l->path) - 1;
	}
	return mark;
}

static void path_pop(load *l, size_t mark)
{
	l->path_len = mark;
	l->path[mark] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static bool fail(load *l, const char *fmt, ...)
{
	if (l->status)
		return false;
	l->status = FAKE_EINVAL;
	if (!l->code)
		l->code = "snapshot_invalid";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->message, sizeof(l->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool nomem(load *l)
{
	if (!l->status)
		l->status = FAKE_ENOMEM;
	return false;
}

/* The member `key` of object o, which must be there. The path is o's;
 * when the member is missing, it names the member. */
static json_t *member(load *l, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v) {
		path_push(l, ".%s", key);
		fail(l, "%s is missing", key);
	}
	return v;
}

/* As member(), and the path then names the member (path_pop(l, *mark)
 * goes back to o's). */
static json_t *enter(load *l, json_t *o, const char *key, size_t *mark)
{
	json_t *v = member(l, o, key);
	if (v)
		*mark = path_push(l, ".%s", key);
	return v;
}

static bool named(const char *key, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, names[i]) == 0)
			return true;
	return false;
}

/* o has no members but `names` (all of which were read). */
static bool only(load *l, json_t *o, const char *const *names, size_t n)
{
	if (json_object_size(o) == n)
		return true;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		(void)v;
		if (!named(key, names, n)) {
			path_push(l, ".%s", key);
			return fail(l, "unknown member '%.60s'", key);
		}
	}
	return fail(l, "unknown members");
}

static bool get_int(load *l, json_t *v, const char *name, int64_t min, int64_t max, int64_t *out)
{
	if (!json_is_integer(v))
		return fail(l, "%s must be an integer", name);
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return fail(l, "%s is %lld, outside %lld..%lld", name, (long long)n, (long long)min, (long long)max);
	*out = n;
	return true;
}

/* The integer member `key` of o (the path is o's). */
static bool get_member_int(load *l, json_t *o, const char *key, int64_t min, int64_t max, int64_t *out)
{
	json_t *v = member(l, o, key);
	if (!v)
		return false;
	size_t mark = path_push(l, ".%s", key);
	if (!get_int(l, v, key, min, max, out))
		return false;
	path_pop(l, mark);
	return true;
}

static bool get_time(load *l, json_t *v, const char *name, bool never, int64_t *out)
{
	if (never && json_is_integer(v) && json_integer_value(v) == INT64_MAX) {
		*out = INT64_MAX;
		return true;
	}
	return get_int(l, v, name, 0, FAKE_TIME_MAX, out);
}

static bool get_hex64(load *l, json_t *o, const char *key, uint64_t *out)
{
	json_t *v = member(l, o, key);
	if (!v)
		return false;
	const char *s = json_string_value(v);
	if (!s || strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
		return path_push(l, ".%s", key), fail(l, "%s must be 16 lowercase hex digits", key);
	*out = strtoull(s, NULL, 16);
	return true;
}

static const char *copy_string(load *l, const char *s)
{
	bool ok = true;
	const char *c = fake__arena_strdup(l->q, s, &ok);
	if (!ok)
		nomem(l);
	return c;
}

static bool get_string(load *l, json_t *v, const char *name, bool required, size_t max, const char **out)
{
	*out = NULL;
	if (json_is_null(v) && !required)
		return true;
	if (!json_is_string(v))
		return fail(l, required ? "%s must be a string" : "%s must be a string or null", name);
	if (json_string_length(v) > max) /* (jansson refuses \u0000 itself) */
		return fail(l, "%s is longer than %zu bytes", name, max);
	*out = copy_string(l, json_string_value(v));
	return *out != NULL;
}

static bool metadata_parse(load *l, json_t *v, const fake_metadata **out)
{
	if (!json_is_object(v))
		return fail(l, "metadata must be an object");
	size_t n = json_object_size(v);
	if (n > FAKE_METADATA_MAX_KEYS)
		return fail(l, "metadata has %zu keys, more than %d", n, FAKE_METADATA_MAX_KEYS);
	if (!n) {
		*out = &fake__metadata_empty;
		return true;
	}
	struct fake_metadata *m = fake__arena_alloc(l->q, sizeof(*m) + n * sizeof(m->items[0]));
	if (!m)
		return nomem(l);
	m->count = 0;
	const char *key;
	json_t *value;
	json_object_foreach(v, key, value)
	{
		if (!key[0] || strlen(key) > FAKE_METADATA_MAX_KEY_LEN)
			return fail(l, "metadata key '%.40s' is empty or longer than %d", key, FAKE_METADATA_MAX_KEY_LEN);
		const char *val = NULL;
		if (!get_string(l, value, "a metadata value", true, FAKE_METADATA_MAX_VALUE_LEN, &val))
			return false;
		m->items[m->count].key = copy_string(l, key);
		m->items[m->count++].value = val;
		if (!m->items[m->count - 1].key)
			return false;
	}
	*out = m;
	return true;
}

static const struct fake_price *price_find(load *l, const char *id)
{
	fake__object *o = fake__store_find(l->q, id);
	return o && o->type == FAKE_OBJECT_PRICE ? (const struct fake_price *)o : NULL;
}

static void *record_parse(load *l, json_t *r, fake_object_type type, size_t pos, bool stored);

static bool records_parse(load *l, json_t *a, fake_object_type type, size_t max, const void *const **out,
			  size_t *count)
{
	if (!json_is_array(a))
		return fail(l, "must be an array");
	size_t n = json_array_size(a);
	if (n > max)
		return fail(l, "holds %zu records, more than %zu", n, max);
	const void **items = fake__arena_alloc(l->q, (n ? n : 1) * sizeof(*items));
	if (!items)
		return nomem(l);
	for (size_t i = 0; i < n; i++) {
		size_t mark = path_push(l, "[%zu]", i);
		if (!(items[i] = record_parse(l, json_array_get(a, i), type, 0, false)))
			return false;
		path_pop(l, mark);
	}
	*out = items;
	*count = n;
	return true;
}

static bool field_parse(load *l, json_t *v, void *o, const field *f)
{
	int64_t n = 0;
	switch (f->kind) {
	case K_STR:
	case K_REF:
		return get_string(l, v, f->name, f->required, f->kind == K_REF ? FAKE_ID_MAX : 40000,
				  AT(o, f, const char *));
	case K_I64:
		return get_int(l, v, f->name, -f->arg, f->arg, AT(o, f, int64_t));
	case K_NAT:
		return get_int(l, v, f->name, 0, f->arg, AT(o, f, int64_t));
	case K_TIME:
	case K_END:
		return get_time(l, v, f->name, f->kind == K_END, AT(o, f, int64_t));
	case K_INT:
		if (!get_int(l, v, f->name, 0, f->arg, &n))
			return false;
		*AT(o, f, int) = (int)n;
		return true;
	case K_UINT:
		if (!get_int(l, v, f->name, 0, f->arg, &n))
			return false;
		*AT(o, f, unsigned int) = (unsigned int)n;
		return true;
	case K_ENUM:
		for (int64_t i = 0; i <= f->arg && json_is_string(v); i++) {
			if (strcmp(json_string_value(v), f->names[i]) == 0) {
				*AT(o, f, unsigned int) = (unsigned int)i;
				return true;
			}
		}
		return fail(l, "%s must be one of %s ... %s", f->name, f->names[0], f->names[f->arg]);
	case K_U64:
		if (!get_int(l, v, f->name, 0, COUNTER_MAX, &n))
			return false;
		*AT(o, f, uint64_t) = (uint64_t)n;
		return true;
	case K_BOOL:
		if (!json_is_boolean(v))
			return fail(l, "%s must be true or false", f->name);
		*AT(o, f, bool) = json_is_true(v);
		return true;
	case K_META:
		return metadata_parse(l, v, AT(o, f, const fake_metadata *));
	case K_PRICE: {
		const char *id = NULL;
		if (!get_string(l, v, f->name, f->required, FAKE_ID_MAX, &id))
			return false;
		if (id && !(*AT(o, f, const struct fake_price *) = price_find(l, id)))
			return fail(l, "%s names no price: '%s'", f->name, id);
		return true;
	}
	case K_CARD:
		if (json_is_null(v) && !f->required)
			return true;
		return (*AT(o, f, const void *) = record_parse(l, v, FAKE_OBJECT_PAYMENT_METHOD, 0, false)) != NULL;
	case K_ITEMS:
		return records_parse(l, v, FAKE_OBJECT_SUBSCRIPTION_ITEM, FAKE_SUBSCRIPTION_ITEMS_MAX,
				     AT(o, f, const void *const *), COUNT_AT(o, f));
	case K_LINES:
		return records_parse(l, v, FAKE_OBJECT_INVOICE_LINE, COUNT_MAX, AT(o, f, const void *const *),
				     COUNT_AT(o, f));
	case K_NAMES: {
		if (!json_is_array(v))
			return fail(l, "%s must be an array", f->name);
		size_t count = json_array_size(v);
		const char **names = fake__arena_alloc(l->q, (count ? count : 1) * sizeof(*names));
		if (!names)
			return nomem(l);
		for (size_t i = 0; i < count; i++) {
			size_t mark = path_push(l, "[%zu]", i);
			if (!get_string(l, json_array_get(v, i), f->name, true, 100, &names[i]))
				return false;
			path_pop(l, mark);
		}
		*AT(o, f, const char *const *) = names;
		*COUNT_AT(o, f) = count;
		return true;
	}
	}
	return fail(l, "%s has an unknown kind", f->name);
}

/* What the rest of libfake takes for granted of a record, beyond each
 * field's own range: only customers, subscription items, invoices, invoice
 * items and webhook endpoints are ever deleted; a card that declines has a
 * decline code (and only then); a price is one-time or recurring in full;
 * a subscription bills at least one item, each on a recurring price. The
 * path names the field found wanting. */
static bool record_valid(load *l, const fake__object *o)
{
	static const bool deletable[FAKE_OBJECT_TYPE_COUNT] = {
		[FAKE_OBJECT_CUSTOMER] = true,     [FAKE_OBJECT_SUBSCRIPTION_ITEM] = true, [FAKE_OBJECT_INVOICE] = true,
		[FAKE_OBJECT_INVOICE_ITEM] = true, [FAKE_OBJECT_WEBHOOK_ENDPOINT] = true, [FAKE_OBJECT_TEST_CLOCK] = true,
	};
	if (o->flags & FAKE__DELETED && !deletable[o->type])
		return path_push(l, ".deleted"), fail(l, "a %s is never deleted", fake__object_type_name(o->type));
	if (o->type == FAKE_OBJECT_PAYMENT_METHOD) {
		const struct fake_payment_method *pm = (const struct fake_payment_method *)o;
		bool declines = pm->card.behavior == FAKE_CARD_DECLINES || pm->card.behavior == FAKE_CARD_DECLINES_AFTER_ATTACH;
		if (declines != (pm->card.decline_code != NULL))
			return path_push(l, ".card.decline_code"),
			       fail(l, "a card has a decline_code exactly when its behavior declines");
	} else if (o->type == FAKE_OBJECT_PRICE) {
		const struct fake_price *price = (const struct fake_price *)o;
		if ((price->interval == FAKE_INTERVAL_NONE) != (price->interval_count == 0))
			return path_push(l, ".interval_count"),
			       fail(l, "a price has an interval and an interval_count, or neither");
	} else if (o->type == FAKE_OBJECT_SUBSCRIPTION) {
		const struct fake_subscription *sub = (const struct fake_subscription *)o;
		const char *wanting = NULL;
		if (!sub->item_count)
			wanting = "items";
		else if (sub->interval == FAKE_INTERVAL_NONE)
			wanting = "interval";
		else if (!sub->interval_count)
			wanting = "interval_count";
		if (wanting)
			return path_push(l, ".%s", wanting),
			       fail(l, "a subscription has items, an interval and an interval_count");
	} else if (o->type == FAKE_OBJECT_SUBSCRIPTION_ITEM) {
		if (((const struct fake_subscription_item *)o)->price->interval == FAKE_INTERVAL_NONE)
			return path_push(l, ".price"), fail(l, "a subscription item's price is recurring");
	} else if (o->type == FAKE_OBJECT_TEST_CLOCK) {
		const struct fake_test_clock *c = (const struct fake_test_clock *)o;
		bool advancing = c->status == FAKE_TEST_CLOCK_ADVANCING;
		if (!c->frozen_time)
			return path_push(l, ".frozen_time"), fail(l, "a test clock's frozen_time is after 0");
		if (advancing ? c->target <= c->frozen_time : c->target != 0)
			return path_push(l, ".target"),
			       fail(l, "an advancing test clock's target is after its frozen_time; other clocks have none");
		if (!advancing && (c->polls_left || c->fail))
			return path_push(l, c->fail ? ".fail" : ".polls_left"),
			       fail(l, "only an advancing test clock awaits polls or a failure");
	}
	return true;
}

/* A record of `type`. A stored record must carry the id its place gives it
 * (pos + 1, at the snapshot's id width); others any id of their type's
 * form, checked against the store in the second pass. */
static void *record_parse(load *l, json_t *r, fake_object_type type, size_t pos, bool stored)
{
	if (!json_is_object(r))
		return fail(l, "must be an object"), NULL;
	fake__object *o = fake__arena_calloc(l->q, fake__object_size(type));
	if (!o)
		return nomem(l), NULL;
	o->type = type;
	o->pos = pos;
	const char *id = NULL;
	json_t *v = member(l, r, "id");
	if (!v)
		return NULL;
	size_t mark = path_push(l, ".id");
	/* Only an upcoming invoice (an invoice.upcoming event's object) has no id. */
	bool preview = !stored && type == FAKE_OBJECT_INVOICE && json_is_null(v);
	if (!preview && !get_string(l, v, "id", true, FAKE_ID_MAX, &id))
		return NULL;
	/* An upcoming invoice's lines are il_tmp_ ones: any il_ id will do. */
	const char *prefix = type == FAKE_OBJECT_INVOICE_LINE ? "il_" : fake__object_prefix(type);
	if (stored) {
		char want[FAKE_ID_MAX + 1];
		fake__id_write(want, sizeof(want), prefix, pos + 1, l->q->options.id_width);
		if (strcmp(id, want) != 0)
			return fail(l, "id is '%s'; the record at this place must be '%s'", id, want), NULL;
	} else if (id && strncmp(id, prefix, strlen(prefix)) != 0) {
		return fail(l, "id '%s' is not a %s id", id, fake__object_type_name(type)), NULL;
	}
	o->id = id;
	const char *line = fake__object_prefix(FAKE_OBJECT_INVOICE_LINE);
	if (type == FAKE_OBJECT_INVOICE_LINE && strncmp(id, line, strlen(line)) == 0) {
		uint64_t number = strtoull(id + strlen(line), NULL, 10);
		if (number > l->last_line)
			l->last_line = number;
	}
	path_pop(l, mark);
	v = member(l, r, "created");
	if (!v)
		return NULL;
	mark = path_push(l, ".created");
	if (!get_time(l, v, "created", false, &o->created))
		return NULL;
	path_pop(l, mark);
	size_t expected = 2;
	json_t *deleted = json_object_get(r, "deleted");
	if (deleted) {
		if (!json_is_true(deleted))
			return path_push(l, ".deleted"), fail(l, "deleted, when present, must be true"), NULL;
		o->flags |= FAKE__DELETED;
		expected++;
	}
	const record_kind *k = &kinds[type];
	for (size_t i = 0; i < k->count; i++) {
		v = member(l, r, k->fields[i].name);
		if (!v)
			return NULL;
		mark = path_push(l, ".%s", k->fields[i].name);
		if (!field_parse(l, v, o, &k->fields[i]))
			return NULL;
		path_pop(l, mark);
	}
	if (json_object_size(r) != expected + k->count) {
		static const char *const head[] = { "id", "created", "deleted" };
		const char *key;
		json_object_foreach(r, key, v)
		{
			bool known = named(key, head, FAKE__COUNT(head));
			for (size_t i = 0; !known && i < k->count; i++)
				known = strcmp(key, k->fields[i].name) == 0;
			if (!known)
				return path_push(l, ".%s", key), fail(l, "unknown member '%.60s'", key), NULL;
		}
	}
	if (!record_valid(l, o))
		return NULL;
	return o;
}

/* A record's ids name objects of the right types, and a snapshot's own id
 * names the stored object it is a version of. */
static bool record_link(load *l, const void *object, bool stored)
{
	const fake__object *o = object;
	if (!stored && o->type != FAKE_OBJECT_INVOICE_LINE && o->id) {
		const fake__object *live = fake__store_find(l->q, o->id);
		if (!live || live->type != o->type)
			return path_push(l, ".id"),
			       fail(l, "id '%s' names no stored %s", o->id, fake__object_type_name(o->type));
	}
	const record_kind *k = &kinds[o->type];
	for (size_t i = 0; i < k->count; i++) {
		const field *f = &k->fields[i];
		size_t mark = path_push(l, ".%s", f->name);
		if (f->kind == K_REF) {
			const char *id = *AT_CONST(o, f, const char *);
			fake__object *target = id ? fake__store_find(l->q, id) : NULL;
			bool right = target && (f->arg == MONEY_SOURCE ? target->type == FAKE_OBJECT_CHARGE ||
										target->type == FAKE_OBJECT_REFUND
								       : target->type == (fake_object_type)f->arg);
			if (id && !right)
				return fail(l, "%s names no %s: '%s'", f->name,
					    f->arg == MONEY_SOURCE ? "charge or refund" : fake__object_type_name((int)f->arg),
					    id);
		} else if (f->kind == K_CARD && *AT_CONST(o, f, const void *)) {
			if (!record_link(l, *AT_CONST(o, f, const void *), false))
				return false;
		} else if (f->kind == K_ITEMS || f->kind == K_LINES) {
			const void *const *items = *AT_CONST(o, f, const void *const *);
			for (size_t j = 0; j < *COUNT_AT_CONST(o, f); j++) {
				size_t item_mark = path_push(l, "[%zu]", j);
				if (!record_link(l, items[j], false))
					return false;
				path_pop(l, item_mark);
			}
		}
		path_pop(l, mark);
	}
	return true;
}

static struct fake_event *event_parse(load *l, json_t *r, size_t pos)
{
	if (!json_is_object(r))
		return fail(l, "must be an object"), NULL;
	struct fake_event *e = fake__arena_calloc(l->q, sizeof(*e));
	if (!e)
		return nomem(l), NULL;
	e->obj.type = FAKE_OBJECT_EVENT;
	char want[FAKE_ID_MAX + 1];
	fake__id_write(want, sizeof(want), fake__object_prefix(FAKE_OBJECT_EVENT), pos + 1, l->q->options.id_width);
	size_t mark = 0;
	json_t *v = enter(l, r, "id", &mark);
	if (!v || !get_string(l, v, "id", true, FAKE_ID_MAX, &e->obj.id))
		return NULL;
	if (strcmp(e->obj.id, want) != 0)
		return fail(l, "id is '%s'; the event at this place must be '%s'", e->obj.id, want), NULL;
	path_pop(l, mark);
	if (!(v = enter(l, r, "created", &mark)) || !get_time(l, v, "created", false, &e->obj.created))
		return NULL;
	path_pop(l, mark);
	if (!(v = enter(l, r, "type", &mark)))
		return NULL;
	e->type = json_is_string(v) ? fake__event_type_named(json_string_value(v)) : FAKE__EVT_COUNT;
	if (e->type == FAKE__EVT_COUNT)
		return fail(l, "type is not an event type libfake emits"), NULL;
	path_pop(l, mark);
	if (!(v = enter(l, r, "request", &mark)) || !get_string(l, v, "request", false, FAKE_ID_MAX, &e->request_id))
		return NULL;
	path_pop(l, mark);
	int64_t pending = 0;
	if (!get_member_int(l, r, "pending_webhooks", 0, COUNT_MAX, &pending))
		return NULL;
	e->pending_webhooks = (unsigned int)pending;
	if (!(v = enter(l, r, "object_type", &mark)))
		return NULL;
	fake_object_type type = json_is_string(v) ? fake__object_type_named(json_string_value(v)) : ANY_TYPE;
	if (type == ANY_TYPE || type != fake__event_object_type(e->type))
		return fail(l, "object_type is not the type of the object a %s event carries", fake_event_type(e)), NULL;
	path_pop(l, mark);
	if (!(v = enter(l, r, "object", &mark)) || !(e->object = record_parse(l, v, type, 0, false)))
		return NULL;
	path_pop(l, mark);
	if (!(v = enter(l, r, "previous", &mark)) ||
	    (!json_is_null(v) && !(e->previous = record_parse(l, v, type, 0, false))))
		return NULL;
	path_pop(l, mark);
	if (!(v = enter(l, r, "changed", &mark)))
		return NULL;
	if (!json_is_array(v))
		return fail(l, "must be an array"), NULL;
	size_t n = json_array_size(v);
	const char **changed = fake__arena_alloc(l->q, (n ? n : 1) * sizeof(*changed));
	if (!changed)
		return nomem(l), NULL;
	for (size_t i = 0; i < n; i++) {
		size_t item_mark = path_push(l, "[%zu]", i);
		if (!get_string(l, json_array_get(v, i), "a changed field", true, 100, &changed[i]))
			return NULL;
		path_pop(l, item_mark);
	}
	if (n && !e->previous)
		return fail(l, "names changed fields of an event with no previous version"), NULL;
	e->changed = changed;
	e->changed_count = n;
	path_pop(l, mark);
	static const char *const members[] = { "id", "created", "type", "request", "pending_webhooks",
					       "object_type", "object", "previous", "changed" };
	if (!only(l, r, members, FAKE__COUNT(members)))
		return NULL;
	return e;
}

static bool options_parse(load *l, json_t *o, fake_processor_options *opts)
{
	if (!json_is_object(o))
		return fail(l, "must be an object");
	int64_t n = 0;
	if (!get_member_int(l, o, "epoch", 0, FAKE_TIME_MAX, &opts->epoch) ||
	    !get_member_int(l, o, "id_width", 1, FAKE_ID_WIDTH_MAX, &n) || !get_hex64(l, o, "seed", &opts->seed))
		return false;
	opts->id_width = (unsigned int)n;
	size_t mark = 0;
	json_t *v = enter(l, o, "synthesize_events", &mark);
	if (!v)
		return false;
	if (!json_is_boolean(v))
		return fail(l, "synthesize_events must be true or false");
	opts->synthesize_events = json_is_true(v);
	path_pop(l, mark);
	json_t *b = enter(l, o, "billing", &mark);
	if (!b)
		return false;
	if (!json_is_object(b))
		return fail(l, "must be an object");
	size_t days_mark = 0;
	json_t *days = enter(l, b, "retry_days", &days_mark);
	if (!days)
		return false;
	if (!json_is_array(days) || json_array_size(days) > FAKE_RETRIES_MAX)
		return fail(l, "retry_days must be an array of at most %d days", FAKE_RETRIES_MAX);
	opts->billing.retry_count = (unsigned int)json_array_size(days);
	memset(opts->billing.retry_days, 0, sizeof(opts->billing.retry_days));
	for (size_t i = 0; i < json_array_size(days); i++) {
		size_t day_mark = path_push(l, "[%zu]", i);
		if (!get_int(l, json_array_get(days, i), "a retry day", 1, 60, &n))
			return false;
		opts->billing.retry_days[i] = (unsigned int)n;
		path_pop(l, day_mark);
	}
	path_pop(l, days_mark);
	static const field exhausted_subscription = { "exhausted_subscription", K_ENUM,
						      offsetof(fake_billing_options, exhausted_subscription),
						      FAKE_DUNNING_PAST_DUE, false, dunning_subscription_names };
	static const field exhausted_invoice = { "exhausted_invoice", K_ENUM,
						 offsetof(fake_billing_options, exhausted_invoice),
						 FAKE_DUNNING_UNCOLLECTIBLE, false, dunning_invoice_names };
	size_t field_mark = 0;
	if (!(v = enter(l, b, "exhausted_subscription", &field_mark)) ||
	    !field_parse(l, v, &opts->billing, &exhausted_subscription))
		return false;
	path_pop(l, field_mark);
	if (!(v = enter(l, b, "exhausted_invoice", &field_mark)) ||
	    !field_parse(l, v, &opts->billing, &exhausted_invoice))
		return false;
	path_pop(l, field_mark);
	static const char *const billing_members[] = { "retry_days", "exhausted_subscription", "exhausted_invoice",
						       "finalize_delay", "upcoming_days" };
	if (!get_member_int(l, b, "finalize_delay", 0, 72 * 3600, &opts->billing.finalize_delay) ||
	    !get_member_int(l, b, "upcoming_days", 0, FAKE_UPCOMING_DAYS_MAX, &n) ||
	    !only(l, b, billing_members, FAKE__COUNT(billing_members)))
		return false;
	opts->billing.upcoming_days = (unsigned int)n;
	/* Every field is in range: what else fake_processor_new() refuses is
	 * retry days out of order. */
	if (fake__options_check(opts))
		return path_push(l, ".retry_days"), fail(l, "retry_days must increase");
	path_pop(l, mark);
	json_t *tc = enter(l, o, "test_clocks", &mark);
	if (!tc)
		return false;
	if (!json_is_object(tc))
		return fail(l, "must be an object");
	static const char *const test_clock_members[] = { "max_clocks", "auto_delete", "ready_after_retrievals" };
	if (!get_member_int(l, tc, "max_clocks", 1, FAKE_TEST_CLOCKS_MAX, &n))
		return false;
	opts->test_clocks.max_clocks = (unsigned int)n;
	if (!get_member_int(l, tc, "ready_after_retrievals", 0, 1000, &n))
		return false;
	opts->test_clocks.ready_after_retrievals = (unsigned int)n;
	if (!(v = enter(l, tc, "auto_delete", &field_mark)))
		return false;
	if (!json_is_boolean(v))
		return fail(l, "auto_delete must be true or false");
	opts->test_clocks.auto_delete = json_is_true(v);
	path_pop(l, field_mark);
	if (!only(l, tc, test_clock_members, FAKE__COUNT(test_clock_members)))
		return false;
	path_pop(l, mark);
	static const char *const members[] = { "epoch", "id_width", "seed", "synthesize_events", "billing",
					       "test_clocks" };
	return only(l, o, members, FAKE__COUNT(members));
}

static bool tables_parse(load *l, json_t *objects)
{
	if (!json_is_object(objects))
		return fail(l, "must be an object");
	const char *names[FAKE_OBJECT_TYPE_COUNT];
	size_t expected = 0;
	for (int type = 0; type < FAKE_OBJECT_TYPE_COUNT; type++) {
		if (!tabled(type))
			continue;
		const char *name = names[expected++] = fake__object_type_name(type);
		size_t mark = 0;
		json_t *a = enter(l, objects, name, &mark);
		if (!a)
			return false;
		if (!json_is_array(a))
			return fail(l, "must be an array");
		for (size_t i = 0; i < json_array_size(a); i++) {
			size_t item_mark = path_push(l, "[%zu]", i);
			void *o = record_parse(l, json_array_get(a, i), type, i, true);
			if (!o)
				return false;
			if (fake__store_add(l->q, o))
				return nomem(l);
			path_pop(l, item_mark);
		}
		path_pop(l, mark);
	}
	return only(l, objects, names, expected);
}

static bool tables_link(load *l)
{
	for (int type = 0; type < FAKE_OBJECT_TYPE_COUNT; type++) {
		if (!tabled(type))
			continue;
		const fake__table *t = &l->q->tables[type];
		for (size_t i = 0; i < t->len; i++) {
			size_t mark = path_push(l, "$.objects.%s[%zu]", fake__object_type_name(type), i);
			if (!record_link(l, t->items[i], true))
				return false;
			path_pop(l, mark);
		}
	}
	return true;
}

static bool events_parse(load *l, json_t *events)
{
	if (!json_is_array(events))
		return fail(l, "must be an array");
	for (size_t i = 0; i < json_array_size(events); i++) {
		size_t mark = path_push(l, "[%zu]", i);
		struct fake_event *e = event_parse(l, json_array_get(events, i), i);
		if (!e)
			return false;
		size_t object_mark = path_push(l, ".object");
		if (!record_link(l, e->object, false))
			return false;
		path_pop(l, object_mark);
		object_mark = path_push(l, ".previous");
		if (e->previous && !record_link(l, e->previous, false))
			return false;
		path_pop(l, object_mark);
		if (fake__store_add(l->q, e))
			return nomem(l);
		path_pop(l, mark);
	}
	return true;
}

static void *live_of(load *l, json_t *j, const char *key, fake_object_type type)
{
	size_t mark = 0;
	json_t *v = enter(l, j, key, &mark);
	if (!v)
		return NULL;
	fake__object *o = json_is_string(v) ? fake__store_find(l->q, json_string_value(v)) : NULL;
	if (!o || o->type != type)
		return fail(l, "%s names no %s", key, fake__object_type_name(type)), NULL;
	path_pop(l, mark);
	return o;
}

/* Each event's pending_webhooks counts its deliveries still owed, and each
 * of those is one retry on the timeline. */
static bool retries_match(load *l)
{
	const fake__table *events = &l->q->tables[FAKE_OBJECT_EVENT];
	const fake__timeline *t = &l->q->timeline;
	if (!events->len)
		return true;
	unsigned int *retries = fake__malloc(l->q, events->len * sizeof(*retries));
	if (!retries)
		return nomem(l);
	memset(retries, 0, events->len * sizeof(*retries));
	for (size_t i = 0; i < t->len; i++)
		if (t->heap[i].kind == FAKE__JOB_WEBHOOK)
			retries[((const fake__webhook_retry_job *)t->heap[i].object)->event->obj.pos]++;
	bool ok = true;
	for (size_t i = 0; ok && i < events->len; i++) {
		unsigned int pending = ((const struct fake_event *)events->items[i])->pending_webhooks;
		if (retries[i] != pending) {
			l->path_len = 0;
			path_push(l, "$.events[%zu].pending_webhooks", i);
			ok = fail(l, "pending_webhooks is %u, but the timeline holds %u retries of the event", pending,
				  retries[i]);
		}
	}
	fake__free(l->q, retries);
	return ok;
}

static bool timeline_parse(load *l, json_t *jobs, uint64_t next_seq)
{
	if (!json_is_array(jobs))
		return fail(l, "must be an array");
	fake__job last = { 0, 0, FAKE__JOB_CALLBACK, NULL, NULL };
	for (size_t i = 0; i < json_array_size(jobs); i++) {
		size_t mark = path_push(l, "[%zu]", i);
		json_t *j = json_array_get(jobs, i);
		if (!json_is_object(j))
			return fail(l, "must be an object");
		fake__job job = { 0, 0, FAKE__JOB_CALLBACK, NULL, NULL };
		int64_t seq = 0;
		if (!get_member_int(l, j, "due", 0, FAKE_TIME_MAX, &job.due) ||
		    !get_member_int(l, j, "seq", 0, (int64_t)next_seq - 1, &seq))
			return false;
		job.seq = (uint64_t)seq;
		if (i && job_order(&last, &job) >= 0)
			return fail(l, "jobs must be in the order they run (due, then seq), each seq once");
		size_t kind_mark = 0;
		json_t *job_kind = enter(l, j, "kind", &kind_mark);
		if (!job_kind)
			return false;
		const char *name = json_is_string(job_kind) ? json_string_value(job_kind) : "";
		job.kind = FAKE__JOB_CALLBACK; /* no callback is saved: the name of none */
		for (size_t k = 0; k < FAKE__COUNT(job_kinds); k++)
			if (job_kinds[k] && strcmp(name, job_kinds[k]) == 0)
				job.kind = (fake__job_kind)k;
		if (job.kind == FAKE__JOB_CALLBACK)
			return fail(l, "kind must be subscription, invoice, webhook_retry or test_clock_expiry");
		path_pop(l, kind_mark);
		static const char *const object_members[] = { "due", "seq", "kind", "object" };
		static const char *const retry_members[] = { "due", "seq", "kind", "endpoint", "event", "attempt" };
		const char *const *members = object_members;
		size_t member_count = FAKE__COUNT(object_members);
		fake__timeline *t = &l->q->timeline;
		if (job.kind != FAKE__JOB_WEBHOOK) {
			job.object = live_of(l, j, "object",
					     job.kind == FAKE__JOB_SUBSCRIPTION ? FAKE_OBJECT_SUBSCRIPTION
					     : job.kind == FAKE__JOB_INVOICE    ? FAKE_OBJECT_INVOICE
										: FAKE_OBJECT_TEST_CLOCK);
			if (!job.object)
				return false;
			/* Billing work waits on the timeline of the clock its object lives on. */
			const struct fake_test_clock *clock = job.kind == FAKE__JOB_TEST_CLOCK
								      ? NULL
								      : fake__test_clock_of(l->q, job.object);
			if (clock && clock->obj.flags & FAKE__DELETED)
				return path_push(l, ".object"), fail(l, "the object lives on a deleted test clock, whose work is not kept");
			if (clock)
				t = fake__test_clock_timeline(l->q, clock);
		} else {
			fake__webhook_retry_job *r = fake__arena_alloc(l->q, sizeof(*r));
			if (!r)
				return nomem(l);
			int64_t attempt = 0;
			if (!(r->endpoint = live_of(l, j, "endpoint", FAKE_OBJECT_WEBHOOK_ENDPOINT)) ||
			    !(r->event = live_of(l, j, "event", FAKE_OBJECT_EVENT)) ||
			    !get_member_int(l, j, "attempt", 2, COUNT_MAX, &attempt))
				return false;
			r->attempt = (unsigned int)attempt;
			job.object = r;
			members = retry_members;
			member_count = FAKE__COUNT(retry_members);
		}
		if (!only(l, j, members, member_count))
			return false;
		if (job.due < t->now)
			return path_push(l, ".due"), fail(l, "due is %lld, outside [%lld, %lld]: before its clock's time",
							  (long long)job.due, (long long)t->now, (long long)FAKE_TIME_MAX);
		l->q->job_seq = job.seq;
		if (fake__timeline_push(l->q, t, &job))
			return nomem(l);
		last = job;
		path_pop(l, mark);
	}
	l->q->job_seq = next_seq;
	return retries_match(l);
}

static bool counters_parse(load *l, json_t *counters)
{
	if (!json_is_object(counters))
		return fail(l, "must be an object");
	const char *names[FAKE_OBJECT_TYPE_COUNT];
	for (int type = 0; type < FAKE_OBJECT_TYPE_COUNT; type++) {
		const char *name = fake__object_type_name(type);
		int64_t n = 0;
		size_t len = l->q->tables[type].len;
		if (!get_member_int(l, counters, name, 0, COUNTER_MAX, &n))
			return false;
		/* A stored type's counter is its table's length: the number of
		 * its next object is its place in the table, plus one. */
		if (type != FAKE_OBJECT_INVOICE_LINE && (uint64_t)n != len)
			return path_push(l, ".%s", name),
			       fail(l, "%s is %lld, but there are %zu %s records", name, (long long)n, len, name);
		/* Lines are not stored, but their numbers must not come again. */
		if (type == FAKE_OBJECT_INVOICE_LINE && (uint64_t)n < l->last_line)
			return path_push(l, ".%s", name),
			       fail(l, "%s is %lld, but a line is numbered %llu", name, (long long)n,
				    (unsigned long long)l->last_line);
		l->q->counters[type] = (uint64_t)n;
		names[type] = name;
	}
	return only(l, counters, names, FAKE_OBJECT_TYPE_COUNT);
}

/* Reads the whole document into l->q. */
static bool document_parse(load *l, json_t *doc)
{
	fake_processor *q = l->q;
	if (!json_is_object(doc))
		return fail(l, "a snapshot is a JSON object");
	json_t *v = json_object_get(doc, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v), FORMAT_NAME) != 0)
		return path_push(l, ".format"), fail(l, "this is not a libfake snapshot (format is not \"%s\")",
						  FORMAT_NAME);
	v = json_object_get(doc, "version");
	if (!json_is_integer(v) || json_integer_value(v) != FAKE_SNAPSHOT_VERSION) {
		path_push(l, ".version");
		l->code = "snapshot_version";
		if (!v)
			return fail(l, "version is missing; this libfake reads version %d", FAKE_SNAPSHOT_VERSION);
		if (!json_is_integer(v))
			return fail(l, "version is not a number; this libfake reads version %d", FAKE_SNAPSHOT_VERSION);
		return fail(l, "the snapshot is format version %lld; this libfake reads version %d",
			    (long long)json_integer_value(v), FAKE_SNAPSHOT_VERSION);
	}
	size_t mark = 0;
	if (!(v = enter(l, doc, "options", &mark)) || !options_parse(l, v, &q->options))
		return false;
	path_pop(l, mark);
	q->timeline.now = q->options.epoch;
	static const char *const clock_members[] = { "now", "next_seq" };
	json_t *clock = enter(l, doc, "clock", &mark);
	int64_t next_seq = 0, requests = 0;
	if (!clock)
		return false;
	if (!json_is_object(clock))
		return fail(l, "must be an object");
	if (!get_member_int(l, clock, "now", q->options.epoch, FAKE_TIME_MAX, &q->timeline.now) ||
	    !get_member_int(l, clock, "next_seq", 0, COUNTER_MAX, &next_seq) ||
	    !only(l, clock, clock_members, FAKE__COUNT(clock_members)))
		return false;
	path_pop(l, mark);
	if (!get_member_int(l, doc, "requests", 0, COUNTER_MAX, &requests) || !get_hex64(l, doc, "prng", &q->prng))
		return false;
	q->requests = (uint64_t)requests;
	if (requests)
		fake__id_write(q->request_id, sizeof(q->request_id), "req_fake_", q->requests, q->options.id_width);
	if (!(v = enter(l, doc, "objects", &mark)) || !tables_parse(l, v))
		return false;
	path_pop(l, mark);
	/* tables_link() writes whole paths: from the start of the buffer. */
	path_pop(l, 0);
	if (!tables_link(l))
		return false;
	/* Each test clock's timeline starts at its frozen_time; its work comes with the timeline. */
	const fake__table *clocks = &q->tables[FAKE_OBJECT_TEST_CLOCK];
	size_t live = 0;
	for (size_t i = 0; i < clocks->len; i++) {
		if (fake__test_clock_prepare(q, (struct fake_test_clock *)clocks->items[i]))
			return nomem(l);
		live += !(clocks->items[i]->flags & FAKE__DELETED);
	}
	if (live > q->options.test_clocks.max_clocks)
		return path_push(l, ".objects[\"test_helpers.test_clock\"]"),
		       fail(l, "%zu test clocks are not deleted, more than options.test_clocks.max_clocks (%u)", live,
			    q->options.test_clocks.max_clocks);
	path_pop(l, 0);
	path_push(l, "$");
	if (!(v = enter(l, doc, "events", &mark)) || !events_parse(l, v))
		return false;
	path_pop(l, mark);
	if (!(v = enter(l, doc, "counters", &mark)) || !counters_parse(l, v))
		return false;
	path_pop(l, mark);
	if (!(v = enter(l, doc, "timeline", &mark)) || !timeline_parse(l, v, (uint64_t)next_seq))
		return false;
	path_pop(l, mark);
	q->delivered = q->tables[FAKE_OBJECT_EVENT].len;
	static const char *const members[] = { "format", "version", "options", "clock", "requests", "prng",
					       "counters", "objects", "events", "timeline" };
	return only(l, doc, members, FAKE__COUNT(members));
}

/* Swaps the state of a and b: what a snapshot holds, and the memory it
 * lives in. Scripts, stubs, subscribers, call counts and the error record
 * stay where they are. */
static void swap_bytes(void *a, void *b, size_t n)
{
	unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++) {
		unsigned char t = x[i];
		x[i] = y[i];
		y[i] = t;
	}
}

static void swap_state(fake_processor *a, fake_processor *b)
{
#define SWAP(m) swap_bytes(&a->m, &b->m, sizeof(a->m))
	fake_allocator alloc = a->options.allocator;
	size_t block_size = a->options.block_size;
	SWAP(options);
	a->options.allocator = alloc;
	a->options.block_size = block_size;
	SWAP(arena);
	SWAP(tables);
	SWAP(counters);
	SWAP(timeline);
	SWAP(clock_timelines);
	SWAP(clock_timeline_count);
	SWAP(job_seq);
	SWAP(delivered);
	SWAP(requests);
	SWAP(request_id);
	SWAP(prng);
#undef SWAP
	a->last_snapshot = NULL;
	b->last_snapshot = NULL;
	a->clock = &a->timeline; /* outside operations, always */
	b->clock = &b->timeline;
}

int fake_processor_load_string(fake_processor *p, const char *data, size_t len)
{
	if (!p)
		return FAKE_EINVAL;
	if (!data)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "data", "Missing required param: data.");
	if (check_call(p))
		return p->error->status;
	json_error_t jerr;
	json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return fake__error_set(p, FAKE_EINVAL, "snapshot_invalid", "$",
				       "Invalid snapshot: %s at line %d, column %d (byte offset %d).", jerr.text,
				       jerr.line, jerr.column, jerr.position);
	fake_processor_options options = p->options;
	fake_processor *q = NULL;
	if (fake_processor_new(&q, &options)) {
		json_decref(doc);
		return fake__error_nomem(p);
	}
	load l = { .q = q, .path = "$" , .path_len = 1 };
	document_parse(&l, doc);
	json_decref(doc);
	if (l.status) {
		fake_processor_free(q);
		if (l.status == FAKE_ENOMEM)
			return fake__error_nomem(p);
		return fake__error_set(p, FAKE_EINVAL, l.code, l.path, "Invalid snapshot: at %s: %s.", l.path,
				       l.message);
	}
	swap_state(p, q);
	fake_processor_free(q);
	fake__error_clear(p);
	return 0;
}

int fake_processor_load(fake_processor *p, const char *path)
{
	if (!p)
		return FAKE_EINVAL;
	if (!path || !path[0])
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "path", "Missing required param: path.");
	if (check_call(p))
		return p->error->status;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (it is then
	 * refused as not a regular file); it changes nothing for a file. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return io_error(p, "open", path, errno);
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return io_error(p, "read", path, err);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (S_ISDIR(st.st_mode))
			return io_error(p, "read", path, EISDIR);
		return fake__error_set(p, FAKE_EIO, "io_error", "path", "Could not read '%s': not a regular file.",
				       path);
	}
	size_t size = (size_t)st.st_size;
	char *data = fake__malloc(p, size ? size : 1);
	if (!data) {
		close(fd);
		return fake__error_nomem(p);
	}
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close(fd);
			fake__free(p, data);
			return io_error(p, "read", path, err);
		}
		got += (size_t)n;
	}
	close(fd);
	int rc = fake_processor_load_string(p, data, size);
	fake__free(p, data);
	return rc;
}
