#!/usr/bin/env bash
# Builds the local mirror of the kb sync tests at test time: RPMs from specs/ with rpmbuild for
# two architectures and two targets, repositories made by createrepo_c in openEuler's layout
# (<release>/<repo>/<arch>/), and a CentOS 7 root to scan. Usage: build_mirror.sh OUT.
# Without rpmbuild, createrepo_c, gcc or python3, OUT/skipped says why and the tests skip.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C TZ=UTC
rm -rf "$out"
mkdir -p "$out"
for tool in rpmbuild rpm rpmsign createrepo_c gcc gpg python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "$tool not found (scripts/setup installs it)" >"$out/skipped"; exit 0; }
done
[ "$(uname -m)" = x86_64 ] || { echo "the library fixture is built for x86_64" >"$out/skipped"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=../../scripts/lib/rpmroot.sh
source "$here/../../scripts/lib/rpmroot.sh"

# The real shared library: soname libacme.so.1, version node ACME_1.0.
printf 'ACME_1.0 { global: acme_hello; local: *; };\n' >"$work/acme.map"
printf 'int acme_hello(void) { return 1; }\n' >"$work/acme.c"
gcc -shared -fPIC -O2 -Wl,-soname,libacme.so.1 -Wl,--version-script="$work/acme.map" \
  -o "$work/libacme.so.1.0.0" "$work/acme.c"

# build SPEC ARCH VERSION DEST [rpmbuild args...] (SPEC: a name in specs/ or a path)
build() {
  local spec=$1 arch=$2 ver=$3 dest=$4; shift 4
  case $spec in /*) ;; *) spec="$here/specs/$spec.spec" ;; esac
  mkdir -p "$dest"
  rpmbuild --quiet --define "_topdir $work/top" --define "_build_id_links none" \
    --define "_rpmdir $dest" --define "_rpmfilename %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
    --define "__strip /bin/true" --define "debug_package %{nil}" --define "tver $ver" \
    --target "$arch" "$@" -bb "$spec" >"$work/log" 2>&1 ||
    { cat "$work/log" >&2; exit 1; }
}

# mirror RELEASE ARCH VERSION KERNEL: OS holds a subset, everything the whole release.
mirror() {
  local rel=$1 arch=$2 ver=$3 kver=$4
  local os="$out/mirror/$rel/OS/$arch" ev="$out/mirror/$rel/everything/$arch"
  build acme-present "$arch" "$ver" "$os/Packages"
  build kernel "$arch" "$kver" "$os/Packages"
  build acme-newtool "$arch" "$ver" "$ev/Packages"
  build acme-suite "$arch" "$ver" "$ev/Packages"
  if [ "$arch" = x86_64 ]; then
    build acme-lib x86_64 "$ver" "$ev/Packages" --define "libacme $work/libacme.so.1.0.0"
  else
    build acme-armonly "$arch" "$ver" "$ev/Packages"
  fi
  [ "$rel-$arch" != openEuler-22.03-LTS-SP4-x86_64 ] || build "$work/acme-bulk.spec" "$arch" "$ver" "$ev/Packages"
  cp "$os"/Packages/*.rpm "$ev/Packages/"
  createrepo_c --quiet --general-compress-type=gz "$os"
  createrepo_c --quiet --general-compress-type=xz "$ev"
}
# A package with 3,000 Provides makes the 22.03 SP4 x86_64 everything primary large enough
# (tens of KiB compressed) for the resume tests to interrupt it mid-file.
{
  sed -n '/^Name:/,/^AutoReqProv:/p' "$here/specs/acme-present.spec" | sed 's/^Name: .*/Name: acme-bulk/'
  for i in $(seq 3000); do echo "Provides: acme-cap-$(printf '%s' "$i" | sha1sum | cut -c1-40)"; done
  printf '\n%%description\nTest fixture.\n\n%%files\n'
} >"$work/acme-bulk.spec"
mirror openEuler-22.03-LTS-SP4 x86_64 1.1 5.10.0
mirror openEuler-22.03-LTS-SP4 aarch64 1.1 5.10.0
mirror openEuler-24.03-LTS-SP1 x86_64 2.0 6.6.0
mirror openEuler-24.03-LTS-SP1 aarch64 2.0 6.6.0

# The CentOS 7 root: the names the target renames, replaces, keeps and drops.
for p in acme-oldtool acme-legacy acme-present acme-gone; do
  rpmbuild --quiet --define "_topdir $work/src" --define "_build_id_links none" \
    --define "pname $p" --target x86_64 -bb "$here/specs/source-root.spec" >"$work/log" 2>&1 ||
    { cat "$work/log" >&2; exit 1; }
done
# Signed with a throw-away key that the scans trust (--trust-key), as CentOS's own would be.
rpmroot_new_key "$work/gnupg" "premigrate sync fixtures" >"$out/key-id"
rpmroot_sign "$work/gnupg" "premigrate sync fixtures" "$work"/src/RPMS/x86_64/*.rpm
rpmroot_sqlite "$out/centos7-root" "$work"/src/RPMS/x86_64/*.rpm
mkdir -p "$out/centos7-root/etc"
printf 'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\nPRETTY_NAME="CentOS Linux 7 (Core)"\n' \
  >"$out/centos7-root/etc/os-release"
echo "CentOS Linux release 7.9.2009 (Core)" >"$out/centos7-root/etc/centos-release"
# The 24.03 SP1 x86_64 everything repository publishes a detached signature of repomd.xml made
# with the same key (exported for --gpg-key); a second key stands for a wrong one.
GNUPGHOME="$work/gnupg" gpg --batch --armor --export >"$out/mirror-key.asc" 2>/dev/null
GNUPGHOME="$work/gnupg" gpg --batch --yes --armor --detach-sign \
  -o "$out/mirror/openEuler-24.03-LTS-SP1/everything/x86_64/repodata/repomd.xml.asc" \
  "$out/mirror/openEuler-24.03-LTS-SP1/everything/x86_64/repodata/repomd.xml" 2>/dev/null
rpmroot_new_key "$work/gnupg2" "another key" >/dev/null
GNUPGHOME="$work/gnupg2" gpg --batch --armor --export >"$out/other-key.asc" 2>/dev/null
gpgconf --homedir "$work/gnupg" --kill all 2>/dev/null || true
gpgconf --homedir "$work/gnupg2" --kill all 2>/dev/null || true
touch "$out/ready"
