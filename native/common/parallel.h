// The thread pool and per-thread scratch memory shared by every instruction set's kernels.
#pragma once
#include <cstddef>
#include <cstdint>

namespace lw {

// One task of a parallel job: `task` in [0, tasks). Plain function pointers (not std::function) keep
// instruction-set-specific code out of the pool.
using TaskFn = void (*)(void* context, int64_t task);

// Threads a job may use, the calling thread included.
int thread_count();
// Sets the number of threads (at least 1); starts missing workers.
void set_thread_count(int n);
// Runs fn(context, t) for every t in [0, tasks) on up to thread_count() threads, the caller included,
// and returns when all are done. A job started while another thread's job runs executes inline.
void parallel_run(int64_t tasks, TaskFn fn, void* context);

// Work worth splitting off to another thread: about a million floating-point operations, several times
// what waking a sleeping worker costs.
constexpr double kMinParallelWork = 1.5e6;

// The number of parts to split `work` into: one per kMinParallelWork, at most `max_parts`, at least 1.
int64_t parts_for(double work, int64_t max_parts);

// Parts per thread for work that splits at no extra cost: threads claim parts as they go, so a thread
// the OS holds back leaves its share to the others instead of stalling the job.
constexpr int64_t kPartsPerThread = 4;

// A 64-byte-aligned buffer private to the calling thread, reused across calls. `slot` tells apart the
// buffers one kernel needs at once; each grows to the largest size ever requested and no further.
float* scratch(int slot, size_t floats);
constexpr int kScratchSlots = 4;

}  // namespace lw
