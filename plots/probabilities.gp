# probabilities.gp: the chance of each share target and node milestone, with
# its 95 % interval (left), and the first year it is reached: median and
# 5-95 % range (right).  Reads targets.csv and milestones.csv.
CHART_TITLE = "Targets and node milestones: how likely, and when"
CHART_SOURCE = "targets.csv, milestones.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

DIR = meta("dir")
TG = DIR . "/targets.csv"
MS = DIR . "/milestones.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
NT = metai("targets.n")
NM = metai("milestones.n")
N = NT + NM
# Rows from the top: targets, a half-row gap, then milestones.
YT(j) = NM + 0.5 + NT - j + 1
YM(m) = NM - m + 1
YTOP = (NT > 0 ? NM + 0.5 + NT : NM) + 0.95
HB = 0.30

array PY[N > 0 ? N : 1]
array PP[N > 0 ? N : 1]
array PLO[N > 0 ? N : 1]
array PHI[N > 0 ? N : 1]
array F05[N > 0 ? N : 1]
array F50[N > 0 ? N : 1]
array F95[N > 0 ? N : 1]
array PCOL[N > 0 ? N : 1]
unset ytics
do for [j = 1:NT] {
    r = metai(sprintf("targets.%d.row", j))
    stats TG skip 1 every ::r::r using (ty = $1, tv = $2, PP[j] = $3, PLO[j] = $4, PHI[j] = $5, \
        F05[j] = column(6), F50[j] = column(7), F95[j] = column(8), 0) nooutput
    PY[j] = YT(j)
    PCOL[j] = C_BLUE
    # Row names are labels, not tic labels: gnuplot reads tic labels as formats.
    set label (600 + j) meta(sprintf("targets.%d.label.short", j)) . "\n" . \
        sprintf("share ≥ %.0f %% in %.0f", 100 * tv, ty) at graph -0.03, first PY[j] right noenhanced
}
do for [m = 1:NM] {
    r = metai(sprintf("milestones.%d.row", m))
    stats MS skip 1 every ::r::r using (nm = $1, PP[NT + m] = $2, PLO[NT + m] = $3, PHI[NT + m] = $4, \
        F05[NT + m] = column(5), F50[NT + m] = column(6), F95[NT + m] = column(7), 0) nooutput
    PY[NT + m] = YM(m)
    PCOL[NT + m] = C_VERMILLION
    set label (600 + NT + m) sprintf("domestic leader at %g nm\nby %.0f", nm, Y1) \
        at graph -0.03, first PY[NT + m] right
}

set multiplot
set yrange [0.3 : YTOP]
set grid noytics
set grid xtics linestyle 100
TICFONT = F(17)
set xtics font TICFONT
set border 1

# Left: probability with its 95 % interval.
set lmargin at screen 0.26
set rmargin at screen 0.56
set xrange [0 : 112]
set xtics 0, 20, 100 format "%.0f %%"
set xlabel "Probability, with its 95 % interval"
do for [i = 1:N] {
    set object (300 + i) rectangle from 0, PY[i] - HB to 100 * PP[i], PY[i] + HB \
        fillcolor rgb PCOL[i] fillstyle solid 0.85 noborder front
    set arrow (300 + i) from 100 * PLO[i], PY[i] to 100 * PHI[i], PY[i] heads size screen 0.006, 90 \
        linecolor rgb C_BLACK linewidth 1.5 front
    set label (300 + i) pc(PP[i]) . " %" at 100 * PHI[i], PY[i] left offset 0.8, 0 font F(17) front
}
set label 310 "share targets" at graph 0.0, first (NM + 0.5 + NT + 0.68) left font FB(15) textcolor rgb C_BLUE
set label 311 "node milestones" at graph 0.0, first (NM + 0.68) left font FB(15) textcolor rgb C_VERMILLION
plot NaN notitle

# Right: first year reached; whiskers 5-95 %, dot the median.  An open end
# means the percentile lies beyond the horizon.
do for [l in "9001 9002 9003 9004 310 311"] { unset label int(l) }
do for [i = 1:N] { unset object (300 + i); unset arrow (300 + i); unset label (300 + i); unset label (600 + i) }
set lmargin at screen 0.62
set rmargin at screen 0.965
set xrange [Y0 - 0.5 : Y1 + 0.5]
set xtics Y0, 4 format "%.0f"
set mxtics 4
set xlabel "First year reached: median and 5–95 % range"
do for [i = 1:N] {
    if (F05[i] == F05[i]) {
        x1 = (F95[i] == F95[i]) ? F95[i] : Y1 + 0.5
        if (F95[i] == F95[i]) {
            set arrow (400 + i) from F05[i], PY[i] to x1, PY[i] heads size screen 0.006, 90 \
                linecolor rgb PCOL[i] linewidth 3 front
        } else {
            set arrow (400 + i) from F05[i], PY[i] to x1, PY[i] head size screen 0.01, 25 filled \
                linecolor rgb PCOL[i] linewidth 3 front
        }
        if (F50[i] == F50[i]) {
            set label (400 + i) "" at F50[i], PY[i] point pointtype 7 pointsize 2.4 linecolor rgb PCOL[i] front
            set label (500 + i) sprintf("%.0f", F50[i]) at F50[i], PY[i] + 0.36 center font F(15) front
        } else {
            set label (500 + i) sprintf("median after %.0f", Y1) at Y1 + 0.5, PY[i] + 0.36 right font F(15) front
        }
    } else {
        set label (500 + i) sprintf("fewer than 5 %% by %.0f", Y1) at Y0 + 0.2 * (Y1 - Y0), PY[i] left \
            font F(15) textcolor rgb C_GREY front
    }
}
plot NaN notitle
unset multiplot

load G_CHECK
