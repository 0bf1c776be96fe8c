/*
 * Status codes and the Stripe-shaped error record.
 *
 * Each status maps to one Stripe error type and HTTP status (docs/errors.md).
 * The record has fixed-size fields so that filling it never allocates: an
 * out-of-memory error can always be reported.
 */
#include "private.h"

#include <stdarg.h>
#include <stdio.h>

static const struct status_info {
	int status;
	const char *name;
	const char *text;
	const char *type;
	int http;
} statuses[] = {
	{ FAKE_OK, "FAKE_OK", "success", "", 0 },
	{ FAKE_EINVAL, "FAKE_EINVAL", "invalid argument", "invalid_request_error", 400 },
	{ FAKE_ENOTFOUND, "FAKE_ENOTFOUND", "no such object", "invalid_request_error", 404 },
	{ FAKE_ESTATE, "FAKE_ESTATE", "not allowed in the object's current state", "invalid_request_error", 400 },
	{ FAKE_ECARD, "FAKE_ECARD", "the card was declined", "card_error", 402 },
	{ FAKE_ERATELIMIT, "FAKE_ERATELIMIT", "too many requests", "rate_limit_error", 429 },
	{ FAKE_EAPI, "FAKE_EAPI", "processor error", "api_error", 500 },
	{ FAKE_EIDEMPOTENCY, "FAKE_EIDEMPOTENCY", "idempotency key reused with different parameters",
	  "idempotency_error", 400 },
	{ FAKE_ELIMIT, "FAKE_ELIMIT", "a limit was reached", "invalid_request_error", 400 },
	{ FAKE_ENOMEM, "FAKE_ENOMEM", "out of memory", "api_error", 500 },
	{ FAKE_ESIGNATURE, "FAKE_ESIGNATURE", "the webhook signature did not verify", "signature_verification_error",
	  400 },
	{ FAKE_EIO, "FAKE_EIO", "a file could not be read or written", "api_error", 500 },
	{ FAKE_ETIMEOUT, "FAKE_ETIMEOUT", "a test clock did not get ready in time", "test_clock_timeout", 0 },
	{ FAKE_ECLOCKFAILED, "FAKE_ECLOCKFAILED", "a test clock failed to advance", "test_clock_failed", 0 },
	{ FAKE_ITEROVER, "FAKE_ITEROVER", "no more items", "", 0 },
};

static const struct status_info *status_find(int status)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].status == status)
			return &statuses[i];
	return NULL;
}

const char *fake_status_name(int status)
{
	const struct status_info *s = status_find(status);
	return s ? s->name : "FAKE_UNKNOWN";
}

const char *fake_strerror(int status)
{
	const struct status_info *s = status_find(status);
	return s ? s->text : "unknown status";
}

const fake_error *fake_error_last(const fake_processor *p)
{
	return p ? p->error : NULL;
}

void fake__copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

const char *fake__pick(const char *given, const char *const *choices, size_t count)
{
	for (size_t i = 0; given && i < count; i++)
		if (strcmp(given, choices[i]) == 0)
			return choices[i];
	return NULL;
}

bool fake__same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

void fake__error_clear(fake_processor *p)
{
	fake__error_replace(p, NULL);
}

void fake__error_replace(fake_processor *p, const fake_error *e)
{
	if (!e && !p->error->status)
		return; /* already clear: every call starts here, keep it cheap */
	char request_id[sizeof(p->error->request_id)];
	memcpy(request_id, p->error->request_id, sizeof(request_id));
	if (e) {
		/* A record from a caller (a script, a stub) may lack terminators. */
		fake_error *r = p->error;
		*r = *e;
		r->type[sizeof(r->type) - 1] = r->code[sizeof(r->code) - 1] = '\0';
		r->decline_code[sizeof(r->decline_code) - 1] = r->param[sizeof(r->param) - 1] = '\0';
		r->message[sizeof(r->message) - 1] = r->charge[sizeof(r->charge) - 1] = '\0';
		r->payment_intent[sizeof(r->payment_intent) - 1] = '\0';
		r->setup_intent[sizeof(r->setup_intent) - 1] = '\0';
		fake__error_defaults(r, e->status);
	} else {
		memset(p->error, 0, sizeof(*p->error));
	}
	memcpy(p->error->request_id, request_id, sizeof(request_id));
}

void fake__error_defaults(fake_error *e, int status)
{
	/* An unknown or non-negative status is reported as an api_error. */
	const struct status_info *s = status < 0 ? status_find(status) : NULL;
	if (!s)
		s = status_find(FAKE_EAPI);
	if (!s)
		return; /* unreachable: FAKE_EAPI is in the table */
	e->status = s->status;
	if (!e->type[0])
		fake__copy(e->type, sizeof(e->type), s->type);
	if (!e->http_status)
		e->http_status = s->http;
	if (!e->message[0])
		fake__copy(e->message, sizeof(e->message), s->text);
}

int fake__error_set(fake_processor *p, int status, const char *code, const char *param, const char *fmt, ...)
{
	fake_error *e = p->error;
	fake__error_replace(p, NULL);
	e->status = status;
	fake__copy(e->code, sizeof(e->code), code);
	fake__copy(e->param, sizeof(e->param), param);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	fake__error_defaults(e, status);
	return status;
}

int fake__error_card(fake_processor *p, const char *decline_code, const char *param)
{
	if (!fake__decline_known(decline_code))
		decline_code = "generic_decline";
	fake__error_set(p, FAKE_ECARD, fake__decline_error_code(decline_code), param, "%s",
			fake__decline_message(decline_code));
	fake__copy(p->error->decline_code, sizeof(p->error->decline_code), decline_code);
	return FAKE_ECARD;
}

int fake__error_nomem(fake_processor *p)
{
	return fake__error_set(p, FAKE_ENOMEM, "", "", "Out of memory: the allocator refused a request; nothing changed.");
}

int fake__check_version(fake_processor *p, unsigned int version, unsigned int current, const char *what)
{
	if (version == 0 || version > current)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "version",
				       "Invalid %s version %u: this libfake knows versions 1 to %u.", what, version,
				       current);
	return 0;
}

bool fake__utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		unsigned char c = *u;
		size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 4;
		if (n == 4 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4))
			return false; /* stray continuation, overlong 2-byte form, beyond U+10FFFF */
		unsigned int cp = n == 0 ? c : n == 1 ? (c & 0x1Fu) : n == 2 ? (c & 0x0Fu) : (c & 0x07u);
		for (size_t i = 1; i <= n; i++) {
			if ((u[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (u[i] & 0x3Fu);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false; /* overlong, surrogate, or out of range */
		u += n + 1;
	}
	return true;
}

int fake__check_string(fake_processor *p, const char *s, size_t max, const char *param)
{
	if (s && !fake__utf8_valid(s))
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_string", param,
				       "Invalid %s: the string is not valid UTF-8.", param);
	if (s && strlen(s) > max)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_string_too_long", param,
				       "Invalid %s: must be at most %zu characters.", param, max);
	return 0;
}

int fake__check_id(fake_processor *p, const char *id, const char *param)
{
	if (!id)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", param, "Missing required param: %s.",
				       param);
	if (!id[0])
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_empty", param,
				       "You passed an empty string for '%s'. We assume empty values are an attempt to unset a parameter; however '%s' cannot be unset.",
				       param, param);
	return fake__check_string(p, id, FAKE_ID_MAX, param);
}

/* Checks a currency code (three ASCII letters, any case) and writes it in lowercase. */
int fake__check_currency(fake_processor *p, const char *currency, char lower[4])
{
	if (!currency)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "currency", "Missing required param: currency.");
	for (int i = 0; i < 3; i++) {
		char c = currency[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_string", "currency",
					       "Invalid currency: '%.16s' is not a three-letter ISO code such as usd.",
					       currency);
		lower[i] = c;
	}
	if (currency[3])
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_string", "currency",
				       "Invalid currency: '%.16s' is not a three-letter ISO code such as usd.", currency);
	lower[3] = '\0';
	return 0;
}

/* `active` in update params and list filters (products and prices). */
int fake__check_active_change(fake_processor *p, fake_active_change active)
{
	if (active != FAKE_ACTIVE_UNCHANGED && active != FAKE_ACTIVE_SET && active != FAKE_ACTIVE_CLEAR)
		return fake__error_set(p, FAKE_EINVAL, "", "active", "Invalid active: %d is not a fake_active_change.",
				       (int)active);
	return 0;
}

bool fake__apply_active(fake_active_change active, bool current)
{
	return active == FAKE_ACTIVE_UNCHANGED ? current : active == FAKE_ACTIVE_SET;
}

int fake__check_active_filter(fake_processor *p, fake_active_filter active)
{
	if (active != FAKE_ACTIVE_ANY && active != FAKE_ACTIVE_ONLY && active != FAKE_INACTIVE_ONLY)
		return fake__error_set(p, FAKE_EINVAL, "", "active", "Invalid active: %d is not a fake_active_filter.",
				       (int)active);
	return 0;
}

bool fake__active_matches(fake_active_filter filter, bool active)
{
	return filter == FAKE_ACTIVE_ANY || (filter == FAKE_ACTIVE_ONLY) == active;
}
