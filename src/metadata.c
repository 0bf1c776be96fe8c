/*
 * Metadata: Stripe's key/value pairs on objects. A metadata value is an
 * immutable array in the arena; a change builds a new one, so snapshots can
 * share it. Keys keep the order in which they were first set.
 */
#include "private.h"

#include <stdio.h>

const fake_metadata fake__metadata_empty = { 0 };

size_t fake_metadata_count(const fake_metadata *m)
{
	return m ? m->count : 0;
}

const char *fake_metadata_key(const fake_metadata *m, size_t i)
{
	return m && i < m->count ? m->items[i].key : NULL;
}

const char *fake_metadata_value(const fake_metadata *m, size_t i)
{
	return m && i < m->count ? m->items[i].value : NULL;
}

static long find(const fake_metadata *m, const char *key)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->items[i].key, key) == 0)
			return (long)i;
	return -1;
}

const char *fake_metadata_get(const fake_metadata *m, const char *key)
{
	if (!m || !key)
		return NULL;
	long i = find(m, key);
	return i < 0 ? NULL : m->items[i].value;
}

int fake__metadata_check(fake_processor *p, const fake_kv *kv, size_t count)
{
	if (count && !kv)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "metadata",
				       "Invalid metadata: metadata_count is %zu but metadata is NULL.", count);
	if (count > FAKE_METADATA_MAX_KEYS)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_metadata", "metadata",
				       "Invalid metadata: you can specify up to %d keys, but %zu were given.",
				       FAKE_METADATA_MAX_KEYS, count);
	for (size_t i = 0; i < count; i++) {
		const char *key = kv[i].key;
		if (!key || !key[0])
			return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_metadata", "metadata",
					       "Invalid metadata: key %zu is empty.", i);
		char param[96];
		size_t klen = strlen(key);
		snprintf(param, sizeof(param), "metadata[%.*s]", klen > 60 ? 60 : (int)klen, key);
		if (!fake__utf8_valid(key) || !kv[i].value || !fake__utf8_valid(kv[i].value)) {
			if (kv[i].value || !fake__utf8_valid(key))
				return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_string", "metadata",
						       "Invalid metadata: key %zu or its value is not valid UTF-8.", i);
		}
		if (klen > FAKE_METADATA_MAX_KEY_LEN)
			return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_metadata", param,
					       "Invalid metadata: keys can be at most %d characters.",
					       FAKE_METADATA_MAX_KEY_LEN);
		if (!kv[i].value)
			return fake__error_set(p, FAKE_EINVAL, "parameter_missing", param,
					       "Invalid metadata: the value of %s is NULL (use \"\" to delete a key).",
					       param);
		if (strlen(kv[i].value) > FAKE_METADATA_MAX_VALUE_LEN)
			return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_metadata", param,
					       "Invalid metadata: values can be at most %d characters.",
					       FAKE_METADATA_MAX_VALUE_LEN);
	}
	return 0;
}

int fake__metadata_merge(const fake_metadata **out, fake_processor *p, const fake_metadata *base,
			 const fake_kv *kv, size_t count, bool clear)
{
	if (clear)
		base = &fake__metadata_empty;
	if (!count) {
		*out = base;
		return 0;
	}
	/* Work on a scratch copy of at most base + count pairs, then size it. */
	size_t cap = base->count + count;
	fake_metadata *m = fake__arena_alloc(p, sizeof(*m) + cap * sizeof(fake_kv));
	if (!m)
		return fake__error_nomem(p);
	m->count = base->count;
	memcpy(m->items, base->items, base->count * sizeof(fake_kv));
	for (size_t i = 0; i < count; i++) {
		long at = find(m, kv[i].key);
		if (!kv[i].value[0]) {
			if (at >= 0) {
				memmove(&m->items[at], &m->items[at + 1], (m->count - (size_t)at - 1) * sizeof(fake_kv));
				m->count--;
			}
			continue;
		}
		bool ok = true;
		const char *value = fake__arena_strdup(p, kv[i].value, &ok);
		if (!ok)
			return fake__error_nomem(p);
		if (at >= 0) {
			m->items[at].value = value;
		} else {
			const char *key = fake__arena_strdup(p, kv[i].key, &ok);
			if (!ok)
				return fake__error_nomem(p);
			m->items[m->count].key = key;
			m->items[m->count++].value = value;
		}
	}
	if (m->count > FAKE_METADATA_MAX_KEYS)
		return fake__error_set(p, FAKE_EINVAL, "parameter_invalid_metadata", "metadata",
				       "Invalid metadata: an object can have up to %d keys; this would make %zu.",
				       FAKE_METADATA_MAX_KEYS, m->count);
	*out = m->count ? m : &fake__metadata_empty;
	return 0;
}

bool fake__metadata_equal(const fake_metadata *a, const fake_metadata *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->items[i].key, b->items[i].key) || strcmp(a->items[i].value, b->items[i].value))
			return false;
	return true;
}
