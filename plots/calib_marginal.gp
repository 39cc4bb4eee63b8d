# calib_marginal.gp: one calibrated parameter's prior density (grey) against
# its posterior (blue bars: the weighted population in 40 bins), with the
# 90 % intervals of both as bars under the axis.  A posterior that looks
# like the prior: the observations say little about the parameter.  Reads
# calib_marginals.csv (rows "rows" of the metadata).
CHART_TITLE = "Calibration: what the observations taught about a parameter"
CHART_SOURCE = "calib_marginals.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

CSV = meta("dir") . "/calib_marginals.csv"
A = rfirst("rows")
B = rlast("rows")
Q05 = real(word(meta("bands"), 1))
Q95 = real(word(meta("bands"), 2))
P05 = real(word(meta("bands"), 3))
P95 = real(word(meta("bands"), 4))
stats CSV skip 1 every ::A::B using 3:5 nooutput
X0 = STATS_min_x
X1 = STATS_max_x
YMAX = STATS_max_y
stats CSV skip 1 every ::A::B using 4 nooutput
YMAX = STATS_max > YMAX ? STATS_max : YMAX
BW = (X1 - X0) / 39.0
set xrange [X0 - BW : X1 + BW]
set yrange [-0.16 * YMAX : 1.08 * YMAX]
set xlabel meta("path") noenhanced
set ylabel "Density"
set ytics autofreq format "%g"
set boxwidth BW * 0.92 absolute
set tmargin at screen 0.77
set key horizontal maxrows 1 at screen 0.98, 0.84 right top Left reverse samplen 2 width 2
# 90 % intervals as bars below zero: posterior above, prior below.
set object 1 rect from Q05, -0.05 * YMAX to Q95, -0.02 * YMAX fillcolor rgb C_BLUE fillstyle solid 0.9 noborder
set object 2 rect from P05, -0.12 * YMAX to P95, -0.09 * YMAX fillcolor rgb C_GREY fillstyle solid 0.6 noborder
plot CSV skip 1 every ::A::B using 3:5 with boxes fillcolor rgb C_BLUE fillstyle solid 0.55 \
        title "posterior", \
     '' skip 1 every ::A::B using 3:4 with lines linecolor rgb C_BLACK linewidth 2.5 dashtype 2 \
        title "prior", \
     NaN with boxes fillcolor rgb C_BLUE fillstyle solid 0.9 title "posterior 90 % (bar below)", \
     NaN with boxes fillcolor rgb C_GREY fillstyle solid 0.6 title "prior 90 %"
