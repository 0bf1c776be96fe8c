/**
 * @file fake/processor.h
 * @brief The processor instance: create, free, reset, options.
 *
 * Lifetime rules:
 *  1. fake_processor_new() makes an instance; fake_processor_free() ends it.
 *     Instances never share state: two of them in one process, or in two
 *     threads, never interfere. One instance must not be used by two threads
 *     at once.
 *  2. Every object pointer the instance returns is borrowed and stays valid
 *     until fake_processor_reset(), fake_processor_reset_preserve_connect(),
 *     fake_processor_load() or fake_processor_free().
 *  3. A reset instance is indistinguishable from a new one made with the
 *     same options: clock, counters, objects, events, scripts, stubs,
 *     subscribers and call counts all return to their initial state.
 */
#ifndef FAKE_PROCESSOR_H
#define FAKE_PROCESSOR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The instance allocator. Every allocation libfake makes goes through it.
 * Either all of malloc, realloc and free are set, or none (libc is used);
 * calloc is optional. @p ctx is passed to every call.
 */
typedef struct fake_allocator {
	void *(*malloc)(size_t size, void *ctx);
	void *(*calloc)(size_t count, size_t size, void *ctx);
	void *(*realloc)(void *ptr, size_t size, void *ctx);
	void (*free)(void *ptr, void *ctx);
	void *ctx;
} fake_allocator;

/** 2026-01-01T00:00:00Z, the default clock epoch (as the reference fake). */
#define FAKE_EPOCH_DEFAULT INT64_C(1767225600)
/** Default and allowed range of the id number width. */
#define FAKE_ID_WIDTH_DEFAULT 5
#define FAKE_ID_WIDTH_MAX 20

/** What a subscription becomes when its invoice's payment retries run out. */
typedef enum fake_dunning_subscription {
	FAKE_DUNNING_CANCEL,   /**< canceled (default, as Stripe's default setting) */
	FAKE_DUNNING_UNPAID,   /**< unpaid: it stays, and invoices are made but not charged */
	FAKE_DUNNING_PAST_DUE  /**< left past_due */
} fake_dunning_subscription;

/** What the invoice becomes when its payment retries run out. */
typedef enum fake_dunning_invoice {
	FAKE_DUNNING_LEAVE_OPEN,     /**< left open (default) */
	FAKE_DUNNING_UNCOLLECTIBLE   /**< marked uncollectible */
} fake_dunning_invoice;

/** The most payment retries a failed invoice gets. */
#define FAKE_RETRIES_MAX 8

/** How the billing timeline collects (docs/billing.md). */
typedef struct fake_billing_options {
	unsigned int retry_count;                  /**< 0 .. FAKE_RETRIES_MAX retries after the first failure */
	unsigned int retry_days[FAKE_RETRIES_MAX]; /**< days after the first failure, increasing, 1 .. 60 */
	fake_dunning_subscription exhausted_subscription;
	fake_dunning_invoice exhausted_invoice;
	int64_t finalize_delay;                    /**< seconds from a renewal's draft to its finalization: 0 .. 259200 (72 h); default 3600 */
	unsigned int upcoming_days;                /**< days before an automatically charged renewal that invoice.upcoming is sent: 0 (never) .. 45; default 3 */
} fake_billing_options;

/** The most days before a renewal invoice.upcoming can be sent (Stripe's setting allows 45). */
#define FAKE_UPCOMING_DAYS_MAX 45

#define FAKE_BILLING_OPTIONS_INIT \
	{ 3, { 3, 5, 7, 0, 0, 0, 0, 0 }, FAKE_DUNNING_CANCEL, FAKE_DUNNING_LEAVE_OPEN, 3600, 3 }

/** How test clocks behave (fake/test_clock.h, docs/test-clocks.md). */
typedef struct fake_test_clock_options {
	unsigned int max_clocks;             /**< clocks a processor holds at once, 1 .. FAKE_TEST_CLOCKS_MAX (10000); default 100 */
	bool auto_delete;                    /**< delete a clock when the processor clock passes its deletes_after; default true */
	unsigned int ready_after_retrievals; /**< 0: an advance completes at once (default); N: at the Nth retrieval after it, 1 .. 1000 */
} fake_test_clock_options;

#define FAKE_TEST_CLOCK_OPTIONS_INIT { 100, true, 0 }

/** Processor options. Start from FAKE_PROCESSOR_OPTIONS_INIT. */
typedef struct fake_processor_options {
	unsigned int version;     /**< FAKE_PROCESSOR_OPTIONS_VERSION exactly (4 since test_clocks; options of another version are refused) */
	int64_t epoch;            /**< clock start, unix seconds, 0 to 253402300799 (year 9999) */
	unsigned int id_width;    /**< zero-padding of id numbers, 1..FAKE_ID_WIDTH_MAX */
	fake_allocator allocator; /**< all NULL: libc */
	uint64_t seed;            /**< seed of the instance PRNG (fake_processor_random()) */
	bool synthesize_events;   /**< false: no events are recorded or delivered at all */
	size_t block_size;        /**< bytes per memory block objects are carved from; 0: 64 KiB; minimum 256 */
	fake_billing_options billing; /**< dunning and invoice timing */
	fake_test_clock_options test_clocks; /**< test clock limits and timing */
} fake_processor_options;

#define FAKE_PROCESSOR_OPTIONS_VERSION 4
#define FAKE_PROCESSOR_OPTIONS_INIT                                                          \
	{ FAKE_PROCESSOR_OPTIONS_VERSION, FAKE_EPOCH_DEFAULT, FAKE_ID_WIDTH_DEFAULT,             \
	  { NULL, NULL, NULL, NULL, NULL }, 0, true, 0, FAKE_BILLING_OPTIONS_INIT,      \
	  FAKE_TEST_CLOCK_OPTIONS_INIT }

/**
 * Creates a processor.
 * @param out receives the new processor, which the caller owns and frees
 *        with fake_processor_free(); NULL on failure.
 * @param options NULL for the defaults (FAKE_PROCESSOR_OPTIONS_INIT).
 * @return 0; FAKE_EINVAL for a NULL @p out, an unknown options version, an
 *         epoch or id width out of range, a block size under 256, a
 *         partly filled allocator, or billing options out of range; FAKE_ENOMEM when allocation fails. There
 *         is no processor to hold an error record, so only the status tells.
 */
FAKE_EXTERN int fake_processor_new(fake_processor **out, const fake_processor_options *options);

/** Frees a processor and everything it owns. NULL is a harmless no-op. */
FAKE_EXTERN void fake_processor_free(fake_processor *p);

/**
 * Returns the processor to exactly the state fake_processor_new() produced
 * with the same options. Every pointer it returned before becomes invalid.
 * Must not be called from inside a subscriber, stub or clock callback.
 * @return 0; FAKE_EINVAL for NULL; FAKE_ESTATE when called from a callback
 *         (nothing changes).
 */
FAKE_EXTERN int fake_processor_reset(fake_processor *p);

/**
 * Like fake_processor_reset(), but keeps Connect accounts and their id
 * counter. Connect accounts arrive with the Connect issue; until then this
 * resets everything.
 * @return as fake_processor_reset().
 */
FAKE_EXTERN int fake_processor_reset_preserve_connect(fake_processor *p);

/**
 * The options the processor was made with (the allocator included).
 * @return a borrowed pointer valid until the processor is freed; NULL for NULL.
 */
FAKE_EXTERN const fake_processor_options *fake_processor_options_get(const fake_processor *p);

/**
 * The next number from the instance PRNG (splitmix64), seeded by
 * options.seed and restarted by reset. Same seed, same sequence.
 * @return the number; 0 for NULL.
 */
FAKE_EXTERN uint64_t fake_processor_random(fake_processor *p);

#ifdef __cplusplus
}
#endif

#endif
