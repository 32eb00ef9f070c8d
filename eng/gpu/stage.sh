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
rm -rf "$dest/kernels-tests"
dotnet publish tests/WarmGate.Kernels.Tests -c Release -o "$dest/kernels-tests" -nr:false >/dev/null
# The GPU machine is linux-x64 and runs the tests with the console runner: drop code coverage and
# native assets for other platforms so the staged folder stays under the 64 MiB the device carries.
(cd "$dest/kernels-tests" && rm -rf CodeCoverage x86 arm64 alpine ubuntu macos win* runtimes/win* runtimes/osx* runtimes/linux-arm* 2>/dev/null || true)
runner=$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/xunit.runner.console/2.4.1/tools/netcoreapp2.0" -maxdepth 0 2>/dev/null || true)
[ -n "$runner" ] || { echo "xunit.runner.console 2.4.1 not restored; run 'dotnet restore tests/WarmGate.Kernels.Tests'" >&2; exit 1; }
rm -rf "$dest/xunit-runner" && cp -r "$runner" "$dest/xunit-runner"
echo "staged: $(du -sh "$dest" | cut -f1) in $dest"
