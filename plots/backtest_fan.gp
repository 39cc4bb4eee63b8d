# backtest_fan.gp: one scored variable's fan (5-95 % and 25-75 % bands and
# median) with the observations on top; the reference scenario's median and
# 5-95 % band as dashed lines when there is one.  Reads backtest_fan.csv
# (rows "rows" of the metadata) and backtest.csv (the observations of
# "variable").
CHART_TITLE = "Backtest: the forecast against what happened"
CHART_SOURCE = "backtest_fan.csv, backtest.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

DIR = meta("dir")
FAN = DIR . "/backtest_fan.csv"
OBS = DIR . "/backtest.csv"
V = meta("variable")
A = rfirst("rows")
B = rlast("rows")
Y0 = metan("base_year")
Y1 = metan("horizon")
REF = metai("reference")
# Shares read as percent; other variables in their own unit.
S = meta("unit") eq "fraction" ? 100.0 : 1.0
UNIT = meta("unit") eq "fraction" ? "%" : meta("unit")

set xrange [Y0 : Y1 + 0.5]
set xtics Y0, 2 format "%.0f"
set mxtics 2
set xlabel "Year"
set yrange [0 : *]
set ylabel V . " (" . UNIT . ")" noenhanced
set tmargin at screen 0.74
set key horizontal maxrows 2 at screen 0.98, 0.855 right top Left reverse samplen 2 width 1

# An observation's value only on its variable's rows (strings compared as
# data); bounds (kind below, above) and points between years are not drawn.
ov(c) = strcol(2) eq V && strcol(16) eq "value" && !valid(21) ? S * column(c) : NaN

plot FAN skip 1 every ::A::B using 2:(S * $3):(S * $7) with filledcurves \
        fillcolor rgb C_SKY fillstyle solid 0.35 title "90 % interval", \
     '' skip 1 every ::A::B using 2:(S * $4):(S * $6) with filledcurves \
        fillcolor rgb C_BLUE fillstyle solid 0.45 title "50 % interval", \
     '' skip 1 every ::A::B using 2:(S * $5) with lines linecolor rgb C_BLUE linewidth 3 title "median", \
     '' skip 1 every ::A::B using 2:(REF ? S * $9 : NaN) with lines linecolor rgb C_BLACK \
        linewidth 2 dashtype 2 title (REF ? "reference: median" : ""), \
     '' skip 1 every ::A::B using 2:(REF ? S * $8 : NaN) with lines linecolor rgb C_GREY \
        linewidth 1.5 dashtype 3 title (REF ? "reference: 5 % and 95 %" : ""), \
     '' skip 1 every ::A::B using 2:(REF ? S * $10 : NaN) with lines linecolor rgb C_GREY \
        linewidth 1.5 dashtype 3 notitle, \
     OBS skip 1 using 3:(ov(4)) with points pointtype 7 pointsize 2.4 linecolor rgb C_VERMILLION \
        title "observed"
