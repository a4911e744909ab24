"""scan/inventory --image on a docker-save archive, an OCI layout and an OCI archive built from
the sample root (two layers: a whiteout, an opaque directory, an overwritten file) must give the
same inventory, package outcomes and finding subjects as --root on the sample root itself.
Usage: equivalence_test.py PREMIGRATE SAMPLE_ROOT WORK_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_tools as it  # noqa: E402

exe, root, work = sys.argv[1:4]
if not os.path.isdir(os.path.join(root, "var/lib/rpm")):
    print(f"FAIL: the sample root {root} has no rpmdb")
    sys.exit(1)
shutil.rmtree(work, ignore_errors=True)
tmp = os.path.join(work, "tmp")
os.makedirs(tmp)
env = dict(os.environ, TMPDIR=tmp, SOURCE_DATE_EPOCH="1700000000", LC_ALL="C")
check = it.check


def pick_dirs():
    opaque = "etc/yum.repos.d"
    if not os.path.isdir(os.path.join(root, opaque)):
        opaque = next(d for d in sorted(os.listdir(os.path.join(root, "etc")))
                      if os.path.isdir(os.path.join(root, "etc", d))
                      and not os.path.islink(os.path.join(root, "etc", d)))
        opaque = "etc/" + opaque
    over = next(f for f in ["etc/redhat-release", "etc/centos-release", "etc/hostname",
                            "etc/fstab", "etc/passwd"]
                if os.path.isfile(os.path.join(root, f))
                and not os.path.islink(os.path.join(root, f)))
    return opaque, over


opaque, over = pick_dirs()


def add_tree(t, rel, recursive=True):
    t.add(os.path.join(root, rel), arcname=rel, recursive=recursive)


def layer1(t):
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        dirs.sort()
        # os.walk lists links to directories with the directories, and does not enter them.
        links = [x for x in dirs if os.path.islink(os.path.join(d, x))]
        dirs[:] = [x for x in dirs if x not in links]
        files = files + links
        if rel == ".":
            dirs[:] = [x for x in dirs if x != "usr"]
            for n in sorted(files):
                add_tree(t, n)
            continue
        if rel == opaque or rel.startswith(opaque + "/"):
            if rel == opaque:
                add_tree(t, rel, False)
                it.add_file(t, opaque + "/decoy.repo", b"[decoy]\nbaseurl=http://decoy/\n")
            dirs[:] = []
            continue
        add_tree(t, rel, False)
        for n in sorted(files):
            p = os.path.join(rel, n)
            if p == over:
                it.add_file(t, p, b"decoy content that layer 2 replaces\n")
            else:
                add_tree(t, p)
    it.add_entry(t, "etc/decoy-dir", tarfile.DIRTYPE)
    it.add_file(t, "etc/decoy-dir/run.sh", b"#!/usr/bin/decoy-shell\necho\n", 0o755)
    it.add_file(t, "etc/decoy.conf", b"decoy=1\n")


def layer2(t):
    add_tree(t, "usr")
    add_tree(t, opaque)  # the real contents first: the opaque marker hides lower layers only
    it.add_file(t, opaque + "/.wh..wh..opq")
    add_tree(t, over)
    it.add_file(t, "etc/.wh.decoy-dir")
    it.add_file(t, "etc/.wh.decoy.conf")


layers = [it.layer_bytes(layer1), it.layer_bytes(layer2)]
docker = os.path.join(work, "sample-docker.tar")
it.write_docker_archive(docker, [(["sample/centos7:test"], layers)])
oci_dir = os.path.join(work, "sample-oci")
manifest_digest = it.write_oci_layout(oci_dir, "sample-centos7:test", layers, ["gzip", "zstd"])
oci_tar = os.path.join(work, "sample-oci.tar")
it.tar_dir(oci_dir, oci_tar)
docker_gz = docker + ".gz"  # docker save | gzip
with open(docker, "rb") as src_f, open(docker_gz, "wb") as dst_f:
    dst_f.write(it.gzip.compress(src_f.read(), mtime=0))
print(f"layers: {len(layers[0])} + {len(layers[1])} bytes; opaque dir {opaque}, "
      f"overwritten {over}")


def run(args):
    p = subprocess.run([exe] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode not in (0, 3):
        print(p.stderr)
    return p


def inventory(source):
    p = run(["inventory"] + source)
    check(p.returncode == 0, f"inventory {' '.join(source)} exits 0 (got {p.returncode})")
    doc = json.loads(p.stdout)
    image = doc.pop("image", None)
    for k in ("root", "tool"):
        doc.pop(k, None)
    # Image-only diagnostics (none expected for this image) would show here.
    diags = doc.pop("diagnostics")
    return doc, image, diags


ref, _, ref_diags = inventory(["--root", root])
for label, path in (("docker-archive", docker), ("docker-archive", docker_gz),
                    ("oci-layout", oci_dir), ("oci-archive", oci_tar)):
    inv, image, diags = inventory(["--image", path])
    check(image is not None and image["format"] == label, f"{label}: the inventory names the image")
    check(len(image["layers"]) == 2, f"{label}: two layers listed")
    check([d for d in diags if d["code"].startswith("image.")] == [],
          f"{label}: no image diagnostics")
    same = inv == ref
    if not same:
        for k in sorted(set(inv) | set(ref)):
            if inv.get(k) != ref.get(k):
                print(f"  differs: {k}")
    check(same, f"{label}: inventory equals the --root inventory")
    check(os.listdir(tmp) == [], f"{label}: the scratch directory is removed")


def scan(label, source):
    out = os.path.join(work, "report-" + label)
    p = run(["scan", "--format", "json,html,text", "-o", out] + source)
    check(p.returncode in (0, 3), f"scan {label} exits 0 or 3 (got {p.returncode})")
    with open(os.path.join(out, "premigrate-report.json")) as f:
        doc = json.load(f)
    subjects = sorted((f["rule_id"], f["subject"]) for f in doc["findings"])
    outcomes = doc.get("package_outcomes")
    return doc, subjects, outcomes, out


ref_doc, ref_subjects, ref_outcomes, _ = scan("root", ["--root", root])
check(len(ref_subjects) > 0 and ref_outcomes, "the --root scan has findings and package outcomes")
for label, path in (("docker-archive", docker), ("oci-archive", oci_tar)):
    doc, subjects, outcomes, out = scan(label, ["--image", path])
    check(subjects == ref_subjects, f"{label}: finding subjects equal --root's ({len(subjects)})")
    check(outcomes == ref_outcomes, f"{label}: package outcomes equal --root's")
    img = doc["host"].get("image", {})
    check(img.get("name") in ("sample/centos7:test", "sample-centos7:test"),
          f"{label}: report header names the image ({img.get('name')})")
    check(doc["host"]["root"] == path, f"{label}: host.root is the image path")
    if label == "oci-archive":
        check(img.get("manifest_digest") == manifest_digest, "oci: manifest digest reported")
    with open(os.path.join(out, "premigrate-report.html"), encoding="utf-8") as f:
        check(img.get("config_digest", "-") in f.read(), f"{label}: HTML shows the config digest")
    with open(os.path.join(out, "premigrate-report.txt"), encoding="utf-8") as f:
        check("image:" in f.read(), f"{label}: text report has the image line")
    check(os.listdir(tmp) == [], f"{label}: the scratch directory is removed after the scan")

it.finish()
