"""A figure for docs/ from `wsol export-maps --compare` panels: per image, the first run's panel with
the compared run's map tiles beside it (its image tile cut off), rows stacked, scaled to 3/4 and
quantized to 256 colours. This is how docs/mask-study-paired.png was made:

    /usr/bin/python3 scripts/panel_montage.py runs/ms2/maps-prob-vs-bas docs/mask-study-paired.png \
        003.ostrich/ostrich_0041.jpg 006.pelican/pelican_0041.jpg 001.duck/duck_0041.jpg

usage: panel_montage.py EXPORT_FOLDER OUT_PNG IMAGE_ID...   (Debian's python3, which has PIL)"""
import os
import sys

from PIL import Image

TILE = 228  # the image tile's width in a panel (224 px and its margin)


def row(export, image_id):
    first = Image.open(os.path.join(export, "panels", image_id + ".png"))
    compared = Image.open(os.path.join(export, "compare", "panels", image_id + ".png"))
    compared = compared.crop((TILE, 0, compared.width, compared.height))
    out = Image.new("RGB", (first.width + compared.width, max(first.height, compared.height)), "white")
    out.paste(first, (0, 0))
    out.paste(compared, (first.width, 0))
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    export, target, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
    rows = [row(export, i) for i in ids]
    figure = Image.new("RGB", (max(r.width for r in rows), sum(r.height for r in rows)), "white")
    y = 0
    for r in rows:
        figure.paste(r, (0, y))
        y += r.height
    figure = figure.resize((figure.width * 3 // 4, figure.height * 3 // 4), Image.LANCZOS)
    figure.quantize(colors=256, method=Image.MEDIANCUT).save(target, optimize=True)


if __name__ == "__main__":
    main()
