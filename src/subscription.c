/*
 * Subscriptions and their items (fake/subscription.h): the operations.
 * What happens over time — trials, renewals, dunning, cancellation — is
 * the timeline's work, in billing.c; both share the helpers declared in
 * private.h. docs/billing.md describes every path with its events.
 */
#include "private.h"

#include <stdio.h>

static const char *const status_names[] = {
	[FAKE_SUB_INCOMPLETE] = "incomplete",
	[FAKE_SUB_INCOMPLETE_EXPIRED] = "incomplete_expired",
	[FAKE_SUB_TRIALING] = "trialing",
	[FAKE_SUB_ACTIVE] = "active",
	[FAKE_SUB_PAST_DUE] = "past_due",
	[FAKE_SUB_CANCELED] = "canceled",
	[FAKE_SUB_UNPAID] = "unpaid",
	[FAKE_SUB_PAUSED] = "paused",
};

#define DAY INT64_C(86400)
#define QUANTITY_MAX INT64_C(1000000000)

const char *fake_subscription_status_string(fake_subscription_status status)
{
	return (unsigned int)status < FAKE__COUNT(status_names) ? status_names[status] : NULL;
}

bool fake__subscription_ended(const struct fake_subscription *sub)
{
	return sub->status == FAKE_SUB_CANCELED || sub->status == FAKE_SUB_INCOMPLETE_EXPIRED;
}

/* ---- items ------------------------------------------------------------------- */

/* The items of a subscription being built or changed. */
typedef struct item_set {
	const struct fake_subscription_item *items[FAKE_SUBSCRIPTION_ITEMS_MAX];
	size_t count;
} item_set;

static int check_item_params(fake_processor *p, const fake_subscription_item_params *it, const char *param)
{
	if (it->quantity < 0 || it->quantity > QUANTITY_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", param,
				       "Invalid %s[quantity]: %lld; it must be between 0 and %lld.", param,
				       (long long)it->quantity, (long long)QUANTITY_MAX);
	return fake__metadata_check(p, it->metadata, it->metadata_count);
}

/* A new item (not yet stored) on price for the subscription `sub_id`. */
static int item_new(struct fake_subscription_item **out, fake_processor *p, const char *sub_id,
		    const struct fake_price *price, int64_t quantity, const fake_kv *metadata, size_t metadata_count)
{
	struct fake_subscription_item *item = fake__object_new(p, FAKE_OBJECT_SUBSCRIPTION_ITEM, sizeof(*item));
	if (!item)
		return fake__error_nomem(p);
	item->subscription = sub_id;
	item->price = price;
	item->quantity = price->usage_type == FAKE_USAGE_METERED ? 0 : (quantity ? quantity : 1);
	if (fake__metadata_merge(&item->metadata, p, &fake__metadata_empty, metadata, metadata_count, false) ||
	    fake__store_add(p, item))
		return p->error->status;
	*out = item;
	return 0;
}

/* The items must share one currency and one interval, with no price twice. */
static int check_set(fake_processor *p, const item_set *set)
{
	if (!set->count)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "items",
				       "A subscription needs at least one item.");
	const struct fake_price *first = set->items[0]->price;
	for (size_t i = 0; i < set->count; i++) {
		const struct fake_price *pr = set->items[i]->price;
		if (strcmp(pr->currency, first->currency) != 0)
			return fake__error_set(p, FAKE_EINVAL, "", "items",
					       "All prices on a subscription must have the same currency: %s is %s, %s is %s.",
					       first->obj.id, first->currency, pr->obj.id, pr->currency);
		if (pr->interval != first->interval || pr->interval_count != first->interval_count)
			return fake__error_set(p, FAKE_EINVAL, "", "items",
					       "All prices on a subscription must have the same recurring interval and interval_count.");
		for (size_t j = 0; j < i; j++)
			if (set->items[j]->price == pr)
				return fake__error_set(p, FAKE_EINVAL, "", "items",
						       "Cannot add multiple subscription items with the same price: %s.",
						       pr->obj.id);
	}
	return 0;
}

static int set_store(fake_processor *p, struct fake_subscription *next, const item_set *set)
{
	const struct fake_subscription_item **items = fake__arena_alloc(p, set->count * sizeof(*items));
	if (!items)
		return fake__error_nomem(p);
	for (size_t i = 0; i < set->count; i++)
		items[i] = set->items[i];
	next->items = items;
	next->item_count = set->count;
	next->currency = set->items[0]->price->currency;
	next->interval = set->items[0]->price->interval;
	next->interval_count = set->items[0]->price->interval_count;
	return 0;
}

/* Credit for the unused rest of the period of `old` and a charge for the
 * rest at `now` (either may be NULL), to the second, as pending items. */
static int prorate(fake_processor *p, fake__ctx *ctx, const struct fake_subscription *sub,
		   const struct fake_subscription_item *old, const struct fake_subscription_item *now)
{
	int64_t t = fake__now(p), start = sub->current_period_start, end = sub->current_period_end;
	if (t <= start || t >= end)
		return 0;
	char text[256];
	fake__date d = fake__date_from_unix(t);
	if (old && fake__item_amount(old)) {
		snprintf(text, sizeof(text), "Unused time on %lld x %s after %04d-%02d-%02d",
			 (long long)old->quantity, fake__product_name(p, old->price), d.year, d.month, d.day);
		if (fake__invoice_item_proration(p, ctx, sub, old, -fake__prorate(fake__item_amount(old), end - t, end - start),
						 text, t, end))
			return p->error->status;
	}
	if (now && fake__item_amount(now)) {
		snprintf(text, sizeof(text), "Remaining time on %lld x %s after %04d-%02d-%02d",
			 (long long)now->quantity, fake__product_name(p, now->price), d.year, d.month, d.day);
		if (fake__invoice_item_proration(p, ctx, sub, now, fake__prorate(fake__item_amount(now), end - t, end - start),
						 text, t, end))
			return p->error->status;
	}
	return 0;
}

static bool prorates(const struct fake_subscription *sub, fake_proration_behavior behavior)
{
	return behavior != FAKE_PRORATION_NONE &&
	       (sub->status == FAKE_SUB_ACTIVE || sub->status == FAKE_SUB_PAST_DUE || sub->status == FAKE_SUB_UNPAID);
}

static int check_proration(fake_processor *p, fake_proration_behavior behavior)
{
	if ((unsigned int)behavior > FAKE_PRORATION_ALWAYS_INVOICE)
		return fake__error_set(p, FAKE_EINVAL, "", "proration_behavior",
				       "Invalid proration_behavior: %d is not a fake_proration_behavior.", (int)behavior);
	return 0;
}

/* Applies item changes to `set` (the subscription's current items),
 * creating, versioning and deleting item objects, with prorations. */
static int change_items(fake_processor *p, fake__ctx *ctx, const struct fake_subscription *sub, item_set *set,
			const fake_subscription_item_params *changes, size_t count, fake_proration_behavior behavior)
{
	bool prorated = prorates(sub, behavior);
	char param[32];
	for (size_t i = 0; i < count; i++) {
		const fake_subscription_item_params *c = &changes[i];
		snprintf(param, sizeof(param), "items[%zu]", i);
		if (check_item_params(p, c, param))
			return p->error->status;
		size_t at = set->count;
		if (c->id) {
			for (at = 0; at < set->count && strcmp(set->items[at]->obj.id, c->id) != 0; at++)
				;
			if (at == set->count)
				return fake__error_set(p, FAKE_EINVAL, "", param,
						       "Invalid %s[id]: the subscription has no item '%s'.", param, c->id);
		} else if (c->deleted) {
			return fake__error_set(p, FAKE_EINVAL, "parameter_missing", param,
					       "Missing required param: %s[id] (the item to delete).", param);
		}
		struct fake_subscription_item *live = NULL;
		if (c->id) {
			void *found = NULL;
			if (fake__store_get(&found, p, FAKE_OBJECT_SUBSCRIPTION_ITEM, c->id, param))
				return p->error->status;
			live = found;
		}
		if (c->deleted) {
			struct fake_subscription_item gone = *live;
			gone.obj.flags |= FAKE__DELETED;
			if ((prorated && prorate(p, ctx, sub, live, NULL)) || fake__object_commit(p, live, &gone))
				return p->error->status;
			set->count--;
			memmove(&set->items[at], &set->items[at + 1], (set->count - at) * sizeof(set->items[0]));
			continue;
		}
		const struct fake_price *price = live ? live->price : NULL;
		if ((c->price || c->price_data || !live) &&
		    fake__price_resolve(&price, p, ctx, c->price, c->price_data, true, param))
			return p->error->status;
		if (price->usage_type == FAKE_USAGE_METERED && c->quantity)
			return fake__error_set(p, FAKE_EINVAL, "", param,
					       "Invalid %s[quantity]: quantity cannot be set for metered prices.", param);
		if (!live) {
			if (set->count == FAKE_SUBSCRIPTION_ITEMS_MAX)
				return fake__error_set(p, FAKE_EINVAL, "", "items",
						       "A subscription can have at most %d items.", FAKE_SUBSCRIPTION_ITEMS_MAX);
			struct fake_subscription_item *item = NULL;
			if (item_new(&item, p, sub->obj.id, price, c->quantity, c->metadata, c->metadata_count) ||
			    (prorated && prorate(p, ctx, sub, NULL, item)))
				return p->error->status;
			set->items[set->count++] = item;
			continue;
		}
		struct fake_subscription_item next = *live;
		next.price = price;
		next.quantity = price->usage_type == FAKE_USAGE_METERED ? 0
			      : c->quantity				? c->quantity
			      : live->quantity			? live->quantity
									: 1;
		if (fake__metadata_merge(&next.metadata, p, live->metadata, c->metadata, c->metadata_count, false))
			return p->error->status;
		bool billed = next.price != live->price || next.quantity != live->quantity;
		const struct fake_subscription_item *before = fake__snapshot(p, live);
		if (!before)
			return fake__error_nomem(p);
		if (fake__object_commit(p, live, &next) || (billed && prorated && prorate(p, ctx, sub, before, live)))
			return p->error->status;
		set->items[at] = live;
	}
	/* The subscription keeps immutable versions of its items. */
	for (size_t i = 0; i < set->count; i++)
		if (!(set->items[i] = fake__snapshot(p, set->items[i])))
			return fake__error_nomem(p);
	return check_set(p, set);
}

/* ---- create -------------------------------------------------------------------- */

static int check_time_param(fake_processor *p, int64_t t, const char *param)
{
	if (t <= fake__now(p) || t > FAKE_TIME_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", param,
				       "Invalid %s: %lld must be in the future (after %lld) and before the year 10000.",
				       param, (long long)t, (long long)fake__now(p));
	return 0;
}

static int check_create(fake_processor *p, const fake_subscription_create_params *c)
{
	if (fake__check_version(p, c->version, FAKE_SUBSCRIPTION_CREATE_PARAMS_VERSION,
				"fake_subscription_create_params"))
		return p->error->status;
	if (!c->customer)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "customer", "Missing required param: customer.");
	if (!c->items || !c->item_count)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "items", "Missing required param: items.");
	if (c->item_count > FAKE_SUBSCRIPTION_ITEMS_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "items", "A subscription can have at most %d items.",
				       FAKE_SUBSCRIPTION_ITEMS_MAX);
	if (c->trial_period_days && c->trial_end)
		return fake__error_set(p, FAKE_EINVAL, "", "trial_end",
				       "You cannot set both trial_end and trial_period_days.");
	if (c->trial_period_days > FAKE_TRIAL_DAYS_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "trial_period_days",
				       "Invalid trial_period_days: %u is more than %d.", c->trial_period_days,
				       FAKE_TRIAL_DAYS_MAX);
	if (c->trial_end && c->trial_end != FAKE_TRIAL_END_NOW &&
	    (check_time_param(p, c->trial_end, "trial_end") ||
	     (c->trial_end - fake__now(p) > FAKE_TRIAL_DAYS_MAX * DAY &&
	      fake__error_set(p, FAKE_EINVAL, "", "trial_end", "Invalid trial_end: a trial lasts at most %d days.",
			      FAKE_TRIAL_DAYS_MAX))))
		return p->error->status;
	if ((unsigned int)c->trial_missing_payment_method > FAKE_TRIAL_END_CANCEL)
		return fake__error_set(p, FAKE_EINVAL, "", "trial_settings[end_behavior][missing_payment_method]",
				       "Invalid missing_payment_method: %d is not a fake_trial_end_behavior.",
				       (int)c->trial_missing_payment_method);
	if ((unsigned int)c->payment_behavior > FAKE_PAYMENT_ERROR_IF_INCOMPLETE)
		return fake__error_set(p, FAKE_EINVAL, "", "payment_behavior",
				       "Invalid payment_behavior: %d is not a fake_payment_behavior.",
				       (int)c->payment_behavior);
	if (fake__check_collection(p, c->collection_method, c->days_until_due))
		return p->error->status;
	if ((c->billing_cycle_anchor && check_time_param(p, c->billing_cycle_anchor, "billing_cycle_anchor")) ||
	    (c->cancel_at && check_time_param(p, c->cancel_at, "cancel_at")) ||
	    fake__check_string(p, c->description, 500, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	return 0;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_subscription_create_params defaults = FAKE_SUBSCRIPTION_CREATE_PARAMS_INIT;
	const fake_subscription_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_SUBSCRIPTION_CREATE_PARAMS_VERSION,
				"fake_subscription_create_params"))
		return p->error->status;
	/* The customer first: its test clock's time is the one the times are checked against. */
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer") || check_create(p, c))
		return p->error->status;
	const struct fake_customer *customer = found;
	fake_payment_method *pm = NULL;
	if (c->default_payment_method &&
	    (fake__payment_method_resolve(&pm, p, c->default_payment_method, "default_payment_method") ||
	     fake__payment_method_check_owner(p, customer->obj.id, pm)))
		return p->error->status;
	if (pm && !pm->customer)
		return fake__error_set(p, FAKE_EINVAL, "", "default_payment_method",
				       "The payment method %s must be attached to customer %s first.", pm->obj.id,
				       customer->obj.id);

	struct fake_subscription *sub = fake__object_new(p, FAKE_OBJECT_SUBSCRIPTION, sizeof(*sub));
	if (!sub)
		return fake__error_nomem(p);
	item_set set = { .count = 0 };
	if (change_items(p, ctx, sub, &set, c->items, c->item_count, FAKE_PRORATION_NONE))
		return p->error->status;
	for (size_t i = 0; i < c->item_count; i++)
		if (c->items[i].id || c->items[i].deleted)
			return fake__error_set(p, FAKE_EINVAL, "", "items",
					       "Invalid items[%zu]: a new subscription's items have no id.", i);
	if (set_store(p, sub, &set))
		return p->error->status;
	int64_t now = fake__now(p);
	int64_t trial_end = c->trial_period_days ? now + (int64_t)c->trial_period_days * DAY
			    : c->trial_end > 0	  ? c->trial_end
						  : 0;
	sub->customer = customer->obj.id;
	sub->status = FAKE_SUB_INCOMPLETE;
	sub->start_date = now;
	sub->default_payment_method = pm ? pm->obj.id : NULL;
	sub->collection_method = c->collection_method;
	sub->days_until_due = fake__days_until_due(c->collection_method, c->days_until_due);
	sub->cancel_at_period_end = c->cancel_at_period_end;
	/* Stripe: canceled_at is the time of the request that set it (as update). */
	sub->canceled_at = c->cancel_at_period_end ? now : 0;
	sub->cancel_at = c->cancel_at;
	sub->trial_missing_payment_method = c->trial_missing_payment_method;
	bool ok = true;
	sub->description = c->description && c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	/* The first period: the trial, or up to the anchor (prorated), or one interval. */
	sub->billing_cycle_anchor = trial_end ? trial_end : c->billing_cycle_anchor ? c->billing_cycle_anchor : now;
	if (c->billing_cycle_anchor && !trial_end) {
		int64_t full = fake__period_end(now, sub->interval, sub->interval_count, 1);
		if (c->billing_cycle_anchor > full)
			return fake__error_set(p, FAKE_EINVAL, "", "billing_cycle_anchor",
					       "Invalid billing_cycle_anchor: it must be within one billing period of now.");
	}
	sub->cycle = sub->billing_cycle_anchor == now ? 1 : 0;
	sub->current_period_start = now;
	sub->current_period_end = fake__period_end(sub->billing_cycle_anchor, sub->interval, sub->interval_count, sub->cycle);
	if (trial_end) {
		sub->status = FAKE_SUB_TRIALING;
		sub->trial_start = now;
		sub->trial_end = trial_end;
	} else if (c->collection_method == FAKE_COLLECT_SEND_INVOICE) {
		sub->status = FAKE_SUB_ACTIVE;
	}
	if (fake__metadata_merge(&sub->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__store_add(p, sub) || fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_CREATED, sub, NULL, NULL, 0))
		return p->error->status;
	int rc = fake__subscription_start(p, ctx, sub, c->payment_behavior);
	if (rc)
		return rc;
	*(const fake_subscription **)out = sub;
	return 0;
}

int fake_subscription_create(const fake_subscription **out, fake_processor *p,
			     const fake_subscription_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_SUBSCRIPTION, NULL, params, request, out, create);
}

static int get(struct fake_subscription **out, fake_processor *p, const char *id, const char *param)
{
	void *found = NULL;
	int rc = fake__store_get(&found, p, FAKE_OBJECT_SUBSCRIPTION, id, param);
	*out = found;
	return rc;
}

int fake_subscription_retrieve(const fake_subscription **out, fake_processor *p, const char *id,
			       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_SUBSCRIPTION, id, NULL, request, out, fake__op_retrieve);
}

static int not_ended(fake_processor *p, const struct fake_subscription *sub)
{
	if (fake__subscription_ended(sub))
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "A %s subscription can only update its cancellation_details and metadata; '%s' has ended.",
				       status_names[sub->status], sub->obj.id);
	return 0;
}

/* ---- update ---------------------------------------------------------------------- */

static int check_update(fake_processor *p, const fake_subscription_update_params *c)
{
	if (fake__check_version(p, c->version, FAKE_SUBSCRIPTION_UPDATE_PARAMS_VERSION,
				"fake_subscription_update_params") ||
	    check_proration(p, c->proration_behavior))
		return p->error->status;
	if (c->item_count && !c->items)
		return fake__error_set(p, FAKE_EINVAL, "", "items", "Invalid items: item_count is %zu but items is NULL.",
				       c->item_count);
	if ((unsigned int)c->cancel_at_period_end > FAKE_FLAG_CLEAR)
		return fake__error_set(p, FAKE_EINVAL, "", "cancel_at_period_end",
				       "Invalid cancel_at_period_end: %d is not a fake_flag_change.",
				       (int)c->cancel_at_period_end);
	if ((unsigned int)c->pause_collection > FAKE_PAUSE_VOID)
		return fake__error_set(p, FAKE_EINVAL, "", "pause_collection[behavior]",
				       "Invalid pause_collection[behavior]: %d is not a fake_pause_behavior.",
				       (int)c->pause_collection);
	if (c->pause_collection && c->resume_collection)
		return fake__error_set(p, FAKE_EINVAL, "", "pause_collection",
				       "You cannot pause and resume collection in one update.");
	if (c->pause_resumes_at && !c->pause_collection)
		return fake__error_set(p, FAKE_EINVAL, "", "pause_collection[resumes_at]",
				       "Invalid pause_collection[resumes_at]: give pause_collection[behavior] too.");
	if ((c->pause_resumes_at && check_time_param(p, c->pause_resumes_at, "pause_collection[resumes_at]")) ||
	    (c->cancel_at && c->cancel_at != FAKE_TIME_CLEAR && check_time_param(p, c->cancel_at, "cancel_at")) ||
	    (c->trial_end && c->trial_end != FAKE_TRIAL_END_NOW && check_time_param(p, c->trial_end, "trial_end")) ||
	    fake__check_string(p, c->description, 500, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	return 0;
}

static int update_sub(fake_processor *p, fake__ctx *ctx, struct fake_subscription *sub,
		      const fake_subscription_update_params *c)
{
	if (check_update(p, c) || not_ended(p, sub))
		return p->error->status;
	if (c->trial_end && sub->status != FAKE_SUB_TRIALING)
		return fake__error_set(p, FAKE_EINVAL, "", "trial_end",
				       "Invalid trial_end: the subscription is %s; libfake changes trials only while trialing (docs/billing.md).",
				       status_names[sub->status]);
	fake_payment_method *pm = NULL;
	if (c->default_payment_method && c->default_payment_method[0] &&
	    (fake__payment_method_resolve(&pm, p, c->default_payment_method, "default_payment_method") ||
	     fake__payment_method_check_owner(p, sub->customer, pm)))
		return p->error->status;

	struct fake_subscription next = *sub;
	item_set set;
	set.count = sub->item_count;
	for (size_t i = 0; i < sub->item_count; i++)
		set.items[i] = sub->items[i];
	bool ok = true;
	if (c->item_count) {
		if (change_items(p, ctx, sub, &set, c->items, c->item_count, c->proration_behavior))
			return p->error->status;
		if (set.items[0]->price->interval != sub->interval ||
		    set.items[0]->price->interval_count != sub->interval_count)
			return fake__error_set(p, FAKE_EINVAL, "", "items",
					       "Changing a subscription's billing interval is not modelled by libfake (docs/billing.md); use prices with its interval.");
		if (set_store(p, &next, &set))
			return p->error->status;
	}
	if (c->cancel_at_period_end != FAKE_FLAG_UNCHANGED) {
		/* Stripe: canceled_at is the time of the request that set it. */
		next.cancel_at_period_end = c->cancel_at_period_end == FAKE_FLAG_SET;
		next.canceled_at = next.cancel_at_period_end ? fake__now(p) : 0;
	}
	if (c->cancel_at)
		next.cancel_at = c->cancel_at == FAKE_TIME_CLEAR ? 0 : c->cancel_at;
	if (c->pause_collection) {
		next.pause_collection = c->pause_collection;
		next.pause_resumes_at = c->pause_resumes_at;
	}
	if (c->resume_collection) {
		next.pause_collection = FAKE_PAUSE_NONE;
		next.pause_resumes_at = 0;
	}
	if (c->default_payment_method)
		next.default_payment_method = pm ? pm->obj.id : NULL;
	if (c->description)
		next.description = c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (c->trial_end > 0) {
		next.trial_end = c->trial_end;
		next.current_period_end = c->trial_end;
		next.billing_cycle_anchor = c->trial_end;
		next.cycle = 0;
		next.trial_will_end_done = false;
	}
	if (fake__metadata_merge(&next.metadata, p, sub->metadata, c->metadata, c->metadata_count, false))
		return p->error->status;

	static const char *const names[] = { "items", "cancel_at_period_end", "canceled_at", "cancel_at",
					     "pause_collection", "default_payment_method", "description", "metadata",
					     "trial_end", "current_period_end" };
	bool differs[] = { next.items != sub->items,
			   next.cancel_at_period_end != sub->cancel_at_period_end,
			   next.canceled_at != sub->canceled_at,
			   next.cancel_at != sub->cancel_at,
			   next.pause_collection != sub->pause_collection || next.pause_resumes_at != sub->pause_resumes_at,
			   !fake__same(next.default_payment_method, sub->default_payment_method),
			   !fake__same(next.description, sub->description),
			   !fake__metadata_equal(next.metadata, sub->metadata),
			   next.trial_end != sub->trial_end,
			   next.current_period_end != sub->current_period_end };
	size_t count = 0;
	const char *const *changed = fake__event_changed(p, names, differs, FAKE__COUNT(names), &count);
	if (!changed)
		return p->error->status;
	if (count && (fake__event_emit(p, ctx, FAKE__EVT_SUBSCRIPTION_UPDATED, &next, sub, changed, count) ||
		      fake__subscription_commit(p, sub, &next)))
		return p->error->status;
	/* Work that follows the change at once. */
	if (c->trial_end == FAKE_TRIAL_END_NOW)
		return fake__subscription_end_trial(p, ctx, sub, true);
	if (c->item_count && c->proration_behavior == FAKE_PRORATION_ALWAYS_INVOICE && prorates(sub, c->proration_behavior))
		return fake__subscription_invoice_now(p, ctx, sub, FAKE_BILLING_SUBSCRIPTION_UPDATE, false);
	return 0;
}

static int update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_subscription_update_params defaults = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	const fake_subscription_update_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_subscription *sub = NULL;
	if (get(&sub, p, ctx->call.id, "id") || update_sub(p, ctx, sub, c))
		return p->error->status;
	*(const fake_subscription **)out = sub;
	return 0;
}

int fake_subscription_update(const fake_subscription **out, fake_processor *p, const char *id,
			     const fake_subscription_update_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_SUBSCRIPTION, id, params, request, out, update);
}

/* ---- cancel, resume, list ------------------------------------------------------------ */

static int cancel(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_subscription_cancel_params defaults = FAKE_SUBSCRIPTION_CANCEL_PARAMS_INIT;
	const fake_subscription_cancel_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_subscription *sub = NULL;
	if (get(&sub, p, ctx->call.id, "id") ||
	    fake__check_version(p, c->version, FAKE_SUBSCRIPTION_CANCEL_PARAMS_VERSION,
				"fake_subscription_cancel_params") ||
	    not_ended(p, sub))
		return p->error->status;
	if (c->prorate && prorates(sub, FAKE_PRORATION_CREATE_PRORATIONS))
		for (size_t i = 0; i < sub->item_count; i++)
			if (prorate(p, ctx, sub, sub->items[i], NULL))
				return p->error->status;
	if (c->invoice_now && fake__subscription_invoice_now(p, ctx, sub, FAKE_BILLING_SUBSCRIPTION_UPDATE, true))
		return p->error->status;
	if (fake__subscription_end(p, ctx, sub, FAKE_SUB_CANCELED))
		return p->error->status;
	*(const fake_subscription **)out = sub;
	return 0;
}

int fake_subscription_cancel(const fake_subscription **out, fake_processor *p, const char *id,
			     const fake_subscription_cancel_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CANCEL_SUBSCRIPTION, id, params, request, out, cancel);
}

static int resume(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_subscription *sub = NULL;
	if (get(&sub, p, ctx->call.id, "id"))
		return p->error->status;
	if (sub->status != FAKE_SUB_PAUSED)
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "Only a paused subscription can be resumed; '%s' is %s.", sub->obj.id,
				       status_names[sub->status]);
	if (fake__subscription_resume(p, ctx, sub))
		return p->error->status;
	*(const fake_subscription **)out = sub;
	return 0;
}

int fake_subscription_resume(const fake_subscription **out, fake_processor *p, const char *id,
			     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RESUME_SUBSCRIPTION, id, NULL, request, out, resume);
}

typedef struct list_filter {
	const char *customer;
	const struct fake_price *price;
	int status; /* a status, or one of the two below */
	const fake_processor *p;
	const struct fake_test_clock *clock; /* only the subscriptions of this clock; with customer NULL too: of none */
} list_filter;

enum { LIST_DEFAULT = -1, LIST_ALL = -2, LIST_ENDED = -3 };

static bool list_match(const fake__object *o, const void *ctx)
{
	const struct fake_subscription *sub = (const struct fake_subscription *)o;
	const list_filter *f = ctx;
	if (f->customer && strcmp(sub->customer, f->customer) != 0)
		return false;
	if ((!f->customer || f->clock) && fake__test_clock_of(f->p, o) != f->clock)
		return false;
	if (f->price) {
		size_t i = 0;
		while (i < sub->item_count && sub->items[i]->price != f->price)
			i++;
		if (i == sub->item_count)
			return false;
	}
	switch (f->status) {
	case LIST_ALL:
		return true;
	case LIST_ENDED:
		return fake__subscription_ended(sub);
	case LIST_DEFAULT:
		return !fake__subscription_ended(sub);
	default:
		return (int)sub->status == f->status;
	}
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_subscription_list_params defaults = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	const fake_subscription_list_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_SUBSCRIPTION_LIST_PARAMS_VERSION, "fake_subscription_list_params"))
		return p->error->status;
	list_filter f = { c->customer, NULL, LIST_DEFAULT, p, NULL };
	if (c->status) {
		if (strcmp(c->status, "all") == 0) {
			f.status = LIST_ALL;
		} else if (strcmp(c->status, "ended") == 0) {
			f.status = LIST_ENDED;
		} else {
			const char *s = fake__pick(c->status, status_names, FAKE__COUNT(status_names));
			if (!s)
				return fake__error_set(p, FAKE_EINVAL, "", "status",
						       "Invalid status: must be one of active, past_due, unpaid, canceled, incomplete, incomplete_expired, trialing, paused, all or ended.");
			for (size_t i = 0; i < FAKE__COUNT(status_names); i++)
				if (status_names[i] == s)
					f.status = (int)i;
		}
	}
	void *found = NULL;
	if (c->customer && fake__store_get(&found, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer"))
		return p->error->status;
	/* Version 1 params end before test_clock. */
	const char *test_clock = c->version >= 2 ? c->test_clock : NULL;
	if (test_clock) {
		if (fake__store_get_live(&found, p, FAKE_OBJECT_TEST_CLOCK, test_clock, "test_clock"))
			return p->error->status;
		f.clock = found;
	}
	if (c->price) {
		if (fake__store_get(&found, p, FAKE_OBJECT_PRICE, c->price, "price"))
			return p->error->status;
		f.price = found;
	}
	return fake__list_page(out, p, FAKE_OBJECT_SUBSCRIPTION, &c->page, list_match, &f);
}

int fake_subscription_list(fake_list *out, fake_processor *p, const fake_subscription_list_params *params,
			   const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_SUBSCRIPTIONS, NULL, params, request, out, list);
}

/* ---- subscription items ------------------------------------------------------------------ */

/* Runs one item change through update_sub(); *item_id names the item. */
static int item_change(fake_processor *p, fake__ctx *ctx, const char *sub_id, const fake_subscription_item_params *it,
		       fake_proration_behavior behavior)
{
	struct fake_subscription *sub = NULL;
	if (get(&sub, p, sub_id, "subscription"))
		return p->error->status;
	fake_subscription_update_params u = FAKE_SUBSCRIPTION_UPDATE_PARAMS_INIT;
	u.items = it;
	u.item_count = 1;
	u.proration_behavior = behavior;
	return update_sub(p, ctx, sub, &u);
}

static int item_create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_subscription_item_create_params defaults = FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_INIT;
	const fake_subscription_item_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_SUBSCRIPTION_ITEM_CREATE_PARAMS_VERSION,
				"fake_subscription_item_create_params"))
		return p->error->status;
	if (!c->subscription)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "subscription",
				       "Missing required param: subscription.");
	fake_subscription_item_params it = { NULL, c->price, c->price_data, c->quantity, false, c->metadata,
					     c->metadata_count };
	if (item_change(p, ctx, c->subscription, &it, c->proration_behavior))
		return p->error->status;
	const fake__table *t = &p->tables[FAKE_OBJECT_SUBSCRIPTION_ITEM];
	*(const fake_subscription_item **)out = (const fake_subscription_item *)t->items[t->len - 1];
	return 0;
}

int fake_subscription_item_create(const fake_subscription_item **out, fake_processor *p,
				  const fake_subscription_item_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_SUBSCRIPTION_ITEM, NULL, params, request, out, item_create);
}

int fake_subscription_item_retrieve(const fake_subscription_item **out, fake_processor *p, const char *id,
				    const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_SUBSCRIPTION_ITEM, id, NULL, request, out, fake__op_retrieve_live);
}

static int item_get(struct fake_subscription_item **out, fake_processor *p, const char *id)
{
	void *found = NULL;
	int rc = fake__store_get_live(&found, p, FAKE_OBJECT_SUBSCRIPTION_ITEM, id, "id");
	*out = found;
	return rc;
}

static int item_update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_subscription_item_update_params defaults = FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_INIT;
	const fake_subscription_item_update_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_subscription_item *item = NULL;
	if (item_get(&item, p, ctx->call.id) ||
	    fake__check_version(p, c->version, FAKE_SUBSCRIPTION_ITEM_UPDATE_PARAMS_VERSION,
				"fake_subscription_item_update_params"))
		return p->error->status;
	fake_subscription_item_params it = { item->obj.id, c->price, c->price_data, c->quantity, false, c->metadata,
					     c->metadata_count };
	if (item_change(p, ctx, item->subscription, &it, c->proration_behavior))
		return p->error->status;
	*(const fake_subscription_item **)out = item;
	return 0;
}

int fake_subscription_item_update(const fake_subscription_item **out, fake_processor *p, const char *id,
				  const fake_subscription_item_update_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_SUBSCRIPTION_ITEM, id, params, request, out, item_update);
}

static int item_delete(void *out, fake_processor *p, fake__ctx *ctx)
{
	const fake_proration_behavior *behavior = ctx->call.params;
	struct fake_subscription_item *item = NULL;
	if (item_get(&item, p, ctx->call.id))
		return p->error->status;
	fake_subscription_item_params it = { item->obj.id, NULL, NULL, 0, true, NULL, 0 };
	if (item_change(p, ctx, item->subscription, &it, *behavior))
		return p->error->status;
	*(const fake_subscription_item **)out = item;
	return 0;
}

int fake_subscription_item_delete(const fake_subscription_item **out, fake_processor *p, const char *id,
				  fake_proration_behavior proration_behavior, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_DELETE_SUBSCRIPTION_ITEM, id, &proration_behavior, request, out, item_delete);
}

static bool item_match(const fake__object *o, const void *ctx)
{
	return strcmp(((const struct fake_subscription_item *)o)->subscription, ctx) == 0;
}

static int item_list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_subscription_item_list_params defaults = FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_INIT;
	const fake_subscription_item_list_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_subscription *sub = NULL;
	if (fake__check_version(p, c->version, FAKE_SUBSCRIPTION_ITEM_LIST_PARAMS_VERSION,
				"fake_subscription_item_list_params") ||
	    get(&sub, p, c->subscription, "subscription"))
		return p->error->status;
	return fake__list_page(out, p, FAKE_OBJECT_SUBSCRIPTION_ITEM, &c->page, item_match, sub->obj.id);
}

int fake_subscription_item_list(fake_list *out, fake_processor *p, const fake_subscription_item_list_params *params,
				const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_SUBSCRIPTION_ITEMS, NULL, params, request, out, item_list);
}

/* ---- usage records ----------------------------------------------------------------------- */

int64_t fake__item_usage(const fake_processor *p, const struct fake_subscription_item *item, int64_t start,
			 int64_t end)
{
	const fake__table *t = &p->tables[FAKE_OBJECT_USAGE_RECORD];
	int64_t usage = 0;
	for (size_t i = 0; i < t->len; i++) {
		const struct fake_usage_record *r = (const struct fake_usage_record *)t->items[i];
		if (r->timestamp < start || r->timestamp >= end || strcmp(r->subscription_item, item->obj.id) != 0)
			continue;
		usage = r->action == FAKE_USAGE_SET ? r->quantity : usage + r->quantity;
	}
	return usage;
}

static int usage_create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_usage_record_params defaults = FAKE_USAGE_RECORD_PARAMS_INIT;
	const fake_usage_record_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_USAGE_RECORD_PARAMS_VERSION, "fake_usage_record_params"))
		return p->error->status;
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_SUBSCRIPTION_ITEM, c->subscription_item, "subscription_item"))
		return p->error->status;
	const struct fake_subscription_item *item = found;
	if (item->price->usage_type != FAKE_USAGE_METERED)
		return fake__error_set(p, FAKE_EINVAL, "", "subscription_item",
				       "Usage records can only be created for items on metered prices; %s is licensed.",
				       item->price->obj.id);
	if (c->quantity < 0 || c->quantity > QUANTITY_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "quantity",
				       "Invalid quantity: %lld; it must be between 0 and %lld.", (long long)c->quantity,
				       (long long)QUANTITY_MAX);
	if ((unsigned int)c->action > FAKE_USAGE_SET)
		return fake__error_set(p, FAKE_EINVAL, "", "action", "Invalid action: %d is not a fake_usage_action.",
				       (int)c->action);
	struct fake_subscription *sub = NULL;
	if (get(&sub, p, item->subscription, "subscription") || not_ended(p, sub))
		return p->error->status;
	int64_t ts = c->timestamp ? c->timestamp : fake__now(p);
	if (ts < sub->current_period_start || ts > fake__now(p))
		return fake__error_set(p, FAKE_EINVAL, "", "timestamp",
				       "Invalid timestamp: %lld must be within the current period (from %lld) and not in the future.",
				       (long long)ts, (long long)sub->current_period_start);
	struct fake_usage_record *r = fake__object_new(p, FAKE_OBJECT_USAGE_RECORD, sizeof(*r));
	if (!r)
		return fake__error_nomem(p);
	r->subscription_item = item->obj.id;
	r->quantity = c->quantity;
	r->timestamp = ts;
	r->action = c->action;
	if (fake__store_add(p, r))
		return p->error->status;
	*(const fake_usage_record **)out = r;
	return 0;
}

int fake_usage_record_create(const fake_usage_record **out, fake_processor *p, const fake_usage_record_params *params,
			     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_USAGE_RECORD, NULL, params, request, out, usage_create);
}

/* ---- accessors ----------------------------------------------------------------------------- */

const char *fake_subscription_id(const fake_subscription *sub)
{
	return sub ? sub->obj.id : NULL;
}

int64_t fake_subscription_created(const fake_subscription *sub)
{
	return sub ? sub->obj.created : 0;
}

const char *fake_subscription_customer(const fake_subscription *sub)
{
	return sub ? sub->customer : NULL;
}

fake_subscription_status fake_subscription_status_of(const fake_subscription *sub)
{
	return sub ? sub->status : FAKE_SUB_INCOMPLETE;
}

const char *fake_subscription_status_name(const fake_subscription *sub)
{
	return sub ? status_names[sub->status] : NULL;
}

const char *fake_subscription_currency(const fake_subscription *sub)
{
	return sub ? sub->currency : NULL;
}

size_t fake_subscription_item_count(const fake_subscription *sub)
{
	return sub ? sub->item_count : 0;
}

const fake_subscription_item *fake_subscription_item_at(const fake_subscription *sub, size_t i)
{
	return sub && i < sub->item_count ? sub->items[i] : NULL;
}

int64_t fake_subscription_current_period_start(const fake_subscription *sub)
{
	return sub ? sub->current_period_start : 0;
}

int64_t fake_subscription_current_period_end(const fake_subscription *sub)
{
	return sub ? sub->current_period_end : 0;
}

int64_t fake_subscription_billing_cycle_anchor(const fake_subscription *sub)
{
	return sub ? sub->billing_cycle_anchor : 0;
}

int64_t fake_subscription_start_date(const fake_subscription *sub)
{
	return sub ? sub->start_date : 0;
}

int64_t fake_subscription_trial_start(const fake_subscription *sub)
{
	return sub ? sub->trial_start : 0;
}

int64_t fake_subscription_trial_end(const fake_subscription *sub)
{
	return sub ? sub->trial_end : 0;
}

bool fake_subscription_cancel_at_period_end(const fake_subscription *sub)
{
	return sub && sub->cancel_at_period_end;
}

int64_t fake_subscription_cancel_at(const fake_subscription *sub)
{
	return sub ? sub->cancel_at : 0;
}

int64_t fake_subscription_canceled_at(const fake_subscription *sub)
{
	return sub ? sub->canceled_at : 0;
}

int64_t fake_subscription_ended_at(const fake_subscription *sub)
{
	return sub ? sub->ended_at : 0;
}

const char *fake_subscription_latest_invoice(const fake_subscription *sub)
{
	return sub ? sub->latest_invoice : NULL;
}

const char *fake_subscription_default_payment_method(const fake_subscription *sub)
{
	return sub ? sub->default_payment_method : NULL;
}

fake_collection_method fake_subscription_collection_method(const fake_subscription *sub)
{
	return sub ? sub->collection_method : FAKE_COLLECT_CHARGE_AUTOMATICALLY;
}

unsigned int fake_subscription_days_until_due(const fake_subscription *sub)
{
	return sub ? sub->days_until_due : 0;
}

fake_pause_behavior fake_subscription_pause_collection(const fake_subscription *sub)
{
	return sub ? sub->pause_collection : FAKE_PAUSE_NONE;
}

int64_t fake_subscription_pause_resumes_at(const fake_subscription *sub)
{
	return sub ? sub->pause_resumes_at : 0;
}

fake_trial_end_behavior fake_subscription_trial_missing_payment_method(const fake_subscription *sub)
{
	return sub ? sub->trial_missing_payment_method : FAKE_TRIAL_END_CREATE_INVOICE;
}

const char *fake_subscription_description(const fake_subscription *sub)
{
	return sub ? sub->description : NULL;
}

const fake_metadata *fake_subscription_metadata(const fake_subscription *sub)
{
	return sub ? sub->metadata : NULL;
}

const char *fake_subscription_item_id(const fake_subscription_item *item)
{
	return item ? item->obj.id : NULL;
}

int64_t fake_subscription_item_created(const fake_subscription_item *item)
{
	return item ? item->obj.created : 0;
}

const char *fake_subscription_item_subscription(const fake_subscription_item *item)
{
	return item ? item->subscription : NULL;
}

const fake_price *fake_subscription_item_price(const fake_subscription_item *item)
{
	return item ? item->price : NULL;
}

int64_t fake_subscription_item_quantity(const fake_subscription_item *item)
{
	return item ? item->quantity : 0;
}

const fake_metadata *fake_subscription_item_metadata(const fake_subscription_item *item)
{
	return item ? item->metadata : NULL;
}

int64_t fake_subscription_item_usage(const fake_processor *p, const fake_subscription_item *item)
{
	if (!p || !item)
		return 0;
	const fake__object *o = fake__store_find(p, item->subscription);
	if (!o)
		return 0;
	const struct fake_subscription *sub = (const struct fake_subscription *)o;
	return fake__item_usage(p, item, sub->current_period_start, INT64_MAX);
}

const char *fake_usage_record_id(const fake_usage_record *record)
{
	return record ? record->obj.id : NULL;
}

const char *fake_usage_record_subscription_item(const fake_usage_record *record)
{
	return record ? record->subscription_item : NULL;
}

int64_t fake_usage_record_quantity(const fake_usage_record *record)
{
	return record ? record->quantity : 0;
}

int64_t fake_usage_record_timestamp(const fake_usage_record *record)
{
	return record ? record->timestamp : 0;
}
