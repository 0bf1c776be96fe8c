/**
 * @file fake/snapshot.h
 * @brief Save and restore: the whole state of a processor as one JSON
 *        document (docs/snapshots.md).
 *
 * A snapshot holds every object (tombstones included) and every event with
 * the snapshots it carries, the id counters, the clock, the pending
 * billing work and webhook retries on the timeline, the request counter,
 * the PRNG and the options that shape behaviour (epoch, id width, seed,
 * synthesize_events, billing). It does not hold code or the harness around
 * the processor: scripts, stubs, subscribers, call counts, clock callbacks
 * (fake_clock_schedule()) and webhook handlers are not state, are never
 * written, and are left as they are by a load (a restored webhook endpoint
 * has no handler until fake_webhook_endpoint_set_handler()).
 *
 * Saving and loading are exact: save, load into any processor, save again
 * gives the same bytes, and the loaded processor goes on exactly as the
 * original would (the same next ids, renewals, events and retries).
 *
 * These functions are not operations: they are not counted, scripted or
 * stubbed. They must not be called from inside a subscriber, stub, webhook
 * handler or clock callback (FAKE_ESTATE).
 */
#ifndef FAKE_SNAPSHOT_H
#define FAKE_SNAPSHOT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The format version fake_processor_save() writes and the only one fake_processor_load() reads. */
#define FAKE_SNAPSHOT_VERSION 2

/**
 * Writes the processor's state to @p path atomically: into `<path>.tmp`,
 * flushed to the disk with fsync, then renamed over @p path (and the
 * directory synced), so a crash at any moment leaves either the old file
 * or the new one, never a part of either. Two saves to one path at the
 * same time are not supported. The processor is only read.
 * @param flags 0 (compact) or FAKE_JSON_PRETTY (fake/json.h).
 * @return 0 (the error record is cleared); FAKE_EINVAL (NULL argument,
 *         unknown flags, an object whose strings are not UTF-8);
 *         FAKE_ESTATE (inside a callback); FAKE_EIO (the file could not be
 *         written: code io_error, the message names the file and the
 *         system's reason; @p path is left as it was); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_processor_save(fake_processor *p, const char *path, unsigned int flags);

/**
 * As fake_processor_save(), into memory.
 * @param out receives a NUL-terminated string the caller owns and frees
 *        with fake_json_free() on @p p; NULL on failure.
 * @return as fake_processor_save(), without FAKE_EIO.
 */
FAKE_EXTERN int fake_processor_save_string(char **out, fake_processor *p, unsigned int flags);

/**
 * Replaces the processor's state with the snapshot in @p path. The file is
 * read and checked whole before anything changes: on any failure the
 * processor is exactly as it was. On success every object pointer the
 * processor returned before is invalid (as after fake_processor_reset()),
 * its options become the snapshot's (allocator and block size excepted),
 * and its scripts, stubs, subscribers and call counts stay; clock
 * callbacks it had scheduled are dropped with the old timeline.
 * @return 0 (the error record is cleared); FAKE_EINVAL for NULL arguments
 *         and for a file that is not a valid snapshot: code
 *         snapshot_invalid (not JSON, truncated, not a libfake snapshot, a
 *         missing, unknown, mistyped or out-of-range member, a broken
 *         reference) or snapshot_version (another format version), with
 *         param the JSON path of the fault ("$.objects.invoice[2].lines")
 *         and a message that names it, or the line, column and byte
 *         offset of a syntax error; FAKE_ESTATE (inside a callback);
 *         FAKE_EIO (the file cannot be opened or read); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_processor_load(fake_processor *p, const char *path);

/**
 * As fake_processor_load(), from @p len bytes at @p data (no NUL needed).
 * @return as fake_processor_load(), without FAKE_EIO.
 */
FAKE_EXTERN int fake_processor_load_string(fake_processor *p, const char *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
