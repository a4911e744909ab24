#!/usr/bin/env python3
"""Writes one .spec per source rpm of a package list (data/*.tsv): the binary packages that
came from one source rpm become subpackages with their own real name, epoch, version, release,
arch, vendor, licence, summary and modularity label, so SOURCERPM is the real one too. The
packages are synthetic stand-ins: no payload unless STAGE/<name>/ holds files for them.

Usage: make_specs.py OUT_DIR STAGE_DIR SKIP_NAMES_FILE LIST.tsv...
"""
import os
import sys
from collections import OrderedDict


def esc(text):
    """Spec text: % starts a macro, so double it; keep tags on one line."""
    return text.replace("%", "%%").replace("\n", " ").strip() or "-"


def parse_srpm(srpm):
    base = srpm[: -len(".src.rpm")] if srpm.endswith(".src.rpm") else srpm
    name, version, release = base.rsplit("-", 2)
    return name, version, release


def stage_files(stage, name):
    """The files (and symlinks) under STAGE/<name>, as absolute paths inside the root."""
    top = os.path.join(stage, name)
    found = []
    for dirpath, dirnames, filenames in os.walk(top):
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                filenames.append(d)
                dirnames.remove(d)
        for f in filenames:
            found.append("/" + os.path.relpath(os.path.join(dirpath, f), top))
    return sorted(found)


def preamble(p):
    """The per-package tags of a binary package."""
    lines = []
    if p["epoch"]:
        lines.append("Epoch: %s" % p["epoch"])
    lines += ["Version: %s" % p["version"], "Release: %s" % p["release"],
              "Summary: %s" % esc(p["summary"]), "License: %s" % esc(p["license"])]
    if p["vendor"]:
        lines.append("Vendor: %s" % esc(p["vendor"]))
    if p["arch"] == "noarch":
        lines.append("BuildArch: noarch")
    return lines


def main():
    out, stage, skip_file = sys.argv[1:4]
    skip = set()
    if os.path.exists(skip_file):
        with open(skip_file) as f:
            skip = {line.strip() for line in f if line.strip()}
    groups = OrderedDict()
    for path in sys.argv[4:]:
        with open(path) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                epoch, name, version, release, arch, srpm, lic, vendor, module, summary = cols
                # gpg-pubkey rows are keys imported with rpm --import, not built packages.
                if name == "gpg-pubkey" or name in skip:
                    continue
                groups.setdefault(srpm, []).append(
                    dict(epoch=epoch, name=name, version=version, release=release, arch=arch,
                         license=lic, vendor=vendor, module=module, summary=summary))
    os.makedirs(out, exist_ok=True)
    for srpm, pkgs in groups.items():
        sname, sversion, srelease = parse_srpm(srpm)
        lines = []
        label = next((p["module"] for p in pkgs if p["module"]), "")
        if label:
            lines.append("%%global modularitylabel %s" % label)
        # The main package is built only when a binary package has the source's name.
        main = next((p for p in pkgs if p["name"] == sname), None)
        head = main or dict(epoch="", version=sversion, release=srelease, arch="",
                            license=pkgs[0]["license"], vendor="",
                            summary="Synthetic stand-in for the source package %s" % sname)
        lines += ["# Synthetic stand-in for %s: real package metadata, no real payload." % srpm,
                  "Name: %s" % sname] + preamble(head) + [
                  "AutoReqProv: no", "%description", "Synthetic stand-in carrying real metadata."]
        install = []
        files = []
        for p in pkgs:
            n = p["name"]
            suffix = "" if p is main else " -n %s" % n
            if p is not main:
                lines += ["", "%%package -n %s" % n] + preamble(p) + [
                    "%%description -n %s" % n, "Synthetic stand-in carrying real metadata."]
            owned = stage_files(stage, n)
            files += ["", "%%files%s" % suffix]
            if owned:
                install.append("cp -a '%s/%s/.' %%{buildroot}/" % (stage, n))
            for f in owned:
                files.append(("%%config(noreplace) %s" if f.startswith("/etc/") else "%s") % f)
        # No %install section when nothing is installed: rpmbuild then runs no shell at all.
        if install:
            lines += ["", "%install"] + install
        lines += files
        with open(os.path.join(out, "%s.spec" % srpm[: -len(".src.rpm")]), "w") as f:
            f.write("\n".join(lines) + "\n")
    print(len(groups))


if __name__ == "__main__":
    main()
