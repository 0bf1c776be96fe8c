/*
 * Webhook signatures (fake/webhook.h): Stripe's `Stripe-Signature` scheme,
 * with HMAC-SHA256 from OpenSSL's libcrypto. docs/webhooks.md shows a
 * handler verifying a payload.
 */
#include "private.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define SIG_HEX 64 /* hex digits of an HMAC-SHA256 */

static int fail(fake_processor *p, int status, const char *code, const char *param, const char *message)
{
	if (p)
		fake__error_set(p, status, code, param, "%s", message);
	return status;
}

/* Writes hex(HMAC-SHA256(secret, "<t>.<payload>")) and its NUL into hex.
 * libcrypto allocates with its own allocator while it computes. */
static bool signature(char hex[SIG_HEX + 1], const char *secret, int64_t timestamp, const char *payload,
		      size_t payload_len)
{
	char prefix[24];
	int n = snprintf(prefix, sizeof(prefix), "%lld.", (long long)timestamp);
	char digest[] = "SHA256";
	OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
				OSSL_PARAM_construct_end() };
	unsigned char out[EVP_MAX_MD_SIZE];
	size_t out_len = 0;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	bool ok = ctx && EVP_MAC_init(ctx, (const unsigned char *)secret, strlen(secret), params) &&
		  EVP_MAC_update(ctx, (const unsigned char *)prefix, (size_t)n) &&
		  EVP_MAC_update(ctx, (const unsigned char *)payload, payload_len) &&
		  EVP_MAC_final(ctx, out, &out_len, sizeof(out)) && out_len * 2 == SIG_HEX;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	for (size_t i = 0; ok && i < out_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	return ok;
}

int fake_webhook_sign(char *header, size_t size, fake_processor *p, const char *secret, int64_t timestamp,
		      const char *payload, size_t payload_len)
{
	if (!header || !secret || !payload)
		return fail(p, FAKE_EINVAL, "parameter_missing", !header ? "header" : !secret ? "secret" : "payload",
			    "Missing required argument: header, secret and payload must not be NULL.");
	if (!secret[0])
		return fail(p, FAKE_EINVAL, "parameter_invalid_empty", "secret", "Invalid secret: it is empty.");
	if (timestamp < 0)
		return fail(p, FAKE_EINVAL, "", "timestamp", "Invalid timestamp: it is negative.");
	char hex[SIG_HEX + 1];
	if (!signature(hex, secret, timestamp, payload, payload_len))
		return fail(p, FAKE_EAPI, "", "", "libcrypto could not compute the HMAC-SHA256.");
	int n = snprintf(header, size, "t=%lld,v1=%s", (long long)timestamp, hex);
	if (n < 0 || (size_t)n >= size) {
		if (size)
			header[0] = '\0';
		return fail(p, FAKE_EINVAL, "", "size", "Invalid size: the header needs more room (FAKE_WEBHOOK_HEADER_MAX).");
	}
	if (p)
		fake__error_clear(p);
	return 0;
}

/* The next comma-separated "key=value" item of a header, or false. */
static bool next_item(const char **cursor, const char **key, size_t *key_len, const char **value, size_t *value_len)
{
	const char *s = *cursor;
	if (!*s)
		return false;
	const char *end = strchr(s, ',');
	if (!end)
		end = s + strlen(s);
	const char *eq = memchr(s, '=', (size_t)(end - s));
	*key = s;
	*key_len = eq ? (size_t)(eq - s) : (size_t)(end - s);
	*value = eq ? eq + 1 : end;
	*value_len = eq ? (size_t)(end - eq - 1) : 0;
	*cursor = *end ? end + 1 : end;
	return true;
}

int fake_webhook_verify(fake_processor *p, const char *payload, size_t payload_len, const char *header,
			const char *secret, int64_t now, int64_t tolerance)
{
	if (!payload || !secret)
		return fail(p, FAKE_EINVAL, "parameter_missing", !payload ? "payload" : "secret",
			    "Missing required argument: payload and secret must not be NULL.");
	if (!secret[0])
		return fail(p, FAKE_EINVAL, "parameter_invalid_empty", "secret", "Invalid secret: it is empty.");
	if (!header || !header[0])
		return fail(p, FAKE_ESIGNATURE, "missing_header", "Stripe-Signature",
			    "No Stripe-Signature header was given.");

	/* The rules of Stripe's SDKs: the first "t" is the timestamp (it must
	 * be a whole number that fits), every "v1" is a candidate, and other
	 * schemes are ignored. */
	const char *cursor = header, *key, *value;
	size_t key_len, value_len, v1_count = 0;
	int64_t timestamp = -1;
	bool seen_t = false;
	while (next_item(&cursor, &key, &key_len, &value, &value_len)) {
		if (key_len == 1 && key[0] == 't' && !seen_t) {
			seen_t = true;
			char digits[24];
			char *end = NULL;
			if (value_len == 0 || value_len >= sizeof(digits))
				continue;
			memcpy(digits, value, value_len);
			digits[value_len] = '\0';
			errno = 0;
			long long t = strtoll(digits, &end, 10);
			if (*end == '\0' && errno == 0 && t >= 0)
				timestamp = t;
		} else if (key_len == 2 && key[0] == 'v' && key[1] == '1') {
			v1_count++;
		}
	}
	if (timestamp < 0)
		return fail(p, FAKE_ESIGNATURE, "malformed_header", "Stripe-Signature",
			    "Unable to extract timestamp and signatures from header.");
	if (!v1_count)
		return fail(p, FAKE_ESIGNATURE, "no_v1_signature", "Stripe-Signature",
			    "No signatures found with expected scheme v1.");

	char expected[SIG_HEX + 1];
	if (!signature(expected, secret, timestamp, payload, payload_len))
		return fail(p, FAKE_EAPI, "", "", "libcrypto could not compute the HMAC-SHA256.");
	bool match = false;
	cursor = header;
	while (next_item(&cursor, &key, &key_len, &value, &value_len))
		if (key_len == 2 && key[0] == 'v' && key[1] == '1' && value_len == SIG_HEX &&
		    CRYPTO_memcmp(value, expected, SIG_HEX) == 0)
			match = true;
	if (!match)
		return fail(p, FAKE_ESIGNATURE, "signature_mismatch", "Stripe-Signature",
			    "No signatures found matching the expected signature for payload.");
	if (tolerance > 0 && timestamp < now && now - timestamp > tolerance)
		return fail(p, FAKE_ESIGNATURE, "timestamp_outside_tolerance", "Stripe-Signature",
			    "Timestamp outside the tolerance zone.");
	if (p)
		fake__error_clear(p);
	return 0;
}
