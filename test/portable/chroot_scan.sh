#!/usr/bin/env bash
# The portable tarball's proof (docs/portable.md): unpacked into an otherwise empty chroot (no
# /lib, no /usr, no /bin, no /proc) beside a copy of a fixture root, it scans that root, and
# the report is valid, lists the root's packages and carries the same findings as a scan of
# the same root by the build's own binary outside the chroot.
# An aarch64 tarball on an x86_64 machine runs under user-mode qemu: qemu-aarch64-static (a
# static x86_64 program) is copied into the jail and started there, and it starts the
# tarball's loader; with no binfmt_misc the kernel cannot start an arm64 file by itself, so the
# shell wrapper (which execs the loader) is run for the native architecture only.
# Usage: chroot_scan.sh TARBALL FIXTURE_ROOT BINARY SCHEMA VALIDATOR WORK_DIR
set -euo pipefail
tarball=$1 fixture=$2 binary=$3 schema=$4 validator=$5 work=$6
export LC_ALL=C
[ "$(id -u)" -eq 0 ] || { echo "skipped: chroot needs root (CI runs as root)"; exit 77; }
if [ -n "${PREMIGRATE_SANITIZED_BUILD:-}" ]; then
  # LeakSanitizer reads /proc, which the empty chroot lacks; the tarball ships normal builds.
  echo "skipped: sanitizer build (the empty chroot has no /proc for LeakSanitizer)"
  exit 77
fi
chroot_cmd=$(command -v chroot || true)
[ -n "$chroot_cmd" ] || { echo "skipped: no chroot command"; exit 77; }
[ -f "$tarball" ] || { echo "chroot_scan: no tarball $tarball" >&2; exit 1; }
case $tarball in
  *-linux-x86_64.tar.gz) arch=x86_64 loader=ld-linux-x86-64.so.2 ;;
  *-linux-aarch64.tar.gz) arch=aarch64 loader=ld-linux-aarch64.so.1 ;;
  *) echo "chroot_scan: no architecture in the name $tarball" >&2; exit 1 ;;
esac
emulator=()
if [ "$arch" != "$(uname -m)" ]; then
  qemu=$(command -v "qemu-$arch-static" || true)
  [ -n "$qemu" ] || { echo "chroot_scan: no qemu-$arch-static (scripts/cross/host-packages.txt)" >&2; exit 1; }
  "/lib64/ld-linux-x86-64.so.2" --verify "$qemu" >/dev/null 2>&1 &&
    { echo "chroot_scan: $qemu is not a static program" >&2; exit 1; }
  emulator=("/qemu-$arch-static")
fi

rm -rf "$work"
mkdir -p "$work"
jail=$work/jail
mkdir -p "$jail/unpack" "$jail/out" "$jail/tmp"
chmod 1777 "$jail/tmp"
tar -xzf "$tarball" -C "$jail/unpack"
mv "$jail/unpack"/premigrate-* "$jail/premigrate"
rmdir "$jail/unpack"
cp -a "$fixture" "$jail/fixture"
expected_listing="fixture out premigrate tmp"
if [ ${#emulator[@]} -gt 0 ]; then
  cp "$qemu" "$jail${emulator[0]}"
  expected_listing="fixture out premigrate qemu-$arch-static tmp"
fi
# /tmp is the scratch space every real host has (the rpmdb is copied there before librpm
# opens it); nothing else of a host is in the jail (but the emulator of a foreign tarball).
listing=$(cd "$jail" && echo *)
[ "$listing" = "$expected_listing" ] || { echo "chroot_scan: jail holds $listing" >&2; exit 1; }

# 1. No shell, no environment: the bundled loader started directly, with only the bundled
#    libraries. With no /proc in the jail, premigrate finds share/premigrate and librpm's
#    rpmrc beside the loader through the path it was started by (AT_EXECFN).
direct=(${emulator[@]+"${emulator[@]}"} "/premigrate/lib/$loader" --library-path /premigrate/lib
        /premigrate/libexec/premigrate)
run_in_jail() {  # NAME ARGS...: runs in the jail with an empty environment; status in $rc
  local name=$1; shift
  rc=0
  env -i SOURCE_DATE_EPOCH=1700000000 "$chroot_cmd" "$jail" "$@" >"$work/$name.stdout" 2>"$work/$name.stderr" || rc=$?
}
start=$(date +%s%N)
run_in_jail direct "${direct[@]}" scan --root /fixture --output /out/direct --format json,html,text \
  --progress never
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" -ne 3 ] && [ "$rc" -ne 4 ] && [ "$rc" -ne 0 ]; then
  echo "chroot_scan: the scan in the jail exited $rc" >&2
  cat "$work/direct.stderr" >&2
  exit 1
fi
if [ -s "$work/direct.stderr" ]; then
  echo "chroot_scan: the scan in the jail wrote to stderr:" >&2
  cat "$work/direct.stderr" >&2
  exit 1
fi
echo "chroot scan ($arch${emulator[0]+ under ${emulator[0]#/}}, direct loader, $(basename "$fixture")): exit $rc in ${elapsed_ms} ms"
for f in json html txt; do
  [ -s "$jail/out/direct/premigrate-report.$f" ] || { echo "chroot_scan: no premigrate-report.$f" >&2; exit 1; }
done
run_in_jail inventory "${direct[@]}" inventory --root /fixture --no-files --output /out/inventory.json \
  --progress never
[ "$rc" -eq 0 ] || { echo "chroot_scan: inventory in the jail exited $rc" >&2; cat "$work/inventory.stderr" >&2; exit 1; }

# 2. The wrapper, bin/premigrate, needs a POSIX sh: a static busybox as the jail's /bin/sh is
#    the one host file added for it (real hosts have /bin/sh).
busybox=$(command -v busybox || true)
if [ ${#emulator[@]} -gt 0 ]; then
  grep -q "^exec \"\\\$prefix/lib/$loader\" --library-path" "$jail/premigrate/bin/premigrate" ||
    { echo "chroot_scan: bin/premigrate does not start lib/$loader" >&2; exit 1; }
  echo "note: $arch under qemu without binfmt_misc: bin/premigrate (which execs the $arch loader) was not run in the jail"
  wrapper_missing=1
elif [ -n "$busybox" ] && ! "/lib64/ld-linux-x86-64.so.2" --verify "$busybox" >/dev/null 2>&1; then
  mkdir -p "$jail/bin"
  cp "$busybox" "$jail/bin/sh"
  run_in_jail wrapper /premigrate/bin/premigrate scan --root /fixture --output /out/wrapper \
    --format json --progress never
  rm -rf "$jail/bin"
  if [ "$rc" -ne 3 ] && [ "$rc" -ne 4 ] && [ "$rc" -ne 0 ]; then
    echo "chroot_scan: the wrapper in the jail exited $rc" >&2
    cat "$work/wrapper.stderr" >&2
    exit 1
  fi
  echo "chroot scan (bin/premigrate under a static busybox sh): exit $rc"
else
  echo "note: no static busybox (busybox-static); bin/premigrate was not run in the jail"
  wrapper_missing=1
fi

# 3. The same root scanned by the build's binary on this host, outside the jail.
rc=0
SOURCE_DATE_EPOCH=1700000000 "$binary" scan --root "$jail/fixture" --output "$work/host" \
  --format json --progress never >/dev/null 2>"$work/host.stderr" || rc=$?
[ "$rc" -ne 1 ] && [ "$rc" -ne 2 ] || { echo "chroot_scan: the host scan exited $rc" >&2; exit 1; }

vrc=0
python3 "$validator" "$schema" "$jail/out/direct/premigrate-report.json" || vrc=$?
[ "$vrc" -eq 3 ] && echo "note: python3-jsonschema missing; the report was not validated"
[ "$vrc" -eq 0 ] || [ "$vrc" -eq 3 ] || { echo "chroot_scan: the jail's report is invalid" >&2; exit 1; }

# What rpm itself lists in the root, to hold the jail's inventory against.
rpm --root "$jail/fixture" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa \
  --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' 2>/dev/null | sort >"$work/rpm-qa.txt" || true
[ -s "$work/rpm-qa.txt" ] || rpm --root "$jail/fixture" --dbpath /var/lib/rpm -qa \
  --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' 2>/dev/null | sort >"$work/rpm-qa.txt"

python3 - "$jail" "$work" "${wrapper_missing:-0}" <<'EOF'
import json, sys
jail, work, wrapper_missing = sys.argv[1], sys.argv[2], sys.argv[3] == "1"

def load(path, root):
    text = open(path, encoding="utf-8").read().replace(root, "/fixture")
    doc = json.loads(text)
    doc.pop("generated_at", None)
    return doc

inside = load(f"{jail}/out/direct/premigrate-report.json", "/fixture")
host = load(f"{work}/host/premigrate-report.json", f"{jail}/fixture")
problems = []
for key in sorted(set(inside) | set(host)):
    if inside.get(key) != host.get(key):
        problems.append(f"member {key} differs between the jail's scan and the host's")
if not wrapper_missing:
    wrapped = load(f"{jail}/out/wrapper/premigrate-report.json", "/fixture")
    if wrapped != inside:
        problems.append("bin/premigrate's report differs from the direct loader's")

inv = json.load(open(f"{jail}/out/inventory.json", encoding="utf-8"))
listed = sorted(f"{p['name']} {p['version']} {p['release']} {p['arch']}" for p in inv["packages"])
expected = sorted(l for l in open(f"{work}/rpm-qa.txt").read().splitlines() if l)
if not expected:
    problems.append("rpm -qa listed nothing in the fixture root")
if listed != expected:
    problems.append(f"the jail's inventory lists {len(listed)} packages, rpm -qa {len(expected)}: "
                    f"missing {sorted(set(expected) - set(listed))[:5]}, extra {sorted(set(listed) - set(expected))[:5]}")
if inside["host"]["rpmdb"]["status"] != "ok" or inside["host"]["rpmdb"]["package_count"] != len(expected):
    problems.append(f"the jail's report: rpmdb {inside['host']['rpmdb']}")
if not inside.get("findings"):
    problems.append("the jail's report has no findings")
verdicts = {v["arch"]: v["verdict"] for v in inside["verdicts"]}
for p in problems:
    print("chroot_scan:", p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"chroot scan: {len(listed)} packages as rpm -qa lists them, {len(inside['findings'])} findings "
      f"as outside the jail, verdicts {verdicts}")
EOF
