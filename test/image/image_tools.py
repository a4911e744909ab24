"""Builds container images for the --image tests from layer tars made here: a docker-save
archive (manifest.json, config, <id>/layer.tar) and an OCI image layout (index.json, blobs,
gzip and zstd layers) or its tar. Nothing binary is committed; everything is made at test time."""
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer_bytes(add):
    """A layer tar made by add(tarfile) (uncompressed bytes)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        add(t)
    return buf.getvalue()


def add_file(t, name, data=b"", mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    t.addfile(info, io.BytesIO(data))


def add_entry(t, name, kind, linkname="", mode=0o755):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mode = mode
    t.addfile(info)


def config_for(layers, arch="amd64"):
    return json.dumps({
        "architecture": arch, "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256(l) for l in layers]},
        "config": {}}, sort_keys=True).encode()


def write_docker_archive(path, images):
    """images: [(repo_tags, [layer bytes])]. Layers are stored as <id>/layer.tar."""
    manifest = []
    with tarfile.open(path, "w") as out:
        seen = set()
        for tags, layers in images:
            config = config_for(layers)
            cname = hashlib.sha256(config).hexdigest() + ".json"
            names = []
            for layer in layers:
                lid = hashlib.sha256(layer).hexdigest()
                names.append(lid + "/layer.tar")
                if lid not in seen:
                    seen.add(lid)
                    add_file(out, lid + "/layer.tar", layer)
            if cname not in seen:
                seen.add(cname)
                add_file(out, cname, config)
            manifest.append({"Config": cname, "RepoTags": tags, "Layers": names})
        add_file(out, "manifest.json", json.dumps(manifest).encode())


def compress(layer, how):
    if how == "gzip":
        return gzip.compress(layer, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip"
    if how == "zstd":
        z = subprocess.run(["zstd", "-q", "-c"], input=layer, stdout=subprocess.PIPE, check=True)
        return z.stdout, "application/vnd.oci.image.layer.v1.tar+zstd"
    return layer, "application/vnd.oci.image.layer.v1.tar"


def write_oci_layout(dirpath, ref_name, layers, compressions):
    """An OCI image layout directory with one image; layer i compressed by compressions[i]."""
    if os.path.exists(dirpath):
        shutil.rmtree(dirpath)
    blobs = os.path.join(dirpath, "blobs", "sha256")
    os.makedirs(blobs)

    def put(data):
        d = sha256(data)
        with open(os.path.join(blobs, d.split(":")[1]), "wb") as f:
            f.write(data)
        return d

    config = config_for(layers)
    descs = []
    for layer, how in zip(layers, compressions):
        data, media = compress(layer, how)
        descs.append({"mediaType": media, "digest": put(data), "size": len(data)})
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": put(config), "size": len(config)},
        "layers": descs}).encode()
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": put(manifest),
        "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": ref_name}}]}
    with open(os.path.join(dirpath, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(dirpath, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    return sha256(manifest)


def tar_dir(dirpath, out):
    """An OCI archive: the layout directory's contents at the top of a tar."""
    with tarfile.open(out, "w") as t:
        for name in sorted(os.listdir(dirpath)):
            t.add(os.path.join(dirpath, name), arcname=name)


def tree_listing(top, skip=()):
    """Every path below top with its type, size and mode (for before/after comparisons)."""
    rows = []
    for d, dirs, files in os.walk(top):
        dirs[:] = sorted(x for x in dirs if os.path.join(d, x) not in skip)
        for n in sorted(dirs + files):
            p = os.path.join(d, n)
            if p in skip:
                continue
            st = os.lstat(p)
            rows.append((os.path.relpath(p, top), st.st_mode, st.st_size))
    return rows


failures = []


def check(cond, what):
    """Prints one ok/FAIL line; the failures are counted for finish()."""
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def finish():
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all checks passed")
