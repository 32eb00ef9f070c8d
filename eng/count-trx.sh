#!/usr/bin/env bash
# Sums the <Counters> of every TRX file under a folder and prints
# 'N passed, N failed, N skipped'. Exits 1 when no TRX file is found or any test failed.
set -uo pipefail
dir=${1:?usage: count-trx.sh RESULTS_DIR}
files=$(find "$dir" -name '*.trx' 2>/dev/null)
if [ -z "$files" ]; then
  echo "0 passed, 0 failed, 0 skipped"
  echo "count-trx: no TRX results under $dir" >&2
  exit 1
fi
# shellcheck disable=SC2086
grep -ho '<Counters [^>]*>' $files | awk '
  function attr(name,   m) { if (match($0, name "=\"[0-9]+\"")) { m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0 } return 0 }
  { passed += attr("passed"); failed += attr("failed") + attr("error") + attr("timeout") + attr("aborted"); skipped += attr("notExecuted") }
  END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped; exit (failed > 0) }'
