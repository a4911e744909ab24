#!/usr/bin/env bash
# scripts/package refuses bad input at once, with one line naming it and a documented exit
# code (2: usage, 1: a build that cannot be packaged), before installing, downloading or
# building anything (that would print to stdout, which must stay empty): an unknown
# architecture, an unknown option, options without their value, a build folder without a
# binary, and a build of the wrong architecture for --arch.
# Usage: package_usage.sh PACKAGE_SCRIPT BUILD_DIR WORK_DIR
set -euo pipefail
package=$1 build=$2 work=$3
export LC_ALL=C
rm -rf "$work"
mkdir -p "$work/empty-build"
case $(uname -m) in x86_64) other=aarch64 ;; *) other=x86_64 ;; esac
failures=0
expect() {  # CODE MESSAGE ARGS...: runs the script, checks its exit code and its one line
  local code=$1 message=$2 rc=0
  shift 2
  bash "$package" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
  if [ "$rc" -ne "$code" ] || ! grep -qF -- "$message" "$work/stderr" || [ "$(wc -l <"$work/stderr")" -ne 1 ] ||
     [ -s "$work/stdout" ]; then
    echo "package_usage: '$*' exited $rc (expected $code), said:" >&2
    cat "$work/stderr" "$work/stdout" >&2
    failures=$((failures + 1))
  else
    echo "ok: '$*' -> $rc: $(cat "$work/stderr")"
  fi
}
expect 2 "unsupported architecture riscv64 (x86_64, aarch64)" --arch riscv64 "$work/out"
expect 2 "unknown option --bogus" --bogus "$work/out"
expect 2 "package: --from-build needs a value" --from-build
expect 2 "package: --arch needs a value" "$work/out" --arch
expect 1 "no binary at $work/empty-build/analyzer/cli/premigrate" --from-build "$work/empty-build" "$work/out"
if [ "$other" = aarch64 ]; then  # a cross build is possible: the native build is the wrong one
  expect 1 "is not an aarch64 binary (ELF machine " --arch aarch64 --from-build "$build" "$work/out"
else
  expect 2 "cannot package x86_64 on $(uname -m)" --arch x86_64 --from-build "$build" "$work/out"
fi
[ ! -e "$work/out" ] || { echo "package_usage: $work/out was written" >&2; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || exit 1
