#!/usr/bin/env bash
# `scan --from-inventory`: the facts file `premigrate inventory` writes is all the analysis
# needs. A copy of the golden root is scanned (--root) and inventoried; the copy is removed and
# the inventory scanned: every report format must be byte-identical to the --root scan's (the
# time is fixed by SOURCE_DATE_EPOCH). Usage: from_inventory.sh BIN GOLDEN_FIXTURE WORK_DIR
set -euo pipefail
bin=$1 fixture=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cp -a "$fixture/root" "$work/root"
export SOURCE_DATE_EPOCH=1700000000
opts=(--kb "$fixture/kb" --target openeuler-22.03-lts-sp4 --format json,html,text,junit,sarif)
rc=0
"$bin" scan --root "$work/root" --jobs 1 --progress never "${opts[@]}" -o "$work/from-root" \
  >/dev/null || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
  echo "from_inventory: scan --root exited $rc" >&2
  exit 1
fi
rc=0
"$bin" inventory --root "$work/root" --kb "$fixture/kb" --jobs 1 --progress never \
  -o "$work/inventory.json" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then  # 5: written, but a collector failed
  echo "from_inventory: inventory exited $rc" >&2
  exit 1
fi
rm -rf "$work/root"
rc=0
"$bin" scan --from-inventory "$work/inventory.json" "${opts[@]}" -o "$work/from-inventory" \
  >/dev/null || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
  echo "from_inventory: scan --from-inventory exited $rc" >&2
  exit 1
fi
status=0
for f in premigrate-report.json premigrate-report.html premigrate-report.txt \
         premigrate-report.junit.xml premigrate-report.sarif; do
  if ! cmp -s "$work/from-root/$f" "$work/from-inventory/$f"; then
    echo "from_inventory: $f differs between --root and --from-inventory" >&2
    diff -u "$work/from-root/$f" "$work/from-inventory/$f" | head -40 >&2
    status=1
  fi
done
# The analysis found something to say: an empty report would compare equal too.
python3 - "$work/from-inventory/premigrate-report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(r["findings"]) > 10, len(r["findings"])
ids = {f["rule_id"] for f in r["findings"]}
# rule probes and program paths are answered from the root reads in the inventory
assert "PM-CFG-001" in ids and "PM-PRG-001" in ids, sorted(ids)
PY
[ "$status" -eq 0 ] && echo "from_inventory: 5 formats identical"
exit $status
