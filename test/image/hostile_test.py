"""Hostile container images: members with '..', absolute paths, a symlink then a file through
it, device nodes and a FIFO, a 10 GB sparse member, a layer-count bomb, whiteouts naming '.'
or '..', layer names and blob links leading out of the archive. Each must give its diagnostic
(or, for the bomb, a one-line error) and write nothing outside the private scratch directory:
a canary directory beside it and a listing of the work directory are compared before and after.
Disk images with a bad header or a backing file are refused. Also: a multi-image archive needs a selector (exit 2 listing the names), and an image name is
escaped in the HTML report. Usage: hostile_test.py PREMIGRATE WORK_DIR [DISK_IMAGES_ON]"""
import json
import os
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_tools as it  # noqa: E402

exe, work = sys.argv[1:3]
disk_support = len(sys.argv) > 3 and sys.argv[3].upper() in ("ON", "1", "TRUE", "YES")
work = os.path.abspath(work)
shutil.rmtree(work, ignore_errors=True)
tmp = os.path.join(work, "tmp")
canary = os.path.join(work, "canary")
cases = os.path.join(work, "cases")
outs = os.path.join(work, "out")
for d in (tmp, canary, cases, outs):
    os.makedirs(d)
with open(os.path.join(canary, "secret"), "w") as f:
    f.write("canary\n")
env = dict(os.environ, TMPDIR=tmp, LC_ALL="C")
check = it.check


def docker(name, layers, tags=None):
    path = os.path.join(cases, name + ".tar")
    it.write_docker_archive(path, [(tags or [name + ":test"], layers)])
    return path


def lay(*entries):
    def add(t):
        for e in entries:
            e(t)
    return it.layer_bytes(add)


def f(name, data=b"x\n", mode=0o644):
    return lambda t: it.add_file(t, name, data, mode)


def e(name, kind, link="", major=0, minor=0):
    def add(t):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = link
        info.devmajor, info.devminor = major, minor
        info.mode = 0o644
        t.addfile(info)
    return add


def snapshot():
    return it.tree_listing(work, skip={outs, tmp})


def inventory(case, path, extra=()):
    out = os.path.join(outs, case + ".json")
    before = snapshot()
    p = subprocess.run([exe, "inventory", "--image", path, "--no-files", "-o", out] + list(extra),
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(snapshot() == before, f"{case}: nothing written outside the scratch directory")
    check(os.listdir(tmp) == [], f"{case}: the scratch directory is removed")
    with open(os.path.join(canary, "secret")) as c:
        check(c.read() == "canary\n" and os.listdir(canary) == ["secret"],
              f"{case}: the canary is untouched")
    return p, out


def diags_of(case, path, extra=()):
    p, out = inventory(case, path, extra)
    check(p.returncode in (0, 5), f"{case}: inventory completes (exit {p.returncode})")
    if p.returncode not in (0, 5):
        print(p.stderr)
        return []
    with open(out) as j:
        return json.load(j)["diagnostics"]


def expect(case, diags, code, paths):
    got = sorted(d["path"] for d in diags if d["code"] == code)
    check(all(p in got for p in paths), f"{case}: {code} for {paths} (got {got})")


# 1. '..' in member paths.
c = docker("dotdot", [lay(f("../escape"), f("a/../../escape2"), f("./../canary/evil"),
                          f("ok-file"))])
d = diags_of("dotdot", c)
check(len([x for x in d if x["code"] == "image.path_escape"]) == 3, "dotdot: three refusals")

# 2. Absolute member paths: re-rooted below the image root, never the host's.
c = docker("absolute", [lay(f(canary + "/abs-evil"), f("/etc/abs-file"))])
d = diags_of("absolute", c)
expect("absolute", d, "image.path_absolute", [canary + "/abs-evil", "/etc/abs-file"])

# 3. A symlink, then a file through it (absolute, relative and to '/'); hard links out.
c = docker("through-link", [
    lay(e("evil-link", tarfile.SYMTYPE, canary), f("evil-link/planted"),
        e("rel-link", tarfile.SYMTYPE, "../" * 12 + canary.lstrip("/")), f("rel-link/planted2"),
        e("root-link", tarfile.SYMTYPE, "/"), f("root-link" + tmp + "/planted3"),
        e("hl-out", tarfile.LNKTYPE, "../../" + canary.lstrip("/") + "/secret"),
        e("hl-to-link", tarfile.LNKTYPE, "evil-link")),
    # A second layer writing through the first layer's link.
    lay(f("evil-link/planted4"))])
d = diags_of("through-link", c)
expect("through-link", d, "image.through_link",
       ["/evil-link/planted", "/rel-link/planted2", "/root-link" + tmp + "/planted3",
        "/evil-link/planted4"])
expect("through-link", d, "image.link_escape", ["/hl-out"])
expect("through-link", d, "image.hardlink", ["/hl-to-link"])

# 4. Device nodes, a FIFO: recorded, never created.
c = docker("devices", [lay(e("dev/evil-null", tarfile.CHRTYPE, "", 1, 3),
                           e("dev/sda", tarfile.BLKTYPE, "", 8, 0), e("run/fifo", tarfile.FIFOTYPE))])
d = diags_of("devices", c)
expect("devices", d, "image.special_file", ["/dev/evil-null", "/dev/sda", "/run/fifo"])

# 5. A 10 GB sparse member (GNU tar -S: the archive is a few kB).
src = os.path.join(work, "sparse-src")
os.makedirs(src)
with open(os.path.join(src, "big.img"), "wb") as b:
    b.truncate(10 << 30)
layer_path = os.path.join(work, "sparse-layer.tar")
subprocess.run(["tar", "-S", "-cf", layer_path, "-C", src, "big.img"], check=True)
os.unlink(os.path.join(src, "big.img"))
with open(layer_path, "rb") as lp:
    sparse_layer = lp.read()
check(len(sparse_layer) < 1 << 20, f"sparse: the layer is small ({len(sparse_layer)} bytes)")
c = docker("sparse", [sparse_layer])
d = diags_of("sparse", c)
expect("sparse", d, "image.member_too_large", ["/big.img"])

# 6. A layer-count bomb: 1000 layers (one tiny layer named 1000 times) is refused whole.
tiny = lay(f("t"))
c = docker("bomb", [tiny] * 1000)
p, _ = inventory("bomb", c)
check(p.returncode == 1 and "1000 layers, more than 256" in p.stderr,
      f"bomb: exit 1 with one line naming the count (exit {p.returncode}: {p.stderr.strip()})")

# 7. Whiteouts naming '.' or '..' (at the root: would leave the image root).
c = docker("whiteout-dots", [lay(f("keep")), lay(f(".wh.."), f(".wh..."), f("etc/.wh.."))])
d = diags_of("whiteout-dots", c)
check(len([x for x in d if x["code"] == "image.whiteout"]) == 3, "whiteout-dots: three refusals")

# 8. Layer names leading out of the archive, and an OCI blob that is a symlink to the canary.
c = os.path.join(cases, "outer-escape.tar")
with tarfile.open(c, "w") as t:
    cfg = it.config_for([tiny])
    it.add_file(t, "c.json", cfg)
    it.add_file(t, "../outer-escape", b"x")
    it.add_entry(t, "link.tar", tarfile.SYMTYPE, "../../" + canary.lstrip("/") + "/secret")
    it.add_file(t, "manifest.json", json.dumps([{"Config": "c.json", "RepoTags": ["o:1"], "Layers": [
        "../../" + canary.lstrip("/") + "/secret", "link.tar"]}]).encode())
d = diags_of("outer-escape", c)
check(len([x for x in d if x["code"] == "image.layer_missing"]) == 2,
      "outer-escape: both layer names are missing from the image, none read outside it")
oci = os.path.join(cases, "oci-blob-link")
it.write_oci_layout(oci, "x:1", [tiny], ["gzip"])
blob_dir = os.path.join(oci, "blobs", "sha256")
for name in os.listdir(blob_dir):
    with open(os.path.join(blob_dir, name), "rb") as b:
        data = b.read()
    if data[:2] == b"\x1f\x8b":  # the layer
        os.unlink(os.path.join(blob_dir, name))
        os.symlink(os.path.join(canary, "secret"), os.path.join(blob_dir, name))
d = diags_of("oci-blob-link", oci)
check(len([x for x in d if x["code"] == "image.layer_missing"]) == 1,
      "oci-blob-link: a blob that is a symlink is not followed")

# 9. Disk images refused before any appliance starts, each with one line: a qcow2 header that
# QEMU would not write, and a qcow2 whose backing file is a file of this host (the classic
# leak: the guest's view would include the canary). A build without libguestfs refuses every
# disk image with exit 7.
def disk_case(name, path, want_exit, want_text):
    p = subprocess.run([exe, "inventory", "--image", path, "--no-files"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not disk_support:
        want_exit, want_text = 7, "no disk-image support"
    check(p.returncode == want_exit and want_text in p.stderr
          and len(p.stderr.strip().splitlines()) == 1 and "canary" not in p.stdout,
          f"{name}: exit {want_exit}, one line ({p.stderr.strip()})")


qcow = os.path.join(cases, "disk.qcow2")
with open(qcow, "wb") as q:
    q.write(b"QFI\xfb" + b"\0" * 4092)
disk_case("disk-bad-header", qcow, 1, "is no valid qcow2 image")
backed = os.path.join(cases, "backed.qcow2")
if shutil.which("qemu-img"):
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                    os.path.join(canary, "secret"), backed], check=True)
    disk_case("disk-backing-file", backed, 1, "depends on a backing file")
else:
    print("note: qemu-img not installed (qemu-utils); the backing-file case is not run")
# Where the appliance cannot start (here: no supermin on PATH), one line says why and what to
# install, with exit 7, before anything is launched.
if disk_support:
    mbr = os.path.join(cases, "raw.img")
    with open(mbr, "wb") as d:
        d.write(b"\0" * 510 + b"\x55\xaa" + b"\0" * 4096)
    p = subprocess.run([exe, "inventory", "--image", mbr, "--no-files"],
                       env=dict(env, PATH="/nonexistent"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    check(p.returncode == 7 and "supermin is not installed" in p.stderr
          and "apt-get install libguestfs-tools" in p.stderr
          and len(p.stderr.strip().splitlines()) == 1,
          f"disk-no-appliance: exit 7, one line saying what to install ({p.stderr.strip()})")

# 10. Several images: a selector is needed, and names are escaped in the HTML.
c = os.path.join(cases, "multi.tar")
it.write_docker_archive(c, [(["a/one:1"], [tiny]), (["evil<script>:x"], [lay(f("u"))])])
p = subprocess.run([exe, "inventory", "--image", c, "--no-files"], env=env,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
check(p.returncode == 2 and "a/one:1" in p.stderr and "evil<script>:x" in p.stderr,
      f"multi: no selector is a usage error listing the images (exit {p.returncode})")
p = subprocess.run([exe, "inventory", "--image", c + "@nosuch:1", "--no-files"], env=env,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
check(p.returncode == 2 and "no image named 'nosuch:1'" in p.stderr, "multi: unknown selector")
p, out = inventory("multi-select", c + "@a/one:1")
with open(out) as j:
    check(json.load(j)["image"]["name"] == "a/one:1", "multi: @a/one:1 selects that image")
rep = os.path.join(outs, "multi-html")
p = subprocess.run([exe, "scan", "--image", c + "@evil<script>:x", "--no-files", "--format",
                    "html,json", "-o", rep], env=env, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, text=True)
check(p.returncode in (0, 3), f"multi: scan of the selected image runs (exit {p.returncode})")
if os.path.exists(os.path.join(rep, "premigrate-report.html")):
    with open(os.path.join(rep, "premigrate-report.html"), encoding="utf-8") as h:
        html = h.read()
    check("evil&lt;script&gt;:x" in html and "evil<script>" not in html,
          "multi: the image name is escaped in the HTML")
check(os.listdir(tmp) == [], "the scratch directory is empty at the end")

it.finish()
