# nodes.gp: process node of the domestic leader against the global frontier,
# medians with 50 % and 90 % bands on a log nm axis turned so that progress
# goes up.  Reads quantiles.csv (leader_node_nm, frontier_nm).  Frontier
# labels below 1.4 nm are the log scale continued, not named nodes; the axis
# goes as far down as the medians and 50 % bands go.
CHART_TITLE = "Process node: domestic leader against the global frontier"
CHART_SOURCE = "quantiles.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

Q = meta("dir") . "/quantiles.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
DA = rfirst("q.leader_node_nm")
DB = rlast("q.leader_node_nm")
FA = rfirst("q.frontier_nm")
FB_ = rlast("q.frontier_nm")

set xrange [Y0 : Y1]
set xtics Y0, (Y1 - Y0 > 12 ? 4 : 2) format "%.0f"
set mxtics 2
set xlabel "Year"
set logscale y
# The frontier walks on in log nm beyond the named nodes (docs/model.md 5.1):
# the axis reaches below every median and 50 % band drawn, to a round
# 1-2-5 value (0.5 nm at least), so no line leaves the chart; only the
# frontier's 90 % band may be cut, and a note says where.
stats Q skip 1 every ::FA::FB_ using 6 nooutput
LO = STATS_min
stats Q skip 1 every ::DA::DB using 6 nooutput
LO = STATS_min < LO ? STATS_min : LO
stats Q skip 1 every ::FA::FB_ using 7 nooutput
CHECK_LEVEL = STATS_min
stats Q skip 1 every ::FA::FB_ using 5 nooutput
F90 = STATS_min
E = floor(log10(LO))
M = LO / 10.0**E
FLOOR = LO >= 0.5 ? 0.5 : (M >= 5 ? 5 : (M >= 2 ? 2 : 1)) * 10.0**E
set yrange [50 : FLOOR]
# The leader's ladder (40 nm stands for the mature class), then the log
# scale continued at 1-2-5 steps down to the floor.
set ytics ("40" 40, "28" 28, "14" 14, "7" 7, "5" 5, "3" 3, "2" 2, "1.4" 1.4)
if (FLOOR >= 0.5) { set ytics add ("1" 1, "0.7" 0.7, "0.5" 0.5) }
if (FLOOR < 0.5) {
    do for [w in "0.5 0.2 0.1 0.05 0.02 0.01 0.005 0.002 0.001 0.0005 0.0002 0.0001"] {
        v = real(w)
        if (v >= FLOOR * 0.999) { set ytics add (w v) }
    }
}
set mytics 1
set grid ytics linestyle 100
set ylabel "Process node (nm, log scale)"
set rmargin at screen 0.74
set key at screen 0.755, screen 0.80 left top Left reverse samplen 2.5 spacing 1.2 noenhanced
set label 150 "↑ more advanced" at graph 0.01, graph 0.97 left font F(15) textcolor rgb C_GREY
set label 151 "Below 1.4 nm: the frontier's\nlog scale continued" at screen 0.755, screen 0.30 left \
    font F(14) textcolor rgb C_GREY
if (F90 < FLOOR * 0.999) {
    set label 152 sprintf("Frontier's 90 %% band cut at\n%g nm (its 5th percentile\nreaches %.2g nm)", FLOOR, F90) \
        at screen 0.755, screen 0.22 left font F(14) textcolor rgb C_GREY
}

plot Q skip 1 every ::FA::FB_ using 1:5:9 with filledcurves fillcolor rgb C_SKY \
        fillstyle transparent solid 0.35 title "frontier: 90 % band", \
     '' skip 1 every ::FA::FB_ using 1:6:8 with filledcurves fillcolor rgb C_BLUE \
        fillstyle transparent solid 0.40 title "frontier: 50 % band", \
     '' skip 1 every ::FA::FB_ using 1:7 with lines linecolor rgb C_BLUE linewidth 3 \
        title "frontier: median", \
     '' skip 1 every ::DA::DB using 1:5:9 with filledcurves fillcolor rgb C_ORANGE \
        fillstyle transparent solid 0.30 title "leader: 90 % band", \
     '' skip 1 every ::DA::DB using 1:6:8 with filledcurves fillcolor rgb C_VERMILLION \
        fillstyle transparent solid 0.35 title "leader: 50 % band", \
     '' skip 1 every ::DA::DB using 1:7 with lines linecolor rgb C_VERMILLION linewidth 3 \
        title "leader: median"

load G_CHECK
