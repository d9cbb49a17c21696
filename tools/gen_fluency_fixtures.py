"""PyTorch fixtures for nabla's PyTorch-fluency tests (test/fluency/*.test.ts).

Run: /usr/bin/python3 tools/gen_fluency_fixtures.py
Writes test/fixtures/fluency.json and test/fixtures/safetensors/torch_net_state.safetensors.
Every program below is written the way a PyTorch user writes it (positional arguments, float
literals, C[X] indexing, torch.autograd.grad); the tests run the same programs in nabla.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from gen_safetensors_fixture import write as write_safetensors  # noqa: E402

torch.set_printoptions(precision=8)
ROOT = os.path.join(os.path.dirname(__file__), "..")


def T(t):
    t = t.detach()
    dt = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int32", torch.bool: "bool"}[t.dtype]
    return {"dtype": dt, "shape": list(t.shape), "data": t.reshape(-1).tolist()}


out = {"command": "/usr/bin/python3 tools/gen_fluency_fixtures.py", "torch": torch.__version__}

# ---------------------------------------------------------------- positional forms
torch.manual_seed(0)
x = torch.randn(3, 4)
mx = x.max(1)
mn = x.min(0, True)
out["positional"] = {
    "x": T(x),
    "sum1": T(x.sum(1)),
    "sum1keep": T(x.sum(1, True)),
    "sum01": T(x.sum([0, 1])),
    "mean1": T(x.mean(1)),
    "mean0keep": T(x.mean(0, keepdim=True)),
    "argmax1": T(x.argmax(1)),
    "argmin0keep": T(x.argmin(0, True)),
    "max1_values": T(mx.values),
    "max1_indices": T(mx.indices),
    "min0keep_values": T(mn.values),
    "min0keep_indices": T(mn.indices),
    "std0": T(x.std(0)),
    "std0_biased": T(x.std(0, False)),
    "var1_keep": T(x.var(1, True, True)),
    "std_all_biased": T(x.std(False)),
    "logsumexp1": T(x.logsumexp(1)),
    "prod1": T(x.prod(1)),
    "logSoftmax1": T(F.log_softmax(x, 1)),
    "softmax0": T(x.softmax(0)),
    "norm": T(x.norm()),
    "norm_1_dim1": T(x.norm(1, 1)),
    "norm_2_dim0_keep": T(x.norm(2, 0, True)),
    "vector_norm_inf_1": T(torch.linalg.vector_norm(x, float("inf"), 1)),
    "vector_norm_3": T(torch.linalg.vector_norm(x, 3)),
    "log10": T(x.abs().log10()),
    "log2": T(x.abs().log2()),
}

# Layers built positionally, then run on one input drawn after them.
torch.manual_seed(1)
conv_s2 = nn.Conv2d(1, 4, 3, 2)
conv_p1 = nn.Conv2d(4, 3, 3, 1, 1)
lin_nobias = nn.Linear(3, 2, False)
pool = nn.MaxPool2d(3, 2)
bn = nn.BatchNorm2d(3, 1e-3)
drop = nn.Dropout(0.25)
img = torch.randn(2, 1, 9, 9)
y1 = conv_s2(img)
y2 = conv_p1(y1)
y3 = bn(y2)
y4 = pool(y3)
y5 = drop(y4.flatten(1))
y6 = lin_nobias(y5)
fp = F.max_pool2d(y3, 2)
fd = F.dropout(y3, 0.5)
fd_eval = F.dropout(y3, 0.5, False)
opt = torch.optim.SGD(lin_nobias.parameters(), 0.1, 0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.7)
lrs = []
for _ in range(4):
    opt.step()
    sched.step()
    lrs.append(opt.param_groups[0]["lr"])
torch.manual_seed(2)
r1 = torch.randn(3, 4)
r2 = torch.randint(0, 10, (32,))
r3 = torch.randint(10, (5,))
r4 = torch.rand(2, 3)
out["layers"] = {
    "conv_s2_out": T(y1),
    "conv_p1_out": T(y2),
    "bn_out": T(y3),
    "pool_out": T(y4),
    "dropout_out": T(y5),
    "linear_out": T(y6),
    "F_maxPool2d": T(fp),
    "F_dropout": T(fd),
    "F_dropout_eval": T(fd_eval),
    "steplr": lrs,
    "randn_3_4": T(r1),
    "randint_0_10_32": T(r2),
    "randint_10_5": T(r3),
    "rand_2_3": T(r4),
}

# ---------------------------------------------------------------- autograd.grad: WGAN-GP
torch.manual_seed(3)
critic = nn.Sequential(nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
real = torch.randn(6, 4)
fake = torch.randn(6, 4)
alpha = torch.rand(6, 1)
interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
d_interp = critic(interp)
(gradients,) = torch.autograd.grad(d_interp, interp, torch.ones_like(d_interp), create_graph=True, retain_graph=True)
assert all(p.grad is None for p in critic.parameters())
gp = ((gradients.norm(2, dim=1) - 1) ** 2).mean()
loss = critic(fake).mean() - critic(real).mean() + 10.0 * gp
loss.backward()
out["wgan_gp"] = {
    "gradients": T(gradients),
    "gp": gp.item(),
    "loss": loss.item(),
    "grads": {n: T(p.grad) for n, p in critic.named_parameters()},
    "interp_grad": T(interp.grad),
}

# backward(inputs=[w]) accumulates only into w.
torch.manual_seed(4)
w = torch.randn(3, 2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
xin = torch.randn(5, 3)
((xin @ w + b) ** 2).sum().backward(inputs=[w])
assert b.grad is None
out["backward_inputs"] = {"w": T(w), "b": T(b), "x": T(xin), "w_grad": T(w.grad)}

# ---------------------------------------------------------------- new ops with gradients
torch.manual_seed(5)
C = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
X = torch.tensor([[0, 1], [4, 4], [2, 0]])
emb = C[X]
wts = torch.randn(emb.shape, dtype=torch.float64)
(emb * wts).sum().backward()
M = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
rows = torch.tensor([0, 2, 3])
cols = torch.tensor([4, 0, -1])
picked = M[rows, cols]
cols_all = M[:, torch.tensor([1, 1, 3])]
(picked.sum() + (cols_all * 2.0).sum()).backward()
out["indexing"] = {
    "C": T(C), "X": T(X), "emb": T(emb), "wts": T(wts), "C_grad": T(C.grad),
    "M": T(M), "rows": T(rows), "cols": T(cols), "picked": T(picked), "cols_all": T(cols_all), "M_grad": T(M.grad),
}

torch.manual_seed(6)
e = nn.Embedding(7, 3, 0)
e_idx = torch.tensor([[0, 2, 6], [1, 0, 3]])
e_out = e(e_idx)
e_out.pow(2).sum().backward()
ln = nn.LayerNorm(4)
gn = nn.GroupNorm(2, 4)
with torch.no_grad():
    ln.weight.copy_(torch.tensor([1.0, 2.0, 0.5, -1.0]))
    ln.bias.copy_(torch.tensor([0.1, 0.0, -0.2, 0.3]))
    gn.weight.copy_(torch.tensor([0.5, 1.5, 1.0, 2.0]))
    gn.bias.copy_(torch.tensor([0.0, 0.1, 0.2, 0.3]))
a = torch.randn(2, 3, 4, requires_grad=True)
la = ln(a)
(la * torch.arange(24.0).reshape(2, 3, 4)).sum().backward()
g_in = torch.randn(2, 4, 3, 3, requires_grad=True)
go = gn(g_in)
(go * go).sum().backward()
out["modules"] = {
    "embedding_weight": T(e.weight), "embedding_idx": T(e_idx), "embedding_out": T(e_out), "embedding_grad": T(e.weight.grad),
    "ln_in": T(a), "ln_out": T(la), "ln_in_grad": T(a.grad), "ln_weight_grad": T(ln.weight.grad), "ln_bias_grad": T(ln.bias.grad),
    "gn_in": T(g_in), "gn_out": T(go), "gn_in_grad": T(g_in.grad), "gn_weight_grad": T(gn.weight.grad), "gn_bias_grad": T(gn.bias.grad),
}

# Random streams: exponential_ and multinomial.
torch.manual_seed(7)
ex32 = torch.empty(6).exponential_()
ex64 = torch.empty(4, dtype=torch.float64).exponential_(2.5)
probs = torch.tensor([[0.1, 0.2, 0.3, 0.4], [0.5, 0.0, 0.25, 0.25]])
m1 = torch.multinomial(probs, 1)
m3 = torch.multinomial(probs, 3)
mr = torch.multinomial(probs, 8, True)
m1d = torch.multinomial(torch.tensor([1.0, 3.0, 0.5]), 2)
out["random"] = {"exp32": T(ex32), "exp64": T(ex64), "probs": T(probs), "m1": T(m1), "m3": T(m3), "mr": T(mr), "m1d": T(m1d)}

# Adadelta on a small regression, with StepLR.
torch.manual_seed(8)
model = nn.Linear(3, 1)
xa = torch.randn(16, 3)
ya = torch.randn(16, 1)
opt = torch.optim.Adadelta(model.parameters(), 1.0, 0.9, 1e-6, 0.01)
sched = torch.optim.lr_scheduler.StepLR(opt, 2, 0.5)
losses = []
for _ in range(6):
    opt.zero_grad()
    l = F.mse_loss(model(xa), ya)
    l.backward()
    opt.step()
    sched.step()
    losses.append(l.item())
out["adadelta"] = {"losses": losses, "weight": T(model.weight), "bias": T(model.bias)}

# ---------------------------------------------------------------- a ported training program
# makemore-style character MLP (Karpathy's "building makemore part 2"), as its users write it.
words = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper", "evelyn"]
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
block_size = 3
Xs, Ys = [], []
for w_ in words:
    context = [0] * block_size
    for ch in w_ + ".":
        ix = stoi[ch]
        Xs.append(context)
        Ys.append(ix)
        context = context[1:] + [ix]
Xt = torch.tensor(Xs)
Yt = torch.tensor(Ys)
V = len(stoi)
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((V, 2), generator=g)
W1 = torch.randn((6, 16), generator=g) * 0.2
b1 = torch.randn(16, generator=g) * 0.01
W2 = torch.randn((16, V), generator=g) * 0.1
b2 = torch.tensor([0.0] * V)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True
losses = []
for i in range(40):
    ix = torch.randint(0, Xt.shape[0], (8,), generator=g)
    emb = C[Xt[ix]]
    h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yt[ix])
    grads = torch.autograd.grad(loss, parameters)
    lr = 0.1 if i < 30 else 0.01
    for p, gr in zip(parameters, grads):
        p.data += -lr * gr
    losses.append(loss.item())
with torch.no_grad():
    emb = C[Xt]
    h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
    logits = h @ W2 + b2
    full_loss = F.cross_entropy(logits, Yt).item()
    acc = (logits.argmax(1) == Yt).float().mean().item()
    top = logits.max(1)
out["makemore"] = {
    "X": Xs, "Y": Ys, "V": V, "losses": losses, "full_loss": full_loss, "accuracy": acc,
    "C": T(C), "top_values": T(top.values), "top_indices": T(top.indices),
}

# ---------------------------------------------------------------- state dict exchange
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1, 1)
        self.bn1 = nn.BatchNorm2d(4)
        self.linear_relu_stack = nn.Sequential(nn.Linear(4 * 3 * 3, 8), nn.ReLU(), nn.Linear(8, 3))
        self.out_norm = nn.LayerNorm(3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        return self.out_norm(self.linear_relu_stack(x.flatten(1)))


torch.manual_seed(9)
net = Net()
for _ in range(2):
    net(torch.randn(4, 1, 6, 6))  # moves the running statistics, num_batches_tracked = 2
with torch.no_grad():
    net.out_norm.weight.copy_(torch.tensor([1.5, 0.5, -1.0]))
net.eval()
probe = torch.randn(2, 1, 6, 6)
sd = net.state_dict()
write_safetensors(os.path.join(ROOT, "test/fixtures/safetensors/torch_net_state.safetensors"), dict(sd))
out["state_dict"] = {
    "keys": list(sd.keys()),
    "shapes": [list(v.shape) for v in sd.values()],
    "probe": T(probe),
    "probe_out": T(net(probe)),
}

with open(os.path.join(ROOT, "test/fixtures/fluency.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote test/fixtures/fluency.json")
