# fan_share.gp: fan chart of the total domestic share with the share targets.
# Reads quantiles.csv (share, the share on the basis the targets name) and targets.csv of one run.
CHART_TITLE = "China's share of its own IC consumption"
CHART_SOURCE = "quantiles.csv, targets.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1
set label 9003 "Share = " . meta("share_definition")

DIR = meta("dir")
Q = DIR . "/quantiles.csv"
TG = DIR . "/targets.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
A = rfirst("q.share")
B = rlast("q.share")
NT = metai("targets.n")

# The data area ends at 0.66 of the width; the legend and the targets' text
# sit in the panel to its right, where no band or line can be.
set rmargin at screen 0.66
set xrange [Y0 - 0.5 : Y1 + 0.5]
set xtics Y0, (Y1 - Y0 > 12 ? 4 : 2) format "%.0f"
set mxtics 2
set xlabel "Year"
# The CSIA basis is a ratio that may pass 100 % (docs/model.md 8.3): the axis
# grows to show the whole 90 % band rather than cut it.
stats Q skip 1 every ::A::B using (100 * $9) nooutput
YMAX = STATS_max > 100 ? 20 * ceil(STATS_max / 20) : 100
set yrange [0 : YMAX]
set ytics 0, (YMAX > 100 ? 20 : 10) format "%.0f %%"
set ylabel (YMAX > 100 ? "Per cent of China's IC consumption" : "Share of China's IC consumption (%)")
set key at screen 0.68, screen 0.80 left top Left reverse samplen 2.5 spacing 1.15 width 1

# Each target: a numbered marker at (year, value) in the data area, and its
# text in the panel under the same number.
PANEL_TOP = 0.56
# Five lines a target; up to three fit with a gap between them, more share
# the panel's height (the text then runs closer together).
STEP = NT > 3 ? 0.52 / NT : 0.155
do for [j = 1:NT] {
    r = metai(sprintf("targets.%d.row", j))
    stats TG skip 1 every ::r::r using (ty = $1, tv = $2, tp = $3, tlo = $4, thi = $5, 0) nooutput
    # probability_by_year and its interval are absent from run folders written
    # before they existed (NaN here): those show the in-year probability only.
    tb = metan(sprintf("targets.%d.probability_by_year", j))
    tblo = metan(sprintf("targets.%d.by_ci_low", j))
    tbhi = metan(sprintf("targets.%d.by_ci_high", j))
    set object (300 + j) circle at ty, 100 * tv size char 0.9 fillcolor rgb C_VERMILLION \
        fillstyle solid 1.0 noborder front
    set label (100 + j) sprintf("%d", j) at ty, 100 * tv center font FB(13) textcolor rgb "white" front
    set label (400 + j) sprintf("%d", j) at screen 0.695, screen (PANEL_TOP - (j - 1) * STEP) center \
        font FB(13) textcolor rgb "white" front
    set object (500 + j) circle at screen 0.695, screen (PANEL_TOP - (j - 1) * STEP) size char 0.9 \
        fillcolor rgb C_VERMILLION fillstyle solid 1.0 noborder front
    txt = meta(sprintf("targets.%d.label", j)) . "\n" . \
        sprintf("share ≥ %.0f %% in %.0f: ", 100 * tv, ty) . \
        sprintf("P = %s %%\n   95 %% CI %s–%s %%", pc(tp), pc(tlo), pc(thi))
    if (tb == tb && tblo == tblo && tbhi == tbhi) {
        txt = txt . "\n" . sprintf("reached by %.0f: ", ty) . \
            sprintf("P = %s %%\n   95 %% CI %s–%s %%", pc(tb), pc(tblo), pc(tbhi))
    }
    set label (200 + j) txt at screen 0.715, screen (PANEL_TOP - (j - 1) * STEP + 0.012) left \
        font F(15) noenhanced front
}
if (NT > 0) {
    set label 299 "Targets\nP: chance the share reaches the value" at screen 0.68, \
        screen (PANEL_TOP + 0.085) left font F(15) noenhanced
}

plot Q skip 1 every ::A::B using 1:(100 * $5):(100 * $9) with filledcurves \
        fillcolor rgb C_SKY fillstyle solid 0.35 title "90 % interval", \
     '' skip 1 every ::A::B using 1:(100 * $6):(100 * $8) with filledcurves \
        fillcolor rgb C_BLUE fillstyle solid 0.45 title "50 % interval", \
     '' skip 1 every ::A::B using 1:(100 * $7) with lines linecolor rgb C_BLUE linewidth 3 title "median"

load G_CHECK
