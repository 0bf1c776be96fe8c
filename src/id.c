/*
 * Deterministic ids: Stripe's prefix, a "fake_" marker and a per-type
 * counter zero-padded to the configured width ("cus_fake_00001"). Past the
 * width the number simply grows ("cus_fake_100000"); it never truncates or
 * wraps. Each type's prefix is in store.c's type table; docs/ids.md lists
 * them all.
 */
#include "private.h"

size_t fake__id_write(char *dst, size_t size, const char *prefix, uint64_t number, unsigned int width)
{
	char digits[24];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + number % 10);
		number /= 10;
	} while (number);

	size_t pad = n < width ? width - n : 0;
	size_t plen = strlen(prefix);
	size_t len = plen + pad + n;
	if (len >= size)
		return len;
	memcpy(dst, prefix, plen);
	memset(dst + plen, '0', pad);
	for (size_t i = 0; i < n; i++)
		dst[plen + pad + i] = digits[n - 1 - i];
	dst[len] = '\0';
	return len;
}

const char *fake__id_format(fake_processor *p, const char *prefix, uint64_t number)
{
	char buf[FAKE_ID_MAX + 1];
	size_t len = fake__id_write(buf, sizeof(buf), prefix, number, p->options.id_width);
	char *id = fake__arena_alloc(p, len + 1);
	if (id)
		memcpy(id, buf, len + 1);
	return id;
}
