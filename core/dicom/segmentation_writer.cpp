#include "dicom/segmentation_writer.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
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

std::unique_ptr<FGPixelMeasures> pixelMeasures(const std::string& spacing, double thickness_mm,
                                               double spacing_between_mm) {
  auto fg = std::make_unique<FGPixelMeasures>();
  fg->setPixelSpacing(spacing.c_str());
  if (thickness_mm > 0.0) fg->setSliceThickness(formatDs(thickness_mm).c_str());
  if (spacing_between_mm > 0.0) fg->setSpacingBetweenSlices(formatDs(spacing_between_mm).c_str());
  return fg;
}

// Everything of one SEG instance that is not a frame.
struct InstanceSpec {
  DcmItem* hierarchy = nullptr;  // patient, study, frame of reference (and character set)
  std::string series_uid, sop_uid, dimension_uid, source_series_uid;
  std::string series_description, body_part, date, time;
  int series_number = 0;
  int instance_number = 1;
  std::string model_name;  // ManufacturerModelName
  std::string content_label, content_description, creator;
  std::vector<SegmentDescription> segments;  // label values 1..
  DcmSegTypes::E_SegmentAlgoType algorithm_type = DcmSegTypes::SAT_AUTOMATIC;
  std::string algorithm_name;
  std::string derivation_description;
  double slice_thickness_mm = 0.0;  // 0 = absent
  double spacing_between_slices_mm = 0.0;
};

// A frame to write: the source and its ordinal along the plane-position dimension.
struct FrameToWrite {
  const SegmentationSourceFrame* source = nullptr;
  Uint32 position_index = 1;
};

// Binary frames packed back to back, LSB first, as PS3.5 8.1.1 requires for BitsAllocated 1:
// a frame starts mid-byte when rows x cols is not a multiple of 8. (DCMTK 3.6.7 pads every frame
// to whole bytes, which shifts all later frames for such sizes.) Padded to even length.
std::vector<Uint8> packFrames(const std::vector<std::vector<Uint8>>& masks) {
  std::size_t bits = 0;
  for (const auto& m : masks) bits += m.size();
  std::vector<Uint8> packed((bits + 7) / 8 + ((bits + 7) / 8) % 2, 0);
  std::size_t bit = 0;
  for (const auto& m : masks) {
    for (const Uint8 v : m) {
      if (v != 0) packed[bit / 8] = static_cast<Uint8>(packed[bit / 8] | (1u << (bit % 8)));
      ++bit;
    }
  }
  return packed;
}

// Writes one SEG instance for frames that all have the same matrix size.
WriteStatus writeInstance(const InstanceSpec& spec, const std::vector<FrameToWrite>& images,
                          const std::filesystem::path& file, int& frames, std::uint64_t& bytes) {
  const geometry::ImagePlane& first_plane = images.front().source->plane;
  const auto rows = static_cast<Uint16>(first_plane.rows);
  const auto cols = static_cast<Uint16>(first_plane.cols);
  const int label_count = static_cast<int>(spec.segments.size()) + 1;
  bool gated = false;
  for (const FrameToWrite& image : images) gated = gated || image.source->temporal_position > 0;

  IODGeneralEquipmentModule::EquipmentInfo equipment(detail::kManufacturer, spec.model_name.c_str(),
                                                     "PL-0001", detail::kSoftwareVersion);
  ContentIdentificationMacro content;
  content.setInstanceNumber(std::to_string(spec.instance_number).c_str());
  content.setContentLabel(spec.content_label.c_str());
  content.setContentDescription(spec.content_description.substr(0, 64).c_str());
  content.setContentCreatorName(spec.creator.c_str());

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
  cond = seg->importHierarchy(*spec.hierarchy, OFTrue, OFTrue, OFTrue, OFFalse, OFTrue);
  if (cond.bad()) return fail("cannot set patient/study");
  cond = seg->setEquipmentInfo(equipment);
  if (cond.bad()) return fail("cannot set equipment");
  seg->getSeries().setSeriesInstanceUID(spec.series_uid.c_str());
  seg->getSeries().setSeriesDescription(spec.series_description.substr(0, 64).c_str());
  seg->getSeries().setSeriesDate(spec.date.c_str());
  seg->getSeries().setSeriesTime(spec.time.c_str());
  // BodyPartExamined as in the images. Laterality is left out: in a SEG, dciodvfy treats the
  // series-level Laterality as "present when condition unsatisfied" (an error), even for a knee;
  // the side is in the referenced images.
  if (!spec.body_part.empty()) seg->getSeries().setBodyPartExamined(spec.body_part.c_str());
  seg->getSegmentationSeriesModule().setSeriesNumber(std::to_string(spec.series_number).c_str());
  seg->getSOPCommon().setSOPInstanceUID(spec.sop_uid.c_str());
  seg->getGeneralImage().setContentDate(spec.date.c_str());
  seg->getGeneralImage().setContentTime(spec.time.c_str());

  // Segments 1..L-1 in label order, so SegmentNumber == label value.
  for (const SegmentDescription& d : spec.segments) {
    DcmSegment* segment = nullptr;
    cond = DcmSegment::create(segment, d.label.c_str(), toMacro(d.category), toMacro(d.type),
                              spec.algorithm_type, spec.algorithm_name.c_str());
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
  for (const FrameToWrite& image : images) strings.push_back(planeStrings(image.source->plane));
  bool shared_orientation = true;
  bool shared_measures = true;
  for (const PlaneStrings& s : strings) {
    shared_orientation = shared_orientation && joined(s.iop, 6) == joined(strings[0].iop, 6);
    shared_measures = shared_measures && s.spacing == strings[0].spacing;
  }
  auto measures = [&spec](const std::string& spacing) {
    return pixelMeasures(spacing, spec.slice_thickness_mm, spec.spacing_between_slices_mm);
  };
  if (shared_orientation) {
    const std::string* o = strings[0].iop;
    std::unique_ptr<FGPlaneOrientationPatient> fg(FGPlaneOrientationPatient::createMinimal(
        o[0].c_str(), o[1].c_str(), o[2].c_str(), o[3].c_str(), o[4].c_str(), o[5].c_str()));
    if (!fg || (cond = seg->addForAllFrames(*fg)).bad()) return fail("cannot share orientation");
  }
  if (shared_measures) {
    if ((cond = seg->addForAllFrames(*measures(strings[0].spacing))).bad()) {
      return fail("cannot share pixel measures");
    }
  }

  // Dimensions: segment, then plane position, then (cine) the temporal position = phase.
  IODMultiframeDimensionModule& dims = seg->getDimensions();
  cond = dims.addDimensionIndex(DCM_ReferencedSegmentNumber, spec.dimension_uid.c_str(),
                                DCM_SegmentIdentificationSequence, "Segment");
  if (cond.good()) {
    cond = dims.addDimensionIndex(DCM_ImagePositionPatient, spec.dimension_uid.c_str(),
                                  DCM_PlanePositionSequence, "Image position");
  }
  if (cond.good() && gated) {
    cond = dims.addDimensionIndex(DCM_TemporalPositionIndex, spec.dimension_uid.c_str(),
                                  DCM_FrameContentSequence, "Cardiac phase");
  }
  if (cond.bad()) return fail("cannot define dimensions");

  const std::size_t pixels = static_cast<std::size_t>(rows) * cols;
  std::vector<std::vector<Uint8>> masks;
  masks.reserve(images.size() * spec.segments.size());
  frames = 0;
  for (int label = 1; label < label_count; ++label) {
    for (std::size_t i = 0; i < images.size(); ++i) {
      const SegmentationSourceFrame& image = *images[i].source;
      const PlaneStrings& s = strings[i];
      FrameGroups groups;
      groups.position.reset(
          FGPlanePosPatient::createMinimal(s.ipp[0].c_str(), s.ipp[1].c_str(), s.ipp[2].c_str()));
      if (!shared_orientation) {
        groups.orientation.reset(FGPlaneOrientationPatient::createMinimal(
            s.iop[0].c_str(), s.iop[1].c_str(), s.iop[2].c_str(), s.iop[3].c_str(),
            s.iop[4].c_str(), s.iop[5].c_str()));
      }
      if (!shared_measures) groups.measures = measures(s.spacing);
      groups.content = std::make_unique<FGFrameContent>();
      groups.content->setDimensionIndexValues(static_cast<Uint32>(label), 0);
      groups.content->setDimensionIndexValues(images[i].position_index, 1);
      if (gated) {
        const auto phase = static_cast<Uint32>(std::max(1, image.temporal_position));
        groups.content->setDimensionIndexValues(phase, 2);
        groups.content->setTemporalPositionIndex(phase);
      }
      OFVector<ImageSOPInstanceReferenceMacro> sources(1);
      sources[0].setReferencedSOPClassUID(image.sop_class_uid.c_str());
      sources[0].setReferencedSOPInstanceUID(image.sop_instance_uid.c_str());
      if (image.frame_number > 0) {
        sources[0].addReferencedFrameNumber(static_cast<Uint16>(image.frame_number));
      }
      groups.derivation.reset(
          DcmSegmentation::createDerivationImageFG(sources, spec.derivation_description.c_str()));
      if (!groups.position || !groups.derivation || (!shared_orientation && !groups.orientation)) {
        return WriteStatus::failure("segmentation_failed", "cannot create functional groups");
      }
      std::vector<Uint8> mask(pixels);
      for (std::size_t k = 0; k < pixels; ++k) mask[k] = image.labels[k] == label ? 1 : 0;
      cond = seg->addFrame(mask.data(), static_cast<Uint16>(label), groups.list());
      if (cond.bad()) return fail("cannot add frame");
      masks.push_back(std::move(mask));
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
  const std::vector<Uint8> packed = packFrames(masks);
  cond = ds.putAndInsertUint8Array(DCM_PixelData, packed.data(),
                                   static_cast<unsigned long>(packed.size()));
  if (cond.bad()) return fail("cannot write pixel data");

  // Deterministic bytes: DCMTK stamps creation date/time with the clock.
  ds.putAndInsertString(DCM_InstanceCreationDate, spec.date.c_str());
  ds.putAndInsertString(DCM_InstanceCreationTime, spec.time.c_str());
  ds.putAndInsertString(DCM_ContentDate, spec.date.c_str());
  ds.putAndInsertString(DCM_ContentTime, spec.time.c_str());

  // Common Instance Reference module: each source image series and its referenced images.
  ds.findAndDeleteElement(DCM_ReferencedSeriesSequence);
  std::map<std::string, std::vector<const SegmentationSourceFrame*>> by_series;
  std::vector<std::string> series_order;
  std::set<std::string> referenced;  // a multi-frame source is listed once
  for (const FrameToWrite& image : images) {
    const SegmentationSourceFrame& source = *image.source;
    if (!referenced.insert(source.sop_instance_uid).second) continue;
    const std::string& uid =
        source.series_instance_uid.empty() ? spec.source_series_uid : source.series_instance_uid;
    if (!by_series.count(uid)) series_order.push_back(uid);
    by_series[uid].push_back(&source);
  }
  bool ok = true;
  for (std::size_t s = 0; ok && s < series_order.size(); ++s) {
    DcmItem* series_item = nullptr;
    ok = ds.findOrCreateSequenceItem(DCM_ReferencedSeriesSequence, series_item, -2).good() &&
         series_item != nullptr &&
         series_item->putAndInsertString(DCM_SeriesInstanceUID, series_order[s].c_str()).good();
    for (const SegmentationSourceFrame* source : by_series[series_order[s]]) {
      DcmItem* item = nullptr;
      ok = ok &&
           series_item->findOrCreateSequenceItem(DCM_ReferencedInstanceSequence, item, -2).good() &&
           item != nullptr &&
           item->putAndInsertString(DCM_ReferencedSOPClassUID, source->sop_class_uid.c_str())
               .good() &&
           item->putAndInsertString(DCM_ReferencedSOPInstanceUID, source->sop_instance_uid.c_str())
               .good();
    }
  }
  if (!ok) return WriteStatus::failure("segmentation_failed", "cannot write references");
  return detail::saveFile(file_format, file, bytes);
}

// Checks the frames, groups them by matrix size (the group holding the first frame goes to
// `file`, further groups to "<stem>-<k><ext>") and writes one instance per group; `spec_of`
// gives the instance spec of part k (1-based).
SegmentationWriteResult writeGroups(const std::vector<FrameToWrite>& frames, std::size_t labels,
                                    const std::function<InstanceSpec(int part)>& spec_of,
                                    const std::filesystem::path& file) {
  SegmentationWriteResult result;
  if (labels < 2 || labels > 256) {
    result.status = WriteStatus::failure("invalid_argument", "no label names");
    return result;
  }
  if (frames.empty()) {
    result.status = WriteStatus::failure("invalid_argument", "no labelled images");
    return result;
  }
  std::map<std::pair<int, int>, std::size_t> group_of_size;
  std::vector<std::vector<FrameToWrite>> groups;
  for (const FrameToWrite& frame : frames) {
    const geometry::ImagePlane& plane = frame.source->plane;
    if (plane.rows <= 0 || plane.cols <= 0 || plane.rows > 65535 || plane.cols > 65535 ||
        frame.source->labels.size() != static_cast<std::size_t>(plane.rows) * plane.cols) {
      result.status = WriteStatus::failure("invalid_argument", "label map size mismatch");
      return result;
    }
    const auto [it, added] =
        group_of_size.emplace(std::pair{plane.rows, plane.cols}, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(frame);
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::filesystem::path path = file;
    if (g > 0) {
      path = file.parent_path() /
             (file.stem().string() + "-" + std::to_string(g + 1) + file.extension().string());
    }
    const InstanceSpec spec = spec_of(static_cast<int>(g + 1));
    int written = 0;
    std::uint64_t bytes = 0;
    result.status = writeInstance(spec, groups[g], path, written, bytes);
    if (!result.ok()) return result;
    result.files.push_back(path);
    result.sop_instance_uids.push_back(spec.sop_uid);
    result.frames += written;
    result.bytes += bytes;
  }
  return result;
}

std::vector<SegmentDescription> describeSegments(std::optional<phantom::Organ> organ,
                                                 const std::vector<std::string>& names) {
  std::vector<SegmentDescription> out;
  for (std::size_t label = 1; label < names.size(); ++label) {
    const int value = static_cast<int>(label);
    out.push_back(organ ? describeSegment(*organ, value, names[label])
                        : describeSegment(value, names[label]));
  }
  return out;
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

SegmentDescription describeSegment(int label_value, const std::string& label_name) {
  SegmentDescription d = describeSegment(phantom::Organ::kHeart, label_value, label_name);
  if (d.type.scheme != "99PLANELAB") return d;
  return describeSegment(phantom::Organ::kKnee, label_value, label_name);
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
    // Sources slice-major then phase; reject out-of-range or repeated (slice, phase).
    std::vector<const LabelledImage*> ordered;
    std::set<std::pair<int, int>> seen;
    for (const LabelledImage& image : images) {
      if (image.slice < 0 || image.slice >= static_cast<int>(series.slices.size()) ||
          image.phase < 0 || image.phase >= std::max(1, series.phase_count) ||
          !seen.insert({image.slice, image.phase}).second) {
        result.status = WriteStatus::failure("invalid_argument", "bad or repeated (slice, phase)");
        return result;
      }
      ordered.push_back(&image);
    }
    std::sort(ordered.begin(), ordered.end(), [](const LabelledImage* a, const LabelledImage* b) {
      return a->slice != b->slice ? a->slice < b->slice : a->phase < b->phase;
    });
    std::vector<SegmentationSourceFrame> sources;
    sources.reserve(ordered.size());
    std::map<int, Uint32> position_index;  // slice -> 1-based ordinal
    for (const LabelledImage* image : ordered) {
      SegmentationSourceFrame s;
      s.sop_class_uid = UID_MRImageStorage;
      s.sop_instance_uid = imageSopInstanceUid(study, series_index, image->slice, image->phase);
      s.plane = series.slices[static_cast<std::size_t>(image->slice)].plane;
      s.temporal_position = series.gated ? image->phase + 1 : 0;
      s.labels = image->labels;
      sources.push_back(std::move(s));
      position_index.emplace(image->slice, static_cast<Uint32>(position_index.size() + 1));
    }
    std::vector<FrameToWrite> frames;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      frames.push_back({&sources[i], position_index[ordered[i]->slice]});
    }

    DcmDataset hierarchy;
    detail::putPatientStudyFrameOfReference(hierarchy, study);
    const DateTime series_start = studyDateTime(series.acquisition_offset_s);
    auto spec_of = [&](int part) {
      InstanceSpec spec;
      spec.hierarchy = &hierarchy;
      spec.series_uid = segmentationSeriesUid(study, series_index);
      spec.sop_uid = segmentationSopInstanceUid(study, series_index, part);
      spec.dimension_uid = segmentationDimensionOrganizationUid(study, series_index);
      spec.source_series_uid = seriesInstanceUid(study, series_index);
      spec.series_description =
          "Ground truth " + (series.description.empty() ? series.view : series.description);
      spec.body_part = study.acquisition.body_part;
      spec.date = series_start.date;
      spec.time = series_start.time;
      spec.series_number = segmentationSeriesNumber(series.series_number);
      spec.instance_number = part;
      spec.model_name = "Ground truth labels";
      spec.content_label = "GROUND_TRUTH";
      spec.content_description = "Exact labels of the analytic phantom";
      spec.creator = "PlaneLab^Phantom";
      spec.segments = describeSegments(study.organ, study.label_names);
      spec.algorithm_type = DcmSegTypes::SAT_AUTOMATIC;
      spec.algorithm_name = "PlaneLab analytic phantom";
      spec.derivation_description = "Exact label map of the analytic phantom";
      spec.slice_thickness_mm = series.slice_thickness_mm;
      spec.spacing_between_slices_mm = series.spacing_between_slices_mm;
      return spec;
    };
    result = writeGroups(frames, study.label_names.size(), spec_of, file);
  } catch (const std::exception& e) {
    result.status = WriteStatus::failure("internal_error", e.what());
  }
  return result;
}

SegmentationWriteResult writeDerivedSegmentation(const DerivedSegmentation& spec_in,
                                                 const std::vector<SegmentationSourceFrame>& frames,
                                                 const std::filesystem::path& file) {
  SegmentationWriteResult result;
  try {
    DcmFileFormat reference;
    if (reference.loadFile(spec_in.reference_image.string().c_str()).bad()) {
      result.status = WriteStatus::failure(
          "cannot_read_reference", "cannot read source image " + spec_in.reference_image.string());
      return result;
    }
    DcmDataset& hierarchy = *reference.getDataset();
    OFString body_part;
    hierarchy.findAndGetOFString(DCM_BodyPartExamined, body_part);
    // SliceThickness is required in the Pixel Measures; the reference image's when not given.
    Float64 reference_thickness = 0.0;
    hierarchy.findAndGetFloat64(DCM_SliceThickness, reference_thickness);

    // Plane-position ordinals by ImagePositionPatient, in order of first appearance; the UIDs
    // hash the source series, the content label and every frame's reference and labels.
    std::vector<FrameToWrite> to_write;
    std::map<std::string, Uint32> position_index;
    std::set<std::pair<std::string, int>> seen;
    std::string identity = spec_in.source_series_uid + "|" + spec_in.content_label;
    for (const SegmentationSourceFrame& frame : frames) {
      if (!seen.insert({frame.sop_instance_uid, frame.frame_number}).second) {
        result.status = WriteStatus::failure("invalid_argument", "a source frame is repeated");
        return result;
      }
      const PlaneStrings s = planeStrings(frame.plane);
      const auto [it, added] =
          position_index.emplace(joined(s.ipp, 3), static_cast<Uint32>(position_index.size() + 1));
      to_write.push_back({&frame, it->second});
      identity += "|" + frame.sop_instance_uid + "#" + std::to_string(frame.frame_number) + ":" +
                  deterministicUid(0, std::string(frame.labels.begin(), frame.labels.end()));
    }
    const std::string key = deterministicUid(0, identity);
    const std::time_t now = std::time(nullptr);
    char date[16], time[16];
    std::strftime(date, sizeof date, "%Y%m%d", std::gmtime(&now));
    std::strftime(time, sizeof time, "%H%M%S", std::gmtime(&now));
    auto spec_of = [&](int part) {
      InstanceSpec spec;
      spec.hierarchy = &hierarchy;
      spec.series_uid = deterministicUid(0, key + "/series");
      spec.sop_uid = deterministicUid(0, key + "/instance/" + std::to_string(part));
      spec.dimension_uid = deterministicUid(0, key + "/dimensions");
      spec.source_series_uid = spec_in.source_series_uid;
      spec.series_description = spec_in.series_description;
      spec.body_part = body_part.c_str();
      spec.date = date;
      spec.time = time;
      spec.series_number = segmentationSeriesNumber(spec_in.source_series_number.value_or(0));
      spec.instance_number = part;
      spec.model_name = spec_in.algorithm_name.empty() ? "Imported labels" : "Predicted labels";
      spec.content_label = spec_in.content_label;
      spec.content_description = spec_in.content_description;
      spec.creator = spec_in.algorithm_name.empty() ? "PlaneLab^Import" : "PlaneLab^Model";
      spec.segments = describeSegments(std::nullopt, spec_in.label_names);
      spec.algorithm_type =
          spec_in.algorithm_name.empty() ? DcmSegTypes::SAT_MANUAL : DcmSegTypes::SAT_AUTOMATIC;
      spec.algorithm_name = spec_in.algorithm_name;
      spec.derivation_description =
          spec_in.algorithm_name.empty() ? "Imported label map" : "Predicted label map";
      spec.slice_thickness_mm = spec_in.slice_thickness_mm.value_or(reference_thickness);
      return spec;
    };
    result = writeGroups(to_write, spec_in.label_names.size(), spec_of, file);
  } catch (const std::exception& e) {
    result.status = WriteStatus::failure("internal_error", e.what());
  }
  return result;
}

}  // namespace planelab::dicom
