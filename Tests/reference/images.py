"""Images in the modes users' datasets contain, written by PIL, with PIL's RGB decoding of each."""
import sys
import numpy as np
from PIL import Image

out = sys.argv[1]
rng = np.random.default_rng(11)
h, w = 37, 53
yy, xx = np.mgrid[0:h, 0:w]
rgb = np.stack([xx * 255 // (w - 1), yy * 255 // (h - 1), (xx + yy) * 255 // (w + h - 2)], -1).astype(np.uint8)

images = {
    "rgb.png": Image.fromarray(rgb, "RGB"),
    "gray.png": Image.fromarray(rgb[:, :, 0], "L"),
    "rgba.png": Image.fromarray(np.dstack([rgb, rng.integers(0, 256, (h, w), dtype=np.uint8)]), "RGBA"),
    "rgb.jpg": Image.fromarray(rgb, "RGB"),
    "gray.jpg": Image.fromarray(rgb[:, :, 1], "L"),
    "cmyk.jpg": Image.fromarray(rgb, "RGB").convert("CMYK"),
}
for name, image in images.items():
    image.save(f"{out}/{name}", quality=95) if name.endswith(".jpg") else image.save(f"{out}/{name}")
    np.save(f"{out}/{name}.npy", np.asarray(Image.open(f"{out}/{name}").convert("RGB")))
with open(f"{out}/corrupt.jpg", "wb") as f:
    f.write(open(f"{out}/rgb.jpg", "rb").read()[:40])
