#!/usr/bin/env bash
# Packs a sample plugin folder into samples/models/<service>-<version>.tar.gz with its .md5 sidecar,
# reproducibly (sorted entries, fixed owner and mtime). Usage: samples/packages/pack.sh gain 1.0.0
# A sample's sources (src/) and build leftovers (obj/, bin/) stay out of the package; a managed or
# native sample builds into lib/ first (its project under src/ says where), which goes in.
set -euo pipefail
cd "$(dirname "$0")"
name=$1 version=$2
out="../models/$name-$version.tar.gz"
(cd "$name" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' \
    --exclude=./src --exclude=./obj --exclude=./bin --exclude='./.*' -czf "../$out" .)
(cd ../models && md5sum "$(basename "$out")" > "$(basename "$out").md5")
echo "packed $out"
