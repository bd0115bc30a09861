/**
 * The memory of a training step or a prediction, handed back the moment it ends.
 *
 * Every kernel output of the native backend is an external ArrayBuffer, and V8 reclaims those only in
 * collections it starts when their bytes pile up. How often it then runs a full collection, rather than
 * a cheap young-generation one, depends on the size of the JavaScript heap: with 5 MB more live objects
 * the seed convnet went from 26 to 473 full collections over 300 training and 1,000 prediction batches,
 * and predicted 2.7 times slower. So a step does not leave its activations to the collector: the
 * arrays allocated inside it go back to the backend when it ends, except what the step's owner keeps
 * (its outputs, the model's weights, the optimizer's slots, stateful layers' states). Backends that do
 * not manage memory ignore the release; the native backend detaches the buffer, so a tensor that was
 * kept by mistake fails loudly (empty) instead of showing another tensor's values.
 *
 * Tensors computed inside a step are the library's: code that holds one beyond the step (a layer of
 * your own storing an intermediate, say) keeps a copy (`t.clone()`).
 */
import type { TensorStorage } from '../backend/device-array.js';
import { logAllocations, release } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { rawStorage } from '../tensor/tensor.js';

/** What keeps an array alive: its buffer (views of one buffer share it), or the array itself. */
function holderOf(a: TensorStorage): unknown {
  return ArrayBuffer.isView(a) ? a.buffer : a;
}

export interface StepMemory {
  /** Stops recording and releases what was allocated since `beginStepMemory` that `kept` does not hold. */
  end(kept: Iterable<Tensor>): void;
  /** Stops recording and releases nothing (the step continues across an await, or failed). */
  abandon(): void;
}

/**
 * Starts recording the arrays allocated from now on, until `end` or `abandon`, which must come before
 * the next await: recording is global, and code that runs during an await must not be recorded.
 */
export function beginStepMemory(): StepMemory {
  const log: TensorStorage[] = [];
  const previous = logAllocations(log);
  let open = true;
  const stop = (): boolean => {
    if (!open) return false;
    open = false;
    logAllocations(previous);
    if (previous === null) return true;
    // An enclosing step decides for these too.
    previous.push(...log);
    return false;
  };
  return {
    end(kept) {
      if (!stop()) return;
      const holders = new Set<unknown>();
      for (const t of kept) holders.add(holderOf(rawStorage(t)));
      for (const a of log) if (!holders.has(holderOf(a))) release(a);
    },
    abandon() {
      stop();
    },
  };
}

/** Runs `fn` as a step: releases what it allocated that `kept(result)` does not hold (nothing if it throws). */
export function withStepMemory<T>(fn: () => T, kept: (result: T) => Iterable<Tensor>): T {
  const memory = beginStepMemory();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    memory.abandon();
    throw e;
  }
  memory.end(kept(result));
  return result;
}
