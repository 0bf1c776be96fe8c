/*
 * The billing timeline: what subscriptions do as the clock moves. Each
 * subscription and invoice with work ahead has one live job on the clock's
 * timeline (its job_due); a job that no longer matches its object's job_due
 * was superseded and is skipped. Each job runs in its own transaction, so
 * a failure (an allocation) leaves it undone and still due.
 *
 * docs/billing.md tells every lifecycle step by step with its events.
 */
#include "private.h"

#include <stdio.h>

#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)
#define TRIAL_WILL_END_LEAD (3 * DAY)
#define INCOMPLETE_EXPIRY (23 * HOUR)

int64_t fake__prorate(int64_t a, int64_t num, int64_t den)
{
	bool negative = a < 0;
	int64_t m = negative ? -a : a;
	int64_t q = m / den, r = m % den;
	/* q * num <= m since num <= den; r * num < den * den fits for periods of a few years. */
	int64_t v = q * num + (r * num * 2 + den) / (2 * den);
	return negative ? -v : v;
}

int64_t fake__item_amount(const struct fake_subscription_item *item)
{
	return item->price->usage_type == FAKE_USAGE_METERED ? 0 : item->price->unit_amount * item->quantity;
}

static int64_t earliest(int64_t a, int64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* The renewal an invoice.upcoming is owed for, and when to send it (*at):
 * the trial end or the period end of a subscription charged automatically
 * that will renew, upcoming_days before it. None (0) when that moment
 * falls before the period (or trial) began: a period shorter than the
 * notice gets none. */
static int64_t upcoming_renewal(const fake_processor *p, const struct fake_subscription *sub, int64_t *at)
{
	int64_t days = p->options.billing.upcoming_days;
	bool trial = sub->status == FAKE_SUB_TRIALING;
	*at = 0;
	if (!days || sub->collection_method != FAKE_COLLECT_CHARGE_AUTOMATICALLY || sub->cancel_at_period_end ||
	    sub->pause_collection || (!trial && sub->status != FAKE_SUB_ACTIVE && sub->status != FAKE_SUB_PAST_DUE))
		return 0;
	int64_t renewal = trial ? sub->trial_end : sub->current_period_end;
	if (renewal == sub->upcoming_for || (sub->cancel_at && sub->cancel_at <= renewal))
		return 0;
	int64_t notice = renewal - days * DAY;
	if (notice < (trial ? sub->trial_start : sub->current_period_start))
		return 0;
	*at = notice;
	return renewal;
}

/* When the subscription's next timeline work falls due; 0 for none. */
static int64_t next_due(const fake_processor *p, const struct fake_subscription *sub)
{
	int64_t upcoming = 0; /* stays 0 when no notice is owed */
	upcoming_renewal(p, sub, &upcoming);
	switch (sub->status) {
	case FAKE_SUB_INCOMPLETE:
		return sub->obj.created + INCOMPLETE_EXPIRY;
	case FAKE_SUB_TRIALING:
		return earliest(upcoming,
				sub->trial_will_end_done ? sub->trial_end : sub->trial_end - TRIAL_WILL_END_LEAD);
	case FAKE_SUB_ACTIVE:
	case FAKE_SUB_PAST_DUE:
	case FAKE_SUB_UNPAID: {
		int64_t due = earliest(earliest(sub->current_period_end, sub->cancel_at), upcoming);
		return earliest(due, sub->pause_collection ? sub->pause_resumes_at : 0);
	}
	default:
		return 0;
	}
}

int fake__subscription_commit(fake_processor *p, struct fake_subscription *sub, struct fake_subscription *next)
{
	if (fake__timeline_reschedule(p, next_due(p, next), FAKE__JOB_SUBSCRIPTION, sub, &next->job_due))
		return p->error->status;
	return fake__object_commit(p, sub, next);
}

/* The subscription lines of an invoice: licensed items for [start, end)
 * in advance ($0 in a trial), metered usage of [usage_start, usage_end)
 * in arrears (none when usage_start == usage_end). */
static int cycle_lines(struct fake_invoice_line ***out, size_t *count, fake_processor *p,
		       const struct fake_subscription *sub, int64_t start, int64_t end, int64_t usage_start,
		       int64_t usage_end, bool trial)
{
	struct fake_invoice_line **lines = fake__arena_alloc(p, (sub->item_count + 1) * sizeof(*lines));
	if (!lines)
		return fake__error_nomem(p);
	size_t n = 0;
	char text[256];
	for (size_t i = 0; i < sub->item_count; i++) {
		const struct fake_subscription_item *item = sub->items[i];
		const struct fake_price *price = item->price;
		int64_t quantity = item->quantity, amount, ps = start, pe = end;
		if (price->usage_type == FAKE_USAGE_METERED) {
			if (usage_start >= usage_end)
				continue;
			quantity = fake__item_usage(p, item, usage_start, usage_end);
			amount = quantity * price->unit_amount;
			ps = usage_start;
			pe = usage_end;
			snprintf(text, sizeof(text), "%lld x %s (usage)", (long long)quantity, fake__product_name(p, price));
		} else if (trial) {
			amount = 0;
			snprintf(text, sizeof(text), "Trial period for %s", fake__product_name(p, price));
		} else {
			amount = fake__item_amount(item);
			snprintf(text, sizeof(text), "%lld x %s", (long long)quantity, fake__product_name(p, price));
		}
		struct fake_invoice_line *line =
			fake__invoice_line_new(p, amount, sub->currency, text, price, quantity, ps, pe);
		if (!line)
			return fake__error_nomem(p);
		line->subscription_item = item->obj.id;
		lines[n++] = line;
	}
	*out = lines;
	*count = n;
	return 0;
}

/* A new invoice for the subscription with the given lines and its pending
 * items; auto_advance drafts are finalized after the configured delay.
 * NULL on failure (the error record says why). */
static struct fake_invoice *invoice_for(fake_processor *p, fake__ctx *ctx, const struct fake_subscription *sub,
				       fake_billing_reason reason, struct fake_invoice_line **lines, size_t count,
				       int64_t period_start, int64_t period_end, bool auto_advance)
{
	fake__invoice_spec spec = { 0 };
	spec.customer = sub->customer;
	spec.sub = sub;
	spec.reason = reason;
	spec.collection_method = sub->collection_method;
	spec.days_until_due = sub->days_until_due;
	spec.currency = sub->currency;
	spec.period_start = period_start;
	spec.period_end = period_end;
	spec.lines = (const struct fake_invoice_line *const *)lines;
	spec.line_count = count;
	spec.pending_items = true;
	spec.auto_advance = auto_advance;
	spec.finalize_at = fake__now(p) + p->options.billing.finalize_delay;
	struct fake_invoice *inv = NULL;
	return fake__invoice_new(&inv, p, ctx, &spec) ? NULL : inv;
}

static bool has_payment_method(const fake_processor *p, const struct fake_subscription *sub)
{
	if (sub->default_payment_method)
		return true;
	const fake__object *o = fake__store_find(p, sub->customer);
	return o && ((const struct fake_customer *)o)->default_payment_method;
}

/* Emits customer.subscription.updated for next against sub, naming what changed. */
static int emit_updated(fake_processor *p, fake__ctx *ctx, const struct fake_subscription *sub,
			const struct fake_subscription *next)
{
	static const char *const names[] = { "status", "current_period_start", "current_period_end", "latest_invoice",
					     "trial_end", "pause_collection", "billing_cycle_anchor" };
	bool differs[] = { next->status != sub->status,
			   next->current_period_start != sub->current_period_start,
			   next->current_period_end != sub->current_period_end,
			   !fake__same(next->latest_invoice, sub->latest_invoice),
			   next->trial_end != sub->trial_end,
			   next->pause_collection != sub->pause_collection,
			   next->billing_cycle_anchor != sub->billing_cycle_anchor };
	size_t count = 0;
	const char *const *changed = fake__event_changed(p, names, differs, FAKE__COUNT(names), &count);
	if (!changed)
		return p->error->status;
	return count ? fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_UPDATED, next, sub, changed, count) : 0;
}

/* Moves the subscription to `status` (if it differs) with its event. */
static int set_status(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
		      fake_subscription_status status)
{
	if (sub->status == status)
		return 0;
	struct fake_subscription next = *sub;
	next.status = status;
	if (emit_updated(p, ctx, sub, &next))
		return p->error->status;
	return fake__subscription_commit(p, sub, &next);
}

int fake__subscription_end(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
			   fake_subscription_status status)
{
	struct fake_subscription next = *sub;
	next.status = status;
	next.ended_at = fake__now(p);
	if (status == FAKE_SUB_CANCELED && !next.canceled_at)
		next.canceled_at = fake__now(p);
	next.cancel_at_period_end = false;
	int rc = status == FAKE_SUB_CANCELED ? fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_DELETED, &next, NULL, NULL, 0)
					     : emit_updated(p, ctx, sub, &next);
	if (rc)
		return rc;
	return fake__subscription_commit(p, sub, &next);
}

/* invoice.upcoming, when it is owed now: the invoice the renewal will
 * make, previewed (no id), as Stripe sends it. Only for a renewal still
 * ahead: once the renewal itself is due, the notice is moot. Called after
 * any work that can make it owed at once (a new period exactly as long as
 * the notice, a trial of exactly that length at creation, collection
 * resuming within the notice), so that it comes in the same job or call. */
static int send_upcoming(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub)
{
	int64_t at = 0;
	int64_t renewal = upcoming_renewal(p, sub, &at);
	if (!renewal || fake__now(p) < at || fake__now(p) >= renewal)
		return 0;
	/* Without events (synthesize_events off, a quiet advance) the notice
	 * still counts as sent, but no preview is built for nothing. */
	struct fake_invoice *preview = NULL;
	if (ctx->events && (fake__subscription_preview(&preview, p, sub) ||
			    fake__event_emit(p, ctx, FAKE__EVT_INVOICE_UPCOMING, preview, NULL, NULL, 0)))
		return p->error->status;
	struct fake_subscription next = *sub;
	next.upcoming_for = renewal;
	return fake__subscription_commit(p, sub, &next);
}

/* The first invoice: a paid $0 trial invoice, or the first period charged
 * now (on session), by payment_behavior. */
int fake__subscription_start(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
			     fake_payment_behavior behavior)
{
	struct fake_invoice_line **lines = NULL;
	size_t count = 0;
	bool trial = sub->status == FAKE_SUB_TRIALING;
	if (cycle_lines(&lines, &count, p, sub, sub->current_period_start, sub->current_period_end, 0, 0, trial))
		return p->error->status;
	/* A first period that ends at a later anchor is prorated. */
	int64_t full = fake__period_end(sub->current_period_start, sub->interval, sub->interval_count, 1) -
		       sub->current_period_start;
	int64_t part = sub->current_period_end - sub->current_period_start;
	if (!trial && part < full)
		for (size_t i = 0; i < count; i++)
			lines[i]->amount = fake__prorate(lines[i]->amount, part, full);
	struct fake_invoice *inv = invoice_for(p, ctx, sub, FAKE_BILLING_SUBSCRIPTION_CREATE, lines, count,
					       sub->current_period_start, sub->current_period_end, false);
	if (!inv)
		return p->error->status;
	struct fake_subscription next = *sub;
	next.latest_invoice = inv->obj.id;
	if (fake__subscription_commit(p, sub, &next))
		return p->error->status;
	if (fake__invoice_finalize(p, ctx, inv))
		return p->error->status;
	/* A trial that ends within three days warns at once, after the $0
	 * invoice's events (docs/billing.md); invoice.upcoming follows when
	 * it is owed already (a trial exactly upcoming_days long). */
	if (trial && sub->trial_end - fake__now(p) <= TRIAL_WILL_END_LEAD) {
		next = *sub;
		next.trial_will_end_done = true;
		if (fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_TRIAL_WILL_END, &next, NULL, NULL, 0) ||
		    fake__subscription_commit(p, sub, &next))
			return p->error->status;
	}
	if (inv->status != FAKE_INVOICE_OPEN)
		return send_upcoming(p, ctx, sub); /* nothing due: paid, and active (or trialing) */
	if (sub->collection_method == FAKE_COLLECT_SEND_INVOICE)
		return fake__event_emit(p, ctx, FAKE__EVT_INVOICE_SENT, inv, NULL, NULL, 0);
	if (behavior == FAKE_PAYMENT_DEFAULT_INCOMPLETE)
		return 0;
	if (!has_payment_method(p, sub)) {
		if (behavior == FAKE_PAYMENT_ERROR_IF_INCOMPLETE)
			return fake__error_set(p, FAKE_EINVAL, "", "default_payment_method",
					       "This customer has no attached payment source or default payment method. Please consider adding a default payment method.");
		return 0;
	}
	int rc = fake__invoice_collect(p, ctx, inv, NULL, false, false);
	if (rc && rc != FAKE_ECARD)
		return rc;
	if (inv->status == FAKE_INVOICE_PAID)
		return send_upcoming(p, ctx, sub);
	if (behavior == FAKE_PAYMENT_ERROR_IF_INCOMPLETE) {
		/* Nothing is created: the decline or 3D Secure is the call's error. */
		ctx->keep = false;
		if (!rc)
			fake__error_set(p, FAKE_ECARD, "subscription_payment_intent_requires_action", "",
					"Payment for this subscription requires additional user action before it can be completed successfully.");
		p->error->charge[0] = p->error->payment_intent[0] = '\0';
		return FAKE_ECARD;
	}
	/* allow_incomplete: the subscription exists, incomplete; the call succeeds. */
	ctx->keep = false;
	fake__error_clear(p);
	return 0;
}

/* The trial ends now: pause or cancel without a payment method if asked,
 * else a new period from now, invoiced (and charged after the finalize
 * delay, or at once when `immediate`, for an update that ends it). */
int fake__subscription_end_trial(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub, bool immediate)
{
	int64_t now = fake__now(p);
	if (!has_payment_method(p, sub) && sub->collection_method == FAKE_COLLECT_CHARGE_AUTOMATICALLY) {
		if (sub->trial_missing_payment_method == FAKE_TRIAL_END_CANCEL)
			return fake__subscription_end(p, ctx, sub, FAKE_SUB_CANCELED);
		if (sub->trial_missing_payment_method == FAKE_TRIAL_END_PAUSE) {
			struct fake_subscription next = *sub;
			next.status = FAKE_SUB_PAUSED;
			next.trial_end = now;
			if (emit_updated(p, ctx, sub, &next) ||
			    fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_PAUSED, &next, NULL, NULL, 0))
				return p->error->status;
			return fake__subscription_commit(p, sub, &next);
		}
	}
	struct fake_subscription next = *sub;
	next.status = FAKE_SUB_ACTIVE;
	next.trial_end = now;
	next.billing_cycle_anchor = now;
	next.cycle = 1;
	next.current_period_start = now;
	next.current_period_end = fake__period_end(now, sub->interval, sub->interval_count, 1);
	struct fake_invoice_line **lines = NULL;
	size_t count = 0;
	if (cycle_lines(&lines, &count, p, &next, now, next.current_period_end, 0, 0, false))
		return p->error->status;
	struct fake_invoice *inv =
		invoice_for(p, ctx, &next, immediate ? FAKE_BILLING_SUBSCRIPTION_UPDATE : FAKE_BILLING_SUBSCRIPTION_CYCLE,
			    lines, count, sub->current_period_start, now, !immediate);
	if (!inv)
		return p->error->status;
	next.latest_invoice = inv->obj.id;
	if (emit_updated(p, ctx, sub, &next) || fake__subscription_commit(p, sub, &next))
		return p->error->status;
	int rc = immediate ? fake__invoice_advance(p, ctx, inv, true, true) : 0;
	return rc ? rc : send_upcoming(p, ctx, sub);
}

/* Invoices the subscription's pending items (and, when `usage`, the
 * metered usage of the period so far) now, charged at once. */
int fake__subscription_invoice_now(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
				   fake_billing_reason reason, bool usage)
{
	struct fake_invoice_line **lines = NULL;
	size_t count = 0;
	struct fake_subscription metered = *sub;
	size_t n = 0;
	const struct fake_subscription_item *only[FAKE_SUBSCRIPTION_ITEMS_MAX];
	for (size_t i = 0; usage && i < sub->item_count; i++)
		if (sub->items[i]->price->usage_type == FAKE_USAGE_METERED)
			only[n++] = sub->items[i];
	metered.items = only;
	metered.item_count = n;
	if (cycle_lines(&lines, &count, p, &metered, sub->current_period_start, fake__now(p),
			sub->current_period_start, fake__now(p), false))
		return p->error->status;
	/* Nothing to bill: no invoice (as Stripe, which skips empty invoices here). */
	const fake__table *items = &p->tables[FAKE_OBJECT_INVOICE_ITEM];
	bool pending = false;
	for (size_t i = 0; i < items->len && !pending; i++) {
		const struct fake_invoice_item *ii = (const struct fake_invoice_item *)items->items[i];
		pending = !(ii->obj.flags & FAKE__DELETED) && !ii->invoice && fake__same(ii->subscription, sub->obj.id);
	}
	if (!count && !pending)
		return 0;
	struct fake_invoice *inv =
		invoice_for(p, ctx, sub, reason, lines, count, sub->current_period_start, fake__now(p), false);
	if (!inv)
		return p->error->status;
	struct fake_subscription next = *sub;
	next.latest_invoice = inv->obj.id;
	if (fake__subscription_commit(p, sub, &next))
		return p->error->status;
	return fake__invoice_advance(p, ctx, inv, true, true);
}

int fake__subscription_resume(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub)
{
	int64_t now = fake__now(p);
	struct fake_subscription next = *sub;
	next.status = FAKE_SUB_ACTIVE;
	next.billing_cycle_anchor = now;
	next.cycle = 1;
	next.current_period_start = now;
	next.current_period_end = fake__period_end(now, sub->interval, sub->interval_count, 1);
	struct fake_invoice_line **lines = NULL;
	size_t count = 0;
	if (fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_RESUMED, &next, NULL, NULL, 0) ||
	    cycle_lines(&lines, &count, p, &next, now, next.current_period_end, 0, 0, false))
		return p->error->status;
	struct fake_invoice *inv = invoice_for(p, ctx, &next, FAKE_BILLING_SUBSCRIPTION_UPDATE, lines, count, now, now,
					       false);
	if (!inv)
		return p->error->status;
	next.latest_invoice = inv->obj.id;
	if (emit_updated(p, ctx, sub, &next) || fake__subscription_commit(p, sub, &next))
		return p->error->status;
	int rc = fake__invoice_advance(p, ctx, inv, true, true);
	return rc ? rc : send_upcoming(p, ctx, sub);
}

/* A new period at the end of the current one, with its invoice as a draft
 * that is finalized and charged after the configured delay. */
static int renew(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub)
{
	struct fake_subscription next = *sub;
	next.cycle = sub->cycle + 1;
	next.current_period_start = sub->current_period_end;
	next.current_period_end = fake__period_end(sub->billing_cycle_anchor, sub->interval, sub->interval_count,
						   next.cycle);
	struct fake_invoice_line **lines = NULL;
	size_t count = 0;
	if (cycle_lines(&lines, &count, p, &next, next.current_period_start, next.current_period_end,
			sub->current_period_start, sub->current_period_end, false))
		return p->error->status;
	struct fake_invoice *inv = invoice_for(p, ctx, &next, FAKE_BILLING_SUBSCRIPTION_CYCLE, lines, count,
					       sub->current_period_start, sub->current_period_end,
					       sub->status != FAKE_SUB_UNPAID);
	if (!inv)
		return p->error->status;
	next.latest_invoice = inv->obj.id;
	if (emit_updated(p, ctx, sub, &next) || fake__subscription_commit(p, sub, &next))
		return p->error->status;
	return send_upcoming(p, ctx, sub);
}

int fake__subscription_due(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub)
{
	int64_t now = fake__now(p);
	switch (sub->status) {
	case FAKE_SUB_INCOMPLETE: {
		if (now < sub->obj.created + INCOMPLETE_EXPIRY)
			return 0;
		void *found = NULL;
		if (sub->latest_invoice &&
		    fake__store_get(&found, p, FAKE_OBJECT_INVOICE, sub->latest_invoice, "latest_invoice"))
			return p->error->status;
		struct fake_invoice *inv = found;
		if (inv && (inv->status == FAKE_INVOICE_OPEN || inv->status == FAKE_INVOICE_UNCOLLECTIBLE) &&
		    fake__invoice_void(p, ctx, inv))
			return p->error->status;
		return fake__subscription_end(p, ctx, sub, FAKE_SUB_INCOMPLETE_EXPIRED);
	}
	case FAKE_SUB_TRIALING:
		if (!sub->trial_will_end_done && now >= sub->trial_end - TRIAL_WILL_END_LEAD) {
			struct fake_subscription next = *sub;
			next.trial_will_end_done = true;
			if (fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_TRIAL_WILL_END, &next, NULL, NULL, 0) ||
			    fake__subscription_commit(p, sub, &next))
				return p->error->status;
		}
		if (now >= sub->trial_end)
			return fake__subscription_end_trial(p, ctx, sub, false);
		return send_upcoming(p, ctx, sub);
	case FAKE_SUB_ACTIVE:
	case FAKE_SUB_PAST_DUE:
	case FAKE_SUB_UNPAID:
		if (sub->cancel_at && now >= sub->cancel_at)
			return fake__subscription_end(p, ctx, sub, FAKE_SUB_CANCELED);
		if (now >= sub->current_period_end)
			return sub->cancel_at_period_end ? fake__subscription_end(p, ctx, sub, FAKE_SUB_CANCELED)
							 : renew(p, ctx, sub);
		if (sub->pause_collection && sub->pause_resumes_at && now >= sub->pause_resumes_at) {
			struct fake_subscription next = *sub;
			next.pause_collection = FAKE_PAUSE_NONE;
			next.pause_resumes_at = 0;
			if (emit_updated(p, ctx, sub, &next) || fake__subscription_commit(p, sub, &next))
				return p->error->status;
		}
		return send_upcoming(p, ctx, sub);
	default:
		return 0;
	}
}

/* ---- what invoices mean for their subscription ------------------------------------- */

static struct fake_subscription *subscription_of(fake_processor *p, const struct fake_invoice *inv)
{
	fake__object *o = inv->subscription ? fake__store_find(p, inv->subscription) : NULL;
	struct fake_subscription *sub = (struct fake_subscription *)o;
	return sub && !fake__subscription_ended(sub) ? sub : NULL;
}

int fake__subscription_invoice_paid(fake_processor *p, fake__ctx *ctx, const struct fake_invoice *inv)
{
	struct fake_subscription *sub = subscription_of(p, inv);
	if (!sub || !fake__same(sub->latest_invoice, inv->obj.id))
		return 0;
	if (sub->status == FAKE_SUB_INCOMPLETE || sub->status == FAKE_SUB_PAST_DUE || sub->status == FAKE_SUB_UNPAID)
		return set_status(p, ctx, sub, FAKE_SUB_ACTIVE);
	return 0;
}

int fake__subscription_invoice_failed(fake_processor *p, fake__ctx *ctx, const struct fake_invoice *inv,
				      bool exhausted)
{
	struct fake_subscription *sub = subscription_of(p, inv);
	if (!sub || inv->billing_reason == FAKE_BILLING_SUBSCRIPTION_CREATE)
		return 0;
	if (sub->status == FAKE_SUB_ACTIVE && set_status(p, ctx, sub, FAKE_SUB_PAST_DUE))
		return p->error->status;
	if (!exhausted)
		return 0;
	switch (p->options.billing.exhausted_subscription) {
	case FAKE_DUNNING_CANCEL:
		return fake__subscription_end(p, ctx, sub, FAKE_SUB_CANCELED);
	case FAKE_DUNNING_UNPAID:
		return set_status(p, ctx, sub, FAKE_SUB_UNPAID);
	default:
		return 0;
	}
}

int fake__subscription_invoice_overdue(fake_processor *p, fake__ctx *ctx, const struct fake_invoice *inv)
{
	struct fake_subscription *sub = subscription_of(p, inv);
	if (!sub || sub->status != FAKE_SUB_ACTIVE)
		return 0;
	return set_status(p, ctx, sub, FAKE_SUB_PAST_DUE);
}

/* ---- the upcoming invoice ------------------------------------------------------------ */

static int preview_store(struct fake_invoice **out, fake_processor *p, const struct fake_invoice *copy,
			 const struct fake_invoice_line *line_copies, size_t n);

int fake__subscription_preview(struct fake_invoice **out, fake_processor *p, const struct fake_subscription *sub)
{
	if (fake__subscription_ended(sub) || sub->status == FAKE_SUB_PAUSED || sub->cancel_at_period_end ||
	    (sub->cancel_at && sub->cancel_at <= sub->current_period_end))
		return fake__error_set(p, FAKE_ESTATE, "invoice_upcoming_none", "subscription",
				       "No upcoming invoices for subscription '%s': it is %s.", sub->obj.id,
				       fake__subscription_ended(sub) || sub->status == FAKE_SUB_PAUSED ? fake_subscription_status_string(sub->status)
										    : "set to cancel");
	bool trial = sub->status == FAKE_SUB_TRIALING;
	int64_t start = sub->current_period_end;
	int64_t end = trial ? fake__period_end(start, sub->interval, sub->interval_count, 1)
			    : fake__period_end(sub->billing_cycle_anchor, sub->interval, sub->interval_count, sub->cycle + 1);
	/* Build with the invoice machinery in a savepoint, copy, and undo it:
	 * a preview moves no counter and stores nothing. */
	fake__txn txn;
	fake__txn_savepoint(p, &txn);
	fake__ctx quiet = { 0 };
	quiet.timeline = true;
	struct fake_invoice_line **lines = NULL;
	size_t count = 0;
	struct fake_invoice *inv = NULL;
	int rc = cycle_lines(&lines, &count, p, sub, start, end, trial ? 0 : sub->current_period_start,
			     trial ? 0 : start, false);
	if (!rc) {
		inv = invoice_for(p, &quiet, sub, FAKE_BILLING_UPCOMING, lines, count, sub->current_period_start, start,
				  false);
		rc = inv ? 0 : p->error->status;
	}
	/* Copy out what the rollback will release: the invoice, its lines and
	 * their descriptions, which are arena strings made in the transaction
	 * (kept meanwhile in one block from the instance allocator: the lines,
	 * then the descriptions). */
	size_t n = inv ? inv->line_count : 0;
	struct fake_invoice copy;
	struct fake_invoice_line *line_copies = NULL;
	memset(&copy, 0, sizeof(copy));
	if (!rc && inv) {
		copy = *inv;
		size_t size = n * sizeof(*line_copies) + 1;
		for (size_t i = 0; i < n; i++)
			size += inv->lines[i]->description ? strlen(inv->lines[i]->description) + 1 : 0;
		if (!(line_copies = fake__malloc(p, size)))
			rc = fake__error_nomem(p);
		char *texts = (char *)(line_copies + n);
		for (size_t i = 0, at = 0; !rc && i < n; i++) {
			line_copies[i] = *inv->lines[i];
			if (!line_copies[i].description)
				continue;
			size_t len = strlen(line_copies[i].description) + 1;
			memcpy(texts + at, line_copies[i].description, len);
			line_copies[i].description = texts + at;
			at += len;
		}
	}
	fake__txn_rollback(p, &txn);
	if (!rc)
		rc = preview_store(out, p, &copy, line_copies, n);
	fake__free(p, line_copies);
	return rc;
}

/* The preview built by fake__subscription_preview(), copied into the arena
 * outside any transaction: it has no id and stays until reset. */
static int preview_store(struct fake_invoice **out, fake_processor *p, const struct fake_invoice *copy,
			 const struct fake_invoice_line *line_copies, size_t n)
{
	struct fake_invoice *preview = fake__arena_alloc(p, sizeof(*preview));
	struct fake_invoice_line **plines = fake__arena_alloc(p, (n + 1) * sizeof(*plines));
	if (!preview || !plines)
		return fake__error_nomem(p);
	*preview = *copy;
	preview->obj.flags = 0;
	preview->obj.id = NULL;
	preview->job_due = 0;
	for (size_t i = 0; i < n; i++) {
		char id[48];
		bool ok = true;
		if (!(plines[i] = fake__arena_alloc(p, sizeof(**plines))))
			return fake__error_nomem(p);
		*plines[i] = line_copies[i];
		snprintf(id, sizeof(id), "il_tmp_fake_%0*zu", (int)p->options.id_width, i + 1);
		plines[i]->obj.id = fake__arena_strdup(p, id, &ok);
		plines[i]->description = fake__arena_strdup(p, line_copies[i].description, &ok);
		if (!ok)
			return fake__error_nomem(p);
	}
	preview->lines = (const struct fake_invoice_line *const *)plines;
	*out = preview;
	return 0;
}

/* ---- running timeline jobs ---------------------------------------------------------- */

int fake__billing_run(fake_processor *p, const fake__job *job)
{
	fake__txn txn;
	fake__txn_begin(p, &txn);
	fake__ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.outcome = FAKE_OUTCOME_ERROR;
	ctx.events = p->options.synthesize_events && !p->quiet;
	ctx.timeline = true;
	int rc = 0;
	if (job->kind == FAKE__JOB_SUBSCRIPTION) {
		struct fake_subscription *sub = job->object;
		if (sub->job_due != job->due)
			return 0; /* superseded */
		struct fake_subscription next = *sub;
		next.job_due = 0;
		rc = fake__object_commit(p, sub, &next);
		if (!rc)
			rc = fake__subscription_due(p, &ctx, sub);
		next = *sub;
		if (!rc)
			rc = fake__subscription_commit(p, sub, &next);
	} else {
		struct fake_invoice *inv = job->object;
		if (inv->job_due != job->due)
			return 0;
		struct fake_invoice next = *inv;
		next.job_due = 0;
		rc = fake__object_commit(p, inv, &next);
		if (!rc)
			rc = fake__invoice_due(p, &ctx, inv);
		next = *inv;
		if (!rc)
			rc = fake__invoice_commit(p, inv, &next);
	}
	if (rc) {
		int status = p->error->status ? p->error->status : rc;
		fake__txn_rollback(p, &txn);
		return status;
	}
	fake__event_deliver(p);
	return 0;
}

/* ---- the reference fake's helpers ----------------------------------------------------- */

int fake_subscription_advance(fake_processor *p, const char *id, int64_t days, int64_t seconds, bool synthesize)
{
	if (!p)
		return FAKE_EINVAL;
	if (!p->depth && !p->delivering)
		p->error = &p->errors[p->error == &p->errors[0]];
	fake__error_clear(p);
	void *found = NULL;
	if (id && fake__store_get(&found, p, FAKE_OBJECT_SUBSCRIPTION, id, "id"))
		return p->error->status;
	const struct fake_test_clock *clock = found ? fake__test_clock_of(p, found) : NULL;
	if (clock)
		return fake__error_set(p, FAKE_EINVAL, "", "id",
				       "The subscription '%s' lives on the test clock %s, which the processor clock does not move: advance that clock (fake_test_clock_advance).",
				       id, clock->obj.id);
	if (days < 0 || seconds < 0)
		return fake__error_set(p, FAKE_EINVAL, "", days < 0 ? "days" : "seconds",
				       "Invalid %s: %lld is negative; time only moves forward.", days < 0 ? "days" : "seconds",
				       (long long)(days < 0 ? days : seconds));
	if (days > FAKE_TIME_MAX / DAY || seconds > FAKE_TIME_MAX - days * DAY)
		return fake__error_set(p, FAKE_EINVAL, "", "days",
				       "Invalid days and seconds: advancing that far would pass 9999-12-31T23:59:59Z.");
	p->quiet = !synthesize;
	int rc = fake_clock_advance(p, days * DAY + seconds);
	p->quiet = false;
	return rc;
}

static int transition(fake_processor *p, struct fake_subscription *sub, fake_subscription_status status,
		      bool synthesize);

int fake_subscription_transition(const fake_subscription **out, fake_processor *p, const char *id,
				 fake_subscription_status status, bool synthesize)
{
	if (out)
		*out = NULL;
	if (!p)
		return FAKE_EINVAL;
	if (!p->depth && !p->delivering)
		p->error = &p->errors[p->error == &p->errors[0]];
	fake__error_clear(p);
	if (!fake_subscription_status_string(status))
		return fake__error_set(p, FAKE_EINVAL, "", "status", "Invalid status: %d is not a fake_subscription_status.",
				       (int)status);
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_SUBSCRIPTION, id, "id"))
		return p->error->status;
	struct fake_subscription *sub = found;
	if (fake__subscription_ended(sub))
		return fake__error_set(p, FAKE_ESTATE, "", "", "The subscription '%s' has ended (%s); it cannot move to %s.",
				       sub->obj.id, fake_subscription_status_string(sub->status),
				       fake_subscription_status_string(status));
	/* It happens at the time of the clock the subscription lives on. */
	fake__timeline *outer = p->clock;
	bool fixed = p->clock_fixed;
	fake__clock_enter(p, fake__test_clock_of(p, &sub->obj));
	int rc = transition(p, sub, status, synthesize);
	p->clock = outer;
	p->clock_fixed = fixed;
	if (!rc && out)
		*out = sub;
	return rc;
}

static int transition(fake_processor *p, struct fake_subscription *sub, fake_subscription_status status,
		      bool synthesize)
{
	fake__txn txn;
	fake__txn_begin(p, &txn);
	fake__ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.outcome = FAKE_OUTCOME_ERROR;
	ctx.events = p->options.synthesize_events && synthesize;
	ctx.timeline = true;
	/* Ending it, or leaving a trial, changes more than the status. */
	struct fake_subscription next = *sub;
	next.status = status;
	if (status == FAKE_SUB_CANCELED || status == FAKE_SUB_INCOMPLETE_EXPIRED) {
		next.ended_at = fake__now(p);
		if (status == FAKE_SUB_CANCELED && !next.canceled_at)
			next.canceled_at = fake__now(p);
		next.cancel_at_period_end = false;
	}
	if (sub->status == FAKE_SUB_TRIALING && status != FAKE_SUB_TRIALING && sub->trial_end > fake__now(p))
		next.trial_end = fake__now(p);
	if (status != sub->status && (emit_updated(p, &ctx, sub, &next) || fake__subscription_commit(p, sub, &next))) {
		int rc = p->error->status;
		fake__txn_rollback(p, &txn);
		return rc;
	}
	fake__event_deliver(p);
	return 0;
}
