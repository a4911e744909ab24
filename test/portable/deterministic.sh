#!/usr/bin/env bash
# scripts/package run again on the same build gives a byte-identical tarball (sorted entries,
# fixed owner, modes and mtimes, gzip without name or time).
# Usage: deterministic.sh PACKAGE_SCRIPT BUILD_DIR FIRST_TARBALL WORK_DIR [PACKAGE_OPTION...]
set -euo pipefail
package=$1 build=$2 first=$3 work=$4
shift 4
rm -rf "$work"
bash "$package" "$@" --from-build "$build" "$work" >/dev/null
second=$work/$(basename "$first")
cmp "$first" "$second"
echo "deterministic: $(basename "$first") is byte-identical when packaged twice ($(du -k "$first" | cut -f1) KiB)"
