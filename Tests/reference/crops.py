"""torchvision's crop geometry and normalization on an image already at the resize size, so only the
crop positions, the flip and the arithmetic are compared: ten_crop at 224 of 256, center_crop at 64
of 73 (an odd margin: torchvision rounds half to even)."""
import sys
import numpy as np
import torch
import torchvision.transforms.functional as TF

out = sys.argv[1]
rng = np.random.default_rng(5)
mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
for name, resize, size in [("ten", 256, 224), ("odd", 73, 64)]:
    image = rng.integers(0, 256, (resize, resize, 3), dtype=np.uint8)
    np.save(f"{out}/{name}_input.npy", image)
    t = TF.normalize(torch.from_numpy(image).permute(2, 0, 1).float() / 255, mean, std)
    if name == "ten":
        crops = torch.stack(TF.ten_crop(t, size))
    else:
        crops = TF.center_crop(t, size).unsqueeze(0)
    np.save(f"{out}/{name}_crops.npy", crops.numpy())
