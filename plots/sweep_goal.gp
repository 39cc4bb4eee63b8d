# sweep_goal.gp: a goal seek: the metric at every value of the parameter the
# root finder tried (the main seed in blue, the repeats with other seeds in
# grey), the level sought and the value found.  Reads points.csv (columns:
# run, seed, the parameter, the goal's metric, ...).
CHART_TITLE = "What it would take: goal seek"
CHART_SOURCE = "points.csv, goal.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
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
set xlabel meta("parameter") noenhanced
set ylabel meta("metric") noenhanced
set grid xtics linestyle 100
set arrow 1 from graph 0, first LEVEL to graph 1, first LEVEL nohead linecolor rgb C_VERMILLION \
    linewidth 2 dashtype 2
if (FOUND) {
    set arrow 2 from ROOT, graph 0 to ROOT, graph 1 nohead linecolor rgb C_GREEN linewidth 2
    set label 2 sprintf(" %.4g", ROOT) at ROOT, graph 0.05 left textcolor rgb C_GREEN font F(17)
} else {
    set label 2 "the level is not reached in the bracket" at graph 0.5, graph 0.5 center font F(20)
}
set key top left Left reverse samplen 2 spacing 1.2 opaque box linecolor rgb "white"

plot P skip 1 using ($2 != SEED ? $3 : NaN):4 with points pointtype 6 pointsize 1.3 \
        linecolor rgb C_GREY title "tried, other seeds", \
     '' skip 1 using ($2 == SEED ? $3 : NaN):4 with points pointtype 7 pointsize 1.6 \
        linecolor rgb C_BLUE title sprintf("tried, seed %.0f", SEED), \
     NaN with lines linecolor rgb C_VERMILLION linewidth 2 dashtype 2 title sprintf("level %.4g", LEVEL), \
     NaN with lines linecolor rgb C_GREEN linewidth 2 title (FOUND ? "value found" : "")
