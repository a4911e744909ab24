#!/usr/bin/env python3
"""Writes knowledgebase/manifests/*.json, one build manifest per pack (source x target x arch).

The manifests are the reviewed, checked-in input of `premigrate kb build`; this script only
saves typing them by hand. Every dataset entry carries the provenance copied from
../shared/kb-sources/PROVENANCE.md and PROVENANCE-2.md. Re-run after editing, then review the diff.
"""
import json
import pathlib

from export_datasets import export_datasets

KB_VERSION = "1.0.0"
DEFAULT_DATE = "2025-01-15"
ROOT = pathlib.Path(__file__).resolve().parents[2] / "knowledgebase" / "manifests"
EXE_PREFIXES = ["/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/libexec/"]

RM = dict(name="openEuler release-management package lists (pckg-mgmt.yaml)",
          origin="https://github.com/openeuler-mirror/release-management",
          commit="d4efb425781f2a61c0c63f7ac0f725c14ef2585e", date="2026-08-21",
          licence="none stated (no LICENSE file in the repository)")
KABI = dict(name="openEuler kernel kABI whitelist and Module.kabi (src-openeuler/kernel)",
            origin="https://github.com/IamJustaChild/src-openeuler-kernel (mirror of gitee src-openeuler/kernel)",
            licence="GPL-2.0 (kernel packaging; no LICENSE file)")
BRANCH_COMMITS = {
    "openEuler-20.03-LTS-SP3": "aff07d9c6997fb096d6e37d92757adeb9f3a8154",
    "openEuler-20.03-LTS-SP4": "fa6f65bb354f383a50a8ae8bbd7ce7ab6b160012",
    "openEuler-22.03-LTS-SP3": "53b5758918e08f3cb943cf7191da4e6287a74b62",
    "openEuler-22.03-LTS-SP4": "5fdc20ad5f6c6d440a6cdec738782e485e469f3f",
    "openEuler-24.03-LTS": "4faaf09e69b61aa40f609375790c45bad5815741",
    "openEuler-24.03-LTS-SP1": "6a010761ce05d8554a278c48257cd86413adc419",
}
PRIMARY = dict(name="openEuler 20.03 LTS SP3 everything x86_64 primary.xml (pkgship test data)",
               origin="https://github.com/openeuler-mirror/pkgship (test/cli/init_command/import_relation_case/sqlites/xml/repodata/openeuler-primary.xml.gz)",
               commit="e1bf1ea370c739eb9203379aff019b42296d487c", date="2022-10-29",
               licence="MulanPSL-2.0",
               note="release identity inferred from kernel-4.19.90-2112.3.0.0126.oe1 and build times (PROVENANCE.md)")
DOCKER = {
    "22.03-lts-sp3": dict(dir="openos365-openeuler-docker/22.03-LTS-SP3_x86_64_2024-03-23",
                          origin="https://github.com/openos365/openos365-10005-openeuler-22-03-lts-docker",
                          commit="c520d40b6c566c20e5ec17b7d07cb9be302159c7", date="2024-03-23",
                          label="openEuler 22.03 LTS SP3 x86_64"),
    "24.03-lts": dict(dir="openos365-openeuler-docker/24.03-LTS_x86_64_2024-08-09",
                      origin="https://github.com/openos365/openos365-10006-openeuler-latest-docker",
                      commit="caeb6b6d0b1ebdf4cda2a3b7f04a763b8a69cd1d", date="2024-08-09",
                      label="openEuler 24.03 LTS x86_64"),
}
SSH = dict(name="OpenSSH config keyword table (servconf.c / readconf.c per upstream tag)",
           origin="https://github.com/openssh/openssh-portable (tags V_7_4_P1 .. V_9_6_P1); DERIVED table in kb-sources",
           licence="BSD (OpenSSH); table derived", date="")
PES = dict(name="leapp package evolution events, CentOS (AlmaLinux ELevate leapp-data)",
           origin="https://github.com/AlmaLinux/leapp-data (files/centos/pes-events.json)",
           commit="feda1370788f36739c1b450728e519cb956111df", date="2024-07-16", licence="Apache-2.0")
SRC_KABI = {
    ("centos-7", "x86_64"): dict(path="centos7-kernel-kabi-scality/Module.kabi_x86_64.3.10.0-1062.el7",
                                 name="CentOS 7.7 kernel-3.10.0-1062.el7 Module.kabi_x86_64",
                                 origin="https://github.com/scality/centos-kernel", commit="754cad822e4e69faaffa182d51d1ae8bdcf60f3d"),
    ("centos-8", "x86_64"): dict(path="centos8-kernel-kabi-gitcentos/Module.kabi_x86_64.4.18.0-348.23.1.el8_5",
                                 name="CentOS 8.5 kernel-4.18.0-348.23.1.el8_5 Module.kabi_x86_64",
                                 origin="https://github.com/gencoo/kernel (branch c8)", commit="4f5abda4190a2f801c9abc1f5bcb9bf4ac22238f"),
    ("centos-8", "aarch64"): dict(path="centos8-kernel-kabi-gitcentos/Module.kabi_aarch64.4.18.0-348.23.1.el8_5",
                                  name="CentOS 8.5 kernel-4.18.0-348.23.1.el8_5 Module.kabi_aarch64",
                                  origin="https://github.com/gencoo/kernel (branch c8)", commit="4f5abda4190a2f801c9abc1f5bcb9bf4ac22238f"),
}
# target id -> (release-management dir, ssh column, ssh derived note, binary source, kernel)
TARGETS = {
    "openeuler-20.03-lts-sp3": dict(rm="openEuler-20.03-LTS-SP3", ssh="8.2p1", ssh_derived="", bin="primary", bin_derived="", kernel="primary"),
    "openeuler-20.03-lts-sp4": dict(rm="openEuler-20.03-LTS-SP4", ssh="8.2p1", ssh_derived="OpenSSH 8.2p1 column labelled openEuler 20.03 LTS",
                                    bin="primary", bin_derived="openEuler 20.03 LTS SP3 everything x86_64 primary.xml", kernel=None),
    "openeuler-22.03-lts-sp3": dict(rm="openEuler-22.03-LTS-SP3", ssh="8.8p1", ssh_derived="OpenSSH 8.8p1 column labelled openEuler 22.03 LTS",
                                    bin="22.03-lts-sp3", bin_derived="", kernel="branch"),
    "openeuler-22.03-lts-sp4": dict(rm="openEuler-22.03-LTS-SP4", ssh="8.8p1", ssh_derived="OpenSSH 8.8p1 column labelled openEuler 22.03 LTS",
                                    bin="22.03-lts-sp3", bin_derived="openEuler 22.03 LTS SP3 x86_64 image (dnf list, installed files, ld.so.cache)", kernel="branch"),
    "openeuler-24.03-lts": dict(rm="openEuler-24.03-LTS", ssh="9.3p2", ssh_derived="",
                                bin="24.03-lts", bin_derived="", kernel="branch"),
    "openeuler-24.03-lts-sp1": dict(rm="openEuler-24.03-LTS-SP1", ssh="9.3p2", ssh_derived="OpenSSH 9.3p2 column labelled openEuler 24.03 LTS baseline",
                                    bin="24.03-lts", bin_derived="openEuler 24.03 LTS x86_64 image (dnf list, installed files, ld.so.cache)", kernel="branch"),
}


def fact(cov, reason):
    return {"coverage": cov, "reason": reason}


# Release-management version tables: source package versions. Only 22.03 LTS (GA, with the
# 20.03 LTS SP3 column beside it), the 22.03 LTS SP1 selection diff and the 24.03 LTS selection
# exist; other releases carry the nearest one over and say so (derived_from).
T2203 = "openEuler-22.03-LTS/版本变更说明.md"
T2203_SP1 = "openEuler-22.03-LTS-SP1/openEuler-22.03-LTS-SP1 升级选型.md"
T2403 = "openEuler-24.03-LTS/全量软件包选型.md"


def version_table(id_, path, name_column, version_column, name, note, derived, reason):
    return dict(id=id_, importer="version-table",
                inputs={"table": "openeuler-release-management/" + path},
                options={"name_column": name_column, "version_column": version_column},
                name=name, origin=RM["origin"], commit=RM["commit"], date=RM["date"],
                licence=RM["licence"], note=note, derived_from=derived,
                facts={"source_versions": fact("partial", reason)})


def version_tables(target):
    sp = target.rsplit("-", 1)[-1].upper()
    if target.startswith("openeuler-20.03-lts-sp"):
        derived = "" if sp == "SP3" else "the 20.03 LTS SP3 column of the 22.03 LTS version table"
        return [version_table(
            "version-table-2003-sp3", T2203, "Software name", "20.03 LTS SP3",
            "openEuler 22.03 LTS version change table (版本变更说明.md), 20.03 LTS SP3 column",
            "upstream versions of the source packages the table lists (about 985 rows); no releases",
            derived,
            "upstream source versions of the ~985 packages the 22.03 LTS version table lists, 20.03 LTS SP3 column"
            + (f"; carried over to {sp} (derived from {derived})" if derived else ""))]
    if target.startswith("openeuler-22.03-lts-sp"):
        return [version_table(
            "version-table-2203", T2203, "Software name", "22.03 LTS",
            "openEuler 22.03 LTS version change table (版本变更说明.md), 22.03 LTS column",
            "upstream versions of the source packages the table lists; no releases",
            "the 22.03 LTS (GA) column",
            f"upstream source versions of the ~985 packages of the 22.03 LTS version table; carried over to {sp} (derived from the 22.03 LTS GA column)"),
            version_table(
            "version-table-2203-sp1", T2203_SP1, "Package", "Details",
            "openEuler 22.03 LTS SP1 version selection (升级选型.md)",
            "packages whose version or release changed from 22.03 LTS to SP1 ('from A to B'); B is kept; overrides the GA table",
            "the 22.03 LTS SP1 selection",
            f"version-release of the ~1250 packages changed in 22.03 LTS SP1; carried over to {sp} (derived from the SP1 selection)")]
    if target.startswith("openeuler-24.03-lts"):
        derived = "" if target == "openeuler-24.03-lts" else "the 24.03 LTS (GA) selection"
        return [version_table(
            "version-table-2403", T2403, "软件包", "版本号",
            "openEuler 24.03 LTS full package version selection (全量软件包选型.md)",
            "the selected upstream version of every source package of 24.03 LTS (about 3,600 rows); no releases; rows without a version ('/', unexpanded macros) skipped",
            derived,
            "selected upstream versions of ~3,600 source packages of 24.03 LTS"
            + ("; carried over to SP1 (derived from the GA selection)" if derived else ""))]
    return []


# Arch differences: openEuler names that the easypackages CentOS Stream 9 -> openEuler 24.03
# mapping lists for one architecture only (grub2-pc, microcode_ctl, syslinux ... x86_64 only;
# grub2-efi-aa64 aarch64 only).
EASYPACKAGES = dict(origin="https://github.com/opensourceways/easypackages (easypackages/package_mapping/data/mapping)",
                    commit="b87edc6d7a03ee7534677768664e99c117c8c9a0", date="", licence="none stated")
MAPPING = "opensourceways-easypackages-mapping/src_mapping_binary_centos_to_openeuler_new_noversion_"


def arch_derived(t):
    """aarch64 binary list: the x86_64 list of the same release less x86_64-only names, plus
    aarch64-only names (derived; versions are the x86_64 build's)."""
    if t["bin"] == "primary":
        base = {"repo": "openeuler-pkgship-primary/openEuler-20.03-LTS-SP3-everything-x86_64+src.primary.xml.gz"}
        opts = {"format": "repodata", "repo": "everything", "arches": ["x86_64", "noarch"]}
        label, cov = "openEuler 20.03 LTS SP3 everything x86_64 primary.xml", "partial"
        common = {k: v for k, v in PRIMARY.items() if k not in ("note", "name")}
    else:
        d = DOCKER[t["bin"]]
        base = {"list": d["dir"] + "/dnf.list.txt"}
        opts = {"format": "dnf-list", "skip_repos": ["source", "update-source", "debuginfo"],
                "skip_suffixes": ["-debuginfo", "-debugsource"]}
        label, cov = f"the {d['label']} container's dnf list", "complete"
        common = dict(origin=d["origin"], commit=d["commit"], date=d["date"],
                      licence="none stated (tool output of openEuler RPM data)")
    derived = label + (" (carried to " + t["rm"] + ")" if t["bin_derived"] else "") + \
        ", arch differences from the easypackages 24.03 x86_64/aarch64 mappings"
    return dict(id="arch-derived", importer="arch-derived",
                inputs={**base, "base_mapping": MAPPING + "x86_64", "target_mapping": MAPPING + "aarch64"},
                options={**opts, "base_arch": "x86_64"},
                name=f"aarch64 binary packages derived from {label}",
                **common, derived_from=derived,
                note="x86_64 names the aarch64 mapping lacks are dropped, aarch64-only names added without a version; "
                     "the mappings are computed by similarity tooling for 24.03 (easypackages), not an aarch64 repository",
                facts={"binary_packages": fact(cov, "DERIVED from the x86_64 list (" + label + ") and the arch differences of the easypackages mappings"
                                               + ("; the everything repository only" if cov == "partial" else ""))})


def carried_provides(arch):
    """20.03 LTS SP3 provides and obsoletes, kept for the packages the target still ships."""
    return dict(id="provides-2003-carried", importer="repodata",
                inputs={"repo": "openeuler-pkgship-primary/openEuler-20.03-LTS-SP3-everything-x86_64+src.primary.xml.gz"},
                options={"repo": "everything", "arches": ["x86_64", "noarch"], "soname_provides_only": False,
                         "obsoletes": True, "skip_sonames": True, "only_shipped": True},
                **{**PRIMARY, "name": PRIMARY["name"] + ": Provides and Obsoletes carried forward"},
                derived_from="openEuler 20.03 LTS SP3 everything x86_64 primary.xml; a row is kept only when its package ships in this pack's binary list"
                             + (" (x86_64 provides applied to aarch64)" if arch == "aarch64" else ""),
                facts={"provides": fact("partial", "DERIVED: plain-name Provides and Obsoletes (no sonames: library versions change between releases) of 20.03 LTS SP3 packages that still ship on the target; names added after 20.03 are not covered")})


def datasets(source, target, arch):
    t = TARGETS[target]
    out, unknown = [], {}
    rm = t["rm"]
    inputs = {"baseos": f"openeuler-release-management/{rm}/baseos/pckg-mgmt.yaml",
              "everything": f"openeuler-release-management/{rm}/everything-exclude-baseos/pckg-mgmt.yaml",
              "epol": f"openeuler-release-management/{rm}/epol/pckg-mgmt.yaml",
              "delete": f"openeuler-release-management/{rm}/delete/pckg-mgmt.yaml"}
    out.append(dict(id="release-management", importer="pckg-mgmt", inputs=inputs, **RM,
                    note="SOURCE package names per repo class (baseos, everything, epol) and deletions; no versions, no binary names",
                    facts={"source_packages": fact("complete", "release-management lists every source package per repo class"),
                           "dropped_packages": fact("complete", "delete/pckg-mgmt.yaml of the release")}))
    # binary packages, provides, files
    bin_facts_reason = ""
    if arch == "aarch64":
        out.append(arch_derived(t))
        unknown["files"] = "no aarch64 file lists at hand"
    elif t["bin"] == "primary":
        derived = t["bin_derived"]
        part = "derived from 20.03 LTS SP3; " if derived else ""
        out.append(dict(id="primary-20.03-sp3", importer="repodata",
                        inputs={"repo": "openeuler-pkgship-primary/openEuler-20.03-LTS-SP3-everything-x86_64+src.primary.xml.gz"},
                        options={"repo": "everything", "arches": ["x86_64", "noarch"],
                                 "file_prefixes": EXE_PREFIXES, "soname_provides_only": False,
                                 "obsoletes": True, "kernel_package": "kernel"},
                        derived_from=derived, **PRIMARY,
                        facts={"binary_packages": fact("partial", part + "the everything repository only (EPOL and update repositories not included)"),
                               "provides": fact("partial", part + "soname and plain-name provides and obsoletes (names only) of the everything repository; namespaced provides (perl(), python3dist() ...) not kept"),
                               "files": fact("partial", part + "primary.xml lists only files under */bin/ and /etc/ (executables dirs kept)"),
                               **({} if derived else {"kernel": fact("complete", "kernel package version in the everything repository")})}))
    else:
        d = DOCKER[t["bin"]]
        derived = t["bin_derived"]
        part = "derived from " + d["label"] + ("; " if True else "") if derived else ""
        common = dict(origin=d["origin"], commit=d["commit"], date=d["date"], licence="none stated (tool output of openEuler RPM data)", derived_from=derived)
        out.append(dict(id="dnf-list", importer="dnf-list", inputs={"list": d["dir"] + "/dnf.list.txt"},
                        options={"skip_repos": ["source", "update-source", "debuginfo"], "skip_suffixes": ["-debuginfo", "-debugsource"]},
                        name=f"dnf list (OS, everything, EPOL, update repositories) of the {d['label']} container", **common,
                        facts={"binary_packages": fact("complete",
                                                       part + "every binary package of the OS, everything, EPOL and update repositories at snapshot time"
                                                       + ("; the service pack's own source lists (release-management) decide names it adds or deletes" if derived else ""))}))
        out.append(dict(id="image-files", importer="file-list", inputs={"files": d["dir"] + "/ima_tlv_files.tsv"},
                        options={"prefixes": EXE_PREFIXES},
                        name=f"files of the packages installed in the {d['label']} container (IMA digest lists, DERIVED TSV)", **common,
                        facts={"files": fact("partial", part + "only the packages installed in the container image (a few hundred)")}))
        out.append(dict(id="image-sonames", importer="soname-map", inputs={"map": d["dir"] + "/soname_to_package.derived.tsv"},
                        name=f"ld.so.cache sonames of the {d['label']} container mapped to packages (DERIVED TSV)", **common,
                        note="unmatched sonames are skipped; no version nodes", 
                        facts={"provides": fact("partial", part + "sonames of the installed image only, without version nodes")}))
    # kernel
    if t["kernel"] == "branch":
        br = t["rm"]
        out.append(dict(id="kernel-branch", importer="kernel-branch", inputs={"branches": "openeuler-src-kernel-kabi/BRANCHES.txt"},
                        options={"branch": br}, **{**KABI, "name": f"kernel version fields at the tip of src-openeuler/kernel branch {br}"},
                        commit=BRANCH_COMMITS[br], date="",
                        note="release is the branch tip's, which may be newer than the GA kernel",
                        facts={"kernel": fact("complete", "series version from kernel.spec fields; release is the branch tip's")}))
    elif t["kernel"] is None or arch == "aarch64":
        unknown["kernel"] = "no kernel version dataset for this release and architecture (BRANCHES.txt gives only hulkrelease for 20.03 branches)"
    # kabi
    br = t["rm"]
    out.append(dict(id="kabi", importer="kabi",
                    inputs={"whitelist": f"openeuler-src-kernel-kabi/{br}/kabi_whitelist_{arch}",
                            "module_kabi": f"openeuler-src-kernel-kabi/{br}/Module.kabi_{arch}"},
                    **KABI, commit=BRANCH_COMMITS[br], date="",
                    facts={"kabi": fact("complete", "kABI whitelist with CRCs from Module.kabi")}))
    # source kabi
    sk = SRC_KABI.get((source, arch))
    if sk:
        out.append(dict(id="source-kabi", importer="kabi", inputs={"module_kabi": sk["path"]},
                        name=sk["name"], origin=sk["origin"], commit=sk["commit"], date="", licence="GPL-2.0 (kernel)",
                        facts={"source_kabi": fact("complete" if source == "centos-8" else "partial",
                                                   "CentOS 8.5 kABI list" if source == "centos-8" else "CentOS 7.7 (1062) list; RHEL 7 kABI is additive, the 7.9 list is not at hand")}))
    else:
        unknown["source_kabi"] = f"no {source} kABI list for {arch} at hand"
    # openssh
    ssh_derived = t["ssh_derived"]
    out.append(dict(id="openssh-keywords", importer="openssh-keywords",
                    inputs={"sshd_config": "openssh-config-keywords-derived/sshd_config_keywords.tsv",
                            "ssh_config": "openssh-config-keywords-derived/ssh_config_keywords.tsv"},
                    options={"version": t["ssh"]}, **SSH, commit="", derived_from=ssh_derived,
                    facts={"openssh": fact("partial", "upstream keywords of OpenSSH " + t["ssh"] +
                                           ("; version carried over (" + ssh_derived + ")" if ssh_derived else "") +
                                           "; openEuler patches may add keywords")}))
    # evolution
    if source == "centos-7":
        out.append(dict(id="pes-events", importer="pes-events", inputs={"events": "almalinux-leapp-data/pes-events.centos.json"},
                        options={"from_major": 7, "to_major": 8}, **PES,
                        note="ELevate subset of Red Hat PES; events describe CentOS 7 -> 8, not openEuler",
                        facts={"evolution": fact("partial", "CentOS 7 -> 8 events (ELevate subset); they describe RHEL-family changes and are consulted only for names the target does not ship")}))
    out.append(dict(id="curated", importer="curated", inputs={"curated": "kb:curated/migration-notes.yaml"},
                    name="curated migration notes (knowledgebase/curated/migration-notes.yaml)",
                    origin="premigrate knowledgebase/curated; each entry carries its own reference", commit="", date="", licence="project",
                    facts={"evolution": fact("partial", "hand-reviewed entries, each with a reference" +
                                              ("; no CentOS 8 -> openEuler evolution dataset at hand (the leapp events are 7 -> 8 and 8 -> 9)" if source == "centos-8" else ""))}))
    if source == "centos-8":
        pass
    # Appended last, so that adding them kept the other datasets' indices in the packs.
    out.extend(version_tables(target))
    if t["bin"] != "primary" or arch == "aarch64":
        out.append(carried_provides(arch))
    exp, exp_unknown = export_datasets(target, arch)
    out.extend(exp)
    unknown.update(exp_unknown)
    for d in out:
        for k in ("commit", "date", "derived_from", "note"):
            d.setdefault(k, "")
    return out, unknown


def main():
    ROOT.mkdir(parents=True, exist_ok=True)
    for old in ROOT.glob("*.json"):
        old.unlink()
    for source in ("centos-7", "centos-8"):
        for target in TARGETS:
            for arch in ("x86_64", "aarch64"):
                ds, unknown = datasets(source, target, arch)
                m = {"schema_version": 1, "kb_version": KB_VERSION, "default_build_date": DEFAULT_DATE,
                     "source_release": source, "target": target, "arch": arch,
                     "datasets": ds, "unknown_reasons": unknown}
                (ROOT / f"{source}_to_{target}_{arch}.json").write_text(json.dumps(m, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
