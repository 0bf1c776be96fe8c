/*
 * fakebill clocks create|list|advance|delete|cleanup, and fakebill clock
 * now|advance (the processor clock). docs/cli.md describes each.
 */
#include "fakebill.h"

#include <inttypes.h>

enum {
	OPT_FROZEN_TIME = FB_OPT_FIRST_PRIVATE,
	OPT_NAME,
	OPT_TO,
	OPT_BY,
	OPT_OLDER_THAN,
	OPT_NAME_PREFIX,
	OPT_DRY_RUN,
	OPT_NO_DRY_RUN,
	OPT_YES,
};

#define TIME_GRAMMAR "T is unix seconds, YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ.\n"
#define DURATION_GRAMMAR "DUR is N[smhd]: 30s, 30m, 1h, 24h, 7d.\n"

/* ---- the clock table ---------------------------------------------------- */

static const char *const clock_header[] = { "ID", "NAME", "STATUS", "FROZEN TIME", "CREATED", "DELETES AFTER" };

static void clock_row(fb_table *t, const fake_test_clock *c)
{
	char frozen[32], created[32], deletes[32];
	const char *cells[] = {
		fake_test_clock_id(c),
		fake_test_clock_name(c),
		fake_test_clock_status_name(fake_test_clock_status_of(c)),
		fb_iso(fake_test_clock_frozen_time(c), frozen),
		fb_iso(fake_test_clock_created(c), created),
		fb_iso(fake_test_clock_deletes_after(c), deletes),
	};
	fb_table_add(t, cells);
}

/* One clock as a table (or JSON with --json). */
static int print_clock(fb_ctx *ctx, const fake_test_clock *c, bool json)
{
	if (json)
		return fb_print_json_object(ctx, c);
	fb_table t;
	fb_table_init(&t, 6, "llllll", clock_header);
	clock_row(&t, c);
	int status = fb_table_print(&t, ctx->out);
	fb_table_free(&t);
	return status;
}

/* The one positional argument (an id) of advance and delete. */
static int one_id(const fb_ctx *ctx, int argc, char **argv, const char **id)
{
	if (optind >= argc)
		return fb_usage_error(ctx, "missing the test clock ID");
	if (optind + 1 < argc)
		return fb_usage_error(ctx, "unexpected argument '%s'", argv[optind + 1]);
	*id = argv[optind];
	return FB_EXIT_OK;
}

/* ---- clocks create ------------------------------------------------------ */

static const char create_help[] =
	"Usage: fakebill clocks create --state FILE --frozen-time T [--name NAME] [--json]\n"
	"\n"
	"Creates a test clock frozen at T. Customers created on it live on its time,\n"
	"which moves only with 'fakebill clocks advance'. It is created at the\n"
	"processor clock's time and deleted 7 days after that once the processor\n"
	"clock passes it. A processor holds at most 100 clocks.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --frozen-time T        the clock's time (required)\n"
	"  --name NAME            a name, at most 300 bytes\n"
	"  --json                 print the clock as Stripe's JSON instead of a table\n" FB_HELP_HELP
	"\n" TIME_GRAMMAR;

int fb_cmd_clocks_create(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "frozen-time", required_argument, NULL, OPT_FROZEN_TIME },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "json", no_argument, NULL, FB_OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *frozen = NULL;
	fake_test_clock_create_params params = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	bool json = false;
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case FB_OPT_HELP: return fb_help(ctx, create_help);
		case FB_OPT_STATE: state = optarg; break;
		case OPT_FROZEN_TIME: frozen = optarg; break;
		case OPT_NAME: params.name = optarg; break;
		case FB_OPT_JSON: json = true; break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	int status = fb_no_arguments(ctx, argc, argv);
	if (status != FB_EXIT_OK)
		return status;
	if (!frozen)
		return fb_usage_error(ctx, "--frozen-time T is required");
	if (fb_parse_time(frozen, &params.frozen_time) != 0)
		return fb_bad_time(ctx, "--frozen-time", frozen);
	if ((status = fb_state_open(ctx, state)) != FB_EXIT_OK)
		return status;

	const fake_test_clock *c = NULL;
	int rc = fake_test_clock_create(&c, ctx->p, &params, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);
	ctx->dirty = true;
	return print_clock(ctx, c, json);
}

/* ---- clocks list -------------------------------------------------------- */

static const char list_help[] =
	"Usage: fakebill clocks list --state FILE [--limit N] [--starting-after ID]\n"
	"                            [--ending-before ID] [--json]\n"
	"\n"
	"Lists the test clocks that are not deleted, newest first, one page at a time.\n"
	"\n"
	"Options:\n" FB_STATE_HELP FB_PAGE_HELP FB_HELP_HELP;

int fb_cmd_clocks_list(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		FB_PAGE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL;
	fb_page_opts po = { { 0, NULL, NULL }, false };
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int status;
		if (fb_page_option(ctx, &po, opt, optarg, &status)) {
			if (status != FB_EXIT_OK)
				return status;
			continue;
		}
		switch (opt) {
		case FB_OPT_HELP: return fb_help(ctx, list_help);
		case FB_OPT_STATE: state = optarg; break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	int status = fb_no_arguments(ctx, argc, argv);
	if (status != FB_EXIT_OK || (status = fb_state_open(ctx, state)) != FB_EXIT_OK)
		return status;

	fake_test_clock_list_params params = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	params.page = po.page;
	fake_list page;
	int rc = fake_test_clock_list(&page, ctx->p, &params, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);
	if (po.json)
		return fb_print_json_list(ctx, &page, "/v1/test_helpers/test_clocks");
	if (page.count == 0) {
		fputs("No test clocks.\n", ctx->out);
		return FB_EXIT_OK;
	}
	fb_table t;
	fb_table_init(&t, 6, "llllll", clock_header);
	for (size_t i = 0; i < page.count; i++)
		clock_row(&t, page.data[i]);
	status = fb_table_print(&t, ctx->out);
	fb_table_free(&t);
	fb_print_more(ctx, &page, &po.page);
	return status;
}

/* ---- clocks advance ----------------------------------------------------- */

static const char advance_help[] =
	"Usage: fakebill clocks advance --state FILE ID (--to T | --by DUR) [--json]\n"
	"\n"
	"Advances test clock ID to T (or by DUR from its frozen time) and waits until\n"
	"it is ready, in virtual time: every renewal, payment, retry and cancellation\n"
	"of its customers falls due on the way and runs in time order. The target must\n"
	"be after the clock's frozen time and at most two intervals of its shortest\n"
	"subscription ahead (two years without subscriptions).\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --to T                 the new frozen time\n"
	"  --by DUR               how far to move it\n"
	"  --json                 print the clock as Stripe's JSON instead of a table\n" FB_HELP_HELP
	"\n" TIME_GRAMMAR DURATION_GRAMMAR;

/* Parses --to / --by (exactly one of them) into *to, or *by. */
static int target_options(const fb_ctx *ctx, const char *to_arg, const char *by_arg, int64_t *to, int64_t *by)
{
	if (to_arg && by_arg)
		return fb_usage_error(ctx, "give only one of --to and --by");
	if (!to_arg && !by_arg)
		return fb_usage_error(ctx, "--to T or --by DUR is required");
	if (to_arg && fb_parse_time(to_arg, to) != 0)
		return fb_bad_time(ctx, "--to", to_arg);
	if (by_arg && fb_parse_duration(by_arg, by) != 0)
		return fb_bad_duration("--by", by_arg);
	return FB_EXIT_OK;
}

/* base + by, held at INT64_MAX: the library refuses a target past FAKE_TIME_MAX. */
static int64_t add_held(int64_t base, int64_t by)
{
	return by > INT64_MAX - base ? INT64_MAX : base + by;
}

int fb_cmd_clocks_advance(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "to", required_argument, NULL, OPT_TO },
		{ "by", required_argument, NULL, OPT_BY },
		{ "json", no_argument, NULL, FB_OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *to_arg = NULL, *by_arg = NULL, *id = NULL;
	bool json = false;
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case FB_OPT_HELP: return fb_help(ctx, advance_help);
		case FB_OPT_STATE: state = optarg; break;
		case OPT_TO: to_arg = optarg; break;
		case OPT_BY: by_arg = optarg; break;
		case FB_OPT_JSON: json = true; break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	int64_t to = 0, by = 0;
	int status = one_id(ctx, argc, argv, &id);
	if (status != FB_EXIT_OK || (status = target_options(ctx, to_arg, by_arg, &to, &by)) != FB_EXIT_OK ||
	    (status = fb_state_open(ctx, state)) != FB_EXIT_OK)
		return status;

	const fake_test_clock *c = NULL;
	int rc;
	if (by_arg) {
		if ((rc = fake_test_clock_retrieve(&c, ctx->p, id, NULL)) != 0)
			return fb_fail(ctx, rc);
		to = add_held(fake_test_clock_frozen_time(c), by);
	}
	/* Default options: virtual time, so the wait never really sleeps. */
	rc = fake_test_clock_advance_and_wait(&c, ctx->p, id, to, NULL, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);
	ctx->dirty = true;
	return print_clock(ctx, c, json);
}

/* ---- clocks delete ------------------------------------------------------ */

static const char delete_help[] =
	"Usage: fakebill clocks delete --state FILE ID [--json]\n"
	"\n"
	"Deletes test clock ID and everything on it: its customers are deleted (their\n"
	"subscriptions canceled, their cards detached), then the clock.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --json                 print Stripe's deleted object as JSON\n" FB_HELP_HELP;

int fb_cmd_clocks_delete(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "json", no_argument, NULL, FB_OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *id = NULL;
	bool json = false;
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case FB_OPT_HELP: return fb_help(ctx, delete_help);
		case FB_OPT_STATE: state = optarg; break;
		case FB_OPT_JSON: json = true; break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	int status = one_id(ctx, argc, argv, &id);
	if (status != FB_EXIT_OK || (status = fb_state_open(ctx, state)) != FB_EXIT_OK)
		return status;

	const fake_test_clock *c = NULL;
	int rc = fake_test_clock_delete(&c, ctx->p, id, NULL);
	if (rc != 0)
		return fb_fail(ctx, rc);
	ctx->dirty = true;
	if (json)
		return fb_print_json_object(ctx, c);
	fprintf(ctx->out, "Deleted test clock %s.\n", fake_test_clock_id(c));
	return FB_EXIT_OK;
}

/* ---- clocks cleanup ----------------------------------------------------- */

static const char cleanup_help[] =
	"Usage: fakebill clocks cleanup --state FILE [--older-than DUR] [--name-prefix P]\n"
	"                               [--dry-run | --no-dry-run] [--yes]\n"
	"\n"
	"Finds the test clocks created at or before the processor clock's now minus\n"
	"DUR (and named with prefix P), and lists them. Deletes them only with both\n"
	"--no-dry-run and --yes; every other combination only lists.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --older-than DUR       the age threshold (default 1h)\n"
	"  --name-prefix P        only clocks whose name starts with P (an unnamed clock never matches)\n"
	"  --dry-run              only list the candidates (the default)\n"
	"  --no-dry-run           delete the candidates, when --yes is given too\n"
	"  --yes                  confirm the deletion\n" FB_HELP_HELP
	"\n" DURATION_GRAMMAR
	"\n"
	"Exit status: 0 done, 1 a delete (or the listing) failed, 2 a usage error.\n";

int fb_cmd_clocks_cleanup(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "older-than", required_argument, NULL, OPT_OLDER_THAN },
		{ "name-prefix", required_argument, NULL, OPT_NAME_PREFIX },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "no-dry-run", no_argument, NULL, OPT_NO_DRY_RUN },
		{ "yes", no_argument, NULL, OPT_YES },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *older = "1h";
	fake_test_clock_cleanup_params params = FAKE_TEST_CLOCK_CLEANUP_PARAMS_INIT;
	bool dry_run_flag = false, no_dry_run_flag = false, yes = false;
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case FB_OPT_HELP: return fb_help(ctx, cleanup_help);
		case FB_OPT_STATE: state = optarg; break;
		case OPT_OLDER_THAN: older = optarg; break;
		case OPT_NAME_PREFIX: params.name_prefix = optarg; break;
		case OPT_DRY_RUN: dry_run_flag = true; break;
		case OPT_NO_DRY_RUN: no_dry_run_flag = true; break;
		case OPT_YES: yes = true; break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	int status = fb_no_arguments(ctx, argc, argv);
	if (status != FB_EXIT_OK)
		return status;
	if (fb_parse_duration(older, &params.older_than) != 0)
		return fb_bad_duration("--older-than", older);
	if (dry_run_flag && no_dry_run_flag)
		return fb_usage_error(ctx, "give only one of --dry-run and --no-dry-run");
	if ((status = fb_state_open(ctx, state)) != FB_EXIT_OK)
		return status;

	/* The safety rule: deleting takes both --no-dry-run and --yes. */
	bool dry_run = !no_dry_run_flag;
	fake_test_clock_cleanup_result found;
	int rc = fake_test_clock_cleanup(&found, ctx->p, &params);
	if (rc != 0) {
		fake_test_clock_cleanup_result_dispose(ctx->p, &found);
		return fb_fail(ctx, rc);
	}
	char dur[32];
	fprintf(ctx->out, "Found %zu candidate clock(s) older than %s.\n", found.total_matched,
		fb_format_duration(params.older_than, dur));
	for (size_t i = 0; i < found.total_matched; i++) {
		const fake_test_clock *c = found.candidates[i];
		const char *name = fake_test_clock_name(c);
		char created[32];
		fprintf(ctx->out, "  - %s (created %s, name: %s)\n", fake_test_clock_id(c),
			fb_iso(fake_test_clock_created(c), created), name ? name : "nil");
	}
	size_t matched = found.total_matched;
	fake_test_clock_cleanup_result_dispose(ctx->p, &found);

	if (matched == 0) {
		fputs("Nothing to clean up.\n", ctx->out);
		return FB_EXIT_OK;
	}
	if (dry_run) {
		fputs("Dry-run mode (default). No clocks deleted. Pass --no-dry-run --yes to delete.\n", ctx->out);
		return FB_EXIT_OK;
	}
	if (!yes) {
		fputs("Refusing to delete without explicit --yes. Pass --no-dry-run --yes to confirm.\n", ctx->out);
		return FB_EXIT_OK;
	}
	/* As the reference: a second pass that lists again and deletes. */
	fake_test_clock_cleanup_result done;
	params.delete_matches = true;
	rc = fake_test_clock_cleanup(&done, ctx->p, &params);
	size_t deleted = done.deleted, failed = done.failed;
	fake_test_clock_cleanup_result_dispose(ctx->p, &done);
	if (deleted > 0)
		ctx->dirty = true;
	if (rc != 0)
		return fb_fail(ctx, rc);
	fprintf(ctx->out, "Deleted %zu clock(s); %zu failure(s).\n", deleted, failed);
	return failed > 0 ? FB_EXIT_FAIL : FB_EXIT_OK;
}

/* ---- clock now, clock advance ------------------------------------------- */

static void print_now(fb_ctx *ctx)
{
	char buf[32];
	int64_t now = fake_clock_now(ctx->p);
	fprintf(ctx->out, "%s (%" PRId64 ")\n", fb_iso(now, buf), now);
}

static const char now_help[] =
	"Usage: fakebill clock now --state FILE\n"
	"\n"
	"Prints the processor clock (not a test clock's) as ISO-8601 UTC and unix seconds.\n"
	"A fresh state starts at 2026-01-01T00:00:00Z.\n"
	"\n"
	"Options:\n" FB_STATE_HELP FB_HELP_HELP;

int fb_cmd_clock_now(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL;
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case FB_OPT_HELP: return fb_help(ctx, now_help);
		case FB_OPT_STATE: state = optarg; break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	int status = fb_no_arguments(ctx, argc, argv);
	if (status != FB_EXIT_OK || (status = fb_state_open(ctx, state)) != FB_EXIT_OK)
		return status;
	print_now(ctx);
	return FB_EXIT_OK;
}

static const char clock_advance_help[] =
	"Usage: fakebill clock advance --state FILE (--to T | --by DUR)\n"
	"\n"
	"Moves the processor clock forward to T (or by DUR), running the work that\n"
	"falls due on the processor's own timeline, and prints the new time. Test\n"
	"clocks do not move with it; their age (for 'clocks cleanup') does, and a\n"
	"clock is deleted once the processor clock passes its deletes_after.\n"
	"\n"
	"Options:\n" FB_STATE_HELP
	"  --to T                 the new time, not before now\n"
	"  --by DUR               how far to move it\n" FB_HELP_HELP
	"\n" TIME_GRAMMAR DURATION_GRAMMAR;

int fb_cmd_clock_advance(fb_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, FB_OPT_HELP },
		{ "state", required_argument, NULL, FB_OPT_STATE },
		{ "to", required_argument, NULL, OPT_TO },
		{ "by", required_argument, NULL, OPT_BY },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *to_arg = NULL, *by_arg = NULL;
	int opt;
	fb_getopt_begin();
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case FB_OPT_HELP: return fb_help(ctx, clock_advance_help);
		case FB_OPT_STATE: state = optarg; break;
		case OPT_TO: to_arg = optarg; break;
		case OPT_BY: by_arg = optarg; break;
		default: return fb_bad_option(ctx, argv, opt);
		}
	}
	int64_t to = 0, by = 0;
	int status = fb_no_arguments(ctx, argc, argv);
	if (status != FB_EXIT_OK || (status = target_options(ctx, to_arg, by_arg, &to, &by)) != FB_EXIT_OK ||
	    (status = fb_state_open(ctx, state)) != FB_EXIT_OK)
		return status;

	int rc = by_arg ? fake_clock_advance(ctx->p, by) : fake_clock_advance_to(ctx->p, to);
	if (rc != 0)
		return fb_fail(ctx, rc);
	ctx->dirty = true;
	print_now(ctx);
	return FB_EXIT_OK;
}
