/**
 * @file fake/json.h
 * @brief Stripe-shaped JSON (API version 2023-08-16) for objects, events,
 *        list pages and the error record, written with jansson.
 *
 * Output is deterministic: keys in a fixed order ("id" and "object"
 * first, then the rest alphabetically, as Stripe writes them), the same
 * bytes for the same state. jansson allocates with its own (libc)
 * allocator while it builds the document — its allocator setting is
 * process-wide, and libfake keeps no global state — and the finished
 * string is written into memory from the instance allocator, which the
 * caller releases with fake_json_free(). Ids that Stripe can expand are
 * always plain id strings (no expand yet). docs/json.md lists the shapes
 * and where each value comes from.
 *
 * These functions are not operations: they are not counted, scripted or
 * stubbed. On success they leave the error record as it was (so
 * fake_json_error() can be called after any of them); on failure they
 * fill it.
 */
#ifndef FAKE_JSON_H
#define FAKE_JSON_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Flags for the fake_json_* functions. */
enum {
	FAKE_JSON_PRETTY = 1u << 0 /**< indent by 2 and end with a newline; else compact */
};

/**
 * Serializes any object libfake returned (customer, payment method,
 * product, price, payment intent, setup intent, charge, refund, balance
 * transaction, webhook endpoint, subscription, subscription item, usage
 * record, invoice, invoice line, invoice item, event — an event with its
 * data.object as it was at the moment of the event and
 * data.previous_attributes for updates). A deleted customer, subscription
 * item, invoice or invoice item is Stripe's `{"id", "object", "deleted":
 * true}`; an upcoming-invoice preview has no "id" member, as Stripe's.
 * @param out receives a NUL-terminated string the caller owns and frees
 *        with fake_json_free() on @p p, before fake_processor_free(); it
 *        survives reset. NULL on failure.
 * @param object a borrowed object from any libfake call (live, from a
 *        list, or an event's snapshot).
 * @param flags 0 (compact) or FAKE_JSON_PRETTY.
 * @return 0; FAKE_EINVAL (NULL argument, unknown flags, an object type
 *         with no JSON shape yet, or a string field or metadata that is
 *         not valid UTF-8: code parameter_invalid_string, param the field);
 *         FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_json_object(char **out, fake_processor *p, const void *object, unsigned int flags);

/**
 * Serializes a page as Stripe's list envelope:
 * `{"object": "list", "data": [...], "has_more": ..., "url": url}`, each
 * item as fake_json_object() writes it.
 * @param out as fake_json_object().
 * @param page a page from any list operation.
 * @param url the list's path, e.g. "/v1/customers"; copied as given.
 * @param flags as fake_json_object().
 * @return 0; FAKE_EINVAL (NULL argument, unknown flags, a count over
 *         FAKE_LIST_LIMIT_MAX, a NULL item, and as fake_json_object());
 *         FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_json_list(char **out, fake_processor *p, const fake_list *page, const char *url,
			       unsigned int flags);

/**
 * Serializes the processor's error record as Stripe's error body:
 * `{"error": {"charge", "code", "decline_code", "doc_url", "message",
 * "param", "payment_intent", "payment_method", "request_log_url",
 * "setup_intent", "type"}}`, leaving out fields that are empty. As in
 * Stripe, payment_intent, payment_method (the declined card) and
 * setup_intent are objects: the ones the record names, as they are now.
 * On success the record is only read.
 * @param out as fake_json_object().
 * @param flags as fake_json_object().
 * @return 0; FAKE_EINVAL (NULL argument, unknown flags, or the record holds
 *         no error because the last call succeeded); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_json_error(char **out, fake_processor *p, unsigned int flags);

/**
 * Frees a string from fake_json_*() with the instance allocator of @p p,
 * the processor that made it. A NULL @p json is a harmless no-op (so is a
 * NULL @p p, which leaves the string allocated).
 */
FAKE_EXTERN void fake_json_free(fake_processor *p, char *json);

#ifdef __cplusplus
}
#endif

#endif
