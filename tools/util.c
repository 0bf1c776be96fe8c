/*
 * fakebill's helpers that are not about one command: option errors, the
 * paging options, the time and duration grammar, aligned tables, amounts,
 * the error record and JSON output.
 */
#include "fakebill.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DAY INT64_C(86400)

/* ---- option parsing ----------------------------------------------------- */

void fb_getopt_begin(void)
{
	/* getopt keeps its position in globals (it is the one piece of global
	 * state the tool has, and it is libc's). 0 makes glibc start over,
	 * and opterr 0 leaves the messages to fb_bad_option(). */
	optind = 0;
	opterr = 0;
}

static void help_hint(const fb_ctx *ctx)
{
	fprintf(stderr, "Try 'fakebill %s --help' for more information.\n", ctx->name);
}

int fb_usage_error(const fb_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "fakebill %s: ", ctx->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	help_hint(ctx);
	return FB_EXIT_USAGE;
}

int fb_bad_option(const fb_ctx *ctx, char **argv, int opt)
{
	/* getopt_long() has moved past the element at fault, and set optopt
	 * to the option's value when it was known but misused. */
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	if (opt == ':')
		return fb_usage_error(ctx, "option '%s' needs a value", arg);
	if (strncmp(arg, "--", 2) != 0)
		return fb_usage_error(ctx, "unknown option '-%c'", optopt);
	if (optopt)
		return fb_usage_error(ctx, "option '%.*s' takes no value", (int)strcspn(arg, "="), arg);
	return fb_usage_error(ctx, "unknown option '%s'", arg);
}

int fb_help(fb_ctx *ctx, const char *text)
{
	fputs(text, ctx->out);
	return FB_EXIT_OK;
}

int fb_no_arguments(const fb_ctx *ctx, int argc, char **argv)
{
	if (optind < argc)
		return fb_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	return FB_EXIT_OK;
}

int fb_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return -1;
	int64_t v = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		int d = *c - '0';
		if (v > (INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

bool fb_page_option(const fb_ctx *ctx, fb_page_opts *po, int opt, const char *arg, int *status)
{
	int64_t n;
	*status = FB_EXIT_OK;
	switch (opt) {
	case FB_OPT_LIMIT:
		if (fb_parse_int(arg, 1, FAKE_LIST_LIMIT_MAX, &n) != 0)
			*status = fb_usage_error(ctx, "invalid --limit: '%s' (use a number from 1 to %d)", arg,
						 FAKE_LIST_LIMIT_MAX);
		else
			po->page.limit = (int)n;
		return true;
	case FB_OPT_STARTING_AFTER: po->page.starting_after = arg; return true;
	case FB_OPT_ENDING_BEFORE: po->page.ending_before = arg; return true;
	case FB_OPT_JSON: po->json = true; return true;
	default: return false;
	}
}

/* ---- durations ---------------------------------------------------------- */

int fb_parse_duration(const char *s, int64_t *out)
{
	/* ^[0-9]+[smhd]$, nothing else: no sign, space, fraction, upper case
	 * unit or compound ("1h30m"), as the reference's cleanup task. */
	if (!s)
		return -1;
	size_t len = strlen(s);
	if (len < 2)
		return -1;
	int64_t unit;
	switch (s[len - 1]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = DAY; break;
	default: return -1;
	}
	int64_t n = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		int d = s[i] - '0';
		if (n > (INT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	if (n > INT64_MAX / unit)
		return -1;
	*out = n * unit;
	return 0;
}

int fb_bad_duration(const char *opt, const char *s)
{
	/* The reference's exact words, and no --help hint after them. */
	fprintf(stderr, "Invalid %s: %s. Use N[smhd], e.g. 30m, 1h, 24h, 7d.\n", opt, s);
	return FB_EXIT_USAGE;
}

const char *fb_format_duration(int64_t seconds, char buf[32])
{
	if (seconds % DAY == 0)
		snprintf(buf, 32, "%" PRId64 "d", seconds / DAY);
	else if (seconds % 3600 == 0)
		snprintf(buf, 32, "%" PRId64 "h", seconds / 3600);
	else if (seconds % 60 == 0)
		snprintf(buf, 32, "%" PRId64 "m", seconds / 60);
	else
		snprintf(buf, 32, "%" PRId64 "s", seconds);
	return buf;
}

/* ---- calendar ----------------------------------------------------------- */

/* Howard Hinnant's days_from_civil and civil_from_days: exact for the
 * proleptic Gregorian calendar, with no dependence on the C library's
 * time zone machinery. */
int64_t fb_days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void fb_civil_from_days(int64_t z, int64_t *y, unsigned int *m, unsigned int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static unsigned int days_in_month(int64_t y, unsigned int m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads exactly @p n digits at @p s. */
static bool digits(const char *s, size_t n, unsigned int *out)
{
	unsigned int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	*out = v;
	return true;
}

int fb_parse_time(const char *s, int64_t *out)
{
	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s))
		return fb_parse_int(s, 0, FAKE_TIME_MAX, out);

	size_t len = strlen(s);
	unsigned int y, mo, d, h = 0, mi = 0, se = 0;
	if (len != 10 && len != 20)
		return -1;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
		return -1;
	if (len == 20 && (s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
			  s[16] != ':' || !digits(s + 17, 2, &se) || s[19] != 'Z'))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59)
		return -1;
	*out = fb_days_from_civil(y, mo, d) * DAY + h * 3600 + mi * 60 + se;
	return 0;
}

int fb_bad_time(const fb_ctx *ctx, const char *opt, const char *s)
{
	return fb_usage_error(ctx,
			      "invalid %s: '%s' (use unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, "
			      "from 1970 to 9999)",
			      opt, s);
}

const char *fb_iso(int64_t t, char buf[32])
{
	int64_t days = t / DAY, secs = t % DAY;
	if (secs < 0) {
		secs += DAY;
		days--;
	}
	int64_t y;
	unsigned int m, d;
	fb_civil_from_days(days, &y, &m, &d);
	snprintf(buf, 32, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02uZ", y, m, d, (unsigned int)(secs / 3600),
		 (unsigned int)(secs / 60 % 60), (unsigned int)(secs % 60));
	return buf;
}

/* ---- tables ------------------------------------------------------------- */

void fb_table_init(fb_table *t, size_t ncols, const char *align, const char *const *header)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->align = align;
	fb_table_add(t, header);
}

void fb_table_add(fb_table *t, const char *const *cells)
{
	if (t->oom)
		return;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **grown = realloc(t->cells, cap * t->ncols * sizeof(*grown));
		if (!grown) {
			t->oom = true;
			return;
		}
		t->cells = grown;
		t->cap = cap;
	}
	char **row = t->cells + t->nrows * t->ncols;
	for (size_t c = 0; c < t->ncols; c++) {
		row[c] = strdup(cells[c] ? cells[c] : "-");
		if (!row[c]) {
			for (size_t k = 0; k < c; k++)
				free(row[k]);
			t->oom = true;
			return;
		}
	}
	t->nrows++;
}

int fb_table_print(const fb_table *t, FILE *out)
{
	if (t->oom) {
		fprintf(stderr, "fakebill: out of memory\n");
		return FB_EXIT_FAIL;
	}
	size_t width[FB_TABLE_COLS_MAX] = { 0 };
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t w = strlen(t->cells[r * t->ncols + c]);
			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			bool last = c + 1 == t->ncols;
			if (c > 0)
				fputs("  ", out);
			if (t->align[c] == 'r')
				fprintf(out, "%*s", (int)width[c], cell);
			else if (last)
				fputs(cell, out); /* no trailing spaces */
			else
				fprintf(out, "%-*s", (int)width[c], cell);
		}
		fputc('\n', out);
	}
	return FB_EXIT_OK;
}

void fb_table_free(fb_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

const char *fb_amount(int64_t amount, const char *currency, char buf[48])
{
	char cur[8] = "";
	for (size_t i = 0; currency && currency[i] && i + 1 < sizeof(cur); i++)
		cur[i] = (char)(currency[i] >= 'a' && currency[i] <= 'z' ? currency[i] - 'a' + 'A' : currency[i]);
	uint64_t abs = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
	snprintf(buf, 48, "%s%" PRIu64 ".%02" PRIu64 "%s%s", amount < 0 ? "-" : "", abs / 100, abs % 100,
		 cur[0] ? " " : "", cur);
	return buf;
}

/* ---- errors and JSON ---------------------------------------------------- */

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

int fb_fail(const fb_ctx *ctx, int status)
{
	const fake_error *e = ctx->p ? fake_error_last(ctx->p) : NULL;
	bool recorded = e && e->status != 0;
	fprintf(stderr, "fakebill %s: %s\n", ctx->name, recorded ? e->message : fake_strerror(status));
	if (recorded) {
		fprintf(stderr, "  type:         %s\n", or_dash(e->type));
		fprintf(stderr, "  code:         %s\n", or_dash(e->code));
		if (e->decline_code[0])
			fprintf(stderr, "  decline_code: %s\n", e->decline_code);
		fprintf(stderr, "  param:        %s\n", or_dash(e->param));
	}
	fprintf(stderr, "  status:       %s\n", fake_status_name(status));
	return FB_EXIT_FAIL;
}

static int print_json(fb_ctx *ctx, int rc, char *json)
{
	if (rc != 0)
		return fb_fail(ctx, rc);
	fputs(json, ctx->out);
	fake_json_free(ctx->p, json);
	return FB_EXIT_OK;
}

int fb_print_json_object(fb_ctx *ctx, const void *object)
{
	char *json = NULL;
	int rc = fake_json_object(&json, ctx->p, object, FAKE_JSON_PRETTY);
	return print_json(ctx, rc, json);
}

int fb_print_json_list(fb_ctx *ctx, const fake_list *page, const char *url)
{
	char *json = NULL;
	int rc = fake_json_list(&json, ctx->p, page, url, FAKE_JSON_PRETTY);
	return print_json(ctx, rc, json);
}

void fb_print_more(fb_ctx *ctx, const fake_list *page, const fake_list_params *asked)
{
	if (!page->has_more || page->count == 0)
		return;
	if (asked->ending_before)
		fprintf(ctx->out, "More: --ending-before %s\n", fake_object_id(page->data[0]));
	else
		fprintf(ctx->out, "More: --starting-after %s\n", fake_object_id(page->data[page->count - 1]));
}
