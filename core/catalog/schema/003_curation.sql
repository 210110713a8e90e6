-- PlaneLab catalog, schema version 3: curation results.
--
-- Curation (core/curation) interprets the imported geometry: which images share a plane, which
-- planes form a parallel stack (across series), what view each series shows, where every plane
-- cuts every other one, and what is wrong (QA findings). Everything here is derived and is
-- replaced study by study on every curation run, except the user's view labels
-- (view_overrides), which are keyed by SeriesInstanceUID so that they survive re-curation and
-- re-import. Directions are unit vectors in patient LPS; lengths are mm.

CREATE TABLE curation_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,  -- ISO 8601, UTC
  finished_at TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'cancelled', 'failed')),
  options_json TEXT NOT NULL,
  summary_json TEXT
);

-- A parallel stack: planes of one study and frame of reference whose normals agree within the
-- orientation tolerance, across series. `direction` orders the stack: for the heart base -> apex,
-- for knees the documented anatomical direction (docs/curation.md).
CREATE TABLE stacks (
  id INTEGER PRIMARY KEY,
  study INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  run INTEGER REFERENCES curation_runs (id),
  number INTEGER NOT NULL,  -- 1-based within the study
  frame_of_reference_uid TEXT,  -- NULL: fallback grouping (same study and patient position)
  view TEXT,
  direction_x REAL NOT NULL,
  direction_y REAL NOT NULL,
  direction_z REAL NOT NULL,
  slice_count INTEGER NOT NULL,  -- kept planes (repeats superseded by a later one excluded)
  series_count INTEGER NOT NULL,
  phase_count INTEGER,  -- most phases of any plane
  spacing_median_mm REAL,  -- centre-to-centre along the direction, between kept neighbours
  spacing_min_mm REAL,
  spacing_max_mm REAL,
  in_plane_drift_mm REAL,  -- largest distance of a plane centre from the stack's centre line
  UNIQUE (study, number)
);
CREATE INDEX stacks_study ON stacks (study);

-- A plane: one image position of a series (all cine phases / frames acquired there).
CREATE TABLE planes (
  id INTEGER PRIMARY KEY,
  study INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  series INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  instance INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,  -- first phase
  stack INTEGER REFERENCES stacks (id) ON DELETE SET NULL,
  number INTEGER NOT NULL,  -- 1-based within the study
  slice_index INTEGER,  -- 0-based order along the stack direction (kept planes only)
  location_mm REAL,  -- signed distance along the stack direction
  relative_location_paper REAL,  -- (s - min) / (max - min) with s = -n.IPP (ML-RECIPE 2)
  relative_location_anatomical REAL,  -- 0 = start of the stack direction (base), 1 = end (apex)
  kept INTEGER NOT NULL DEFAULT 1 CHECK (kept IN (0, 1)),  -- 0: superseded repeated location
  phase_count INTEGER NOT NULL,
  misalignment_mm REAL,  -- estimated breath-hold displacement against the crossing planes
  misalignment_ncc REAL,  -- mean agreement of the intensity profiles along the crossings
  misalignment_flag INTEGER CHECK (misalignment_flag IN (0, 1)),
  UNIQUE (study, number)
);
CREATE INDEX planes_study ON planes (study);
CREATE INDEX planes_series ON planes (series);
CREATE INDEX planes_stack ON planes (stack);

-- Which image of the catalog belongs to which plane and cardiac phase (phases ordered by
-- TriggerTime, then InstanceNumber).
CREATE TABLE plane_images (
  instance INTEGER PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
  plane INTEGER NOT NULL REFERENCES planes (id) ON DELETE CASCADE,
  phase_index INTEGER NOT NULL
);
CREATE INDEX plane_images_plane ON plane_images (plane);

-- The view each series shows, as curation decided it, with both opinions it weighed.
CREATE TABLE view_labels (
  series INTEGER PRIMARY KEY REFERENCES series (id) ON DELETE CASCADE,
  view TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('geometry', 'description', 'user')),
  confidence REAL NOT NULL,  -- 0..1
  geometry_view TEXT,
  geometry_confidence REAL,
  description_view TEXT
);

-- The user's corrections: they win over geometry and description and survive re-curation.
CREATE TABLE view_overrides (
  series_instance_uid TEXT PRIMARY KEY,
  view TEXT NOT NULL,
  set_at TEXT NOT NULL  -- ISO 8601, UTC
);

-- Where plane `other` cuts plane `plane` (one row per ordered pair of non-parallel planes within
-- a frame of reference): the trace clipped to `plane`'s pixel area, as [column, row] in that
-- image's 0-based pixel coordinates (pixel centres at integers). crosses = 0: the trace misses
-- the image (no segment).
CREATE TABLE plane_intersections (
  plane INTEGER NOT NULL REFERENCES planes (id) ON DELETE CASCADE,
  other INTEGER NOT NULL REFERENCES planes (id) ON DELETE CASCADE,
  angle_deg REAL NOT NULL,  -- between the planes, 0..90
  crosses INTEGER NOT NULL CHECK (crosses IN (0, 1)),
  start_col REAL,
  start_row REAL,
  end_col REAL,
  end_row REAL,
  profile_ncc REAL,  -- agreement of both images along the shared segment (misalignment)
  PRIMARY KEY (plane, other)
) WITHOUT ROWID;

-- QA findings: stable snake_case key (docs/curation.md), the most specific place it concerns.
CREATE TABLE qa_findings (
  id INTEGER PRIMARY KEY,
  study INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  run INTEGER REFERENCES curation_runs (id),
  stack INTEGER REFERENCES stacks (id) ON DELETE CASCADE,
  series INTEGER REFERENCES series (id) ON DELETE CASCADE,
  plane INTEGER REFERENCES planes (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  message TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX qa_findings_study ON qa_findings (study);

UPDATE schema_version SET version = 3;
PRAGMA user_version = 3;
