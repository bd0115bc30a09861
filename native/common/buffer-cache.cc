#include "buffer-cache.h"

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace lw {
namespace {

using Clock = std::chrono::steady_clock;

// Blocks are kept per exact rounded size: training asks for the same few sizes over and over. A size that
// has not been asked for in a while (a finished evaluation, a shape the program no longer uses) is given
// back to the system, so idle memory follows the working set instead of every size ever seen.
struct SizeClass {
  std::vector<void*> blocks;
  Clock::time_point last_acquired;
};
std::unordered_map<size_t, SizeClass> g_idle;
size_t g_idle_bytes = 0;
size_t g_fresh_blocks = 0;
size_t g_idle_cap = size_t{1} << 30;
Clock::time_point g_last_sweep;
// Long enough that a training step, or an epoch-end evaluation, does not lose the step's blocks; short
// enough that a program moving on to other shapes does not keep the old ones.
constexpr auto kUnusedAge = std::chrono::seconds(1);
constexpr auto kSweepInterval = std::chrono::milliseconds(200);
// Each worker thread is a JavaScript thread of its own, allocating and finalizing tensors on the shared cache.
std::mutex g_mutex;

size_t rounded(size_t bytes) { return (bytes + 63) / 64 * 64; }

void free_blocks(size_t size, SizeClass& sizeClass, size_t keepBytesAtMost) {
  while (g_idle_bytes > keepBytesAtMost && !sizeClass.blocks.empty()) {
    std::free(sizeClass.blocks.back());
    sizeClass.blocks.pop_back();
    g_idle_bytes -= size;
  }
}

bool unused(const SizeClass& sizeClass, Clock::time_point now) { return now - sizeClass.last_acquired > kUnusedAge; }

void sweep_unused(Clock::time_point now) {
  if (now - g_last_sweep < kSweepInterval) return;
  g_last_sweep = now;
  for (auto it = g_idle.begin(); it != g_idle.end();) {
    if (unused(it->second, now)) {
      free_blocks(it->first, it->second, 0);
      it = g_idle.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace

void* cache_acquire(size_t bytes) {
  const size_t size = rounded(bytes);
  std::lock_guard<std::mutex> lock(g_mutex);
  SizeClass& sizeClass = g_idle[size];
  sizeClass.last_acquired = Clock::now();
  if (!sizeClass.blocks.empty()) {
    void* block = sizeClass.blocks.back();
    sizeClass.blocks.pop_back();
    g_idle_bytes -= size;
    return block;
  }
  g_fresh_blocks++;
  return std::aligned_alloc(64, size);
}

void cache_release(void* block, size_t bytes) {
  const size_t size = rounded(bytes);
  std::lock_guard<std::mutex> lock(g_mutex);
  const Clock::time_point now = Clock::now();
  auto it = g_idle.find(size);
  if (g_idle_bytes + size > g_idle_cap || it == g_idle.end() || unused(it->second, now)) {
    std::free(block);
  } else {
    it->second.blocks.push_back(block);
    g_idle_bytes += size;
  }
  sweep_unused(now);
}

size_t cache_idle_bytes() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_idle_bytes;
}

size_t cache_fresh_blocks() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_fresh_blocks;
}

void cache_set_idle_cap(size_t bytes) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_idle_cap = bytes;
  for (auto& [size, sizeClass] : g_idle) free_blocks(size, sizeClass, g_idle_cap);
}

}  // namespace lw
