#!/usr/bin/env bash
# Cold start to ready for each shipped sample: a fresh Release host over a repository holding only
# that sample, timed from launch until /v2/health/ready answers 200 (process start, ORT load, model or
# package install + load). Five runs each; prints the median and range in milliseconds.
# Usage: bench/http/cold_start.sh [runs, default 5]; every sample in samples/models, or SAMPLES="simple gain-1.0.0.tar.gz" for only those
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
PORT=${PORT:-18095}
dotnet build src/Host -c Release -v q -nologo >/dev/null
host=src/Host/bin/Release/net10.0/Inference.Host.dll
samples=samples/models
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${pid:-}" ] && kill $pid 2>/dev/null || true' EXIT

echo "| sample | median ms | min ms | max ms |"
echo "|---|---:|---:|---:|"
default_samples=$(cd "$samples" && ls -d */ *.tar.gz | sed 's|/$||')
for sample in ${SAMPLES:-$default_samples}; do
  times=()
  for _ in $(seq "$RUNS"); do
    repo="$work/repo"; rm -rf "$repo"; mkdir -p "$repo"
    if [ -d "$samples/$sample" ]; then cp -r "$samples/$sample" "$repo/"; else cp "$samples/$sample" "$samples/$sample.md5" "$repo/"; fi
    start=$(date +%s%N)
    dotnet "$host" --repository "$repo" --http-port $PORT --grpc-port 0 --Logging:LogLevel:Default=Warning >"$work/log" 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null; do sleep 0.01; done
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    kill $pid; wait $pid 2>/dev/null || true; pid=""
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "| $sample | ${sorted[$((RUNS / 2))]} | ${sorted[0]} | ${sorted[$((RUNS - 1))]} |"
done
