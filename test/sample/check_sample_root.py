#!/usr/bin/env python3
"""Checks a generated sample root (examples/sample-root/generate.sh) against what the generator
claims, through `premigrate inventory`: package count and Berkeley DB backend, the /opt
binaries' needed sonames and version nodes, the out-of-tree module in extra/, the modified
sshd_config, and (CentOS 8) the compressed module. Prints each check; exits 1 on a failure.

Usage: check_sample_root.py PREMIGRATE ROOT centos7|centos8 SAMPLE_SRC_DIR [SHARED_DIR]
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

premigrate, root, os_id, sample_src = sys.argv[1:5]
shared = sys.argv[5] if len(sys.argv) > 5 else ""
failures = []


def check(what, ok, detail=""):
    print("%s: %s%s" % ("ok  " if ok else "FAIL", what, " (%s)" % detail if detail else ""))
    if not ok:
        failures.append(what)


def tsv_names(path):
    with open(path) as f:
        return [line.split("\t")[1] for line in f
                if line.strip() and not line.startswith("#") and line.split("\t")[1] != "gpg-pubkey"]


# What the generator claims: one package per list row (gpg-pubkey rows excepted), the local
# specs (CentOS 7), and the real el7 rpms whose name the list does not already have.
listed = tsv_names(os.path.join(sample_src, "data", os_id + ".tsv"))
expected = len(listed) + len(tsv_names(os.path.join(sample_src, "data", os_id + "-extra.tsv")))
real = 0
if os_id == "centos7":
    expected += len(glob.glob(os.path.join(sample_src, "specs", "*.spec")))
    rpms = sorted(glob.glob(os.path.join(shared, "fixtures", "el7-rpms", "*.rpm"))) if shared else []
    if rpms:
        names = subprocess.run(["rpm", "-qp", "--qf", "%{NAME}\n"] + rpms, capture_output=True,
                               text=True, check=True).stdout.split()
        real = sum(1 for n in names if n not in set(listed))
    else:
        print("note: no ../shared: the root has no real CentOS 7 rpms")
    expected += real

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "inventory.json")
    run = subprocess.run([premigrate, "inventory", "--root", root, "--output", out,
                          "--progress", "never"], capture_output=True, text=True)
    check("premigrate inventory exits 0", run.returncode == 0, run.stderr.strip()[:300])
    if run.returncode != 0:
        sys.exit(1)
    with open(out) as f:
        inv = json.load(f)

rpmdb = inv["rpmdb"]
check("rpmdb read", rpmdb.get("status") == "ok", str(rpmdb))
check("Berkeley DB backend detected", rpmdb.get("backend") == "bdb", rpmdb.get("backend"))
# The sqlite rpmdb the generator installs into first must not be left inside the root (a
# CentOS 7/8 root has only Packages; a stray rpmdb.sqlite would be read instead of it).
strays = [os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root)
          for f in files if f.startswith("rpmdb.sqlite")]
check("no rpmdb.sqlite left in the root", not strays, ", ".join(strays))
check("package count", rpmdb.get("package_count") == expected == len(inv["packages"]),
      "rpmdb %s, packages %d, expected %d" % (rpmdb.get("package_count"), len(inv["packages"]),
                                              expected))
pkgs = {p["name"]: p for p in inv["packages"]}
os_release = inv["host"]["os_release"]
check("os-release VERSION_ID", os_release.get("VERSION_ID") == os_id[-1], str(os_release.get("VERSION_ID")))
check("real CentOS NEVRA and source rpm (openssh-server)",
      pkgs.get("openssh-server", {}).get("sourcerpm", "").startswith("openssh-"),
      pkgs.get("openssh-server", {}).get("nevra", "missing"))
cfg = {c["path"]: c for c in inv["config_files"]}
ssh = cfg.get("/etc/ssh/sshd_config", {})
check("sshd_config is modified and owned by openssh-server",
      ssh.get("state") == "modified" and ssh.get("package", "").startswith("openssh-server-"), str(ssh))
mods = [m for m in inv["kernel_modules"] if "/extra/" in m["path"]]
kver = "3.10.0-1160.el7.x86_64" if os_id == "centos7" else "4.18.0-193.28.1.el8_2.x86_64"
check("out-of-tree module in extra/ with vermagic " + kver,
      len(mods) == 1 and mods[0]["vermagic"].startswith(kver + " ") and mods[0]["out_of_tree"]
      and "hwmon_device_register" in mods[0]["undefined"], str(mods)[:300])

if os_id == "centos7":
    elf = {e["path"]: e for e in inv["elf_objects"]}
    b = elf.get("/opt/acme-billing/bin/billingd", {})
    needed = set(b.get("needed", []))
    want = {"libssl.so.10", "libcrypto.so.10", "libpython2.7.so.1.0", "libboost_system.so.1.53.0",
            "libacme-core.so.5"}
    check("/opt binary needs the CentOS 7 sonames", want <= needed, str(sorted(needed)))
    vn = {v["file"]: v["versions"] for v in b.get("verneed", [])}
    check("/opt binary needs libssl.so.10 OPENSSL_1.0.2", "OPENSSL_1.0.2" in vn.get("libssl.so.10", []), str(vn))
    glibc = [v for v in vn.get("libc.so.6", [])
             if tuple(int(x) for x in v.split("_")[1].split(".")) > (2, 17)]
    check("/opt binary needs no glibc newer than CentOS 7's 2.17", not glibc, str(glibc))
    ssl = elf.get("/usr/lib64/libssl.so.1.0.2k", {})
    check("libssl.so.10 stub in /usr/lib64 owned by openssl-libs with OPENSSL_1.0.2",
          ssl.get("soname") == "libssl.so.10" and "OPENSSL_1.0.2" in ssl.get("verdef", [])
          and ssl.get("package", "").startswith("openssl-libs-1:1.0.2k"), str(ssl.get("package")))
    check("EPEL package present (vendor Fedora Project)",
          pkgs.get("epel-release", {}).get("vendor") == "Fedora Project")
    check("unsigned in-house rpm (ops-scripts: no vendor, no signature)",
          "ops-scripts" in pkgs and pkgs["ops-scripts"]["signature"] is None
          and not pkgs["ops-scripts"]["vendor"])
    if real:
        pip = pkgs.get("python2-pip", {})
        check("real EPEL rpm with its EPEL 7 signature",
              (pip.get("signature") or {}).get("key_id") == "6a2faea2352c64e5", str(pip.get("signature")))
    scripts = {s["path"] for s in inv["scripts"]}
    check("python2 scripts found", "/usr/local/bin/rotate-billing-logs.py" in scripts)
    check("cron jobs found", len(inv["cron_jobs"]) >= 3, str(len(inv["cron_jobs"])))
    check("enabled systemd units", {"acme-billing.service", "billing-exporter.service"}
          <= set(inv["host"]["enabled_services"]), str(inv["host"]["enabled_services"]))
else:
    check("CentOS 8 module read from .ko.xz",
          mods and mods[0]["compression"] == "xz" and mods[0]["path"].endswith(".ko.xz"))
    check("modularity labels carried",
          any(p.get("modularitylabel") for p in inv["packages"]))
# Distribution stand-ins are signed with the key generate.sh wrote beside the root (the demo
# trusts it with --trust-key); real CentOS rpms keep the CentOS key; nothing else uses it.
key_file = root.rstrip("/") + ".trust-key"
with open(key_file) as f:
    sample_key = f.read().strip()
real_keys = {"24c6a8a7f4a80eb5", "05b555b38483c65d"}
wrong = [n for n, p in pkgs.items() if p.get("vendor") == "CentOS" and n != "gpg-pubkey"
         and (p.get("signature") or {}).get("key_id") not in real_keys | {sample_key}]
check("every CentOS-vendor package signed (sample key %s or a real CentOS key)" % sample_key,
      len(sample_key) == 16 and not wrong, str(wrong[:5]))
others = [n for n, p in pkgs.items() if p.get("vendor") != "CentOS"
          and (p.get("signature") or {}).get("key_id") == sample_key]
check("no other vendor's package carries the sample key", not others, str(others[:5]))
for repo in glob.glob(os.path.join(root, "etc/yum.repos.d/CentOS-*.repo")):
    with open(repo) as f:
        check("%s names mirror.centos.org" % os.path.basename(repo), "mirror.centos.org" in f.read())
check("ifcfg network scripts", os.path.exists(os.path.join(root, "etc/sysconfig/network-scripts/ifcfg-eth0")))

if failures:
    print("sample root %s: %d check(s) failed: %s" % (root, len(failures), "; ".join(failures)))
    sys.exit(1)
print("sample root %s: all checks passed" % root)
