#!/usr/bin/python3
"""Peer for the import benchmark: a pydicom indexer doing what `planelab-cli import` does for
plain MR files — dcmread(stop_before_pixels=True), the same geometry/acquisition fields, sqlite3
executemany in batches of 500. Prints files/s.
usage: pydicom_index.py CORPUS_DIR DB_FILE"""
import os, sqlite3, sys, time
import pydicom

corpus, db = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("""CREATE TABLE IF NOT EXISTS instances (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,
  patient_id TEXT, study_uid TEXT, series_uid TEXT, sop_uid TEXT, sop_class TEXT, instance_number INTEGER,
  rows INTEGER, cols INTEGER, ipp TEXT, iop TEXT, spacing TEXT, thickness REAL, spacing_between REAL,
  slice_location REAL, frame_of_reference TEXT, trigger_time REAL, cardiac_images INTEGER,
  nominal_interval REAL, acquisition_time TEXT, series_description TEXT, protocol TEXT, sequence TEXT,
  body_part TEXT, laterality TEXT, position TEXT, modality TEXT, manufacturer TEXT, field REAL,
  transfer_syntax TEXT)""")

def num(v):
    return None if v is None or v == "" else float(v)

batch, count = [], 0
for p in paths:
    st = os.stat(p)
    try:
        ds = pydicom.dcmread(p, stop_before_pixels=True)
    except Exception:
        continue
    g = ds.get
    batch.append((p, st.st_size, st.st_mtime_ns, g("PatientID"), g("StudyInstanceUID"), g("SeriesInstanceUID"),
                  g("SOPInstanceUID"), g("SOPClassUID"), g("InstanceNumber"), g("Rows"), g("Columns"),
                  str(g("ImagePositionPatient")), str(g("ImageOrientationPatient")), str(g("PixelSpacing")),
                  num(g("SliceThickness")), num(g("SpacingBetweenSlices")), num(g("SliceLocation")),
                  g("FrameOfReferenceUID"), num(g("TriggerTime")), g("CardiacNumberOfImages"),
                  num(g("NominalInterval")), g("AcquisitionTime"), g("SeriesDescription"), g("ProtocolName"),
                  g("SequenceName"), g("BodyPartExamined"), g("Laterality"), g("PatientPosition"),
                  g("Modality"), g("Manufacturer"), num(g("MagneticFieldStrength")),
                  str(ds.file_meta.get("TransferSyntaxUID"))))
    count += 1
    if len(batch) >= 500:
        con.executemany("INSERT OR REPLACE INTO instances VALUES (" + ",".join("?" * 32) + ")", batch)
        con.commit()
        batch = []
if batch:
    con.executemany("INSERT OR REPLACE INTO instances VALUES (" + ",".join("?" * 32) + ")", batch)
    con.commit()
dt = time.perf_counter() - t0
print(f"files {count}\nseconds {dt:.2f}\nfiles_per_s {count / dt:.1f}")
