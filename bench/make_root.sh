#!/usr/bin/env bash
# Generates a large root for bench/run: a Berkeley DB rpmdb of PACKAGES packages (2 config
# files each, so rpm -Va has work), FILES files in all: 15% ELF objects (hard links to this
# machine's real libraries and programs: scanners read every path, the page cache holds one
# copy), 5% scripts, 0.2% kernel modules in extra/, the rest small data files.
# Usage: bench/make_root.sh OUT_DIR [FILES=100000] [PACKAGES=1500]. Never committed, never
# run by the test suite except as a tiny smoke root.
set -euo pipefail
out=$1
files=${2:-100000}
packages=${3:-1500}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
export LC_ALL=C TZ=UTC
# shellcheck source=../scripts/lib/rpmroot.sh
source "$top/scripts/lib/rpmroot.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

# --- One spec, PACKAGES subpackages (one rpmbuild process: seconds, not minutes).
stage="$work/stage"
python3 - "$work/bench.spec" "$stage" "$packages" <<'EOF'
import os, sys
spec, stage, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = ["Name: bench-suite", "Version: 1.0", "Release: 1.el7", "Summary: benchmark packages",
         "License: MIT", "Vendor: premigrate bench", "AutoReqProv: no", "%description", "bench"]
files = []
for i in range(n):
    name = "bench-pkg-%04d" % i
    lines += ["%%package -n %s" % name, "Version: %d.%d" % (1 + i % 7, i % 13),
              "Release: %d.el7" % (1 + i % 5), "Summary: bench package %d" % i,
              "%%description -n %s" % name, "bench"]
    d = os.path.join(stage, "etc/bench", name)
    os.makedirs(d, exist_ok=True)
    for f in ("main.conf", "extra.conf"):
        with open(os.path.join(d, f), "w") as fh:
            fh.write("# %s %s\nkey=%d\n" % (name, f, i))
    files += ["%%files -n %s" % name, "%%config(noreplace) /etc/bench/%s/main.conf" % name,
              "%%config(noreplace) /etc/bench/%s/extra.conf" % name]
lines += ["%install", "cp -a %s/. %%{buildroot}/" % stage] + files
open(spec, "w").write("\n".join(lines) + "\n")
EOF
rpmbuild --quiet --define "_topdir $work/top" --define "_build_id_links none" \
  --define "__os_install_post %{nil}" --define "debug_package %{nil}" \
  --define "_dbpath /var/lib/rpm" --define "_smp_build_ncpus 1" --define "_binary_payload w2.xzdio" \
  --noclean --target x86_64 -bb "$work/bench.spec" >/dev/null 2>"$work/rpmbuild.log" ||
  { cat "$work/rpmbuild.log" >&2; exit 1; }
mapfile -t rpms < <(find "$work/top/RPMS" -name '*.rpm')
rm -rf "$out"
rpmroot_sqlite "$work/sqlite" "${rpms[@]}"
rpmroot_to_bdb "$work/sqlite" "$out"
echo "make_root.sh: ${#rpms[@]} packages after $(($(date +%s) - start)) s"

# --- The file tree.
python3 - "$out" "$files" "$packages" "$top/examples/sample-root/src/kmod.c" <<'EOF'
import os, subprocess, sys, tempfile
root, total, packages, kmod_src = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
owned = 2 * packages
n_elf = total * 15 // 100
n_script = total * 5 // 100
n_kmod = max(1, total // 500)
n_data = max(0, total - owned - n_elf - n_script - n_kmod)

# Real ELF objects of this machine, up to 2 MiB each (hard-linked, so disk use stays small).
elves = []
for d in ("/usr/lib/x86_64-linux-gnu", "/usr/bin"):
    for e in sorted(os.scandir(d), key=lambda e: e.name):
        if e.is_file(follow_symlinks=False) and e.stat().st_size < 2 << 20:
            with open(e.path, "rb") as f:
                if f.read(4) == b"\x7fELF":
                    elves.append(e.path)
same_fs = os.stat(root).st_dev == os.stat(elves[0]).st_dev
def place(src, dst):
    if same_fs:
        os.link(src, dst)
    else:
        with open(src, "rb") as a, open(dst, "wb") as b:
            b.write(a.read())
for i in range(n_elf):
    d = os.path.join(root, "usr/lib64/vendor%02d/d%03d" % (i % 20, i // 200))
    os.makedirs(d, exist_ok=True)
    src = elves[i % len(elves)]
    place(src, os.path.join(d, "%s.%d" % (os.path.basename(src), i)))
shebangs = ["#!/usr/bin/python\nprint 'x'\n", "#!/bin/bash\necho x\n",
            "#!/usr/bin/env python2\nimport os\n", "#!/usr/bin/perl\nprint 1;\n"]
for i in range(n_script):
    d = os.path.join(root, "opt/app%02d/bin%03d" % (i % 10, i // 100))
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, "tool%d" % i)
    with open(p, "w") as f:
        f.write(shebangs[i % len(shebangs)])
    os.chmod(p, 0o755)
with tempfile.TemporaryDirectory() as t:
    ko = os.path.join(t, "m.ko")
    subprocess.run(["gcc", "-O2", "-fno-pic", "-fno-stack-protector", "-c",
                    '-DVERMAGIC="3.10.0-1160.el7.x86_64 SMP mod_unload modversions "',
                    "-o", ko, kmod_src], check=True)
    d = os.path.join(root, "lib/modules/3.10.0-1160.el7.x86_64/extra")
    os.makedirs(d, exist_ok=True)
    for i in range(n_kmod):
        place(ko, os.path.join(d, "vendor_%d.ko" % i))
for i in range(n_data):
    d = os.path.join(root, "var/lib/appdata/s%02d/d%04d" % (i % 50, i // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "rec%d.dat" % i), "w") as f:
        f.write("record %d\n" % i)
print("make_root.sh: %d ELF (%s), %d scripts, %d modules, %d data, %d rpm-owned configs" %
      (n_elf, "hard links" if same_fs else "copies", n_script, n_kmod, n_data, owned))
EOF
mkdir -p "$out/etc"
printf 'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\n' >"$out/etc/os-release"
echo "make_root.sh: $out: $(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1), $(($(date +%s) - start)) s"
