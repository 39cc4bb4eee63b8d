# sweep_sobol.gp: Sobol' indices of one metric: the first-order index S1
# (share of the variance a parameter explains alone) and the total index ST
# (alone and through interactions), with 95 % bootstrap intervals.  Reads
# sobol.csv.
CHART_TITLE = "Which parameters explain the spread: Sobol' indices"
CHART_SOURCE = "sobol.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

F = meta("dir") . "/sobol.csv"
A = rfirst("rows")
NP = metai("np")
R(k) = A + k - 1
set xrange [0.4 : NP + 0.6]
set yrange [-0.05 : 1.05]
set ytics 0, 0.2, 1
unset xtics
set bmargin at screen 0.27
set ylabel "Share of the variance"
set title meta("metric") noenhanced font F(20) offset 0, -0.5
set boxwidth 0.34 absolute
set xzeroaxis linecolor rgb "#b0b0b0"
set key top right Left reverse samplen 1.5 spacing 1.2 opaque box linecolor rgb "white"
do for [k = 1:NP] {
    set label (100 + k) meta(sprintf("param.%d", k)) at first k, graph -0.02 right rotate by 30 \
        font F(14) noenhanced
}

plot for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k - 0.18):3 with boxes \
        fillcolor rgb C_BLUE fillstyle solid 0.85 title (k == 1 ? "first order S1" : ""), \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k + 0.18):5 with boxes \
        fillcolor rgb C_ORANGE fillstyle solid 0.85 title (k == 1 ? "total ST" : ""), \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k - 0.18):3:4 with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle, \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k + 0.18):5:6 with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle
