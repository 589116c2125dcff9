#!/usr/bin/env bash
# Drives a fresh Release host with our own load generator (bench/LoadGenerator; no wrk needed): starts
# the host on $PORT, sweeps the concurrency levels against one endpoint while probing
# /v2/health/ready and sampling the host's RSS, prints the table, stops the host.
#
# Usage: bench/http/load.sh [more generator options, e.g. --client http or --timeout 2s]
#   MODEL    simple (default), mlp_classifier: OIP infer with generated inputs; gain: the engine API
#   KIND     bin (default: binary tensor extension, binary outputs) or json   (OIP models only)
#   SWEEP    concurrency levels, default 1,2,4,8,16,32,64
#   DURATION measured time per level (default 10s); WARMUP before each level (default 2s)
#   SETTLE   wait after each level before reading the host's RSS again (default 3s)
#   OUT      also write the figures as JSON to this file
#   PORT     default 18092; HOST_ARGS: extra host options (e.g. "--intra-op-threads 2")
#   HEALTH_PORT  also open the host's dedicated health listener there and probe it instead of $PORT
# Example: MODEL=mlp_classifier SWEEP=1,8,64 OUT=mlp.json bench/http/load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18092}
MODEL=${MODEL:-simple}
KIND=${KIND:-bin}

dotnet build src/Host -c Release -v q -nologo >/dev/null
dotnet build bench/LoadGenerator -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${pid:-}" ] && kill $pid 2>/dev/null || true' EXIT

case "$MODEL" in
  simple) target=(http://127.0.0.1:$PORT/v2/models/simple/infer -i INPUT0:FP32:1x16 -i INPUT1:FP32:1x16) ;;
  mlp_classifier) target=(http://127.0.0.1:$PORT/v2/models/mlp_classifier/infer -i features:FP32:1x256) ;;
  gain)
    # The README's engine-API request: 3 float samples, base64 raw FP32.
    cat >"$work/gain.json" <<'JSON'
{"header": {"request_id": "load", "status": 3},
 "parameter": {"gain": 2.0, "channel": "left", "expect": {"scaled": {"encoding": "json"}}},
 "payload": {"audio": {"encoding": "raw", "status": 3, "data": "AAAAPwAAgL8AAEBA"}}}
JSON
    target=(http://127.0.0.1:$PORT/v1/engines/gain --body "$work/gain.json") ;;
  *) echo "MODEL must be simple, mlp_classifier or gain" >&2; exit 2 ;;
esac
if [ "$MODEL" != gain ] && [ "$KIND" = bin ]; then target+=(--binary --binary-output); fi

# shellcheck disable=SC2086 # HOST_ARGS is a list of options
health="http://127.0.0.1:${HEALTH_PORT:-$PORT}/v2/health/ready"
dotnet src/Host/bin/Release/net10.0/Inference.Host.dll --http-port "$PORT" --grpc-port 0 ${HEALTH_PORT:+--health-port "$HEALTH_PORT"} --Logging:LogLevel:Default=Warning ${HOST_ARGS:-} >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null || { echo "the host did not get ready:" >&2; cat "$work/host.log" >&2; exit 1; }

status=0
dotnet bench/LoadGenerator/bin/Release/net10.0/Inference.LoadGenerator.dll "${target[@]}" \
  --sweep "${SWEEP:-1,2,4,8,16,32,64}" -d "${DURATION:-10s}" -w "${WARMUP:-2s}" \
  --health-url "$health" --pid "$pid" --settle "${SETTLE:-3s}" \
  ${OUT:+--json "$OUT"} "$@" || status=$?
kill $pid; wait $pid 2>/dev/null || true; pid=""
exit $status
