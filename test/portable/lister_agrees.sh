#!/usr/bin/env bash
# scripts/package lists the libraries of a cross-built (arm64) binary with lddtree, which reads
# DT_NEEDED, RPATH/RUNPATH and ld.so.conf instead of running the loader. On this machine both
# can list the native binary: they must name the same files, each resolved to the same path.
# Usage: lister_agrees.sh BINARY
set -euo pipefail
binary=$1
export LC_ALL=C
[ -x /usr/bin/lddtree ] || { echo "skipped: no lddtree (pax-utils)"; exit 0; }
/usr/bin/python3 -c 'import elftools' 2>/dev/null || { echo "skipped: no python3-pyelftools"; exit 0; }
case $(uname -m) in
  x86_64) loader=/lib64/ld-linux-x86-64.so.2 ;;
  aarch64) loader=/lib/ld-linux-aarch64.so.1 ;;
  *) echo "skipped: $(uname -m)"; exit 0 ;;
esac
# Both as "NAME RESOLVED_PATH"; the loader's line has no "=>".
"$loader" --list "$binary" | awk '$2 == "=>" {print $1, $3} $1 ~ /^\// {print "LOADER", $1}' |
  while read -r name path; do echo "$name $(readlink -f "$path")"; done | sort >"${TMPDIR:-/tmp}/lister.$$.ld"
/usr/bin/python3 /usr/bin/lddtree -l "$binary" | tail -n +2 | while read -r path; do
  name=${path##*/}
  [ "$path" = "$loader" ] && name=LOADER
  echo "$name $(readlink -f "$path")"
done | sort >"${TMPDIR:-/tmp}/lister.$$.tree"
rc=0
diff "${TMPDIR:-/tmp}/lister.$$.ld" "${TMPDIR:-/tmp}/lister.$$.tree" || rc=$?
count=$(wc -l <"${TMPDIR:-/tmp}/lister.$$.ld")
rm -f "${TMPDIR:-/tmp}/lister.$$.ld" "${TMPDIR:-/tmp}/lister.$$.tree"
[ "$rc" -eq 0 ] || { echo "lister_agrees: lddtree and $loader --list differ (< loader, > lddtree)" >&2; exit 1; }
[ "$count" -gt 3 ] || { echo "lister_agrees: only $count files listed" >&2; exit 1; }
echo "lister_agrees: lddtree and the loader name the same $count files"
