/*
 * The event log: events per change, snapshots, list and retrieve,
 * subscribers, per-call no_events and the synthesize_events option.
 * Every test starts from a fresh processor (fixture_new / fixture_free).
 */
#include "helpers.h"

static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

/* A processor made with synthesize_events = false. */
static int fixture_new_quiet(void **state)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	fake_processor *p = NULL;
	o.synthesize_events = false;
	if (fake_processor_new(&p, &o) != 0)
		return -1;
	*state = p;
	return 0;
}

static const fake_customer *cust_new(fake_processor *p, const char *email)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	cp.email = email;
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_non_null(c);
	return c;
}

static void cust_set_email(fake_processor *p, const char *id, const char *email)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	up.email = email;
	check_ok(p, fake_customer_update(&c, p, id, &up, NULL));
}

static const fake_event *event_get(fake_processor *p, const char *id)
{
	const fake_event *e = NULL;
	check_ok(p, fake_event_retrieve(&e, p, id, NULL));
	assert_non_null(e);
	return e;
}

static const fake_event *event_nth(fake_processor *p, size_t n)
{
	char id[32];
	snprintf(id, sizeof id, "evt_fake_%05zu", n);
	return event_get(p, id);
}

static void check_record(fake_processor *p, const char *type, int http)
{
	const fake_error *e = fake_error_last(p);
	assert_non_null(e);
	assert_string_equal(e->type, type);
	assert_int_equal(e->http_status, http);
}

/* Builds a standard history: 5 events.
 *  1 customer.created cus_1, 2 customer.created cus_2, 3 customer.updated cus_1,
 *  4 payment_method.attached pm_1 (cus_2), 5 customer.deleted cus_1 */
static void make_history(fake_processor *p)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *pm = NULL;
	const fake_customer *d = NULL;

	cust_new(p, "one@example.com");
	cust_new(p, "two@example.com");
	cust_set_email(p, "cus_fake_00001", "uno@example.com");
	ap.customer = "cus_fake_00002";
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));
	assert_int_equal(fake_event_count(p), 5);
}

/* A recording subscriber. */
#define REC_MAX 32
typedef struct recorder {
	size_t n;
	char ids[REC_MAX][32];
	char types[REC_MAX][40];
	char log[REC_MAX * 2][48]; /* "enter evt" / "exit evt" */
	size_t log_n;
	int depth, max_depth;
	bool create_on_first; /* create one more customer from inside the first callback */
	int inner_rc;
	char inner_id[32];
	bool retrieve_ok;     /* the object of each customer event could be retrieved */
} recorder;

static void rec_fn(fake_processor *p, const fake_event *e, void *user_data)
{
	recorder *r = user_data;

	r->depth++;
	if (r->depth > r->max_depth)
		r->max_depth = r->depth;
	if (r->n < REC_MAX) {
		snprintf(r->ids[r->n], sizeof r->ids[r->n], "%s", fake_event_id(e));
		snprintf(r->types[r->n], sizeof r->types[r->n], "%s", fake_event_type(e));
	}
	if (r->log_n < REC_MAX * 2)
		snprintf(r->log[r->log_n++], sizeof r->log[0], "enter %s", fake_event_id(e));
	r->n++;

	if (r->create_on_first && r->n == 1) {
		const fake_customer *c = NULL;
		r->inner_rc = fake_customer_create(&c, p, NULL, NULL);
		snprintf(r->inner_id, sizeof r->inner_id, "%s", c ? fake_customer_id(c) : "(null)");
	}
	if (fake_object_type_of(fake_event_object(e)) == FAKE_OBJECT_CUSTOMER) {
		const fake_customer *c = NULL;
		if (fake_customer_retrieve(&c, p, fake_object_id(fake_event_object(e)), NULL) != 0)
			r->retrieve_ok = false;
	}

	if (r->log_n < REC_MAX * 2)
		snprintf(r->log[r->log_n++], sizeof r->log[0], "exit %s", fake_event_id(e));
	r->depth--;
}

static void other_fn(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)e;
	(*(int *)user_data)++;
}

/* ---- the log ----------------------------------------------------------- */

static void test_events_customer_created(void **state)
{
	fake_processor *p = *state;
	const fake_customer *c = cust_new(p, "a@example.com");

	assert_int_equal(fake_event_count(p), 1);
	const fake_event *e = event_get(p, "evt_fake_00001");
	assert_string_equal(fake_event_id(e), "evt_fake_00001");
	assert_string_equal(fake_event_type(e), "customer.created");
	assert_int_equal(fake_event_created(e), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_object_type_of(e), FAKE_OBJECT_EVENT);
	assert_string_equal(fake_object_name(e), "event");
	assert_string_equal(fake_object_id(e), "evt_fake_00001");

	const void *obj = fake_event_object(e);
	assert_non_null(obj);
	assert_int_equal(fake_object_type_of(obj), FAKE_OBJECT_CUSTOMER);
	assert_string_equal(fake_object_name(obj), "customer");
	assert_string_equal(fake_customer_id(obj), fake_customer_id(c));
	assert_string_equal(fake_customer_email(obj), "a@example.com");
	assert_null(fake_event_previous(e));
	assert_int_equal(fake_event_previous_attribute_count(e), 0);
	assert_null(fake_event_previous_attribute(e, 0));
}

static void test_events_ids_are_sequential(void **state)
{
	fake_processor *p = *state;

	make_history(p);
	for (size_t i = 1; i <= 5; i++) {
		char want[32];
		snprintf(want, sizeof want, "evt_fake_%05zu", i);
		assert_string_equal(fake_event_id(event_nth(p, i)), want);
	}
	assert_string_equal(fake_event_type(event_nth(p, 4)), "payment_method.attached");
	assert_string_equal(fake_event_type(event_nth(p, 5)), "customer.deleted");
}

static void test_events_request_id(void **state)
{
	fake_processor *p = *state;

	cust_new(p, NULL);
	cust_new(p, NULL);
	const char *r1 = fake_event_request_id(event_nth(p, 1));
	const char *r2 = fake_event_request_id(event_nth(p, 2));
	assert_non_null(r1);
	assert_non_null(r2);
	assert_int_equal(strncmp(r1, "req_fake_", 9), 0);
	assert_int_equal(strncmp(r2, "req_fake_", 9), 0);
	assert_string_not_equal(r1, r2);
}

static void test_events_created_follows_clock(void **state)
{
	fake_processor *p = *state;

	cust_new(p, NULL);
	check_ok(p, fake_clock_advance(p, 3600));
	cust_set_email(p, "cus_fake_00001", "later@example.com");
	assert_int_equal(fake_event_created(event_nth(p, 1)), FAKE_EPOCH_DEFAULT);
	assert_int_equal(fake_event_created(event_nth(p, 2)), FAKE_EPOCH_DEFAULT + 3600);
	assert_int_equal(fake_object_created(event_nth(p, 2)), FAKE_EPOCH_DEFAULT + 3600);
}

static void test_events_update_carries_previous(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	cust_new(p, "old@example.com");
	up.email = "new@example.com";
	up.name = "Named";
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));

	const fake_event *e = event_nth(p, 2);
	assert_string_equal(fake_event_type(e), "customer.updated");
	assert_string_equal(fake_customer_email(fake_event_object(e)), "new@example.com");
	assert_string_equal(fake_customer_name(fake_event_object(e)), "Named");
	const void *prev = fake_event_previous(e);
	assert_non_null(prev);
	assert_int_equal(fake_object_type_of(prev), FAKE_OBJECT_CUSTOMER);
	assert_string_equal(fake_customer_email(prev), "old@example.com");
	assert_null(fake_customer_name(prev));
	assert_int_equal(fake_event_previous_attribute_count(e), 2);
	const char *a0 = fake_event_previous_attribute(e, 0);
	const char *a1 = fake_event_previous_attribute(e, 1);
	assert_true((strcmp(a0, "email") == 0 && strcmp(a1, "name") == 0) ||
		    (strcmp(a0, "name") == 0 && strcmp(a1, "email") == 0));
}

static void test_events_snapshot_never_changes(void **state)
{
	fake_processor *p = *state;
	const fake_customer *d = NULL;

	const fake_customer *live = cust_new(p, "v1@example.com");
	const fake_event *created = event_nth(p, 1);
	const void *snap = fake_event_object(created);

	cust_set_email(p, "cus_fake_00001", "v2@example.com");
	cust_set_email(p, "cus_fake_00001", "v3@example.com");
	check_ok(p, fake_customer_delete(&d, p, "cus_fake_00001", NULL));

	assert_ptr_equal(fake_event_object(created), snap);
	assert_string_equal(fake_customer_email(snap), "v1@example.com");
	assert_false(fake_customer_deleted(snap));
	assert_string_equal(fake_customer_email(fake_event_object(event_nth(p, 2))), "v2@example.com");
	assert_string_equal(fake_customer_email(fake_event_previous(event_nth(p, 3))), "v2@example.com");
	assert_true(fake_customer_deleted(live));

	/* the customer.deleted snapshot is the customer as it was deleted */
	const fake_event *deleted = event_nth(p, 4);
	assert_string_equal(fake_event_type(deleted), "customer.deleted");
	assert_int_equal(fake_object_type_of(fake_event_object(deleted)), FAKE_OBJECT_CUSTOMER);
	assert_string_equal(fake_customer_id(fake_event_object(deleted)), "cus_fake_00001");
	assert_string_equal(fake_customer_email(fake_event_object(deleted)), "v3@example.com");
	assert_null(fake_event_previous(deleted));
}

static void test_events_payment_method_attach_detach(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *pm = NULL;

	cust_new(p, NULL);
	ap.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	check_ok(p, fake_payment_method_detach(&pm, p, "pm_fake_00001", NULL));

	assert_int_equal(fake_event_count(p), 3);
	const fake_event *att = event_nth(p, 2);
	const fake_event *det = event_nth(p, 3);
	assert_string_equal(fake_event_type(att), "payment_method.attached");
	assert_string_equal(fake_event_type(det), "payment_method.detached");
	assert_int_equal(fake_object_type_of(fake_event_object(att)), FAKE_OBJECT_PAYMENT_METHOD);
	assert_string_equal(fake_object_name(fake_event_object(att)), "payment_method");
	/* the attached snapshot still shows the customer; the detached one does not */
	assert_string_equal(fake_payment_method_customer(fake_event_object(att)), "cus_fake_00001");
	assert_null(fake_payment_method_customer(fake_event_object(det)));
}

static void test_events_failed_call_emits_nothing(void **state)
{
	fake_processor *p = *state;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;

	cust_new(p, NULL);
	up.email = "x@example.com";
	assert_int_equal(fake_customer_update(&c, p, "cus_fake_00042", &up, NULL), FAKE_ENOTFOUND);
	assert_int_equal(fake_customer_delete(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND);
	assert_int_equal(fake_event_count(p), 1);
	cust_new(p, NULL);
	assert_string_equal(fake_event_id(event_nth(p, 2)), "evt_fake_00002");
}

/* ---- retrieve and list --------------------------------------------------- */

static void test_events_retrieve_unknown(void **state)
{
	fake_processor *p = *state;
	const fake_event *e = SENTINEL;

	cust_new(p, NULL);
	check_fails(p, fake_event_retrieve(&e, p, "evt_x", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	check_record(p, "invalid_request_error", 404);
	assert_string_equal(fake_error_last(p)->message, "No such event: 'evt_x'");
	assert_null(e);

	e = SENTINEL;
	check_fails(p, fake_event_retrieve(&e, p, "evt_fake_00002", NULL), FAKE_ENOTFOUND, "resource_missing", "id");
	assert_null(e);
}

static void test_events_list_newest_first(void **state)
{
	fake_processor *p = *state;
	fake_list page;

	make_history(p);
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 5);
	assert_false(page.has_more);
	for (size_t i = 0; i < 5; i++) {
		char want[32];
		snprintf(want, sizeof want, "evt_fake_%05zu", 5 - i);
		assert_string_equal(fake_event_id(page.data[i]), want);
	}

	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_true(page.has_more);
	assert_string_equal(fake_event_id(page.data[0]), "evt_fake_00005");
	assert_string_equal(fake_event_id(page.data[1]), "evt_fake_00004");
}

static void test_events_list_type_exact(void **state)
{
	fake_processor *p = *state;
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	fake_list page;

	make_history(p);
	lp.type = "customer.created";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 2);
	assert_string_equal(fake_event_id(page.data[0]), "evt_fake_00002");
	assert_string_equal(fake_event_id(page.data[1]), "evt_fake_00001");
	for (size_t i = 0; i < page.count; i++)
		assert_string_equal(fake_event_type(page.data[i]), "customer.created");

	lp.type = "customer";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);
	lp.type = "customer.creat";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);
}

static void test_events_list_type_wildcard(void **state)
{
	fake_processor *p = *state;
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	fake_list page;

	make_history(p);
	lp.type = "customer.*";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 4);
	assert_string_equal(fake_event_id(page.data[0]), "evt_fake_00005");
	assert_string_equal(fake_event_id(page.data[1]), "evt_fake_00003");
	assert_string_equal(fake_event_id(page.data[2]), "evt_fake_00002");
	assert_string_equal(fake_event_id(page.data[3]), "evt_fake_00001");

	lp.type = "payment_method.*";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 1);
	assert_string_equal(fake_event_type(page.data[0]), "payment_method.attached");

	lp.type = "invoice.*";
	check_ok(p, fake_event_list(&page, p, &lp, NULL));
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
}

/* ---- subscribers --------------------------------------------------------- */

static void test_events_subscriber_in_log_order(void **state)
{
	fake_processor *p = *state;
	recorder r;

	memset(&r, 0, sizeof r);
	r.retrieve_ok = true;
	check_ok(p, fake_event_subscribe(p, rec_fn, &r));
	make_history(p);

	assert_int_equal(r.n, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(r.ids[i], fake_event_id(event_nth(p, i + 1)));
		assert_string_equal(r.types[i], fake_event_type(event_nth(p, i + 1)));
	}
	assert_string_equal(r.types[0], "customer.created");
	assert_string_equal(r.types[2], "customer.updated");
	assert_string_equal(r.types[4], "customer.deleted");
	/* the change was complete when the subscriber ran */
	assert_true(r.retrieve_ok);
}

static void test_events_subscriber_synchronous(void **state)
{
	fake_processor *p = *state;
	recorder r;

	memset(&r, 0, sizeof r);
	r.retrieve_ok = true;
	check_ok(p, fake_event_subscribe(p, rec_fn, &r));
	cust_new(p, NULL);
	/* delivered before the call returned */
	assert_int_equal(r.n, 1);
	assert_string_equal(r.ids[0], "evt_fake_00001");
	assert_true(r.retrieve_ok);
}

static void test_events_subscriber_reentrant_call_delivered_after(void **state)
{
	fake_processor *p = *state;
	recorder r;

	memset(&r, 0, sizeof r);
	r.retrieve_ok = true;
	r.create_on_first = true;
	check_ok(p, fake_event_subscribe(p, rec_fn, &r));

	const fake_customer *c = cust_new(p, NULL);
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	assert_int_equal(r.inner_rc, 0);
	assert_string_equal(r.inner_id, "cus_fake_00002");

	/* both delivered by the time the outer call returned, one after the other */
	assert_int_equal(r.n, 2);
	assert_int_equal(r.max_depth, 1);
	assert_int_equal(r.log_n, 4);
	assert_string_equal(r.log[0], "enter evt_fake_00001");
	assert_string_equal(r.log[1], "exit evt_fake_00001");
	assert_string_equal(r.log[2], "enter evt_fake_00002");
	assert_string_equal(r.log[3], "exit evt_fake_00002");
	assert_int_equal(fake_event_count(p), 2);
	assert_string_equal(fake_customer_id(fake_event_object(event_nth(p, 2))), "cus_fake_00002");
}

static void test_events_unsubscribe_stops_delivery(void **state)
{
	fake_processor *p = *state;
	recorder r;

	memset(&r, 0, sizeof r);
	r.retrieve_ok = true;
	check_ok(p, fake_event_subscribe(p, rec_fn, &r));
	cust_new(p, NULL);
	check_ok(p, fake_event_unsubscribe(p, rec_fn, &r));
	cust_new(p, NULL);
	assert_int_equal(r.n, 1);
	assert_int_equal(fake_event_count(p), 2);

	/* now it is not subscribed any more */
	assert_int_equal(fake_event_unsubscribe(p, rec_fn, &r), FAKE_ENOTFOUND);
	/* and it can be subscribed again */
	check_ok(p, fake_event_subscribe(p, rec_fn, &r));
	cust_new(p, NULL);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.ids[1], "evt_fake_00003");
}

static void test_events_double_subscribe_rejected(void **state)
{
	fake_processor *p = *state;
	int calls = 0;

	check_ok(p, fake_event_subscribe(p, other_fn, &calls));
	assert_int_equal(fake_event_subscribe(p, other_fn, &calls), FAKE_EINVAL);
	cust_new(p, NULL);
	/* still subscribed once: one call per event */
	assert_int_equal(calls, 1);
}

static void test_events_same_fn_with_other_user_data(void **state)
{
	fake_processor *p = *state;
	int a = 0, b = 0;

	check_ok(p, fake_event_subscribe(p, other_fn, &a));
	check_ok(p, fake_event_subscribe(p, other_fn, &b));
	cust_new(p, NULL);
	cust_new(p, NULL);
	assert_int_equal(a, 2);
	assert_int_equal(b, 2);
	check_ok(p, fake_event_unsubscribe(p, other_fn, &a));
	cust_new(p, NULL);
	assert_int_equal(a, 2);
	assert_int_equal(b, 3);
}

static void test_events_subscribe_null_fn(void **state)
{
	fake_processor *p = *state;
	int calls = 0;

	assert_int_equal(fake_event_subscribe(p, NULL, &calls), FAKE_EINVAL);
	assert_int_equal(fake_event_subscribe(NULL, other_fn, &calls), FAKE_EINVAL);
	assert_int_equal(fake_event_unsubscribe(p, NULL, &calls), FAKE_EINVAL);
	assert_int_equal(fake_event_unsubscribe(p, other_fn, &calls), FAKE_ENOTFOUND);
	cust_new(p, NULL);
	assert_int_equal(calls, 0);
}

static void test_events_subscriber_not_called_on_failure(void **state)
{
	fake_processor *p = *state;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	int calls = 0;

	check_ok(p, fake_event_subscribe(p, other_fn, &calls));
	cp.version = 999;
	assert_int_equal(fake_customer_create(&c, p, &cp, NULL), FAKE_EINVAL);
	assert_int_equal(fake_customer_retrieve(&c, p, "cus_fake_00042", NULL), FAKE_ENOTFOUND);
	assert_int_equal(calls, 0);
	assert_int_equal(fake_event_count(p), 0);
}

/* ---- no_events / synthesize_events ------------------------------------- */

static void test_events_request_no_events(void **state)
{
	fake_processor *p = *state;
	fake_request quiet = FAKE_REQUEST_INIT;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	fake_list page;
	int calls = 0;

	quiet.no_events = true;
	check_ok(p, fake_event_subscribe(p, other_fn, &calls));
	cp.email = "quiet@example.com";
	check_ok(p, fake_customer_create(&c, p, &cp, &quiet));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");
	up.email = "still-quiet@example.com";
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, &quiet));

	/* the state changed ... */
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", &quiet));
	assert_string_equal(fake_customer_email(c), "still-quiet@example.com");
	/* ... but nothing was recorded or delivered */
	assert_int_equal(fake_event_count(p), 0);
	assert_int_equal(calls, 0);
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 0);

	/* only that call: the next one emits again */
	up.email = "loud@example.com";
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));
	assert_int_equal(fake_event_count(p), 1);
	assert_int_equal(calls, 1);
	const fake_event *e = NULL;
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 1);
	e = page.data[0];
	assert_string_equal(fake_event_type(e), "customer.updated");
	assert_string_equal(fake_customer_email(fake_event_previous(e)), "still-quiet@example.com");
}

static void test_events_synthesize_events_off(void **state)
{
	fake_processor *p = *state;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *pm = NULL;
	const fake_customer *c = NULL;
	const fake_event *e = SENTINEL;
	fake_list page;
	int calls = 0;

	assert_false(fake_processor_options_get(p)->synthesize_events);
	check_ok(p, fake_event_subscribe(p, other_fn, &calls));
	cust_new(p, "a@example.com");
	cust_set_email(p, "cus_fake_00001", "b@example.com");
	ap.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	check_ok(p, fake_payment_method_detach(&pm, p, "pm_fake_00001", NULL));
	check_ok(p, fake_customer_delete(&c, p, "cus_fake_00001", NULL));

	assert_true(fake_customer_deleted(c));
	assert_int_equal(fake_event_count(p), 0);
	assert_int_equal(calls, 0);
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_int_equal(page.count, 0);
	assert_false(page.has_more);
	check_fails(p, fake_event_retrieve(&e, p, "evt_fake_00001", NULL), FAKE_ENOTFOUND, "resource_missing", NULL);
	assert_null(e);
}

/* ---- request ids of events ---------------------------------------------------------- */

/* A subscriber that makes a call with events (a create) from the first
 * event it sees, and notes that call's request id. */
typedef struct creating_subscriber {
	int events;
	char inner[32];
} creating_subscriber;

static void create_on_first_event(fake_processor *p, const fake_event *e, void *user_data)
{
	creating_subscriber *s = user_data;
	(void)e;
	if (s->events++ == 0) {
		const fake_customer *c = NULL;
		fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
		cp.payment_method = "pm_card_visa"; /* two events: customer.created, payment_method.attached */
		check_ok(p, fake_customer_create(&c, p, &cp, NULL));
		snprintf(s->inner, sizeof s->inner, "%s", fake_error_last(p)->request_id);
	}
}

/* A stub for update_customer that updates the customer itself, through
 * set_default_payment_method: a nested call with an event of its own. */
static int stub_nested_update(void *out, fake_processor *p, const fake_call *call, fake_error *error,
			      void *user_data)
{
	char *inner = user_data;
	(void)error;
	const fake_customer *c = NULL;
	int rc = fake_customer_set_default_payment_method(&c, p, call->id, "pm_fake_00001", NULL);
	snprintf(inner, 32, "%s", fake_error_last(p)->request_id);
	*(const void **)out = c;
	return rc;
}

static void test_events_request_ids_per_call(void **state)
{
	fake_processor *p = *state;
	creating_subscriber sub;
	char stub_inner[32] = "";
	char ids[8][32];
	memset(&sub, 0, sizeof sub);

	/* a compound call: both events carry its id */
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	cp.payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL)); /* evt 1, 2 */
	snprintf(ids[0], sizeof ids[0], "%s", fake_error_last(p)->request_id);

	/* a subscriber's call: its events carry the subscriber call's id */
	check_ok(p, fake_event_subscribe(p, create_on_first_event, &sub));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL)); /* evt 3; the subscriber's create: evt 4, 5 */
	snprintf(ids[1], sizeof ids[1], "%s", fake_error_last(p)->request_id);
	snprintf(ids[2], sizeof ids[2], "%s", sub.inner);
	check_ok(p, fake_event_unsubscribe(p, create_on_first_event, &sub));

	/* a stub's nested call: its event carries the nested call's id */
	check_ok(p, fake_stub_set(p, FAKE_OP_UPDATE_CUSTOMER, stub_nested_update, stub_inner));
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", NULL, NULL)); /* the nested call: evt 6 */
	snprintf(ids[3], sizeof ids[3], "%s", fake_error_last(p)->request_id);
	snprintf(ids[4], sizeof ids[4], "%s", stub_inner);
	check_ok(p, fake_stub_set(p, FAKE_OP_UPDATE_CUSTOMER, NULL, NULL));

	/* a plain call after all that */
	cust_set_email(p, "cus_fake_00002", "x@example.com"); /* evt 7 */
	snprintf(ids[5], sizeof ids[5], "%s", fake_error_last(p)->request_id);

	/* every call had its own id */
	for (int i = 0; i < 6; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(ids[i], ids[j]);

	static const struct {
		const char *type;
		int call;
	} want[] = {
		{ "customer.created", 0 },        { "payment_method.attached", 0 },
		{ "customer.created", 1 },        { "customer.created", 2 },
		{ "payment_method.attached", 2 }, { "customer.updated", 4 },
		{ "customer.updated", 5 },
	};
	assert_int_equal(fake_event_count(p), 7);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const fake_event *e = event_nth(p, i + 1);
		assert_string_equal(fake_event_type(e), want[i].type);
		if (strcmp(fake_event_request_id(e), ids[want[i].call]) != 0) {
			print_error("event %zu (%s) has request id %s, expected %s\n", i + 1, fake_event_type(e),
				    fake_event_request_id(e), ids[want[i].call]);
			fail();
		}
	}
	/* two events share a request id only when one call caused both */
	for (size_t i = 0; i < 7; i++)
		for (size_t j = 0; j < i; j++)
			if (want[i].call != want[j].call)
				assert_string_not_equal(fake_event_request_id(event_nth(p, i + 1)),
							fake_event_request_id(event_nth(p, j + 1)));
}

/* ---- a subscriber that unsubscribes and re-subscribes itself ---------------------------- */

typedef struct resubscriber {
	size_t n;
	char ids[REC_MAX][32];
	int rc_unsubscribe, rc_subscribe;
} resubscriber;

static void resubscribe_fn(fake_processor *p, const fake_event *e, void *user_data)
{
	resubscriber *r = user_data;
	if (r->n < REC_MAX)
		snprintf(r->ids[r->n], sizeof r->ids[r->n], "%s", fake_event_id(e));
	r->n++;
	int rc = fake_event_unsubscribe(p, resubscribe_fn, r);
	if (rc)
		r->rc_unsubscribe = rc;
	rc = fake_event_subscribe(p, resubscribe_fn, r);
	if (rc)
		r->rc_subscribe = rc;
}

static void test_events_subscriber_resubscribes_itself(void **state)
{
	fake_processor *p = *state;
	resubscriber r;
	int other = 0;
	memset(&r, 0, sizeof r);
	check_ok(p, fake_event_subscribe(p, resubscribe_fn, &r));
	check_ok(p, fake_event_subscribe(p, other_fn, &other));

	/* one call, two events; then another call, then a three-event call */
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_customer *c = NULL;
	cp.payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_int_equal(r.n, 2);
	cust_set_email(p, "cus_fake_00001", "a@example.com");
	assert_int_equal(r.n, 3);
	check_ok(p, fake_customer_delete(&c, p, "cus_fake_00001", NULL)); /* customer.deleted, payment_method.detached */
	assert_int_equal(r.rc_unsubscribe, 0);
	assert_int_equal(r.rc_subscribe, 0);

	/* every event exactly once, in order */
	assert_int_equal(r.n, fake_event_count(p));
	assert_int_equal(r.n, 5);
	for (size_t i = 0; i < r.n; i++) {
		char want[32];
		snprintf(want, sizeof want, "evt_fake_%05zu", i + 1);
		assert_string_equal(r.ids[i], want);
	}
	/* the other subscriber was not disturbed */
	assert_int_equal(other, 5);
	/* and it is subscribed exactly once now */
	assert_int_equal(fake_event_subscribe(p, resubscribe_fn, &r), FAKE_EINVAL);
	check_ok(p, fake_event_unsubscribe(p, resubscribe_fn, &r));
	assert_int_equal(fake_event_unsubscribe(p, resubscribe_fn, &r), FAKE_ENOTFOUND);
	cust_new(p, NULL);
	assert_int_equal(r.n, 5);
	assert_int_equal(other, 6);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fixture_new, fixture_free)
#define TQ(f) cmocka_unit_test_setup_teardown(f, fixture_new_quiet, fixture_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_events_customer_created),
		T(test_events_ids_are_sequential),
		T(test_events_request_id),
		T(test_events_created_follows_clock),
		T(test_events_update_carries_previous),
		T(test_events_snapshot_never_changes),
		T(test_events_payment_method_attach_detach),
		T(test_events_failed_call_emits_nothing),
		T(test_events_retrieve_unknown),
		T(test_events_list_newest_first),
		T(test_events_list_type_exact),
		T(test_events_list_type_wildcard),
		T(test_events_subscriber_in_log_order),
		T(test_events_subscriber_synchronous),
		T(test_events_subscriber_reentrant_call_delivered_after),
		T(test_events_unsubscribe_stops_delivery),
		T(test_events_double_subscribe_rejected),
		T(test_events_same_fn_with_other_user_data),
		T(test_events_subscribe_null_fn),
		T(test_events_subscriber_not_called_on_failure),
		T(test_events_request_no_events),
		T(test_events_request_ids_per_call),
		T(test_events_subscriber_resubscribes_itself),
		TQ(test_events_synthesize_events_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
