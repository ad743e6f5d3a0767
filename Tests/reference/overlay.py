"""A JET heat map blended on an RGB image by OpenCV as the field's figure code does it: the map resized
bilinearly to the image, uint8(round(map * 255)), applyColorMap(JET) turned from BGR to RGB, then
0.5 * image + 0.5 * heat. Maps of a size other than the image's (14x14, 28x28) and an image that is not
square."""
import sys
import numpy as np
import cv2

out = sys.argv[1]
rng = np.random.default_rng(5)
h, w = 150, 200
yy, xx = np.mgrid[0:h, 0:w]
image = np.stack([xx * 255 // (w - 1), yy * 255 // (h - 1), rng.integers(0, 256, (h, w))], -1)
image = image.astype(np.uint8)
np.save(f"{out}/image.npy", image)
for name, size in (("map14", 14), ("map28", 28)):
    m = rng.random((size, size)).astype(np.float32)
    m[0, 0], m[-1, -1] = 0.0, 1.0
    np.save(f"{out}/{name}.npy", m)
    resized = cv2.resize(m, (w, h), interpolation=cv2.INTER_LINEAR)
    gray = np.clip(np.rint(resized * np.float32(255)), 0, 255).astype(np.uint8)
    heat = cv2.cvtColor(cv2.applyColorMap(gray, cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB)
    np.save(f"{out}/{name}_overlay.npy", cv2.addWeighted(image, 0.5, heat, 0.5, 0))
