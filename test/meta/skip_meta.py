#!/usr/bin/env python3
"""The skip meta-test: a test that prints "skipped: " and then fails must be reported as failed.

Usage: skip_meta.py SOURCE_DIR SKIP_CASES_EXE WORK_DIR SUITE_BUILD_DIR
Configures test/meta/project (tests registered through cmake/PremigrateTests.cmake, as the suite
registers its own) in WORK_DIR, runs it with ctest, and checks each test's reported outcome.
Then checks that no test of the suite in SUITE_BUILD_DIR uses SKIP_REGULAR_EXPRESSION, the
output-matching skip this replaced.
"""
import json
import re
import shutil
import subprocess
import sys

EXPECTED = {
    "script/skipped": "Skipped",
    "script/skip-line-then-failure": "Failed",
    "script/skip-line-then-pass": "Passed",
    "catch/skipped": "Skipped",
    "catch/skipped-then-a-failed-check": "Failed",
    "catch/a-failed-check-then-skipped": "Failed",
    "catch/prints-a-skip-line-then-fails": "Failed",
    "catch/passes": "Passed",
}


def main():
    source, cases, work, suite = sys.argv[1:5]
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["cmake", "-S", source + "/test/meta/project", "-B", work,
                    "-DPREMIGRATE_SOURCE_DIR=" + source, "-DPREMIGRATE_SKIP_CASES=" + cases],
                   check=True, stdout=subprocess.DEVNULL)
    run = subprocess.run(["ctest", "--test-dir", work], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    print(run.stdout)
    seen = {}
    line = re.compile(r"Test\s+#\d+: (\S+) \.*\s*(?:\*\*\*)?(Passed|Failed|Skipped|Not Run)")
    for m in line.finditer(run.stdout):
        seen[m.group(1)] = m.group(2)
    bad = [f"{name}: reported {seen.get(name, 'nothing')}, expected {want}"
           for name, want in EXPECTED.items() if seen.get(name) != want]
    if set(seen) != set(EXPECTED):
        bad.append("tests run: " + ", ".join(sorted(seen)))

    listing = subprocess.run(["ctest", "--test-dir", suite, "--show-only=json-v1"],
                             stdout=subprocess.PIPE, text=True, check=True)
    tests = json.loads(listing.stdout).get("tests", [])
    for t in tests:
        props = {p["name"] for p in t.get("properties", [])}
        if "SKIP_REGULAR_EXPRESSION" in props:
            bad.append(f"suite test {t['name']} uses SKIP_REGULAR_EXPRESSION")
    if not tests:
        bad.append("the suite lists no tests")

    for b in bad:
        print("skip_meta: " + b, file=sys.stderr)
    print(f"skip_meta: {len(EXPECTED)} outcomes checked, {len(tests)} suite tests listed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
