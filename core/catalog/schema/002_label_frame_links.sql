-- PlaneLab catalog, schema version 2: label frames carry a resolved link to the image they label.
--
-- Version 1 matched a SEG frame to its source image by joining on the SOP Instance UID text at
-- query time. Curation joins label frames to instance geometry for every labelled image (view
-- classification, resampling of label maps), and needs to find SEGs whose source images were
-- never imported; both want an integer key and an index. The link is NULL while the image is not
-- in the catalog; the writer resolves it when the image arrives (also in a later import) and the
-- cascade sets it back to NULL when the image's file is replaced.

ALTER TABLE label_frames ADD COLUMN instance INTEGER REFERENCES instances (id) ON DELETE SET NULL;

-- Link what a version 1 catalog already holds.
UPDATE label_frames
   SET instance = (SELECT i.id
                     FROM instances AS i
                    WHERE i.sop_instance_uid = label_frames.referenced_sop_instance_uid
                      AND i.frame_number = label_frames.referenced_frame_number);

CREATE INDEX label_frames_instance ON label_frames (instance);

UPDATE schema_version SET version = 2;
PRAGMA user_version = 2;
