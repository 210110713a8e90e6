// Ground truth of one labelled image series as a DICOM Segmentation (binary, SEG modality).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dicom/dicom_format.h"
#include "phantom/study.h"

namespace planelab::dicom {

struct CodedConcept {
  std::string value;   // CodeValue (<= 16 chars)
  std::string scheme;  // CodingSchemeDesignator: SCT, or 99PLANELAB for local concepts
  std::string meaning;
};

// How one ground-truth label is described in the Segment Sequence.
struct SegmentDescription {
  std::string label;  // SegmentLabel = the phantom's label name
  CodedConcept category;
  CodedConcept type;
};

// Coded concepts for label value `label_value` (>= 1) named `label_name` (study.label_names):
// SNOMED CT where a well-known concept exists (ventricles, myocardium, knee bones, cartilage),
// otherwise a local 99PLANELAB code carrying the label name.
SegmentDescription describeSegment(phantom::Organ organ, int label_value,
                                   const std::string& label_name);

// The label map of one rendered image of the series.
struct LabelledImage {
  int slice = 0;
  int phase = 0;
  std::vector<std::uint8_t> labels;  // rows x cols of the slice plane, row-major, 0 = background
};

struct SegmentationWriteResult {
  WriteStatus status;
  // Normally one file. Slices of different matrix size cannot share a SEG instance, so each
  // further matrix size goes to "<stem>-<k><ext>" (k = 2, 3, ...) in the same SEG series.
  std::vector<std::filesystem::path> files;
  std::vector<std::string> sop_instance_uids;
  int frames = 0;
  std::uint64_t bytes = 0;
  bool ok() const { return status.ok(); }
};

// SeriesNumber of the SEG series derived from image series number `image_series_number`.
int segmentationSeriesNumber(int image_series_number);

// Writes the SEG of study.series[series] for `images` (any order; each (slice, phase) once).
// One segment per label 1..label_names.size()-1; every segment has one frame per image (empty
// masks included, so a reader never has to infer absent frames). Each frame references its
// source MR image (Derivation Image + Source Image sequences, ReferencedSeriesSequence), carries
// its plane position/orientation, and shares pixel measures (PixelSpacing, SliceThickness) when
// all slices agree. Same StudyInstanceUID and FrameOfReferenceUID as the images; own series.
// Errors: "invalid_argument", "segmentation_failed", "write_failed".
SegmentationWriteResult writeSegmentation(const phantom::PhantomStudy& study, int series,
                                          const std::vector<LabelledImage>& images,
                                          const std::filesystem::path& file);

}  // namespace planelab::dicom
