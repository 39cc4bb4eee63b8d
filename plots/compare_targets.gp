# compare_targets.gp: the probability of each share target (those of the
# first scenario) in two or more scenarios, grouped bars with 95 % intervals.
# Reads targets.csv of every run.
CHART_TITLE = "Chance of reaching the share targets: scenarios compared"
CHART_SOURCE = "targets.csv of each run"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

NR = metai("nruns")
NT = metai("targets.n")
Y0 = metan("base_year")
TF(k) = meta(sprintf("run.%d.dir", k)) . "/targets.csv"
TR(k, j) = meta(sprintf("run.%d.targets.%d.row", k, j)) eq "" ? 999999999 : \
    metai(sprintf("run.%d.targets.%d.row", k, j))
RN(k) = meta(sprintf("run.%d.name", k))
BW = 0.8 / NR
OFF(k) = (k - (NR + 1) / 2.0) * BW

# Targets in the base year are observations every run reproduces (P = 100 %):
# left out, so that the scale is set by the targets that are in question.
NK = 0
array KJ[NT > 0 ? NT : 1]
do for [j = 1:NT] {
    if (metan(sprintf("targets.%d.year", j)) > Y0) { NK = NK + 1; KJ[NK] = j }
}
TRK(k, i) = TR(k, KJ[i])
# The scale: the highest upper 95 % limit, with room for its value label.
PMAX = 0.0
do for [k = 1:NR] {
    do for [i = 1:NK] {
        if (TRK(k, i) < 999999999) {
            stats TF(k) skip 1 every ::TRK(k, i)::TRK(k, i) using 5 nooutput
            if (STATS_records > 0 && STATS_max > PMAX) { PMAX = STATS_max }
        }
    }
}
YTOP = PMAX <= 0 ? 1.0 : (PMAX * 125 > 100 ? 115 : PMAX * 125)

set xrange [0.4 : NK + 0.6]
unset xtics
set bmargin at screen 0.24
set yrange [0 : YTOP]
set ytics format "%g %%"
set ylabel "Probability of reaching the target in its year"
set boxwidth BW * 0.92 absolute
set rmargin at screen 0.78
set key at screen 0.795, screen 0.80 left top Left reverse samplen 1.5 spacing 1.2 noenhanced
if (NK < NT) {
    set label 99 "Base-year targets left out:\nevery run starts on them" at screen 0.795, \
        screen 0.30 left font F(13) textcolor rgb C_GREY
}
# Category names are labels below the axis (tic labels would be read as formats).
do for [i = 1:NK] {
    j = KJ[i]
    ty = metan(sprintf("targets.%d.year", j))
    tv = metan(sprintf("targets.%d.value", j))
    set label (100 + i) meta(sprintf("targets.%d.label.short", j)) . "\n" . sprintf("share ≥ %.0f %% in %.0f", 100 * tv, ty) \
        at first i, graph -0.04 center offset 0, -0.8 noenhanced
}

plot for [k = 1:NR] for [i = 1:NK] TF(k) skip 1 every ::TRK(k, i)::TRK(k, i) using (i + OFF(k)):(100 * $3) \
        with boxes fillcolor rgb pal(k) fillstyle solid 0.85 title (i == 1 ? RN(k) : "") noenhanced, \
     for [k = 1:NR] for [i = 1:NK] TF(k) skip 1 every ::TRK(k, i)::TRK(k, i) \
        using (i + OFF(k)):(100 * $3):(100 * $4):(100 * $5) with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle, \
     for [k = 1:NR] for [i = 1:NK] TF(k) skip 1 every ::TRK(k, i)::TRK(k, i) \
        using (i + OFF(k)):(100 * $5):(pc($3) . " %") with labels offset 0, 0.9 font F(NR > 4 ? 12 : 16) notitle

load G_CHECK
