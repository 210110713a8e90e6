#!/usr/bin/python3
"""Converts a phantom subject with dcm2niix (a tool nobody here wrote) and checks that every NIfTI
it writes puts each voxel where PlaneLab's geometry (truth.json) says the pixel is, within 1e-3 mm,
and holds that pixel's value (so rows/columns were neither swapped nor flipped).

usage: check_dcm2niix.py SUBJECT_DIR TRUTH_JSON OUT_DIR
"""
import json, os, subprocess, sys
import numpy as np
import nibabel as nib
import pydicom

TOL_MM = 1e-3
subject, truth_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
subprocess.run(["dcm2niix", "-b", "y", "-z", "n", "-f", "%s_%d", "-o", out, subject],
               check=True, stdout=subprocess.DEVNULL)
truth = json.load(open(truth_file))
by_number = {s["series_number"]: s for s in truth["series"]}

def pixel_to_lps(sl, i, j):
    ipp = np.array(sl["image_position_patient"]); iop = np.array(sl["image_orientation_patient"])
    dr, dc = sl["pixel_spacing"]
    return ipp + j * dc * iop[:3] + i * dr * iop[3:]

def lps_to_pixel(sl, x):
    ipp = np.array(sl["image_position_patient"]); iop = np.array(sl["image_orientation_patient"])
    dr, dc = sl["pixel_spacing"]; d = x - ipp
    return d @ iop[3:] / dr, d @ iop[:3] / dc, d @ np.cross(iop[:3], iop[3:])

niftis = sorted(f for f in os.listdir(out) if f.endswith(".nii"))
assert niftis, "dcm2niix wrote no NIfTI"
checked_vox = 0; worst = 0.0
for name in niftis:
    number = int(name.split("_")[0])
    series = by_number[number]
    img = nib.load(os.path.join(out, name))
    data = np.asarray(img.dataobj)
    affine = img.affine  # voxel -> RAS mm
    ras_to_lps = np.diag([-1.0, -1.0, 1.0])
    nx, ny = data.shape[0], data.shape[1]
    nz = data.shape[2] if data.ndim >= 3 else 1
    slices = series["slices"]
    # Every voxel centre of a 5x5 grid per NIfTI slice must coincide with a pixel centre of the
    # matching DICOM slice (same 3-D point, in-plane and through-plane).
    for k in range(nz):
        for a in np.linspace(0, nx - 1, 5).round().astype(int):
            for b in np.linspace(0, ny - 1, 5).round().astype(int):
                lps = ras_to_lps @ (affine @ np.array([a, b, k, 1.0]))[:3]
                best = None
                for sl in slices:
                    i, j, u = lps_to_pixel(sl, lps)
                    err = abs(u) + abs(i - round(i)) * sl["pixel_spacing"][0] + abs(j - round(j)) * sl["pixel_spacing"][1]
                    if best is None or err < best[0]:
                        best = (err, sl, int(round(i)), int(round(j)))
                err, sl, i, j = best
                worst = max(worst, err)
                assert err < TOL_MM, f"{name} voxel ({a},{b},{k}) is {err:.2e} mm off any pixel centre"
                assert 0 <= i < sl["rows"] and 0 <= j < sl["cols"], f"{name} voxel maps outside the image"
                # The value stored there must be the DICOM pixel at that point (first phase).
                dcm = pydicom.dcmread(os.path.join(subject, sl["images"][0]["file"]))
                vol = data if data.ndim == 3 else data[..., 0]
                v_nii = vol[a, b, k] if vol.ndim == 3 else vol[a, b]
                assert float(v_nii) == float(dcm.pixel_array[i, j]), f"{name} ({a},{b},{k}) value differs"
                checked_vox += 1
print(f"dcm2niix: {len(niftis)} NIfTI files, {checked_vox} voxels agree with PlaneLab geometry "
      f"(worst {worst:.1e} mm, tolerance {TOL_MM} mm) and carry the same pixel values")
