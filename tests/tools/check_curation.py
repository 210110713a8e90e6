#!/usr/bin/python3
"""Checks the output of planelab-cli's curation verbs (curate, check, views, intersections,
targets) against the phantom's truth JSON, the DICOM headers read with pydicom (a reader nobody
here wrote) and the catalog read with sqlite3. Used by tests/e2e/curation_test.sh.

usage: check_curation.py COMMAND ARGS...
  pick TRUTH SPEC                         SOP Instance UID of an image (SPEC: VIEW:mid, VIEW:first,
                                          sax:odd = the SAX slice with another matrix,
                                          sax:repeat = the later acquisition of a repeated slice)
  study TRUTH                             the StudyInstanceUID of a subject
  series TRUTH VIEW                       SeriesInstanceUID of the first series of VIEW
  summary CURATE_JSON TRUTH...            curate --json against the truth of every subject
  findings CHECK_JSON QUIRKS_TRUTH TRUTH...   check --json: the quirks and only there
  directions CHECK_JSON TRUTH...          stack directions are the documented anatomical ones
  no-warnings CHECK_JSON [MIN]            check --json lists no warning or error (>= MIN findings)
  cancelled CURATE_JSON CATALOG RC TOTAL  an interrupted curate did what its exit code says
  kept CATALOG QUIRKS_TRUTH latest|first  which acquisition of the repeated location is kept
  views VIEWS_JSON TRUTH... [--expect UID=VIEW/SOURCE]...
  intersections DICOM_DIR SOP CROSSING_JSON ALL_JSON TRUTH...
  locations CATALOG HEART_TRUTH...        relative slice locations of the SAX stacks
  targets PNG TARGETS_JSON CATALOG SOP VIEW CHANNEL_VIEW... [--empty-flags]
  dump CATALOG                            curation tables, run and row ids replaced by stable keys
"""
import collections, json, math, os, sqlite3, struct, sys, zlib

import numpy as np


def fail(message):
    sys.exit(f"check_curation: {message}")


def load(path):
    with open(path) as f:
        return json.load(f)


def truth_series(truths):
    """series_instance_uid -> (truth of the subject, series truth)."""
    out = {}
    for t in truths:
        for s in t["series"]:
            out[s["series_instance_uid"]] = (t, s)
    return out


# ---------------------------------------------------------------------------------------------
def cmd_pick(truth_file, spec):
    t = load(truth_file)
    view, which = spec.split(":")
    series = [s for s in t["series"] if s["view"] == view]
    if not series:
        fail(f"no {view} series in {truth_file}")
    if which == "odd":
        grids = collections.Counter((s["slices"][0]["rows"], s["slices"][0]["cols"]) for s in series)
        common = grids.most_common(1)[0][0]
        series = [s for s in series if (s["slices"][0]["rows"], s["slices"][0]["cols"]) != common]
        if len(series) != 1:
            fail(f"expected one {view} series with another matrix, found {len(series)}")
        s, sl = series[0], series[0]["slices"][0]
    elif which == "repeat":  # the later acquisition of a repeated location (SeriesNumber 100 + n)
        s = [x for x in series if x["series_number"] >= 100][0]
        sl = s["slices"][0]
    elif which == "first":
        s = series[0]
        sl = s["slices"][0]
    elif which == "mid":
        # Single-slice series (cardiac SAX): the middle series; stacks (knee): the middle slice.
        if len(series) > 1:
            firsts = [x for x in series if x["series_number"] < 100]
            s = firsts[len(firsts) // 2 - 1]
            sl = s["slices"][0]
        else:
            s = series[0]
            sl = s["slices"][len(s["slices"]) // 2]
    else:
        fail(f"bad spec {spec}")
    images = sl["images"]
    print(images[min(1, len(images) - 1)]["sop_instance_uid"])  # a later phase where there is one


def cmd_study(truth_file):
    print(load(truth_file)["study_instance_uid"])


def cmd_series(truth_file, view):
    for s in load(truth_file)["series"]:
        if s["view"] == view:
            print(s["series_instance_uid"])
            return
    fail(f"no {view} series")


# ---------------------------------------------------------------------------------------------
QUIRK_KEYS = ("repeated_slice", "missing_phase", "mixed_matrix")


def cmd_summary(curate_json, *truth_files):
    j = load(curate_json)
    truths = [load(f) for f in truth_files]
    if j["status"] != "ok" or j["cancelled"]:
        fail(f"curate status {j['status']}")
    if j["studies"] != len(truths):
        fail(f"studies {j['studies']} != {len(truths)}")
    expected = collections.Counter(s["view"] for t in truths for s in t["series"])
    if dict(expected) != j["views"]:
        fail(f"views {j['views']} != truth {dict(expected)}")
    planes = sum(len(s["slices"]) for t in truths for s in t["series"])
    if j["planes"] != planes:
        fail(f"planes {j['planes']} != {planes} slice positions in the truth")
    if j["excluded_images"] != 0:
        fail(f"{j['excluded_images']} images left out")
    for key in QUIRK_KEYS:
        if j["findings_by_key"].get(key) != 1:
            fail(f"findings_by_key[{key}] = {j['findings_by_key'].get(key)}, expected 1")
    if j["findings_by_severity"].get("warning", 0) + j["findings_by_severity"].get("error", 0) == 0:
        fail("no warnings although the quirks study has some")
    print(f"summary ok: {j['studies']} studies, {j['planes']} planes, views {j['views']}")


def cmd_findings(check_json, quirks_truth, *truth_files):
    j = load(check_json)
    quirks = load(quirks_truth)
    truths = [load(f) for f in truth_files]
    for key in ("findings", "stacks", "view_pairs"):
        if key not in j:
            fail(f"check --json lacks {key}")
    by_key = collections.defaultdict(list)
    for f in j["findings"]:
        by_key[f["key"]].append(f)
        if f["severity"] not in ("info", "warning", "error"):
            fail(f"bad severity {f}")
    quirk_study = quirks["study_instance_uid"]
    for key in QUIRK_KEYS:
        found = by_key.get(key, [])
        if len(found) != 1:
            fail(f"{len(found)} {key} findings, expected 1")
        if found[0]["study_instance_uid"] != quirk_study:
            fail(f"{key} in study {found[0]['study_instance_uid']}, not the quirks study")
    for key in ("missing_phase", "mixed_matrix"):
        if by_key[key][0]["severity"] not in ("warning", "error"):
            fail(f"{key} is {by_key[key][0]['severity']}, expected a warning")
    # The repeated location: the superseded acquisition is the first one (series n), the kept one
    # the repeat (series 100 + n).
    numbers = {s["series_number"]: s for s in quirks["series"]}
    repeats = [n for n in numbers if n >= 100]
    if len(repeats) != 1:
        fail(f"quirks truth has {len(repeats)} repeated series")
    first, repeat = numbers[repeats[0] - 100], numbers[repeats[0]]
    rep = by_key["repeated_slice"][0]
    if rep["series_instance_uid"] != first["series_instance_uid"]:
        fail(f"repeated_slice names series {rep['series_instance_uid']}, expected the first "
             f"acquisition {first['series_instance_uid']}")
    if repeat["series_instance_uid"] not in (rep["detail"] or ""):
        fail(f"repeated_slice detail does not name the kept series: {rep['detail']}")
    # Missing phase: the series whose slice lacks a phase in the truth.
    gaps = [s for s in quirks["series"] if len(s["slices"][0]["phases"]) < s["phase_count"]]
    if len(gaps) != 1:
        fail(f"truth has {len(gaps)} series with a missing phase")
    if by_key["missing_phase"][0]["series_instance_uid"] != gaps[0]["series_instance_uid"]:
        fail(f"missing_phase on {by_key['missing_phase'][0]['series_instance_uid']}, expected "
             f"{gaps[0]['series_instance_uid']}")
    # Every study has its stacks; the SAX stack of the quirks study spans the 14 series.
    studies = {t["study_instance_uid"] for t in truths}
    if {s["study_instance_uid"] for s in j["stacks"]} != studies:
        fail("stacks do not cover every study")
    sax = [s for s in j["stacks"] if s["study_instance_uid"] == quirk_study and s["view"] == "sax"]
    sax_series = [s for s in quirks["series"] if s["view"] == "sax"]
    if len(sax) != 1 or sax[0]["series_count"] != len(sax_series) or \
            sax[0]["slice_count"] != len(sax_series) - 1:
        fail(f"quirks SAX stack {sax}: expected {len(sax_series)} series, "
             f"{len(sax_series) - 1} kept slices")
    if not j["view_pairs"]:
        fail("no view pairs")
    print(f"findings ok: {sorted((k, len(v)) for k, v in by_key.items())}")


def cmd_directions(check_json, *truth_files):
    """Stack directions are anatomical (docs/curation.md): heart SAX base -> apex; knee sagittal
    medial -> lateral, coronal anterior -> posterior, axial proximal -> distal (truth axes)."""
    j = load(check_json)
    checked = 0
    for t in map(load, truth_files):
        if t["organ"] == "heart":
            want = {"sax": t["cardiac_truth"]["true_long_axis"]}
        else:
            k = t["knee_truth"]
            want = {"sag": k["medial_lateral_axis"], "cor": k["anterior_posterior_axis"],
                    "ax": [-v for v in k["distal_proximal_axis"]]}
        for st in j["stacks"]:
            if st["study_instance_uid"] != t["study_instance_uid"] or st["view"] not in want:
                continue
            d = np.array([st["direction_x"], st["direction_y"], st["direction_z"]])
            cos = float(d @ np.array(want[st["view"]])) / float(np.linalg.norm(want[st["view"]]))
            if cos < 0.9:
                fail(f"{t['organ']} {st['view']} stack direction {d} against the anatomical "
                     f"direction {want[st['view']]} (cos {cos:.3f})")
            checked += 1
        if checked == 0:
            fail(f"no stack of {t['study_instance_uid']} checked")
    print(f"directions ok ({checked} stacks)")


def cmd_no_warnings(check_json, min_findings="0"):
    j = load(check_json)
    bad = [f for f in j["findings"] if f["severity"] in ("warning", "error")]
    if bad:
        fail(f"warnings listed: {bad}")
    if len(j["findings"]) < int(min_findings):
        fail(f"{len(j['findings'])} findings, expected at least {min_findings}")
    print(f"no warnings ok ({len(j['findings'])} findings)")


def cmd_kept(catalog, quirks_truth, keep):
    quirks = load(quirks_truth)
    con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT st.study_instance_uid, se.series_number, p.kept, p.location_mm, p.slice_index "
        "FROM planes AS p JOIN series AS se ON se.id = p.series "
        "JOIN studies AS st ON st.id = p.study").fetchall()
    superseded = [r for r in rows if r[2] == 0]
    if len(superseded) != 1 or superseded[0][0] != quirks["study_instance_uid"]:
        fail(f"superseded planes {superseded}: expected one, in the quirks study")
    numbers = {s["series_number"] for s in quirks["series"]}
    repeat = [n for n in numbers if n >= 100][0]
    loser = repeat - 100 if keep == "latest" else repeat
    winner = repeat if keep == "latest" else repeat - 100
    if superseded[0][1] != loser:
        fail(f"--keep {keep}: plane of series {superseded[0][1]} superseded, expected {loser}")
    if superseded[0][4] is not None:
        fail(f"superseded plane has slice_index {superseded[0][4]}")
    kept = [r for r in rows if r[0] == quirks["study_instance_uid"] and r[1] == winner]
    if len(kept) != 1 or kept[0][2] != 1:
        fail(f"--keep {keep}: series {winner} not kept: {kept}")
    if abs(kept[0][3] - superseded[0][3]) > 0.5:
        fail(f"kept and superseded planes are {abs(kept[0][3] - superseded[0][3])} mm apart")
    print(f"kept ok (--keep {keep}: series {winner} kept, {loser} superseded)")


def cmd_locations(catalog, *truth_files):
    """Relative slice locations of the SAX stacks: the phantom plans slice k of n at an even
    spacing from the base (k = 0) to the apex, so the anatomical location is k / (n - 1); the
    paper's is (s - min) / (max - min) with s = -n.IPP, computed here from the truth geometry. A
    superseded repeat gets its location's values and no slice index."""
    con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    for t in map(load, truth_files):
        sax = [s for s in t["series"] if s["view"] == "sax"]
        firsts = sorted((s for s in sax if s["series_number"] < 100), key=lambda s: s["series_number"])
        def s_paper(series):
            sl = series["slices"][0]
            iop = np.array(sl["image_orientation_patient"])
            return -float(np.cross(iop[:3], iop[3:]) @ np.array(sl["image_position_patient"]))
        lo, hi = min(map(s_paper, firsts)), max(map(s_paper, firsts))
        rows = {}
        for s in sax:
            r = con.execute(
                "SELECT p.relative_location_anatomical, p.relative_location_paper, p.slice_index, "
                "p.kept FROM planes AS p JOIN series AS se ON se.id = p.series "
                "WHERE se.series_instance_uid = ?", (s["series_instance_uid"],)).fetchall()
            if len(r) != 1:
                fail(f"series {s['series_number']}: {len(r)} planes")
            rows[s["series_number"]] = r[0]
        for k, s in enumerate(firsts):
            n = s["series_number"]
            anat, paper, index, kept = rows[n + 100] if rows[n][3] == 0 else rows[n]
            want_paper = (s_paper(s) - lo) / (hi - lo)
            if abs(anat - k / (len(firsts) - 1)) > 1e-4:
                fail(f"series {n}: anatomical location {anat}, expected {k}/{len(firsts) - 1}")
            if abs(paper - want_paper) > 1e-4:
                fail(f"series {n}: paper location {paper}, expected {want_paper}")
            if index != k:
                fail(f"series {n}: slice_index {index}, expected {k}")
            if n + 100 in rows:  # both acquisitions of the repeated location share its values
                a, b = rows[n], rows[n + 100]
                if abs(a[0] - b[0]) > 1e-9 or abs(a[1] - b[1]) > 1e-9 or {a[2], b[2]} != {k, None}:
                    fail(f"repeated location {n}/{n + 100}: {a} vs {b}")
    print("locations ok")


def cmd_cancelled(curate_json, catalog, rc, total):
    """An interrupted curate: exit 130 means it stopped before the end (a cancelled run that
    stored every study is a complete run), and the catalog holds exactly what it says it stored;
    exit 0 means it finished first."""
    rc, total = int(rc), int(total)
    j = load(curate_json)
    con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    state = con.execute("SELECT state FROM curation_runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    stored = con.execute("SELECT count(DISTINCT study) FROM planes").fetchone()[0]
    if rc == 130:
        if j["status"] != "cancelled" or not j["cancelled"] or state != "cancelled":
            fail(f"exit 130 but status {j['status']}, run state {state}")
        if j["studies"] >= total:
            fail(f"SIGINT not honoured: the cancelled run curated and stored all {j['studies']} of "
                 f"{total} studies (took {j['seconds']:.1f} s)")
    elif rc == 0:
        if j["status"] != "ok" or j["cancelled"] or state != "complete" or j["studies"] != total:
            fail(f"exit 0 but status {j['status']}, run state {state}, {j['studies']} studies")
    else:
        fail(f"interrupted curate exit {rc}")
    if stored != j["studies"]:
        fail(f"the catalog holds curation of {stored} studies, the summary says {j['studies']}")
    print(f"cancel ok (exit {rc}, {j['studies']} of {total} studies stored)")


def cmd_views(views_json, *args):
    expect = {}
    truth_files = []
    it = iter(args)
    for a in it:
        if a == "--expect":
            uid, rest = next(it).split("=")
            expect[uid] = tuple(rest.split("/"))
        else:
            truth_files.append(a)
    rows = load(views_json)
    truth = truth_series(load(f) for f in truth_files)
    by_uid = {r["series_instance_uid"]: r for r in rows}
    if len(by_uid) != len(rows) or set(by_uid) != set(truth):
        fail(f"views lists {len(rows)} series, truth has {len(truth)}")
    for uid, (_, s) in truth.items():
        r = by_uid[uid]
        want = expect.get(uid, (s["view"], None))
        if r["view"] != want[0]:
            fail(f"series {s['series_number']} ({s['folder']}): view {r['view']}, expected {want[0]}")
        if want[1] is not None and r["source"] != want[1]:
            fail(f"series {uid}: source {r['source']}, expected {want[1]}")
        if want[1] is None and r["source"] == "user":
            fail(f"series {uid}: source user without an override")
        if r["geometry_view"] is None or not 0.0 <= r["confidence"] <= 1.0:
            fail(f"series {uid}: {r}")
    print(f"views ok ({len(rows)} series, {len(expect)} overrides)")


# ---------------------------------------------------------------------------------------------
def read_headers(dicom_dir):
    import pydicom
    images = {}
    for d, _, files in os.walk(dicom_dir):
        for f in files:
            if not f.endswith(".dcm") or os.sep + "labels" + os.sep in os.path.join(d, f):
                continue
            ds = pydicom.dcmread(os.path.join(d, f), stop_before_pixels=True)
            if "ImagePositionPatient" not in ds:
                continue
            iop = np.array([float(v) for v in ds.ImageOrientationPatient])
            images[ds.SOPInstanceUID] = dict(
                study=ds.StudyInstanceUID, series=ds.SeriesInstanceUID,
                frame=ds.FrameOfReferenceUID,
                ipp=np.array([float(v) for v in ds.ImagePositionPatient]),
                r=iop[:3], c=iop[3:], n=np.cross(iop[:3], iop[3:]),
                dr=float(ds.PixelSpacing[0]), dc=float(ds.PixelSpacing[1]),
                rows=int(ds.Rows), cols=int(ds.Columns))
    return images


def plane_key(im):
    return (im["series"], tuple(np.round(im["ipp"], 3)), tuple(np.round(im["n"], 5)))


def trace(a, b):
    """The trace of plane b in image a: coefficients (ka, kb, kd) of ka col + kb row + kd = 0 (mm of
    distance from b), or None when parallel within 1 degree."""
    cosang = abs(float(a["n"] @ b["n"]))
    if cosang > math.cos(math.radians(1.0)):
        return None
    ka = a["dc"] * float(b["n"] @ a["r"])
    kb = a["dr"] * float(b["n"] @ a["c"])
    kd = float(b["n"] @ (a["ipp"] - b["ipp"]))
    return ka, kb, kd


def clip(a, line):
    """The segment of the line inside a's pixel area, or None; plus 'ambiguous' when it only
    touches a corner."""
    ka, kb, kd = line
    norm = math.hypot(ka, kb)
    c0, c1, r0, r1 = -0.5, a["cols"] - 0.5, -0.5, a["rows"] - 0.5
    corners = [(ka * c + kb * r + kd) / norm for c in (c0, c1) for r in (r0, r1)]
    ambiguous = min(abs(v) for v in corners) < 1e-6
    if not (min(corners) < 0.0 < max(corners)):
        return None, ambiguous
    pts = []
    for c in (c0, c1):
        if abs(kb) > 1e-12:
            r = -(ka * c + kd) / kb
            if r0 - 1e-9 <= r <= r1 + 1e-9:
                pts.append((c, r))
    for r in (r0, r1):
        if abs(ka) > 1e-12:
            c = -(kb * r + kd) / ka
            if c0 - 1e-9 <= c <= c1 + 1e-9:
                pts.append((c, r))
    # The two points farthest apart (corners may appear twice).
    best = max(((p, q) for p in pts for q in pts), key=lambda pq: math.dist(pq[0], pq[1]))
    return best, ambiguous


def on_border(a, p, tol=1e-3):
    c, r = p
    c0, c1, r0, r1 = -0.5, a["cols"] - 0.5, -0.5, a["rows"] - 0.5
    inside = c0 - tol <= c <= c1 + tol and r0 - tol <= r <= r1 + tol
    return inside and min(abs(c - c0), abs(c - c1), abs(r - r0), abs(r - r1)) < tol


def cmd_intersections(dicom_dir, sop, crossing_json, all_json, *truth_files):
    images = read_headers(dicom_dir)
    truth = truth_series(load(f) for f in truth_files)
    if sop not in images:
        fail(f"image {sop} not found under {dicom_dir}")
    a = images[sop]
    own = plane_key(a)
    # Every plane of the study (one image position of a series) in this frame of reference.
    planes = {}
    for uid, im in images.items():
        if im["study"] == a["study"] and im["frame"] == a["frame"]:
            planes.setdefault(plane_key(im), im)
    expected = {}  # plane key -> (crosses, segment, ambiguous, angle)
    for key, b in planes.items():
        if key == own:
            continue
        line = trace(a, b)
        if line is None:
            continue
        segment, ambiguous = clip(a, line)
        angle = math.degrees(math.acos(min(1.0, abs(float(a["n"] @ b["n"])))))
        expected[key] = (segment is not None, segment, ambiguous, angle, line)
    crossing = load(crossing_json)
    listed = load(all_json)
    if len(listed) != len(expected):
        fail(f"--all lists {len(listed)} planes, {len(expected)} non-parallel planes in the study")
    n_cross = sum(1 for e in expected.values() if e[0])
    n_amb = sum(1 for e in expected.values() if e[2])
    if not n_cross - n_amb <= len(crossing) <= n_cross + n_amb:
        fail(f"{len(crossing)} crossing entries, {n_cross} planes cross the image")
    if [e for e in listed if e["crosses"]] != crossing:
        fail("the entries without --all are not the crossing entries of --all")
    seen = set()
    for e in listed:
        if e["other_image"] not in images:
            fail(f"other_image {e['other_image']} is no image of the tree")
        b = images[e["other_image"]]
        if b["series"] != e["other_series"]:
            fail(f"other_image {e['other_image']} is not in other_series {e['other_series']}")
        key = plane_key(b)
        if key not in expected:
            fail(f"entry for a plane that is parallel, the image itself or another study: {e}")
        if key in seen:
            fail(f"plane listed twice: {e}")
        seen.add(key)
        crosses, segment, ambiguous, angle, (ka, kb, kd) = expected[key]
        if e["view"] != truth[e["other_series"]][1]["view"]:
            fail(f"entry view {e['view']} != truth {truth[e['other_series']][1]['view']}")
        if abs(e["angle_deg"] - angle) > 1e-3:
            fail(f"angle {e['angle_deg']} != {angle}")
        if e["crosses"] != crosses and not ambiguous:
            fail(f"crosses {e['crosses']}, expected {crosses}: {e}")
        if not e["crosses"]:
            if "start" in e or "end" in e:
                fail(f"a segment for a trace that misses the image: {e}")
            continue
        norm = math.hypot(ka, kb)
        for name in ("start", "end"):
            p = e[name]
            d = abs(ka * p[0] + kb * p[1] + kd) / norm
            if d >= 1e-3:
                fail(f"{name} {p} is {d} px off the intersection line ({e['view']} {e['other_image']})")
            if not on_border(a, p):
                fail(f"{name} {p} is not on the border of the {a['cols']}x{a['rows']} pixel area")
        if segment is not None and not ambiguous:
            got = (tuple(e["start"]), tuple(e["end"]))
            err = min(max(math.dist(got[0], segment[0]), math.dist(got[1], segment[1])),
                      max(math.dist(got[0], segment[1]), math.dist(got[1], segment[0])))
            if err >= 1e-3:
                fail(f"segment {got} != clipped trace {segment}")
    print(f"intersections ok: {a['cols']}x{a['rows']} image, {len(listed)} non-parallel planes, "
          f"{len(crossing)} crossing")


# ---------------------------------------------------------------------------------------------
def cmd_targets(png, targets_json, catalog, sop, view, *channel_views):
    empty_flags = "--empty-flags" in channel_views
    channel_views = [c for c in channel_views if c != "--empty-flags"]
    with open(png, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{png}: no PNG signature")
    length, ctype = struct.unpack(">I4s", data[8:16])
    if ctype != b"IHDR" or length != 13:
        fail(f"{png}: first chunk {ctype} ({length} bytes), expected IHDR")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    (crc,) = struct.unpack(">I", data[29:33])
    if zlib.crc32(data[12:29]) != crc:
        fail(f"{png}: bad IHDR CRC")
    if (width, height) != (224, 224):
        fail(f"{png}: {width}x{height}, expected 224x224")
    if not data.endswith(b"IEND\xaeB`\x82"):
        fail(f"{png}: no IEND chunk at the end")
    j = load(targets_json)
    if j["view"] != view:
        fail(f"targets view {j['view']}, expected {view}")
    got = [c["view"] for c in j["channels"]]
    if got != list(channel_views):
        fail(f"channels {got}, expected {list(channel_views)}")
    if empty_flags and any(c["flag"] for c in j["channels"]):
        fail(f"channel flags not empty: {j['channels']}")
    if any(not c["series"] for c in j["channels"]):
        fail(f"a channel without a series: {j['channels']}")
    rel = j["relative_location_anatomical"]
    if rel is None or not 0.0 <= rel <= 1.0 or not 0.0 <= j["relative_location_paper"] <= 1.0:
        fail(f"relative locations {rel}, {j['relative_location_paper']}")
    # The same relative locations as the curation stored for this image's plane.
    con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    stored = con.execute(
        "SELECT p.relative_location_anatomical, p.relative_location_paper FROM instances AS i "
        "JOIN plane_images AS pi ON pi.instance = i.id JOIN planes AS p ON p.id = pi.plane "
        "WHERE i.sop_instance_uid = ?", (sop,)).fetchall()
    if len(stored) != 1 or abs(stored[0][0] - rel) > 1e-9 or \
            abs(stored[0][1] - j["relative_location_paper"]) > 1e-9:
        fail(f"targets relative locations {rel}, {j['relative_location_paper']} != catalog {stored}")
    if j["image"] != sop:
        fail(f"targets image {j['image']} != {sop}")
    if j.get("png") != png or j.get("reference_lines", 0) < 1:
        fail(f"png {j.get('png')}, reference lines {j.get('reference_lines')}")
    print(f"targets ok: {width}x{height} PNG, channels {got}, relative location {rel:.3f}")


# ---------------------------------------------------------------------------------------------
def cmd_dump(catalog):
    con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    study = dict(con.execute("SELECT id, study_instance_uid FROM studies"))
    series = dict(con.execute("SELECT id, series_instance_uid FROM series"))
    instance = {i: f"{s}#{f}" for i, s, f in
                con.execute("SELECT id, sop_instance_uid, frame_number FROM instances")}
    plane = {i: f"{study[s]}/plane{n}" for i, s, n in con.execute("SELECT id, study, number FROM planes")}
    stack = {i: f"{study[s]}/stack{n}" for i, s, n in con.execute("SELECT id, study, number FROM stacks")}
    refs = {"study": study, "series": series, "instance": instance, "plane": plane,
            "other": plane, "stack": stack}
    skip = {"id", "run", "set_at"}
    for table in ("stacks", "planes", "plane_images", "view_labels", "view_overrides",
                  "plane_intersections", "qa_findings"):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in skip]
        rows = []
        for row in con.execute(f"SELECT {', '.join(cols)} FROM {table}"):
            rows.append(repr(tuple(refs[c].get(v, v) if c in refs and v is not None else v
                                   for c, v in zip(cols, row))))
        print(f"## {table} ({', '.join(cols)}): {len(rows)} rows")
        print("\n".join(sorted(rows)))


COMMANDS = {"pick": cmd_pick, "study": cmd_study, "series": cmd_series, "summary": cmd_summary,
            "findings": cmd_findings, "no-warnings": cmd_no_warnings, "kept": cmd_kept,
            "locations": cmd_locations, "directions": cmd_directions, "cancelled": cmd_cancelled,
            "views": cmd_views, "intersections": cmd_intersections, "targets": cmd_targets,
            "dump": cmd_dump}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
