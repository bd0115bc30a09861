"""Timing shared by the PyTorch peers of the sequence benchmark (sequence-pytorch.py, pytorch-transformer.py),
as bench/peers/sequence-common.ts times the Node.js peers: warm-up steps, then windows of at least `seconds`,
the samples per second of each window, and the cores other processes kept busy meanwhile."""

import json
import os
import statistics
import time


def busy_seconds():
    """CPU seconds every core has spent busy, from /proc/stat (None elsewhere)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except OSError:
        return None
    return sum(v for i, v in enumerate(fields) if i not in (3, 4)) / 100


def add_timing_arguments(parser):
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--warmup", type=int, default=2)


def measure(step, batch, args, framework):
    """Runs `step` (one training batch of `batch` samples) and prints the JSON line the driver reads."""
    for _ in range(args.warmup):
        step()
    rates, batches = [], []
    busy_before, cpu_before, start = busy_seconds(), time.process_time(), time.perf_counter()
    for _ in range(args.windows):
        t0, n = time.perf_counter(), 0
        while time.perf_counter() - t0 < args.seconds or n == 0:
            step()
            n += 1
        rates.append(n * batch / (time.perf_counter() - t0))
        batches.append(n)
    elapsed = time.perf_counter() - start
    busy_after, own = busy_seconds(), time.process_time() - cpu_before
    tuning = [f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ]
    setting = f"{args.threads} thread{'s' if args.threads > 1 else ''}, " + (" ".join(tuning) if tuning else "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset")
    print(json.dumps({
        "framework": framework,
        "setting": setting,
        "samplesPerSecond": {"median": statistics.median(rates), "best": max(rates), "worst": min(rates), "windows": [round(r, 1) for r in rates]},
        "batchesPerWindow": batches,
        "otherCoresBusy": None if busy_before is None else max(0.0, (busy_after - busy_before - own) / elapsed),
    }))
