/*
 * The allocator seam and the block arena.
 *
 * Every byte libfake allocates passes through fake__malloc/realloc/free,
 * which call the instance allocator, so a test can fail allocation N. The
 * arena carves objects from blocks of options.block_size bytes; a mark
 * records (block, used) and rolling back to it frees the blocks added
 * since. Blocks released by reset or rollback are kept on a spare list (up
 * to SPARE_MAX bytes) and reused, so a processor that is reset per test
 * carves its objects from memory it already touched.
 *
 * Large runs (a year of billing for thousands of subscriptions holds
 * hundreds of MiB) spend most of their time taking page faults on memory
 * touched for the first time. Past BIG_AFTER bytes in use, new blocks grow
 * with the arena (a quarter of what it holds, up to BIG_BLOCK: at most a
 * fifth of it is ever unused), and blocks of HUGE_MIN or more are advised
 * to the kernel for transparent huge pages (madvise): one fault per 2 MiB
 * instead of per 4 KiB (docs/performance.md). The advice changes no behaviour, only
 * speed, and is ignored where it does not apply (memory that is not
 * anonymous, kernels without THP).
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */

#include "private.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define SPARE_MAX ((size_t)8 * 1024 * 1024)
#define BIG_AFTER ((size_t)8 * 1024 * 1024)
#define BIG_BLOCK ((size_t)16 * 1024 * 1024)
#define HUGE_MIN ((size_t)4 * 1024 * 1024)
#define HUGE_PAGE ((uintptr_t)2 * 1024 * 1024)

void *fake__malloc(fake_processor *p, size_t size)
{
	return p->alloc.malloc(size, p->alloc.ctx);
}

void *fake__realloc(fake_processor *p, void *ptr, size_t size)
{
	return p->alloc.realloc(ptr, size, p->alloc.ctx);
}

void fake__free(fake_processor *p, void *ptr)
{
	if (ptr)
		p->alloc.free(ptr, p->alloc.ctx);
}

int fake__grow(fake_processor *p, void **items, size_t *cap, size_t need, size_t item)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / item)
			return fake__error_nomem(p);
		n *= 2;
	}
	void *grown = fake__realloc(p, *items, n * item);
	if (!grown)
		return fake__error_nomem(p);
	*items = grown;
	*cap = n;
	return 0;
}

/* Advises huge pages for the whole 2 MiB pages inside a new big block. */
static void advise_huge_pages(fake__block *b)
{
#ifdef MADV_HUGEPAGE
	if (b->size < HUGE_MIN)
		return;
	uintptr_t lo = ((uintptr_t)b->data + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)b->data + b->size) & ~(HUGE_PAGE - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)b;
#endif
}

static size_t align_up(size_t n)
{
	size_t a = sizeof(max_align_t);
	return (n + a - 1) / a * a;
}

void *fake__arena_alloc(fake_processor *p, size_t size)
{
	fake__arena *a = &p->arena;
	size = align_up(size ? size : 1);
	fake__block *b = a->head;
	if (!b || b->size - b->used < size) {
		if (a->spare && size <= a->block_size) {
			b = a->spare;
			a->spare = b->prev;
			a->spare_bytes -= b->size;
		} else {
			size_t usable = size > a->block_size ? size : a->block_size;
			size_t grown = a->in_use / 4 < BIG_BLOCK ? a->in_use / 4 : BIG_BLOCK;
			if (a->in_use >= BIG_AFTER && usable < grown)
				usable = grown;
			if (usable > SIZE_MAX - sizeof(fake__block))
				return NULL;
			b = fake__malloc(p, sizeof(fake__block) + usable);
			if (!b)
				return NULL;
			b->size = usable;
			advise_huge_pages(b);
		}
		a->in_use += b->size;
		b->prev = a->head;
		b->used = 0;
		a->head = b;
	}
	void *ptr = (char *)b->data + b->used;
	b->used += size;
	return ptr;
}

void *fake__arena_calloc(fake_processor *p, size_t size)
{
	void *ptr = fake__arena_alloc(p, size);
	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}

const char *fake__arena_strdup(fake_processor *p, const char *s, bool *ok)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *copy = fake__arena_alloc(p, n);
	if (!copy) {
		*ok = false;
		return NULL;
	}
	memcpy(copy, s, n);
	return copy;
}

fake__arena_mark fake__arena_mark_get(const fake_processor *p)
{
	fake__arena_mark m = { p->arena.head, p->arena.head ? p->arena.head->used : 0 };
	return m;
}

/* Keeps a released block for reuse, or frees it. */
static void release(fake_processor *p, fake__block *b)
{
	fake__arena *a = &p->arena;
	a->in_use -= b->size;
	if (b->size == a->block_size && a->spare_bytes + b->size <= SPARE_MAX) {
		b->prev = a->spare;
		a->spare = b;
		a->spare_bytes += b->size;
	} else {
		fake__free(p, b);
	}
}

void fake__arena_rollback(fake_processor *p, fake__arena_mark mark)
{
	while (p->arena.head != mark.head) {
		fake__block *b = p->arena.head;
		p->arena.head = b->prev;
		release(p, b);
	}
	if (p->arena.head)
		p->arena.head->used = mark.used;
}

void fake__arena_reset(fake_processor *p)
{
	fake__arena_mark empty = { NULL, 0 };
	fake__arena_rollback(p, empty);
}

void fake__arena_free(fake_processor *p)
{
	fake__arena_reset(p);
	while (p->arena.spare) {
		fake__block *b = p->arena.spare;
		p->arena.spare = b->prev;
		fake__free(p, b);
	}
	p->arena.spare_bytes = 0;
}
