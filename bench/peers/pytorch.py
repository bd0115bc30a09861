"""PyTorch peer of the layerwise benchmark.

Trains the seed's convnet on MNIST with one threading/BLAS setting and prints one JSON line (a PeerReport,
see bench/protocol.ts) as the last line of standard output. The driver (bench/run.ts) chooses the setting
through the command line and the environment (OMP/MKL/OPENBLAS thread counts, LD_LIBRARY_PATH for the
reference BLAS), which must be in place before torch is imported.

    python3 bench/peers/pytorch.py --plan '<Plan JSON>' --threads 2 --blas openblas --setting '2 threads, OpenBLAS'
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

CLASSES = 10


def read_idx_uint8(path):
    """The MNIST files are IDX with unsigned bytes: a 4-byte magic, 4 bytes per dimension, then the data."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[0:3] != b"\x00\x00\x08":
        raise ValueError(f"{path}: expected an IDX file of unsigned bytes (magic 0x000008NN), received {raw[0:4].hex()}")
    rank = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {int(np.prod(shape))} values for shape {shape}, received {data.size}")
    return torch.from_numpy(data.reshape(shape).copy())


def seed_convnet():
    """Conv2D 32 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu, Flatten,
    Dense 64 relu, Dense 10 (softmax folded into the loss). Keras initializers: glorot-uniform kernels, zero biases."""
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64 * 3 * 3, 64), nn.ReLU(),
        nn.Linear(64, CLASSES),
    )
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            # PyTorch's fan_in/fan_out for a conv kernel (out, in, kh, kw) match Keras's (kh*kw*in, kh*kw*out).
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


def keras_rmsprop(params):
    # Keras: lr 0.001, rho 0.9, epsilon 1e-7. PyTorch adds eps outside the square root, Keras inside.
    return torch.optim.RMSprop(params, lr=1e-3, alpha=0.9, eps=1e-7)


def batch_of(images, labels, index):
    """Scales one batch to [0, 1] as NCHW float32, with class indices."""
    return images[index].unsqueeze(1).float().div_(255.0), labels[index].long()


class Batches:
    """An endless stream of shuffled full mini-batches; each epoch is a fresh seeded permutation."""

    def __init__(self, images, labels, batch_size, generator):
        self.images, self.labels, self.batch_size, self.generator = images, labels, batch_size, generator
        self.order, self.at = None, len(labels)

    def next(self):
        if self.at + self.batch_size > len(self.labels):
            self.order, self.at = torch.randperm(len(self.labels), generator=self.generator), 0
        index = self.order[self.at : self.at + self.batch_size]
        self.at += self.batch_size
        return batch_of(self.images, self.labels, index)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    F.cross_entropy(model(x), y).backward()
    optimizer.step()


def machine_busy_seconds():
    """CPU seconds all cores have spent busy since boot (/proc/stat: all but idle and iowait, in USER_HZ = 100)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:9]]
    except OSError:
        return None
    return (sum(fields) - fields[3] - fields[4]) / 100


def time_window(run_batch, samples_per_batch, done):
    busy_before, cpu_before, start = machine_busy_seconds(), time.process_time(), time.perf_counter()
    batches = 0
    while True:
        run_batch()
        batches += 1
        seconds = time.perf_counter() - start
        if done(batches, seconds):
            break
    own, busy_after = time.process_time() - cpu_before, machine_busy_seconds()
    others = None if busy_before is None or busy_after is None else max(0.0, (busy_after - busy_before - own) / seconds)
    return {"rate": batches * samples_per_batch / seconds, "seconds": seconds, "batches": batches, "others": others}


def summarise(windows, discarded, method):
    rates, others = [w["rate"] for w in windows], [w["others"] for w in windows]
    return {
        "median": statistics.median(rates),
        "best": max(rates),
        "worst": min(rates),
        "windows": len(windows),
        "windowSeconds": sum(w["seconds"] for w in windows) / len(windows),
        "batchesPerWindow": sum(w["batches"] for w in windows) / len(windows),
        "discardedWindows": discarded,
        "otherCoresBusy": None if None in others else max(others),
        "method": method,
    }


def timed_windows(run_batch, samples_per_batch, plan, count):
    """Warm up, then time `count` windows of at least plan.windowSeconds; the median window counts. Windows
    disturbed by other processes are timed again (Plan.maxOtherCores); a peer too slow for windows is timed as
    Plan.slowTimedBatches describes (bench/protocol.ts)."""
    first = time_window(run_batch, samples_per_batch, lambda batches, _: batches >= 1)
    if first["seconds"] > plan["slowBatchSeconds"]:
        if plan["slowTimedBatches"] == 0:
            return summarise([first], 0, f"the first batch alone ({first['seconds']:.1f} s, first-call costs included): "
                             "too slow for longer windows")
        window = time_window(run_batch, samples_per_batch, lambda batches, _: batches >= plan["slowTimedBatches"])
        return summarise([window], 0, f"one window of {window['batches']} batches ({window['seconds']:.1f} s) "
                         "after one warm-up batch: too slow for longer windows")
    for _ in range(1, plan["warmupBatches"]):
        run_batch()
    kept, discarded = [], 0
    while len(kept) < count:
        window = time_window(run_batch, samples_per_batch, lambda _, seconds: seconds >= plan["windowSeconds"])
        if window["others"] is not None and window["others"] > plan["maxOtherCores"] and discarded < plan["maxDiscardedWindows"]:
            discarded += 1
        else:
            kept.append(window)
    stats = summarise(kept, discarded, "")
    retried = f"; {discarded} more discarded because other processes were busy" if discarded else ""
    stats["method"] = (f"median of {count} windows of {stats['windowSeconds']:.1f} s ({round(stats['batchesPerWindow'])} batches each) "
                       f"after {max(plan['warmupBatches'], 1)} warm-up batches{retried}")
    return stats


def time_gemm(shape, seconds):
    """The fastest of repetitions filling `seconds` after one untimed call; a first call that long is the only one."""
    a = torch.rand(shape["m"], shape["k"])
    b = torch.rand(shape["k"], shape["n"])

    def timed():
        start = time.perf_counter()
        torch.mm(a, b)
        return time.perf_counter() - start

    best = first = timed()
    repetitions = 1
    if first < seconds:
        best, repetitions, total = float("inf"), 0, 0.0
        while total < seconds:
            elapsed = timed()
            best, repetitions, total = min(best, elapsed), repetitions + 1, total + elapsed
    return {**shape, "gflops": 2 * shape["m"] * shape["k"] * shape["n"] / best / 1e9, "repetitions": repetitions}


def evaluate(model, images, labels, batch_size):
    correct = 0
    with torch.inference_mode():
        for at in range(0, len(labels), batch_size):
            x = images[at : at + batch_size].unsqueeze(1).float().div_(255.0)
            correct += (model(x).argmax(1) == labels[at : at + batch_size]).sum().item()
    return correct / len(labels)


def loaded_blas():
    """Which BLAS libraries the dynamic loader actually mapped, so a setting cannot silently be another."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps}
    return sorted(p for p in paths if p.startswith("/") and "blas" in os.path.basename(p))


def check_blas(expected, loaded):
    reference = any("/blas/libblas.so" in p for p in loaded)
    openblas = any("openblas" in p and "libblas.so" in p for p in loaded)
    if expected == "reference" and not reference:
        raise RuntimeError(f"--blas reference: expected the reference libblas.so.3 to be loaded, found {loaded}")
    if expected == "openblas" and (reference or not openblas):
        raise RuntimeError(f"--blas openblas: expected OpenBLAS's libblas.so.3 and not the reference one, found {loaded}")


def format_duration(seconds):
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan", required=True)
    parser.add_argument("--mnist-dir", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--blas", choices=["openblas", "reference"], required=True)
    parser.add_argument("--setting", required=True)
    args = parser.parse_args()
    plan = json.loads(args.plan)

    torch.set_num_threads(args.threads)
    torch.manual_seed(plan["seed"])
    malloc = {name: os.environ[name] for name in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_") if name in os.environ}
    notes = [
        "RMSprop(lr=0.001, alpha=0.9, eps=1e-7): PyTorch adds eps outside the square root, Keras inside",
        "softmax + categorical cross-entropy fused as F.cross_entropy on logits; NCHW layout",
        "glibc malloc: " + (
            " ".join(f"{name}={value}" for name, value in malloc.items())
            + " keep freed activations in the heap (with glibc's defaults some processes, at random, page-fault"
            " them back on every batch and train several times slower)"
            if malloc else "glibc's defaults"
        ),
    ]

    blas = loaded_blas()
    check_blas(args.blas, blas)

    train_images = read_idx_uint8(os.path.join(args.mnist_dir, "train-images-idx3-ubyte"))
    train_labels = read_idx_uint8(os.path.join(args.mnist_dir, "train-labels-idx1-ubyte"))
    test_images = read_idx_uint8(os.path.join(args.mnist_dir, "t10k-images-idx3-ubyte"))
    test_labels = read_idx_uint8(os.path.join(args.mnist_dir, "t10k-labels-idx1-ubyte"))
    batch_size = plan["batchSize"]

    model = seed_convnet()
    optimizer = keras_rmsprop(model.parameters())
    stream = Batches(train_images, train_labels, batch_size, torch.Generator().manual_seed(plan["seed"]))
    model.train()
    train = timed_windows(lambda: train_step(model, optimizer, *stream.next()), batch_size, plan, plan["trainWindows"])

    model.eval()
    test_stream = Batches(test_images, test_labels, batch_size, torch.Generator().manual_seed(plan["seed"]))
    with torch.inference_mode():
        inference = timed_windows(lambda: model(test_stream.next()[0]), batch_size, plan, plan["inferenceWindows"])

    accuracy, epoch_seconds = None, None
    estimate = len(train_labels) / train["median"]
    if not plan["epoch"]:
        accuracy_note = "not measured (--quick)"
    elif estimate > plan["epochBudgetSeconds"]:
        accuracy_note = f"not measured: one epoch would take about {format_duration(estimate)} at the measured speed"
    else:
        torch.manual_seed(plan["seed"])
        model = seed_convnet()
        optimizer = keras_rmsprop(model.parameters())
        order = torch.randperm(len(train_labels), generator=torch.Generator().manual_seed(plan["seed"]))
        model.train()
        start = time.perf_counter()
        for at in range(0, len(order), batch_size):  # like Keras, the last batch holds the remainder
            train_step(model, optimizer, *batch_of(train_images, train_labels, order[at : at + batch_size]))
        epoch_seconds = time.perf_counter() - start
        model.eval()
        accuracy = evaluate(model, test_images, test_labels, batch_size)
        accuracy_note = f"one epoch of {len(train_labels)} samples from fresh weights, {epoch_seconds:.0f} s"

    # Peak memory of the training workload, before the GEMM measurements (which allocate operands of their own).
    peak_rss_bytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    gemm = [time_gemm(shape, plan["gemmSeconds"]) for shape in plan["gemm"]]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "framework": "PyTorch",
        "setting": args.setting,
        "train": train,
        "inference": inference,
        "testAccuracy": accuracy,
        "accuracyNote": accuracy_note,
        "epochSeconds": epoch_seconds,
        "gemm": gemm,
        "peakRssBytes": peak_rss_bytes,
        "cpuSeconds": usage.ru_utime + usage.ru_stime,
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__},
        "notes": notes + [
            f"torch.get_num_threads() = {torch.get_num_threads()}; oneDNN (MKL-DNN) {'available' if torch.backends.mkldnn.is_available() else 'absent'}",
            f"BLAS libraries loaded: {', '.join(blas)}"
            + ("; OpenBLAS stays mapped through liblapack.so.3, BLAS calls resolve to the reference library loaded first"
               if args.blas == "reference" else ""),
        ],
    }))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # the driver reports the failure with this message
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
