# sweep_spider.gp: one metric against each parameter's position in its
# swept range, (value - the parameter's base value) / (highest - lowest
# value), so every line spans one unit and crosses 0 at the base value.
# Steep lines matter.  Reads oat.csv (rows from bar.K.rows, as the tornado).
CHART_TITLE = "How the outcome responds to each parameter"
CHART_SOURCE = "oat.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

F = meta("dir") . "/oat.csv"
NP = metai("np")
BASE = metan("base")
RA(k) = int(word(meta(sprintf("bar.%d.rows", k)), 1))
RB(k) = int(word(meta(sprintf("bar.%d.rows", k)), 2))
LB(k) = meta(sprintf("bar.%d.label", k))

set rmargin at screen 0.72
set xlabel "Position in the swept range: (value − base value) / (highest − lowest value)"
set ylabel meta("metric") noenhanced
set xzeroaxis linecolor rgb "#b0b0b0"
set arrow 1 from graph 0, first BASE to graph 1, first BASE nohead linecolor rgb C_BLACK linewidth 1.5 dashtype 2
set key at screen 0.99, screen 0.78 right top Left reverse samplen 2 spacing 1.1 font F(14)

plot for [k = 1:NP] F skip 1 every ::RA(k)::RB(k) using 4:5 with linespoints \
        linecolor rgb pal(k) pointtype (k > 7 ? 5 : 7) linewidth 2.5 title LB(k), \
     NaN with lines linecolor rgb C_BLACK linewidth 1.5 dashtype 2 title sprintf("base run: %.4g", BASE)
