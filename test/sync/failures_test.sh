#!/usr/bin/env bash
# kb sync failures: a 404, a corrupted primary, a wrong checksum in repomd.xml, a server that
# stops mid-file, a TLS failure, a proxy that refuses, a bad GPG signature. Each gives exit 1
# and one line naming the URL, and leaves the packs of an earlier sync untouched. Also: a
# signed repository verifies with the right key, and an unsigned one says so.
# Usage: failures_test.sh PREMIGRATE FIXTURE_DIR KB_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" "$@"  # bin, fx, kb, work; skips without the fixture

cp -r "$fx/mirror" "$work/m"
serve "$work/m" M
out="$work/kb"
n=0
# sync MIRROR [args...]: a fresh cache each time, so every file is fetched again.
sync() {
  local mirror=$1; shift
  n=$((n + 1))
  "$bin" kb sync --kb "$kb" --mirror "$mirror" --target openeuler-22.03-lts-sp4 --arch x86_64 \
    --repos OS,everything --out "$out" --cache "$work/cache$n" --progress never --timeout 5 \
    --retries 1 "$@"
}
sync "$URL_M" >/dev/null 2>"$work/err" || { cat "$work/err"; fail "baseline sync failed"; }
sha() { (cd "$out" && find . -type f | sort | xargs sha256sum); }
sha >"$work/before"
unchanged() {  # unchanged NAME: the KB folder is as the baseline left it, no staging left over
  sha | diff -u "$work/before" - >&2 || fail "$1: the KB folder changed"
  [ -z "$(find "$out" -name '.sync-staging-*')" ] || fail "$1: a staging folder was left"
}
try() {  # try NAME PATTERN MIRROR [args...]
  local name=$1 pattern=$2; shift 2
  set +e; sync "$@" >/dev/null 2>"$work/err"; local rc=$?; set -e
  expect_fail_line "$name" "$rc" "$work/err" "$pattern"
  unchanged "$name"
}
rel=openEuler-22.03-LTS-SP4/everything/x86_64

# 404: a release the mirror does not have.
try 404 "^premigrate: error: kb sync: $URL_M/nowhere/openEuler-22.03-LTS-SP4/OS/x86_64/repodata/repomd.xml: HTTP error: .*404" "$URL_M/nowhere"

# A corrupted primary: same size, other bytes.
primary=$(ls "$work/m/$rel"/repodata/*-primary.xml.xz)
cp "$primary" "$work/primary.good"
python3 - "$primary" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xff; open(p, "wb").write(b)
PY
try corrupted-primary "$URL_M/$rel/repodata/[0-9a-f]*-primary.xml.xz: checksum mismatch" "$URL_M"
cp "$work/primary.good" "$primary"

# A wrong checksum in repomd.xml for the (intact) filelists.
cp "$work/m/$rel/repodata/repomd.xml" "$work/repomd.good"
python3 - "$work/m/$rel/repodata/repomd.xml" <<'PY'
import re, sys
p = sys.argv[1]; t = open(p).read()
i = t.index('<data type="filelists">'); j = t.index('<checksum type="sha256">', i) + len('<checksum type="sha256">')
t = t[:j] + ("0" if t[j] != "0" else "1") + t[j + 1:]
open(p, "w").write(t)
PY
try wrong-checksum "$URL_M/$rel/repodata/[0-9a-f]*-filelists.xml.xz: checksum mismatch" "$URL_M"
cp "$work/repomd.good" "$work/m/$rel/repodata/repomd.xml"

# A server that stops in the middle of the primary (after 200 bytes, on every attempt).
serve "$work/m" CUT --match primary --cut-after 200
try stops-mid-file "$URL_CUT/openEuler-22.03-LTS-SP4/(OS|everything)/x86_64/repodata/[0-9a-f]*-primary.xml.(gz|xz): the server stopped mid-file: .*Transferred a partial file" "$URL_CUT"
stop_server "$PID_CUT"

# TLS: https to a server that speaks plain HTTP.
try tls "$(echo "$URL_M" | sed 's/http:/https:/')/openEuler-22.03-LTS-SP4/OS/x86_64/repodata/repomd.xml: TLS failure" \
  "$(echo "$URL_M" | sed 's/http:/https:/')"

# A proxy that refuses: CONNECT answered 403 (https), and a plain request answered 403 (http).
serve "$work/m" PROXY --refuse
try proxy-connect "repodata/repomd.xml: proxy refused: .*403" "https://mirror.invalid" --proxy "$URL_PROXY"
try proxy-http "repodata/repomd.xml: HTTP error through proxy $URL_PROXY: .*403" "http://mirror.invalid" --proxy "$URL_PROXY"

# GPG: the signed 24.03 SP1 everything repository verifies with its key, fails with another;
# the unsigned OS repository says so.
gsync() {
  n=$((n + 1))
  "$bin" kb sync --kb "$kb" --mirror "$URL_M" --target openeuler-24.03-lts-sp1 --arch x86_64 \
    --repos "$1" --out "$work/gpg$n" --cache "$work/cache$n" --progress never --gpg-key "$2"
}
gsync everything "$fx/mirror-key.asc" >"$work/gout" 2>"$work/gerr" || { cat "$work/gerr"; fail "signed repo did not verify"; }
grep -q '"note": "repomd.xml revision [^"]*signature: verified with mirror-key.asc"' \
  "$work/gpg$n/packs/centos-7_to_openeuler-24.03-lts-sp1_x86_64.json" 2>/dev/null ||
  grep -q 'signature: verified with mirror-key.asc' "$work/gpg$n/packs/centos-7_to_openeuler-24.03-lts-sp1_x86_64.json" ||
  fail "provenance does not record the verified signature"
pass "gpg: verified with the right key"
set +e; gsync everything "$fx/other-key.asc" >/dev/null 2>"$work/err"; rc=$?; set -e
expect_fail_line gpg-wrong-key "$rc" "$work/err" "openEuler-24.03-LTS-SP1/everything/x86_64/repodata/repomd.xml: bad GPG signature"
[ ! -d "$work/gpg$n/packs" ] || fail "gpg-wrong-key: packs were written"
gsync OS "$fx/mirror-key.asc" >/dev/null 2>"$work/err" || { cat "$work/err"; fail "unsigned repo with a key"; }
grep -q "warning: $URL_M/openEuler-24.03-LTS-SP1/OS/x86_64/ is unsigned" "$work/err" || fail "unsigned repo not reported: $(cat "$work/err")"
pass "gpg: $(cat "$work/err")"
