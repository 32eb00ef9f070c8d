#!/usr/bin/env bash
# Stages what the GPU machine needs into .device/ (ignored by git): the .NET runtime (the GPU
# machine has no .NET), the warmgate CLI, the kernel test assembly and the xunit console runner.
# Run here, from anywhere; then run eng/gpu/run.sh on the GPU machine (see eng/gpu/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=.device
mkdir -p "$dest"
bash ../shared/gpu/stage-runtime.sh "$dest"
dotnet publish src/Cli -c Release -o "$dest/cli" -nr:false >/dev/null
dotnet publish tests/WarmGate.Kernels.Tests -c Release -o "$dest/kernels-tests" -nr:false >/dev/null
runner=$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/xunit.runner.console/2.4.1/tools/netcoreapp2.0" -maxdepth 0 2>/dev/null || true)
[ -n "$runner" ] || { echo "xunit.runner.console 2.4.1 not restored; run 'dotnet restore tests/WarmGate.Kernels.Tests'" >&2; exit 1; }
rm -rf "$dest/xunit-runner" && cp -r "$runner" "$dest/xunit-runner"
echo "staged: $(du -sh "$dest" | cut -f1) in $dest"
