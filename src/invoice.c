/*
 * Invoices (fake/invoice.h): the drafts subscriptions and callers make,
 * Stripe's state machine (draft -> open -> paid | void | uncollectible;
 * uncollectible -> paid | void), collection through a payment intent with
 * the dunning schedule of the processor's billing options, and the
 * upcoming-invoice preview. Invoice items are in invoice_item.c.
 * docs/billing.md describes every path with its events.
 */
#include "private.h"

#include <stdio.h>

static const char *const status_names[] = {
	[FAKE_INVOICE_DRAFT] = "draft",
	[FAKE_INVOICE_OPEN] = "open",
	[FAKE_INVOICE_PAID] = "paid",
	[FAKE_INVOICE_VOID] = "void",
	[FAKE_INVOICE_UNCOLLECTIBLE] = "uncollectible",
};

static const char *const reason_names[] = {
	[FAKE_BILLING_MANUAL] = "manual",
	[FAKE_BILLING_SUBSCRIPTION_CREATE] = "subscription_create",
	[FAKE_BILLING_SUBSCRIPTION_CYCLE] = "subscription_cycle",
	[FAKE_BILLING_SUBSCRIPTION_UPDATE] = "subscription_update",
	[FAKE_BILLING_UPCOMING] = "upcoming",
};

#define DAY INT64_C(86400)

#define DAYS_UNTIL_DUE_DEFAULT 30
#define DAYS_UNTIL_DUE_MAX 365

int fake__check_collection(fake_processor *p, fake_collection_method method, unsigned int days_until_due)
{
	if ((unsigned int)method > FAKE_COLLECT_SEND_INVOICE)
		return fake__error_set(p, FAKE_EINVAL, "", "collection_method",
				       "Invalid collection_method: %d is not a fake_collection_method.", (int)method);
	if (days_until_due && method != FAKE_COLLECT_SEND_INVOICE)
		return fake__error_set(p, FAKE_EINVAL, "", "days_until_due",
				       "Invalid days_until_due: it can only be set when collection_method is send_invoice.");
	if (days_until_due > DAYS_UNTIL_DUE_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "days_until_due", "Invalid days_until_due: %u is more than %d.",
				       days_until_due, DAYS_UNTIL_DUE_MAX);
	return 0;
}

unsigned int fake__days_until_due(fake_collection_method method, unsigned int days_until_due)
{
	if (method != FAKE_COLLECT_SEND_INVOICE)
		return 0;
	return days_until_due ? days_until_due : DAYS_UNTIL_DUE_DEFAULT;
}

const char *fake_invoice_status_string(fake_invoice_status status)
{
	return (unsigned int)status < FAKE__COUNT(status_names) ? status_names[status] : NULL;
}

struct fake_invoice_line *fake__invoice_line_new(fake_processor *p, int64_t amount, const char *currency,
						 const char *description, const struct fake_price *price,
						 int64_t quantity, int64_t period_start, int64_t period_end)
{
	struct fake_invoice_line *line = fake__object_new(p, FAKE_OBJECT_INVOICE_LINE, sizeof(*line));
	bool ok = true;
	if (!line)
		return NULL;
	line->amount = amount;
	line->currency = currency;
	line->description = fake__arena_strdup(p, description, &ok);
	line->price = price;
	line->quantity = quantity;
	line->period_start = period_start;
	line->period_end = period_end;
	return ok ? line : NULL;
}

/* The line an invoice item becomes. */
struct fake_invoice_line *fake__invoice_item_line(fake_processor *p, const struct fake_invoice_item *ii)
{
	struct fake_invoice_line *line = fake__invoice_line_new(p, ii->amount, ii->currency, ii->description, ii->price,
								ii->quantity, ii->period_start, ii->period_end);
	if (line) {
		line->proration = ii->proration;
		line->invoice_item = ii->obj.id;
		line->subscription_item = ii->subscription_item;
	}
	return line;
}

/* Amounts follow the lines: a credit is never due. */
static void totals(struct fake_invoice *inv)
{
	int64_t sum = 0;
	for (size_t i = 0; i < inv->line_count; i++)
		sum += inv->lines[i]->amount;
	inv->subtotal = sum;
	inv->total = sum;
	inv->amount_due = sum > 0 ? sum : 0;
	inv->amount_remaining = inv->amount_due - inv->amount_paid;
}

/* Replaces the lines of `next` with `base` plus (or minus) one line. */
int fake__invoice_relines(fake_processor *p, struct fake_invoice *next, const struct fake_invoice_line *add,
			  const char *drop_item)
{
	size_t n = 0;
	const struct fake_invoice_line **lines = fake__arena_alloc(p, (next->line_count + 1) * sizeof(*lines));
	if (!lines)
		return fake__error_nomem(p);
	for (size_t i = 0; i < next->line_count; i++)
		if (!drop_item || !fake__same(next->lines[i]->invoice_item, drop_item))
			lines[n++] = next->lines[i];
	if (add)
		lines[n++] = add;
	next->lines = lines;
	next->line_count = n;
	totals(next);
	return 0;
}

/* What the invoice's timeline job does next, and when. */
static int64_t next_due(const fake_processor *p, const struct fake_invoice *inv)
{
	if (inv->obj.flags & FAKE__DELETED)
		return 0;
	if (inv->status == FAKE_INVOICE_DRAFT)
		return inv->auto_advance ? inv->finalize_at : 0;
	if (inv->status != FAKE_INVOICE_OPEN)
		return 0;
	if (inv->collection_method == FAKE_COLLECT_SEND_INVOICE)
		return inv->overdue_done ? 0 : inv->due_date;
	(void)p;
	return inv->next_payment_attempt;
}

int fake__invoice_schedule(fake_processor *p, struct fake_invoice *next, struct fake_invoice *live)
{
	return fake__timeline_reschedule(p, next_due(p, next), FAKE__JOB_INVOICE, live, &next->job_due);
}

/* Writes `next` into the live invoice with its job rescheduled. */
int fake__invoice_commit(fake_processor *p, struct fake_invoice *inv, struct fake_invoice *next)
{
	if (fake__invoice_schedule(p, next, inv))
		return p->error->status;
	return fake__object_commit(p, inv, next);
}

static bool pending_for(const struct fake_invoice_item *ii, const fake__invoice_spec *spec)
{
	if ((ii->obj.flags & FAKE__DELETED) || ii->invoice || strcmp(ii->customer, spec->customer) != 0)
		return false;
	/* A subscription's invoice takes that subscription's items and the
	 * customer's loose ones; a draft made by hand for one subscription
	 * takes only that subscription's (Stripe's invoice create). */
	if (spec->sub && (ii->subscription || spec->reason == FAKE_BILLING_MANUAL) &&
	    !fake__same(ii->subscription, spec->sub->obj.id))
		return false;
	return !spec->currency || strcmp(ii->currency, spec->currency) == 0;
}

int fake__invoice_new(struct fake_invoice **out, fake_processor *p, fake__ctx *ctx, const fake__invoice_spec *spec)
{
	struct fake_invoice *inv = fake__object_new(p, FAKE_OBJECT_INVOICE, sizeof(*inv));
	if (!inv)
		return fake__error_nomem(p);
	inv->customer = spec->customer;
	inv->subscription = spec->sub ? spec->sub->obj.id : NULL;
	inv->status = FAKE_INVOICE_DRAFT;
	inv->billing_reason = spec->reason;
	inv->collection_method = spec->collection_method;
	inv->days_until_due = spec->days_until_due;
	inv->period_start = spec->period_start;
	inv->period_end = spec->period_end;
	inv->auto_advance = spec->auto_advance;
	inv->finalize_at = spec->finalize_at;
	inv->default_payment_method = spec->default_payment_method;
	inv->description = spec->description;
	inv->metadata = spec->metadata ? spec->metadata : &fake__metadata_empty;

	/* The currency: the spec's, else the first pending item's, else usd. */
	fake__invoice_spec take = *spec;
	const fake__table *items = &p->tables[FAKE_OBJECT_INVOICE_ITEM];
	for (size_t i = 0; !take.currency && i < items->len; i++)
		if (pending_for((const struct fake_invoice_item *)items->items[i], &take))
			take.currency = ((const struct fake_invoice_item *)items->items[i])->currency;
	inv->currency = take.currency ? take.currency : "usd";
	take.currency = inv->currency;

	size_t pending = 0;
	for (size_t i = 0; spec->pending_items && i < items->len; i++)
		pending += pending_for((const struct fake_invoice_item *)items->items[i], &take);
	const struct fake_invoice_line **lines =
		fake__arena_alloc(p, (spec->line_count + pending + 1) * sizeof(*lines));
	if (!lines)
		return fake__error_nomem(p);
	size_t n = 0;
	for (size_t i = 0; i < spec->line_count; i++)
		lines[n++] = spec->lines[i];
	/* Pending items join in creation order; each now names the invoice. */
	for (size_t i = 0; spec->pending_items && i < items->len; i++) {
		struct fake_invoice_item *ii = (struct fake_invoice_item *)items->items[i];
		if (!pending_for(ii, &take))
			continue;
		struct fake_invoice_item next = *ii;
		next.invoice = inv->obj.id;
		if (!(lines[n++] = fake__invoice_item_line(p, ii)))
			return fake__error_nomem(p);
		if (fake__object_commit(p, ii, &next))
			return p->error->status;
	}
	inv->lines = lines;
	inv->line_count = n;
	totals(inv);
	if (fake__invoice_schedule(p, inv, inv) || fake__store_add(p, inv) ||
	    fake__event_emit(p, ctx, FAKE__EVT_INVOICE_CREATED, inv, NULL, NULL, 0))
		return p->error->status;
	*out = inv;
	return 0;
}

/* The one payment method the invoice would charge: its own default, its
 * subscription's, or its customer's; NULL when there is none. */
static const char *default_payment_method(fake_processor *p, const struct fake_invoice *inv)
{
	if (inv->default_payment_method)
		return inv->default_payment_method;
	fake__object *o = inv->subscription ? fake__store_find(p, inv->subscription) : NULL;
	if (o && ((const struct fake_subscription *)o)->default_payment_method)
		return ((const struct fake_subscription *)o)->default_payment_method;
	o = fake__store_find(p, inv->customer);
	return o ? ((const struct fake_customer *)o)->default_payment_method : NULL;
}

static const char *payment_description(const struct fake_invoice *inv)
{
	switch (inv->billing_reason) {
	case FAKE_BILLING_SUBSCRIPTION_CREATE:
		return "Subscription creation";
	case FAKE_BILLING_SUBSCRIPTION_CYCLE:
		return "Subscription cycle";
	case FAKE_BILLING_SUBSCRIPTION_UPDATE:
		return "Subscription update";
	default:
		return NULL;
	}
}

/* The paid half of settling: status, amounts, events, the subscription. */
static int mark_paid(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv, struct fake_invoice *next)
{
	next->status = FAKE_INVOICE_PAID;
	next->amount_paid = next->amount_due;
	next->amount_remaining = 0;
	next->paid_at = fake__now(p);
	next->next_payment_attempt = 0;
	/* Stripe: invoice.paid also when marked paid out of band, but
	 * invoice.payment_succeeded only when a payment attempt succeeds. */
	if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_PAID, next, NULL, NULL, 0) ||
	    (!next->paid_out_of_band &&
	     fake__event_emit(p, ctx, FAKE__EVT_INVOICE_PAYMENT_SUCCEEDED, next, NULL, NULL, 0)) ||
	    fake__invoice_commit(p, inv, next))
		return p->error->status;
	return fake__subscription_invoice_paid(p, ctx, inv);
}

int fake__invoice_paid_by(fake_processor *p, fake__ctx *ctx, const struct fake_payment_intent *pi)
{
	fake__object *o = pi->invoice ? fake__store_find(p, pi->invoice) : NULL;
	struct fake_invoice *inv = (struct fake_invoice *)o;
	if (!inv || pi->status != FAKE_PI_SUCCEEDED ||
	    (inv->status != FAKE_INVOICE_OPEN && inv->status != FAKE_INVOICE_UNCOLLECTIBLE))
		return 0;
	struct fake_invoice next = *inv;
	next.charge = pi->latest_charge;
	return mark_paid(p, ctx, inv, &next);
}

int fake__invoice_finalize(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv)
{
	struct fake_invoice next = *inv;
	char number[FAKE_ID_MAX + 8];
	const char *digits = strrchr(inv->obj.id, '_');
	snprintf(number, sizeof(number), "FAKE-%s", digits ? digits + 1 : inv->obj.id);
	bool ok = true;
	next.number = fake__arena_strdup(p, number, &ok);
	if (!ok)
		return fake__error_nomem(p);
	next.status = FAKE_INVOICE_OPEN;
	next.finalized_at = fake__now(p);
	if (next.collection_method == FAKE_COLLECT_SEND_INVOICE)
		next.due_date = fake__now(p) + (int64_t)next.days_until_due * DAY;
	if (next.amount_due > 0) {
		struct fake_payment_intent *pi = NULL;
		if (fake__payment_intent_new(&pi, p, ctx, next.amount_due, next.currency, next.customer, inv->obj.id,
					     payment_description(inv)))
			return p->error->status;
		next.payment_intent = pi->obj.id;
		/* Automatic collection of an invoice finalized on its own
		 * (not by the timeline, which collects at once). */
		if (next.auto_advance && next.collection_method == FAKE_COLLECT_CHARGE_AUTOMATICALLY)
			next.next_payment_attempt = fake__now(p) + p->options.billing.finalize_delay;
	}
	if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_FINALIZED, &next, NULL, NULL, 0))
		return p->error->status;
	if (next.amount_due == 0)
		return mark_paid(p, ctx, inv, &next);
	return fake__invoice_commit(p, inv, &next);
}

/* After a failed automatic attempt: the next retry on the schedule, or
 * the end of dunning with the configured outcomes. */
static int dunning(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv, struct fake_invoice *next,
		   unsigned int failures)
{
	const fake_billing_options *b = &p->options.billing;
	if (!next->first_failure)
		next->first_failure = fake__now(p);
	next->failures = failures;
	bool exhausted = failures > b->retry_count;
	next->next_payment_attempt = exhausted ? 0 : next->first_failure + (int64_t)b->retry_days[failures - 1] * DAY;
	if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_PAYMENT_FAILED, next, NULL, NULL, 0) || fake__invoice_commit(p, inv, next))
		return p->error->status;
	if (exhausted && b->exhausted_invoice == FAKE_DUNNING_UNCOLLECTIBLE &&
	    fake__invoice_mark_uncollectible(p, ctx, inv))
		return p->error->status;
	return fake__subscription_invoice_failed(p, ctx, inv, exhausted);
}

int fake__invoice_collect(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv, const char *pm_id,
			  bool off_session, bool automatic)
{
	struct fake_invoice next = *inv;
	next.attempted = true;
	next.attempt_count++;
	unsigned int failures = automatic ? inv->failures + 1 : 0;
	if (!pm_id)
		pm_id = default_payment_method(p, inv);
	fake_payment_method *pm = NULL;
	if (!pm_id) {
		if (!automatic)
			return fake__error_set(p, FAKE_EINVAL, "", "payment_method",
					       "This customer has no attached payment source or default payment method. Please consider adding a default payment method.");
		return dunning(p, ctx, inv, &next, failures);
	}
	if (fake__payment_method_resolve(&pm, p, pm_id, "payment_method") ||
	    fake__payment_method_check_owner(p, inv->customer, pm))
		return p->error->status;
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_INTENT, inv->payment_intent, "payment_intent"))
		return p->error->status;
	struct fake_payment_intent *pi = found;
	/* Stripe does not decline an invoice's payment that needs 3D Secure
	 * off session (as authentication_required, the way a bare off-session
	 * payment intent is): its payment intent waits in requires_action for
	 * the customer, with invoice.payment_action_required (docs/billing.md). */
	const char *decline = NULL;
	if (off_session && ctx->outcome == FAKE_OUTCOME_ERROR &&
	    fake__card_use_result(ctx, pm, FAKE__USE_PAYMENT_OFF_SESSION, &decline) == FAKE__CARD_DECLINED && decline &&
	    strcmp(decline, "authentication_required") == 0)
		off_session = false;
	int rc = fake__payment_intent_attempt(p, ctx, pi, pm, off_session);
	if (rc && rc != FAKE_ECARD)
		return rc;
	next.charge = pi->latest_charge;
	if (!rc && pi->status == FAKE_PI_SUCCEEDED)
		return mark_paid(p, ctx, inv, &next);
	if (!rc) {
		/* 3D Secure: the customer must act; automatic attempts go on
		 * failing on the dunning schedule until then. */
		if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_PAYMENT_ACTION_REQUIRED, &next, NULL, NULL, 0))
			return p->error->status;
	}
	if (automatic) {
		/* The decline is the invoice's business now, not the caller's. */
		ctx->keep = false;
		return dunning(p, ctx, inv, &next, failures);
	}
	if ((rc && fake__event_emit(p, ctx, FAKE__EVT_INVOICE_PAYMENT_FAILED, &next, NULL, NULL, 0)) ||
	    fake__invoice_commit(p, inv, &next) || fake__subscription_invoice_failed(p, ctx, inv, false))
		return p->error->status;
	if (rc) {
		/* Report the decline, as settling it recorded it. */
		fake__error_card(p, pi->last_error_decline_code ? pi->last_error_decline_code : "generic_decline", "");
		fake__copy(p->error->charge, sizeof(p->error->charge), pi->latest_charge);
		fake__copy(p->error->payment_intent, sizeof(p->error->payment_intent), pi->obj.id);
		ctx->keep = true;
	}
	return rc;
}

int fake__invoice_void(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv)
{
	struct fake_invoice next = *inv;
	next.status = FAKE_INVOICE_VOID;
	next.voided_at = fake__now(p);
	next.next_payment_attempt = 0;
	void *found = NULL;
	if (inv->payment_intent &&
	    fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_INTENT, inv->payment_intent, "payment_intent"))
		return p->error->status;
	struct fake_payment_intent *pi = found;
	if (pi && pi->status != FAKE_PI_SUCCEEDED && pi->status != FAKE_PI_CANCELED &&
	    fake__payment_intent_cancel(p, ctx, pi, NULL))
		return p->error->status;
	if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_VOIDED, &next, NULL, NULL, 0))
		return p->error->status;
	return fake__invoice_commit(p, inv, &next);
}

int fake__invoice_mark_uncollectible(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv)
{
	struct fake_invoice next = *inv;
	next.status = FAKE_INVOICE_UNCOLLECTIBLE;
	next.marked_uncollectible_at = fake__now(p);
	next.next_payment_attempt = 0;
	if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_MARKED_UNCOLLECTIBLE, &next, NULL, NULL, 0))
		return p->error->status;
	return fake__invoice_commit(p, inv, &next);
}

static int send(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv)
{
	return fake__event_emit(p, ctx, FAKE__EVT_INVOICE_SENT, inv, NULL, NULL, 0);
}

int fake__invoice_advance(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv, bool off_session,
			  bool automatic)
{
	if (fake__invoice_finalize(p, ctx, inv))
		return p->error->status;
	if (inv->status != FAKE_INVOICE_OPEN)
		return 0;
	if (inv->collection_method == FAKE_COLLECT_SEND_INVOICE)
		return send(p, ctx, inv);
	struct fake_invoice next = *inv;
	next.next_payment_attempt = 0;
	if (fake__invoice_commit(p, inv, &next))
		return p->error->status;
	return fake__invoice_collect(p, ctx, inv, NULL, off_session, automatic);
}

int fake__invoice_due(fake_processor *p, fake__ctx *ctx, struct fake_invoice *inv)
{
	int64_t now = fake__now(p);
	if (inv->status == FAKE_INVOICE_DRAFT && inv->auto_advance && inv->finalize_at <= now) {
		/* A draft the subscription left for collection, or one whose
		 * subscription's collection is paused meanwhile. */
		const fake__object *o = inv->subscription ? fake__store_find(p, inv->subscription) : NULL;
		fake_pause_behavior pause = o ? ((const struct fake_subscription *)o)->pause_collection : FAKE_PAUSE_NONE;
		if (pause == FAKE_PAUSE_KEEP_AS_DRAFT) {
			struct fake_invoice next = *inv;
			next.auto_advance = false;
			return fake__invoice_commit(p, inv, &next);
		}
		if (pause != FAKE_PAUSE_NONE) {
			if (fake__invoice_finalize(p, ctx, inv))
				return p->error->status;
			if (inv->status != FAKE_INVOICE_OPEN)
				return 0;
			return pause == FAKE_PAUSE_VOID ? fake__invoice_void(p, ctx, inv)
							: fake__invoice_mark_uncollectible(p, ctx, inv);
		}
		return fake__invoice_advance(p, ctx, inv, true, inv->subscription != NULL ||
								       inv->collection_method == FAKE_COLLECT_CHARGE_AUTOMATICALLY);
	}
	if (inv->status != FAKE_INVOICE_OPEN)
		return 0;
	if (inv->collection_method == FAKE_COLLECT_SEND_INVOICE) {
		if (inv->overdue_done || inv->due_date > now)
			return 0;
		struct fake_invoice next = *inv;
		next.overdue_done = true;
		if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_OVERDUE, &next, NULL, NULL, 0) || fake__invoice_commit(p, inv, &next))
			return p->error->status;
		return fake__subscription_invoice_overdue(p, ctx, inv);
	}
	if (inv->next_payment_attempt && inv->next_payment_attempt <= now)
		return fake__invoice_collect(p, ctx, inv, NULL, true, true);
	return 0;
}

/* ---- operations ------------------------------------------------------------ */

static int get(struct fake_invoice **out, fake_processor *p, const char *id)
{
	void *found = NULL;
	int rc = fake__store_get_live(&found, p, FAKE_OBJECT_INVOICE, id, "id");
	*out = found;
	return rc;
}

static int wrong_status(fake_processor *p, const struct fake_invoice *inv, const char *action)
{
	return fake__error_set(p, FAKE_ESTATE, "invoice_unexpected_state", "",
			       "You cannot %s this invoice because it is %s.", action, status_names[inv->status]);
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_invoice_create_params defaults = FAKE_INVOICE_CREATE_PARAMS_INIT;
	const fake_invoice_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	char currency[4];
	if (fake__check_version(p, c->version, FAKE_INVOICE_CREATE_PARAMS_VERSION, "fake_invoice_create_params"))
		return p->error->status;
	if (!c->customer)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "customer", "Missing required param: customer.");
	if (fake__check_collection(p, c->collection_method, c->days_until_due))
		return p->error->status;
	if ((c->currency && fake__check_currency(p, c->currency, currency)) ||
	    fake__check_string(p, c->description, 1500, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	void *customer = NULL, *sub = NULL;
	if (fake__store_get_live(&customer, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer") ||
	    (c->subscription && fake__store_get(&sub, p, FAKE_OBJECT_SUBSCRIPTION, c->subscription, "subscription")))
		return p->error->status;
	if (sub && strcmp(((const struct fake_subscription *)sub)->customer, c->customer) != 0)
		return fake__error_set(p, FAKE_EINVAL, "", "subscription",
				       "The subscription '%s' does not belong to customer '%s'.", c->subscription,
				       c->customer);
	fake_payment_method *pm = NULL;
	if (c->default_payment_method &&
	    (fake__payment_method_resolve(&pm, p, c->default_payment_method, "default_payment_method") ||
	     fake__payment_method_check_owner(p, c->customer, pm)))
		return p->error->status;

	bool ok = true;
	fake__invoice_spec spec = { 0 };
	spec.customer = ((const fake__object *)customer)->id;
	spec.sub = sub;
	spec.reason = FAKE_BILLING_MANUAL;
	spec.collection_method = c->collection_method;
	spec.days_until_due = fake__days_until_due(c->collection_method, c->days_until_due);
	spec.currency = c->currency ? fake__arena_strdup(p, currency, &ok) : NULL;
	spec.period_start = spec.period_end = fake__now(p);
	spec.pending_items = !c->exclude_pending_items;
	spec.auto_advance = c->auto_advance;
	spec.finalize_at = fake__now(p) + p->options.billing.finalize_delay;
	if (!ok)
		return fake__error_nomem(p);
	spec.default_payment_method = pm ? pm->obj.id : NULL;
	spec.description = c->description && c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	struct fake_invoice *inv = NULL;
	if (fake__metadata_merge(&spec.metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__invoice_new(&inv, p, ctx, &spec))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_create(const fake_invoice **out, fake_processor *p, const fake_invoice_create_params *params,
			const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_INVOICE, NULL, params, request, out, create);
}

static int retrieve(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_retrieve(const fake_invoice **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_INVOICE, id, NULL, request, out, retrieve);
}

static int update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_invoice_update_params defaults = FAKE_INVOICE_UPDATE_PARAMS_INIT;
	const fake_invoice_update_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id) ||
	    fake__check_version(p, c->version, FAKE_INVOICE_UPDATE_PARAMS_VERSION, "fake_invoice_update_params"))
		return p->error->status;
	if ((unsigned int)c->auto_advance > FAKE_FLAG_CLEAR)
		return fake__error_set(p, FAKE_EINVAL, "", "auto_advance",
				       "Invalid auto_advance: %d is not a fake_flag_change.", (int)c->auto_advance);
	if (fake__check_string(p, c->description, 1500, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	if (inv->status == FAKE_INVOICE_PAID || inv->status == FAKE_INVOICE_VOID)
		return wrong_status(p, inv, "update");
	fake_payment_method *pm = NULL;
	if (c->default_payment_method && c->default_payment_method[0] &&
	    (fake__payment_method_resolve(&pm, p, c->default_payment_method, "default_payment_method") ||
	     fake__payment_method_check_owner(p, inv->customer, pm)))
		return p->error->status;

	struct fake_invoice next = *inv;
	bool ok = true;
	if (c->auto_advance != FAKE_FLAG_UNCHANGED) {
		next.auto_advance = c->auto_advance == FAKE_FLAG_SET;
		if (next.auto_advance && !inv->auto_advance && inv->status == FAKE_INVOICE_DRAFT)
			next.finalize_at = fake__now(p) + p->options.billing.finalize_delay;
	}
	if (c->default_payment_method)
		next.default_payment_method = pm ? pm->obj.id : NULL;
	if (c->description)
		next.description = c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&next.metadata, p, inv->metadata, c->metadata, c->metadata_count, false))
		return p->error->status;
	static const char *const names[] = { "auto_advance", "default_payment_method", "description", "metadata" };
	bool differs[] = { next.auto_advance != inv->auto_advance,
			   !fake__same(next.default_payment_method, inv->default_payment_method),
			   !fake__same(next.description, inv->description),
			   !fake__metadata_equal(next.metadata, inv->metadata) };
	size_t count = 0;
	const char *const *changed = fake__event_changed(p, names, differs, FAKE__COUNT(names), &count);
	if (!changed)
		return p->error->status;
	if (count && (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_UPDATED, &next, inv, changed, count) ||
		      fake__invoice_commit(p, inv, &next)))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_update(const fake_invoice **out, fake_processor *p, const char *id,
			const fake_invoice_update_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_INVOICE, id, params, request, out, update);
}

static int finalize(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id))
		return p->error->status;
	if (inv->status != FAKE_INVOICE_DRAFT)
		return wrong_status(p, inv, "finalize");
	if (fake__invoice_finalize(p, ctx, inv))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_finalize(const fake_invoice **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_FINALIZE_INVOICE, id, NULL, request, out, finalize);
}

static int pay(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_invoice_pay_params defaults = FAKE_INVOICE_PAY_PARAMS_INIT;
	const fake_invoice_pay_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id) ||
	    fake__check_version(p, c->version, FAKE_INVOICE_PAY_PARAMS_VERSION, "fake_invoice_pay_params"))
		return p->error->status;
	if (inv->status != FAKE_INVOICE_OPEN && inv->status != FAKE_INVOICE_UNCOLLECTIBLE)
		return wrong_status(p, inv, "pay");
	if (c->paid_out_of_band && c->payment_method)
		return fake__error_set(p, FAKE_EINVAL, "", "paid_out_of_band",
				       "You cannot give a payment_method when paying out of band.");
	if (c->paid_out_of_band) {
		struct fake_invoice next = *inv;
		next.paid_out_of_band = true;
		void *found = NULL;
		if (inv->payment_intent &&
		    (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_INTENT, inv->payment_intent, "payment_intent") ||
		     (((struct fake_payment_intent *)found)->status != FAKE_PI_CANCELED &&
		      fake__payment_intent_cancel(p, ctx, found, NULL))))
			return p->error->status;
		if (mark_paid(p, ctx, inv, &next))
			return p->error->status;
	} else {
		int rc = fake__invoice_collect(p, ctx, inv, c->payment_method, !c->on_session, false);
		if (rc)
			return rc;
		if (inv->status != FAKE_INVOICE_PAID)
			return fake__error_set(p, FAKE_ECARD, "invoice_payment_intent_requires_action", "",
					       "This payment requires additional user action before it can be completed successfully.");
	}
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_pay(const fake_invoice **out, fake_processor *p, const char *id, const fake_invoice_pay_params *params,
		     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_PAY_INVOICE, id, params, request, out, pay);
}

static int void_invoice(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id))
		return p->error->status;
	if (inv->status != FAKE_INVOICE_OPEN && inv->status != FAKE_INVOICE_UNCOLLECTIBLE)
		return wrong_status(p, inv, "void");
	if (fake__invoice_void(p, ctx, inv))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_void(const fake_invoice **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_VOID_INVOICE, id, NULL, request, out, void_invoice);
}

static int mark_uncollectible(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id))
		return p->error->status;
	if (inv->status != FAKE_INVOICE_OPEN)
		return wrong_status(p, inv, "mark uncollectible");
	if (fake__invoice_mark_uncollectible(p, ctx, inv))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_mark_uncollectible(const fake_invoice **out, fake_processor *p, const char *id,
				    const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_MARK_UNCOLLECTIBLE_INVOICE, id, NULL, request, out, mark_uncollectible);
}

static int send_op(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id))
		return p->error->status;
	if (inv->status != FAKE_INVOICE_OPEN)
		return wrong_status(p, inv, "send");
	if (send(p, ctx, inv))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_send(const fake_invoice **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_SEND_INVOICE, id, NULL, request, out, send_op);
}

static int delete(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_invoice *inv = NULL;
	if (get(&inv, p, ctx->call.id))
		return p->error->status;
	if (inv->status != FAKE_INVOICE_DRAFT)
		return wrong_status(p, inv, "delete");
	/* Its invoice items wait for the next invoice again. */
	const fake__table *items = &p->tables[FAKE_OBJECT_INVOICE_ITEM];
	for (size_t i = 0; i < items->len; i++) {
		struct fake_invoice_item *ii = (struct fake_invoice_item *)items->items[i];
		if (!fake__same(ii->invoice, inv->obj.id))
			continue;
		struct fake_invoice_item next = *ii;
		next.invoice = NULL;
		if (fake__object_commit(p, ii, &next))
			return p->error->status;
	}
	struct fake_invoice next = *inv;
	next.obj.flags |= FAKE__DELETED;
	if (fake__event_emit(p, ctx, FAKE__EVT_INVOICE_DELETED, inv, NULL, NULL, 0) || fake__invoice_commit(p, inv, &next))
		return p->error->status;
	*(const fake_invoice **)out = inv;
	return 0;
}

int fake_invoice_delete(const fake_invoice **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_DELETE_INVOICE, id, NULL, request, out, delete);
}

typedef struct list_filter {
	const char *customer;
	const char *subscription;
	int status; /* -1: any */
} list_filter;

static bool list_match(const fake__object *o, const void *ctx)
{
	const struct fake_invoice *inv = (const struct fake_invoice *)o;
	const list_filter *f = ctx;
	return (!f->customer || strcmp(inv->customer, f->customer) == 0) &&
	       (!f->subscription || fake__same(inv->subscription, f->subscription)) &&
	       (f->status < 0 || (int)inv->status == f->status);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_invoice_list_params defaults = FAKE_INVOICE_LIST_PARAMS_INIT;
	const fake_invoice_list_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_INVOICE_LIST_PARAMS_VERSION, "fake_invoice_list_params"))
		return p->error->status;
	list_filter f = { c->customer, c->subscription, -1 };
	if (c->status) {
		const char *s = fake__pick(c->status, status_names, FAKE__COUNT(status_names));
		if (!s)
			return fake__error_set(p, FAKE_EINVAL, "", "status",
					       "Invalid status: must be one of draft, open, paid, uncollectible or void.");
		for (size_t i = 0; i < FAKE__COUNT(status_names); i++)
			if (status_names[i] == s)
				f.status = (int)i;
	}
	void *found = NULL;
	if ((c->customer && fake__store_get(&found, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer")) ||
	    (c->subscription && fake__store_get(&found, p, FAKE_OBJECT_SUBSCRIPTION, c->subscription, "subscription")))
		return p->error->status;
	return fake__list_page(out, p, FAKE_OBJECT_INVOICE, &c->page, list_match, &f);
}

int fake_invoice_list(fake_list *out, fake_processor *p, const fake_invoice_list_params *params,
		      const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_INVOICES, NULL, params, request, out, list);
}

static int upcoming(void *out, fake_processor *p, fake__ctx *ctx)
{
	const char *id = ctx->call.id;
	if (!id)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "subscription",
				       "Missing required param: subscription.");
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_SUBSCRIPTION, id, "subscription"))
		return p->error->status;
	const struct fake_subscription *sub = found;
	struct fake_invoice *preview = NULL;
	if (fake__subscription_preview(&preview, p, sub))
		return p->error->status;
	*(const fake_invoice **)out = preview;
	return 0;
}

int fake_invoice_upcoming(const fake_invoice **out, fake_processor *p, const char *subscription,
			  const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPCOMING_INVOICE, subscription, NULL, request, out, upcoming);
}

/* ---- accessors --------------------------------------------------------------- */

const char *fake_invoice_id(const fake_invoice *inv)
{
	return inv ? inv->obj.id : NULL;
}

int64_t fake_invoice_created(const fake_invoice *inv)
{
	return inv ? inv->obj.created : 0;
}

const char *fake_invoice_customer(const fake_invoice *inv)
{
	return inv ? inv->customer : NULL;
}

const char *fake_invoice_subscription(const fake_invoice *inv)
{
	return inv ? inv->subscription : NULL;
}

fake_invoice_status fake_invoice_status_of(const fake_invoice *inv)
{
	return inv ? inv->status : FAKE_INVOICE_DRAFT;
}

const char *fake_invoice_status_name(const fake_invoice *inv)
{
	return inv ? status_names[inv->status] : NULL;
}

fake_billing_reason fake_invoice_billing_reason(const fake_invoice *inv)
{
	return inv ? inv->billing_reason : FAKE_BILLING_MANUAL;
}

const char *fake_invoice_billing_reason_name(const fake_invoice *inv)
{
	return inv ? reason_names[inv->billing_reason] : NULL;
}

fake_collection_method fake_invoice_collection_method(const fake_invoice *inv)
{
	return inv ? inv->collection_method : FAKE_COLLECT_CHARGE_AUTOMATICALLY;
}

const char *fake_invoice_currency(const fake_invoice *inv)
{
	return inv ? inv->currency : NULL;
}

const char *fake_invoice_number(const fake_invoice *inv)
{
	return inv ? inv->number : NULL;
}

size_t fake_invoice_line_count(const fake_invoice *inv)
{
	return inv ? inv->line_count : 0;
}

const fake_invoice_line *fake_invoice_line_at(const fake_invoice *inv, size_t i)
{
	return inv && i < inv->line_count ? inv->lines[i] : NULL;
}

int64_t fake_invoice_subtotal(const fake_invoice *inv)
{
	return inv ? inv->subtotal : 0;
}

int64_t fake_invoice_total(const fake_invoice *inv)
{
	return inv ? inv->total : 0;
}

int64_t fake_invoice_amount_due(const fake_invoice *inv)
{
	return inv ? inv->amount_due : 0;
}

int64_t fake_invoice_amount_paid(const fake_invoice *inv)
{
	return inv ? inv->amount_paid : 0;
}

int64_t fake_invoice_amount_remaining(const fake_invoice *inv)
{
	return inv ? inv->amount_remaining : 0;
}

unsigned int fake_invoice_attempt_count(const fake_invoice *inv)
{
	return inv ? inv->attempt_count : 0;
}

bool fake_invoice_attempted(const fake_invoice *inv)
{
	return inv && inv->attempted;
}

int64_t fake_invoice_next_payment_attempt(const fake_invoice *inv)
{
	return inv ? inv->next_payment_attempt : 0;
}

int64_t fake_invoice_period_start(const fake_invoice *inv)
{
	return inv ? inv->period_start : 0;
}

int64_t fake_invoice_period_end(const fake_invoice *inv)
{
	return inv ? inv->period_end : 0;
}

int64_t fake_invoice_due_date(const fake_invoice *inv)
{
	return inv ? inv->due_date : 0;
}

bool fake_invoice_auto_advance(const fake_invoice *inv)
{
	return inv && inv->auto_advance;
}

bool fake_invoice_paid_out_of_band(const fake_invoice *inv)
{
	return inv && inv->paid_out_of_band;
}

const char *fake_invoice_payment_intent(const fake_invoice *inv)
{
	return inv ? inv->payment_intent : NULL;
}

const char *fake_invoice_charge(const fake_invoice *inv)
{
	return inv ? inv->charge : NULL;
}

const char *fake_invoice_default_payment_method(const fake_invoice *inv)
{
	return inv ? inv->default_payment_method : NULL;
}

int64_t fake_invoice_finalized_at(const fake_invoice *inv)
{
	return inv ? inv->finalized_at : 0;
}

int64_t fake_invoice_paid_at(const fake_invoice *inv)
{
	return inv ? inv->paid_at : 0;
}

int64_t fake_invoice_voided_at(const fake_invoice *inv)
{
	return inv ? inv->voided_at : 0;
}

int64_t fake_invoice_marked_uncollectible_at(const fake_invoice *inv)
{
	return inv ? inv->marked_uncollectible_at : 0;
}

const char *fake_invoice_description(const fake_invoice *inv)
{
	return inv ? inv->description : NULL;
}

const fake_metadata *fake_invoice_metadata(const fake_invoice *inv)
{
	return inv ? inv->metadata : NULL;
}

const char *fake_invoice_line_id(const fake_invoice_line *line)
{
	return line ? line->obj.id : NULL;
}

int64_t fake_invoice_line_amount(const fake_invoice_line *line)
{
	return line ? line->amount : 0;
}

const char *fake_invoice_line_currency(const fake_invoice_line *line)
{
	return line ? line->currency : NULL;
}

const char *fake_invoice_line_description(const fake_invoice_line *line)
{
	return line ? line->description : NULL;
}

const char *fake_invoice_line_type(const fake_invoice_line *line)
{
	return line ? (line->invoice_item ? "invoiceitem" : "subscription") : NULL;
}

const fake_price *fake_invoice_line_price(const fake_invoice_line *line)
{
	return line ? line->price : NULL;
}

int64_t fake_invoice_line_quantity(const fake_invoice_line *line)
{
	return line ? line->quantity : 0;
}

bool fake_invoice_line_proration(const fake_invoice_line *line)
{
	return line && line->proration;
}

int64_t fake_invoice_line_period_start(const fake_invoice_line *line)
{
	return line ? line->period_start : 0;
}

int64_t fake_invoice_line_period_end(const fake_invoice_line *line)
{
	return line ? line->period_end : 0;
}

const char *fake_invoice_line_invoice_item(const fake_invoice_line *line)
{
	return line ? line->invoice_item : NULL;
}

const char *fake_invoice_line_subscription_item(const fake_invoice_line *line)
{
	return line ? line->subscription_item : NULL;
}
