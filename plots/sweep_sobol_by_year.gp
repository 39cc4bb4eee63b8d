# sweep_sobol_by_year.gp: first-order Sobol' indices of a variable's yearly
# statistic, stacked: how the parameters' shares of the variance shift over
# the years.  The gap between the top of the stack and 1 is what only
# interactions explain.  Reads sobol_by_year.csv (S1_cum: the stack).
CHART_TITLE = "Which parameters explain the spread, year by year"
CHART_SOURCE = "sobol_by_year.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

F = meta("dir") . "/sobol_by_year.csv"
NP = metai("np")
LB(k) = meta(sprintf("param.%d", k))
set yrange [0 : 1.05]
set ytics 0, 0.2, 1
set xlabel "Year"
set ylabel "First-order share of the variance"
set title meta("variable") . " (" . meta("stat") . "), year by year" noenhanced font F(20) offset 0, -0.5
set autoscale xfix
set rmargin at screen 0.72
set key at screen 0.99, screen 0.78 right top Left reverse samplen 1.5 spacing 1.1 font F(14)
set xtics format "%.0f"

plot for [k = NP:1:-1] F skip 1 every NP::(k - 1) using 1:7 with filledcurves x1 \
        fillcolor rgb pal(k) fillstyle solid (k > 7 ? 0.5 : 0.85) title LB(k)
