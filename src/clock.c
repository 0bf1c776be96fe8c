/*
 * The virtual clock and its timeline: a min-heap of work ordered by due
 * time, then by the order it was scheduled. Advancing pops due work in that
 * order, sets the clock to each piece's due time, and runs it. Nothing here
 * reads the real time.
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

int fake__timeline_push(fake_processor *p, const fake__job *job)
{
	fake__timeline *t = &p->timeline;
	if (fake__grow(p, (void **)&t->heap, &t->cap, t->len + 1, sizeof(*t->heap)))
		return FAKE_ENOMEM;
	t->heap[t->len] = *job;
	t->heap[t->len].seq = t->seq++;
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
	if (fake__timeline_push(p, &job))
		return FAKE_ENOMEM;
	fake__error_clear(p);
	return 0;
}

int fake__timeline_schedule(fake_processor *p, int64_t due, fake__job_kind kind, void *object)
{
	fake__job job = { due, 0, kind, NULL, object };
	if (fake__timeline_push(p, &job))
		return fake__error_nomem(p);
	return 0;
}

int fake__timeline_reschedule(fake_processor *p, int64_t due, fake__job_kind kind, void *object, int64_t *job_due)
{
	if (due > FAKE_TIME_MAX)
		due = 0; /* never reached */
	if (due && due < p->timeline.now)
		due = p->timeline.now;
	if (due && due != *job_due && fake__timeline_schedule(p, due, kind, object))
		return p->error->status;
	*job_due = due;
	return 0;
}

int fake_clock_advance_to(fake_processor *p, int64_t unix_time)
{
	if (!p)
		return FAKE_EINVAL;
	fake__timeline *t = &p->timeline;
	if (t->advancing)
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "The clock is already advancing: it cannot be advanced from work it is running.");
	if (check_time(p, unix_time, "unix_time"))
		return p->error->status;

	t->advancing = true;
	p->depth++;
	int rc = 0;
	while (t->len && t->heap[0].due <= unix_time) {
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
		rc = fake__billing_run(p, &job);
		if (rc) {
			/* Nothing of it happened (billing.c rolled it back): it is
			 * still due, and the clock stops at its due time. */
			t->heap[t->len] = job;
			sift_up(t->heap, t->len++);
			break;
		}
	}
	if (!rc)
		t->now = unix_time;
	p->depth--;
	t->advancing = false;
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

void fake__timeline_rollback(fake_processor *p, uint64_t seq)
{
	fake__timeline *t = &p->timeline;
	if (t->seq == seq)
		return;
	size_t kept = 0;
	for (size_t i = 0; i < t->len; i++)
		if (t->heap[i].seq < seq)
			t->heap[kept++] = t->heap[i];
	t->len = kept;
	for (size_t i = kept / 2; i-- > 0;)
		sift_down(t->heap, t->len, i);
	t->seq = seq;
}

void fake__timeline_clear(fake_processor *p)
{
	p->timeline.len = 0;
	p->timeline.seq = 0;
	p->timeline.advancing = false;
	p->timeline.now = p->options.epoch;
}

void fake__timeline_free(fake_processor *p)
{
	fake__free(p, p->timeline.heap);
	p->timeline.heap = NULL;
	p->timeline.cap = 0;
	fake__timeline_clear(p);
}
