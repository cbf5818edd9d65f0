#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target in fuzz/ for SECONDS each, one after the other, seeded from the conformance
# cases and the engines' fixtures (fuzz/seeds.py). Needs the nightly toolchain; installs cargo-fuzz from
# crates.io when it is missing. Ends with "N targets, M crashes" and exits non-zero on any crash, hang,
# out-of-memory or build failure.
#
#     scripts/fuzz.sh SECONDS [TARGET...]
#
# Builds into $CARGO_TARGET_DIR/fuzz (target/fuzz by default), where the grown corpora are kept between
# runs (fuzz-corpus/<target>). Inputs that fail are written to fuzz/artifacts/<target>/; replay one with
# `cargo +nightly fuzz run --fuzz-dir fuzz <target> <file>`.
set -uo pipefail

seconds="${1:-}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2
  exit 2
fi
shift
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
OUT="$OUT/fuzz"
FUZZ=(cargo +nightly fuzz)
DIRS=(--fuzz-dir "$ROOT/fuzz" --target-dir "$OUT")

fail() {
  echo "$1" >&2
  echo "0 targets, 0 crashes"
  exit 1
}

rustup run nightly rustc --version >/dev/null 2>&1 || fail "the nightly toolchain is missing: rustup toolchain install nightly"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked || fail "could not install cargo-fuzz"
fi

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <("${FUZZ[@]}" list --fuzz-dir "$ROOT/fuzz") || fail "cargo fuzz list failed"
fi
[ "${#targets[@]}" -gt 0 ] || fail "no fuzz targets"

echo "== building ${#targets[@]} fuzz targets into $OUT"
"${FUZZ[@]}" build "${DIRS[@]}" || fail "fuzz build failed"

echo "== seeds from the conformance cases and fixtures"
rm -rf "$OUT/seeds"
python3 "$ROOT/fuzz/seeds.py" "$OUT/seeds" || fail "seed generation failed"

crashes=0
summary=()
for target in "${targets[@]}"; do
  corpus="$OUT/fuzz-corpus/$target"
  artifacts="$ROOT/fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  before=$(find "$artifacts" -type f | wc -l)
  log="$OUT/$target.log"
  echo "== $target: ${seconds}s"
  "${FUZZ[@]}" run "${DIRS[@]}" "$target" "$corpus" "$OUT/seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1
  status=$?
  found=$(( $(find "$artifacts" -type f | wc -l) - before ))
  if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then
    found=1 # it failed without leaving an input behind (a crash of the harness itself)
  fi
  crashes=$((crashes + found))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  line="$target: ${execs:-?} execs, cov ${cov:-?}, features ${ft:-?}, corpus ${corp:-?}, $found crashes"
  summary+=("$line")
  echo "$line"
  if [ "$found" -ne 0 ]; then
    grep -E '^(==[0-9]+==|thread .* panicked|SUMMARY|artifact_prefix|Test unit written)' "$log" | head -20
    echo "   (full log: $log)"
  fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
echo "${#targets[@]} targets, $crashes crashes"
[ "$crashes" -eq 0 ]
