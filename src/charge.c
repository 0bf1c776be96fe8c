/*
 * Charges and balance transactions (fake/charge.h). A charge is made by a
 * payment attempt (payment_intent.c); money that moves gets a balance
 * transaction. docs/payments.md describes the fee model.
 */
#include "private.h"

/* Stripe's US card pricing: 2.9% (rounded half up) plus 30 cents. */
static int64_t card_fee(int64_t amount)
{
	return (amount * 29 + 500) / 1000 + 30;
}

int fake__balance_transaction_new(const char **out_id, fake_processor *p, const char *type, const char *source,
				  int64_t amount, const char *currency)
{
	struct fake_balance_transaction *txn = fake__object_new(p, FAKE_OBJECT_BALANCE_TRANSACTION, sizeof(*txn));
	if (!txn)
		return fake__error_nomem(p);
	txn->amount = amount;
	txn->fee = strcmp(type, "charge") == 0 ? card_fee(amount) : 0;
	txn->currency = currency;
	txn->type = type;
	txn->source = source;
	if (fake__store_add(p, txn))
		return p->error->status;
	*out_id = txn->obj.id;
	return 0;
}

int fake__charge_new(struct fake_charge **out, fake_processor *p, fake__ctx *ctx,
		     const struct fake_payment_intent *pi, const fake_payment_method *pm, const char *decline_code,
		     bool capture)
{
	struct fake_charge *ch = fake__object_new(p, FAKE_OBJECT_CHARGE, sizeof(*ch));
	if (!ch)
		return fake__error_nomem(p);
	/* The card as it was when charged, as Stripe records it on the charge. */
	ch->card = fake__snapshot(p, pm);
	if (!ch->card)
		return fake__error_nomem(p);
	const char *payment_method = pm->obj.id;
	ch->amount = pi->amount;
	ch->currency = pi->currency;
	ch->customer = pi->customer;
	ch->payment_intent = pi->obj.id;
	ch->invoice = pi->invoice;
	ch->payment_method = payment_method;
	if (decline_code) {
		ch->failure_code = fake__decline_error_code(decline_code);
		ch->failure_message = fake__decline_message(decline_code);
		ch->outcome_reason = decline_code;
	} else {
		ch->paid = true;
		ch->captured = capture;
		ch->amount_captured = capture ? ch->amount : 0;
		if (capture && fake__balance_transaction_new(&ch->balance_transaction, p, "charge", ch->obj.id,
							     ch->amount, ch->currency))
			return p->error->status;
	}
	if (fake__store_add(p, ch) ||
	    fake__event_emit(p, ctx, decline_code ? FAKE__EVT_CHARGE_FAILED : FAKE__EVT_CHARGE_SUCCEEDED, ch, NULL,
			     NULL, 0))
		return p->error->status;
	*out = ch;
	return 0;
}

int fake_charge_retrieve(const fake_charge **out, fake_processor *p, const char *id, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_CHARGE, id, NULL, request, out, fake__op_retrieve);
}

typedef struct list_filter_ctx {
	const char *customer;
	const char *payment_intent;
} list_filter_ctx;

static bool list_filter(const fake__object *o, const void *ctx)
{
	const list_filter_ctx *f = ctx;
	const struct fake_charge *ch = (const struct fake_charge *)o;
	return (!f->customer || fake__same(ch->customer, f->customer)) &&
	       (!f->payment_intent || fake__same(ch->payment_intent, f->payment_intent));
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_charge_list_params defaults = FAKE_CHARGE_LIST_PARAMS_INIT;
	const fake_charge_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	void *found = NULL;
	list_filter_ctx f = { NULL, NULL };
	if (fake__check_version(p, params->version, FAKE_CHARGE_LIST_PARAMS_VERSION, "fake_charge_list_params"))
		return p->error->status;
	if (params->customer) {
		if (fake__store_get(&found, p, FAKE_OBJECT_CUSTOMER, params->customer, "customer"))
			return p->error->status;
		f.customer = ((const fake__object *)found)->id;
	}
	if (params->payment_intent) {
		if (fake__store_get(&found, p, FAKE_OBJECT_PAYMENT_INTENT, params->payment_intent, "payment_intent"))
			return p->error->status;
		f.payment_intent = ((const fake__object *)found)->id;
	}
	return fake__list_page(out, p, FAKE_OBJECT_CHARGE, &params->page, list_filter, &f);
}

int fake_charge_list(fake_list *out, fake_processor *p, const fake_charge_list_params *params,
		     const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_CHARGES, NULL, params, request, out, list);
}

int fake_balance_transaction_retrieve(const fake_balance_transaction **out, fake_processor *p, const char *id,
				      const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_BALANCE_TRANSACTION, id, NULL, request, out, fake__op_retrieve);
}

const char *fake_charge_id(const fake_charge *ch)
{
	return ch ? ch->obj.id : NULL;
}

int64_t fake_charge_created(const fake_charge *ch)
{
	return ch ? ch->obj.created : 0;
}

int64_t fake_charge_amount(const fake_charge *ch)
{
	return ch ? ch->amount : 0;
}

int64_t fake_charge_amount_captured(const fake_charge *ch)
{
	return ch ? ch->amount_captured : 0;
}

int64_t fake_charge_amount_refunded(const fake_charge *ch)
{
	return ch ? ch->amount_refunded : 0;
}

bool fake_charge_captured(const fake_charge *ch)
{
	return ch && ch->captured;
}

bool fake_charge_refunded(const fake_charge *ch)
{
	return ch && ch->refunded;
}

bool fake_charge_paid(const fake_charge *ch)
{
	return ch && ch->paid;
}

const char *fake_charge_status(const fake_charge *ch)
{
	return ch ? (ch->paid ? "succeeded" : "failed") : NULL;
}

const char *fake_charge_currency(const fake_charge *ch)
{
	return ch ? ch->currency : NULL;
}

const char *fake_charge_customer(const fake_charge *ch)
{
	return ch ? ch->customer : NULL;
}

const char *fake_charge_payment_intent(const fake_charge *ch)
{
	return ch ? ch->payment_intent : NULL;
}

const char *fake_charge_payment_method(const fake_charge *ch)
{
	return ch ? ch->payment_method : NULL;
}

const char *fake_charge_failure_code(const fake_charge *ch)
{
	return ch ? ch->failure_code : NULL;
}

const char *fake_charge_failure_message(const fake_charge *ch)
{
	return ch ? ch->failure_message : NULL;
}

const char *fake_charge_outcome_type(const fake_charge *ch)
{
	return ch ? (ch->paid ? "authorized" : "issuer_declined") : NULL;
}

const char *fake_charge_outcome_reason(const fake_charge *ch)
{
	return ch ? ch->outcome_reason : NULL;
}

const char *fake_charge_balance_transaction(const fake_charge *ch)
{
	return ch ? ch->balance_transaction : NULL;
}

const char *fake_balance_transaction_id(const fake_balance_transaction *txn)
{
	return txn ? txn->obj.id : NULL;
}

int64_t fake_balance_transaction_created(const fake_balance_transaction *txn)
{
	return txn ? txn->obj.created : 0;
}

int64_t fake_balance_transaction_amount(const fake_balance_transaction *txn)
{
	return txn ? txn->amount : 0;
}

int64_t fake_balance_transaction_fee(const fake_balance_transaction *txn)
{
	return txn ? txn->fee : 0;
}

int64_t fake_balance_transaction_net(const fake_balance_transaction *txn)
{
	return txn ? txn->amount - txn->fee : 0;
}

const char *fake_balance_transaction_currency(const fake_balance_transaction *txn)
{
	return txn ? txn->currency : NULL;
}

const char *fake_balance_transaction_type(const fake_balance_transaction *txn)
{
	return txn ? txn->type : NULL;
}

const char *fake_balance_transaction_source(const fake_balance_transaction *txn)
{
	return txn ? txn->source : NULL;
}
