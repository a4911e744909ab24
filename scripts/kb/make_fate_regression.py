#!/usr/bin/env python3
"""Writes test/unit/kb/data/fate_regression.tsv: the expected fate of CentOS 7 packages on
openEuler 22.03 LTS SP3 and 24.03 LTS (x86_64), read straight from the raw datasets in
../shared/kb-sources (never from the packs), each row naming the file and line it rests on.

Evidence order, as in docs/kb.md: the name in the target's dnf list (present); a 20.03 LTS SP3
package that still ships on the target and Obsoletes and/or Provides the name (merged/renamed,
replaced, provided_by); the release package (system-release); a deletion record; otherwise
"unknown" while the CentOS source package still ships, else "removed".
Usage: make_fate_regression.py [SHARED_KB_SOURCES] (default ../shared/kb-sources). Review the diff.
"""
import gzip
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

TOP = pathlib.Path(__file__).resolve().parents[2]
SRC = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else TOP.parent / "shared" / "kb-sources"
OUT = TOP / "test" / "unit" / "kb" / "data" / "fate_regression.tsv"
PRIMARY = "openeuler-pkgship-primary/openEuler-20.03-LTS-SP3-everything-x86_64+src.primary.xml.gz"
TARGETS = {
    "openeuler-22.03-lts-sp3": ("openos365-openeuler-docker/22.03-LTS-SP3_x86_64_2024-03-23/dnf_list_parsed.tsv",
                                "openEuler-22.03-LTS-SP3"),
    "openeuler-24.03-lts": ("openos365-openeuler-docker/24.03-LTS_x86_64_2024-08-09/dnf_list_parsed.tsv",
                            "openEuler-24.03-LTS"),
}
RELEASE = {"centos-release", "redhat-release"}
PES = "almalinux-leapp-data/pes-events.centos.json"
ACTIONS = ["present", "removed", "deprecated", "replaced", "split", "merged", "moved", "renamed"]


def leapp_events():
    """name -> [(action, successors, index)] of the CentOS 7 -> 8 x86_64 events, in the order
    the pack keeps them (by in-names, action, out-names)."""
    import json
    doc = json.loads((SRC / PES).read_text())
    events = []
    for i, ev in enumerate(doc["packageinfo"]):
        ini, rel = ev.get("initial_release"), ev.get("release")
        if not ini or not rel or ini["major_version"] != 7 or rel["major_version"] != 8:
            continue
        if ev["architectures"] and "x86_64" not in ev["architectures"]:
            continue
        ins = [p["name"] for p in ev["in_packageset"]["package"]]
        outs = [p["name"] for p in ev["out_packageset"]["package"]]
        events.append((ins, ACTIONS[ev["action"]], outs, i))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    by_name = {}
    for ins, action, outs, i in events:
        for n in ins:
            by_name.setdefault(n, []).append((action, outs, i))
    return by_name
NS = {"c": "http://linux.duke.edu/metadata/common", "rpm": "http://linux.duke.edu/metadata/rpm"}


def centos7_packages():
    out = {}
    for f in ("centos7.tsv", "centos7-extra.tsv"):
        for line in (TOP / "examples/sample-root/data" / f).read_text().splitlines():
            if line.startswith("#") or not line.strip():
                continue
            c = line.split("\t")
            if c[1] == "gpg-pubkey":
                continue
            src = re.sub(r"-[^-]+-[^-]+\.src\.rpm$", "", c[5])
            out[c[1]] = src
    return out


def dnf_names(rel):
    names = {}
    for n, line in enumerate((SRC / rel).read_text().splitlines(), 1):
        c = line.split("\t")
        if n == 1 or c[2] == "src" or c[4] in ("source", "update-source", "debuginfo"):
            continue
        names.setdefault(c[1], n)
    return names


def primary_relations():
    """name -> [(package, 'Provides'|'Obsoletes')] for x86_64/noarch packages; plain names only."""
    rel = {}
    root = ET.parse(gzip.open(SRC / PRIMARY)).getroot()
    for p in root.findall("c:package", NS):
        if p.findtext("c:arch", namespaces=NS) not in ("x86_64", "noarch"):
            continue
        name = p.findtext("c:name", namespaces=NS)
        fmt = p.find("c:format", NS)
        for kind, tag in (("Provides", "rpm:provides"), ("Obsoletes", "rpm:obsoletes")):
            el = fmt.find(tag, NS)
            for e in ([] if el is None else el.findall("rpm:entry", NS)):
                cap = e.get("name")
                if "(" in cap or "/" in cap or ".so" in cap:
                    continue
                rel.setdefault(cap, []).append((name, kind))
    return rel


def pckg_names(rm_dir, klass):
    f = SRC / "openeuler-release-management" / rm_dir / klass / "pckg-mgmt.yaml"
    return {m.group(1) for m in re.finditer(r"^- name: (\S+)", f.read_text(), re.M)}


def main():
    pkgs = centos7_packages()
    relations = primary_relations()
    events = leapp_events()
    rows = []
    for target, (dnf, rm_dir) in TARGETS.items():
        shipped = dnf_names(dnf)
        sources = set().union(*(pckg_names(rm_dir, k) for k in ("baseos", "everything-exclude-baseos", "epol")))
        deleted = pckg_names(rm_dir, "delete")
        for name, src in sorted(pkgs.items()):
            if name in shipped:
                rows.append((name, src, target, "present", "", f"{dnf}:{shipped[name]}"))
                continue
            if name in RELEASE and "openEuler-release" in shipped:
                rows.append((name, src, target, "renamed", "openEuler-release",
                             f"{PRIMARY}: openEuler-release Provides system-release; {dnf}:{shipped['openEuler-release']}"))
                continue
            succ = {}
            for pkg, kind in relations.get(name, []):
                # openEuler-release Obsoletes what the distribution drops: not a successor.
                if pkg == "openEuler-release" and kind == "Obsoletes":
                    continue
                if pkg != name and pkg in shipped:
                    succ.setdefault(pkg, set()).add(kind)
            if succ:
                both = sorted(p for p, k in succ.items() if len(k) == 2)
                obs = sorted(p for p, k in succ.items() if k == {"Obsoletes"})
                prov = sorted(p for p, k in succ.items() if k == {"Provides"})
                chosen = both or obs or prov
                if both:
                    fate = "split" if len(both) > 1 else ("merged" if both[0] == src else "renamed")
                else:
                    fate = "replaced" if obs else "provided_by"
                how = "; ".join(f"{p} {' and '.join(sorted(succ[p]))} {name}" for p in chosen)
                rows.append((name, src, target, fate, ",".join(chosen),
                             f"{PRIMARY}: {how}; {dnf}:{shipped[chosen[0]]}"))
                continue
            # Third-party knowledge last: a RHEL 7 -> 8 event counts only through successors
            # the target ships.
            event = None
            for action, outs, i in events.get(name, []):
                ships = []
                for o in outs:  # a successor shipped by name, else by a shipped package's Provides
                    for s in ([o] if o in shipped else
                              [p for p, k in relations.get(o, []) if k == "Provides" and p in shipped and p != name]):
                        if s not in ships:
                            ships.append(s)
                if action in ("replaced", "split", "merged", "renamed") and ships:
                    event = (action, ships, i)
                    break
            if event:
                rows.append((name, src, target, event[0], ",".join(event[1]),
                             f"{PES}: packageinfo[{event[2]}] {event[0]} -> {' '.join(event[1])}; {dnf}:{shipped[event[1][0]]}"))
            elif name in deleted or src in deleted:
                rows.append((name, src, target, "removed", "", f"openeuler-release-management/{rm_dir}/delete/pckg-mgmt.yaml"))
            elif src in sources:
                rows.append((name, src, target, "unknown", "",
                             f"not in {dnf}; source {src} in openeuler-release-management/{rm_dir}/*/pckg-mgmt.yaml"))
            else:
                rows.append((name, src, target, "removed", "",
                             f"not in {dnf}; source {src} not in openeuler-release-management/{rm_dir}/*/pckg-mgmt.yaml"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w") as f:
        f.write("# Expected fates of CentOS 7 packages (the sample root's package set), generated by\n"
                "# scripts/kb/make_fate_regression.py from the raw datasets in ../shared/kb-sources.\n"
                "# Columns: name, CentOS source package, target, fate, successors, source checked.\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
