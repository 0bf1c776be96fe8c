/*
 * Test clocks (fake/test_clock.h): create, retrieve, list, delete, advance,
 * and the timeline each clock owns. docs/test-clocks.md tells the rules.
 *
 * Every clock has a timeline of its own (p->clock_timelines, indexed by the
 * clock's place in its table) whose `now` is the clock's frozen_time. The
 * objects of a customer created on a clock live on it: an operation that
 * acts on one runs at the clock's time (fake__clock_follow), and the
 * billing work it schedules goes on the clock's timeline, which only an
 * advance of that clock runs. The clock objects themselves, and their own
 * events, are on the processor clock's time, as in Stripe where a clock is
 * created and deleted in real time.
 */
#include "private.h"

#include <stdio.h>

fake__timeline *fake__test_clock_timeline(const fake_processor *p, const struct fake_test_clock *clock)
{
	return p->clock_timelines[clock->obj.pos];
}

static const struct fake_test_clock *clock_named(const fake_processor *p, const char *id)
{
	const fake__object *o = id ? fake__store_find(p, id) : NULL;
	return o && o->type == FAKE_OBJECT_TEST_CLOCK ? (const struct fake_test_clock *)o : NULL;
}

static const struct fake_test_clock *clock_of_customer(const fake_processor *p, const char *customer)
{
	const fake__object *c = customer ? fake__store_find(p, customer) : NULL;
	return c && c->type == FAKE_OBJECT_CUSTOMER ? clock_named(p, ((const struct fake_customer *)c)->test_clock)
						    : NULL;
}

static const struct fake_test_clock *clock_of_subscription(const fake_processor *p, const char *id)
{
	const fake__object *o = fake__store_find(p, id);
	return o && o->type == FAKE_OBJECT_SUBSCRIPTION
		       ? clock_of_customer(p, ((const struct fake_subscription *)o)->customer)
		       : NULL;
}

static const struct fake_test_clock *clock_of_charge(const fake_processor *p, const char *id)
{
	const fake__object *o = fake__store_find(p, id);
	return o && o->type == FAKE_OBJECT_CHARGE ? clock_of_customer(p, ((const struct fake_charge *)o)->customer)
						  : NULL;
}

const struct fake_test_clock *fake__test_clock_of(const fake_processor *p, const fake__object *o)
{
	switch (o->type) {
	case FAKE_OBJECT_CUSTOMER:
		return clock_named(p, ((const struct fake_customer *)o)->test_clock);
	case FAKE_OBJECT_SUBSCRIPTION:
		return clock_of_customer(p, ((const struct fake_subscription *)o)->customer);
	case FAKE_OBJECT_SUBSCRIPTION_ITEM:
		return clock_of_subscription(p, ((const struct fake_subscription_item *)o)->subscription);
	case FAKE_OBJECT_INVOICE:
		return clock_of_customer(p, ((const struct fake_invoice *)o)->customer);
	case FAKE_OBJECT_INVOICE_ITEM:
		return clock_of_customer(p, ((const struct fake_invoice_item *)o)->customer);
	case FAKE_OBJECT_PAYMENT_INTENT:
		return clock_of_customer(p, ((const struct fake_payment_intent *)o)->customer);
	case FAKE_OBJECT_SETUP_INTENT:
		return clock_of_customer(p, ((const struct fake_setup_intent *)o)->customer);
	case FAKE_OBJECT_PAYMENT_METHOD:
		return clock_of_customer(p, ((const struct fake_payment_method *)o)->customer);
	case FAKE_OBJECT_CHARGE:
		return clock_of_customer(p, ((const struct fake_charge *)o)->customer);
	case FAKE_OBJECT_REFUND:
		return clock_of_charge(p, ((const struct fake_refund *)o)->charge);
	default:
		return NULL;
	}
}

void fake__clock_enter(fake_processor *p, const struct fake_test_clock *clock)
{
	p->clock = clock ? fake__test_clock_timeline(p, clock) : &p->timeline;
	p->clock_fixed = true;
}

void fake__clock_follow(fake_processor *p, const fake__object *o)
{
	const struct fake_test_clock *clock = fake__test_clock_of(p, o);
	if (clock)
		fake__clock_enter(p, clock);
}

int fake__test_clock_prepare(fake_processor *p, const struct fake_test_clock *clock)
{
	size_t pos = clock->obj.pos;
	if (pos >= p->clock_timeline_count) {
		size_t cap = p->clock_timeline_count;
		if (fake__grow(p, (void **)&p->clock_timelines, &cap, pos + 1, sizeof(*p->clock_timelines)))
			return fake__error_nomem(p);
		fake__timeline *t = fake__malloc(p, sizeof(*t));
		if (!t)
			return fake__error_nomem(p);
		memset(t, 0, sizeof(*t));
		p->clock_timelines[p->clock_timeline_count++] = t;
	}
	fake__timeline_empty(p->clock_timelines[pos], clock->frozen_time);
	return 0;
}

static size_t live_clocks(const fake_processor *p)
{
	const fake__table *t = &p->tables[FAKE_OBJECT_TEST_CLOCK];
	size_t n = 0;
	for (size_t i = 0; i < t->len; i++)
		n += !(t->items[i]->flags & FAKE__DELETED);
	return n;
}

/* Emits an event of the clock itself, on the processor clock's time. */
static int clock_event(fake_processor *p, fake__ctx *ctx, fake__event_type type, const struct fake_test_clock *c)
{
	fake__timeline *clock = p->clock;
	p->clock = &p->timeline;
	int rc = fake__event_emit(p, ctx, type, c, NULL, NULL, 0);
	p->clock = clock;
	return rc;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_test_clock_create_params defaults = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	const fake_test_clock_create_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_TEST_CLOCK_CREATE_PARAMS_VERSION,
				"fake_test_clock_create_params"))
		return p->error->status;
	if (!params->frozen_time)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "frozen_time",
				       "Missing required param: frozen_time.");
	if (params->frozen_time < 0 || params->frozen_time > FAKE_TIME_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "frozen_time",
				       "Invalid frozen_time: %lld. It must be a unix time from 1 to %lld (9999-12-31T23:59:59Z).",
				       (long long)params->frozen_time, (long long)FAKE_TIME_MAX);
	if (fake__check_string(p, params->name, FAKE_TEST_CLOCK_NAME_MAX, "name"))
		return p->error->status;
	unsigned int max = p->options.test_clocks.max_clocks;
	if (live_clocks(p) >= max)
		return fake__error_set(p, FAKE_ELIMIT, "test_clock_limit_reached", "",
				       "You have reached the limit of %u test clocks. Delete test clocks you no longer need before creating new ones.",
				       max);

	struct fake_test_clock *c = fake__object_new(p, FAKE_OBJECT_TEST_CLOCK, sizeof(*c));
	if (!c)
		return fake__error_nomem(p);
	bool ok = true;
	c->name = params->name ? fake__arena_strdup(p, params->name, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	c->deletes_after = c->obj.created + FAKE_TEST_CLOCK_LIFETIME;
	c->frozen_time = params->frozen_time;
	c->status = FAKE_TEST_CLOCK_READY;
	if (fake__store_add(p, c) || fake__test_clock_prepare(p, c) ||
	    clock_event(p, ctx, FAKE__EVT_TEST_CLOCK_CREATED, c))
		return p->error->status;
	if (p->options.test_clocks.auto_delete && c->deletes_after <= FAKE_TIME_MAX) {
		fake__job job = { c->deletes_after, 0, FAKE__JOB_TEST_CLOCK, NULL, c };
		if (fake__timeline_push(p, &p->timeline, &job))
			return fake__error_nomem(p);
	}
	*(const fake_test_clock **)out = c;
	return 0;
}

int fake_test_clock_create(const fake_test_clock **out, fake_processor *p,
			   const fake_test_clock_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_TEST_CLOCK, NULL, params, request, out, create);
}

static int get_clock(struct fake_test_clock **out, fake_processor *p, const char *id)
{
	void *found = NULL;
	int rc = fake__store_get_live(&found, p, FAKE_OBJECT_TEST_CLOCK, id, "id");
	*out = found;
	return rc;
}

static int retrieve(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_test_clock *c = NULL;
	if (get_clock(&c, p, ctx->call.id))
		return p->error->status;
	/* A poll: the advance completes at its last awaited retrieval (and at
	 * every one after a completion that could not finish) — not at a
	 * retrieval made by work the advance itself is running. */
	if (c->status == FAKE_TEST_CLOCK_ADVANCING && !fake__test_clock_timeline(p, c)->advancing) {
		if (c->polls_left > 1) {
			struct fake_test_clock next = *c;
			next.polls_left--;
			if (fake__object_commit(p, c, &next))
				return p->error->status;
		} else {
			ctx->complete = c;
		}
	}
	*(const fake_test_clock **)out = c;
	return 0;
}

int fake_test_clock_retrieve(const fake_test_clock **out, fake_processor *p, const char *id,
			     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_TEST_CLOCK, id, NULL, request, out, retrieve);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_test_clock_list_params defaults = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	const fake_test_clock_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_TEST_CLOCK_LIST_PARAMS_VERSION, "fake_test_clock_list_params"))
		return p->error->status;
	return fake__list_page(out, p, FAKE_OBJECT_TEST_CLOCK, &params->page, NULL, NULL);
}

int fake_test_clock_list(fake_list *out, fake_processor *p, const fake_test_clock_list_params *params,
			 const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_TEST_CLOCKS, NULL, params, request, out, list);
}

/* Deletes the clock and every customer on it (their events at the
 * clock's frozen_time), then the clock. Its timeline is left as it is: it
 * never runs again, and what it holds is superseded or belongs to deleted
 * customers. */
static int remove_clock(fake_processor *p, fake__ctx *ctx, struct fake_test_clock *c)
{
	fake__clock_enter(p, c);
	const fake__table *customers = &p->tables[FAKE_OBJECT_CUSTOMER];
	for (size_t i = 0; i < customers->len; i++) {
		struct fake_customer *cus = (struct fake_customer *)customers->items[i];
		if (!(cus->obj.flags & FAKE__DELETED) && fake__same(cus->test_clock, c->obj.id) &&
		    fake__customer_delete(p, ctx, cus))
			return p->error->status;
	}
	struct fake_test_clock next = *c;
	next.obj.flags |= FAKE__DELETED;
	if (clock_event(p, ctx, FAKE__EVT_TEST_CLOCK_DELETED, c) || fake__object_commit(p, c, &next))
		return p->error->status;
	return 0;
}

static int delete(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_test_clock *c = NULL;
	if (get_clock(&c, p, ctx->call.id))
		return p->error->status;
	if (fake__test_clock_timeline(p, c)->advancing)
		return fake__error_set(p, FAKE_ESTATE, "test_clock_advancing", "",
				       "The test clock %s cannot be deleted by work its own advance is running.", c->obj.id);
	if (remove_clock(p, ctx, c))
		return p->error->status;
	*(const fake_test_clock **)out = c;
	return 0;
}

int fake_test_clock_delete(const fake_test_clock **out, fake_processor *p, const char *id,
			   const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_DELETE_TEST_CLOCK, id, NULL, request, out, delete);
}

int fake__test_clock_expire(fake_processor *p, struct fake_test_clock *c)
{
	if (c->obj.flags & FAKE__DELETED)
		return 0;
	fake__txn txn;
	fake__txn_begin(p, &txn);
	fake__ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.outcome = FAKE_OUTCOME_ERROR;
	ctx.events = p->options.synthesize_events && !p->quiet;
	ctx.timeline = true;
	fake__timeline *clock = p->clock;
	int rc = remove_clock(p, &ctx, c);
	p->clock = clock;
	if (rc) {
		int status = p->error->status ? p->error->status : rc;
		fake__txn_rollback(p, &txn);
		return status;
	}
	fake__event_deliver(p);
	return 0;
}

/* The furthest a clock may advance in one go: two intervals of its
 * shortest subscription that has not ended (*shortest), or two years
 * without one (*shortest NULL). */
static int64_t advance_limit(const fake_processor *p, const struct fake_test_clock *c,
			     const struct fake_subscription **shortest)
{
	int64_t limit = fake__period_end(c->frozen_time, FAKE_INTERVAL_YEAR, 1, 2);
	*shortest = NULL;
	const fake__table *subs = &p->tables[FAKE_OBJECT_SUBSCRIPTION];
	for (size_t i = 0; i < subs->len; i++) {
		const struct fake_subscription *sub = (const struct fake_subscription *)subs->items[i];
		if (fake__subscription_ended(sub) || fake__test_clock_of(p, &sub->obj) != c)
			continue;
		int64_t end = fake__period_end(c->frozen_time, sub->interval, sub->interval_count, 2);
		if (!*shortest || end < limit) {
			limit = end;
			*shortest = sub;
		}
	}
	return limit;
}

static int advance(void *out, fake_processor *p, fake__ctx *ctx)
{
	const int64_t *target = ctx->call.params;
	struct fake_test_clock *c = NULL;
	if (get_clock(&c, p, ctx->call.id))
		return p->error->status;
	if (c->status == FAKE_TEST_CLOCK_INTERNAL_FAILURE)
		return fake__error_set(p, FAKE_ESTATE, "test_clock_internal_failure", "",
				       "The test clock %s failed to advance (internal_failure), and every later advance fails: delete it and create another.",
				       c->obj.id);
	if (c->status == FAKE_TEST_CLOCK_ADVANCING)
		return fake__error_set(p, FAKE_ESTATE, "test_clock_advancing", "",
				       "The test clock %s is already advancing to %lld; wait until it is ready.",
				       c->obj.id, (long long)c->target);
	if (*target <= c->frozen_time)
		return fake__error_set(p, FAKE_EINVAL, "", "frozen_time",
				       "Invalid frozen_time: %lld must be after the test clock's current frozen time (%lld).",
				       (long long)*target, (long long)c->frozen_time);
	if (*target > FAKE_TIME_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "frozen_time",
				       "Invalid frozen_time: %lld is after 9999-12-31T23:59:59Z (%lld), the latest time a clock can reach.",
				       (long long)*target, (long long)FAKE_TIME_MAX);
	const struct fake_subscription *shortest = NULL;
	int64_t limit = advance_limit(p, c, &shortest);
	if (*target > limit && shortest)
		return fake__error_set(p, FAKE_EINVAL, "", "frozen_time",
				       "Invalid frozen_time: %lld is more than two intervals of the shortest subscription on this test clock (%s) ahead of its frozen time %lld: advance at most to %lld at a time.",
				       (long long)*target, shortest->obj.id, (long long)c->frozen_time, (long long)limit);
	if (*target > limit)
		return fake__error_set(p, FAKE_EINVAL, "", "frozen_time",
				       "Invalid frozen_time: %lld is more than two years ahead of the test clock's frozen time %lld (it has no subscriptions): advance at most to %lld at a time.",
				       (long long)*target, (long long)c->frozen_time, (long long)limit);

	struct fake_test_clock next = *c;
	next.status = FAKE_TEST_CLOCK_ADVANCING;
	next.target = *target;
	next.polls_left = p->options.test_clocks.ready_after_retrievals;
	next.fail = ctx->outcome == FAKE_OUTCOME_INTERNAL_FAILURE;
	if (clock_event(p, ctx, FAKE__EVT_TEST_CLOCK_ADVANCING, &next) || fake__object_commit(p, c, &next))
		return p->error->status;
	if (!c->polls_left)
		ctx->complete = c;
	*(const fake_test_clock **)out = c;
	return 0;
}

int fake_test_clock_advance(const fake_test_clock **out, fake_processor *p, const char *id, int64_t frozen_time,
			    const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_ADVANCE_TEST_CLOCK, id, &frozen_time, request, out, advance);
}

int fake__test_clock_complete(fake_processor *p, struct fake_test_clock *c)
{
	/* A subscriber to the call's events may have completed it already
	 * (a retrieval) or deleted the clock. */
	if (c->status != FAKE_TEST_CLOCK_ADVANCING || (c->obj.flags & FAKE__DELETED))
		return 0;
	if (!c->fail) {
		int rc = fake__timeline_run(p, fake__test_clock_timeline(p, c), c->target);
		if (rc)
			return rc; /* still advancing; the clock stopped at that piece's due time */
	}
	fake__txn txn;
	fake__txn_begin(p, &txn);
	fake__ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.outcome = FAKE_OUTCOME_ERROR;
	ctx.events = p->options.synthesize_events;
	ctx.timeline = true;
	struct fake_test_clock next = *c;
	next.status = c->fail ? FAKE_TEST_CLOCK_INTERNAL_FAILURE : FAKE_TEST_CLOCK_READY;
	if (!c->fail)
		next.frozen_time = c->target;
	next.target = 0;
	next.polls_left = 0;
	next.fail = false;
	if (clock_event(p, &ctx, c->fail ? FAKE__EVT_TEST_CLOCK_INTERNAL_FAILURE : FAKE__EVT_TEST_CLOCK_READY, &next) ||
	    fake__object_commit(p, c, &next)) {
		int status = p->error->status;
		fake__txn_rollback(p, &txn);
		return status;
	}
	fake__event_deliver(p);
	return 0;
}

const char *fake_test_clock_id(const fake_test_clock *c)
{
	return c ? c->obj.id : NULL;
}

int64_t fake_test_clock_created(const fake_test_clock *c)
{
	return c ? c->obj.created : 0;
}

int64_t fake_test_clock_deletes_after(const fake_test_clock *c)
{
	return c ? c->deletes_after : 0;
}

int64_t fake_test_clock_frozen_time(const fake_test_clock *c)
{
	return c ? c->frozen_time : 0;
}

const char *fake_test_clock_name(const fake_test_clock *c)
{
	return c ? c->name : NULL;
}

fake_test_clock_status fake_test_clock_status_of(const fake_test_clock *c)
{
	return c ? c->status : FAKE_TEST_CLOCK_READY;
}

int64_t fake_test_clock_target_frozen_time(const fake_test_clock *c)
{
	return c && c->status == FAKE_TEST_CLOCK_ADVANCING ? c->target : 0;
}

bool fake_test_clock_deleted(const fake_test_clock *c)
{
	return c && (c->obj.flags & FAKE__DELETED);
}

const char *fake_test_clock_status_name(fake_test_clock_status status)
{
	switch (status) {
	case FAKE_TEST_CLOCK_READY:
		return "ready";
	case FAKE_TEST_CLOCK_ADVANCING:
		return "advancing";
	case FAKE_TEST_CLOCK_INTERNAL_FAILURE:
		return "internal_failure";
	}
	return NULL;
}
