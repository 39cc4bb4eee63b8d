# calib_pair.gp: the posterior draws of two calibrated parameters, one point
# per draw sized by its weight, for one of the strongest correlations the
# calibration found.  A ridge means the observations pin down a combination
# of the two rather than each: quote them jointly (parameters_from keeps the
# combination).  Reads calib_pairs.csv (rows "rows" of the metadata).
CHART_TITLE = "Calibration: parameters the observations tie together"
CHART_SOURCE = "calib_pairs.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

CSV = meta("dir") . "/calib_pairs.csv"
A = rfirst("rows")
B = rlast("rows")
set xlabel meta("xname") noenhanced
set ylabel meta("yname") noenhanced
set grid xtics linestyle 100
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
set key off
set tmargin at screen 0.80
plot CSV skip 1 every ::A::B using 2:3:(0.6 + 0.9 * sqrt($4)) with points pointtype 7 \
        pointsize variable linecolor rgb C_BLUE notitle
