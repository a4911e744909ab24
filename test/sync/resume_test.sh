#!/usr/bin/env bash
# An interrupted kb sync: killed mid-download it leaves no pack, half-written or other, and the
# next run resumes the partial file (a Range request) and succeeds; a server that stops
# mid-file fails the run with one line and no pack, and the next run succeeds; a staging folder
# left by a killed run is removed, never published.
# Usage: resume_test.sh PREMIGRATE FIXTURE_DIR KB_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" "$@"  # bin, fx, kb, work; skips without the fixture

rel=openEuler-22.03-LTS-SP4/everything/x86_64
primary=$(basename "$(ls "$fx/mirror/$rel"/repodata/*-primary.xml.xz)")
size=$(stat -c %s "$fx/mirror/$rel/repodata/$primary")
out="$work/kb" cache="$work/sync-cache"
args=(kb sync --kb "$kb" --target openeuler-22.03-lts-sp4 --arch x86_64 --repos everything
  --out "$out" --cache "$cache" --progress never --timeout 10)
sync() { "$bin" "${args[@]}" --mirror "$@"; }  # sync URL [args]
partial() { find "$cache" -name "$primary" -printf '%s\n' 2>/dev/null | head -1 || true; }
no_packs() {  # no_packs NAME: nothing published, nothing half-written
  [ -z "$(find "$out" -name '*.json' -not -path '*/.sync-staging-*' 2>/dev/null)" ] || fail "$1: packs were written"
}
resumed() {  # resumed NAME LOG: the next run asked for the rest of the primary, and succeeded
  grep -Eq "^GET /$rel/repodata/$primary bytes=[1-9][0-9]*- 206$" "$2" || { cat "$2"; fail "$1: no resumed (Range) request"; }
  "$bin" kb validate "$out" >/dev/null || fail "$1: the packs after resuming do not validate"
  [ -z "$(find "$out" -name '.sync-staging-*')" ] || fail "$1: staging left"
  pass "$1: resumed with $(grep -Eo "bytes=[0-9]+-" "$2" | head -1), packs valid"
}

# 1. Killed (SIGKILL) while the primary trickles in at 16 KiB/s.
serve "$fx/mirror" SLOW --match "$primary" --throttle 16384
"$bin" "${args[@]}" --mirror "$URL_SLOW" >/dev/null 2>&1 &  # not through a function: $! is premigrate
pid=$!
for _ in $(seq 600); do
  p=$(partial); [ -n "$p" ] && [ "$p" -ge 8192 ] && break
  sleep 0.05
done
p=$(partial)
[ -n "$p" ] && [ "$p" -ge 8192 ] && [ "$p" -lt "$size" ] || fail "killed: no partial primary to interrupt (${p:-none} of $size bytes)"
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
no_packs killed
pass "killed at $(partial) of $size bytes: no pack written"
stop_server "$PID_SLOW"
# A staging folder as a run killed while writing packs would leave it.
mkdir -p "$out/.sync-staging-1/packs"
echo '{"half": ' >"$out/.sync-staging-1/packs/centos-7_to_openeuler-22.03-lts-sp4_x86_64.json"
serve "$fx/mirror" M --port "${URL_SLOW##*:}"
sync "$URL_M" >/dev/null 2>"$work/err" || { cat "$work/err"; fail "the run after the kill failed"; }
resumed killed "$LOG_M"
[ -z "$(find "$out" -name '.sync-staging-*')" ] || fail "the leftover staging folder was not removed"
grep -q '"half"' "$out/packs/centos-7_to_openeuler-22.03-lts-sp4_x86_64.json" && fail "a leftover half pack was published"
stop_server "$PID_M"

# 2. A server that stops after 20,000 bytes of the primary, on every attempt.
rm -rf "$out" "$cache"
serve "$fx/mirror" CUT --match "$primary" --cut-after 20000
set +e; sync "$URL_CUT" --retries 1 >/dev/null 2>"$work/err"; rc=$?; set -e
expect_fail_line stopped-mid-file "$rc" "$work/err" "$primary: the server stopped mid-file"
no_packs stopped-mid-file
stop_server "$PID_CUT"
# librepo discards the partial data of a transfer that ended in an error (it cannot tell a cut
# from garbage), so this run starts the file again; only a killed run's partial file resumes.
serve "$fx/mirror" M2 --port "${URL_CUT##*:}"
sync "$URL_M2" >/dev/null 2>"$work/err" || { cat "$work/err"; fail "the run after the cut failed"; }
"$bin" kb validate "$out" >/dev/null || fail "stopped-mid-file: the packs of the next run do not validate"
pass "stopped-mid-file: the next run succeeds"
