"""The PyTorch twin of examples/01-backprop.ts (docs/exercises.md exercise 1).

Writes test/fixtures/ex01-backprop.json with what this program prints, which the example must
reproduce exactly. Run: /usr/bin/python3 tools/ex01_backprop.py
"""
import io
import json
import os
from contextlib import redirect_stdout

import torch

L = 6


def main():
    torch.manual_seed(0)
    X = torch.rand(4, 1)
    Y = torch.rand(1, 1)
    A, b = [], []
    for l in range(1, L + 1):
        rows = 4 if l < L else 1
        A.append(torch.rand(rows, 4, requires_grad=True))
        b.append(torch.rand(rows, 1, requires_grad=True))

    ys, zs = [X], []
    for l in range(L):
        z = A[l] @ ys[l] + b[l]
        zs.append(z)
        ys.append(torch.sigmoid(z) if l < L - 1 else z)
    loss = 0.5 * (ys[L] - Y) ** 2
    loss.backward()

    with torch.no_grad():
        delta = ys[L] - Y
        for l in range(L - 2, -1, -1):
            s = torch.sigmoid(zs[l])
            delta = torch.diagflat(s * (1 - s)) @ A[l + 1].t() @ delta
        manual = delta @ X.t()

    print("dloss/dA1 by autograd:")
    print(A[0].grad)
    print("dloss/dA1 by hand:")
    print(manual)


if __name__ == "__main__":
    buf = io.StringIO()
    with redirect_stdout(buf):
        main()
    out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "ex01-backprop.json")
    with open(out, "w") as f:
        json.dump({"command": "/usr/bin/python3 tools/ex01_backprop.py", "torch": torch.__version__, "stdout": buf.getvalue()}, f, indent=2)
        f.write("\n")
    print(buf.getvalue(), end="")
