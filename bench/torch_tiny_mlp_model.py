"""Exercise 1's tiny MLP step in PyTorch, shared by bench/torch_bench.py and bench/torch_tiny_mlp.py
(bench/tiny-mlp-model.ts is nabla's side)."""
import torch


def tiny_mlp_step():
    """A step function over freshly seeded weights and data."""
    torch.manual_seed(0)
    X, Y = torch.rand(4, 1), torch.rand(1, 1)
    params = []
    for l in range(1, 7):
        rows = 4 if l < 6 else 1
        params.append((torch.rand(rows, 4, requires_grad=True), torch.rand(rows, 1, requires_grad=True)))

    def step():
        y = X
        for i, (A, b) in enumerate(params):
            z = A @ y + b
            y = torch.sigmoid(z) if i < 5 else z
        loss = 0.5 * (y - Y) ** 2
        for A, b in params:
            A.grad = None
            b.grad = None
        loss.backward()

    return step
