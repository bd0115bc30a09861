#include "buffer-cache.h"

#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace lw {
namespace {

// Blocks are kept per exact rounded size: training asks for the same few sizes over and over.
std::unordered_map<size_t, std::vector<void*>> g_idle;
size_t g_idle_bytes = 0;
size_t g_fresh_blocks = 0;
size_t g_idle_cap = size_t{1} << 30;
// Each worker thread is a JavaScript thread of its own, allocating and finalizing tensors on the shared cache.
std::mutex g_mutex;

size_t rounded(size_t bytes) { return (bytes + 63) / 64 * 64; }

}  // namespace

void* cache_acquire(size_t bytes) {
  const size_t size = rounded(bytes);
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_idle.find(size);
  if (it != g_idle.end() && !it->second.empty()) {
    void* block = it->second.back();
    it->second.pop_back();
    g_idle_bytes -= size;
    return block;
  }
  g_fresh_blocks++;
  return std::aligned_alloc(64, size);
}

void cache_release(void* block, size_t bytes) {
  const size_t size = rounded(bytes);
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_idle_bytes + size > g_idle_cap) {
    std::free(block);
    return;
  }
  g_idle[size].push_back(block);
  g_idle_bytes += size;
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
  for (auto& [size, blocks] : g_idle) {
    while (g_idle_bytes > g_idle_cap && !blocks.empty()) {
      std::free(blocks.back());
      blocks.pop_back();
      g_idle_bytes -= size;
    }
  }
}

}  // namespace lw
