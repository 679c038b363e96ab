// Linux calls that Swift's Glibc module leaves out (they need _GNU_SOURCE).
#ifndef PSYX_CLINUX_SHIM_H
#define PSYX_CLINUX_SHIM_H

/// Flushes every dirty page and inode of the file system holding `fd`: one
/// call makes a whole staged pack durable instead of one fsync per image.
int syncfs(int fd);

#endif
