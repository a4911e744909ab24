#!/usr/bin/env bash
# Golden reports: scans the golden fixture root for every target (both architectures), writes
# the normalised JSON into the build tree, and compares it with test/golden/<target>.json
# (diff -u printed on a difference). With --bless the expected files are rewritten instead;
# CI never passes --bless. Usage: run_golden.sh BIN GOLDEN_FIXTURE KEY_ID_FILE WORK_DIR GOLDEN_DIR
# [--bless], where GOLDEN_FIXTURE holds root/, kb/ and distro-key-id.txt (build_root.sh).
set -euo pipefail
bin=$1 fixture=$2 keyfile=$3 work=$4 golden=$5 mode=${6:-}
root=$fixture/root
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
status=0
for target in openeuler-20.03-lts-sp3 openeuler-20.03-lts-sp4 openeuler-22.03-lts-sp3 \
              openeuler-22.03-lts-sp4 openeuler-24.03-lts openeuler-24.03-lts-sp1; do
  for pass in 1 2; do
    rc=0
    SOURCE_DATE_EPOCH=1700000000 "$bin" scan --root "$root" --kb "$fixture/kb" --target "$target" --format json \
      --output "$work/$target.$pass" --jobs 1 --progress never >/dev/null || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ] && [ "$rc" -ne 4 ]; then
      echo "golden: scan for $target exited $rc" >&2
      exit 1
    fi
    python3 "$here/normalize.py" "$work/$target.$pass/premigrate-report.json" "$root" \
      "$keyfile" "$fixture/distro-key-id.txt" >"$work/$target.$pass.json"
  done
  # The same root scanned twice gives identical findings and ids.
  if ! cmp -s "$work/$target.1.json" "$work/$target.2.json"; then
    echo "golden: two scans of the same root differ for $target" >&2
    diff -u "$work/$target.1.json" "$work/$target.2.json" | head -40 >&2
    status=1
  fi
  if [ "$mode" = "--bless" ]; then
    cp "$work/$target.1.json" "$golden/$target.json"
    echo "blessed $golden/$target.json"
  elif ! diff -u "$golden/$target.json" "$work/$target.1.json"; then
    echo "golden: $target differs from $golden/$target.json (re-bless with: cmake --build BUILD --target bless)" >&2
    status=1
  fi
done
exit $status
