# prim_tradeoff.gp: the peeling trajectory of scenario discovery: density
# against coverage of every box PRIM visited, coloured by how many parameters
# the box restricts, with the density threshold and the chosen box.  Reads
# prim_trajectory.csv (step, coverage, density, mass, n_restricted, ...).
CHART_TITLE = "Scenario discovery: the coverage-density trade-off"
CHART_SOURCE = "prim_trajectory.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

T = meta("dir") . "/prim_trajectory.csv"
THR = metan("threshold")
CC = metan("chosen_coverage")
CD = metan("chosen_density")
NR = metai("max_restricted")
NR = NR < 1 ? 1 : NR
set xrange [0 : 105]
set yrange [0 : 105]
set xlabel "coverage: share of all futures of interest inside the box (%)"
set ylabel "density: share of the box's futures of interest (%)"
set grid xtics linestyle 100
set palette defined (0 "#56B4E9", 0.5 "#009E73", 1 "#D55E00")
set cbrange [0 : NR]
set cblabel "parameters restricted"
set cbtics 1
set colorbox vertical user origin screen 0.925, 0.2 size screen 0.015, 0.5
set rmargin at screen 0.88
set arrow 1 from graph 0, first 100 * THR to graph 1, first 100 * THR nohead \
    linecolor rgb C_VERMILLION linewidth 2 dashtype 2
set label 1 sprintf("density threshold %s %%", pc(THR)) at graph 0.01, first 100 * THR + 2.2 \
    left textcolor rgb C_VERMILLION font F(15)
set label 2 sprintf("chosen box: coverage %s %%, density %s %%", pc(CC), pc(CD)) \
    at first 100 * CC, first 100 * CD offset 2, 1.2 left font F(16) front
set key bottom left Left reverse samplen 2 spacing 1.2 opaque box linecolor rgb "white"

plot T skip 1 using (100 * $2):(100 * $3) with lines linecolor rgb C_GREY linewidth 1.5 \
        title "peeling trajectory, full box at the lower right", \
     '' skip 1 using (100 * $2):(100 * $3):5 with points pointtype 7 pointsize 1.1 \
        linecolor palette notitle, \
     '+' using (100 * CC):(100 * CD) every ::0::0 with points pointtype 6 pointsize 4 \
        linewidth 3 linecolor rgb C_BLACK title "chosen box"

load G_CHECK
