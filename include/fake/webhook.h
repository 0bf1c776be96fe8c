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

#ifdef __cplusplus
}
#endif

#endif
