#!/usr/bin/env bash
# The cross-built binary needs the same shared libraries (DT_NEEDED) as the native build of
# the same source, the loader's own name aside: a library the cross build linked statically
# instead (an archive picked when the sysroot's .so link did not resolve) or an extra one shows
# here, and would be missing from, or wrong in, the tarball's LIBRARIES.
# Usage: same_needed.sh NATIVE_BINARY CROSS_BINARY
set -euo pipefail
native=$1 cross=$2
export LC_ALL=C
if [ -n "${PREMIGRATE_SANITIZED_BUILD:-}" ]; then
  echo "skipped: sanitizer build (its binary also needs the sanitizer runtimes)"
  exit 77
fi
[ -f "$cross" ] || { echo "same_needed: no cross-built binary $cross" >&2; exit 1; }
needed() {
  readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | grep -v '^ld-linux' | sort
}
needed "$native" >"${TMPDIR:-/tmp}/needed.$$.native"
needed "$cross" >"${TMPDIR:-/tmp}/needed.$$.cross"
rc=0
diff "${TMPDIR:-/tmp}/needed.$$.native" "${TMPDIR:-/tmp}/needed.$$.cross" || rc=$?
count=$(wc -l <"${TMPDIR:-/tmp}/needed.$$.native")
rm -f "${TMPDIR:-/tmp}/needed.$$.native" "${TMPDIR:-/tmp}/needed.$$.cross"
[ "$rc" -eq 0 ] || { echo "same_needed: the cross build needs other libraries (< native, > cross)" >&2; exit 1; }
[ "$count" -gt 3 ] || { echo "same_needed: only $count libraries needed" >&2; exit 1; }
echo "same_needed: both builds need the same $count libraries"
