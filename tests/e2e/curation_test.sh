#!/usr/bin/env bash
# planelab-cli's curation verbs as a user meets them, on a small phantom cohort (a quirks heart, a
# UK Biobank heart, a quirks knee): curate, check, views (with corrections that survive
# re-curation), intersections (recomputed from the DICOM headers with pydicom), targets (PNG),
# the refusals (never curated, unknown study / series / view) and idempotent re-curation.
#   curation_test.sh CLI WORK PYTHON TOOLS_DIR
set -euo pipefail
cli=$1 work=$2 py=$3 tools=$4
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"
chk() { "$py" "$tools/check_curation.py" "$@"; }
# view_of VIEWS_JSON SERIES_UID: "view/source" of one series in views --json.
view_of() {
  "$py" -c 'import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["series_instance_uid"] == sys.argv[2]]
print(rows[0]["view"] + "/" + rows[0]["source"] if len(rows) == 1 else f"{len(rows)} rows")' "$1" "$2"
}
jget() { "$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
t_start=$(date +%s)

# The cohort: quirks heart (localizer, repeated SAX location, missing phase, odd matrix, blank
# descriptions), UK Biobank heart (with 3CH), quirks knee (localizer whose planes miss some slices).
gen() { "$cli" phantom --level L2 --labels none --quality fast --threads 2 "$@" > /dev/null; }
gen --organ heart --subjects 1 --seed 7 --layout quirks --phases 3 --out "$work/quirks"
gen --organ heart --subjects 1 --seed 8 --layout ukb --phases 2 --out "$work/ukb"
gen --organ knee --subjects 1 --seed 9 --layout quirks --out "$work/knee"
tq=$work/quirks/truth/PL-HEART-0000.json
tu=$work/ukb/truth/PL-HEART-0000.json
tk=$work/knee/truth/PL-KNEE-0000.json
truths=("$tq" "$tu" "$tk")
cat=$work/c.planelab
"$cli" import "$cat" "$work/quirks/dicom" "$work/ukb/dicom" "$work/knee/dicom" --jobs 2 > /dev/null \
  || fail "import exit $?"
sax_mid=$(chk pick "$tq" sax:mid)

# 6. Never curated: the read verbs refuse; an unknown study is refused and curates nothing.
expect 1 not_curated "$cli" check "$cat" --json
expect 1 not_curated "$cli" views "$cat"
expect 1 not_curated "$cli" intersections "$cat" --image "$sax_mid" --json
expect 1 unknown_study "$cli" curate "$cat" --study 1.2.3.4.5 --jobs 2
expect 1 not_curated "$cli" check "$cat"

# 1. curate: summary, findings of the quirks, which acquisition of the repeated location is kept.
expect 0 "" "$cli" curate "$cat" --jobs 2 --json
cp "$work/out.txt" "$work/curate1.json"
chk summary "$work/curate1.json" "${truths[@]}"
expect 2 "" "$cli" check "$cat" --json
cp "$work/out.txt" "$work/check.json"
chk findings "$work/check.json" "$tq" "${truths[@]}"
chk directions "$work/check.json" "${truths[@]}"
chk kept "$cat" "$tq" latest
chk locations "$cat" "$tq" "$tu"
expect 2 "" "$cli" check "$cat" --study "$(chk study "$tq")"
expect 0 "" "$cli" check "$cat" --study "$(chk study "$tk")" --json
chk no-warnings "$work/out.txt"
expect 1 unknown_study "$cli" check "$cat" --study 1.2.3.4.5

# 2. Views: the truth's view of every series (heart and knee; the localizers are localizers).
expect 0 "" "$cli" views "$cat" --json
cp "$work/out.txt" "$work/views1.json"
chk views "$work/views1.json" "${truths[@]}"
expect 0 "" "$cli" views "$cat" --study "$(chk study "$tk")" --json
chk views "$work/out.txt" "$tk"

# 3. Intersections, recomputed from the DICOM headers: SAX images (one with the odd matrix, the
#    kept repeat), the other heart's SAX, a 2CH and a localizer, knee images whose traces partly
#    miss (crosses false).
for spec in quirks:sax:mid quirks:sax:odd quirks:sax:repeat ukb:sax:mid quirks:2ch:first \
            quirks:localizer:first knee:sag:first knee:localizer:first knee:cor:mid; do
  subject=${spec%%:*}
  case $subject in quirks) truth=$tq ;; ukb) truth=$tu ;; knee) truth=$tk ;; esac
  sop=$(chk pick "$truth" "${spec#*:}")
  expect 0 "" "$cli" intersections "$cat" --image "$sop" --json
  cp "$work/out.txt" "$work/x_crossing.json"
  expect 0 "" "$cli" intersections "$cat" --image "$sop" --all --json
  cp "$work/out.txt" "$work/x_all.json"
  echo -n "$spec: "
  chk intersections "$work/$subject/dicom" "$sop" "$work/x_crossing.json" "$work/x_all.json" "${truths[@]}"
done
expect 1 unknown_image "$cli" intersections "$cat" --image 1.2.3.4.5 --json

# 5. Targets: a 224x224 PNG, the 2CH and 4CH channels of a SAX image (both lines in view); the
#    knee's other two families.
expect 0 "" "$cli" targets "$cat" --image "$sax_mid" --png "$work/sax.png" --json
cp "$work/out.txt" "$work/targets_sax.json"
chk targets "$work/sax.png" "$work/targets_sax.json" "$cat" "$sax_mid" sax 2ch 4ch --empty-flags
sag_mid=$(chk pick "$tk" sag:mid)
expect 0 "" "$cli" targets "$cat" --image "$sag_mid" --png "$work/sag.png" --json
cp "$work/out.txt" "$work/targets_sag.json"
chk targets "$work/sag.png" "$work/targets_sag.json" "$cat" "$sag_mid" sag cor ax
ukb_mid=$(chk pick "$tu" sax:mid)
expect 0 "" "$cli" targets "$cat" --image "$ukb_mid" --channels 4ch,3ch,2ch --png "$work/ukb.png" --json
cp "$work/out.txt" "$work/targets_ukb.json"
chk targets "$work/ukb.png" "$work/targets_ukb.json" "$cat" "$ukb_mid" sax 4ch 3ch 2ch --empty-flags
expect 1 unknown_image "$cli" targets "$cat" --image 1.2.3.4.5 --png "$work/none.png"
[ ! -e "$work/none.png" ] || fail "targets wrote a PNG for an unknown image"

# 7. Re-curation is idempotent.
chk dump "$cat" > "$work/dump1.txt"
expect 0 "" "$cli" curate "$cat" --jobs 2
chk dump "$cat" > "$work/dump2.txt"
diff "$work/dump1.txt" "$work/dump2.txt" > "$work/dump.diff" || fail "re-curation changed the catalog (see $work/dump.diff)"

# 4. A user's view correction wins, survives re-curation, and can be taken back.
#    (Re-curating the study of the series is enough; the others stay as they are.)
two=$(chk series "$tq" 2ch)
study_q=$(chk study "$tq")
expect 0 "" "$cli" views "$cat" --set "$two=4ch" --json
[ "$(view_of "$work/out.txt" "$two")" = 4ch/user ] || fail "after --set: $(view_of "$work/out.txt" "$two")"
expect 0 "" "$cli" curate "$cat" --study "$study_q" --jobs 2
expect 0 "" "$cli" views "$cat" --json
cp "$work/out.txt" "$work/views2.json"
chk views "$work/views2.json" "${truths[@]}" --expect "$two=4ch/user"
expect 0 "" "$cli" intersections "$cat" --image "$sax_mid" --json
"$py" -c 'import json, sys
views = [e["view"] for e in json.load(open(sys.argv[1])) if e["other_series"] == sys.argv[2]]
assert views == ["4ch"], views' "$work/out.txt" "$two" || fail "intersections do not show the corrected view"
expect 0 "" "$cli" views "$cat" --set "$two=" --json
expect 0 "" "$cli" curate "$cat" --study "$study_q" --jobs 2
expect 0 "" "$cli" views "$cat" --json
[ "$(view_of "$work/out.txt" "$two")" = 2ch/geometry ] || fail "after removal: $(view_of "$work/out.txt" "$two")"
chk dump "$cat" > "$work/dump3.txt"
diff "$work/dump1.txt" "$work/dump3.txt" > "$work/dump.diff" || fail "set + remove + re-curate differs from the first curation (see $work/dump.diff)"
expect 1 unknown_series "$cli" views "$cat" --set "1.2.3.4.5=sax"
expect 1 invalid_view "$cli" views "$cat" --set "$two=5ch"
expect 1 invalid_view "$cli" views "$cat" --set "$two"
expect 0 "" "$cli" views "$cat" --json
[ "$(view_of "$work/out.txt" "$two")" = 2ch/geometry ] || fail "a refused --set changed the view"

# --keep first: the earlier acquisition of the repeated location wins. Without the misalignment
# score the UK Biobank heart has only info findings: check exits 0. (And the text forms work.)
expect 0 "" "$cli" curate "$cat" --keep first --no-misalignment --jobs 2
grep -q "3 studies" "$work/out.txt" || fail "curate text summary: $(cat "$work/out.txt")"
chk kept "$cat" "$tq" first
expect 2 "" "$cli" check "$cat"
expect 0 "" "$cli" views "$cat"
expect 0 "" "$cli" intersections "$cat" --image "$sax_mid"
expect 0 "" "$cli" targets "$cat" --image "$sax_mid"
expect 0 "" "$cli" check "$cat" --study "$(chk study "$tu")" --json
chk no-warnings "$work/out.txt" 1

# Ctrl-C (SIGINT) during the first curation of a fresh catalog: exit 130 only when the run really
# stopped early, with the catalog holding what the summary says (exit 0 if it finished first);
# a run that stored nothing leaves the catalog not curated; curating again gives the same
# content as an uninterrupted curation.
fresh=$work/fresh.planelab
"$cli" import "$fresh" "$work/quirks/dicom" "$work/ukb/dicom" "$work/knee/dicom" --jobs 2 > /dev/null
"$cli" curate "$fresh" --jobs 2 --json > "$work/cancel.json" 2> "$work/cancel.err" &
pid=$!
sleep 0.5
kill -INT "$pid" 2> /dev/null || true
set +e
wait "$pid"
rc=$?
set -e
chk cancelled "$work/cancel.json" "$fresh" "$rc" 3
if [ "$rc" -eq 130 ]; then
  grep -q "\[cancelled\]" "$work/cancel.err" || fail "no [cancelled] on stderr"
  if [ "$(jget "$work/cancel.json" studies)" -eq 0 ]; then
    expect 1 not_curated "$cli" check "$fresh" --json
  fi
fi
expect 0 "" "$cli" curate "$fresh" --jobs 2
chk dump "$fresh" > "$work/dump_fresh.txt"
diff "$work/dump1.txt" "$work/dump_fresh.txt" > "$work/dump.diff" || fail "curation after an interrupted one differs (see $work/dump.diff)"
echo "curation: all checks passed ($(($(date +%s) - t_start)) s)"
