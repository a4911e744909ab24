#!/usr/bin/env bash
# kb sync against a local HTTP mirror: packs for two targets and two arches that kb validate
# accepts, their provenance and coverage, the progress bar, fates from the synced Provides and
# Obsoletes in a scan, and a second sync that downloads nothing.
# Usage: sync_test.sh PREMIGRATE FIXTURE_DIR KB_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" "$@"  # bin, fx, kb, work; skips without the fixture

serve "$fx/mirror" M
out="$work/kb" cache="$work/sync-cache"
sync() {
  "$bin" kb sync --kb "$kb" --mirror "$URL_M" --target openeuler-22.03-lts-sp4 \
    --target openeuler-24.03 --arch x86_64,aarch64 --repos OS,everything \
    --out "$out" --cache "$cache" "$@"
}
sync --progress always >"$work/out1" 2>"$work/err1" || { cat "$work/err1"; fail "first sync failed"; }

# 1. Eight packs (2 sources x 2 targets x 2 arches), all valid; a complete KB by itself.
n=$(find "$out/packs" -name '*.json' | wc -l)
[ "$n" = 8 ] || fail "expected 8 packs, got $n"
"$bin" kb validate "$out" >"$work/validate" || { cat "$work/validate"; fail "kb validate rejects the synced packs"; }
[ -f "$out/targets.json" ] && [ -f "$out/curated/analysis-profile.yaml" ] || fail "out is not a complete KB"
pass "8 packs, $(cat "$work/validate")"

# 2. Provenance, coverage, target side from the mirror, source side kept from the bundled pack.
python3 - "$out/packs" "$kb/packs" "$URL_M" <<'PY'
import json, sys, os
d, bundled, url = sys.argv[1:]
def load(p): return json.load(open(p))
p = load(os.path.join(d, "centos-7_to_openeuler-22.03-lts-sp4_x86_64.json"))
b = load(os.path.join(bundled, "centos-7_to_openeuler-22.03-lts-sp4_x86_64.json"))
assert p["kb_version"].startswith(b["kb_version"] + "+sync."), p["kb_version"]
ds = {x["id"]: x for x in p["datasets"]}
ev = ds["mirror-everything"]
assert ev["origin"] == url + "/openEuler-22.03-LTS-SP4/everything/x86_64/", ev["origin"]
kinds = [f["url"].rsplit("/", 1)[1] for f in ev["fetched"]]
assert kinds[0] == "repomd.xml" and any("primary.xml.xz" in k for k in kinds) and any("filelists.xml.xz" in k for k in kinds), kinds
assert all(f["checksum"].startswith("sha256:") and f["size"] > 0 for f in ev["fetched"]), ev["fetched"]
assert ev["commit"] and "revision" in ev["note"] and "not verified (no --gpg-key)" in ev["note"], ev
names = {r[0] for r in p["binary_packages"]}
assert {"acme-newtool", "acme-suite", "acme-present", "acme-lib", "kernel"} <= names, names
assert "acme-armonly" not in names and len(names) == 6, names  # + acme-bulk (resume tests)
assert all(r[5] in (ds_i for ds_i, x in enumerate(p["datasets"]) if x["id"].startswith("mirror-")) for r in p["binary_packages"])
repos = {(r[0], r[3]) for r in p["binary_packages"]}
assert ("acme-present", "os") in repos and ("acme-present", "everything") in repos, repos
prov = {(r[0], r[1], r[2]) for r in p["provides"]}
assert ("acme-oldtool", "rpm", "acme-newtool") in prov and ("acme-oldtool", "obsoletes", "acme-newtool") in prov, prov
assert ("acme-legacy", "obsoletes", "acme-suite") in prov, prov
assert ("libacme.so.1(ACME_1.0)(64bit)", "rpm", "acme-lib") in prov, prov
assert [["/usr/bin/acme-newtool", "acme-newtool"]] == [r[:2] for r in p["files"] if r[0] == "/usr/bin/acme-newtool"], p["files"]
assert p["kernel"]["version"] == "5.10.0" and p["kernel"]["release_at_snapshot"] == "5.10.0-1.test", p["kernel"]
assert p["coverage"]["binary_packages"]["status"] == "complete", p["coverage"]["binary_packages"]
# Kept from the bundled pack: source kABI, evolution, release-management lists, exports.
for t in ("source_kabi", "evolution", "source_packages", "dropped_packages", "kabi", "export_symbols"):
    assert len(p[t]) == len(b[t]) and len(p[t]) > 0, t
    assert p["coverage"][t if not t.startswith("export") else "exports"] == b["coverage"][t if not t.startswith("export") else "exports"], t
for r in p["source_kabi"]:
    assert p["datasets"][r[5]]["facts"] == ["source_kabi"], r
a = load(os.path.join(d, "centos-8_to_openeuler-24.03-lts-sp1_aarch64.json"))
an = {r[0]: r[2] for r in a["binary_packages"]}
assert an.get("acme-armonly") == "2.0-1.test" and "acme-lib" not in an and a["kernel"]["version"] == "6.6.0", an
print("provenance, coverage and merge: ok")
PY
pass "packs hold the mirror's facts with provenance, and the bundled source side"

# 3. Progress bar: files and bytes, redrawn with carriage returns.
grep -q $'\r''kb sync: [0-9]* downloaded, [0-9]* cached, [0-9.]* [KMG]*i*B' "$work/err1" || { cat -A "$work/err1" | head; fail "no progress bar"; }
grep -q 'kb sync: 8 pack(s)' "$work/out1" || fail "summary missing: $(cat "$work/out1")"
grep -q ' 16 metadata file(s) downloaded' "$work/out1" || fail "first sync: $(cat "$work/out1")"
pass "progress bar and summary: $(tail -1 "$work/out1")"

# 4. A scan with the synced KB alone: fates from the synced Provides and Obsoletes.
key=$(cat "$fx/key-id")
"$bin" scan --root "$fx/centos7-root" --kb "$out" --target openeuler-22.03-lts-sp4 --source centos-7 --trust-key "$key" \
  --format json -o "$work/report" >/dev/null 2>"$work/scan.err" || [ $? -eq 3 ] || { cat "$work/scan.err"; fail "scan failed"; }
python3 - "$work/report" <<'PY'
import json, sys, glob
r = json.load(open(glob.glob(sys.argv[1] + "/*.json")[0]))
o = {(x["package"].split("-1.0-")[0], x["arch"]): x for x in r["package_outcomes"]}
for arch in ("x86_64", "aarch64"):
    x = o[("acme-oldtool", arch)]
    assert x["fate"] == "renamed" and x["successors"] == ["acme-newtool"] and x["evidence"] == "observed", x
    assert "mirror-everything" in x["sources"] or "kb sync" in x["sources"], x
    y = o[("acme-legacy", arch)]
    assert y["fate"] == "replaced" and y["successors"] == ["acme-suite"] and y["evidence"] == "observed", y
    assert ("acme-present", arch) not in o or o[("acme-present", arch)]["fate"] == "present"
assert all("+sync." in p["kb_version"] for p in r["kb"]["packs"]), r["kb"]
print("fates: ok")
PY
pass "scan --kb OUT: acme-oldtool renamed to acme-newtool, acme-legacy replaced by acme-suite (observed)"

# 5. Second sync: only the repomd.xml files are fetched, the packs are byte-identical.
sha() { (cd "$out/packs" && sha256sum ./*.json); }
sha >"$work/sha1"
: >"$LOG_M"
sync --progress never >"$work/out2" 2>"$work/err2" || { cat "$work/err2"; fail "second sync failed"; }
grep -q ' 0 metadata file(s) downloaded (0 bytes), 16 unchanged' "$work/out2" || fail "second sync: $(cat "$work/out2")"
others=$(grep -vc 'repodata/repomd.xml ' "$LOG_M" || true)
[ "$others" = 0 ] || { cat "$LOG_M"; fail "second sync fetched more than repomd.xml"; }
[ "$(wc -l <"$LOG_M")" = 8 ] || { cat "$LOG_M"; fail "expected 8 repomd.xml requests"; }
[ ! -s "$work/err2" ] || fail "--progress never printed: $(cat "$work/err2")"
sha | diff - "$work/sha1" >/dev/null || fail "second sync changed the packs"
pass "second sync: 8 repomd.xml checked, nothing else downloaded, identical packs"

# 6. Without --out: the user KB, which scans then read first (with every target).
"$bin" kb sync --kb "$kb" --mirror "$URL_M" --target openeuler-24.03-lts-sp1 --arch x86_64 \
  --repos everything --cache "$cache" --progress never >"$work/out3" 2>&1 || { cat "$work/out3"; fail "default-out sync"; }
user="$XDG_DATA_HOME/premigrate/kb"
[ -f "$user/packs/centos-7_to_openeuler-24.03-lts-sp1_x86_64.json" ] || fail "no pack in $user"
[ -f "$user/packs/centos-7_to_openeuler-20.03-lts-sp3_x86_64.json" ] || fail "bundled packs of other targets not copied"
"$bin" scan --root "$fx/centos7-root" --target openeuler-24.03-lts-sp1 --arch x86_64 --source centos-7 --trust-key "$key" \
  --format json -o "$work/report2" >/dev/null 2>&1 || [ $? -eq 3 ] || fail "scan with the user KB"
grep -q '+sync\.' "$work/report2"/*.json || fail "scan did not read the user KB first"
pass "without --out: $user, read first by scans"

# 7. --exports: the library package's RPM is downloaded (checksum from primary.xml) and its real
#    export list replaces nothing the bundled pack had for other sonames.
"$bin" kb sync --kb "$kb" --mirror "$URL_M" --target openeuler-24.03-lts-sp1 --arch x86_64 \
  --repos OS,everything --out "$work/kb-exports" --cache "$cache" --progress never \
  --exports --export-packages acme-lib,acme-absent >"$work/out4" 2>"$work/err4" || { cat "$work/err4"; fail "--exports sync"; }
grep -q 'warning: acme-absent is not in the synced repositories' "$work/err4" || fail "no warning for a missing package: $(cat "$work/err4")"
"$bin" kb validate "$work/kb-exports" >/dev/null || fail "--exports packs do not validate"
python3 - "$work/kb-exports/packs/centos-7_to_openeuler-24.03-lts-sp1_x86_64.json" "$kb/packs/centos-7_to_openeuler-24.03-lts-sp1_x86_64.json" <<'PY'
import json, sys
p, b = (json.load(open(f)) for f in sys.argv[1:])
libs = {r[0]: r for r in p["export_libraries"]}
acme = libs["libacme.so.1"]
ds = p["datasets"][acme[6]]
assert ds["id"] == "mirror-exports" and ds["importer"] == "rpm-exports", ds
assert acme[1] == "acme-lib" and acme[3] == "complete" and acme[4] == ["ACME_1.0"], acme
assert ["libacme.so.1", "ACME_1.0", "acme_hello"] in p["export_symbols"], "acme_hello missing"
assert ds["fetched"][0]["url"].endswith("acme-lib-2.0-1.test.x86_64.rpm") and ds["fetched"][0]["checksum"].startswith("sha256:"), ds["fetched"]
bl = {r[0] for r in b["export_libraries"]}
assert bl and bl <= set(libs), "bundled export lists lost"
assert len(p["export_symbols"]) == len(b["export_symbols"]) + 1, (len(p["export_symbols"]), len(b["export_symbols"]))
assert "mirror-exports" in p["coverage"]["exports"]["datasets"] and p["coverage"]["exports"]["status"] == "partial", p["coverage"]["exports"]
print("exports: ok")
PY
pass "--exports: libacme.so.1 (ACME_1.0, acme_hello) read from the mirror's acme-lib RPM, bundled lists kept"

# 8. --for-report: the libraries a report found no export list of (its "elf-library-exports"
#    checks not run) are looked up by soname in the synced Provides and their packages read.
cat >"$work/report.json" <<'JSON'
{"verdicts": [{"arch": "x86_64", "checks_not_run": [
  {"check": "elf-library-exports", "arch": "x86_64", "reason": "libacme.so.1: the KB holds no export list of the target's library; the version nodes and symbols 2 object(s) need from it were not checked"},
  {"check": "elf-library-exports", "arch": "x86_64", "reason": "libnothere.so.9: the KB holds no export list of the target's library; the version nodes and symbols 1 object(s) need from it were not checked"},
  {"check": "other-check", "arch": "x86_64", "reason": "libignored.so.1: not this check"}]}]}
JSON
"$bin" kb sync --kb "$kb" --mirror "$URL_M" --target openeuler-24.03-lts-sp1 --arch x86_64 \
  --repos everything --out "$work/kb-report" --cache "$cache" --progress never \
  --exports --export-packages acme-present --for-report "$work/report.json" >"$work/out5" 2>"$work/err5" ||
  { cat "$work/err5"; fail "--for-report sync"; }
grep -q 'warning: no package of the synced repositories of openeuler-24.03-lts-sp1 x86_64 provides libnothere.so.9' "$work/err5" ||
  fail "no warning for an unprovided soname: $(cat "$work/err5")"
python3 - "$work/kb-report/packs/centos-7_to_openeuler-24.03-lts-sp1_x86_64.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
ds = {d["id"]: d for d in p["datasets"]}["mirror-exports"]
assert ds["note"] == "packages acme-present, acme-lib", ds["note"]
assert any(r[0] == "libacme.so.1" and r[6] == p["datasets"].index(ds) for r in p["export_libraries"])
PY
pass "--for-report: libacme.so.1 -> acme-lib read, libnothere.so.9 named in a warning"
