"""onnx.checker (Debian's python3-onnx) on every exported model.onnx under a folder, with full
shape inference; prints the opset and IR version per case. Exits 1 when a model fails."""
import pathlib
import sys

import onnx


def main(root: pathlib.Path) -> int:
    failed = False
    for model_file in sorted(root.glob("*/model.onnx")):
        model = onnx.load(str(model_file))
        try:
            onnx.checker.check_model(model, full_check=True)
        except Exception as error:  # the checker's own exception types vary by version
            print(f"{model_file.parent.name}: {error}")
            failed = True
            continue
        opset = {o.domain or "ai.onnx": o.version for o in model.opset_import}
        print(f"{model_file.parent.name}: ok (ir {model.ir_version}, opset {opset})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
