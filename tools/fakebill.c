/*
 * fakebill: a command line over libfake (docs/cli.md).
 *
 *   fakebill <command> [<subcommand>] [options]
 *
 * main() finds the command, gives it a context whose stdout is a memory
 * stream, and after it returns writes the state file when the command
 * changed the processor (or the file did not exist and the command
 * succeeded); only then does it copy the command's output to stdout, so
 * output that was not saved is never shown. A usage error (exit 2) or a
 * failure (exit 1) never writes the state file, with one exception that
 * keeps what really happened: a cleanup that deleted some clocks and
 * failed to delete others. fake_processor_save() replaces the file
 * atomically or leaves it as it was.
 */

#include "fakebill.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct command {
	const char *group;    /* "clocks" */
	const char *name;     /* "create"; NULL for a command without subcommands */
	const char *synopsis; /* its positional arguments, for the lists of commands */
	const char *summary;
	fb_command_fn fn;
} command;

static const command commands[] = {
	{ "demo", NULL, "", "run a simulated SaaS for a year and summarise it", fb_cmd_demo },
	{ "clocks", "create", "", "create a test clock", fb_cmd_clocks_create },
	{ "clocks", "list", "", "list test clocks", fb_cmd_clocks_list },
	{ "clocks", "advance", " ID", "advance a test clock and wait until it is ready", fb_cmd_clocks_advance },
	{ "clocks", "delete", " ID", "delete a test clock and its customers", fb_cmd_clocks_delete },
	{ "clocks", "cleanup", "", "list old test clocks; delete them with --no-dry-run --yes", fb_cmd_clocks_cleanup },
	{ "clock", "now", "", "print the processor clock", fb_cmd_clock_now },
	{ "clock", "advance", "", "move the processor clock forward", fb_cmd_clock_advance },
	{ "customers", "list", "", "list customers", fb_cmd_customers_list },
	{ "subscriptions", "list", "", "list subscriptions", fb_cmd_subscriptions_list },
	{ "invoices", "list", "", "list invoices", fb_cmd_invoices_list },
	{ "events", "list", "", "list events", fb_cmd_events_list },
};
#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* The commands of @p group (NULL: all) with their summaries, from the table. */
static void list_commands(FILE *out, const char *group)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		const command *c = &commands[i];
		if (group && strcmp(c->group, group) != 0)
			continue;
		char name[64];
		snprintf(name, sizeof(name), "%s%s%s%s", c->group, c->name ? " " : "", c->name ? c->name : "",
			 c->synopsis);
		fprintf(out, "  %-24s  %s\n", name, c->summary);
	}
}

static void usage(FILE *out)
{
	fputs("Usage: fakebill <command> [<subcommand>] [options]\n"
	      "\n"
	      "A command line over libfake, a deterministic fake of Stripe's billing API.\n"
	      "State lives in a snapshot file given with --state FILE (created when absent).\n"
	      "\n"
	      "Commands:\n",
	      out);
	list_commands(out, NULL);
	fputs("\n"
	      "Options:\n"
	      "  -h, --help                print this help (every command has its own)\n"
	      "  --version                 print the version\n"
	      "\n"
	      "Exit status: 0 success, 1 an operation failed, 2 a usage error.\n"
	      "See docs/cli.md.\n",
	      out);
}

/* The help of a group: its subcommands. */
static void group_help(FILE *out, const char *group)
{
	fprintf(out, "Usage: fakebill %s <subcommand> [options]\n\nSubcommands:\n", group);
	list_commands(out, group);
	fprintf(out, "\nRun 'fakebill %s <subcommand> --help' for its options.\n", group);
}

static bool group_exists(const char *group)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i].group, group) == 0)
			return true;
	return false;
}

/*
 * Finds the command named by argv[1] (and argv[2]). Returns it, or NULL
 * after printing the usage error or the group's help; *status tells which.
 */
static const command *find_command(int argc, char **argv, int *consumed, int *status)
{
	const char *group = argv[1];
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!commands[i].name && strcmp(commands[i].group, group) == 0) {
			*consumed = 1;
			return &commands[i];
		}
	if (!group_exists(group)) {
		fprintf(stderr, "fakebill: unknown command '%s'\nTry 'fakebill --help' for more information.\n", group);
		*status = FB_EXIT_USAGE;
		return NULL;
	}
	if (argc < 3) {
		fprintf(stderr, "fakebill %s: missing subcommand\n", group);
		group_help(stderr, group);
		*status = FB_EXIT_USAGE;
		return NULL;
	}
	if (is_help(argv[2])) {
		group_help(stdout, group);
		*status = FB_EXIT_OK;
		return NULL;
	}
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i].group, group) == 0 && strcmp(commands[i].name, argv[2]) == 0) {
			*consumed = 2;
			return &commands[i];
		}
	fprintf(stderr, "fakebill %s: unknown subcommand '%s'\nTry 'fakebill %s --help' for more information.\n", group,
		argv[2], group);
	*status = FB_EXIT_USAGE;
	return NULL;
}

int fb_state_open(fb_ctx *ctx, const char *path)
{
	if (!path)
		return fb_usage_error(ctx, "--state FILE is required");
	if (!*path)
		return fb_usage_error(ctx, "--state needs a file name");
	int rc = fake_processor_new(&ctx->p, NULL);
	if (rc != 0) {
		fprintf(stderr, "fakebill %s: cannot create a processor: %s\n", ctx->name, fake_strerror(rc));
		return FB_EXIT_FAIL;
	}
	ctx->state_path = path;
	struct stat st;
	if (stat(path, &st) != 0 && errno == ENOENT) {
		/* A new state: written when the command succeeds. */
		ctx->fresh = true;
		return FB_EXIT_OK;
	}
	rc = fake_processor_load(ctx->p, path);
	if (rc != 0) {
		fb_fail(ctx, rc);
		fprintf(stderr, "  state file:   %s (not changed)\n", path);
		return FB_EXIT_FAIL;
	}
	return FB_EXIT_OK;
}

/* Writes the state file; prints the error on failure. */
static int state_save(fb_ctx *ctx)
{
	int rc = fake_processor_save(ctx->p, ctx->state_path, FAKE_JSON_PRETTY);
	if (rc != 0)
		return fb_fail(ctx, rc);
	return FB_EXIT_OK;
}

static int run(const command *cmd, int argc, char **argv)
{
	char name[64];
	if (cmd->name)
		snprintf(name, sizeof(name), "%s %s", cmd->group, cmd->name);
	else
		snprintf(name, sizeof(name), "%s", cmd->group);

	char *buf = NULL;
	size_t len = 0;
	fb_ctx ctx = { name, open_memstream(&buf, &len), NULL, NULL, false, false };
	if (!ctx.out) {
		fprintf(stderr, "fakebill: out of memory\n");
		return FB_EXIT_FAIL;
	}
	int status = cmd->fn(&ctx, argc, argv);
	bool save = ctx.p && status != FB_EXIT_USAGE && (ctx.dirty || (ctx.fresh && status == FB_EXIT_OK));
	bool save_failed = save && state_save(&ctx) != FB_EXIT_OK;
	if (save_failed)
		status = FB_EXIT_FAIL;
	if (fclose(ctx.out) != 0) {
		fprintf(stderr, "fakebill: out of memory\n");
		status = FB_EXIT_FAIL;
	} else if (!save_failed) {
		/* What the command printed happened only if it was saved. */
		fwrite(buf, 1, len, stdout);
	}
	free(buf);
	fake_processor_free(ctx.p);
	if (fflush(stdout) != 0 && status == FB_EXIT_OK)
		status = FB_EXIT_FAIL;
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("fakebill: missing command\nTry 'fakebill --help' for more information.\n", stderr);
		return FB_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		usage(stdout);
		return FB_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("fakebill %s\n", FAKE_VERSION_STRING);
		return FB_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "fakebill: unknown option '%s'\nTry 'fakebill --help' for more information.\n", argv[1]);
		return FB_EXIT_USAGE;
	}
	int consumed = 0, status = FB_EXIT_OK;
	const command *cmd = find_command(argc, argv, &consumed, &status);
	if (!cmd)
		return status;
	/* The command sees its own name as argv[0], as getopt_long() expects. */
	return run(cmd, argc - consumed, argv + consumed);
}
