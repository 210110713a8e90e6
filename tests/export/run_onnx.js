// ONNX Runtime (npm onnxruntime-node) on every exported model.onnx under a folder: runs the
// case's input and compares each output with the C++ network's (output<k>.f32, shapes in
// case.json). Prints one line per case and "max_abs_diff <value>" last; exits 1 when a case
// differs by more than the tolerance.
//   node run_onnx.js FOLDER TOLERANCE
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function floats(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

(async () => {
  const root = process.argv[2];
  const tolerance = Number(process.argv[3]);
  let worst = 0;
  let failed = false;
  const cases = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'model.onnx')));
  cases.sort();
  for (const name of cases) {
    const dir = path.join(root, name);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'case.json')));
    const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'),
                                                      {intraOpNumThreads: 1});
    const input = new ort.Tensor('float32', floats(path.join(dir, 'input.f32')), meta.input_shape);
    const results = await session.run({image: input});
    let diff = 0;
    session.outputNames.forEach((output, k) => {
      const got = results[output];
      const want = floats(path.join(dir, `output${k}.f32`));
      if (JSON.stringify(got.dims) !== JSON.stringify(meta.output_shapes[k])) {
        console.log(`${name}: ${output} dims ${got.dims}, expected ${meta.output_shapes[k]}`);
        failed = true;
        return;
      }
      for (let i = 0; i < want.length; ++i) diff = Math.max(diff, Math.abs(got.data[i] - want[i]));
    });
    if (session.outputNames.length !== meta.output_shapes.length) {
      console.log(`${name}: ${session.outputNames.length} outputs, expected ${meta.output_shapes.length}`);
      failed = true;
    }
    console.log(`${name}: max_abs_diff ${diff.toPrecision(3)}`);
    worst = Math.max(worst, diff);
    if (!(diff <= tolerance)) failed = true;
  }
  if (cases.length === 0) {
    console.log('no model.onnx found');
    failed = true;
  }
  console.log(`max_abs_diff ${worst.toPrecision(3)}`);
  process.exit(failed ? 1 : 0);
})().catch((error) => {
  console.log(String(error));
  process.exit(1);
});
