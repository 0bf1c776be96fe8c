/*
 * libFuzzer target for the snapshot loader (docs/reliability.md).
 *
 * Each input is loaded into a new processor. Whatever the bytes, the load
 * must return a status and never crash, leak or trip a sanitizer; an input
 * that loads must save, load again and save to the same bytes, and the
 * loaded state must then bear a year of billing with failing webhook
 * deliveries, upcoming-invoice previews and its JSON, and still
 * round-trip. A broken
 * promise aborts, which is how a fuzz target reports a finding.
 *
 * Random bytes rarely stay JSON, so most inputs would stop at the parser.
 * A custom mutator (libFuzzer builds only) therefore also edits inputs as
 * JSON: it changes one value of the document (a number to an edge, a
 * string to another id, a flag, a member or element removed or repeated)
 * and writes it back, so that inputs reach every check of the loader and,
 * when they pass, the billing code that runs on what was loaded.
 *
 * Built only with -Dfuzz=true and clang (fuzz/meson.build). Without
 * libFuzzer, replay.c runs the same function over files, so the corpus is
 * checked by the ordinary test suite too.
 */
#include <fake/fake.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef FUZZ_MUTATOR
#include <jansson.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static uint64_t next(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Counts the values of the tree, or, with *target set, finds value number
 * *target and changes it (or its container: a member or element). */
static void walk(json_t *v, json_t *parent, const char *key, size_t index, size_t *n, size_t target,
		 uint64_t *rng)
{
	static const char *const strings[] = { "", "cus_fake_00001", "sub_fake_00001", "price_fake_00001",
					       "in_fake_00001", "evt_fake_00001", "pm_fake_00001", "we_fake_00001",
					       "active", "past_due", "open", "month", "x" };
	static const json_int_t ints[] = { 0, -1, 1, 2, 3, 1000, 253402300799, INT64_MAX, INT64_MIN };
	if ((*n)++ == target && parent) {
		json_t *with = NULL;
		switch (next(rng) % 5) {
		case 0:
			/* one up or down, wrapping (in unsigned arithmetic) at the ends */
			with = json_integer(json_is_integer(v) ? (json_int_t)((uint64_t)json_integer_value(v) +
									     next(rng) % 3 - 1)
							       : ints[next(rng) % (sizeof(ints) / sizeof(ints[0]))]);
			break;
		case 1:
			with = json_integer(ints[next(rng) % (sizeof(ints) / sizeof(ints[0]))]);
			break;
		case 2:
			with = json_string(strings[next(rng) % (sizeof(strings) / sizeof(strings[0]))]);
			break;
		case 3:
			with = json_is_boolean(v) ? json_boolean(!json_is_true(v)) : json_null();
			break;
		default:
			if (json_is_object(parent))
				json_object_del(parent, key);
			else
				json_array_insert(parent, index, v); /* repeat it */
			return;
		}
		if (json_is_object(parent))
			json_object_set_new(parent, key, with);
		else
			json_array_set_new(parent, index, with);
		return;
	}
	if (json_is_object(v)) {
		const char *k;
		json_t *m;
		void *tmp;
		json_object_foreach_safe(v, tmp, k, m)
		{
			walk(m, v, k, 0, n, target, rng);
			if (*n > target)
				return;
		}
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			walk(json_array_get(v, i), v, NULL, i, n, target, rng);
			if (*n > target)
				return;
		}
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t rng = (uint64_t)seed * 2654435761u + 1;
	json_t *doc = next(&rng) % 4 ? json_loadb((const char *)data, size, 0, NULL) : NULL;
	if (!doc)
		return LLVMFuzzerMutate(data, size, max_size);
	size_t count = 0;
	walk(doc, NULL, NULL, 0, &count, SIZE_MAX, &rng);
	size_t n = 0;
	walk(doc, NULL, NULL, 0, &n, 1 + next(&rng) % (count - 1 ? count - 1 : 1), &rng);
	size_t len = json_dumpb(doc, (char *)data, max_size, JSON_COMPACT);
	json_decref(doc);
	return len <= max_size ? len : LLVMFuzzerMutate(data, size, max_size);
}
#endif

static int refuse(fake_processor *p, const fake_webhook_delivery *d, void *user_data)
{
	(void)p;
	(void)d;
	(void)user_data;
	return 1; /* every delivery fails: retries run */
}

/* Saves p, loads the save into a new processor, saves that: the two saves
 * must be the same bytes. */
static void round_trip(fake_processor *p)
{
	char *first = NULL, *second = NULL;
	fake_processor *q = NULL;
	if (fake_processor_save_string(&first, p, 0) != 0 || fake_processor_new(&q, NULL) != 0 ||
	    fake_processor_load_string(q, first, strlen(first)) != 0 ||
	    fake_processor_save_string(&second, q, 0) != 0 || strcmp(first, second) != 0)
		abort(); /* a loaded state must round-trip exactly */
	fake_json_free(p, first);
	fake_json_free(q, second);
	fake_processor_free(q);
}

/* Runs what a loaded state meets next: handlers on its endpoints (the
 * first 100), a year of billing with webhook retries, the upcoming
 * invoice of each subscription (the first 100), every event as JSON; then
 * the state must still round-trip. */
static void exercise(fake_processor *p)
{
	fake_list page;
	fake_webhook_endpoint_list_params wl = FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_INIT;
	wl.page.limit = 100;
	if (fake_webhook_endpoint_list(&page, p, &wl, NULL) == 0)
		for (size_t i = 0; i < page.count; i++)
			fake_webhook_endpoint_set_handler(p, fake_object_id(page.data[i]), refuse, NULL);
	/* Each test clock's loaded timeline runs: a retrieval completes an
	 * advance in progress, then an advance of a month (or a day, when a
	 * month is too far for it); before the processor clock's 400 days
	 * delete every clock. */
	fake_test_clock_list_params tl = FAKE_TEST_CLOCK_LIST_PARAMS_INIT;
	tl.page.limit = 100;
	if (fake_test_clock_list(&page, p, &tl, NULL) == 0) {
		for (size_t i = 0; i < page.count; i++) {
			const char *id = fake_object_id(page.data[i]);
			const fake_test_clock *c = NULL;
			for (int k = 0; k < 3 && fake_test_clock_retrieve(&c, p, id, NULL) == 0 &&
					fake_test_clock_status_of(c) == FAKE_TEST_CLOCK_ADVANCING;
			     k++)
				;
			if (!c || fake_test_clock_status_of(c) != FAKE_TEST_CLOCK_READY)
				continue;
			int64_t t = fake_test_clock_frozen_time(c);
			const fake_test_clock *ready = NULL;
			if (fake_test_clock_advance_and_wait(&ready, p, id, t + 30 * INT64_C(86400), NULL, NULL) == FAKE_EINVAL)
				fake_test_clock_advance_and_wait(&ready, p, id, t + INT64_C(86400), NULL, NULL);
		}
	}
	fake_clock_advance(p, 400 * INT64_C(86400));
	fake_subscription_list_params sl = FAKE_SUBSCRIPTION_LIST_PARAMS_INIT;
	sl.page.limit = 100;
	if (fake_subscription_list(&page, p, &sl, NULL) == 0) {
		for (size_t i = 0; i < page.count; i++) {
			const fake_invoice *preview = NULL;
			fake_invoice_upcoming(&preview, p, fake_object_id(page.data[i]), NULL);
		}
	}
	int width = (int)fake_processor_options_get(p)->id_width;
	for (size_t i = 1; i <= fake_event_count(p); i++) {
		char id[64];
		const fake_event *e = NULL;
		char *json = NULL;
		snprintf(id, sizeof(id), "evt_fake_%0*zu", width, i);
		if (fake_event_retrieve(&e, p, id, NULL) != 0)
			abort(); /* every event in the log can be retrieved */
		if (fake_json_object(&json, p, e, 0) == 0)
			fake_json_free(p, json);
	}
	round_trip(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fake_processor *p = NULL;
	if (fake_processor_new(&p, NULL))
		return 0;
	if (fake_processor_load_string(p, (const char *)data, size) == 0) {
		round_trip(p);
		exercise(p);
	}
	fake_processor_free(p);
	return 0;
}
