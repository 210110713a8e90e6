#!/usr/bin/env bash
# planelab-cli export as a user meets it: a small phantom heart cohort imported, prepared, a tiny
# pretraining and fine-tuning; the fine-tuned run exported as TorchScript with its model card,
# the pretrained encoder exported alone; refusals (existing output, not a run, a model without
# its card); Python (torch.jit.load, Debian's python3-torch) runs both files with the shapes the
# card states; predict --model gives the same labels as predict from the run folder; the ONNX
# export passes onnx.checker and ONNX Runtime (npm) gives the TorchScript export's outputs.
#   export_test.sh CLI WORK PYTHON NODE_MODULES EXPORT_TESTS_DIR
set -euo pipefail
cli=$1 work=$2 py=$3 node_modules=$4 export_tests=$5
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"

"$cli" phantom --organ heart --subjects 4 --seed 41 --phases 2 --labels ed-es --quality fast \
  --threads 2 --out "$work/cohort" > /dev/null || fail "phantom"
cat=$work/c.planelab
"$cli" import "$cat" "$work/cohort/dicom" --jobs 2 > /dev/null || fail "import"
expect 0 "" "$cli" prepare "$cat" --out "$work/ds" --size 32 --spacing 5 --phases all --jobs 2
tiny=(--dataset "$work/ds" --base-width 4 --depth 3 --threads 2 --workers 1 --batch 8 --sampling all)
expect 0 "" "$cli" pretrain "${tiny[@]}" --out "$work/pre" --epochs 1
expect 0 "" "$cli" finetune --task segmentation "${tiny[@]}" --out "$work/ft" --epochs 2 \
  --init "$work/pre"

expect 0 "" "$cli" export "$work/ft" --out "$work/models/seg.pt" --json
cp "$work/out.txt" "$work/export.json"
[ -f "$work/models/seg.pt" ] && [ -f "$work/models/seg.pt.card.json" ] || fail "no model or card"
expect 2 output_exists "$cli" export "$work/ft" --out "$work/models/seg.pt"
expect 0 "" "$cli" export "$work/ft" --out "$work/models/seg.pt" --overwrite --checkpoint last
expect 0 "" "$cli" export "$work/ft" --out "$work/models/seg.pt" --overwrite
expect 0 "" "$cli" export "$work/pre" --out "$work/models/encoder.pt" --encoder
expect 0 "" "$cli" export "$work/ft" --out "$work/models/seg.onnx" --format onnx
expect 1 not_a_run "$cli" export "$work/ds" --out "$work/models/none.pt"
[ ! -e "$work/models/none.pt" ] || fail "a refused export left a file"

# predict from the exported file equals predict from the run: same network, same preprocessing.
sop=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['samples'][0]['sop_instance_uid'])" \
  "$work/ds/dataset.json")
series=$(sqlite3 "$cat" "SELECT s.series_instance_uid FROM instances i JOIN series s ON i.series = s.id WHERE i.sop_instance_uid = '$sop' LIMIT 1")
[ -n "$series" ] || fail "no short-axis series found"
expect 0 "" "$cli" predict "$work/ft" --catalog "$cat" --series "$series" --out "$work/pred-run"
expect 0 "" "$cli" predict --model "$work/models/seg.pt" --catalog "$cat" --series "$series" \
  --out "$work/pred-model" --json
cmp "$work/pred-run/labels.u8" "$work/pred-model/labels.u8" || fail "predict --model differs from predict RUN"
expect 1 invalid_argument "$cli" predict "$work/ft" --model "$work/models/seg.pt" --catalog "$cat" \
  --series "$series" --out "$work/pred-both"
cp "$work/models/seg.pt" "$work/models/orphan.pt"
expect 1 no_model_card "$cli" predict --model "$work/models/orphan.pt" --catalog "$cat" \
  --series "$series" --out "$work/pred-orphan"
expect 1 not_a_segmentation_model "$cli" predict --model "$work/models/encoder.pt" --catalog "$cat" \
  --series "$series" --out "$work/pred-encoder"
expect 1 unsupported_format "$cli" predict --model "$work/models/seg.onnx" --catalog "$cat" \
  --series "$series" --out "$work/pred-onnx"

"$py" - "$work" <<'PY'
import json, pathlib, sys
import numpy as np
import torch

work = pathlib.Path(sys.argv[1])
torch.set_num_threads(1)
card = json.loads((work / "models/seg.pt.card.json").read_text())
summary = json.loads((work / "export.json").read_text())
assert summary["max_abs_diff"] <= 1e-5, summary["max_abs_diff"]
plan = json.loads((work / "ds/dataset.json").read_text())["plan"]
assert card["preprocessing"]["plan"] == plan, "the card's plan is not the dataset's"
assert card["task"] == "segmentation" and card["model"]["format"] == "torchscript"
assert [l["name"] for l in card["labels"]] == json.loads((work / "ft/run.json").read_text())["label_names"]
assert card["pretraining"]["pretext"]["variant"] == "multitask", card["pretraining"]
assert "mean_dice_3d" in card["metrics"], card["metrics"].keys()
# No folder of this machine (and so no catalog path or patient folder) in the card.
assert str(work) not in json.dumps(card), "the card holds a path"
# evaluation.json lists test stacks by patient; the card does not.
evaluation = json.loads((work / "ft/evaluation.json").read_text())
assert evaluation["test"]["per_stack"], "evaluation.json has no per-stack records"
assert "per_stack" not in card["metrics"] and "PL-HEART" not in json.dumps(card), "the card names patients"

size = plan["grid"]["size"]
assert card["input"]["shape"] == [-1, 1, size, size], card["input"]
model = torch.jit.load(str(work / "models/seg.pt")).eval()
images = np.fromfile(work / "ds/images.f32", dtype=np.float32).reshape(-1, 1, size, size)
with torch.no_grad():
    logits = model(torch.from_numpy(images[:3].copy()))
assert list(logits.shape) == [3] + card["outputs"][0]["shape"][1:], (logits.shape, card["outputs"])
assert torch.isfinite(logits).all()

enc_card = json.loads((work / "models/encoder.pt.card.json").read_text())
encoder = torch.jit.load(str(work / "models/encoder.pt")).eval()
with torch.no_grad():
    features = encoder(torch.from_numpy(images[:2].copy()))
assert len(features) == len(enc_card["outputs"]) == 3, len(features)
for f, spec in zip(features, enc_card["outputs"]):
    assert list(f.shape) == [2] + spec["shape"][1:], (f.shape, spec)
# The ONNX graph: onnx.checker, and a case folder for ONNX Runtime with the TorchScript outputs.
import onnx
onnx_card = json.loads((work / "models/seg.onnx.card.json").read_text())
assert onnx_card["model"]["format"] == "onnx" and onnx_card["model"]["load"]["opset"] == 17
assert onnx_card["preprocessing"] == card["preprocessing"]
onnx_model = onnx.load(str(work / "models/seg.onnx"))
onnx.checker.check_model(onnx_model, full_check=True)
case = work / "onnx-case" / "seg"
case.mkdir(parents=True)
(case / "model.onnx").write_bytes((work / "models/seg.onnx").read_bytes())
x = images[:3].copy()
x.tofile(case / "input.f32")
logits.numpy().astype(np.float32).tofile(case / "output0.f32")
(case / "case.json").write_text(json.dumps({"input_shape": list(x.shape),
                                            "output_shapes": [list(logits.shape)]}))
print("ok")
PY
NODE_PATH=$node_modules node "$export_tests/run_onnx.js" "$work/onnx-case" 1e-4 \
  || fail "ONNX Runtime differs from the TorchScript export"
echo "export e2e: ok"
