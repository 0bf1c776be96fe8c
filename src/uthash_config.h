/*
 * uthash, configured for libfake: allocation goes through the instance
 * allocator and running out of memory is not fatal. The HASH_* macros are
 * used only in store.c, where every function that uses them names its
 * processor `hash_owner` and checks `hash_oom` after an add.
 */
#ifndef FAKE_UTHASH_CONFIG_H
#define FAKE_UTHASH_CONFIG_H

#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) fake__malloc(hash_owner, (sz))
#define uthash_free(ptr, sz) fake__free(hash_owner, (ptr))
#define uthash_nonfatal_oom(obj) (hash_oom = 1)
#define uthash_fatal(msg) (hash_oom = 1)

#include <uthash.h>

#endif
