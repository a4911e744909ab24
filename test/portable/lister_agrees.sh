#!/usr/bin/env bash
# scripts/package lists the libraries of a cross-built (arm64) binary with lddtree, which reads
# DT_NEEDED, RPATH/RUNPATH and the library directories instead of running the loader. On this
# machine both can list the native binary: lddtree, called as the cross packaging calls it
# (-l -R ROOT --no-auto-root, here with / as the root), must name the same files as the loader,
# each resolved to the same file. (That the arm64 list is complete is proven by the chroot scan
# under qemu: a missing library stops the loader.)
# Usage: lister_agrees.sh BINARY
set -euo pipefail
binary=$1
export LC_ALL=C
[ -x /usr/bin/lddtree ] || { echo "skipped: no lddtree (pax-utils)"; exit 77; }
/usr/bin/python3 -c 'import elftools' 2>/dev/null || { echo "skipped: no python3-pyelftools"; exit 77; }
case $(uname -m) in
  x86_64) loader=/lib64/ld-linux-x86-64.so.2 ;;
  aarch64) loader=/lib/ld-linux-aarch64.so.1 ;;
  *) echo "skipped: $(uname -m)"; exit 77 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Both as "NAME RESOLVED_PATH"; the loader's own line has no "=>".
"$loader" --list "$binary" | awk '$1 ~ /^linux-(vdso|gate)/ {next}
  $2 == "=>" {print $1, $3} $1 ~ /^\// {print "LOADER", $1}' |
  while read -r name path; do echo "$name $(readlink -f "$path")"; done | sort >"$work/loader"
/usr/bin/python3 /usr/bin/lddtree -l -R / --no-auto-root "$binary" | tail -n +2 | while read -r path; do
  name=${path##*/}
  [ "$(readlink -f "$path")" = "$(readlink -f "$loader")" ] && name=LOADER
  echo "$name $(readlink -f "$path")"
done | sort >"$work/lddtree"
if ! diff "$work/loader" "$work/lddtree"; then
  echo "lister_agrees: lddtree and $loader --list differ (< loader, > lddtree)" >&2
  exit 1
fi
count=$(wc -l <"$work/loader")
[ "$count" -gt 3 ] || { echo "lister_agrees: only $count files listed" >&2; exit 1; }
echo "lister_agrees: lddtree and the loader name the same $count files"
