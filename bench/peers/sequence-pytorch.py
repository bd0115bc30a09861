"""PyTorch on the sequence benchmark of layerwise (see bench/peers/sequence-common.ts).

Embedding(10000, 128) -> LSTM(128) -> Linear(1) with a sigmoid folded into the loss (BCEWithLogitsLoss,
the numerically equal form PyTorch recommends), sequences of 100 tokens, batches of 64, Adam with Keras's
defaults, random tokens. Training throughput is timed in windows; one JSON line goes to standard output.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/sequence-pytorch.py --threads 1 [--windows 5 --seconds 4]

Unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE in the command that runs it for PyTorch's best speed.
"""

import argparse

import torch
from torch import nn

from sequence_timing import add_timing_arguments, measure

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    add_timing_arguments(parser)
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

    measure(step, BATCH, args, f"PyTorch {torch.__version__}")


if __name__ == "__main__":
    main()
