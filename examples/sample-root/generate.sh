#!/usr/bin/env bash
# Generates the bundled sample root: a CentOS 7-style host with a Berkeley DB rpmdb.
# Usage: generate.sh OUT_DIR [SHARED_DIR]. With SHARED_DIR (../shared beside the project),
# the real CentOS 7 and EPEL rpms of SHARED_DIR/fixtures/el7-rpms are installed too.
# Output is generated, never committed.
set -euo pipefail
out=$1
shared=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C TZ=UTC
# shellcheck source=../../scripts/lib/rpmroot.sh
source "$here/../../scripts/lib/rpmroot.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rpmroot_build_specs "$work/top" "$work/rpms" "$here"/specs/*.spec
rpms=("$work"/rpms/*.rpm)
if [ -n "$shared" ] && [ -d "$shared/fixtures/el7-rpms" ]; then
  rpms+=("$shared"/fixtures/el7-rpms/*.rpm)
else
  echo "generate.sh: ${shared:-../shared} not present: the sample root has only the example packages" >&2
fi
rm -rf "$out"
rpmroot_sqlite "$work/sqlite" "${rpms[@]}"
rpmroot_to_bdb "$work/sqlite" "$out"

# Host identity files, as CentOS 7.9 ships them.
mkdir -p "$out/etc"
cat >"$out/etc/os-release" <<'OS'
NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"
OS
echo "CentOS Linux release 7.9.2009 (Core)" >"$out/etc/centos-release"
ln -sf centos-release "$out/etc/redhat-release"
ln -sf centos-release "$out/etc/system-release"
echo "sample root: $out"
