#!/usr/bin/env bash
# Puts ONNX Runtime's CPU library (libonnxruntime.so.1, API 23) into native/onnxruntime/linux-x64/.
#
# Source: the npm package onnxruntime-node@1.23.2. Its install script tries downloads that fail on our
# machines, so we take the library straight out of the tarball `npm pack` fetches (or, without npm,
# the same tarball from the registry with curl). Both the tarball and the library are checked against
# pinned sha256 digests. Idempotent: a verified library already in place is left alone. Safe to run
# concurrently (flock), and the library appears atomically (rename), never half-written.
set -euo pipefail

VERSION=1.23.2
TARBALL_SHA256=fe70e8de46560c57c2dfb7170770da32dbb21684504a5c904346c44a56e154f2
LIBRARY_SHA256=733854c3d7ce45256cc1c22cd4a30373247e1f7b7de8f40beab24211ef8e2a76
MEMBER=package/bin/napi-v6/linux/x64/libonnxruntime.so.1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest_dir="${1:-$here/onnxruntime/linux-x64}"
dest="$dest_dir/libonnxruntime.so.1"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$dest_dir"
exec 9>"$dest_dir/.fetch.lock"
flock 9

if [ -f "$dest" ] && [ "$(sha256_of "$dest")" = "$LIBRARY_SHA256" ]; then
  echo "onnxruntime: $dest is in place (sha256 verified)"
  exit 0
fi

work=$(mktemp -d "$dest_dir/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "onnxruntime: fetching onnxruntime-node@$VERSION (about 97 MB) ..."
tarball="$work/onnxruntime-node-$VERSION.tgz"
if command -v npm >/dev/null 2>&1; then
  (cd "$work" && npm pack "onnxruntime-node@$VERSION" --silent --ignore-scripts >/dev/null)
else
  curl -fsSL --retry 3 -o "$tarball" "https://registry.npmjs.org/onnxruntime-node/-/onnxruntime-node-$VERSION.tgz"
fi
[ -f "$tarball" ] || { echo "onnxruntime: download produced no $tarball" >&2; exit 1; }

actual=$(sha256_of "$tarball")
if [ "$actual" != "$TARBALL_SHA256" ]; then
  echo "onnxruntime: tarball sha256 mismatch: expected $TARBALL_SHA256, got $actual" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$work" "$MEMBER"
actual=$(sha256_of "$work/$MEMBER")
if [ "$actual" != "$LIBRARY_SHA256" ]; then
  echo "onnxruntime: library sha256 mismatch: expected $LIBRARY_SHA256, got $actual" >&2
  exit 1
fi

mv -f "$work/$MEMBER" "$dest"
echo "onnxruntime: installed $dest (sha256 verified)"
