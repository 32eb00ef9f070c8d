#!/usr/bin/env bash
# Runs on the GPU machine from the project root, with .device/dotnet-runtime.tar.xz and
# .device/decodeperf/ (this program, published framework-dependent) carried there.
# Writes to $OUT: results.jsonl, run.log, ptxas.txt (registers, spills, SASS load/store mix), ptx.tgz.
set -uo pipefail
OUT=${OUT:-$PWD/decodeperf-out}
mkdir -p "$OUT" /opt/dotnet /tmp/decodeperf-ptx
[ -x /opt/dotnet/dotnet ] || tar -xJf .device/dotnet-runtime.tar.xz -C /opt/dotnet
export DOTNET_ROOT=/opt/dotnet PATH=/opt/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem,clocks.max.sm,power.draw,temperature.gpu --format=csv | tee "$OUT/run.log"
timeout 215 dotnet .device/decodeperf/DecodePerf.dll "$OUT" /tmp/decodeperf-ptx >> "$OUT/run.log" 2>&1
status=$?
echo "exit $status" >> "$OUT/run.log"
ptxas=$(command -v ptxas || echo /usr/local/cuda/bin/ptxas)
cuobjdump=$(command -v cuobjdump || echo /usr/local/cuda/bin/cuobjdump)
(
  cd /tmp/decodeperf-ptx || exit 0
  for f in *.ptx; do
    [ -e "$f" ] || continue
    echo "== $f"
    "$ptxas" -arch=sm_90 -v "$f" -o "${f%.ptx}.cubin" 2>&1 | grep -E "registers|spill|error" | sed 's/^ptxas info *: //'
    "$cuobjdump" -sass "${f%.ptx}.cubin" > "${f%.ptx}.sass" 2>/dev/null &&
      grep -oE "\b(LDG|STG|LD|ST|LDS|STS|SHFL|BAR)(\.[A-Z0-9]+)*" "${f%.ptx}.sass" | sort | uniq -c | tr '\n' ';' && echo
  done
) > "$OUT/ptxas.txt" 2>&1
tar -czf "$OUT/ptx.tgz" -C /tmp decodeperf-ptx 2>/dev/null
tail -n 110 "$OUT/run.log"
grep -h '"bench":"\(ceiling\|error\|skipped\|done\)"' "$OUT/results.jsonl"
head -c 1500 "$OUT/ptxas.txt"
exit $status
