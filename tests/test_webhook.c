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


/* ---- endpoints and delivery ------------------------------------------------ */

typedef struct recorder {
	int fail_first;          /* fail this many deliveries, then succeed; -1: always fail */
	size_t count;
	char types[64][48];
	unsigned int attempts[64];
	int64_t times[64];
	char payload[4096];      /* the last payload */
	char signature[FAKE_WEBHOOK_HEADER_MAX];
	int verified;            /* every delivery verified against the endpoint's secret */
	const char *secret;
	bool create_customer;    /* the handler itself makes a call */
} recorder;

static int record_delivery(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	recorder *r = user_data;
	if (r->count < 64) {
		snprintf(r->types[r->count], sizeof(r->types[0]), "%s", fake_event_type(d->event));
		r->attempts[r->count] = d->attempt;
		r->times[r->count] = fake_clock_now(p);
	}
	r->count++;
	snprintf(r->payload, sizeof(r->payload), "%.*s", (int)d->payload_len, d->payload);
	snprintf(r->signature, sizeof(r->signature), "%s", d->signature);
	if (r->secret && fake_webhook_verify(NULL, d->payload, d->payload_len, d->signature, r->secret, fake_clock_now(p),
					     FAKE_WEBHOOK_TOLERANCE_DEFAULT) != 0)
		r->verified = 0;
	if (r->create_customer) {
		r->create_customer = false;
		const fake_customer *c = NULL;
		if (fake_customer_create(&c, p, NULL, NULL) != 0)
			return 1;
	}
	if (r->fail_first < 0)
		return 1;
	if (r->fail_first > 0) {
		r->fail_first--;
		return 1;
	}
	return 0;
}

static const fake_webhook_endpoint *endpoint_new(fake_processor *p, recorder *r, const char *const *events, size_t n)
{
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wp.url = "https://example.com/stripe/webhook";
	wp.enabled_events = events;
	wp.enabled_event_count = n;
	wp.handler = record_delivery;
	wp.user_data = r;
	const fake_webhook_endpoint *we = NULL;
	check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));
	r->secret = fake_webhook_endpoint_secret(we);
	r->verified = 1;
	return we;
}

static const fake_event *newest_event(fake_processor *p)
{
	fake_list page;
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.page.limit = 1;
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	return page.data[0];
}

static void test_webhook_endpoint_create(void **state)
{
	fake_processor *p = *state;
	recorder r = { 0 };
	static const char *const all[] = { "*" };
	const fake_webhook_endpoint *we = endpoint_new(p, &r, all, 1);
	assert_string_equal(fake_webhook_endpoint_id(we), "we_fake_00001");
	assert_string_equal(fake_webhook_endpoint_url(we), "https://example.com/stripe/webhook");
	assert_string_equal(fake_webhook_endpoint_status(we), "enabled");
	assert_int_equal(fake_webhook_endpoint_enabled_event_count(we), 1);
	assert_string_equal(fake_webhook_endpoint_enabled_event(we, 0), "*");
	assert_null(fake_webhook_endpoint_enabled_event(we, 1));
	const char *secret = fake_webhook_endpoint_secret(we);
	assert_int_equal(strncmp(secret, "whsec_", 6), 0);
	assert_int_equal(strlen(secret), 6 + 32);
	/* deterministic: another processor gives its first endpoint the same secret */
	fake_processor *q = NULL;
	assert_int_equal(fake_processor_new(&q, NULL), 0);
	recorder r2 = { 0 };
	const fake_webhook_endpoint *we2 = endpoint_new(q, &r2, all, 1);
	assert_string_equal(fake_webhook_endpoint_secret(we2), secret);
	fake_processor_free(q);
	/* creating an endpoint is not an event */
	assert_int_equal(fake_event_count(p), 0);
	const fake_webhook_endpoint *got = NULL;
	check_ok(p, fake_webhook_endpoint_retrieve(&got, p, "we_fake_00001", NULL));
	assert_ptr_equal(got, we);
	check_fails(p, fake_webhook_endpoint_retrieve(&got, p, "we_fake_00042", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_string_equal(fake_error_last(p)->message, "No such webhook endpoint: 'we_fake_00042'");
}

static void test_webhook_delivery_signed_payload(void **state)
{
	fake_processor *p = *state;
	recorder r = { 0 };
	static const char *const all[] = { "*" };
	endpoint_new(p, &r, all, 1);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(r.count, 1);
	assert_string_equal(r.types[0], "customer.created");
	assert_int_equal(r.attempts[0], 1);
	assert_true(r.verified);
	assert_non_null(strstr(r.payload, "\"id\":\"evt_fake_00001\""));
	assert_non_null(strstr(r.payload, "\"type\":\"customer.created\""));
	assert_non_null(strstr(r.payload, "\"cus_fake_00001\""));
	char t[32];
	snprintf(t, sizeof(t), "t=%lld,", (long long)fake_clock_now(p));
	assert_int_equal(strncmp(r.signature, t, strlen(t)), 0);
	assert_int_equal(fake_event_pending_webhooks(newest_event(p)), 0);
	/* the official SDK accepts what the handler received */
	assert_true(sdk_accepts(r.payload, r.signature, r.secret));
}

static void test_webhook_delivery_filters_and_order(void **state)
{
	fake_processor *p = *state;
	recorder only = { 0 }, all_r = { 0 };
	static const char *const attached[] = { "payment_method.attached" };
	static const char *const all[] = { "*" };
	const fake_webhook_endpoint *a = endpoint_new(p, &only, attached, 1);
	endpoint_new(p, &all_r, all, 1);
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_card_visa";
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_int_equal(only.count, 1);
	assert_string_equal(only.types[0], "payment_method.attached");
	assert_int_equal(all_r.count, 2);
	assert_string_equal(all_r.types[0], "customer.created");
	assert_string_equal(all_r.types[1], "payment_method.attached");
	assert_int_equal(fake_webhook_endpoint_attempts(a), 1);
	assert_int_equal(fake_webhook_endpoint_failures(a), 0);
}

static void test_webhook_handler_calls_back(void **state)
{
	fake_processor *p = *state;
	recorder r = { 0 };
	static const char *const created[] = { "customer.created" };
	endpoint_new(p, &r, created, 1);
	r.create_customer = true;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	/* the handler's own customer.created comes after, not nested */
	assert_int_equal(r.count, 2);
	assert_int_equal(fake_event_count(p), 2);
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void test_webhook_failed_delivery_is_retried(void **state)
{
	fake_processor *p = *state;
	recorder r = { 0 };
	static const char *const all[] = { "*" };
	const fake_webhook_endpoint *we = endpoint_new(p, &r, all, 1);
	r.fail_first = 2;
	int64_t t0 = fake_clock_now(p);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	const fake_event *e = newest_event(p);
	assert_int_equal(r.count, 1);
	assert_int_equal(fake_event_pending_webhooks(e), 1);
	assert_int_equal(fake_clock_pending(p), 1);
	check_ok(p, fake_clock_advance(p, 299));
	assert_int_equal(r.count, 1);
	check_ok(p, fake_clock_advance(p, 1));
	assert_int_equal(r.count, 2);
	assert_int_equal(r.attempts[1], 2);
	assert_int_equal(r.times[1], t0 + 300);
	assert_int_equal(fake_event_pending_webhooks(e), 1);
	check_ok(p, fake_clock_advance(p, 1800));
	assert_int_equal(r.count, 3);
	assert_int_equal(r.attempts[2], 3);
	assert_int_equal(r.times[2], t0 + 2100);
	assert_true(r.verified); /* each retry is signed with its own time */
	assert_int_equal(fake_event_pending_webhooks(e), 0);
	assert_int_equal(fake_clock_pending(p), 0);
	assert_int_equal(fake_webhook_endpoint_attempts(we), 3);
	assert_int_equal(fake_webhook_endpoint_failures(we), 2);
}

static void test_webhook_retries_stop_after_three_days(void **state)
{
	fake_processor *p = *state;
	recorder r = { 0 };
	static const char *const all[] = { "*" };
	endpoint_new(p, &r, all, 1);
	r.fail_first = -1;
	int64_t t0 = fake_clock_now(p);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	const fake_event *e = newest_event(p);
	check_ok(p, fake_clock_advance(p, 10 * 86400));
	/* 0, +5 min, +35 min, +2 h 35, +7 h 35, then every 10 h while within 72 h */
	static const int64_t expected[] = { 0, 300, 2100, 9300, 27300, 63300, 99300, 135300, 171300, 207300, 243300 };
	assert_int_equal(r.count, sizeof(expected) / sizeof(expected[0]));
	for (size_t i = 0; i < r.count; i++) {
		assert_int_equal(r.times[i], t0 + expected[i]);
		assert_int_equal(r.attempts[i], i + 1);
	}
	assert_int_equal(fake_event_pending_webhooks(e), 0); /* given up */
	assert_int_equal(fake_clock_pending(p), 0);
}

static void test_webhook_disabled_and_deleted_endpoints(void **state)
{
	fake_processor *p = *state;
	recorder r = { 0 };
	static const char *const all[] = { "*" };
	const fake_webhook_endpoint *we = endpoint_new(p, &r, all, 1);
	r.fail_first = 1;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	const fake_event *e = newest_event(p);
	assert_int_equal(fake_event_pending_webhooks(e), 1);
	check_ok(p, fake_webhook_endpoint_set_disabled(&we, p, "we_fake_00001", true, NULL));
	assert_string_equal(fake_webhook_endpoint_status(we), "disabled");
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(r.count, 1); /* nothing for a disabled endpoint */
	check_ok(p, fake_clock_advance(p, 3600));
	assert_int_equal(r.count, 1); /* its retry was dropped when due */
	assert_int_equal(fake_event_pending_webhooks(e), 0);
	check_ok(p, fake_webhook_endpoint_set_disabled(&we, p, "we_fake_00001", false, NULL));
	check_ok(p, fake_webhook_endpoint_delete(&we, p, "we_fake_00001", NULL));
	assert_true(fake_webhook_endpoint_deleted(we));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(r.count, 1);
	fake_list page;
	check_ok(p, fake_webhook_endpoint_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 0);
	check_fails(p, fake_webhook_endpoint_delete(&we, p, "we_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
}

static void test_webhook_endpoint_bad_input(void **state)
{
	fake_processor *p = *state;
	recorder r = { 0 };
	static const char *const all[] = { "*" };
	static const char *const bad[] = { "customer" };
	static const char *const empty[] = { "" };
	const fake_webhook_endpoint *we = NULL;
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wp.url = "https://example.com/hook";
	wp.enabled_events = all;
	wp.enabled_event_count = 1;
	wp.handler = record_delivery;
	wp.user_data = &r;

	fake_webhook_endpoint_create_params x = wp;
	x.url = NULL;
	check_fails(p, fake_webhook_endpoint_create(&we, p, &x, NULL), FAKE_EINVAL, "parameter_missing", "url");
	x = wp;
	x.handler = NULL;
	check_fails(p, fake_webhook_endpoint_create(&we, p, &x, NULL), FAKE_EINVAL, "parameter_missing", "handler");
	x = wp;
	x.enabled_event_count = 0;
	check_fails(p, fake_webhook_endpoint_create(&we, p, &x, NULL), FAKE_EINVAL, "parameter_missing", "enabled_events");
	x = wp;
	x.enabled_events = bad;
	check_fails(p, fake_webhook_endpoint_create(&we, p, &x, NULL), FAKE_EINVAL, "", "enabled_events");
	x = wp;
	x.enabled_events = empty;
	check_fails(p, fake_webhook_endpoint_create(&we, p, &x, NULL), FAKE_EINVAL, "", "enabled_events");
	x = wp;
	x.version = 0;
	check_fails(p, fake_webhook_endpoint_create(&we, p, &x, NULL), FAKE_EINVAL, NULL, "version");
	assert_null(we);
	/* nothing was created: the next endpoint is the first */
	check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));
	assert_string_equal(fake_webhook_endpoint_id(we), "we_fake_00001");
}

/* Every failing allocation N while creating an endpoint: FAKE_ENOMEM,
 * nothing created, nothing leaked. */
static void test_webhook_endpoint_create_out_of_memory(void **state)
{
	(void)state;
	static const char *const all[] = { "*", "customer.created" };
	unsigned long failures = 0;
	for (unsigned long n = 1;; n++) {
		test_alloc a = { 0, 0, 0 };
		fake_processor_options o = test_alloc_options(&a);
		o.block_size = 256;
		fake_processor *p = NULL;
		assert_int_equal(fake_processor_new(&p, &o), 0);
		a.fail_at = a.calls + n;
		recorder r = { 0 };
		fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
		wp.url = "https://example.com/a/rather/long/url/so/that/it/needs/its/own/block/of/memory/to/fit";
		wp.enabled_events = all;
		wp.enabled_event_count = 2;
		wp.handler = record_delivery;
		wp.user_data = &r;
		const fake_webhook_endpoint *we = NULL;
		int rc = fake_webhook_endpoint_create(&we, p, &wp, NULL);
		a.fail_at = 0;
		if (rc == 0) {
			assert_string_equal(fake_webhook_endpoint_id(we), "we_fake_00001");
			fake_processor_free(p);
			assert_int_equal(a.live, 0);
			break;
		}
		failures++;
		assert_int_equal(rc, FAKE_ENOMEM);
		assert_null(we);
		fake_list page;
		check_ok(p, fake_webhook_endpoint_list(&page, p, NULL, NULL));
		assert_int_equal(page.count, 0);
		check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));
		assert_string_equal(fake_webhook_endpoint_id(we), "we_fake_00001");
		fake_processor_free(p);
		assert_int_equal(a.live, 0);
	}
	assert_true(failures > 0);
}

/* ---- review fixes -------------------------------------------------------------- */

static const fake_webhook_endpoint *other_endpoint; /* set by the tests below */
static int disable_other(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	(void)d;
	const fake_webhook_endpoint *we = NULL;
	int how = *(int *)user_data;
	if (how == 0)
		return fake_webhook_endpoint_delete(&we, p, fake_webhook_endpoint_id(other_endpoint), NULL) ? 1 : 0;
	return fake_webhook_endpoint_set_disabled(&we, p, fake_webhook_endpoint_id(other_endpoint), how == 1, NULL) ? 1 : 0;
}

/* A handler that deletes, disables or enables another endpoint never
 * unbalances pending_webhooks. */
static void test_webhook_pending_balanced_when_handlers_change_endpoints(void **state)
{
	(void)state;
	static const char *const all[] = { "*" };
	for (int how = 0; how < 3; how++) {
		fake_processor *p = NULL;
		assert_int_equal(fake_processor_new(&p, NULL), 0);
		fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
		wp.url = "https://example.com/a";
		wp.enabled_events = all;
		wp.enabled_event_count = 1;
		wp.handler = disable_other;
		wp.user_data = &how;
		const fake_webhook_endpoint *a = NULL;
		check_ok(p, fake_webhook_endpoint_create(&a, p, &wp, NULL));
		recorder r = { 0 };
		r.fail_first = -1; /* B fails, so it would be retried */
		other_endpoint = endpoint_new(p, &r, all, 1);
		if (how == 2)
			check_ok(p, fake_webhook_endpoint_set_disabled(&other_endpoint, p, "we_fake_00002", true, NULL));
		const fake_customer *c = NULL;
		check_ok(p, fake_customer_create(&c, p, NULL, NULL));
		check_ok(p, fake_clock_advance(p, 5 * 86400));
		assert_int_equal(fake_event_pending_webhooks(newest_event(p)), 0);
		assert_int_equal(fake_clock_pending(p), 0);
		fake_processor_free(p);
	}
}

static int create_in_retry(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	recorder *r = user_data;
	r->attempts[r->count < 64 ? r->count : 63] = d->attempt;
	snprintf(r->types[r->count < 64 ? r->count : 63], sizeof(r->types[0]), "%s", fake_event_type(d->event));
	r->count++;
	if (d->attempt == 1)
		return 1; /* fail the first delivery */
	if (d->attempt == 2 && strcmp(fake_event_type(d->event), "customer.created") == 0 && r->count == 2) {
		const fake_customer *c = NULL;
		if (fake_customer_create(&c, p, NULL, NULL) != 0)
			return 1;
		/* not delivered into this handler: nothing new recorded yet */
		return r->count == 2 ? 0 : 1;
	}
	return 0;
}

/* Events a retried delivery's handler causes are delivered after it. */
static void test_webhook_retry_handler_calls_back(void **state)
{
	fake_processor *p = *state;
	static const char *const created[] = { "customer.created" };
	recorder r = { 0 };
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	wp.url = "https://example.com/a";
	wp.enabled_events = created;
	wp.enabled_event_count = 1;
	wp.handler = create_in_retry;
	wp.user_data = &r;
	const fake_webhook_endpoint *we = NULL;
	check_ok(p, fake_webhook_endpoint_create(&we, p, &wp, NULL));
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_int_equal(r.count, 1);
	check_ok(p, fake_clock_advance(p, 300));
	/* attempt 2 of evt 1 succeeded, then evt 2 (its customer) was delivered */
	assert_int_equal(r.count, 3);
	assert_int_equal(r.attempts[1], 2);
	assert_int_equal(r.attempts[2], 1);
	assert_int_equal(fake_event_count(p), 2);
}

static void test_webhook_verify_header_edge_cases(void **state)
{
	fake_processor *p = *state;
	char at200[FAKE_WEBHOOK_HEADER_MAX], header[256];
	sign(at200, SECRET, 200, payload);
	/* the first t is the timestamp, as in Stripe's SDK */
	snprintf(header, sizeof(header), "t=100,%s", at200);
	check_fails(p, verify(p, payload, header, 200), FAKE_ESIGNATURE, "signature_mismatch", NULL);
	snprintf(header, sizeof(header), "%s,t=100", at200);
	check_ok(p, verify(p, payload, header, 200));
	/* a first t that does not fit, or is not a number, is malformed */
	snprintf(header, sizeof(header), "t=99999999999999999999,%s", strchr(at200, ',') + 1);
	check_fails(p, verify(p, payload, header, 200), FAKE_ESIGNATURE, "malformed_header", NULL);
	snprintf(header, sizeof(header), "t=2x0,%s", at200);
	check_fails(p, verify(p, payload, header, 200), FAKE_ESIGNATURE, "malformed_header", NULL);
	/* extreme clocks do not overflow the tolerance check */
	check_ok(p, fake_webhook_verify(p, payload, strlen(payload), at200, SECRET, INT64_MIN, 300));
	check_fails(p, fake_webhook_verify(p, payload, strlen(payload), at200, SECRET, INT64_MAX, 300), FAKE_ESIGNATURE,
		    "timestamp_outside_tolerance", NULL);
}

static void test_webhook_enabled_events_wildcards(void **state)
{
	fake_processor *p = *state;
	static const char *const partial[] = { "customer.*" };
	fake_webhook_endpoint_create_params wp = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	recorder r = { 0 };
	wp.url = "https://example.com/a";
	wp.enabled_events = partial;
	wp.enabled_event_count = 1;
	wp.handler = record_delivery;
	wp.user_data = &r;
	const fake_webhook_endpoint *we = NULL;
	/* Stripe's enabled_events takes "*" or exact types only */
	check_fails(p, fake_webhook_endpoint_create(&we, p, &wp, NULL), FAKE_EINVAL, "", "enabled_events");
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
		T(test_webhook_endpoint_create),
		T(test_webhook_delivery_signed_payload),
		T(test_webhook_delivery_filters_and_order),
		T(test_webhook_handler_calls_back),
		T(test_webhook_failed_delivery_is_retried),
		T(test_webhook_retries_stop_after_three_days),
		T(test_webhook_disabled_and_deleted_endpoints),
		T(test_webhook_endpoint_bad_input),
		T(test_webhook_endpoint_create_out_of_memory),
		T(test_webhook_pending_balanced_when_handlers_change_endpoints),
		T(test_webhook_retry_handler_calls_back),
		T(test_webhook_verify_header_edge_cases),
		T(test_webhook_enabled_events_wildcards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
