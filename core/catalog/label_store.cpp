// The Catalog's label API: which SEG frame labels which image of a study (schema 001 label_sets,
// segments, label_frames; 002 the resolved label_frames.instance link).
#include "catalog/catalog.h"
#include "catalog/catalog_impl.h"
#include "catalog/sqlite_db.h"

namespace planelab::catalog {

std::vector<LabelFrameRef> Catalog::labelFramesOfStudy(std::int64_t study) const {
  std::vector<LabelFrameRef> out;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT lf.instance, i.frame_number, f.path, f.missing, ls.sop_instance_uid, "
        "ls.segmentation_type, lf.frame_number, lf.segment_number, sg.label "
        "FROM label_frames AS lf JOIN instances AS i ON i.id = lf.instance "
        "JOIN series AS se ON se.id = i.series "
        "JOIN label_sets AS ls ON ls.id = lf.label_set JOIN files AS f ON f.id = ls.file "
        "LEFT JOIN segments AS sg ON sg.label_set = lf.label_set AND sg.number = "
        "lf.segment_number "
        "WHERE se.study = ?1 "
        "ORDER BY lf.instance, lf.segment_number, f.path, lf.frame_number");
    q.bind(1, study);
    while (q.step()) {
      LabelFrameRef r;
      r.instance_id = q.int64At(0);
      r.frame_number = static_cast<int>(q.int64At(1));
      r.seg_file = q.textAt(2);
      r.seg_file_missing = q.int64At(3) != 0;
      r.label_set_uid = q.textAt(4);
      r.segmentation_type = q.textAt(5);
      r.seg_frame = static_cast<int>(q.int64At(6));
      r.segment_number = static_cast<int>(q.int64At(7));
      r.segment_label = q.textAt(8);
      out.push_back(std::move(r));
    }
    return Status{};
  });
  return out;
}

}  // namespace planelab::catalog
