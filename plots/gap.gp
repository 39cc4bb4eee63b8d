# gap.gp: how many years the domestic leader is behind the frontier, as a fan.
# Reads quantiles.csv (year_gap).
CHART_TITLE = "Years behind the frontier"
CHART_SOURCE = "quantiles.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

Q = meta("dir") . "/quantiles.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
A = rfirst("q.year_gap")
B = rlast("q.year_gap")

set xrange [Y0 : Y1]
set xtics Y0, (Y1 - Y0 > 12 ? 4 : 2) format "%.0f"
set mxtics 2
set xlabel "Year"
set yrange [0 : *]
set ylabel "Years behind the frontier at the domestic node"
set rmargin at screen 0.74
set key at screen 0.755, screen 0.80 left top Left reverse samplen 2.5 spacing 1.2 noenhanced

plot Q skip 1 every ::A::B using 1:5:9 with filledcurves fillcolor rgb C_SKY \
        fillstyle solid 0.35 title "90 % interval", \
     '' skip 1 every ::A::B using 1:6:8 with filledcurves fillcolor rgb C_BLUE \
        fillstyle solid 0.45 title "50 % interval", \
     '' skip 1 every ::A::B using 1:7 with lines linecolor rgb C_BLUE linewidth 3 title "median", \
     '' skip 1 every ::A::B using 1:3 with lines linecolor rgb C_BLACK linewidth 1.5 dashtype 2 title "mean"

load G_CHECK
