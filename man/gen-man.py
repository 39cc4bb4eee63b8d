#!/usr/bin/env python3
"""Writes gapsim's manual pages from the program's own --help texts, so that
the two never disagree: gapsim(1) from `gapsim --help`, and gapsim-CMD(1)
from `gapsim CMD --help` for every command gapsim lists.

usage: gen-man.py GAPSIM_BINARY OUTPUT_DIR VERSION

The help texts follow one layout: a "usage:" line, paragraphs, option lines
("  -o, --output DIR   text", continued on lines indented deeper), and
closing paragraphs ("Exit status: ...").  Pages use the man(7) macros."""
import os
import re
import subprocess
import sys

DATE = os.environ.get("SOURCE_DATE_EPOCH")


def esc(s):
    """Text for a roff line: backslashes and hyphens escaped, no leading
    control character."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    if s.startswith((".", "'")):
        s = "\\&" + s
    return s


def help_text(gapsim, *args):
    r = subprocess.run([gapsim, *args, "--help"], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C"))
    if r.returncode != 0:
        sys.exit("gen-man: %s %s --help exited %d" % (gapsim, " ".join(args), r.returncode))
    return r.stdout.splitlines()


OPT = re.compile(r"^ {1,8}(-[A-Za-z0-9], )?(--?[A-Za-z0-9][A-Za-z0-9-]*)(.*)$")


def parse(lines):
    """(synopsis lines, blocks): a block is ("p", text) or ("opt", head, text)."""
    syn, blocks, cur = [], [], None
    i = 0
    while i < len(lines) and lines[i].startswith("usage:"):
        syn.append(lines[i][len("usage:"):].strip())
        i += 1
        # A usage line may go on, indented.
        while i < len(lines) and lines[i].startswith("   ") and not OPT.match(lines[i]):
            syn[-1] += " " + lines[i].strip()
            i += 1
    para = []
    opt_indent = None
    # The description column: where most option lines' text starts.
    cols = {}
    for line in lines[i:]:
        if OPT.match(line):
            mm = re.search(r"\S {2,}(\S)", line.lstrip())
            if mm:
                c = mm.start(1) + len(line) - len(line.lstrip())
                cols[c] = cols.get(c, 0) + 1
    text_col = max(cols, key=cols.get) if cols else 0

    def flush():
        nonlocal para
        if para:
            blocks.append(["p", " ".join(para)])
            para = []

    for line in lines[i:]:
        m = OPT.match(line)
        if m and (opt_indent is None or len(line) - len(line.lstrip()) <= opt_indent + 4):
            flush()
            opt_indent = len(line) - len(line.lstrip())
            # The text starts at the help's description column; what is
            # before it is the option and its argument.
            if text_col and len(line) > text_col and line[text_col - 1] == " ":
                head, text = line[:text_col].strip(), line[text_col:].strip()
            else:
                parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
                head, text = parts[0], parts[1] if len(parts) > 1 else ""
            cur = ["opt", head, text]
            blocks.append(cur)
        elif line.strip() == "":
            flush()
            cur = None
        elif cur is not None and line.startswith(" " * ((opt_indent or 0) + 4)):
            cur[2] += " " + line.strip()
        else:
            cur = None
            opt_indent = None if not line.startswith(" ") else opt_indent
            para.append(line.strip())
    flush()
    return syn, blocks


def page(name, section_title, summary, syn, blocks, version, see_also, extra=""):
    out = ['.TH %s 1 "" "gapsim %s" "gapsim manual"' % (name.upper().replace("-", "\\-"), version),
           ".SH NAME", "%s \\- %s" % (esc(name), esc(summary)), ".SH SYNOPSIS"]
    for s in syn:
        out += [".nf", esc(s), ".fi"] if s else []
    out.append(".SH DESCRIPTION")
    in_opts = False
    for b in blocks:
        if b[0] == "opt":
            if not in_opts:
                out.append(".SH OPTIONS")
                in_opts = True
            out += [".TP", "\\fB%s\\fR" % esc(b[1]), esc(b[2])]
        else:
            if in_opts:
                out.append(".PP")
            out += [".PP", esc(b[1])]
    out.append(extra)
    out += [".SH SEE ALSO", ", ".join("\\fB%s\\fR(1)" % esc(s) for s in see_also) + "."]
    out.append("The documents under \\fIshare/doc/gapsim\\fR of the installation prefix "
               "(README.md and docs/).")
    return "\n".join(x for x in out if x != "") + "\n"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    gapsim, outdir, version = sys.argv[1:]
    os.makedirs(outdir, exist_ok=True)
    top = help_text(gapsim)
    cmds = []
    in_cmds = False
    for line in top:
        if line.strip() == "commands:":
            in_cmds = True
            continue
        if in_cmds:
            m = re.match(r"^  ([a-z]+) +(.*)$", line)
            if m:
                cmds.append((m.group(1), m.group(2)))
            elif line.strip() == "":
                in_cmds = False
    if not cmds:
        sys.exit("gen-man: gapsim --help lists no commands")
    syn, blocks = parse([l for l in top])
    # The command list becomes its own section.
    body = [b for b in blocks if not (b[0] == "p" and b[1].startswith("commands:"))]
    extra = [".SH COMMANDS"]
    for c, s in cmds:
        extra += [".TP", "\\fBgapsim %s\\fR" % c, esc(s) + " (\\fBgapsim\\-%s\\fR(1))." % c]
    extra += [".SH ENVIRONMENT",
              ".TP", "\\fBGAPSIM_PATH\\fR",
              esc("Folders, separated by colons, where an inherit = \"FILE\" of a scenario is "
                  "looked for after the inheriting file's own folder and before the installed "
                  "scenarios."),
              ".TP", "\\fBGAPSIM_PLOTDIR\\fR",
              esc("The folder of chart templates (style.gp and the charts), instead of the "
                  "installed ones."),
              ".SH FILES",
              ".TP", "\\fIshare/gapsim/configs/\\fR",
              esc("The shipped scenarios (baseline.cfg and those that inherit it) and sweeps."),
              ".TP", "\\fIshare/gapsim/plots/\\fR", esc("The chart templates."),
              ".TP", "\\fIshare/doc/gapsim/\\fR", esc("README.md and the documents of docs/.")]
    # Drop the command lines that were parsed as paragraphs.
    names = {c for c, _ in cmds}
    body = [b for b in body if not (b[0] == "p" and b[1].split(" ")[0] in names)]
    with open(os.path.join(outdir, "gapsim.1"), "w") as f:
        f.write(page("gapsim", "", "Monte Carlo scenarios of the semiconductor gap", syn, body, version,
                     ["gapsim-%s" % c for c, _ in cmds], "\n".join(extra)))
    for c, s in cmds:
        syn, blocks = parse(help_text(gapsim, c))
        with open(os.path.join(outdir, "gapsim-%s.1" % c), "w") as f:
            f.write(page("gapsim-%s" % c, "", s, syn, blocks, version,
                         ["gapsim"] + ["gapsim-%s" % o for o, _ in cmds if o != c]))
    print("gen-man: %d pages in %s" % (len(cmds) + 1, outdir))


if __name__ == "__main__":
    main()
