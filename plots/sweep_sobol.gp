# sweep_sobol.gp: Sobol' indices of one metric: the first-order index S1
# (share of the variance a parameter explains alone) and the total index ST
# (alone and through interactions), with 95 % bootstrap intervals.  Reads
# sobol.csv.
CHART_TITLE = "Which parameters explain the spread: Sobol' indices"
CHART_SOURCE = "sobol.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

F = meta("dir") . "/sobol.csv"
A = rfirst("rows")
NP = metai("np")
R(k) = A + k - 1
set xrange [0.4 : NP + 0.6]
set yrange [-0.05 : 1.05]
set ytics 0, 0.2, 1
set ylabel "Share of the variance"
set title meta("metric.text") noenhanced font F(20) offset 0, -0.5
set boxwidth 0.34 absolute
set xzeroaxis linecolor rgb "#b0b0b0"
set rmargin at screen 0.80
set key at screen 0.815, screen 0.80 left top Left reverse samplen 1.5 spacing 1.2 noenhanced
# Parameters by number under the chart, in two columns, by meaning and unit.
do for [k = 1:NP] {
    set label (100 + k) sprintf("%d  ", k) . meta(sprintf("param.%d.text", k)) \
        at screen (k <= (NP + 1) / 2 ? 0.07 : 0.53), screen (0.09 + 0.03 * int((NP + 1) / 2) - 0.03 * ((k - 1) % int((NP + 1) / 2))) \
        left font F(13) noenhanced
}
set xtics 1, 1, NP format "%.0f" scale 0
set bmargin at screen (0.12 + 0.03 * int((NP + 1) / 2) + 0.06)
set label 9004 "Metric " . meta("metric") . " · parameters " . sprintf("%d", NP) . ", ids in sobol.csv · " . meta("footer1")

plot for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k - 0.18):3 with boxes \
        fillcolor rgb C_BLUE fillstyle solid 0.85 title (k == 1 ? "first order S1" : ""), \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k + 0.18):5 with boxes \
        fillcolor rgb C_ORANGE fillstyle solid 0.85 title (k == 1 ? "total ST" : ""), \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k - 0.18):3:4 with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle, \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k + 0.18):5:6 with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle

load G_CHECK
