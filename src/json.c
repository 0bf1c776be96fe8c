/*
 * Stripe-shaped JSON (fake/json.h, docs/json.md): one builder per object
 * type, producing the fields Stripe's API version 2023-08-16 returns for
 * that object, in a fixed order ("id" and "object" first, then the rest in
 * alphabetical order, as Stripe writes them). Values come from libfake's
 * structs; fields libfake does not model get Stripe's defaults (mostly
 * null). A few billing values are read from other objects as they are now
 * (embedded prices, an invoice's customer details), since the structs keep
 * no copy (docs/json.md). Documents are built with jansson and written
 * straight into memory from the instance allocator.
 *
 * jansson allocates the tree with its own (process-wide) allocator; the
 * instance allocator is used only for the finished string, so that the
 * caller releases it with fake_json_free(). Every jansson call that can
 * fail is checked: a build records its first failure and the document is
 * thrown away. These functions are not operations: they are not counted or
 * scriptable, and a success leaves the error record as it was.
 *
 * Expansion (Stripe's expand[]) is one table per object type of the fields
 * an expand path may name (expandable[]), used twice: to check every path
 * before anything is built, and by object_json() to replace, in the tree a
 * builder returned, the ids the paths name with the referenced objects,
 * built by the same builders. Builders never see the paths.
 */
#include "private.h"

#include <inttypes.h>
#include <stdio.h>

#include <jansson.h>

#define API_VERSION "2023-08-16"
#define EMBEDDED_LIST_MAX 10 /* Stripe embeds at most 10 items of a sub-list */

/* A node of the expansion tree a request's paths describe, without
 * building the tree: the paths that start with the first `len` bytes of
 * `path` followed by a dot are the ones below it. The root (every path) is
 * {"", 0}; {NULL, 0} is "nothing to expand". */
typedef struct expand_node {
	const char *path; /* one of the request's paths that goes through this node; NULL: none */
	size_t len;       /* bytes of path that name this node: whole segments, no trailing dot */
} expand_node;

/* One document being built. */
typedef struct build {
	fake_processor *p;
	int status;            /* the first failure: FAKE_ENOMEM or FAKE_EINVAL; 0 while all is well */
	const char *bad_field; /* FAKE_EINVAL: the field whose string is not UTF-8 */
	const char *bad_owner; /* ... and the id of the object it belongs to */
	const char *owner;     /* id of the object being built, for messages */
	const char *unsupported; /* FAKE_EINVAL: the type of an object that has no JSON shape */
	const char *const *expand; /* the request's expand paths, already checked (check_expand) */
	size_t expand_count;
	expand_node next;      /* what object_json() expands in the next object it builds; it clears it
				  first, so builders' own nested objects are never expanded */
} build;

static json_t *object_json(build *b, const void *object);

/* ---- failures --------------------------------------------------------------- */

static void fail_nomem(build *b)
{
	if (!b->status)
		b->status = FAKE_ENOMEM;
}

/* Exactly jansson's rule (utf8_check_full): no overlong forms, no
 * surrogates, nothing past U+10FFFF. It tells a string jansson refused from
 * an allocation jansson could not make. */
static bool utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		unsigned char c = *u;
		size_t n;
		uint32_t v;
		if (c < 0x80) {
			u++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			v = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			v = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			v = c & 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i < n; i++) {
			if ((u[i] & 0xC0) != 0x80)
				return false;
			v = (v << 6) | (u[i] & 0x3F);
		}
		if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
			return false;
		u += n;
	}
	return true;
}

static void fail_utf8(build *b, const char *field)
{
	if (b->status)
		return;
	b->status = FAKE_EINVAL;
	b->bad_field = field;
	b->bad_owner = b->owner;
}

/* An object of a type that has no builder (yet). */
static void fail_unsupported(build *b, const void *object)
{
	if (b->status)
		return;
	b->status = FAKE_EINVAL;
	b->unsupported = fake_object_type_of(object) < FAKE_OBJECT_TYPE_COUNT ? fake_object_name(object) : "unknown";
}

/* Fills the error record for a failed build and returns its status. */
static int report(build *b)
{
	if (b->status == FAKE_EINVAL && b->unsupported)
		return fake__error_set(b->p, FAKE_EINVAL, "", "object",
				       "Invalid object: libfake has no JSON shape for %s objects yet.", b->unsupported);
	if (b->status == FAKE_EINVAL)
		return fake__error_set(b->p, FAKE_EINVAL, "parameter_invalid_string", b->bad_field,
				       "Invalid %s on %s: the string is not valid UTF-8, so it cannot be written as JSON.",
				       b->bad_field, b->bad_owner ? b->bad_owner : "the object");
	return fake__error_nomem(b->p);
}

/* ---- values and members ------------------------------------------------------ */

static json_t *new_object(build *b)
{
	json_t *o = json_object();
	if (!o)
		fail_nomem(b);
	return o;
}

static json_t *new_array(build *b)
{
	json_t *a = json_array();
	if (!a)
		fail_nomem(b);
	return a;
}

/* A JSON string, or null for NULL. `field` names it in an error message. */
static json_t *str(build *b, const char *field, const char *s)
{
	if (!s)
		return json_null();
	json_t *v = json_string(s);
	if (!v) {
		if (utf8_valid(s))
			fail_nomem(b);
		else
			fail_utf8(b, field);
	}
	return v;
}

/* Adds key: v to o, taking v's reference. `key` is one of this file's
 * ASCII names (or a key already checked), so jansson need not check it. A
 * NULL o or v is an earlier failure: v is released and the build fails. */
static void put(build *b, json_t *o, const char *key, json_t *v)
{
	if (!v) {
		fail_nomem(b);
		return;
	}
	if (!o) {
		json_decref(v);
		fail_nomem(b);
		return;
	}
	if (json_object_set_new_nocheck(o, key, v))
		fail_nomem(b);
}

static void put_str(build *b, json_t *o, const char *key, const char *s)
{
	put(b, o, key, str(b, key, s));
}

static void put_int(build *b, json_t *o, const char *key, int64_t v)
{
	put(b, o, key, json_integer((json_int_t)v));
}

static void put_bool(build *b, json_t *o, const char *key, bool v)
{
	put(b, o, key, json_boolean(v));
}

static void put_null(build *b, json_t *o, const char *key)
{
	put(b, o, key, json_null());
}

static void put_empty_object(build *b, json_t *o, const char *key)
{
	put(b, o, key, new_object(b));
}

static void append(build *b, json_t *a, json_t *v)
{
	if (!v) {
		fail_nomem(b);
		return;
	}
	if (!a) {
		json_decref(v);
		fail_nomem(b);
		return;
	}
	if (json_array_append_new(a, v))
		fail_nomem(b);
}

/* An array of one string. */
static json_t *one_string_array(build *b, const char *field, const char *s)
{
	json_t *a = new_array(b);
	append(b, a, str(b, field, s));
	return a;
}

/* The start of every object: {"id": ..., "object": ...}. */
static json_t *object_head(build *b, const void *object)
{
	json_t *o = new_object(b);
	put_str(b, o, "id", fake_object_id(object));
	put_str(b, o, "object", fake_object_name(object));
	return o;
}

static json_t *metadata(build *b, const fake_metadata *m)
{
	json_t *o = new_object(b);
	for (size_t i = 0; m && i < m->count; i++) {
		const char *key = m->items[i].key;
		if (!utf8_valid(key)) {
			fail_utf8(b, "metadata");
			break;
		}
		put(b, o, key, str(b, "metadata", m->items[i].value));
	}
	return o;
}

/* Stripe's address with every field null (libfake keeps no addresses). */
static json_t *null_address(build *b)
{
	static const char *const fields[] = { "city", "country", "line1", "line2", "postal_code", "state" };
	json_t *o = new_object(b);
	for (size_t i = 0; i < FAKE__COUNT(fields); i++)
		put_null(b, o, fields[i]);
	return o;
}

/* {"type": "use_stripe_sdk", "use_stripe_sdk": {}}: 3D Secure in Stripe.js. */
static json_t *next_action_sdk(build *b)
{
	json_t *o = new_object(b);
	put_str(b, o, "type", "use_stripe_sdk");
	put_empty_object(b, o, "use_stripe_sdk");
	return o;
}

/* Stripe's documentation page for an error code: card_declined ->
 * https://stripe.com/docs/error-codes/card-declined. */
static json_t *doc_url(build *b, const char *code)
{
	char url[160];
	int n = snprintf(url, sizeof url, "https://stripe.com/docs/error-codes/%s", code);
	if (n < 0 || (size_t)n >= sizeof url)
		return json_null(); /* cannot happen for Stripe's codes; an over-long one gets none */
	for (char *c = url + sizeof("https://stripe.com/docs/error-codes/") - 1; *c; c++)
		if (*c == '_')
			*c = '-';
	return str(b, "doc_url", url);
}

/* An intent's last_payment_error / last_setup_error: a card_error for a
 * decline, an invalid_request_error for failed authentication. */
static json_t *last_error(build *b, const char *code, const char *decline_code, const char *message,
			  const char *charge)
{
	if (!code)
		return json_null();
	json_t *o = new_object(b);
	if (charge)
		put_str(b, o, "charge", charge);
	put_str(b, o, "code", code);
	if (decline_code)
		put_str(b, o, "decline_code", decline_code);
	put(b, o, "doc_url", doc_url(b, code));
	put_str(b, o, "message", message);
	put_str(b, o, "type", decline_code ? "card_error" : "invalid_request_error");
	return o;
}

/* ---- customer ---------------------------------------------------------------- */

/* Stripe gives each customer an invoice number prefix; libfake derives one
 * from the id (FNV-1a), the same every time. */
static json_t *invoice_prefix(build *b, const char *id)
{
	uint32_t h = UINT32_C(2166136261);
	for (const char *c = id; *c; c++)
		h = (h ^ (unsigned char)*c) * UINT32_C(16777619);
	char prefix[9];
	snprintf(prefix, sizeof prefix, "%08" PRIX32, h);
	return str(b, "invoice_prefix", prefix);
}

static json_t *customer_json(build *b, const void *object)
{
	const struct fake_customer *c = object;
	json_t *o = object_head(b, c);
	if (c->obj.flags & FAKE__DELETED) {
		put_bool(b, o, "deleted", true);
		return o;
	}
	put_null(b, o, "address");
	put_int(b, o, "balance", c->balance);
	put_int(b, o, "created", c->obj.created);
	put_null(b, o, "currency");
	put_null(b, o, "default_source");
	put_bool(b, o, "delinquent", false);
	put_str(b, o, "description", c->description);
	put_null(b, o, "discount");
	put_str(b, o, "email", c->email);
	put(b, o, "invoice_prefix", invoice_prefix(b, c->obj.id));
	json_t *settings = new_object(b);
	put_null(b, settings, "custom_fields");
	put_str(b, settings, "default_payment_method", c->default_payment_method);
	put_null(b, settings, "footer");
	put_null(b, settings, "rendering_options");
	put(b, o, "invoice_settings", settings);
	put_bool(b, o, "livemode", false);
	put(b, o, "metadata", metadata(b, c->metadata));
	put_str(b, o, "name", c->name);
	put_int(b, o, "next_invoice_sequence", 1);
	put_str(b, o, "phone", c->phone);
	put(b, o, "preferred_locales", new_array(b));
	put_null(b, o, "shipping");
	put_str(b, o, "tax_exempt", "none");
	put_str(b, o, "test_clock", c->test_clock);
	return o;
}

/* ---- payment method ------------------------------------------------------------ */

/* billing_details: the name, email and phone libfake keeps, no address. */
static json_t *billing_details(build *b, const fake_payment_method *pm)
{
	json_t *o = new_object(b);
	put(b, o, "address", null_address(b));
	put_str(b, o, "email", pm ? pm->billing_email : NULL);
	put_str(b, o, "name", pm ? pm->billing_name : NULL);
	put_str(b, o, "phone", pm ? pm->billing_phone : NULL);
	return o;
}

/* checks: libfake runs no address checks and keeps no CVC result. */
static json_t *card_checks(build *b)
{
	json_t *o = new_object(b);
	put_null(b, o, "address_line1_check");
	put_null(b, o, "address_postal_code_check");
	put_null(b, o, "cvc_check");
	return o;
}

/* The leading members both card shapes share, in Stripe's order. */
static json_t *card_head(build *b, const fake__card_details *card)
{
	json_t *o = new_object(b);
	put_str(b, o, "brand", card->brand);
	put(b, o, "checks", card_checks(b));
	put_str(b, o, "country", "US");
	put_int(b, o, "exp_month", card->exp_month);
	put_int(b, o, "exp_year", card->exp_year);
	put_str(b, o, "fingerprint", card->fingerprint);
	put_str(b, o, "funding", card->funding);
	return o;
}

static json_t *payment_method_card(build *b, const fake__card_details *card)
{
	json_t *o = card_head(b, card);
	put_null(b, o, "generated_from");
	put_str(b, o, "last4", card->last4);
	json_t *networks = new_object(b);
	put(b, networks, "available", one_string_array(b, "networks", card->brand));
	put_null(b, networks, "preferred");
	put(b, o, "networks", networks);
	json_t *tds = new_object(b);
	put_bool(b, tds, "supported", true);
	put(b, o, "three_d_secure_usage", tds);
	put_null(b, o, "wallet");
	return o;
}

static json_t *payment_method_json(build *b, const void *object)
{
	const fake_payment_method *pm = object;
	json_t *o = object_head(b, pm);
	put(b, o, "billing_details", billing_details(b, pm));
	put(b, o, "card", payment_method_card(b, &pm->card));
	put_int(b, o, "created", pm->obj.created);
	put_str(b, o, "customer", pm->customer);
	put_bool(b, o, "livemode", false);
	put(b, o, "metadata", metadata(b, pm->metadata));
	put_str(b, o, "type", "card");
	return o;
}

/* ---- product and price ---------------------------------------------------------- */

static json_t *product_json(build *b, const void *object)
{
	const struct fake_product *pr = object;
	json_t *o = object_head(b, pr);
	put_bool(b, o, "active", pr->active);
	put_int(b, o, "created", pr->obj.created);
	put_null(b, o, "default_price");
	put_str(b, o, "description", pr->description);
	put(b, o, "features", new_array(b));
	put(b, o, "images", new_array(b));
	put_bool(b, o, "livemode", false);
	put(b, o, "metadata", metadata(b, pr->metadata));
	put_str(b, o, "name", pr->name);
	put_null(b, o, "package_dimensions");
	put_null(b, o, "shippable");
	put_null(b, o, "statement_descriptor");
	put_null(b, o, "tax_code");
	put_null(b, o, "unit_label");
	put_int(b, o, "updated", pr->updated);
	put_null(b, o, "url");
	return o;
}

static json_t *price_json(build *b, const void *object)
{
	const struct fake_price *pr = object;
	json_t *o = object_head(b, pr);
	put_bool(b, o, "active", pr->active);
	put_str(b, o, "billing_scheme", "per_unit");
	put_int(b, o, "created", pr->obj.created);
	put_str(b, o, "currency", pr->currency);
	put_null(b, o, "custom_unit_amount");
	put_bool(b, o, "livemode", false);
	put_str(b, o, "lookup_key", pr->lookup_key);
	put(b, o, "metadata", metadata(b, pr->metadata));
	put_str(b, o, "nickname", pr->nickname);
	put_str(b, o, "product", pr->product);
	if (pr->interval == FAKE_INTERVAL_NONE) {
		put_null(b, o, "recurring");
	} else {
		bool metered = pr->usage_type == FAKE_USAGE_METERED;
		json_t *r = new_object(b);
		/* Stripe's default aggregation for metered prices is sum. */
		put_str(b, r, "aggregate_usage", metered ? "sum" : NULL);
		put_str(b, r, "interval", fake_price_interval_name(pr));
		put_int(b, r, "interval_count", pr->interval_count);
		put_str(b, r, "usage_type", metered ? "metered" : "licensed");
		put(b, o, "recurring", r);
	}
	put_str(b, o, "tax_behavior", "unspecified");
	put_null(b, o, "tiers_mode");
	put_null(b, o, "transform_quantity");
	put_str(b, o, "type", fake_price_type(pr));
	put_int(b, o, "unit_amount", pr->unit_amount);
	char decimal[24];
	snprintf(decimal, sizeof decimal, "%" PRId64, pr->unit_amount);
	put_str(b, o, "unit_amount_decimal", decimal);
	return o;
}

/* ---- payment intent and setup intent -------------------------------------------- */

static json_t *payment_intent_json(build *b, const void *object)
{
	const struct fake_payment_intent *pi = object;
	json_t *o = object_head(b, pi);
	put_int(b, o, "amount", pi->amount);
	put_int(b, o, "amount_capturable", pi->amount_capturable);
	json_t *details = new_object(b);
	put_empty_object(b, details, "tip");
	put(b, o, "amount_details", details);
	put_int(b, o, "amount_received", pi->amount_received);
	put_null(b, o, "application");
	put_null(b, o, "application_fee_amount");
	put_null(b, o, "automatic_payment_methods");
	if (pi->status == FAKE_PI_CANCELED)
		put_int(b, o, "canceled_at", pi->canceled_at);
	else
		put_null(b, o, "canceled_at");
	put_str(b, o, "cancellation_reason", pi->cancellation_reason);
	put_str(b, o, "capture_method", pi->capture_method == FAKE_CAPTURE_MANUAL ? "manual" : "automatic");
	put_str(b, o, "client_secret", pi->client_secret);
	put_str(b, o, "confirmation_method", "automatic");
	put_int(b, o, "created", pi->obj.created);
	put_str(b, o, "currency", pi->currency);
	put_str(b, o, "customer", pi->customer);
	put_str(b, o, "description", pi->description);
	put_str(b, o, "invoice", pi->invoice);
	put(b, o, "last_payment_error",
	    last_error(b, pi->last_error_code, pi->last_error_decline_code, pi->last_error_message,
		       pi->last_error_decline_code ? pi->latest_charge : NULL));
	put_str(b, o, "latest_charge", pi->latest_charge);
	put_bool(b, o, "livemode", false);
	put(b, o, "metadata", metadata(b, pi->metadata));
	put(b, o, "next_action", pi->status == FAKE_PI_REQUIRES_ACTION ? next_action_sdk(b) : json_null());
	put_null(b, o, "on_behalf_of");
	put_str(b, o, "payment_method", pi->payment_method);
	put_empty_object(b, o, "payment_method_options");
	put(b, o, "payment_method_types", one_string_array(b, "payment_method_types", "card"));
	put_null(b, o, "processing");
	put_null(b, o, "receipt_email");
	put_null(b, o, "review");
	put_null(b, o, "setup_future_usage");
	put_null(b, o, "shipping");
	put_null(b, o, "statement_descriptor");
	put_null(b, o, "statement_descriptor_suffix");
	put_str(b, o, "status", fake_payment_intent_status_name(pi));
	put_null(b, o, "transfer_data");
	put_null(b, o, "transfer_group");
	return o;
}

static json_t *setup_intent_json(build *b, const void *object)
{
	const struct fake_setup_intent *si = object;
	json_t *o = object_head(b, si);
	put_null(b, o, "application");
	put_null(b, o, "automatic_payment_methods");
	put_str(b, o, "cancellation_reason", si->cancellation_reason);
	put_str(b, o, "client_secret", si->client_secret);
	put_int(b, o, "created", si->obj.created);
	put_str(b, o, "customer", si->customer);
	put_str(b, o, "description", si->description);
	put_null(b, o, "flow_directions");
	put(b, o, "last_setup_error",
	    last_error(b, si->last_error_code, si->last_error_decline_code, si->last_error_message, NULL));
	put_null(b, o, "latest_attempt");
	put_bool(b, o, "livemode", false);
	put_null(b, o, "mandate");
	put(b, o, "metadata", metadata(b, si->metadata));
	put(b, o, "next_action", si->status == FAKE_SETI_REQUIRES_ACTION ? next_action_sdk(b) : json_null());
	put_null(b, o, "on_behalf_of");
	put_str(b, o, "payment_method", si->payment_method);
	put_empty_object(b, o, "payment_method_options");
	put(b, o, "payment_method_types", one_string_array(b, "payment_method_types", "card"));
	put_null(b, o, "single_use_mandate");
	put_str(b, o, "status", fake_setup_intent_status_name(si));
	put_str(b, o, "usage", fake_setup_intent_usage(si));
	return o;
}

/* ---- charge, refund, balance transaction ----------------------------------------- */

/* A live object of `type` by id, or NULL. */
static const void *find(const build *b, const char *id, fake_object_type type)
{
	const fake__object *o = id ? fake__store_find(b->p, id) : NULL;
	return o && o->type == type ? o : NULL;
}

static json_t *outcome(build *b, const struct fake_charge *ch)
{
	json_t *o = new_object(b);
	put_str(b, o, "network_status", ch->paid ? "approved_by_network" : "declined_by_network");
	put_str(b, o, "reason", ch->outcome_reason);
	put_str(b, o, "risk_level", "normal");
	if (ch->paid) {
		put_str(b, o, "seller_message", "Payment complete.");
	} else if (!ch->outcome_reason || strcmp(ch->outcome_reason, "generic_decline") == 0) {
		put_str(b, o, "seller_message", "The bank did not return any further details with this decline.");
	} else {
		char message[160];
		snprintf(message, sizeof message, "The bank returned the decline code `%s`.", ch->outcome_reason);
		put_str(b, o, "seller_message", message);
	}
	put_str(b, o, "type", fake_charge_outcome_type(ch));
	return o;
}

static json_t *payment_method_details(build *b, const fake_payment_method *pm)
{
	if (!pm)
		return json_null();
	const fake__card_details *card = &pm->card;
	json_t *c = card_head(b, card);
	put_null(b, c, "installments");
	put_str(b, c, "last4", card->last4);
	put_null(b, c, "mandate");
	put_str(b, c, "network", card->brand);
	json_t *token = new_object(b);
	put_bool(b, token, "used", false);
	put(b, c, "network_token", token);
	put_null(b, c, "three_d_secure");
	put_null(b, c, "wallet");
	json_t *o = new_object(b);
	put(b, o, "card", c);
	put_str(b, o, "type", "card");
	return o;
}

/* charge.refunds: the charge's refunds, newest first, at most 10. The
 * charge may be a snapshot from an event, so only the refunds it had then
 * are listed: refunds only grow amount_refunded, in creation order, so
 * they are the oldest ones whose amounts add up to the part of
 * amount_refunded that refunds made (after a partial capture the released
 * rest is in amount_refunded too). */
static json_t *charge_refunds(build *b, const struct fake_charge *ch)
{
	int64_t refunded = ch->captured ? ch->amount_refunded - (ch->amount - ch->amount_captured) : 0;
	const fake__table *t = &b->p->tables[FAKE_OBJECT_REFUND];
	size_t end = 0, count = 0;
	int64_t sum = 0;
	for (size_t i = 0; i < t->len; i++) {
		const struct fake_refund *re = (const struct fake_refund *)t->items[i];
		if (!fake__same(re->charge, ch->obj.id))
			continue;
		if (re->amount > refunded - sum)
			break;
		sum += re->amount;
		count++;
		end = i + 1;
	}
	json_t *data = new_array(b);
	size_t shown = 0;
	for (size_t i = end; i-- > 0 && shown < EMBEDDED_LIST_MAX;) {
		const struct fake_refund *re = (const struct fake_refund *)t->items[i];
		if (!fake__same(re->charge, ch->obj.id))
			continue;
		append(b, data, object_json(b, re));
		shown++;
	}
	json_t *o = new_object(b);
	put_str(b, o, "object", "list");
	put(b, o, "data", data);
	put_bool(b, o, "has_more", count > shown);
	char url[FAKE_ID_MAX + 32];
	snprintf(url, sizeof url, "/v1/charges/%s/refunds", ch->obj.id);
	put_str(b, o, "url", url);
	return o;
}

static json_t *charge_json(build *b, const void *object)
{
	const struct fake_charge *ch = object;
	/* libfake's charge keeps only the payment method's id: the card and
	 * billing details come from the payment method itself. */
	/* The card as it was when charged, so the same charge always reads the same. */
	const fake_payment_method *pm = ch->card;
	json_t *o = object_head(b, ch);
	put_int(b, o, "amount", ch->amount);
	put_int(b, o, "amount_captured", ch->amount_captured);
	put_int(b, o, "amount_refunded", ch->amount_refunded);
	put_null(b, o, "application");
	put_null(b, o, "application_fee");
	put_null(b, o, "application_fee_amount");
	put_str(b, o, "balance_transaction", ch->balance_transaction);
	put(b, o, "billing_details", billing_details(b, pm));
	put_null(b, o, "calculated_statement_descriptor");
	put_bool(b, o, "captured", ch->captured);
	put_int(b, o, "created", ch->obj.created);
	put_str(b, o, "currency", ch->currency);
	put_str(b, o, "customer", ch->customer);
	put_null(b, o, "description");
	put_bool(b, o, "disputed", false);
	put_null(b, o, "failure_balance_transaction");
	put_str(b, o, "failure_code", ch->failure_code);
	put_str(b, o, "failure_message", ch->failure_message);
	put_empty_object(b, o, "fraud_details");
	put_str(b, o, "invoice", ch->invoice);
	put_bool(b, o, "livemode", false);
	put_empty_object(b, o, "metadata");
	put_null(b, o, "on_behalf_of");
	put(b, o, "outcome", outcome(b, ch));
	put_bool(b, o, "paid", ch->paid);
	put_str(b, o, "payment_intent", ch->payment_intent);
	put_str(b, o, "payment_method", ch->payment_method);
	put(b, o, "payment_method_details", payment_method_details(b, pm));
	put_null(b, o, "receipt_email");
	put_null(b, o, "receipt_number");
	put_null(b, o, "receipt_url");
	put_bool(b, o, "refunded", ch->refunded);
	put(b, o, "refunds", charge_refunds(b, ch));
	put_null(b, o, "review");
	put_null(b, o, "shipping");
	put_null(b, o, "source_transfer");
	put_null(b, o, "statement_descriptor");
	put_null(b, o, "statement_descriptor_suffix");
	put_str(b, o, "status", fake_charge_status(ch));
	put_null(b, o, "transfer_data");
	put_null(b, o, "transfer_group");
	return o;
}

static json_t *refund_json(build *b, const void *object)
{
	const struct fake_refund *re = object;
	json_t *o = object_head(b, re);
	put_int(b, o, "amount", re->amount);
	put_str(b, o, "balance_transaction", re->balance_transaction);
	put_str(b, o, "charge", re->charge);
	put_int(b, o, "created", re->obj.created);
	put_str(b, o, "currency", re->currency);
	put(b, o, "metadata", metadata(b, re->metadata));
	put_str(b, o, "payment_intent", re->payment_intent);
	put_str(b, o, "reason", re->reason);
	put_null(b, o, "receipt_number");
	put_null(b, o, "source_transfer_reversal");
	put_str(b, o, "status", fake_refund_status(re));
	put_null(b, o, "transfer_reversal");
	return o;
}

static json_t *balance_transaction_json(build *b, const void *object)
{
	const struct fake_balance_transaction *txn = object;
	json_t *o = object_head(b, txn);
	put_int(b, o, "amount", txn->amount);
	/* Funds are available at once in the fake: no payout schedule. */
	put_int(b, o, "available_on", txn->obj.created);
	put_int(b, o, "created", txn->obj.created);
	put_str(b, o, "currency", txn->currency);
	put_null(b, o, "description");
	put_null(b, o, "exchange_rate");
	put_int(b, o, "fee", txn->fee);
	json_t *fees = new_array(b);
	if (txn->fee > 0) {
		json_t *fee = new_object(b);
		put_int(b, fee, "amount", txn->fee);
		put_null(b, fee, "application");
		put_str(b, fee, "currency", txn->currency);
		put_str(b, fee, "description", "Stripe processing fees");
		put_str(b, fee, "type", "stripe_fee");
		append(b, fees, fee);
	}
	put(b, o, "fee_details", fees);
	put_int(b, o, "net", txn->amount - txn->fee);
	put_str(b, o, "reporting_category", txn->type);
	put_str(b, o, "source", txn->source);
	put_str(b, o, "status", "available");
	put_str(b, o, "type", txn->type);
	return o;
}

/* ---- billing: subscriptions, items, usage records, invoices, invoice items ------- */

/* Stripe's deleted object, {"id": ..., "object": ..., "deleted": true}: a
 * deleted subscription item, draft invoice or invoice item. */
static json_t *deleted_json(build *b, const void *object)
{
	json_t *o = object_head(b, object);
	put_bool(b, o, "deleted", true);
	return o;
}

/* A unix time, or null for 0 ("not set" in libfake's structs). */
static json_t *time_or_null(int64_t t)
{
	return t ? json_integer((json_int_t)t) : json_null();
}

static void put_time(build *b, json_t *o, const char *key, int64_t t)
{
	put(b, o, key, time_or_null(t));
}

static void put_empty_array(build *b, json_t *o, const char *key)
{
	put(b, o, key, new_array(b));
}

static const char *collection_method_name(fake_collection_method m)
{
	return m == FAKE_COLLECT_SEND_INVOICE ? "send_invoice" : "charge_automatically";
}

/* The customer an object names (tombstones too), or NULL. */
static const struct fake_customer *customer_of(const build *b, const char *id)
{
	return find(b, id, FAKE_OBJECT_CUSTOMER);
}

/* The test clock of a customer's billing objects: the customer's, as Stripe. */
static void put_test_clock(build *b, json_t *o, const char *customer)
{
	const struct fake_customer *c = customer_of(b, customer);
	put_str(b, o, "test_clock", c ? c->test_clock : NULL);
}

/* {"end": ..., "start": ...}: a line's or invoice item's period. */
static json_t *period(build *b, int64_t start, int64_t end)
{
	json_t *o = new_object(b);
	put_int(b, o, "end", end);
	put_int(b, o, "start", start);
	return o;
}

/* An amount in a decimal string, as Stripe's *_decimal fields: `amount`
 * divided by `quantity` (> 0), with up to 12 decimal places (truncated)
 * and no trailing zeros: 1500 / 1 -> "1500", 1000 / 3 -> "333.333333333333". */
static json_t *decimal(build *b, const char *field, int64_t amount, int64_t quantity)
{
	char text[48];
	uint64_t q = (uint64_t)quantity;
	uint64_t a = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
	int n = snprintf(text, sizeof text, "%s%" PRIu64, amount < 0 ? "-" : "", a / q);
	uint64_t rest = a % q;
	if (rest && n > 0 && (size_t)n + 14 < sizeof text) {
		text[n++] = '.';
		for (int i = 0; i < 12 && rest; i++) {
			/* rest < q <= INT64_MAX, so rest * 10 cannot overflow */
			rest *= 10;
			text[n++] = (char)('0' + rest / q);
			rest %= q;
		}
		while (text[n - 1] == '0')
			n--;
		if (text[n - 1] == '.')
			n--;
		text[n] = '\0';
	}
	return str(b, field, text);
}

/* The embedded list envelope of a sub-list: `items` (count of them), at
 * most EMBEDDED_LIST_MAX, has_more beyond. */
static json_t *embedded_list(build *b, const void *const *items, size_t count, const char *url)
{
	json_t *data = new_array(b);
	for (size_t i = 0; i < count && i < EMBEDDED_LIST_MAX; i++)
		append(b, data, object_json(b, items[i]));
	json_t *o = new_object(b);
	put_str(b, o, "object", "list");
	put(b, o, "data", data);
	put_bool(b, o, "has_more", count > EMBEDDED_LIST_MAX);
	put_str(b, o, "url", url);
	return o;
}

static const char *pause_behavior_name(fake_pause_behavior behavior)
{
	switch (behavior) {
	case FAKE_PAUSE_KEEP_AS_DRAFT:
		return "keep_as_draft";
	case FAKE_PAUSE_MARK_UNCOLLECTIBLE:
		return "mark_uncollectible";
	case FAKE_PAUSE_VOID:
		return "void";
	default:
		return NULL;
	}
}

static const char *trial_end_behavior_name(fake_trial_end_behavior behavior)
{
	switch (behavior) {
	case FAKE_TRIAL_END_PAUSE:
		return "pause";
	case FAKE_TRIAL_END_CANCEL:
		return "cancel";
	default:
		return "create_invoice";
	}
}

static json_t *subscription_json(build *b, const void *object)
{
	const struct fake_subscription *sub = object;
	json_t *o = object_head(b, sub);
	put_null(b, o, "application");
	put_null(b, o, "application_fee_percent");
	json_t *tax = new_object(b);
	put_bool(b, tax, "enabled", false);
	put(b, o, "automatic_tax", tax);
	put_int(b, o, "billing_cycle_anchor", sub->billing_cycle_anchor);
	put_null(b, o, "billing_thresholds");
	put_time(b, o, "cancel_at", sub->cancel_at);
	put_bool(b, o, "cancel_at_period_end", sub->cancel_at_period_end);
	put_time(b, o, "canceled_at", sub->canceled_at);
	/* libfake does not record why a subscription was canceled (a request,
	 * or dunning), nor any feedback or comment. */
	json_t *cancellation = new_object(b);
	put_null(b, cancellation, "comment");
	put_null(b, cancellation, "feedback");
	put_null(b, cancellation, "reason");
	put(b, o, "cancellation_details", cancellation);
	put_str(b, o, "collection_method", collection_method_name(sub->collection_method));
	put_int(b, o, "created", sub->obj.created);
	put_str(b, o, "currency", sub->currency);
	put_int(b, o, "current_period_end", sub->current_period_end);
	put_int(b, o, "current_period_start", sub->current_period_start);
	put_str(b, o, "customer", sub->customer);
	if (sub->collection_method == FAKE_COLLECT_SEND_INVOICE)
		put_int(b, o, "days_until_due", sub->days_until_due);
	else
		put_null(b, o, "days_until_due");
	put_str(b, o, "default_payment_method", sub->default_payment_method);
	put_null(b, o, "default_source");
	put_empty_array(b, o, "default_tax_rates");
	put_str(b, o, "description", sub->description);
	put_null(b, o, "discount");
	put_time(b, o, "ended_at", sub->ended_at);
	char url[FAKE_ID_MAX + 48];
	snprintf(url, sizeof url, "/v1/subscription_items?subscription=%s", sub->obj.id);
	put(b, o, "items", embedded_list(b, (const void *const *)sub->items, sub->item_count, url));
	put_str(b, o, "latest_invoice", sub->latest_invoice);
	put_bool(b, o, "livemode", false);
	put(b, o, "metadata", metadata(b, sub->metadata));
	put_null(b, o, "next_pending_invoice_item_invoice");
	put_null(b, o, "on_behalf_of");
	if (sub->pause_collection == FAKE_PAUSE_NONE) {
		put_null(b, o, "pause_collection");
	} else {
		json_t *pause = new_object(b);
		put_str(b, pause, "behavior", pause_behavior_name(sub->pause_collection));
		put_time(b, pause, "resumes_at", sub->pause_resumes_at);
		put(b, o, "pause_collection", pause);
	}
	json_t *settings = new_object(b);
	put_null(b, settings, "payment_method_options");
	put_null(b, settings, "payment_method_types");
	put_str(b, settings, "save_default_payment_method", "off");
	put(b, o, "payment_settings", settings);
	put_null(b, o, "pending_invoice_item_interval");
	put_null(b, o, "pending_setup_intent");
	put_null(b, o, "pending_update");
	put_null(b, o, "schedule");
	put_int(b, o, "start_date", sub->start_date);
	put_str(b, o, "status", fake_subscription_status_name(sub));
	put_test_clock(b, o, sub->customer);
	put_null(b, o, "transfer_data");
	put_time(b, o, "trial_end", sub->trial_end);
	json_t *trial = new_object(b);
	json_t *end_behavior = new_object(b);
	put_str(b, end_behavior, "missing_payment_method", trial_end_behavior_name(sub->trial_missing_payment_method));
	put(b, trial, "end_behavior", end_behavior);
	put(b, o, "trial_settings", trial);
	put_time(b, o, "trial_start", sub->trial_start);
	return o;
}

static json_t *subscription_item_json(build *b, const void *object)
{
	const struct fake_subscription_item *item = object;
	if (item->obj.flags & FAKE__DELETED)
		return deleted_json(b, item);
	json_t *o = object_head(b, item);
	put_null(b, o, "billing_thresholds");
	put_int(b, o, "created", item->obj.created);
	put(b, o, "metadata", metadata(b, item->metadata));
	put(b, o, "price", object_json(b, item->price));
	/* Stripe leaves quantity out for metered prices. */
	if (item->price->usage_type != FAKE_USAGE_METERED)
		put_int(b, o, "quantity", item->quantity);
	put_str(b, o, "subscription", item->subscription);
	put_empty_array(b, o, "tax_rates");
	return o;
}

static json_t *usage_record_json(build *b, const void *object)
{
	const struct fake_usage_record *ur = object;
	json_t *o = object_head(b, ur);
	put_bool(b, o, "livemode", false);
	put_int(b, o, "quantity", ur->quantity);
	put_str(b, o, "subscription_item", ur->subscription_item);
	put_int(b, o, "timestamp", ur->timestamp);
	return o;
}

/* Stripe: prorations and credits are not discountable by default, other
 * invoice items and subscription lines are. */
static bool discountable(bool proration, int64_t amount)
{
	return !proration && amount >= 0;
}

static json_t *invoice_line_json(build *b, const void *object)
{
	const struct fake_invoice_line *line = object;
	/* A line names its invoice item or subscription item; both know their
	 * subscription, which never changes. */
	const struct fake_invoice_item *ii =
		line->invoice_item ? find(b, line->invoice_item, FAKE_OBJECT_INVOICE_ITEM) : NULL;
	const struct fake_subscription_item *si =
		line->subscription_item ? find(b, line->subscription_item, FAKE_OBJECT_SUBSCRIPTION_ITEM) : NULL;
	const char *subscription = ii ? ii->subscription : si ? si->subscription : NULL;
	const struct fake_subscription *sub = find(b, subscription, FAKE_OBJECT_SUBSCRIPTION);

	json_t *o = object_head(b, line);
	put_int(b, o, "amount", line->amount);
	put_int(b, o, "amount_excluding_tax", line->amount);
	put_str(b, o, "currency", line->currency);
	put_str(b, o, "description", line->description);
	put_empty_array(b, o, "discount_amounts");
	put_bool(b, o, "discountable", line->invoice_item ? discountable(line->proration, line->amount) : true);
	put_empty_array(b, o, "discounts");
	if (line->invoice_item)
		put_str(b, o, "invoice_item", line->invoice_item);
	put_bool(b, o, "livemode", false);
	/* Stripe: an invoice item's line carries the item's metadata, a
	 * subscription line the subscription's. */
	if (line->invoice_item)
		put(b, o, "metadata", metadata(b, ii ? ii->metadata : NULL));
	else
		put(b, o, "metadata", metadata(b, sub ? sub->metadata : NULL));
	put(b, o, "period", period(b, line->period_start, line->period_end));
	put(b, o, "price", line->price ? object_json(b, line->price) : json_null());
	put_bool(b, o, "proration", line->proration);
	json_t *details = new_object(b);
	put_null(b, details, "credited_items");
	put(b, o, "proration_details", details);
	put_int(b, o, "quantity", line->quantity);
	put_str(b, o, "subscription", subscription);
	if (line->subscription_item)
		put_str(b, o, "subscription_item", line->subscription_item);
	put_empty_array(b, o, "tax_amounts");
	put_empty_array(b, o, "tax_rates");
	put_str(b, o, "type", fake_invoice_line_type(line));
	if (line->quantity > 0)
		put(b, o, "unit_amount_excluding_tax", decimal(b, "unit_amount_excluding_tax", line->amount, line->quantity));
	else
		put(b, o, "unit_amount_excluding_tax",
		    decimal(b, "unit_amount_excluding_tax", line->price ? line->price->unit_amount : line->amount, 1));
	return o;
}

static json_t *invoice_json(build *b, const void *object)
{
	const struct fake_invoice *inv = object;
	if (inv->obj.flags & FAKE__DELETED)
		return deleted_json(b, inv);
	/* An upcoming-invoice preview has no id: Stripe leaves the member out. */
	json_t *o = new_object(b);
	if (inv->obj.id)
		put_str(b, o, "id", inv->obj.id);
	put_str(b, o, "object", "invoice");
	bool preview = !inv->obj.id;
	bool finalized = inv->status != FAKE_INVOICE_DRAFT;
	/* The customer's details as they are now: libfake's invoice keeps no
	 * copy of them (Stripe freezes them when it finalizes the invoice). */
	const struct fake_customer *c = customer_of(b, inv->customer);
	const struct fake_subscription *sub = find(b, inv->subscription, FAKE_OBJECT_SUBSCRIPTION);

	put_str(b, o, "account_country", "US");
	put_null(b, o, "account_name");
	put_null(b, o, "account_tax_ids");
	put_int(b, o, "amount_due", inv->amount_due);
	put_int(b, o, "amount_paid", inv->amount_paid);
	put_int(b, o, "amount_remaining", inv->amount_remaining);
	put_int(b, o, "amount_shipping", 0);
	put_null(b, o, "application");
	put_null(b, o, "application_fee_amount");
	put_int(b, o, "attempt_count", inv->attempt_count);
	put_bool(b, o, "attempted", inv->attempted);
	put_bool(b, o, "auto_advance", inv->auto_advance);
	json_t *tax = new_object(b);
	put_bool(b, tax, "enabled", false);
	put_null(b, tax, "status");
	put(b, o, "automatic_tax", tax);
	put_str(b, o, "billing_reason", fake_invoice_billing_reason_name(inv));
	put_str(b, o, "charge", inv->charge);
	put_str(b, o, "collection_method", collection_method_name(inv->collection_method));
	put_int(b, o, "created", inv->obj.created);
	put_str(b, o, "currency", inv->currency);
	put_null(b, o, "custom_fields");
	put_str(b, o, "customer", inv->customer);
	put_null(b, o, "customer_address");
	put_str(b, o, "customer_email", c ? c->email : NULL);
	put_str(b, o, "customer_name", c ? c->name : NULL);
	put_str(b, o, "customer_phone", c ? c->phone : NULL);
	put_null(b, o, "customer_shipping");
	put_str(b, o, "customer_tax_exempt", "none");
	put_empty_array(b, o, "customer_tax_ids");
	put_str(b, o, "default_payment_method", inv->default_payment_method);
	put_null(b, o, "default_source");
	put_empty_array(b, o, "default_tax_rates");
	put_str(b, o, "description", inv->description);
	put_null(b, o, "discount");
	put_empty_array(b, o, "discounts");
	put_time(b, o, "due_date", inv->due_date);
	put_time(b, o, "effective_at", inv->finalized_at);
	/* No customer balance is applied to invoices: it ends as it started, at 0. */
	put(b, o, "ending_balance", finalized ? json_integer(0) : json_null());
	put_null(b, o, "footer");
	put_null(b, o, "from_invoice");
	put_null(b, o, "hosted_invoice_url");
	put_null(b, o, "invoice_pdf");
	put_null(b, o, "last_finalization_error");
	put_null(b, o, "latest_revision");
	char url[FAKE_ID_MAX + 64];
	if (!preview)
		snprintf(url, sizeof url, "/v1/invoices/%s/lines", inv->obj.id);
	else if (inv->subscription)
		snprintf(url, sizeof url, "/v1/invoices/upcoming/lines?subscription=%s", inv->subscription);
	else
		snprintf(url, sizeof url, "/v1/invoices/upcoming/lines");
	put(b, o, "lines", embedded_list(b, (const void *const *)inv->lines, inv->line_count, url));
	put_bool(b, o, "livemode", false);
	put(b, o, "metadata", metadata(b, inv->metadata));
	put_time(b, o, "next_payment_attempt", inv->next_payment_attempt);
	put_str(b, o, "number", inv->number);
	put_null(b, o, "on_behalf_of");
	put_bool(b, o, "paid", inv->status == FAKE_INVOICE_PAID);
	put_bool(b, o, "paid_out_of_band", inv->paid_out_of_band);
	put_str(b, o, "payment_intent", inv->payment_intent);
	json_t *settings = new_object(b);
	put_null(b, settings, "default_mandate");
	put_null(b, settings, "payment_method_options");
	put_null(b, settings, "payment_method_types");
	put(b, o, "payment_settings", settings);
	put_int(b, o, "period_end", inv->period_end);
	put_int(b, o, "period_start", inv->period_start);
	put_int(b, o, "post_payment_credit_notes_amount", 0);
	put_int(b, o, "pre_payment_credit_notes_amount", 0);
	put_null(b, o, "quote");
	put_null(b, o, "receipt_number");
	put_null(b, o, "rendering_options");
	put_null(b, o, "shipping_cost");
	put_null(b, o, "shipping_details");
	put_int(b, o, "starting_balance", 0);
	put_null(b, o, "statement_descriptor");
	put_str(b, o, "status", fake_invoice_status_name(inv));
	json_t *transitions = new_object(b);
	put_time(b, transitions, "finalized_at", inv->finalized_at);
	put_time(b, transitions, "marked_uncollectible_at", inv->marked_uncollectible_at);
	put_time(b, transitions, "paid_at", inv->paid_at);
	put_time(b, transitions, "voided_at", inv->voided_at);
	put(b, o, "status_transitions", transitions);
	put_str(b, o, "subscription", inv->subscription);
	json_t *details = new_object(b);
	put(b, details, "metadata", sub ? metadata(b, sub->metadata) : json_null());
	put(b, o, "subscription_details", details);
	put_int(b, o, "subtotal", inv->subtotal);
	put_int(b, o, "subtotal_excluding_tax", inv->subtotal);
	put_null(b, o, "tax");
	put_test_clock(b, o, inv->customer);
	put_int(b, o, "total", inv->total);
	put_empty_array(b, o, "total_discount_amounts");
	put_int(b, o, "total_excluding_tax", inv->total);
	put_empty_array(b, o, "total_tax_amounts");
	put_null(b, o, "transfer_data");
	/* Webhooks go out synchronously in the fake: delivered (or none to
	 * deliver) as the invoice was created. A preview sends none. */
	put_time(b, o, "webhooks_delivered_at", preview ? 0 : inv->obj.created);
	return o;
}

static json_t *invoice_item_json(build *b, const void *object)
{
	const struct fake_invoice_item *ii = object;
	if (ii->obj.flags & FAKE__DELETED)
		return deleted_json(b, ii);
	json_t *o = object_head(b, ii);
	put_int(b, o, "amount", ii->amount);
	put_str(b, o, "currency", ii->currency);
	put_str(b, o, "customer", ii->customer);
	put_int(b, o, "date", ii->obj.created);
	put_str(b, o, "description", ii->description);
	put_bool(b, o, "discountable", discountable(ii->proration, ii->amount));
	put_empty_array(b, o, "discounts");
	put_str(b, o, "invoice", ii->invoice);
	put_bool(b, o, "livemode", false);
	put(b, o, "metadata", metadata(b, ii->metadata));
	put(b, o, "period", period(b, ii->period_start, ii->period_end));
	put(b, o, "price", ii->price ? object_json(b, ii->price) : json_null());
	put_bool(b, o, "proration", ii->proration);
	put_int(b, o, "quantity", ii->quantity);
	put_str(b, o, "subscription", ii->subscription);
	if (ii->subscription_item)
		put_str(b, o, "subscription_item", ii->subscription_item);
	put_empty_array(b, o, "tax_rates");
	put_test_clock(b, o, ii->customer);
	put_int(b, o, "unit_amount", ii->unit_amount);
	put(b, o, "unit_amount_decimal", decimal(b, "unit_amount_decimal", ii->unit_amount, 1));
	return o;
}

/* ---- event -------------------------------------------------------------------- */

/* previous_attributes for one changed field, as Stripe sends it: for an
 * object (metadata, invoice_settings, card, billing_details) only its
 * members that changed, with their old values, and null for members that
 * were added; for anything else the old value. Both trees are borrowed. */
static json_t *previous_value(build *b, json_t *before, json_t *after)
{
	if (!before)
		return json_null();
	if (!json_is_object(before) || !json_is_object(after))
		return json_incref(before);
	json_t *o = new_object(b);
	const char *key;
	json_t *old;
	json_object_foreach(before, key, old) {
		json_t *now = json_object_get(after, key);
		if (!now)
			put(b, o, key, json_incref(old));
		else if (!json_equal(old, now))
			put(b, o, key, previous_value(b, old, now));
	}
	json_t *now;
	json_object_foreach(after, key, now) {
		if (!json_object_get(before, key))
			put_null(b, o, key);
	}
	return o;
}

static json_t *event_json(build *b, const void *object)
{
	const struct fake_event *e = object;
	json_t *snapshot = object_json(b, e->object);
	json_t *previous = NULL;
	if (e->previous) {
		json_t *before = object_json(b, e->previous);
		previous = new_object(b);
		for (size_t i = 0; before && snapshot && i < e->changed_count; i++)
			put(b, previous, e->changed[i],
			    previous_value(b, json_object_get(before, e->changed[i]),
					   json_object_get(snapshot, e->changed[i])));
		json_decref(before);
	}

	json_t *o = object_head(b, e);
	put_str(b, o, "api_version", API_VERSION);
	put_int(b, o, "created", e->obj.created);
	json_t *data = new_object(b);
	put(b, data, "object", snapshot);
	if (e->previous)
		put(b, data, "previous_attributes", previous);
	put(b, o, "data", data);
	put_bool(b, o, "livemode", false);
	put_int(b, o, "pending_webhooks", (int64_t)e->pending_webhooks);
	json_t *request = new_object(b);
	put_str(b, request, "id", e->request_id);
	put_null(b, request, "idempotency_key");
	put(b, o, "request", request);
	put_str(b, o, "type", fake_event_type(e));
	return o;
}

/* ---- expansion ---------------------------------------------------------------- */

/* What an expand path may do with a field (Stripe's x-expandableFields of
 * the 2023-08-16 spec, limited to the fields libfake writes). */
typedef enum field_kind {
	FIELD_PLAIN,  /* may end a path, changes nothing: null, a value, or an object or array with nothing to expand */
	FIELD_REF,    /* an id (or null) that expansion replaces with the object it names */
	FIELD_EMBED,  /* an embedded object whose own fields may be named (sub) */
	FIELD_OBJECT, /* an embedded object of a libfake type, always written whole (an item's price) */
	FIELD_LIST,   /* an embedded list envelope of one type; the path goes on through "data" */
} field_kind;

typedef struct fields fields;

typedef struct field {
	const char *name;
	field_kind kind;
	unsigned int types; /* REF: bits (1u << fake_object_type) of what the id may name, none for a type
			       libfake does not have (test clocks); OBJECT, LIST: the one type */
	const fields *sub;  /* EMBED: its fields */
} field;

struct fields {
	const field *items;
	size_t count;
};

#define TYPE(t) (1u << FAKE_OBJECT_##t)
#define PLAIN(name) { name, FIELD_PLAIN, 0, NULL }
#define REF(name, types) { name, FIELD_REF, types, NULL }
#define EMBED(name, sub) { name, FIELD_EMBED, 0, &sub }
#define OBJECT(name, t) { name, FIELD_OBJECT, TYPE(t), NULL }
#define LIST(name, t) { name, FIELD_LIST, TYPE(t), NULL }
#define FIELDS(a) { a, FAKE__COUNT(a) }

static const field billing_details_expandable[] = { PLAIN("address") };
static const fields billing_details_fields = FIELDS(billing_details_expandable);
static const field invoice_settings_expandable[] = {
	PLAIN("custom_fields"),
	REF("default_payment_method", TYPE(PAYMENT_METHOD)),
	PLAIN("rendering_options"),
};
static const fields invoice_settings_fields = FIELDS(invoice_settings_expandable);
static const field customer_expandable[] = {
	PLAIN("address"),
	PLAIN("default_source"),
	PLAIN("discount"),
	EMBED("invoice_settings", invoice_settings_fields),
	PLAIN("shipping"),
	REF("test_clock", TYPE(TEST_CLOCK)),
};

static const field payment_method_card_expandable[] = {
	PLAIN("checks"), PLAIN("generated_from"), PLAIN("networks"), PLAIN("three_d_secure_usage"), PLAIN("wallet"),
};
static const fields payment_method_card_fields = FIELDS(payment_method_card_expandable);
static const field payment_method_expandable[] = {
	EMBED("billing_details", billing_details_fields),
	EMBED("card", payment_method_card_fields),
	REF("customer", TYPE(CUSTOMER)),
};

static const field product_expandable[] = {
	REF("default_price", TYPE(PRICE)),
	PLAIN("features"),
	PLAIN("package_dimensions"),
	PLAIN("tax_code"),
};

static const field price_expandable[] = {
	PLAIN("custom_unit_amount"),
	REF("product", TYPE(PRODUCT)),
	PLAIN("recurring"),
	PLAIN("transform_quantity"),
};

static const field amount_details_expandable[] = { PLAIN("tip") };
static const fields amount_details_fields = FIELDS(amount_details_expandable);
static const field payment_intent_expandable[] = {
	EMBED("amount_details", amount_details_fields),
	PLAIN("application"),
	PLAIN("automatic_payment_methods"),
	REF("customer", TYPE(CUSTOMER)),
	REF("invoice", TYPE(INVOICE)),
	PLAIN("last_payment_error"),
	REF("latest_charge", TYPE(CHARGE)),
	PLAIN("next_action"),
	PLAIN("on_behalf_of"),
	REF("payment_method", TYPE(PAYMENT_METHOD)),
	PLAIN("payment_method_options"),
	PLAIN("processing"),
	PLAIN("review"),
	PLAIN("shipping"),
	PLAIN("transfer_data"),
};

static const field setup_intent_expandable[] = {
	PLAIN("application"),
	PLAIN("automatic_payment_methods"),
	REF("customer", TYPE(CUSTOMER)),
	PLAIN("last_setup_error"),
	PLAIN("latest_attempt"),
	PLAIN("mandate"),
	PLAIN("next_action"),
	PLAIN("on_behalf_of"),
	REF("payment_method", TYPE(PAYMENT_METHOD)),
	PLAIN("payment_method_options"),
	PLAIN("single_use_mandate"),
};

static const field charge_card_expandable[] = {
	PLAIN("checks"), PLAIN("installments"), PLAIN("network_token"), PLAIN("three_d_secure"), PLAIN("wallet"),
};
static const fields charge_card_fields = FIELDS(charge_card_expandable);
static const field payment_method_details_expandable[] = { EMBED("card", charge_card_fields) };
static const fields payment_method_details_fields = FIELDS(payment_method_details_expandable);
static const field charge_expandable[] = {
	PLAIN("application"),
	PLAIN("application_fee"),
	REF("balance_transaction", TYPE(BALANCE_TRANSACTION)),
	EMBED("billing_details", billing_details_fields),
	REF("customer", TYPE(CUSTOMER)),
	REF("failure_balance_transaction", TYPE(BALANCE_TRANSACTION)),
	PLAIN("fraud_details"),
	REF("invoice", TYPE(INVOICE)),
	PLAIN("on_behalf_of"),
	PLAIN("outcome"),
	REF("payment_intent", TYPE(PAYMENT_INTENT)),
	EMBED("payment_method_details", payment_method_details_fields),
	LIST("refunds", REFUND),
	PLAIN("review"),
	PLAIN("shipping"),
	PLAIN("source_transfer"),
	PLAIN("transfer_data"),
};

static const field refund_expandable[] = {
	REF("balance_transaction", TYPE(BALANCE_TRANSACTION)),
	REF("charge", TYPE(CHARGE)),
	REF("payment_intent", TYPE(PAYMENT_INTENT)),
	PLAIN("source_transfer_reversal"),
	PLAIN("transfer_reversal"),
};

static const field balance_transaction_expandable[] = {
	PLAIN("fee_details"),
	REF("source", TYPE(CHARGE) | TYPE(REFUND)),
};

static const field payment_settings_expandable[] = { PLAIN("payment_method_options") };
static const fields payment_settings_fields = FIELDS(payment_settings_expandable);
static const field trial_settings_expandable[] = { PLAIN("end_behavior") };
static const fields trial_settings_fields = FIELDS(trial_settings_expandable);
static const field subscription_expandable[] = {
	PLAIN("application"),
	PLAIN("automatic_tax"),
	PLAIN("billing_thresholds"),
	PLAIN("cancellation_details"),
	REF("customer", TYPE(CUSTOMER)),
	REF("default_payment_method", TYPE(PAYMENT_METHOD)),
	PLAIN("default_source"),
	PLAIN("default_tax_rates"),
	PLAIN("discount"),
	LIST("items", SUBSCRIPTION_ITEM),
	REF("latest_invoice", TYPE(INVOICE)),
	PLAIN("on_behalf_of"),
	PLAIN("pause_collection"),
	EMBED("payment_settings", payment_settings_fields),
	PLAIN("pending_invoice_item_interval"),
	REF("pending_setup_intent", TYPE(SETUP_INTENT)),
	PLAIN("pending_update"),
	PLAIN("schedule"),
	REF("test_clock", TYPE(TEST_CLOCK)),
	PLAIN("transfer_data"),
	EMBED("trial_settings", trial_settings_fields),
};

static const field subscription_item_expandable[] = {
	PLAIN("billing_thresholds"),
	OBJECT("price", PRICE),
	PLAIN("tax_rates"),
};

static const field invoice_expandable[] = {
	PLAIN("account_tax_ids"),
	PLAIN("application"),
	PLAIN("automatic_tax"),
	REF("charge", TYPE(CHARGE)),
	PLAIN("custom_fields"),
	REF("customer", TYPE(CUSTOMER)),
	PLAIN("customer_address"),
	PLAIN("customer_shipping"),
	PLAIN("customer_tax_ids"),
	REF("default_payment_method", TYPE(PAYMENT_METHOD)),
	PLAIN("default_source"),
	PLAIN("default_tax_rates"),
	PLAIN("discount"),
	PLAIN("discounts"),
	PLAIN("from_invoice"),
	PLAIN("last_finalization_error"),
	REF("latest_revision", TYPE(INVOICE)),
	LIST("lines", INVOICE_LINE),
	PLAIN("on_behalf_of"),
	REF("payment_intent", TYPE(PAYMENT_INTENT)),
	EMBED("payment_settings", payment_settings_fields),
	PLAIN("quote"),
	PLAIN("rendering_options"),
	PLAIN("shipping_cost"),
	PLAIN("shipping_details"),
	PLAIN("status_transitions"),
	REF("subscription", TYPE(SUBSCRIPTION)),
	PLAIN("subscription_details"),
	REF("test_clock", TYPE(TEST_CLOCK)),
	PLAIN("total_discount_amounts"),
	PLAIN("total_tax_amounts"),
	PLAIN("transfer_data"),
};

static const field proration_details_expandable[] = { PLAIN("credited_items") };
static const fields proration_details_fields = FIELDS(proration_details_expandable);
static const field invoice_line_expandable[] = {
	PLAIN("discount_amounts"),
	PLAIN("discounts"),
	REF("invoice_item", TYPE(INVOICE_ITEM)),
	PLAIN("period"),
	OBJECT("price", PRICE),
	EMBED("proration_details", proration_details_fields),
	REF("subscription", TYPE(SUBSCRIPTION)),
	REF("subscription_item", TYPE(SUBSCRIPTION_ITEM)),
	PLAIN("tax_amounts"),
	PLAIN("tax_rates"),
};

static const field invoice_item_expandable[] = {
	REF("customer", TYPE(CUSTOMER)),
	PLAIN("discounts"),
	REF("invoice", TYPE(INVOICE)),
	PLAIN("period"),
	OBJECT("price", PRICE),
	REF("subscription", TYPE(SUBSCRIPTION)),
	PLAIN("tax_rates"),
	REF("test_clock", TYPE(TEST_CLOCK)),
};

/* Per object type, the fields a path may name. Events, webhook endpoints
 * and usage records have none: Stripe expands nothing inside an event
 * (check_expand() says so), and the other two have nothing expandable. */
static const fields expandable[FAKE_OBJECT_TYPE_COUNT] = {
	[FAKE_OBJECT_CUSTOMER] = FIELDS(customer_expandable),
	[FAKE_OBJECT_PAYMENT_METHOD] = FIELDS(payment_method_expandable),
	[FAKE_OBJECT_PRODUCT] = FIELDS(product_expandable),
	[FAKE_OBJECT_PRICE] = FIELDS(price_expandable),
	[FAKE_OBJECT_PAYMENT_INTENT] = FIELDS(payment_intent_expandable),
	[FAKE_OBJECT_CHARGE] = FIELDS(charge_expandable),
	[FAKE_OBJECT_REFUND] = FIELDS(refund_expandable),
	[FAKE_OBJECT_BALANCE_TRANSACTION] = FIELDS(balance_transaction_expandable),
	[FAKE_OBJECT_SETUP_INTENT] = FIELDS(setup_intent_expandable),
	[FAKE_OBJECT_SUBSCRIPTION] = FIELDS(subscription_expandable),
	[FAKE_OBJECT_SUBSCRIPTION_ITEM] = FIELDS(subscription_item_expandable),
	[FAKE_OBJECT_INVOICE] = FIELDS(invoice_expandable),
	[FAKE_OBJECT_INVOICE_LINE] = FIELDS(invoice_line_expandable),
	[FAKE_OBJECT_INVOICE_ITEM] = FIELDS(invoice_item_expandable),
};

#undef TYPE
#undef PLAIN
#undef REF
#undef EMBED
#undef OBJECT
#undef LIST
#undef FIELDS

/* The one type of an OBJECT or LIST field. */
static fake_object_type only_type(unsigned int types)
{
	fake_object_type t = 0;
	while (t < FAKE_OBJECT_TYPE_COUNT && !(types & (1u << t)))
		t++;
	return t;
}

/* The child of node n named by the segment `name`, if any path goes
 * through it. */
static bool child_of(const build *b, expand_node n, const char *name, expand_node *child)
{
	size_t name_len = strlen(name);
	for (size_t i = 0; n.path && i < b->expand_count; i++) {
		const char *path = b->expand[i];
		const char *segment = path;
		if (n.len) {
			if (strncmp(path, n.path, n.len) != 0 || path[n.len] != '.')
				continue;
			segment = path + n.len + 1;
		}
		if (strncmp(segment, name, name_len) == 0 && (segment[name_len] == '\0' || segment[name_len] == '.')) {
			child->path = path;
			child->len = (size_t)(segment - path) + name_len;
			return true;
		}
	}
	return false;
}

/* The object an expandable id names, of one of `types`, as it is now (a
 * deleted one too), or NULL. */
static const void *referenced(const build *b, const char *id, unsigned int types)
{
	const fake__object *o = fake__store_find(b->p, id);
	return o && o->type < FAKE_OBJECT_TYPE_COUNT && (types & (1u << o->type)) ? o : NULL;
}

/* Expands the paths below node n in `o`, an object whose fields are `t`:
 * the document a builder just returned, or an object embedded in it. */
static void apply(build *b, json_t *o, const fields *t, expand_node n)
{
	for (size_t i = 0; i < t->count && !b->status; i++) {
		const field *f = &t->items[i];
		expand_node c;
		json_t *v = json_object_get(o, f->name);
		if (!v || !child_of(b, n, f->name, &c))
			continue;
		switch (f->kind) {
		case FIELD_PLAIN:
			break;
		case FIELD_REF: {
			/* null stays null; an id that names nothing libfake holds
			 * (none does today) stays an id */
			const void *target = json_is_string(v) ? referenced(b, json_string_value(v), f->types) : NULL;
			if (!target)
				break;
			b->next = c;
			json_t *expanded = object_json(b, target);
			if (!expanded)
				fail_nomem(b);
			else if (json_object_set_new_nocheck(o, f->name, expanded))
				fail_nomem(b);
			break;
		}
		case FIELD_EMBED:
			if (json_is_object(v))
				apply(b, v, f->sub, c);
			break;
		case FIELD_OBJECT:
			if (json_is_object(v))
				apply(b, v, &expandable[only_type(f->types)], c);
			break;
		case FIELD_LIST: {
			expand_node d;
			json_t *data = json_object_get(v, "data");
			size_t k;
			json_t *item;
			if (!child_of(b, c, "data", &d))
				break;
			json_array_foreach(data, k, item)
				apply(b, item, &expandable[only_type(f->types)], d);
			break;
		}
		}
	}
}

/* ---- checking expand paths --------------------------------------------------------- */

/* The end of the segment that starts at pos. */
static size_t segment_end(const char *path, size_t pos)
{
	while (path[pos] && path[pos] != '.')
		pos++;
	return pos;
}

static const field *field_named(const fields *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->count; i++)
		if (strlen(t->items[i].name) == len && memcmp(t->items[i].name, name, len) == 0)
			return &t->items[i];
	return NULL;
}

static size_t walk_types(const char *path, size_t pos, unsigned int types);

/* Follows path from pos through the fields `t`: 0 when every segment may
 * be expanded there, else the end of the first one that may not. */
static size_t walk(const char *path, size_t pos, const fields *t)
{
	size_t end = segment_end(path, pos);
	const field *f = field_named(t, path + pos, end - pos);
	if (!f)
		return end;
	if (!path[end])
		return 0;
	size_t next = end + 1;
	switch (f->kind) {
	case FIELD_EMBED:
		return walk(path, next, f->sub);
	case FIELD_REF:
	case FIELD_OBJECT:
		return walk_types(path, next, f->types);
	case FIELD_LIST: {
		size_t data_end = segment_end(path, next);
		if (data_end - next != 4 || memcmp(path + next, "data", 4) != 0)
			return data_end;
		return path[data_end] ? walk_types(path, data_end + 1, f->types) : 0;
	}
	case FIELD_PLAIN:
		break;
	}
	return segment_end(path, next); /* nothing below a plain field */
}

/* As walk(), for a field that may hold objects of several types (a
 * balance transaction's source: a charge or a refund): the path is good if
 * it is good for one of them. */
static size_t walk_types(const char *path, size_t pos, unsigned int types)
{
	size_t first = 0;
	for (unsigned int t = 0; t < FAKE_OBJECT_TYPE_COUNT; t++) {
		if (!(types & (1u << t)))
			continue;
		size_t bad = walk(path, pos, &expandable[t]);
		if (!bad)
			return 0;
		if (!first)
			first = bad;
	}
	return first ? first : segment_end(path, pos);
}

/* Checks the expand paths of a request before anything is built: for an
 * object of `types` (one bit), or for a list page whose items are of
 * `types` (list: every path starts with "data"; an empty page has no
 * types, so only the form of its paths is checked). Fills the error
 * record and returns its status on the first bad path. */
static int check_expand(fake_processor *p, const char *const *expand, size_t count, bool list, unsigned int types)
{
	if (count && !expand)
		return fake__error_set(p, FAKE_EINVAL, "", "expand", "Invalid expand: NULL with expand_count %zu.", count);
	for (size_t i = 0; i < count; i++) {
		const char *path = expand[i];
		if (!path)
			return fake__error_set(p, FAKE_EINVAL, "", "expand", "Invalid expand[%zu]: NULL instead of a path.", i);
		size_t len = 0;
		while (len <= FAKE_JSON_EXPAND_PATH_MAX && path[len])
			len++;
		if (len > FAKE_JSON_EXPAND_PATH_MAX)
			return fake__error_set(p, FAKE_EINVAL, "", "expand",
					       "Invalid expand[%zu]: the path is longer than %d bytes.", i,
					       FAKE_JSON_EXPAND_PATH_MAX);
		if (!len)
			return fake__error_set(p, FAKE_EINVAL, "", "expand", "Invalid expand[%zu]: the path is empty.", i);
		/* Field names are ASCII; a path that is not is refused without
		 * being echoed, so that every message is printable. */
		for (size_t k = 0; k < len; k++)
			if (path[k] <= ' ' || path[k] > '~')
				return fake__error_set(p, FAKE_EINVAL, "", "expand",
						       "Invalid expand[%zu]: a path is field names joined by dots, "
						       "in printable ASCII without spaces.",
						       i);
		size_t depth = 1;
		for (size_t k = 0; k < len; k++) {
			if (path[k] != '.')
				continue;
			if (k == 0 || k + 1 == len || path[k + 1] == '.')
				return fake__error_set(p, FAKE_EINVAL, "", "expand",
						       "Invalid expand[%zu]: \"%s\" has an empty segment.", i, path);
			depth++;
		}
		if (depth > FAKE_JSON_EXPAND_DEPTH_MAX)
			return fake__error_set(p, FAKE_EINVAL, "property_expansion_max_depth", "expand",
					       "You cannot expand more than %d levels of a property. Property: %s",
					       FAKE_JSON_EXPAND_DEPTH_MAX, path);
		size_t pos = 0;
		if (list) {
			size_t end = segment_end(path, 0);
			if (end != 4 || memcmp(path, "data", 4) != 0)
				return fake__error_set(p, FAKE_EINVAL, "", "expand",
						       "This property cannot be expanded (%.*s). You may want to try "
						       "expanding 'data.%s' instead.",
						       (int)end, path, path);
			if (!path[end])
				continue; /* "data" alone: Stripe accepts it, and it changes nothing */
			pos = end + 1;
		}
		if (types & (1u << FAKE_OBJECT_EVENT)) {
			size_t end = segment_end(path, pos);
			return fake__error_set(p, FAKE_EINVAL, "", "expand",
					       "This property cannot be expanded (%.*s): Stripe expands nothing inside an "
					       "event, whose data.object is the object as it was.",
					       (int)end, path);
		}
		size_t bad = types ? walk_types(path, pos, types) : 0;
		if (bad)
			return fake__error_set(p, FAKE_EINVAL, "", "expand", "This property cannot be expanded (%.*s).",
					       (int)bad, path);
	}
	return 0;
}

/* ---- dispatch and output -------------------------------------------------------- */

/* The builder of each object type; NULL for a type that has no JSON shape yet. */
typedef json_t *(*builder_fn)(build *b, const void *object);

static json_t *webhook_endpoint_json(build *b, const void *object)
{
	const struct fake_webhook_endpoint *we = object;
	json_t *o = object_head(b, we);
	put_null(b, o, "api_version");
	put_null(b, o, "application");
	put_int(b, o, "created", we->obj.created);
	put_str(b, o, "description", we->description);
	json_t *events = new_array(b);
	for (size_t i = 0; i < we->enabled_count; i++)
		append(b, events, str(b, "enabled_events", we->enabled_events[i]));
	put(b, o, "enabled_events", events);
	put_bool(b, o, "livemode", false);
	put_empty_object(b, o, "metadata");
	/* Stripe shows the secret only when the endpoint is created; libfake
	 * always does, since tests need it to verify deliveries. */
	put_str(b, o, "secret", we->secret);
	put_str(b, o, "status", we->disabled ? "disabled" : "enabled");
	put_str(b, o, "url", we->url);
	return o;
}

/* ---- test clock ----------------------------------------------------------------- */

static json_t *test_clock_json(build *b, const void *object)
{
	const struct fake_test_clock *c = object;
	if (c->obj.flags & FAKE__DELETED)
		return deleted_json(b, c);
	json_t *o = object_head(b, c);
	put_int(b, o, "created", c->obj.created);
	put_int(b, o, "deletes_after", c->deletes_after);
	put_int(b, o, "frozen_time", c->frozen_time);
	put_bool(b, o, "livemode", false);
	put_str(b, o, "name", c->name);
	put_str(b, o, "status", fake_test_clock_status_name(c->status));
	json_t *details = new_object(b);
	if (c->status == FAKE_TEST_CLOCK_ADVANCING) {
		json_t *advancing = new_object(b);
		put_int(b, advancing, "target_frozen_time", c->target);
		put(b, details, "advancing", advancing);
	}
	put(b, o, "status_details", details);
	return o;
}

static const builder_fn builders[FAKE_OBJECT_TYPE_COUNT] = {
	[FAKE_OBJECT_CUSTOMER] = customer_json,
	[FAKE_OBJECT_PAYMENT_METHOD] = payment_method_json,
	[FAKE_OBJECT_EVENT] = event_json,
	[FAKE_OBJECT_PRODUCT] = product_json,
	[FAKE_OBJECT_PRICE] = price_json,
	[FAKE_OBJECT_PAYMENT_INTENT] = payment_intent_json,
	[FAKE_OBJECT_CHARGE] = charge_json,
	[FAKE_OBJECT_REFUND] = refund_json,
	[FAKE_OBJECT_BALANCE_TRANSACTION] = balance_transaction_json,
	[FAKE_OBJECT_SETUP_INTENT] = setup_intent_json,
	[FAKE_OBJECT_WEBHOOK_ENDPOINT] = webhook_endpoint_json,
	[FAKE_OBJECT_SUBSCRIPTION] = subscription_json,
	[FAKE_OBJECT_SUBSCRIPTION_ITEM] = subscription_item_json,
	[FAKE_OBJECT_USAGE_RECORD] = usage_record_json,
	[FAKE_OBJECT_INVOICE] = invoice_json,
	[FAKE_OBJECT_INVOICE_LINE] = invoice_line_json,
	[FAKE_OBJECT_INVOICE_ITEM] = invoice_item_json,
	[FAKE_OBJECT_TEST_CLOCK] = test_clock_json,
};

static builder_fn builder_of(const void *object)
{
	fake_object_type type = fake_object_type_of(object);
	return type < FAKE_OBJECT_TYPE_COUNT ? builders[type] : NULL;
}

/* The document of one object, with the expansions b->next asks for (and
 * only those: b->next is cleared before the builder runs, so the objects a
 * builder embeds, and an event's snapshots, are written as they are). */
static json_t *object_json(build *b, const void *object)
{
	expand_node n = b->next;
	b->next = (expand_node){ NULL, 0 };
	builder_fn fn = builder_of(object);
	if (!fn) {
		fail_unsupported(b, object);
		return NULL;
	}
	const char *outer = b->owner;
	b->owner = fake_object_id(object);
	json_t *o = fn(b, object);
	if (o && n.path)
		apply(b, o, &expandable[fake_object_type_of(object)], n);
	b->owner = outer;
	if (!o)
		fail_nomem(b);
	return o;
}

/* Writes the finished document into memory from the instance allocator:
 * jansson measures it first, then writes it into the buffer. Takes root's
 * reference. */
static int finish(build *b, json_t *root, char **out, unsigned int flags)
{
	if (!root)
		fail_nomem(b);
	if (b->status) {
		json_decref(root);
		return report(b);
	}
	bool pretty = flags & FAKE_JSON_PRETTY;
	size_t dump_flags = pretty ? JSON_INDENT(2) : JSON_COMPACT;
	size_t n = json_dumpb(root, NULL, 0, dump_flags);
	char *s = n ? fake__malloc(b->p, n + 2) : NULL;
	if (!s || json_dumpb(root, s, n, dump_flags) != n) {
		fake__free(b->p, s);
		json_decref(root);
		return fake__error_nomem(b->p);
	}
	json_decref(root);
	if (pretty)
		s[n++] = '\n';
	s[n] = '\0';
	*out = s;
	return 0;
}

static int check_args(fake_processor *p, char **out, unsigned int flags)
{
	if (!out)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "out", "Missing required param: out.");
	if (flags & ~(unsigned int)FAKE_JSON_PRETTY)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "flags",
				       "Invalid flags: 0x%x has bits libfake does not know (only FAKE_JSON_PRETTY).",
				       flags);
	return 0;
}

static int check_object(fake_processor *p, const void *object, const char *param)
{
	if (!object)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", param, "Missing required param: %s.", param);
	if (fake_object_type_of(object) >= FAKE_OBJECT_TYPE_COUNT)
		return fake__error_set(p, FAKE_EINVAL, "", param, "Invalid %s: not an object libfake returned.", param);
	if (!builder_of(object))
		return fake__error_set(p, FAKE_EINVAL, "", param, "Invalid %s: libfake has no JSON shape for %s objects yet.",
				       param, fake_object_name(object));
	return 0;
}

int fake_json_object(char **out, fake_processor *p, const void *object, unsigned int flags)
{
	return fake_json_object_expand(out, p, object, NULL, 0, flags);
}

int fake_json_object_expand(char **out, fake_processor *p, const void *object, const char *const *expand,
			    size_t expand_count, unsigned int flags)
{
	if (out)
		*out = NULL;
	if (!p)
		return FAKE_EINVAL;
	if (check_args(p, out, flags) || check_object(p, object, "object") ||
	    check_expand(p, expand, expand_count, false, 1u << fake_object_type_of(object)))
		return p->error->status;
	build b = { .p = p, .expand = expand, .expand_count = expand_count };
	if (expand_count)
		b.next = (expand_node){ "", 0 };
	return finish(&b, object_json(&b, object), out, flags);
}

int fake_json_list(char **out, fake_processor *p, const fake_list *page, const char *url, unsigned int flags)
{
	return fake_json_list_expand(out, p, page, url, NULL, 0, flags);
}

int fake_json_list_expand(char **out, fake_processor *p, const fake_list *page, const char *url,
			  const char *const *expand, size_t expand_count, unsigned int flags)
{
	if (out)
		*out = NULL;
	if (!p)
		return FAKE_EINVAL;
	if (check_args(p, out, flags))
		return p->error->status;
	if (!page)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "page", "Missing required param: page.");
	if (!url)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "url", "Missing required param: url.");
	if (page->count > FAKE_LIST_LIMIT_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "page",
				       "Invalid page: count %zu is more than a page holds (%d).", page->count,
				       FAKE_LIST_LIMIT_MAX);
	unsigned int types = 0;
	for (size_t i = 0; i < page->count; i++) {
		if (check_object(p, page->data[i], "page.data"))
			return p->error->status;
		types |= 1u << fake_object_type_of(page->data[i]);
	}
	if (check_expand(p, expand, expand_count, true, types))
		return p->error->status;

	/* Every path starts with "data": the items' expansions are below it. */
	build b = { .p = p, .expand = expand, .expand_count = expand_count };
	expand_node items = { NULL, 0 };
	if (!expand_count || !child_of(&b, (expand_node){ "", 0 }, "data", &items))
		items.path = NULL;
	json_t *o = new_object(&b);
	put_str(&b, o, "object", "list");
	json_t *data = new_array(&b);
	for (size_t i = 0; i < page->count; i++) {
		b.next = items;
		append(&b, data, object_json(&b, page->data[i]));
	}
	put(&b, o, "data", data);
	put_bool(&b, o, "has_more", page->has_more);
	put_str(&b, o, "url", url);
	return finish(&b, o, out, flags);
}

int fake_json_error(char **out, fake_processor *p, unsigned int flags)
{
	if (out)
		*out = NULL;
	if (!p)
		return FAKE_EINVAL;
	if (check_args(p, out, flags))
		return p->error->status;
	const fake_error *e = p->error;
	if (!e->status)
		return fake__error_set(p, FAKE_EINVAL, "", "",
				       "The error record holds no error: the last call succeeded, so there is no error body.");

	/* A declined payment names its intent and charge: Stripe's body
	 * carries the intent (and the payment method that was declined) as
	 * objects, here as they are now. An id that names nothing (a stub may
	 * write any) is left out. */
	build b = { .p = p };
	const struct fake_charge *ch = e->charge[0] ? find(&b, e->charge, FAKE_OBJECT_CHARGE) : NULL;
	const void *pi = e->payment_intent[0] ? find(&b, e->payment_intent, FAKE_OBJECT_PAYMENT_INTENT) : NULL;
	const void *si = e->setup_intent[0] ? find(&b, e->setup_intent, FAKE_OBJECT_SETUP_INTENT) : NULL;
	const void *pm = ch ? find(&b, ch->payment_method, FAKE_OBJECT_PAYMENT_METHOD) : NULL;

	json_t *err = new_object(&b);
	if (e->charge[0])
		put_str(&b, err, "charge", e->charge);
	if (e->code[0])
		put_str(&b, err, "code", e->code);
	if (e->decline_code[0])
		put_str(&b, err, "decline_code", e->decline_code);
	if (e->code[0])
		put(&b, err, "doc_url", doc_url(&b, e->code));
	if (e->message[0])
		put_str(&b, err, "message", e->message);
	if (e->param[0])
		put_str(&b, err, "param", e->param);
	if (pi)
		put(&b, err, "payment_intent", object_json(&b, pi));
	if (pm)
		put(&b, err, "payment_method", object_json(&b, pm));
	if (e->request_id[0]) {
		char url[sizeof(e->request_id) + 48];
		snprintf(url, sizeof url, "https://dashboard.stripe.com/test/logs/%s", e->request_id);
		put_str(&b, err, "request_log_url", url);
	}
	if (si)
		put(&b, err, "setup_intent", object_json(&b, si));
	put_str(&b, err, "type", e->type);
	json_t *o = new_object(&b);
	put(&b, o, "error", err);
	return finish(&b, o, out, flags);
}

void fake_json_free(fake_processor *p, char *json)
{
	if (p && json)
		fake__free(p, json);
}
