# compare_nodes.gp: node timelines of two or more scenarios as small
# multiples: one panel a scenario with the domestic leader's median and 50 %
# band and the frontier's median, and the first scenario's domestic median
# in grey in every other panel as the reference.  Scenarios that share the
# frontier no longer hide each other's lines.  Reads quantiles.csv
# (leader_node_nm, frontier_nm) of every run.
CHART_TITLE = "Process node of the domestic leader: scenarios compared"
CHART_SOURCE = "quantiles.csv of each run"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

NR = metai("nruns")
Y0 = metan("base_year")
Y1 = metan("horizon")
QF(k) = meta(sprintf("run.%d.dir", k)) . "/quantiles.csv"
DA(k) = rfirst(sprintf("run.%d.q.leader_node_nm", k))
DB(k) = rlast(sprintf("run.%d.q.leader_node_nm", k))
FA(k) = rfirst(sprintf("run.%d.q.frontier_nm", k))
FB_(k) = rlast(sprintf("run.%d.q.frontier_nm", k))
RN(k) = meta(sprintf("run.%d.name", k))

NC = NR <= 2 ? NR : NR <= 4 ? 2 : NR <= 9 ? 3 : 4
NRW = int((NR + NC - 1) / NC)
PW = (0.80 - 0.07) / NC
PH = (0.80 - 0.16) / NRW
TICF = F(NC > 2 ? 13 : 15)
PANF = FB(NC > 2 ? 13 : 15)

set xrange [Y0 : Y1]
set xtics Y0, (Y1 - Y0 > 12 ? (NC > 2 ? 8 : 4) : 2) font TICF
set logscale y
# Down to the most advanced node any frontier median reaches.
NMIN = 1.4
do for [k = 1:NR] {
    stats QF(k) skip 1 every ::FA(k)::FB_(k) using 7 nooutput
    if (STATS_min < NMIN) { NMIN = STATS_min }
}
# No floor that would cut a median: the frontier walks on in log nm beyond
# the named nodes; below 0.7 nm the ticks continue at 1-3 steps.
YLO = NMIN < 1.4 ? NMIN * 0.85 : 1.2
set yrange [50 : YLO]
if (NRW > 2) {
    set ytics ("40" 40, "14" 14, "5" 5, "2" 2, "0.7" 0.7) font TICF
    do for [w in "0.1 0.01 0.001"] { if (real(w) >= YLO) { set ytics add (w real(w)) } }
} else {
    set ytics ("40" 40, "28" 28, "14" 14, "7" 7, "5" 5, "3" 3, "1.4" 1.4, "0.7" 0.7) font TICF
    do for [w in "0.3 0.1 0.03 0.01 0.003 0.001"] { if (real(w) >= YLO) { set ytics add (w real(w)) } }
}
set mytics 1
unset xlabel
unset ylabel
unset key

set label 700 "Process node, nm\n(log scale, ↑ more advanced)" at screen 0.815, screen 0.78 left font F(14)
set label 701 "—— domestic leader: median\n      and 50 % band" at screen 0.815, screen 0.68 left font F(14)
set label 702 "- - frontier: median" at screen 0.815, screen 0.60 left font F(14) textcolor rgb "#404040"
set label 703 "—— " . RN(1) . ", domestic\n      median (reference)" at screen 0.815, screen 0.54 left font F(14) \
    textcolor rgb "#9a9a9a" noenhanced

set multiplot
do for [k = 1:NR] {
    c = (k - 1) % NC
    r = int((k - 1) / NC)
    set lmargin at screen (0.07 + c * PW + 0.035)
    set rmargin at screen (0.07 + (c + 1) * PW - 0.01)
    set tmargin at screen (0.80 - r * PH - 0.035)
    set bmargin at screen (0.80 - (r + 1) * PH + 0.03)
    set label 800 RN(k) at graph 0, graph 1 left offset 0, 0.7 font PANF textcolor rgb pal(k) noenhanced
    if (c > 0) { set format y "" } else { set format y "%g" }
    if (r < NRW - 1 && k + NC <= NR) { set format x "" } else { set format x "%.0f" }
    plot QF(k) skip 1 every ::DA(k)::DB(k) using 1:6:8 with filledcurves \
            fillcolor rgb pal(k) fillstyle solid 0.35 notitle, \
         QF(k) skip 1 every ::FA(k)::FB_(k) using 1:7 with lines linecolor rgb "#404040" \
            linewidth 2 dashtype 2 notitle, \
         QF(1) skip 1 every ::(k > 1 ? DA(1) : 999999999)::(k > 1 ? DB(1) : 999999999) using 1:7 with lines \
            linecolor rgb "#9a9a9a" linewidth 2 notitle, \
         QF(k) skip 1 every ::DA(k)::DB(k) using 1:7 with lines linecolor rgb pal(k) linewidth 3 notitle
    if (k == 1) {
        unset label 9001; unset label 9002; unset label 9003; unset label 9004; unset label 9005
        do for [_l = 700:760] { unset label _l }
    }
}
unset multiplot

load G_CHECK
