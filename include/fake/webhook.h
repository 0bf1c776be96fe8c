/**
 * @file fake/webhook.h
 * @brief Stripe's webhook signatures: sign a payload as Stripe does, and
 *        verify a `Stripe-Signature` header with Stripe's rules.
 *
 * The header is `t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`.
 * HMAC-SHA256 comes from OpenSSL's libcrypto. Verification follows Stripe's
 * SDKs: several v1 entries may be present (secret rotation) and any one
 * matching is enough; other schemes (v0...) are ignored; only timestamps
 * older than the tolerance are rejected, against a "now" the caller gives
 * (processor time in tests). docs/webhooks.md has a worked example.
 */
#ifndef FAKE_WEBHOOK_H
#define FAKE_WEBHOOK_H

#include "common.h"
#include "event.h"
#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Stripe's default tolerance, in seconds. */
#define FAKE_WEBHOOK_TOLERANCE_DEFAULT 300
/** Room for a header with one v1 signature: "t=" + 20 digits + ",v1=" + 64 hex + NUL. */
#define FAKE_WEBHOOK_HEADER_MAX 96

/**
 * Writes the `Stripe-Signature` header for @p payload signed with
 * @p secret at @p timestamp into @p header (NUL-terminated).
 * @param p optional: when not NULL, its error record is filled on failure.
 * @return 0; FAKE_EINVAL (NULL argument, empty secret, negative timestamp,
 *         @p size under what the header needs); FAKE_EAPI (libcrypto failed).
 */
FAKE_EXTERN int fake_webhook_sign(char *header, size_t size, fake_processor *p, const char *secret,
				  int64_t timestamp, const char *payload, size_t payload_len);

/**
 * Verifies a `Stripe-Signature` header.
 * @param p optional: when not NULL, its error record receives the detail
 *        (type "signature_verification_error", http_status 400, and one of
 *        the codes below).
 * @param now the current time (unix seconds), e.g. fake_clock_now(p).
 * @param tolerance seconds; a timestamp older than now - tolerance is
 *        rejected; 0 or negative disables the check.
 * @return 0 when valid; FAKE_EINVAL for NULL payload, secret or empty
 *         secret; FAKE_ESIGNATURE with code missing_header (NULL or empty
 *         header), malformed_header (no "t=" timestamp), no_v1_signature
 *         (no v1 entry), signature_mismatch (no v1 entry matches), or
 *         timestamp_outside_tolerance.
 */
FAKE_EXTERN int fake_webhook_verify(fake_processor *p, const char *payload, size_t payload_len, const char *header,
				    const char *secret, int64_t now, int64_t tolerance);

/** A webhook endpoint: where events are delivered, in process. Opaque. */
typedef struct fake_webhook_endpoint fake_webhook_endpoint;

/** One delivery attempt of an event to an endpoint. Everything is borrowed
 *  for the duration of the handler call only. */
typedef struct fake_webhook_delivery {
	const char *endpoint;       /**< the endpoint's id */
	const fake_event *event;
	const char *payload;        /**< the event's JSON, as Stripe sends it */
	size_t payload_len;
	const char *signature;      /**< the Stripe-Signature header for payload */
	unsigned int attempt;       /**< 1 for the first delivery, 2 for the first retry... */
	const char *secret;         /**< the endpoint's signing secret, to verify signature with */
} fake_webhook_delivery;

/**
 * An endpoint's handler: the application's webhook code. Return 0 for a 2xx
 * answer; anything else is a failed delivery, retried on the clock. It may
 * call into the processor.
 */
typedef int (*fake_webhook_handler)(fake_processor *p, const fake_webhook_delivery *delivery, void *user_data);

/** Params of fake_webhook_endpoint_create(). */
typedef struct fake_webhook_endpoint_create_params {
	unsigned int version;             /**< FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_VERSION */
	const char *url;                  /**< required; recorded, never contacted */
	const char *const *enabled_events; /**< event types, or "*" for all; required, at least one */
	size_t enabled_event_count;
	fake_webhook_handler handler;     /**< required: receives every delivery */
	void *user_data;
	const char *description;
} fake_webhook_endpoint_create_params;

#define FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_VERSION 1
#define FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT \
	{ FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_VERSION, NULL, NULL, 0, NULL, NULL, NULL }

/**
 * Creates a webhook endpoint (operation "create_webhook_endpoint"). Its
 * secret is `whsec_` plus 32 characters derived from its id: the same on
 * every run. From then on, every event whose type it enables is delivered
 * to its handler, with the payload and signature, right after the
 * processor's subscribers got it. A failed delivery leaves the event
 * pending (fake_event_pending_webhooks()) and is retried on the clock
 * (docs/webhooks.md: 5 min, 30 min, 2 h, 5 h, then every 10 h, for up to
 * three days after the event), as Stripe does.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL (missing url, handler or enabled_events; an
 *         enabled event that is not "*" or a known type's form "a.b";
 *         over-long strings; bad version); FAKE_ENOMEM.
 */
FAKE_EXTERN int fake_webhook_endpoint_create(const fake_webhook_endpoint **out, fake_processor *p,
					     const fake_webhook_endpoint_create_params *params,
					     const fake_request *request);

/**
 * Retrieves an endpoint (operation "retrieve_webhook_endpoint").
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND ("No such webhook endpoint: 'we_x'").
 */
FAKE_EXTERN int fake_webhook_endpoint_retrieve(const fake_webhook_endpoint **out, fake_processor *p, const char *id,
					       const fake_request *request);

/**
 * Gives an endpoint a new handler. Handlers are code, not state: an
 * endpoint restored by fake_processor_load() has none, and receives no
 * deliveries (its pending retries are given up when they come due) until
 * its handler is set again. Not an operation: not counted, scripted or
 * stubbed, and no event.
 * @param handler the new handler; NULL stops deliveries to the endpoint.
 * @return 0 (the error record is cleared); FAKE_EINVAL for a NULL @p p or
 *         @p id; FAKE_ENOTFOUND for an unknown or deleted endpoint.
 */
FAKE_EXTERN int fake_webhook_endpoint_set_handler(fake_processor *p, const char *id, fake_webhook_handler handler,
						  void *user_data);

/**
 * Disables or enables an endpoint (operation "update_webhook_endpoint"): a
 * disabled endpoint receives nothing, and its pending retries are dropped
 * when they come due.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND.
 */
FAKE_EXTERN int fake_webhook_endpoint_set_disabled(const fake_webhook_endpoint **out, fake_processor *p,
						   const char *id, bool disabled, const fake_request *request);

/**
 * Deletes an endpoint (operation "delete_webhook_endpoint"): it receives
 * nothing more; it stays retrievable with fake_webhook_endpoint_deleted() true.
 * @param out receives the borrowed object (see fake/common.h); NULL on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown or already deleted).
 */
FAKE_EXTERN int fake_webhook_endpoint_delete(const fake_webhook_endpoint **out, fake_processor *p, const char *id,
					     const fake_request *request);

/** Params of fake_webhook_endpoint_list(). */
typedef struct fake_webhook_endpoint_list_params {
	unsigned int version;  /**< FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_VERSION */
	fake_list_params page;
} fake_webhook_endpoint_list_params;

#define FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_VERSION 1
#define FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_INIT { FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_VERSION, { 0, NULL, NULL } }

/**
 * Lists endpoints that are not deleted, newest first (operation
 * "list_webhook_endpoints"). @p params may be NULL.
 * @param out receives a page of borrowed objects (see fake/common.h); empty on failure.
 * @return 0; FAKE_EINVAL; FAKE_ENOTFOUND (unknown cursor).
 */
FAKE_EXTERN int fake_webhook_endpoint_list(fake_list *out, fake_processor *p,
					   const fake_webhook_endpoint_list_params *params,
					   const fake_request *request);

/**
 * @name Accessors
 * Each returns NULL / 0 / false for NULL. Strings are borrowed: valid until the processor is reset,
 * loaded or freed, showing the object's current state.
 * @{
 */
FAKE_EXTERN const char *fake_webhook_endpoint_id(const fake_webhook_endpoint *we);
FAKE_EXTERN int64_t fake_webhook_endpoint_created(const fake_webhook_endpoint *we);
FAKE_EXTERN const char *fake_webhook_endpoint_url(const fake_webhook_endpoint *we);
/** The signing secret, "whsec_..." (Stripe returns it only on create; libfake always). */
FAKE_EXTERN const char *fake_webhook_endpoint_secret(const fake_webhook_endpoint *we);
FAKE_EXTERN size_t fake_webhook_endpoint_enabled_event_count(const fake_webhook_endpoint *we);
FAKE_EXTERN const char *fake_webhook_endpoint_enabled_event(const fake_webhook_endpoint *we, size_t i);
/** "enabled" or "disabled". Static. */
FAKE_EXTERN const char *fake_webhook_endpoint_status(const fake_webhook_endpoint *we);
FAKE_EXTERN const char *fake_webhook_endpoint_description(const fake_webhook_endpoint *we);
FAKE_EXTERN bool fake_webhook_endpoint_deleted(const fake_webhook_endpoint *we);
/** Deliveries made to it, and how many of them failed (each attempt counts). */
FAKE_EXTERN uint64_t fake_webhook_endpoint_attempts(const fake_webhook_endpoint *we);
FAKE_EXTERN uint64_t fake_webhook_endpoint_failures(const fake_webhook_endpoint *we);
/** @} */

#ifdef __cplusplus
}
#endif

#endif
