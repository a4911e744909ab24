"""kmod's modinfo (and modprobe --dump-modversions, readelf, file, rpm -qf) view of every kernel
module the inventory lists, compared field by field. Fields that are defined by where the
module sits (kernel_release, location) are checked against the path rule README states."""

import os
import re
import subprocess
import tempfile

TOOL = "modinfo"

FIELDS = ["modules", "name", "vermagic", "license", "depends", "srcversion", "retpoline",
          "intree", "signature", "versions", "undefined", "machine", "compression",
          "kernel_release", "location", "out_of_tree"]
COMPRESSION = (("XZ compressed", "xz", ["xz", "-dc"]),
               ("Zstandard compressed", "zst", ["zstd", "-dcq"]),
               ("gzip compressed", "gz", ["gzip", "-dc"]))
MACHINES = {"Advanced Micro Devices X86-64": "x86_64", "AArch64": "aarch64", "IBM S/390": "s390x",
            "Intel 80386": "i386", "PowerPC64": "ppc64le"}


def _run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          **kw).stdout.decode("utf-8", "surrogateescape")


def _modinfo(path):
    fields = {}
    for line in _run(["modinfo", path]).splitlines():
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
    return fields


def read(path, tmp):
    f = {}
    kind = _run(["file", "-b", path])
    f["compression"] = ""
    plain = path
    for word, name, cmd in COMPRESSION:
        if kind.startswith(word):
            f["compression"] = name
            plain = os.path.join(tmp, "module.ko")
            with open(plain, "wb") as out, open(path, "rb") as src:
                subprocess.run(cmd, stdin=src, stdout=out, check=False)
    # On the decompressed copy: Debian's kmod reads .ko.xz and .ko.zst but not .ko.gz.
    info = _modinfo(plain)
    one = lambda k: info.get(k, [""])[0]
    f["name"] = one("name")
    f["vermagic"] = one("vermagic")
    f["license"] = info.get("license", [])
    f["depends"] = [d for d in one("depends").split(",") if d]
    f["srcversion"] = one("srcversion")
    f["retpoline"] = one("retpoline") == "Y"
    f["intree"] = one("intree") == "Y"
    # modinfo prints sig_id (and signer, sig_key, ...) when the signature trailer is there.
    f["signature"] = "sig_id" in info
    f["versions"] = []
    for line in _run(["modprobe", "--dump-modversions", plain]).splitlines():
        crc, sym = line.split("\t", 1)
        f["versions"].append({"symbol": sym, "crc": int(crc, 16)})
    f["versions"].sort(key=lambda v: v["symbol"])
    syms = _run(["readelf", "-W", "-s", plain])
    f["undefined"] = sorted({m.group(1) for m in re.finditer(
        r"^\s+\d+: [0-9a-f]+\s+\d+\s+\w+\s+\w+\s+\w+\s+UND (\S+)$", syms, re.M)})
    hdr = _run(["readelf", "-W", "-h", plain])
    m = re.search(r"Machine:\s+(.*?)\s*$", hdr, re.M)
    f["machine"] = MACHINES.get(m.group(1), m.group(1)) if m else ""
    return f


def _place(path):
    """README: lib/modules/<release>/<location>/...; extra, updates, weak-updates and kernel are
    locations, anything else "other"."""
    m = re.match(r"^(?:/usr)?/lib/modules/([^/]+)/([^/]+)/", path)
    if not m:
        return "", "other"
    loc = m.group(2)
    return m.group(1), loc if loc in ("kernel", "extra", "updates", "weak-updates") else "other"


def compare(inventory, root, tally, owners):
    tally.declare(TOOL, FIELDS)
    with tempfile.TemporaryDirectory() as tmp:
        for o in inventory.get("kernel_modules", []):
            path = o["path"]
            t = read(root + path, tmp)
            tally.check(TOOL, "modules", path, True, t["name"] != "" or t["vermagic"] != "")
            for k in ("name", "vermagic", "license", "depends", "srcversion", "retpoline",
                      "intree", "signature", "versions", "undefined", "machine",
                      "compression"):
                tally.check(TOOL, k, path, o[k], t[k])
            release, location = _place(path)
            tally.check(TOOL, "kernel_release", path, o["kernel_release"], release)
            tally.check(TOOL, "location", path, o["location"], location)
            owned = bool(owners(path))
            tally.check(TOOL, "out_of_tree", path, o["out_of_tree"],
                        location in ("extra", "updates", "weak-updates") or not owned)
