"""--image on disk images through libguestfs: a qcow2 made here with virt-make-fs from (a copy
of) the sample root must give the same package outcomes and finding subjects as --root on that root, and the
report must name the disk (format, inspected OS, root device); the default backend's launch
budget running out must lead to the TCG retry, said in a diagnostic; a total budget shorter than
a launch must stop the child with one line (exit 7); a raw disk of garbage must
end with one line saying no OS was found. Skips (exit 77, with the reason) where the libguestfs
appliance cannot start. Usage: disk_test.py PREMIGRATE SAMPLE_ROOT WORK_DIR"""
import json
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_tools as it  # noqa: E402

exe, root, work = sys.argv[1:4]
work = os.path.abspath(work)
if not os.path.isdir(os.path.join(root, "var/lib/rpm")):
    print(f"FAIL: the sample root {root} has no rpmdb")
    sys.exit(1)
if shutil.which("virt-make-fs") is None:
    print("skipped: virt-make-fs is not installed (apt-get install libguestfs-tools)")
    sys.exit(77)
shutil.rmtree(work, ignore_errors=True)
tmp = os.path.join(work, "tmp")
os.makedirs(tmp)
# The appliance is cached where libguestfs keeps it (/var/tmp), not in the scratch TMPDIR whose
# emptiness is checked. KVM may hang on a loaded machine (docs/images.md): TCG unless the
# caller chose the backend.
base_env = dict(os.environ, LIBGUESTFS_CACHEDIR=os.environ.get("LIBGUESTFS_CACHEDIR", "/var/tmp"),
                LC_ALL="C", SOURCE_DATE_EPOCH="1700000000")
tcg_env = dict(base_env, LIBGUESTFS_BACKEND_SETTINGS=os.environ.get(
    "LIBGUESTFS_BACKEND_SETTINGS", "force_tcg"))
check = it.check
# libguestfs's inspection takes a file system for a Linux root when it has /etc, /bin (or the
# link to usr/bin) and /etc/fstab or /etc/hosts (daemon/inspect_fs.ml); the sample root lacks
# the last two, as a CentOS 7 system has them. Both sides of the comparison read this copy.
sample = os.path.join(work, "root")
shutil.copytree(root, sample, symlinks=True)
if not os.path.lexists(os.path.join(sample, "bin")):
    os.symlink("usr/bin", os.path.join(sample, "bin"))
with open(os.path.join(sample, "etc/hosts"), "w") as f:
    f.write("127.0.0.1 localhost\n")
root = sample

qcow = os.path.join(work, "sample.qcow2")
t0 = time.monotonic()
p = subprocess.run(["virt-make-fs", "--format=qcow2", "--type=ext4", "--size=+64M", root, qcow],
                   env=tcg_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                   timeout=900)
if p.returncode != 0:
    lines = [x for x in p.stdout.strip().splitlines() if x.strip()]
    print("skipped: the libguestfs appliance cannot start here (virt-make-fs failed: "
          + (lines[-1] if lines else f"exit {p.returncode}") + ")")
    sys.exit(77)
print(f"virt-make-fs: {time.monotonic() - t0:.0f} s, {os.path.getsize(qcow)} bytes")


def run(args, env):
    t = time.monotonic()
    p = subprocess.run([exe] + args, env=dict(env, TMPDIR=tmp), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=1200)
    print(f"  {' '.join(args[:1] + args[-2:])}: exit {p.returncode}, "
          f"{time.monotonic() - t:.0f} s")
    if p.returncode not in (0, 3):
        print(p.stderr)
    return p


def scan(label, source, env):
    out = os.path.join(work, "report-" + label)
    p = run(["scan", "--format", "json,html,text", "-o", out] + source, env)
    check(p.returncode in (0, 3), f"scan {label} exits 0 or 3 (got {p.returncode})")
    with open(os.path.join(out, "premigrate-report.json")) as f:
        doc = json.load(f)
    subjects = sorted((f["rule_id"], f["subject"]) for f in doc["findings"])
    return doc, subjects, doc.get("package_outcomes"), out


ref_doc, ref_subjects, ref_outcomes, _ = scan("root", ["--root", root], base_env)
check(len(ref_subjects) > 0 and ref_outcomes, "the --root scan has findings and package outcomes")

# 1. The qcow2 through the TCG backend the environment names: the same results as --root.
doc, subjects, outcomes, out = scan("qcow2", ["--image", qcow], tcg_env)
check(subjects == ref_subjects, f"qcow2: finding subjects equal --root's ({len(subjects)})")
check(outcomes == ref_outcomes, "qcow2: package outcomes equal --root's")
img = doc["host"].get("image", {})
print(f"  host.image: {json.dumps(img, sort_keys=True)}")
check(img.get("format") == "qcow2" and img.get("root_device", "").startswith("/dev/")
      and img.get("distro") == "centos" and img.get("os_version", "").startswith("7."),
      "qcow2: host.image names the format, the inspected OS and its root device")
check(doc["host"]["root"] == qcow, "qcow2: host.root is the disk path")
check([d for d in doc.get("diagnostics", []) if d["code"].startswith("image.")] == [],
      "qcow2: no image diagnostics")
with open(os.path.join(out, "premigrate-report.txt"), encoding="utf-8") as f:
    text = f.read()
check("qcow2 disk" in text and img.get("root_device", "?") in text,
      "qcow2: the text report has the disk line")
check(os.listdir(tmp) == [], "qcow2: the scratch directory is removed (overlay included)")

# 2. The default backend given 1 s to launch: the TCG retry, said in a diagnostic.
fallback_env = {k: v for k, v in base_env.items() if k != "LIBGUESTFS_BACKEND_SETTINGS"}
fallback_env["PREMIGRATE_IMAGE_LAUNCH_TIMEOUT"] = "1"
p = run(["inventory", "--no-files", "--image", qcow], fallback_env)
check(p.returncode == 0, f"fallback: inventory exits 0 (got {p.returncode})")
if p.returncode == 0:
    inv = json.loads(p.stdout)
    codes = [d["code"] for d in inv["diagnostics"]]
    check("image.disk_backend" in codes, "fallback: the TCG retry is a diagnostic")
    check(len(inv.get("packages", [])) > 0, "fallback: the retry read the rpmdb")
check(os.listdir(tmp) == [], "fallback: the scratch directory is removed")

# 3. A budget shorter than any launch: the child's process group is killed when it runs out
# (no qemu of it left), one line, exit 7.
t = time.monotonic()
p = run(["inventory", "--no-files", "--image-timeout", "5", "--image", qcow], tcg_env)
took = time.monotonic() - t
check(p.returncode == 7 and "no answer within 5 s" in p.stderr
      and len(p.stderr.strip().splitlines()) == 1 and took < 60,
      f"budget: exit 7 after {took:.0f} s, one line ({p.stderr.strip()[:200]})")
left = [a for a in subprocess.run(["ps", "-eo", "args"], stdout=subprocess.PIPE, text=True)
        .stdout.splitlines() if "qemu" in a and tmp in a]
check(left == [], f"budget: no qemu of the killed child is left ({left[:1]})")
check(os.listdir(tmp) == [], "budget: the scratch directory is removed")

# 4. A raw disk of garbage behind a valid MBR signature: one line, no OS found, exit 1.
garbage = os.path.join(work, "garbage.img")
rng = random.Random(22)
with open(garbage, "wb") as g:
    block = bytearray(rng.getrandbits(8) for _ in range(1 << 20))
    block[510:512] = b"\x55\xaa"
    g.write(bytes(block) * 8)
p = run(["inventory", "--no-files", "--image", garbage], tcg_env)
lines = p.stderr.strip().splitlines()
check(p.returncode == 1 and len(lines) == 1 and "no operating system found" in p.stderr,
      f"garbage: exit 1, one line saying no OS was found ({p.stderr.strip()[:300]})")
check(os.listdir(tmp) == [], "garbage: the scratch directory is removed")

it.finish()
