#!/usr/bin/env bash
# Writes a small phantom cohort with planelab-cli, then checks it with a tool nobody here wrote.
#   external_tools_test.sh dcm2niix|pydicom CLI WORK PYTHON TOOLS_DIR
set -euo pipefail
check=$1 cli=$2 work=$3 py=$4 tools=$5
rm -rf "$work" && mkdir -p "$work"
case "$check" in
  dcm2niix)
    command -v dcm2niix > /dev/null || { echo "dcm2niix missing: run scripts/install-deps.sh" >&2; exit 1; }
    "$cli" phantom --organ heart --subjects 1 --seed 3 --level L2 --layout ukb --phases 2 --labels none \
      --quality fast --out "$work/dicom" > /dev/null
    "$cli" phantom --organ knee --subjects 1 --seed 3 --level L2 --labels none --quality fast \
      --out "$work/knee" > /dev/null
    "$py" "$tools/check_dcm2niix.py" "$work/dicom/dicom/PL-HEART-0000" "$work/dicom/truth/PL-HEART-0000.json" "$work/nifti_heart"
    "$py" "$tools/check_dcm2niix.py" "$work/knee/dicom/PL-KNEE-0000" "$work/knee/truth/PL-KNEE-0000.json" "$work/nifti_knee"
    ;;
  pydicom)
    "$cli" phantom --organ heart --subjects 1 --seed 5 --level L0 --layout ukb --phases 2 --labels none \
      --markers --no-breath-hold --quality fast --out "$work/markers" > /dev/null
    "$cli" phantom --organ heart --subjects 1 --seed 5 --level L2 --layout quirks --phases 3 --labels none \
      --quality fast --out "$work/quirks" > /dev/null
    "$py" "$tools/check_pydicom.py" "$work/markers/dicom/PL-HEART-0000" "$work/markers/truth/PL-HEART-0000.json"
    "$py" "$tools/check_pydicom.py" "$work/quirks/dicom/PL-HEART-0000" "$work/quirks/truth/PL-HEART-0000.json"
    ;;
  *) echo "unknown check $check" >&2; exit 2 ;;
esac
