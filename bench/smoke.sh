#!/usr/bin/env bash
# A tiny run of the benchmark (ctest bench/smoke): a 1,000-file root, bench/run on it, and a
# check that every measured row and the helper's figures came out.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$here/make_root.sh" "$tmp/root" 1000 20 >/dev/null
BUILD_DIR=$build BENCH_FINDINGS=50 BENCH_RUNS=1 bash "$here/run" "$tmp/root" | tee "$tmp/out"
for want in '`premigrate scan`' '`scanelf -R -n`' '`premigrate inventory`' '`rpm -qa`' '`rpm -Va`' \
  'kb_load_ms' 'render 50 findings' ' files, 20 packages)' '- scan: rpmdb ' '- inventory: rpmdb '; do
  grep -qF -- "$want" "$tmp/out" || { echo "bench smoke: no '$want' in bench/run output" >&2; exit 1; }
done
echo "bench smoke: ok"
