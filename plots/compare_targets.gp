# compare_targets.gp: the probability of each share target (those of the
# first scenario) in two or more scenarios, grouped bars with 95 % intervals.
# Reads targets.csv of every run.
CHART_TITLE = "Chance of reaching the share targets: scenarios compared"
CHART_SOURCE = "targets.csv of each run"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

NR = metai("nruns")
NT = metai("targets.n")
TF(k) = meta(sprintf("run.%d.dir", k)) . "/targets.csv"
TR(k, j) = metai(sprintf("run.%d.targets.%d.row", k, j)) == metai(sprintf("run.%d.targets.%d.row", k, j)) ? \
    metai(sprintf("run.%d.targets.%d.row", k, j)) : 999999999
RN(k) = meta(sprintf("run.%d.name", k))
BW = 0.8 / NR
OFF(k) = (k - (NR + 1) / 2.0) * BW

set xrange [0.4 : NT + 0.6]
unset xtics
set bmargin at screen 0.20
set yrange [0 : 115]
set ytics 0, 20, 100 format "%.0f %%"
set ylabel "Probability of reaching the target"
set boxwidth BW * 0.92 absolute
set key top right Left reverse samplen 1.5 spacing 1.2 opaque box linecolor rgb "white"
# Category names are labels below the axis (tic labels would be read as formats).
do for [j = 1:NT] {
    ty = metan(sprintf("targets.%d.year", j))
    tv = metan(sprintf("targets.%d.value", j))
    set label (100 + j) meta(sprintf("targets.%d.label.short", j)) . "\n" . sprintf("share ≥ %.0f %% in %.0f", 100 * tv, ty) \
        at first j, graph -0.04 center offset 0, -0.8 noenhanced
}

plot for [k = 1:NR] for [j = 1:NT] TF(k) skip 1 every ::TR(k, j)::TR(k, j) using (j + OFF(k)):(100 * $3) \
        with boxes fillcolor rgb pal(k) fillstyle solid 0.85 title (j == 1 ? RN(k) : "") noenhanced, \
     for [k = 1:NR] for [j = 1:NT] TF(k) skip 1 every ::TR(k, j)::TR(k, j) \
        using (j + OFF(k)):(100 * $3):(100 * $4):(100 * $5) with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle, \
     for [k = 1:NR] for [j = 1:NT] TF(k) skip 1 every ::TR(k, j)::TR(k, j) \
        using (j + OFF(k)):(100 * $5):(pc($3) . " %") with labels offset 0, 0.9 font F(17) notitle
