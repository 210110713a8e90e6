-- PlaneLab catalog, schema version 1: the first released shape of the catalog.
--
-- This file is the single source of truth for version 1: it is embedded into planelab::catalog at
-- build time, and `sqlite3 new.db < 001_initial.sql` gives the same catalog Catalog::open creates
-- at version 1. Never edit it once released; change the schema with a new NNN_name.sql file.
-- Each script records its own version (schema_version row and PRAGMA user_version); the code runs
-- it inside the migration transaction and checks that it did.
--
-- Conventions: `id` is the integer key of every table; a foreign key column is named after the
-- table it points to in the singular (`study`, `file`, ...). DICOM text is UTF-8. An attribute
-- absent from the file is NULL (identity keys such as UIDs are NOT NULL). Lengths are mm, times
-- ms, DICOM dates/times (DA/TM) are kept as written.

-- 'PLAB': tells a PlaneLab catalog from any other SQLite file.
PRAGMA application_id = 1347174722;

CREATE TABLE schema_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO schema_version (id, version) VALUES (1, 1);
PRAGMA user_version = 1;

CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,  -- ISO 8601, UTC
  finished_at TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'cancelled', 'failed')),
  inputs_json TEXT NOT NULL,
  options_json TEXT NOT NULL,
  summary_json TEXT
);

-- Every file an import looked at, usable or not, so that an unchanged file (same path, size and
-- mtime) is not read again. Deleting a file's row deletes everything read from it (cascade).
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,  -- absolute, normalised
  size_bytes INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,  -- nanoseconds since the epoch
  transfer_syntax_uid TEXT,
  sop_class_uid TEXT,
  indexed_run INTEGER REFERENCES import_runs (id),  -- the run that read the file last
  missing INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),  -- gone from disk, rows kept
  missing_since_run INTEGER REFERENCES import_runs (id)
);

-- Patients are keyed by PatientID and name together: PatientID alone is not unique across sites.
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL,
  name TEXT NOT NULL,
  birth_date TEXT,
  sex TEXT,
  UNIQUE (patient_id, name)
);

CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  patient INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  study_instance_uid TEXT NOT NULL UNIQUE,
  study_date TEXT,
  study_time TEXT,
  description TEXT,
  accession_number TEXT,
  study_id TEXT
);
CREATE INDEX studies_patient ON studies (patient);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  study INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  series_instance_uid TEXT NOT NULL UNIQUE,
  series_number INTEGER,
  modality TEXT,
  description TEXT,
  protocol_name TEXT,
  sequence_name TEXT,
  body_part TEXT,
  laterality TEXT,
  patient_position TEXT,
  manufacturer TEXT,
  magnetic_field_strength_t REAL,
  frame_of_reference_uid TEXT
);
CREATE INDEX series_study ON series (study);
-- Stacks are built across series that share a frame of reference.
CREATE INDEX series_frame_of_reference ON series (frame_of_reference_uid);

-- One row per image: a single-frame file (frame_number 0) or one frame of a multi-frame file
-- (frame_number 1..N, with that frame's own geometry). A SOP Instance UID + frame is indexed from
-- one file only.
CREATE TABLE instances (
  id INTEGER PRIMARY KEY,
  file INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  series INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  sop_class_uid TEXT NOT NULL,
  sop_instance_uid TEXT NOT NULL,
  frame_number INTEGER NOT NULL,
  instance_number INTEGER,
  rows INTEGER NOT NULL,
  cols INTEGER NOT NULL,
  -- ImagePositionPatient: centre of the first pixel, mm, patient LPS.
  ipp_x REAL,
  ipp_y REAL,
  ipp_z REAL,
  -- ImageOrientationPatient: row direction (along a row, column index increasing), then column
  -- direction.
  iop_row_x REAL,
  iop_row_y REAL,
  iop_row_z REAL,
  iop_col_x REAL,
  iop_col_y REAL,
  iop_col_z REAL,
  -- PixelSpacing: [0] between rows (mm), [1] between columns (mm).
  pixel_spacing_row_mm REAL,
  pixel_spacing_col_mm REAL,
  slice_thickness_mm REAL,
  spacing_between_slices_mm REAL,
  slice_location_mm REAL,  -- as written; never trusted for geometry
  trigger_time_ms REAL,
  cardiac_number_of_images INTEGER,
  nominal_interval_ms REAL,
  acquisition_time TEXT,
  UNIQUE (sop_instance_uid, frame_number)
);
CREATE INDEX instances_file ON instances (file);
CREATE INDEX instances_series ON instances (series);

-- DICOM Segmentation objects. The label set belongs to the SEG's own series; its frames name the
-- source images by SOP Instance UID (+ frame), which may be imported before or after the SEG.
CREATE TABLE label_sets (
  id INTEGER PRIMARY KEY,
  file INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  series INTEGER REFERENCES series (id) ON DELETE CASCADE,
  sop_instance_uid TEXT NOT NULL UNIQUE,
  segmentation_type TEXT
);
CREATE INDEX label_sets_file ON label_sets (file);
CREATE INDEX label_sets_series ON label_sets (series);

CREATE TABLE segments (
  id INTEGER PRIMARY KEY,
  label_set INTEGER NOT NULL REFERENCES label_sets (id) ON DELETE CASCADE,
  number INTEGER NOT NULL,  -- SegmentNumber
  label TEXT,
  category_code TEXT,  -- "scheme:value"
  category_meaning TEXT,
  type_code TEXT,
  type_meaning TEXT,
  UNIQUE (label_set, number)
);

CREATE TABLE label_frames (
  id INTEGER PRIMARY KEY,
  label_set INTEGER NOT NULL REFERENCES label_sets (id) ON DELETE CASCADE,
  frame_number INTEGER NOT NULL,  -- 1-based frame in the SEG
  segment_number INTEGER NOT NULL,
  referenced_sop_instance_uid TEXT NOT NULL,
  referenced_frame_number INTEGER NOT NULL  -- 0 unless the source image is multi-frame
);
CREATE INDEX label_frames_label_set ON label_frames (label_set);
CREATE INDEX label_frames_reference
  ON label_frames (referenced_sop_instance_uid, referenced_frame_number);

-- What was wrong with a file, found by the run that read it last (replaced with the file's rows).
CREATE TABLE import_issues (
  id INTEGER PRIMARY KEY,
  file INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  run INTEGER REFERENCES import_runs (id),
  key TEXT NOT NULL,  -- stable snake_case key (docs/import-issues.md)
  message TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX import_issues_file ON import_issues (file);
CREATE INDEX import_issues_run ON import_issues (run);
