#include "dicom/segmentation_writer.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include "dicom/attributes.h"
#include "dicom/deterministic_uid.h"

namespace planelab::dicom {

namespace {

const CodedConcept kAnatomicalStructure{"123037004", "SCT", "Anatomical Structure"};
const CodedConcept kTissue{"85756007", "SCT", "Tissue"};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool contains(const std::string& text, const char* word) {
  return text.find(word) != std::string::npos;
}

// Local code for concepts without a well-known SNOMED CT code: "PL-<label value>".
CodedConcept localConcept(int label_value, const std::string& meaning) {
  return CodedConcept{"PL-" + std::to_string(label_value), "99PLANELAB",
                      meaning.empty() ? "Label " + std::to_string(label_value) : meaning};
}

struct PlaneStrings {
  std::string ipp[3];
  std::string iop[6];
  std::string spacing;  // "row\col"
};

PlaneStrings planeStrings(const geometry::ImagePlane& plane) {
  PlaneStrings s;
  const geometry::Vec3& p = plane.position_mm;
  s.ipp[0] = formatDs(p.x);
  s.ipp[1] = formatDs(p.y);
  s.ipp[2] = formatDs(p.z);
  const double iop[6] = {plane.row_dir.x, plane.row_dir.y, plane.row_dir.z,
                         plane.col_dir.x, plane.col_dir.y, plane.col_dir.z};
  for (int i = 0; i < 6; ++i) s.iop[i] = formatDs(iop[i]);
  s.spacing = formatDsList({plane.row_spacing_mm, plane.col_spacing_mm});
  return s;
}

std::string joined(const std::string* values, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "\\" : "") + values[i];
  return out;
}

CodeSequenceMacro toMacro(const CodedConcept& c) {
  return CodeSequenceMacro(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str());
}

// Owns the functional groups handed to DCMTK (which copies them).
struct FrameGroups {
  std::unique_ptr<FGPlanePosPatient> position;
  std::unique_ptr<FGPlaneOrientationPatient> orientation;  // per-frame only if not shared
  std::unique_ptr<FGPixelMeasures> measures;               // per-frame only if not shared
  std::unique_ptr<FGFrameContent> content;
  std::unique_ptr<FGDerivationImage> derivation;
  OFVector<FGBase*> list() const {
    OFVector<FGBase*> out;
    for (FGBase* g : {static_cast<FGBase*>(position.get()), static_cast<FGBase*>(orientation.get()),
                      static_cast<FGBase*>(measures.get()), static_cast<FGBase*>(content.get()),
                      static_cast<FGBase*>(derivation.get())}) {
      if (g != nullptr) out.push_back(g);
    }
    return out;
  }
};

std::unique_ptr<FGPixelMeasures> pixelMeasures(const std::string& spacing,
                                               const phantom::SeriesPlan& series) {
  auto fg = std::make_unique<FGPixelMeasures>();
  fg->setPixelSpacing(spacing.c_str());
  fg->setSliceThickness(formatDs(series.slice_thickness_mm).c_str());
  if (series.spacing_between_slices_mm > 0.0) {
    fg->setSpacingBetweenSlices(formatDs(series.spacing_between_slices_mm).c_str());
  }
  return fg;
}

// Writes one SEG instance for images that all have the same matrix size.
WriteStatus writeOneSegmentation(const phantom::PhantomStudy& study, int series_index,
                                 const std::vector<const LabelledImage*>& images, int part,
                                 const std::filesystem::path& file, int& frames,
                                 std::uint64_t& bytes, std::string& sop_uid) {
  const phantom::SeriesPlan& series = study.series[static_cast<std::size_t>(series_index)];
  const geometry::ImagePlane& first_plane =
      series.slices[static_cast<std::size_t>(images.front()->slice)].plane;
  const auto rows = static_cast<Uint16>(first_plane.rows);
  const auto cols = static_cast<Uint16>(first_plane.cols);
  const int label_count = static_cast<int>(study.label_names.size());
  sop_uid = segmentationSopInstanceUid(study, series_index, part);

  IODGeneralEquipmentModule::EquipmentInfo equipment(detail::kManufacturer, "Ground truth labels",
                                                     "PL-0001", detail::kSoftwareVersion);
  ContentIdentificationMacro content;
  content.setInstanceNumber(std::to_string(part).c_str());
  content.setContentLabel("GROUND_TRUTH");
  content.setContentDescription("Exact labels of the analytic phantom");
  content.setContentCreatorName("PlaneLab^Phantom");

  DcmSegmentation* raw = nullptr;
  OFCondition cond = DcmSegmentation::createBinarySegmentation(raw, rows, cols, equipment, content);
  std::unique_ptr<DcmSegmentation> seg(raw);
  if (cond.bad() || !seg) {
    return WriteStatus::failure("segmentation_failed",
                                std::string("cannot create SEG: ") + cond.text());
  }
  auto fail = [&](const std::string& what) {
    return WriteStatus::failure("segmentation_failed",
                                what + " (" + file.string() + "): " + cond.text());
  };

  // Patient, study and frame of reference exactly as in the images.
  {
    DcmDataset common;
    detail::putPatientStudyFrameOfReference(common, study);
    cond = seg->importHierarchy(common, OFTrue, OFTrue, OFTrue, OFFalse, OFTrue);
    if (cond.bad()) return fail("cannot set patient/study");
    cond = seg->setEquipmentInfo(equipment);
    if (cond.bad()) return fail("cannot set equipment");
  }
  const DateTime series_start = studyDateTime(series.acquisition_offset_s);
  seg->getSeries().setSeriesInstanceUID(segmentationSeriesUid(study, series_index).c_str());
  seg->getSeries().setSeriesDescription(
      ("Ground truth " + (series.description.empty() ? series.view : series.description))
          .substr(0, 64)
          .c_str());
  seg->getSeries().setSeriesDate(series_start.date.c_str());
  seg->getSeries().setSeriesTime(series_start.time.c_str());
  // BodyPartExamined as in the images. Laterality is left out: in a SEG, dciodvfy treats the
  // series-level Laterality as "present when condition unsatisfied" (an error), even for a knee;
  // the side is in the referenced images and in truth.json.
  if (!study.acquisition.body_part.empty()) {
    seg->getSeries().setBodyPartExamined(study.acquisition.body_part.c_str());
  }
  seg->getSegmentationSeriesModule().setSeriesNumber(
      std::to_string(segmentationSeriesNumber(series.series_number)).c_str());
  seg->getSOPCommon().setSOPInstanceUID(sop_uid.c_str());
  seg->getGeneralImage().setContentDate(series_start.date.c_str());
  seg->getGeneralImage().setContentTime(series_start.time.c_str());

  // Segments 1..L-1 in label order, so SegmentNumber == label value.
  for (int label = 1; label < label_count; ++label) {
    const SegmentDescription d =
        describeSegment(study.organ, label, study.label_names[static_cast<std::size_t>(label)]);
    DcmSegment* segment = nullptr;
    cond = DcmSegment::create(segment, d.label.c_str(), toMacro(d.category), toMacro(d.type),
                              DcmSegTypes::SAT_AUTOMATIC, "PlaneLab analytic phantom");
    if (cond.bad() || segment == nullptr) return fail("cannot create segment " + d.label);
    Uint16 number = 0;
    cond = seg->addSegment(segment, number);
    if (cond.bad()) {
      delete segment;
      return fail("cannot add segment " + d.label);
    }
  }

  // Shared groups where every slice agrees; per-frame otherwise.
  std::vector<PlaneStrings> strings;
  strings.reserve(images.size());
  for (const LabelledImage* image : images) {
    strings.push_back(planeStrings(series.slices[static_cast<std::size_t>(image->slice)].plane));
  }
  bool shared_orientation = true;
  bool shared_measures = true;
  for (const PlaneStrings& s : strings) {
    shared_orientation = shared_orientation && joined(s.iop, 6) == joined(strings[0].iop, 6);
    shared_measures = shared_measures && s.spacing == strings[0].spacing;
  }
  if (shared_orientation) {
    const std::string* o = strings[0].iop;
    std::unique_ptr<FGPlaneOrientationPatient> fg(FGPlaneOrientationPatient::createMinimal(
        o[0].c_str(), o[1].c_str(), o[2].c_str(), o[3].c_str(), o[4].c_str(), o[5].c_str()));
    if (!fg || (cond = seg->addForAllFrames(*fg)).bad()) return fail("cannot share orientation");
  }
  if (shared_measures) {
    const auto fg = pixelMeasures(strings[0].spacing, series);
    if ((cond = seg->addForAllFrames(*fg)).bad()) return fail("cannot share pixel measures");
  }

  // Dimensions: segment, then plane position, then (cine) the temporal position = phase.
  const std::string organization = segmentationDimensionOrganizationUid(study, series_index);
  IODMultiframeDimensionModule& dims = seg->getDimensions();
  cond = dims.addDimensionIndex(DCM_ReferencedSegmentNumber, organization.c_str(),
                                DCM_SegmentIdentificationSequence, "Segment");
  if (cond.good()) {
    cond = dims.addDimensionIndex(DCM_ImagePositionPatient, organization.c_str(),
                                  DCM_PlanePositionSequence, "Image position");
  }
  if (cond.good() && series.gated) {
    cond = dims.addDimensionIndex(DCM_TemporalPositionIndex, organization.c_str(),
                                  DCM_FrameContentSequence, "Cardiac phase");
  }
  if (cond.bad()) return fail("cannot define dimensions");

  std::set<int> slice_set;
  for (const LabelledImage* image : images) slice_set.insert(image->slice);
  std::map<int, Uint32> position_index;  // slice -> 1-based ordinal
  for (const int s : slice_set) position_index[s] = static_cast<Uint32>(position_index.size() + 1);

  const std::size_t pixels = static_cast<std::size_t>(rows) * cols;
  std::vector<Uint8> mask(pixels);
  frames = 0;
  for (int label = 1; label < label_count; ++label) {
    for (std::size_t i = 0; i < images.size(); ++i) {
      const LabelledImage& image = *images[i];
      const PlaneStrings& s = strings[i];
      FrameGroups groups;
      groups.position.reset(
          FGPlanePosPatient::createMinimal(s.ipp[0].c_str(), s.ipp[1].c_str(), s.ipp[2].c_str()));
      if (!shared_orientation) {
        groups.orientation.reset(FGPlaneOrientationPatient::createMinimal(
            s.iop[0].c_str(), s.iop[1].c_str(), s.iop[2].c_str(), s.iop[3].c_str(),
            s.iop[4].c_str(), s.iop[5].c_str()));
      }
      if (!shared_measures) groups.measures = pixelMeasures(s.spacing, series);
      groups.content = std::make_unique<FGFrameContent>();
      groups.content->setDimensionIndexValues(static_cast<Uint32>(label), 0);
      groups.content->setDimensionIndexValues(position_index[image.slice], 1);
      if (series.gated) {
        groups.content->setDimensionIndexValues(static_cast<Uint32>(image.phase + 1), 2);
        groups.content->setTemporalPositionIndex(static_cast<Uint32>(image.phase + 1));
      }
      OFVector<ImageSOPInstanceReferenceMacro> sources(1);
      sources[0].setReferencedSOPClassUID(UID_MRImageStorage);
      sources[0].setReferencedSOPInstanceUID(
          imageSopInstanceUid(study, series_index, image.slice, image.phase).c_str());
      groups.derivation.reset(DcmSegmentation::createDerivationImageFG(
          sources, "Exact label map of the analytic phantom"));
      if (!groups.position || !groups.derivation || (!shared_orientation && !groups.orientation)) {
        return WriteStatus::failure("segmentation_failed", "cannot create functional groups");
      }
      for (std::size_t k = 0; k < pixels; ++k) {
        mask[k] = image.labels[k] == label ? 1 : 0;
      }
      cond = seg->addFrame(mask.data(), static_cast<Uint16>(label), groups.list());
      if (cond.bad()) return fail("cannot add frame");
      ++frames;
    }
  }

  // DCMTK's own check on write runs before the per-frame groups exist (it only logs "Will not
  // check dimension consistency"); check the finished dataset instead.
  seg->setCheckDimensionsOnWrite(OFFalse);
  DcmFileFormat file_format;
  DcmDataset& ds = *file_format.getDataset();
  cond = seg->writeDataset(ds);
  if (cond.bad()) return fail("DCMTK refused the SEG");
  cond = seg->getDimensions().checkDimensions(&ds);
  if (cond.bad()) return fail("inconsistent dimension index values");

  // Deterministic bytes: DCMTK stamps creation date/time with the clock.
  ds.putAndInsertString(DCM_InstanceCreationDate, series_start.date.c_str());
  ds.putAndInsertString(DCM_InstanceCreationTime, series_start.time.c_str());
  ds.putAndInsertString(DCM_ContentDate, series_start.date.c_str());
  ds.putAndInsertString(DCM_ContentTime, series_start.time.c_str());

  // Common Instance Reference module: the source image series and every referenced image.
  ds.findAndDeleteElement(DCM_ReferencedSeriesSequence);
  DcmItem* series_item = nullptr;
  bool ok = ds.findOrCreateSequenceItem(DCM_ReferencedSeriesSequence, series_item, 0).good() &&
            series_item != nullptr;
  if (ok) {
    ok = series_item
             ->putAndInsertString(DCM_SeriesInstanceUID,
                                  seriesInstanceUid(study, series_index).c_str())
             .good();
    for (const LabelledImage* image : images) {
      DcmItem* item = nullptr;
      ok = ok &&
           series_item->findOrCreateSequenceItem(DCM_ReferencedInstanceSequence, item, -2).good() &&
           item != nullptr &&
           item->putAndInsertString(DCM_ReferencedSOPClassUID, UID_MRImageStorage).good() &&
           item->putAndInsertString(
                   DCM_ReferencedSOPInstanceUID,
                   imageSopInstanceUid(study, series_index, image->slice, image->phase).c_str())
               .good();
    }
  }
  if (!ok) return WriteStatus::failure("segmentation_failed", "cannot write references");
  return detail::saveFile(file_format, file, bytes);
}

}  // namespace

SegmentDescription describeSegment(phantom::Organ organ, int label_value,
                                   const std::string& label_name) {
  const std::string name = lower(label_name);
  SegmentDescription d;
  d.label = label_name.empty() ? "Label " + std::to_string(label_value) : label_name;
  d.category = kTissue;
  d.type = localConcept(label_value, label_name);
  if (organ == phantom::Organ::kHeart) {
    if (contains(name, "myocard")) {
      d.type = {"74281007", "SCT", "Myocardium"};
    } else if (contains(name, "rv") || contains(name, "right")) {
      d.category = kAnatomicalStructure;
      d.type = {"53085002", "SCT", "Right ventricle"};
    } else if (contains(name, "lv") || contains(name, "left")) {
      d.category = kAnatomicalStructure;
      d.type = {"87878005", "SCT", "Left ventricle"};
    }
    return d;
  }
  if (contains(name, "cartilage")) {
    d.type = {"309312004", "SCT", "Cartilage tissue"};
  } else if (contains(name, "menisc")) {
    // Menisci are fibrocartilage; the label names which one.
    d.type = {"309312004", "SCT", "Cartilage tissue"};
  } else if (contains(name, "femur") || contains(name, "femoral")) {
    d.category = kAnatomicalStructure;
    d.type = {"71341001", "SCT", "Femur"};
  } else if (contains(name, "tibia")) {
    d.category = kAnatomicalStructure;
    d.type = {"12611008", "SCT", "Tibia"};
  } else if (contains(name, "patella")) {
    d.category = kAnatomicalStructure;
    d.type = {"64234005", "SCT", "Patella"};
  } else if (contains(name, "fibula")) {
    d.category = kAnatomicalStructure;
    d.type = {"87342007", "SCT", "Fibula"};
  }
  return d;
}

int segmentationSeriesNumber(int image_series_number) {
  return 1000 + image_series_number;
}

SegmentationWriteResult writeSegmentation(const phantom::PhantomStudy& study, int series_index,
                                          const std::vector<LabelledImage>& images,
                                          const std::filesystem::path& file) {
  SegmentationWriteResult result;
  try {
    if (series_index < 0 || series_index >= static_cast<int>(study.series.size())) {
      result.status = WriteStatus::failure("invalid_argument", "series index out of range");
      return result;
    }
    const phantom::SeriesPlan& series = study.series[static_cast<std::size_t>(series_index)];
    if (study.label_names.size() < 2 || study.label_names.size() > 256) {
      result.status = WriteStatus::failure("invalid_argument", "study has no label names");
      return result;
    }
    if (images.empty()) {
      result.status = WriteStatus::failure("invalid_argument", "no labelled images");
      return result;
    }
    // Group by matrix size, each group sorted slice-major then phase; reject duplicates.
    std::map<std::pair<int, int>, std::vector<const LabelledImage*>> groups;
    std::set<std::pair<int, int>> seen;
    for (const LabelledImage& image : images) {
      if (image.slice < 0 || image.slice >= static_cast<int>(series.slices.size()) ||
          image.phase < 0 || image.phase >= std::max(1, series.phase_count) ||
          !seen.insert({image.slice, image.phase}).second) {
        result.status = WriteStatus::failure("invalid_argument", "bad or repeated (slice, phase)");
        return result;
      }
      const geometry::ImagePlane& plane =
          series.slices[static_cast<std::size_t>(image.slice)].plane;
      if (plane.rows <= 0 || plane.cols <= 0 || plane.rows > 65535 || plane.cols > 65535 ||
          image.labels.size() != static_cast<std::size_t>(plane.rows) * plane.cols) {
        result.status = WriteStatus::failure("invalid_argument", "label map size mismatch");
        return result;
      }
      groups[{plane.rows, plane.cols}].push_back(&image);
    }
    // The group of the first slice (lowest index) goes to `file`.
    std::vector<std::vector<const LabelledImage*>> ordered;
    for (auto& [size, members] : groups) {
      std::sort(members.begin(), members.end(), [](const LabelledImage* a, const LabelledImage* b) {
        return a->slice != b->slice ? a->slice < b->slice : a->phase < b->phase;
      });
      ordered.push_back(members);
    }
    std::sort(ordered.begin(), ordered.end(),
              [](const auto& a, const auto& b) { return a.front()->slice < b.front()->slice; });
    for (std::size_t g = 0; g < ordered.size(); ++g) {
      std::filesystem::path path = file;
      if (g > 0) {
        path = file.parent_path() /
               (file.stem().string() + "-" + std::to_string(g + 1) + file.extension().string());
      }
      int frames = 0;
      std::uint64_t bytes = 0;
      std::string uid;
      result.status = writeOneSegmentation(study, series_index, ordered[g], static_cast<int>(g + 1),
                                           path, frames, bytes, uid);
      if (!result.ok()) return result;
      result.files.push_back(path);
      result.sop_instance_uids.push_back(uid);
      result.frames += frames;
      result.bytes += bytes;
    }
  } catch (const std::exception& e) {
    result.status = WriteStatus::failure("internal_error", e.what());
  }
  return result;
}

}  // namespace planelab::dicom
