/*
 * Payment intents (fake/payment_intent.h): create, confirm, the 3D Secure
 * test helper, capture, cancel, retrieve, list. A payment attempt charges
 * the payment method: its card decides the outcome unless a script forces
 * one. docs/payments.md describes every path with its events.
 */
#include "private.h"

#include <stdio.h>

static const char *const status_names[] = {
	[FAKE_PI_REQUIRES_PAYMENT_METHOD] = "requires_payment_method",
	[FAKE_PI_REQUIRES_CONFIRMATION] = "requires_confirmation",
	[FAKE_PI_REQUIRES_ACTION] = "requires_action",
	[FAKE_PI_PROCESSING] = "processing",
	[FAKE_PI_REQUIRES_CAPTURE] = "requires_capture",
	[FAKE_PI_CANCELED] = "canceled",
	[FAKE_PI_SUCCEEDED] = "succeeded",
};

#define AMOUNT_MAX INT64_C(99999999)

/* Stripe's minimum charge amounts, in the smallest unit; 50 for the rest. */
static int64_t minimum_amount(const char *currency)
{
	static const struct {
		const char *currency;
		int64_t minimum;
	} minimums[] = {
		{ "gbp", 30 }, { "dkk", 250 }, { "hkd", 400 }, { "mxn", 1000 }, { "myr", 200 },
		{ "nok", 300 }, { "pln", 200 }, { "ron", 200 }, { "sek", 300 }, { "thb", 1000 },
	};
	for (size_t i = 0; i < FAKE__COUNT(minimums); i++)
		if (strcmp(minimums[i].currency, currency) == 0)
			return minimums[i].minimum;
	return 50;
}

static void clear_last_error(struct fake_payment_intent *pi)
{
	pi->last_error_code = pi->last_error_decline_code = pi->last_error_message = NULL;
}

/* Charges `pm` and settles the intent (*next is its new version, written
 * into `pi` at the end): succeeded or authorized, or declined. A decline is
 * recorded and reported: FAKE_ECARD with ctx->keep. */
static int settle(fake_processor *p, fake__ctx *ctx, struct fake_payment_intent *pi, struct fake_payment_intent *next,
		  const fake_payment_method *pm, const char *decline_code)
{
	struct fake_charge *ch = NULL;
	bool capture = next->capture_method == FAKE_CAPTURE_AUTOMATIC;
	if (fake__charge_new(&ch, p, ctx, next, pm, decline_code, capture))
		return p->error->status;
	next->latest_charge = ch->obj.id;
	if (decline_code) {
		next->status = FAKE_PI_REQUIRES_PAYMENT_METHOD;
		next->payment_method = NULL;
		next->last_error_code = fake__decline_error_code(decline_code);
		next->last_error_decline_code = decline_code;
		next->last_error_message = fake__decline_message(decline_code);
		if (fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_INTENT_PAYMENT_FAILED, next, NULL, NULL, 0))
			return p->error->status;
		if (fake__object_commit(p, pi, next))
			return p->error->status;
		fake__error_card(p, decline_code, "");
		fake__copy(p->error->charge, sizeof(p->error->charge), ch->obj.id);
		fake__copy(p->error->payment_intent, sizeof(p->error->payment_intent), pi->obj.id);
		ctx->keep = true;
		return FAKE_ECARD;
	}
	next->payment_method = pm->obj.id;
	clear_last_error(next);
	if (capture) {
		next->status = FAKE_PI_SUCCEEDED;
		next->amount_received = next->amount;
	} else {
		next->status = FAKE_PI_REQUIRES_CAPTURE;
		next->amount_capturable = next->amount;
	}
	if (fake__event_emit(p, ctx,
			     capture ? FAKE__EVT_PAYMENT_INTENT_SUCCEEDED : FAKE__EVT_PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED,
			     next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, pi, next))
		return p->error->status;
	return 0;
}

/* One payment attempt: a script's outcome, or else the card's behaviour. */
int fake__payment_intent_attempt(fake_processor *p, fake__ctx *ctx, struct fake_payment_intent *pi,
				 fake_payment_method *pm, bool off_session)
{
	const char *decline = NULL;
	fake__card_result result = fake__card_use_result(
		ctx, pm, off_session ? FAKE__USE_PAYMENT_OFF_SESSION : FAKE__USE_PAYMENT, &decline);
	struct fake_payment_intent next = *pi;
	if (result != FAKE__CARD_NEEDS_ACTION)
		return settle(p, ctx, pi, &next, pm, decline);
	next.status = FAKE_PI_REQUIRES_ACTION;
	next.payment_method = pm->obj.id;
	clear_last_error(&next);
	if (fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_INTENT_REQUIRES_ACTION, &next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, pi, &next))
		return p->error->status;
	return 0;
}

int fake__payment_intent_new(struct fake_payment_intent **out, fake_processor *p, fake__ctx *ctx, int64_t amount,
			     const char *currency, const char *customer, const char *invoice, const char *description)
{
	struct fake_payment_intent *pi = fake__object_new(p, FAKE_OBJECT_PAYMENT_INTENT, sizeof(*pi));
	if (!pi)
		return fake__error_nomem(p);
	bool ok = true;
	char secret[FAKE_ID_MAX + 16];
	snprintf(secret, sizeof(secret), "%s_secret_fake", pi->obj.id);
	pi->amount = amount;
	pi->currency = currency;
	pi->customer = customer;
	pi->invoice = invoice;
	pi->status = FAKE_PI_REQUIRES_PAYMENT_METHOD;
	pi->capture_method = FAKE_CAPTURE_AUTOMATIC;
	pi->client_secret = fake__arena_strdup(p, secret, &ok);
	pi->description = description;
	pi->metadata = &fake__metadata_empty;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__store_add(p, pi) || fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_INTENT_CREATED, pi, NULL, NULL, 0))
		return p->error->status;
	*out = pi;
	return 0;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_intent_create_params defaults = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	const fake_payment_intent_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	char currency[4];
	if (fake__check_version(p, c->version, FAKE_PAYMENT_INTENT_CREATE_PARAMS_VERSION,
				"fake_payment_intent_create_params"))
		return p->error->status;
	if (!c->amount)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "amount", "Missing required param: amount.");
	if (fake__check_currency(p, c->currency, currency))
		return p->error->status;
	if (c->amount < 0 || c->amount > AMOUNT_MAX)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "amount",
				       "Invalid amount: %lld; it must be between 1 and %lld.", (long long)c->amount,
				       (long long)AMOUNT_MAX);
	if (c->amount < minimum_amount(currency))
		return fake__error_set(p, FAKE_EINVAL, "amount_too_small", "amount",
				       "Amount must be at least %lld in the smallest unit of %s.",
				       (long long)minimum_amount(currency), currency);
	if (c->capture_method != FAKE_CAPTURE_AUTOMATIC && c->capture_method != FAKE_CAPTURE_MANUAL)
		return fake__error_set(p, FAKE_EINVAL, "", "capture_method",
				       "Invalid capture_method: %d is not a fake_capture_method.", (int)c->capture_method);
	if (c->off_session && !c->confirm)
		return fake__error_set(p, FAKE_EINVAL, "", "off_session",
				       "off_session can only be used when confirm is true.");
	if (fake__check_string(p, c->description, 1000, "description") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	void *customer = NULL;
	if (c->customer && fake__store_get_live(&customer, p, FAKE_OBJECT_CUSTOMER, c->customer, "customer"))
		return p->error->status;
	fake_payment_method *pm = NULL;
	if (c->payment_method && fake__payment_method_resolve(&pm, p, c->payment_method, "payment_method"))
		return p->error->status;
	const char *customer_id = customer ? ((const fake__object *)customer)->id : NULL;
	if (pm && fake__payment_method_check_owner(p, customer_id, pm))
		return p->error->status;
	if (c->confirm && !pm)
		return fake__error_set(p, FAKE_EINVAL, "", "payment_method",
				       "You cannot confirm this PaymentIntent because it's missing a payment method.");

	struct fake_payment_intent *pi = fake__object_new(p, FAKE_OBJECT_PAYMENT_INTENT, sizeof(*pi));
	if (!pi)
		return fake__error_nomem(p);
	bool ok = true;
	char secret[FAKE_ID_MAX + 16];
	snprintf(secret, sizeof(secret), "%s_secret_fake", pi->obj.id);
	pi->amount = c->amount;
	pi->currency = fake__arena_strdup(p, currency, &ok);
	pi->customer = customer_id;
	pi->payment_method = pm ? pm->obj.id : NULL;
	pi->status = pm ? FAKE_PI_REQUIRES_CONFIRMATION : FAKE_PI_REQUIRES_PAYMENT_METHOD;
	pi->capture_method = c->capture_method;
	pi->client_secret = fake__arena_strdup(p, secret, &ok);
	pi->description = c->description && c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	if (!ok)
		return fake__error_nomem(p);
	if (fake__metadata_merge(&pi->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__store_add(p, pi) || fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_INTENT_CREATED, pi, NULL, NULL, 0))
		return p->error->status;
	if (c->confirm) {
		int rc = fake__payment_intent_attempt(p, ctx, pi, pm, c->off_session);
		if (rc)
			return rc;
	}
	*(const fake_payment_intent **)out = pi;
	return 0;
}

int fake_payment_intent_create(const fake_payment_intent **out, fake_processor *p,
			       const fake_payment_intent_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_PAYMENT_INTENT, NULL, params, request, out, create);
}

int fake_payment_intent_retrieve(const fake_payment_intent **out, fake_processor *p, const char *id,
				 const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_PAYMENT_INTENT, id, NULL, request, out, fake__op_retrieve);
}

static int get(struct fake_payment_intent **out, fake_processor *p, const char *id)
{
	void *found = NULL;
	int rc = fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_INTENT, id, "id");
	*out = found;
	return rc;
}

static int wrong_status(fake_processor *p, const struct fake_payment_intent *pi, const char *action,
			const char *allowed)
{
	return fake__error_set(p, FAKE_ESTATE, "payment_intent_unexpected_state", "",
			       "You cannot %s this PaymentIntent because it has a status of %s. Only a PaymentIntent with one of the following statuses may be %s: %s.",
			       action, status_names[pi->status], strcmp(action, "cancel") == 0 ? "canceled" : "confirmed",
			       allowed);
}

static int confirm(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_intent_confirm_params defaults = FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_INIT;
	const fake_payment_intent_confirm_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_payment_intent *pi = NULL;
	if (get(&pi, p, ctx->call.id) || fake__check_version(p, c->version, FAKE_PAYMENT_INTENT_CONFIRM_PARAMS_VERSION,
							      "fake_payment_intent_confirm_params"))
		return p->error->status;
	if (pi->status != FAKE_PI_REQUIRES_PAYMENT_METHOD && pi->status != FAKE_PI_REQUIRES_CONFIRMATION)
		return wrong_status(p, pi, "confirm", "requires_payment_method, requires_confirmation");
	fake_payment_method *pm = NULL;
	const char *pm_id = c->payment_method ? c->payment_method : pi->payment_method;
	if (!pm_id)
		return fake__error_set(p, FAKE_EINVAL, "", "payment_method",
				       "You cannot confirm this PaymentIntent because it's missing a payment method.");
	if (fake__payment_method_resolve(&pm, p, pm_id, "payment_method") ||
	    fake__payment_method_check_owner(p, pi->customer, pm))
		return p->error->status;
	int rc = fake__payment_intent_attempt(p, ctx, pi, pm, c->off_session);
	if (!rc && fake__invoice_paid_by(p, ctx, pi))
		return p->error->status;
	if (!rc)
		*(const fake_payment_intent **)out = pi;
	return rc;
}

int fake_payment_intent_confirm(const fake_payment_intent **out, fake_processor *p, const char *id,
				const fake_payment_intent_confirm_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CONFIRM_PAYMENT_INTENT, id, params, request, out, confirm);
}

static int authenticate(void *out, fake_processor *p, fake__ctx *ctx)
{
	bool succeed = ctx->call.params != NULL;
	struct fake_payment_intent *pi = NULL;
	if (get(&pi, p, ctx->call.id))
		return p->error->status;
	if (pi->status != FAKE_PI_REQUIRES_ACTION)
		return fake__error_set(p, FAKE_ESTATE, "payment_intent_unexpected_state", "",
				       "This PaymentIntent has a status of %s; only one in requires_action can be authenticated.",
				       status_names[pi->status]);
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_METHOD, pi->payment_method, "payment_method"))
		return p->error->status;
	fake_payment_method *pm = found;
	/* The card may have been detached while the customer was away. */
	if (succeed && fake__payment_method_usable(p, pm, "payment_method"))
		return p->error->status;
	struct fake_payment_intent next = *pi;
	if (succeed) {
		if (settle(p, ctx, pi, &next, pm, NULL) || fake__invoice_paid_by(p, ctx, pi))
			return p->error->status;
		/* Authenticated with its customer: later off-session payments need no 3DS. */
		if (pi->customer && fake__same(pm->customer, pi->customer)) {
			fake_payment_method pm_next = *pm;
			pm_next.authenticated = true;
			if (fake__object_commit(p, pm, &pm_next))
				return p->error->status;
		}
	} else {
		next.status = FAKE_PI_REQUIRES_PAYMENT_METHOD;
		next.payment_method = NULL;
		next.last_error_code = "payment_intent_authentication_failure";
		next.last_error_decline_code = NULL;
		next.last_error_message =
			"The provided PaymentMethod has failed authentication. You can provide a new PaymentMethod to attempt to fulfill this PaymentIntent again.";
		if (fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_INTENT_PAYMENT_FAILED, &next, NULL, NULL, 0))
			return p->error->status;
		if (fake__object_commit(p, pi, &next))
			return p->error->status;
	}
	*(const fake_payment_intent **)out = pi;
	return 0;
}

int fake_payment_intent_authenticate(const fake_payment_intent **out, fake_processor *p, const char *id, bool succeed,
				     const fake_request *request)
{
	/* The stub and script machinery sees a non-NULL params for success. */
	static const bool yes = true;
	return fake__op_run(p, FAKE_OP_AUTHENTICATE_PAYMENT_INTENT, id, succeed ? &yes : NULL, request, out,
			    authenticate);
}

static int capture(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_intent_capture_params defaults = FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_INIT;
	const fake_payment_intent_capture_params *c = ctx->call.params ? ctx->call.params : &defaults;
	struct fake_payment_intent *pi = NULL;
	if (get(&pi, p, ctx->call.id) || fake__check_version(p, c->version, FAKE_PAYMENT_INTENT_CAPTURE_PARAMS_VERSION,
							      "fake_payment_intent_capture_params"))
		return p->error->status;
	if (pi->status != FAKE_PI_REQUIRES_CAPTURE)
		return fake__error_set(p, FAKE_ESTATE, "payment_intent_unexpected_state", "",
				       "This PaymentIntent could not be captured because it has a status of %s. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
				       status_names[pi->status]);
	int64_t amount = c->amount_to_capture ? c->amount_to_capture : pi->amount_capturable;
	if (amount < 1 || amount > pi->amount_capturable)
		return fake__error_set(p, FAKE_EINVAL, "amount_too_large", "amount_to_capture",
				       "Invalid amount_to_capture: %lld; it must be between 1 and the amount capturable, %lld.",
				       (long long)c->amount_to_capture, (long long)pi->amount_capturable);
	void *found = NULL;
	if (fake__store_get(&found, p, FAKE_OBJECT_CHARGE, pi->latest_charge, "charge"))
		return p->error->status;
	struct fake_charge *ch = found;

	struct fake_charge ch_next = *ch;
	ch_next.captured = true;
	ch_next.amount_captured = amount;
	ch_next.amount_refunded = ch->amount - amount; /* the released rest */
	struct fake_payment_intent next = *pi;
	next.status = FAKE_PI_SUCCEEDED;
	next.amount_received = amount;
	next.amount_capturable = 0;
	if (fake__balance_transaction_new(&ch_next.balance_transaction, p, "charge", ch->obj.id, amount, ch->currency) ||
	    fake__event_emit(p, ctx, FAKE__EVT_CHARGE_CAPTURED, &ch_next, NULL, NULL, 0) ||
	    fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_INTENT_SUCCEEDED, &next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, ch, &ch_next))
		return p->error->status;
	if (fake__object_commit(p, pi, &next))
		return p->error->status;
	*(const fake_payment_intent **)out = pi;
	return 0;
}

int fake_payment_intent_capture(const fake_payment_intent **out, fake_processor *p, const char *id,
				const fake_payment_intent_capture_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CAPTURE_PAYMENT_INTENT, id, params, request, out, capture);
}

int fake__payment_intent_cancel(fake_processor *p, fake__ctx *ctx, struct fake_payment_intent *pi, const char *reason)
{
	struct fake_payment_intent next = *pi;
	next.status = FAKE_PI_CANCELED;
	next.canceled_at = fake__now(p);
	next.cancellation_reason = reason;
	next.amount_capturable = 0;
	/* Canceling an authorization releases it: the charge shows it refunded. */
	struct fake_charge *ch = NULL, ch_next;
	if (pi->status == FAKE_PI_REQUIRES_CAPTURE) {
		void *found = NULL;
		if (fake__store_get(&found, p, FAKE_OBJECT_CHARGE, pi->latest_charge, "charge"))
			return p->error->status;
		ch = found;
		ch_next = *ch;
		ch_next.amount_refunded = ch->amount;
		ch_next.refunded = true;
		if (fake__event_emit(p, ctx, FAKE__EVT_CHARGE_REFUNDED, &ch_next, NULL, NULL, 0))
			return p->error->status;
	}
	if (fake__event_emit(p, ctx, FAKE__EVT_PAYMENT_INTENT_CANCELED, &next, NULL, NULL, 0))
		return p->error->status;
	if (ch && fake__object_commit(p, ch, &ch_next))
		return p->error->status;
	if (fake__object_commit(p, pi, &next))
		return p->error->status;
	return 0;
}

static int cancel(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const char *const reasons[] = { "duplicate", "fraudulent", "requested_by_customer", "abandoned" };
	const char *given = ctx->call.params;
	struct fake_payment_intent *pi = NULL;
	if (get(&pi, p, ctx->call.id))
		return p->error->status;
	const char *reason = fake__pick(given, reasons, FAKE__COUNT(reasons));
	if (given && !reason)
		return fake__error_set(p, FAKE_EINVAL, "", "cancellation_reason",
				       "Invalid cancellation_reason: must be one of duplicate, fraudulent, requested_by_customer or abandoned.");
	if (pi->status == FAKE_PI_SUCCEEDED || pi->status == FAKE_PI_CANCELED)
		return wrong_status(p, pi, "cancel",
				    "requires_payment_method, requires_capture, requires_confirmation, requires_action, processing");

	if (fake__payment_intent_cancel(p, ctx, pi, reason))
		return p->error->status;
	*(const fake_payment_intent **)out = pi;
	return 0;
}

int fake_payment_intent_cancel(const fake_payment_intent **out, fake_processor *p, const char *id, const char *reason,
			       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CANCEL_PAYMENT_INTENT, id, reason, request, out, cancel);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_payment_intent_list_params defaults = FAKE_PAYMENT_INTENT_LIST_PARAMS_INIT;
	const fake_payment_intent_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_PAYMENT_INTENT_LIST_PARAMS_VERSION,
				"fake_payment_intent_list_params"))
		return p->error->status;
	return fake__list_by_customer(out, p, FAKE_OBJECT_PAYMENT_INTENT, &params->page, params->customer,
				      offsetof(struct fake_payment_intent, customer));
}

int fake_payment_intent_list(fake_list *out, fake_processor *p, const fake_payment_intent_list_params *params,
			     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_PAYMENT_INTENTS, NULL, params, request, out, list);
}

const char *fake_payment_intent_id(const fake_payment_intent *pi)
{
	return pi ? pi->obj.id : NULL;
}

int64_t fake_payment_intent_created(const fake_payment_intent *pi)
{
	return pi ? pi->obj.created : 0;
}

int64_t fake_payment_intent_amount(const fake_payment_intent *pi)
{
	return pi ? pi->amount : 0;
}

int64_t fake_payment_intent_amount_capturable(const fake_payment_intent *pi)
{
	return pi ? pi->amount_capturable : 0;
}

int64_t fake_payment_intent_amount_received(const fake_payment_intent *pi)
{
	return pi ? pi->amount_received : 0;
}

const char *fake_payment_intent_currency(const fake_payment_intent *pi)
{
	return pi ? pi->currency : NULL;
}

const char *fake_payment_intent_customer(const fake_payment_intent *pi)
{
	return pi ? pi->customer : NULL;
}

const char *fake_payment_intent_payment_method(const fake_payment_intent *pi)
{
	return pi ? pi->payment_method : NULL;
}

fake_payment_intent_status fake_payment_intent_status_of(const fake_payment_intent *pi)
{
	return pi ? pi->status : FAKE_PI_REQUIRES_PAYMENT_METHOD;
}

const char *fake_payment_intent_status_name(const fake_payment_intent *pi)
{
	return pi ? status_names[pi->status] : NULL;
}

fake_capture_method fake_payment_intent_capture_method(const fake_payment_intent *pi)
{
	return pi ? pi->capture_method : FAKE_CAPTURE_AUTOMATIC;
}

const char *fake_payment_intent_latest_charge(const fake_payment_intent *pi)
{
	return pi ? pi->latest_charge : NULL;
}

const char *fake_payment_intent_next_action(const fake_payment_intent *pi)
{
	return pi && pi->status == FAKE_PI_REQUIRES_ACTION ? "use_stripe_sdk" : NULL;
}

const char *fake_payment_intent_last_error_code(const fake_payment_intent *pi)
{
	return pi ? pi->last_error_code : NULL;
}

const char *fake_payment_intent_last_error_decline_code(const fake_payment_intent *pi)
{
	return pi ? pi->last_error_decline_code : NULL;
}

const char *fake_payment_intent_last_error_message(const fake_payment_intent *pi)
{
	return pi ? pi->last_error_message : NULL;
}

const char *fake_payment_intent_client_secret(const fake_payment_intent *pi)
{
	return pi ? pi->client_secret : NULL;
}

const char *fake_payment_intent_cancellation_reason(const fake_payment_intent *pi)
{
	return pi ? pi->cancellation_reason : NULL;
}

int64_t fake_payment_intent_canceled_at(const fake_payment_intent *pi)
{
	return pi ? pi->canceled_at : 0;
}

const char *fake_payment_intent_description(const fake_payment_intent *pi)
{
	return pi ? pi->description : NULL;
}

const fake_metadata *fake_payment_intent_metadata(const fake_payment_intent *pi)
{
	return pi ? pi->metadata : NULL;
}
