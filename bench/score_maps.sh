#!/usr/bin/env bash
# maps/s of `wsol score-maps` (full-image protocol, MaxBoxAcc + MaxBoxAccV2) on 500 random 224x224
# maps, at intervals 0.01 and 0.001, against the plain numpy + OpenCV Python statement of the same
# protocol (Tests/reference/wsoleval_ref.py, Debian's /usr/bin/python3 with python3-opencv). The
# Python side runs on the first 200 maps at 0.01 and 20 at 0.001 (all 500 would take minutes per
# round); rates are per map either way, and both sides' figures on all 500 maps are printed at the end.
# Each interval's runs alternate (bench/lib/result.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
PY=/usr/bin/python3
N=${N:-500}
PY_LIMIT=${PY_LIMIT:-200}
PY_LIMIT_FINE=${PY_LIMIT_FINE:-20}
# wsol evaluates on WSOL_THREADS worker threads (default: every core); the Python side is one thread.
export WSOL_THREADS=${WSOL_THREADS:-$(nproc)}
echo "score-maps: wsol on $WSOL_THREADS thread(s), python+cv2 on 1"

"$PY" -c "import cv2" 2>/dev/null || { echo "score_maps: needs python3-opencv (apt-get install python3-opencv)"; exit 1; }
[ -x .build/release/wsol ] || swift build -c release >/dev/null
WSOL=.build/release/wsol

DATA=$(mktemp -d /tmp/wsol-bench-score-maps.XXXXXX)
trap 'rm -rf "$DATA"' EXIT
"$PY" - "$DATA" "$N" <<'PYEOF'
import os, sys
import numpy as np
out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
yy, xx = np.mgrid[0:224, 0:224].astype(np.float64)
ids, sizes, locs = [], [], []
for i in range(n):
    image_id = f"{i % 20:03d}.c{i % 20}/img_{i}.jpg"
    m = np.zeros((224, 224))
    for _ in range(rng.integers(1, 4)):
        cy, cx, sy, sx = rng.uniform(20, 204), rng.uniform(20, 204), rng.uniform(10, 60), rng.uniform(10, 60)
        m += rng.uniform(0.3, 1) * np.exp(-((yy - cy) / sy) ** 2 - ((xx - cx) / sx) ** 2)
    m += 0.05 * rng.random((224, 224))
    m = ((m - m.min()) / (m.max() - m.min())).astype(np.float32)
    os.makedirs(f"{out}/maps/{os.path.dirname(image_id)}", exist_ok=True)
    np.save(f"{out}/maps/{image_id}.npy", m)
    w, h = int(rng.integers(200, 500)), int(rng.integers(200, 500))
    ys, xs = np.nonzero(m > 0.4)
    ids.append(image_id)
    sizes.append(f"{image_id},{w},{h}")
    locs.append(f"{image_id},{int(xs.min() * w / 224)},{int(ys.min() * h / 224)},{int(xs.max() * w / 224)},{int(ys.max() * h / 224)}")
os.makedirs(f"{out}/metadata")
for name, lines in (("image_ids", ids), ("image_sizes", sizes), ("localization", locs)):
    open(f"{out}/metadata/{name}.txt", "w").write("\n".join(lines) + "\n")
PYEOF

for interval in 0.01 0.001; do
  limit=$PY_LIMIT; [ "$interval" = 0.001 ] && limit=$PY_LIMIT_FINE
  ours() {
    local took
    took=$(seconds_of "$WSOL" score-maps --metadata "$DATA/metadata" --maps "$DATA/maps" --interval "$interval" --json)
    /usr/bin/python3 -c "print(f'{$N / $took:.1f}')"
  }
  theirs() {
    local took
    took=$(seconds_of "$PY" Tests/reference/wsoleval_ref.py "$DATA/metadata" "$DATA/maps" "$interval" "$limit")
    /usr/bin/python3 -c "print(f'{$limit / $took:.1f}')"
  }
  alternate "score-maps interval $interval" maps/s "wsolevaluation protocol in python + cv2, 1 thread" ours theirs
done
# The figures of both on every map at 0.01: they must agree.
echo "  wsol:   $("$WSOL" score-maps --metadata "$DATA/metadata" --maps "$DATA/maps" --interval 0.01 --json)"
echo "  python: $("$PY" Tests/reference/wsoleval_ref.py "$DATA/metadata" "$DATA/maps" 0.01 "$N")"
