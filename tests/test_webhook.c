/*
 * Webhook signatures: libfake signs as Stripe does (checked against the
 * official Stripe Python SDK) and verifies with Stripe's rules.
 */
#include "helpers.h"

#include <sys/wait.h>

#define SECRET "whsec_fake_test_secret"
#define T0 INT64_C(1767225600)

static const char payload[] = "{\"id\":\"evt_fake_00001\",\"object\":\"event\",\"type\":\"customer.created\"}";

static void sign(char header[FAKE_WEBHOOK_HEADER_MAX], const char *secret, int64_t t, const char *body)
{
	assert_int_equal(fake_webhook_sign(header, FAKE_WEBHOOK_HEADER_MAX, NULL, secret, t, body, strlen(body)), 0);
}

static int verify(fake_processor *p, const char *body, const char *header, int64_t now)
{
	return fake_webhook_verify(p, body, strlen(body), header, SECRET, now, FAKE_WEBHOOK_TOLERANCE_DEFAULT);
}

static void test_webhook_sign_shape(void **state)
{
	(void)state;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	sign(header, SECRET, T0, payload);
	assert_int_equal(strncmp(header, "t=1767225600,v1=", 16), 0);
	assert_int_equal(strlen(header), 16 + 64);
	for (const char *c = header + 16; *c; c++)
		assert_true((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'));
	/* the same input signs the same way; another secret, time or payload does not */
	char again[FAKE_WEBHOOK_HEADER_MAX], other[FAKE_WEBHOOK_HEADER_MAX];
	sign(again, SECRET, T0, payload);
	assert_string_equal(header, again);
	sign(other, "whsec_other", T0, payload);
	assert_string_not_equal(header + 16, other + 16);
	sign(other, SECRET, T0 + 1, payload);
	assert_string_not_equal(header + 16, other + 16);
	sign(other, SECRET, T0, "{}");
	assert_string_not_equal(header + 16, other + 16);
}

/* The expected value was computed independently, with Python's hmac module:
 * hmac.new(b"whsec_test", b'1767225600.{"id":"evt_fake_00001","object":"event"}',
 * hashlib.sha256).hexdigest() */
static void test_webhook_sign_known_vector(void **state)
{
	(void)state;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	sign(header, "whsec_test", T0, "{\"id\":\"evt_fake_00001\",\"object\":\"event\"}");
	assert_string_equal(header, "t=1767225600,v1=2c314e1c319211485b159088a1c86fe9ebd21783ab102e76b8887c457f454c96");
}

static void test_webhook_verify_accepts_own_signature(void **state)
{
	fake_processor *p = *state;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	sign(header, SECRET, T0, payload);
	check_ok(p, verify(p, payload, header, T0));
	check_ok(p, verify(p, payload, header, T0 + FAKE_WEBHOOK_TOLERANCE_DEFAULT));
	/* only old timestamps are rejected: a clock behind the signer is fine */
	check_ok(p, verify(p, payload, header, T0 - 3600));
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_webhook_verify_rejects_old_timestamp(void **state)
{
	fake_processor *p = *state;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	sign(header, SECRET, T0, payload);
	check_fails(p, verify(p, payload, header, T0 + FAKE_WEBHOOK_TOLERANCE_DEFAULT + 1), FAKE_ESIGNATURE,
		    "timestamp_outside_tolerance", "Stripe-Signature");
	assert_string_equal(fake_error_last(p)->type, "signature_verification_error");
	assert_int_equal(fake_error_last(p)->http_status, 400);
	/* tolerance 0 turns the check off */
	check_ok(p, fake_webhook_verify(p, payload, strlen(payload), header, SECRET, T0 + 86400, 0));
}

static void test_webhook_verify_rejects_tampering(void **state)
{
	fake_processor *p = *state;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	sign(header, SECRET, T0, payload);
	char tampered[sizeof(payload)];
	memcpy(tampered, payload, sizeof(payload));
	tampered[20] = '2';
	check_fails(p, verify(p, tampered, header, T0), FAKE_ESIGNATURE, "signature_mismatch", "Stripe-Signature");
	check_fails(p, fake_webhook_verify(p, payload, strlen(payload), header, "whsec_wrong", T0, 300), FAKE_ESIGNATURE,
		    "signature_mismatch", NULL);
	/* a signature for another timestamp does not verify with this one */
	char moved[FAKE_WEBHOOK_HEADER_MAX];
	snprintf(moved, sizeof(moved), "t=%lld,%s", (long long)(T0 + 1), strchr(header, ',') + 1);
	check_fails(p, verify(p, payload, moved, T0), FAKE_ESIGNATURE, "signature_mismatch", NULL);
}

static void test_webhook_verify_rotation_and_other_schemes(void **state)
{
	fake_processor *p = *state;
	char good[FAKE_WEBHOOK_HEADER_MAX], old[FAKE_WEBHOOK_HEADER_MAX], header[512];
	sign(good, SECRET, T0, payload);
	sign(old, "whsec_previous", T0, payload);
	/* secret rotation: Stripe sends one v1 per active secret; any match passes */
	snprintf(header, sizeof(header), "t=%lld,v1=%s,%s,v0=deadbeef", (long long)T0, strstr(old, "v1=") + 3,
		 strstr(good, "v1="));
	check_ok(p, verify(p, payload, header, T0));
	/* v0 (or any other scheme) alone is not enough */
	snprintf(header, sizeof(header), "t=%lld,v0=%s", (long long)T0, strstr(good, "v1=") + 3);
	check_fails(p, verify(p, payload, header, T0), FAKE_ESIGNATURE, "no_v1_signature", "Stripe-Signature");
}

static void test_webhook_verify_bad_headers(void **state)
{
	fake_processor *p = *state;
	char good[FAKE_WEBHOOK_HEADER_MAX];
	sign(good, SECRET, T0, payload);
	static const struct {
		const char *header;
		const char *code;
	} cases[] = {
		{ "", "missing_header" },
		{ "v1=abc", "malformed_header" },
		{ "t=,v1=abc", "malformed_header" },
		{ "t=abc,v1=abc", "malformed_header" },
		{ "t=-5,v1=abc", "malformed_header" },
		{ "garbage", "malformed_header" },
		{ "t=1767225600", "no_v1_signature" },
		{ "t=1767225600,v2=abc", "no_v1_signature" },
		{ "t=1767225600,v1=", "signature_mismatch" },
		{ "t=1767225600,v1=abc", "signature_mismatch" },
		{ "t=1767225600,v1=zz14e1c319211485b159088a1c86fe9ebd21783ab102e76b8887c457f454c96", "signature_mismatch" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# header '%s'\n", cases[i].header);
		check_fails(p, verify(p, payload, cases[i].header, T0), FAKE_ESIGNATURE, cases[i].code, NULL);
	}
	check_fails(p, verify(p, payload, NULL, T0), FAKE_ESIGNATURE, "missing_header", "Stripe-Signature");
}

static void test_webhook_bad_arguments(void **state)
{
	fake_processor *p = *state;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	size_t n = strlen(payload);
	check_fails(p, fake_webhook_sign(NULL, sizeof(header), p, SECRET, T0, payload, n), FAKE_EINVAL, NULL, "header");
	check_fails(p, fake_webhook_sign(header, sizeof(header), p, NULL, T0, payload, n), FAKE_EINVAL, NULL, "secret");
	check_fails(p, fake_webhook_sign(header, sizeof(header), p, "", T0, payload, n), FAKE_EINVAL, NULL, "secret");
	check_fails(p, fake_webhook_sign(header, sizeof(header), p, SECRET, -1, payload, n), FAKE_EINVAL, NULL, "timestamp");
	check_fails(p, fake_webhook_sign(header, sizeof(header), p, SECRET, T0, NULL, 0), FAKE_EINVAL, NULL, "payload");
	check_fails(p, fake_webhook_sign(header, 20, p, SECRET, T0, payload, n), FAKE_EINVAL, NULL, "size");
	assert_string_equal(header, "");
	/* without a processor only the status tells */
	assert_int_equal(fake_webhook_sign(header, sizeof(header), NULL, NULL, T0, payload, n), FAKE_EINVAL);
	sign(header, SECRET, T0, payload);
	check_fails(p, fake_webhook_verify(p, NULL, 0, header, SECRET, T0, 300), FAKE_EINVAL, NULL, "payload");
	check_fails(p, fake_webhook_verify(p, payload, n, header, NULL, T0, 300), FAKE_EINVAL, NULL, "secret");
	check_fails(p, fake_webhook_verify(p, payload, n, header, "", T0, 300), FAKE_EINVAL, NULL, "secret");
	assert_int_equal(fake_webhook_verify(NULL, payload, n, "", SECRET, T0, 300), FAKE_ESIGNATURE);
	/* nothing of this touched the processor's state */
	assert_int_equal(fake_event_count(p), 0);
	assert_int_equal(fake_clock_now(p), T0);
}

/* The official Stripe Python SDK must accept libfake's signature and reject
 * a tampered payload. */
static int sdk_accepts(const char *body, const char *header, const char *secret)
{
	FILE *f = fopen("webhook_sdk_input.txt", "w");
	assert_non_null(f);
	fprintf(f, "%s\n%s\n", body, header);
	fclose(f);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s webhook_sdk_input.txt %s", WEBHOOK_SDK_PY, secret);
	int rc = system(cmd);
	assert_true(rc != -1 && WIFEXITED(rc));
	assert_int_not_equal(WEXITSTATUS(rc), 2); /* the check itself must work */
	return WEXITSTATUS(rc) == 0;
}

static void test_webhook_official_sdk_accepts_signature(void **state)
{
	(void)state;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	sign(header, SECRET, T0, payload);
	assert_true(sdk_accepts(payload, header, SECRET));
	char tampered[sizeof(payload)];
	memcpy(tampered, payload, sizeof(payload));
	tampered[20] = '2';
	assert_false(sdk_accepts(tampered, header, SECRET));
	assert_false(sdk_accepts(payload, header, "whsec_wrong"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_webhook_sign_shape),
		T(test_webhook_sign_known_vector),
		T(test_webhook_verify_accepts_own_signature),
		T(test_webhook_verify_rejects_old_timestamp),
		T(test_webhook_verify_rejects_tampering),
		T(test_webhook_verify_rotation_and_other_schemes),
		T(test_webhook_verify_bad_headers),
		T(test_webhook_bad_arguments),
		T(test_webhook_official_sdk_accepts_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
