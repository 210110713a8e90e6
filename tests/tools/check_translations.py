#!/usr/bin/env python3
"""Checks PlaneLab's Qt Linguist files (translations/*.ts):

1. in sync with the sources: lupdate run on the sources the build translates (CMake's
   PLANELAB_TRANSLATED_SOURCES, the list update_translations uses) into a scratch file finds
   exactly the messages the committed .ts files hold (else: run the update_translations target);
2. complete: every message has a finished, non-empty translation (every plural form too);
3. consistent: each translation keeps its source's %1..%9 / %n placeholders and, where the source
   has a keyboard accelerator (&F), an accelerator of its own.

Usage: check_translations.py LUPDATE INCLUDE_ROOT TS_FILE... --sources SOURCE...
"""
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
    args = sys.argv[1:]
    split = args.index("--sources")
    lupdate, root, ts_files, translated = args[0], args[1], args[2:split], args[split + 1:]
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        fresh = os.path.join(scratch, "fresh.ts")
        # Headers first, with the include root: lupdate then knows each class's namespace and
        # Q_OBJECT before it meets the class's tr() calls.
        headers = sorted(f for f in translated if f.endswith(".h"))
        sources = sorted(f for f in translated if not f.endswith(".h"))
        subprocess.run([lupdate, "-silent", "-no-obsolete", "-locations", "none", "-I", root]
                       + headers + sources + ["-ts", fresh],
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
