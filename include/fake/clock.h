/**
 * @file fake/clock.h
 * @brief The virtual clock and its timeline.
 *
 * All timestamps are int64 unix seconds, UTC. Time moves only forward, and
 * only when the caller advances it. Advancing runs every piece of work that
 * falls due (billing work, and callbacks scheduled with fake_clock_schedule()),
 * in time order; work due at the same second runs in the order it was
 * scheduled. While a piece of work runs, fake_clock_now() reads its due time.
 */
#ifndef FAKE_CLOCK_H
#define FAKE_CLOCK_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The latest time the clock can reach: 9999-12-31T23:59:59Z. */
#define FAKE_TIME_MAX INT64_C(253402300799)

/** The processor clock, unix seconds. 0 for NULL. */
FAKE_EXTERN int64_t fake_clock_now(const fake_processor *p);

/**
 * Moves the clock forward by @p seconds, running all work due on the way.
 * @return 0; FAKE_EINVAL for NULL, a negative @p seconds or a time past
 *         FAKE_TIME_MAX (nothing changes); FAKE_ESTATE when called while the
 *         clock, or a test clock, is already advancing (from a callback); FAKE_ENOMEM when a
 *         piece of billing work cannot allocate: the clock stops at that
 *         work's due time, everything before it done, that work undone and
 *         still due (advancing again resumes it). Callbacks cannot fail an
 *         advance.
 */
FAKE_EXTERN int fake_clock_advance(fake_processor *p, int64_t seconds);

/**
 * Moves the clock forward to @p unix_time; see fake_clock_advance().
 * Advancing to the current time runs the work due now and is not an error.
 * @return as fake_clock_advance(); FAKE_EINVAL for a time before now.
 */
FAKE_EXTERN int fake_clock_advance_to(fake_processor *p, int64_t unix_time);

/** A callback scheduled on the timeline. @p at is its due time (= fake_clock_now()). */
typedef void (*fake_clock_fn)(fake_processor *p, int64_t at, void *user_data);

/**
 * Schedules @p fn to run when the clock reaches @p at (for example a cron
 * job of the code under test, run in virtual time). The callback may call
 * any operation, and schedule more callbacks; it must not reset the
 * processor. Callbacks are dropped by reset and are not part of saved state.
 * @return 0; FAKE_EINVAL for NULL @p p or @p fn, or @p at before now or past
 *         FAKE_TIME_MAX; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_clock_schedule(fake_processor *p, int64_t at, fake_clock_fn fn, void *user_data);

/** Number of pieces of work waiting on the timeline; 0 for NULL. */
FAKE_EXTERN size_t fake_clock_pending(const fake_processor *p);

#ifdef __cplusplus
}
#endif

#endif
