#!/usr/bin/env bash
# Run every atheris harness in tests/fuzz for N seconds each (default 60).
#   scripts/fuzz.sh [seconds] [harness ...]
# With FUZZ_RUNS=N set, each harness runs N inputs from seed FUZZ_SEED (default 1) instead of
# for a time: a deterministic run, as CI does it.
# New interesting inputs go to a scratch corpus under $FUZZ_OUT (default: a temp folder), never
# into the committed corpus: copy the ones worth keeping into tests/fuzz/corpus/<harness>/
# yourself. Crashing inputs are written to $FUZZ_OUT/crashes/<harness>/.
# Needs: pip install -e '.[fuzz]'. Exit status: non-zero when a harness crashed.
set -u
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
python="${PYTHON:-python}"
out="${FUZZ_OUT:-$(mktemp -d -t tf-fuzz-XXXXXX)}"
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
if [ "$#" -gt 0 ]; then
    names=("$@")
else
    names=()
    for f in tests/fuzz/fuzz_*.py; do
        n="$(basename "$f" .py)"; n="${n#fuzz_}"
        [ "$n" = checks ] || names+=("$n")
    done
fi
if [ -n "${FUZZ_RUNS:-}" ]; then
    budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
else
    budget=(-max_total_time="$seconds")
fi
status=0
for n in "${names[@]}"; do
    mkdir -p "$out/corpus/$n" "$out/crashes/$n"
    echo "== $n (${seconds}s)"
    if "$python" "tests/fuzz/fuzz_$n.py" "$out/corpus/$n" "tests/fuzz/corpus/$n" \
        "${budget[@]}" -timeout=30 -rss_limit_mb=2048 -max_len=4096 \
        -artifact_prefix="$out/crashes/$n/" -print_final_stats=1 >"$out/$n.log" 2>&1; then
        echo "   ok: $(grep -E '^stat::number_of_executed_units' "$out/$n.log" | awk '{print $2}') runs"
    else
        status=1
        echo "   CRASH: see $out/$n.log and $out/crashes/$n/"
        grep -E 'InvariantError|Error:' "$out/$n.log" | head -3 | sed 's/^/   /'
    fi
done
echo "logs and crashes: $out"
exit "$status"
