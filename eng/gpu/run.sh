#!/usr/bin/env bash
# Runs on the GPU machine, from the project root, after eng/gpu/stage.sh staged .device/ here.
# Writes everything under $OUT (default ./gpu-out): kernel tests (xunit XML), check, bench, tune.
# Usage: eng/gpu/run.sh [tests] [check] [bench] [tune] [ptxas]   (default: the first four)
# Optional: CLI=.device/other-cli (another staged warmgate build), BENCH_ONLY=ssd-prefill,decode (bench kinds), xunit
# console filters in TEST_ARGS (e.g. TEST_ARGS="-class WarmGate.Kernels.Tests.Ssd.SsdTcCudaTests"), PTX_FROM (the warmgate
# arguments whose compilations the ptxas step reports; default "check --device cuda").
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT" /opt/dotnet
[ -x /opt/dotnet/dotnet ] || tar -xJf .device/dotnet-runtime.tar.xz -C /opt/dotnet
export DOTNET_ROOT=/opt/dotnet PATH=/opt/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1
nvidia-smi -L | tee "$OUT/nvidia-smi.txt"
steps=${*:-tests check bench tune}
status=0
for step in $steps; do
  case $step in
    tests)
      (cd .device/kernels-tests && DOTNET_ROLL_FORWARD=Major dotnet ../xunit-runner/xunit.console.dll \
        WarmGate.Kernels.Tests.dll -xml "$OUT/kernels-tests.xml" -parallel none ${TEST_ARGS:-}) > "$OUT/kernels-tests.log" 2>&1 || status=1
      tail -n 5 "$OUT/kernels-tests.log" ;;
    check)
      dotnet "${CLI:-.device/cli}/warmgate.dll" check --device cuda --json "$OUT/check.json" > "$OUT/check.log" 2>&1 || status=1
      tail -n 15 "$OUT/check.log" ;;
    bench)
      dotnet "${CLI:-.device/cli}/warmgate.dll" bench --device cuda ${BENCH_ONLY:+--only "$BENCH_ONLY"} > "$OUT/bench.jsonl" 2> "$OUT/bench.log" || status=1
      tail -n 40 "$OUT/bench.jsonl" ;;
    tune)
      dotnet "${CLI:-.device/cli}/warmgate.dll" tune --device cuda --out-dir "$OUT/tuning" > "$OUT/tune.log" 2>&1 || status=1
      tail -n 5 "$OUT/tune.log" ;;
    ptxas)
      # Every kernel a warmgate command compiles leaves its PTX (WARMGATE_PTX_DIR); ptxas -v reports each one's
      # registers, stack frame and spills, or the error the driver's JIT would give.
      ptxdir=$(mktemp -d)
      WARMGATE_PTX_DIR=$ptxdir dotnet "${CLI:-.device/cli}/warmgate.dll" ${PTX_FROM:-check --device cuda} > "$OUT/ptx-run.log" 2>&1 || status=1
      ptxas=$(command -v ptxas || ls /usr/local/cuda*/bin/ptxas 2>/dev/null | head -n 1)
      if [ -z "$ptxas" ]; then
        echo "ptxas not found (no CUDA toolkit on this machine)" >&2; status=1
      else
        for f in "$ptxdir"/*.ptx; do
          echo "== $(basename "$f") $(sed -n 's|^// config: ||p' "$f" | head -n 1)"
          "$ptxas" -arch=sm_90 -v "$f" -o /dev/null 2>&1 | grep -E "error|registers|stack frame" || status=1
        done > "$OUT/ptxas.txt"
        tar -czf "$OUT/ptx.tgz" -C "$ptxdir" .
      fi
      tail -n 20 "$OUT/ptxas.txt" ;;
    *) echo "unknown step $step" >&2; status=2 ;;
  esac
done
exit "$status"
