/*
 * What an SDK builds on test clocks (fake/test_clock.h), so that the same
 * polling and cleanup code that runs against Stripe can be tested here:
 * advance_and_wait with the documented polling algorithm, the cleanup of
 * leaked clocks, and the per-test owner that fixtures use. None of these
 * is an operation: they call operations, which are counted and can be
 * scripted like any other. docs/test-clocks.md describes them.
 */
#include "private.h"

#include <math.h>

#define SLEEP_FLOOR_MS 500
#define WAIT_MS_MAX INT64_C(86400000)
#define INTERVAL_MS_MAX INT64_C(3600000)

/* ---- advance_and_wait ----------------------------------------------------- */

typedef struct waiter {
	fake_processor *p;
	const fake_test_clock_wait_options *o;
	int64_t virtual_ms; /* moves only by the sleeps */
} waiter;

static int64_t now_ms(waiter *w)
{
	return w->o->monotonic_ms ? w->o->monotonic_ms(w->o->user_data) : w->virtual_ms;
}

static void sleep_ms(waiter *w, int64_t ms)
{
	w->virtual_ms += ms;
	if (w->o->sleep)
		w->o->sleep(ms, w->o->user_data);
}

/* A uniform integer in 1..max ("full jitter"). */
static int64_t jitter(waiter *w, int64_t max)
{
	if (w->o->jitter) {
		int64_t v = w->o->jitter(max, w->o->user_data);
		return v < 1 ? 1 : v > max ? max : v;
	}
	return 1 + (int64_t)(fake_processor_random(w->p) % (uint64_t)max);
}

static int check_wait_options(fake_processor *p, const fake_test_clock_wait_options *o)
{
	if (fake__check_version(p, o->version, FAKE_TEST_CLOCK_WAIT_OPTIONS_VERSION, "fake_test_clock_wait_options"))
		return p->error->status;
	if (o->timeout_ms < 0 || o->timeout_ms > WAIT_MS_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "timeout_ms",
				       "Invalid timeout_ms: %lld. It must be from 0 to %lld.", (long long)o->timeout_ms,
				       (long long)WAIT_MS_MAX);
	if (o->initial_interval_ms < 0 || o->initial_interval_ms > INTERVAL_MS_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "initial_interval_ms",
				       "Invalid initial_interval_ms: %lld. It must be from 0 to %lld.",
				       (long long)o->initial_interval_ms, (long long)INTERVAL_MS_MAX);
	if (o->max_interval_ms < 1 || o->max_interval_ms > INTERVAL_MS_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "max_interval_ms",
				       "Invalid max_interval_ms: %lld. It must be from 1 to %lld.",
				       (long long)o->max_interval_ms, (long long)INTERVAL_MS_MAX);
	if (!(o->multiplier >= 1.0 && o->multiplier <= 10.0))
		return fake__error_set(p, FAKE_EINVAL, "", "multiplier",
				       "Invalid multiplier: it must be from 1.0 to 10.0.");
	return 0;
}

/* Tells the observer how the call ended. */
static void stop(waiter *w, const char *id, int rc, const char *status, int64_t attempts, int64_t start)
{
	if (!w->o->observer)
		return;
	fake_test_clock_wait_event e = { true, id, w->o->timeout_ms, status, attempts, rc == 0,
					 rc ? fake_error_last(w->p)->type : NULL, now_ms(w) - start };
	w->o->observer(&e, w->o->user_data);
}

int fake_test_clock_advance_and_wait(const fake_test_clock **out, fake_processor *p, const char *id,
				     int64_t frozen_time, const fake_test_clock_wait_options *options,
				     fake_test_clock_wait_result *result)
{
	static const fake_test_clock_wait_options defaults = FAKE_TEST_CLOCK_WAIT_OPTIONS_INIT;
	fake_test_clock_wait_result ignored;
	if (!result)
		result = &ignored;
	memset(result, 0, sizeof(*result));
	if (out)
		*out = NULL;
	if (!p)
		return FAKE_EINVAL;
	if (!out)
		return fake__error_set(p, FAKE_EINVAL, "", "out", "Invalid out: the result pointer is NULL.");
	if (p->depth || p->delivering)
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "advance_and_wait polls: it cannot run inside a subscriber, stub or clock callback.");
	waiter w = { p, options ? options : &defaults, 0 };
	if (check_wait_options(p, w.o))
		return p->error->status;
	fake__copy(result->clock_id, sizeof(result->clock_id), id);

	int64_t start = now_ms(&w);
	if (w.o->observer) {
		fake_test_clock_wait_event e = { false, id, w.o->timeout_ms, NULL, -1, true, NULL, 0 };
		w.o->observer(&e, w.o->user_data);
	}
	const fake_test_clock *c = NULL;
	int rc = fake_test_clock_advance(&c, p, id, frozen_time, NULL);
	if (rc) {
		stop(&w, id, rc, NULL, -1, start);
		return rc;
	}
	int64_t delay = w.o->initial_interval_ms > SLEEP_FLOOR_MS ? w.o->initial_interval_ms : SLEEP_FLOOR_MS;
	for (;;) {
		rc = fake_test_clock_retrieve(&c, p, id, NULL);
		result->attempts++;
		result->elapsed_ms = now_ms(&w) - start;
		if (rc) {
			stop(&w, id, rc, NULL, -1, start);
			return rc;
		}
		const char *status = fake_test_clock_status_name(fake_test_clock_status_of(c));
		fake__copy(result->last_status, sizeof(result->last_status), status);
		if (fake_test_clock_status_of(c) == FAKE_TEST_CLOCK_READY) {
			stop(&w, id, 0, status, -1, start);
			*out = c;
			return 0;
		}
		if (fake_test_clock_status_of(c) == FAKE_TEST_CLOCK_INTERNAL_FAILURE) {
			rc = fake__error_set(p, FAKE_ECLOCKFAILED, "", "", "Test clock %s entered internal_failure state.",
					     id);
			stop(&w, id, rc, status, result->attempts, start);
			return rc;
		}
		if (now_ms(&w) - start >= w.o->timeout_ms) {
			rc = fake__error_set(p, FAKE_ETIMEOUT, "", "",
					     "Test clock %s did not reach ready within %lld ms (last status %s after %lld retrievals).",
					     id, (long long)w.o->timeout_ms, status, (long long)result->attempts);
			stop(&w, id, rc, status, result->attempts, start);
			return rc;
		}
		int64_t s = jitter(&w, delay);
		sleep_ms(&w, s > SLEEP_FLOOR_MS ? s : SLEEP_FLOOR_MS);
		/* Rounded half away from zero, as the reference. */
		int64_t next = (int64_t)llround((double)delay * w.o->multiplier);
		delay = next < w.o->max_interval_ms ? next : w.o->max_interval_ms;
	}
}

/* ---- cleanup of leaked clocks --------------------------------------------- */

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

int fake_test_clock_cleanup(fake_test_clock_cleanup_result *out, fake_processor *p,
			    const fake_test_clock_cleanup_params *params)
{
	static const fake_test_clock_cleanup_params defaults = FAKE_TEST_CLOCK_CLEANUP_PARAMS_INIT;
	if (out)
		memset(out, 0, sizeof(*out));
	if (!p)
		return FAKE_EINVAL;
	if (!out)
		return fake__error_set(p, FAKE_EINVAL, "", "out", "Invalid out: the result pointer is NULL.");
	if (!params)
		params = &defaults;
	if (fake__check_version(p, params->version, FAKE_TEST_CLOCK_CLEANUP_PARAMS_VERSION,
				"fake_test_clock_cleanup_params") ||
	    fake__check_string(p, params->name_prefix, FAKE_TEST_CLOCK_NAME_MAX, "name_prefix"))
		return p->error->status;
	if (params->older_than < 0)
		return fake__error_set(p, FAKE_EINVAL, "", "older_than",
				       "Invalid older_than: %lld seconds; it cannot be negative.",
				       (long long)params->older_than);

	int64_t cutoff = fake_clock_now(p) - params->older_than;
	size_t cap = 0;
	fake_list_iter it;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_TEST_CLOCKS, NULL, NULL);
	const void *o = NULL;
	int rc;
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		const fake_test_clock *c = o;
		if (fake_test_clock_created(c) > cutoff ||
		    (params->name_prefix && !starts_with(fake_test_clock_name(c), params->name_prefix)))
			continue;
		if (fake__grow(p, (void **)&out->candidates, &cap, out->total_matched + 1, sizeof(*out->candidates)))
			return fake__error_nomem(p);
		out->candidates[out->total_matched++] = c;
	}
	if (rc != FAKE_ITEROVER)
		return rc;
	for (size_t i = 0; params->delete_matches && i < out->total_matched; i++) {
		const fake_test_clock *deleted = NULL;
		if (fake_test_clock_delete(&deleted, p, fake_test_clock_id(out->candidates[i]), NULL))
			out->failed++;
		else
			out->deleted++;
	}
	fake__error_clear(p);
	return 0;
}

void fake_test_clock_cleanup_result_dispose(fake_processor *p, fake_test_clock_cleanup_result *r)
{
	if (!r)
		return;
	if (p)
		fake__free(p, (void *)r->candidates);
	memset(r, 0, sizeof(*r));
}

/* ---- the per-test owner --------------------------------------------------- */

struct fake_test_clock_owner {
	fake_processor *p;
	char **ids;    /* registration order; each allocated */
	size_t count;
	size_t cap;
};

int fake_test_clock_owner_new(fake_test_clock_owner **out, fake_processor *p)
{
	if (out)
		*out = NULL;
	if (!p)
		return FAKE_EINVAL;
	if (!out)
		return fake__error_set(p, FAKE_EINVAL, "", "out", "Invalid out: the result pointer is NULL.");
	fake_test_clock_owner *owner = fake__malloc(p, sizeof(*owner));
	if (!owner)
		return fake__error_nomem(p);
	memset(owner, 0, sizeof(*owner));
	owner->p = p;
	*out = owner;
	return 0;
}

/* Room for one more id: the registry grown and a buffer for the id. */
static char *reserve(fake_test_clock_owner *owner)
{
	fake_processor *p = owner->p;
	char *copy = fake__malloc(p, FAKE_ID_MAX + 1);
	if (!copy || fake__grow(p, (void **)&owner->ids, &owner->cap, owner->count + 1, sizeof(*owner->ids))) {
		fake__free(p, copy);
		fake__error_nomem(p);
		return NULL;
	}
	return copy;
}

int fake_test_clock_owner_register(fake_test_clock_owner *owner, const char *clock_id)
{
	if (!owner)
		return FAKE_EINVAL;
	fake_processor *p = owner->p;
	if (fake__check_id(p, clock_id, "clock_id"))
		return p->error->status;
	char *copy = reserve(owner);
	if (!copy)
		return FAKE_ENOMEM;
	fake__copy(copy, FAKE_ID_MAX + 1, clock_id);
	owner->ids[owner->count++] = copy;
	return 0;
}

int fake_test_clock_owner_create(const fake_test_clock **out, fake_test_clock_owner *owner,
				 const fake_test_clock_create_params *params)
{
	if (out)
		*out = NULL;
	if (!owner)
		return FAKE_EINVAL;
	fake_test_clock_create_params defaults = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	if (!params) {
		/* now; 1 on a processor whose clock is at 0 (0 is "not given") */
		defaults.frozen_time = fake_clock_now(owner->p) ? fake_clock_now(owner->p) : 1;
		defaults.name = "libfake_test";
		params = &defaults;
	}
	/* Room to register it first: once the clock exists, nothing can fail. */
	fake_processor *p = owner->p;
	char *copy = reserve(owner);
	if (!copy)
		return FAKE_ENOMEM;
	const fake_test_clock *c = NULL;
	int rc = fake_test_clock_create(&c, p, params, NULL);
	if (rc) {
		fake__free(p, copy);
		return rc;
	}
	fake__copy(copy, FAKE_ID_MAX + 1, fake_test_clock_id(c));
	owner->ids[owner->count++] = copy;
	if (out)
		*out = c;
	return 0;
}

size_t fake_test_clock_owner_count(const fake_test_clock_owner *owner)
{
	return owner ? owner->count : 0;
}

const char *fake_test_clock_owner_id(const fake_test_clock_owner *owner, size_t i)
{
	return owner && i < owner->count ? owner->ids[i] : NULL;
}

size_t fake_test_clock_owner_cleanup(fake_test_clock_owner *owner)
{
	if (!owner)
		return 0;
	fake_processor *p = owner->p;
	size_t failed = 0;
	for (size_t i = 0; i < owner->count; i++) {
		const fake_test_clock *deleted = NULL;
		failed += fake_test_clock_delete(&deleted, p, owner->ids[i], NULL) != 0;
		fake__free(p, owner->ids[i]);
	}
	fake__free(p, owner->ids);
	fake__free(p, owner);
	return failed;
}
