#!/usr/bin/env bash
# Downloads each torchvision weight file into weights/ when it is missing. Without internet it says so
# in one line and succeeds; it exits 1 only when a download was attempted and failed.
# Usage: weights/fetch.sh BASE_URL FILE...
set -u
base="$1"; shift
dir="$(cd "$(dirname "$0")" && pwd)"
fetch() {  # url, output
  if command -v curl >/dev/null; then curl -fL --retry 2 --progress-bar -o "$2" "$1"; else wget -q --show-progress -O "$2" "$1"; fi
}
reachable() {
  if command -v curl >/dev/null; then curl -fsI --max-time 10 "$1" >/dev/null 2>&1; else wget -q --spider --timeout=10 "$1"; fi
}
failed=""
for f in "$@"; do
  [ -f "$dir/$f" ] && continue
  if ! reachable "$base/$f"; then
    echo "weights: cannot reach $base (no internet?): $f not downloaded; copy it into weights/ by hand"
    continue
  fi
  echo "weights: downloading $f"
  if fetch "$base/$f" "$dir/$f.part"; then mv "$dir/$f.part" "$dir/$f"; else rm -f "$dir/$f.part"; failed="$failed $f"; fi
done
if [ -n "$failed" ]; then echo "weights: download failed:$failed"; exit 1; fi
