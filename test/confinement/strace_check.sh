#!/usr/bin/env bash
# The scan under strace: no path inside the scanned root may be opened, stat'ed or read by its
# host path (absolute, or relative to the working directory); only the root itself is opened
# by name, and everything below it relative to a directory descriptor (docs/architecture.md,
# "Confinement"). Usage: strace_check.sh PREMIGRATE ROOT WORK_DIR
set -euo pipefail
bin=$1 root=$2 work=$3
if ! command -v strace >/dev/null; then
  echo "skipped: strace is not installed (scripts/packages/collect-files.txt lists it)"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
set +e
# LeakSanitizer cannot run under ptrace (the sanitizer build's leak check runs in the suite).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -f -qq -o "$work/trace" -e trace=%file,openat2 \
  "$bin" scan --root "$root" --output "$work/out" --format json,html --source centos-7 \
  --arch x86_64 >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
  echo "strace_check: the scan exited $rc" >&2
  cat "$work/stderr" >&2
  exit 1
fi
python3 - "$work/trace" "$root" "$PWD" <<'PY'
import os, re, sys
trace, root, cwd = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]
call = re.compile(r'^\d+\s+(\w+)\((.*)$')
quoted = re.compile(r'"((?:[^"\\]|\\.)*)"')
bad, relative, seen = [], 0, 0
for line in open(trace, errors="replace"):
    m = call.match(line)
    if not m:
        continue
    name, args = m.groups()
    seen += 1
    q = quoted.search(args)
    if not q:
        continue
    path = q.group(1)
    dirfd = None if args.startswith('"') else args.split(",", 1)[0].strip()
    if dirfd not in (None, "AT_FDCWD") and not path.startswith("/"):
        relative += 1  # relative to a directory descriptor: how root reads must look
        continue
    full = os.path.normpath(path if path.startswith("/") else os.path.join(cwd, path))
    if full.startswith(root + "/"):
        bad.append(line.rstrip())
print(f"strace_check: {seen} file system calls, {relative} relative to a directory descriptor, "
      f"{len(bad)} by a host path below the root")
for b in bad[:20]:
    print("  " + b)
# A scan that read nothing below the root would pass vacuously.
sys.exit(1 if bad or relative < 50 else 0)
PY
