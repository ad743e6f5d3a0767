"""A miniature of the Debian photo sources, in their dpkg -x layout, written with OpenCV: Tux Paint
stamps (category folders of PNG cut-outs with alpha), one for each catalog rule, Scratch-style
background photos, and each package's copyright file."""
import os
import sys
import cv2
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(5)
stamps = f"{out}/usr/share/tuxpaint/stamps"


def write(rel, image):
    path = f"{stamps}/{rel}"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    cv2.imwrite(path, image)


def cutout(h, w, textured=True, alpha_inside=255, colour=(40, 120, 200)):
    """An ellipse with a soft edge on a transparent ground; textured = photo-like grain."""
    yy, xx = np.mgrid[0:h, 0:w]
    r = ((xx - w / 2 + 0.5) / (w * 0.42)) ** 2 + ((yy - h / 2 + 0.5) / (h * 0.42)) ** 2
    alpha = np.clip((1.0 - r) * 8, 0, 1) * alpha_inside
    bgr = np.empty((h, w, 3), np.float64)
    bgr[:] = colour
    if textured:
        bgr += rng.normal(0, 18, (h, w, 3)) + (xx[..., None] * 60.0 / w)
    return np.dstack([np.clip(bgr, 0, 255), alpha]).astype(np.uint8)


write("animals/birds/robin.png", cutout(60, 80))
write("animals/birds/wren.png", cutout(90, 50, colour=(90, 60, 30)))
write("animals/birds/wren_mirror.png", cv2.flip(cutout(90, 50, colour=(90, 60, 30)), 1))
write("animals/birds/flat.png", cutout(70, 70, textured=False))                 # flat colours
write("animals/birds/glass.png", cutout(70, 70, alpha_inside=200))              # translucent
write("animals/birds/tiny.png", cutout(20, 20))                                 # too small
write("animals/birds/cartoon/tux.png", cutout(60, 60))                          # cartoon folder
cv2.imwrite(f"{stamps}/animals/birds/opaque.png", cutout(60, 60)[:, :, :3])     # no alpha
write("animals/birds/colour_me.png", cutout(60, 60))                            # colorable template
with open(f"{stamps}/animals/birds/colour_me.dat", "w") as f:
    f.write("colorable\n")
with open(f"{stamps}/animals/birds/robin.txt", "w") as f:
    f.write("A robin.\nfr.utf8=Un rouge-gorge.\n")
with open(f"{stamps}/animals/birds/swallow.svg", "w") as f:                     # vector drawing
    f.write("<svg xmlns='http://www.w3.org/2000/svg'/>\n")
write("animals/fish/robin.png", cutout(50, 90, colour=(30, 160, 60)))           # same stem as a bird
write("animals/fish/twin.png", cv2.imread(f"{stamps}/animals/fish/robin.png", cv2.IMREAD_UNCHANGED))
write("food/fruit/plum.png", cutout(64, 64, colour=(120, 30, 90)))
with open(f"{stamps}/food/fruit/plum.dat", "w") as f:
    f.write("nomirror\n")

for rel in ["Nature/field.jpg", "Outdoors/wall.jpg"]:
    path = f"{out}/usr/share/scratch/Media/Backgrounds/{rel}"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ground = rng.integers(0, 256, (1, 1, 3)) * np.ones((150, 200, 3)) + rng.normal(0, 25, (150, 200, 3))
    cv2.imwrite(path, np.clip(ground, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 90])
cv2.imwrite(f"{out}/usr/share/scratch/Media/Backgrounds/drawn.gif.png", np.zeros((80, 80, 3), np.uint8))

for package in ["tuxpaint-stamps-default", "scratch"]:
    os.makedirs(f"{out}/usr/share/doc/{package}", exist_ok=True)
    with open(f"{out}/usr/share/doc/{package}/copyright", "w") as f:
        f.write(f"Files: *\nLicense: GPL-2 ({package} test fixture)\n")
with open(f"{out}/usr/share/doc/tuxpaint-stamps-default/changelog.Debian.gz", "wb") as f:
    f.write(b"not a credit file")
