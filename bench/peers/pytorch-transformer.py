"""PyTorch peer of the transformer in the sequence benchmark (bench/sequence.ts, bench/peers/transformer-common.ts).

Trains the same small transformer encoder as layerwise's (examples/transformer.ts: Dense to the model
width, learned positional embedding, post-norm encoder blocks of nn.TransformerEncoderLayer with ReLU,
epsilon 1e-5, mean over steps, a two-class head) with Adam on random [batch, steps, features] inputs, and
prints one JSON line as sequence-pytorch.py does: samples per second over timed windows. The driver sets
the threads through the command line and the environment (OMP/MKL/OPENBLAS thread counts).

    python3 bench/peers/pytorch-transformer.py --config '<JSON>' --threads 1 [--windows 5 --seconds 4 --warmup 2]
"""

import argparse
import json
import os
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.project = nn.Linear(c["features"], c["width"])
        self.positions = nn.Parameter(torch.randn(c["steps"], c["width"]) * 0.05)
        layer = nn.TransformerEncoderLayer(
            c["width"], c["heads"], dim_feedforward=c["feedForward"], dropout=c["dropout"],
            activation="relu", layer_norm_eps=1e-5, batch_first=True, norm_first=False,
        )
        self.blocks = nn.TransformerEncoder(layer, c["blocks"], enable_nested_tensor=False)
        self.head = nn.Linear(c["width"], c["classes"])

    def forward(self, x):
        h = self.blocks(self.project(x) + self.positions)
        return self.head(h.mean(1))


def busy_seconds():
    """CPU seconds every core has spent busy, from /proc/stat (None elsewhere)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except OSError:
        return None
    return sum(v for i, v in enumerate(fields) if i not in (3, 4)) / 100


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    c = json.loads(args.config)
    torch.set_num_threads(args.threads)
    torch.manual_seed(c["seed"])
    model = Encoder(c)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    x = torch.randn(c["batch"], c["steps"], c["features"])
    y = torch.randint(0, c["classes"], (c["batch"],))

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    rates, batches = [], []
    busy_before, cpu_before, start = busy_seconds(), time.process_time(), time.perf_counter()
    for _ in range(args.windows):
        t0, n = time.perf_counter(), 0
        while time.perf_counter() - t0 < args.seconds or n == 0:
            step()
            n += 1
        rates.append(n * c["batch"] / (time.perf_counter() - t0))
        batches.append(n)
    elapsed = time.perf_counter() - start
    busy_after, own = busy_seconds(), time.process_time() - cpu_before
    tuning = [f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ]
    setting = f"{args.threads} thread{'s' if args.threads > 1 else ''}, " + (" ".join(tuning) if tuning else "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset")
    print(json.dumps({
        "framework": f"PyTorch {torch.__version__}",
        "setting": setting,
        "samplesPerSecond": {"median": statistics.median(rates), "best": max(rates), "worst": min(rates), "windows": [round(r, 1) for r in rates]},
        "batchesPerWindow": batches,
        "otherCoresBusy": None if busy_before is None else max(0.0, (busy_after - busy_before - own) / elapsed),
    }))

if __name__ == "__main__":
    main()
