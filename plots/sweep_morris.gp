# sweep_morris.gp: Morris screening of one metric: mu* (mean absolute
# elementary effect over a parameter's range: how much it matters) against
# sigma (their spread: non-linearity or interactions), with mu*'s bootstrap
# interval.  Points above the dashed line sigma = mu* act mostly through
# interactions or curvature.  Reads morris.csv.
CHART_TITLE = "Which parameters matter: Morris screening"
CHART_SOURCE = "morris.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

F = meta("dir") . "/morris.csv"
A = rfirst("rows")
B = rlast("rows")
stats F skip 1 every ::A::B using ($4 + $6):5 nooutput
XM = STATS_max_x > 0 ? 1.25 * STATS_max_x : 1
YM = STATS_max_y > 0 ? 1.15 * STATS_max_y : 1
set xrange [0 : XM]
set yrange [0 : YM]
set xlabel "μ*: mean absolute effect of moving the parameter across its range, on " . meta("metric") noenhanced
set ylabel "σ: spread of the effects"
set grid xtics linestyle 100
set key top left Left reverse samplen 2 spacing 1.2 opaque box linecolor rgb "white"

plot F skip 1 every ::A::B using 4:5:6 with xerrorbars linecolor rgb C_BLUE pointtype 7 pointsize 1.6 \
        title "parameter (μ* with its 95 % interval)", \
     '' skip 1 every ::A::B using 4:5:2 with labels left offset 1.2, 0.7 font F(14) notitle, \
     x with lines linecolor rgb C_GREY dashtype 2 linewidth 1.5 title "σ = μ*"
