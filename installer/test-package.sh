#!/usr/bin/env bash
# The Debian package, checked as a user and a distribution would:
#   1. build it (CPack) from the build tree;
#   2. lintian reports no errors; desktop-file-validate and appstreamcli validate pass on the files
#      inside the package; the man pages and translations are there;
#   3. with PLANELAB_TEST_INSTALL_PACKAGE=1 (CI sets it; it changes the system, so never by
#      default) and as root: apt-get install ./planelab_*.deb, run the installed planelab-cli
#      (--version, then phantom -> import -> curate) and planelab --version, start the menu
#      entry's command line on the catalog, check that the catalog MIME type and its association
#      are registered, then apt-get purge and check that nothing of the package is left.
# Usage: installer/test-package.sh BUILD_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skipped part 3 (parts 1 and 2 passed).
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Build.
rm -f "$build"/package/planelab_*.deb
cmake --build "$build" --target package > "$work/cpack.log" 2>&1 || fail "cpack: $(tail -20 "$work/cpack.log")"
debs=("$build"/package/planelab_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one planelab_*.deb in $build/package"
deb=${debs[0]}
echo "package: $deb ($(du -h "$deb" | cut -f1))"

# 2. Static checks.
lintian --fail-on error --tag-display-limit 0 "$deb" > "$work/lintian.txt" 2>&1 ||
  fail "lintian errors: $(grep '^E:' "$work/lintian.txt" | head -20)"
echo "lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors, $(grep -c '^W:' "$work/lintian.txt" || true) warnings"
root=$work/root
dpkg-deb -x "$deb" "$root"
app_id=org.planelab.PlaneLab
desktop-file-validate "$root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" > "$work/appstream.txt" 2>&1 ||
  fail "appstreamcli validate: $(cat "$work/appstream.txt")"
for f in usr/bin/planelab usr/bin/planelab-cli usr/share/man/man1/planelab.1.gz \
         usr/share/man/man1/planelab-cli.1.gz usr/share/mime/packages/$app_id.xml \
         usr/share/icons/hicolor/scalable/apps/$app_id.svg \
         usr/share/icons/hicolor/48x48/apps/$app_id.png \
         usr/share/doc/planelab/copyright usr/share/doc/planelab/changelog.Debian.gz; do
  [ -s "$root/$f" ] || fail "$f missing from the package"
done
dpkg-deb -f "$deb" Depends | grep -q "libqt6widgets6" || fail "Depends lacks the computed Qt libraries"
# The translations travel inside the binary: the packaged planelab speaks the system's language.
for locale_text in "zh_CN:要打开的目录文件" "de_DE:Zu öffnende Katalogdatei"; do
  locale=${locale_text%%:*}
  help=$(env LANG=$locale.UTF-8 LC_ALL= LC_MESSAGES= LANGUAGE= QT_QPA_PLATFORM=offscreen \
         XDG_CONFIG_HOME="$work/config" "$root/usr/bin/planelab" --help 2>/dev/null)
  grep -q "${locale_text#*:}" <<< "$help" || fail "the packaged planelab does not speak $locale under LANG=$locale: $help"
done
echo "static checks: pass"

# 3. Install, use, uninstall.
if [ "${PLANELAB_TEST_INSTALL_PACKAGE:-0}" != 1 ] || [ "$(id -u)" -ne 0 ]; then
  echo "SKIP install check: set PLANELAB_TEST_INSTALL_PACKAGE=1 and run as root (it installs system-wide)"
  exit 77
fi
if dpkg-query -W -f='${Status}' planelab 2>/dev/null | grep -q "install ok installed"; then
  echo "SKIP install check: planelab is already installed on this machine; not touching it"
  exit 77
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" \
  > "$work/install.log" 2>&1 || fail "apt-get install: $(tail -20 "$work/install.log")"
trap 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq planelab > /dev/null 2>&1 || true' EXIT
[ "$(command -v planelab-cli)" = /usr/bin/planelab-cli ] || fail "planelab-cli is not on PATH from /usr/bin"
version=$(dpkg-query -W -f='${Version}' planelab)
/usr/bin/planelab-cli --version | grep -q "planelab-cli ${version%-*}" ||
  fail "installed planelab-cli --version: $(/usr/bin/planelab-cli --version)"
QT_QPA_PLATFORM=offscreen /usr/bin/planelab --version 2>/dev/null | grep -q "${version%-*}" ||
  fail "installed planelab --version"
cd "$work"
/usr/bin/planelab-cli phantom --subjects 1 --phases 2 --quality fast --seed 3 --out cohort > phantom.log 2>&1 ||
  fail "installed phantom: $(tail -5 phantom.log)"
/usr/bin/planelab-cli import catalog.planelab cohort/dicom --jobs 2 --json > import.json 2> import.log ||
  fail "installed import: $(tail -5 import.log)"
/usr/bin/planelab-cli curate catalog.planelab --jobs 2 --json > curate.json 2> curate.log ||
  fail "installed curate: $(tail -5 curate.log)"
python3 - "$work" << 'EOF' || fail "import/curate results"
import json, sys, os
work = sys.argv[1]
imp = json.load(open(os.path.join(work, "import.json")))
cur = json.load(open(os.path.join(work, "curate.json")))
assert imp["status"] == "ok" and imp["catalog_after"]["studies"] == 1, imp
assert imp["catalog_after"]["instances"] > 0 and imp["catalog_after"]["issues"] == 0, imp
assert cur["status"] == "ok" and cur["studies"] == 1 and cur["stacks"] >= 1, cur
assert cur["views"].get("sax", 0) > 0 and cur["views"].get("4ch", 0) == 1, cur["views"]
print("installed binaries: imported", imp["catalog_after"]["instances"], "instances; curated",
      cur["planes"], "planes,", cur["intersections"], "intersections, views", cur["views"])
EOF
# The menu entry's command line, as a desktop would run it for a double-clicked catalog, starts the
# application on that catalog: after 10 s it is still in its event loop (timeout's 124) and has put
# the catalog first in its recent list (QSettings under XDG_CONFIG_HOME). Under Xvfb, as the 3-D
# scene needs OpenGL.
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/$app_id.desktop)
launch=${exec_line//%f/$work/catalog.planelab}
set +e
env QT_QPA_PLATFORM=xcb LIBGL_ALWAYS_SOFTWARE=1 XDG_CONFIG_HOME="$work/config" \
  xvfb-run -a -s "-screen 0 1280x800x24" timeout 10 $launch > launch.log 2>&1
rc=$?
set -e
[ $rc -eq 124 ] || fail "the menu entry's command ($launch) exited $rc: $(tail -5 launch.log)"
grep -q "catalog.planelab" "$work/config/PlaneLab/PlaneLab.conf" 2> /dev/null ||
  fail "the menu entry's command did not open the catalog (recent list: $(cat "$work/config/PlaneLab/PlaneLab.conf" 2>&1))"
echo "menu entry: '$exec_line' starts PlaneLab on a catalog"
# The triggers of shared-mime-info and desktop-file-utils (when installed) registered the type and
# the application for it.
if command -v update-mime-database > /dev/null; then
  [ -f /usr/share/mime/application/x-planelab-catalog.xml ] || fail "MIME type not registered"
fi
if command -v update-desktop-database > /dev/null; then
  grep -q "application/x-planelab-catalog=$app_id.desktop" /usr/share/applications/mimeinfo.cache ||
    fail "catalogs are not associated with PlaneLab in mimeinfo.cache"
fi
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print substr($6, 2)}' > "$work/files.txt"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq planelab > "$work/purge.log" 2>&1 ||
  fail "apt-get purge: $(tail -20 "$work/purge.log")"
trap - EXIT
left=$(while read -r f; do [ -e "$f" ] && echo "$f"; done < "$work/files.txt" || true)
[ -z "$left" ] || fail "left after purge: $left"
! dpkg-query -W -f='${Status}' planelab 2>/dev/null | grep -q "installed" || fail "still installed"
echo "install, run, purge: pass ($(wc -l < "$work/files.txt") files installed and removed)"
