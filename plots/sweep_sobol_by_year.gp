# sweep_sobol_by_year.gp: first-order Sobol' indices of a variable's yearly
# statistic, stacked: how the parameters' shares of the variance shift over
# the years.  The gap between the top of the stack and 1 is what only
# interactions explain.  Reads sobol_by_year.csv (S1_cum: the stack).
CHART_TITLE = "Which parameters explain the spread, year by year"
CHART_SOURCE = "sobol_by_year.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

F = meta("dir") . "/sobol_by_year.csv"
NP = metai("np")
LB(k) = meta(sprintf("param.%d.text", k))
set yrange [0 : *]
set ytics 0, 0.2, 1
set xlabel "Year"
set ylabel "First-order share of the variance"
set title meta("variable") . " (" . meta("stat") . "), year by year" noenhanced font F(20) offset 0, -0.5
set autoscale xfix
set rmargin at screen 0.52
# Room under the axis for the caveat line above the footer.
set bmargin at screen 0.19
set key at screen 0.615, screen 0.80 left top Left reverse samplen 1.5 spacing 1.0 font F(12) noenhanced
set arrow 3 from graph 0, first 1 to graph 1, first 1 nohead linecolor rgb C_BLACK dashtype 2 front
# The caveat sits on its own line above the footer, which says what was run.
set label 10 "The indices are estimates from a finite sample: where the metric hardly varies (early years) their sum can pass 1 (dashed); sobol_by_year.csv holds their intervals." \
    at screen 0.02, 0.072 left font F(12) textcolor rgb "#606060" noenhanced
set xtics format "%.0f"

plot for [k = NP:1:-1] F skip 1 every NP::(k - 1) using 1:7 with filledcurves x1 \
        fillcolor rgb pal(k) fillstyle solid (k > 7 ? 0.5 : 0.85) title LB(k)

load G_CHECK
