"""Parity data for the WSOL method: the reference model of wsol_reference.py with spread weights, one
training forward and backward, everything written for the Swift tests.

usage: wsol_method.py OUT ARCH SIZE CONFIG_JSON  (CONFIG_JSON: wsol_reference's cfg plus "batch", "seed",
"dtype"). Writes OUT/weights.safetensors (our key names), x.npy, labels.npy, the outputs (scores, f3,
mf1, mf2, s_fg, s_bg, s_bg1).npy, loss_<term>.npy for every term, terms.json, grads.safetensors and
buffers_after.safetensors (running statistics after the step's forward)."""
import json
import sys

import numpy as np
import torch

from safetensors_writer import save_safetensors
from wsol_reference import Reference, forward_and_loss

out, arch, size, cfg = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
torch.manual_seed(cfg.get("seed", 0))
dtype = torch.float64 if cfg.get("dtype", "float64") == "float64" else torch.float32
C = cfg["classes"]

model = Reference(arch, cfg).to(dtype)
with torch.no_grad():  # spread weights so that every term is far from zero
    for p in model.parameters():
        if p.dim() > 1:
            p.normal_(0, (2.0 / p[0].numel()) ** 0.5)
        else:
            p.uniform_(-0.2, 0.2)
    for name, b in model.named_buffers():
        if name.endswith("running_var"):
            b.uniform_(0.5, 1.5)
        elif name.endswith("running_mean"):
            b.uniform_(-0.2, 0.2)
save_safetensors(dict(model.state_dict()), f"{out}/weights.safetensors")

model.train()
B = cfg.get("batch", 2)
x = torch.randn(B, 3, size, size, dtype=dtype)
labels = torch.arange(B) % C
np.save(f"{out}/x.npy", x.numpy())
np.save(f"{out}/labels.npy", labels.numpy())

outputs, terms = forward_and_loss(model, x, labels)
total = sum(terms.values())
total.backward()
for name, t in outputs.items():
    np.save(f"{out}/{name}.npy", t.detach().numpy())
for name, t in terms.items():
    np.save(f"{out}/loss_{name}.npy", t.detach().numpy())
save_safetensors({n: p.grad for n, p in model.named_parameters() if p.grad is not None}, f"{out}/grads.safetensors")
save_safetensors({n: b for n, b in model.named_buffers()}, f"{out}/buffers_after.safetensors")
with open(f"{out}/terms.json", "w") as fh:
    json.dump(list(terms.keys()), fh)
