/*
 * Setup intents (fake/setup_intent.h): create, confirm with the card check
 * and 3D Secure of Stripe's test cards, the authenticate helper, cancel,
 * retrieve and list; what a setup means for later off-session payments;
 * scripts, stubs and call counts; bad input; and fault injection (every
 * allocation of create, confirm, authenticate and cancel failing in turn).
 *
 * Every test starts from a fresh processor (fixture_new / fixture_free),
 * except the fault-injection tests, which make their own processors on the
 * counting allocator of helpers.h.
 */
#include "helpers.h"

#include <inttypes.h>

/* A non-NULL pointer that no call returns: outs are preset to it so a test
 * can see that a failing call really wrote NULL. */
static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

#define N_MAX 5000 /* no operation allocates this often; a guard against loops */

/* ---- making things ------------------------------------------------------------ */

static const fake_customer *cust_new(fake_processor *p)
{
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_non_null(c);
	return c;
}

/* Attaches a payment method (an id or a pm_card_ token) to a customer. */
static const fake_payment_method *pm_attach(fake_processor *p, const char *pm, const char *customer)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *out = NULL;
	ap.customer = customer;
	check_ok(p, fake_payment_method_attach(&out, p, pm, &ap, NULL));
	assert_non_null(out);
	return out;
}

static const fake_payment_method *pm_detach(fake_processor *p, const char *pm)
{
	const fake_payment_method *out = NULL;
	check_ok(p, fake_payment_method_detach(&out, p, pm, NULL));
	assert_non_null(out);
	return out;
}

static const fake_payment_method *pm_new(fake_processor *p, const char *number)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	const fake_payment_method *out = NULL;
	pp.card_number = number;
	check_ok(p, fake_payment_method_create(&out, p, &pp, NULL));
	assert_non_null(out);
	return out;
}

static const fake_payment_method *pm_get(fake_processor *p, const char *id)
{
	const fake_payment_method *out = NULL;
	check_ok(p, fake_payment_method_retrieve(&out, p, id, NULL));
	assert_non_null(out);
	return out;
}

static fake_setup_intent_create_params si_params(const char *customer, const char *pm, bool confirm)
{
	fake_setup_intent_create_params cp = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	cp.customer = customer;
	cp.payment_method = pm;
	cp.confirm = confirm;
	return cp;
}

/* Creates a setup intent that must not fail. */
static const fake_setup_intent *si_create(fake_processor *p, const char *customer, const char *pm, bool confirm)
{
	fake_setup_intent_create_params cp = si_params(customer, pm, confirm);
	const fake_setup_intent *si = SENTINEL;
	check_ok(p, fake_setup_intent_create(&si, p, &cp, NULL));
	assert_non_null(si);
	assert_ptr_not_equal(si, SENTINEL);
	return si;
}

static const fake_setup_intent *si_get(fake_processor *p, const char *id)
{
	const fake_setup_intent *si = NULL;
	check_ok(p, fake_setup_intent_retrieve(&si, p, id, NULL));
	assert_non_null(si);
	return si;
}

static const fake_setup_intent *si_confirm(fake_processor *p, const char *id, const char *pm)
{
	const fake_setup_intent *si = SENTINEL;
	check_ok(p, fake_setup_intent_confirm(&si, p, id, pm, NULL));
	assert_non_null(si);
	assert_ptr_not_equal(si, SENTINEL);
	return si;
}

static const fake_setup_intent *si_authenticate(fake_processor *p, const char *id, bool succeed)
{
	const fake_setup_intent *si = SENTINEL;
	check_ok(p, fake_setup_intent_authenticate(&si, p, id, succeed, NULL));
	assert_non_null(si);
	assert_ptr_not_equal(si, SENTINEL);
	return si;
}

static const fake_setup_intent *si_cancel(fake_processor *p, const char *id, const char *reason)
{
	const fake_setup_intent *si = SENTINEL;
	check_ok(p, fake_setup_intent_cancel(&si, p, id, reason, NULL));
	assert_non_null(si);
	assert_ptr_not_equal(si, SENTINEL);
	return si;
}

/* An intent in requires_action: customer (may be NULL) with a 3D Secure card. */
static const fake_setup_intent *si_requiring_action(fake_processor *p, const char *customer, const char *token)
{
	const fake_setup_intent *si = si_create(p, customer, token, true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_ACTION);
	return si;
}

/* How many payment methods are attached to the customer (at most 100). */
static size_t attached_count(fake_processor *p, const char *customer)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	fake_list page;
	lp.customer = customer;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
	return page.count;
}

/* How many setup intents are listed (at most 100). */
static size_t si_listed(fake_processor *p)
{
	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	fake_list page;
	lp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	return page.count;
}

/* The n-th event of the log (1-based), by its deterministic id. */
static const fake_event *event_nth(fake_processor *p, size_t n)
{
	char id[32];
	const fake_event *e = NULL;
	snprintf(id, sizeof id, "evt_fake_%05zu", n);
	check_ok(p, fake_event_retrieve(&e, p, id, NULL));
	assert_non_null(e);
	return e;
}

static const fake_event *event_last(fake_processor *p)
{
	return event_nth(p, fake_event_count(p));
}

/* Asserts that the events after the first `before` have exactly these types, in order. */
static void check_new_events(fake_processor *p, size_t before, const char *const *types, size_t n)
{
	size_t count = fake_event_count(p);
	if (count != before + n) {
		print_error("expected %zu new events, got %zu\n", n, count - before);
		for (size_t i = before + 1; i <= count; i++)
			print_error("  %s\n", fake_event_type(event_nth(p, i)));
		fail();
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(fake_event_type(event_nth(p, before + 1 + i)), types[i]);
}

#define CHECK_EVENTS(p, before, ...)                                                        \
	do {                                                                                \
		static const char *const check_types_[] = { __VA_ARGS__ };                  \
		check_new_events((p), (before), check_types_,                               \
				 sizeof(check_types_) / sizeof(check_types_[0]));           \
	} while (0)

/* The setup intent an event carries (a snapshot as of the event). */
static const fake_setup_intent *event_si(const fake_event *e)
{
	const void *o = fake_event_object(e);
	assert_int_equal(fake_object_type_of(o), FAKE_OBJECT_SETUP_INTENT);
	return o;
}

/* Creates a payment intent off session with confirm; returns the status. */
static int pay_off_session(fake_processor *p, const char *customer, const char *pm, const fake_payment_intent **out)
{
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp.amount = 2000;
	cp.currency = "usd";
	cp.customer = customer;
	cp.payment_method = pm;
	cp.confirm = true;
	cp.off_session = true;
	return fake_payment_intent_create(out, p, &cp, NULL);
}

/* ---- create --------------------------------------------------------------------- */

static void test_setup_intent_create_defaults(void **state)
{
	fake_processor *p = *state;
	const fake_setup_intent *si = SENTINEL;

	check_ok(p, fake_setup_intent_create(&si, p, NULL, NULL));
	assert_non_null(si);
	assert_ptr_not_equal(si, SENTINEL);
	assert_string_equal(fake_setup_intent_id(si), "seti_fake_00001");
	assert_string_equal(fake_setup_intent_client_secret(si), "seti_fake_00001_secret_fake");
	assert_string_equal(fake_setup_intent_usage(si), "off_session");
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_string_equal(fake_setup_intent_status_name(si), "requires_payment_method");
	assert_int_equal(fake_setup_intent_created(si), FAKE_EPOCH_DEFAULT);
	assert_null(fake_setup_intent_customer(si));
	assert_null(fake_setup_intent_payment_method(si));
	assert_null(fake_setup_intent_next_action(si));
	assert_null(fake_setup_intent_last_error_code(si));
	assert_null(fake_setup_intent_last_error_decline_code(si));
	assert_null(fake_setup_intent_last_error_message(si));
	assert_null(fake_setup_intent_cancellation_reason(si));
	assert_null(fake_setup_intent_description(si));
	assert_non_null(fake_setup_intent_metadata(si));
	assert_int_equal(fake_metadata_count(fake_setup_intent_metadata(si)), 0);
	assert_int_equal(fake_object_type_of(si), FAKE_OBJECT_SETUP_INTENT);
	assert_string_equal(fake_object_name(si), "setup_intent");
	assert_string_equal(fake_object_id(si), "seti_fake_00001");
	assert_int_equal(fake_object_created(si), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_error_last(p)->status, 0);

	CHECK_EVENTS(p, 0, "setup_intent.created");
	const fake_setup_intent *snap = event_si(event_nth(p, 1));
	assert_string_equal(fake_setup_intent_id(snap), "seti_fake_00001");
	assert_int_equal(fake_setup_intent_status_of(snap), FAKE_SETI_REQUIRES_PAYMENT_METHOD);

	/* the INIT params are the same as none; ids count on */
	fake_setup_intent_create_params cp = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	const fake_setup_intent *b = NULL;
	check_ok(p, fake_setup_intent_create(&b, p, &cp, NULL));
	assert_string_equal(fake_setup_intent_id(b), "seti_fake_00002");
	assert_string_equal(fake_setup_intent_client_secret(b), "seti_fake_00002_secret_fake");
	assert_string_equal(fake_setup_intent_usage(b), "off_session");
	assert_int_equal(fake_setup_intent_status_of(b), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_ptr_equal(si_get(p, "seti_fake_00001"), si);
}

static void test_setup_intent_create_copies_fields(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p);
	char desc[32], key[8], value[8];
	fake_kv md[1];
	fake_setup_intent_create_params cp = si_params(fake_customer_id(c), "pm_card_visa", false);
	const fake_setup_intent *si = NULL;

	strcpy(desc, "save a card");
	strcpy(key, "order");
	strcpy(value, "42");
	md[0].key = key;
	md[0].value = value;
	cp.description = desc;
	cp.metadata = md;
	cp.metadata_count = 1;
	cp.on_session = true;
	check_ok(p, fake_clock_advance(p, 60));
	check_ok(p, fake_setup_intent_create(&si, p, &cp, NULL));
	memset(desc, 'x', sizeof desc - 1);
	strcpy(key, "zzz");
	strcpy(value, "zzz");

	assert_string_equal(fake_setup_intent_customer(si), "cus_fake_00001");
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00001");
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_CONFIRMATION);
	assert_string_equal(fake_setup_intent_status_name(si), "requires_confirmation");
	assert_string_equal(fake_setup_intent_usage(si), "on_session");
	assert_string_equal(fake_setup_intent_description(si), "save a card");
	assert_int_equal(fake_metadata_count(fake_setup_intent_metadata(si)), 1);
	assert_string_equal(fake_metadata_get(fake_setup_intent_metadata(si), "order"), "42");
	assert_int_equal(fake_setup_intent_created(si), FAKE_EPOCH_DEFAULT + 60);
	assert_null(fake_setup_intent_next_action(si));

	/* not confirmed: the token made a payment method, nothing was attached */
	assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00001")));
	assert_int_equal(attached_count(p, "cus_fake_00001"), 0);
	CHECK_EVENTS(p, 1, "setup_intent.created");
}

static void test_setup_intent_create_status_follows_payment_method(void **state)
{
	fake_processor *p = *state;
	const fake_payment_method *pm = pm_new(p, "4242424242424242");

	const fake_setup_intent *none = si_create(p, NULL, NULL, false);
	const fake_setup_intent *by_id = si_create(p, NULL, fake_payment_method_id(pm), false);
	const fake_setup_intent *by_token = si_create(p, NULL, "pm_card_mastercard", false);

	assert_int_equal(fake_setup_intent_status_of(none), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_setup_intent_payment_method(none));
	assert_int_equal(fake_setup_intent_status_of(by_id), FAKE_SETI_REQUIRES_CONFIRMATION);
	assert_string_equal(fake_setup_intent_payment_method(by_id), "pm_fake_00001");
	assert_int_equal(fake_setup_intent_status_of(by_token), FAKE_SETI_REQUIRES_CONFIRMATION);
	assert_string_equal(fake_setup_intent_payment_method(by_token), "pm_fake_00002");
	assert_string_equal(fake_payment_method_card_brand(pm_get(p, "pm_fake_00002")), "mastercard");
}

static void test_setup_intent_accessors_of_null(void **state)
{
	(void)state;
	assert_null(fake_setup_intent_id(NULL));
	assert_int_equal(fake_setup_intent_created(NULL), 0);
	assert_null(fake_setup_intent_customer(NULL));
	assert_null(fake_setup_intent_payment_method(NULL));
	assert_int_equal(fake_setup_intent_status_of(NULL), 0);
	assert_null(fake_setup_intent_status_name(NULL));
	assert_null(fake_setup_intent_usage(NULL));
	assert_null(fake_setup_intent_next_action(NULL));
	assert_null(fake_setup_intent_last_error_code(NULL));
	assert_null(fake_setup_intent_last_error_decline_code(NULL));
	assert_null(fake_setup_intent_last_error_message(NULL));
	assert_null(fake_setup_intent_client_secret(NULL));
	assert_null(fake_setup_intent_cancellation_reason(NULL));
	assert_null(fake_setup_intent_description(NULL));
	assert_null(fake_setup_intent_metadata(NULL));
}

static void test_setup_intent_confirm_without_payment_method(void **state)
{
	fake_processor *p = *state;
	fake_setup_intent_create_params cp = si_params(NULL, NULL, true);
	const fake_setup_intent *si = SENTINEL;

	check_fails(p, fake_setup_intent_create(&si, p, &cp, NULL), FAKE_EINVAL, "", "payment_method");
	assert_null(si);
	assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
	assert_int_equal(fake_error_last(p)->http_status, 400);
	assert_int_equal(fake_event_count(p), 0);
	assert_int_equal(si_listed(p), 0);

	const fake_setup_intent *made = si_create(p, NULL, NULL, false);
	assert_string_equal(fake_setup_intent_id(made), "seti_fake_00001");
	si = SENTINEL;
	check_fails(p, fake_setup_intent_confirm(&si, p, "seti_fake_00001", NULL, NULL), FAKE_EINVAL, "",
		    "payment_method");
	assert_null(si);
	assert_int_equal(fake_setup_intent_status_of(made), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_setup_intent_last_error_code(made));
	assert_int_equal(fake_event_count(p), 1);
}

static void test_setup_intent_create_unknown_customer(void **state)
{
	fake_processor *p = *state;
	const fake_customer *gone = cust_new(p);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_delete(&c, p, fake_customer_id(gone), NULL));
	size_t events = fake_event_count(p);

	static const char *const ids[] = { "cus_fake_00042", "cus_fake_00001" /* deleted */ };
	for (size_t i = 0; i < 2; i++) {
		fake_setup_intent_create_params cp = si_params(ids[i], "pm_card_visa", true);
		const fake_setup_intent *si = SENTINEL;
		check_fails(p, fake_setup_intent_create(&si, p, &cp, NULL), FAKE_ENOTFOUND, "resource_missing",
			    "customer");
		assert_null(si);
		assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
		assert_int_equal(fake_error_last(p)->http_status, 404);
		char message[64];
		snprintf(message, sizeof message, "No such customer: '%s'", ids[i]);
		assert_string_equal(fake_error_last(p)->message, message);
	}
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(si_listed(p), 0);
	/* the token was not turned into a payment method either */
	const fake_payment_method *pm = NULL;
	assert_int_equal(fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL), FAKE_ENOTFOUND);
}

static void test_setup_intent_payment_method_of_another_customer(void **state)
{
	fake_processor *p = *state;
	const char *a = fake_customer_id(cust_new(p));
	const char *b = fake_customer_id(cust_new(p));
	const fake_payment_method *pm = pm_attach(p, "pm_card_visa", a);
	const char *pm_id = fake_payment_method_id(pm);
	size_t events = fake_event_count(p);

	fake_setup_intent_create_params cp = si_params(b, pm_id, false);
	const fake_setup_intent *si = SENTINEL;
	check_fails(p, fake_setup_intent_create(&si, p, &cp, NULL), FAKE_EINVAL, "", "payment_method");
	assert_null(si);

	/* no customer on the intent: the method's customer must be given */
	cp = si_params(NULL, pm_id, true);
	si = SENTINEL;
	check_fails(p, fake_setup_intent_create(&si, p, &cp, NULL), FAKE_EINVAL, "", "customer");
	assert_null(si);
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(si_listed(p), 0);

	/* confirm with it on B's intent */
	const fake_setup_intent *on_b = si_create(p, b, NULL, false);
	events = fake_event_count(p);
	si = SENTINEL;
	check_fails(p, fake_setup_intent_confirm(&si, p, fake_setup_intent_id(on_b), pm_id, NULL), FAKE_EINVAL, "",
		    "payment_method");
	assert_null(si);
	assert_int_equal(fake_setup_intent_status_of(on_b), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_setup_intent_payment_method(on_b));
	assert_string_equal(fake_payment_method_customer(pm), a);
	assert_int_equal(attached_count(p, b), 0);
	assert_int_equal(fake_event_count(p), events);

	/* the owner's own intent takes it; it is already attached, so no second attach */
	const fake_setup_intent *on_a = si_create(p, a, pm_id, false);
	events = fake_event_count(p);
	si_confirm(p, fake_setup_intent_id(on_a), NULL);
	assert_int_equal(fake_setup_intent_status_of(on_a), FAKE_SETI_SUCCEEDED);
	CHECK_EVENTS(p, events, "setup_intent.succeeded");
	assert_int_equal(attached_count(p, a), 1);
}

static void test_setup_intent_detached_payment_method(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const char *pm_id = fake_payment_method_id(pm_attach(p, "pm_card_visa", c));
	pm_detach(p, pm_id);
	size_t events = fake_event_count(p);

	const char *customers[] = { c, NULL };
	for (size_t i = 0; i < 2; i++) {
		fake_setup_intent_create_params cp = si_params(customers[i], pm_id, true);
		const fake_setup_intent *si = SENTINEL;
		check_fails(p, fake_setup_intent_create(&si, p, &cp, NULL), FAKE_EINVAL, "", "payment_method");
		assert_null(si);
	}
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(si_listed(p), 0);

	const fake_setup_intent *made = si_create(p, c, NULL, false);
	events = fake_event_count(p);
	const fake_setup_intent *si = SENTINEL;
	check_fails(p, fake_setup_intent_confirm(&si, p, fake_setup_intent_id(made), pm_id, NULL), FAKE_EINVAL, "",
		    "payment_method");
	assert_null(si);
	assert_int_equal(fake_setup_intent_status_of(made), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_payment_method_customer(pm_get(p, pm_id)));
	assert_int_equal(attached_count(p, c), 0);
	assert_int_equal(fake_event_count(p), events);
}

/* ---- outcomes --------------------------------------------------------------------- */

static void test_setup_intent_visa_succeeds_and_attaches(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	size_t events = fake_event_count(p);

	const fake_setup_intent *si = si_create(p, c, "pm_card_visa", true);
	assert_string_equal(fake_setup_intent_id(si), "seti_fake_00001");
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_string_equal(fake_setup_intent_status_name(si), "succeeded");
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00001");
	assert_null(fake_setup_intent_next_action(si));
	assert_null(fake_setup_intent_last_error_code(si));
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_string_equal(fake_error_last(p)->setup_intent, "");

	assert_string_equal(fake_payment_method_customer(pm_get(p, "pm_fake_00001")), c);
	assert_int_equal(attached_count(p, c), 1);
	CHECK_EVENTS(p, events, "setup_intent.created", "payment_method.attached", "setup_intent.succeeded");
	assert_int_equal(fake_setup_intent_status_of(event_si(event_nth(p, events + 1))),
			 FAKE_SETI_REQUIRES_CONFIRMATION);
	assert_string_equal(fake_object_id(fake_event_object(event_nth(p, events + 2))), "pm_fake_00001");
	const fake_setup_intent *snap = event_si(event_nth(p, events + 3));
	assert_int_equal(fake_setup_intent_status_of(snap), FAKE_SETI_SUCCEEDED);
	assert_string_equal(fake_setup_intent_payment_method(snap), "pm_fake_00001");
}

static void test_setup_intent_confirm_later_succeeds(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *si = si_create(p, c, "pm_card_mastercard", false);
	size_t events = fake_event_count(p);

	const fake_setup_intent *out = si_confirm(p, fake_setup_intent_id(si), NULL);
	assert_ptr_equal(out, si);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_string_equal(fake_payment_method_customer(pm_get(p, fake_setup_intent_payment_method(si))), c);
	CHECK_EVENTS(p, events, "payment_method.attached", "setup_intent.succeeded");
}

static void test_setup_intent_succeeds_without_customer(void **state)
{
	fake_processor *p = *state;
	const fake_setup_intent *si = si_create(p, NULL, "pm_card_visa", true);

	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_null(fake_setup_intent_customer(si));
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00001");
	assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00001")));
	CHECK_EVENTS(p, 0, "setup_intent.created", "setup_intent.succeeded");
}

/* A declined setup: recorded, reported as FAKE_ECARD naming the intent. */
static void check_declined(fake_processor *p, int rc, const fake_setup_intent *out, const char *id,
			   const char *customer, const char *decline_code, const char *code, const char *message)
{
	const fake_error *e = fake_error_last(p);
	if (rc != FAKE_ECARD) {
		print_error("expected FAKE_ECARD, got %s: %s\n", fake_status_name(rc), e->message);
		fail();
	}
	assert_null(out);
	assert_int_equal(e->status, FAKE_ECARD);
	assert_int_equal(e->http_status, 402);
	assert_string_equal(e->type, "card_error");
	assert_string_equal(e->code, code);
	assert_string_equal(e->decline_code, decline_code);
	assert_string_equal(e->message, message);
	assert_string_equal(e->setup_intent, id);
	assert_string_equal(e->payment_intent, "");
	assert_string_equal(e->charge, "");

	/* the id straight from the error record: it survives the record being cleared */
	const fake_setup_intent *si = NULL;
	check_ok(p, fake_setup_intent_retrieve(&si, p, fake_error_last(p)->setup_intent, NULL));
	assert_non_null(si);
	assert_string_equal(fake_setup_intent_id(si), id);
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_string_equal(fake_error_last(p)->setup_intent, "");
	assert_string_equal(fake_error_last(p)->decline_code, "");

	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_setup_intent_payment_method(si));
	assert_null(fake_setup_intent_next_action(si));
	assert_string_equal(fake_setup_intent_last_error_code(si), code);
	assert_string_equal(fake_setup_intent_last_error_decline_code(si), decline_code);
	assert_string_equal(fake_setup_intent_last_error_message(si), message);
	if (customer)
		assert_int_equal(attached_count(p, customer), 0);

	const fake_setup_intent *snap = event_si(event_last(p));
	assert_string_equal(fake_event_type(event_last(p)), "setup_intent.setup_failed");
	assert_string_equal(fake_setup_intent_id(snap), id);
	assert_int_equal(fake_setup_intent_status_of(snap), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_string_equal(fake_setup_intent_last_error_decline_code(snap), decline_code);
}

static const struct decline_case {
	const char *token;
	const char *decline_code;
	const char *code;
	const char *message;
} decline_cases[] = {
	{ "pm_card_chargeDeclined", "generic_decline", "card_declined", "Your card was declined." },
	{ "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds", "card_declined",
	  "Your card has insufficient funds." },
	{ "pm_card_visa_chargeDeclinedLostCard", "lost_card", "card_declined", "Your card was declined." },
	{ "pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card", "Your card has expired." },
	{ "pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc",
	  "Your card's security code is incorrect." },
};

static void test_setup_intent_declining_cards_on_create(void **state)
{
	fake_processor *p = *state;
	for (size_t i = 0; i < sizeof(decline_cases) / sizeof(decline_cases[0]); i++) {
		const struct decline_case *d = &decline_cases[i];
		check_ok(p, fake_processor_reset(p));
		const char *c = fake_customer_id(cust_new(p));
		size_t events = fake_event_count(p);
		fake_setup_intent_create_params cp = si_params(c, d->token, true);
		const fake_setup_intent *si = SENTINEL;

		int rc = fake_setup_intent_create(&si, p, &cp, NULL);
		check_declined(p, rc, si, "seti_fake_00001", c, d->decline_code, d->code, d->message);
		CHECK_EVENTS(p, events, "setup_intent.created", "setup_intent.setup_failed");
		assert_int_equal(si_listed(p), 1);
		/* the payment method the token made exists, unattached */
		assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00001")));
	}
}

static void test_setup_intent_declining_cards_on_confirm(void **state)
{
	fake_processor *p = *state;
	for (size_t i = 0; i < sizeof(decline_cases) / sizeof(decline_cases[0]); i++) {
		const struct decline_case *d = &decline_cases[i];
		check_ok(p, fake_processor_reset(p));
		const char *c = fake_customer_id(cust_new(p));
		si_create(p, c, NULL, false); /* seti_fake_00001, untouched */
		const fake_setup_intent *made = si_create(p, c, d->token, false);
		assert_string_equal(fake_setup_intent_id(made), "seti_fake_00002");
		size_t events = fake_event_count(p);
		const fake_setup_intent *si = SENTINEL;

		int rc = fake_setup_intent_confirm(&si, p, "seti_fake_00002", NULL, NULL);
		check_declined(p, rc, si, "seti_fake_00002", c, d->decline_code, d->code, d->message);
		CHECK_EVENTS(p, events, "setup_intent.setup_failed");
		assert_int_equal(fake_setup_intent_status_of(si_get(p, "seti_fake_00001")),
				 FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	}
}

static void test_setup_intent_decline_without_customer(void **state)
{
	fake_processor *p = *state;
	fake_setup_intent_create_params cp = si_params(NULL, "pm_card_chargeDeclined", true);
	const fake_setup_intent *si = SENTINEL;

	int rc = fake_setup_intent_create(&si, p, &cp, NULL);
	check_declined(p, rc, si, "seti_fake_00001", NULL, "generic_decline", "card_declined", "Your card was declined.");
	CHECK_EVENTS(p, 0, "setup_intent.created", "setup_intent.setup_failed");
}

static void test_setup_intent_charge_customer_fail_attaches(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	size_t events = fake_event_count(p);

	const fake_setup_intent *si = si_create(p, c, "pm_card_chargeCustomerFail", true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	const fake_payment_method *pm = pm_get(p, fake_setup_intent_payment_method(si));
	assert_string_equal(fake_payment_method_card_last4(pm), "0341");
	assert_int_equal(fake_payment_method_card_behavior(pm), FAKE_CARD_DECLINES_AFTER_ATTACH);
	assert_string_equal(fake_payment_method_customer(pm), c);
	CHECK_EVENTS(p, events, "setup_intent.created", "payment_method.attached", "setup_intent.succeeded");

	/* the setup succeeded; charging the card still fails */
	const fake_payment_intent *pi = SENTINEL;
	check_fails(p, pay_off_session(p, c, fake_payment_method_id(pm), &pi), FAKE_ECARD, "card_declined", NULL);
	assert_null(pi);
	assert_string_equal(fake_error_last(p)->decline_code, "generic_decline");
}

static const char *const three_ds_tokens[] = { "pm_card_authenticationRequired",
					       "pm_card_authenticationRequiredOnSetup" };

static void test_setup_intent_3ds_cards_require_action(void **state)
{
	fake_processor *p = *state;
	for (size_t i = 0; i < 2; i++) {
		check_ok(p, fake_processor_reset(p));
		const char *c = fake_customer_id(cust_new(p));
		size_t events = fake_event_count(p);

		const fake_setup_intent *si = si_create(p, c, three_ds_tokens[i], true);
		assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_ACTION);
		assert_string_equal(fake_setup_intent_status_name(si), "requires_action");
		assert_string_equal(fake_setup_intent_next_action(si), "use_stripe_sdk");
		assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00001");
		assert_null(fake_setup_intent_last_error_code(si));
		assert_int_equal(fake_error_last(p)->status, 0);
		assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00001")));
		CHECK_EVENTS(p, events, "setup_intent.created", "setup_intent.requires_action");
		const fake_setup_intent *snap = event_si(event_last(p));
		assert_int_equal(fake_setup_intent_status_of(snap), FAKE_SETI_REQUIRES_ACTION);
		assert_string_equal(fake_setup_intent_next_action(snap), "use_stripe_sdk");

		/* the same through a separate confirm */
		const fake_setup_intent *later = si_create(p, c, three_ds_tokens[i], false);
		events = fake_event_count(p);
		si_confirm(p, fake_setup_intent_id(later), NULL);
		assert_int_equal(fake_setup_intent_status_of(later), FAKE_SETI_REQUIRES_ACTION);
		assert_string_equal(fake_setup_intent_next_action(later), "use_stripe_sdk");
		CHECK_EVENTS(p, events, "setup_intent.requires_action");
		assert_int_equal(attached_count(p, c), 0);
	}
}

static void test_setup_intent_authenticate_success(void **state)
{
	fake_processor *p = *state;
	for (size_t i = 0; i < 2; i++) {
		check_ok(p, fake_processor_reset(p));
		const char *c = fake_customer_id(cust_new(p));
		const fake_setup_intent *si = si_requiring_action(p, c, three_ds_tokens[i]);
		size_t events = fake_event_count(p);

		const fake_setup_intent *out = si_authenticate(p, fake_setup_intent_id(si), true);
		assert_ptr_equal(out, si);
		assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
		assert_null(fake_setup_intent_next_action(si));
		assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00001");
		assert_string_equal(fake_payment_method_customer(pm_get(p, "pm_fake_00001")), c);
		CHECK_EVENTS(p, events, "payment_method.attached", "setup_intent.succeeded");
	}

	/* without a customer: succeeds, nothing to attach to */
	check_ok(p, fake_processor_reset(p));
	const fake_setup_intent *si = si_requiring_action(p, NULL, "pm_card_authenticationRequired");
	si_authenticate(p, fake_setup_intent_id(si), true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00001")));
	CHECK_EVENTS(p, 2, "setup_intent.succeeded");
}

static void test_setup_intent_authenticate_failure(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *si = si_requiring_action(p, c, "pm_card_authenticationRequiredOnSetup");
	const char *id = fake_setup_intent_id(si);
	size_t events = fake_event_count(p);

	const fake_setup_intent *out = SENTINEL;
	assert_int_equal(fake_setup_intent_authenticate(&out, p, id, false, NULL), 0);
	assert_ptr_equal(out, si);
	assert_int_equal(fake_error_last(p)->status, 0);
	assert_string_equal(fake_error_last(p)->setup_intent, "");
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	assert_null(fake_setup_intent_payment_method(si));
	assert_null(fake_setup_intent_next_action(si));
	assert_string_equal(fake_setup_intent_last_error_code(si), "setup_intent_authentication_failure");
	assert_null(fake_setup_intent_last_error_decline_code(si));
	assert_non_null(fake_setup_intent_last_error_message(si));
	assert_true(fake_setup_intent_last_error_message(si)[0] != '\0');
	CHECK_EVENTS(p, events, "setup_intent.setup_failed");
	assert_string_equal(fake_setup_intent_last_error_code(event_si(event_last(p))),
			    "setup_intent_authentication_failure");
	assert_int_equal(attached_count(p, c), 0);
	assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00001")));

	/* no longer in requires_action */
	out = SENTINEL;
	check_fails(p, fake_setup_intent_authenticate(&out, p, id, true, NULL), FAKE_ESTATE,
		    "setup_intent_unexpected_state", "");
	assert_null(out);

	/* another card, and the error is gone */
	si_confirm(p, id, "pm_card_visa");
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_null(fake_setup_intent_last_error_code(si));
	assert_null(fake_setup_intent_last_error_message(si));
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00002");
	assert_int_equal(attached_count(p, c), 1);
}

/*
 * A script can put a declining card into requires_action. Completing 3D
 * Secure then "succeeds the setup as confirm would", and the header allows
 * authenticate only 0, FAKE_ESTATE, FAKE_ENOTFOUND and FAKE_ENOMEM; without a
 * customer it does succeed. (With a customer, libfake 0.1.0 returns an
 * unrecorded FAKE_ECARD from the card check of the attach, and the intent
 * stays in requires_action: this test fails.)
 */
static void test_setup_intent_authenticate_completes_scripted_action(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	fake_script s = fake_script_outcome(FAKE_OUTCOME_REQUIRES_ACTION);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SETUP_INTENT, &s, 2));
	const fake_setup_intent *without = si_requiring_action(p, NULL, "pm_card_chargeDeclined");
	const fake_setup_intent *with = si_requiring_action(p, c, "pm_card_chargeDeclined");
	size_t events = fake_event_count(p);

	si_authenticate(p, fake_setup_intent_id(without), true);
	assert_int_equal(fake_setup_intent_status_of(without), FAKE_SETI_SUCCEEDED);
	CHECK_EVENTS(p, events, "setup_intent.succeeded");

	const fake_setup_intent *out = SENTINEL;
	int rc = fake_setup_intent_authenticate(&out, p, fake_setup_intent_id(with), true, NULL);
	if (rc != 0) {
		print_error("authenticate(true) with a customer returned %s (%s, error.setup_intent '%s'); the intent is %s\n",
			    fake_status_name(rc), fake_error_last(p)->message, fake_error_last(p)->setup_intent,
			    fake_setup_intent_status_name(with));
		fail();
	}
	assert_ptr_equal(out, with);
	assert_int_equal(fake_setup_intent_status_of(with), FAKE_SETI_SUCCEEDED);
	assert_int_equal(attached_count(p, c), 1);
}

static void test_setup_intent_authenticate_wrong_status(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *states[4];
	states[0] = si_create(p, c, NULL, false);                                            /* requires_payment_method */
	states[1] = si_create(p, c, "pm_card_visa", false);                                  /* requires_confirmation */
	states[2] = si_create(p, c, "pm_card_visa", true);                                   /* succeeded */
	states[3] = si_cancel(p, fake_setup_intent_id(si_create(p, c, NULL, false)), NULL); /* canceled */
	static const char *const names[] = { "requires_payment_method", "requires_confirmation", "succeeded",
					     "canceled" };
	size_t events = fake_event_count(p);

	for (size_t i = 0; i < 4; i++) {
		fake_setup_intent_status before = fake_setup_intent_status_of(states[i]);
		const fake_setup_intent *out = SENTINEL;
		check_fails(p, fake_setup_intent_authenticate(&out, p, fake_setup_intent_id(states[i]), true, NULL),
			    FAKE_ESTATE, "setup_intent_unexpected_state", "");
		assert_null(out);
		assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
		assert_non_null(strstr(fake_error_last(p)->message, names[i]));
		assert_int_equal(fake_setup_intent_status_of(states[i]), before);
	}
	const fake_setup_intent *out = SENTINEL;
	check_fails(p, fake_setup_intent_authenticate(&out, p, "seti_fake_00099", true, NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_null(out);
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(attached_count(p, c), 1);
}

/* ---- off session after a setup ------------------------------------------------------ */

static void test_setup_intent_3155_set_up_pays_off_session(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *si = si_requiring_action(p, c, "pm_card_authenticationRequiredOnSetup");
	si_authenticate(p, fake_setup_intent_id(si), true);
	const char *pm = fake_setup_intent_payment_method(si);
	assert_string_equal(fake_payment_method_card_last4(pm_get(p, pm)), "3155");

	const fake_payment_intent *pi = NULL;
	check_ok(p, pay_off_session(p, c, pm, &pi));
	assert_non_null(pi);
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
	assert_null(fake_payment_intent_next_action(pi));

	/* and again: it stays set up */
	check_ok(p, pay_off_session(p, c, pm, &pi));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_SUCCEEDED);
}

static void test_setup_intent_3155_without_setup_declines_off_session(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const char *pm = fake_payment_method_id(pm_attach(p, "pm_card_authenticationRequiredOnSetup", c));

	const fake_payment_intent *pi = SENTINEL;
	check_fails(p, pay_off_session(p, c, pm, &pi), FAKE_ECARD, "card_declined", "");
	assert_null(pi);
	assert_string_equal(fake_error_last(p)->type, "card_error");
	assert_string_equal(fake_error_last(p)->decline_code, "authentication_required");
	assert_true(fake_error_last(p)->payment_intent[0] != '\0');
	check_ok(p, fake_payment_intent_retrieve(&pi, p, fake_error_last(p)->payment_intent, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_PAYMENT_METHOD);
	assert_string_equal(fake_payment_intent_last_error_decline_code(pi), "authentication_required");

	/* a setup that failed 3D Secure does not help either */
	const fake_setup_intent *si = si_create(p, c, pm, true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_ACTION);
	si_authenticate(p, fake_setup_intent_id(si), false);
	pi = SENTINEL;
	check_fails(p, pay_off_session(p, c, pm, &pi), FAKE_ECARD, "card_declined", "");
	assert_string_equal(fake_error_last(p)->decline_code, "authentication_required");
}

static void test_setup_intent_3184_still_needs_3ds_off_session(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *si = si_requiring_action(p, c, "pm_card_authenticationRequired");
	si_authenticate(p, fake_setup_intent_id(si), true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	const char *pm = fake_setup_intent_payment_method(si);
	assert_string_equal(fake_payment_method_card_last4(pm_get(p, pm)), "3184");
	assert_string_equal(fake_payment_method_customer(pm_get(p, pm)), c);

	const fake_payment_intent *pi = SENTINEL;
	check_fails(p, pay_off_session(p, c, pm, &pi), FAKE_ECARD, "card_declined", "");
	assert_null(pi);
	assert_string_equal(fake_error_last(p)->decline_code, "authentication_required");

	/* on session it asks for 3D Secure again */
	fake_payment_intent_create_params cp = FAKE_PAYMENT_INTENT_CREATE_PARAMS_INIT;
	cp.amount = 2000;
	cp.currency = "usd";
	cp.customer = c;
	cp.payment_method = pm;
	cp.confirm = true;
	check_ok(p, fake_payment_intent_create(&pi, p, &cp, NULL));
	assert_int_equal(fake_payment_intent_status_of(pi), FAKE_PI_REQUIRES_ACTION);
}

/* ---- confirm ------------------------------------------------------------------------- */

static void test_setup_intent_confirm_other_payment_method_after_decline(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	fake_setup_intent_create_params cp = si_params(c, "pm_card_chargeDeclinedInsufficientFunds", true);
	const fake_setup_intent *si = SENTINEL;
	assert_int_equal(fake_setup_intent_create(&si, p, &cp, NULL), FAKE_ECARD);
	assert_null(si);
	si = si_get(p, "seti_fake_00001");

	/* the declined method is gone from the intent: confirming alone has nothing to use */
	const fake_setup_intent *out = SENTINEL;
	check_fails(p, fake_setup_intent_confirm(&out, p, "seti_fake_00001", NULL, NULL), FAKE_EINVAL, "",
		    "payment_method");
	assert_null(out);

	size_t events = fake_event_count(p);
	out = si_confirm(p, "seti_fake_00001", "pm_card_visa");
	assert_ptr_equal(out, si);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00002");
	assert_null(fake_setup_intent_last_error_code(si));
	assert_null(fake_setup_intent_last_error_decline_code(si));
	assert_null(fake_setup_intent_last_error_message(si));
	assert_string_equal(fake_payment_method_customer(pm_get(p, "pm_fake_00002")), c);
	assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00001")));
	assert_int_equal(attached_count(p, c), 1);
	CHECK_EVENTS(p, events, "payment_method.attached", "setup_intent.succeeded");
}

static void test_setup_intent_confirm_replaces_payment_method(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const char *other = fake_payment_method_id(pm_new(p, "5555555555554444"));
	const fake_setup_intent *si = si_create(p, c, "pm_card_visa", false);
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00002");

	si_confirm(p, fake_setup_intent_id(si), other);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_string_equal(fake_setup_intent_payment_method(si), other);
	assert_string_equal(fake_payment_method_customer(pm_get(p, other)), c);
	assert_null(fake_payment_method_customer(pm_get(p, "pm_fake_00002")));
}

static void test_setup_intent_confirm_wrong_status(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *states[3];
	states[0] = si_create(p, c, "pm_card_visa", true);                             /* succeeded */
	states[1] = si_cancel(p, fake_setup_intent_id(si_create(p, c, "pm_card_visa", false)), "duplicate");
	states[2] = si_requiring_action(p, c, "pm_card_authenticationRequired");       /* requires_action */
	static const char *const names[] = { "succeeded", "canceled", "requires_action" };
	size_t events = fake_event_count(p);

	for (size_t i = 0; i < 3; i++) {
		fake_setup_intent_status before = fake_setup_intent_status_of(states[i]);
		const char *pm_before = fake_setup_intent_payment_method(states[i]);
		const fake_setup_intent *out = SENTINEL;
		check_fails(p, fake_setup_intent_confirm(&out, p, fake_setup_intent_id(states[i]), "pm_card_visa", NULL),
			    FAKE_ESTATE, "setup_intent_unexpected_state", "");
		assert_null(out);
		assert_string_equal(fake_error_last(p)->type, "invalid_request_error");
		assert_int_equal(fake_error_last(p)->http_status, 400);
		assert_non_null(strstr(fake_error_last(p)->message, names[i]));
		assert_int_equal(fake_setup_intent_status_of(states[i]), before);
		assert_ptr_equal(fake_setup_intent_payment_method(states[i]), pm_before);
	}
	assert_int_equal(fake_event_count(p), events);
	/* no payment method was made from the token given */
	const fake_payment_method *pm = NULL;
	assert_int_equal(fake_payment_method_retrieve(&pm, p, "pm_fake_00004", NULL), FAKE_ENOTFOUND);
}

/* ---- cancel -------------------------------------------------------------------------- */

static void test_setup_intent_cancel_each_status_and_reason(void **state)
{
	fake_processor *p = *state;
	static const char *const reasons[] = { "abandoned", "duplicate", "requested_by_customer", NULL };
	static const fake_setup_intent_status statuses[] = { FAKE_SETI_REQUIRES_PAYMENT_METHOD,
							     FAKE_SETI_REQUIRES_CONFIRMATION,
							     FAKE_SETI_REQUIRES_ACTION };
	for (size_t s = 0; s < 3; s++) {
		for (size_t r = 0; r < 4; r++) {
			check_ok(p, fake_processor_reset(p));
			const char *c = fake_customer_id(cust_new(p));
			const fake_setup_intent *si = NULL;
			if (statuses[s] == FAKE_SETI_REQUIRES_PAYMENT_METHOD)
				si = si_create(p, c, NULL, false);
			else if (statuses[s] == FAKE_SETI_REQUIRES_CONFIRMATION)
				si = si_create(p, c, "pm_card_visa", false);
			else
				si = si_requiring_action(p, c, "pm_card_authenticationRequired");
			assert_int_equal(fake_setup_intent_status_of(si), statuses[s]);
			const char *pm = fake_setup_intent_payment_method(si);
			size_t events = fake_event_count(p);

			char reason[32] = "";
			if (reasons[r])
				strcpy(reason, reasons[r]);
			const fake_setup_intent *out = si_cancel(p, fake_setup_intent_id(si), reasons[r] ? reason : NULL);
			memset(reason, 'x', sizeof reason - 1); /* the reason is not borrowed from the caller */
			assert_ptr_equal(out, si);
			assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_CANCELED);
			assert_string_equal(fake_setup_intent_status_name(si), "canceled");
			if (reasons[r])
				assert_string_equal(fake_setup_intent_cancellation_reason(si), reasons[r]);
			else
				assert_null(fake_setup_intent_cancellation_reason(si));
			assert_null(fake_setup_intent_next_action(si));
			assert_ptr_equal(fake_setup_intent_payment_method(si), pm);
			CHECK_EVENTS(p, events, "setup_intent.canceled");
			const fake_setup_intent *snap = event_si(event_last(p));
			assert_int_equal(fake_setup_intent_status_of(snap), FAKE_SETI_CANCELED);
			if (reasons[r])
				assert_string_equal(fake_setup_intent_cancellation_reason(snap), reasons[r]);
			assert_int_equal(attached_count(p, c), 0);
		}
	}
}

static void test_setup_intent_cancel_errors(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *done = si_create(p, c, "pm_card_visa", true);
	const fake_setup_intent *canceled = si_cancel(p, fake_setup_intent_id(si_create(p, c, NULL, false)),
						      "abandoned");
	const fake_setup_intent *open = si_create(p, c, NULL, false);
	size_t events = fake_event_count(p);

	const fake_setup_intent *out = SENTINEL;
	check_fails(p, fake_setup_intent_cancel(&out, p, fake_setup_intent_id(done), NULL, NULL), FAKE_ESTATE,
		    "setup_intent_unexpected_state", "");
	assert_null(out);
	assert_non_null(strstr(fake_error_last(p)->message, "succeeded"));
	out = SENTINEL;
	check_fails(p, fake_setup_intent_cancel(&out, p, fake_setup_intent_id(canceled), "duplicate", NULL),
		    FAKE_ESTATE, "setup_intent_unexpected_state", "");
	assert_null(out);
	assert_non_null(strstr(fake_error_last(p)->message, "canceled"));
	assert_string_equal(fake_setup_intent_cancellation_reason(canceled), "abandoned");

	/* payment intents take "fraudulent"; setup intents do not */
	static const char *const bad[] = { "fraudulent", "", "Abandoned" };
	for (size_t i = 0; i < 3; i++) {
		out = SENTINEL;
		check_fails(p, fake_setup_intent_cancel(&out, p, fake_setup_intent_id(open), bad[i], NULL), FAKE_EINVAL,
			    "", "cancellation_reason");
		assert_null(out);
	}
	assert_int_equal(fake_setup_intent_status_of(open), FAKE_SETI_REQUIRES_PAYMENT_METHOD);
	out = SENTINEL;
	check_fails(p, fake_setup_intent_cancel(&out, p, "seti_fake_00099", NULL, NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_null(out);
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(fake_setup_intent_status_of(done), FAKE_SETI_SUCCEEDED);
}

/* ---- retrieve ---------------------------------------------------------------------- */

static void test_setup_intent_retrieve(void **state)
{
	fake_processor *p = *state;
	const fake_setup_intent *si = si_create(p, NULL, NULL, false);
	assert_ptr_equal(si_get(p, "seti_fake_00001"), si);

	const fake_setup_intent *out = SENTINEL;
	check_fails(p, fake_setup_intent_retrieve(&out, p, "seti_fake_00002", NULL), FAKE_ENOTFOUND,
		    "resource_missing", "id");
	assert_null(out);
	assert_string_equal(fake_error_last(p)->message, "No such setupintent: 'seti_fake_00002'");
	/* another kind of object's id */
	cust_new(p);
	out = SENTINEL;
	check_fails(p, fake_setup_intent_retrieve(&out, p, "cus_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing",
		    "id");
	assert_null(out);
}

/* ---- request options ------------------------------------------------------------- */

static void test_setup_intent_no_events_request(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	size_t events = fake_event_count(p);
	fake_request rq = FAKE_REQUEST_INIT;
	rq.no_events = true;

	fake_setup_intent_create_params cp = si_params(c, "pm_card_visa", true);
	const fake_setup_intent *si = NULL;
	check_ok(p, fake_setup_intent_create(&si, p, &cp, &rq));
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_int_equal(attached_count(p, c), 1);

	cp = si_params(c, "pm_card_chargeDeclined", true);
	assert_int_equal(fake_setup_intent_create(&si, p, &cp, &rq), FAKE_ECARD);
	assert_string_equal(fake_error_last(p)->setup_intent, "seti_fake_00002");
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(si_listed(p), 2);
}

/* ---- scripts, stubs, call counts ---------------------------------------------------- */

static void test_setup_intent_script_decline(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	fake_script s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SETUP_INTENT, &s, 1));
	size_t events = fake_event_count(p);

	fake_setup_intent_create_params cp = si_params(c, "pm_card_visa", true);
	const fake_setup_intent *si = SENTINEL;
	int rc = fake_setup_intent_create(&si, p, &cp, NULL);
	check_declined(p, rc, si, "seti_fake_00001", c, "generic_decline", "card_declined", "Your card was declined.");
	CHECK_EVENTS(p, events, "setup_intent.created", "setup_intent.setup_failed");
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_SETUP_INTENT), 0);

	/* with a decline code, on confirm */
	s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	strcpy(s.error.decline_code, "insufficient_funds");
	check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_SETUP_INTENT, &s, 1));
	si = SENTINEL;
	rc = fake_setup_intent_confirm(&si, p, "seti_fake_00001", "pm_card_visa", NULL);
	check_declined(p, rc, si, "seti_fake_00001", c, "insufficient_funds", "card_declined",
		       "Your card has insufficient funds.");

	/* the script is spent: the card decides again */
	si_confirm(p, "seti_fake_00001", "pm_card_visa");
	assert_int_equal(fake_setup_intent_status_of(si_get(p, "seti_fake_00001")), FAKE_SETI_SUCCEEDED);
	assert_int_equal(attached_count(p, c), 1);
}

static void test_setup_intent_script_succeed(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	fake_script s = fake_script_outcome(FAKE_OUTCOME_SUCCEED);
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SETUP_INTENT, &s, 2));
	size_t events = fake_event_count(p);

	const fake_setup_intent *si = si_create(p, c, "pm_card_chargeDeclined", true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_string_equal(fake_payment_method_customer(pm_get(p, fake_setup_intent_payment_method(si))), c);
	CHECK_EVENTS(p, events, "setup_intent.created", "payment_method.attached", "setup_intent.succeeded");

	/* a 3D Secure card needs no action under it */
	si = si_create(p, c, "pm_card_authenticationRequired", true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_int_equal(attached_count(p, c), 2);

	/* spent */
	fake_setup_intent_create_params cp = si_params(c, "pm_card_chargeDeclined", true);
	assert_int_equal(fake_setup_intent_create(&si, p, &cp, NULL), FAKE_ECARD);
}

static void test_setup_intent_script_requires_action(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *si = si_create(p, c, "pm_card_visa", false);
	fake_script s = fake_script_outcome(FAKE_OUTCOME_REQUIRES_ACTION);
	check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_SETUP_INTENT, &s, 1));
	size_t events = fake_event_count(p);

	si_confirm(p, fake_setup_intent_id(si), NULL);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_ACTION);
	assert_string_equal(fake_setup_intent_next_action(si), "use_stripe_sdk");
	CHECK_EVENTS(p, events, "setup_intent.requires_action");
	assert_int_equal(attached_count(p, c), 0);

	si_authenticate(p, fake_setup_intent_id(si), true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
	assert_int_equal(attached_count(p, c), 1);

	/* on create too */
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SETUP_INTENT, &s, 1));
	si = si_create(p, c, "pm_card_visa", true);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_ACTION);
}

static void test_setup_intent_script_errors(void **state)
{
	fake_processor *p = *state;
	const char *c = fake_customer_id(cust_new(p));
	size_t events = fake_event_count(p);
	fake_script api = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SETUP_INTENT, &api, 2));

	for (int i = 0; i < 2; i++) {
		fake_setup_intent_create_params cp = si_params(c, "pm_card_visa", true);
		const fake_setup_intent *si = SENTINEL;
		check_fails(p, fake_setup_intent_create(&si, p, &cp, NULL), FAKE_EAPI, NULL, NULL);
		assert_null(si);
		assert_string_equal(fake_error_last(p)->type, "api_error");
		assert_int_equal(fake_error_last(p)->http_status, 500);
		assert_string_equal(fake_error_last(p)->setup_intent, "");
	}
	assert_int_equal(fake_event_count(p), events);
	assert_int_equal(si_listed(p), 0);
	/* nothing was made: not the intent, not the payment method from the token */
	const fake_setup_intent *si = si_create(p, c, "pm_card_visa", false);
	assert_string_equal(fake_setup_intent_id(si), "seti_fake_00001");
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00001");
	events = fake_event_count(p);

	fake_script rl = fake_script_rate_limit(7);
	check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_SETUP_INTENT, &rl, 1));
	const fake_setup_intent *out = SENTINEL;
	check_fails(p, fake_setup_intent_confirm(&out, p, "seti_fake_00001", NULL, NULL), FAKE_ERATELIMIT, NULL, NULL);
	assert_null(out);
	assert_int_equal(fake_error_last(p)->retry_after, 7);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_CONFIRMATION);

	fake_script st = fake_script_error(FAKE_ESTATE, "setup_intent_unexpected_state", NULL, "scripted");
	check_ok(p, fake_script_push(p, FAKE_OP_CANCEL_SETUP_INTENT, &st, 1));
	out = SENTINEL;
	check_fails(p, fake_setup_intent_cancel(&out, p, "seti_fake_00001", NULL, NULL), FAKE_ESTATE,
		    "setup_intent_unexpected_state", NULL);
	assert_null(out);
	assert_string_equal(fake_error_last(p)->message, "scripted");
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_CONFIRMATION);

	check_ok(p, fake_script_push(p, FAKE_OP_AUTHENTICATE_SETUP_INTENT, &api, 1));
	out = SENTINEL;
	check_fails(p, fake_setup_intent_authenticate(&out, p, "seti_fake_00001", true, NULL), FAKE_EAPI, NULL, NULL);
	assert_null(out);
	check_ok(p, fake_script_push(p, FAKE_OP_LIST_SETUP_INTENTS, &api, 1));
	fake_list page;
	page.count = 3;
	page.has_more = true;
	check_fails(p, fake_setup_intent_list(&page, p, NULL, NULL), FAKE_EAPI, NULL, NULL);
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
	assert_int_equal(fake_event_count(p), events);

	/* then the default behaviour again */
	si_confirm(p, "seti_fake_00001", NULL);
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_SUCCEEDED);
}

static void test_setup_intent_outcome_scripts_only_where_a_card_is_checked(void **state)
{
	fake_processor *p = *state;
	static const fake_op no_outcomes[] = { FAKE_OP_RETRIEVE_SETUP_INTENT, FAKE_OP_AUTHENTICATE_SETUP_INTENT,
					       FAKE_OP_CANCEL_SETUP_INTENT, FAKE_OP_LIST_SETUP_INTENTS };
	static const fake_outcome outcomes[] = { FAKE_OUTCOME_SUCCEED, FAKE_OUTCOME_DECLINE,
						 FAKE_OUTCOME_REQUIRES_ACTION };
	for (size_t o = 0; o < 3; o++) {
		fake_script s = fake_script_outcome(outcomes[o]);
		for (size_t i = 0; i < 4; i++) {
			check_fails(p, fake_script_push(p, no_outcomes[i], &s, 1), FAKE_EINVAL, NULL, "script.outcome");
			assert_int_equal(fake_script_pending(p, no_outcomes[i]), 0);
		}
		check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SETUP_INTENT, &s, 1));
		check_ok(p, fake_script_push(p, FAKE_OP_CONFIRM_SETUP_INTENT, &s, 1));
	}
	assert_int_equal(fake_script_pending(p, FAKE_OP_CREATE_SETUP_INTENT), 3);
	assert_int_equal(fake_script_pending(p, FAKE_OP_CONFIRM_SETUP_INTENT), 3);
}

typedef struct stub_seen {
	int calls;
	fake_op op;
	const char *id;
	const void *params;
	const void *answer; /* what an object stub returns */
} stub_seen;

static int stub_object(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)p;
	(void)error;
	stub_seen *seen = user_data;
	seen->calls++;
	seen->op = call->op;
	seen->id = call->id;
	seen->params = call->params;
	*(const void **)out = seen->answer;
	return 0;
}

static int stub_fails(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)out;
	(void)p;
	(void)call;
	((stub_seen *)user_data)->calls++;
	strcpy(error->code, "stubbed");
	strcpy(error->message, "the stub says no");
	return FAKE_EAPI;
}

static int stub_list(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)p;
	(void)call;
	(void)error;
	stub_seen *seen = user_data;
	fake_list *list = out;
	seen->calls++;
	list->data[0] = seen->answer;
	list->count = 1;
	list->has_more = true;
	return 0;
}

static void test_setup_intent_stubs(void **state)
{
	fake_processor *p = *state;
	const fake_customer *cust = cust_new(p);
	const char *c = fake_customer_id(cust);
	const fake_setup_intent *held = si_create(p, c, NULL, false);
	size_t events = fake_event_count(p);
	stub_seen seen;

	/* create: the stub's error, nothing made */
	memset(&seen, 0, sizeof seen);
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_SETUP_INTENT, stub_fails, &seen));
	fake_setup_intent_create_params cp = si_params(c, "pm_card_visa", true);
	const fake_setup_intent *out = SENTINEL;
	check_fails(p, fake_setup_intent_create(&out, p, &cp, NULL), FAKE_EAPI, "stubbed", NULL);
	assert_null(out);
	assert_string_equal(fake_error_last(p)->message, "the stub says no");
	assert_int_equal(seen.calls, 1);
	assert_int_equal(si_listed(p), 1);

	/* create: the stub answers with an existing intent */
	memset(&seen, 0, sizeof seen);
	seen.answer = held;
	check_ok(p, fake_stub_set(p, FAKE_OP_CREATE_SETUP_INTENT, stub_object, &seen));
	check_ok(p, fake_setup_intent_create(&out, p, &cp, NULL));
	assert_ptr_equal(out, held);
	assert_ptr_equal(seen.params, &cp);
	assert_int_equal(seen.op, FAKE_OP_CREATE_SETUP_INTENT);

	/* retrieve, confirm, cancel, authenticate: the stub sees the id and the argument */
	check_ok(p, fake_stub_set(p, FAKE_OP_RETRIEVE_SETUP_INTENT, stub_object, &seen));
	check_ok(p, fake_setup_intent_retrieve(&out, p, "seti_anything", NULL));
	assert_ptr_equal(out, held);
	assert_string_equal(seen.id, "seti_anything");

	check_ok(p, fake_stub_set(p, FAKE_OP_CONFIRM_SETUP_INTENT, stub_object, &seen));
	check_ok(p, fake_setup_intent_confirm(&out, p, "seti_fake_00001", "pm_card_visa", NULL));
	assert_ptr_equal(out, held);
	assert_string_equal(seen.id, "seti_fake_00001");
	assert_string_equal(seen.params, "pm_card_visa");
	assert_int_equal(fake_setup_intent_status_of(held), FAKE_SETI_REQUIRES_PAYMENT_METHOD);

	check_ok(p, fake_stub_set(p, FAKE_OP_CANCEL_SETUP_INTENT, stub_object, &seen));
	check_ok(p, fake_setup_intent_cancel(&out, p, "seti_fake_00001", "duplicate", NULL));
	assert_string_equal(seen.params, "duplicate");
	assert_int_equal(fake_setup_intent_status_of(held), FAKE_SETI_REQUIRES_PAYMENT_METHOD);

	check_ok(p, fake_stub_set(p, FAKE_OP_AUTHENTICATE_SETUP_INTENT, stub_object, &seen));
	check_ok(p, fake_setup_intent_authenticate(&out, p, "seti_fake_00001", true, NULL));
	assert_non_null(seen.params); /* success is told by a non-NULL params */
	check_ok(p, fake_setup_intent_authenticate(&out, p, "seti_fake_00001", false, NULL));
	assert_null(seen.params);

	/* a stub that answers with another kind of object is an api_error */
	seen.answer = cust;
	out = SENTINEL;
	check_fails(p, fake_setup_intent_retrieve(&out, p, "seti_fake_00001", NULL), FAKE_EAPI, NULL, NULL);
	assert_null(out);

	/* list */
	memset(&seen, 0, sizeof seen);
	seen.answer = held;
	check_ok(p, fake_stub_set(p, FAKE_OP_LIST_SETUP_INTENTS, stub_list, &seen));
	fake_list page;
	check_ok(p, fake_setup_intent_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 1);
	assert_ptr_equal(page.data[0], held);
	assert_int_equal(seen.calls, 1);

	/* removed: the default behaviour again */
	for (int op = FAKE_OP_CREATE_SETUP_INTENT; op <= FAKE_OP_LIST_SETUP_INTENTS; op++)
		check_ok(p, fake_stub_set(p, (fake_op)op, NULL, NULL));
	out = si_create(p, c, "pm_card_visa", true);
	assert_string_equal(fake_setup_intent_id(out), "seti_fake_00002");
	assert_int_equal(fake_setup_intent_status_of(out), FAKE_SETI_SUCCEEDED);
	CHECK_EVENTS(p, events, "setup_intent.created", "payment_method.attached", "setup_intent.succeeded");
	/* no payment method was made while the stubs answered: the token made pm_fake_00001 just now */
	assert_string_equal(fake_setup_intent_payment_method(out), "pm_fake_00001");
}

static void test_setup_intent_call_counts(void **state)
{
	fake_processor *p = *state;
	static const fake_op ops[] = { FAKE_OP_CREATE_SETUP_INTENT, FAKE_OP_RETRIEVE_SETUP_INTENT,
				       FAKE_OP_CONFIRM_SETUP_INTENT, FAKE_OP_AUTHENTICATE_SETUP_INTENT,
				       FAKE_OP_CANCEL_SETUP_INTENT, FAKE_OP_LIST_SETUP_INTENTS };
	static const char *const names[] = { "create_setup_intent", "retrieve_setup_intent", "confirm_setup_intent",
					     "authenticate_setup_intent", "cancel_setup_intent", "list_setup_intents" };
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(fake_call_count(p, ops[i]), 0);
		assert_string_equal(fake_op_name(ops[i]), names[i]);
		fake_op found = FAKE_OP_COUNT;
		check_ok(p, fake_op_from_name(&found, names[i]));
		assert_int_equal(found, ops[i]);
	}

	const char *c = fake_customer_id(cust_new(p));
	const fake_setup_intent *si = si_requiring_action(p, c, "pm_card_authenticationRequired"); /* create 1 */
	fake_setup_intent_create_params bad = si_params("cus_nope", NULL, false);
	const fake_setup_intent *out = NULL;
	assert_int_equal(fake_setup_intent_create(&out, p, &bad, NULL), FAKE_ENOTFOUND); /* create 2 */
	fake_script api = fake_script_api_error();
	check_ok(p, fake_script_push(p, FAKE_OP_CREATE_SETUP_INTENT, &api, 1));
	assert_int_equal(fake_setup_intent_create(&out, p, NULL, NULL), FAKE_EAPI); /* create 3 */
	si_get(p, fake_setup_intent_id(si));                                          /* retrieve 1 */
	assert_int_equal(fake_setup_intent_retrieve(&out, p, "seti_x", NULL), FAKE_ENOTFOUND); /* retrieve 2 */
	assert_int_equal(fake_setup_intent_confirm(&out, p, fake_setup_intent_id(si), NULL, NULL),
			 FAKE_ESTATE); /* confirm 1 */
	si_authenticate(p, fake_setup_intent_id(si), false);               /* authenticate 1 */
	si_confirm(p, fake_setup_intent_id(si), "pm_card_visa");           /* confirm 2 */
	assert_int_equal(fake_setup_intent_cancel(&out, p, fake_setup_intent_id(si), NULL, NULL),
			 FAKE_ESTATE); /* cancel 1 */
	assert_int_equal(fake_setup_intent_create(NULL, p, NULL, NULL), FAKE_EINVAL); /* create 4 */
	si_listed(p);                                                                    /* list 1 */

	assert_int_equal(fake_call_count(p, FAKE_OP_CREATE_SETUP_INTENT), 4);
	assert_int_equal(fake_call_count(p, FAKE_OP_RETRIEVE_SETUP_INTENT), 2);
	assert_int_equal(fake_call_count(p, FAKE_OP_CONFIRM_SETUP_INTENT), 2);
	assert_int_equal(fake_call_count(p, FAKE_OP_AUTHENTICATE_SETUP_INTENT), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_CANCEL_SETUP_INTENT), 1);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_SETUP_INTENTS), 1);

	check_ok(p, fake_processor_reset(p));
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(fake_call_count(p, ops[i]), 0);
}

/* ---- list ------------------------------------------------------------------------- */

static void check_page(const fake_list *page, const char *const *ids, size_t n, bool has_more)
{
	assert_int_equal(page->count, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(fake_object_type_of(page->data[i]), FAKE_OBJECT_SETUP_INTENT);
		assert_string_equal(fake_setup_intent_id(page->data[i]), ids[i]);
	}
	assert_int_equal(page->has_more, has_more);
}

static void test_setup_intent_list(void **state)
{
	fake_processor *p = *state;
	const char *a = fake_customer_id(cust_new(p));
	const char *b = fake_customer_id(cust_new(p));
	cust_new(p); /* cus_fake_00003: none */
	si_create(p, a, NULL, false);                                                /* 1 */
	si_create(p, b, "pm_card_visa", true);                                       /* 2 */
	si_create(p, NULL, NULL, false);                                             /* 3 */
	si_cancel(p, fake_setup_intent_id(si_create(p, a, NULL, false)), "abandoned"); /* 4 */
	si_create(p, a, "pm_card_visa", true);                                       /* 5 */
	fake_setup_intent_create_params cp = si_params(a, "pm_card_chargeDeclined", true);
	const fake_setup_intent *declined = NULL;
	assert_int_equal(fake_setup_intent_create(&declined, p, &cp, NULL), FAKE_ECARD); /* 6, recorded */

	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	fake_list page;
	lp.customer = a;
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	static const char *const of_a[] = { "seti_fake_00006", "seti_fake_00005", "seti_fake_00004",
					    "seti_fake_00001" };
	check_page(&page, of_a, 4, false);

	lp.customer = b;
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	static const char *const of_b[] = { "seti_fake_00002" };
	check_page(&page, of_b, 1, false);

	lp.customer = "cus_fake_00003";
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	check_page(&page, NULL, 0, false);

	check_ok(p, fake_setup_intent_list(&page, p, NULL, NULL));
	static const char *const all[] = { "seti_fake_00006", "seti_fake_00005", "seti_fake_00004",
					   "seti_fake_00003", "seti_fake_00002", "seti_fake_00001" };
	check_page(&page, all, 6, false);

	/* pages */
	lp.customer = NULL;
	lp.page.limit = 2;
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	check_page(&page, all, 2, true);
	lp.page.starting_after = "seti_fake_00005";
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	check_page(&page, all + 2, 2, true);
	lp.customer = a;
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	check_page(&page, of_a + 2, 2, false);
	lp.page.starting_after = NULL;
	lp.page.ending_before = "seti_fake_00004";
	check_ok(p, fake_setup_intent_list(&page, p, &lp, NULL));
	check_page(&page, of_a, 2, false);

	/* unknown customer: an empty page */
	lp = (fake_setup_intent_list_params)FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00009";
	page.count = 3;
	page.has_more = true;
	check_fails(p, fake_setup_intent_list(&page, p, &lp, NULL), FAKE_ENOTFOUND, "resource_missing", "customer");
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
}

static void test_setup_intent_list_iterator(void **state)
{
	fake_processor *p = *state;
	const char *a = fake_customer_id(cust_new(p));
	const char *b = fake_customer_id(cust_new(p));
	for (int i = 0; i < 7; i++)
		si_create(p, i % 2 ? b : a, NULL, false); /* a: 1 3 5 7; b: 2 4 6 */

	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	lp.customer = a;
	lp.page.limit = 3;
	fake_list_iter it;
	const void *o = NULL;
	static const char *const want[] = { "seti_fake_00007", "seti_fake_00005", "seti_fake_00003",
					    "seti_fake_00001" };
	size_t n = 0;
	int rc;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_SETUP_INTENTS, &lp, NULL);
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		assert_true(n < 4);
		assert_int_equal(fake_object_type_of(o), FAKE_OBJECT_SETUP_INTENT);
		assert_string_equal(fake_setup_intent_id(o), want[n]);
		assert_string_equal(fake_setup_intent_customer(o), a);
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 4);
	assert_int_equal(fake_call_count(p, FAKE_OP_LIST_SETUP_INTENTS), 2);

	/* every intent, default params */
	n = 0;
	fake_list_iter_init(&it, p, FAKE_OP_LIST_SETUP_INTENTS, NULL, NULL);
	int64_t last = 8;
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		int64_t number = strtoll(fake_setup_intent_id(o) + strlen("seti_fake_"), NULL, 10);
		assert_true(number < last);
		last = number;
		n++;
	}
	assert_int_equal(rc, FAKE_ITEROVER);
	assert_int_equal(n, 7);

	/* an unknown customer stops the iterator with the error */
	lp.customer = "cus_fake_00042";
	fake_list_iter_init(&it, p, FAKE_OP_LIST_SETUP_INTENTS, &lp, NULL);
	o = SENTINEL;
	check_fails(p, fake_list_iter_next(&o, &it), FAKE_ENOTFOUND, "resource_missing", "customer");
}

/* ---- state fingerprints (bad input and fault injection) ------------------------------ */

static const char *str_or(const char *s)
{
	return s ? s : "-";
}

/* Whether `hay` has the line [line, line + n). */
static bool has_line(const char *hay, const char *line, size_t n)
{
	while (*hay) {
		size_t len = strcspn(hay, "\n");
		if (len == n && strncmp(hay, line, n) == 0)
			return true;
		hay += len + (hay[len] == '\n');
	}
	return false;
}

/* Prints the lines of `a` that `b` lacks, marked with `mark` (cmocka's print
 * buffer is too small for whole fingerprints). */
static void print_lines_missing(const char *a, const char *b, const char *mark)
{
	int printed = 0;
	while (*a && printed < 20) {
		size_t len = strcspn(a, "\n");
		if (!has_line(b, a, len)) {
			print_error("  %s %.*s\n", mark, (int)len, a);
			printed++;
		}
		a += len + (a[len] == '\n');
	}
}

static void print_difference(const char *want, const char *got)
{
	print_lines_missing(want, got, "only before:");
	print_lines_missing(got, want, "only after: ");
}

static void add_metadata(text *t, const fake_metadata *m)
{
	text_add(t, " metadata{");
	for (size_t i = 0; i < fake_metadata_count(m); i++)
		text_add(t, "%s=%s;", fake_metadata_key(m, i), fake_metadata_value(m, i));
	text_add(t, "}");
}

static void add_setup_intent(text *t, const fake_setup_intent *si)
{
	text_add(t,
		 "seti %s created=%" PRId64 " customer=%s pm=%s status=%s usage=%s next=%s error=%s/%s/%s "
		 "secret=%s reason=%s desc=%s",
		 fake_setup_intent_id(si), fake_setup_intent_created(si), str_or(fake_setup_intent_customer(si)),
		 str_or(fake_setup_intent_payment_method(si)), fake_setup_intent_status_name(si),
		 fake_setup_intent_usage(si), str_or(fake_setup_intent_next_action(si)),
		 str_or(fake_setup_intent_last_error_code(si)), str_or(fake_setup_intent_last_error_decline_code(si)),
		 str_or(fake_setup_intent_last_error_message(si)), str_or(fake_setup_intent_client_secret(si)),
		 str_or(fake_setup_intent_cancellation_reason(si)), str_or(fake_setup_intent_description(si)));
	add_metadata(t, fake_setup_intent_metadata(si));
	text_add(t, "\n");
}

static void add_payment_method(text *t, const fake_payment_method *pm)
{
	text_add(t, "  pm %s customer=%s last4=%s behavior=%d\n", fake_payment_method_id(pm),
		 str_or(fake_payment_method_customer(pm)), str_or(fake_payment_method_card_last4(pm)),
		 (int)fake_payment_method_card_behavior(pm));
}

/*
 * Everything a user can see of setup intents, payment methods, customers and
 * events, then a probe that changes the processor: the ids the next creates
 * get, and whether each on-session-3DS card of a customer pays off session
 * (the one thing a setup changes that no accessor shows).
 */
static void fingerprint(fake_processor *p, text *t)
{
	char id[32];
	fake_list_iter it;
	const void *o = NULL;
	int rc;

	text_add(t, "now=%" PRId64 " events=%zu\n", fake_clock_now(p), fake_event_count(p));
	fake_list_iter_init(&it, p, FAKE_OP_LIST_EVENTS, NULL, NULL);
	while ((rc = fake_list_iter_next(&o, &it)) == 0) {
		const fake_event *e = o;
		text_add(t, "event %s %s object=%s\n", fake_event_id(e), fake_event_type(e),
			 str_or(fake_object_id(fake_event_object(e))));
		if (fake_object_type_of(fake_event_object(e)) == FAKE_OBJECT_SETUP_INTENT)
			add_setup_intent(t, fake_event_object(e));
	}
	assert_int_equal(rc, FAKE_ITEROVER);

	/* every setup intent by id: ids have no gaps, so stop at the first missing one */
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof id, "seti_fake_%05d", i);
		const fake_setup_intent *si = NULL;
		rc = fake_setup_intent_retrieve(&si, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_setup_intent(t, si);
	}
	text_add(t, "listed setup intents:");
	fake_list_iter_init(&it, p, FAKE_OP_LIST_SETUP_INTENTS, NULL, NULL);
	while ((rc = fake_list_iter_next(&o, &it)) == 0)
		text_add(t, " %s", fake_setup_intent_id(o));
	assert_int_equal(rc, FAKE_ITEROVER);
	text_add(t, "\n");

	const char *on_session_3ds[100];
	size_t n_3ds = 0;
	const char *owners[100];
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof id, "cus_fake_%05d", i);
		const fake_customer *c = NULL;
		rc = fake_customer_retrieve(&c, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t, "customer %s deleted=%d default=%s\n", fake_customer_id(c), (int)fake_customer_deleted(c),
			 str_or(fake_customer_default_payment_method(c)));
		if (fake_customer_deleted(c))
			continue;
		fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
		fake_list page;
		lp.customer = id;
		lp.page.limit = FAKE_LIST_LIMIT_MAX;
		check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
		for (size_t k = 0; k < page.count; k++) {
			const fake_payment_method *pm = page.data[k];
			add_payment_method(t, pm);
			if (fake_payment_method_card_behavior(pm) == FAKE_CARD_REQUIRES_ACTION_ON_SESSION && n_3ds < 100) {
				owners[n_3ds] = fake_customer_id(c);
				on_session_3ds[n_3ds++] = fake_payment_method_id(pm);
			}
		}
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof id, "pm_fake_%05d", i);
		const fake_payment_method *pm = NULL;
		rc = fake_payment_method_retrieve(&pm, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_payment_method(t, pm);
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof id, "pi_fake_%05d", i);
		const fake_payment_intent *pi = NULL;
		rc = fake_payment_intent_retrieve(&pi, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t, "pi %s status=%s\n", fake_payment_intent_id(pi), fake_payment_intent_status_name(pi));
	}

	/* the probe */
	const fake_setup_intent *si = NULL;
	check_ok(p, fake_setup_intent_create(&si, p, NULL, NULL));
	text_add(t, "probe setup intent %s\n", fake_setup_intent_id(si));
	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	text_add(t, "probe pm %s\n", fake_payment_method_id(pm));
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	text_add(t, "probe customer %s\n", fake_customer_id(c));
	for (size_t k = 0; k < n_3ds; k++) {
		const fake_payment_intent *pi = NULL;
		rc = pay_off_session(p, owners[k], on_session_3ds[k], &pi);
		text_add(t, "probe off session %s: %s %s\n", on_session_3ds[k], fake_status_name(rc),
			 fake_error_last(p)->decline_code);
	}
	text_add(t, "probe events=%zu\n", fake_event_count(p));
}

/*
 * The prepared state, the same every time:
 *   cus_fake_00001  pm_fake_00001 (visa) attached
 *   cus_fake_00002  pm_fake_00004 (card ...3155, not set up) attached, and
 *                   pm_fake_00005 attached by seti_fake_00003
 *   cus_fake_00003  deleted
 *   pm_fake_00002   unattached (4242)
 *   pm_fake_00003   attached to cus_fake_00002, then detached
 *   seti_fake_00001 cus_fake_00001, requires_payment_method
 *   seti_fake_00002 cus_fake_00001, pm_fake_00001, requires_confirmation
 *   seti_fake_00003 cus_fake_00002, succeeded with pm_fake_00005
 *   seti_fake_00004 canceled (abandoned)
 *   seti_fake_00005 cus_fake_00002, requires_action with pm_fake_00004
 *   clock at epoch + 100
 */
static void seed(fake_processor *p)
{
	const char *a = fake_customer_id(cust_new(p));
	assert_string_equal(a, "cus_fake_00001");
	assert_string_equal(fake_payment_method_id(pm_attach(p, "pm_card_visa", a)), "pm_fake_00001");
	const char *b = fake_customer_id(cust_new(p));
	const fake_customer *gone = cust_new(p);
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_delete(&c, p, fake_customer_id(gone), NULL));
	assert_string_equal(fake_payment_method_id(pm_new(p, "4242424242424242")), "pm_fake_00002");
	assert_string_equal(fake_payment_method_id(pm_attach(p, "pm_card_mastercard", b)), "pm_fake_00003");
	pm_detach(p, "pm_fake_00003");
	assert_string_equal(fake_payment_method_id(pm_attach(p, "pm_card_authenticationRequiredOnSetup", b)),
			    "pm_fake_00004");

	si_create(p, a, NULL, false);
	si_create(p, a, "pm_fake_00001", false);
	const fake_setup_intent *done = si_create(p, b, "pm_card_visa", true);
	assert_string_equal(fake_setup_intent_payment_method(done), "pm_fake_00005");
	si_cancel(p, fake_setup_intent_id(si_create(p, NULL, NULL, false)), "abandoned");
	const fake_setup_intent *action = si_requiring_action(p, b, "pm_fake_00004");
	assert_string_equal(fake_setup_intent_id(action), "seti_fake_00005");
	check_ok(p, fake_clock_advance(p, 100));
	assert_int_equal(fake_error_last(p)->status, 0);
}

/* ---- bad input ------------------------------------------------------------------------ */

typedef struct bad_case {
	const char *name;
	/* runs the call; `obj` for object results, `page` for lists */
	int (*run)(fake_processor *p, const void **obj, fake_list *page);
	bool list;
	int status;
	const char *type;
	const char *code; /* NULL: not checked */
	const char *param;
} bad_case;

static int create_with(fake_processor *p, const void **obj, const fake_setup_intent_create_params *cp)
{
	return fake_setup_intent_create((const fake_setup_intent **)obj, p, cp, NULL);
}

static int bad_version_zero(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_visa", true);
	cp.version = 0;
	return create_with(p, obj, &cp);
}

static int bad_version_future(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params(NULL, NULL, false);
	cp.version = FAKE_SETUP_INTENT_CREATE_PARAMS_VERSION + 1;
	return create_with(p, obj, &cp);
}

static int bad_description(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	static char desc[1002];
	memset(desc, 'd', sizeof desc - 1);
	desc[sizeof desc - 1] = '\0';
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_visa", true);
	cp.description = desc;
	return create_with(p, obj, &cp);
}

static int bad_metadata_key(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_kv md[] = { { "order", "1" }, { "a_key_that_is_much_longer_than_forty_chars", "v" } };
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_visa", true);
	cp.metadata = md;
	cp.metadata_count = 2;
	return create_with(p, obj, &cp);
}

static int bad_metadata_null(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params(NULL, NULL, false);
	cp.metadata_count = 1;
	return create_with(p, obj, &cp);
}

static int bad_metadata_count(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_kv md[FAKE_METADATA_MAX_KEYS + 1];
	char keys[FAKE_METADATA_MAX_KEYS + 1][8];
	for (int i = 0; i <= FAKE_METADATA_MAX_KEYS; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		md[i].key = keys[i];
		md[i].value = "v";
	}
	fake_setup_intent_create_params cp = si_params(NULL, NULL, false);
	cp.metadata = md;
	cp.metadata_count = FAKE_METADATA_MAX_KEYS + 1;
	return create_with(p, obj, &cp);
}

static int bad_unknown_customer(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00042", "pm_card_visa", true);
	return create_with(p, obj, &cp);
}

static int bad_deleted_customer(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00003", "pm_card_visa", true);
	return create_with(p, obj, &cp);
}

static int bad_empty_customer(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("", "pm_card_visa", true);
	return create_with(p, obj, &cp);
}

static int bad_long_customer(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	static char id[FAKE_ID_MAX + 2];
	memset(id, 'c', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	fake_setup_intent_create_params cp = si_params(id, NULL, false);
	return create_with(p, obj, &cp);
}

static int bad_unknown_pm(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_fake_00042", true);
	return create_with(p, obj, &cp);
}

static int bad_unknown_token(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_nonsense", true);
	return create_with(p, obj, &cp);
}

static int bad_empty_pm(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "", false);
	return create_with(p, obj, &cp);
}

static int bad_confirm_without_pm(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", NULL, true);
	return create_with(p, obj, &cp);
}

static int bad_pm_of_other_customer(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00002", "pm_fake_00001", true);
	return create_with(p, obj, &cp);
}

static int bad_pm_owned_no_customer(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params(NULL, "pm_fake_00001", true);
	return create_with(p, obj, &cp);
}

static int bad_detached_pm(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_setup_intent_create_params cp = si_params("cus_fake_00002", "pm_fake_00003", true);
	return create_with(p, obj, &cp);
}

static int bad_request_version(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	fake_request rq = FAKE_REQUEST_INIT;
	rq.version = 0;
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_visa", true);
	return fake_setup_intent_create((const fake_setup_intent **)obj, p, &cp, &rq);
}

static int bad_null_out(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	*obj = NULL; /* nothing to write through */
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_visa", true);
	return fake_setup_intent_create(NULL, p, &cp, NULL);
}

static int bad_retrieve_null(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_retrieve((const fake_setup_intent **)obj, p, NULL, NULL);
}

static int bad_retrieve_unknown(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_retrieve((const fake_setup_intent **)obj, p, "seti_fake_00042", NULL);
}

static int bad_confirm_unknown(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00042", "pm_card_visa", NULL);
}

static int bad_confirm_no_pm(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00001", NULL, NULL);
}

static int bad_confirm_other_customers_pm(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00001", "pm_fake_00005", NULL);
}

static int bad_confirm_detached_pm(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00001", "pm_fake_00003", NULL);
}

static int bad_confirm_unknown_token(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00002", "pm_card_bogus", NULL);
}

static int bad_confirm_succeeded(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00003", NULL, NULL);
}

static int bad_confirm_canceled(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00004", "pm_card_visa", NULL);
}

static int bad_confirm_requires_action(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_confirm((const fake_setup_intent **)obj, p, "seti_fake_00005", NULL, NULL);
}

static int bad_authenticate_requires_confirmation(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_authenticate((const fake_setup_intent **)obj, p, "seti_fake_00002", true, NULL);
}

static int bad_authenticate_unknown(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_authenticate((const fake_setup_intent **)obj, p, "seti_fake_00042", false, NULL);
}

static int bad_cancel_reason(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_cancel((const fake_setup_intent **)obj, p, "seti_fake_00005", "fraudulent", NULL);
}

static int bad_cancel_succeeded(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_cancel((const fake_setup_intent **)obj, p, "seti_fake_00003", "abandoned", NULL);
}

static int bad_cancel_canceled(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_cancel((const fake_setup_intent **)obj, p, "seti_fake_00004", NULL, NULL);
}

static int bad_cancel_unknown(fake_processor *p, const void **obj, fake_list *page)
{
	(void)page;
	return fake_setup_intent_cancel((const fake_setup_intent **)obj, p, "pi_fake_00001", NULL, NULL);
}

static int bad_list_version(fake_processor *p, const void **obj, fake_list *page)
{
	(void)obj;
	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	lp.version = 0;
	return fake_setup_intent_list(page, p, &lp, NULL);
}

static int bad_list_customer(fake_processor *p, const void **obj, fake_list *page)
{
	(void)obj;
	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00042";
	return fake_setup_intent_list(page, p, &lp, NULL);
}

static int bad_list_limit(fake_processor *p, const void **obj, fake_list *page)
{
	(void)obj;
	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	lp.page.limit = FAKE_LIST_LIMIT_MAX + 1;
	return fake_setup_intent_list(page, p, &lp, NULL);
}

static int bad_list_cursor(fake_processor *p, const void **obj, fake_list *page)
{
	(void)obj;
	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	lp.page.starting_after = "seti_fake_00042";
	return fake_setup_intent_list(page, p, &lp, NULL);
}

static int bad_list_both_cursors(fake_processor *p, const void **obj, fake_list *page)
{
	(void)obj;
	fake_setup_intent_list_params lp = FAKE_SETUP_INTENT_LIST_PARAMS_INIT;
	lp.page.starting_after = "seti_fake_00002";
	lp.page.ending_before = "seti_fake_00004";
	return fake_setup_intent_list(page, p, &lp, NULL);
}

#define IRE "invalid_request_error"

static const bad_case bad_cases[] = {
	{ "create: params version 0", bad_version_zero, false, FAKE_EINVAL, IRE, "parameter_invalid_integer", "version" },
	{ "create: params version from the future", bad_version_future, false, FAKE_EINVAL, IRE, "parameter_invalid_integer",
	  "version" },
	{ "create: description over 1000", bad_description, false, FAKE_EINVAL, IRE, "parameter_invalid_string_too_long",
	  "description" },
	{ "create: metadata key over 40", bad_metadata_key, false, FAKE_EINVAL, IRE, "parameter_invalid_metadata",
	  "metadata[a_key_that_is_much_longer_than_forty_chars]" },
	{ "create: metadata_count without metadata", bad_metadata_null, false, FAKE_EINVAL, IRE, "parameter_missing",
	  "metadata" },
	{ "create: 51 metadata keys", bad_metadata_count, false, FAKE_EINVAL, IRE, "parameter_invalid_metadata", "metadata" },
	{ "create: unknown customer", bad_unknown_customer, false, FAKE_ENOTFOUND, IRE, "resource_missing", "customer" },
	{ "create: deleted customer", bad_deleted_customer, false, FAKE_ENOTFOUND, IRE, "resource_missing", "customer" },
	{ "create: empty customer", bad_empty_customer, false, FAKE_EINVAL, IRE, "parameter_invalid_empty", "customer" },
	{ "create: customer id over 255", bad_long_customer, false, FAKE_EINVAL, IRE, "parameter_invalid_string_too_long",
	  "customer" },
	{ "create: unknown payment method", bad_unknown_pm, false, FAKE_ENOTFOUND, IRE, "resource_missing", "payment_method" },
	{ "create: unknown pm_card_ token", bad_unknown_token, false, FAKE_ENOTFOUND, IRE, "resource_missing",
	  "payment_method" },
	{ "create: empty payment method", bad_empty_pm, false, FAKE_EINVAL, IRE, "parameter_invalid_empty", "payment_method" },
	{ "create: confirm without a payment method", bad_confirm_without_pm, false, FAKE_EINVAL, IRE, "", "payment_method" },
	{ "create: another customer's payment method", bad_pm_of_other_customer, false, FAKE_EINVAL, IRE, "",
	  "payment_method" },
	{ "create: a customer's payment method, no customer", bad_pm_owned_no_customer, false, FAKE_EINVAL, IRE, "",
	  "customer" },
	{ "create: detached payment method", bad_detached_pm, false, FAKE_EINVAL, IRE, "", "payment_method" },
	{ "create: request version 0", bad_request_version, false, FAKE_EINVAL, IRE, "parameter_invalid_integer", "version" },
	{ "create: NULL out", bad_null_out, false, FAKE_EINVAL, IRE, "", "out" },
	{ "retrieve: NULL id", bad_retrieve_null, false, FAKE_EINVAL, IRE, "parameter_missing", "id" },
	{ "retrieve: unknown id", bad_retrieve_unknown, false, FAKE_ENOTFOUND, IRE, "resource_missing", "id" },
	{ "confirm: unknown id", bad_confirm_unknown, false, FAKE_ENOTFOUND, IRE, "resource_missing", "id" },
	{ "confirm: no payment method", bad_confirm_no_pm, false, FAKE_EINVAL, IRE, "", "payment_method" },
	{ "confirm: another customer's payment method", bad_confirm_other_customers_pm, false, FAKE_EINVAL, IRE, "",
	  "payment_method" },
	{ "confirm: detached payment method", bad_confirm_detached_pm, false, FAKE_EINVAL, IRE, "", "payment_method" },
	{ "confirm: unknown pm_card_ token", bad_confirm_unknown_token, false, FAKE_ENOTFOUND, IRE, "resource_missing",
	  "payment_method" },
	{ "confirm: succeeded", bad_confirm_succeeded, false, FAKE_ESTATE, IRE, "setup_intent_unexpected_state", "" },
	{ "confirm: canceled", bad_confirm_canceled, false, FAKE_ESTATE, IRE, "setup_intent_unexpected_state", "" },
	{ "confirm: requires_action", bad_confirm_requires_action, false, FAKE_ESTATE, IRE, "setup_intent_unexpected_state",
	  "" },
	{ "authenticate: requires_confirmation", bad_authenticate_requires_confirmation, false, FAKE_ESTATE, IRE,
	  "setup_intent_unexpected_state", "" },
	{ "authenticate: unknown id", bad_authenticate_unknown, false, FAKE_ENOTFOUND, IRE, "resource_missing", "id" },
	{ "cancel: unknown reason", bad_cancel_reason, false, FAKE_EINVAL, IRE, "", "cancellation_reason" },
	{ "cancel: succeeded", bad_cancel_succeeded, false, FAKE_ESTATE, IRE, "setup_intent_unexpected_state", "" },
	{ "cancel: canceled", bad_cancel_canceled, false, FAKE_ESTATE, IRE, "setup_intent_unexpected_state", "" },
	{ "cancel: another kind of id", bad_cancel_unknown, false, FAKE_ENOTFOUND, IRE, "resource_missing", "id" },
	{ "list: params version 0", bad_list_version, true, FAKE_EINVAL, IRE, "parameter_invalid_integer", "version" },
	{ "list: unknown customer", bad_list_customer, true, FAKE_ENOTFOUND, IRE, "resource_missing", "customer" },
	{ "list: limit 101", bad_list_limit, true, FAKE_EINVAL, IRE, "parameter_invalid_integer", "limit" },
	{ "list: unknown cursor", bad_list_cursor, true, FAKE_ENOTFOUND, IRE, "resource_missing", "starting_after" },
	{ "list: both cursors", bad_list_both_cursors, true, FAKE_EINVAL, IRE, "", "ending_before" },
};

static void test_setup_intent_bad_input(void **state)
{
	fake_processor *p = *state;
	size_t n = sizeof(bad_cases) / sizeof(bad_cases[0]);
	assert_true(n >= 15);

	/* what an untouched prepared processor looks like, probe included */
	text want = { NULL, 0, 0 };
	check_ok(p, fake_processor_reset(p));
	seed(p);
	fingerprint(p, &want);

	for (size_t i = 0; i < n; i++) {
		const bad_case *bc = &bad_cases[i];
		check_ok(p, fake_processor_reset(p));
		seed(p);
		size_t events = fake_event_count(p);
		const void *obj = SENTINEL;
		fake_list page;
		memset(&page, 0, sizeof page);
		page.count = 3;
		page.has_more = true;

		int rc = bc->run(p, &obj, &page);
		const fake_error *e = fake_error_last(p);
		if (rc != bc->status || e->status != bc->status || strcmp(e->type, bc->type) != 0 ||
		    strcmp(e->param, bc->param) != 0 || (bc->code && strcmp(e->code, bc->code) != 0)) {
			print_error("%s: got %s type=%s code=%s param=%s (%s); expected %s type=%s code=%s param=%s\n",
				    bc->name, fake_status_name(rc), e->type, e->code, e->param, e->message,
				    fake_status_name(bc->status), bc->type, str_or(bc->code), bc->param);
			fail();
		}
		assert_true(e->message[0] != '\0');
		assert_int_equal(e->http_status, bc->status == FAKE_ENOTFOUND ? 404 : 400);
		assert_string_equal(e->setup_intent, "");
		if (!bc->list && obj != NULL) {
			print_error("%s: *out is not NULL\n", bc->name);
			fail();
		}
		if (bc->list && (page.count != 0 || page.has_more)) {
			print_error("%s: the page is not empty\n", bc->name);
			fail();
		}
		assert_int_equal(fake_event_count(p), events);

		text got = { NULL, 0, 0 };
		fingerprint(p, &got);
		bool changed = strcmp(got.s, want.s) != 0;
		if (changed) {
			print_error("%s: the processor changed:\n", bc->name);
			print_difference(want.s, got.s);
		}
		text_free(&got);
		if (changed) {
			text_free(&want);
			fail();
		}
	}
	text_free(&want);
}

/* ---- fault injection ------------------------------------------------------------------- */

typedef struct fault_case {
	const char *name;
	void (*pre)(fake_processor *p); /* more preparation after seed(), or NULL */
	/* the call under test, on a prepared processor; its undisturbed result */
	int (*run)(fake_processor *p, const fake_setup_intent **out);
	int rc;
	const char *id;     /* the intent it acts on (or makes) */
	fake_setup_intent_status status;
} fault_case;

static int fault_create_confirm(fake_processor *p, const fake_setup_intent **out)
{
	fake_kv md[] = { { "order", "42" }, { "source", "fault" } };
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_visa", true);
	cp.description = "under fault injection";
	cp.metadata = md;
	cp.metadata_count = 2;
	return fake_setup_intent_create(out, p, &cp, NULL);
}

/* pm_fake_00002 exists before the call, unattached: the call attaches it */
static int fault_create_confirm_existing(fake_processor *p, const fake_setup_intent **out)
{
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_fake_00002", true);
	return fake_setup_intent_create(out, p, &cp, NULL);
}

static int fault_confirm_existing(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_confirm(out, p, "seti_fake_00001", "pm_fake_00002", NULL);
}

static int fault_create_decline(fake_processor *p, const fake_setup_intent **out)
{
	fake_setup_intent_create_params cp = si_params("cus_fake_00001", "pm_card_chargeDeclined", true);
	return fake_setup_intent_create(out, p, &cp, NULL);
}

static int fault_confirm_decline(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_confirm(out, p, "seti_fake_00001", "pm_card_chargeDeclinedInsufficientFunds", NULL);
}

static int fault_create_requires_action(fake_processor *p, const fake_setup_intent **out)
{
	fake_setup_intent_create_params cp = si_params("cus_fake_00002", "pm_card_authenticationRequired", true);
	return fake_setup_intent_create(out, p, &cp, NULL);
}

static int fault_confirm_success(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_confirm(out, p, "seti_fake_00002", NULL, NULL);
}

static int fault_confirm_token_action(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_confirm(out, p, "seti_fake_00001", "pm_card_authenticationRequiredOnSetup", NULL);
}

static int fault_authenticate_success(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_authenticate(out, p, "seti_fake_00005", true, NULL);
}

/* seti_fake_00001 to requires_action with a new, unattached card ...3155 (pm_fake_00006) */
static void fault_pre_action(fake_processor *p)
{
	const fake_setup_intent *si = si_confirm(p, "seti_fake_00001", "pm_card_authenticationRequiredOnSetup");
	assert_int_equal(fake_setup_intent_status_of(si), FAKE_SETI_REQUIRES_ACTION);
	assert_string_equal(fake_setup_intent_payment_method(si), "pm_fake_00006");
}

static int fault_authenticate_attaches(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_authenticate(out, p, "seti_fake_00001", true, NULL);
}

static int fault_authenticate_failure(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_authenticate(out, p, "seti_fake_00005", false, NULL);
}

static int fault_cancel(fake_processor *p, const fake_setup_intent **out)
{
	return fake_setup_intent_cancel(out, p, "seti_fake_00005", "requested_by_customer", NULL);
}

static const fault_case fault_cases[] = {
	{ "create+confirm succeeded", NULL, fault_create_confirm, 0, "seti_fake_00006", FAKE_SETI_SUCCEEDED },
	{ "create+confirm succeeded, attaching an existing payment method", NULL, fault_create_confirm_existing, 0,
	  "seti_fake_00006", FAKE_SETI_SUCCEEDED },
	{ "confirm succeeded, attaching an existing payment method", NULL, fault_confirm_existing, 0,
	  "seti_fake_00001", FAKE_SETI_SUCCEEDED },
	{ "create+confirm declined", NULL, fault_create_decline, FAKE_ECARD, "seti_fake_00006",
	  FAKE_SETI_REQUIRES_PAYMENT_METHOD },
	{ "confirm declined", NULL, fault_confirm_decline, FAKE_ECARD, "seti_fake_00001",
	  FAKE_SETI_REQUIRES_PAYMENT_METHOD },
	{ "create+confirm requires_action", NULL, fault_create_requires_action, 0, "seti_fake_00006",
	  FAKE_SETI_REQUIRES_ACTION },
	{ "confirm succeeded", NULL, fault_confirm_success, 0, "seti_fake_00002", FAKE_SETI_SUCCEEDED },
	{ "confirm with a token, requires_action", NULL, fault_confirm_token_action, 0, "seti_fake_00001",
	  FAKE_SETI_REQUIRES_ACTION },
	{ "authenticate succeeded (already attached)", NULL, fault_authenticate_success, 0, "seti_fake_00005",
	  FAKE_SETI_SUCCEEDED },
	{ "authenticate succeeded (attaches)", fault_pre_action, fault_authenticate_attaches, 0, "seti_fake_00001",
	  FAKE_SETI_SUCCEEDED },
	{ "authenticate failed", NULL, fault_authenticate_failure, 0, "seti_fake_00005",
	  FAKE_SETI_REQUIRES_PAYMENT_METHOD },
	{ "cancel", NULL, fault_cancel, 0, "seti_fake_00005", FAKE_SETI_CANCELED },
};

static fake_processor *fault_processor(test_alloc *a, const fault_case *fc)
{
	memset(a, 0, sizeof(*a));
	fake_processor_options o = test_alloc_options(a);
	o.block_size = 256;
	fake_processor *p = NULL;
	assert_int_equal(fake_processor_new(&p, &o), 0);
	seed(p);
	if (fc->pre)
		fc->pre(p);
	return p;
}

static void fault_free(fake_processor *p, const test_alloc *a, const char *name, unsigned long n)
{
	fake_processor_free(p);
	if (a->live != 0) {
		print_error("%s, allocation %lu failing: %lu blocks leaked\n", name, n, a->live);
		fail();
	}
}

/* Runs one call with allocation N failing, for N = 1, 2, ... until it runs undisturbed. */
static void check_fault_case(const fault_case *fc)
{
	test_alloc a;
	text want = { NULL, 0, 0 };
	fake_processor *p = fault_processor(&a, fc);
	fingerprint(p, &want);
	fault_free(p, &a, fc->name, 0);

	unsigned long enomem = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		p = fault_processor(&a, fc);
		const fake_setup_intent *out = SENTINEL;
		a.fail_at = a.calls + n;
		int rc = fc->run(p, &out);
		bool reached = a.calls >= a.fail_at;
		a.fail_at = 0;

		if (rc == FAKE_ENOMEM) {
			enomem++;
			const fake_error *e = fake_error_last(p);
			assert_int_equal(e->status, FAKE_ENOMEM);
			assert_string_equal(e->type, "api_error");
			assert_true(e->message[0] != '\0');
			assert_string_equal(e->setup_intent, "");
			if (out != NULL) {
				print_error("%s, allocation %lu failing: *out is not NULL\n", fc->name, n);
				fail();
			}
			text got = { NULL, 0, 0 };
			fingerprint(p, &got);
			bool changed = strcmp(got.s, want.s) != 0;
			if (changed) {
				print_error("%s, allocation %lu failing: the processor changed:\n", fc->name, n);
				print_difference(want.s, got.s);
			}
			text_free(&got);
			if (changed) {
				/* free what the test owns, so that valgrind reports only the failure */
				fake_processor_free(p);
				text_free(&want);
				fail();
			}
		} else {
			if (rc != fc->rc) {
				print_error("%s, allocation %lu failing: returned %s (%s), not FAKE_ENOMEM or %s\n",
					    fc->name, n, fake_status_name(rc), fake_error_last(p)->message,
					    fake_status_name(fc->rc));
				fail();
			}
			if (fc->rc == 0) {
				assert_non_null(out);
				assert_ptr_not_equal(out, SENTINEL);
			} else {
				assert_null(out);
				assert_string_equal(fake_error_last(p)->setup_intent, fc->id);
			}
			const fake_setup_intent *si = si_get(p, fc->id);
			assert_int_equal(fake_setup_intent_status_of(si), fc->status);
			/* a run the failure never reached is a complete, undisturbed run */
			done = !reached;
		}
		fault_free(p, &a, fc->name, n);
	}
	assert_true(done);
	if (enomem == 0) {
		print_error("%s never failed: no allocation point was exercised\n", fc->name);
		fail();
	}
	text_free(&want);
}

static void test_setup_intent_fault_create_confirm_succeeded(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[0]);
}

/* The payment method existed before the call, so attaching it writes into a
 * live object (on create and on confirm). */
static void test_setup_intent_fault_create_attaching_existing(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[1]);
}

static void test_setup_intent_fault_confirm_attaching_existing(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[2]);
}

static void test_setup_intent_fault_decline(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[3]);
	check_fault_case(&fault_cases[4]);
}

static void test_setup_intent_fault_requires_action(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[5]);
}

static void test_setup_intent_fault_confirm(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[6]);
	check_fault_case(&fault_cases[7]);
}

static void test_setup_intent_fault_authenticate(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[8]);
	check_fault_case(&fault_cases[10]);
}

/* The 3D Secure card was made by an earlier call, so authenticating attaches a
 * live payment method. */
static void test_setup_intent_fault_authenticate_attaching(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[9]);
}

static void test_setup_intent_fault_cancel(void **state)
{
	(void)state;
	check_fault_case(&fault_cases[11]);
}

/* The fingerprint sees what the tests rely on it to see: a setup does change it. */
static void test_setup_intent_fingerprint_sees_changes(void **state)
{
	fake_processor *p = *state;
	text before = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	seed(p);
	fingerprint(p, &before);
	check_ok(p, fake_processor_reset(p));
	seed(p);
	si_authenticate(p, "seti_fake_00005", true);
	fingerprint(p, &after);
	assert_string_not_equal(before.s, after.s);
	/* the off-session probe tells an authenticated ...3155 from one that is not */
	assert_non_null(strstr(before.s, "probe off session pm_fake_00004: FAKE_ECARD authentication_required"));
	assert_non_null(strstr(after.s, "probe off session pm_fake_00004: FAKE_OK"));
	text_free(&before);
	text_free(&after);
}

/* A card attached to another customer while the setup waited for 3D
 * Secure cannot complete it. */
static void test_setup_intent_authenticate_card_taken_meanwhile(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = NULL;
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	fake_setup_intent_create_params sp = FAKE_SETUP_INTENT_CREATE_PARAMS_INIT;
	sp.customer = "cus_fake_00001";
	sp.payment_method = "pm_card_authenticationRequiredOnSetup";
	sp.confirm = true;
	const fake_setup_intent *si = NULL;
	check_ok(p, fake_setup_intent_create(&si, p, &sp, NULL));
	assert_string_equal(fake_setup_intent_status_name(si), "requires_action");
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00002";
	const fake_payment_method *pm = NULL;
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_fake_00001", &ap, NULL));
	check_fails(p, fake_setup_intent_authenticate(&si, p, "seti_fake_00001", true, NULL), FAKE_EINVAL, NULL,
		    "payment_method");
	assert_null(si);
	check_ok(p, fake_setup_intent_retrieve(&si, p, "seti_fake_00001", NULL));
	assert_string_equal(fake_setup_intent_status_name(si), "requires_action");
	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL));
	assert_string_equal(fake_payment_method_customer(pm), "cus_fake_00002");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_new, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_setup_intent_create_defaults),
		T(test_setup_intent_create_copies_fields),
		T(test_setup_intent_create_status_follows_payment_method),
		T(test_setup_intent_accessors_of_null),
		T(test_setup_intent_confirm_without_payment_method),
		T(test_setup_intent_create_unknown_customer),
		T(test_setup_intent_payment_method_of_another_customer),
		T(test_setup_intent_detached_payment_method),
		T(test_setup_intent_visa_succeeds_and_attaches),
		T(test_setup_intent_confirm_later_succeeds),
		T(test_setup_intent_succeeds_without_customer),
		T(test_setup_intent_declining_cards_on_create),
		T(test_setup_intent_declining_cards_on_confirm),
		T(test_setup_intent_decline_without_customer),
		T(test_setup_intent_charge_customer_fail_attaches),
		T(test_setup_intent_3ds_cards_require_action),
		T(test_setup_intent_authenticate_success),
		T(test_setup_intent_authenticate_failure),
		T(test_setup_intent_authenticate_completes_scripted_action),
		T(test_setup_intent_authenticate_wrong_status),
		T(test_setup_intent_3155_set_up_pays_off_session),
		T(test_setup_intent_3155_without_setup_declines_off_session),
		T(test_setup_intent_3184_still_needs_3ds_off_session),
		T(test_setup_intent_confirm_other_payment_method_after_decline),
		T(test_setup_intent_confirm_replaces_payment_method),
		T(test_setup_intent_confirm_wrong_status),
		T(test_setup_intent_cancel_each_status_and_reason),
		T(test_setup_intent_cancel_errors),
		T(test_setup_intent_retrieve),
		T(test_setup_intent_no_events_request),
		T(test_setup_intent_script_decline),
		T(test_setup_intent_script_succeed),
		T(test_setup_intent_script_requires_action),
		T(test_setup_intent_script_errors),
		T(test_setup_intent_outcome_scripts_only_where_a_card_is_checked),
		T(test_setup_intent_stubs),
		T(test_setup_intent_call_counts),
		T(test_setup_intent_list),
		T(test_setup_intent_list_iterator),
		T(test_setup_intent_bad_input),
		T(test_setup_intent_fingerprint_sees_changes),
		T(test_setup_intent_fault_create_confirm_succeeded),
		T(test_setup_intent_fault_create_attaching_existing),
		T(test_setup_intent_fault_confirm_attaching_existing),
		T(test_setup_intent_fault_decline),
		T(test_setup_intent_fault_requires_action),
		T(test_setup_intent_fault_confirm),
		T(test_setup_intent_fault_authenticate),
		T(test_setup_intent_fault_authenticate_attaching),
		T(test_setup_intent_fault_cancel),
		T(test_setup_intent_authenticate_card_taken_meanwhile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
