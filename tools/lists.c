/*
 * fakebill customers|subscriptions|invoices|events list: one page of a list
 * operation, as an aligned table or as Stripe's list JSON (docs/cli.md).
 */
#include "fakebill.h"

enum {
	OPT_TEST_CLOCK = FB_OPT_FIRST_PRIVATE,
	OPT_EMAIL,
	OPT_CUSTOMER,
	OPT_SUBSCRIPTION,
	OPT_PRICE,
	OPT_STATUS,
	OPT_TYPE,
};


/*
 * The option loop every list command shares: the state, the paging
 * options and --json here, the command's own filters through @p filter
 * (which returns false for an option it does not know); then the state is
 * opened. Sets *helped when it printed the help instead (status 0).
 */
typedef bool (*filter_fn)(void *params, int opt, const char *arg);

static int parse_list_options(fb_ctx *ctx, int argc, char **argv, const struct option *opts, const char *help,
			      filter_fn filter, void *params, fb_page_opts *po, bool *helped)
{
	const char *state = NULL;
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int status;
		if (fb_page_option(ctx, po, opt, optarg, &status)) {
			if (status != FB_EXIT_OK)
				return status;
			continue;
		}
		if (opt == FB_OPT_HELP) {
			*helped = true;
			return fb_help(ctx, help);
		}
		if (opt == FB_OPT_STATE)
			state = optarg;
		else if (opt == '?' || opt == ':' || !filter(params, opt, optarg))
			return fb_bad_option(ctx, argv, opt);
	}
	int status = fb_no_arguments(ctx, argc, argv);
	return status != FB_EXIT_OK ? status : fb_state_open(ctx, state);
}

/* A page as JSON, or as a table with its "More:" footer (or @p none when empty). */
static int print_page(fb_ctx *ctx, const fake_list *page, const fb_page_opts *po, const char *url, fb_table *t,
		      const char *none)
{
	int status = FB_EXIT_OK;
	if (po->json)
		status = fb_print_json_list(ctx, page, url);
	else if (page->count == 0)
		fprintf(ctx->out, "%s\n", none);
	else if ((status = fb_table_print(t, ctx->out)) == FB_EXIT_OK)
		fb_print_more(ctx, page, &po->page);
	fb_table_free(t);
	return status;
}

/* ---- customers ---------------------------------------------------------- */

static const char customers_help[] =
	"Usage: fakebill customers list --state FILE [--test-clock ID] [--email E]\n"
	"                               [--limit N] [--starting-after ID] [--ending-before ID] [--json]\n"
	"\n"
	"Lists customers that are not deleted, newest first. As Stripe, customers on a\n"
	"test clock are listed only with --test-clock naming their clock.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --test-clock ID        only the customers on this test clock\n"
	"  --email E              only customers with exactly this email\n" FB_PAGE_HELP FB_HELP_HELP;

static bool customer_filter(void *params, int opt, const char *arg)
{
	fake_customer_list_params *cp = params;
	if (opt == OPT_TEST_CLOCK)
		cp->test_clock = arg;
	else if (opt == OPT_EMAIL)
		cp->email = arg;
	else
		return false;
	return true;
}

int fb_cmd_customers_list(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "test-clock", required_argument, NULL, OPT_TEST_CLOCK },
		{ "email", required_argument, NULL, OPT_EMAIL },
		FB_PAGE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	fb_page_opts po = { { 0, NULL, NULL }, false };
	fake_customer_list_params params = FAKE_CUSTOMER_LIST_PARAMS_INIT;
	bool helped = false;
	int status = parse_list_options(ctx, argc, argv, opts, customers_help, customer_filter, &params, &po, &helped);
	if (status != FB_EXIT_OK || helped)
		return status;
	params.page = po.page;
	fake_list page;
	int rc = fake_customer_list(&page, ctx->p, &params, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);

	static const char *const header[] = { "ID", "EMAIL", "NAME", "TEST CLOCK", "CREATED" };
	fb_table t;
	fb_table_init(&t, 5, "lllll", header);
	for (size_t i = 0; i < page.count && !po.json; i++) {
		const fake_customer *c = page.data[i];
		char created[32];
		const char *cells[] = { fake_customer_id(c), fake_customer_email(c), fake_customer_name(c),
					fake_customer_test_clock(c), fb_iso(fake_customer_created(c), created) };
		fb_table_add(&t, cells);
	}
	return print_page(ctx, &page, &po, "/v1/customers", &t, "No customers.");
}

/* ---- subscriptions ------------------------------------------------------ */

static const char subscriptions_help[] =
	"Usage: fakebill subscriptions list --state FILE [--test-clock ID] [--customer ID]\n"
	"                                   [--price ID] [--status S] [--limit N]\n"
	"                                   [--starting-after ID] [--ending-before ID] [--json]\n"
	"\n"
	"Lists subscriptions, newest first. Without --status, canceled and\n"
	"incomplete_expired ones are left out (as Stripe); --status all shows every one.\n"
	"As Stripe, subscriptions of customers on a test clock are listed only with\n"
	"--test-clock naming their clock, or --customer.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --test-clock ID        only subscriptions of customers on this test clock\n"
	"  --customer ID          only this customer's subscriptions\n"
	"  --price ID             only subscriptions with an item on this price\n"
	"  --status S             a status, 'all' or 'ended' (canceled and incomplete_expired)\n" FB_PAGE_HELP
		FB_HELP_HELP;

static bool subscription_filter(void *params, int opt, const char *arg)
{
	fake_subscription_list_params *sp = params;
	switch (opt) {
	case OPT_TEST_CLOCK: sp->test_clock = arg; return true;
	case OPT_CUSTOMER: sp->customer = arg; return true;
	case OPT_PRICE: sp->price = arg; return true;
	case OPT_STATUS: sp->status = arg; return true;
	default: return false;
	}
}

int fb_cmd_subscriptions_list(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "test-clock", required_argument, NULL, OPT_TEST_CLOCK },
		{ "customer", required_argument, NULL, OPT_CUSTOMER },
		{ "price", required_argument, NULL, OPT_PRICE },
		{ "status", required_argument, NULL, OPT_STATUS },
		FB_PAGE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	fb_page_opts po = { { 0, NULL, NULL }, false };
	fake_subscription_list_params params = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	bool helped = false;
	int status = parse_list_options(ctx, argc, argv, opts, subscriptions_help, subscription_filter, &params, &po,
					&helped);
	if (status != FB_EXIT_OK || helped)
		return status;
	params.page = po.page;
	fake_list page;
	int rc = fake_subscription_list(&page, ctx->p, &params, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);

	static const char *const header[] = { "ID", "CUSTOMER", "STATUS", "PRICE", "PERIOD END", "CREATED" };
	fb_table t;
	fb_table_init(&t, 6, "llllll", header);
	for (size_t i = 0; i < page.count && !po.json; i++) {
		const fake_subscription *s = page.data[i];
		char end[32], created[32];
		const fake_price *price = fake_subscription_item_price(fake_subscription_item_at(s, 0));
		const char *cells[] = { fake_subscription_id(s),
					fake_subscription_customer(s),
					fake_subscription_status_name(s),
					fake_price_id(price),
					fb_iso(fake_subscription_current_period_end(s), end),
					fb_iso(fake_subscription_created(s), created) };
		fb_table_add(&t, cells);
	}
	return print_page(ctx, &page, &po, "/v1/subscriptions", &t, "No subscriptions.");
}

/* ---- invoices ----------------------------------------------------------- */

static const char invoices_help[] =
	"Usage: fakebill invoices list --state FILE [--customer ID] [--subscription ID]\n"
	"                              [--status S] [--limit N] [--starting-after ID]\n"
	"                              [--ending-before ID] [--json]\n"
	"\n"
	"Lists invoices, newest first.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --customer ID          only this customer's invoices\n"
	"  --subscription ID      only this subscription's invoices\n"
	"  --status S             draft, open, paid, void or uncollectible\n" FB_PAGE_HELP FB_HELP_HELP;

static bool invoice_filter(void *params, int opt, const char *arg)
{
	fake_invoice_list_params *ip = params;
	switch (opt) {
	case OPT_CUSTOMER: ip->customer = arg; return true;
	case OPT_SUBSCRIPTION: ip->subscription = arg; return true;
	case OPT_STATUS: ip->status = arg; return true;
	default: return false;
	}
}

int fb_cmd_invoices_list(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "customer", required_argument, NULL, OPT_CUSTOMER },
		{ "subscription", required_argument, NULL, OPT_SUBSCRIPTION },
		{ "status", required_argument, NULL, OPT_STATUS },
		FB_PAGE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	fb_page_opts po = { { 0, NULL, NULL }, false };
	fake_invoice_list_params params = FAKE_INVOICE_LIST_PARAMS_INIT;
	bool helped = false;
	int status = parse_list_options(ctx, argc, argv, opts, invoices_help, invoice_filter, &params, &po, &helped);
	if (status != FB_EXIT_OK || helped)
		return status;
	params.page = po.page;
	fake_list page;
	int rc = fake_invoice_list(&page, ctx->p, &params, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);

	static const char *const header[] = { "ID", "CUSTOMER", "STATUS", "REASON", "AMOUNT DUE", "PAID", "CREATED" };
	fb_table t;
	fb_table_init(&t, 7, "llllrrl", header);
	for (size_t i = 0; i < page.count && !po.json; i++) {
		const fake_invoice *inv = page.data[i];
		char due[48], paid[48], created[32];
		const char *cur = fake_invoice_currency(inv);
		const char *cells[] = { fake_invoice_id(inv),
					fake_invoice_customer(inv),
					fake_invoice_status_name(inv),
					fake_invoice_billing_reason_name(inv),
					fb_amount(fake_invoice_amount_due(inv), cur, due),
					fb_amount(fake_invoice_amount_paid(inv), cur, paid),
					fb_iso(fake_invoice_created(inv), created) };
		fb_table_add(&t, cells);
	}
	return print_page(ctx, &page, &po, "/v1/invoices", &t, "No invoices.");
}

/* ---- events ------------------------------------------------------------- */

static const char events_help[] =
	"Usage: fakebill events list --state FILE [--type T] [--limit N]\n"
	"                            [--starting-after ID] [--ending-before ID] [--json]\n"
	"\n"
	"Lists events, newest first.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --type T               an event type, or a prefix ending in '.*' (invoice.*)\n" FB_PAGE_HELP FB_HELP_HELP;

static bool event_filter(void *params, int opt, const char *arg)
{
	fake_event_list_params *ep = params;
	if (opt != OPT_TYPE)
		return false;
	ep->type = arg;
	return true;
}

int fb_cmd_events_list(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "type", required_argument, NULL, OPT_TYPE },
		FB_PAGE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	fb_page_opts po = { { 0, NULL, NULL }, false };
	fake_event_list_params params = FAKE_EVENT_LIST_PARAMS_INIT;
	bool helped = false;
	int status = parse_list_options(ctx, argc, argv, opts, events_help, event_filter, &params, &po, &helped);
	if (status != FB_EXIT_OK || helped)
		return status;
	params.page = po.page;
	fake_list page;
	int rc = fake_event_list(&page, ctx->p, &params, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);

	static const char *const header[] = { "ID", "CREATED", "TYPE", "OBJECT" };
	fb_table t;
	fb_table_init(&t, 4, "llll", header);
	for (size_t i = 0; i < page.count && !po.json; i++) {
		const fake_event *e = page.data[i];
		char created[32];
		const char *cells[] = { fake_event_id(e), fb_iso(fake_event_created(e), created), fake_event_type(e),
					fake_object_id(fake_event_object(e)) };
		fb_table_add(&t, cells);
	}
	return print_page(ctx, &page, &po, "/v1/events", &t, "No events.");
}
