#!/usr/bin/env bash
# Generates the ELF-dense root for bench/run: an rpmdb of PACKAGES packages (bench/make_root.sh
# with no generated files) and this machine's own /usr/lib, /usr/bin and /usr/libexec under
# /opt (hard links when on the same file system, else copies): thousands of real programs and
# libraries, unpackaged, as on a build host. Never committed, never run by the test suite.
# Usage: bench/make_elf_root.sh OUT_DIR [PACKAGES=300] [TREES="/usr/lib /usr/bin /usr/libexec"]
set -euo pipefail
out=$1
packages=${2:-300}
trees=${3:-/usr/lib /usr/bin /usr/libexec}
here=$(cd "$(dirname "$0")" && pwd)
start=$(date +%s)
bash "$here/make_root.sh" "$out" 0 "$packages"
mkdir -p "$out/opt/usr"
for t in $trees; do
  [ -d "$t" ] || continue
  # cp -l: hard links (the page cache holds one copy, the disk no second one); -a keeps the
  # symbolic links as links. Another file system: a real copy.
  if [ "$(stat -c %d "$t")" = "$(stat -c %d "$out")" ]; then
    cp -al "$t" "$out/opt/usr/"
  else
    cp -a "$t" "$out/opt/usr/"
  fi
done
elf=$(python3 - "$out/opt" <<'PY'
import os, sys
n = 0
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(d, f)
        if not os.path.islink(p):
            with open(p, "rb") as fh:
                n += fh.read(4) == b"\x7fELF"
print(n)
PY
)
echo "make_elf_root.sh: $out: $(find "$out" -type f | wc -l) files, $elf ELF, $(du -sh --apparent-size "$out/opt" | cut -f1) under /opt, $(($(date +%s) - start)) s"
