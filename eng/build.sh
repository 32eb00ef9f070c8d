#!/usr/bin/env bash
# Builds the whole solution. Usage: eng/build.sh [extra dotnet build args]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Harness.sln -c "${CONFIGURATION:-Release}" -nr:false "$@"
