/*
 * The processor instance: options, creation, reset and destruction. All
 * state lives in struct fake_processor (private.h); there is no global or
 * static mutable state anywhere in libfake.
 */
#include "private.h"

#include <stdlib.h>

#define BLOCK_SIZE_DEFAULT ((size_t)64 * 1024)
#define BLOCK_SIZE_MIN ((size_t)256)

static void *libc_malloc(size_t size, void *ctx)
{
	(void)ctx;
	return malloc(size);
}

static void *libc_realloc(void *ptr, size_t size, void *ctx)
{
	(void)ctx;
	return realloc(ptr, size);
}

static void libc_free(void *ptr, void *ctx)
{
	(void)ctx;
	free(ptr);
}

static int check_billing(const fake_billing_options *b)
{
	if (b->retry_count > FAKE_RETRIES_MAX || (unsigned int)b->exhausted_subscription > FAKE_DUNNING_PAST_DUE ||
	    (unsigned int)b->exhausted_invoice > FAKE_DUNNING_UNCOLLECTIBLE || b->finalize_delay < 0 ||
	    b->finalize_delay > 72 * 3600 || b->upcoming_days > FAKE_UPCOMING_DAYS_MAX)
		return FAKE_EINVAL;
	for (unsigned int i = 0; i < b->retry_count; i++)
		if (b->retry_days[i] < 1 || b->retry_days[i] > 60 || (i && b->retry_days[i] <= b->retry_days[i - 1]))
			return FAKE_EINVAL;
	return 0;
}

int fake__options_check(const fake_processor_options *o)
{
	const fake_allocator *a = &o->allocator;
	bool none = !a->malloc && !a->realloc && !a->free && !a->calloc;
	bool all = a->malloc && a->realloc && a->free;
	if (o->version != FAKE_PROCESSOR_OPTIONS_VERSION || o->epoch < 0 ||
	    o->epoch > FAKE_TIME_MAX || o->id_width < 1 || o->id_width > FAKE_ID_WIDTH_MAX ||
	    (o->block_size && o->block_size < BLOCK_SIZE_MIN) || !(none || all) || check_billing(&o->billing) ||
	    o->test_clocks.max_clocks < 1 || o->test_clocks.max_clocks > FAKE_TEST_CLOCKS_MAX ||
	    o->test_clocks.ready_after_retrievals > 1000)
		return FAKE_EINVAL;
	return 0;
}

/* Everything reset returns to its initial value; tables keep their memory. */
static void initial_state(fake_processor *p, bool preserve_connect)
{
	(void)preserve_connect; /* Connect accounts arrive with the Connect issue. */
	fake__store_clear(p);
	fake__arena_reset(p);
	fake__timeline_clear(p);
	fake__events_clear(p);
	fake__scripts_clear(p);
	p->requests = 0;
	p->request_id[0] = '\0';
	p->depth = 0;
	p->prng = p->options.seed;
	memset(p->errors, 0, sizeof(p->errors));
	p->error = &p->errors[0];
}

int fake_processor_new(fake_processor **out, const fake_processor_options *options)
{
	static const fake_processor_options defaults = FAKE_PROCESSOR_OPTIONS_INIT;
	if (!out)
		return FAKE_EINVAL;
	*out = NULL;
	if (!options)
		options = &defaults;
	if (fake__options_check(options))
		return FAKE_EINVAL;

	fake_allocator alloc = options->allocator;
	if (!alloc.malloc) {
		alloc.malloc = libc_malloc;
		alloc.realloc = libc_realloc;
		alloc.free = libc_free;
	}
	fake_processor *p = alloc.calloc ? alloc.calloc(1, sizeof(*p), alloc.ctx) : alloc.malloc(sizeof(*p), alloc.ctx);
	if (!p)
		return FAKE_ENOMEM;
	memset(p, 0, sizeof(*p));
	p->options = *options;
	p->alloc = alloc;
	p->arena.block_size = options->block_size ? options->block_size : BLOCK_SIZE_DEFAULT;
	initial_state(p, false);
	*out = p;
	return 0;
}

void fake_processor_free(fake_processor *p)
{
	if (!p)
		return;
	fake__store_free(p);
	fake__arena_free(p);
	fake__timeline_free(p);
	fake__events_free(p);
	fake__scripts_free(p);
	fake_allocator alloc = p->alloc;
	alloc.free(p, alloc.ctx);
}

static int reset(fake_processor *p, bool preserve_connect)
{
	if (!p)
		return FAKE_EINVAL;
	if (p->depth || p->delivering)
		return fake__error_set(p, FAKE_ESTATE, "", "",
				       "The processor cannot be reset from inside a subscriber, stub or clock callback.");
	initial_state(p, preserve_connect);
	return 0;
}

int fake_processor_reset(fake_processor *p)
{
	return reset(p, false);
}

int fake_processor_reset_preserve_connect(fake_processor *p)
{
	return reset(p, true);
}

const fake_processor_options *fake_processor_options_get(const fake_processor *p)
{
	return p ? &p->options : NULL;
}

uint64_t fake_processor_random(fake_processor *p)
{
	if (!p)
		return 0;
	/* splitmix64 */
	uint64_t z = (p->prng += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}
