/*
 * fakebill: the command line tool over libfake (docs/cli.md).
 *
 * What the translation units of the tool share: the command context, the
 * state file, option parsing helpers, time and duration grammar, aligned
 * tables and error reporting. fakebill.c has main() and the state file;
 * clocks.c the test-clock and processor-clock commands; lists.c the other
 * list commands; demo.c the simulated SaaS; util.c everything below that
 * is not about a command.
 */
#ifndef FAKEBILL_H
#define FAKEBILL_H

#include <fake/fake.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/** Exit statuses (docs/cli.md, "Exit status"). */
enum {
	FB_EXIT_OK = 0,    /**< success */
	FB_EXIT_FAIL = 1,  /**< an operation failed (the libfake error record is printed) */
	FB_EXIT_USAGE = 2  /**< the command line was wrong; nothing was run */
};

/**
 * One run of one command. main() makes it; the command fills it.
 *
 * Output discipline: a command writes what it has to say on stdout into
 * @c out, a memory stream. main() copies it to the real stdout only once
 * the state file is safely written (or needs no writing), so a command
 * whose state cannot be saved prints its error and nothing else.
 */
typedef struct fb_ctx {
	const char *name;       /**< "clocks cleanup": the command, for messages */
	FILE *out;              /**< stdout of the command, buffered (see above) */
	fake_processor *p;      /**< NULL until fb_state_open() */
	const char *state_path; /**< the --state file; NULL until fb_state_open() */
	bool fresh;             /**< the file did not exist: main() creates it if the command succeeds */
	bool dirty;             /**< the command changed the processor: main() saves it, even with
				     exit 1 (a cleanup whose deletes partly failed keeps the others);
				     set only after a change that happened */
} fb_ctx;

/** A command: parses argv (argv[0] is its own name) and runs. Returns an FB_EXIT_* status. */
typedef int (*fb_command_fn)(fb_ctx *ctx, int argc, char **argv);

/* ---- commands (clocks.c, lists.c, demo.c) ------------------------------- */

int fb_cmd_clocks_create(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_clocks_list(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_clocks_advance(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_clocks_delete(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_clocks_cleanup(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_clock_now(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_clock_advance(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_customers_list(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_subscriptions_list(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_invoices_list(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_events_list(fb_ctx *ctx, int argc, char **argv);
int fb_cmd_demo(fb_ctx *ctx, int argc, char **argv);

/* ---- the state file (fakebill.c) ---------------------------------------- */

/**
 * Opens the state: a fresh processor with default options, replaced by the
 * snapshot in @p path when that file exists. A missing file is a fresh
 * state, which main() writes when the command succeeds. Prints the error
 * and returns FB_EXIT_FAIL when the file cannot be read or is not a
 * snapshot; FB_EXIT_USAGE when @p path is NULL or empty.
 */
int fb_state_open(fb_ctx *ctx, const char *path);

/* ---- option parsing (util.c) -------------------------------------------- */

/** Option values shared by every command that takes them (long-only options). */
enum {
	FB_OPT_HELP = 'h',
	FB_OPT_STATE = 256,
	FB_OPT_JSON,
	FB_OPT_LIMIT,
	FB_OPT_STARTING_AFTER,
	FB_OPT_ENDING_BEFORE,
	FB_OPT_FIRST_PRIVATE /**< commands number their own options from here */
};

/** Starts a getopt_long() scan of a command's argv (argv[0] is the command). */
void fb_getopt_begin(void);

/**
 * The usage error for what getopt_long() returned as @p opt ('?' or ':')
 * at its current position in @p argv; prints it and the hint to --help.
 * @return FB_EXIT_USAGE.
 */
int fb_bad_option(const fb_ctx *ctx, char **argv, int opt);

/** Prints "fakebill <name>: <message>" and the --help hint on stderr. @return FB_EXIT_USAGE. */
int fb_usage_error(const fb_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Prints @p text (a command's usage) on the command's stdout. @return FB_EXIT_OK. */
int fb_help(fb_ctx *ctx, const char *text);

/** Usage lines every command's help shares. */
#define FB_STATE_HELP "  --state FILE           the state file (created when absent)\n"
#define FB_HELP_HELP "  -h, --help             print this help\n"

/**
 * The usage error for a positional argument left after getopt_long()
 * (at optind), for commands that take none. @return FB_EXIT_OK when none is left.
 */
int fb_no_arguments(const fb_ctx *ctx, int argc, char **argv);

/** Paging flags of the list commands (--limit, --starting-after, --ending-before) and --json. */
typedef struct fb_page_opts {
	fake_list_params page;
	bool json;
} fb_page_opts;

/**
 * Takes @p opt into @p po when it is one of the paging options or --json.
 * @param status receives FB_EXIT_OK, or FB_EXIT_USAGE for a bad value
 *        (the error is printed); set only when the option was taken.
 * @return true when @p opt was taken, false when it is not one of them.
 */
bool fb_page_option(const fb_ctx *ctx, fb_page_opts *po, int opt, const char *arg, int *status);

/** The long options fb_page_option() takes, for a command's option table. */
#define FB_PAGE_LONG_OPTIONS                                                      \
	{ "limit", required_argument, NULL, FB_OPT_LIMIT },                       \
	{ "starting-after", required_argument, NULL, FB_OPT_STARTING_AFTER },     \
	{ "ending-before", required_argument, NULL, FB_OPT_ENDING_BEFORE },       \
	{ "json", no_argument, NULL, FB_OPT_JSON }

/** The usage lines of the paging options, for help texts. */
#define FB_PAGE_HELP                                                                         \
	"  --limit N              objects per page, 1..100 (default 10)\n"                      \
	"  --starting-after ID    the page after this object (older)\n"                         \
	"  --ending-before ID     the page before this object (newer)\n"                        \
	"  --json                 print Stripe's list JSON instead of a table\n"

/**
 * Parses a decimal integer in [@p min, @p max]: ASCII digits only, no sign,
 * no spaces. @return 0, or -1 when @p s is not one.
 */
int fb_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);

/* ---- time and durations (util.c) ---------------------------------------- */

/**
 * Parses a duration N[smhd] (^[0-9]+[smhd]$) into seconds.
 * @return 0; -1 for anything else, or a value past INT64_MAX seconds.
 */
int fb_parse_duration(const char *s, int64_t *out);

/**
 * Prints the reference's message for a duration fb_parse_duration()
 * refused, for option @p opt ("--older-than"). @return FB_EXIT_USAGE.
 */
int fb_bad_duration(const char *opt, const char *s);

/**
 * Writes @p seconds as whole days when they divide into days, else whole
 * hours, minutes or seconds ("1d", "2h", "90m", "45s"; 0 is "0d").
 */
const char *fb_format_duration(int64_t seconds, char buf[32]);

/**
 * Parses a time: unix seconds (digits), YYYY-MM-DD (midnight UTC) or
 * YYYY-MM-DDTHH:MM:SSZ, with real calendar dates, years 1970..9999.
 * @return 0; -1 otherwise.
 */
int fb_parse_time(const char *s, int64_t *out);

/** The message for a time fb_parse_time() refused. */
int fb_bad_time(const fb_ctx *ctx, const char *opt, const char *s);

/** @p t as ISO-8601 UTC ("2026-01-01T00:00:00Z"). */
const char *fb_iso(int64_t t, char buf[32]);

/** Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t fb_days_from_civil(int64_t y, unsigned int m, unsigned int d);

/** The date of a day number (inverse of fb_days_from_civil()). */
void fb_civil_from_days(int64_t days, int64_t *y, unsigned int *m, unsigned int *d);

/* ---- output (util.c) ---------------------------------------------------- */

/** The most columns a table has. */
#define FB_TABLE_COLS_MAX 16

/**
 * An aligned table: a header row and rows of strings, printed with two
 * spaces between columns. Cells are copied.
 */
typedef struct fb_table {
	size_t ncols;      /**< 1 .. FB_TABLE_COLS_MAX */
	const char *align; /**< one 'l' or 'r' per column */
	size_t nrows;      /**< rows, the header included */
	size_t cap;
	char **cells;      /**< nrows * ncols strings */
	bool oom;          /**< an allocation failed: printing reports it */
} fb_table;

/** Starts a table with @p ncols columns titled @p header, aligned by @p align ("llr"). */
void fb_table_init(fb_table *t, size_t ncols, const char *align, const char *const *header);
/** Adds a row of ncols strings; NULL cells print as "-". */
void fb_table_add(fb_table *t, const char *const *cells);
/** Prints the table. @return FB_EXIT_OK, or FB_EXIT_FAIL (out of memory, printed). */
int fb_table_print(const fb_table *t, FILE *out);
void fb_table_free(fb_table *t);

/** Formats an amount in the smallest unit as "29.00 USD". */
const char *fb_amount(int64_t amount, const char *currency, char buf[48]);

/**
 * Prints the processor's error record after a call failed with @p status:
 * "fakebill <command>: <message>", then the record's type, code, decline
 * code (when set), param and the status name, on stderr.
 * @return FB_EXIT_FAIL.
 */
int fb_fail(const fb_ctx *ctx, int status);

/**
 * Prints one object as Stripe's JSON (pretty) on the command's stdout.
 * @return FB_EXIT_OK, or FB_EXIT_FAIL with the error printed.
 */
int fb_print_json_object(fb_ctx *ctx, const void *object);

/** As fb_print_json_object() for a list page with @p url ("/v1/customers"). */
int fb_print_json_list(fb_ctx *ctx, const fake_list *page, const char *url);

/**
 * The footer of a table page that has more: "More: --starting-after <id>"
 * (or --ending-before for a backwards page); nothing otherwise.
 */
void fb_print_more(fb_ctx *ctx, const fake_list *page, const fake_list_params *asked);

#endif
