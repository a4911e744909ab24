#!/usr/bin/env bash
# examples/ansible run for real: ansible-playbook against two local-connection hosts, each
# scanning a different fixture root with different options through the portable tarball; then
# the reports fetched per host, the temp folders gone, and the fleet report listing every host
# with the verdicts of its own report. Both ask --fail-on blocker; el8-db has a blocker, so it
# fails after its reports are fetched, and the fleet still counts it. (Two scanning hosts, not
# more: Ansible's cost is per task and host, and the suite runs on a shared 2-core machine.)
# The tarball is given as a mapping from architecture to file, as for a mixed fleet; two more
# hosts get a tarball of another architecture (el-arm) and a mapping without theirs (el-none):
# both fail before anything is copied, with the role's message, and the fleet has no entry.
# Usage: ansible_fleet.sh TARBALL PLAYBOOK_DIR SCHEMA VALIDATOR WORK_DIR ROOT_C7 ROOT_C8
set -euo pipefail
tarball=$1 playbooks=$2 schema=$3 validator=$4 work=$5 root_c7=$6 root_c8=$7
export LC_ALL=C.UTF-8  # ansible requires a UTF-8 locale
command -v ansible-playbook >/dev/null || { echo "skipped: ansible-playbook is not installed (ansible-core)"; exit 77; }
[ -f "$tarball" ] || { echo "ansible_fleet: no tarball $tarball" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/remote-tmp" "$work/ansible-tmp" "$work/group_vars" "$work/host_vars" "$work/other"
python=$(command -v python3)
arch=$(uname -m)
case $arch in x86_64) other=aarch64 ;; *) other=x86_64 ;; esac
# Never copied (the hosts that get it fail first); only its name matters.
foreign=$work/other/premigrate-0.1.0-linux-$other.tar.gz
: >"$foreign"
printf 'premigrate_tarball:\n  %s: "%s"\n  %s: "%s"\n' "$arch" "$tarball" "$other" "$foreign" \
  >"$work/group_vars/all.yml"
printf 'premigrate_tarball: "%s"\n' "$foreign" >"$work/host_vars/el-arm.yml"
printf 'premigrate_tarball:\n  %s: "%s"\n' "$other" "$foreign" >"$work/host_vars/el-none.yml"
cat >"$work/inventory.ini" <<EOF
[premigrate_hosts]
el7-app premigrate_root=$root_c7 premigrate_arch=x86_64 premigrate_target=openeuler-22.03 premigrate_extra_args='["--no-files"]' premigrate_allow_incomplete=true
el8-db premigrate_root=$root_c8
el-arm premigrate_root=$root_c7
el-none premigrate_root=$root_c7

[premigrate_hosts:vars]
premigrate_fail_on=blocker

[all:vars]
ansible_connection=local
ansible_python_interpreter=$python
premigrate_remote_tmp=$work/remote-tmp
EOF

# A configuration of the test's own, so no ansible.cfg of the machine or the user applies.
cat >"$work/ansible.cfg" <<EOF
[defaults]
local_tmp = $work/ansible-tmp
remote_tmp = $work/ansible-tmp
nocolor = true
retry_files_enabled = false
# one process per task instead of copying each module to the host first: fewer round trips
pipelining = true
EOF
export ANSIBLE_CONFIG=$work/ansible.cfg
start=$(date +%s)
rc=0
ansible-playbook -i "$work/inventory.ini" "$playbooks/site.yml" -e premigrate_become=false \
  -e "premigrate_reports_dir=$work/reports" -e "premigrate_fleet_dir=$work/fleet" \
  >"$work/playbook.log" 2>&1 || rc=$?
elapsed=$(( $(date +%s) - start ))
echo "ansible-playbook: exit $rc in ${elapsed} s"
# 2: hosts failed (el8-db on its blocker, el-arm and el-none on their tarballs), the playbook
# itself ran to the end.
if [ "$rc" -ne 2 ]; then
  echo "ansible_fleet: ansible-playbook exited $rc, expected 2 (failed hosts)" >&2
  cat "$work/playbook.log" >&2
  exit 1
fi
sed -n '/PLAY RECAP/,$p' "$work/playbook.log"

for host in el7-app el8-db; do
  for f in json html; do
    [ -s "$work/reports/$host/premigrate-report.$f" ] || { echo "ansible_fleet: no $host report .$f" >&2; exit 1; }
  done
  [ ! -e "$work/reports/$host/premigrate-report.txt" ] || { echo "ansible_fleet: text fetched for $host" >&2; exit 1; }
done
vrc=0
python3 "$validator" "$schema" "$work"/reports/*/premigrate-report.json || vrc=$?
[ "$vrc" -eq 3 ] && echo "note: python3-jsonschema missing; the reports were not validated"
[ "$vrc" -eq 0 ] || [ "$vrc" -eq 3 ] || { echo "ansible_fleet: a fetched report is invalid" >&2; exit 1; }
leftover=$(find "$work/remote-tmp" -mindepth 1 -maxdepth 1)
[ -z "$leftover" ] || { echo "ansible_fleet: temp folders left on the hosts: $leftover" >&2; exit 1; }

for host in el-arm el-none; do
  [ ! -e "$work/reports/$host" ] || { echo "ansible_fleet: reports fetched for $host" >&2; exit 1; }
done

python3 - "$work" "$arch" "$other" <<'EOF'
import json, os, re, sys
work, arch, other = sys.argv[1:4]
log = open(f"{work}/playbook.log").read()
problems = []
recap = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=(\d+)", log, re.M)}
if recap != {"el7-app": 0, "el8-db": 1, "el-arm": 1, "el-none": 1, "localhost": 0}:
    problems.append(f"recap failed counts {recap}")
if "findings at or above blocker" not in log:
    problems.append("el8-db did not fail on its blocker with the role's message")
def failure(host):  # the line of the task that failed the host
    m = re.search(r"^fatal: \[" + re.escape(host) + r"\]: FAILED! => (.*)$", log, re.M)
    return m.group(1) if m else ""
if f"premigrate-0.1.0-linux-{other}.tar.gz is not for this host, which is {arch}" not in failure("el-arm"):
    problems.append(f"el-arm did not fail on its {other} tarball: {failure('el-arm')!r}")
if f"premigrate_tarball has no tarball for {arch} (it has {other})" not in failure("el-none"):
    problems.append(f"el-none did not fail on its mapping: {failure('el-none')!r}")

reports = {h: json.load(open(f"{work}/reports/{h}/premigrate-report.json")) for h in ("el7-app", "el8-db")}
def verdicts(doc):
    return sorted((v["arch"], v["verdict"]) for v in doc["verdicts"])
app = reports["el7-app"]
if [a for a, _ in verdicts(app)] != ["x86_64"]:
    problems.append(f"el7-app was not scanned for x86_64 only: {verdicts(app)}")
if not json.dumps(app["target"]).count("openeuler-22.03-lts"):
    problems.append(f"el7-app's target is {app['target']}")
if {c["name"]: c["status"] for c in app["host"]["collectors"]}.get("files") != "skipped":
    problems.append("el7-app's --no-files did not reach the scan")
if not any(v == "blocked" for _, v in verdicts(reports["el8-db"])):
    problems.append(f"el8-db has no blocked architecture: {verdicts(reports['el8-db'])}")

fleet = json.load(open(f"{work}/fleet/premigrate-fleet.json"))
listed = {h["name"]: sorted((v["arch"], v["verdict"]) for v in h["verdicts"])
          for g in fleet["host_groups"] for h in g["hosts"]}
if fleet["hosts"] != 2 or sorted(listed) != sorted(reports):
    problems.append(f"the fleet lists {sorted(listed)} ({fleet['hosts']} hosts)")
for host, doc in reports.items():
    if listed.get(host) != verdicts(doc):
        problems.append(f"{host}: fleet says {listed.get(host)}, its report {verdicts(doc)}")
if not os.path.getsize(f"{work}/fleet/premigrate-fleet.html"):
    problems.append("no fleet HTML")
for p in problems:
    print("ansible_fleet:", p, file=sys.stderr)
if problems:
    sys.exit(1)
print("fleet:", {h: dict(v) for h, v in sorted(listed.items())})
EOF
