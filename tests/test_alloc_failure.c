/*
 * Fault injection (STYLE.md 12, SQLite's malloc tests): every operation,
 * run with allocation N failing for N = 1, 2, 3 ... until it succeeds, must
 * fail with FAKE_ENOMEM, give back no object, leave the processor exactly as
 * it was, and leak nothing.
 *
 * Each attempt runs on a freshly prepared processor (the preparation is
 * deterministic), and "unchanged" means: a fingerprint of everything a user
 * can observe, followed by a probe (the ids the next creates get, the events
 * they cause, the callbacks that run), equals the fingerprint of a prepared
 * processor on which the operation never ran. Only call counts and request
 * ids may differ, and the fingerprint leaves them out.
 *
 * block_size is 256 so that most creates need a fresh block and the
 * failure points are many.
 */
#include "helpers.h"

#include <inttypes.h>

#define N_MAX 5000 /* no operation allocates this often; a guard against loops */

/* ---- a growable text buffer --------------------------------------------------- */

typedef struct text {
	char *s;
	size_t len;
	size_t cap;
} text;

static void text_add(text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(t->s, cap);
		assert_non_null(s);
		t->s = s;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static void text_free(text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

static const char *str_or(const char *s)
{
	return s ? s : "-";
}

/* ---- the fixture: a processor on a test allocator ------------------------------ */

#define TICKS 3

typedef struct fx {
	test_alloc a;          /* counts calls, fails call fail_at, tracks live blocks */
	bool fail_all;         /* fail every allocation (for operations that need none) */
	unsigned long refused; /* allocations refused by fail_all */
	fake_processor *p;
	int sub_calls;         /* the prepared subscriber */
	int extra_sub_calls;   /* a subscriber added by the operation under test */
	int scheduled_ran;     /* a callback scheduled by the operation under test */
	/* callbacks that create customers, for the clock advance */
	int tick_ran[TICKS];
	int tick_rc[TICKS];
	int64_t tick_due[TICKS];
} fx;

static void *fx_malloc(size_t size, void *ctx)
{
	fx *f = ctx;
	if (f->fail_all) {
		f->refused++;
		return NULL;
	}
	return test_alloc_malloc(size, &f->a);
}

static void *fx_realloc(void *ptr, size_t size, void *ctx)
{
	fx *f = ctx;
	if (f->fail_all) {
		f->refused++;
		return NULL;
	}
	return test_alloc_realloc(ptr, size, &f->a);
}

static void fx_free(void *ptr, void *ctx)
{
	fx *f = ctx;
	test_alloc_free(ptr, &f->a);
}

static fake_processor_options fx_options(fx *f)
{
	fake_processor_options o = test_alloc_options(&f->a);
	o.allocator.malloc = fx_malloc;
	o.allocator.realloc = fx_realloc;
	o.allocator.free = fx_free;
	o.allocator.ctx = f;
	o.block_size = 256;
	o.seed = 3;
	return o;
}

/* Fail allocation number n from now on (1: the very next one). */
static void arm(fx *f, unsigned long n)
{
	f->a.fail_at = f->a.calls + n;
}

static void disarm(fx *f)
{
	f->a.fail_at = 0;
}

/* Whether the armed failure was reached. */
static bool failure_reached(const fx *f)
{
	return f->a.fail_at && f->a.calls >= f->a.fail_at;
}

static void on_event(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)e;
	((fx *)user_data)->sub_calls++;
}

static void on_event_extra(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)e;
	((fx *)user_data)->extra_sub_calls++;
}

static void on_scheduled(fake_processor *p, int64_t at, void *user_data)
{
	(void)p;
	(void)at;
	((fx *)user_data)->scheduled_ran++;
}

/*
 * The prepared state, the same every time:
 *   cus_fake_00001  a@example.com, name Ann, metadata plan=pro seats=3 (then
 *                   plan=team), with pm_fake_00001 (from pm_card_visa) attached
 *   cus_fake_00002  b@example.com, pm_fake_00002 attached and its default
 *   pm_fake_00003   unattached (5555 5555 5555 4444)
 *   cus_fake_00003  deleted
 *   cus_fake_00004  no payment methods
 *   prod_fake_00001 Basic, description, metadata tier=basic
 *   price_fake_00001 prod_fake_00001, usd 1000 monthly, lookup key
 *                   basic_monthly, nickname "Basic monthly"
 *   price_fake_00002 prod_fake_00001, usd 10000 yearly, no lookup key
 *   clock at epoch + 100; a subscriber (unless subscribe is false)
 */
static void prepare(fx *f, bool subscribe)
{
	memset(f, 0, sizeof(*f));
	fake_processor_options o = fx_options(f);
	assert_int_equal(fake_processor_new(&f->p, &o), 0);
	fake_processor *p = f->p;
	if (subscribe)
		check_ok(p, fake_event_subscribe(p, on_event, f));

	const fake_customer *c = NULL;
	fake_kv meta[] = { { "plan", "pro" }, { "seats", "3" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "a@example.com";
	cp.name = "Ann";
	cp.metadata = meta;
	cp.metadata_count = 2;
	cp.payment_method = "pm_card_visa";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00001");

	fake_customer_create_params cp2 = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp2.email = "b@example.com";
	check_ok(p, fake_customer_create(&c, p, &cp2, NULL));

	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00002");
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00002";
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_fake_00002", &ap, NULL));
	check_ok(p, fake_customer_set_default_payment_method(&c, p, "cus_fake_00002", "pm_fake_00002", NULL));

	pp.card_number = "5555555555554444";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	assert_string_equal(fake_payment_method_id(pm), "pm_fake_00003");

	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	check_ok(p, fake_customer_delete(&c, p, "cus_fake_00003", NULL));
	check_ok(p, fake_customer_create(&c, p, NULL, NULL));
	assert_string_equal(fake_customer_id(c), "cus_fake_00004");

	fake_kv change[] = { { "plan", "team" } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.metadata = change;
	up.metadata_count = 1;
	check_ok(p, fake_customer_update(&c, p, "cus_fake_00001", &up, NULL));

	const fake_product *prod = NULL;
	fake_kv tier[] = { { "tier", "basic" } };
	fake_product_create_params prp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	prp.name = "Basic";
	prp.description = "the basic plan";
	prp.metadata = tier;
	prp.metadata_count = 1;
	check_ok(p, fake_product_create(&prod, p, &prp, NULL));
	assert_string_equal(fake_product_id(prod), "prod_fake_00001");
	const fake_price *price = NULL;
	fake_price_create_params pcp = FAKE_PRICE_CREATE_PARAMS_INIT;
	pcp.product = "prod_fake_00001";
	pcp.currency = "usd";
	pcp.unit_amount = 1000;
	pcp.interval = FAKE_INTERVAL_MONTH;
	pcp.lookup_key = "basic_monthly";
	pcp.nickname = "Basic monthly";
	check_ok(p, fake_price_create(&price, p, &pcp, NULL));
	fake_price_create_params pcp2 = FAKE_PRICE_CREATE_PARAMS_INIT;
	pcp2.product = "prod_fake_00001";
	pcp2.currency = "usd";
	pcp2.unit_amount = 10000;
	pcp2.interval = FAKE_INTERVAL_YEAR;
	check_ok(p, fake_price_create(&price, p, &pcp2, NULL));
	assert_string_equal(fake_price_id(price), "price_fake_00002");

	check_ok(p, fake_clock_advance(p, 100));
	assert_int_equal(fake_error_last(p)->status, 0);
}

static void finish(fx *f)
{
	fake_processor_free(f->p);
	f->p = NULL;
	assert_int_equal(f->a.live, 0);
}

static void add_metadata(text *t, const fake_metadata *m)
{
	text_add(t, " metadata{");
	for (size_t i = 0; i < fake_metadata_count(m); i++)
		text_add(t, "%s=%s;", fake_metadata_key(m, i), fake_metadata_value(m, i));
	text_add(t, "}");
}

static void add_payment_method(text *t, const fake_payment_method *pm)
{
	text_add(t, "  pm %s customer=%s brand=%s last4=%s exp=%d/%d fp=%s billing=%s/%s/%s", fake_payment_method_id(pm),
		 str_or(fake_payment_method_customer(pm)), str_or(fake_payment_method_card_brand(pm)),
		 str_or(fake_payment_method_card_last4(pm)), fake_payment_method_card_exp_month(pm),
		 fake_payment_method_card_exp_year(pm), str_or(fake_payment_method_card_fingerprint(pm)),
		 str_or(fake_payment_method_billing_name(pm)), str_or(fake_payment_method_billing_email(pm)),
		 str_or(fake_payment_method_billing_phone(pm)));
	add_metadata(t, fake_payment_method_metadata(pm));
	text_add(t, "\n");
}

static void add_product(text *t, const fake_product *prod)
{
	text_add(t, "product %s created=%" PRId64 " updated=%" PRId64 " name=%s desc=%s active=%d",
		 fake_product_id(prod), fake_product_created(prod), fake_product_updated(prod),
		 str_or(fake_product_name(prod)), str_or(fake_product_description(prod)), (int)fake_product_active(prod));
	add_metadata(t, fake_product_metadata(prod));
	text_add(t, "\n");
}

static void add_price(text *t, const fake_price *price)
{
	text_add(t, "price %s created=%" PRId64 " product=%s %s %" PRId64 " %s %s/%u usage=%d key=%s nick=%s active=%d",
		 fake_price_id(price), fake_price_created(price), str_or(fake_price_product(price)),
		 str_or(fake_price_currency(price)), fake_price_unit_amount(price), str_or(fake_price_type(price)),
		 str_or(fake_price_interval_name(price)), fake_price_interval_count(price),
		 (int)fake_price_usage_type(price), str_or(fake_price_lookup_key(price)),
		 str_or(fake_price_nickname(price)), (int)fake_price_active(price));
	add_metadata(t, fake_price_metadata(price));
	text_add(t, "\n");
}

/*
 * Everything a user can see, then a probe that changes the processor.
 * Taken with the allocator disarmed.
 */
static void fingerprint(fx *f, text *t)
{
	fake_processor *p = f->p;
	disarm(f);
	f->fail_all = false;
	text_add(t, "now=%" PRId64 " events=%zu pending=%zu\n", fake_clock_now(p), fake_event_count(p),
		 fake_clock_pending(p));
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		text_add(t, "scripts %s=%zu\n", fake_op_name((fake_op)op), fake_script_pending(p, (fake_op)op));

	/* every customer by id: ids have no gaps, so stop at the first missing one */
	char id[32];
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "cus_fake_%05d", i);
		const fake_customer *c = NULL;
		int rc = fake_customer_retrieve(&c, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		text_add(t, "customer %s created=%" PRId64 " deleted=%d email=%s name=%s phone=%s desc=%s default=%s",
			 fake_customer_id(c), fake_customer_created(c), (int)fake_customer_deleted(c),
			 str_or(fake_customer_email(c)), str_or(fake_customer_name(c)), str_or(fake_customer_phone(c)),
			 str_or(fake_customer_description(c)), str_or(fake_customer_default_payment_method(c)));
		add_metadata(t, fake_customer_metadata(c));
		text_add(t, "\n");
		if (fake_customer_deleted(c))
			continue;
		fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
		lp.customer = id;
		lp.page.limit = 100;
		fake_list page;
		check_ok(p, fake_payment_method_list(&page, p, &lp, NULL));
		for (size_t k = 0; k < page.count; k++)
			add_payment_method(t, page.data[k]);
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "pm_fake_%05d", i);
		const fake_payment_method *pm = NULL;
		int rc = fake_payment_method_retrieve(&pm, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_payment_method(t, pm);
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "prod_fake_%05d", i);
		const fake_product *prod = NULL;
		int rc = fake_product_retrieve(&prod, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_product(t, prod);
	}
	for (int i = 1; i < 1000; i++) {
		snprintf(id, sizeof(id), "price_fake_%05d", i);
		const fake_price *price = NULL;
		int rc = fake_price_retrieve(&price, p, id, NULL);
		if (rc == FAKE_ENOTFOUND)
			break;
		check_ok(p, rc);
		add_price(t, price);
	}
	fake_list page;
	fake_product_list_params prlp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	prlp.page.limit = 100;
	check_ok(p, fake_product_list(&page, p, &prlp, NULL));
	text_add(t, "listed products:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_product_id(page.data[k]));
	text_add(t, "\n");
	fake_price_list_params pclp = FAKE_PRICE_LIST_PARAMS_INIT;
	pclp.page.limit = 100;
	check_ok(p, fake_price_list(&page, p, &pclp, NULL));
	text_add(t, "listed prices:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_price_id(page.data[k]));
	text_add(t, "\n");
	fake_customer_list_params clp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	clp.page.limit = 100;
	check_ok(p, fake_customer_list(&page, p, &clp, NULL));
	text_add(t, "listed customers:");
	for (size_t k = 0; k < page.count; k++)
		text_add(t, " %s", fake_customer_id(page.data[k]));
	text_add(t, "\n");
	fake_event_list_params elp = FAKE_EVENT_LIST_PARAMS_INIT;
	elp.page.limit = 100;
	check_ok(p, fake_event_list(&page, p, &elp, NULL));
	for (size_t k = 0; k < page.count; k++) {
		const fake_event *e = page.data[k];
		text_add(t, "event %s %s created=%" PRId64 " object=%s changed=%zu\n", fake_event_id(e),
			 fake_event_type(e), fake_event_created(e), str_or(fake_object_id(fake_event_object(e))),
			 fake_event_previous_attribute_count(e));
	}
	text_add(t, "subscriber calls=%d extra=%d\n", f->sub_calls, f->extra_sub_calls);

	/* the probe: the next ids, the events they cause, what the timeline runs */
	const fake_customer *c = NULL;
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "probe@example.com";
	check_ok(p, fake_customer_create(&c, p, &cp, NULL));
	text_add(t, "probe customer %s\n", fake_customer_id(c));
	const fake_payment_method *pm = NULL;
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "4242424242424242";
	check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
	text_add(t, "probe pm %s\n", fake_payment_method_id(pm));
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = fake_customer_id(c);
	check_ok(p, fake_payment_method_attach(&pm, p, "pm_card_visa", &ap, NULL));
	text_add(t, "probe token pm %s\n", fake_payment_method_id(pm));
	const fake_product *prod = NULL;
	fake_product_create_params prp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	prp.name = "probe";
	check_ok(p, fake_product_create(&prod, p, &prp, NULL));
	text_add(t, "probe product %s\n", fake_product_id(prod));
	const fake_price *price = NULL;
	fake_price_create_params pcp = FAKE_PRICE_CREATE_PARAMS_INIT;
	pcp.product = fake_product_id(prod);
	pcp.currency = "usd";
	pcp.unit_amount = 1;
	check_ok(p, fake_price_create(&price, p, &pcp, NULL));
	text_add(t, "probe price %s\n", fake_price_id(price));
	elp.page.limit = 3;
	check_ok(p, fake_event_list(&page, p, &elp, NULL));
	for (size_t k = 0; k < page.count; k++)
		text_add(t, "probe event %s %s\n", fake_event_id(page.data[k]), fake_event_type(page.data[k]));
	check_ok(p, fake_clock_advance(p, 1000));
	text_add(t, "probe advance now=%" PRId64 " pending=%zu scheduled_ran=%d\n", fake_clock_now(p),
		 fake_clock_pending(p), f->scheduled_ran);
	text_add(t, "subscriber calls=%d extra=%d events=%zu\n", f->sub_calls, f->extra_sub_calls,
		 fake_event_count(p));
}

/* ---- the operations ------------------------------------------------------------ */

enum out_kind { OUT_OBJECT, OUT_LIST, OUT_NONE };

typedef struct operation {
	const char *name;
	enum out_kind out;
	bool subscribe;          /* prepare with the subscriber */
	bool may_need_no_memory; /* the operation may legitimately never allocate */
	int (*run)(fx *f, void *out);
} operation;

static int op_customer_create(fx *f, void *out)
{
	fake_kv meta[] = { { "plan", "pro" }, { "ref", "abc-123" }, { "skipped", "" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "new@example.com";
	cp.name = "New Customer";
	cp.description = "created under fault injection";
	cp.phone = "+15555550100";
	cp.metadata = meta;
	cp.metadata_count = 3;
	cp.payment_method = "pm_card_visa";
	return fake_customer_create(out, f->p, &cp, NULL);
}

static int op_customer_create_with_default(fx *f, void *out)
{
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "c@example.com";
	cp.payment_method = "pm_fake_00003";
	cp.default_payment_method = "pm_fake_00003";
	return fake_customer_create(out, f->p, &cp, NULL);
}

static int op_customer_retrieve(fx *f, void *out)
{
	return fake_customer_retrieve(out, f->p, "cus_fake_00001", NULL);
}

static int op_customer_update(fx *f, void *out)
{
	fake_kv meta[] = { { "plan", "enterprise" }, { "seats", "" }, { "region", "eu" } };
	fake_customer_update_params up = FAKE_CUSTOMER_UPDATE_PARAMS_INIT;
	up.email = "a+new@example.com";
	up.name = "Ann B.";
	up.metadata = meta;
	up.metadata_count = 3;
	return fake_customer_update(out, f->p, "cus_fake_00001", &up, NULL);
}

static int op_customer_delete(fx *f, void *out)
{
	/* the customer with an attached default payment method */
	return fake_customer_delete(out, f->p, "cus_fake_00002", NULL);
}

static int op_customer_list(fx *f, void *out)
{
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 2;
	lp.page.starting_after = "cus_fake_00004";
	return fake_customer_list(out, f->p, &lp, NULL);
}

static int op_set_default(fx *f, void *out)
{
	return fake_customer_set_default_payment_method(out, f->p, "cus_fake_00001", "pm_fake_00001", NULL);
}

static int op_pm_create(fx *f, void *out)
{
	fake_kv meta[] = { { "source", "test" }, { "n", "1" } };
	fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
	pp.card_number = "378282246310005";
	pp.exp_month = 7;
	pp.cvc = "1234";
	pp.billing_name = "Card Holder";
	pp.billing_email = "holder@example.com";
	pp.billing_phone = "+15555550101";
	pp.metadata = meta;
	pp.metadata_count = 2;
	return fake_payment_method_create(out, f->p, &pp, NULL);
}

static int op_pm_retrieve(fx *f, void *out)
{
	return fake_payment_method_retrieve(out, f->p, "pm_fake_00002", NULL);
}

static int op_pm_update(fx *f, void *out)
{
	fake_kv meta[] = { { "nickname", "work card" } };
	fake_payment_method_update_params up = FAKE_PAYMENT_METHOD_UPDATE_PARAMS_INIT;
	up.exp_month = 3;
	up.billing_name = "Bea";
	up.billing_email = "bea@example.com";
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_payment_method_update(out, f->p, "pm_fake_00002", &up, NULL);
}

static int op_pm_attach(fx *f, void *out)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00004";
	return fake_payment_method_attach(out, f->p, "pm_fake_00003", &ap, NULL);
}

static int op_pm_attach_token(fx *f, void *out)
{
	fake_payment_method_attach_params ap = FAKE_PAYMENT_METHOD_ATTACH_PARAMS_INIT;
	ap.customer = "cus_fake_00004";
	return fake_payment_method_attach(out, f->p, "pm_card_visa", &ap, NULL);
}

static int op_pm_detach(fx *f, void *out)
{
	/* cus_fake_00002's default: the detach also clears the default */
	return fake_payment_method_detach(out, f->p, "pm_fake_00002", NULL);
}

static int op_pm_list(fx *f, void *out)
{
	fake_payment_method_list_params lp = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
	lp.customer = "cus_fake_00001";
	return fake_payment_method_list(out, f->p, &lp, NULL);
}

static int op_event_retrieve(fx *f, void *out)
{
	return fake_event_retrieve(out, f->p, "evt_fake_00002", NULL);
}

static int op_event_list(fx *f, void *out)
{
	fake_event_list_params lp = FAKE_EVENT_LIST_PARAMS_INIT;
	lp.type = "customer.*";
	return fake_event_list(out, f->p, &lp, NULL);
}

static int op_event_subscribe(fx *f, void *out)
{
	(void)out;
	return fake_event_subscribe(f->p, on_event_extra, f);
}

static int op_script_push(fx *f, void *out)
{
	(void)out;
	fake_script s = fake_script_card_declined("insufficient_funds");
	return fake_script_push(f->p, FAKE_OP_CREATE_CUSTOMER, &s, 2);
}

static int op_clock_schedule(fx *f, void *out)
{
	(void)out;
	return fake_clock_schedule(f->p, fake_clock_now(f->p) + 50, on_scheduled, f);
}

static int op_list_iterator(fx *f, void *out)
{
	(void)out;
	fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	lp.page.limit = 1;
	fake_list_iter it;
	fake_list_iter_init(&it, f->p, FAKE_OP_LIST_CUSTOMERS, &lp, NULL);
	const void *o = NULL;
	int rc, n = 0;
	while ((rc = fake_list_iter_next(&o, &it)) == 0)
		n++;
	if (rc != FAKE_ITEROVER) {
		assert_null(o);
		return rc;
	}
	assert_int_equal(n, 3);
	return 0;
}

static int op_product_create(fx *f, void *out)
{
	fake_kv meta[] = { { "tier", "pro" }, { "ref", "abc-123" }, { "skipped", "" } };
	fake_product_create_params pp = FAKE_PRODUCT_CREATE_PARAMS_INIT;
	pp.name = "Pro";
	pp.description = "created under fault injection";
	pp.metadata = meta;
	pp.metadata_count = 3;
	return fake_product_create(out, f->p, &pp, NULL);
}

static int op_product_update(fx *f, void *out)
{
	fake_kv meta[] = { { "tier", "" }, { "region", "eu" } };
	fake_product_update_params up = FAKE_PRODUCT_UPDATE_PARAMS_INIT;
	up.name = "Basic (old)";
	up.description = "";
	up.active = FAKE_ACTIVE_CLEAR;
	up.metadata = meta;
	up.metadata_count = 2;
	return fake_product_update(out, f->p, "prod_fake_00001", &up, NULL);
}

static int op_product_list(fx *f, void *out)
{
	fake_product_list_params lp = FAKE_PRODUCT_LIST_PARAMS_INIT;
	lp.active = FAKE_ACTIVE_ONLY;
	return fake_product_list(out, f->p, &lp, NULL);
}

static int op_price_create_product_name(fx *f, void *out)
{
	/* creates prod_fake_00002 too: product.created, then price.created */
	fake_kv meta[] = { { "plan", "gold" }, { "n", "2" } };
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	cp.currency = "EUR";
	cp.unit_amount = 2500;
	cp.product_name = "Gold";
	cp.interval = FAKE_INTERVAL_WEEK;
	cp.interval_count = 2;
	cp.lookup_key = "gold_biweekly";
	cp.nickname = "Gold every two weeks";
	cp.metadata = meta;
	cp.metadata_count = 2;
	return fake_price_create(out, f->p, &cp, NULL);
}

static int op_price_create_transfer(fx *f, void *out)
{
	/* takes basic_monthly from price_fake_00001: price.updated, then price.created */
	fake_price_create_params cp = FAKE_PRICE_CREATE_PARAMS_INIT;
	cp.currency = "usd";
	cp.unit_amount = 1200;
	cp.product = "prod_fake_00001";
	cp.interval = FAKE_INTERVAL_MONTH;
	cp.lookup_key = "basic_monthly";
	cp.transfer_lookup_key = true;
	return fake_price_create(out, f->p, &cp, NULL);
}

static int op_price_update(fx *f, void *out)
{
	fake_kv meta[] = { { "legacy", "yes" } };
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.active = FAKE_ACTIVE_CLEAR;
	up.nickname = "Basic monthly (legacy)";
	up.lookup_key = "";
	up.metadata = meta;
	up.metadata_count = 1;
	return fake_price_update(out, f->p, "price_fake_00001", &up, NULL);
}

static int op_price_update_transfer(fx *f, void *out)
{
	/* price_fake_00002 takes basic_monthly: price.updated for price_fake_00001, then for price_fake_00002 */
	fake_price_update_params up = FAKE_PRICE_UPDATE_PARAMS_INIT;
	up.lookup_key = "basic_monthly";
	up.transfer_lookup_key = true;
	up.nickname = "Basic yearly";
	return fake_price_update(out, f->p, "price_fake_00002", &up, NULL);
}

static int op_price_list(fx *f, void *out)
{
	fake_price_list_params lp = FAKE_PRICE_LIST_PARAMS_INIT;
	lp.product = "prod_fake_00001";
	lp.currency = "USD";
	lp.type = FAKE_PRICE_RECURRING;
	return fake_price_list(out, f->p, &lp, NULL);
}

static const operation operations[] = {
	{ "customer_create", OUT_OBJECT, true, false, op_customer_create },
	{ "customer_create_with_default", OUT_OBJECT, true, false, op_customer_create_with_default },
	{ "customer_retrieve", OUT_OBJECT, true, true, op_customer_retrieve },
	{ "customer_update", OUT_OBJECT, true, false, op_customer_update },
	{ "customer_delete", OUT_OBJECT, true, false, op_customer_delete },
	{ "customer_list", OUT_LIST, true, true, op_customer_list },
	{ "set_default_payment_method", OUT_OBJECT, true, false, op_set_default },
	{ "payment_method_create", OUT_OBJECT, true, false, op_pm_create },
	{ "payment_method_retrieve", OUT_OBJECT, true, true, op_pm_retrieve },
	{ "payment_method_update", OUT_OBJECT, true, false, op_pm_update },
	{ "payment_method_attach", OUT_OBJECT, true, false, op_pm_attach },
	{ "payment_method_attach_token", OUT_OBJECT, true, false, op_pm_attach_token },
	{ "payment_method_detach", OUT_OBJECT, true, false, op_pm_detach },
	{ "payment_method_list", OUT_LIST, true, true, op_pm_list },
	{ "event_retrieve", OUT_OBJECT, true, true, op_event_retrieve },
	{ "event_list", OUT_LIST, true, true, op_event_list },
	{ "event_subscribe", OUT_NONE, false, false, op_event_subscribe },
	{ "script_push", OUT_NONE, true, false, op_script_push },
	{ "clock_schedule", OUT_NONE, true, false, op_clock_schedule },
	{ "list_iterator", OUT_NONE, true, true, op_list_iterator },
	{ "product_create", OUT_OBJECT, true, false, op_product_create },
	{ "product_update", OUT_OBJECT, true, false, op_product_update },
	{ "product_list", OUT_LIST, true, true, op_product_list },
	{ "price_create_product_name", OUT_OBJECT, true, false, op_price_create_product_name },
	{ "price_create_transfer", OUT_OBJECT, true, false, op_price_create_transfer },
	{ "price_update", OUT_OBJECT, true, false, op_price_update },
	{ "price_update_transfer", OUT_OBJECT, true, false, op_price_update_transfer },
	{ "price_list", OUT_LIST, true, true, op_price_list },
};

#define OPERATION_COUNT (sizeof(operations) / sizeof(operations[0]))

typedef union result {
	const void *object;
	fake_list list;
} result;

static const int sentinel = 0;

static void result_poison(result *r, enum out_kind kind)
{
	if (kind == OUT_LIST) {
		memset(&r->list, 0, sizeof(r->list));
		r->list.count = 3; /* a failed list must leave it empty */
		r->list.has_more = true;
	} else {
		r->object = &sentinel; /* a failed call must set it to NULL */
	}
}

static void check_success(const operation *op, const result *r)
{
	if (op->out == OUT_OBJECT) {
		assert_non_null(r->object);
		assert_ptr_not_equal(r->object, &sentinel);
	}
}

/* Runs one operation with allocation N failing, for every N until it succeeds. */
static void check_operation(const operation *op)
{
	/* the state the operation must leave alone when it fails */
	fx ref;
	text want = { NULL, 0, 0 };
	prepare(&ref, op->subscribe);
	fingerprint(&ref, &want);
	finish(&ref);

	unsigned long enomem = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		fx f;
		prepare(&f, op->subscribe);
		result r;
		result_poison(&r, op->out);
		arm(&f, n);
		int rc = op->run(&f, op->out == OUT_LIST ? (void *)&r.list : (void *)&r.object);
		bool reached = failure_reached(&f);
		disarm(&f);

		if (rc == 0) {
			check_success(op, &r);
			/* a run the failure never reached is a complete, undisturbed run */
			done = !reached;
		} else {
			if (rc != FAKE_ENOMEM) {
				print_error("%s, allocation %lu failing: returned %s (%s), not FAKE_ENOMEM\n", op->name, n,
					    fake_status_name(rc), fake_error_last(f.p)->message);
				fail();
			}
			enomem++;
			const fake_error *e = fake_error_last(f.p);
			assert_int_equal(e->status, FAKE_ENOMEM);
			assert_true(e->message[0] != '\0');
			if (op->out == OUT_OBJECT && r.object != NULL) {
				print_error("%s, allocation %lu failing: *out is not NULL\n", op->name, n);
				fail();
			}
			if (op->out == OUT_LIST && (r.list.count != 0 || r.list.has_more)) {
				print_error("%s, allocation %lu failing: the page is not empty\n", op->name, n);
				fail();
			}
			text got = { NULL, 0, 0 };
			fingerprint(&f, &got);
			if (strcmp(got.s, want.s) != 0) {
				print_error("%s, allocation %lu failing: the processor changed.\nbefore (and should be):\n%s\n"
					    "after:\n%s\n",
					    op->name, n, want.s, got.s);
				fail();
			}
			text_free(&got);
		}
		finish(&f);
	}
	assert_true(done);

	if (enomem == 0) {
		if (!op->may_need_no_memory) {
			print_error("%s never failed: no allocation point was exercised\n", op->name);
			fail();
		}
		/* it needs no memory: it must succeed with every allocation refused */
		fx f;
		prepare(&f, op->subscribe);
		result r;
		result_poison(&r, op->out);
		f.fail_all = true;
		int rc = op->run(&f, op->out == OUT_LIST ? (void *)&r.list : (void *)&r.object);
		f.fail_all = false;
		if (rc != 0) {
			print_error("%s with every allocation refused: %s\n", op->name, fake_status_name(rc));
			fail();
		}
		check_success(op, &r);
		finish(&f);
	}
	text_free(&want);
}

static void test_alloc_failure_customer_create(void **state)
{
	(void)state;
	check_operation(&operations[0]);
	check_operation(&operations[1]);
}

static void test_alloc_failure_customer_retrieve(void **state)
{
	(void)state;
	check_operation(&operations[2]);
}

static void test_alloc_failure_customer_update(void **state)
{
	(void)state;
	check_operation(&operations[3]);
}

static void test_alloc_failure_customer_delete(void **state)
{
	(void)state;
	check_operation(&operations[4]);
}

static void test_alloc_failure_customer_list(void **state)
{
	(void)state;
	check_operation(&operations[5]);
}

static void test_alloc_failure_set_default_payment_method(void **state)
{
	(void)state;
	check_operation(&operations[6]);
}

static void test_alloc_failure_payment_method_create(void **state)
{
	(void)state;
	check_operation(&operations[7]);
}

static void test_alloc_failure_payment_method_retrieve(void **state)
{
	(void)state;
	check_operation(&operations[8]);
}

static void test_alloc_failure_payment_method_update(void **state)
{
	(void)state;
	check_operation(&operations[9]);
}

static void test_alloc_failure_payment_method_attach(void **state)
{
	(void)state;
	check_operation(&operations[10]);
	check_operation(&operations[11]);
}

static void test_alloc_failure_payment_method_detach(void **state)
{
	(void)state;
	check_operation(&operations[12]);
}

static void test_alloc_failure_payment_method_list(void **state)
{
	(void)state;
	check_operation(&operations[13]);
}

static void test_alloc_failure_event_retrieve(void **state)
{
	(void)state;
	check_operation(&operations[14]);
}

static void test_alloc_failure_event_list(void **state)
{
	(void)state;
	check_operation(&operations[15]);
}

static void test_alloc_failure_event_subscribe(void **state)
{
	(void)state;
	check_operation(&operations[16]);
}

static void test_alloc_failure_script_push(void **state)
{
	(void)state;
	check_operation(&operations[17]);
}

static void test_alloc_failure_clock_schedule(void **state)
{
	(void)state;
	check_operation(&operations[18]);
}

static void test_alloc_failure_list_iterator(void **state)
{
	(void)state;
	check_operation(&operations[19]);
}

static void test_alloc_failure_product_create(void **state)
{
	(void)state;
	check_operation(&operations[20]);
}

static void test_alloc_failure_product_update(void **state)
{
	(void)state;
	check_operation(&operations[21]);
}

static void test_alloc_failure_product_list(void **state)
{
	(void)state;
	check_operation(&operations[22]);
}

static void test_alloc_failure_price_create(void **state)
{
	(void)state;
	check_operation(&operations[23]);
	check_operation(&operations[24]);
}

static void test_alloc_failure_price_update(void **state)
{
	(void)state;
	check_operation(&operations[25]);
	check_operation(&operations[26]);
}

static void test_alloc_failure_price_list(void **state)
{
	(void)state;
	check_operation(&operations[27]);
}

/* ---- processor_new ----------------------------------------------------------------- */

static void test_alloc_failure_processor_new(void **state)
{
	(void)state;
	unsigned long enomem = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		test_alloc a = { 0, n, 0 };
		fake_processor_options o = test_alloc_options(&a);
		o.block_size = 256;
		fake_processor *p = (fake_processor *)&a; /* not NULL: must be cleared */
		int rc = fake_processor_new(&p, &o);
		if (rc == 0) {
			assert_non_null(p);
			done = a.calls < n;
			/* the new processor works */
			a.fail_at = 0;
			const fake_customer *c = NULL;
			check_ok(p, fake_customer_create(&c, p, NULL, NULL));
			assert_string_equal(fake_customer_id(c), "cus_fake_00001");
			fake_processor_free(p);
		} else {
			assert_int_equal(rc, FAKE_ENOMEM);
			assert_null(p);
			enomem++;
		}
		assert_int_equal(a.live, 0);
	}
	assert_true(done);
	assert_true(enomem > 0);
}

/* ---- clock advance with callbacks that create customers -------------------------- */

typedef struct tick_ctx {
	fx *f;
	int k;
} tick_ctx;

static void create_on_tick(fake_processor *p, int64_t at, void *user_data)
{
	tick_ctx *t = user_data;
	fx *f = t->f;
	f->tick_ran[t->k]++;
	f->tick_due[t->k] = at;
	fake_kv meta[] = { { "source", "cron" } };
	fake_customer_create_params cp = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cp.email = "cron@example.com";
	cp.metadata = meta;
	cp.metadata_count = 1;
	cp.payment_method = "pm_card_visa";
	const fake_customer *c = (const fake_customer *)&sentinel;
	f->tick_rc[t->k] = fake_customer_create(&c, p, &cp, NULL);
	if (f->tick_rc[t->k] != 0 && c != NULL)
		f->tick_rc[t->k] = -1000; /* *out not cleared: reported by the test */
}

static void test_alloc_failure_clock_advance(void **state)
{
	(void)state;
	unsigned long exercised = 0;
	bool done = false;
	for (unsigned long n = 1; n <= N_MAX && !done; n++) {
		fx f;
		prepare(&f, true);
		fake_processor *p = f.p;
		int64_t start = fake_clock_now(p);
		size_t events_before = fake_event_count(p);
		tick_ctx t[TICKS];
		for (int k = 0; k < TICKS; k++) {
			t[k] = (tick_ctx){ &f, k };
			f.tick_rc[k] = -2000;
			check_ok(p, fake_clock_schedule(p, start + 10 * (k + 1), create_on_tick, &t[k]));
		}
		arm(&f, n);
		int rc = fake_clock_advance(p, 100);
		bool reached = failure_reached(&f);
		disarm(&f);

		/* the callbacks that ran, in order; a callback whose own create ran
		 * out of memory got FAKE_ENOMEM and created nothing */
		int ran = 0, created = 0;
		for (int k = 0; k < TICKS; k++) {
			assert_true(f.tick_ran[k] <= 1);
			if (!f.tick_ran[k])
				continue;
			assert_int_equal(k, ran); /* no callback ran before an earlier one */
			ran++;
			assert_int_equal(f.tick_due[k], start + 10 * (k + 1));
			if (f.tick_rc[k] == 0)
				created++;
			else if (f.tick_rc[k] == FAKE_ENOMEM)
				exercised++;
			else {
				print_error("allocation %lu failing: callback %d's create returned %s\n", n, k,
					    fake_status_name(f.tick_rc[k]));
				fail();
			}
		}
		if (rc == 0) {
			assert_int_equal(ran, TICKS);
			assert_int_equal(fake_clock_now(p), start + 100);
			assert_int_equal(fake_clock_pending(p), 0);
		} else {
			/* the clock stops at the due time of the work that failed,
			 * which is still due; the work before it has completed */
			if (rc != FAKE_ENOMEM) {
				print_error("allocation %lu failing: advance returned %s\n", n, fake_status_name(rc));
				fail();
			}
			exercised++;
			assert_int_equal(fake_error_last(p)->status, FAKE_ENOMEM);
			assert_true(fake_clock_now(p) >= start + 10 && fake_clock_now(p) <= start + 10 * TICKS);
			assert_true(fake_clock_pending(p) >= 1);
			assert_int_equal(fake_clock_pending(p) + (size_t)ran, TICKS);
		}

		/* what the callbacks created, and nothing else */
		assert_int_equal(fake_event_count(p), events_before + 2 * (size_t)created);
		fake_customer_list_params lp = FAKE_CUSTOMER_LIST_PARAMS_INIT;
		fake_list page;
		check_ok(p, fake_customer_list(&page, p, &lp, NULL));
		assert_int_equal(page.count, 3 + (size_t)created); /* 4 prepared, 1 deleted */
		int seen = 0;
		for (int k = TICKS - 1; k >= 0; k--) {
			if (f.tick_rc[k] != 0 || !f.tick_ran[k])
				continue;
			const fake_customer *c = page.data[seen];
			char want[32];
			snprintf(want, sizeof(want), "cus_fake_%05d", 4 + created - seen);
			assert_string_equal(fake_customer_id(c), want);
			assert_int_equal(fake_customer_created(c), f.tick_due[k]);
			assert_string_equal(fake_metadata_get(fake_customer_metadata(c), "source"), "cron");
			fake_payment_method_list_params pl = FAKE_PAYMENT_METHOD_LIST_PARAMS_INIT;
			pl.customer = want;
			fake_list pms;
			check_ok(p, fake_payment_method_list(&pms, p, &pl, NULL));
			assert_int_equal(pms.count, 1);
			seen++;
		}
		/* the next ids follow without a gap */
		const fake_customer *c = NULL;
		check_ok(p, fake_customer_create(&c, p, NULL, NULL));
		char want[32];
		snprintf(want, sizeof(want), "cus_fake_%05d", 5 + created);
		assert_string_equal(fake_customer_id(c), want);
		fake_payment_method_create_params pp = FAKE_PAYMENT_METHOD_CREATE_PARAMS_INIT;
		pp.card_number = "4242424242424242";
		const fake_payment_method *pm = NULL;
		check_ok(p, fake_payment_method_create(&pm, p, &pp, NULL));
		snprintf(want, sizeof(want), "pm_fake_%05d", 4 + created);
		assert_string_equal(fake_payment_method_id(pm), want);

		/* work still due runs on the next advance */
		if (rc != 0) {
			check_ok(p, fake_clock_advance_to(p, start + 100));
			for (int k = 0; k < TICKS; k++)
				assert_int_equal(f.tick_ran[k], 1);
		}
		done = rc == 0 && created == TICKS && !reached;
		finish(&f);
	}
	assert_true(done);
	assert_true(exercised > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_failure_processor_new),
		cmocka_unit_test(test_alloc_failure_customer_create),
		cmocka_unit_test(test_alloc_failure_customer_retrieve),
		cmocka_unit_test(test_alloc_failure_customer_update),
		cmocka_unit_test(test_alloc_failure_customer_delete),
		cmocka_unit_test(test_alloc_failure_customer_list),
		cmocka_unit_test(test_alloc_failure_set_default_payment_method),
		cmocka_unit_test(test_alloc_failure_payment_method_create),
		cmocka_unit_test(test_alloc_failure_payment_method_retrieve),
		cmocka_unit_test(test_alloc_failure_payment_method_update),
		cmocka_unit_test(test_alloc_failure_payment_method_attach),
		cmocka_unit_test(test_alloc_failure_payment_method_detach),
		cmocka_unit_test(test_alloc_failure_payment_method_list),
		cmocka_unit_test(test_alloc_failure_event_retrieve),
		cmocka_unit_test(test_alloc_failure_event_list),
		cmocka_unit_test(test_alloc_failure_event_subscribe),
		cmocka_unit_test(test_alloc_failure_script_push),
		cmocka_unit_test(test_alloc_failure_clock_schedule),
		cmocka_unit_test(test_alloc_failure_list_iterator),
		cmocka_unit_test(test_alloc_failure_product_create),
		cmocka_unit_test(test_alloc_failure_product_update),
		cmocka_unit_test(test_alloc_failure_product_list),
		cmocka_unit_test(test_alloc_failure_price_create),
		cmocka_unit_test(test_alloc_failure_price_update),
		cmocka_unit_test(test_alloc_failure_price_list),
		cmocka_unit_test(test_alloc_failure_clock_advance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
