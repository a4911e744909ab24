# Shell functions that build rpm roots from .spec files and rpm packages (sourced by the test
# fixtures and the sample-root generator). Recipes: ../shared/design/fixtures.md.
# Requires: rpmbuild rpm sqlite3 db5.3_load (scripts/setup installs them).

# rpm, minus Debian's "use Alien instead" warning.
rpmroot_rpm() { rpm "$@" 2> >(grep -v -e 'Alien' -e 'assuming you know' >&2); }

# rpmroot_build_specs TOPDIR OUT_DIR SPEC...: builds binary rpms into OUT_DIR.
rpmroot_build_specs() {
  local top=$1 out=$2; shift 2
  mkdir -p "$out"
  local spec
  for spec in "$@"; do
    rpmbuild --quiet --define "_topdir $top" --define "_build_id_links none" \
      --define "_binary_payload w2.xzdio" -bb "$spec" >/dev/null
  done
  find "$top/RPMS" -name '*.rpm' -exec cp {} "$out/" \;
}

# rpmroot_sqlite ROOT RPM...: an sqlite rpmdb at ROOT/var/lib/rpm with the files laid down.
rpmroot_sqlite() {
  local r=$1; shift
  mkdir -p "$r"
  rpmroot_rpm --root "$r" --dbpath /var/lib/rpm --initdb
  # --replacefiles: real package sets may hold two builds of one package that share files.
  rpmroot_rpm --root "$r" --dbpath /var/lib/rpm -i --nodeps --noscripts --ignorearch \
    --ignoreos --replacefiles "$@" 2>/dev/null
  rm -f "$r/var/lib/rpm/.rpm.lock" "$r/var/lib/rpm/rpmdb.sqlite-shm" "$r/var/lib/rpm/rpmdb.sqlite-wal"
}

# _rpmroot_le32 N VAR: VAR = N as 4 little-endian bytes in hex (no subshell: one per package).
_rpmroot_le32() {
  printf -v "$2" '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# rpmroot_to_bdb SQLITE_ROOT BDB_ROOT: the same root with a Berkeley DB Packages file (CentOS
# 6/7/8 layout). The sqlite table Packages(hnum, blob) holds the very header blobs a BDB hash
# database keys by instance number (4 bytes, native order); key 0 holds the largest instance.
rpmroot_to_bdb() {
  local src=$1 dst=$2 dump
  mkdir -p "$dst"
  (cd "$src" && tar cf - --exclude=./var/lib/rpm .) | (cd "$dst" && tar xf -)
  mkdir -p "$dst/var/lib/rpm"
  dump=$(mktemp)
  local db="$src/var/lib/rpm/rpmdb.sqlite" rows max key
  rows=$(sqlite3 "$db" 'select count(*) from Packages')
  max=$(sqlite3 "$db" 'select coalesce(max(hnum),0) from Packages')
  {
    printf 'VERSION=3\nformat=bytevalue\ntype=hash\nh_nelem=%d\ndb_pagesize=4096\nHEADER=END\n' $((rows + 1))
    _rpmroot_le32 "$max" key
    printf ' 00000000\n %s\n' "$key"
    sqlite3 -separator ' ' "$db" 'select hnum, lower(hex(blob)) from Packages order by hnum' |
      while read -r hnum blob; do
        _rpmroot_le32 "$hnum" key
        printf ' %s\n %s\n' "$key" "$blob"
      done
    printf 'DATA=END\n'
  } >"$dump"
  db5.3_load -f "$dump" "$dst/var/lib/rpm/Packages"
  rm -f "$dump"
}

# rpmroot_new_key GNUPG_DIR NAME: makes a throw-away RSA signing key "NAME" in a new GNUPG_DIR
# and prints its 16-hex-digit key ID. The real distribution keys cannot sign fixtures; the
# tests and the sample trust this one instead. Requires gpg.
rpmroot_new_key() {
  mkdir -m 700 "$1"
  GNUPGHOME=$1 gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key "$2 <signing@premigrate.invalid>" rsa2048 sign never 2>/dev/null
  GNUPGHOME=$1 gpg --batch --list-keys --with-colons 2>/dev/null |
    awk -F: '/^pub/ {print tolower($5); exit}'
}

# rpmroot_sign GNUPG_DIR NAME RPM...: signs the rpms in place with the key rpmroot_new_key
# made there (fails when rpmsign does). Requires rpmsign.
rpmroot_sign() {
  local dir=$1 name=$2; shift 2
  [ $# -gt 0 ] || return 0
  printf '%s\0' "$@" | GNUPGHOME=$dir xargs -0 -n 100 rpmsign --define "__gpg $(command -v gpg)" \
    --define "_gpg_name $name" --addsign >/dev/null 2>&1
}
