/*
 * Setup intents (fake/setup_intent.h): save a card for later payments,
 * with the card check and 3D Secure of Stripe's test cards. A successful
 * setup attaches the card to the customer and marks it authenticated.
 * docs/payments.md describes every path with its events.
 */
#include "private.h"

#include <stdio.h>

static const char *const status_names[] = {
	[FAKE_SETI_REQUIRES_PAYMENT_METHOD] = "requires_payment_method",
	[FAKE_SETI_REQUIRES_CONFIRMATION] = "requires_confirmation",
	[FAKE_SETI_REQUIRES_ACTION] = "requires_action",
	[FAKE_SETI_PROCESSING] = "processing",
	[FAKE_SETI_CANCELED] = "canceled",
	[FAKE_SETI_SUCCEEDED] = "succeeded",
};

static void clear_last_error(struct fake_setup_intent *si)
{
	si->last_error_code = si->last_error_decline_code = si->last_error_message = NULL;
}

/* The setup succeeds: the card is attached to the customer (if any; the
 * outcome is decided, so no second card check) and counts as
 * authenticated for off-session payments. */
static int succeed(fake_processor *p, fake__ctx *ctx, struct fake_setup_intent *si, fake_payment_method *pm)
{
	struct fake_setup_intent next = *si;
	next.status = FAKE_SETI_SUCCEEDED;
	next.payment_method = pm->obj.id;
	clear_last_error(&next);
	fake_payment_method pm_next = *pm;
	if (si->customer) {
		void *customer = NULL;
		if (fake__store_get_live(&customer, p, FAKE_OBJECT_CUSTOMER, si->customer, "customer") ||
		    fake__payment_method_attach_prepare(p, ctx, pm, customer, false, &pm_next))
			return p->error->status;
		pm_next.authenticated = true;
	}
	if (fake__event_emit(p, ctx, FAKE__EVT_SETUP_INTENT_SUCCEEDED, &next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, pm, &pm_next))
		return p->error->status;
	if (fake__object_commit(p, si, &next))
		return p->error->status;
	return 0;
}

/* The setup fails: recorded (setup_failed), and reported as FAKE_ECARD. */
static int decline(fake_processor *p, fake__ctx *ctx, struct fake_setup_intent *si, const char *decline_code)
{
	struct fake_setup_intent next = *si;
	next.status = FAKE_SETI_REQUIRES_PAYMENT_METHOD;
	next.payment_method = NULL;
	next.last_error_code = fake__decline_error_code(decline_code);
	next.last_error_decline_code = decline_code;
	next.last_error_message = fake__decline_message(decline_code);
	if (fake__event_emit(p, ctx, FAKE__EVT_SETUP_INTENT_SETUP_FAILED, &next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, si, &next))
		return p->error->status;
	fake__error_card(p, decline_code, "");
	fake__copy(p->error->setup_intent, sizeof(p->error->setup_intent), si->obj.id);
	ctx->keep = true;
	return FAKE_ECARD;
}

/* One confirmation: a script's outcome, or else the card's behaviour. Both
 * 3D Secure test cards need authentication to be set up. */
static int attempt(fake_processor *p, fake__ctx *ctx, struct fake_setup_intent *si, fake_payment_method *pm)
{
	const char *declined = NULL;
	fake__card_result result = fake__card_use_result(ctx, pm, FAKE__USE_SETUP, &declined);
	if (result == FAKE__CARD_DECLINED)
		return decline(p, ctx, si, declined);
	if (result == FAKE__CARD_SUCCEEDS)
		return succeed(p, ctx, si, pm);
	struct fake_setup_intent next = *si;
	next.status = FAKE_SETI_REQUIRES_ACTION;
	next.payment_method = pm->obj.id;
	clear_last_error(&next);
	if (fake__event_emit(p, ctx, FAKE__EVT_SETUP_INTENT_REQUIRES_ACTION, &next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, si, &next))
		return p->error->status;
	return 0;
}

static int missing_payment_method(fake_processor *p)
{
	return fake__error_set(p, FAKE_EINVAL, "", "payment_method",
			       "You cannot confirm this SetupIntent because it's missing a payment method.");
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_setup_intent_create_params defaults = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	const fake_setup_intent_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_SETUP_INTENT_CREATE_PARAMS_VERSION,
				"fake_setup_intent_create_params") ||
	    fake__check_string(p, c->description, 1000, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	void *customer = NULL;
	if (c->customer && fake__store_get_live(&customer, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer"))
		return p->error->status;
	const char *customer_id = customer ? ((const fake__object *)customer)->id : NULL;
	fake_payment_method *pm = NULL;
	if (c->payment_method && (fake__payment_method_resolve(&pm, p, c->payment_method, "payment_method") ||
				  fake__payment_method_check_owner(p, customer_id, pm)))
		return p->error->status;
	if (c->confirm && !pm)
		return missing_payment_method(p);

	struct fake_setup_intent *si = fake__object_new(p, FAKE_OBJECT_SETUP_INTENT, sizeof(*si));
	if (!si)
		return fake__error_nomem(p);
	bool ok = true;
	char secret[FAKE_ID_MAX + 16];
	snprintf(secret, sizeof(secret), "%s_secret_fake", si->obj.id);
	si->customer = customer_id;
	si->payment_method = pm ? pm->obj.id : NULL;
	si->status = pm ? FAKE_SETI_REQUIRES_CONFIRMATION : FAKE_SETI_REQUIRES_PAYMENT_METHOD;
	si->on_session = c->on_session;
	si->client_secret = fake__arena_strdup(p, secret, &ok);
	si->description = c->description && c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&si->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__store_add(p, si) || fake__event_emit(p, ctx, FAKE__EVT_SETUP_INTENT_CREATED, si, NULL, NULL, 0))
		return p->error->status;
	if (c->confirm) {
		int rc = attempt(p, ctx, si, pm);
		if (rc)
			return rc;
	}
	*(const fake_setup_intent **)out = si;
	return 0;
}

int fake_setup_intent_create(const fake_setup_intent **out, fake_processor *p,
			     const fake_setup_intent_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_SETUP_INTENT, NULL, params, request, out, create);
}

int fake_setup_intent_retrieve(const fake_setup_intent **out, fake_processor *p, const char *id,
			       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_SETUP_INTENT, id, NULL, request, out, fake__op_retrieve);
}

static int get(struct fake_setup_intent **out, fake_processor *p, const char *id)
{
	void *found = NULL;
	int rc = fake__store_get(&found, p, FAKE_OBJECT_SETUP_INTENT, id, "id");
	*out = found;
	return rc;
}

static int confirm(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_setup_intent *si = NULL;
	if (get(&si, p, ctx->call.id))
		return p->error->status;
	if (si->status != FAKE_SETI_REQUIRES_PAYMENT_METHOD && si->status != FAKE_SETI_REQUIRES_CONFIRMATION)
		return fake__error_set(p, FAKE_ESTATE, "setup_intent_unexpected_state", "",
				       "You cannot confirm this SetupIntent because it has a status of %s.",
				       status_names[si->status]);
	const char *pm_id = ctx->call.params ? ctx->call.params : si->payment_method;
	fake_payment_method *pm = NULL;
	if (!pm_id)
		return missing_payment_method(p);
	if (fake__payment_method_resolve(&pm, p, pm_id, "payment_method") ||
	    fake__payment_method_check_owner(p, si->customer, pm))
		return p->error->status;
	int rc = attempt(p, ctx, si, pm);
	if (!rc)
		*(const fake_setup_intent **)out = si;
	return rc;
}

int fake_setup_intent_confirm(const fake_setup_intent **out, fake_processor *p, const char *id,
			      const char *payment_method, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CONFIRM_SETUP_INTENT, id, payment_method, request, out, confirm);
}

static int authenticate(void *out, fake_processor *p, fake__ctx *ctx)
{
	struct fake_setup_intent *si = NULL;
	if (get(&si, p, ctx->call.id))
		return p->error->status;
	if (si->status != FAKE_SETI_REQUIRES_ACTION)
		return fake__error_set(p, FAKE_ESTATE, "setup_intent_unexpected_state", "",
				       "This SetupIntent has a status of %s; only one in requires_action can be authenticated.",
				       status_names[si->status]);
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_METHOD, si->payment_method, "payment_method"))
		return p->error->status;
	if (ctx->call.params) {
		/* The card may have been detached, or attached elsewhere, meanwhile. */
		if (fake__payment_method_check_owner(p, si->customer, found) || succeed(p, ctx, si, found))
			return p->error->status;
	} else {
		struct fake_setup_intent next = *si;
		next.status = FAKE_SETI_REQUIRES_PAYMENT_METHOD;
		next.payment_method = NULL;
		next.last_error_code = "setup_intent_authentication_failure";
		next.last_error_decline_code = NULL;
		next.last_error_message =
			"The latest attempt to set up the payment method has failed because authentication failed.";
		if (fake__event_emit(p, ctx, FAKE__EVT_SETUP_INTENT_SETUP_FAILED, &next, NULL, NULL, 0))
			return p->error->status;
		if (fake__object_commit(p, si, &next))
			return p->error->status;
	}
	*(const fake_setup_intent **)out = si;
	return 0;
}

int fake_setup_intent_authenticate(const fake_setup_intent **out, fake_processor *p, const char *id, bool succeed_,
				   const fake_request *request)
{
	/* Stubs and scripts see a non-NULL params for success. */
	static const bool yes = true;
	return fake__op_run(p, FAKE_OP_AUTHENTICATE_SETUP_INTENT, id, succeed_ ? &yes : NULL, request, out,
			    authenticate);
}

static int cancel(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const char *const reasons[] = { "abandoned", "duplicate", "requested_by_customer" };
	const char *given = ctx->call.params;
	struct fake_setup_intent *si = NULL;
	if (get(&si, p, ctx->call.id))
		return p->error->status;
	const char *reason = fake__pick(given, reasons, FAKE__COUNT(reasons));
	if (given && !reason)
		return fake__error_set(p, FAKE_EINVAL, "", "cancellation_reason",
				       "Invalid cancellation_reason: must be one of abandoned, duplicate or requested_by_customer.");
	if (si->status == FAKE_SETI_SUCCEEDED || si->status == FAKE_SETI_CANCELED)
		return fake__error_set(p, FAKE_ESTATE, "setup_intent_unexpected_state", "",
				       "You cannot cancel this SetupIntent because it has a status of %s.",
				       status_names[si->status]);
	struct fake_setup_intent next = *si;
	next.status = FAKE_SETI_CANCELED;
	next.cancellation_reason = reason;
	if (fake__event_emit(p, ctx, FAKE__EVT_SETUP_INTENT_CANCELED, &next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, si, &next))
		return p->error->status;
	*(const fake_setup_intent **)out = si;
	return 0;
}

int fake_setup_intent_cancel(const fake_setup_intent **out, fake_processor *p, const char *id, const char *reason,
			     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CANCEL_SETUP_INTENT, id, reason, request, out, cancel);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_setup_intent_list_params defaults = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	const fake_setup_intent_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_SETUP_INTENT_LIST_PARAMS_VERSION,
				"fake_setup_intent_list_params"))
		return p->error->status;
	return fake__list_by_customer(out, p, FAKE_OBJECT_SETUP_INTENT, &params->page, params->customer,
				      offsetof(struct fake_setup_intent, customer));
}

int fake_setup_intent_list(fake_list *out, fake_processor *p, const fake_setup_intent_list_params *params,
			   const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_SETUP_INTENTS, NULL, params, request, out, list);
}

const char *fake_setup_intent_id(const fake_setup_intent *si)
{
	return si ? si->obj.id : NULL;
}

int64_t fake_setup_intent_created(const fake_setup_intent *si)
{
	return si ? si->obj.created : 0;
}

const char *fake_setup_intent_customer(const fake_setup_intent *si)
{
	return si ? si->customer : NULL;
}

const char *fake_setup_intent_payment_method(const fake_setup_intent *si)
{
	return si ? si->payment_method : NULL;
}

fake_setup_intent_status fake_setup_intent_status_of(const fake_setup_intent *si)
{
	return si ? si->status : FAKE_SETI_REQUIRES_PAYMENT_METHOD;
}

const char *fake_setup_intent_status_name(const fake_setup_intent *si)
{
	return si ? status_names[si->status] : NULL;
}

const char *fake_setup_intent_usage(const fake_setup_intent *si)
{
	return si ? (si->on_session ? "on_session" : "off_session") : NULL;
}

const char *fake_setup_intent_next_action(const fake_setup_intent *si)
{
	return si && si->status == FAKE_SETI_REQUIRES_ACTION ? "use_stripe_sdk" : NULL;
}

const char *fake_setup_intent_last_error_code(const fake_setup_intent *si)
{
	return si ? si->last_error_code : NULL;
}

const char *fake_setup_intent_last_error_decline_code(const fake_setup_intent *si)
{
	return si ? si->last_error_decline_code : NULL;
}

const char *fake_setup_intent_last_error_message(const fake_setup_intent *si)
{
	return si ? si->last_error_message : NULL;
}

const char *fake_setup_intent_client_secret(const fake_setup_intent *si)
{
	return si ? si->client_secret : NULL;
}

const char *fake_setup_intent_cancellation_reason(const fake_setup_intent *si)
{
	return si ? si->cancellation_reason : NULL;
}

const char *fake_setup_intent_description(const fake_setup_intent *si)
{
	return si ? si->description : NULL;
}

const fake_metadata *fake_setup_intent_metadata(const fake_setup_intent *si)
{
	return si ? si->metadata : NULL;
}
