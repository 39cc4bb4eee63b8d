# backtest_pit.gp: histogram of the PIT values of the scored observations in
# ten bins, against the count a calibrated forecast would give in each (the
# dashed line); the reference scenario's PITs beside them when there is one.
# Censored first years have an interval of PITs, not one: they are left out.
# A U shape: the forecast is too narrow; a hump: too wide; a slope: biased.
# Reads backtest.csv.
CHART_TITLE = "Backtest: where the observations fall in the forecast (PIT)"
CHART_SOURCE = "backtest.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

OBS = meta("dir") . "/backtest.csv"
REF = metai("reference")
stats OBS skip 1 using ($17 == 0 ? $5 : NaN) nooutput
N = STATS_records
bin(x) = x >= 1 ? 0.95 : 0.1 * floor(10 * x) + 0.05
BW = REF ? 0.04 : 0.08
OFF = REF ? 0.021 : 0
set xrange [0 : 1]
set xtics 0, 0.1 format "%.1f"
set xlabel "PIT: the observation's percentile in the forecast (0: below all of it, 1: above all of it)"
set yrange [0 : *]
set offsets 0, 0, 0.6, 0
set ylabel "Observations"
set ytics 1
set boxwidth BW absolute
set tmargin at screen 0.77
set key horizontal maxrows 1 at screen 0.98, 0.84 right top Left reverse samplen 1.5 width 2
# Censored rows count 0 rather than NaN: an undefined point would split the
# data into blocks that smooth frequency counts apart.
plot OBS skip 1 using (bin($5) - OFF):($17 == 0 ? 1 : 0) smooth frequency with boxes \
        fillcolor rgb C_BLUE fillstyle solid 0.8 title sprintf("scenario (%d observations)", N), \
     '' skip 1 using (REF ? bin($19) + OFF : -1):(REF && $17 == 0 ? 1 : 0) smooth frequency with boxes \
        fillcolor rgb C_GREY fillstyle solid 0.6 title (REF ? "reference" : ""), \
     N / 10.0 with lines linecolor rgb C_BLACK linewidth 2 dashtype 2 title "calibrated: equal counts"
