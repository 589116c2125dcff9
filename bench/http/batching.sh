#!/usr/bin/env bash
# Dynamic batching A/B in one run: the sample MLP (256-512-512-10 FP32, mlp_classifier; or WIDTHS) served twice by
# one Release host, as `mlp_plain` (no batching, optimal concurrency = cores) and `mlp_batched`
# (Models:mlp_batched:Batching), each driven by $CLIENTS closed-loop clients with binary tensors, in
# alternating rounds so both see the same machine. Prints each round's table; OUT keeps the JSON.
#
# Usage: bench/http/batching.sh
#   CLIENTS  concurrent clients (default 64)    ROUNDS  A/B rounds (default 3)
#   DURATION measured time per round (default 15s); WARMUP (default 3s)
#   MAX_BATCH, DELAY_US, PREFERRED: the batching settings (default 64, 2000, none)
#   INSTANCES ORT sessions of the batched model (default 1); PORT (default 18093); OUT: folder for JSON
#   WIDTHS   another MLP instead of the sample, e.g. 784,2048,2048,10 (written by the benchmarks' write-mlp)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18093}
CLIENTS=${CLIENTS:-64}
ROUNDS=${ROUNDS:-3}
cores=$(nproc)

dotnet build src/Host -c Release -v q -nologo >/dev/null
dotnet build bench/LoadGenerator -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${pid:-}" ] && kill $pid 2>/dev/null || true' EXIT
model=samples/models/mlp_classifier/1/model.onnx
if [ -n "${WIDTHS:-}" ]; then
  dotnet build bench/Benchmarks -c Release -v q -nologo >/dev/null
  model="$work/mlp.onnx"
  dotnet bench/Benchmarks/bin/Release/net10.0/Inference.Benchmarks.dll write-mlp "$model" "$WIDTHS"
fi
features=$(python3 -c 'import sys; print(sys.argv[1].split(",")[0])' "${WIDTHS:-256}")
for name in mlp_plain mlp_batched; do
  mkdir -p "$work/models/$name/1"
  cp "$model" "$work/models/$name/1/model.onnx"
done
cat >"$work/settings.json" <<JSON
{ "Models": {
    "mlp_plain": { "OptimalConcurrency": $cores, "MaxConcurrency": 1024 },
    "mlp_batched": { "OptimalConcurrency": 1024, "MaxConcurrency": 1024,
                     "Instances": { "Count": ${INSTANCES:-1} },
                     "Batching": { "MaxBatchSize": ${MAX_BATCH:-64}, "MaxQueueDelayMicroseconds": ${DELAY_US:-2000}${PREFERRED:+, \"PreferredBatchSizes\": [$PREFERRED]} } } } }
JSON

dotnet src/Host/bin/Release/net10.0/Inference.Host.dll --repository "$work/models" --http-port "$PORT" --grpc-port 0 \
  --settings "$work/settings.json" --Logging:LogLevel:Default=Warning >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null || { echo "the host did not get ready:" >&2; cat "$work/host.log" >&2; exit 1; }

G=(dotnet bench/LoadGenerator/bin/Release/net10.0/Inference.LoadGenerator.dll)
for round in $(seq "$ROUNDS"); do
  for name in mlp_plain mlp_batched; do
    echo "== round $round: $name, $CLIENTS clients"
    "${G[@]}" "http://127.0.0.1:$PORT/v2/models/$name/infer" -i features:FP32:1x$features --binary --binary-output \
      -c "$CLIENTS" -d "${DURATION:-15s}" -w "${WARMUP:-3s}" ${OUT:+--json "$OUT/$name-$round.json"}
  done
done
echo "== batch statistics of mlp_batched"
curl -s "http://127.0.0.1:$PORT/v2/models/mlp_batched/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)["model_stats"][0]
print("inferences", s["inference_count"], "executions", s["execution_count"],
      "mean rows per run %.1f" % (s["inference_count"] / max(1, s["execution_count"])))
top = sorted(s.get("batch_stats", []), key=lambda b: -b["compute_infer"]["count"])[:5]
print("most common batch sizes:", ", ".join("%d (%d runs)" % (b["batch_size"], b["compute_infer"]["count"]) for b in top))' || true
kill $pid; wait $pid 2>/dev/null || true; pid=""
