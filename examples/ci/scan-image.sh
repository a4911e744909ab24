#!/usr/bin/env bash
# The one command every CI recipe here runs: scan a container image saved earlier in the
# pipeline (docker save / podman save / skopeo copy ... oci-archive:) and leave the reports
# (JSON, HTML, text, JUnit, SARIF) in REPORT_DIR for the CI system to publish.
# Usage: scan-image.sh IMAGE_ARCHIVE [REPORT_DIR]
# Environment: PREMIGRATE (the binary; default: premigrate on PATH), PREMIGRATE_TARGET (target
# release id; default: the knowledge base's newest LTS), PREMIGRATE_FAIL_ON (gate severity;
# default: high).
# Exit status is premigrate's (README, "Exit status"): 0 gate passed, 4 a finding at or above the
# gate, 6 a verdict incomplete (a check could not run), 1 tool error, 2 usage error.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: scan-image.sh IMAGE_ARCHIVE [REPORT_DIR]" >&2
  exit 2
fi
image=$1
out=${2:-premigrate-report}
args=(scan --image "$image" --output "$out" --format json,html,text,junit,sarif
  --fail-on "${PREMIGRATE_FAIL_ON:-high}")
if [ -n "${PREMIGRATE_TARGET:-}" ]; then args+=(--target "$PREMIGRATE_TARGET"); fi
exec "${PREMIGRATE:-premigrate}" "${args[@]}"
