# gap_dist.gp: distribution of the whole years behind the frontier in the
# report years, side-by-side bars.  Reads year_gap_dist.csv.
CHART_TITLE = "Years behind the frontier: distribution in the report years"
CHART_SOURCE = "year_gap_dist.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

G = meta("dir") . "/year_gap_dist.csv"
NR = metai("year_gap_dist.g.n")
RA(k) = rfirst(sprintf("year_gap_dist.g.%d.rows", k))
RB(k) = rlast(sprintf("year_gap_dist.g.%d.rows", k))
RY(k) = meta(sprintf("year_gap_dist.g.%d.key", k))
BW = 0.8 / (NR > 0 ? NR : 1)
OFF(k) = (k - (NR + 1) / 2.0) * BW

stats G skip 1 using 2 nooutput
set xrange [STATS_min - 0.7 : STATS_max + 0.7]
set xtics 1 format "%.0f"
set xlabel "Whole years behind the frontier"
set yrange [0 : *]
set ytics format "%.0f %%"
set ylabel "Share of trajectories (%)"
set boxwidth BW absolute
set rmargin at screen 0.80
set key at screen 0.815, screen 0.80 left top Left reverse samplen 1.5 spacing 1.2 title "Report year" noenhanced

plot for [k = 1:NR] G skip 1 every ::RA(k)::RB(k) using ($2 + OFF(k)):(100 * $3) with boxes \
        fillcolor rgb pal(k) fillstyle solid 0.85 title RY(k) noenhanced

load G_CHECK
