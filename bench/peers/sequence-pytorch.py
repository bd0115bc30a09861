"""PyTorch on the sequence benchmark of layerwise (see bench/peers/sequence-common.ts).

Embedding(10000, 128) -> LSTM(128) -> Linear(1) with a sigmoid folded into the loss (BCEWithLogitsLoss,
the numerically equal form PyTorch recommends), sequences of 100 tokens, batches of 64, Adam with Keras's
defaults, random tokens. Training throughput is timed in windows; one JSON line goes to standard output.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/sequence-pytorch.py --threads 1 [--windows 5 --seconds 4]

Unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE in the command that runs it for PyTorch's best speed.
"""

import argparse
import json
import os
import statistics
import time

import torch
from torch import nn

VOCAB, EMBEDDING, UNITS, STEPS, BATCH = 10_000, 128, 128, 100, 64


class TextModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, EMBEDDING)
        self.lstm = nn.LSTM(EMBEDDING, UNITS, batch_first=True)
        self.dense = nn.Linear(UNITS, 1)

    def forward(self, tokens):
        _, (h, _) = self.lstm(self.embedding(tokens))
        return self.dense(h[-1])


def busy_seconds():
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except OSError:
        return None
    return sum(v for i, v in enumerate(fields) if i not in (3, 4)) / 100


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = TextModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(42)

    def step():
        tokens = torch.randint(1, VOCAB, (BATCH, STEPS), generator=generator)
        labels = torch.randint(0, 2, (BATCH, 1), generator=generator).float()
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(tokens), labels)
        loss.backward()
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
        rates.append(n * BATCH / (time.perf_counter() - t0))
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
