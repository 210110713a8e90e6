#!/usr/bin/env bash
# Results and datasets in other tools' formats, as a user makes them, checked by tools nobody here
# wrote: predict's DICOM SEG (dciodvfy; pydicom reads its frames and references) and NIfTI
# (nibabel against the DICOM headers, and against dcm2niix's conversion of the same series); an
# nnU-Net v2 raw dataset (structure, image/label pairs on one grid, slices on their DICOM planes);
# an ACDC-style label volume (transposed, flipped, int16) imported into a catalog of the images
# alone: matched by geometry, stored as SEG with the ground truth's masks, and exported again to
# nnU-Net with the same labels; refusals (shifted volume, cine without --phase) change nothing.
#   interop_test.sh CLI WORK PYTHON TOOLS_DIR
set -euo pipefail
cli=$1 work=$2 py=$3 tools=$4
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"
check() { "$py" "$tools/check_interop.py" "$@"; }
dciodvfy_clean() {
  dciodvfy "$1" > "$work/dciodvfy.txt" 2>&1 || true
  if grep -q "Error" "$work/dciodvfy.txt"; then fail "dciodvfy errors in $1: $(grep Error "$work/dciodvfy.txt" | head -5)"; fi
}

"$cli" phantom --organ heart --subjects 4 --seed 43 --phases 2 --labels ed-es --quality fast \
  --threads 2 --out "$work/cohort" > /dev/null || fail "phantom"
cat=$work/c.planelab
"$cli" import "$cat" "$work/cohort/dicom" --jobs 2 > /dev/null || fail "import"

# 1. predict: SEG + NIfTI next to the raw labels.
expect 0 "" "$cli" prepare "$cat" --out "$work/ds" --size 32 --spacing 5 --phases all --jobs 2
expect 0 "" "$cli" finetune --task segmentation --dataset "$work/ds" --base-width 4 --depth 3 \
  --threads 2 --workers 1 --batch 8 --sampling all --out "$work/ft" --epochs 1
# The short-axis stack of the first subject: one series per slice (DSB layout), predicted as one.
mapfile -t sax < <(sqlite3 "$cat" "SELECT se.series_instance_uid FROM series se JOIN studies st ON
  se.study = st.id JOIN patients p ON st.patient = p.id WHERE se.modality = 'MR' AND se.description LIKE '%sax%'
  AND p.patient_id = 'PL-HEART-0000' ORDER BY se.series_number")
[ "${#sax[@]}" -ge 5 ] || fail "no short-axis stack found (${#sax[@]} series)"
expect 0 "" "$cli" predict "$work/ft" --catalog "$cat" --series "${sax[@]}" --out "$work/pred"
for f in segmentation.dcm image.nii.gz labels.nii.gz; do [ -f "$work/pred/$f" ] || fail "predict wrote no $f"; done
dciodvfy_clean "$work/pred/segmentation.dcm"
# The same from a config file, the series as a JSON list.
"$py" -c 'import json,sys; json.dump({"run": sys.argv[1], "catalog": sys.argv[2], "out": sys.argv[3],
  "series": sys.argv[4:]}, open(sys.argv[3] + ".json", "w"))' "$work/ft" "$cat" "$work/pred-config" "${sax[@]}"
expect 0 "" "$cli" predict --config "$work/pred-config.json"
cmp "$work/pred/labels.u8" "$work/pred-config/labels.u8" || fail "predict --config with a series list differs"
check predict "$work/pred" "$work/cohort/dicom/PL-HEART-0000"

# 2. nnU-Net v2 dataset from the catalog's labelled stacks.
expect 0 "" "$cli" nnunet "$cat" --out "$work/raw" --dataset-id 501 --name PlaneLabHeart --json
dataset=$work/raw/Dataset501_PlaneLabHeart
check nnunet "$dataset" "$work/cohort/dicom"
expect 2 output_exists "$cli" nnunet "$cat" --out "$work/raw" --dataset-id 501 --name PlaneLabHeart
expect 1 invalid_argument "$cli" nnunet "$cat" --out "$work/raw" --dataset-id 1000
expect 1 no_labels "$cli" nnunet "$cat" --out "$work/raw" --dataset-id 503 --view sag
[ ! -e "$dataset.partial" ] || fail "a partial dataset was left behind"

# 3. NIfTI label import into a catalog of the images alone (no SEG).
cp -r "$work/cohort/dicom" "$work/images"
find "$work/images" -type d -name labels -prune -exec rm -rf {} +
img=$work/images.planelab
"$cli" import "$img" "$work/images" --jobs 2 > /dev/null || fail "import images"
case_name=$(basename "$(ls "$dataset"/labelsTr/*.nii.gz | head -1)" .nii.gz)
read -r study phase < <("$py" -c 'import json,sys
c = {x["case"]: x for x in json.load(open(sys.argv[1]))["cases"]}[sys.argv[2]]
print(c["study_instance_uid"], c["phase"])' "$dataset/planelab_cases.json" "$case_name")
names=$("$py" -c 'import json,sys
labels = json.load(open(sys.argv[1]))["labels"]
print(",".join(sorted(labels, key=labels.get)))' "$dataset/dataset.json")
check acdc "$dataset/labelsTr/$case_name.nii.gz" "$work/acdc_gt.nii.gz"
check shift "$work/acdc_gt.nii.gz" "$work/shifted.nii.gz" 3.0
"$py" "$tools/catalog_dump.py" "$img" > "$work/before.txt"
expect 1 label_geometry_mismatch "$cli" import-labels "$img" "$work/shifted.nii.gz" --study "$study" --phase "$phase"
expect 1 phase_required "$cli" import-labels "$img" "$work/acdc_gt.nii.gz" --study "$study"
expect 1 unknown_study "$cli" import-labels "$img" "$work/acdc_gt.nii.gz" --study 1.2.3 --phase 1
expect 1 invalid_label_names "$cli" import-labels "$img" "$work/acdc_gt.nii.gz" --study "$study" --phase "$phase" --names background
"$py" "$tools/catalog_dump.py" "$img" > "$work/after.txt"
diff -q "$work/before.txt" "$work/after.txt" > /dev/null || fail "a refused label import changed the catalog"
expect 0 "" "$cli" import-labels "$img" "$work/acdc_gt.nii.gz" --study "$study" --phase "$phase" \
  --names "$names" --json
seg=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["segmentation"])' "$work/out.txt")
dciodvfy_clean "$seg"
truth=$(ls "$work"/cohort/dicom/*/labels/*/seg.dcm)
check seg-subset "$seg" $truth
# Round trip: the imported labels come out of the nnU-Net export as they went in.
expect 0 "" "$cli" nnunet "$img" --out "$work/raw2" --dataset-id 502 --test-fraction 0
"$py" - "$dataset/labelsTr/$case_name.nii.gz" "$work/raw2/Dataset502_PlaneLab/labelsTr/$case_name.nii.gz" <<'PY'
import sys
import nibabel as nib
import numpy as np
a, b = nib.load(sys.argv[1]), nib.load(sys.argv[2])
assert np.allclose(a.affine, b.affine, atol=1e-5), "affine changed in the round trip"
assert np.array_equal(np.asarray(a.dataobj), np.asarray(b.dataobj)), "labels changed in the round trip"
PY
echo "interop: SEG and NIfTI results, nnU-Net export and NIfTI label import round trips pass"
