"""Weight files a WSOL user has, written by Debian's torch: torchvision ImageNet-style files (the whole
classifier included) and BAS-Ext checkpoints (`.pth.tar` holding {'model': state_dict, ...}; VGG16
with BAS-Ext's conv1_1 ... conv5_3 names, ResNet50 with torchvision's). Each file's key list goes to
<file>.keys.json so the test knows what to expect.

usage: wsol_checkpoints.py OUT imagenet ARCH | bas ARCH CLASSES HEAD_WIDTH [--dataparallel]"""
import json
import sys

import torch
import torch.nn as nn
import torchvision

out, kind, arch = sys.argv[1], sys.argv[2], sys.argv[3]
torch.manual_seed(0)


def backbone(arch):
    if arch == "vgg16":  # a narrow classifier: the same keys at a fraction of the size
        m = torchvision.models.vgg16()
        m.classifier[0], m.classifier[3], m.classifier[6] = nn.Linear(25088, 8), nn.Linear(8, 8), nn.Linear(8, 1000)
        return m
    if arch == "inception_v3":
        return torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=True)
    return getattr(torchvision.models, arch)()


def save(obj, keys, name, **kwargs):
    torch.save(obj, f"{out}/{name}", **kwargs)
    with open(f"{out}/{name}.keys.json", "w") as f:
        json.dump(keys, f)


if kind == "imagenet":
    sd = backbone(arch).state_dict()
    save(sd, list(sd.keys()), f"{arch}-imagenet.pth")
else:
    classes, width = int(sys.argv[4]), int(sys.argv[5])
    sd = backbone(arch).state_dict()
    names = {0: "conv1_1", 2: "conv1_2", 5: "conv2_1", 7: "conv2_2", 10: "conv3_1", 12: "conv3_2", 14: "conv3_3",
             17: "conv4_1", 19: "conv4_2", 21: "conv4_3", 24: "conv5_1", 26: "conv5_2", 28: "conv5_3"}
    model = {}
    for k, v in sd.items():
        head = k.split(".")[0]
        if head in ("fc", "classifier", "AuxLogits"):
            continue
        if arch == "vgg16":  # features.N.weight -> convX_Y.weight
            _, index, leaf = k.split(".")
            k = f"{names[int(index)]}.{leaf}"
        model[k] = v
    cin = {"vgg16": 512, "resnet50": 2048, "resnet18": 512, "inception_v3": 2048}[arch]
    f2 = {"vgg16": 512, "resnet50": 1024, "resnet18": 256, "inception_v3": 768}[arch]
    cls = nn.Sequential(nn.Conv2d(cin, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, width, 3, padding=1),
                        nn.ReLU(), nn.Conv2d(width, classes, 1))
    loc = nn.Sequential(nn.Conv2d(f2, classes, 3, padding=1), nn.Sigmoid())
    for prefix, m in (("classifier_cls", cls), ("classifier_loc", loc)):
        for k, v in m.state_dict().items():
            model[f"{prefix}.{k}"] = v
    if "--dataparallel" in sys.argv:
        model = {f"module.{k}": v for k, v in model.items()}
    # BAS-Ext saves a dict with the state dict under 'model' beside training state.
    save({"model": model, "epoch": 119, "best_gt_known": 95.41}, list(model.keys()), f"{arch}-bas.pth.tar",
         _use_new_zipfile_serialization=False)
