#!/usr/bin/env bash
# Generates a realistic sample root: a CentOS 7 (default) or CentOS 8 host with a Berkeley DB
# rpmdb holding several hundred synthetic stand-in packages that carry real NEVRAs, vendors,
# licences and source rpms (data/*.tsv), plus what real hosts carry (see README.md here).
# Usage: generate.sh OUT_DIR [SHARED_DIR] [centos7|centos8]
# With SHARED_DIR (../shared beside the project) the real CentOS 7 rpms of
# SHARED_DIR/fixtures/el7-rpms are installed into a CentOS 7 root too. Output is generated,
# never committed.
set -euo pipefail
out=$1
shared=${2:-}
os=${3:-centos7}
here=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C TZ=UTC
# shellcheck source=../../scripts/lib/rpmroot.sh
source "$here/../../scripts/lib/rpmroot.sh"
case "$os" in centos7 | centos8) ;; *) echo "generate.sh: unknown OS '$os'" >&2; exit 2 ;; esac
start=$(date +%s.%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/stage"
src="$here/src"
jobs=$(nproc)

# --- Real rpms (CentOS 7 only). A package the image list also has keeps the list's build (a
# host has one build of a package); the others are installed with their files.
real=()
: >"$work/skip"
if [ "$os" = centos7 ] && [ -n "$shared" ] && [ -d "$shared/fixtures/el7-rpms" ]; then
  # One rpm process for all names (process starts are what costs on a busy machine).
  mapfile -t files < <(printf '%s\n' "$shared"/fixtures/el7-rpms/*.rpm)
  mapfile -t names < <(rpm -qp --qf '%{NAME}\n' "${files[@]}" 2>/dev/null)
  declare -A listed=()
  while read -r n; do listed[$n]=1; done < <(grep -v '^#' "$here/data/centos7.tsv" | cut -f2)
  for i in "${!files[@]}"; do
    if [ -n "${listed[${names[$i]}]:-}" ]; then
      echo "generate.sh: $(basename "${files[$i]}"): the image list has its own build of ${names[$i]}; not installed"
    else
      real+=("${files[$i]}")
    fi
  done
elif [ "$os" = centos7 ]; then
  echo "generate.sh: ${shared:-../shared} not present: no real CentOS 7 rpms, only the synthetic packages" >&2
fi

# --- Payloads of the packages that carry files: STAGE/<package>/<path in the root>.
cc=(gcc -O1 -fno-asynchronous-unwind-tables -fno-stack-protector)
stub() { # stub PKG PATH SONAME SOURCE [VERSION_SCRIPT]: a shared library with a soname
  local pkg=$1 path=$2 soname=$3 c=$4 map=${5:-}
  mkdir -p "$stage/$pkg$(dirname "$path")"
  "${cc[@]}" -shared -fPIC -Wl,-soname,"$soname" ${map:+-Wl,--version-script="$map"} \
    -o "$stage/$pkg$path" "$c"
  [ "$(basename "$path")" = "$soname" ] || ln -sf "$(basename "$path")" "$stage/$pkg$(dirname "$path")/$soname"
}
put() { # put PKG PATH: stdin becomes the file PATH of package PKG
  mkdir -p "$stage/$1$(dirname "$2")"
  cat >"$stage/$1$2"
}
# Programs are linked without the build machine's crt1.o, whose __libc_start_main@GLIBC_2.34
# no CentOS glibc has: start.c gives them an entry point needing only exit@GLIBC_2.2.5.
prog=("${cc[@]}" -nostartfiles "$src/start.c")
lib64="$work/lib64" # link-time copies of the stubs
mkdir -p "$lib64"

if [ "$os" = centos7 ]; then
  kver=3.10.0-1160.el7.x86_64
  stub openssl-libs /usr/lib64/libssl.so.1.0.2k libssl.so.10 "$src/libssl.c" "$src/libssl.map"
  stub openssl-libs /usr/lib64/libcrypto.so.1.0.2k libcrypto.so.10 "$src/libcrypto.c" "$src/libcrypto.map"
  stub python-libs /usr/lib64/libpython2.7.so.1.0 libpython2.7.so.1.0 "$src/libpython.c"
  stub boost-system /usr/lib64/libboost_system.so.1.53.0 libboost_system.so.1.53.0 "$src/libboost_system.c"
  cp -a "$stage"/{openssl-libs,python-libs,boost-system}/usr/lib64/. "$lib64/"
  ssl=libssl.so.10 crypto=libcrypto.so.10 pylib=libpython2.7.so.1.0 boost=libboost_system.so.1.53.0
  mkdir -p "$stage/python/usr/bin"
  "${prog[@]}" -o "$stage/python/usr/bin/python2.7" "$src/python.c" "$lib64/$pylib"
  ln -s python2.7 "$stage/python/usr/bin/python2"
  ln -s python2 "$stage/python/usr/bin/python"
  put centos-release /etc/os-release <<'EOF'
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

CENTOS_MANTISBT_PROJECT="CentOS-7"
CENTOS_MANTISBT_PROJECT_VERSION="7"
REDHAT_SUPPORT_PRODUCT="centos"
REDHAT_SUPPORT_PRODUCT_VERSION="7"
EOF
  echo "CentOS Linux release 7.5.1804 (Core)" | put centos-release /etc/centos-release
  ln -s centos-release "$stage/centos-release/etc/redhat-release"
  ln -s centos-release "$stage/centos-release/etc/system-release"
  put centos-release /etc/yum.repos.d/CentOS-Base.repo <<'EOF'
# CentOS-Base.repo
#
# The mirror system uses the connecting IP address of the client and the
# update status of each mirror to pick mirrors that are updated to and
# geographically close to the client.

[base]
name=CentOS-$releasever - Base
mirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=os&infra=$infra
#baseurl=http://mirror.centos.org/centos/$releasever/os/$basearch/
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7

[updates]
name=CentOS-$releasever - Updates
mirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=updates&infra=$infra
#baseurl=http://mirror.centos.org/centos/$releasever/updates/$basearch/
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7

[extras]
name=CentOS-$releasever - Extras
mirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=extras&infra=$infra
#baseurl=http://mirror.centos.org/centos/$releasever/extras/$basearch/
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7
EOF
  put epel-release /etc/yum.repos.d/epel.repo <<'EOF'
[epel]
name=Extra Packages for Enterprise Linux 7 - $basearch
#baseurl=http://download.fedoraproject.org/pub/epel/7/$basearch
metalink=https://mirrors.fedoraproject.org/metalink?repo=epel-7&arch=$basearch
failovermethod=priority
enabled=1
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-EPEL-7
EOF
else
  kver=4.18.0-193.28.1.el8_2.x86_64
  crypto=libcrypto.so.1.1
  stub openssl-libs /usr/lib64/libcrypto.so.1.1.1c libcrypto.so.1.1 "$src/libcrypto.c"
  cp -a "$stage/openssl-libs/usr/lib64/." "$lib64/"
  put centos-release /etc/os-release <<'EOF'
NAME="CentOS Linux"
VERSION="8 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="8"
PLATFORM_ID="platform:el8"
PRETTY_NAME="CentOS Linux 8 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:8"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"

CENTOS_MANTISBT_PROJECT="CentOS-8"
CENTOS_MANTISBT_PROJECT_VERSION="8"
REDHAT_SUPPORT_PRODUCT="centos"
REDHAT_SUPPORT_PRODUCT_VERSION="8"
EOF
  echo "CentOS Linux release 8.2.2004 (Core) " | put centos-release /etc/centos-release
  ln -s centos-release "$stage/centos-release/etc/redhat-release"
  ln -s centos-release "$stage/centos-release/etc/system-release"
  for repo in BaseOS AppStream; do
    put centos-repos "/etc/yum.repos.d/CentOS-$repo.repo" <<EOF
[$repo]
name=CentOS-\$releasever - $repo
mirrorlist=http://mirrorlist.centos.org/?release=\$releasever&arch=\$basearch&repo=$repo&infra=\$infra
#baseurl=http://mirror.centos.org/\$contentdir/\$releasever/$repo/\$basearch/os/
gpgcheck=1
enabled=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-centosofficial
EOF
  done
fi

# openssh-server: sshd and its stock sshd_config (abridged); the host's admin edits it below.
mkdir -p "$stage/openssh-server/usr/sbin"
"${prog[@]}" -o "$stage/openssh-server/usr/sbin/sshd" "$src/sshd.c" "$lib64/$crypto"
put openssh-server /etc/ssh/sshd_config <<'EOF'
#	$OpenBSD: sshd_config,v 1.100 2016/08/15 12:32:04 naddy Exp $
# This is the sshd server system-wide configuration file.  See
# sshd_config(5) for more information.
HostKey /etc/ssh/ssh_host_rsa_key
HostKey /etc/ssh/ssh_host_ecdsa_key
HostKey /etc/ssh/ssh_host_ed25519_key
SyslogFacility AUTHPRIV
AuthorizedKeysFile	.ssh/authorized_keys
PasswordAuthentication yes
ChallengeResponseAuthentication no
GSSAPIAuthentication yes
GSSAPICleanupCredentials no
UsePAM yes
X11Forwarding yes
AcceptEnv LANG LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY LC_MESSAGES
Subsystem	sftp	/usr/libexec/openssh/sftp-server
EOF

# --- Build the rpms: one spec per source rpm, rpmbuild in parallel.
lists=("$here/data/$os.tsv" "$here/data/$os-extra.tsv")
t0=$(date +%s.%N)
nspecs=$(python3 "$here/make_specs.py" "$work/specs" "$stage" "$work/skip" "${lists[@]}")
top="$work/top"
# rpmbuild creates these at start; parallel rpmbuilds racing to create them fail now and then
# ("failed to create directory %{_buildrootdir}: File exists"), so they exist beforehand.
mkdir -p "$top"/{BUILD,BUILDROOT,SOURCES,SPECS,SRPMS} "$top"/RPMS/{x86_64,noarch}
# Many specs per rpmbuild process, no %clean, no %() shell macros, no check-files: a spec
# without %install then costs no process at all (hundreds of specs in seconds).
rb=(rpmbuild --quiet --define "_topdir $top" --define "_build_id_links none"
  --define "__os_install_post %{nil}" --define "debug_package %{nil}" --define "__check_files %{nil}"
  --define "_dbpath /var/lib/rpm" --define "_smp_build_ncpus 1" --define "_buildhost stand-in.premigrate.invalid"
  --define "_binary_payload w2.xzdio" --noclean --target x86_64 -bb)
if [ "$os" = centos7 ]; then
  # The third-party and in-house packages of specs/ (they use the stage for their ELF files).
  mkdir -p "$stage/acme-billing/opt/acme-billing/lib" "$stage/acme-billing/opt/acme-billing/bin"
  "${cc[@]}" -shared -fPIC -Wl,-soname,libacme-core.so.5 \
    -o "$stage/acme-billing/opt/acme-billing/lib/libacme-core.so.5" "$src/libacme_core.c" \
    "$lib64/$ssl" "$lib64/$pylib"
  "${prog[@]}" -o "$stage/acme-billing/opt/acme-billing/bin/billingd" "$src/billingd.c" \
    "$stage/acme-billing/opt/acme-billing/lib/libacme-core.so.5" "$lib64/$ssl" "$lib64/$crypto" \
    "$lib64/$pylib" "$lib64/$boost" -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/../lib'
  for s in "$here"/specs/*.spec; do
    sed "s|@STAGE@|$stage|g" "$s" >"$work/specs/local-$(basename "$s")"
  done
fi
if ! printf '%s\n' "$work"/specs/*.spec | xargs -n 40 -P "$jobs" "${rb[@]}" >/dev/null 2>"$work/rpmbuild.log"; then
  cat "$work/rpmbuild.log" >&2
  exit 1
fi
mapfile -t rpms < <(find "$top/RPMS" -name '*.rpm' | sort)
t1=$(date +%s.%N)
echo "generate.sh: built ${#rpms[@]} rpms from $nspecs+ specs in $(echo "$t1 - $t0" | bc -l | cut -c1-5) s ($jobs jobs)"

# --- Sign the stand-ins of distribution packages (vendor CentOS). The real CentOS key cannot
# sign them, so a throw-away key made here does; its id is written to OUT.trust-key and the
# demo scans with --trust-key, as a site whose mirror re-signs packages would. Third-party,
# EPEL and in-house stand-ins stay as the data describes them (unsigned or foreign).
key=$(rpmroot_new_key "$work/gnupg" "premigrate sample distro")
mapfile -t distro_rpms < <(paste <(rpm -qp --nosignature --qf '%{VENDOR}\n' "${rpms[@]}" 2>/dev/null) \
  <(printf '%s\n' "${rpms[@]}") | awk -F'\t' '$1 == "CentOS" {print $2}')
rpmroot_sign "$work/gnupg" "premigrate sample distro" ${distro_rpms[@]+"${distro_rpms[@]}"}
echo "generate.sh: signed ${#distro_rpms[@]} distribution stand-ins with key $key"

# --- Install into an sqlite rpmdb with the files laid down, then convert to Berkeley DB.
rm -rf "$out"
rpmroot_sqlite "$work/sqlite" "${rpms[@]}" ${real[@]+"${real[@]}"}
rpmroot_to_bdb "$work/sqlite" "$out"

# --- What the host's admins and vendors left behind, outside the rpmdb.
# The admin's sshd_config edits: keywords newer OpenSSH rejects or ignores. The rpmdb digest
# no longer matches, so rpm -V (and premigrate) see the file as modified.
cat >>"$out/etc/ssh/sshd_config" <<'EOF'

# Local hardening (ops ticket 4711)
Protocol 2
UsePrivilegeSeparation sandbox
RSAAuthentication yes
RhostsRSAAuthentication no
PermitRootLogin without-password
EOF
# An out-of-tree kernel module, as a vendor installer or DKMS leaves it (no package owns it).
mkdir -p "$out/lib/modules/$kver/extra"
gcc -O2 -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -c \
  -DVERMAGIC="\"$kver SMP mod_unload modversions \"" -o "$work/acme_hwmon.ko" "$src/kmod.c"
if [ "$os" = centos7 ]; then
  cp "$work/acme_hwmon.ko" "$out/lib/modules/$kver/extra/acme_hwmon.ko"
else
  xz -c "$work/acme_hwmon.ko" >"$out/lib/modules/$kver/extra/acme_hwmon.ko.xz"
fi
# Network scripts, as anaconda writes them.
mkdir -p "$out/etc/sysconfig/network-scripts"
cat >"$out/etc/sysconfig/network-scripts/ifcfg-eth0" <<'EOF'
TYPE=Ethernet
BOOTPROTO=none
NAME=eth0
DEVICE=eth0
ONBOOT=yes
IPADDR=192.0.2.10
PREFIX=24
GATEWAY=192.0.2.1
DNS1=192.0.2.53
NM_CONTROLLED=no
EOF
cat >"$out/etc/sysconfig/network-scripts/ifcfg-eth1" <<'EOF'
TYPE=Ethernet
BOOTPROTO=dhcp
DEVICE=eth1
ONBOOT=yes
EOF
printf 'NETWORKING=yes\nHOSTNAME=billing01.example.com\n' >"$out/etc/sysconfig/network"
# Python 2 scripts, cron jobs and systemd units the admins wrote.
mkdir -p "$out/usr/local/bin" "$out/var/spool/cron" "$out/etc/cron.d" \
  "$out/etc/systemd/system/multi-user.target.wants"
cat >"$out/usr/local/bin/rotate-billing-logs.py" <<'EOF'
#!/usr/bin/env python2
# Rotates the billing logs; run from root's crontab.
import os, glob
for path in glob.glob('/var/log/acme/*.log'):
    if os.path.getsize(path) > 100 * 1024 * 1024:
        os.rename(path, path + '.1')
        print "rotated", path
EOF
chmod 0755 "$out/usr/local/bin/rotate-billing-logs.py"
printf '15 * * * * /usr/local/bin/rotate-billing-logs.py >/dev/null 2>&1\n' >"$out/var/spool/cron/root"
printf 'SHELL=/bin/bash\n*/5 * * * * root /opt/acme-billing/bin/billing-report --quiet\n' \
  >"$out/etc/cron.d/acme-billing-report"
cat >"$out/etc/systemd/system/billing-exporter.service" <<'EOF'
[Unit]
Description=Billing metrics exporter (python2)
After=network.target

[Service]
ExecStart=/usr/bin/python2 /usr/local/bin/rotate-billing-logs.py
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
ln -s /etc/systemd/system/billing-exporter.service \
  "$out/etc/systemd/system/multi-user.target.wants/billing-exporter.service"
[ -e "$out/etc/systemd/system/acme-billing.service" ] &&
  ln -s /etc/systemd/system/acme-billing.service \
    "$out/etc/systemd/system/multi-user.target.wants/acme-billing.service"

printf '%s\n' "$key" >"${out%/}.trust-key"

end=$(date +%s.%N)
echo "generate.sh: $os sample root: $out (${#rpms[@]} synthetic + ${#real[@]} real rpms, $(echo "$end - $start" | bc -l | cut -c1-5) s)"
