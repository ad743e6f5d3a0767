"""Images and torchvision's logits for `wsol classify`, for weights written by models.py.

usage: classify.py OUT WEIGHTS
square.png (256x256): standard preprocessing is exact here (Resize(256) keeps the image, CenterCrop(224)).
wide.png (300x200): checked with --preprocess none (only ToTensor + Normalize)."""
import sys

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

out, weights = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(5)
model = torchvision.models.resnet18()
model.load_state_dict(torch.load(weights))
model.eval()
normalize = T.Compose([T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
standard = T.Compose([T.Resize(256), T.CenterCrop(224), normalize])
for name, (w, h), transform in [("square", (256, 256), standard), ("wide", (300, 200), normalize)]:
    pixels = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(f"{out}/{name}.png")
    with torch.no_grad():
        logits = model(transform(Image.open(f"{out}/{name}.png").convert("RGB")).unsqueeze(0))[0]
    np.save(f"{out}/{name}_logits.npy", logits.numpy())
