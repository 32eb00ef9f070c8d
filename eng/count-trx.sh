#!/usr/bin/env bash
# Sums the results of every TRX file under a folder and prints 'N passed, N failed, N skipped'.
# Skipped = total - executed (xunit's skips are NotExecuted results). A run that failed outside
# any test (ResultSummary outcome="Failed" with no failed test, e.g. the WarmGate gate failing
# the run for work outside every test) counts as one failure.
# No TRX file at all (a failed build) counts as one failure. Exits 1 when anything failed.
set -uo pipefail
dir=${1:?usage: count-trx.sh RESULTS_DIR}
mapfile -t files < <(find "$dir" -name '*.trx' 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "count-trx: no TRX results under $dir (the build or the test host failed)" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
passed=0 failed=0 skipped=0
attr() { sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }
for f in "${files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
  total=$(attr total "$counters"); executed=$(attr executed "$counters")
  p=$(attr passed "$counters"); e=$(attr error "$counters"); t=$(attr timeout "$counters"); a=$(attr aborted "$counters")
  fl=$(attr failed "$counters")
  bad=$(( ${fl:-0} + ${e:-0} + ${t:-0} + ${a:-0} ))
  if [ "$bad" -eq 0 ] && grep -q '<ResultSummary outcome="Failed"' "$f"; then
    echo "count-trx: $f: the run failed outside any test" >&2
    bad=1
  fi
  passed=$(( passed + ${p:-0} )); failed=$(( failed + bad )); skipped=$(( skipped + ${total:-0} - ${executed:-0} ))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
