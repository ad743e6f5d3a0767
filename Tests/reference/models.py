"""torchvision classification models with seeded, well-spread weights, saved in the three weight-file
formats users have, plus an input and torchvision's eval-mode logits.

usage: models.py OUT ARCH SIZE [--train-step]
ARCH: resnet18 | resnet50 | inception_v3 | inception_v3_ti (with transform_input) | vgg16 |
vgg16_narrow (VGG16 with a 256-wide classifier, 10 classes: the same features at a fraction of the
file size)."""
import sys

import numpy as np
import torch
import torchvision

from safetensors_writer import save_safetensors

out, arch, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
train_step = "--train-step" in sys.argv
torch.manual_seed(0)


def build(arch):
    if arch == "vgg16_narrow":
        m = torchvision.models.vgg16()
        m.classifier[0] = torch.nn.Linear(512 * 7 * 7, 256)
        m.classifier[3] = torch.nn.Linear(256, 256)
        m.classifier[6] = torch.nn.Linear(256, 10)
        return m
    if arch.startswith("inception_v3"):
        return torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=True,
                                               transform_input=arch == "inception_v3_ti")
    return getattr(torchvision.models, arch)()


model = build(arch)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.2)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.uniform_(0.6, 1.4)
            m.bias.normal_(0, 0.2)
            m.num_batches_tracked.fill_(17)
x = torch.randn(2, 3, size, size)
model.eval()
head = model.classifier[6] if arch.startswith("vgg") else model.fc
with torch.no_grad():
    logits = model(x)
    # Scale the head so the logits have a standard deviation of about 3 (well spread, no near-ties).
    scale = 3.0 / float(logits.std())
    head.weight.mul_(scale)
    head.bias.mul_(scale)
    logits = model(x)
top = logits.topk(6, dim=1).values
assert float((top[:, :-1] - top[:, 1:]).min()) > 1e-3, "near-tie in the top 5: change the seed"

sd = model.state_dict()
torch.save(sd, f"{out}/weights.pth")
torch.save(sd, f"{out}/weights_legacy.pth", _use_new_zipfile_serialization=False)
save_safetensors(sd, f"{out}/weights.safetensors")
np.save(f"{out}/input.npy", x.numpy())
np.save(f"{out}/logits.npy", logits.numpy())

if train_step:
    # One training-mode forward/backward/SGD step on the same weights.
    model.train()
    target = torch.tensor([3, 7])
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    opt.zero_grad()
    y = model(x)
    loss = torch.nn.functional.cross_entropy(y, target)
    loss.backward()
    np.save(f"{out}/train_logits.npy", y.detach().numpy())
    np.save(f"{out}/train_target.npy", target.numpy())
    for name, p in model.named_parameters():
        np.save(f"{out}/grad__{name}.npy", p.grad.numpy())
    opt.step()
    for name, t in model.state_dict().items():
        np.save(f"{out}/after__{name}.npy", t.numpy())
