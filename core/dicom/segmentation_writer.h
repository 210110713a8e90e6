// Ground truth of one labelled image series as a DICOM Segmentation (binary, SEG modality).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dicom/dicom_format.h"
#include "geometry/image_plane.h"
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
// The same when the organ is not known (derived segmentations): cardiac concepts, then knee ones.
SegmentDescription describeSegment(int label_value, const std::string& label_name);

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

// One source image of a derived segmentation (predictions, imported label volumes) with its
// label map.
struct SegmentationSourceFrame {
  std::string sop_class_uid;         // SOP Class of the source image
  std::string sop_instance_uid;      // of the source image
  std::string series_instance_uid;   // of the source image; empty = the SEG's source series
  int frame_number = 0;              // 1-based frame of a multi-frame source; 0 = single-frame
  geometry::ImagePlane plane;        // the source frame's geometry
  int temporal_position = 0;         // 1-based cardiac phase of a gated series; 0 = not gated
  std::vector<std::uint8_t> labels;  // rows x cols, row-major, values index label_names
};

// A SEG derived from images that exist as DICOM files (not from the phantom's plan).
struct DerivedSegmentation {
  // A source image file: the SEG copies its patient, study and frame of reference (and
  // BodyPartExamined), so it files under the same study.
  std::filesystem::path reference_image;
  std::string source_series_uid;  // the series the labels belong to (a stack may span several)
  std::optional<int> source_series_number;   // SEG SeriesNumber = segmentationSeriesNumber(it)
  std::string series_description;            // <= 64 characters kept
  std::vector<std::string> label_names;      // [0] = background; one segment per further name
  std::string content_label = "PREDICTION";  // CS: upper case, digits, '_'
  std::string content_description;
  // Non-empty: the segments are AUTOMATIC, made by this algorithm (a model); empty: MANUAL
  // (labels drawn by people and imported).
  std::string algorithm_name;
  std::optional<double> slice_thickness_mm;  // absent: the reference image's SliceThickness
};

// Writes a SEG of `frames` (each source frame once) referencing the source images. UIDs are
// derived from the source series, the content label and the label maps, so writing the same
// labels again gives the same SEG (re-importing it does not duplicate). Frames of different
// matrix size go to "<stem>-<k><ext>" as in writeSegmentation. Errors: "invalid_argument",
// "cannot_read_reference" (reference_image unreadable), "segmentation_failed", "write_failed".
SegmentationWriteResult writeDerivedSegmentation(const DerivedSegmentation& spec,
                                                 const std::vector<SegmentationSourceFrame>& frames,
                                                 const std::filesystem::path& file);

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
