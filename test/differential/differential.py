#!/usr/bin/env python3
"""Differential test of `premigrate inventory` against the reference tools: rpm -qa --qf for
every package field, readelf (and file) for every ELF fact, modinfo (and modprobe, readelf)
for every kernel-module fact, and rpm's file lists for ownership ("owner" rows). Prints a
table of fields x matches; exits 1 on any mismatch or on a field that was never compared,
77 (skip) when a reference tool or the root is missing, with the reason."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elf_fields  # noqa: E402
import kmod_fields  # noqa: E402
import rpm_fields  # noqa: E402
from table import Tally  # noqa: E402

SKIP = 77
TOOLS = {"rpm": ["rpm"], "elf": ["readelf", "file"], "kmod": ["modinfo", "modprobe", "readelf",
                                                              "file", "xz", "zstd", "gzip"]}


def skip(why):
    print("skipped: " + why)
    sys.exit(SKIP)


def resolve_in_root(root, path, depth=0):
    """PATH with its directories' symlinks followed inside ROOT (absolute targets re-rooted),
    as the inventory ties files to packages through links such as /lib64 -> usr/lib64."""
    parts = [p for p in path.split("/") if p]
    done = ""
    for i, part in enumerate(parts[:-1]):
        cur = done + "/" + part
        host = root + cur
        if os.path.islink(host) and depth < 40:
            target = os.readlink(host)
            base = target if target.startswith("/") else os.path.normpath(done + "/" + target)
            return resolve_in_root(root, base + "/" + "/".join(parts[i + 1:]), depth + 1)
        done = cur
    return done + "/" + (parts[-1] if parts else "")


def check_cases(inv, cases, tally):
    """Each defect of issue 20 must be present in the root, so the table covers it."""
    pk = inv.get("packages", [])
    have = {
        "sourcerpm-none": any(p["sourcerpm"] == "" and p["name"] == "gpg-pubkey" for p in pk),
        "ghost-no-digest": any("ghost" in f["flags"] and f["digest"] == ""
                               and f["mode"] & 0o170000 == 0o100000  # a regular file
                               for p in pk for f in p["files"]),
        "module-licenses": any(len(m["license"]) >= 2 for m in inv.get("kernel_modules", [])),
        "interp-library": any(o["path"].endswith("/interp_lib.so") and not o["is_pie"]
                              for o in inv.get("elf_objects", [])),
        "pie-no-flag": any(o["path"].endswith("/pie_no_flag") and o["is_pie"]
                           for o in inv.get("elf_objects", [])),
    }
    for c in cases:
        tally.check("case", c, "root", have.get(c, "unknown case"), True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--premigrate", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--backend", default="sqlite", help="librpm backend for rpm -qa: sqlite|bdb_ro")
    ap.add_argument("--checks", default="rpm,elf,kmod")
    ap.add_argument("--exclude", action="append", default=[],
                    help="path prefix inside the root whose ELF objects are not compared")
    ap.add_argument("--case", action="append", default=[], help="a defect case the root must show")
    ap.add_argument("--needs", help="skip unless this path exists (e.g. ../shared)")
    ap.add_argument("--absent", action="append", default=[],
                    help="tool.field prefix this root has no data for (shown, not failed)")
    ap.add_argument("--empty", action="store_true",
                    help="the rpmdb holds no package: compare the count and that it reads as ok")
    a = ap.parse_args()
    if a.needs and not os.path.exists(a.needs):
        skip("%s is absent" % a.needs)
    if not os.path.isdir(a.root):
        skip("fixture root %s was not built" % a.root)
    checks = [c for c in a.checks.split(",") if c]
    for c in checks:
        for tool in TOOLS[c]:
            if shutil.which(tool) is None:
                skip("%s not found (scripts/packages/differential.txt)" % tool)
    root = os.path.abspath(a.root)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "inventory.json")
        # Every object's symbols (by default only unpackaged objects' are read), to compare all.
        args = [a.premigrate, "inventory", "--root", root, "-o", out, "--symbols", "all"]
        if checks == ["rpm"]:
            args.append("--no-files")
        p = subprocess.run(args, stderr=subprocess.PIPE)
        if p.returncode != 0:
            print("premigrate inventory exited %d: %s" % (p.returncode, p.stderr.decode()))
            return 1
        with open(out, encoding="utf-8") as fh:
            inv = json.load(fh)
    tally = Tally()
    theirs = rpm_fields.compare(inv, root, a.backend, tally) if "rpm" in checks else {}
    owners_of = {}
    for pkg in theirs.values():
        nevra = pkg["nevra"]  # rpm's %{NEVRA}: name-[epoch:]version-release[.arch]
        for f in pkg["files"]:
            owners_of.setdefault(f["path"], set()).add(nevra)

    def owners(path):
        return owners_of.get(path, set()) | owners_of.get(resolve_in_root(root, path), set())

    if "elf" in checks:
        elf_fields.compare(inv, root, tally, exclude=a.exclude)
    if "kmod" in checks:
        kmod_fields.compare(inv, root, tally, owners)
    if "rpm" in checks:
        tally.declare("owner", [c + ".package" for c in checks if c in ("elf", "kmod")])
        for key, c in (("elf_objects", "elf"), ("kernel_modules", "kmod")):
            if c not in checks:
                continue
            for o in inv.get(key, []):
                if any(o["path"].startswith(e) for e in a.exclude):
                    continue
                own = owners(o["path"])
                ours = o["package"]
                want = ours if ours in own else (sorted(own)[0] if own else "")
                tally.check("owner", c + ".package", o["path"], ours, want)
    if a.empty:
        # Nothing per package to compare: the count (0 for both) and a clean read are the test.
        tally.check("rpm", "rpmdb.status", "root", inv["rpmdb"]["status"], "ok")
        tally.check("rpm", "rpmdb.package_count", "root", inv["rpmdb"]["package_count"], 0)
        tally.counts = {k: v for k, v in tally.counts.items() if v[1] > 0}
    check_cases(inv, a.case, tally)
    print("differential: %s (%s)" % (a.root, ", ".join(checks)))
    tally.render(sys.stdout)
    skipped = [k for k in tally.skipped()
               if not any(("%s.%s" % k).startswith(p) for p in a.absent)]
    if skipped:
        print("FAILED: fields never compared: " + ", ".join("%s.%s" % k for k in skipped))
    if tally.mismatches:
        print("FAILED: %d mismatches" % len(tally.mismatches))
    return 1 if (skipped or tally.mismatches) else 0


if __name__ == "__main__":
    sys.exit(main())
