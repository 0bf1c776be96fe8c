/*
 * Proves that a per-test owner (fake_test_clock_owner), set up and torn
 * down by a cmocka fixture, deletes every clock its test created even when
 * the test FAILS, as LatticeStripe's Owner does for a crashing test
 * (reference §2.4).
 *
 * One group shares a processor (the group fixture). Each test's setup makes
 * an owner and its teardown ends it with fake_test_clock_owner_cleanup():
 *   1. test_owner_fixture_fails_after_creating_clocks creates three clocks
 *      (a customer with a card on the second) and then fails on purpose;
 *   2. test_owner_fixture_passes creates two clocks and passes;
 *   3. test_owner_fixture_fails_in_a_helper creates a clock, registers one
 *      made without the owner, and fails inside a helper it calls.
 * The group teardown checks that every clock is deleted, in creation order
 * (the order of the test_helpers.test_clock.deleted events), that the
 * customer went with its clock, that each teardown ran once and no delete
 * failed; then it prints "# owner fixture verified: ..." and frees the
 * processor. main returns cmocka's count of failed tests.
 *
 * The tests fail on purpose, so this program is not a test by itself:
 * clock_owner_fixture.sh runs it and reports, as TAP, that exactly tests 1
 * and 3 were reported as failed, test 2 passed, and the verification line
 * was printed.
 */
#include "helpers.h"

#define CLOCKS_MAX 16

/* The state the tests share (test code: the library itself keeps none). */
typedef struct world {
	fake_processor *p;
	char created[CLOCKS_MAX][FAKE_ID_MAX + 1]; /* in creation order */
	size_t created_count;
	char deleted[CLOCKS_MAX][FAKE_ID_MAX + 1]; /* in the order of their .deleted events */
	size_t deleted_count;
	char customer[FAKE_ID_MAX + 1];
	size_t teardowns;
	size_t cleanup_failures;
} world;

static world w;

static void record(char (*ids)[FAKE_ID_MAX + 1], size_t *count, const char *id)
{
	if (*count < CLOCKS_MAX)
		snprintf(ids[*count], FAKE_ID_MAX + 1, "%s", id);
	(*count)++;
}

static void on_event(fake_processor *p, const fake_event *e, void *user_data)
{
	(void)p;
	(void)user_data;
	if (strcmp(fake_event_type(e), "test_helpers.test_clock.deleted") == 0)
		record(w.deleted, &w.deleted_count, fake_object_id(fake_event_object(e)));
}

static int group_setup(void **state)
{
	(void)state;
	memset(&w, 0, sizeof w);
	if (fake_processor_new(&w.p, NULL) != 0)
		return -1;
	return fake_event_subscribe(w.p, on_event, NULL) == 0 ? 0 : -1;
}

/* The per-test fixture: an owner for the test's clocks. */
static int owner_setup(void **state)
{
	fake_test_clock_owner *owner = NULL;
	if (fake_test_clock_owner_new(&owner, w.p) != 0)
		return -1;
	*state = owner;
	return 0;
}

static int owner_teardown(void **state)
{
	w.cleanup_failures += fake_test_clock_owner_cleanup(*state);
	w.teardowns++;
	*state = NULL;
	return 0;
}

/* A clock made through the test's owner. */
static const fake_test_clock *owned_clock(void **state, const char *name)
{
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = fake_clock_now(w.p);
	cp.name = name;
	const fake_test_clock *c = NULL;
	check_ok(w.p, fake_test_clock_owner_create(&c, *state, &cp));
	record(w.created, &w.created_count, fake_test_clock_id(c));
	return c;
}

static void test_owner_fixture_fails_after_creating_clocks(void **state)
{
	owned_clock(state, "first");
	const fake_test_clock *c = owned_clock(state, "second");
	owned_clock(state, "third");
	fake_customer_create_params cc = FAKE_CUSTOMER_CREATE_PARAMS_INIT;
	cc.payment_method = "pm_card_visa";
	cc.test_clock = fake_test_clock_id(c);
	const fake_customer *cus = NULL;
	check_ok(w.p, fake_customer_create(&cus, w.p, &cc, NULL));
	snprintf(w.customer, sizeof w.customer, "%s", fake_customer_id(cus));
	assert_int_equal(fake_test_clock_owner_count(*state), 3);
	fail_msg("failing on purpose after creating %zu clocks", fake_test_clock_owner_count(*state));
}

static void test_owner_fixture_passes(void **state)
{
	owned_clock(state, "fourth");
	owned_clock(state, "fifth");
	assert_int_equal(fake_test_clock_owner_count(*state), 2);
}

static void helper_that_fails(void)
{
	assert_int_equal(1, 2); /* on purpose */
}

static void test_owner_fixture_fails_in_a_helper(void **state)
{
	owned_clock(state, "sixth");
	fake_test_clock_create_params cp = FAKE_TEST_CLOCK_CREATE_PARAMS_INIT;
	cp.frozen_time = fake_clock_now(w.p);
	const fake_test_clock *c = NULL;
	check_ok(w.p, fake_test_clock_create(&c, w.p, &cp, NULL));
	record(w.created, &w.created_count, fake_test_clock_id(c));
	check_ok(w.p, fake_test_clock_owner_register(*state, fake_test_clock_id(c)));
	helper_that_fails();
	owned_clock(state, "never made");
}

static int group_teardown(void **state)
{
	(void)state;
	bool ok = true;
#define EXPECT(cond, ...)                                  \
	do {                                               \
		if (!(cond)) {                             \
			printf("# owner fixture: ");       \
			printf(__VA_ARGS__);               \
			printf("\n");                      \
			ok = false;                        \
		}                                          \
	} while (0)
	EXPECT(w.teardowns == 3, "%zu teardowns ran, not 3", w.teardowns);
	EXPECT(w.cleanup_failures == 0, "%zu deletes failed", w.cleanup_failures);
	EXPECT(w.created_count == 7, "%zu clocks were created, not 7", w.created_count);
	EXPECT(w.deleted_count == w.created_count, "%zu clocks deleted of %zu", w.deleted_count, w.created_count);
	for (size_t i = 0; i < w.created_count && i < w.deleted_count && i < CLOCKS_MAX; i++)
		EXPECT(strcmp(w.created[i], w.deleted[i]) == 0, "delete %zu was %s, expected %s (creation order)", i + 1,
		       w.deleted[i], w.created[i]);
	for (size_t i = 0; i < w.created_count && i < CLOCKS_MAX; i++) {
		const fake_test_clock *c = NULL;
		EXPECT(fake_test_clock_retrieve(&c, w.p, w.created[i], NULL) == FAKE_ENOTFOUND, "%s is still there",
		       w.created[i]);
	}
	fake_list page;
	EXPECT(fake_test_clock_list(&page, w.p, NULL, NULL) == 0 && page.count == 0, "clocks are still listed");
	const fake_customer *cus = NULL;
	EXPECT(fake_customer_retrieve(&cus, w.p, w.customer, NULL) == 0 && fake_customer_deleted(cus),
	       "the customer on a clock was not deleted");
	if (ok)
		printf("# owner fixture verified: %zu clocks deleted in creation order by %zu teardowns\n",
		       w.deleted_count, w.teardowns);
	fflush(stdout);
	fake_processor_free(w.p);
	w.p = NULL;
	return ok ? 0 : -1;
#undef EXPECT
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_owner_fixture_fails_after_creating_clocks, owner_setup,
						owner_teardown),
		cmocka_unit_test_setup_teardown(test_owner_fixture_passes, owner_setup, owner_teardown),
		cmocka_unit_test_setup_teardown(test_owner_fixture_fails_in_a_helper, owner_setup, owner_teardown),
	};
	return cmocka_run_group_tests_name("owner_fixture", tests, group_setup, group_teardown);
}
