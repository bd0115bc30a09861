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

// Tasks are claimed one at a time from a counter tagged with the job's generation, and a job is done
// when all its tasks are: a worker that wakes late finds nothing left to claim, so the caller never
// waits for a thread that has not started (on a busy machine the OS may hold a worker back for
// milliseconds).
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
    const uint64_t generation = ++generation_ & kIndexMask;
    fn_.store(fn, std::memory_order_relaxed);
    context_.store(context, std::memory_order_relaxed);
    tasks_.store(tasks, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    next_.store(generation << 32, std::memory_order_release);
    // The job word carries the generation and the participant count together, so a worker never pairs
    // one job's generation with another job's participants.
    job_.store((generation << 8) | static_cast<uint64_t>(participants), std::memory_order_seq_cst);
    if (sleeping_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(sleep_mutex_);
      wake_.notify_all();
    }
    take_tasks(generation);
    // Only tasks already claimed remain; yield the core if their thread has been descheduled.
    for (int i = 0; done_.load(std::memory_order_acquire) < tasks; i++) {
      if (i < 4096) {
        LW_CPU_RELAX();
      } else {
        std::this_thread::yield();
      }
    }
  }

 private:
  static constexpr uint64_t kIndexMask = 0xffffffffu;

  void take_tasks(uint64_t generation) {
    uint64_t next = next_.load(std::memory_order_acquire);
    for (;;) {
      if ((next >> 32) != generation || static_cast<int64_t>(next & kIndexMask) >= tasks_.load(std::memory_order_relaxed)) {
        return;
      }
      if (next_.compare_exchange_weak(next, next + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
        fn_.load(std::memory_order_relaxed)(context_.load(std::memory_order_relaxed), static_cast<int64_t>(next & kIndexMask));
        done_.fetch_add(1, std::memory_order_release);
        next = next_.load(std::memory_order_acquire);
      }
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
      if (id < static_cast<int>(seen & 0xff)) take_tasks(seen >> 8);
    }
  }

  std::vector<std::thread> workers_;
  std::atomic<int> threads_{1};
  std::mutex run_mutex_;

  uint64_t generation_ = 0;
  std::atomic<uint64_t> job_{0};
  std::atomic<uint64_t> next_{0};  // (generation << 32) | index of the next unclaimed task
  std::atomic<int64_t> done_{0};
  std::atomic<TaskFn> fn_{nullptr};
  std::atomic<void*> context_{nullptr};
  std::atomic<int64_t> tasks_{0};

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
