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

# Photograph-like JPEGs in the encodings cameras and PIL write (4:2:0 baseline, progressive, 4:4:4),
# and OpenCV's own decoding of every JPEG here, whole and at 1/2, 1/4, 1/8 (IMREAD_REDUCED_*), channels
# turned to RGB: the decoder the loader replaces (jpeg_decode.cpp) must give the same pixels.
import cv2

base = rng.integers(0, 256, (9, 12, 3), dtype=np.uint8)
smooth = np.asarray(Image.fromarray(base).resize((203, 151), Image.BICUBIC)).astype(int)
photo = np.clip(smooth + rng.integers(-20, 21, smooth.shape), 0, 255).astype(np.uint8)
Image.fromarray(photo).save(f"{out}/photo.jpg", quality=90)
Image.fromarray(photo).save(f"{out}/progressive.jpg", quality=90, progressive=True)
Image.fromarray(photo).save(f"{out}/full-chroma.jpg", quality=90, subsampling=0)
reduced = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
           8: cv2.IMREAD_REDUCED_COLOR_8}
for name in ["rgb.jpg", "gray.jpg", "cmyk.jpg", "photo.jpg", "progressive.jpg", "full-chroma.jpg"]:
    data = np.fromfile(f"{out}/{name}", dtype=np.uint8)
    for reduce, flag in reduced.items():
        bgr = cv2.imdecode(data, flag | cv2.IMREAD_IGNORE_ORIENTATION)
        np.save(f"{out}/{name}.cv2-{reduce}.npy", np.ascontiguousarray(bgr[:, :, ::-1]))
