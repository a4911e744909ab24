# Helpers of the kb sync tests, sourced with the test's arguments PREMIGRATE FIXTURE_DIR KB_DIR:
# sets bin, fx, kb and a scratch folder work (removed on exit; user data and cache folders
# inside it, so no test touches the real ones); a local mirror server started and stopped by
# the test itself; assertions that name what failed.
bin=$1 fx=$2 kb=$3
[ -f "$fx/skipped" ] && { echo "skipped: $(cat "$fx/skipped")"; exit 77; }
work=$(mktemp -d)
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"

# serve DIR NAME [server options...]: starts mirror_server.py on 127.0.0.1 and a free port
# (or --port N: the same port again, so the same URL and cache folder);
# sets URL_<NAME> (http://127.0.0.1:PORT), PID_<NAME> and LOG_<NAME>. Stopped on exit.
_sync_pids=()
serve() {
  local dir=$1 name=$2; shift 2
  local pf="$work/$name.port" log="$work/$name.log"
  rm -f "$pf" "$log"; : >"$log"
  python3 "$here/mirror_server.py" --root "$dir" --port-file "$pf" --log "$log" "$@" &
  local pid=$!
  _sync_pids+=("$pid")
  for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.1; done
  [ -s "$pf" ] || fail "mirror server $name did not start"
  printf -v "URL_$name" 'http://127.0.0.1:%s' "$(cat "$pf")"
  printf -v "PID_$name" '%s' "$pid"
  printf -v "LOG_$name" '%s' "$log"
}
stop_server() {  # stop_server PID
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
_sync_cleanup() {
  local p
  for p in "${_sync_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap _sync_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# expect_fail_line NAME RC_FILE ERR_FILE PATTERN: the sync failed with exit 1 and one stderr
# line matching PATTERN.
expect_fail_line() {
  local name=$1 rc=$2 errf=$3 pattern=$4
  [ "$rc" = 1 ] || { cat "$errf" >&2; fail "$name: exit $rc, expected 1"; }
  [ "$(wc -l <"$errf")" = 1 ] || { cat "$errf" >&2; fail "$name: expected one line on stderr"; }
  grep -Eq -- "$pattern" "$errf" || { cat "$errf" >&2; fail "$name: stderr does not match /$pattern/"; }
  pass "$name: $(cat "$errf")"
}
