#!/usr/bin/env python3
"""Checks that docs/troubleshooting.md lists every import and curation/QA key.

Usage: check_troubleshooting.py SOURCE_ROOT

Exit 0 when every key below appears in docs/troubleshooting.md in backticks (`key`); exit 1
listing the missing ones (or naming a rule that found nothing). Standard library only.

Where the keys come from (the rule; C++ comments are stripped first, and a key is a string
literal matching [a-z][a-z0-9_]*):

Code — the places where import issue keys, catalog status keys and curation finding keys are
defined. Each rule must find at least one key, so a moved or renamed function makes this check
fail instead of silently checking nothing.
  1. core/dicom/header_reader.cpp: the key argument (2nd) of `addIssue(record, KEY, ...)` — all
     literals in it, so `cut ? "truncated" : "corrupt"` gives both — and the 1st argument of
     `problems.add(KEY, ...)` (missing/invalid geometry).
  2. core/dicom/file_discovery.cpp: the 2nd argument of `issue(path, KEY, ...)`.
  3. core/catalog/*.cpp: the first literal of a brace initialiser `{"key", ...}` (issue records
     such as duplicate_sop_instance, and Status{...}), the argument of `guard("key", ...)` and the
     2nd argument of `toStatus(error, "key")` (catalog status keys).
  4. core/import/importer.cpp: `status = {"key", ...}` (run-level keys such as no_inputs).
  5. core/curation/*.cpp: the 1st argument of `addFinding(KEY, ...)`, `invalid[...]["key"]`
     (the missing_geometry finding) and `return {"key", ...}` (unknown_study).
  6. core/geometry/image_plane.cpp: the `return "key";` statements of ImagePlane::validate (the
     geometry finding keys: orientation_not_unit, bad_pixel_spacing, ...).
  7. app/cli/import_command.cpp, curate_command.cpp, cli_common.cpp: `"[key]` at the start of a
     string literal (the messages of the import and curation verbs).
  8. core/dicom/pixel_reader.cpp, seg_reader.cpp, core/sources/dicom_sources.cpp: the first literal
     of `Failure{"key"` / `failure = {"key"` and of `fail("key", ...)` (keys of reading pixels and
     labels, which the viewer, the misalignment score, targets and prepare report).

Docs:
  9. docs/import-issues.md and docs/curation.md: every backticked key in the first column of a
     Markdown table whose header's first cell is "key", and in curation.md the backticked keys of
     the "Error keys of the verbs:" sentence.
"""

import glob
import os
import re
import sys

KEY = re.compile(r"^[a-z][a-z0-9_]*$")
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def strip_comments(text):
    """C++ text without // and /* */ comments (string and char literals kept intact)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_arguments(text, start):
    """The top-level arguments of the call whose '(' is at text[start]."""
    args, depth, i, begin = [], 0, start, start + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[begin:i])
                return args
        elif c == "," and depth == 1:
            args.append(text[begin:i])
            begin = i + 1
        i += 1
    return args


def keys_in(fragment):
    return {m.group(1) for m in LITERAL.finditer(fragment) if KEY.match(m.group(1))}


def call_keys(text, callee, index):
    """Keys among the literals of argument `index` of every call `callee(`."""
    found = set()
    for m in re.finditer(r"(?<!\w)" + callee + r"\s*\(", text):
        args = call_arguments(text, m.end() - 1)
        if len(args) > index:
            found |= keys_in(args[index])
    return found


def regex_keys(text, pattern):
    return {m.group(1) for m in re.finditer(pattern, text) if KEY.match(m.group(1))}


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def code(root, *patterns):
    """Comment-free text of the files matching the patterns (relative to root)."""
    files = []
    for pattern in patterns:
        files += sorted(glob.glob(os.path.join(root, pattern)))
    if not files:
        raise SystemExit("check_troubleshooting.py: no file matches {} under {}".format(
            patterns, root))
    return "\n".join(strip_comments(read(f)) for f in files)


def code_keys(root):
    """{rule name: keys} from the code."""
    rules = {}
    text = code(root, "core/dicom/header_reader.cpp")
    rules["header_reader addIssue"] = call_keys(text, "addIssue", 1)
    rules["header_reader problems.add"] = call_keys(text, r"problems\.add", 0)
    text = code(root, "core/dicom/file_discovery.cpp")
    rules["file_discovery issue"] = call_keys(text, "issue", 1)
    text = code(root, "core/catalog/*.cpp")
    rules["catalog records and status"] = (
        regex_keys(text, r'\{\s*"([a-z][a-z0-9_]*)"\s*,')
        | call_keys(text, "guard", 0)
        | call_keys(text, "toStatus", 1))
    text = code(root, "core/import/importer.cpp")
    rules["importer status"] = regex_keys(text, r'status\s*=\s*\{\s*"([a-z][a-z0-9_]*)"')
    text = code(root, "core/curation/*.cpp")
    rules["curation addFinding"] = call_keys(text, "addFinding", 0)
    rules["curation invalid geometry"] = regex_keys(
        text, r'invalid\s*\[[^\]]*\]\s*\[\s*"([a-z][a-z0-9_]*)"\s*\]')
    rules["curation status"] = regex_keys(text, r'return\s*\{\s*"([a-z][a-z0-9_]*)"\s*,')
    text = code(root, "core/geometry/image_plane.cpp")
    validate = re.search(r"ImagePlane::validate\s*\([^)]*\)[^{]*\{(.*?)\n\}", text, re.S)
    rules["geometry validate"] = (
        regex_keys(validate.group(1), r'return\s+"([a-z][a-z0-9_]*)"\s*;') if validate else set())
    text = code(root, "app/cli/import_command.cpp", "app/cli/curate_command.cpp",
                "app/cli/cli_common.cpp")
    rules["CLI [key] messages"] = regex_keys(text, r'"\[([a-z][a-z0-9_]*)\]')
    text = code(root, "core/dicom/pixel_reader.cpp", "core/dicom/seg_reader.cpp",
                "core/sources/dicom_sources.cpp")
    rules["pixel and label reading"] = (
        regex_keys(text, r'[Ff]ailure\s*(?:=\s*)?\{\s*"([a-z][a-z0-9_]*)"')
        | call_keys(text, "fail", 0))
    return rules


def table_keys(markdown):
    """Backticked keys in the first column of tables whose header's first cell is `key`."""
    found = set()
    in_key_table = False
    previous = ""
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            in_key_table = False
            previous = stripped
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if re.match(r"^:?-+:?$", cells[0] or "-") and previous.startswith("|"):
            header = [c.strip() for c in previous.strip().strip("|").split("|")]
            in_key_table = header[0].lower() == "key"
        elif in_key_table:
            found |= {k for k in re.findall(r"`([^`]+)`", cells[0]) if KEY.match(k)}
        previous = stripped
    return found


def doc_keys(root):
    rules = {}
    imports = read(os.path.join(root, "docs/import-issues.md"))
    rules["docs/import-issues.md key tables"] = table_keys(imports)
    curation = read(os.path.join(root, "docs/curation.md"))
    rules["docs/curation.md key tables"] = table_keys(curation)
    verbs = re.search(r"Error keys of the verbs:(.*?)(?:\n\s*\n|$)", curation, re.S)
    rules["docs/curation.md error keys of the verbs"] = (
        {k for k in re.findall(r"`([^`]+)`", verbs.group(1)) if KEY.match(k)} if verbs else set())
    return rules


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = sys.argv[1]
    page_path = os.path.join(root, "docs/troubleshooting.md")
    page = read(page_path)
    documented = set(re.findall(r"`([a-z][a-z0-9_]*)`", page))

    rules = code_keys(root)
    rules.update(doc_keys(root))
    failed = False
    for name, keys in rules.items():
        if not keys:
            print("check_troubleshooting.py: rule '{}' found no keys: the code or the docs "
                  "moved; update this script".format(name), file=sys.stderr)
            failed = True
    wanted = {}
    for name, keys in rules.items():
        for key in keys:
            wanted.setdefault(key, []).append(name)
    missing = sorted(k for k in wanted if k not in documented)
    for key in missing:
        print("missing from docs/troubleshooting.md: `{}` (from {})".format(
            key, ", ".join(wanted[key])), file=sys.stderr)
    if missing or failed:
        return 1
    print("check_troubleshooting.py: all {} keys are in {}".format(len(wanted), page_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
