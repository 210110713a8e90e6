// Reproducible DICOM UIDs: the same (seed, entity) always gives the same UID, so the same seed
// gives byte-identical files (PHANTOM.md 7.6), and different entities never share one.
#pragma once

#include <cstdint>
#include <string>

namespace planelab::phantom {
struct PhantomStudy;
}

namespace planelab::dicom {

// "2.25." followed by the decimal form of a 128-bit hash of (seed, entity_path), formatted as a
// version-8 (custom) UUID integer as PS3.5 B.2 allows. At most 44 characters (limit 64), no
// leading zero in the number.
std::string deterministicUid(std::uint64_t seed, const std::string& entity_path);

// Entity paths of one subject: "<organ>/<subject_index>/..." (seed = study.seed).
std::string subjectEntityPath(const phantom::PhantomStudy& study);
std::string studyInstanceUid(const phantom::PhantomStudy& study);
// One frame of reference per study/subject: all series share the patient position.
std::string frameOfReferenceUid(const phantom::PhantomStudy& study);
// `series` is the index into study.series (always distinct, unlike SeriesNumber in quirks).
std::string seriesInstanceUid(const phantom::PhantomStudy& study, int series);
std::string imageSopInstanceUid(const phantom::PhantomStudy& study, int series, int slice,
                                int phase);
// The ground-truth SEG derived from image series `series`; `part` numbers the SEG instances of
// one SEG series (more than one only when slices of a series differ in matrix size).
std::string segmentationSeriesUid(const phantom::PhantomStudy& study, int series);
std::string segmentationSopInstanceUid(const phantom::PhantomStudy& study, int series, int part);
std::string segmentationDimensionOrganizationUid(const phantom::PhantomStudy& study, int series);

}  // namespace planelab::dicom
