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
 * plain id strings unless an expand path names them
 * (fake_json_object_expand(), fake_json_list_expand(): Stripe's
 * `expand[]`). docs/json.md lists the shapes, where each value comes from,
 * and what can be expanded.
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

/** Stripe's limit on the segments of one expand path ("a.b.c.d"; a list's "data." counts). */
#define FAKE_JSON_EXPAND_DEPTH_MAX 4
/** The longest expand path libfake accepts, in bytes (without the NUL). */
#define FAKE_JSON_EXPAND_PATH_MAX 255

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
 * As fake_json_object(), with Stripe's `expand[]`: each path names a field
 * that holds an id (or a field of an embedded object, list or price on the
 * way to one), and the id is replaced by the JSON of the object it names
 * as that object is now (a deleted one as `{"id", "object", "deleted":
 * true}`). Segments are joined by dots and expand inside what the one
 * before expanded ("latest_invoice.payment_intent",
 * "items.data.price.product"), at most FAKE_JSON_EXPAND_DEPTH_MAX of them.
 * A null field stays null; paths may repeat or share a start. Every path is
 * checked before anything is written; docs/json.md lists what each object
 * can expand. Objects inside an event are never expanded, as in Stripe.
 * With no paths this is fake_json_object().
 * @param out as fake_json_object().
 * @param object as fake_json_object(); not an event when a path is given.
 * @param expand @p expand_count paths, e.g. {"customer",
 *        "latest_invoice.payment_intent"}; borrowed for the call. NULL
 *        when @p expand_count is 0.
 * @param expand_count the number of paths; 0 for none.
 * @param flags as fake_json_object().
 * @return 0; FAKE_EINVAL as fake_json_object(), and with param "expand"
 *         for a NULL @p expand with a count, a NULL, empty or over-long
 *         (FAKE_JSON_EXPAND_PATH_MAX) path, one with an empty segment or
 *         bytes outside printable ASCII, one deeper than
 *         FAKE_JSON_EXPAND_DEPTH_MAX (code property_expansion_max_depth,
 *         "You cannot expand more than 4 levels of a property. Property:
 *         <path>"), one that names a field that cannot be expanded or does
 *         not exist ("This property cannot be expanded (<path up to that
 *         field>)."), and any path on an event; FAKE_ENOMEM. On failure
 *         only the error record changes.
 */
FAKE_EXTERN int fake_json_object_expand(char **out, fake_processor *p, const void *object,
					const char *const *expand, size_t expand_count, unsigned int flags);

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
 * As fake_json_list(), with Stripe's `expand[]` for list requests: every
 * path starts with "data", the items ("data.customer",
 * "data.latest_invoice.payment_intent"), and "data" counts as one of the
 * FAKE_JSON_EXPAND_DEPTH_MAX levels. "data" alone changes nothing. Each
 * item is expanded as fake_json_object_expand() expands it with the rest
 * of the path. The paths are checked against the types of the page's
 * items, so on an empty page only their form is checked. With no paths
 * this is fake_json_list().
 * @param out as fake_json_object().
 * @param page as fake_json_list().
 * @param url as fake_json_list().
 * @param expand as fake_json_object_expand(): "data.customer", ...
 * @param expand_count as fake_json_object_expand().
 * @param flags as fake_json_object().
 * @return 0; FAKE_EINVAL as fake_json_list() and
 *         fake_json_object_expand(), and for a path that does not start
 *         with "data" ("This property cannot be expanded (customer). You
 *         may want to try expanding 'data.customer' instead."); FAKE_ENOMEM.
 *         On failure only the error record changes.
 */
FAKE_EXTERN int fake_json_list_expand(char **out, fake_processor *p, const fake_list *page, const char *url,
				      const char *const *expand, size_t expand_count, unsigned int flags);

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
