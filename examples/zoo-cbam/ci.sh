#!/usr/bin/env bash
# CI for the example plugin, the tutorial's steps in docs/plugins.md: install zoo-cbam, run its
# tests (zoo's conformance kit), train cbam_resnet18 for one tiny epoch in each framework through
# `zoo train`, evaluate each run in the other framework, and check that a run whose plugin is
# left out names the distribution to install. Uninstalls zoo-cbam when done, unless it was
# installed before.
# Usage: examples/zoo-cbam/ci.sh   (in zoo's venv; without one active, the checkout's .venv/)
set -euo pipefail

example="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$example/../.." && pwd)"
if [[ -z "${VIRTUAL_ENV:-}" && -x "$root/.venv/bin/python" ]]; then
  export PATH="$root/.venv/bin:$PATH"
fi
export OMP_WAIT_POLICY=PASSIVE ZOO_STRICT_PLUGINS=1
work="$(mktemp -d)"
if python -m pip show -q zoo-cbam >/dev/null 2>&1; then
  trap 'rm -rf "$work"' EXIT
else
  trap 'python -m pip uninstall -y -q zoo-cbam; rm -rf "$work"' EXIT
fi

python -m pip install -q --no-deps --no-build-isolation -e "$example"
zoo plugins --json | grep -q '"distribution": "zoo-cbam"'

cd "$example"
pytest tests

cd "$work"
zoo train cbam_resnet18 --framework torch --epochs 1 --per-class 2 --image-size 64 --out runs/cbam-torch
zoo train cbam_resnet18 --framework mindspore --epochs 1 --per-class 2 --image-size 64 --out runs/cbam-mindspore
zoo eval runs/cbam-torch --framework mindspore
zoo eval runs/cbam-mindspore --framework torch

if ZOO_PLUGINS=resnet,heads,hagrid,torch,mindspore zoo eval runs/cbam-torch 2> missing.log; then
  echo "ci.sh: zoo eval ran a cbam_resnet18 run without its plugin" >&2
  exit 1
fi
grep -q "provided by 'zoo-cbam', which is not installed: pip install zoo-cbam" missing.log
echo "zoo-cbam: CI passed"
