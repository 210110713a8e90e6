// Curation of single studies: stacks and their findings on hand-made geometry, view labels and
// slice locations on phantom cohorts, the intersection matrix, and the misalignment score on
// known shifts.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "curation/curation_steps.h"
#include "curation/phantom_input.h"
#include "curation/study_curation.h"
#include "curation/study_scene.h"
#include "geometry/stack_order.h"
#include "phantom/study.h"

namespace planelab::curation {
namespace {

using geometry::Vec3;

// A hand-made study: SAX-like slices along a tilted normal, one series per slice.
class StudyBuilder {
 public:
  StudyBuilder() {
    row_ = geometry::normalized({0.67, 0.74, 0.0});
    col_ = geometry::normalized(geometry::projectOntoPlane({-0.30, 0.27, -0.91}, row_));
  }
  // Adds one plane at `offset_mm` along the normal, as a series of `phases` images.
  std::int64_t addSlice(double offset_mm, int phases = 3, int rows = 192, int cols = 192,
                        double spacing = 1.6, const std::string& acquisition_time = "080000",
                        const std::string& frame_of_reference = "for.1",
                        const std::string& description = "sax") {
    const std::int64_t series = ++series_;
    const Vec3 n = geometry::cross(row_, col_);
    const Vec3 centre = n * offset_mm;
    const Vec3 ipp =
        centre - row_ * ((cols - 1) / 2.0 * spacing) - col_ * ((rows - 1) / 2.0 * spacing);
    for (int p = 0; p < phases; ++p) {
      catalog::StudyImage m;
      m.instance_id = ++instance_;
      m.series_id = series;
      m.series_instance_uid = "series." + std::to_string(series);
      m.series_number = static_cast<int>(series);
      m.series_description = description;
      m.body_part = "HEART";
      m.patient_position = "HFS";
      m.frame_of_reference_uid = frame_of_reference;
      m.sop_instance_uid = "image." + std::to_string(m.instance_id);
      m.instance_number = p + 1;
      m.rows = rows;
      m.cols = cols;
      m.image_position_patient = {ipp.x, ipp.y, ipp.z};
      m.image_orientation_patient = {row_.x, row_.y, row_.z, col_.x, col_.y, col_.z};
      m.pixel_spacing = {spacing, spacing};
      m.trigger_time_ms = 40.0 * p;
      m.cardiac_number_of_images = 3;
      m.acquisition_time = acquisition_time;
      images.push_back(m);
    }
    return series;
  }
  std::vector<catalog::StudyImage> images;

 private:
  Vec3 row_, col_;
  std::int64_t series_ = 0, instance_ = 0;
};

std::multiset<std::string> keys(const StudyCuration& c) {
  std::multiset<std::string> out;
  for (const Finding& f : c.findings) out.insert(f.key);
  return out;
}

Options geometryOnly() {
  Options o;
  o.misalignment = false;
  return o;
}

TEST(Stacks, RegularStackAcrossSeriesOrderedBaseToApex) {
  StudyBuilder b;
  for (const double s : {20.0, 0.0, 30.0, 10.0, 40.0}) b.addSlice(-s);  // acquisition order mixed
  const StudyCuration c = curateStudy(b.images, {}, geometryOnly(), nullptr);
  ASSERT_EQ(c.stacks.size(), 1u);
  const Stack& stack = c.stacks[0];
  EXPECT_EQ(stack.slice_count, 5);
  EXPECT_EQ(stack.series_count, 5);
  EXPECT_EQ(stack.phase_count, 3);
  EXPECT_NEAR(*stack.spacing_median_mm, 10.0, 1e-9);
  EXPECT_NEAR(*stack.spacing_min_mm, 10.0, 1e-9);
  EXPECT_NEAR(*stack.spacing_max_mm, 10.0, 1e-9);
  EXPECT_LT(*stack.in_plane_drift_mm, 1e-6);
  // Base -> apex points left, anterior, inferior: the direction agrees with (0.68, -0.61, -0.41).
  EXPECT_GT(geometry::dot(stack.direction, Vec3{0.68, -0.61, -0.41}), 0.0);
  std::set<double> locations;
  for (const int p : stack.planes) {
    const Plane& plane = c.planes[static_cast<std::size_t>(p)];
    ASSERT_TRUE(plane.relative_location_anatomical && plane.relative_location_paper);
    locations.insert(*plane.relative_location_anatomical);
    EXPECT_EQ(plane.images.size(), 3u);
  }
  ASSERT_EQ(locations.size(), 5u);
  double expected = 0.0;
  for (const double l : locations) {
    EXPECT_NEAR(l, expected, 1e-9);
    expected += 0.25;
  }
  EXPECT_EQ(keys(c).count("missing_slice"), 0u);
  EXPECT_EQ(keys(c).count("nonuniform_spacing"), 0u);
}

TEST(Stacks, FindingsForGapsRepeatsMatrixAndPhases) {
  StudyBuilder b;
  b.addSlice(0.0);
  b.addSlice(-10.0);
  b.addSlice(-20.0, 3, 192, 192, 1.6, "080100");
  b.addSlice(-40.0);                    // 30 missing
  b.addSlice(-50.0, 3, 256, 208, 1.4);  // other matrix and spacing
  b.addSlice(-61.5, 2);                 // a phase missing, spacing 11.5
  const std::int64_t later = b.addSlice(-20.0, 3, 192, 192, 1.6, "081500");  // repeat, later
  const StudyCuration c = curateStudy(b.images, {}, geometryOnly(), nullptr);
  ASSERT_EQ(c.stacks.size(), 1u);
  EXPECT_EQ(c.stacks[0].slice_count, 6);
  const auto k = keys(c);
  EXPECT_EQ(k.count("missing_slice"), 1u);
  EXPECT_EQ(k.count("repeated_slice"), 1u);
  EXPECT_EQ(k.count("mixed_matrix"), 1u);
  EXPECT_EQ(k.count("missing_phase"), 1u);
  EXPECT_EQ(k.count("nonuniform_spacing"), 1u);
  // The later acquisition of the repeated location is kept.
  for (const Plane& plane : c.planes) {
    const SeriesInfo& s = c.series[static_cast<std::size_t>(plane.series)];
    if (std::abs(plane.location_mm - c.planes[2].location_mm) < 1e-6) {
      EXPECT_EQ(plane.kept, s.id == later) << s.series_instance_uid;
    }
  }
  // --keep first keeps the earlier one instead.
  Options first = geometryOnly();
  first.keep_latest_repeat = false;
  const StudyCuration f = curateStudy(b.images, {}, first, nullptr);
  for (const Plane& plane : f.planes) {
    if (f.series[static_cast<std::size_t>(plane.series)].id == later) {
      EXPECT_FALSE(plane.kept);
    }
  }
}

TEST(Stacks, OrientationToleranceSplitsStacks) {
  StudyBuilder b;
  for (int s = 0; s < 4; ++s) b.addSlice(-10.0 * s);
  // A slice tilted by 1 degree about the row direction.
  catalog::StudyImage tilted = b.images.back();
  std::vector<catalog::StudyImage> images = b.images;
  const auto& iop = *tilted.image_orientation_patient;
  const Vec3 row{iop[0], iop[1], iop[2]}, col{iop[3], iop[4], iop[5]};
  const Vec3 col2 = geometry::rotateAbout(col, row, geometry::degToRad(1.0));
  for (int p = 0; p < 3; ++p) {
    tilted.instance_id = 1000 + p;
    tilted.sop_instance_uid = "tilted." + std::to_string(p);
    tilted.series_id = 99;
    tilted.series_instance_uid = "series.99";
    tilted.image_orientation_patient = {row.x, row.y, row.z, col2.x, col2.y, col2.z};
    images.push_back(tilted);
  }
  EXPECT_EQ(curateStudy(images, {}, geometryOnly(), nullptr).stacks.size(), 2u);
  Options loose = geometryOnly();
  loose.orientation_tolerance_deg = 2.0;
  EXPECT_EQ(curateStudy(images, {}, loose, nullptr).stacks.size(), 1u);
}

TEST(Stacks, FrameOfReferenceFallbackAndMismatch) {
  StudyBuilder none;
  for (int s = 0; s < 4; ++s) none.addSlice(-10.0 * s, 1, 192, 192, 1.6, "080000", "");
  const StudyCuration c = curateStudy(none.images, {}, geometryOnly(), nullptr);
  ASSERT_EQ(c.stacks.size(), 1u);  // still one stack: same study and patient position
  EXPECT_EQ(c.stacks[0].slice_count, 4);
  EXPECT_EQ(keys(c).count("no_frame_of_reference"), 4u);

  StudyBuilder mixed;
  for (int s = 0; s < 4; ++s) mixed.addSlice(-10.0 * s, 1);
  mixed.addSlice(-40.0, 1, 192, 192, 1.6, "080000", "for.other");
  const StudyCuration m = curateStudy(mixed.images, {}, geometryOnly(), nullptr);
  EXPECT_EQ(keys(m).count("frame_of_reference_mismatch"), 1u);
  EXPECT_EQ(m.stacks.size(), 2u);  // never stacked with the other frame
}

TEST(Stacks, SingleSliceAndBadGeometryAreReported) {
  StudyBuilder b;
  b.addSlice(0.0, 1);
  catalog::StudyImage broken = b.images.back();
  broken.instance_id = 50;
  broken.sop_instance_uid = "broken";
  broken.image_orientation_patient = {1, 0, 0, 0.5, 0.5, 0};  // not orthonormal
  catalog::StudyImage missing = broken;
  missing.instance_id = 51;
  missing.sop_instance_uid = "no-ipp";
  missing.image_position_patient.reset();
  std::vector<catalog::StudyImage> images = b.images;
  images.push_back(broken);
  images.push_back(missing);
  const StudyCuration c = curateStudy(images, {}, geometryOnly(), nullptr);
  EXPECT_EQ(c.excluded_images, 2);
  const auto k = keys(c);
  EXPECT_EQ(k.count("single_slice_stack"), 1u);
  EXPECT_EQ(k.count("missing_geometry"), 1u);
  EXPECT_EQ(k.count("orientation_not_unit") + k.count("orientation_not_orthogonal"), 1u);
  ASSERT_EQ(c.planes.size(), 1u);
  EXPECT_FALSE(c.planes[0].relative_location_anatomical.has_value());  // never NaN, just none
}

// View labels of phantom cohorts of every layout, checked against the plan.
struct ViewScore {
  int sax_lax_right = 0, sax_lax_total = 0, lax_right = 0, lax_total = 0;
};

ViewScore scoreViews(phantom::Organ organ, bool blank, int subjects) {
  ViewScore score;
  for (const phantom::Layout layout :
       {phantom::Layout::kDsb, phantom::Layout::kUkb, phantom::Layout::kQuirks}) {
    phantom::StudyOptions options;
    options.organ = organ;
    options.layout = layout;
    options.phases = 1;
    for (int subject = 0; subject < subjects; ++subject) {
      const phantom::PhantomStudy study = phantom::generateStudy(77, subject, options);
      const testing::PhantomInput input = testing::phantomInput(study, blank);
      const StudyCuration c = curateStudy(input.images, {}, geometryOnly(), nullptr);
      for (std::size_t k = 0; k < c.series.size(); ++k) {
        const std::string truth = study.series[static_cast<std::size_t>(c.series[k].id - 1)].view;
        const std::string label = c.views[k].view;
        const bool lax = truth == "2ch" || truth == "3ch" || truth == "4ch";
        if (truth == "sax" || lax) {
          ++score.sax_lax_total;
          const bool label_lax =
              label == "2ch" || label == "3ch" || label == "4ch" || label == "lax_other";
          score.sax_lax_right += (truth == "sax") == (label == "sax") && (lax == label_lax);
        }
        if (lax || organ == phantom::Organ::kKnee) {
          ++score.lax_total;
          score.lax_right += label == truth ? 1 : 0;
        }
      }
    }
  }
  return score;
}

TEST(Views, HeartGeometryAloneSeparatesSaxAndLongAxisViews) {
  const ViewScore s = scoreViews(phantom::Organ::kHeart, true, 8);
  EXPECT_EQ(s.sax_lax_right, s.sax_lax_total);
  EXPECT_GE(s.lax_right, 0.9 * s.lax_total) << s.lax_right << " of " << s.lax_total;
}

TEST(Views, StandardDescriptionsMakeEveryViewRight) {
  const ViewScore s = scoreViews(phantom::Organ::kHeart, false, 8);
  EXPECT_EQ(s.sax_lax_right, s.sax_lax_total);
  EXPECT_EQ(s.lax_right, s.lax_total);
}

TEST(Views, KneePlanes) {
  const ViewScore s = scoreViews(phantom::Organ::kKnee, true, 4);
  EXPECT_EQ(s.lax_right, s.lax_total);  // sag / cor / ax and the localizer
}

TEST(Views, DescriptionPatternsAndUserOverride) {
  EXPECT_EQ(descriptionView("CINE_segmented_LAX_2Ch", Organ::kHeart), "2ch");
  EXPECT_EQ(descriptionView("cine 4-ch", Organ::kHeart), "4ch");
  EXPECT_EQ(descriptionView("LVOT cine", Organ::kHeart), "3ch");
  EXPECT_EQ(descriptionView("HLA", Organ::kHeart), "4ch");
  EXPECT_EQ(descriptionView("sax_12", Organ::kHeart), "sax");
  EXPECT_EQ(descriptionView("SA stack", Organ::kHeart), "sax");
  EXPECT_EQ(descriptionView("TriPilot", Organ::kHeart), "localizer");
  EXPECT_EQ(descriptionView("PD_FS_SAG", Organ::kKnee), "sag");
  EXPECT_EQ(descriptionView("t2 cor", Organ::kKnee), "cor");
  EXPECT_EQ(descriptionView("t1 tra", Organ::kKnee), "ax");
  EXPECT_EQ(descriptionView("perfusion", Organ::kHeart), "");

  StudyBuilder b;
  for (int s = 0; s < 4; ++s) b.addSlice(-10.0 * s, 1);
  const StudyCuration c = curateStudy(b.images, {{"series.2", "other"}}, geometryOnly(), nullptr);
  EXPECT_EQ(c.views[1].view, "other");
  EXPECT_EQ(c.views[1].source, "user");
  EXPECT_EQ(c.views[1].geometry_view, "sax");
  EXPECT_EQ(c.views[0].view, "sax");
}

TEST(Locations, AnatomicalModeRunsFromBaseToApex) {
  phantom::StudyOptions options;
  options.layout = phantom::Layout::kUkb;
  options.phases = 1;
  for (int subject = 0; subject < 4; ++subject) {
    const phantom::PhantomStudy study = phantom::generateStudy(5, subject, options);
    const testing::PhantomInput input = testing::phantomInput(study, true);
    const StudyCuration c = curateStudy(input.images, {}, geometryOnly(), nullptr);
    const Vec3 base = study.cardiac_truth->mitral_centre_mm;
    const Vec3 apex = study.cardiac_truth->apex_mm;
    for (const Plane& plane : c.planes) {
      if (!plane.relative_location_anatomical) continue;
      const double to_base =
          std::abs(geometry::dot(plane.geometry.normal(), base - plane.geometry.position_mm));
      const double to_apex =
          std::abs(geometry::dot(plane.geometry.normal(), apex - plane.geometry.position_mm));
      if (*plane.relative_location_anatomical == 0.0) {
        EXPECT_LT(to_base, to_apex);
      }
      if (*plane.relative_location_anatomical == 1.0) {
        EXPECT_LT(to_apex, to_base);
      }
    }
  }
}

TEST(Intersections, EveryNonParallelPairWithItsReferenceLine) {
  phantom::StudyOptions options;
  options.layout = phantom::Layout::kQuirks;
  options.phases = 1;
  const phantom::PhantomStudy study = phantom::generateStudy(3, 0, options);
  const testing::PhantomInput input = testing::phantomInput(study, false);
  const StudyCuration c = curateStudy(input.images, {}, geometryOnly(), nullptr);
  std::size_t expected = 0;
  for (std::size_t a = 0; a < c.planes.size(); ++a) {
    for (std::size_t b = 0; b < c.planes.size(); ++b) {
      if (a != b && geometry::angleBetweenPlanesDeg(c.planes[a].geometry, c.planes[b].geometry) >=
                        geometry::kDefaultParallelGuardDeg) {
        ++expected;
      }
    }
  }
  EXPECT_EQ(c.intersections.size(), expected);
  int crossing = 0;
  for (const Intersection& x : c.intersections) {
    const auto line = geometry::referenceLine(c.planes[static_cast<std::size_t>(x.plane)].geometry,
                                              c.planes[static_cast<std::size_t>(x.other)].geometry);
    ASSERT_EQ(line.has_value(), x.segment.has_value());
    if (!line) continue;
    ++crossing;
    EXPECT_DOUBLE_EQ(line->start.row, x.segment->start.row);
    EXPECT_DOUBLE_EQ(line->end.col, x.segment->end.col);
  }
  EXPECT_GT(crossing, 0);
}

TEST(StudyScene, SaxImageShowsEachLongAxisViewOnceAndNoParallelSlice) {
  phantom::StudyOptions options;
  options.layout = phantom::Layout::kUkb;  // 2ch, 3ch and 4ch
  options.phases = 1;
  const phantom::PhantomStudy study = phantom::generateStudy(3, 1, options);
  const testing::PhantomInput input = testing::phantomInput(study, false);
  const StudyCuration c = curateStudy(input.images, {}, geometryOnly(), nullptr);
  int sax = -1;
  for (std::size_t p = 0; p < c.planes.size() && sax < 0; ++p) {
    if (planeView(c, static_cast<int>(p)) == "sax" && c.planes[p].slice_index == 3) {
      sax = static_cast<int>(p);
    }
  }
  ASSERT_GE(sax, 0);
  const std::vector<ReferenceLine> lines = referenceLines(c, sax);
  std::multiset<std::string> views;
  for (const ReferenceLine& line : lines) {
    views.insert(line.view);
    const geometry::ImagePlane& other =
        c.planes[static_cast<std::size_t>(line.other_plane)].geometry;
    const auto expected =
        geometry::referenceLine(c.planes[static_cast<std::size_t>(sax)].geometry, other);
    ASSERT_TRUE(expected.has_value());
    EXPECT_DOUBLE_EQ(expected->start.row, line.segment.start.row);
    EXPECT_DOUBLE_EQ(expected->start.col, line.segment.start.col);
    EXPECT_DOUBLE_EQ(expected->end.row, line.segment.end.row);
    EXPECT_DOUBLE_EQ(expected->end.col, line.segment.end.col);
  }
  EXPECT_EQ(views.count("sax"), 0u);  // parallel slices of its own stack draw nothing
  EXPECT_EQ(views.count("2ch"), 1u);
  EXPECT_EQ(views.count("3ch"), 1u);
  EXPECT_EQ(views.count("4ch"), 1u);
  EXPECT_EQ(planeOfImage(c, c.planes[static_cast<std::size_t>(sax)].images[0].sop_instance_uid, 0),
            sax);
  EXPECT_EQ(planeOfImage(c, "no.such.image", 0), -1);
}

TEST(StudyScene, LongAxisImageShowsEveryKeptSaxSlice) {
  phantom::StudyOptions options;
  options.layout = phantom::Layout::kDsb;
  options.phases = 1;
  const phantom::PhantomStudy study = phantom::generateStudy(3, 1, options);
  const testing::PhantomInput input = testing::phantomInput(study, false);
  const StudyCuration c = curateStudy(input.images, {}, geometryOnly(), nullptr);
  int four_chamber = -1;
  int kept_sax = 0;
  for (std::size_t p = 0; p < c.planes.size(); ++p) {
    const std::string view = planeView(c, static_cast<int>(p));
    if (view == "4ch") four_chamber = static_cast<int>(p);
    if (view == "sax" && c.planes[p].kept) ++kept_sax;
  }
  ASSERT_GE(four_chamber, 0);
  int sax_lines = 0;
  for (const ReferenceLine& line : referenceLines(c, four_chamber)) {
    sax_lines += line.view == "sax" ? 1 : 0;
    EXPECT_TRUE(c.planes[static_cast<std::size_t>(line.other_plane)].kept);
  }
  EXPECT_EQ(sax_lines, kept_sax);  // the phantom's SAX slices all cross the 4-chamber image
}

TEST(StudyScene, PlaneCornersAreTheEdgesOfTheOuterPixels) {
  const geometry::ImagePlane plane =
      geometry::ImagePlane::fromDicom({10, 20, 30}, {1, 0, 0, 0, 1, 0}, {2.0, 1.5}, 4, 6);
  const auto corners = planeCorners(plane);
  EXPECT_DOUBLE_EQ(corners[0].x, 10 - 0.75);
  EXPECT_DOUBLE_EQ(corners[0].y, 20 - 1.0);
  EXPECT_DOUBLE_EQ(corners[1].x, 10 + 5.5 * 1.5);
  EXPECT_DOUBLE_EQ(corners[2].y, 20 + 3.5 * 2.0);
  EXPECT_DOUBLE_EQ(corners[3].x, 10 - 0.75);
  EXPECT_DOUBLE_EQ(corners[3].z, 30);
}

TEST(Misalignment, ShiftedSliceStandsOut) {
  phantom::StudyOptions options;
  options.layout = phantom::Layout::kUkb;
  options.phases = 3;
  options.breath_hold_shifts = false;
  phantom::PhantomStudy study = phantom::generateStudy(11, 0, options);
  int shifted = -1;
  int sax_seen = 0;
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    if (study.series[s].view != "sax" || ++sax_seen != 4) continue;
    study.series[s].slices[0].breath_hold_shift_mm = {5.0, -4.0, 3.0};  // 7.1 mm
    shifted = static_cast<int>(s) + 1;
  }
  const testing::PhantomInput input = testing::phantomInput(study, false);
  testing::PhantomPixels pixels(study, input);
  const StudyCuration c = curateStudy(input.images, {}, {}, &pixels);
  int flagged_unshifted = 0, sax = 0;
  for (const Plane& plane : c.planes) {
    const std::int64_t id = c.series[static_cast<std::size_t>(plane.series)].id;
    if (c.views[static_cast<std::size_t>(plane.series)].view != "sax") continue;
    ASSERT_TRUE(plane.misalignment_mm.has_value());
    if (id == shifted) {
      EXPECT_TRUE(plane.misalignment_flag.value_or(false));
      EXPECT_NEAR(*plane.misalignment_mm, 7.1, 2.5);
    } else {
      ++sax;
      flagged_unshifted += plane.misalignment_flag.value_or(false) ? 1 : 0;
    }
  }
  EXPECT_LE(flagged_unshifted, 1) << "of " << sax;
  EXPECT_EQ(std::count_if(c.findings.begin(), c.findings.end(),
                          [](const Finding& f) { return f.key == "breath_hold_misalignment"; }),
            std::count_if(c.planes.begin(), c.planes.end(),
                          [](const Plane& p) { return p.misalignment_flag.value_or(false); }));
}

}  // namespace
}  // namespace planelab::curation
