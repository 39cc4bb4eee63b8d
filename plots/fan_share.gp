# fan_share.gp: fan chart of the total domestic share with the share targets.
# Reads quantiles.csv (share_total) and targets.csv of one run.
CHART_TITLE = "Domestic share of China's chip consumption"
CHART_SOURCE = "quantiles.csv, targets.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

DIR = meta("dir")
Q = DIR . "/quantiles.csv"
TG = DIR . "/targets.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
A = rfirst("q.share_total")
B = rlast("q.share_total")
NT = metai("ntargets")

set xrange [Y0 : Y1 + 0.5]
set xtics Y0, 2 format "%.0f"
set mxtics 2
set xlabel "Year"
set yrange [0 : 100]
set ytics 0, 10 format "%.0f %%"
set ylabel "Domestic production / consumption (%)"
# The fan starts at the base-year share and rises to the right: the top left
# is where it leaves room for the legend.
set key top left reverse Left samplen 2.5 spacing 1.2 width 1 opaque box linecolor rgb "white"

# Targets: marker at (year, value) and its label and probability beside it,
# on the side away from the fan so that nothing covers the bands.
do for [j = 1:NT] {
    r = metai(sprintf("target.%d.row", j))
    stats TG skip 1 every ::r::r using (ty = $1, tv = $2, tp = $3, tlo = $4, thi = $5, 0) nooutput
    stats Q skip 1 every ::A::B using ($1 == ty ? $9 : -1) nooutput
    hi95 = STATS_max
    txt = meta(sprintf("target.%d.label", j)) . sprintf(": %.0f %% by %.0f", 100 * tv, ty) . "\n" . pci(tp, tlo, thi)
    # Below the marker when it sits inside the fan (the base-year reference).
    if (tv <= hi95 + 0.02) { dy = -2.0 } else { dy = 0 }
    if (ty > Y0 + 0.6 * (Y1 - Y0)) {
        set label (100 + j) txt at ty, 100 * tv right offset -1.2, dy font F(17) noenhanced \
            point pointtype 7 pointsize 2.2 linecolor rgb C_VERMILLION front
    } else {
        set label (100 + j) txt at ty, 100 * tv left offset 1.2, dy font F(17) noenhanced \
            point pointtype 7 pointsize 2.2 linecolor rgb C_VERMILLION front
    }
}

plot Q skip 1 every ::A::B using 1:(100 * $5):(100 * $9) with filledcurves \
        fillcolor rgb C_SKY fillstyle solid 0.35 title "90 % interval", \
     '' skip 1 every ::A::B using 1:(100 * $6):(100 * $8) with filledcurves \
        fillcolor rgb C_BLUE fillstyle solid 0.45 title "50 % interval", \
     '' skip 1 every ::A::B using 1:(100 * $7) with lines linecolor rgb C_BLUE linewidth 3 title "median", \
     NaN with points pointtype 7 pointsize 2.2 linecolor rgb C_VERMILLION title "target (P = chance of reaching it)"
