"""Loads every exported TorchScript model under a folder with torch.jit.load and compares its
outputs with the C++ network's (written by torchscript_export_test.cpp): each case folder holds
model.pt, input.f32, and output<k>.f32 with shapes in case.json. Prints one line per case and
"max_abs_diff <value>" last; exits 1 when a case differs by more than the tolerance."""
import json
import pathlib
import sys

import numpy as np
import torch


def main(root: pathlib.Path, tolerance: float) -> int:
    torch.set_num_threads(1)
    worst = 0.0
    failed = False
    for case in sorted(p for p in root.iterdir() if (p / "case.json").exists()):
        meta = json.loads((case / "case.json").read_text())
        model = torch.jit.load(str(case / "model.pt"))
        model.eval()
        x = torch.from_numpy(
            np.fromfile(case / "input.f32", dtype=np.float32).reshape(meta["input_shape"]))
        with torch.no_grad():
            out = model(x)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        if len(outs) != len(meta["output_shapes"]):
            print(f"{case.name}: {len(outs)} outputs, expected {len(meta['output_shapes'])}")
            failed = True
            continue
        diff = 0.0
        for k, (tensor, shape) in enumerate(zip(outs, meta["output_shapes"])):
            expected = np.fromfile(case / f"output{k}.f32", dtype=np.float32).reshape(shape)
            if list(tensor.shape) != list(shape):
                print(f"{case.name}: output {k} shape {list(tensor.shape)}, expected {shape}")
                failed = True
                continue
            diff = max(diff, float(np.abs(tensor.numpy() - expected).max()))
        names = sorted(n for n, _ in model.named_parameters())
        if names != meta["parameter_names"]:
            print(f"{case.name}: parameter names differ from the C++ network's")
            failed = True
        print(f"{case.name}: max_abs_diff {diff:.3g}")
        worst = max(worst, diff)
        failed = failed or diff > tolerance
    print(f"max_abs_diff {worst:.3g}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1]), float(sys.argv[2])))
