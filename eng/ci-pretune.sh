#!/usr/bin/env bash
# Builds with pre-tuning, proves the embedded table works, runs the tests, and gathers what CI uploads.
#   1. packs WarmGate.MSBuildTasks (with src/Cli's `warmgate tune` inside) into artifacts/packages/local;
#   2. builds tests/Samples/MSBuildPretuneSample, which references that package with WarmGateModel set: the
#      build tunes on this machine's GPU (or as WARMGATE_DEVICE / WARMGATE_WHEN_NO_GPU say), embeds the table,
#      and copies it to artifacts/tuning/. Without a GPU (policy warn) it embeds the checked-in table instead;
#   3. runs the sample: it loads the model, uses the embedded table and warms up. When this build tuned, the
#      warmup must run no tuning at all (--require-table), or the script fails;
#   4. runs the tests (eng/test.sh: TRX files under artifacts/TestResults; test assemblies gated by WarmGate.Harness
#      write <assembly>.warmgate.json|md to artifacts/TestResults/warmgate/);
#   5. copies into OUT_DIR: tuning/ (artifacts/tuning/*.json), test-results/ (*.trx and the harness reports
#      warmgate/<assembly>.warmgate.json|md), logs/, and summary.txt.
#
# Usage: eng/ci-pretune.sh [OUT_DIR]                      (default: artifacts/ci-upload)
# Environment:
#   WARMGATE_MODEL             model folder or builtin:<name>        (default builtin:tiny)
#   WARMGATE_DEVICE            auto | cuda | cpu                     (default auto)
#   WARMGATE_WHEN_NO_GPU       warn | error | cpu                    (default warn: a GPU-less runner still passes, with WG1002)
#   WARMGATE_TUNING            full | quick                          (default full; quick measures one candidate per key)
#   WARMGATE_CHECKED_IN_TABLE  table embedded when there is no GPU   (default eng/tuning/WarmGate.Tuning.NVIDIA-H200.json
#                              when it exists, else the only eng/tuning/WarmGate.Tuning.*.json; empty: none)
#   CONFIGURATION              Release | Debug                       (default Release)
#   TEST_COMMAND               shell command that runs the tests, writing TRX files to artifacts/TestResults,
#                              or 'none'                             (default: bash eng/test.sh)
# Exit status: non-zero when packing, the pre-tuning build, the sample's warmup check or the tests failed.
# The last line is the test summary 'N passed, N failed, N skipped'.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
started=$SECONDS

config=${CONFIGURATION:-Release}
out=${1:-artifacts/ci-upload}
feed=artifacts/packages/local
device=${WARMGATE_DEVICE:-auto}
tuning=${WARMGATE_TUNING:-full}
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
if [ -z "${WARMGATE_CHECKED_IN_TABLE+set}" ]; then
  shopt -s nullglob
  checked_in_tables=(eng/tuning/WarmGate.Tuning.*.json)
  shopt -u nullglob
  checked_in=eng/tuning/WarmGate.Tuning.NVIDIA-H200.json
  [ -f "$checked_in" ] || checked_in=
  [ -z "$checked_in" ] && [ "${#checked_in_tables[@]}" -eq 1 ] && checked_in=${checked_in_tables[0]}
else
  checked_in=$WARMGATE_CHECKED_IN_TABLE
fi
status=0

rm -rf "$out" "$feed" artifacts/tuning
mkdir -p "$out/tuning" "$out/test-results" "$out/logs" "$feed"
out=$(cd "$out" && pwd)
summary="$out/summary.txt"
note() { echo "ci-pretune: $*"; echo "$*" >> "$summary"; }

# 1. Pack. The same version is packed on every run: drop a cached copy so restore takes this one.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/warmgate.msbuildtasks/$version"
if ! dotnet pack src/MSBuildTasks -c "$config" -o "$feed" -nr:false --disable-build-servers \
    > "$out/logs/pack.log" 2>&1; then
  tail -n 40 "$out/logs/pack.log"
  note "packing WarmGate.MSBuildTasks failed (log: logs/pack.log)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

[ -n "$checked_in" ] && note "checked-in table for a build without a GPU: $checked_in"

# 2. Build with pre-tuning. -v:n keeps the tuner's progress lines in the log.
build_ok=1
if ! dotnet build tests/Samples/MSBuildPretuneSample -c "$config" -nr:false --disable-build-servers -v:n \
    -p:RestoreAdditionalProjectSources="$PWD/$feed" \
    -p:WarmGateModel="${WARMGATE_MODEL:-builtin:tiny}" \
    -p:WarmGateDevice="$device" \
    -p:WarmGateWhenNoGpu="${WARMGATE_WHEN_NO_GPU:-warn}" \
    -p:WarmGateTuning="$tuning" \
    ${checked_in:+-p:WarmGateTuningTable="$(realpath -m "$checked_in")"} \
    > "$out/logs/pretune-build.log" 2>&1; then
  status=1
  build_ok=0
  grep -E "error (WG|MSB|NU|CS)[0-9]+" "$out/logs/pretune-build.log" | sed -E 's/^ *([0-9]+>)?//' | sort -u >&2
  note "the pre-tuning build failed (log: logs/pretune-build.log)"
fi
grep -E "warning WG[0-9]+" "$out/logs/pretune-build.log" | sed -E 's/^ *([0-9]+>)?//' | sort -u >&2 || true

shopt -s nullglob
tables=(artifacts/tuning/WarmGate.Tuning.*.json)
shopt -u nullglob
if [ "${#tables[@]}" -gt 0 ]; then
  cp "${tables[@]}" "$out/tuning/"
  note "tables embedded and kept: ${tables[*]##*/}"
else
  note "no table embedded on this machine: the kernels tune at warmup"
fi

# 3. The promise: the app warms up with the embedded table. The targets leave pretune.done only after a run
#    that tuned here; then the table is for this machine's device and must cover every key.
if [ "$build_ok" = 1 ]; then
  app_args=(--device "$([ "$device" = cpu ] && echo cpu || echo auto)")
  [ -f "artifacts/obj/MSBuildPretuneSample/${config,,}/warmgate/pretune.done" ] && app_args+=(--require-table)
  if dotnet "artifacts/bin/MSBuildPretuneSample/${config,,}/MSBuildPretuneSample.dll" "${app_args[@]}" \
      > "$out/logs/warmup.txt" 2>&1; then
    note "sample $(grep -E '^warmup:' "$out/logs/warmup.txt")"
  else
    status=1
    cat "$out/logs/warmup.txt" >&2
    note "the sample's warmup check failed (${app_args[*]}; log: logs/warmup.txt)"
  fi
fi

# 4. Tests.
if [ "${TEST_COMMAND:-}" = none ]; then
  note "tests skipped (TEST_COMMAND=none)"
else
  rm -rf artifacts/TestResults
  bash -c "${TEST_COMMAND:-bash eng/test.sh}" 2>&1 | tee "$out/logs/test.log" | grep -vE '^[0-9]+ passed, [0-9]+ failed'
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi

# 5. TRX files and harness reports of this run, keeping their folders under artifacts/TestResults.
if [ "${TEST_COMMAND:-}" != none ] && [ -d artifacts/TestResults ]; then
  (cd artifacts/TestResults && find . -type f \( -name '*.trx' -o -name '*.warmgate.json' -o -name '*.warmgate.md' \) \
    -exec cp --parents {} "$out/test-results/" \;)
fi
note "harness reports: $(find "$out/test-results" -name '*.warmgate.json' | wc -l), TRX files: $(find "$out/test-results" -name '*.trx' | wc -l)"
note "done in $((SECONDS - started)) s; $(find "$out" -type f | wc -l) file(s) in $out"

if [ "${TEST_COMMAND:-}" = none ]; then
  last="0 passed, 0 failed, 0 skipped"
elif [ -d artifacts/TestResults ]; then
  last=$(bash eng/count-trx.sh artifacts/TestResults) || status=1
else
  last="0 passed, 0 failed, 0 skipped"
  status=1
fi
echo "$last" >> "$summary"
echo "$last"
exit "$status"
