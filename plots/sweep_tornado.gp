# sweep_tornado.gp: one-at-a-time swings of one metric, largest first.  Each
# parameter's bar runs from the base run's value to the metric at the
# parameter's lowest (blue) and highest (orange) value.  Reads oat.csv; the
# driver orders the parameters (bar.K.rows: first and last row of parameter K).
CHART_TITLE = "What moves the outcome, one parameter at a time"
CHART_SOURCE = "oat.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

F = meta("dir") . "/oat.csv"
NP = metai("np")
BASE = metan("base")
HB = 0.34
array LO[NP]
array HI[NP]
array VLO[NP]
array VHI[NP]
XMIN = BASE
XMAX = BASE
do for [k = 1:NP] {
    rows = meta(sprintf("bar.%d.rows", k))
    a = int(word(rows, 1))
    b = int(word(rows, 2))
    stats F skip 1 every ::a::a using (VLO[k] = $3, LO[k] = $5, 0) nooutput
    stats F skip 1 every ::b::b using (VHI[k] = $3, HI[k] = $5, 0) nooutput
    XMIN = LO[k] < XMIN ? LO[k] : XMIN
    XMIN = HI[k] < XMIN ? HI[k] : XMIN
    XMAX = LO[k] > XMAX ? LO[k] : XMAX
    XMAX = HI[k] > XMAX ? HI[k] : XMAX
    y = NP - k + 1
    # Parameter names are labels, not tic labels: gnuplot reads tic labels as formats.
    set label (100 + k) meta(sprintf("bar.%d.label.text", k)) . sprintf("\n%.4g to %.4g", VLO[k], VHI[k]) \
        at graph -0.01, first y right font F(13) noenhanced
    set object (1000 + 2 * k) rect from BASE, y - HB to LO[k], y + HB \
        fillcolor rgb C_SKY fillstyle transparent solid 0.85 noborder
    set object (1001 + 2 * k) rect from BASE, y - HB to HI[k], y + HB \
        fillcolor rgb C_ORANGE fillstyle transparent solid 0.65 noborder
}
PAD = (XMAX - XMIN) > 1e-12 ? 0.06 * (XMAX - XMIN) : 0.05
set xrange [XMIN - PAD : XMAX + PAD]
set yrange [0.4 : NP + 0.6]
unset ytics
set grid noytics
set grid xtics linestyle 100
set lmargin at screen 0.36
set xlabel meta("metric.text") noenhanced
set label 9004 "Metric " . meta("metric") . " · " . meta("footer1")
set arrow 1 from BASE, graph 0 to BASE, graph 1 nohead linecolor rgb C_BLACK linewidth 1.5 dashtype 2 front
set rmargin at screen 0.80
set key at screen 0.815, screen 0.80 left top Left reverse samplen 1.5 spacing 1.2 noenhanced

plot NaN with boxes fillcolor rgb C_SKY fillstyle solid 0.85 title "at its lowest", \
     NaN with boxes fillcolor rgb C_ORANGE fillstyle solid 0.65 title "at its highest", \
     NaN with lines linecolor rgb C_BLACK linewidth 1.5 dashtype 2 title sprintf("base run: %.4g", BASE)

load G_CHECK
