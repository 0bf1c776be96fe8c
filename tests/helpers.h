/*
 * Shared helpers for libfake's cmocka tests: assertions that print the
 * processor's last error on failure, a fresh-processor fixture, and an
 * allocator that counts allocations and can fail the Nth one.
 */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fake/fake.h>

/* Fails the test, printing the processor's error record, unless expr == 0. */
#define check_ok(p, expr)                                                                     \
	do {                                                                                  \
		int check_rc_ = (expr);                                                       \
		if (check_rc_ != 0) {                                                         \
			const fake_error *check_e_ = fake_error_last(p);                      \
			print_error("%s returned %s: %s (type=%s code=%s param=%s)\n", #expr, \
				    fake_status_name(check_rc_), check_e_ ? check_e_->message : "", \
				    check_e_ ? check_e_->type : "", check_e_ ? check_e_->code : "", \
				    check_e_ ? check_e_->param : "");                         \
			fail();                                                               \
		}                                                                             \
	} while (0)

/* Asserts expr fails with status st, and the error record carries Stripe code `code`
 * (NULL: not checked; "" : no code) and param `param` (NULL: not checked). */
#define check_fails(p, expr, st, code_, param_)                                               \
	do {                                                                                  \
		int check_rc_ = (expr);                                                       \
		const fake_error *check_e_ = fake_error_last(p);                              \
		if (check_rc_ != (st)) {                                                      \
			print_error("%s returned %s, expected %s (%s)\n", #expr,              \
				    fake_status_name(check_rc_), fake_status_name(st),        \
				    check_e_ ? check_e_->message : "");                       \
			fail();                                                               \
		}                                                                             \
		assert_int_equal(check_e_->status, (st));                                     \
		assert_true(check_e_->message[0] != '\0');                                    \
		if ((const char *)(code_) != NULL)                                            \
			assert_string_equal(check_e_->code, (const char *)(code_));           \
		if ((const char *)(param_) != NULL)                                           \
			assert_string_equal(check_e_->param, (const char *)(param_));         \
	} while (0)

/* A growable text buffer for fingerprints and transcripts (aborts the test
 * when it cannot grow). */
typedef struct text {
	char *s;
	size_t len;
	size_t cap;
} text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void text_add(text *t, const char *fmt, ...)
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

static inline void text_free(text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* cmocka fixtures: *state is a fresh processor with default options. */
static inline int fixture_new(void **state)
{
	fake_processor *p = NULL;
	if (fake_processor_new(&p, NULL) != 0)
		return -1;
	*state = p;
	return 0;
}

static inline int fixture_free(void **state)
{
	fake_processor_free((fake_processor *)*state);
	*state = NULL;
	return 0;
}

/* An allocator that counts calls and fails call number fail_at (1-based; 0: never). */
typedef struct test_alloc {
	unsigned long calls;
	unsigned long fail_at;
	unsigned long live; /* blocks currently allocated */
} test_alloc;

static inline void *test_alloc_malloc(size_t size, void *ctx)
{
	test_alloc *a = (test_alloc *)ctx;
	if (a->fail_at && ++a->calls == a->fail_at)
		return NULL;
	if (!a->fail_at)
		a->calls++;
	void *ptr = malloc(size);
	if (ptr)
		a->live++;
	return ptr;
}

static inline void *test_alloc_realloc(void *old, size_t size, void *ctx)
{
	test_alloc *a = (test_alloc *)ctx;
	if (a->fail_at && ++a->calls == a->fail_at)
		return NULL;
	if (!a->fail_at)
		a->calls++;
	void *ptr = realloc(old, size);
	if (ptr && !old)
		a->live++;
	return ptr;
}

static inline void test_alloc_free(void *ptr, void *ctx)
{
	test_alloc *a = (test_alloc *)ctx;
	if (ptr)
		a->live--;
	free(ptr);
}

/* Options whose allocator is `a`. */
static inline fake_processor_options test_alloc_options(test_alloc *a)
{
	fake_processor_options o = FAKE_PROCESSOR_OPTIONS_INIT;
	o.allocator.malloc = test_alloc_malloc;
	o.allocator.realloc = test_alloc_realloc;
	o.allocator.free = test_alloc_free;
	o.allocator.ctx = a;
	return o;
}

#endif
