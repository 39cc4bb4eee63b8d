# compare_share.gp: the total share of two or more scenarios, as small
# multiples: one panel a scenario with its median and 50 % and 90 % bands,
# the first scenario's median repeated in grey in every other panel as the
# reference, and the first scenario's targets as numbered markers.  Reads
# quantiles.csv (share: the share on the basis the targets name) of every run.
CHART_TITLE = "Domestic share of chip consumption: scenarios compared"
CHART_SOURCE = "quantiles.csv, targets.csv of each run"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1
set label 9003 "Share = " . meta("share_definition")

NR = metai("nruns")
NT = metai("targets.n")
Y0 = metan("base_year")
Y1 = metan("horizon")
QF(k) = meta(sprintf("run.%d.dir", k)) . "/quantiles.csv"
RA(k) = rfirst(sprintf("run.%d.q.share", k))
RB(k) = rlast(sprintf("run.%d.q.share", k))
RN(k) = meta(sprintf("run.%d.name", k))

# Grid of panels inside [0.07, 0.80] x [0.16, 0.80] of the canvas; the
# legend and the targets' text in the column to the right.
NC = NR <= 2 ? NR : NR <= 4 ? 2 : NR <= 9 ? 3 : 4
NRW = int((NR + NC - 1) / NC)
PW = (0.80 - 0.07) / NC
PH = (0.80 - 0.16) / NRW

TICF = F(NC > 2 ? 13 : 15)
PANF = FB(NC > 2 ? 13 : 15)
TGF = FB(11)
set xrange [Y0 - 0.5 : Y1 + 0.5]
set xtics Y0, (Y1 - Y0 > 12 ? (NC > 2 ? 8 : 4) : 2) format "%.0f" font TICF
set yrange [0 : 100]
set ytics 0, (NRW > 2 ? 50 : 25) format "%.0f %%" font TICF
unset xlabel
unset ylabel
unset key

# The legend and the targets, once, in the right-hand column.
set label 700 "Each panel: median,\n50 % and 90 % bands" at screen 0.815, screen 0.78 left font F(14)
set label 701 "— " . RN(1) . "\n   (reference, grey)" at screen 0.815, screen 0.69 left font F(14) \
    textcolor rgb "#9a9a9a" noenhanced
do for [j = 1:NT] {
    ty = metan(sprintf("targets.%d.year", j))
    tv = metan(sprintf("targets.%d.value", j))
    set label (710 + j) sprintf("%d", j) . "  " . meta(sprintf("targets.%d.label.short", j)) . "\n" . \
        sprintf("    share ≥ %.0f %% in %.0f", 100 * tv, ty) at screen 0.815, screen (0.58 - 0.08 * (j - 1)) \
        left font F(14) noenhanced
}
if (NT > 0) { set label 709 "Targets of " . RN(1) at screen 0.815, screen 0.62 left font FB(14) noenhanced }

set multiplot
do for [k = 1:NR] {
    c = (k - 1) % NC
    r = int((k - 1) / NC)
    set lmargin at screen (0.07 + c * PW + 0.035)
    set rmargin at screen (0.07 + (c + 1) * PW - 0.01)
    set tmargin at screen (0.80 - r * PH - 0.035)
    set bmargin at screen (0.80 - (r + 1) * PH + 0.03)
    set label 800 RN(k) at graph 0, graph 1 left offset 0, 0.7 font PANF \
        textcolor rgb pal(k) noenhanced
    if (c > 0) { set format y "" } else { set format y "%.0f %%" }
    if (r < NRW - 1 && k + NC <= NR) { set format x "" } else { set format x "%.0f" }
    unset object
    do for [j = 1:NT] { unset label (300 + j) }
    do for [j = 1:NT] {
        ty = metan(sprintf("targets.%d.year", j))
        tv = metan(sprintf("targets.%d.value", j))
        set object (300 + j) circle at ty, 100 * tv size char 0.7 fillcolor rgb C_BLACK \
            fillstyle solid 1.0 noborder front
        set label (300 + j) sprintf("%d", j) at ty, 100 * tv center font TGF textcolor rgb "white" front
    }
    plot QF(k) skip 1 every ::RA(k)::RB(k) using 1:(100 * $5):(100 * $9) with filledcurves \
            fillcolor rgb pal(k) fillstyle solid 0.22 notitle, \
         '' skip 1 every ::RA(k)::RB(k) using 1:(100 * $6):(100 * $8) with filledcurves \
            fillcolor rgb pal(k) fillstyle solid 0.5 notitle, \
         QF(1) skip 1 every ::(k > 1 ? RA(1) : 999999999)::(k > 1 ? RB(1) : 999999999) using 1:(100 * $7) with lines \
            linecolor rgb "#9a9a9a" linewidth 2 notitle, \
         QF(k) skip 1 every ::RA(k)::RB(k) using 1:(100 * $7) with lines linecolor rgb pal(k) linewidth 3 notitle
    # The title block, the legend column and the footer are drawn once.
    if (k == 1) {
        unset label 9001; unset label 9002; unset label 9003; unset label 9004; unset label 9005
        do for [_l = 700:760] { unset label _l }
    }
}
unset multiplot

load G_CHECK
