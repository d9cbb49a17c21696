#!/usr/bin/env python3
"""Write test/fixtures/lenet.json: a LeNet trained 1 epoch on 2,000 Fashion-MNIST images, PyTorch 1.13.

Run from the repository root:  /usr/bin/python3 tools/gen_lenet_fixture.py

Data: the first 2,000 training images and labels of Debian's Fashion-MNIST
(/usr/share/datasets/fashion-mnist, gzip IDX, parsed here with gzip + struct, no torchvision),
scaled like torchvision's ToTensor: x = uint8 / 255 in float32, shape [2000, 1, 28, 28].

Run: torch.manual_seed(0); LeNet from torch.nn modules (its initial weights come from the global
generator); SGD(lr=0.05, momentum=0.9); DataLoader(TensorDataset(x, y), batch_size=64,
shuffle=True) on the global generator; one epoch = 32 steps (31 × 64 + 16), recording the
cross-entropy loss of every step (before its update), plus summaries (first values, exact fsum)
of the initial weights and the first batch's labels, so a mismatch can be told apart from a
different init or shuffle, and summaries of the trained weights (for diagnosis; not tested).

    Conv2d(1, 6, 5, padding=2) ReLU MaxPool2d(2)
    Conv2d(6, 16, 5)           ReLU MaxPool2d(2)
    Flatten  Linear(400, 120) ReLU  Linear(120, 84) ReLU  Linear(84, 10)

test/nn/lenet-e2e.test.ts repeats it with nabla's loadIdxDataset, TensorDataset/DataLoader, nn
modules and optim.SGD.
"""

import gzip
import json
import math
import os
import struct

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

COMMAND = "/usr/bin/python3 tools/gen_lenet_fixture.py"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "lenet.json")
FASHION = "/usr/share/datasets/fashion-mnist"
N = 2000
SEED = 0
BATCH = 64
LR = 0.05
MOMENTUM = 0.9


def read_idx(path):
    """An IDX file of uint8 values: (shape, bytes)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    assert zero == 0 and dtype == 0x08, f"{path}: not a uint8 IDX file"
    shape = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    data = raw[4 + 4 * ndim :]
    assert len(data) == math.prod(shape), f"{path}: size mismatch"
    return list(shape), data


def load_data():
    ishape, images = read_idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz"))
    lshape, labels = read_idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz"))
    assert ishape[1:] == [28, 28] and lshape[0] == ishape[0]
    x = torch.frombuffer(bytearray(images[: N * 784]), dtype=torch.uint8).reshape(N, 1, 28, 28)
    x = x.to(torch.float32).div(255)  # torchvision's ToTensor
    y = torch.frombuffer(bytearray(labels[:N]), dtype=torch.uint8).to(torch.int64)
    return x, y


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def summary(t):
    v = t.detach().reshape(-1).to(torch.float64)
    return {"shape": list(t.shape), "first": v[:4].tolist(), "sum": math.fsum(v.tolist())}


def main():
    torch.set_num_threads(1)
    x, y = load_data()
    torch.manual_seed(SEED)
    model = lenet()
    initial = {name: summary(p) for name, p in model.named_parameters()}
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=True)
    losses, first_labels = [], None
    for xb, yb in loader:
        if first_labels is None:
            first_labels = yb.tolist()
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    fixture = {
        "command": COMMAND,
        "torch": torch.__version__,
        "n": N,
        "seed": SEED,
        "batchSize": BATCH,
        "lr": LR,
        "momentum": MOMENTUM,
        "data": {"pixelSum": float(x.to(torch.float64).sum().item()), "labelsHead": y[:16].tolist()},
        "initial": initial,
        "firstBatchLabels": first_labels,
        "losses": losses,
        "final": {name: summary(p) for name, p in model.named_parameters()},
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes); losses {losses[0]:.4f} → {losses[-1]:.4f}")


if __name__ == "__main__":
    main()
