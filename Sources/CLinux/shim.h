// Linux calls that Swift's Glibc module leaves out (they need _GNU_SOURCE or
// live in headers it does not include).
#ifndef PSYX_CLINUX_SHIM_H
#define PSYX_CLINUX_SHIM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stdint.h>

/// Flushes every dirty page and inode of the file system holding `fd`: one
/// call makes a whole staged pack durable instead of one fsync per image.
int syncfs(int fd);

/// Sequentially consistent load and add on a 64-bit word that may live in memory shared between
/// processes (a MAP_SHARED page): Swift's own atomics cannot be placed on such memory.
static inline uint64_t psyx_atomic_load_u64(const uint64_t *word) {
    return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}

/// Adds `value` and returns the word's value before the addition.
static inline uint64_t psyx_atomic_fetch_add_u64(uint64_t *word, uint64_t value) {
    return __atomic_fetch_add(word, value, __ATOMIC_SEQ_CST);
}

#endif
