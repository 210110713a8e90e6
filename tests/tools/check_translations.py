#!/usr/bin/env python3
"""Checks PlaneLab's Qt Linguist files (translations/*.ts):

1. in sync with the sources: lupdate run on ui/ and app/gui/main.cpp into a scratch file finds
   exactly the messages the committed .ts files hold (else: run the update_translations target);
2. complete: every message has a finished, non-empty translation (every plural form too);
3. consistent: each translation keeps its source's %1..%9 / %n placeholders and, where the source
   has a keyboard accelerator (&F), an accelerator of its own.

Usage: check_translations.py LUPDATE SOURCE_ROOT TS_FILE...
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PLACEHOLDER = re.compile(r"%(?:[1-9]|n)")
ACCELERATOR = re.compile(r"&(?!&)(?=\S)")


def messages(path):
    """(context, source, comment) -> list of translation texts (one per plural form), finished."""
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            key = (name, message.findtext("source"), message.findtext("comment") or "")
            translation = message.find("translation")
            kind = translation.get("type", "")
            forms = translation.findall("numerusform")
            texts = [f.text or "" for f in forms] if forms else [translation.text or ""]
            out[key] = (kind, texts)
    return out


def main():
    lupdate, root, ts_files = sys.argv[1], sys.argv[2], sys.argv[3:]
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        fresh = os.path.join(scratch, "fresh.ts")
        # Headers before sources, with the include root, as the update_translations target
        # passes them: lupdate then knows each class's namespace and Q_OBJECT.
        ui = os.path.join(root, "ui")
        headers = sorted(glob.glob(os.path.join(ui, "**", "*.h"), recursive=True))
        sources = sorted(glob.glob(os.path.join(ui, "**", "*.cpp"), recursive=True))
        subprocess.run([lupdate, "-silent", "-no-obsolete", "-locations", "none", "-I", root]
                       + headers + sources + [os.path.join(root, "app", "gui", "main.cpp"),
                                              "-ts", fresh],
                       check=True, stderr=subprocess.DEVNULL)
        wanted = set(messages(fresh))
    for ts in ts_files:
        name = os.path.basename(ts)
        have = messages(ts)
        missing = wanted - set(have)
        stale = set(have) - wanted
        for key in sorted(missing)[:10]:
            problems.append(f"{name}: not in the .ts (run update_translations): {key[0]}: {key[1]!r}")
        for key in sorted(stale)[:10]:
            problems.append(f"{name}: no longer in the sources: {key[0]}: {key[1]!r}")
        for (context, source, _), (kind, texts) in sorted(have.items()):
            where = f"{name}: {context}: {source!r}"
            if kind in ("unfinished", "vanished", "obsolete") or any(not t.strip() for t in texts):
                problems.append(f"{where}: not translated")
                continue
            for text in texts:
                want = sorted(set(PLACEHOLDER.findall(source)))
                got = sorted(set(PLACEHOLDER.findall(text)))
                if want != got:
                    problems.append(f"{where}: placeholders {want} but translation has {got}")
                if ACCELERATOR.search(source) and not ACCELERATOR.search(text):
                    problems.append(f"{where}: the accelerator is lost in {text!r}")
        print(f"{name}: {len(have)} messages checked")
    for p in problems:
        print("PROBLEM:", p)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print(f"translations complete and in sync with the sources ({len(wanted)} messages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
