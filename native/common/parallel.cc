#include "parallel.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define LW_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define LW_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define LW_CPU_RELAX() ((void)0)
#endif

namespace lw {
namespace {

// Workers spin this long after a job before sleeping: kernels of one training step follow each other
// within microseconds, and waking a sleeping thread costs tens of microseconds.
constexpr auto kSpin = std::chrono::microseconds(200);

class ThreadPool {
 public:
  explicit ThreadPool(int threads) { resize(threads); }

  int threads() const { return threads_.load(std::memory_order_relaxed); }

  void resize(int threads) {
    std::lock_guard<std::mutex> guard(run_mutex_);
    while (static_cast<int>(workers_.size()) + 1 < threads) {
      const int id = static_cast<int>(workers_.size()) + 1;
      workers_.emplace_back([this, id] { work_loop(id); });
      workers_.back().detach();  // the pool lives as long as the process
    }
    threads_.store(threads, std::memory_order_relaxed);
  }

  void run(int64_t tasks, TaskFn fn, void* context) {
    const int64_t participants = tasks < threads() ? tasks : threads();
    std::unique_lock<std::mutex> guard(run_mutex_, std::try_to_lock);
    if (participants <= 1 || !guard.owns_lock()) {
      for (int64_t t = 0; t < tasks; t++) fn(context, t);
      return;
    }
    fn_ = fn;
    context_ = context;
    tasks_ = tasks;
    next_task_.store(0, std::memory_order_relaxed);
    pending_.store(static_cast<int>(participants) - 1, std::memory_order_relaxed);
    // The job word carries the generation and the participant count together, so a worker never pairs
    // one job's generation with another job's participants.
    generation_++;
    job_.store((generation_ << 8) | static_cast<uint64_t>(participants), std::memory_order_seq_cst);
    if (sleeping_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(sleep_mutex_);
      wake_.notify_all();
    }
    take_tasks();
    // Workers finish within microseconds unless the OS has descheduled one; then yield the core to it.
    for (int i = 0; pending_.load(std::memory_order_acquire) > 0; i++) {
      if (i < 4096) {
        LW_CPU_RELAX();
      } else {
        std::this_thread::yield();
      }
    }
  }

 private:
  void take_tasks() {
    for (;;) {
      const int64_t t = next_task_.fetch_add(1, std::memory_order_relaxed);
      if (t >= tasks_) return;
      fn_(context_, t);
    }
  }

  uint64_t wait_for_job(uint64_t seen) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (int i = 0;; i++) {
      const uint64_t job = job_.load(std::memory_order_acquire);
      if (job != seen) return job;
      LW_CPU_RELAX();
      if ((i & 255) == 255 && std::chrono::steady_clock::now() > until) break;
    }
    std::unique_lock<std::mutex> lock(sleep_mutex_);
    sleeping_.fetch_add(1, std::memory_order_seq_cst);
    uint64_t job = seen;
    wake_.wait(lock, [&] {
      job = job_.load(std::memory_order_seq_cst);
      return job != seen;
    });
    sleeping_.fetch_sub(1, std::memory_order_relaxed);
    return job;
  }

  void work_loop(int id) {
    uint64_t seen = 0;
    for (;;) {
      seen = wait_for_job(seen);
      if (id < static_cast<int>(seen & 0xff)) {
        take_tasks();
        pending_.fetch_sub(1, std::memory_order_release);
      }
    }
  }

  std::vector<std::thread> workers_;
  std::atomic<int> threads_{1};
  std::mutex run_mutex_;

  uint64_t generation_ = 0;
  std::atomic<uint64_t> job_{0};
  std::atomic<int64_t> next_task_{0};
  std::atomic<int> pending_{0};
  TaskFn fn_ = nullptr;
  void* context_ = nullptr;
  int64_t tasks_ = 0;

  std::mutex sleep_mutex_;
  std::condition_variable wake_;
  std::atomic<int> sleeping_{0};
};

constexpr int kMaxThreads = 255;  // the job word keeps the participant count in 8 bits

int initial_threads() {
  int n = static_cast<int>(std::thread::hardware_concurrency());
  if (const char* env = std::getenv("LAYERWISE_THREADS")) {
    const int requested = std::atoi(env);
    if (requested > 0) n = requested;
  }
  if (n < 1) n = 1;
  return n < kMaxThreads ? n : kMaxThreads;
}

ThreadPool& pool() {
  // Never destroyed: detached workers may still be parked on its members while the process exits.
  static ThreadPool* instance = new ThreadPool(initial_threads());
  return *instance;
}

struct ScratchBuffers {
  float* data[kScratchSlots] = {};
  size_t size[kScratchSlots] = {};
  ~ScratchBuffers() {
    for (float* p : data) std::free(p);
  }
};

}  // namespace

int thread_count() { return pool().threads(); }

void set_thread_count(int n) { pool().resize(n < 1 ? 1 : (n < kMaxThreads ? n : kMaxThreads)); }

void parallel_run(int64_t tasks, TaskFn fn, void* context) { pool().run(tasks, fn, context); }

int64_t parts_for(double work, int64_t max_parts) {
  const double parts = work / kMinParallelWork;
  if (parts < 2 || max_parts < 2) return 1;
  return parts >= static_cast<double>(max_parts) ? max_parts : static_cast<int64_t>(parts);
}

float* scratch(int slot, size_t floats) {
  thread_local ScratchBuffers buffers;
  if (buffers.size[slot] < floats) {
    std::free(buffers.data[slot]);
    const size_t bytes = ((floats * sizeof(float) + 63) / 64) * 64;
    buffers.data[slot] = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (!buffers.data[slot]) {
      // Kernels have no way to report failure mid-computation; scratch requests are at most a few MB.
      std::fprintf(stderr, "layerwise: out of memory allocating %zu bytes of kernel scratch\n", bytes);
      std::abort();
    }
    buffers.size[slot] = floats;
  }
  return buffers.data[slot];
}

}  // namespace lw
