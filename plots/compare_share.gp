# compare_share.gp: the total share of two or more scenarios overlaid:
# medians with 50 % and 90 % bands, and the first scenario's targets.
# Reads quantiles.csv (share_total) of every run.
CHART_TITLE = "Domestic share of chip consumption: scenarios compared"
CHART_SOURCE = "quantiles.csv, targets.csv of each run"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

NR = metai("nruns")
NT = metai("targets.n")
Y0 = metan("base_year")
Y1 = metan("horizon")
QF(k) = meta(sprintf("run.%d.dir", k)) . "/quantiles.csv"
RA(k) = rfirst(sprintf("run.%d.q.share_total", k))
RB(k) = rlast(sprintf("run.%d.q.share_total", k))
RN(k) = meta(sprintf("run.%d.name", k))

set xrange [Y0 : Y1 + 0.5]
set xtics Y0, 2 format "%.0f"
set mxtics 2
set xlabel "Year"
set yrange [0 : 100]
set ytics 0, 10 format "%.0f %%"
set ylabel "Domestic production / consumption (%)"
set key top left Left reverse samplen 2.5 spacing 1.2 opaque box linecolor rgb "white" \
    title "median, 50 % and 90 % intervals" noenhanced

do for [j = 1:NT] {
    ty = metan(sprintf("targets.%d.year", j))
    tv = metan(sprintf("targets.%d.value", j))
    txt = meta(sprintf("targets.%d.label", j)) . sprintf(": %.0f %% by %.0f", 100 * tv, ty)
    if (j == 1) { dy = -1.2 } else { dy = 0 }
    if (ty > Y0 + 0.6 * (Y1 - Y0)) {
        set label (100 + j) txt at ty, 100 * tv right offset -1.2, dy font F(16) noenhanced \
            point pointtype 7 pointsize 2 linecolor rgb C_BLACK front
    } else {
        set label (100 + j) txt at ty, 100 * tv left offset 1.2, dy font F(16) noenhanced \
            point pointtype 7 pointsize 2 linecolor rgb C_BLACK front
    }
}

plot for [k = 1:NR] QF(k) skip 1 every ::RA(k)::RB(k) using 1:(100 * $5):(100 * $9) with filledcurves \
        fillcolor rgb pal(k) fillstyle transparent solid 0.12 notitle, \
     for [k = 1:NR] QF(k) skip 1 every ::RA(k)::RB(k) using 1:(100 * $6):(100 * $8) with filledcurves \
        fillcolor rgb pal(k) fillstyle transparent solid 0.28 notitle, \
     for [k = 1:NR] QF(k) skip 1 every ::RA(k)::RB(k) using 1:(100 * $7) with lines \
        linecolor rgb pal(k) linewidth 3 title RN(k) noenhanced, \
     NaN with points pointtype 7 pointsize 2 linecolor rgb C_BLACK title "target"
