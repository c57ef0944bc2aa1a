#!/usr/bin/env bash
# Creates .venv from uv.lock. uv itself lives in its own small venv (.tools) so that
# `uv sync`, which makes .venv match the lock exactly, never removes the tool running it.
set -euo pipefail
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if [ ! -x .tools/bin/uv ]; then
  "$python" -m venv .tools
  .tools/bin/python -m pip install -q uv==0.13.8
fi
.tools/bin/uv sync --frozen --python "$python" -q
