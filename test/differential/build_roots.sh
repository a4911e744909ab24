#!/usr/bin/env bash
# Builds the differential suite's roots at test time (CTest fixture setup) from the rpm, ELF and
# kernel-module fixtures: OUT/root (sqlite rpmdb with an imported gpg-pubkey, ELF objects under
# /opt/elf, modules under /lib/modules), OUT/bdb-root (the same with a Berkeley DB rpmdb) and
# OUT/empty-bdb-root (a freshly initialised, empty Berkeley DB rpmdb).
# Usage: build_roots.sh OUT RPM_FIXTURES ELF_FIXTURES KMOD_FIXTURES
set -euo pipefail
out=$1 rpm=$2 elf=$3 kmod=$4
here=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C TZ=UTC
# shellcheck source=../../scripts/lib/rpmroot.sh
source "$here/../../scripts/lib/rpmroot.sh"
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
r=$out/root
cp -a "$rpm/sqlite-root" "$r"

# A package without a source rpm: rpm --import makes a gpg-pubkey header.
rpmroot_new_key "$work/gnupg" "premigrate differential" >/dev/null
GNUPGHOME=$work/gnupg gpg --batch --armor --export "premigrate differential" >"$work/key.asc" 2>/dev/null
rpmroot_rpm --root "$r" --dbpath /var/lib/rpm --import "$work/key.asc"
rm -f "$r/var/lib/rpm/.rpm.lock" "$r/var/lib/rpm/rpmdb.sqlite-shm" "$r/var/lib/rpm/rpmdb.sqlite-wal"

# ELF objects: the fixtures' programs, libraries and foreign-machine objects (not the damaged
# ones: there is nothing for readelf to agree on), a library with .interp, and a PIE without
# DF_1_PIE as binutils < 2.26 linked them.
mkdir -p "$r/opt/elf"
cp -a "$elf/bin" "$elf/lib" "$elf/obj" "$r/opt/elf/"
gcc -shared -fPIC -o "$r/opt/elf/lib/interp_lib.so" "$here/fixtures/interp_lib.c"
python3 "$here/fixtures/clear_df1_pie.py" "$elf/bin/hello_pie" "$r/opt/elf/bin/pie_no_flag"
chmod 755 "$r/opt/elf/bin/pie_no_flag"

# Kernel modules, plain and compressed, out of tree and in tree, one with two licenses.
mods=$r/lib/modules/3.10.0-1160.el7.x86_64
mkdir -p "$mods/extra" "$mods/kernel/drivers/demo"
for f in fake.ko fake.ko.xz fake.ko.zst fake.ko.gz; do
  [ -e "$kmod/$f" ] && cp "$kmod/$f" "$mods/extra/"
done
cp "$kmod/intree.ko" "$mods/kernel/drivers/demo/"
# A really signed module, as the kernel's scripts/sign-file writes it: a detached CMS
# (PKCS#7) signature in DER, struct module_signature (id_type 2, big-endian sig_len), the
# magic. modinfo then shows sig_id, signer and sig_key.
openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 \
  -subj "/CN=premigrate differential module key" -outform PEM -out "$work/key.pem" \
  -keyout "$work/key.pem" 2>/dev/null
openssl cms -sign -in "$kmod/intree.ko" -signer "$work/key.pem" -inkey "$work/key.pem" -binary \
  -outform DER -nocerts -noattr -nosmimecap -md sha256 -out "$work/sig"
n=$(stat -c %s "$work/sig")
be32() { printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"; }
{
  cat "$kmod/intree.ko" "$work/sig"
  printf '\000\000\002\000\000\000\000\000'
  be32 "$n"
  printf '~Module signature appended~\n'
} >"$mods/kernel/drivers/demo/signed.ko"
xz -k -c "$mods/kernel/drivers/demo/signed.ko" >"$mods/kernel/drivers/demo/signed_xz.ko.xz"
gcc -O2 -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -c \
  -o "$mods/extra/multi_license.ko" "$here/fixtures/multi_license.c"

rpmroot_to_bdb "$r" "$out/bdb-root"

# An empty Berkeley DB hash database, as `rpm --initdb` of CentOS 7 leaves it.
mkdir -p "$out/empty-bdb-root/var/lib/rpm"
printf 'VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\nHEADER=END\nDATA=END\n' >"$work/empty.dump"
db5.3_load -f "$work/empty.dump" "$out/empty-bdb-root/var/lib/rpm/Packages"
echo "differential roots in $out"
