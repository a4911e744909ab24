#!/usr/bin/env python3
"""Normalises a premigrate JSON report for golden comparison: drops the time stamp and tool
version, replaces the scanned root's host path and the fixture signing key id, keeps KB versions and coverage but not the
per-dataset provenance (it changes with every KB rebuild, not with the analysis)."""
import json
import sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
root = sys.argv[2]
# The rpm fixtures are signed with a key generated at fixture-build time: its id varies.
key = open(sys.argv[3], encoding="utf-8").read().strip() if len(sys.argv) > 3 else ""
distro_key = open(sys.argv[4], encoding="utf-8").read().strip() if len(sys.argv) > 4 else ""


def scrub(v):
    if isinstance(v, str):
        v = v.replace(root, "<ROOT>")
        v = v.replace(key, "<FIXTURE-KEY>") if key else v
        return v.replace(distro_key, "<DISTRO-KEY>") if distro_key else v
    if isinstance(v, list):
        return [scrub(x) for x in v]
    if isinstance(v, dict):
        return {scrub(k): scrub(x) for k, x in v.items()}
    return v


report["generated_at"] = "<TIME>"
report["tool"]["version"] = "<VERSION>"
for p in (report.get("kb") or {}).get("packs", []):
    p.pop("datasets", None)
    p["coverage"] = {k: c["status"] for k, c in p["coverage"].items()}
json.dump(scrub(report), sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
sys.stdout.write("\n")
