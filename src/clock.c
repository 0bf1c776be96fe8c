/*
 * The virtual clock and its timeline: a min-heap of work ordered by due
 * time, then by the order it was scheduled. Advancing pops due work in that
 * order, sets the clock to each piece's due time, and runs it. Nothing here
 * reads the real time.
 *
 * The processor clock has one timeline; each test clock has its own
 * (test_clock.c), which only its advances run. One sequence numbers the
 * jobs of all of them, so a transaction's rollback drops exactly the jobs
 * it scheduled, wherever they went.
 */
#include "private.h"

int64_t fake_clock_now(const fake_processor *p)
{
	return p ? p->timeline.now : 0;
}

size_t fake_clock_pending(const fake_processor *p)
{
	return p ? p->timeline.len : 0;
}

static bool before(const fake__job *a, const fake__job *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void sift_up(fake__job *heap, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&heap[i], &heap[parent]))
			break;
		fake__job tmp = heap[i];
		heap[i] = heap[parent];
		heap[parent] = tmp;
		i = parent;
	}
}

static void sift_down(fake__job *heap, size_t len, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, min = i;
		if (l < len && before(&heap[l], &heap[min]))
			min = l;
		if (r < len && before(&heap[r], &heap[min]))
			min = r;
		if (min == i)
			return;
		fake__job tmp = heap[i];
		heap[i] = heap[min];
		heap[min] = tmp;
		i = min;
	}
}

int fake__timeline_push(fake_processor *p, fake__timeline *t, const fake__job *job)
{
	if (fake__grow(p, (void **)&t->heap, &t->cap, t->len + 1, sizeof(*t->heap)))
		return FAKE_ENOMEM;
	t->heap[t->len] = *job;
	t->heap[t->len].seq = p->job_seq++;
	sift_up(t->heap, t->len++);
	return 0;
}

static fake__job pop(fake__timeline *t)
{
	fake__job top = t->heap[0];
	t->heap[0] = t->heap[--t->len];
	sift_down(t->heap, t->len, 0);
	return top;
}

static int check_time(fake_processor *p, int64_t at, const char *param)
{
	if (at < p->timeline.now)
		return fake__error_set(p, FAKE_EINVAL, "", param,
				       "Invalid %s: %lld is before the clock's current time %lld; time only moves forward.",
				       param, (long long)at, (long long)p->timeline.now);
	if (at > FAKE_TIME_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", param,
				       "Invalid %s: %lld is after 9999-12-31T23:59:59Z (%lld).", param, (long long)at,
				       (long long)FAKE_TIME_MAX);
	return 0;
}

int fake_clock_schedule(fake_processor *p, int64_t at, fake_clock_fn fn, void *user_data)
{
	if (!p)
		return FAKE_EINVAL;
	if (!fn)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "fn", "Missing required param: fn.");
	if (check_time(p, at, "at"))
		return p->error->status;
	fake__job job = { at, 0, FAKE__JOB_CALLBACK, fn, user_data };
	if (fake__timeline_push(p, &p->timeline, &job))
		return FAKE_ENOMEM;
	fake__error_clear(p);
	return 0;
}

int fake__timeline_schedule(fake_processor *p, int64_t due, fake__job_kind kind, void *object)
{
	fake__job job = { due, 0, kind, NULL, object };
	if (fake__timeline_push(p, p->clock, &job))
		return fake__error_nomem(p);
	return 0;
}

int fake__timeline_reschedule(fake_processor *p, int64_t due, fake__job_kind kind, void *object, int64_t *job_due)
{
	if (due > FAKE_TIME_MAX)
		due = 0; /* never reached */
	if (due && due < fake__now(p))
		due = fake__now(p);
	if (due && due != *job_due && fake__timeline_schedule(p, due, kind, object))
		return p->error->status;
	*job_due = due;
	return 0;
}

int fake__timeline_run(fake_processor *p, fake__timeline *t, int64_t until)
{
	fake__timeline *outer = p->clock;
	bool outer_fixed = p->clock_fixed;
	t->advancing = true;
	p->depth++;
	/* Every piece runs on this timeline's time; the operations callbacks
	 * and webhook handlers call choose their own, and put it back. */
	p->clock = t;
	p->clock_fixed = true;
	int rc = 0;
	while (t->len && t->heap[0].due <= until) {
		fake__job job = pop(t);
		t->now = job.due;
		if (job.kind == FAKE__JOB_CALLBACK) {
			job.fn(p, job.due, job.object);
			continue;
		}
		if (job.kind == FAKE__JOB_WEBHOOK) {
			fake__webhook_retry(p, job.object);
			continue;
		}
		rc = job.kind == FAKE__JOB_TEST_CLOCK ? fake__test_clock_expire(p, job.object) : fake__billing_run(p, &job);
		if (rc) {
			/* Nothing of it happened (it was rolled back): it is still
			 * due, and the clock stops at its due time. */
			t->heap[t->len] = job;
			sift_up(t->heap, t->len++);
			break;
		}
	}
	if (!rc)
		t->now = until;
	p->depth--;
	t->advancing = false;
	p->clock = outer;
	p->clock_fixed = outer_fixed;
	return rc;
}

/* Some test clock's advance is running (work it runs called us). */
static bool test_clock_running(const fake_processor *p)
{
	for (size_t i = 0; i < p->clock_timeline_count; i++)
		if (p->clock_timelines[i]->advancing)
			return true;
	return false;
}

int fake_clock_advance_to(fake_processor *p, int64_t unix_time)
{
	if (!p)
		return FAKE_EINVAL;
	if (p->timeline.advancing)
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "The clock is already advancing: it cannot be advanced from work it is running.");
	/* Its work includes deleting test clocks, which must not happen to
	 * one in the middle of its advance. */
	if (test_clock_running(p))
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "A test clock is advancing: the processor clock cannot be advanced from work it runs.");
	if (check_time(p, unix_time, "unix_time"))
		return p->error->status;
	int rc = fake__timeline_run(p, &p->timeline, unix_time);
	if (!rc)
		fake__error_clear(p);
	return rc;
}

int fake_clock_advance(fake_processor *p, int64_t seconds)
{
	if (!p)
		return FAKE_EINVAL;
	if (seconds < 0)
		return fake__error_set(p, FAKE_EINVAL, "", "seconds",
				       "Invalid seconds: %lld is negative; time only moves forward.", (long long)seconds);
	if (seconds > FAKE_TIME_MAX - p->timeline.now)
		return fake__error_set(p, FAKE_EINVAL, "", "seconds",
				       "Invalid seconds: advancing by %lld would pass 9999-12-31T23:59:59Z.",
				       (long long)seconds);
	return fake_clock_advance_to(p, p->timeline.now + seconds);
}

static void drop_from(fake__timeline *t, uint64_t seq)
{
	size_t kept = 0;
	for (size_t i = 0; i < t->len; i++)
		if (t->heap[i].seq < seq)
			t->heap[kept++] = t->heap[i];
	if (kept == t->len)
		return;
	t->len = kept;
	for (size_t i = kept / 2; i-- > 0;)
		sift_down(t->heap, t->len, i);
}

void fake__timeline_rollback(fake_processor *p, uint64_t seq)
{
	if (p->job_seq == seq)
		return;
	drop_from(&p->timeline, seq);
	for (size_t i = 0; i < p->clock_timeline_count; i++)
		drop_from(p->clock_timelines[i], seq);
	p->job_seq = seq;
}

void fake__timeline_empty(fake__timeline *t, int64_t now)
{
	t->len = 0;
	t->advancing = false;
	t->now = now;
}

void fake__timeline_clear(fake_processor *p)
{
	fake__timeline_empty(&p->timeline, p->options.epoch);
	for (size_t i = 0; i < p->clock_timeline_count; i++)
		fake__timeline_empty(p->clock_timelines[i], 0);
	p->job_seq = 0;
	p->clock = &p->timeline;
	p->clock_fixed = true; /* outside operations, the processor clock */
}

void fake__timeline_free(fake_processor *p)
{
	for (size_t i = 0; i < p->clock_timeline_count; i++) {
		fake__free(p, p->clock_timelines[i]->heap);
		fake__free(p, p->clock_timelines[i]);
	}
	fake__free(p, p->clock_timelines);
	p->clock_timelines = NULL;
	p->clock_timeline_count = 0;
	fake__free(p, p->timeline.heap);
	p->timeline.heap = NULL;
	p->timeline.cap = 0;
	fake__timeline_clear(p);
}
