/**
 * @file fake/common.h
 * @brief Types shared by every part of libfake: the processor handle,
 *        status codes, the Stripe-shaped error record, request options,
 *        metadata and objects in general.
 *
 * Ownership rule used throughout libfake: a `const fake_x *` returned by the
 * library is *borrowed*. It stays valid, at the same address, until the
 * processor is reset, loaded (fake_processor_load(), which replaces its
 * state) or freed (deleting an object does not free it: Stripe
 * keeps a tombstone, and so do we). Strings returned by accessors follow the
 * same rule. Nothing returned by libfake is ever freed by the caller unless
 * its function says so.
 *
 * Every operation (every function that takes a `const fake_request *`) can
 * also return whatever status a script or stub for it gives
 * (fake/control.h), and FAKE_ENOMEM when an allocation fails; either way
 * the processor is unchanged, except for a declined payment, which is
 * recorded as Stripe records it (fake/payment_intent.h).
 */
#ifndef FAKE_COMMON_H
#define FAKE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(FAKE_BUILDING_LIBRARY) && defined(__GNUC__)
#define FAKE_EXTERN __attribute__((visibility("default")))
#else
#define FAKE_EXTERN
#endif

/** Library version, as a string and as numbers. */
#define FAKE_VERSION_STRING "0.1.0"
#define FAKE_VERSION_MAJOR 0
#define FAKE_VERSION_MINOR 1
#define FAKE_VERSION_PATCH 0

/** The opaque processor instance. Everything hangs off one of these. */
typedef struct fake_processor fake_processor;

/**
 * Status codes. 0 is success; every failure is negative. The processor's
 * error record (fake_error_last()) carries the Stripe-shaped detail.
 */
typedef enum fake_status {
	FAKE_OK = 0,
	FAKE_EINVAL = -1,       /**< invalid_request_error, 400: bad or missing parameter */
	FAKE_ENOTFOUND = -2,    /**< invalid_request_error, 404: resource_missing */
	FAKE_ESTATE = -3,       /**< invalid_request_error, 400: not allowed in the object's state */
	FAKE_ECARD = -4,        /**< card_error, 402: the card was declined */
	FAKE_ERATELIMIT = -5,   /**< rate_limit_error, 429 */
	FAKE_EAPI = -6,         /**< api_error, 500 */
	FAKE_EIDEMPOTENCY = -7, /**< idempotency_error, 400 */
	FAKE_ELIMIT = -8,       /**< invalid_request_error, 400: a configured limit was reached */
	FAKE_ENOMEM = -9,       /**< api_error, 500: an allocation failed; nothing changed */
	FAKE_ESIGNATURE = -10,  /**< a webhook signature did not verify (fake_webhook_verify()) */
	FAKE_EIO = -11,         /**< api_error, 500: a file could not be read or written (snapshots) */
	FAKE_ETIMEOUT = -12,    /**< test_clock_timeout (no HTTP status): a test clock did not get ready in time */
	FAKE_ECLOCKFAILED = -13, /**< test_clock_failed (no HTTP status): a test clock is in internal_failure */
	FAKE_ITEROVER = 1       /**< not an error: an iterator has no more items */
} fake_status;

/** Lowest (most negative) status code; every code from this to 1 has a name. */
#define FAKE_STATUS_MIN FAKE_ECLOCKFAILED

/**
 * The name of a status code, such as "FAKE_EINVAL".
 * @return a static string; "FAKE_UNKNOWN" for a value that is not a status.
 */
FAKE_EXTERN const char *fake_status_name(int status);

/**
 * A one-line English description of a status code.
 * @return a static string; "unknown status" for a value that is not a status.
 */
FAKE_EXTERN const char *fake_strerror(int status);

/**
 * The Stripe-shaped error record. The processor keeps one, filled by the
 * last failed call (and cleared to status 0 by every call that starts).
 * Empty strings mean "not set" (Stripe's null).
 */
typedef struct fake_error {
	int status;            /**< the FAKE_E* code the call returned, 0 after success */
	int http_status;       /**< 400, 402, 404, 429 or 500; 0 after success */
	int64_t retry_after;   /**< seconds, for rate_limit_error; else 0 */
	char type[32];         /**< api_error, card_error, idempotency_error, invalid_request_error, rate_limit_error, test_clock_timeout, test_clock_failed */
	char code[64];         /**< resource_missing, card_declined, parameter_missing, ... */
	char decline_code[64]; /**< generic_decline, insufficient_funds, ... for card errors */
	char param[128];       /**< the parameter at fault, e.g. "metadata[plan]" */
	char message[512];     /**< one line, Stripe's wording where Stripe has one */
	char request_id[32];   /**< deterministic: "req_fake_" plus the request counter */
	char charge[64];       /**< for a declined payment: the failed charge's id (Stripe's error.charge) */
	char payment_intent[64]; /**< for a declined payment: the payment intent's id (Stripe's error.payment_intent) */
	char setup_intent[64]; /**< for a declined setup: the setup intent's id (Stripe's error.setup_intent) */
} fake_error;

/**
 * The processor's error record: the detail of the last call that failed, or
 * status 0 if the last call succeeded.
 *
 * The processor keeps two records and switches between them at each call
 * the application makes, so the record of the last call stays intact while
 * the next call runs: ids and params may be passed straight from it
 * (`fake_payment_intent_retrieve(&pi, p, fake_error_last(p)->payment_intent, NULL)`).
 * Call fake_error_last() after each call rather than keeping the pointer:
 * a pointer it returned describes its own call, and is reused by the call
 * after the next one.
 * @return a borrowed pointer into the processor, valid until it is freed;
 *         NULL if @p p is NULL.
 */
FAKE_EXTERN const fake_error *fake_error_last(const fake_processor *p);

/** Per-call request options (Stripe's RequestOptions). NULL means defaults. */
typedef struct fake_request {
	unsigned int version; /**< FAKE_REQUEST_VERSION */
	bool no_events;       /**< synthesize no events for this call (Accrue's synthesize_webhooks: false) */
} fake_request;

#define FAKE_REQUEST_VERSION 1
#define FAKE_REQUEST_INIT { FAKE_REQUEST_VERSION, false }

/** The longest id or id argument libfake accepts, in bytes. */
#define FAKE_ID_MAX 255

/** A metadata key/value pair given as a parameter. */
typedef struct fake_kv {
	const char *key;
	const char *value; /**< on update, "" deletes the key, as Stripe */
} fake_kv;

/** Stripe's metadata limits. */
#define FAKE_METADATA_MAX_KEYS 50
#define FAKE_METADATA_MAX_KEY_LEN 40
#define FAKE_METADATA_MAX_VALUE_LEN 500

/** An object's metadata, in the order its keys were first set. Opaque. */
typedef struct fake_metadata fake_metadata;

/** Number of keys; 0 for NULL. */
FAKE_EXTERN size_t fake_metadata_count(const fake_metadata *m);
/** The i-th key, or NULL when @p i is out of range. Borrowed (see file comment). */
FAKE_EXTERN const char *fake_metadata_key(const fake_metadata *m, size_t i);
/** The i-th value, or NULL when @p i is out of range. Borrowed. */
FAKE_EXTERN const char *fake_metadata_value(const fake_metadata *m, size_t i);
/** The value for @p key, or NULL when absent. Borrowed. */
FAKE_EXTERN const char *fake_metadata_get(const fake_metadata *m, const char *key);

/** What kind of object a `const void *` from a list or an event is. */
typedef enum fake_object_type {
	FAKE_OBJECT_CUSTOMER,
	FAKE_OBJECT_PAYMENT_METHOD,
	FAKE_OBJECT_EVENT,
	FAKE_OBJECT_PRODUCT,
	FAKE_OBJECT_PRICE,
	FAKE_OBJECT_PAYMENT_INTENT,
	FAKE_OBJECT_CHARGE,
	FAKE_OBJECT_REFUND,
	FAKE_OBJECT_BALANCE_TRANSACTION,
	FAKE_OBJECT_SETUP_INTENT,
	FAKE_OBJECT_WEBHOOK_ENDPOINT,
	FAKE_OBJECT_SUBSCRIPTION,
	FAKE_OBJECT_SUBSCRIPTION_ITEM,
	FAKE_OBJECT_USAGE_RECORD,
	FAKE_OBJECT_INVOICE,
	FAKE_OBJECT_INVOICE_LINE,
	FAKE_OBJECT_INVOICE_ITEM,
	FAKE_OBJECT_TEST_CLOCK,
	FAKE_OBJECT_TYPE_COUNT
} fake_object_type;

/**
 * The type of any object libfake returned (a customer, an event's object...).
 * @return the type, or FAKE_OBJECT_TYPE_COUNT for NULL.
 */
FAKE_EXTERN fake_object_type fake_object_type_of(const void *object);
/** Stripe's `object` string for any object ("customer", "payment_intent", "balance_transaction"...); NULL for NULL. Static. */
FAKE_EXTERN const char *fake_object_name(const void *object);
/** The id of any object; NULL for NULL and for an upcoming-invoice preview (fake_invoice_upcoming(), the object of an invoice.upcoming event). Borrowed. */
FAKE_EXTERN const char *fake_object_id(const void *object);
/** When any object was created (processor time, unix seconds); 0 for NULL. */
FAKE_EXTERN int64_t fake_object_created(const void *object);

#ifdef __cplusplus
}
#endif

#endif
