# sweep_spider.gp: one metric against each parameter's position in its
# swept range, (value - the parameter's base value) / (highest - lowest
# value), so every line spans one unit and crosses 0 at the base value.
# Steep lines matter.  Reads oat.csv (rows from bar.K.rows, as the tornado).
CHART_TITLE = "How the outcome responds to each parameter"
CHART_SOURCE = "oat.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

F = meta("dir") . "/oat.csv"
NP = metai("np")
BASE = metan("base")
RA(k) = int(word(meta(sprintf("bar.%d.rows", k)), 1))
RB(k) = int(word(meta(sprintf("bar.%d.rows", k)), 2))
LB(k) = meta(sprintf("bar.%d.label.text", k))

set rmargin at screen 0.52
set xlabel "Position in the swept range: (value − base value) / (highest − lowest value)"
set ylabel meta("metric.text") noenhanced
set label 9004 "Metric " . meta("metric") . " · " . meta("footer1")
set xzeroaxis linecolor rgb "#b0b0b0"
set arrow 1 from graph 0, first BASE to graph 1, first BASE nohead linecolor rgb C_BLACK linewidth 1.5 dashtype 2
set key at screen 0.535, screen 0.80 left top Left reverse samplen 3 spacing 1.0 font F(12) noenhanced

plot for [k = 1:NP] F skip 1 every ::RA(k)::RB(k) using 4:5 with linespoints \
        linecolor rgb pal(k) dashtype dash(k) pointtype (k > 12 ? 5 : 7) linewidth 2.5 title LB(k), \
     NaN with lines linecolor rgb C_BLACK linewidth 1.5 dashtype 2 title sprintf("base run: %.4g", BASE)

load G_CHECK
