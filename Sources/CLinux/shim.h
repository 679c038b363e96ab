// Linux calls that Swift's Glibc module leaves out (they need _GNU_SOURCE).
#ifndef PSYX_CLINUX_SHIM_H
#define PSYX_CLINUX_SHIM_H

#include <stdint.h>

/// Flushes every dirty page and inode of the file system holding `fd`: one
/// call makes a whole staged pack durable instead of one fsync per image.
int syncfs(int fd);

/// Starts (SYNC_FILE_RANGE_WRITE), or waits for, the writeback of part of a file
/// (nbytes 0: to its end). Starting it early lets the disk work while an upload
/// is still arriving; it is never a durability guarantee by itself.
int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags);
#define PSYX_SYNC_FILE_RANGE_WRITE 2

#endif
