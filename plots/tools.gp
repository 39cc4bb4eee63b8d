# tools.gp: new tool spending in China (SEMI's basis, all owners) as a fan,
# with the medians of the foreign-owned fabs' and the leader's spending.
# Reads quantiles.csv (tools_china, tools_foreign, tools_leader).
CHART_TITLE = "Tool spending in China by owner (USD bn a year)"
CHART_SOURCE = "quantiles.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

Q = meta("dir") . "/quantiles.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
A = rfirst("q.tools_china")
B = rlast("q.tools_china")
FA = rfirst("q.tools_foreign")
FB_ = rlast("q.tools_foreign")
LA = rfirst("q.tools_leader")
LB = rlast("q.tools_leader")

set xrange [Y0 : Y1]
set xtics Y0, (Y1 - Y0 > 12 ? 4 : 2) format "%.0f"
set mxtics 2
set xlabel "Year"
stats Q skip 1 every ::A::B using 8 nooutput
set yrange [0 : STATS_max * 1.1]
set ylabel "USD bn a year"
set rmargin at screen 0.74
set key at screen 0.755, screen 0.80 left top Left reverse samplen 2.5 spacing 1.2 noenhanced

plot Q skip 1 every ::A::B using 1:5:9 with filledcurves fillcolor rgb C_SKY \
        fillstyle solid 0.35 title "all: 90 % interval", \
     '' skip 1 every ::A::B using 1:6:8 with filledcurves fillcolor rgb C_BLUE \
        fillstyle solid 0.45 title "all: 50 % interval", \
     '' skip 1 every ::A::B using 1:7 with lines linecolor rgb C_BLUE linewidth 3 \
        title "all owners: median", \
     '' skip 1 every ::FA::FB_ using 1:7 with lines linecolor rgb C_ORANGE linewidth 2.5 \
        dashtype 2 title "foreign fabs: median", \
     '' skip 1 every ::LA::LB using 1:7 with lines linecolor rgb C_VERMILLION linewidth 2.5 \
        title "leader: median"

load G_CHECK
