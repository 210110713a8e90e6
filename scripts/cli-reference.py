#!/usr/bin/env python3
"""Generate docs/cli-reference.md from planelab-cli's own --help output.

Usage:
    scripts/cli-reference.py PLANELAB_CLI                 # print the Markdown on stdout
    scripts/cli-reference.py PLANELAB_CLI --out FILE      # write it to FILE
    scripts/cli-reference.py PLANELAB_CLI --check FILE    # exit 1 with a unified diff if FILE is stale

How it works: `PLANELAB_CLI --help` lists the verbs in CLI11's "Subcommands:" section (one line
"  name   description" each, continuation lines indented deeper); `PLANELAB_CLI <verb> --help` is
run for each verb, and for a verb whose help has a "Subcommands:" section of its own (e.g.
`benchmark train`) also `PLANELAB_CLI <verb> <sub> --help`.

Determinism (the output must not depend on where or on what machine it was generated):
- CLI11 prints argv[0] in "Usage:" lines (e.g. "Usage: build/release/app/planelab-cli curate ...");
  it is replaced by plain `planelab-cli`.
- Trailing spaces are stripped and the file ends with exactly one newline.
- Machine-dependent defaults: checked when this script was written (November 2026) — there are
  none. Every thread/worker option (`--jobs`, `--threads`, `--workers`) shows the fixed default 0
  ("0 = all cores") or no default, and no other default depends on the machine. As a guard, a
  default of a thread/worker option equal to this machine's core count (and not 0) is replaced by
  `<cores>`, with a note on stderr, so that a future `capture_default_str()` of a core count
  cannot make the file differ between machines.

Standard library only.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys

GENERATE_COMMAND = (
    "python3 scripts/cli-reference.py build/release/app/planelab-cli --out docs/cli-reference.md"
)
CHECK_COMMAND = (
    "python3 scripts/cli-reference.py build/release/app/planelab-cli --check docs/cli-reference.md"
)

# A thread/worker option whose help line shows a default, e.g. "  --jobs INT:INT in [0 - 256]=0".
THREAD_DEFAULT = re.compile(
    r"^(\s+--(?:jobs|threads|workers)\b[^=\n]*=)(\d+)(\s|$)")


def run_help(cli, args):
    """The help text of `cli args... --help` (CLI11 prints it on stdout and exits 0)."""
    env = dict(os.environ, LC_ALL="C", LANG="C", COLUMNS="80", NO_COLOR="1")
    try:
        result = subprocess.run(
            [cli] + args + ["--help"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, timeout=60, check=False)
    except OSError as error:
        sys.exit("cli-reference.py: cannot run {}: {}".format(cli, error))
    except subprocess.TimeoutExpired:
        sys.exit("cli-reference.py: {} {} --help did not finish in 60 s".format(
            cli, " ".join(args)))
    text = result.stdout.decode("utf-8", errors="replace")
    if result.returncode != 0 or not text.strip():
        sys.exit("cli-reference.py: `{} {} --help` failed (exit {}): {}".format(
            cli, " ".join(args), result.returncode,
            result.stderr.decode("utf-8", errors="replace").strip()))
    return text


def subcommands(help_text):
    """(name, description) of each entry of the help's "Subcommands:" section, in order."""
    entries = []
    inside = False
    for line in help_text.splitlines():
        if line.strip() == "Subcommands:":
            inside = True
            continue
        if not inside:
            continue
        if not line.strip():
            inside = False  # a blank line ends the section
            continue
        if not line.startswith(" "):
            inside = False  # the next section's heading
            continue
        match = re.match(r"^  (\S+)(?:\s+(.*))?$", line)
        if match and not line.startswith("   "):
            entries.append([match.group(1), (match.group(2) or "").strip()])
        elif entries:
            # A description that CLI11 put on (or continued onto) the next line.
            entries[-1][1] = (entries[-1][1] + " " + line.strip()).strip()
    return [(name, description) for name, description in entries]


def normalise(help_text, cores):
    """The help text with the program path, trailing spaces and machine defaults normalised."""
    lines = []
    for line in help_text.splitlines():
        line = line.rstrip()
        # "Usage: <argv[0]> verb [OPTIONS] ..." -> "Usage: planelab-cli verb [OPTIONS] ..."
        line = re.sub(r"^Usage: \S+", "Usage: planelab-cli", line)
        match = THREAD_DEFAULT.match(line)
        if match and cores and int(match.group(2)) == cores and cores != 0:
            sys.stderr.write(
                "cli-reference.py: note: normalised a default equal to this machine's core "
                "count ({}): {}\n".format(cores, line.strip()))
            line = THREAD_DEFAULT.sub(lambda m: m.group(1) + "<cores>" + m.group(3), line)
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def anchor(title):
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = title.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def generate(cli):
    cores = os.cpu_count() or 0
    verbs = subcommands(run_help(cli, []))
    if not verbs:
        sys.exit("cli-reference.py: no \"Subcommands:\" section in `{} --help`".format(cli))

    out = ["# planelab-cli reference", ""]
    out.append(
        "This file is generated from the CLI's own `--help` output by `{}`; do not edit it "
        "by hand (the test `{}` fails when it is out of date).".format(
            GENERATE_COMMAND, CHECK_COMMAND))
    out.append("")
    out.append(
        "Every verb prints this help with `planelab-cli VERB --help`. Errors carry a stable key "
        "in brackets (`[key] message` on stderr); the keys, exit codes and what to do about "
        "them are in [troubleshooting.md](troubleshooting.md). The user guide "
        "([user-guide.md](user-guide.md)) gives the GUI step next to each command.")
    out.append("")
    out.append("## Contents")
    out.append("")
    sections = []
    for verb, description in verbs:
        title = "planelab-cli " + verb
        out.append("- [`{}`](#{}) — {}".format(verb, anchor(title), description))
        body = normalise(run_help(cli, [verb]), cores)
        nested = []
        for sub, sub_description in subcommands(body):
            sub_title = "planelab-cli {} {}".format(verb, sub)
            out.append("  - [`{} {}`](#{}) — {}".format(
                verb, sub, anchor(sub_title), sub_description))
            nested.append((sub_title, normalise(run_help(cli, [verb, sub]), cores)))
        sections.append((title, body, nested))
    out.append("")

    for title, body, nested in sections:
        out.extend(["## " + title, "", "```text", body, "```", ""])
        for sub_title, sub_body in nested:
            out.extend(["### " + sub_title, "", "```text", sub_body, "```", ""])

    text = "\n".join(line.rstrip() for line in out)
    return text.rstrip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(
        description="Generate the planelab-cli reference (Markdown) from the CLI's --help.")
    parser.add_argument("cli", metavar="PLANELAB_CLI", help="the planelab-cli binary to ask")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", metavar="FILE",
                       help="exit 1 with a unified diff when FILE differs from the generated text")
    group.add_argument("--out", metavar="FILE", help="write the Markdown to FILE")
    args = parser.parse_args()

    text = generate(args.cli)
    if args.check:
        try:
            with open(args.check, encoding="utf-8") as handle:
                current = handle.read()
        except OSError as error:
            print("cli-reference.py: cannot read {}: {}".format(args.check, error),
                  file=sys.stderr)
            return 1
        if current == text:
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            current.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=args.check, tofile="generated from " + args.cli + " --help"))
        print("\n{} is out of date: run {}".format(args.check, GENERATE_COMMAND),
              file=sys.stderr)
        return 1
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
