# sweep_morris.gp: Morris screening of one metric: mu* (mean absolute
# elementary effect over a parameter's range: how much it matters) against
# sigma (their spread: non-linearity or interactions), with mu*'s bootstrap
# interval.  Points above the dashed line sigma = mu* act mostly through
# interactions or curvature.  Reads morris.csv.
CHART_TITLE = "Which parameters matter: Morris screening"
CHART_SOURCE = "morris.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

F = meta("dir") . "/morris.csv"
A = rfirst("rows")
B = rlast("rows")
stats F skip 1 every ::A::B using ($4 + $6):5 nooutput
XM = STATS_max_x > 0 ? 1.25 * STATS_max_x : 1
YM = STATS_max_y > 0 ? 1.15 * STATS_max_y : 1
set xrange [0 : XM]
set yrange [0 : YM]
set xlabel "μ*: mean absolute effect of moving the parameter across its range" noenhanced
set title meta("metric.text") noenhanced font F(20) offset 0, -0.5
set label 9004 "Metric " . meta("metric") . " · " . meta("footer1")
set ylabel "σ: spread of the effects"
set grid xtics linestyle 100
set rmargin at screen 0.74
set key at screen 0.755, screen 0.80 left top Left reverse samplen 2 spacing 1.2 noenhanced
NP = metai("np")
# Points carry numbers; the parameters by number, meaning and unit are
# listed beside the chart, so that no two names can collide on the data.
NH = int((NP + 1) / 2)
do for [k = 1:NP] {
    set label (100 + k) sprintf("%d  ", k) . meta(sprintf("param.%d.text", k)) \
        at screen (k <= NH ? 0.07 : 0.53), screen (0.09 + 0.03 * NH - 0.03 * ((k - 1) % NH)) \
        left font F(13) noenhanced
}
set bmargin at screen (0.12 + 0.03 * NH + 0.08)

plot F skip 1 every ::A::B using 4:5:6 with xerrorbars linecolor rgb C_BLUE pointtype 7 pointsize 1.6 \
        title "μ* with its 95 % interval", \
     '' skip 1 every ::A::B using 4:5:(sprintf("%d", $0 + 1)) with labels left offset 0.9, 0.6 font FB(14) notitle, \
     x with lines linecolor rgb C_GREY dashtype 2 linewidth 1.5 title "σ = μ*"

load G_CHECK
