/*
 * Refunds (fake/refund.h): full and partial refunds of captured charges,
 * each with a balance transaction. docs/payments.md describes them.
 */
#include "private.h"

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_refund_create_params defaults = FAKE_REFUND_CREATE_PARAMS_INIT;
	static const char *const reasons[] = { "duplicate", "fraudulent", "requested_by_customer" };
	const fake_refund_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_REFUND_CREATE_PARAMS_VERSION, "fake_refund_create_params") ||
	    fake__metadata_check(p, c->metadata, c->metadata_count))
		return p->error->status;
	if (!c->charge == !c->payment_intent)
		return fake__error_set(p, FAKE_EINVAL, c->charge ? "" : "parameter_missing", "charge",
				       "Give exactly one of charge and payment_intent.");
	const char *reason = fake__pick(c->reason, reasons, FAKE__COUNT(reasons));
	if (c->reason && !reason)
		return fake__error_set(p, FAKE_EINVAL, "", "reason",
				       "Invalid reason: must be one of duplicate, fraudulent or requested_by_customer.");
	if (c->amount < 0)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_integer", "amount",
				       "Invalid amount: %lld; it cannot be negative.", (long long)c->amount);

	void *found = NULL;
	const char *charge_id = c->charge;
	if (c->payment_intent) {
		if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_INTENT, c->payment_intent, "payment_intent"))
			return p->error->status;
		const struct fake_payment_intent *pi = found;
		if (pi->status != FAKE_PI_SUCCEEDED)
			return fake__error_set(p, FAKE_ESTATE, "charge_not_refundable", "payment_intent",
					       "This PaymentIntent (%s) does not have a successful charge to refund.",
					       pi->obj.id);
		charge_id = pi->latest_charge;
	}
	if (fake__store_get(&found, p, FAKE_OBJECT_CHARGE, charge_id, "charge"))
		return p->error->status;
	struct fake_charge *ch = found;
	if (!ch->paid || !ch->captured)
		return fake__error_set(p, FAKE_ESTATE, "charge_not_refundable", "charge",
				       "Charge %s cannot be refunded: it %s.", ch->obj.id,
				       ch->paid ? "has not been captured (cancel its payment intent instead)" : "failed");
	/* After a partial capture the released rest already shows in
	 * amount_refunded (as Stripe shows it), so what is left to refund is
	 * the amount less everything refunded or released. */
	int64_t left = ch->amount - ch->amount_refunded;
	if (left <= 0 || ch->refunded)
		return fake__error_set(p, FAKE_ESTATE, "charge_already_refunded", "charge",
				       "Charge %s has already been refunded.", ch->obj.id);
	int64_t amount = c->amount ? c->amount : left;
	if (amount > left)
		return fake__error_set(p, FAKE_EINVAL, "amount_too_large", "amount",
				       "Refund amount (%lld) is greater than the unrefunded amount on charge %s (%lld).",
				       (long long)amount, ch->obj.id, (long long)left);

	struct fake_refund *re = fake__object_new(p, FAKE_OBJECT_REFUND, sizeof(*re));
	if (!re)
		return fake__error_nomem(p);
	re->amount = amount;
	re->currency = ch->currency;
	re->charge = ch->obj.id;
	re->payment_intent = ch->payment_intent;
	re->reason = reason;
	struct fake_charge next = *ch;
	next.amount_refunded += amount;
	next.refunded = next.amount_refunded == next.amount;
	if (fake__metadata_merge(&re->metadata, p, &fake__metadata_empty, c->metadata, c->metadata_count, false) ||
	    fake__balance_transaction_new(&re->balance_transaction, p, "refund", re->obj.id, -amount, re->currency) ||
	    fake__store_add(p, re) || fake__event_emit(p, ctx, FAKE__EVT_REFUND_CREATED, re, NULL, NULL, 0) ||
	    fake__event_emit(p, ctx, FAKE__EVT_CHARGE_REFUNDED, &next, NULL, NULL, 0))
		return p->error->status;
	if (fake__object_commit(p, ch, &next))
		return p->error->status;
	*(const fake_refund **)out = re;
	return 0;
}

int fake_refund_create(const fake_refund **out, fake_processor *p, const fake_refund_create_params *params,
		       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_REFUND, NULL, params, request, out, create);
}

int fake_refund_retrieve(const fake_refund **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_REFUND, id, NULL, request, out, fake__op_retrieve);
}

static bool list_filter(const fake__object *o, const void *ctx)
{
	return fake__same(((const struct fake_refund *)o)->charge, ctx);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_refund_list_params defaults = FAKE_REFUND_LIST_PARAMS_INIT;
	const fake_refund_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	void *charge = NULL;
	if (fake__check_version(p, params->version, FAKE_REFUND_LIST_PARAMS_VERSION, "fake_refund_list_params") ||
	    (params->charge && fake__store_get(&charge, p, FAKE_OBJECT_CHARGE, params->charge, "charge")))
		return p->error->status;
	return fake__list_page(out, p, FAKE_OBJECT_REFUND, &params->page, charge ? list_filter : NULL,
			       charge ? ((const fake__object *)charge)->id : NULL);
}

int fake_refund_list(fake_list *out, fake_processor *p, const fake_refund_list_params *params,
		     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_REFUNDS, NULL, params, request, out, list);
}

const char *fake_refund_id(const fake_refund *re)
{
	return re ? re->obj.id : NULL;
}

int64_t fake_refund_created(const fake_refund *re)
{
	return re ? re->obj.created : 0;
}

int64_t fake_refund_amount(const fake_refund *re)
{
	return re ? re->amount : 0;
}

const char *fake_refund_currency(const fake_refund *re)
{
	return re ? re->currency : NULL;
}

const char *fake_refund_charge(const fake_refund *re)
{
	return re ? re->charge : NULL;
}

const char *fake_refund_payment_intent(const fake_refund *re)
{
	return re ? re->payment_intent : NULL;
}

const char *fake_refund_status(const fake_refund *re)
{
	return re ? "succeeded" : NULL;
}

const char *fake_refund_reason(const fake_refund *re)
{
	return re ? re->reason : NULL;
}

const char *fake_refund_balance_transaction(const fake_refund *re)
{
	return re ? re->balance_transaction : NULL;
}

const fake_metadata *fake_refund_metadata(const fake_refund *re)
{
	return re ? re->metadata : NULL;
}
