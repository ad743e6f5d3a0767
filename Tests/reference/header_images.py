"""JPEGs whose size sits behind more than the first read: progressive, and with a 30 KB EXIF-like APP1
segment before the frame header; plus a baseline one. Sizes come from PIL."""
import sys
import numpy as np
from PIL import Image

out = sys.argv[1]
rng = np.random.default_rng(3)
image = Image.fromarray(rng.integers(0, 256, (61, 83, 3), dtype=np.uint8))
image.save(f"{out}/baseline.jpg", quality=90)
image.save(f"{out}/progressive.jpg", quality=90, progressive=True)
image.save(f"{out}/big_app1.jpg", quality=90, exif=b"Exif\x00\x00" + bytes(30000))
for name in ["baseline.jpg", "progressive.jpg", "big_app1.jpg"]:
    w, h = Image.open(f"{out}/{name}").size
    np.save(f"{out}/{name}.npy", np.array([w, h], dtype=np.int64))
