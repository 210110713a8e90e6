#!/usr/bin/python3
"""Checks PlaneLab's DICOM SEG, NIfTI and nnU-Net outputs with tools nobody here wrote: pydicom
reads the SEG frames and the source headers, nibabel the NIfTI files, dcm2niix converts the same
series independently.

usage:
  check_interop.py predict OUT_DIR SERIES_DIR        predict's segmentation.dcm, image/labels.nii.gz
  check_interop.py nnunet DATASET_DIR DICOM_ROOT     an nnU-Net v2 raw dataset
  check_interop.py acdc LABELS_NII OUT_NII           re-save labels transposed, flipped, int16
  check_interop.py shift NII OUT_NII MM              the same volume moved MM along its slice axis
  check_interop.py seg-subset SEG_A SEG_B...         every image of A is in a B, same masks by name
"""
import glob, json, os, subprocess, sys
import numpy as np
import nibabel as nib
import pydicom

LPS_RAS = np.diag([-1.0, -1.0, 1.0])


def headers(folder):
    """SOP Instance UID -> dataset of every DICOM image below `folder`."""
    out = {}
    for f in glob.glob(os.path.join(folder, "**", "*.dcm"), recursive=True):
        ds = pydicom.dcmread(f)
        if ds.Modality != "SEG":
            out[ds.SOPInstanceUID] = ds
    return out


def pixel_ras(ds, row, col):
    ipp = np.array(ds.ImagePositionPatient, float)
    iop = np.array(ds.ImageOrientationPatient, float)
    dr, dc = (float(v) for v in ds.PixelSpacing)
    return LPS_RAS @ (ipp + col * dc * iop[:3] + row * dr * iop[3:])


def seg_maps(path):
    """(source SOP UID, frame) -> label map from a binary SEG (segment number = label value)."""
    seg = pydicom.dcmread(path)
    assert seg.SegmentationType == "BINARY", seg.SegmentationType
    frames = seg.pixel_array
    if frames.ndim == 2:
        frames = frames[None]
    maps = {}
    for f, item in enumerate(seg.PerFrameFunctionalGroupsSequence):
        source = item.DerivationImageSequence[0].SourceImageSequence[0]
        key = (source.ReferencedSOPInstanceUID, int(getattr(source, "ReferencedFrameNumber", 0) or 0))
        label = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        m = maps.setdefault(key, np.zeros(frames.shape[1:], np.uint8))
        m[frames[f] > 0] = label
    return seg, maps


def voxel_of(affine, ras):
    return np.linalg.solve(affine[:3, :3], ras - affine[:3, 3])


def check_on_grid(img, ds, k_expected=None):
    """The NIfTI voxel grid puts slice k's pixels exactly where the DICOM header says."""
    affine = img.affine
    rows, cols = int(ds.Rows), int(ds.Columns)
    ks = set()
    for r, c in [(0, 0), (0, cols - 1), (rows - 1, 0), (rows - 1, cols - 1), (rows // 2, cols // 3)]:
        v = voxel_of(affine, pixel_ras(ds, r, c))
        assert np.allclose(v[:2], [c, r], atol=1e-3), f"pixel ({r},{c}) -> voxel {v}"
        assert abs(v[2] - round(v[2])) < 1e-3, f"pixel ({r},{c}) between slices: {v}"
        ks.add(int(round(v[2])))
    assert len(ks) == 1
    return ks.pop()


def check_predict(out, series_dir):
    manifest = json.load(open(os.path.join(out, "predictions.json")))
    raw = np.fromfile(os.path.join(out, "labels.u8"), np.uint8)
    sources = headers(series_dir)
    expected = {}
    for image in manifest["images"]:
        n = image["rows"] * image["cols"]
        expected[image["sop_instance_uid"]] = raw[image["offset"]:image["offset"] + n].reshape(image["rows"], image["cols"])
    # SEG: every predicted image has its frames, masks equal the raw labels, references resolve.
    seg, maps = seg_maps(os.path.join(out, manifest["segmentation"]["files"][0]))
    first = sources[next(iter(expected))]
    assert seg.StudyInstanceUID == first.StudyInstanceUID
    assert seg.FrameOfReferenceUID == first.FrameOfReferenceUID
    assert seg.PatientID == first.PatientID
    referenced = set()
    for series in seg.ReferencedSeriesSequence:
        for item in series.ReferencedInstanceSequence:
            assert sources[item.ReferencedSOPInstanceUID].SeriesInstanceUID == series.SeriesInstanceUID
            referenced.add(item.ReferencedSOPInstanceUID)
    assert referenced == set(expected), "SEG references differ from the predicted images"
    assert len(seg.SegmentSequence) == len(manifest["label_names"]) - 1
    for uid, labels in expected.items():
        assert np.array_equal(maps[(uid, 0)], labels), f"SEG frame of {uid} differs from labels.u8"
    # NIfTI: geometry against the DICOM headers, voxels against the raw labels and pixels.
    image = nib.load(os.path.join(out, "image.nii.gz"))
    labels = nib.load(os.path.join(out, "labels.nii.gz"))
    assert np.allclose(image.affine, labels.affine) and image.shape == labels.shape
    lab = np.asarray(labels.dataobj)
    img = image.get_fdata()
    if lab.ndim == 3:
        lab, img = lab[..., None], img[..., None]
    # Phase t at a position = t-th image by trigger time.
    by_position = {}
    for uid in expected:
        ds = sources[uid]
        by_position.setdefault(tuple(np.round(np.array(ds.ImagePositionPatient, float), 2)), []).append(ds)
    for group in by_position.values():
        group.sort(key=lambda d: (float(getattr(d, "TriggerTime", 0) or 0), int(d.InstanceNumber)))
        for t, ds in enumerate(group):
            k = check_on_grid(labels, ds)
            assert np.array_equal(lab[:, :, k, t].T, expected[ds.SOPInstanceUID]), "NIfTI labels differ"
            pixels = ds.pixel_array * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0))
            assert np.allclose(img[:, :, k, t].T, pixels), "NIfTI image differs from the DICOM pixels"
    # dcm2niix's conversion of the same series: same points carry the same values.
    conv = os.path.join(out, "dcm2niix")
    os.makedirs(conv, exist_ok=True)
    subprocess.run(["dcm2niix", "-z", "n", "-f", "%s", "-o", conv, series_dir], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    numbers = {int(sources[uid].SeriesNumber) for uid in expected}
    checked = files = 0
    for name in sorted(glob.glob(os.path.join(conv, "*.nii"))):
        if int(os.path.basename(name).split(".")[0].split("_")[0]) not in numbers:
            continue
        theirs = nib.load(name)
        tdata = theirs.get_fdata()
        tdata = tdata if tdata.ndim == 4 else tdata[..., None]
        files += 1
        for a in np.linspace(0, tdata.shape[0] - 1, 6).round().astype(int):
            for b in np.linspace(0, tdata.shape[1] - 1, 6).round().astype(int):
                for k in range(tdata.shape[2]):
                    v = voxel_of(image.affine, (theirs.affine @ [a, b, k, 1.0])[:3])
                    assert np.allclose(v, np.round(v), atol=1e-3), f"{name} voxel {a},{b},{k} not on our grid: {v}"
                    i, j, kk = (int(x) for x in np.round(v))
                    for t in range(tdata.shape[3]):
                        assert np.isclose(tdata[a, b, k, t], img[i, j, kk, t]), f"{name}: dcm2niix value differs"
                    checked += 1
    assert files == len(numbers), f"dcm2niix converted {files} of {len(numbers)} series"
    print(f"predict: SEG {len(maps)} images x {len(seg.SegmentSequence)} segments equal labels.u8; "
          f"NIfTI {labels.shape} on the DICOM grid (pydicom) and on dcm2niix's ({files} files, {checked} points)")


def check_nnunet(folder, dicom_root):
    ds_json = json.load(open(os.path.join(folder, "dataset.json")))
    for key in ("channel_names", "labels", "numTraining", "file_ending"):
        assert key in ds_json, key
    assert ds_json["file_ending"] == ".nii.gz" and ds_json["labels"]["background"] == 0
    assert sorted(ds_json["labels"].values()) == list(range(len(ds_json["labels"])))
    images = sorted(os.listdir(os.path.join(folder, "imagesTr")))
    labels = sorted(os.listdir(os.path.join(folder, "labelsTr")))
    assert len(labels) == ds_json["numTraining"] > 0
    assert images == [l.replace(".nii.gz", "_0000.nii.gz") for l in labels], "imagesTr/labelsTr pairs"
    tests = sorted(os.listdir(os.path.join(folder, "imagesTs")))
    assert tests, "no test cases"
    cases = {c["case"]: c for c in json.load(open(os.path.join(folder, "planelab_cases.json")))["cases"]}
    sources = headers(dicom_root)
    max_label = max(ds_json["labels"].values())
    pairs = [("imagesTr", "labelsTr", l) for l in labels] + [("imagesTs", "labelsTs", t.replace("_0000", "")) for t in tests]
    for image_dir, label_dir, label in pairs:
        img = nib.load(os.path.join(folder, image_dir, label.replace(".nii.gz", "_0000.nii.gz")))
        lab = nib.load(os.path.join(folder, label_dir, label))
        assert img.shape == lab.shape and len(img.shape) == 3, (img.shape, lab.shape)
        assert np.allclose(img.affine, lab.affine, atol=1e-5), "image and label geometry differ"
        assert np.allclose(img.header.get_zooms(), lab.header.get_zooms())
        assert np.allclose(img.get_qform(), img.get_sform(), atol=1e-4), "qform and sform disagree"
        data = np.asarray(lab.dataobj)
        assert data.dtype == np.uint8 and data.max() <= max_label and data.max() > 0
        case = cases[label.replace(".nii.gz", "")]
        assert (case["part"] == "test") == (image_dir == "imagesTs")
        pixels = img.get_fdata()
        for k, uid in enumerate(case["sop_instance_uids"]):
            ds = sources[uid]
            assert check_on_grid(img, ds) == k
            assert np.allclose(pixels[:, :, k].T, ds.pixel_array * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0)))
    train_patients = {c["patient_id"] for c in cases.values() if c["part"] == "train"}
    test_patients = {c["patient_id"] for c in cases.values() if c["part"] == "test"}
    assert not train_patients & test_patients, "a subject is in both imagesTr and imagesTs"
    print(f"nnunet: {len(labels)} training and {len(tests)} test cases; every pair on one grid; "
          f"every slice on its DICOM plane; subjects disjoint")


def make_acdc(src, dst):
    """ACDC-style label file as another tool writes it: int16, x/y transposed, slices reversed."""
    img = nib.load(src)
    data = np.asarray(img.dataobj)
    nz = data.shape[2]
    flipped = np.ascontiguousarray(data.transpose(1, 0, 2)[:, :, ::-1]).astype(np.int16)
    a = img.affine
    new = a.copy()
    new[:, 0], new[:, 1] = a[:, 1], a[:, 0]
    new[:, 2] = -a[:, 2]
    new[:3, 3] = a[:3, 3] + a[:3, 2] * (nz - 1)
    out = nib.Nifti1Image(flipped, new)
    out.set_qform(new, code=1)
    nib.save(out, dst)


def shift(src, dst, mm):
    img = nib.load(src)
    a = img.affine.copy()
    a[:3, 3] += a[:3, 2] / np.linalg.norm(a[:3, 2]) * float(mm)
    nib.save(nib.Nifti1Image(np.asarray(img.dataobj), a), dst)


def named_masks(path):
    """(source SOP UID, frame) -> {segment label: mask} of a SEG."""
    seg, maps = seg_maps(path)
    names = {int(s.SegmentNumber): s.SegmentLabel for s in seg.SegmentSequence}
    return {key: {names[v]: m == v for v in names} for key, m in maps.items()}


def seg_subset(a, *bs):
    ma = named_masks(a)
    mb = {}
    for b in bs:
        mb.update(named_masks(b))
    for key, masks in ma.items():
        assert key in mb, f"{key} is not in the reference SEGs"
        for name, mask in masks.items():
            assert name in mb[key], f"segment {name} missing in the reference"
            assert np.array_equal(mask, mb[key][name]), f"{name} mask of {key} differs"
    print(f"seg-subset: {len(ma)} images, every segment's mask identical to the reference")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"predict": check_predict, "nnunet": check_nnunet, "acdc": make_acdc, "shift": shift,
     "seg-subset": seg_subset}[cmd](*args)
