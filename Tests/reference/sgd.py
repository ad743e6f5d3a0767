"""torch.optim.SGD over 5 steps of a small two-layer regression, in float64 by Debian's PyTorch.

Two parameter groups (W1, b1 | W2, b2) with their own lr and weight decay; after step 3 both learning
rates change. Saves the float32 inputs, then per config the parameters and momentum buffers after step 5.
"""
import sys
import numpy as np
import torch
import torch.nn.functional as F

out = sys.argv[1]
rng = np.random.default_rng(99)
init = {"W1": rng.standard_normal((4, 3)), "b1": rng.standard_normal(4),
        "W2": rng.standard_normal((2, 4)), "b2": rng.standard_normal(2)}
init = {k: v.astype(np.float32) for k, v in init.items()}
x = rng.standard_normal((8, 3)).astype(np.float32)
y = rng.standard_normal((8, 2)).astype(np.float32)
for k, v in dict(init, x=x, y=y).items():
    np.save(f"{out}/{k}.npy", v)

# name: (momentum, dampening, nesterov); lrs before and after step 3; weight decays per group.
configs = {"nesterov": (0.9, 0.0, True), "heavy_ball": (0.5, 0.1, False), "plain": (0.0, 0.0, False)}
lrs, new_lrs, decays = (0.1, 0.05), (0.02, 0.2), (1e-2, 5e-3)
for name, (momentum, dampening, nesterov) in configs.items():
    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in init.items()}
    opt = torch.optim.SGD([{"params": [p["W1"], p["b1"]], "lr": lrs[0], "weight_decay": decays[0]},
                           {"params": [p["W2"], p["b2"]], "lr": lrs[1], "weight_decay": decays[1]}],
                          lr=lrs[0], momentum=momentum, dampening=dampening, nesterov=nesterov)
    xt, yt = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    for step in range(1, 6):
        if step == 4:
            for group, lr in zip(opt.param_groups, new_lrs):
                group["lr"] = lr
        opt.zero_grad()
        h = F.linear(xt, p["W1"], p["b1"]).relu()
        F.mse_loss(F.linear(h, p["W2"], p["b2"]), yt).backward()
        opt.step()
    for k, v in p.items():
        np.save(f"{out}/{name}_{k}.npy", v.detach().numpy())
        if momentum:
            np.save(f"{out}/{name}_{k}_momentum.npy", opt.state[v]["momentum_buffer"].numpy())
