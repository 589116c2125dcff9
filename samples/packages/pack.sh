#!/usr/bin/env bash
# Packs a sample plugin folder into samples/models/<service>-<version>.tar.gz with its .md5 sidecar,
# reproducibly (sorted entries, fixed owner and mtime). Usage: samples/packages/pack.sh gain 1.0.0
# (The plugin-author CLI's `pack` will do this with manifest validation; this keeps the samples honest.)
set -euo pipefail
cd "$(dirname "$0")"
name=$1 version=$2
out="../models/$name-$version.tar.gz"
(cd "$name" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' -czf "../$out" .)
(cd ../models && md5sum "$(basename "$out")" > "$(basename "$out").md5")
echo "packed $out"
