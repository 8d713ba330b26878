#!/usr/bin/env bash
# The whole test suite on a fresh machine: the README's test command, and what CI runs (.ci/run):
# install, the gates (ruff format, ruff check, mypy), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# The web app's browser tests drive Debian's Chromium (tests/web); they skip without it.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; elif sudo -n true 2>/dev/null; then apt_get="sudo -n apt-get"; else apt_get=""; fi
  if [ -n "$apt_get" ]; then
    { $apt_get update -q && DEBIAN_FRONTEND=noninteractive $apt_get install -y -q chromium; } >/dev/null \
      || echo "test: could not install chromium; browser tests will be skipped" >&2
  else
    echo "test: chromium missing and no root to install it; browser tests will be skipped" >&2
  fi
fi
python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]"
# The gates (the same as .pre-commit-config.yaml): formatting, lint, types.
.venv/bin/ruff format --check -q src tests benchmarks scripts
.venv/bin/ruff check -q src tests benchmarks scripts
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
