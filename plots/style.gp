# style.gp: house style shared by every gapsim chart, and the reader of the
# metadata file the C driver writes.  A chart template is started as
#     gnuplot -d -c TEMPLATE STYLE META OUTPUT TERM WIDTH HEIGHT
# (ARG1 style.gp, ARG2 metadata file, ARG3 output file, ARG4 png|svg|pdf,
# ARG5/ARG6 size in pixels; PDF: 160 pixels to the inch) and begins with
#     G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
#     load ARG1
# because `load` clears ARG1..ARG9.  Before the load it sets CHART_TITLE and
# CHART_SOURCE (the CSV files it reads, for the provenance line).
#
# Safety rule: text that comes from a config or a manifest (names, titles,
# labels, the share's definition) reaches gnuplot only as DATA read from the
# metadata file into string variables.  Such variables are used as plain
# string values (set title/label ... noenhanced, plot ... title).  They are
# never written after an @, never given to eval, system, load, call, set
# output or a backquote, and never used as a file name.  The only file names
# are the run folders, which the driver makes absolute (so that no name can
# start with the "<" or "|" of a gnuplot pipe), and the output file (ARG3).

# --- metadata --------------------------------------------------------------
# One "key<TAB>|value" a line; the driver replaces control characters by
# spaces and encodes " as \037 and \ as \036, the two characters gnuplot's
# data reader would otherwise interpret.  The "|" keeps a leading blank.
set datafile separator "\t"
set datafile commentschars ""
stats G_META using (0) nooutput
META_N = STATS_records
array META_K[META_N]
array META_V[META_N]
_mq(s) = strstrt(s, "\037") == 0 ? s : \
    s[1:strstrt(s, "\037") - 1] . "\"" . _mq(s[strstrt(s, "\037") + 1:])
_mb(s) = strstrt(s, "\036") == 0 ? s : \
    s[1:strstrt(s, "\036") - 1] . "\\" . _mb(s[strstrt(s, "\036") + 1:])
do for [_i = 1:META_N] {
    stats G_META every ::(_i - 1)::(_i - 1) using (_k = strcol(1), _v = strcol(2), 0) nooutput
    META_K[_i] = _k
    META_V[_i] = _mq(_mb(_v[2:]))
}
# Halving search: gnuplot limits recursion depth, so no linear recursion.
_mf(key, lo, hi) = lo > hi ? "" : lo == hi ? (META_K[lo] eq key ? META_V[lo] : "") : \
    (_mr = _mf(key, lo, int((lo + hi) / 2)), _mr ne "" ? _mr : _mf(key, int((lo + hi) / 2) + 1, hi))
meta(key) = _mf(key, 1, META_N)
metan(key) = meta(key) eq "" ? NaN : real(meta(key))
metai(key) = int(metan(key))
# A row range "FIRST LAST" (0-based data lines after the header) for `every`.
rfirst(key) = meta(key) eq "" ? 999999999 : int(word(meta(key), 1))
rlast(key) = meta(key) eq "" ? 999999999 : int(word(meta(key), 2))
set datafile separator comma
set datafile commentschars "#"
set datafile missing ""

# --- terminal --------------------------------------------------------------
W = int(G_W)
H = int(G_H)
# Text scales with the smaller of the two ratios to 1600x900.
SCALE = (W / 1600.0 < H / 900.0) ? W / 1600.0 : H / 900.0
FS(pt) = sprintf("DejaVu Sans,%d", int(pt * SCALE + 0.5))
FSB(pt) = sprintf("DejaVu Sans Bold,%d", int(pt * SCALE + 0.5))
set encoding utf8
if (G_TERM eq "svg") {
    set terminal svg size W, H dynamic noenhanced font FS(20) linewidth 1.5 background "white"
} else {
    if (G_TERM eq "pdf") {
        set terminal pdfcairo size (W / 160.0), (H / 160.0) noenhanced font FS(15) linewidth 1.5 pointscale 0.5 background "white"
    } else {
        set terminal pngcairo size W, H noenhanced font FS(20) linewidth 2 background "white"
    }
}
if (G_TERM eq "pdf") { FSCALE = 0.75 } else { FSCALE = 1.0 }
F(pt) = FS(pt * FSCALE)
FB(pt) = FSB(pt * FSCALE)
set output G_OUT

# --- palette: Okabe & Ito (2008), safe for the common colour-vision deficiencies
C_BLUE = "#0072B2"
C_VERMILLION = "#D55E00"
C_GREEN = "#009E73"
C_ORANGE = "#E69F00"
C_PURPLE = "#CC79A7"
C_SKY = "#56B4E9"
C_YELLOW = "#F0E442"
C_BLACK = "#000000"
C_GREY = "#666666"
# Twelve series colours: Okabe & Ito's seven (yellow left out: too pale on
# white), then Tol's (2021) indigo, wine, olive and teal and a grey, all
# distinct for the common colour-vision deficiencies.  Series 13 to 24 repeat
# them dashed, 25 on dotted: dash(i) gives the dash type of series i.
array PAL[12] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", \
                 "#332288", "#882255", "#999933", "#44AA99", "#888888"]
pal(i) = PAL[(int(i) - 1) % 12 + 1]
dash(i) = int(i) <= 12 ? 1 : int(i) <= 24 ? 2 : 3
do for [_i = 1:12] { set linetype _i linecolor rgb PAL[_i] linewidth 2 pointtype 7 pointsize 1.2 dashtype solid }

# --- layout ----------------------------------------------------------------
set border 3 linecolor rgb "#404040"
set tics nomirror out scale 0.6 textcolor rgb "#303030"
set style line 100 linecolor rgb "#dcdcdc" linewidth 1 dashtype solid
set grid ytics linestyle 100, linestyle 100
set key noenhanced
set lmargin at screen 0.105
set rmargin at screen 0.965
set tmargin at screen 0.80
set bmargin at screen 0.16
set xlabel offset 0, 0.4
set style fill solid 1.0 noborder

# Title block: chart title, the scenario, the chart's own subtitle
# (CHART_SUBTITLE, set by the template before it loads this file, when it has
# one) and a two-line footer: what was run (scenario and overrides, N, seed)
# and where it comes from (version, build, date, the files read).  Ids of
# parameters and variables appear only there.  Tags 9001-9005 are kept clear
# of the templates' own labels.
if (!exists("CHART_SUBTITLE")) { CHART_SUBTITLE = "" }
set label 9001 CHART_TITLE at screen 0.02, 0.955 left font FB(26) noenhanced
set label 9002 meta("subtitle1") at screen 0.02, 0.905 left font F(17) textcolor rgb "#333333" noenhanced
set label 9003 CHART_SUBTITLE . meta("subtitle2") at screen 0.02, 0.868 left font F(17) textcolor rgb "#333333" noenhanced
set label 9004 meta("footer1") at screen 0.02, 0.045 left font F(12) textcolor rgb "#606060" noenhanced
set label 9005 meta("provenance") . " · data: " . CHART_SOURCE at screen 0.02, 0.018 left \
    font F(12) textcolor rgb "#7a7a7a" noenhanced

# SVG and PDF carry the title and the footer as document metadata: written
# here as plain lines beside the output (the driver made that name), put
# into the file by the driver after gnuplot is done.
if (G_TERM ne "png") {
    set print G_OUT . ".title"
    print CHART_TITLE
    print meta("subtitle1") . " · " . meta("footer1") . " · " . meta("provenance")
    unset print
}

# --- helpers ---------------------------------------------------------------
# A probability in percent with as many digits as it needs to not read as 0 or 100.
pc(p) = (p <= 0 || p >= 1) ? sprintf("%.0f", 100 * p) : \
    p < 0.001 ? sprintf("%.1g", 100 * p) : p > 0.999 ? sprintf("%.2f", 100 * p) : \
    (p < 0.01 || p > 0.99) ? sprintf("%.1f", 100 * p) : sprintf("%.0f", 100 * p)
pci(p, lo, hi) = sprintf("P = %s %% (95 %% CI %s–%s %%)", pc(p), pc(lo), pc(hi))
