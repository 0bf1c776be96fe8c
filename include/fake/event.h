/**
 * @file fake/event.h
 * @brief The event log: every state change appends an event.
 *
 * An event holds a snapshot of its object *as it was at that moment*, and,
 * for updates, a snapshot from just before the change plus the names of the
 * fields that changed (Stripe's previous_attributes). Subscribers are called
 * synchronously, in log order, once the change that caused the event is
 * complete. A subscriber may call back into the processor; events it causes
 * are delivered after the current one, never in the middle of a change.
 */
#ifndef FAKE_EVENT_H
#define FAKE_EVENT_H

#include "common.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An event. Opaque; read it with the accessors below. */
typedef struct fake_event fake_event;

/** The event's id, "evt_fake_00001". Borrowed. NULL for NULL. */
FAKE_EXTERN const char *fake_event_id(const fake_event *e);
/** Processor time at which the event happened. 0 for NULL. */
FAKE_EXTERN int64_t fake_event_created(const fake_event *e);
/** Stripe's event type, e.g. "customer.updated". Static. NULL for NULL. */
FAKE_EXTERN const char *fake_event_type(const fake_event *e);
/**
 * Snapshot of the object at the moment of the event (a `const fake_customer *`
 * for customer.* events, and so on; see fake_object_type_of()). It never
 * changes afterwards. Borrowed. NULL for NULL.
 */
FAKE_EXTERN const void *fake_event_object(const fake_event *e);
/** For *.updated events, the snapshot from just before the change; else NULL. Borrowed. */
FAKE_EXTERN const void *fake_event_previous(const fake_event *e);
/** How many top-level fields changed (the keys of previous_attributes); 0 if not an update. */
FAKE_EXTERN size_t fake_event_previous_attribute_count(const fake_event *e);
/** The i-th changed field's name ("email", "metadata", "invoice_settings"...). Static; NULL out of range. */
FAKE_EXTERN const char *fake_event_previous_attribute(const fake_event *e, size_t i);
/** The request id of the call that caused the event ("req_fake_00007"), or NULL for timeline work. Borrowed. */
FAKE_EXTERN const char *fake_event_request_id(const fake_event *e);
/** Webhook endpoints that have not yet received the event successfully (Stripe's pending_webhooks). 0 for NULL. */
FAKE_EXTERN unsigned int fake_event_pending_webhooks(const fake_event *e);

/** Total events in the log; 0 for NULL. */
FAKE_EXTERN size_t fake_event_count(const fake_processor *p);

/**
 * Retrieves an event by id (operation "retrieve_event").
 * @param out receives a borrowed event, or NULL on failure.
 * @return 0; FAKE_EINVAL (NULL or over-long id); FAKE_ENOTFOUND
 *         ("No such event: 'evt_x'"); or a scripted/stubbed status.
 */
FAKE_EXTERN int fake_event_retrieve(const fake_event **out, fake_processor *p, const char *id,
				    const fake_request *request);

/** Params of fake_event_list(). */
typedef struct fake_event_list_params {
	unsigned int version;  /**< FAKE_EVENT_LIST_PARAMS_VERSION */
	fake_list_params page;
	const char *type;      /**< exact type, or a prefix ending in ".*" ("customer.*"); NULL: all */
} fake_event_list_params;

#define FAKE_EVENT_LIST_PARAMS_VERSION 1
#define FAKE_EVENT_LIST_PARAMS_INIT { FAKE_EVENT_LIST_PARAMS_VERSION, { 0, NULL, NULL }, NULL }

/**
 * Lists events, newest first (operation "list_events").
 * @param out receives a page of `const fake_event *`; empty on failure.
 * @return 0; FAKE_EINVAL (bad limit, both cursors, bad version, a type
 *         filter over 255 characters); FAKE_ENOTFOUND
 *         for an unknown cursor.
 */
FAKE_EXTERN int fake_event_list(fake_list *out, fake_processor *p, const fake_event_list_params *params,
				const fake_request *request);

/** A subscriber: called once per event, in log order, after the change. */
typedef void (*fake_event_fn)(fake_processor *p, const fake_event *event, void *user_data);

/**
 * Adds a subscriber. The same (fn, user_data) pair may be added only once.
 * Subscribers are dropped by reset.
 * @return 0; FAKE_EINVAL for NULL @p p or @p fn, or a pair already added;
 *         FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_event_subscribe(fake_processor *p, fake_event_fn fn, void *user_data);

/**
 * Removes a subscriber.
 * @return 0; FAKE_EINVAL for NULL; FAKE_ENOTFOUND when the pair is not subscribed.
 */
FAKE_EXTERN int fake_event_unsubscribe(fake_processor *p, fake_event_fn fn, void *user_data);

#ifdef __cplusplus
}
#endif

#endif
