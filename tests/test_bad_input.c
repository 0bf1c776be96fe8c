/*
 * Bad input, table-driven. Each row is its own cmocka test with a fresh,
 * seeded processor. A row runs one bad call and checks
 *   - the status, and that the call's out parameter was left NULL / empty;
 *   - the error record (type, code, param, HTTP status, a message), where
 *     the call has a processor to keep one;
 *   - that nothing changed: a fingerprint of the processor (listed
 *     customers, each customer's payment methods, fields of the seeded
 *     objects, event count, clock, pending scripts and timeline work) is the
 *     same before and after, and a probe at the very end shows that no id
 *     counter moved (the next customer, payment method and event get the
 *     ids they would have got anyway).
 */
#include "helpers.h"

static const char out_sentinel;
#define SENTINEL ((const void *)&out_sentinel)

/* ---- the seeded world ------------------------------------------------------ */

/*
 * cus_fake_00001  email world@example.com, name World, metadata plan=gold,
 *                 pm_fake_00001 attached and default
 * cus_fake_00002  no payment method
 * cus_fake_00003  deleted
 * pm_fake_00002   a mastercard, unattached
 * clock           epoch + 3600
 */
#define W_CUSTOMERS 3

static int seed_world(fake_processor *p)
{
	const fake_kv md[] = { { "plan", "gold" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;

	if (fake_clock_advance(p, 3600) != 0)
		return -1;
	cp.email = "world@example.com";
	cp.name = "World";
	cp.metadata = md;
	cp.metadata_count = 1;
	if (fake_customer_create(&c, p, &cp, NULL) != 0)
		return -1;
	pp.card_number = "4242424242424242";
	if (fake_payment_method_create(&pm, p, &pp, NULL) != 0)
		return -1;
	ap.customer = "cus_fake_00001";
	if (fake_payment_method_attach(&pm, p, "pm_fake_00001", &ap, NULL) != 0)
		return -1;
	if (fake_customer_set_default_payment_method(&c, p, "cus_fake_00001", "pm_fake_00001", NULL) != 0)
		return -1;
	if (fake_customer_create(&c, p, NULL, NULL) != 0)
		return -1;
	pp.card_number = "5555555555554444";
	if (fake_payment_method_create(&pm, p, &pp, NULL) != 0)
		return -1;
	if (fake_customer_create(&c, p, NULL, NULL) != 0)
		return -1;
	if (fake_customer_delete(&c, p, "cus_fake_00003", NULL) != 0)
		return -1;
	return 0;
}

/* ---- fingerprint -------------------------------------------------------- */

#define FP_MAX 16
typedef struct fingerprint {
	size_t customers;
	char customer_ids[FP_MAX][32];
	size_t pms1, pms2;
	char pm_ids1[FP_MAX][32];
	size_t events;
	int64_t now;
	size_t clock_pending;
	size_t scripts[FAKE_OP_COUNT];
	char email1[64], name1[64], default1[32];
	size_t meta1;
	char meta1_plan[16];
	bool deleted2, deleted3;
	char pm1_customer[32], pm2_customer[32];
	int pm2_exp_month;
	size_t pm2_meta;
} fingerprint;

static void copy_str(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "(null)");
}

static void take_fingerprint(fake_processor *p, fingerprint *fp)
{
	fake_customer_list_params clp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	fake_payment_method_list_params plp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;
	fake_list page;

	memset(fp, 0, sizeof *fp);
	clp.page.limit = FAKE_LIST_LIMIT_MAX;
	check_ok(p, fake_customer_list(&page, p, &clp, NULL));
	fp->customers = page.count;
	for (size_t i = 0; i < page.count && i < FP_MAX; i++)
		copy_str(fp->customer_ids[i], sizeof fp->customer_ids[i], fake_object_id(page.data[i]));

	plp.page.limit = FAKE_LIST_LIMIT_MAX;
	plp.customer = "cus_fake_00001";
	check_ok(p, fake_payment_method_list(&page, p, &plp, NULL));
	fp->pms1 = page.count;
	for (size_t i = 0; i < page.count && i < FP_MAX; i++)
		copy_str(fp->pm_ids1[i], sizeof fp->pm_ids1[i], fake_object_id(page.data[i]));
	plp.customer = "cus_fake_00002";
	check_ok(p, fake_payment_method_list(&page, p, &plp, NULL));
	fp->pms2 = page.count;

	fp->events = fake_event_count(p);
	fp->now = fake_clock_now(p);
	fp->clock_pending = fake_clock_pending(p);
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		fp->scripts[op] = fake_script_pending(p, (fake_op)op);

	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00001", NULL));
	copy_str(fp->email1, sizeof fp->email1, fake_customer_email(c));
	copy_str(fp->name1, sizeof fp->name1, fake_customer_name(c));
	copy_str(fp->default1, sizeof fp->default1, fake_customer_default_payment_method(c));
	fp->meta1 = fake_metadata_count(fake_customer_metadata(c));
	copy_str(fp->meta1_plan, sizeof fp->meta1_plan, fake_metadata_get(fake_customer_metadata(c), "plan"));
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00002", NULL));
	fp->deleted2 = fake_customer_deleted(c);
	check_ok(p, fake_customer_retrieve(&c, p, "cus_fake_00003", NULL));
	fp->deleted3 = fake_customer_deleted(c);

	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00001", NULL));
	copy_str(fp->pm1_customer, sizeof fp->pm1_customer, fake_payment_method_customer(pm));
	check_ok(p, fake_payment_method_retrieve(&pm, p, "pm_fake_00002", NULL));
	copy_str(fp->pm2_customer, sizeof fp->pm2_customer, fake_payment_method_customer(pm));
	fp->pm2_exp_month = fake_payment_method_card_exp_month(pm);
	fp->pm2_meta = fake_metadata_count(fake_payment_method_metadata(pm));
}

static void check_same_fingerprint(const fingerprint *a, const fingerprint *b)
{
	assert_int_equal(a->customers, b->customers);
	for (size_t i = 0; i < a->customers && i < FP_MAX; i++)
		assert_string_equal(a->customer_ids[i], b->customer_ids[i]);
	assert_int_equal(a->pms1, b->pms1);
	for (size_t i = 0; i < a->pms1 && i < FP_MAX; i++)
		assert_string_equal(a->pm_ids1[i], b->pm_ids1[i]);
	assert_int_equal(a->pms2, b->pms2);
	assert_int_equal(a->events, b->events);
	assert_int_equal(a->now, b->now);
	assert_int_equal(a->clock_pending, b->clock_pending);
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		assert_true(a->scripts[op] == b->scripts[op]);
	assert_string_equal(a->email1, b->email1);
	assert_string_equal(a->name1, b->name1);
	assert_string_equal(a->default1, b->default1);
	assert_int_equal(a->meta1, b->meta1);
	assert_string_equal(a->meta1_plan, b->meta1_plan);
	assert_int_equal(a->deleted2, b->deleted2);
	assert_int_equal(a->deleted3, b->deleted3);
	assert_string_equal(a->pm1_customer, b->pm1_customer);
	assert_string_equal(a->pm2_customer, b->pm2_customer);
	assert_int_equal(a->pm2_exp_month, b->pm2_exp_month);
	assert_int_equal(a->pm2_meta, b->pm2_meta);
}

/* The very last thing a row does: the next ids are the ones the seeded world
 * leads to, so the bad call consumed no id. */
static void probe_next_ids(fake_processor *p, size_t events_before)
{
	const fake_customer *c = NULL;
	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	fake_list page;
	char want[32];

	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00004");
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00003");
	check_ok(p, fake_event_list(&page, p, NULL, NULL));
	assert_true(page.count > 0);
	snprintf(want, sizeof want, "evt_fake_%05zu", events_before + 1);
	assert_string_equal(fake_event_id(page.data[0]), want);
	assert_string_equal(fake_event_type(page.data[0]), "customer.created");
}

/* ---- the rows ------------------------------------------------------------ */

/* run(): makes the bad call; sets *cleared when the out parameter came back
 * NULL (objects) or empty (lists), or when the call has no out parameter. */
typedef int (*bad_fn)(fake_processor *p, bool *cleared);

typedef struct bad_case {
	const char *name;
	bad_fn run;
	int status;
	const char *type;    /* NULL: no record to check (NULL processor, test controls) */
	const char *code;    /* NULL: not checked; "" : must be empty */
	const char *param;   /* NULL: not checked */
	int http;
	const char *message; /* NULL: not checked */
} bad_case;

static char long_str[6000];

/* A string of n copies of c (n < sizeof long_str); each call overwrites the last. */
static const char *str_of(char c, size_t n)
{
	memset(long_str, c, n);
	long_str[n] = '\0';
	return long_str;
}

/* -- shapes of call */

static int cust_create(fake_processor *p, const fake_customer_create_params *cp, const fake_request *rq,
		       bool *cleared)
{
	const fake_customer *c = SENTINEL;
	int rc = fake_customer_create(&c, p, cp, rq);
	*cleared = c == NULL;
	return rc;
}

static int cust_retrieve(fake_processor *p, const char *id, bool *cleared)
{
	const fake_customer *c = SENTINEL;
	int rc = fake_customer_retrieve(&c, p, id, NULL);
	*cleared = c == NULL;
	return rc;
}

static int cust_update(fake_processor *p, const char *id, const fake_customer_update_params *up, bool *cleared)
{
	const fake_customer *c = SENTINEL;
	int rc = fake_customer_update(&c, p, id, up, NULL);
	*cleared = c == NULL;
	return rc;
}

static int cust_delete(fake_processor *p, const char *id, bool *cleared)
{
	const fake_customer *c = SENTINEL;
	int rc = fake_customer_delete(&c, p, id, NULL);
	*cleared = c == NULL;
	return rc;
}

static int cust_list(fake_processor *p, const fake_customer_list_params *lp, bool *cleared)
{
	fake_list page;
	page.count = 7;
	page.has_more = true;
	int rc = fake_customer_list(&page, p, lp, NULL);
	*cleared = page.count == 0;
	return rc;
}

static int cust_list_page(fake_processor *p, int limit, const char *after, const char *before, bool *cleared)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = limit;
	lp.page.starting_after = after;
	lp.page.ending_before = before;
	return cust_list(p, &lp, cleared);
}

static int set_default(fake_processor *p, const char *cus, const char *pm, bool *cleared)
{
	const fake_customer *c = SENTINEL;
	int rc = fake_customer_set_default_payment_method(&c, p, cus, pm, NULL);
	*cleared = c == NULL;
	return rc;
}

static int pm_create(fake_processor *p, const fake_payment_method_create_params *pp, bool *cleared)
{
	const fake_payment_method *pm = SENTINEL;
	int rc = fake_payment_method_create(&pm, p, pp, NULL);
	*cleared = pm == NULL;
	return rc;
}

static int pm_create_card(fake_processor *p, const char *number, int exp_month, int exp_year, const char *cvc,
			  bool *cleared)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = number;
	pp.exp_month = exp_month;
	pp.exp_year = exp_year;
	pp.cvc = cvc;
	return pm_create(p, &pp, cleared);
}

static int pm_retrieve(fake_processor *p, const char *id, bool *cleared)
{
	const fake_payment_method *pm = SENTINEL;
	int rc = fake_payment_method_retrieve(&pm, p, id, NULL);
	*cleared = pm == NULL;
	return rc;
}

static int pm_update(fake_processor *p, const char *id, const fake_payment_method_update_params *up, bool *cleared)
{
	const fake_payment_method *pm = SENTINEL;
	int rc = fake_payment_method_update(&pm, p, id, up, NULL);
	*cleared = pm == NULL;
	return rc;
}

static int pm_attach(fake_processor *p, const char *id, const char *customer, bool *cleared)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *pm = SENTINEL;
	ap.customer = customer;
	int rc = fake_payment_method_attach(&pm, p, id, &ap, NULL);
	*cleared = pm == NULL;
	return rc;
}

static int pm_detach(fake_processor *p, const char *id, bool *cleared)
{
	const fake_payment_method *pm = SENTINEL;
	int rc = fake_payment_method_detach(&pm, p, id, NULL);
	*cleared = pm == NULL;
	return rc;
}

static int pm_list(fake_processor *p, const fake_payment_method_list_params *lp, bool *cleared)
{
	fake_list page;
	page.count = 7;
	page.has_more = true;
	int rc = fake_payment_method_list(&page, p, lp, NULL);
	*cleared = page.count == 0;
	return rc;
}

static int evt_retrieve(fake_processor *p, const char *id, bool *cleared)
{
	const fake_event *e = SENTINEL;
	int rc = fake_event_retrieve(&e, p, id, NULL);
	*cleared = e == NULL;
	return rc;
}

static int evt_list(fake_processor *p, const fake_event_list_params *lp, bool *cleared)
{
	fake_list page;
	page.count = 7;
	page.has_more = true;
	int rc = fake_event_list(&page, p, lp, NULL);
	*cleared = page.count == 0;
	return rc;
}

static int no_out(int rc, bool *cleared)
{
	*cleared = true;
	return rc;
}

/* -- NULL processor / out / id / params */

static int bi_customer_create_null_processor(fake_processor *p, bool *cl)
{
	(void)p;
	return cust_create(NULL, NULL, NULL, cl);
}
static int bi_customer_retrieve_null_processor(fake_processor *p, bool *cl)
{
	(void)p;
	return cust_retrieve(NULL, "cus_fake_00001", cl);
}
static int bi_customer_list_null_processor(fake_processor *p, bool *cl)
{
	(void)p;
	return cust_list(NULL, NULL, cl);
}
static int bi_payment_method_create_null_processor(fake_processor *p, bool *cl)
{
	(void)p;
	return pm_create_card(NULL, "4242424242424242", 0, 0, NULL, cl);
}
static int bi_event_retrieve_null_processor(fake_processor *p, bool *cl)
{
	(void)p;
	return evt_retrieve(NULL, "evt_fake_00001", cl);
}
static int bi_clock_advance_null_processor(fake_processor *p, bool *cl)
{
	(void)p;
	return no_out(fake_clock_advance(NULL, 10), cl);
}
static int bi_customer_create_null_out(fake_processor *p, bool *cl)
{
	return no_out(fake_customer_create(NULL, p, NULL, NULL), cl);
}
static int bi_customer_retrieve_null_out(fake_processor *p, bool *cl)
{
	return no_out(fake_customer_retrieve(NULL, p, "cus_fake_00001", NULL), cl);
}
static int bi_customer_list_null_out(fake_processor *p, bool *cl)
{
	return no_out(fake_customer_list(NULL, p, NULL, NULL), cl);
}
static int bi_payment_method_attach_null_out(fake_processor *p, bool *cl)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00002";
	return no_out(fake_payment_method_attach(NULL, p, "pm_fake_00002", &ap, NULL), cl);
}
static int bi_customer_retrieve_null_id(fake_processor *p, bool *cl)
{
	return cust_retrieve(p, NULL, cl);
}
static int bi_customer_update_null_id(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.name = "x";
	return cust_update(p, NULL, &up, cl);
}
static int bi_customer_delete_null_id(fake_processor *p, bool *cl)
{
	return cust_delete(p, NULL, cl);
}
static int bi_payment_method_retrieve_null_id(fake_processor *p, bool *cl)
{
	return pm_retrieve(p, NULL, cl);
}
static int bi_payment_method_detach_null_id(fake_processor *p, bool *cl)
{
	return pm_detach(p, NULL, cl);
}
static int bi_event_retrieve_null_id(fake_processor *p, bool *cl)
{
	return evt_retrieve(p, NULL, cl);
}
static int bi_set_default_null_customer(fake_processor *p, bool *cl)
{
	return set_default(p, NULL, "pm_fake_00001", cl);
}
static int bi_set_default_null_payment_method(fake_processor *p, bool *cl)
{
	return set_default(p, "cus_fake_00001", NULL, cl);
}
static int bi_payment_method_create_null_params(fake_processor *p, bool *cl)
{
	return pm_create(p, NULL, cl);
}
static int bi_payment_method_attach_null_params(fake_processor *p, bool *cl)
{
	const fake_payment_method *pm = SENTINEL;
	int rc = fake_payment_method_attach(&pm, p, "pm_fake_00002", NULL, NULL);
	*cl = pm == NULL;
	return rc;
}
static int bi_payment_method_attach_missing_customer(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_fake_00002", NULL, cl);
}
static int bi_payment_method_list_null_params(fake_processor *p, bool *cl)
{
	return pm_list(p, NULL, cl);
}
static int bi_payment_method_list_missing_customer(fake_processor *p, bool *cl)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	return pm_list(p, &lp, cl);
}

/* -- versions */

static int bi_customer_create_version_0(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.version = 0;
	cp.email = "v0@example.com";
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_version_999(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.version = 999;
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_update_version_0(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.version = 0;
	up.email = "v0@example.com";
	return cust_update(p, "cus_fake_00001", &up, cl);
}
static int bi_customer_list_version_999(fake_processor *p, bool *cl)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.version = 999;
	return cust_list(p, &lp, cl);
}
static int bi_payment_method_create_version_0(fake_processor *p, bool *cl)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.version = 0;
	pp.card_number = "4242424242424242";
	return pm_create(p, &pp, cl);
}
static int bi_payment_method_update_version_999(fake_processor *p, bool *cl)
{
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	up.version = 999;
	up.exp_month = 5;
	return pm_update(p, "pm_fake_00002", &up, cl);
}
static int bi_payment_method_attach_version_999(fake_processor *p, bool *cl)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	const fake_payment_method *pm = SENTINEL;
	ap.version = 999;
	ap.customer = "cus_fake_00002";
	int rc = fake_payment_method_attach(&pm, p, "pm_fake_00002", &ap, NULL);
	*cl = pm == NULL;
	return rc;
}
static int bi_payment_method_list_version_0(fake_processor *p, bool *cl)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.version = 0;
	lp.customer = "cus_fake_00001";
	return pm_list(p, &lp, cl);
}
static int bi_event_list_version_0(fake_processor *p, bool *cl)
{
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.version = 0;
	return evt_list(p, &lp, cl);
}
static int bi_request_version_999(fake_processor *p, bool *cl)
{
	fake_request rq = FAKE_REQUEST_INIT;
	rq.version = 999;
	return cust_create(p, NULL, &rq, cl);
}

/* -- strings */

static int bi_customer_create_email_too_long(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = str_of('e', FAKE_CUSTOMER_EMAIL_MAX + 1);
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_name_too_long(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.name = str_of('n', FAKE_CUSTOMER_NAME_MAX + 1);
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_phone_too_long(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.phone = str_of('5', FAKE_CUSTOMER_PHONE_MAX + 1);
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_description_too_long(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.description = str_of('d', FAKE_CUSTOMER_DESCRIPTION_MAX + 1);
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_update_email_too_long(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.name = "Changed"; /* must not be applied either */
	up.email = str_of('e', FAKE_CUSTOMER_EMAIL_MAX + 1);
	return cust_update(p, "cus_fake_00001", &up, cl);
}
static int bi_customer_update_name_too_long(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "changed@example.com";
	up.name = str_of('n', FAKE_CUSTOMER_NAME_MAX + 1);
	return cust_update(p, "cus_fake_00001", &up, cl);
}
static int bi_customer_retrieve_empty_id(fake_processor *p, bool *cl)
{
	return cust_retrieve(p, "", cl);
}
static int bi_customer_retrieve_id_too_long(fake_processor *p, bool *cl)
{
	return cust_retrieve(p, str_of('c', FAKE_ID_MAX + 1), cl);
}
static int bi_customer_delete_id_too_long(fake_processor *p, bool *cl)
{
	return cust_delete(p, str_of('c', FAKE_ID_MAX + 1), cl);
}
static int bi_payment_method_retrieve_id_too_long(fake_processor *p, bool *cl)
{
	return pm_retrieve(p, str_of('p', FAKE_ID_MAX + 1), cl);
}
static int bi_event_retrieve_id_too_long(fake_processor *p, bool *cl)
{
	return evt_retrieve(p, str_of('e', FAKE_ID_MAX + 1), cl);
}
static int bi_customer_list_email_filter_too_long(fake_processor *p, bool *cl)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.email = str_of('e', FAKE_CUSTOMER_EMAIL_MAX + 1);
	return cust_list(p, &lp, cl);
}
static int bi_customer_list_cursor_too_long(fake_processor *p, bool *cl)
{
	return cust_list_page(p, 0, str_of('c', FAKE_ID_MAX + 1), NULL, cl);
}

/* -- unknown ids */

static int bi_customer_retrieve_unknown(fake_processor *p, bool *cl)
{
	return cust_retrieve(p, "cus_fake_00042", cl);
}
static int bi_customer_update_unknown(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.name = "x";
	return cust_update(p, "cus_fake_00042", &up, cl);
}
static int bi_customer_delete_unknown(fake_processor *p, bool *cl)
{
	return cust_delete(p, "cus_fake_00042", cl);
}
static int bi_customer_update_deleted(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.name = "x";
	return cust_update(p, "cus_fake_00003", &up, cl);
}
static int bi_customer_delete_deleted(fake_processor *p, bool *cl)
{
	return cust_delete(p, "cus_fake_00003", cl);
}
static int bi_payment_method_retrieve_unknown(fake_processor *p, bool *cl)
{
	return pm_retrieve(p, "pm_x", cl);
}
static int bi_payment_method_update_unknown(fake_processor *p, bool *cl)
{
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	up.billing_name = "x";
	return pm_update(p, "pm_x", &up, cl);
}
static int bi_payment_method_attach_unknown(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_x", "cus_fake_00002", cl);
}
static int bi_payment_method_attach_unknown_token(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_card_nope", "cus_fake_00002", cl);
}
static int bi_payment_method_attach_unknown_customer(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_fake_00002", "cus_fake_00042", cl);
}
static int bi_payment_method_attach_token_unknown_customer(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_card_visa", "cus_fake_00042", cl);
}
static int bi_payment_method_attach_deleted_customer(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_fake_00002", "cus_fake_00003", cl);
}
static int bi_payment_method_detach_unknown(fake_processor *p, bool *cl)
{
	return pm_detach(p, "pm_x", cl);
}
static int bi_event_retrieve_unknown(fake_processor *p, bool *cl)
{
	return evt_retrieve(p, "evt_x", cl);
}
static int bi_set_default_unknown_customer(fake_processor *p, bool *cl)
{
	return set_default(p, "cus_fake_00042", "pm_fake_00001", cl);
}
static int bi_set_default_unknown_payment_method(fake_processor *p, bool *cl)
{
	return set_default(p, "cus_fake_00001", "pm_x", cl);
}
static int bi_payment_method_list_unknown_customer(fake_processor *p, bool *cl)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00042";
	return pm_list(p, &lp, cl);
}
static int bi_customer_create_unknown_payment_method(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_x";
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_unknown_test_clock(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.test_clock = "clock_nope";
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_update_unknown_default_payment_method(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.default_payment_method = "pm_x";
	return cust_update(p, "cus_fake_00001", &up, cl);
}

/* -- limits and cursors */

static int bi_customer_list_limit_101(fake_processor *p, bool *cl)
{
	return cust_list_page(p, 101, NULL, NULL, cl);
}
static int bi_customer_list_limit_negative(fake_processor *p, bool *cl)
{
	return cust_list_page(p, -1, NULL, NULL, cl);
}
static int bi_payment_method_list_limit_101(fake_processor *p, bool *cl)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00001";
	lp.page.limit = 101;
	return pm_list(p, &lp, cl);
}
static int bi_event_list_limit_negative(fake_processor *p, bool *cl)
{
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.page.limit = -5;
	return evt_list(p, &lp, cl);
}
static int bi_customer_list_both_cursors(fake_processor *p, bool *cl)
{
	return cust_list_page(p, 0, "cus_fake_00002", "cus_fake_00001", cl);
}
static int bi_event_list_both_cursors(fake_processor *p, bool *cl)
{
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.page.starting_after = "evt_fake_00002";
	lp.page.ending_before = "evt_fake_00001";
	return evt_list(p, &lp, cl);
}
static int bi_customer_list_unknown_starting_after(fake_processor *p, bool *cl)
{
	return cust_list_page(p, 0, "cus_fake_00042", NULL, cl);
}
static int bi_customer_list_unknown_ending_before(fake_processor *p, bool *cl)
{
	return cust_list_page(p, 0, NULL, "cus_fake_00042", cl);
}
static int bi_event_list_unknown_cursor(fake_processor *p, bool *cl)
{
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.page.starting_after = "evt_x";
	return evt_list(p, &lp, cl);
}
static int bi_payment_method_list_unknown_cursor(fake_processor *p, bool *cl)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00001";
	lp.page.ending_before = "pm_x";
	return pm_list(p, &lp, cl);
}
static int bi_payment_method_list_unknown_type(fake_processor *p, bool *cl)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00001";
	lp.type = "bogus";
	return pm_list(p, &lp, cl);
}
static int bi_customer_list_unknown_test_clock(fake_processor *p, bool *cl)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.test_clock = "clock_nope";
	return cust_list(p, &lp, cl);
}

/* -- clock */

static int bi_clock_advance_negative(fake_processor *p, bool *cl)
{
	return no_out(fake_clock_advance(p, -1), cl);
}
static int bi_clock_advance_to_past(fake_processor *p, bool *cl)
{
	return no_out(fake_clock_advance_to(p, fake_clock_now(p) - 1), cl);
}
static int bi_clock_advance_to_beyond_max(fake_processor *p, bool *cl)
{
	return no_out(fake_clock_advance_to(p, FAKE_TIME_MAX + 1), cl);
}
static int bi_clock_advance_overflow(fake_processor *p, bool *cl)
{
	return no_out(fake_clock_advance(p, INT64_MAX), cl);
}
static void never_runs(fake_processor *p, int64_t at, void *user_data)
{
	(void)p;
	(void)at;
	(void)user_data;
	fail_msg("a callback scheduled in the past ran");
}
static int bi_clock_schedule_in_past(fake_processor *p, bool *cl)
{
	return no_out(fake_clock_schedule(p, fake_clock_now(p) - 1, never_runs, NULL), cl);
}
static int bi_clock_schedule_null_fn(fake_processor *p, bool *cl)
{
	return no_out(fake_clock_schedule(p, fake_clock_now(p) + 10, NULL, NULL), cl);
}

/* -- metadata */

static char mkeys[FAKE_METADATA_MAX_KEYS + 1][8];
static fake_kv mkv[FAKE_METADATA_MAX_KEYS + 1];

static const fake_kv *many_keys(size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(mkeys[i], sizeof mkeys[i], "%s%02zu", prefix, i);
		mkv[i].key = mkeys[i];
		mkv[i].value = "v";
	}
	return mkv;
}

static int bi_customer_create_metadata_51_keys(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.metadata = many_keys(FAKE_METADATA_MAX_KEYS + 1, "k");
	cp.metadata_count = FAKE_METADATA_MAX_KEYS + 1;
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_metadata_key_41(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_kv kv[1];
	kv[0].key = str_of('k', FAKE_METADATA_MAX_KEY_LEN + 1);
	kv[0].value = "v";
	cp.metadata = kv;
	cp.metadata_count = 1;
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_metadata_value_501(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	fake_kv kv[1];
	kv[0].key = "plan";
	kv[0].value = str_of('v', FAKE_METADATA_MAX_VALUE_LEN + 1);
	cp.metadata = kv;
	cp.metadata_count = 1;
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_metadata_empty_key(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_kv kv[] = { { "", "v" } };
	cp.metadata = kv;
	cp.metadata_count = 1;
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_metadata_null_key(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	const fake_kv kv[] = { { NULL, "v" } };
	cp.metadata = kv;
	cp.metadata_count = 1;
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_metadata_null_array(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.metadata = NULL;
	cp.metadata_count = 2;
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_update_metadata_51_keys(fake_processor *p, bool *cl)
{
	/* plan (existing) + 50 new keys */
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.metadata = many_keys(FAKE_METADATA_MAX_KEYS, "n");
	up.metadata_count = FAKE_METADATA_MAX_KEYS;
	return cust_update(p, "cus_fake_00001", &up, cl);
}
static int bi_customer_update_metadata_value_501(fake_processor *p, bool *cl)
{
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	fake_kv kv[2];
	kv[0].key = "plan";
	kv[0].value = "";  /* would delete plan: must not happen */
	kv[1].key = "note";
	kv[1].value = str_of('v', FAKE_METADATA_MAX_VALUE_LEN + 1);
	up.metadata = kv;
	up.metadata_count = 2;
	up.metadata_clear = true;
	return cust_update(p, "cus_fake_00001", &up, cl);
}
static int bi_payment_method_create_metadata_key_41(fake_processor *p, bool *cl)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	fake_kv kv[1];
	kv[0].key = str_of('k', FAKE_METADATA_MAX_KEY_LEN + 1);
	kv[0].value = "v";
	pp.card_number = "4242424242424242";
	pp.metadata = kv;
	pp.metadata_count = 1;
	return pm_create(p, &pp, cl);
}
static int bi_payment_method_update_metadata_51_keys(fake_processor *p, bool *cl)
{
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	up.metadata = many_keys(FAKE_METADATA_MAX_KEYS + 1, "k");
	up.metadata_count = FAKE_METADATA_MAX_KEYS + 1;
	return pm_update(p, "pm_fake_00002", &up, cl);
}

/* -- cards */

static int bi_card_number_letters(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "4242abcd42424242", 0, 0, NULL, cl);
}
static int bi_card_number_too_short(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "42424242", 0, 0, NULL, cl);
}
static int bi_card_number_too_long(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "42424242424242424242", 0, 0, NULL, cl);
}
static int bi_card_number_bad_luhn(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "4242424242424241", 0, 0, NULL, cl);
}
static int bi_card_number_empty(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "", 0, 0, NULL, cl);
}
static int bi_card_number_and_token(fake_processor *p, bool *cl)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	pp.card_token = "tok_visa";
	return pm_create(p, &pp, cl);
}
static int bi_card_missing(fake_processor *p, bool *cl)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.billing_name = "No Card";
	return pm_create(p, &pp, cl);
}
static int bi_card_token_unknown(fake_processor *p, bool *cl)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_token = "tok_nope";
	return pm_create(p, &pp, cl);
}
static int bi_card_exp_month_13(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "4242424242424242", 13, 2030, NULL, cl);
}
static int bi_card_exp_month_negative(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "4242424242424242", -1, 2030, NULL, cl);
}
static int bi_card_exp_year_past(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "4242424242424242", 12, 2025, NULL, cl);
}
static int bi_card_cvc_too_short(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "4242424242424242", 0, 0, "12", cl);
}
static int bi_card_cvc_letters(fake_processor *p, bool *cl)
{
	return pm_create_card(p, "4242424242424242", 0, 0, "1a3", cl);
}
static int bi_payment_method_type_unknown(fake_processor *p, bool *cl)
{
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.type = "sepa_debit";
	pp.card_number = "4242424242424242";
	return pm_create(p, &pp, cl);
}
static int bi_payment_method_update_exp_month_13(fake_processor *p, bool *cl)
{
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	up.exp_month = 13;
	up.billing_name = "Not Applied";
	return pm_update(p, "pm_fake_00002", &up, cl);
}
static int bi_payment_method_update_exp_year_past(fake_processor *p, bool *cl)
{
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	up.exp_year = 2020;
	return pm_update(p, "pm_fake_00002", &up, cl);
}

/* -- state rules */

static int bi_attach_to_other_customer(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_fake_00001", "cus_fake_00002", cl);
}
static int bi_attach_declining_token(fake_processor *p, bool *cl)
{
	return pm_attach(p, "pm_card_chargeDeclined", "cus_fake_00002", cl);
}
static int bi_detach_not_attached(fake_processor *p, bool *cl)
{
	return pm_detach(p, "pm_fake_00002", cl);
}
static int bi_set_default_not_attached(fake_processor *p, bool *cl)
{
	return set_default(p, "cus_fake_00002", "pm_fake_00002", cl);
}
static int bi_set_default_other_customers(fake_processor *p, bool *cl)
{
	return set_default(p, "cus_fake_00002", "pm_fake_00001", cl);
}
static int bi_customer_create_default_without_payment_method(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.default_payment_method = "pm_fake_00002";
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_default_mismatch(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_fake_00002";
	cp.default_payment_method = "pm_fake_00001";
	return cust_create(p, &cp, NULL, cl);
}
static int bi_customer_create_payment_method_of_other_customer(fake_processor *p, bool *cl)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.payment_method = "pm_fake_00001";
	return cust_create(p, &cp, NULL, cl);
}

/* -- test controls: status only (the record belongs to API calls) */

static int bi_script_push_unknown_op(fake_processor *p, bool *cl)
{
	fake_script s = fake_script_api_error();
	return no_out(fake_script_push(p, FAKE_OP_COUNT, &s, 1), cl);
}
static int bi_script_push_bad_version(fake_processor *p, bool *cl)
{
	fake_script s = fake_script_api_error();
	s.version = 0;
	return no_out(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1), cl);
}
static int bi_script_push_status_not_error(fake_processor *p, bool *cl)
{
	fake_script s = fake_script_api_error();
	s.error.status = 0;
	return no_out(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1), cl);
}
static int bi_script_push_negative_retry(fake_processor *p, bool *cl)
{
	fake_script s = fake_script_rate_limit(-1);
	return no_out(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, &s, 1), cl);
}
static int bi_script_push_null_script(fake_processor *p, bool *cl)
{
	return no_out(fake_script_push(p, FAKE_OP_CREATE_CUSTOMER, NULL, 1), cl);
}
static int bi_script_push_outcome_on_update_customer(fake_processor *p, bool *cl)
{
	fake_script s = fake_script_outcome(FAKE_OUTCOME_DECLINE);
	return no_out(fake_script_push(p, FAKE_OP_UPDATE_CUSTOMER, &s, 1), cl);
}
static int bi_script_push_null_processor(fake_processor *p, bool *cl)
{
	fake_script s = fake_script_api_error();
	(void)p;
	return no_out(fake_script_push(NULL, FAKE_OP_CREATE_CUSTOMER, &s, 1), cl);
}
static int stub_never(void *out, fake_processor *p, const fake_call *call, fake_error *error, void *user_data)
{
	(void)out;
	(void)p;
	(void)call;
	(void)error;
	(void)user_data;
	fail_msg("a stub installed for an unknown op ran");
	return FAKE_EAPI;
}
static int bi_stub_set_unknown_op(fake_processor *p, bool *cl)
{
	return no_out(fake_stub_set(p, FAKE_OP_COUNT, stub_never, NULL), cl);
}
static void sub_never(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)e;
	(void)user_data;
}
static int bi_subscribe_null_fn(fake_processor *p, bool *cl)
{
	return no_out(fake_event_subscribe(p, NULL, NULL), cl);
}
static int bi_unsubscribe_not_subscribed(fake_processor *p, bool *cl)
{
	return no_out(fake_event_unsubscribe(p, sub_never, NULL), cl);
}
static int bi_iter_not_a_list_op(fake_processor *p, bool *cl)
{
	fake_list_iter it;
	const void *obj = SENTINEL;
	fake_list_iter_init(&it, p, FAKE_OP_CREATE_CUSTOMER, NULL, NULL);
	int rc = fake_list_iter_next(&obj, &it);
	*cl = obj == NULL;
	return rc;
}
static int bi_op_from_name_unknown(fake_processor *p, bool *cl)
{
	fake_op op;
	(void)p;
	return no_out(fake_op_from_name(&op, "create_invoices"), cl);
}

/* ---- the table ------------------------------------------------------------ */

#define IRE "invalid_request_error"
#define INVAL(fn, code, param) { #fn, fn, FAKE_EINVAL, IRE, code, param, 400, NULL }
#define NOTFOUND(fn, param, msg) { #fn, fn, FAKE_ENOTFOUND, IRE, "resource_missing", param, 404, msg }
#define STATUS_ONLY(fn, st) { #fn, fn, st, NULL, NULL, NULL, 0, NULL }

static const bad_case cases[] = {
	/* NULL processor: no record to read */
	STATUS_ONLY(bi_customer_create_null_processor, FAKE_EINVAL),
	STATUS_ONLY(bi_customer_retrieve_null_processor, FAKE_EINVAL),
	STATUS_ONLY(bi_customer_list_null_processor, FAKE_EINVAL),
	STATUS_ONLY(bi_payment_method_create_null_processor, FAKE_EINVAL),
	STATUS_ONLY(bi_event_retrieve_null_processor, FAKE_EINVAL),
	STATUS_ONLY(bi_clock_advance_null_processor, FAKE_EINVAL),
	/* NULL out / id / required params */
	INVAL(bi_customer_create_null_out, NULL, NULL),
	INVAL(bi_customer_retrieve_null_out, NULL, NULL),
	INVAL(bi_customer_list_null_out, NULL, NULL),
	INVAL(bi_payment_method_attach_null_out, NULL, NULL),
	INVAL(bi_customer_retrieve_null_id, NULL, "id"),
	INVAL(bi_customer_update_null_id, NULL, "id"),
	INVAL(bi_customer_delete_null_id, NULL, "id"),
	INVAL(bi_payment_method_retrieve_null_id, NULL, "id"),
	INVAL(bi_payment_method_detach_null_id, NULL, "id"),
	INVAL(bi_event_retrieve_null_id, NULL, "id"),
	INVAL(bi_set_default_null_customer, NULL, NULL),
	INVAL(bi_set_default_null_payment_method, NULL, NULL),
	INVAL(bi_payment_method_create_null_params, NULL, NULL),
	INVAL(bi_payment_method_attach_null_params, "parameter_missing", "customer"),
	INVAL(bi_payment_method_attach_missing_customer, "parameter_missing", "customer"),
	INVAL(bi_payment_method_list_null_params, "parameter_missing", "customer"),
	INVAL(bi_payment_method_list_missing_customer, "parameter_missing", "customer"),
	/* versions */
	INVAL(bi_customer_create_version_0, NULL, NULL),
	INVAL(bi_customer_create_version_999, NULL, NULL),
	INVAL(bi_customer_update_version_0, NULL, NULL),
	INVAL(bi_customer_list_version_999, NULL, NULL),
	INVAL(bi_payment_method_create_version_0, NULL, NULL),
	INVAL(bi_payment_method_update_version_999, NULL, NULL),
	INVAL(bi_payment_method_attach_version_999, NULL, NULL),
	INVAL(bi_payment_method_list_version_0, NULL, NULL),
	INVAL(bi_event_list_version_0, NULL, NULL),
	INVAL(bi_request_version_999, NULL, NULL),
	/* strings */
	INVAL(bi_customer_create_email_too_long, NULL, "email"),
	INVAL(bi_customer_create_name_too_long, NULL, "name"),
	INVAL(bi_customer_create_phone_too_long, NULL, "phone"),
	INVAL(bi_customer_create_description_too_long, NULL, "description"),
	INVAL(bi_customer_update_email_too_long, NULL, "email"),
	INVAL(bi_customer_update_name_too_long, NULL, "name"),
	INVAL(bi_customer_retrieve_empty_id, NULL, "id"),
	INVAL(bi_customer_retrieve_id_too_long, NULL, "id"),
	INVAL(bi_customer_delete_id_too_long, NULL, "id"),
	INVAL(bi_payment_method_retrieve_id_too_long, NULL, "id"),
	INVAL(bi_event_retrieve_id_too_long, NULL, "id"),
	INVAL(bi_customer_list_email_filter_too_long, NULL, "email"),
	INVAL(bi_customer_list_cursor_too_long, NULL, "starting_after"),
	/* unknown ids */
	NOTFOUND(bi_customer_retrieve_unknown, "id", "No such customer: 'cus_fake_00042'"),
	NOTFOUND(bi_customer_update_unknown, "id", "No such customer: 'cus_fake_00042'"),
	NOTFOUND(bi_customer_delete_unknown, "id", "No such customer: 'cus_fake_00042'"),
	NOTFOUND(bi_customer_update_deleted, NULL, NULL),
	NOTFOUND(bi_customer_delete_deleted, NULL, NULL),
	NOTFOUND(bi_payment_method_retrieve_unknown, "id", "No such PaymentMethod: 'pm_x'"),
	NOTFOUND(bi_payment_method_update_unknown, "id", "No such PaymentMethod: 'pm_x'"),
	NOTFOUND(bi_payment_method_attach_unknown, NULL, "No such PaymentMethod: 'pm_x'"),
	NOTFOUND(bi_payment_method_attach_unknown_token, NULL, NULL),
	NOTFOUND(bi_payment_method_attach_unknown_customer, "customer", "No such customer: 'cus_fake_00042'"),
	NOTFOUND(bi_payment_method_attach_token_unknown_customer, "customer", "No such customer: 'cus_fake_00042'"),
	NOTFOUND(bi_payment_method_attach_deleted_customer, "customer", NULL),
	NOTFOUND(bi_payment_method_detach_unknown, "id", "No such PaymentMethod: 'pm_x'"),
	NOTFOUND(bi_event_retrieve_unknown, "id", "No such event: 'evt_x'"),
	NOTFOUND(bi_set_default_unknown_customer, NULL, "No such customer: 'cus_fake_00042'"),
	NOTFOUND(bi_set_default_unknown_payment_method, NULL, "No such PaymentMethod: 'pm_x'"),
	NOTFOUND(bi_payment_method_list_unknown_customer, "customer", "No such customer: 'cus_fake_00042'"),
	NOTFOUND(bi_customer_create_unknown_payment_method, NULL, "No such PaymentMethod: 'pm_x'"),
	NOTFOUND(bi_customer_create_unknown_test_clock, NULL, NULL),
	NOTFOUND(bi_customer_update_unknown_default_payment_method, NULL, "No such PaymentMethod: 'pm_x'"),
	/* limits and cursors */
	INVAL(bi_customer_list_limit_101, NULL, "limit"),
	INVAL(bi_customer_list_limit_negative, NULL, "limit"),
	INVAL(bi_payment_method_list_limit_101, NULL, "limit"),
	INVAL(bi_event_list_limit_negative, NULL, "limit"),
	INVAL(bi_customer_list_both_cursors, NULL, NULL),
	INVAL(bi_event_list_both_cursors, NULL, NULL),
	NOTFOUND(bi_customer_list_unknown_starting_after, "starting_after", NULL),
	NOTFOUND(bi_customer_list_unknown_ending_before, "ending_before", NULL),
	NOTFOUND(bi_event_list_unknown_cursor, "starting_after", NULL),
	NOTFOUND(bi_payment_method_list_unknown_cursor, "ending_before", NULL),
	INVAL(bi_payment_method_list_unknown_type, NULL, "type"),
	NOTFOUND(bi_customer_list_unknown_test_clock, NULL, NULL),
	/* clock */
	INVAL(bi_clock_advance_negative, NULL, NULL),
	INVAL(bi_clock_advance_to_past, NULL, NULL),
	INVAL(bi_clock_advance_to_beyond_max, NULL, NULL),
	INVAL(bi_clock_advance_overflow, NULL, NULL),
	INVAL(bi_clock_schedule_in_past, NULL, NULL),
	INVAL(bi_clock_schedule_null_fn, NULL, NULL),
	/* metadata */
	INVAL(bi_customer_create_metadata_51_keys, NULL, "metadata"),
	INVAL(bi_customer_create_metadata_key_41, NULL, "metadata[kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk]"),
	INVAL(bi_customer_create_metadata_value_501, NULL, "metadata[plan]"),
	INVAL(bi_customer_create_metadata_empty_key, NULL, NULL),
	INVAL(bi_customer_create_metadata_null_key, NULL, NULL),
	INVAL(bi_customer_create_metadata_null_array, NULL, NULL),
	INVAL(bi_customer_update_metadata_51_keys, NULL, "metadata"),
	INVAL(bi_customer_update_metadata_value_501, NULL, "metadata[note]"),
	INVAL(bi_payment_method_create_metadata_key_41, NULL, "metadata[kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk]"),
	INVAL(bi_payment_method_update_metadata_51_keys, NULL, "metadata"),
	/* cards */
	INVAL(bi_card_number_letters, NULL, "card[number]"),
	INVAL(bi_card_number_too_short, NULL, "card[number]"),
	INVAL(bi_card_number_too_long, NULL, "card[number]"),
	INVAL(bi_card_number_bad_luhn, NULL, "card[number]"),
	INVAL(bi_card_number_empty, NULL, "card[number]"),
	INVAL(bi_card_number_and_token, NULL, NULL),
	INVAL(bi_card_missing, NULL, NULL),
	INVAL(bi_card_token_unknown, NULL, "card[token]"),
	INVAL(bi_card_exp_month_13, NULL, "card[exp_month]"),
	INVAL(bi_card_exp_month_negative, NULL, "card[exp_month]"),
	INVAL(bi_card_exp_year_past, NULL, "card[exp_year]"),
	INVAL(bi_card_cvc_too_short, NULL, "card[cvc]"),
	INVAL(bi_card_cvc_letters, NULL, "card[cvc]"),
	INVAL(bi_payment_method_type_unknown, NULL, "type"),
	INVAL(bi_payment_method_update_exp_month_13, NULL, "card[exp_month]"),
	INVAL(bi_payment_method_update_exp_year_past, NULL, "card[exp_year]"),
	/* state rules */
	{ "bi_attach_to_other_customer", bi_attach_to_other_customer, FAKE_EINVAL, IRE, NULL, NULL, 400,
	  "The payment method you provided has already been attached to a customer." },
	{ "bi_attach_declining_token", bi_attach_declining_token, FAKE_ECARD, "card_error", "card_declined", NULL, 402,
	  NULL },
	{ "bi_detach_not_attached", bi_detach_not_attached, FAKE_EINVAL, IRE, NULL, NULL, 400,
	  "The payment method you provided is not attached to a customer so detachment is impossible." },
	INVAL(bi_set_default_not_attached, NULL, NULL),
	INVAL(bi_set_default_other_customers, NULL, NULL),
	INVAL(bi_customer_create_default_without_payment_method, NULL, NULL),
	INVAL(bi_customer_create_default_mismatch, NULL, NULL),
	INVAL(bi_customer_create_payment_method_of_other_customer, NULL, NULL),
	/* test controls */
	STATUS_ONLY(bi_script_push_unknown_op, FAKE_EINVAL),
	STATUS_ONLY(bi_script_push_bad_version, FAKE_EINVAL),
	STATUS_ONLY(bi_script_push_status_not_error, FAKE_EINVAL),
	STATUS_ONLY(bi_script_push_negative_retry, FAKE_EINVAL),
	STATUS_ONLY(bi_script_push_null_script, FAKE_EINVAL),
	STATUS_ONLY(bi_script_push_outcome_on_update_customer, FAKE_EINVAL),
	STATUS_ONLY(bi_script_push_null_processor, FAKE_EINVAL),
	STATUS_ONLY(bi_stub_set_unknown_op, FAKE_EINVAL),
	STATUS_ONLY(bi_subscribe_null_fn, FAKE_EINVAL),
	STATUS_ONLY(bi_unsubscribe_not_subscribed, FAKE_ENOTFOUND),
	STATUS_ONLY(bi_iter_not_a_list_op, FAKE_EINVAL),
	STATUS_ONLY(bi_op_from_name_unknown, FAKE_ENOTFOUND),
};

#define N_CASES (sizeof cases / sizeof cases[0])

/* ---- the runner ------------------------------------------------------------ */

typedef struct bad_ctx {
	const bad_case *bc;
	fake_processor *p;
} bad_ctx;

static bad_ctx ctxs[N_CASES];

static int bad_setup(void **state)
{
	bad_ctx *ctx = *state;
	void *pv = NULL;

	if (fixture_new(&pv) != 0)
		return -1;
	ctx->p = pv;
	if (seed_world(ctx->p) != 0) {
		fixture_free(&pv);
		ctx->p = NULL;
		return -1;
	}
	return 0;
}

static int bad_teardown(void **state)
{
	bad_ctx *ctx = *state;
	void *pv = ctx->p;

	fixture_free(&pv);
	ctx->p = NULL;
	return 0;
}

static void run_bad_case(void **state)
{
	bad_ctx *ctx = *state;
	const bad_case *bc = ctx->bc;
	fake_processor *p = ctx->p;
	fingerprint before, after;
	bool cleared = false;

	take_fingerprint(p, &before);
	assert_int_equal(before.customers, W_CUSTOMERS - 1); /* the seeded world is as described */
	assert_int_equal(before.pms1, 1);

	int rc = bc->run(p, &cleared);
	if (rc != bc->status) {
		const fake_error *e = fake_error_last(p);
		print_error("%s returned %s, expected %s (%s)\n", bc->name, fake_status_name(rc),
			    fake_status_name(bc->status), e ? e->message : "");
		fail();
	}
	if (!cleared) {
		print_error("%s failed but left its out parameter set\n", bc->name);
		fail();
	}

	if (bc->type) {
		const fake_error *e = fake_error_last(p);
		assert_non_null(e);
		assert_int_equal(e->status, bc->status);
		assert_string_equal(e->type, bc->type);
		assert_int_equal(e->http_status, bc->http);
		assert_true(e->message[0] != '\0');
		if (bc->code)
			assert_string_equal(e->code, bc->code);
		if (bc->param)
			assert_string_equal(e->param, bc->param);
		if (bc->message)
			assert_string_equal(e->message, bc->message);
	}

	take_fingerprint(p, &after);
	check_same_fingerprint(&before, &after);
	probe_next_ids(p, before.events);
}

int main(void)
{
	struct CMUnitTest tests[N_CASES];
	static char names[N_CASES][96];

	for (size_t i = 0; i < N_CASES; i++) {
		/* "bi_x" becomes "test_bad_input_x" */
		snprintf(names[i], sizeof names[i], "test_bad_input_%s", cases[i].name + 3);
		ctxs[i].bc = &cases[i];
		tests[i].name = names[i];
		tests[i].test_func = run_bad_case;
		tests[i].setup_func = bad_setup;
		tests[i].teardown_func = bad_teardown;
		tests[i].initial_state = &ctxs[i];
	}
	return cmocka_run_group_tests_name("bad_input", tests, NULL, NULL);
}
