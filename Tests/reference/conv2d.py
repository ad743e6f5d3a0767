"""conv2d forward and gradients in float64 by Debian's PyTorch, on float32-representable inputs."""
import sys
import numpy as np
import torch
import torch.nn.functional as F

out = sys.argv[1]
rng = np.random.default_rng(7)
cases = {
    "plain": dict(x=(2, 3, 9, 11), w=(4, 3, 3, 3), stride=1, padding=1, dilation=1, groups=1),
    "strided": dict(x=(2, 4, 13, 10), w=(6, 2, 3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
}
for name, c in cases.items():
    x = rng.standard_normal(c["x"]).astype(np.float32)
    w = rng.standard_normal(c["w"]).astype(np.float32)
    b = rng.standard_normal(c["w"][0]).astype(np.float32)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    y = F.conv2d(xt, wt, bt, stride=c["stride"], padding=c["padding"], dilation=c["dilation"], groups=c["groups"])
    g = rng.standard_normal(tuple(y.shape)).astype(np.float32)
    y.backward(torch.tensor(g, dtype=torch.float64))
    for key, value in dict(x=x, w=w, b=b, g=g, y=y.detach().numpy(), gx=xt.grad.numpy(),
                           gw=wt.grad.numpy(), gb=bt.grad.numpy()).items():
        np.save(f"{out}/{name}_{key}.npy", value)
