# sweep_goal.gp: a goal seek: the metric at every value of the parameter the
# root finder tried (the main seed in blue, the repeats with other seeds in
# grey), the level sought and the value found.  Reads points.csv (columns:
# run, seed, the parameter, the goal's metric, ...).
CHART_TITLE = "What it would take: goal seek"
CHART_SOURCE = "points.csv, goal.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

P = meta("dir") . "/points.csv"
SEED = metan("seed")
LEVEL = metan("level")
LO = metan("lo")
HI = metan("hi")
FOUND = meta("status") eq "found"
ROOT = FOUND ? metan("root") : NaN
if (LO > 0 && HI / LO >= 20) { set logscale x }
set xrange [LO : HI]
set xlabel meta("parameter.text") noenhanced
set ylabel meta("metric.text") noenhanced
# The y-range always holds the level sought, reached or not: an unreachable
# goal is shown above (or below) every value tried.
stats P skip 1 using 4 nooutput
YLO = STATS_min < LEVEL ? STATS_min : LEVEL
YHI = STATS_max > LEVEL ? STATS_max : LEVEL
YPAD = (YHI - YLO) > 0 ? 0.08 * (YHI - YLO) : (abs(LEVEL) > 0 ? 0.1 * abs(LEVEL) : 1)
set yrange [YLO - YPAD : YHI + YPAD]
CHECK_LEVEL = LEVEL
set label 9004 "Parameter " . meta("parameter") . ", metric " . meta("metric") . " · " . meta("footer1")
set grid xtics linestyle 100
set arrow 1 from graph 0, first LEVEL to graph 1, first LEVEL nohead linecolor rgb C_VERMILLION \
    linewidth 2 dashtype 2
if (FOUND) {
    set arrow 2 from ROOT, graph 0 to ROOT, graph 1 nohead linecolor rgb C_GREEN linewidth 2
    set label 2 sprintf(" %.4g", ROOT) at ROOT, graph 0.05 left textcolor rgb C_GREEN font F(17)
} else {
    set label 2 "The level is not reached\nanywhere in the bracket" at screen 0.755, screen 0.45 left font F(17)
}
set rmargin at screen 0.74
set key at screen 0.755, screen 0.80 left top Left reverse samplen 2 spacing 1.2 noenhanced

plot P skip 1 using ($2 != SEED ? $3 : NaN):4 with points pointtype 6 pointsize 1.3 \
        linecolor rgb C_GREY title "tried, other seeds", \
     '' skip 1 using ($2 == SEED ? $3 : NaN):4 with points pointtype 7 pointsize 1.6 \
        linecolor rgb C_BLUE title sprintf("tried, seed %.0f", SEED), \
     NaN with lines linecolor rgb C_VERMILLION linewidth 2 dashtype 2 title sprintf("level %.4g", LEVEL), \
     NaN with lines linecolor rgb C_GREEN linewidth 2 title (FOUND ? "value found" : "")

load G_CHECK
