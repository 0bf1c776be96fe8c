/*
 * Shared helpers of the JSON tests (test_json.c, test_expand.c): parsing
 * with jansson, reading values at dotted paths, and running Stripe's
 * schema check, shared/stripe-openapi/validate.py (path from VALIDATE_PY,
 * which tests/meson.build passes), with /usr/bin/python3.
 */
#ifndef TEST_JSON_HELPERS_H
#define TEST_JSON_HELPERS_H

#include "helpers.h"

#include <time.h>

#include <jansson.h>

#ifndef VALIDATE_PY
#error "tests/meson.build passes -DVALIDATE_PY=\"<path of validate.py>\""
#endif

static inline void write_file(const char *path, const text *t)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(t->s ? t->s : "", 1, t->len, f), t->len);
	assert_int_equal(fclose(f), 0);
}

/* Parses a document (duplicate keys are an error); fails the test if it is not JSON. */
static inline json_t *parse(const char *s)
{
	json_error_t err;
	json_t *v = json_loads(s, JSON_REJECT_DUPLICATES, &err);
	if (!v) {
		print_error("not JSON (%s at %d): %s\n", err.text, err.position, s);
		fail();
	}
	return v;
}

/* The value at a dotted path (numbers index arrays), or NULL. Borrowed. */
static inline json_t *at(json_t *v, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *part = strtok(buf, "."); part && v; part = strtok(NULL, "."))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(part)) : json_object_get(v, part);
	return v;
}

/* Asserts that the value at a dotted path is the string want, or null for NULL. */
static inline void check_str(json_t *root, const char *path, const char *want)
{
	json_t *v = at(root, path);
	if (!v) {
		print_error("%s: missing\n", path);
		fail();
	}
	if (!want) {
		if (!json_is_null(v)) {
			print_error("%s: expected null\n", path);
			fail();
		}
		return;
	}
	if (!json_is_string(v)) {
		print_error("%s: expected the string \"%s\"\n", path, want);
		fail();
	}
	assert_string_equal(json_string_value(v), want);
}

static inline void check_int(json_t *root, const char *path, json_int_t want)
{
	json_t *v = at(root, path);
	if (!json_is_integer(v)) {
		print_error("%s: expected the integer %lld\n", path, (long long)want);
		fail();
	}
	assert_int_equal(json_integer_value(v), want);
}

static inline void check_absent(json_t *root, const char *path)
{
	if (at(root, path)) {
		print_error("%s: expected no such field\n", path);
		fail();
	}
}

static inline double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs validate.py with `args`; its output goes to a log file, shown on failure. */
static inline void validate(const char *args, const char *log, double *spent)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' %s >%s 2>&1", VALIDATE_PY, args, log);
	double t0 = seconds_now();
	int rc = system(cmd);
	*spent += seconds_now() - t0;
	if (rc != 0) {
		print_error("validate.py failed (status %d): %s\n", rc, cmd);
		FILE *f = fopen(log, "r");
		char line[1024];
		while (f && fgets(line, sizeof line, f))
			print_error("  %s", line);
		if (f)
			fclose(f);
		fail();
	}
}

/* Keys in the order libfake promises: in an object, "id" (when it has one:
 * an upcoming invoice has none) and "object" first, then the rest in
 * ascending order (elsewhere all of them); list envelopes as object, data,
 * has_more, url; metadata (and previous_attributes, which holds metadata
 * keys) in the order the keys were set. */
static inline void check_key_order(json_t *v, const char *where)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
			check_key_order(item, where);
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *object = json_object_get(v, "object");
	bool list = json_is_string(object) && strcmp(json_string_value(object), "list") == 0;
	const char *key;
	const char *prev = NULL;
	size_t i = 0;
	json_t *member;
	json_object_foreach(v, key, member) {
		if (list) {
			static const char *const envelope[] = { "object", "data", "has_more", "url" };
			assert_true(i < 4);
			assert_string_equal(key, envelope[i]);
		} else if (json_is_string(object) && json_object_get(v, "id") && i < 2) {
			assert_string_equal(key, i == 0 ? "id" : "object");
		} else if (json_is_string(object) && !json_object_get(v, "id") && i == 0) {
			assert_string_equal(key, "object");
		} else {
			if (prev && strcmp(prev, key) >= 0) {
				print_error("%s: key \"%s\" after \"%s\"\n", where, key, prev);
				fail();
			}
			prev = key;
		}
		if (strcmp(key, "metadata") != 0 && strcmp(key, "previous_attributes") != 0)
			check_key_order(member, where);
		i++;
	}
}

#endif
