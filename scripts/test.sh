#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run lint, types and tests.
# This is the README's test command; .ci/run runs exactly this script.
# `bash scripts/test.sh --setup-only` stops after the set-up (apt packages, .venv).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}

# System services the integration tests talk to for real (Debian packages).
need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v git >/dev/null 2>&1 || need_apt+=(git)
# The browser test of the HTML report (tests/test_report_html.py) drives Debian's chromium
# through Playwright's Python package; no `playwright install` (it would download a browser).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing ${need_apt[*]} (apt)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
        echo "warning: ${need_apt[*]} missing and cannot be installed here; tests needing them will say so" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,ray,fuzz]'
# The wheels the pre-commit hook tests install their hook environments from: built here,
# in the set-up, so the test run itself needs no network.
.venv/bin/python scripts/hook_wheels.py .venv/hook-wheels
if [ "${1:-}" = "--setup-only" ]; then
    echo "set-up done"
    exit 0
fi

echo "== ruff"
.venv/bin/ruff check src tests scripts benchmarks
.venv/bin/ruff format --check src tests scripts benchmarks
echo "== mypy --strict"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "$@"

# The property tests once more, random but seeded from the commit: CI's main run is
# derandomized (reproducible), this pass explores new examples on every commit and prints
# the seed that replays a failure.
seed=$(( 16#$(git rev-parse --short=8 HEAD 2>/dev/null || echo 0) ))
echo "== property tests, seed $seed"
HYPOTHESIS_PROFILE=seeded .venv/bin/python -m pytest -q -p no:cacheprovider -m hypothesis \
    --hypothesis-seed="$seed" tests

# A short, deterministic fuzzing pass over every atheris harness (longer campaigns:
# scripts/fuzz.sh SECONDS). A crash or broken invariant fails the run.
echo "== fuzz (atheris, ${FUZZ_RUNS:-300} inputs per harness)"
FUZZ_RUNS="${FUZZ_RUNS:-300}" PYTHON=.venv/bin/python bash scripts/fuzz.sh
