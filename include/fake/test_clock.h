/**
 * @file fake/test_clock.h
 * @brief Stripe's test clocks (`test_helpers.test_clock`): independent
 *        clocks in one processor, advanced on demand, with the polling
 *        helper `advance_and_wait`, leaked-clock cleanup and a per-test
 *        owner for fixtures.
 *
 * A customer created with `test_clock` lives on that clock: its
 * subscriptions, invoices, invoice items and payments happen at the clock's
 * frozen_time and their billing work waits on the clock's own timeline,
 * which moves only when the clock advances (fake_test_clock_advance()).
 * The processor clock (fake/clock.h) and the other test clocks never move
 * it. docs/test-clocks.md tells the rules and how they compare with Stripe.
 *
 * Lifetime rules:
 *  1. A `const fake_test_clock *` is borrowed, as every object (fake/common.h).
 *  2. A deleted clock is gone: retrieve, advance and delete answer
 *     resource_missing, and it is left out of lists; the pointer that
 *     fake_test_clock_delete() returned stays valid and reads deleted.
 *  3. An owner (fake_test_clock_owner) is the caller's; it ends with
 *     fake_test_clock_owner_cleanup(), which must run before the processor
 *     is freed.
 */
#ifndef FAKE_TEST_CLOCK_H
#define FAKE_TEST_CLOCK_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque test clock. */
typedef struct fake_test_clock fake_test_clock;

/** A test clock's status. */
typedef enum fake_test_clock_status {
	FAKE_TEST_CLOCK_READY,            /**< "ready": every object on it is at frozen_time */
	FAKE_TEST_CLOCK_ADVANCING,        /**< "advancing": moving towards target_frozen_time */
	FAKE_TEST_CLOCK_INTERNAL_FAILURE  /**< "internal_failure": terminal; every advance is refused */
} fake_test_clock_status;

/** The longest name, in bytes (Stripe's maxLength). */
#define FAKE_TEST_CLOCK_NAME_MAX 300
/** Seconds from a clock's creation to its deletes_after (7 days, as Stripe's examples). */
#define FAKE_TEST_CLOCK_LIFETIME INT64_C(604800)
/** Default and most clocks a processor holds (options.test_clocks.max_clocks). */
#define FAKE_TEST_CLOCKS_MAX_DEFAULT 100u
#define FAKE_TEST_CLOCKS_MAX 10000u

/** Params of fake_test_clock_create(). Stripe takes no metadata here. */
typedef struct fake_test_clock_create_params {
	unsigned int version;  /**< FAKE_TEST_CLOCK_CREATE_PARAMS_VERSION */
	int64_t frozen_time;   /**< required: 1 .. FAKE_TIME_MAX; may be before or after the processor clock */
	const char *name;      /**< optional, at most FAKE_TEST_CLOCK_NAME_MAX bytes of UTF-8 */
} fake_test_clock_create_params;

#define FAKE_TEST_CLOCK_CREATE_PARAMS_VERSION 1
#define FAKE_TEST_CLOCK_CREATE_PARAMS_INIT { FAKE_TEST_CLOCK_CREATE_PARAMS_VERSION, 0, NULL }

/**
 * Creates a test clock (operation "create_test_clock"), status ready,
 * created at the processor clock's time, deletes_after 7 days later.
 * Emits test_helpers.test_clock.created.
 * @param out receives the borrowed clock; NULL on failure.
 * @return 0; FAKE_EINVAL (NULL, bad version, frozen_time missing or out of
 *         range, name too long or not UTF-8); FAKE_ELIMIT when the processor
 *         already holds options.test_clocks.max_clocks clocks (100 by
 *         default); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_test_clock_create(const fake_test_clock **out, fake_processor *p,
				       const fake_test_clock_create_params *params, const fake_request *request);

/**
 * Retrieves a test clock (operation "retrieve_test_clock"). When the
 * processor's options.test_clocks.ready_after_retrievals is N > 0, an
 * advance completes at the Nth retrieval after it: that retrieval runs the
 * clock's work and returns it ready (or internal_failure when scripted).
 * @param out receives the borrowed clock; NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown or deleted); FAKE_ENOMEM
 *         (a completing advance stopped at a piece of work that could not
 *         allocate: the clock is still advancing, and the next retrieval
 *         resumes it).
 */
FAKE_EXTERN int fake_test_clock_retrieve(const fake_test_clock **out, fake_processor *p, const char *id,
					 const fake_request *request);

/** Params of fake_test_clock_list(). */
typedef struct fake_test_clock_list_params {
	unsigned int version; /**< FAKE_TEST_CLOCK_LIST_PARAMS_VERSION */
	fake_list_params page;
} fake_test_clock_list_params;

#define FAKE_TEST_CLOCK_LIST_PARAMS_VERSION 1
#define FAKE_TEST_CLOCK_LIST_PARAMS_INIT { FAKE_TEST_CLOCK_LIST_PARAMS_VERSION, { 0, NULL, NULL } }

/**
 * Lists the clocks that are not deleted, newest first (operation
 * "list_test_clocks"). @p params may be NULL. Walk every page with
 * fake_list_iter_init(..., FAKE_OP_LIST_TEST_CLOCKS, ...).
 * @param out receives a page of `const fake_test_clock *`; empty on failure.
 * @return 0; FAKE_EINVAL (bad page); FAKE_ENOTFOUND (unknown cursor).
 */
FAKE_EXTERN int fake_test_clock_list(fake_list *out, fake_processor *p, const fake_test_clock_list_params *params,
				     const fake_request *request);

/**
 * Deletes a test clock (operation "delete_test_clock") and everything on
 * it: each customer on the clock is deleted as fake_customer_delete() does
 * (its subscriptions canceled, its payment methods detached, with their
 * events, at the clock's frozen_time), then the clock, with
 * test_helpers.test_clock.deleted. Its pending work never runs (the
 * clock's timeline never runs again) and is not saved.
 * @param out receives the borrowed clock, which reads deleted; NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown or deleted); FAKE_ESTATE
 *         (called by work the clock's own advance is running); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_test_clock_delete(const fake_test_clock **out, fake_processor *p, const char *id,
				       const fake_request *request);

/**
 * Starts advancing a test clock to @p frozen_time (operation
 * "advance_test_clock"). The target must be after the clock's frozen_time
 * and at most two intervals of the shortest subscription on the clock
 * ahead of it (two years when the clock has none). The clock goes
 * advancing (test_helpers.test_clock.advancing); its work runs in time
 * order up to the target, each piece at its due time; then it is ready at
 * the target (test_helpers.test_clock.ready). With
 * options.test_clocks.ready_after_retrievals 0 (the default) all of this
 * happens in this call, which returns the clock ready; otherwise the call
 * returns it advancing and fake_test_clock_retrieve() completes it. A
 * script with FAKE_OUTCOME_INTERNAL_FAILURE makes this advance fail where
 * it completes: nothing of its work runs, frozen_time stays, and the clock
 * is internal_failure for good (test_helpers.test_clock.internal_failure).
 * @param out receives the borrowed clock; NULL on failure.
 * @return 0; FAKE_EINVAL (NULL, @p frozen_time not after frozen_time, or
 *         too far ahead); FAKE_ENOTFOUND (unknown or deleted); FAKE_ESTATE
 *         (the clock is advancing, or in internal_failure); FAKE_ENOMEM
 *         (as fake_test_clock_retrieve(); when the advance itself could not
 *         start, nothing changed).
 */
FAKE_EXTERN int fake_test_clock_advance(const fake_test_clock **out, fake_processor *p, const char *id,
					int64_t frozen_time, const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 / false for NULL. Strings are borrowed (see fake/common.h).
 * @{
 */
FAKE_EXTERN const char *fake_test_clock_id(const fake_test_clock *c);
/** Processor time of creation. */
FAKE_EXTERN int64_t fake_test_clock_created(const fake_test_clock *c);
/** created + FAKE_TEST_CLOCK_LIFETIME. */
FAKE_EXTERN int64_t fake_test_clock_deletes_after(const fake_test_clock *c);
FAKE_EXTERN int64_t fake_test_clock_frozen_time(const fake_test_clock *c);
/** NULL when created without one. */
FAKE_EXTERN const char *fake_test_clock_name(const fake_test_clock *c);
FAKE_EXTERN fake_test_clock_status fake_test_clock_status_of(const fake_test_clock *c);
/** status_details.advancing.target_frozen_time while advancing, else 0. */
FAKE_EXTERN int64_t fake_test_clock_target_frozen_time(const fake_test_clock *c);
FAKE_EXTERN bool fake_test_clock_deleted(const fake_test_clock *c);
/** "ready", "advancing", "internal_failure"; NULL for a value that is not a status. Static. */
FAKE_EXTERN const char *fake_test_clock_status_name(fake_test_clock_status status);
/** @} */

/* ---- advance_and_wait --------------------------------------------------- */

/** What the observer of fake_test_clock_advance_and_wait() is told. */
typedef struct fake_test_clock_wait_event {
	bool stop;               /**< false: start; true: stop */
	const char *clock_id;    /**< the clock the call names */
	int64_t timeout_ms;      /**< start: the deadline used */
	/* stop only: */
	const char *status;      /**< "ready" on success; the last status seen on a timeout or failure; NULL for an error that passed through */
	int64_t attempts;        /**< retrievals made; -1 on success and for errors that passed through (the reference's nil) */
	bool ok;                 /**< outcome: true ok, false error */
	const char *error_type;  /**< on error: the error record's type ("test_clock_timeout", "invalid_request_error"...) */
	int64_t duration_ms;     /**< monotonic time the call took */
} fake_test_clock_wait_event;

/** Options of fake_test_clock_advance_and_wait(). Start from FAKE_TEST_CLOCK_WAIT_OPTIONS_INIT. */
typedef struct fake_test_clock_wait_options {
	unsigned int version;        /**< FAKE_TEST_CLOCK_WAIT_OPTIONS_VERSION */
	int64_t timeout_ms;          /**< overall deadline, 0 .. 86400000; default 60000; 0 still polls once */
	int64_t initial_interval_ms; /**< first base delay, 0 .. 3600000; floored at 500; default 500 */
	int64_t max_interval_ms;     /**< cap on the base delay, 1 .. 3600000; default 5000 (sleeps stay >= 500) */
	double multiplier;           /**< growth of the base delay, 1.0 .. 10.0; default 1.5 */
	/** Sleeps @p ms. NULL: virtual time, nothing really sleeps. */
	void (*sleep)(int64_t ms, void *user_data);
	/** A monotonic clock in ms. NULL: virtual time, which moves only by the sleeps. */
	int64_t (*monotonic_ms)(void *user_data);
	/** A uniform integer in 1..@p max. NULL: from the processor's seeded PRNG. */
	int64_t (*jitter)(int64_t max, void *user_data);
	/** Told at start and stop (the reference's telemetry). NULL: none. */
	void (*observer)(const fake_test_clock_wait_event *event, void *user_data);
	void *user_data;             /**< passed to the four functions */
} fake_test_clock_wait_options;

#define FAKE_TEST_CLOCK_WAIT_OPTIONS_VERSION 1
#define FAKE_TEST_CLOCK_WAIT_OPTIONS_INIT \
	{ FAKE_TEST_CLOCK_WAIT_OPTIONS_VERSION, 60000, 500, 5000, 1.5, NULL, NULL, NULL, NULL, NULL }

/** What fake_test_clock_advance_and_wait() saw (the reference's raw_body). */
typedef struct fake_test_clock_wait_result {
	char clock_id[FAKE_ID_MAX + 1];
	char last_status[32];    /**< the status of the last retrieval; "" if none */
	int64_t attempts;        /**< retrievals made */
	int64_t elapsed_ms;      /**< monotonic time from start to the last check */
} fake_test_clock_wait_result;

/**
 * Advances a clock and polls it until it is ready, as Stripe SDKs do
 * (docs/test-clocks.md has the algorithm): one fake_test_clock_advance(),
 * then fake_test_clock_retrieve() at once and after each sleep of
 * max(500, jitter(delay)) ms, the delay starting at initial_interval_ms
 * (at least 500) and growing by multiplier up to max_interval_ms, until
 * the clock is ready, fails, or the deadline passes after a poll that
 * was not ready. Every call it makes is an ordinary operation: counted,
 * scriptable. Not an operation itself. Must not be called from a callback.
 * @param out receives the ready clock; NULL on failure.
 * @param options NULL for FAKE_TEST_CLOCK_WAIT_OPTIONS_INIT.
 * @param result may be NULL; filled on success and failure.
 * @return 0; the status of the advance or of a retrieval, unchanged, with
 *         its error record; FAKE_ETIMEOUT (type test_clock_timeout) when
 *         the deadline passed; FAKE_ECLOCKFAILED (type test_clock_failed)
 *         when the clock is internal_failure; FAKE_EINVAL for NULL @p p or
 *         @p out, or bad options (nothing called); FAKE_ESTATE when called
 *         from a subscriber, stub, handler or clock callback (nothing called).
 */
FAKE_EXTERN int fake_test_clock_advance_and_wait(const fake_test_clock **out, fake_processor *p, const char *id,
						 int64_t frozen_time, const fake_test_clock_wait_options *options,
						 fake_test_clock_wait_result *result);

/* ---- cleanup of leaked clocks ------------------------------------------- */

/** Params of fake_test_clock_cleanup(). */
typedef struct fake_test_clock_cleanup_params {
	unsigned int version;    /**< FAKE_TEST_CLOCK_CLEANUP_PARAMS_VERSION */
	int64_t older_than;      /**< seconds, >= 0: clocks created at or before now - older_than (default 3600) */
	const char *name_prefix; /**< NULL: any; else only clocks whose name starts with it (no name never matches) */
	bool delete_matches;     /**< false: only list the candidates */
} fake_test_clock_cleanup_params;

#define FAKE_TEST_CLOCK_CLEANUP_PARAMS_VERSION 1
#define FAKE_TEST_CLOCK_CLEANUP_PARAMS_INIT { FAKE_TEST_CLOCK_CLEANUP_PARAMS_VERSION, 3600, NULL, false }

/** What fake_test_clock_cleanup() found and did. Release with fake_test_clock_cleanup_result_dispose(). */
typedef struct fake_test_clock_cleanup_result {
	const fake_test_clock **candidates; /**< the matching clocks in list order (newest first); owned by the result */
	size_t total_matched;
	size_t deleted;                     /**< 0 unless delete_matches */
	size_t failed;                      /**< deletes that returned an error */
} fake_test_clock_cleanup_result;

/**
 * Finds the clocks created at or before the processor clock's now minus
 * older_than whose name starts with name_prefix (when given), walking every
 * page of "list_test_clocks"; with delete_matches, deletes each in list
 * order with fake_test_clock_delete() and counts what succeeded and failed.
 * Not an operation; the calls it makes are.
 * @param out filled (zeroed first); dispose of it even on failure.
 * @return 0 (failed deletes are counted, not returned); FAKE_EINVAL (NULL,
 *         bad version, negative older_than, prefix too long or not UTF-8);
 *         the status of a list page that failed; FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_test_clock_cleanup(fake_test_clock_cleanup_result *out, fake_processor *p,
					const fake_test_clock_cleanup_params *params);

/** Frees what a cleanup result owns and zeroes it. NULL is a harmless no-op. */
FAKE_EXTERN void fake_test_clock_cleanup_result_dispose(fake_processor *p, fake_test_clock_cleanup_result *r);

/* ---- a per-test owner, for fixtures ------------------------------------- */

/** Remembers the clocks a test creates, to delete them at teardown. */
typedef struct fake_test_clock_owner fake_test_clock_owner;

/**
 * A new, empty owner for processor @p p (allocated with @p p's allocator).
 * @param out receives the owner, which the caller ends with
 *        fake_test_clock_owner_cleanup(); NULL on failure.
 * @return 0; FAKE_EINVAL (NULL); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_test_clock_owner_new(fake_test_clock_owner **out, fake_processor *p);

/**
 * Creates a clock with fake_test_clock_create() and registers it. With
 * @p params NULL: frozen_time is the processor clock's now (1 when that
 * is 0) and the name "libfake_test".
 * @return as fake_test_clock_create() (nothing changed on failure);
 *         FAKE_EINVAL for a NULL @p owner.
 */
FAKE_EXTERN int fake_test_clock_owner_create(const fake_test_clock **out, fake_test_clock_owner *owner,
					     const fake_test_clock_create_params *params);

/**
 * Registers a clock made elsewhere for deletion at cleanup.
 * @return 0; FAKE_EINVAL (NULL, or an id longer than FAKE_ID_MAX); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_test_clock_owner_register(fake_test_clock_owner *owner, const char *clock_id);

/** Clocks registered; 0 for NULL. */
FAKE_EXTERN size_t fake_test_clock_owner_count(const fake_test_clock_owner *owner);
/** The i-th registered id, in registration order; NULL when out of range. Valid until cleanup. */
FAKE_EXTERN const char *fake_test_clock_owner_id(const fake_test_clock_owner *owner, size_t i);

/**
 * Deletes every registered clock in registration order with
 * fake_test_clock_delete(), ignoring errors (a clock already deleted, a
 * scripted failure), then frees the owner. NULL is a harmless no-op.
 * @return the number of deletes that failed.
 */
FAKE_EXTERN size_t fake_test_clock_owner_cleanup(fake_test_clock_owner *owner);

#ifdef __cplusplus
}
#endif

#endif
