# compare_nodes.gp: node timelines of two or more scenarios overlaid: the
# domestic leader's median and 50 % band, the frontier's median dashed.
# Reads quantiles.csv (node_domestic_nm, node_frontier_nm) of every run.
CHART_TITLE = "Process node of the domestic leader: scenarios compared"
CHART_SOURCE = "quantiles.csv of each run"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

NR = metai("nruns")
Y0 = metan("base_year")
Y1 = metan("horizon")
QF(k) = meta(sprintf("run.%d.dir", k)) . "/quantiles.csv"
DA(k) = rfirst(sprintf("run.%d.q.node_domestic_nm", k))
DB(k) = rlast(sprintf("run.%d.q.node_domestic_nm", k))
FA(k) = rfirst(sprintf("run.%d.q.node_frontier_nm", k))
FB_(k) = rlast(sprintf("run.%d.q.node_frontier_nm", k))
RN(k) = meta(sprintf("run.%d.name", k))

set xrange [Y0 : Y1]
set xtics Y0, 2 format "%.0f"
set mxtics 2
set xlabel "Year"
set logscale y
# Down to the most advanced node any frontier percentile reaches.
NMIN = 1.4
do for [k = 1:NR] {
    stats QF(k) skip 1 every ::FA(k)::FB_(k) using 5 nooutput
    if (STATS_min < NMIN) { NMIN = STATS_min }
}
set yrange [110 : (NMIN < 1.4 ? NMIN * 0.85 : 1.2)]
set ytics ("90" 90, "65" 65, "40" 40, "28" 28, "14" 14, "10" 10, "7" 7, "5" 5, "3" 3, "2" 2, \
    "1.4" 1.4, "1" 1, "0.7" 0.7, "0.5" 0.5)
set mytics 1
set ylabel "Process node (nm, log scale)"
set label 150 "↑ more advanced" at graph 0.01, graph 0.97 left font F(15) textcolor rgb C_GREY
set key bottom right Left reverse samplen 2.5 spacing 1.2 opaque box linecolor rgb "white" \
    title "domestic leader: median and 50 % interval" noenhanced

plot for [k = 1:NR] QF(k) skip 1 every ::DA(k)::DB(k) using 1:6:8 with filledcurves \
        fillcolor rgb pal(k) fillstyle transparent solid 0.25 notitle, \
     for [k = 1:NR] QF(k) skip 1 every ::DA(k)::DB(k) using 1:7 with lines \
        linecolor rgb pal(k) linewidth 3 title RN(k) noenhanced, \
     for [k = 1:NR] QF(k) skip 1 every ::FA(k)::FB_(k) using 1:7 with lines \
        linecolor rgb pal(k) linewidth 1.5 dashtype 2 notitle, \
     NaN with lines linecolor rgb C_GREY linewidth 1.5 dashtype 2 title "frontier median (dashed, same colours)"
