/*
 * The operation pipeline. Every public operation calls fake__op_run() with
 * its default behaviour, and nothing else: one code path counts the call,
 * consumes a queued script, asks a stub, or runs the default behaviour in a
 * transaction, then delivers the events the call caused.
 */
#include "private.h"

#include <stdio.h>

/* Outcomes an operation that checks a card without charging it accepts. */
#define CHECKS_CARD ((1u << FAKE_OUTCOME_SUCCEED) | (1u << FAKE_OUTCOME_DECLINE))
/* Outcomes an operation that charges a card accepts. */
#define CHARGES_CARD (CHECKS_CARD | (1u << FAKE_OUTCOME_REQUIRES_ACTION))

static const fake__op_info ops[FAKE_OP_COUNT] = {
	[FAKE_OP_CREATE_CUSTOMER] = { "create_customer", FAKE__RESULT_OBJECT, FAKE_OBJECT_CUSTOMER, CHECKS_CARD },
	[FAKE_OP_RETRIEVE_CUSTOMER] = { "retrieve_customer", FAKE__RESULT_OBJECT, FAKE_OBJECT_CUSTOMER, 0 },
	[FAKE_OP_UPDATE_CUSTOMER] = { "update_customer", FAKE__RESULT_OBJECT, FAKE_OBJECT_CUSTOMER, 0 },
	[FAKE_OP_DELETE_CUSTOMER] = { "delete_customer", FAKE__RESULT_OBJECT, FAKE_OBJECT_CUSTOMER, 0 },
	[FAKE_OP_LIST_CUSTOMERS] = { "list_customers", FAKE__RESULT_LIST, FAKE_OBJECT_CUSTOMER, 0 },
	[FAKE_OP_CREATE_PAYMENT_METHOD] = { "create_payment_method", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_METHOD, 0 },
	[FAKE_OP_RETRIEVE_PAYMENT_METHOD] = { "retrieve_payment_method", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_METHOD, 0 },
	[FAKE_OP_UPDATE_PAYMENT_METHOD] = { "update_payment_method", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_METHOD, 0 },
	[FAKE_OP_ATTACH_PAYMENT_METHOD] = { "attach_payment_method", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_METHOD, CHECKS_CARD },
	[FAKE_OP_DETACH_PAYMENT_METHOD] = { "detach_payment_method", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_METHOD, 0 },
	[FAKE_OP_LIST_PAYMENT_METHODS] = { "list_payment_methods", FAKE__RESULT_LIST, FAKE_OBJECT_PAYMENT_METHOD, 0 },
	[FAKE_OP_SET_DEFAULT_PAYMENT_METHOD] = { "set_default_payment_method", FAKE__RESULT_OBJECT, FAKE_OBJECT_CUSTOMER, 0 },
	[FAKE_OP_RETRIEVE_EVENT] = { "retrieve_event", FAKE__RESULT_OBJECT, FAKE_OBJECT_EVENT, 0 },
	[FAKE_OP_LIST_EVENTS] = { "list_events", FAKE__RESULT_LIST, FAKE_OBJECT_EVENT, 0 },
	[FAKE_OP_CREATE_PRODUCT] = { "create_product", FAKE__RESULT_OBJECT, FAKE_OBJECT_PRODUCT, 0 },
	[FAKE_OP_RETRIEVE_PRODUCT] = { "retrieve_product", FAKE__RESULT_OBJECT, FAKE_OBJECT_PRODUCT, 0 },
	[FAKE_OP_UPDATE_PRODUCT] = { "update_product", FAKE__RESULT_OBJECT, FAKE_OBJECT_PRODUCT, 0 },
	[FAKE_OP_LIST_PRODUCTS] = { "list_products", FAKE__RESULT_LIST, FAKE_OBJECT_PRODUCT, 0 },
	[FAKE_OP_CREATE_PRICE] = { "create_price", FAKE__RESULT_OBJECT, FAKE_OBJECT_PRICE, 0 },
	[FAKE_OP_RETRIEVE_PRICE] = { "retrieve_price", FAKE__RESULT_OBJECT, FAKE_OBJECT_PRICE, 0 },
	[FAKE_OP_UPDATE_PRICE] = { "update_price", FAKE__RESULT_OBJECT, FAKE_OBJECT_PRICE, 0 },
	[FAKE_OP_LIST_PRICES] = { "list_prices", FAKE__RESULT_LIST, FAKE_OBJECT_PRICE, 0 },
	[FAKE_OP_CREATE_PAYMENT_INTENT] = { "create_payment_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_INTENT, CHARGES_CARD },
	[FAKE_OP_RETRIEVE_PAYMENT_INTENT] = { "retrieve_payment_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_INTENT, 0 },
	[FAKE_OP_CONFIRM_PAYMENT_INTENT] = { "confirm_payment_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_INTENT, CHARGES_CARD },
	[FAKE_OP_AUTHENTICATE_PAYMENT_INTENT] = { "authenticate_payment_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_INTENT, 0 },
	[FAKE_OP_CAPTURE_PAYMENT_INTENT] = { "capture_payment_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_INTENT, 0 },
	[FAKE_OP_CANCEL_PAYMENT_INTENT] = { "cancel_payment_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_PAYMENT_INTENT, 0 },
	[FAKE_OP_LIST_PAYMENT_INTENTS] = { "list_payment_intents", FAKE__RESULT_LIST, FAKE_OBJECT_PAYMENT_INTENT, 0 },
	[FAKE_OP_RETRIEVE_CHARGE] = { "retrieve_charge", FAKE__RESULT_OBJECT, FAKE_OBJECT_CHARGE, 0 },
	[FAKE_OP_LIST_CHARGES] = { "list_charges", FAKE__RESULT_LIST, FAKE_OBJECT_CHARGE, 0 },
	[FAKE_OP_RETRIEVE_BALANCE_TRANSACTION] = { "retrieve_balance_transaction", FAKE__RESULT_OBJECT, FAKE_OBJECT_BALANCE_TRANSACTION, 0 },
	[FAKE_OP_CREATE_REFUND] = { "create_refund", FAKE__RESULT_OBJECT, FAKE_OBJECT_REFUND, 0 },
	[FAKE_OP_RETRIEVE_REFUND] = { "retrieve_refund", FAKE__RESULT_OBJECT, FAKE_OBJECT_REFUND, 0 },
	[FAKE_OP_LIST_REFUNDS] = { "list_refunds", FAKE__RESULT_LIST, FAKE_OBJECT_REFUND, 0 },
	[FAKE_OP_CREATE_SETUP_INTENT] = { "create_setup_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_SETUP_INTENT, CHARGES_CARD },
	[FAKE_OP_RETRIEVE_SETUP_INTENT] = { "retrieve_setup_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_SETUP_INTENT, 0 },
	[FAKE_OP_CONFIRM_SETUP_INTENT] = { "confirm_setup_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_SETUP_INTENT, CHARGES_CARD },
	[FAKE_OP_AUTHENTICATE_SETUP_INTENT] = { "authenticate_setup_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_SETUP_INTENT, 0 },
	[FAKE_OP_CANCEL_SETUP_INTENT] = { "cancel_setup_intent", FAKE__RESULT_OBJECT, FAKE_OBJECT_SETUP_INTENT, 0 },
	[FAKE_OP_LIST_SETUP_INTENTS] = { "list_setup_intents", FAKE__RESULT_LIST, FAKE_OBJECT_SETUP_INTENT, 0 },
	[FAKE_OP_CREATE_WEBHOOK_ENDPOINT] = { "create_webhook_endpoint", FAKE__RESULT_OBJECT, FAKE_OBJECT_WEBHOOK_ENDPOINT, 0 },
	[FAKE_OP_RETRIEVE_WEBHOOK_ENDPOINT] = { "retrieve_webhook_endpoint", FAKE__RESULT_OBJECT, FAKE_OBJECT_WEBHOOK_ENDPOINT, 0 },
	[FAKE_OP_UPDATE_WEBHOOK_ENDPOINT] = { "update_webhook_endpoint", FAKE__RESULT_OBJECT, FAKE_OBJECT_WEBHOOK_ENDPOINT, 0 },
	[FAKE_OP_DELETE_WEBHOOK_ENDPOINT] = { "delete_webhook_endpoint", FAKE__RESULT_OBJECT, FAKE_OBJECT_WEBHOOK_ENDPOINT, 0 },
	[FAKE_OP_LIST_WEBHOOK_ENDPOINTS] = { "list_webhook_endpoints", FAKE__RESULT_LIST, FAKE_OBJECT_WEBHOOK_ENDPOINT, 0 },
	[FAKE_OP_CREATE_SUBSCRIPTION] = { "create_subscription", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION, CHARGES_CARD },
	[FAKE_OP_RETRIEVE_SUBSCRIPTION] = { "retrieve_subscription", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION, 0 },
	[FAKE_OP_UPDATE_SUBSCRIPTION] = { "update_subscription", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION, CHARGES_CARD },
	[FAKE_OP_CANCEL_SUBSCRIPTION] = { "cancel_subscription", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION, CHARGES_CARD },
	[FAKE_OP_RESUME_SUBSCRIPTION] = { "resume_subscription", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION, CHARGES_CARD },
	[FAKE_OP_LIST_SUBSCRIPTIONS] = { "list_subscriptions", FAKE__RESULT_LIST, FAKE_OBJECT_SUBSCRIPTION, 0 },
	[FAKE_OP_CREATE_SUBSCRIPTION_ITEM] = { "subscription_item_create", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION_ITEM, CHARGES_CARD },
	[FAKE_OP_RETRIEVE_SUBSCRIPTION_ITEM] = { "subscription_item_retrieve", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION_ITEM, 0 },
	[FAKE_OP_UPDATE_SUBSCRIPTION_ITEM] = { "subscription_item_update", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION_ITEM, CHARGES_CARD },
	[FAKE_OP_DELETE_SUBSCRIPTION_ITEM] = { "subscription_item_delete", FAKE__RESULT_OBJECT, FAKE_OBJECT_SUBSCRIPTION_ITEM, CHARGES_CARD },
	[FAKE_OP_LIST_SUBSCRIPTION_ITEMS] = { "subscription_item_list", FAKE__RESULT_LIST, FAKE_OBJECT_SUBSCRIPTION_ITEM, 0 },
	[FAKE_OP_CREATE_USAGE_RECORD] = { "create_usage_record", FAKE__RESULT_OBJECT, FAKE_OBJECT_USAGE_RECORD, 0 },
	[FAKE_OP_CREATE_INVOICE] = { "create_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_RETRIEVE_INVOICE] = { "retrieve_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_UPDATE_INVOICE] = { "update_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_FINALIZE_INVOICE] = { "finalize_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_PAY_INVOICE] = { "pay_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, CHARGES_CARD },
	[FAKE_OP_VOID_INVOICE] = { "void_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_MARK_UNCOLLECTIBLE_INVOICE] = { "mark_uncollectible_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_SEND_INVOICE] = { "send_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_DELETE_INVOICE] = { "delete_invoice", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_LIST_INVOICES] = { "list_invoices", FAKE__RESULT_LIST, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_UPCOMING_INVOICE] = { "create_invoice_preview", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE, 0 },
	[FAKE_OP_CREATE_INVOICE_ITEM] = { "create_invoice_item", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE_ITEM, 0 },
	[FAKE_OP_RETRIEVE_INVOICE_ITEM] = { "retrieve_invoice_item", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE_ITEM, 0 },
	[FAKE_OP_UPDATE_INVOICE_ITEM] = { "update_invoice_item", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE_ITEM, 0 },
	[FAKE_OP_DELETE_INVOICE_ITEM] = { "delete_invoice_item", FAKE__RESULT_OBJECT, FAKE_OBJECT_INVOICE_ITEM, 0 },
	[FAKE_OP_LIST_INVOICE_ITEMS] = { "list_invoice_items", FAKE__RESULT_LIST, FAKE_OBJECT_INVOICE_ITEM, 0 },
	[FAKE_OP_CREATE_TEST_CLOCK] = { "create_test_clock", FAKE__RESULT_OBJECT, FAKE_OBJECT_TEST_CLOCK, 0 },
	[FAKE_OP_RETRIEVE_TEST_CLOCK] = { "retrieve_test_clock", FAKE__RESULT_OBJECT, FAKE_OBJECT_TEST_CLOCK, 0 },
	[FAKE_OP_LIST_TEST_CLOCKS] = { "list_test_clocks", FAKE__RESULT_LIST, FAKE_OBJECT_TEST_CLOCK, 0 },
	[FAKE_OP_DELETE_TEST_CLOCK] = { "delete_test_clock", FAKE__RESULT_OBJECT, FAKE_OBJECT_TEST_CLOCK, 0 },
	[FAKE_OP_ADVANCE_TEST_CLOCK] = { "advance_test_clock", FAKE__RESULT_OBJECT, FAKE_OBJECT_TEST_CLOCK,
					 1u << FAKE_OUTCOME_INTERNAL_FAILURE },
};

const fake__op_info *fake__op_get(fake_op op)
{
	return (unsigned int)op < FAKE_OP_COUNT ? &ops[op] : NULL;
}

const char *fake_op_name(fake_op op)
{
	return (unsigned int)op < FAKE_OP_COUNT ? ops[op].name : NULL;
}

int fake_op_from_name(fake_op *out, const char *name)
{
	if (!out || !name)
		return FAKE_EINVAL;
	for (int op = 0; op < FAKE_OP_COUNT; op++) {
		if (strcmp(ops[op].name, name) == 0) {
			*out = (fake_op)op;
			return 0;
		}
	}
	*out = FAKE_OP_COUNT;
	return FAKE_ENOTFOUND;
}

int fake__op_retrieve(void *out, fake_processor *p, fake__ctx *ctx)
{
	return fake__store_get(out, p, ops[ctx->call.op].type, ctx->call.id, "id");
}

int fake__op_retrieve_live(void *out, fake_processor *p, fake__ctx *ctx)
{
	return fake__store_get_live(out, p, ops[ctx->call.op].type, ctx->call.id, "id");
}

uint64_t fake_call_count(const fake_processor *p, fake_op op)
{
	return p && (unsigned int)op < FAKE_OP_COUNT ? p->calls[op] : 0;
}

/* Moves the request id on by one and puts it in the error record. The
 * processor keeps the last id issued (the record may be restored to an
 * outer call's after nested calls), so counting up its digits in place is
 * enough, except for the first request and when the digits are all nines. */
static void next_request_id(fake_processor *p)
{
	static const char prefix[] = "req_fake_";
	char *id = p->request_id;
	size_t len = strlen(id);
	if (len > sizeof(prefix) - 1) {
		for (size_t i = len; i-- > sizeof(prefix) - 1;) {
			if (id[i] != '9') {
				id[i]++;
				memcpy(p->error->request_id, id, len + 1);
				return;
			}
			id[i] = '0';
		}
	}
	fake__id_write(id, sizeof(p->request_id), prefix, p->requests, p->options.id_width);
	memcpy(p->error->request_id, id, sizeof(p->request_id));
}

static void result_clear(const fake__op_info *info, void *out)
{
	if (info->result == FAKE__RESULT_LIST) {
		fake_list *list = out;
		list->count = 0;
		list->has_more = false;
	} else {
		*(const void **)out = NULL;
	}
}


static int run_stub(fake_processor *p, const fake__op_info *info, const fake__stub *stub, const fake_call *call,
		    void *out)
{
	fake_error error;
	memset(&error, 0, sizeof(error));
	/* The stub may call into the processor; the record must still describe
	 * the stubbed call afterwards. */
	fake_error saved = *p->error;
	p->depth++;
	int rc = stub->fn(out, p, call, &error, stub->user_data);
	p->depth--;
	*p->error = saved;
	if (rc < 0) {
		result_clear(info, out);
		error.status = rc;
		fake__error_replace(p, &error);
		return p->error->status;
	}
	if (info->result == FAKE__RESULT_OBJECT) {
		const void *obj = *(const void **)out;
		if (obj && fake_object_type_of(obj) != info->type) {
			*(const void **)out = NULL;
			return fake__error_set(p, FAKE_EAPI, "", "",
					       "The stub for %s returned a %s, not a %s.", info->name,
					       fake_object_name(obj), fake__object_noun(info->type));
		}
	} else {
		size_t count = ((fake_list *)out)->count;
		if (count > FAKE_LIST_LIMIT_MAX) {
			result_clear(info, out);
			return fake__error_set(p, FAKE_EAPI, "", "", "The stub for %s returned %zu objects, more than %d.",
					       info->name, count, FAKE_LIST_LIMIT_MAX);
		}
	}
	fake__error_clear(p);
	return 0;
}

static int run(fake_processor *p, fake_op op, const char *id, const void *params, const fake_request *request,
	       void *out, fake__op_fn fn)
{
	const fake__op_info *info = &ops[op];

	/* A call from the application switches the record to the other buffer:
	 * ids and params it passes from the last record (error.payment_intent
	 * after a decline, say) stay valid while this call runs. */
	if (!p->depth && !p->delivering)
		p->error = &p->errors[p->error == &p->errors[0]];

	p->calls[op]++;
	p->requests++;
	fake__error_clear(p);
	next_request_id(p);

	if (!out)
		return fake__error_set(p, FAKE_EINVAL, "", "out", "Invalid out: the result pointer is NULL.");
	result_clear(info, out);
	if (request && fake__check_version(p, request->version, FAKE_REQUEST_VERSION, "fake_request"))
		return p->error->status;

	fake__ctx ctx;
	ctx.call.op = op;
	ctx.call.id = id;
	ctx.call.params = params;
	ctx.call.request = request;
	ctx.outcome = FAKE_OUTCOME_ERROR;
	ctx.decline_code[0] = '\0';
	ctx.events = p->options.synthesize_events && !(request && request->no_events);
	ctx.request_id = NULL;
	ctx.keep = false;
	ctx.timeline = false;
	ctx.complete = NULL;

	fake_script script;
	if (fake__script_take(p, op, &script)) {
		if (script.outcome == FAKE_OUTCOME_ERROR) {
			fake__error_replace(p, &script.error);
			return p->error->status;
		}
		ctx.outcome = script.outcome;
		fake__copy(ctx.decline_code, sizeof(ctx.decline_code), script.error.decline_code);
	} else if (p->stubs[op].fn) {
		return run_stub(p, info, &p->stubs[op], &ctx.call, out);
	}

	fake__txn txn;
	fake__txn_begin(p, &txn);
	p->depth++;
	int rc = fn(out, p, &ctx);
	p->depth--;
	if (rc == FAKE_ECARD && ctx.keep) {
		/* A declined payment: the attempt is recorded (Stripe keeps the
		 * failed charge), and the call still reports the decline. */
		result_clear(info, out);
		fake__event_deliver(p); /* keeps the record of the decline */
		return rc;
	}
	if (rc) {
		fake__txn_rollback(p, &txn);
		result_clear(info, out);
		if (p->error->status != rc)
			fake__error_set(p, rc, "", "", "%s", fake_strerror(rc));
		return rc;
	}

	fake__event_deliver(p);
	/* A test clock's advance completes after the call that completes it
	 * committed: its work runs piece by piece, each in its own
	 * transaction, as on the processor clock. */
	if (ctx.complete && fake__test_clock_complete(p, ctx.complete)) {
		result_clear(info, out);
		return p->error->status;
	}
	return 0;
}

int fake__op_run(fake_processor *p, fake_op op, const char *id, const void *params, const fake_request *request,
		 void *out, fake__op_fn fn)
{
	if (out)
		result_clear(&ops[op], out);
	if (!p)
		return FAKE_EINVAL;
	/* Every call starts on the processor clock and moves to a test clock
	 * when it acts on an object that lives on one (fake__clock_follow). */
	fake__timeline *clock = p->clock;
	bool fixed = p->clock_fixed;
	p->clock = &p->timeline;
	p->clock_fixed = false;
	int rc = run(p, op, id, params, request, out, fn);
	p->clock = clock;
	p->clock_fixed = fixed;
	return rc;
}
