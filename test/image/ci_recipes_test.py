"""Runs the scan command of every CI recipe in examples/ci/ (the line that calls scan-image.sh,
taken from the recipe's own text, with the variables the recipe declares) on an image made from
the sample root, then checks that every report file the recipe publishes exists and parses, and
that the gate fails with the documented exit status. The image build steps (docker build/save)
are not run here: there is no container engine on the test machine.
Usage: ci_recipes_test.py PREMIGRATE SAMPLE_ROOT SOURCE_DIR WORK_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_tools as it  # noqa: E402

exe, root, src, work = sys.argv[1:5]
exe = os.path.abspath(exe)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "tmp"))
recipes = ["examples/ci/gitlab-ci.yml", "examples/ci/github/github-actions.yml",
           "examples/ci/Jenkinsfile", "examples/ci/packer-post-processor.pkr.hcl"]
check = it.check


archive = os.path.join(work, "golden-image.tar")
it.write_docker_archive(archive, [(["golden:ci"], [
    it.layer_bytes(lambda t: t.add(root, arcname=".", recursive=True))])])


def scan_command(text):
    """The recipe's line that runs scan-image.sh, unwrapped from YAML / Groovy / HCL quoting."""
    lines = [ln.strip() for ln in text.splitlines()
             if "scan-image.sh" in ln and not ln.strip().startswith(("#", "//"))]
    if len(lines) != 1:
        return None
    cmd = lines[0]
    cmd = re.sub(r"^(- |run: )", "", cmd)
    m = re.fullmatch(r"sh '(.*)'", cmd)
    if m:
        cmd = m.group(1)
    m = re.fullmatch(r'"(.*)",?', cmd)
    if m:
        cmd = m.group(1).replace('\\"', '"')
    return cmd


def declared(text, var):
    m = re.search(var + r"""["']?\s*[:=]\s*["']?([A-Za-z0-9_.-]+)""", text)
    return m.group(1) if m else None


for rel in recipes:
    with open(os.path.join(src, rel)) as f:
        text = f.read()
    name = os.path.basename(rel)
    cmd = scan_command(text)
    check(cmd is not None, f"{name}: one command runs scan-image.sh")
    if cmd is None:
        continue
    report_dir = declared(text, "REPORT_DIR")
    gate = declared(text, "PREMIGRATE_FAIL_ON")
    check(report_dir is not None and gate is not None, f"{name}: declares REPORT_DIR and the gate")
    for fail_on, want in ((gate, None), ("low", 4)):
        job = os.path.join(work, name + "-" + fail_on)
        os.makedirs(job)
        os.symlink(os.path.join(src, "examples"), os.path.join(job, "examples"))
        env = dict(os.environ, IMAGE_ARCHIVE=archive, REPORT_DIR=report_dir or "",
                   PREMIGRATE_FAIL_ON=fail_on, PREMIGRATE=exe,
                   TMPDIR=os.path.join(work, "tmp"), SOURCE_DATE_EPOCH="1700000000")
        p = subprocess.run(["bash", "-c", cmd], cwd=job, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if want is None:
            check(p.returncode in (0, 4, 6), f"{name}: `{cmd}` exits 0, 4 or 6 ({p.returncode})")
        else:
            check(p.returncode == want, f"{name}: with the gate at low the job fails with 4 "
                                        f"({p.returncode})")
        if p.returncode not in (0, 4, 6):
            print(p.stderr)
        published = sorted(set(re.findall(r"[\w.-]+/premigrate-report\.[a-z.]+", text)))
        if name.startswith("packer"):  # no CI server to publish to: the reports stay in REPORT_DIR
            published = [f"{report_dir}/premigrate-report.{x}"
                         for x in ("html", "json", "junit.xml", "sarif")]
        check(len(published) >= 3 and all(any(p.endswith(x) for p in published)
                                           for x in (".junit.xml", ".sarif", ".html")),
              f"{name}: publishes JUnit, SARIF and HTML ({published})")
        for path in published:
            full = os.path.join(job, path)
            ok = os.path.isfile(full)
            if ok and path.endswith(".xml"):
                ok = ET.parse(full).getroot().tag in ("testsuites", "testsuite")
            elif ok and path.endswith((".sarif", ".json")):
                with open(full) as j:
                    doc = json.load(j)
                ok = "runs" in doc if path.endswith(".sarif") else "findings" in doc
            check(ok, f"{name}: {path} is written and parses")

it.finish()
