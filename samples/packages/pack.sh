#!/usr/bin/env bash
# Packs sample plugins into samples/models/<service>-<version>.tar.gz (+ .md5) with the plugin authors'
# tool: manifest validated, src/ built (dotnet or CMake), package reproducible (sorted entries, fixed
# owner and time). Usage: samples/packages/pack.sh [sample ...]   (default: every sample)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
samples=("$@")
if [ ${#samples[@]} -eq 0 ]; then
  for manifest in samples/packages/*/manifest.yaml; do samples+=("$(basename "$(dirname "$manifest")")"); done
fi
dotnet build src/Tools/Cli -c Release --nologo -v quiet >/dev/null
for sample in "${samples[@]}"; do
  dotnet run --project src/Tools/Cli -c Release --no-build -- pack "samples/packages/$sample" -o samples/models
done
