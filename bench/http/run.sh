#!/usr/bin/env bash
# HTTP load test of the shipped samples with wrk on loopback (bench/http/load.sh does the same without wrk): JSON and binary bodies, concurrency 1,
# 8 and 64, a fresh host per configuration so each one's server-side statistics stand alone.
# Prints one table row per run: client-side throughput and latency, and the server-side time split
# (decode = compute_input, run = compute_infer, encode = compute_output, host overhead = all but run).
# Usage: bench/http/run.sh [seconds per run, default 10]
# Subsets: MODELS="simple", KINDS="json", CONNS="1 8" (defaults: all).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
PORT=${PORT:-18090}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

dotnet build src/Host -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${pid:-}" ] && kill $pid 2>/dev/null || true' EXIT
python3 bench/http/make_bodies.py "$work"

echo "| model | body | conns | req/s | p50 us | p99 us | errors | server decode p50 us | run p50 us | encode p50 us | host overhead p50 us |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for model in ${MODELS:-simple mlp_classifier}; do
  for kind in ${KINDS:-json bin}; do
    for conns in ${CONNS:-1 8 64}; do
      dotnet src/Host/bin/Release/net10.0/Inference.Host.dll --http-port $PORT --grpc-port 0 --Logging:LogLevel:Default=Warning >"$work/host.log" 2>&1 &
      pid=$!
      for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null && break; sleep 0.1; done
      header=""
      [ "$kind" = bin ] && header=$(cat "$work/$model.bin.header")
      threads=$(( conns < 2 ? 1 : 2 ))
      # Warm-up (JIT, ORT arenas), then the measured run.
      BODY="$work/$model.$kind" PATH_INFER="/v2/models/$model/infer" HEADER_LENGTH="$header" \
        wrk -t1 -c1 -d2s -s bench/http/post.lua "http://127.0.0.1:$PORT" >/dev/null
      curl -sf "http://127.0.0.1:$PORT/v2/models/$model/stats" >"$work/before.json"
      result=$(BODY="$work/$model.$kind" PATH_INFER="/v2/models/$model/infer" HEADER_LENGTH="$header" \
        wrk -t$threads -c$conns -d${DURATION}s --timeout 10s -s bench/http/post.lua "http://127.0.0.1:$PORT" | grep RESULT)
      curl -sf "http://127.0.0.1:$PORT/v2/models/$model/stats" >"$work/after.json"
      kill $pid; wait $pid 2>/dev/null || true; pid=""
      python3 - "$model" "$kind" "$conns" "$result" "$work/after.json" <<'PY'
import json, sys, re
model, kind, conns, result, after = sys.argv[1:6]
r = dict(re.findall(r"(\w+)=(\d+)", result))
s = json.load(open(after))["model_stats"][0]["inference_stats"]
us = lambda k: s[k]["p50_ns"] / 1000
print(f"| {model} | {kind} | {conns} | {r['rps']} | {r['p50_us']} | {r['p99_us']} | {r['errors']} | "
      f"{us('compute_input'):.1f} | {us('compute_infer'):.1f} | {us('compute_output'):.1f} | {us('host_overhead'):.1f} |")
PY
    done
  done
done
