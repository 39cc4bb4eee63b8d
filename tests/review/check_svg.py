#!/usr/bin/env python3
"""Layout checks of gapsim's SVG charts, for tests/chart_review.sh.

For every SVG given: no text reaches outside the canvas; no legend entry
lies inside the data area (legends sit outside the data, so no legend can
cover a point); the level a chart promises to show (a goal) lies inside its
y-range.  The data area and the y-range come from the <metadata
id="gapsim-layout"> that plots/check.gp writes.  Text widths are estimated
from the font size (DejaVu Sans averages under 0.6 em a character, 0.66 em for
bold): a check on placement, not on typesetting.  Prints one line a
problem and exits 1 when there is any."""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def text_boxes(root):
    """(x0, y0, x1, y1, text) for every text element, in SVG pixels."""
    out = []
    for g in root.iter(NS + "g"):
        tr = g.get("transform", "")
        m = re.match(r"translate\(([-\d.]+),([-\d.]+)\)", tr)
        if not m:
            continue
        t = g.find(NS + "text")
        if t is None:
            continue
        s = "".join(t.itertext())
        if not s.strip():
            continue
        x, y = float(m.group(1)), float(m.group(2))
        fs = float(g.get("font-size", "12"))
        em = 0.66 if "Bold" in g.get("font-family", "") or g.get("font-weight") == "bold" else 0.6
        w = em * fs * len(s.rstrip())
        anchor = g.get("text-anchor", "start")
        x0 = x if anchor == "start" else x - w / 2 if anchor == "middle" else x - w
        rot = re.search(r"rotate\(([-\d.]+)\)", tr)
        if rot and abs(float(rot.group(1))) > 45:
            # Turned a quarter: the text runs along y.
            out.append((x - fs, x0 - x + y, x, x0 - x + y + w, s))
        else:
            out.append((x0, y - fs * 0.8, x0 + w, y + fs * 0.25, s))
    return out


def check(path):
    problems = []
    root = ET.parse(path).getroot()
    vb = [float(v) for v in root.get("viewBox", "0 0 0 0").split()]
    W, H = vb[2], vb[3]
    meta = {}
    for md in root.iter(NS + "metadata"):
        if md.get("id") == "gapsim-layout":
            for line in (md.text or "").splitlines():
                parts = line.split()
                if parts:
                    meta[parts[0]] = parts[1:]
    for x0, y0, x1, y1, s in text_boxes(root):
        if x0 < -1 or x1 > W + 1 or y0 < -1 or y1 > H + 1:
            problems.append("text outside the canvas: %r at x %.0f..%.0f, y %.0f..%.0f (canvas %.0fx%.0f)"
                            % (s[:60], x0, x1, y0, y1, W, H))
    if "area" in meta:
        ax0, ax1, ay0, ay1 = (float(v) for v in meta["area"][:4])
        # Terminal y runs up from the bottom; SVG y runs down.
        top, bottom = H - ay1, H - ay0
        titles = []
        for g in root.iter(NS + "g"):
            if (g.get("id") or "").startswith("gnuplot_plot_"):
                t = g.find(NS + "title")
                if t is not None and t.text:
                    titles.append((t.text, g))
        for title, g in titles:
            for tg in g.iter(NS + "g"):
                t = tg.find(NS + "text")
                if t is None or "".join(t.itertext()) != title:
                    continue
                m = re.match(r"translate\(([-\d.]+),([-\d.]+)\)", tg.get("transform", ""))
                if m:
                    x, y = float(m.group(1)), float(m.group(2))
                    if ax0 < x < ax1 and top < y < bottom:
                        problems.append("legend entry %r inside the data area" % title[:60])
    if "level" in meta and "yrange" in meta:
        lo, hi = (float(v) for v in meta["yrange"][:2])
        lv = float(meta["level"][0])
        if not (min(lo, hi) <= lv <= max(lo, hi)):
            problems.append("level %g outside the y-range [%g, %g]" % (lv, lo, hi))
    return problems


def main():
    bad = 0
    for path in sys.argv[1:]:
        for p in check(path):
            print("%s: %s" % (path, p))
            bad += 1
    print("check_svg: %d charts, %d problems" % (len(sys.argv) - 1, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
