"""rpm's own view of every installed header (`rpm -qa --qf`), compared field by field with the
packages of `premigrate inventory`. rpm runs on a private copy of the database directory, so
the root under test is never written to."""

import calendar
import os
import shutil
import subprocess
import tempfile
import time

TOOL = "rpm"

# RFC 4880 section 9.4 hash algorithm ids, in the words librpm's pgpValString uses.
HASH_NAMES = {1: "MD5", 2: "SHA1", 3: "RIPEMD160", 8: "SHA256", 9: "SHA384", 10: "SHA512",
              11: "SHA224"}
# rpm's %{FILEFLAGS:fflags} letters (lib/formats.c) and the inventory's words for them.
FFLAG_WORDS = {"d": "doc", "c": "config", "s": "specfile", "m": "missingok", "n": "noreplace",
               "g": "ghost", "l": "license", "r": "readme", "a": "artifact"}
DEP_TAGS = (("requires", "REQUIRE"), ("provides", "PROVIDE"), ("obsoletes", "OBSOLETE"),
            ("conflicts", "CONFLICT"))
SCALARS = ["nevra", "name", "epoch", "version", "release", "arch", "vendor", "packager",
           "buildhost", "buildtime", "installtime", "sourcerpm", "license", "summary", "url",
           "size", "sigmd5", "modularitylabel", "file_digest_algo"]
RPM_TAG = {"nevra": "NEVRA", "name": "NAME", "epoch": "EPOCH", "version": "VERSION",
           "release": "RELEASE",
           "arch": "ARCH", "vendor": "VENDOR", "packager": "PACKAGER", "buildhost": "BUILDHOST",
           "buildtime": "BUILDTIME", "installtime": "INSTALLTIME", "sourcerpm": "SOURCERPM",
           "license": "LICENSE", "summary": "SUMMARY", "url": "URL",
           "size": "|LONGSIZE?{%{LONGSIZE}}:{%{SIZE}}|", "sigmd5": "SIGMD5",
           "modularitylabel": "MODULARITYLABEL", "file_digest_algo": "FILEDIGESTALGO"}
SIG_FIELDS = ["signature.tag", "signature.pubkey_algo", "signature.hash_algo",
              "signature.key_id", "signature.created"]
DEP_FIELDS = [d + "." + f for d, _ in DEP_TAGS for f in ("name", "op", "evr", "qualifiers")]
FILE_FIELDS = ["files.path", "files.mode", "files.size", "files.digest", "files.user",
               "files.group", "files.linkto", "files.flags"]
FIELDS = ["packages", "db_instance"] + SCALARS + SIG_FIELDS + DEP_FIELDS + FILE_FIELDS

US = "\x1f"  # field separator in the query format: never inside rpm's values


def _qf():
    parts = ["@@PKG %{DBINSTANCE}\\n"]
    for f in SCALARS:
        tag = RPM_TAG[f]
        parts.append("S %s %s\\n" % (f, ("%" + tag) if tag.startswith("|") else "%{" + tag + "}"))
    sig = "(none)"
    for tag in ("SIGGPG", "SIGPGP", "DSAHEADER", "RSAHEADER"):  # rpm -qi's order of preference
        sig = "%%|%s?{%s %%{%s:pgpsig}}:{%s}|" % (tag, tag, tag, sig)
    parts.append("G " + sig + "\\n")
    for key, tag in DEP_TAGS:
        parts.append("[D %s%s%%{%sNAME}%s%%{%sFLAGS}%s%%{%sFLAGS:deptype}%s%%{%sVERSION}\\n]"
                     % (key, US, tag, US, tag, US, tag, US, tag))
    parts.append("[F " + US.join(["%{FILENAMES}", "%{FILEMODES:octal}", "%{FILESIZES}",
                                  "%{FILEDIGESTS}", "%{FILEUSERNAME}", "%{FILEGROUPNAME}",
                                  "%{FILELINKTOS}", "%{FILEFLAGS:fflags}"]) + "\\n]")
    return "".join(parts)


def _none(v):
    return "" if v == "(none)" else v


def _op(flags):
    lt, gt, eq = flags & 2, flags & 4, flags & 8
    if lt:
        return "<=" if eq else "<"
    if gt:
        return ">=" if eq else ">"
    return "=" if eq else ""


def _signature(text):
    """'RSAHEADER RSA/SHA256, Fri Mar  3 11:21:31 2017, Key ID 24c6a8a7f4a80eb5' -> dict."""
    if text == "(none)":
        return None
    tag, rest = text.split(" ", 1)
    algos, when, key = [p.strip() for p in rest.split(",")]
    pk, ha = algos.split("/")
    created = calendar.timegm(time.strptime(when, "%a %b %d %H:%M:%S %Y"))
    return {"tag": tag, "pubkey_algo": pk, "hash_algo": ha,
            "key_id": key.split()[-1].lower(), "created": created}


def query(root, backend):
    """Runs rpm -qa on a copy of ROOT's rpmdb; returns {db_instance: package dict}."""
    dbdir = None
    for d in ("var/lib/rpm", "usr/lib/sysimage/rpm"):
        if os.path.isdir(os.path.join(root, d)):
            dbdir = os.path.join(root, d)
            break
    if dbdir is None:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "rpm")
        shutil.copytree(dbdir, copy, symlinks=False)
        env = dict(os.environ, TZ="UTC", LC_ALL="C")
        out = subprocess.run(["rpm", "--dbpath", copy, "--define", "_db_backend " + backend,
                              "-qa", "--qf", _qf()], env=env, check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    pkgs = {}
    cur = None
    for line in out.decode("utf-8", "surrogateescape").split("\n"):
        if line.startswith("@@PKG "):
            cur = {"files": [], "signature": None}
            for key, _ in DEP_TAGS:
                cur[key] = []
            pkgs[int(line.split()[1])] = cur
        elif line.startswith("S "):
            _, field, value = (line + " ").split(" ", 2)
            value = _none(value[:-1])
            if field == "epoch":
                cur[field] = None if value == "" else int(value)
            elif field in ("buildtime", "installtime", "size"):
                cur[field] = int(value or 0)
            elif field == "file_digest_algo":
                cur[field] = HASH_NAMES.get(int(value), "unknown(%s)" % value) if value else "MD5"
            else:
                cur[field] = value
        elif line.startswith("G "):
            cur["signature"] = _signature(line[2:])
        elif line.startswith("D "):
            key, name, flags, deptype, evr = line[2:].split(US)
            quals = set(deptype.split(",")) - {"manual", ""}
            if int(flags) & (1 << 26):  # RPMSENSE_KEYRING: a flag :deptype has no word for
                quals.add("keyring")
            quals = sorted(quals)
            cur[key].append({"name": name, "op": _op(int(flags)), "evr": evr,
                             "qualifiers": quals})
        elif line.startswith("F "):
            path, mode, size, digest, user, group, link, fflags = line[2:].split(US)
            cur["files"].append({"path": path, "mode": int(mode, 8), "size": int(size),
                                 "digest": digest, "user": user, "group": group,
                                 "linkto": link,
                                 "flags": sorted(FFLAG_WORDS.get(c, c) for c in fflags)})
    return pkgs


def compare(inventory, root, backend, tally):
    tally.declare(TOOL, FIELDS)
    theirs = query(root, backend)
    ours = {p["db_instance"]: p for p in inventory.get("packages", [])}
    tally.check(TOOL, "packages", "rpmdb", len(ours), len(theirs))
    for inst in sorted(set(theirs) | set(ours)):
        tally.check(TOOL, "db_instance", "header #%d" % inst, inst in ours, inst in theirs)
        if inst not in ours or inst not in theirs:
            continue
        o, t = ours[inst], theirs[inst]
        who = "%s (header #%d)" % (t.get("name"), inst)
        for f in SCALARS:
            tally.check(TOOL, f, who, o.get(f), t.get(f))
        osig, tsig = o.get("signature"), t.get("signature")
        for f in SIG_FIELDS:
            k = f.split(".", 1)[1]
            tally.check(TOOL, f, who, osig and osig.get(k), tsig and tsig.get(k))
        for key, _ in DEP_TAGS:
            od, td = o.get(key, []), t[key]
            for i in range(max(len(od), len(td))):
                a = od[i] if i < len(od) else {}
                b = td[i] if i < len(td) else {}
                for k in ("name", "op", "evr"):
                    tally.check(TOOL, key + "." + k, "%s %s[%d]" % (who, key, i), a.get(k),
                                b.get(k))
                tally.check(TOOL, key + ".qualifiers", "%s %s[%d]" % (who, key, i),
                            sorted(a.get("qualifiers", [])) if a else None,
                            b.get("qualifiers") if b else None)
        of, tf = o.get("files", []), t["files"]
        for i in range(max(len(of), len(tf))):
            a = of[i] if i < len(of) else {}
            b = tf[i] if i < len(tf) else {}
            subject = "%s file %s" % (who, b.get("path") or a.get("path"))
            for f in FILE_FIELDS:
                k = f.split(".", 1)[1]
                va, vb = a.get(k), b.get(k)
                if k == "flags" and va is not None:
                    va = sorted(va)
                tally.check(TOOL, f, subject, va, vb)
    return theirs
