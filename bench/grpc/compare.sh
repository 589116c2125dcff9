#!/usr/bin/env bash
# gRPC ModelInfer vs HTTP/1.1 binary infer for the `simple` model, same host, same run: starts a fresh
# Release host with both ports, runs bench/GrpcBench (closed loop, both protocols through HttpClient,
# alternating per round), prints a markdown table, stops the host.
#
# Usage: bench/grpc/compare.sh [more GrpcBench options]
#   SWEEP       concurrency levels (default 1,8,32); DURATION seconds per phase (default 10); ROUNDS (default 2)
#   H2          HTTP/2 connections the gRPC clients share (default 1)
#   PORT        HTTP port (default 18094); gRPC on PORT+1
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18094}
GRPC_PORT=$((PORT + 1))

dotnet build src/Host -c Release -v q -nologo >/dev/null
dotnet build bench/GrpcBench -c Release -v q -nologo >/dev/null
log=$(mktemp)
trap 'rm -f "$log"; [ -n "${pid:-}" ] && kill $pid 2>/dev/null || true' EXIT

dotnet src/Host/bin/Release/net10.0/Inference.Host.dll --http-port "$PORT" --grpc-port "$GRPC_PORT" --Logging:LogLevel:Default=Warning >"$log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null || { echo "the host did not get ready:" >&2; cat "$log" >&2; exit 1; }

dotnet bench/GrpcBench/bin/Release/net10.0/Inference.GrpcBench.dll \
  --http "http://127.0.0.1:$PORT" --grpc "http://127.0.0.1:$GRPC_PORT" \
  --concurrency "${SWEEP:-1,8,32}" --duration "${DURATION:-10}" --rounds "${ROUNDS:-2}" --h2-connections "${H2:-1}" "$@"
