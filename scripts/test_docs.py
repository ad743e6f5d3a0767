"""`make test-docs`: the README's commands work in a fresh clone.

Clones the checkout's HEAD into a temporary folder, builds it there (release: the README's `wsol` is
.build/release/wsol), writes small stand-ins for what a user downloads (a `wsol synth` set where the
README says CUB-200-2011, torchvision- and BAS-Ext-format weight files written by Debian's torch), then
runs every README block fenced as ```sh runnable, in order, each in one bash -euo pipefail, and checks
exit codes and the files the README says appear. The substitutions below shrink what would take hours
(100 epochs of ResNet50 on CUB) or needs the network; each must match the README, or the test fails,
so the README cannot drift from what is tested. `make test` is CI's own step, so it is left out here.

Measured on the 2-core machine with other work on it (load average 4.5-7.8): 14 min 10 s in all, of
which the release build from scratch 413 s, the reduced demo 331 s, the CUB block 45 s and the BAS-Ext
block 55 s. Release, not debug: the README's own commands (`make build`, `make demo`) build release,
so a debug build would be a second build on top.

usage: /usr/bin/python3 scripts/test_docs.py [--keep]   (run from anywhere inside the checkout)"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# (README text, what runs instead, why). Every entry must occur in some runnable block.
SUBSTITUTIONS = [
    ("make weights", "echo 'make weights: skipped (network); stand-in files are in weights/'",
     "downloading needs the internet; the stand-in weight files are written below"),
    ("make demo", "PRETRAIN_EPOCHS=1 EPOCHS=1 DECAY=1 make demo",
     "the demo's full recipe takes ~15 minutes; one epoch each runs every step"),
    ("make test", "echo 'make test: CI runs it as its own step'", "CI runs the suite itself"),
    ("--out runs/cub-resnet50-sfpnsc",
     "--epochs 1 --image-size 64 --batch-size 4 --head-width 16 --val-per-class 1 --out runs/cub-resnet50-sfpnsc",
     "one epoch at 64 px instead of CUB's 100 epochs at 224"),
    ("data/CUB_200_2011/images/001.Black_footed_Albatross/Black_Footed_Albatross_0001_796111.jpg",
     "STANDIN_IMAGE", "the stand-in dataset's first image"),
]
# Files the README's commands must have produced (relative to the clone).
EXPECTED = [
    "demo-out/maps/index.html", "demo-out/runs/cam/eval.json", "demo-out/runs/bas/eval.json",
    "demo-out/runs/sfpnsc/eval.json",
    "runs/cub-resnet50-sfpnsc/checkpoints/best.safetensors", "maps/cub-resnet50-sfpnsc/index.html",
    "maps/cub-resnet50-sfpnsc/boxes.csv", "localized", "maps/bas-cub/index.html",
]


def sh(cmd, cwd, log, env=None):
    """Runs a bash script; its output goes to log. Returns (exit code, seconds)."""
    start = time.time()
    with open(log, "w") as f:
        code = subprocess.run(["bash", "-euo", "pipefail", "-c", cmd], cwd=cwd, stdout=f, stderr=subprocess.STDOUT,
                              env=env).returncode
    return code, time.time() - start


def blocks(readme):
    """The ```sh runnable blocks of the README, as (line number, text)."""
    found, lines, i = [], readme.splitlines(), 0
    while i < len(lines):
        if lines[i].strip() == "```sh runnable":
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            found.append((start, "\n".join(body)))
        i += 1
    return found


def fail(message):
    print(f"test-docs: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    source = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                            check=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="wsol-test-docs-")
    clone = os.path.join(work, "wsol")
    # Every child (swift build's TemporaryDirectory.* folders, the README's commands) keeps its
    # temporary files inside the work folder, which goes at the end.
    os.makedirs(os.path.join(work, "tmp"))
    os.environ["TMPDIR"] = os.path.join(work, "tmp")
    began = time.time()
    try:
        subprocess.run(["git", "clone", "-q", source, clone], check=True)
        head = subprocess.run(["git", "-C", clone, "log", "-1", "--format=%h %s"], capture_output=True, text=True)
        print(f"test-docs: cloned {source} at {head.stdout.strip()} into {clone}")
        with open(os.path.join(clone, "README.md")) as f:
            runnable = blocks(f.read())
        if not runnable:
            fail("README.md has no ```sh runnable block")
        text = "\n".join(b for _, b in runnable)
        for old, _, why in SUBSTITUTIONS:
            if old not in text:
                fail(f"README.md: no runnable block contains {old!r} any more ({why}): update scripts/test_docs.py")

        code, took = sh("swift build -c release >/dev/null", clone, os.path.join(work, "build.log"))
        if code:
            fail(f"release build failed in the clone (log: {work}/build.log)")
        print(f"test-docs: release build from scratch {took:.0f} s")

        # The photo sources: the checkout's unpacked copy when there is one (no network needed).
        here = os.path.join(source, "data", "sources")
        if os.path.isfile(os.path.join(here, "PACKAGES")):
            os.makedirs(os.path.join(clone, "data"))
            os.symlink(here, os.path.join(clone, "data", "sources"))
        code, took = sh(STANDINS, clone, os.path.join(work, "standins.log"))
        if code:
            fail(f"writing the stand-in data failed (log: {work}/standins.log)")
        with open(os.path.join(clone, "standin-image.txt")) as f:
            image = f.read().strip()

        env = dict(os.environ, PATH=os.path.join(clone, ".build", "release") + os.pathsep + os.environ["PATH"])
        for n, (line, body) in enumerate(runnable, 1):
            for old, new, _ in SUBSTITUTIONS:
                body = body.replace(old, new.replace("STANDIN_IMAGE", image))
            log = os.path.join(work, f"block{n}.log")
            code, took = sh(body, clone, log, env)
            print(f"test-docs: README.md:{line}: block {n} exit {code}, {took:.0f} s")
            if code:
                with open(log) as f:
                    tail = f.read().splitlines()[-15:]
                print("\n".join("    " + t for t in tail), file=sys.stderr)
                fail(f"README.md:{line}: block {n} failed with exit code {code} (log: {log})")
        missing = [p for p in EXPECTED if not os.path.exists(os.path.join(clone, p))]
        if missing:
            fail(f"the README's commands did not produce: {', '.join(missing)}")
        print(f"test-docs: {len(runnable)} README blocks passed, {len(EXPECTED)} outputs present, "
              f"{time.time() - began:.0f} s in all")
    finally:
        if "--keep" in sys.argv:
            print(f"test-docs: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# Stand-ins, written in the clone before the README runs: CUB-200-2011's layout from `wsol synth`
# (3 classes), torchvision's resnet50 file name holding randomly initialized weights (Debian's torch),
# and a BAS-Ext-format checkpoint for those 3 classes.
STANDINS = r"""
wsol=.build/release/wsol
$wsol synth --out data/CUB_200_2011 --classes 3 --train-per-class 4 --test-per-class 2 --size 96 --seed 0 >/dev/null
mkdir -p weights/standin
/usr/bin/python3 Tests/reference/wsol_checkpoints.py weights/standin imagenet resnet50
/usr/bin/python3 Tests/reference/wsol_checkpoints.py weights/standin bas resnet50 3 16
mv weights/standin/resnet50-imagenet.pth weights/resnet50-0676ba61.pth
mv weights/standin/resnet50-bas.pth.tar weights/BAS-Ext-CUB-resnet50.pth.tar
echo "data/CUB_200_2011/images/$(head -1 data/CUB_200_2011/images.txt | cut -d' ' -f2)" > standin-image.txt
"""

if __name__ == "__main__":
    main()
