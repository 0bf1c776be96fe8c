/*
 * Payment methods (fake/payment_method.h): cards built from Stripe's test
 * numbers and tokens, attach and detach with Stripe's card check, update,
 * list. docs/payment-methods.md has the test-card table.
 */
#include "private.h"

#include <stdio.h>

#define BILLING_MAX 5000

static const char *const token_prefix = "pm_card_";

/* 16 characters from the card number, the same every time (FNV-1a). */
static const char *fingerprint(fake_processor *p, const char *number)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t h = UINT64_C(1469598103934665603);
	for (const char *c = number; *c; c++)
		h = (h ^ (unsigned char)*c) * UINT64_C(1099511628211);
	char *fp = fake__arena_alloc(p, 17);
	if (!fp)
		return NULL;
	for (int i = 0; i < 16; i++) {
		fp[i] = alphabet[h % 62];
		h = h / 62 ^ (h << 13) ^ (uint64_t)i;
	}
	fp[16] = '\0';
	return fp;
}

static int year_now(const fake_processor *p, int *month)
{
	fake__date d = fake__date_from_unix(fake__now(p));
	*month = d.month;
	return d.year;
}

static int check_expiry(fake_processor *p, int exp_month, int exp_year)
{
	int month;
	int year = year_now(p, &month);
	if (exp_month && (exp_month < 1 || exp_month > 12))
		return fake__error_set(p, FAKE_EINVAL, "invalid_expiry_month", "card[exp_month]",
				       "Your card's expiration month is invalid.");
	if (exp_year && (exp_year < year || exp_year > year + 50 ||
			 (exp_year == year && exp_month && exp_month < month)))
		return fake__error_set(p, FAKE_EINVAL, "invalid_expiry_year", "card[exp_year]",
				       "Your card's expiration year is invalid.");
	return 0;
}

/* A new, unattached card payment method for a valid number; the caller
 * finishes it and makes it live with fake__store_add(). */
static int card_new(fake_payment_method **out, fake_processor *p, const char *number, int exp_month, int exp_year)
{
	const fake__card *known = fake__card_by_number(number);
	int month;
	int year = year_now(p, &month);
	fake_payment_method *pm = fake__object_new(p, FAKE_OBJECT_PAYMENT_METHOD, sizeof(*pm));
	if (!pm)
		return fake__error_nomem(p);
	bool ok = true;
	pm->card.brand = fake__card_brand(number);
	pm->card.last4 = fake__arena_strdup(p, number + strlen(number) - 4, &ok);
	pm->card.fingerprint = fingerprint(p, number);
	pm->card.funding = known && strstr(known->token, "debit") ? "debit" : "credit";
	pm->card.exp_month = exp_month ? exp_month : 12;
	pm->card.exp_year = exp_year ? exp_year : year + 3;
	pm->card.behavior = known ? known->behavior : FAKE_CARD_SUCCEEDS;
	pm->card.decline_code = known ? known->decline_code : NULL;
	pm->metadata = &fake__metadata_empty;
	if (!ok || !pm->card.fingerprint)
		return fake__error_nomem(p);
	*out = pm;
	return 0;
}

int fake__payment_method_resolve(fake_payment_method **out, fake_processor *p, const char *id, const char *param)
{
	*out = NULL;
	if (fake__check_id(p, id, param))
		return p->error->status;
	if (strncmp(id, token_prefix, strlen(token_prefix)) == 0) {
		const fake__card *card = fake__card_by_token(id + strlen(token_prefix));
		if (!card)
			return fake__error_set(p, FAKE_ENOTFOUND, "resource_missing", param,
					       "No such PaymentMethod: '%s'", id);
		if (card_new(out, p, card->number, 0, 0) || fake__store_add(p, *out)) {
			*out = NULL;
			return p->error->status;
		}
		return 0;
	}
	void *found = NULL;
	int rc = fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_METHOD, id, param);
	*out = found;
	return rc;
}

fake__card_result fake__card_use_result(const fake__ctx *ctx, const fake_payment_method *pm, fake__card_use use,
					const char **decline_code)
{
	*decline_code = NULL;
	switch (ctx->outcome) {
	case FAKE_OUTCOME_SUCCEED:
		return FAKE__CARD_SUCCEEDS;
	case FAKE_OUTCOME_DECLINE:
		*decline_code = fake__decline_canonical(ctx->decline_code);
		return FAKE__CARD_DECLINED;
	case FAKE_OUTCOME_REQUIRES_ACTION:
		return FAKE__CARD_NEEDS_ACTION;
	default:
		break;
	}
	switch (pm->card.behavior) {
	case FAKE_CARD_DECLINES_AFTER_ATTACH:
		if (use == FAKE__USE_SETUP)
			return FAKE__CARD_SUCCEEDS; /* it attaches fine; only charges fail */
		*decline_code = pm->card.decline_code;
		return FAKE__CARD_DECLINED;
	case FAKE_CARD_DECLINES:
		*decline_code = pm->card.decline_code;
		return FAKE__CARD_DECLINED;
	case FAKE_CARD_REQUIRES_ACTION:
	case FAKE_CARD_REQUIRES_ACTION_ON_SESSION:
		if (use != FAKE__USE_PAYMENT_OFF_SESSION)
			return FAKE__CARD_NEEDS_ACTION;
		/* Off session nobody can authenticate: only a card set up (3155,
		 * authenticated with its customer) goes through. */
		if (pm->card.behavior == FAKE_CARD_REQUIRES_ACTION_ON_SESSION && pm->authenticated)
			return FAKE__CARD_SUCCEEDS;
		*decline_code = "authentication_required";
		return FAKE__CARD_DECLINED;
	case FAKE_CARD_SUCCEEDS:
		break;
	}
	return FAKE__CARD_SUCCEEDS;
}

int fake__payment_method_usable(fake_processor *p, const fake_payment_method *pm, const char *param)
{
	if (!pm->detached)
		return 0;
	return fake__error_set(p, FAKE_EINVAL, "", param,
			       "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again.");
}

int fake__payment_method_check_owner(fake_processor *p, const char *customer, const fake_payment_method *pm)
{
	if (fake__payment_method_usable(p, pm, "payment_method"))
		return p->error->status;
	if (!pm->customer)
		return 0;
	if (!customer)
		return fake__error_set(p, FAKE_EINVAL, "", "customer",
				       "The PaymentMethod %s belongs to the Customer %s. Please include the Customer in the `customer` parameter on the intent.",
				       pm->obj.id, pm->customer);
	if (strcmp(customer, pm->customer) != 0)
		return fake__error_set(p, FAKE_EINVAL, "", "payment_method",
				       "The PaymentMethod %s does not belong to the Customer %s.", pm->obj.id, customer);
	return 0;
}

int fake__payment_method_attach_prepare(fake_processor *p, fake__ctx *ctx, const fake_payment_method *pm,
					const fake_customer *customer, bool check_card, fake_payment_method *next)
{
	*next = *pm;
	if (fake__payment_method_usable(p, pm, ""))
		return p->error->status;
	if (pm->customer) {
		if (strcmp(pm->customer, customer->obj.id) == 0)
			return 0;
		return fake__error_set(p, FAKE_EINVAL, "", "",
				       "The payment method you provided has already been attached to a customer.");
	}
	/* Stripe checks the card on attach, as for a setup: a card that
	 * declines is refused (3D Secure is not asked for on attach). */
	const char *decline_code = NULL;
	if (check_card && fake__card_use_result(ctx, pm, FAKE__USE_SETUP, &decline_code) == FAKE__CARD_DECLINED)
		return fake__error_card(p, decline_code, "");
	next->customer = customer->obj.id;
	return fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_METHOD_ATTACHED, next, NULL, NULL, 0);
}

int fake__payment_method_attach(fake_processor *p, fake__ctx *ctx, fake_payment_method *pm,
				const fake_customer *customer)
{
	fake_payment_method next;
	if (fake__payment_method_attach_prepare(p, ctx, pm, customer, true, &next))
		return p->error->status;
	if (fake__object_commit(p, pm, &next))
		return p->error->status;
	return 0;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_method_create_params defaults = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_PAYMENT_METHOD_CREATE_PARAMS_VERSION,
				"fake_payment_method_create_params"))
		return p->error->status;
	if (c->type && strcmp(c->type, "card") != 0)
		return fake__error_set(p, FAKE_EINVAL, "", "type",
				       "Invalid type: libfake supports payment methods of type card, not '%.64s'.", c->type);
	if (c->card_number && c->card_token)
		return fake__error_set(p, FAKE_EINVAL, "", "card",
				       "Invalid card: give either card[number] or card[token], not both.");
	if (!c->card_number && !c->card_token)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "card",
				       "Missing required param: card (card[number] or card[token]).");
	if (fake__check_string(p, c->card_number, 5000, "card[number]") ||
	    fake__check_string(p, c->card_token, 5000, "card[token]") ||
	    fake__check_string(p, c->billing_name, BILLING_MAX, "billing_details[name]") ||
	    fake__check_string(p, c->billing_email, BILLING_MAX, "billing_details[email]") ||
	    fake__check_string(p, c->billing_phone, BILLING_MAX, "billing_details[phone]") ||
	    check_expiry(p, c->exp_month, c->exp_year) || fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;

	const char *number = c->card_number;
	if (c->card_token) {
		const fake__card *card = strncmp(c->card_token, "tok_", 4) == 0 ? fake__card_by_token(c->card_token + 4)
										   : NULL;
		if (!card)
			return fake__error_set(p, FAKE_EINVAL, "resource_missing", "card[token]", "No such token: '%s'",
					       c->card_token);
		number = card->number;
	} else if (!fake__card_number_valid(number)) {
		return fake__error_set(p, FAKE_EINVAL, "invalid_number", "card[number]", "Your card number is incorrect.");
	}
	if (c->cvc) {
		size_t n = strlen(c->cvc);
		bool digits = n == 3 || n == 4;
		for (size_t i = 0; digits && i < n; i++)
			digits = c->cvc[i] >= '0' && c->cvc[i] <= '9';
		if (!digits)
			return fake__error_set(p, FAKE_EINVAL, "invalid_cvc", "card[cvc]",
					       "Your card's security code is invalid.");
	}

	fake_payment_method *pm = NULL;
	if (card_new(&pm, p, number, c->exp_month, c->exp_year))
		return p->error->status;
	bool ok = true;
	pm->billing_name = c->billing_name && c->billing_name[0] ? fake__arena_strdup(p, c->billing_name, &ok) : NULL;
	pm->billing_email = c->billing_email && c->billing_email[0] ? fake__arena_strdup(p, c->billing_email, &ok) : NULL;
	pm->billing_phone = c->billing_phone && c->billing_phone[0] ? fake__arena_strdup(p, c->billing_phone, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&pm->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__store_add(p, pm))
		return p->error->status;
	*(const fake_payment_method **)out = pm;
	return 0;
}

int fake_payment_method_create(const fake_payment_method **out, fake_processor *p,
			       const fake_payment_method_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_PAYMENT_METHOD, NULL, params, request, out, create);
}

int fake_payment_method_retrieve(const fake_payment_method **out, fake_processor *p, const char *id,
				 const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_PAYMENT_METHOD, id, NULL, request, out, fake__op_retrieve);
}

static const char *billing_field(fake_processor *p, const char *given, const char *old, bool *ok)
{
	if (!given)
		return old;
	return given[0] ? fake__arena_strdup(p, given, ok) : NULL;
}

static int update(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_method_update_params defaults = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	const fake_payment_method_update_params *u = ctx->call.params ? ctx->call.params : &defaults;
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_METHOD, ctx->call.id, "id") ||
	    fake__check_version(p, u->version, FAKE_PAYMENT_METHOD_UPDATE_PARAMS_VERSION,
				"fake_payment_method_update_params") ||
	    fake__check_string(p, u->billing_name, BILLING_MAX, "billing_details[name]") ||
	    fake__check_string(p, u->billing_email, BILLING_MAX, "billing_details[email]") ||
	    fake__check_string(p, u->billing_phone, BILLING_MAX, "billing_details[phone]") ||
	    check_expiry(p, u->exp_month, u->exp_year) || fake__metadata_check(p, u->metadata, u->metadata_count))
		return p->error->status;
	fake_payment_method *pm = found;
	if (!pm->customer)
		return fake__error_set(p, FAKE_EINVAL, "", "id",
				       "You must save this PaymentMethod to a customer before you update it.");

	fake_payment_method next = *pm;
	bool ok = true;
	if (u->exp_month)
		next.card.exp_month = u->exp_month;
	if (u->exp_year)
		next.card.exp_year = u->exp_year;
	/* Month and year are checked together: a new month alone can expire the card. */
	if ((u->exp_month || u->exp_year) && check_expiry(p, next.card.exp_month, next.card.exp_year))
		return p->error->status;
	next.billing_name = billing_field(p, u->billing_name, pm->billing_name, &ok);
	next.billing_email = billing_field(p, u->billing_email, pm->billing_email, &ok);
	next.billing_phone = billing_field(p, u->billing_phone, pm->billing_phone, &ok);
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&next.metadata, p, pm->metadata, u->metadata, u->metadata_count, u->metadata_clear))
		return p->error->status;

	static const char *const names[] = { "billing_details", "card", "metadata" };
	const bool differs[] = {
		!fake__same(pm->billing_name, next.billing_name) || !fake__same(pm->billing_email, next.billing_email) ||
			!fake__same(pm->billing_phone, next.billing_phone),
		pm->card.exp_month != next.card.exp_month || pm->card.exp_year != next.card.exp_year,
		!fake__metadata_equal(pm->metadata, next.metadata),
	};
	size_t n;
	const char *const *changed = fake__event_changed(p, names, differs, FAKE__COUNT(names), &n);
	if (!changed)
		return FAKE_ENOMEM;
	if (n) {
		if (fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_METHOD_UPDATED, &next, pm, changed, n))
			return p->error->status;
		if (fake__object_commit(p, pm, &next))
			return p->error->status;
	}
	*(const fake_payment_method **)out = pm;
	return 0;
}

int fake_payment_method_update(const fake_payment_method **out, fake_processor *p, const char *id,
			       const fake_payment_method_update_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_UPDATE_PAYMENT_METHOD, id, params, request, out, update);
}

static int attach(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_method_attach_params defaults = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method_attach_params *a = ctx->call.params ? ctx->call.params : &defaults;
	void *customer = NULL;
	fake_payment_method *pm = NULL;
	if (fake__check_version(p, a->version, FAKE_PAYMENT_METHOD_ATTACH_PARAMS_VERSION,
				"fake_payment_method_attach_params") ||
	    fake__store_get_live(&customer, p, FAKE_OBJECT_CUSTOMER, a->customer, "customer") ||
	    fake__payment_method_resolve(&pm, p, ctx->call.id, "id") ||
	    fake__payment_method_attach(p, ctx, pm, customer))
		return p->error->status;
	*(const fake_payment_method **)out = pm;
	return 0;
}

int fake_payment_method_attach(const fake_payment_method **out, fake_processor *p, const char *id,
			       const fake_payment_method_attach_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_ATTACH_PAYMENT_METHOD, id, params, request, out, attach);
}

static int detach(void *out, fake_processor *p, fake__ctx *ctx)
{
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_METHOD, ctx->call.id, "id"))
		return p->error->status;
	fake_payment_method *pm = found;
	if (!pm->customer)
		return fake__error_set(p, FAKE_EINVAL, "", "",
				       "The payment method you provided is not attached to a customer so detachment is impossible.");
	fake__object *owner = fake__store_find(p, pm->customer);
	struct fake_customer *customer = owner && owner->type == FAKE_OBJECT_CUSTOMER ? (struct fake_customer *)owner
										      : NULL;

	fake_payment_method next = *pm;
	next.customer = NULL;
	next.detached = true;
	if (fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_METHOD_DETACHED, &next, NULL, NULL, 0))
		return p->error->status;
	/* Detaching the default payment method clears the customer's default. */
	struct fake_customer cleared;
	bool clear_default = customer && fake__same(customer->default_payment_method, pm->obj.id);
	if (clear_default) {
		static const char *const changed[] = { "invoice_settings" };
		cleared = *customer;
		cleared.default_payment_method = NULL;
		if (fake__event_emit(p, ctx, FAKE__EVT_CUSTOMER_UPDATED, &cleared, customer, changed, 1))
			return p->error->status;
	}
	if (fake__object_commit(p, pm, &next))
		return p->error->status;
	if (clear_default && fake__object_commit(p, customer, &cleared))
		return p->error->status;
	*(const fake_payment_method **)out = pm;
	return 0;
}

int fake_payment_method_detach(const fake_payment_method **out, fake_processor *p, const char *id,
			       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_DETACH_PAYMENT_METHOD, id, NULL, request, out, detach);
}

static bool owned_by(const fake__object *o, const void *ctx)
{
	const fake_payment_method *pm = (const fake_payment_method *)o;
	return pm->customer && strcmp(pm->customer, ctx) == 0;
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_method_list_params defaults = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	const fake_payment_method_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	void *customer = NULL;
	if (fake__check_version(p, params->version, FAKE_PAYMENT_METHOD_LIST_PARAMS_VERSION,
				"fake_payment_method_list_params") ||
	    fake__store_get_live(&customer, p, FAKE_OBJECT_CUSTOMER, params->customer, "customer"))
		return p->error->status;
	if (params->type && strcmp(params->type, "card") != 0)
		return fake__error_set(p, FAKE_EINVAL, "", "type",
				       "Invalid type: libfake supports payment methods of type card, not '%.64s'.",
				       params->type);
	return fake__list_page(out, p, FAKE_OBJECT_PAYMENT_METHOD, &params->page, owned_by,
			       ((const fake__object *)customer)->id);
}

int fake_payment_method_list(fake_list *out, fake_processor *p, const fake_payment_method_list_params *params,
			     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_PAYMENT_METHODS, NULL, params, request, out, list);
}

const char *fake_payment_method_id(const fake_payment_method *pm)
{
	return pm ? pm->obj.id : NULL;
}

int64_t fake_payment_method_created(const fake_payment_method *pm)
{
	return pm ? pm->obj.created : 0;
}

const char *fake_payment_method_type(const fake_payment_method *pm)
{
	return pm ? "card" : NULL;
}

const char *fake_payment_method_customer(const fake_payment_method *pm)
{
	return pm ? pm->customer : NULL;
}

const char *fake_payment_method_card_brand(const fake_payment_method *pm)
{
	return pm ? pm->card.brand : NULL;
}

const char *fake_payment_method_card_last4(const fake_payment_method *pm)
{
	return pm ? pm->card.last4 : NULL;
}

int fake_payment_method_card_exp_month(const fake_payment_method *pm)
{
	return pm ? pm->card.exp_month : 0;
}

int fake_payment_method_card_exp_year(const fake_payment_method *pm)
{
	return pm ? pm->card.exp_year : 0;
}

const char *fake_payment_method_card_fingerprint(const fake_payment_method *pm)
{
	return pm ? pm->card.fingerprint : NULL;
}

const char *fake_payment_method_card_funding(const fake_payment_method *pm)
{
	return pm ? pm->card.funding : NULL;
}

fake_card_behavior fake_payment_method_card_behavior(const fake_payment_method *pm)
{
	return pm ? pm->card.behavior : FAKE_CARD_SUCCEEDS;
}

const char *fake_payment_method_card_decline_code(const fake_payment_method *pm)
{
	return pm ? pm->card.decline_code : NULL;
}

const char *fake_payment_method_billing_name(const fake_payment_method *pm)
{
	return pm ? pm->billing_name : NULL;
}

const char *fake_payment_method_billing_email(const fake_payment_method *pm)
{
	return pm ? pm->billing_email : NULL;
}

const char *fake_payment_method_billing_phone(const fake_payment_method *pm)
{
	return pm ? pm->billing_phone : NULL;
}

const fake_metadata *fake_payment_method_metadata(const fake_payment_method *pm)
{
	return pm ? pm->metadata : NULL;
}
