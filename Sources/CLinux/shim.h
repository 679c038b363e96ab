// Linux calls that Swift's Glibc module leaves out (they need _GNU_SOURCE or
// live in headers it does not include).
#ifndef PSYX_CLINUX_SHIM_H
#define PSYX_CLINUX_SHIM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>

/// Flushes every dirty page and inode of the file system holding `fd`: one
/// call makes a whole staged pack durable instead of one fsync per image.
int syncfs(int fd);

#endif
