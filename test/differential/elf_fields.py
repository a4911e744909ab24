"""binutils readelf's (and file(1)'s, for the linking mode) view of every ELF object the
inventory lists, compared field by field."""

import re
import subprocess

TOOL = "readelf"

FIELDS = ["objects", "elf_class", "data", "machine", "type", "osabi", "interp", "soname", "needed",
          "rpath", "runpath", "verneed", "verdef", "undefined", "undefined.library",
          "undefined.weak", "exported", "exported.weak", "is_static", "is_pie", "stripped",
          "toolchain.comments", "toolchain.go_buildid", "toolchain.go_version"]

# readelf -h "Machine:" text -> the inventory's word (by class where one name covers two).
MACHINES = {"Advanced Micro Devices X86-64": "x86_64", "AArch64": "aarch64",
            "Intel 80386": "i386", "ARM": "arm", "PowerPC": "ppc", "MIPS R3000": "mips",
            "RISC-V": "riscv64", "LoongArch": "loongarch64", "Sparc v9": "sparc64"}
OSABI = {"UNIX - System V": "SYSV", "UNIX - GNU": "GNU", "UNIX - FreeBSD": "FreeBSD"}
TYPES = {"EXEC": "exec", "DYN": "dyn", "REL": "rel", "CORE": "core"}


def _run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    return p.stdout.decode("utf-8", "surrogateescape")


def _machine(text, elf_class, data):
    if text == "IBM S/390":
        return "s390x" if elf_class == 64 else "s390"
    if text == "PowerPC64":
        return "ppc64le" if data == "lsb" else "ppc64"
    return MACHINES.get(text, text)


def _sections(text):
    """(addr, offset, size) of every section, from readelf -S."""
    return [(int(a, 16), int(o, 16), int(z, 16)) for a, o, z in re.findall(
        r"^\s+\[\s*\d+\]\s+\S*\s+\S+\s+([0-9a-f]{8,16}) ([0-9a-f]{6,}) ([0-9a-f]{6,})", text, re.M)]


def _at(path, sections, addr, n):
    """N bytes of the file at virtual address ADDR, through the section table."""
    for a, off, size in sections:
        if a and a <= addr and addr + n <= a + size:
            with open(path, "rb") as fh:
                fh.seek(off + addr - a)
                return fh.read(n)
    return b""


def _go_version(hexdump, path, sections, msb):
    """The Go buildinfo blob (Go's debug/buildinfo format): after the 14-byte magic, pointer
    size and flags. Flags & 2 (Go >= 1.18): a varint length at byte 32, then the version.
    Otherwise a pointer at byte 16 to a Go string header {data pointer, length}."""
    blob = bytearray()
    for line in hexdump.splitlines():
        m = re.match(r"\s+0x[0-9a-f]+ ((?:[0-9a-f]{2,8} ){1,4})", line)
        if m:
            blob += bytes.fromhex(m.group(1).replace(" ", ""))
    if not blob.startswith(b"\xff Go buildinf:") or len(blob) < 32:
        return ""
    if blob[15] & 2:
        n, shift, at = 0, 0, 32
        while at < len(blob):
            b = blob[at]
            at += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        return blob[at:at + n].decode("utf-8", "replace")
    size = blob[14]
    order = "big" if msb else "little"
    header = _at(path, sections, int.from_bytes(blob[16:16 + size], order), 2 * size)
    if len(header) != 2 * size:
        return ""
    data = int.from_bytes(header[:size], order)
    length = int.from_bytes(header[size:], order)
    return _at(path, sections, data, length).decode("utf-8", "replace")


def read(path):
    """The facts of one file as readelf shows them."""
    f = {"needed": [], "rpath": [], "runpath": [], "verneed": [], "verdef": [], "soname": "",
         "interp": "", "undefined": set(), "exported": set(), "comments": []}
    text = _run(["readelf", "-W", "-h", "-l", "-d", "-S", "-V", "--dyn-syms", path])
    hdr = dict(re.findall(r"^\s+([A-Za-z/ ]+):\s+(.*?)\s*$", text.split("\n\n")[0], re.M))
    f["elf_class"] = 64 if hdr.get("Class") == "ELF64" else 32
    f["data"] = "lsb" if "little" in hdr.get("Data", "") else "msb"
    f["machine"] = _machine(hdr.get("Machine", ""), f["elf_class"], f["data"])
    f["type"] = TYPES.get(hdr.get("Type", "").split(" ")[0], hdr.get("Type", ""))
    f["osabi"] = OSABI.get(hdr.get("OS/ABI", ""), hdr.get("OS/ABI", ""))
    f["readelf_pie"] = "Position-Independent Executable" in hdr.get("Type", "")
    entry = int(hdr.get("Entry point address", "0"), 16)
    m = re.search(r"\[Requesting program interpreter: (.*)\]", text)
    f["interp"] = m.group(1) if m else ""
    f["has_interp"] = bool(m)
    f["has_dynamic"] = re.search(r"^\s+DYNAMIC\s", text, re.M) is not None
    f["entry_executable"] = False
    for m in re.finditer(r"^\s+LOAD\s+0x[0-9a-f]+ (0x[0-9a-f]+) 0x[0-9a-f]+ 0x[0-9a-f]+ "
                         r"(0x[0-9a-f]+) ([RWE ]+)", text, re.M):
        vaddr, memsz = int(m.group(1), 16), int(m.group(2), 16)
        if "E" in m.group(3) and entry and vaddr <= entry < vaddr + memsz:
            f["entry_executable"] = True
    for m in re.finditer(r"\((NEEDED|SONAME|RPATH|RUNPATH)\)\s+\S.*?: \[(.*)\]", text):
        kind, value = m.groups()
        if kind == "NEEDED":
            f["needed"].append(value)
        elif kind == "SONAME":
            f["soname"] = value
        else:
            f[kind.lower()] = value.split(":")
    f["stripped"] = re.search(r"\]\s+\.?\S*\s+SYMTAB\s", text) is None
    # .gnu.version_r: "File: libc.so.6 Cnt: 2" then "Name: GLIBC_2.2.5 Flags: none Version: 3".
    index_file = {}
    section = None
    for line in text.splitlines():
        if line.startswith("Version needs section"):
            section = "r"
        elif line.startswith("Version definition section"):
            section = "d"
        elif line.startswith("Version symbols section") or not line.strip():
            section = None if not line.strip() else section
        m = re.search(r"File: (\S+)\s+Cnt:", line)
        if section == "r" and m:
            f["verneed"].append({"file": m.group(1), "versions": []})
        m = re.search(r"Name: (\S+)\s+Flags: \S+\s+Version: (\d+)", line)
        if section == "r" and m:
            f["verneed"][-1]["versions"].append(m.group(1))
            index_file[m.group(2)] = f["verneed"][-1]["file"]
        m = re.search(r"Rev: \d+\s+Flags: (\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)", line)
        if section == "d" and m and "BASE" not in m.group(1):
            f["verdef"].append(m.group(2))
    defs = set(f["verdef"])
    for m in re.finditer(r"^\s+\d+: ([0-9a-f]+)\s+\d+\s+(\w+)\s+(\w+)\s+(\w+)\s+(\w+)\s+(\S+)"
                         r"(?: \((\d+)\))?\s*$", text, re.M):
        value, typ, bind, vis, ndx, name, index = m.groups()
        if bind == "LOCAL" or typ in ("SECTION", "FILE"):
            continue
        ver = ""
        if "@" in name:
            name, ver = re.split(r"@@?", name, maxsplit=1)
        weak = bind == "WEAK"
        if ndx == "UND":
            # The version index (readelf's "(n)") names the needed file: one version name,
            # GLIBC_2.2.5, is required from libc.so.6 and libpthread.so.0 alike.
            f["undefined"].add((name, ver, index_file.get(index, "") if ver else "", weak))
        elif vis not in ("HIDDEN", "INTERNAL"):
            # ld's one absolute symbol per version node is not an interface (gABI versioning).
            if ndx == "ABS" and int(value, 16) == 0 and name in defs:
                continue
            f["exported"].add((name, ver, weak))
    # A PIE: DF_1_PIE (readelf's "Position-Independent Executable"); before binutils 2.26 no
    # flag was written, and an ET_DYN that asks for an interpreter, starts in an executable
    # segment and has no soname is one (docs/differential.md).
    f["is_pie"] = f["type"] == "dyn" and (f["readelf_pie"] or (
        f["has_interp"] and f["entry_executable"] and not f["soname"]))
    if f["is_pie"] or f["type"] != "dyn":
        f["exported"] = set()
    comments = _run(["readelf", "-W", "-p", ".comment", path])
    for m in re.finditer(r"^\s+\[\s*[0-9a-f]+\]\s+(.*)$", comments, re.M):
        if m.group(1) not in f["comments"]:
            f["comments"].append(m.group(1))
    notes = _run(["readelf", "-W", "-n", path])
    m = re.search(r"GO BUILDID\s+description data: ([0-9a-f ]+)", notes)
    f["go_buildid"] = (bytes.fromhex(m.group(1).replace(" ", "")).decode("utf-8", "replace")
                       if m else "")
    f["go_version"] = _go_version(_run(["readelf", "-W", "-x", ".go.buildinfo", path]), path,
                                  _sections(text), f["data"] == "msb")
    ftext = _run(["file", "-b", path])
    f["is_static"] = "statically linked" in ftext or "static-pie linked" in ftext
    return f


def compare(inventory, root, tally, exclude=()):
    tally.declare(TOOL, FIELDS)
    for o in inventory.get("elf_objects", []):
        path = o["path"]
        if any(path.startswith(e) for e in exclude):
            continue
        t = read(root + path)
        tally.check(TOOL, "objects", path, True, t["type"] != "")
        for k in ("elf_class", "data", "machine", "type", "osabi", "interp", "soname", "needed",
                  "rpath", "runpath", "verneed", "verdef", "is_static", "is_pie", "stripped"):
            tally.check(TOOL, k, path, o[k], t[k])
        und = {(s["name"], s["version"], s["library"], s["weak"]) for s in o["undefined"]}
        tally.check(TOOL, "undefined", path, sorted((a, b) for a, b, _, _ in und),
                    sorted((a, b) for a, b, _, _ in t["undefined"]))
        tally.check(TOOL, "undefined.library", path, sorted(und), sorted(t["undefined"]))
        tally.check(TOOL, "undefined.weak", path, sorted((a, b, w) for a, b, _, w in und),
                    sorted((a, b, w) for a, b, _, w in t["undefined"]))
        exp = {(s["name"], s["version"], s["weak"]) for s in o["exported"]}
        tally.check(TOOL, "exported", path, sorted((a, b) for a, b, _ in exp),
                    sorted((a, b) for a, b, _ in t["exported"]))
        tally.check(TOOL, "exported.weak", path, sorted(exp), sorted(t["exported"]))
        tc = o["toolchain"]
        tally.check(TOOL, "toolchain.comments", path, tc["comments"], t["comments"])
        tally.check(TOOL, "toolchain.go_buildid", path, tc["go_buildid"], t["go_buildid"])
        tally.check(TOOL, "toolchain.go_version", path, tc["go_version"], t["go_version"])
