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

import torch
import torch.nn.functional as F
from torch import nn

from sequence_timing import add_timing_arguments, measure


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--threads", type=int, required=True)
    add_timing_arguments(parser)
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

    measure(step, c["batch"], args, f"PyTorch {torch.__version__}")

if __name__ == "__main__":
    main()
