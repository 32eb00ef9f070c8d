#!/usr/bin/env bash
# Builds the solution, runs every test project under tests/ (each to its own TRX file) and
# prints one closing line 'N passed, N failed, N skipped' counted from the TRX results.
# Usage: eng/test.sh [extra dotnet test args, e.g. --filter Category!=Slow]
set -uo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
results=artifacts/TestResults
rm -rf "$results"
dotnet build Harness.sln -c "$config" -nr:false || { bash eng/count-trx.sh "$results"; exit 1; }
status=0
for project in tests/*.Tests/*.csproj tests/*.IntegrationTests/*.csproj; do
  [ -f "$project" ] || continue
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c "$config" --no-build -nr:false \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || status=1
done
bash eng/count-trx.sh "$results" || status=1
exit "$status"
