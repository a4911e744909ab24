"""Export-list datasets of the build manifests (imported by make_manifests.py).

Which upstream export list each target ships comes from ../shared/kb-sources/exports/VERSIONS.tsv
(x86_64 listings; aarch64 ships the same versions, PROVENANCE-3.md, so aarch64 datasets say
derived_from). Repository, commit and licence of every stored group are read from the table of
PROVENANCE-3.md, so nothing here is typed twice.
"""
import pathlib
import re

SOURCES = pathlib.Path(__file__).resolve().parents[3] / "shared" / "kb-sources"

# Release column of VERSIONS.tsv for each target; SP4 / SP1 carry the previous release over.
RELEASE = {
    "openeuler-20.03-lts-sp3": ("openEuler-20.03-LTS-SP3", ""),
    "openeuler-20.03-lts-sp4": ("openEuler-20.03-LTS-SP3", "openEuler 20.03 LTS SP3 package versions (VERSIONS.tsv)"),
    "openeuler-22.03-lts-sp3": ("openEuler-22.03-LTS-SP3", ""),
    "openeuler-22.03-lts-sp4": ("openEuler-22.03-LTS-SP3", "openEuler 22.03 LTS SP3 package versions (VERSIONS.tsv)"),
    "openeuler-24.03-lts": ("openEuler-24.03-LTS", ""),
    "openeuler-24.03-lts-sp1": ("openEuler-24.03-LTS", "openEuler 24.03 LTS package versions (VERSIONS.tsv)"),
}
LDSO = {"x86_64": "ld-linux-x86-64.so.2", "aarch64": "ld-linux-aarch64.so.1"}
GLIBC_MINVER = {"x86_64": "GLIBC_2.2.5", "aarch64": "GLIBC_2.17"}  # libxcrypt libcrypt.minver
# glibc abilist file -> soname. libcrypt.abilist is left out: openEuler's libcrypt.so.1 is
# libxcrypt's (PROVENANCE-3.md caveat 4).
GLIBC_SONAMES = {"libc": "libc.so.6", "libm": "libm.so.6", "libpthread": "libpthread.so.0",
                 "libdl": "libdl.so.2", "librt": "librt.so.1", "libutil": "libutil.so.1",
                 "libanl": "libanl.so.1", "libresolv": "libresolv.so.2", "libnsl": "libnsl.so.1",
                 "libthread_db": "libthread_db.so.1", "libBrokenLocale": "libBrokenLocale.so.1",
                 "libmvec": "libmvec.so.1", "libc_malloc_debug": "libc_malloc_debug.so.0"}
UTIL_LINUX = {"libuuid": "libuuid.so.1", "libblkid": "libblkid.so.1", "libmount": "libmount.so.1",
              "libsmartcols": "libsmartcols.so.1", "libfdisk": "libfdisk.so.1"}
# krb5 >= 1.18: kadm5 major 12, kdb5 major 10 (PROVENANCE-3.md, krb5 rows).
KRB5 = {"libkrb5": "libkrb5.so.3", "libgssapi_krb5": "libgssapi_krb5.so.2",
        "libk5crypto": "libk5crypto.so.3", "libkrb5support-fixed": "libkrb5support.so.0",
        "libgssrpc": "libgssrpc.so.4", "libkrad": "libkrad.so.0",
        "libkadm5clnt_mit": "libkadm5clnt_mit.so.12", "libkadm5srv_mit": "libkadm5srv_mit.so.12",
        "libkdb5": "libkdb5.so.10"}
# VERSIONS.tsv package -> (stored library dir, export format)
LIBS = {"glibc": ("glibc", "glibc-abilist"), "openssl-libs": ("openssl", "openssl-num"),
        "compat-openssl11-libs": ("openssl", "openssl-num"),
        "libstdc++": ("libstdc++", "libstdcxx-baseline"), "libgcc": ("libgcc", "version-script"),
        "zlib": ("zlib", "version-script"), "libffi": ("libffi", "version-script"),
        "xz-libs": ("xz", "version-script"), "libuuid": ("util-linux", "version-script"),
        "libxml2": ("libxml2", "version-script"), "libxcrypt": ("libxcrypt", "libxcrypt-map"),
        "krb5-libs": ("krb5", "krb5-exports"), "libselinux": ("libselinux", "version-script")}
# Packages of VERSIONS.tsv not installed by default: a remediation can name them.
COMPAT = {"compat-openssl11-libs"}


def provenance():
    """stored dir (exports/<lib>/<ver>) -> dict(repo, ref, commit, licence) from PROVENANCE-3.md."""
    out = {}
    for line in (SOURCES / "PROVENANCE-3.md").read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 10 or not cells[1].isdigit():
            continue
        m = re.match(r"(.*?)\s*→\s*`([0-9a-f]{40})`", cells[4])
        if not m:
            continue
        for stored in cells[6].split(","):
            d = "/".join(stored.strip().split("/")[:3])
            out[d] = dict(repo=cells[3], ref=m.group(1), commit=m.group(2), licence=cells[8])
    return out


def versions(release):
    rows = []
    for line in (SOURCES / "exports" / "VERSIONS.tsv").read_text().splitlines()[1:]:
        c = line.split("\t")
        if c[0].startswith(release) and c[6].startswith("exports/"):
            rows.append(dict(package=c[3], listed=c[4], upstream=c[5], dir=c[6], note=c[7] if len(c) > 7 else ""))
    return rows


def files_of(group_dir, arch, package):
    """role (soname or soname#N) -> path relative to kb-sources, and format options."""
    base = SOURCES / group_dir
    rel = lambda p: str(p.relative_to(SOURCES))
    inputs, options = {}, {}
    if package == "glibc":
        for f in sorted((base / arch).glob("*.abilist")):
            stem = f.stem
            if stem == "ld":
                inputs[LDSO[arch]] = rel(f)
            elif stem in GLIBC_SONAMES:
                inputs[GLIBC_SONAMES[stem]] = rel(f)
    elif package in ("openssl-libs", "compat-openssl11-libs"):
        major = "3" if group_dir.split("/")[-1].startswith("3") else "1.1"
        for stem in ("libcrypto", "libssl"):
            inputs[f"{stem}.so.{major}"] = rel(base / "noarch" / f"{stem}.num")
    elif package == "libstdc++":
        inputs["libstdc++.so.6"] = rel(base / arch / "baseline_symbols.txt")
        # The baselines leave out TLS symbols a real libstdc++.so.6 exports (e.g.
        # _ZSt11__once_call@GLIBCXX_3.4.11, used by std::call_once): only nodes are proof.
        options["partial"] = {"libstdc++.so.6": "the baseline omits the TLS symbols libstdc++ exports"}
    elif package == "libgcc":
        # libgcc_s.so.1's map = libgcc-std.ver.in + the glibc file: on x86_64 i386/libgcc-glibc.ver
        # (i386/t-linux), which replaces config/libgcc-glibc.ver (it repeats that file's GLIBC_2.0
        # block under %ifndef __x86_64__; a real x86_64 libgcc_s.so.1 has no GLIBC_2.0 node); on
        # aarch64 config/libgcc-glibc.ver plus aarch64/libgcc-softfp.ver from GCC 11
        # (PROVENANCE-3.md). libgcc-sme.ver is an openEuler backport after 24.03 LTS GA: left out.
        parts = [base / "noarch" / "libgcc-std.ver.in"]
        if arch == "x86_64":
            parts.append(base / "x86_64" / "libgcc-glibc.ver")
        else:
            parts.append(base / "noarch" / "libgcc-glibc.ver")
            if (base / "aarch64" / "libgcc-softfp.ver").exists():
                parts.append(base / "aarch64" / "libgcc-softfp.ver")
        for i, p in enumerate(parts):
            inputs["libgcc_s.so.1" + (f"#{i + 1}" if i else "")] = rel(p)
        options["defines"] = ["__x86_64__"] if arch == "x86_64" else ["__aarch64__"]
    elif package == "zlib":
        inputs["libz.so.1"] = rel(base / "noarch" / "zlib.map")
    elif package == "libffi":
        major = "7" if group_dir.endswith("/3.3") else "8"
        inputs[f"libffi.so.{major}"] = rel(base / "noarch" / "libffi.map.in")
    elif package == "xz-libs":
        f = base / "noarch" / "liblzma_linux.map"
        inputs["liblzma.so.5"] = rel(f if f.exists() else base / "noarch" / "liblzma.map")
    elif package == "libuuid":
        for stem, soname in UTIL_LINUX.items():
            inputs[soname] = rel(base / "noarch" / f"{stem}.sym")
    elif package == "libxml2":
        inputs["libxml2.so.2"] = rel(base / "noarch" / "libxml2.syms")
    elif package == "libxcrypt":
        inputs["libcrypt.so.1"] = rel(base / "noarch" / "libcrypt.map.in")
        options["glibc_minver"] = GLIBC_MINVER[arch]
    elif package == "krb5-libs":
        for stem, soname in KRB5.items():
            inputs[soname] = rel(base / "noarch" / f"{stem}.exports")
        options["partial"] = {"libkrb5support.so.0": "the build adds symbols beyond libkrb5support-fixed.exports"}
    elif package == "libselinux":
        inputs["libselinux.so.1"] = rel(base / "noarch" / "libselinux.map")
    return inputs, options


def export_datasets(target, arch):
    """(datasets, unknown_reasons) for one pack."""
    release, derived = RELEASE[target]
    if arch == "aarch64":
        derived = (derived + "; " if derived else "") + "x86_64 package versions (aarch64 ships the same, PROVENANCE-3.md)"
    prov = provenance()
    out = []
    for v in versions(release):
        if v["package"] not in LIBS:
            continue
        lib, fmt = LIBS[v["package"]]
        inputs, options = files_of(v["dir"], arch, v["package"])
        if not inputs:
            continue
        p = prov[v["dir"]]
        options.update(format=fmt, package=v["package"], version=v["upstream"],
                       compat=v["package"] in COMPAT)
        note = f"{v['package']} {v['listed']} ships upstream {v['upstream']} (VERSIONS.tsv); upstream ABI list, downstream patches not reflected"
        if v["note"]:
            note += "; " + v["note"].strip('"')
        out.append(dict(id=f"exports-{v['package']}", importer="exports", inputs=inputs, options=options,
                        name=f"{v['package']} {v['upstream']} export lists ({fmt})",
                        origin=f"https://github.com/{p['repo']} ({p['ref']}); kb-sources/{v['dir']}",
                        commit=p["commit"], date="", licence=p["licence"], derived_from=derived, note=note,
                        facts={"exports": {"coverage": "partial",
                                           "reason": "upstream export lists of the libraries most often linked "
                                                     "(glibc, OpenSSL, libstdc++, libgcc, zlib, libffi, xz, util-linux, libxml2, "
                                                     "libxcrypt, krb5, libselinux); other libraries have none"
                                                     + ("; " + derived if derived else "")}}))
    unknown = {} if out else {"exports": "no export lists for this target"}
    return out, unknown
