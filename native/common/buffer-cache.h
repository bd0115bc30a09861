// Memory for tensors of the native backend. A fresh large JavaScript typed array costs more than most
// kernels that fill it (the system allocator maps zeroed pages and every first touch faults), and training
// allocates the same sizes every step. So large tensors get external ArrayBuffers whose memory comes from
// here: when V8 collects such a buffer, its finalizer hands the block back to this cache instead of to the
// system, and the next tensor of that size reuses it, already mapped, unzeroed (kernels overwrite every
// element) and 64-byte aligned for SIMD. Ownership stays with the garbage collector; nothing is freed by
// hand. Worker threads are JavaScript threads of their own that allocate and release concurrently, so a
// mutex guards the cache (uncontended, it costs nanoseconds next to the kernels that fill a block).
#pragma once

#include <cstddef>

namespace lw {

// A block of at least `bytes` bytes, 64-byte aligned, or nullptr when the system is out of memory.
void* cache_acquire(size_t bytes);
// Returns a block from cache_acquire(bytes); kept for reuse while the idle total stays under the cap and its
// size is still in use (asked for within the last second); otherwise given back to the system.
void cache_release(void* block, size_t bytes);
// Bytes held idle for reuse, and the cap.
size_t cache_idle_bytes();
// Blocks taken from the system so far (the rest were reused).
size_t cache_fresh_blocks();
void cache_set_idle_cap(size_t bytes);

}  // namespace lw
