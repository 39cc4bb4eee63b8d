#!/usr/bin/env bash
# Regenerates docs/sources.md from the shipped scenarios: every setting of
# every configs/*.cfg with its value, the unit and range its comment gives,
# the rows of data/history.csv its comment cites (each resolved to the row's
# source and confidence) and its "assumption" or "tuned" note.  The comments
# are the record; this file only gathers them, so a figure is sourced in its
# config and nowhere else.
#
#   bash docs/make-sources.sh            # rewrites docs/sources.md
#   bash docs/make-sources.sh --check    # exit 1 when docs/sources.md is stale
#
# Needs bash and python3 (standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."
. docs/lib.sh
doc_start "$@"

python3 - configs data/history.csv >"$scratch/sources.md" <<'PY'
import csv
import glob
import os
import re
import sys

cfgdir, histpath = sys.argv[1], sys.argv[2]

# ------------------------------------------------------------ history.csv
rows = []            # (line, dict)
with open(histpath, newline="", encoding="utf-8") as f:
    reader = csv.DictReader(f)
    for r in reader:
        rows.append((reader.line_num, r))
series_names = {r["series"] for _, r in rows}
rowmap = dict(rows)


def rows_of(series, y0, y1):
    out = []
    for line, r in rows:
        if r["series"] != series:
            continue
        m = re.match(r"\s*(\d{4})", r["year"])
        if m and y0 <= int(m.group(1)) <= y1:
            out.append(line)
    return out


# ------------------------------------------------------------ libconfig
TOKEN = re.compile(r'''
    (?P<ws>[ \t\r]+) | (?P<nl>\n) |
    (?P<comment>\#[^\n]*|//[^\n]*) | (?P<block>/\*.*?\*/) |
    (?P<string>"(?:[^"\\]|\\.)*") |
    (?P<atom>[A-Za-z0-9_.+\-*]+) |
    (?P<punct>[=:;,{}\[\]()])
''', re.X | re.S)


def tokenize(text, path):
    toks, line, pos = [], 1, 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            sys.exit("make-sources: %s:%d: cannot read %r" % (path, line, text[pos:pos + 20]))
        kind, val = m.lastgroup, m.group()
        if kind == "comment":
            toks.append(("comment", val.lstrip("#/").strip(), line))
        elif kind == "block":
            toks.append(("comment", val[2:-2].strip(), line))
        elif kind not in ("ws", "nl"):
            toks.append((kind, val, line))
        line += val.count("\n")
        pos = m.end()
    return toks


class Setting:
    def __init__(self, name, line):
        self.name, self.line, self.end = name, line, line
        self.comment = []          # comment block above, then trailing comments
        self.value = None          # text for a scalar, list or array
        self.children = None       # list of Setting for a group


class Parser:
    def __init__(self, toks, path):
        self.t, self.i, self.path = toks, 0, path

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None, None)

    def take(self, val=None):
        tok = self.peek()
        if tok[0] is None or (val is not None and tok[1] != val):
            line = tok[2] if tok[0] else (self.t[-1][2] if self.t else 1)
            sys.exit("make-sources: %s:%s: expected %r" % (self.path, line, val or "a value"))
        self.i += 1
        return tok

    def trailing(self, s, line):
        while self.peek()[0] == "comment" and self.peek()[2] == line:
            s.comment.append(self.take()[1])

    def settings(self, closer):
        out, block, last = [], [], None
        while True:
            kind, val, line = self.peek()
            if kind is None or val == closer:
                return out
            if kind == "comment":
                # A block is the comment lines directly above a setting.
                if block and line != last + 1:
                    block = []
                block.append((line, val))
                last = line
                self.take()
                continue
            if kind == "punct" and val in ";,":
                self.take()
                continue
            s = Setting(self.take()[1], line)
            if block and last == line - 1:
                s.comment = [c for _, c in block if not c.startswith("-----")]
            block = []
            self.take("=" if self.peek()[1] == "=" else ":")
            self.value(s)
            s.end = self.t[self.i - 1][2]
            if self.peek()[1] in (";", ","):
                self.take()
            self.trailing(s, s.end)
            out.append(s)

    def value(self, s):
        kind, val, line = self.peek()
        if val == "{":
            self.take()
            self.trailing(s, line)
            s.children = self.settings("}")
            self.take("}")
        elif val in ("[", "("):
            close = "]" if val == "[" else ")"
            self.take()
            items = []
            while self.peek()[1] != close:
                k, v, _ = self.take()
                if k == "comment" or v == ",":
                    continue
                if v in ("{", "[", "("):
                    sys.exit("make-sources: %s:%d: nested lists are not read" % (self.path, line))
                items.append(v)
            self.take(close)
            s.value = val + ", ".join(items) + close
        else:
            s.value = self.take()[1]


def fmt_num(v):
    return v.strip('"') if v.startswith('"') else v


def is_dist(s):
    return s.children is not None and any(c.name == "dist" for c in s.children)


def render(s):
    """The value of a setting on one line."""
    if is_dist(s):
        d = next(c for c in s.children if c.name == "dist")
        args = ", ".join("%s %s" % (c.name, fmt_num(render(c))) for c in s.children if c is not d)
        return "%s(%s)" % (fmt_num(d.value), args)
    if s.children is not None:
        return "{ " + "; ".join("%s = %s" % (c.name, render(c)) for c in s.children
                                if c.name not in ("label", "labels")) + " }"
    return s.value


# Names, labels and run settings are not figures.
SKIP = re.compile(r"^(scenario\.(name|title|description|share_definition)|run(\..*)?|outputs(\..*)?"
                  r"|.*\.labels?)$")

# ------------------------------------------------------------ comments
UNIT = re.compile(r"^(share|shares|fraction|fractions|ratio|index|year|yr|log|per |USD|CNY|1/yr|nm|\[)", re.I)
RANGE = re.compile(r"\[\s*-?[0-9.e+]+\s*,\s*-?[0-9.e+]+\s*\)?\]?")
IDENT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-zA-Z0-9]+)+\b")
SPAN = r"\d{4}(?:\s*(?:-|->|to)\s*(?:\d{4}|\d{2}\b))?"
YEARS = re.compile(r"\s*:?\s*(%s(?:\s*(?:,|and)\s*%s)*)" % (SPAN, SPAN))
config_keys = set()


def unit_range(text):
    """The unit and range the comment gives: "USD bn/yr, [1, 1e5]"."""
    segs = [x.strip() for x in text.rstrip(". ").split(";")]
    if len(segs) > 1 and all(RANGE.search(x) and len(x) < 60 for x in segs):
        return "; ".join(segs)           # a comment of units only
    seg = re.split(r";|\.\s", text)[0].strip()
    if RANGE.search(seg) and len(seg) < 90:
        return seg
    if seg and UNIT.match(seg) and len(seg.split()) <= 5 and "history" not in seg:
        return seg
    nxt = re.split(r"\.\s|\.$", segs[1])[0].strip() if len(segs) > 1 else ""
    if seg and UNIT.match(seg) and RANGE.fullmatch(nxt):
        # "USD bn/yr of tool purchases that ...; [0.001, 1e4]."
        head = re.match(r"[^,(]*?(?= of |,|\(|$)", seg).group()
        return "%s, %s" % (head, nxt)
    found = []
    for m in re.finditer(r"([A-Za-z][\w /%-]{0,30}?,\s*\[[^\]]*[\])]"
                         r"|\b[a-z_]+(?:, [a-z_]+)*: [A-Za-z][\w /%-]{0,30}? \[[^\]]*\])", text):
        if m.group(1) not in found:
            found.append(m.group(1))
    return "; ".join(found)


def citations(text):
    """history.csv citations of a comment: (series, years as written, [(y0, y1)])."""
    out = []
    for m in IDENT.finditer(text):
        name = m.group()
        before = text[max(0, m.start() - 9):m.start()]
        after = text[m.end():]
        y = YEARS.match(after)
        years = y.group(1) if y else ""
        paren = re.match(r"\s*\(([^()]*)\)", after)
        if not years and paren:
            # "series (2019 Dutch EUV ...; 2020 SMIC listing ...)": the years
            # that open the items in parentheses.
            years = ", ".join(dict.fromkeys(re.findall(r"(?:^|;\s*)(\d{4})\b", paren.group(1))))
        named_history = re.search(r"history:?\s*$", before) is not None
        if name not in series_names:
            # A series-like name the file lacks: cited after "history", or
            # followed by a year, and not a configuration key.
            if (named_history or years) and name not in config_keys:
                out.append((name, years, None))
            continue
        spans = []
        for part in re.split(r",|and", years):
            p = re.findall(r"\d{4}|\d{2}\b", part)
            if p:
                y0 = int(p[0])
                y1 = int(p[-1]) if len(p[-1]) == 4 else y0 // 100 * 100 + int(p[-1])
                spans.append((y0, y1))
        out.append((name, years, spans))
    return out


def basis(text):
    tags = []
    if re.search(r"\btuned\b", text, re.I):
        tags.append("tuned")
    if re.search(r"\bassumptions?\b", text, re.I):
        tags.append("assumption")
    return tags


# ------------------------------------------------------------ read configs
configs = []
for path in sorted(glob.glob(os.path.join(cfgdir, "*.cfg"))):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p = Parser(tokenize(text, path), path)
    top = p.settings(None)
    header = []
    for kind, val, line in p.t:
        if kind != "comment":
            break
        header.append(val)
    # The opening comment as Markdown: empty lines end paragraphs, "- " opens
    # a list item.
    para = ""
    for h in header:
        if not h:
            para += "\n\n"
        elif h.startswith("- "):
            para += "\n" + h
        else:
            para += ("" if para.endswith("\n") or not para else " ") + h
    para = re.sub(r"\n{3,}", "\n\n", para).strip()
    configs.append((os.path.basename(path), top, para))


def walk_keys(settings):
    for s in settings:
        config_keys.add(s.name)
        if s.children:
            walk_keys(s.children)


for _, top, _ in configs:
    walk_keys(top)

# Base files first, each followed by what inherits from it.
order = ["baseline.cfg", "observed.cfg", "rebase-2025.cfg"]
names = [c[0] for c in configs]
configs.sort(key=lambda c: (order.index(c[0]) if c[0] in order else
                            (2.5 if c[0].startswith("rebase-2025-") else
                             0.5 if c[0] != "reference_naive.cfg" else 3), c[0]))

cited = {}           # history line -> set of configs
missing = []         # (config, path, series, years, why)
unsourced = []       # (config, path, comment)
effective = {}       # path -> the comments behind it


def cite_cell(cfg, path, text):
    parts = []
    for series, years, spans in citations(text):
        if spans is None:
            missing.append((cfg, path, series, years, "no series of that name"))
            parts.append("`%s` %s **not in history.csv**" % (series, years))
            continue
        if not spans:
            n = len(rows_of(series, 0, 9999))
            parts.append("`%s` (no year; %d row%s)" % (series, n, "" if n == 1 else "s"))
            continue
        lines = []
        for y0, y1 in spans:
            got = rows_of(series, y0, y1)
            ends = {y0, y1}
            for y in sorted(ends):
                if not rows_of(series, y, y):
                    missing.append((cfg, path, series, str(y),
                                    "no %s row for %d" % (series, y)))
            lines += got
        for ln in lines:
            cited.setdefault(ln, set()).add(cfg)
        confs = sorted({rowmap[ln]["confidence"] for ln in lines}) if lines else []
        ref = line_refs(lines) or "**no row**"
        parts.append("`%s` %s: %s%s" % (series, years, ref,
                                          " (" + "/".join(confs) + ")" if confs else ""))
    for m in re.finditer(r"report,? points? (\d+(?:-\d+)?)", text):
        parts.append("report pt %s" % m.group(1))
    for m in re.finditer(r"history-notes(?:\.md)?,? \(?([A-Z]\b|definitions table)", text):
        parts.append("history-notes %s" % m.group(1))
    seen, out = set(), []
    for p in parts:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return "; ".join(out)


def line_refs(lines):
    """Lines of history.csv, runs of consecutive lines as a span: 123-130."""
    out, lines = [], sorted(set(lines))
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1] == lines[j] + 1:
            j += 1
        first = "[%d](#h%d)" % (lines[i], lines[i])
        out.append(first if i == j else "%s-%d" % (first, lines[j]))
        i = j + 1
    return ", ".join(out)


def cell(text):
    return text.replace("|", "\\|").strip()


def table_rows(cfg, settings, prefix, inherited):
    out, para, prev_end, outer = [], None, None, inherited
    for s in settings:
        inherited = outer
        path = prefix + s.name
        text = " ".join(s.comment).strip()
        # At the top level a comment block may cover the paragraph of
        # settings it heads (no blank line between them).
        if not prefix:
            if text:
                para = path
            elif prev_end is None or s.line != prev_end + 1:
                para = None
            prev_end = s.end
            if not text and para:
                inherited = para
        if SKIP.match(path) or s.name in ("inherit",):
            continue
        if s.children is not None and not is_dist(s):
            kept = [c for c in s.children if not SKIP.match(path + "." + c.name)]
            if not kept:
                continue
            s.children = kept
        # A group is one row when nothing inside it has a comment of its own
        # and it holds no group written over several lines.
        leaf = (s.children is None or is_dist(s) or
                not any(commented(c) or (c.children is not None and not is_dist(c)
                                         and c.line != c.end) for c in s.children))
        # The comments that stand behind this setting: its own and its group's.
        effective[path] = (text + " " + effective.get(inherited, "")).strip()
        if not leaf:
            if text:
                ur = unit_range(text)
                out.append((path + " = { ... }", "", cell(ur),
                            cell(cite_cell(cfg, path, text)), cell(note(text, ur))))
            out += table_rows(cfg, s.children, path + ".", path if text else inherited)
            continue
        if text:
            ur = unit_range(text)
            src, nt = cite_cell(cfg, path, text), note(text, ur)
            if not src and inherited:
                src = "as `%s`" % inherited
        elif inherited:
            src, nt, ur = "as `%s`" % inherited, "", ""
        else:
            src, nt, ur = "**none given**", "", ""
        if not has_basis(effective[path]):
            unsourced.append((cfg, path, text))
        out.append((path, "`%s`" % render(s), cell(ur), cell(src), cell(nt)))
    return out


def has_basis(text):
    return bool(citations(text) or basis(text) or
                re.search(r"\breport\b|history-notes|\bhistory\b", text))


def commented(s):
    return bool(s.comment) or any(commented(c) for c in (s.children or []))


def note(text, ur):
    """The comment, its opening unit and range dropped, tagged by its basis."""
    tags = basis(text)
    if ur and text.startswith(ur):
        text = text[len(ur):].lstrip(" ;,.")
    text = re.sub(r"^(tuned|assumption)\s*;\s*", "", text)
    text = re.sub(r"^(tuned|assumption)\s*(:\s*|$)", "", text)
    head = ("**" + ", ".join(tags) + "**" + (": " if text else "")) if tags else ""
    return head + text


# ------------------------------------------------------------ write
W = sys.stdout.write
W("""# Sources of every figure in the shipped scenarios

Generated by `bash docs/make-sources.sh` from the comments of `configs/*.cfg`
(do not edit by hand; CI notes when it is stale).  Each figure is sourced
where it is set, in the comment directly above it or at the end of its line;
this page gathers those comments, scenario by scenario, and resolves every
`history SERIES YEAR` they cite to its row of `data/history.csv` (a copy of
`../shared/data/history.csv`; its columns and confidence levels are defined in
`history-notes.md`).

Three kinds of basis stand behind the numbers:

- **the report**: Gregory C. Allen, *Understanding China's AI Strategy: Clues
  to Chinese Strategic Thinking on Artificial Intelligence and National
  Security*, Center for a New American Security, February 2019
  (https://www.cnas.org/publications/reports/understanding-chinas-ai-strategy),
  points 11-15, the figures the baseline keeps (below, by point);
- **history**: a row of `history.csv`, named by series and year;
- **assumption** (a judgement, with its reason) or **tuned** (a prior
  narrowed against the record: `docs/model.md`, "Priors and how they were
  set").  An assumption is a number to vary (`gapsim sensitivity`, a sweep),
  not to defend as a fact.

A scenario that inherits (`inherit = "..."`) lists only what it sets; the
rest is its parent's.  Names, labels and run settings (`run.*`, `outputs.*`)
are not figures and are left out.  Columns: the setting's path and value as
written (`uniform(min a, max b)` is `{ dist = "uniform"; min = a; max = b; }`),
the unit and range its comment opens with, the sources its comment cites
(history.csv rows by line number, linked to the table at the end, with their
confidence), and the comment itself, tagged **assumption** or **tuned** where
it says so.  A setting with no comment of its own takes the one of the group
above it ("as `group`"); at the top level, a comment block covers the settings
that follow it with no blank line between.  `docs/model.md` section 10.5
gives the baseline's priors in the model's notation; `docs/scenarios.md` says
what each scenario is for.

""")

W("""## The report's figures

The baseline (`configs/baseline.cfg`) keeps the report's figures; here they
are, with the report's point and words.

| figure | where in the configs | pt | the report's words |
| --- | --- | --- | --- |
| base year 2014; 29 % in 2014 | `scenario.base_year = 2014`; `anchors.csia_share = 0.29`; `targets` 0.29 in 2014 | 13 | "29 percent in 2014 (the year before Made in China 2025 was announced)" |
| the targets' basis: CSIA, China's IC industry sales over its IC consumption | `scenario.share_definition`; `targets.basis = "csia"` | 13 | "According to China's Semiconductor Industry Association (CSIA), Chinese producers are on track to increase their share of domestic consumption" |
| 49 % by the end of 2019 | `targets` 0.49 in 2019 | 13 | "to 49 percent by the end of 2019" |
| 80 % by 2030 | `targets` 0.80 in 2030 | 13 | "to increase domestic semiconductor manufacturing as a share of domestic consumption to 80 percent by 2030" |
| a ladder whose mature class carries most output, most gains outside the leading edge | the leader's rungs start in 2014 with all output on the mature class (rung 0 of `docs/model.md`) | 13 | "most of these gains have been in product segments that do not require the most advanced semiconductors" |
| the mature class's weight (context only) | none | 13 | "nearly 17 percent of its revenue came from eight-year old 28nm processes, and that 37 percent came from even older processes" (TSMC, Q4 2018; the 37 % is the Q4 2017 figure: `history-notes.md`, G) |
| Fund I: 2014, 138.7 bn CNY | `funds.fund1.size = 138.7`, `fx_year = 2014` | 14 | "The first fund ultimately invested 138.7 billion RMB ($20.5 billion)" |
| CNY per USD in 2014 | `fx.base_year` uniform(6.3, 6.9) | 14 | 138.7 bn RMB = USD 20.5 bn is 6.77 RMB per USD; 300 bn RMB = USD 44.5 bn is 6.74 |
| Fund II: up to 300 bn CNY from 2018 | `funds.fund2.size` up to 300; `funds.fund2.year` 2018-2020 | 14 | "followed in 2018 by a second government fund that will reportedly invest 300 billion RMB ($44.5 billion)" |
| export controls as yearly hazards from 2015 | `controls.*.year = 2015` (all but the servicing projection) | 14 | "the Obama administration's April 2015 decision to restrict semiconductor exports to Chinese supercomputing centers and the Trump administration's ... semiconductor export restrictions on ZTE" |
| controls as tool measures on the leading rungs (thresholds 5-16 nm) | `controls.*.threshold_nm` | 14 | "The primary barriers ... are access to the most advanced semiconductor manufacturing equipment"; "semiconductor equipment manufacturers in Europe have signed deals with Chinese companies to export critical 7nm manufacturing equipment" |
| China's equipment market: 6.5 bn USD in 2017, 17.3 bn USD expected in 2019 | `tools.growth` normal(0.20, 0.06), between the two paces (rows `equipment_share_china_seed`, `equipment_sales_china_forecast`) | 14 | 11.8 % (6.5 bn USD) of the global market in 2017, an expected 25.6 % (17.3 bn USD) in 2019 (as `seed-facts.csv` gives them) |
| frontier 14 nm in 2014; SMIC 14 nm in 2019 | `frontier.record` 14 nm 2014; `leader.pinned.years` 2019 | 11 | "only in 2019 introducing 14nm technology, which international firms such as Intel and Samsung achieved in 2014" |
| frontier 7 nm in 2018 | `frontier.record` 7 nm 2018 | 11 | "The Kirin 980 is one of only two smartphone processors in the world to use 7 nanometer (nm) process technology" (both made by TSMC) |
| milestone 7 nm | `leader.milestones` starts at 7 nm (a rung to reach, not a year) | 11 | "SMIC ... hopes to reach 7nm manufacturing in the early 2020s" |
| funding crunch (only `funding_crunch.cfg` has one) | `tools.crunch.*` | 15 | "a potential financial bubble could slow China's AI sector growth"; "a major technology sector downturn or economic recession would make it difficult ... to afford the R&D investments" |

Point 12 (AI accelerators on 28 nm: "manufactured using 28 nanometer process
technology, which is already widely available in China") motivates a possible
separate AI-accelerator class; no shipped scenario has one.

""")

W("## Scenarios\n\n")
for cfg, top, _ in configs:
    inherit = next((s.value.strip('"') for s in top if s.name == "inherit"), None)
    W("- [`configs/%s`](#%s)%s\n" % (cfg, "configs" + re.sub(r"[^a-z0-9_-]", "", cfg.lower()),
                                    " (inherits `%s`)" % inherit if inherit else ""))
W("\n")

for cfg, top, header in configs:
    inherit = next((s.value.strip('"') for s in top if s.name == "inherit"), None)
    W("## `configs/%s`\n\n" % cfg)
    if header:
        W("%s\n\n" % header)
    if inherit:
        W("Inherits `configs/%s`.\n\n" % inherit)
    W("| parameter | value | unit, range | sources | comment |\n| --- | --- | --- | --- | --- |\n")
    for r in table_rows(cfg, top, "", None):
        W("| `%s` | %s | %s | %s | %s |\n" % r)
    W("\n")

W("## Cited but not in history.csv\n\n")
if missing:
    W("Each citation below names a series, or a year of a series, that "
      "`data/history.csv` does not hold.  Where a comment cites a span "
      "(`2014-2024`), both its ends are looked up.\n\n")
    W("| config | parameter | citation | what is missing |\n| --- | --- | --- | --- |\n")
    seen = set()
    for c, p, s, y, why in missing:
        if (c, p, s, y) in seen:
            continue
        seen.add((c, p, s, y))
        W("| `%s` | `%s` | `%s %s` | %s |\n" % (c, p, s, y, why))
else:
    W("None: every cited series and year has a row.\n")
W("\n")

W("## Figures with no stated basis\n\n")
if unsourced:
    W("Neither the comment of these settings nor that of a group above them "
      "cites a row, the report or history-notes, or says assumption or tuned "
      "(the file's opening comment, under the scenario's heading above, may).\n\n")
    W("| config | parameter | its comment |\n| --- | --- | --- |\n")
    for c, p, t in unsourced:
        W("| `%s` | `%s` | %s |\n" % (c, p, cell(t) or "none"))
else:
    W("None.\n")
W("\n")

W("## history.csv rows cited\n\n")
W("By line of `data/history.csv` (line 1 is the header).\n\n")
W("| line | series | entity | year | value | unit | source as given | conf. | cited in |\n")
W("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
for ln in sorted(cited):
    r = rowmap[ln]
    W('| <a id="h%d"></a>%d | `%s` | %s | %s | %s | %s | %s | %s | %s |\n' % (
        ln, ln, r["series"], cell(r["entity"]), cell(r["year"]), cell(r["value"]),
        cell(r["unit"]), cell(r["source_url_or_citation"]), r["confidence"],
        ", ".join(sorted(c.replace(".cfg", "") for c in cited[ln]))))
PY

doc_install "$scratch/sources.md" docs/sources.md docs/make-sources.sh
