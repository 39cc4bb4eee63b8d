# investment.gp: cumulative effective investment since the base year as a
# fan, with the fund tranches marked.  Reads quantiles.csv (investment_cum)
# and tranches.csv.
CHART_TITLE = "Cumulative effective investment since the base year"
CHART_SOURCE = "quantiles.csv, tranches.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

DIR = meta("dir")
Q = DIR . "/quantiles.csv"
TR = DIR . "/tranches.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
A = rfirst("q.investment_cum")
B = rlast("q.investment_cum")
NF = metai("ntranches")

set xrange [Y0 - 0.5 : Y1]
set xtics Y0, 2 format "%.0f"
set mxtics 2
set xlabel "Year"
set yrange [0 : *]
set ylabel "USD bn since the base year"
set key at graph 0.01, graph 0.76 left top Left reverse samplen 2.5 spacing 1.2 opaque box linecolor rgb "white"
stats Q skip 1 every ::A::B using 9 nooutput
set yrange [0 : STATS_max * 1.25]

# Each tranche: its deployment years shaded, a line at its start and its
# name and size, stacked so that neighbouring labels do not collide.
do for [j = 1:NF] {
    r = metai(sprintf("tranche.%d.row", j))
    stats TR skip 1 every ::r::r using (fy = $2, fz = $3, fl = $4, 0) nooutput
    set object (200 + j) rectangle from fy, graph 0 to fy + fl, graph 1 behind \
        fillcolor rgb C_GREEN fillstyle transparent solid 0.07 noborder
    set arrow (200 + j) from fy, graph 0 to fy, graph 1 nohead linecolor rgb C_GREEN \
        linewidth 2 dashtype 2 back
    txt = meta(sprintf("tranche.%d.name", j)) . sprintf(": %.1f bn RMB from %.0f over %.0f years", fz, fy, fl)
    set label (200 + j) txt at fy, graph (0.96 - 0.07 * (j - 1)) left offset 0.6, 0 \
        font F(16) textcolor rgb "#00664a" noenhanced front
}

plot Q skip 1 every ::A::B using 1:5:9 with filledcurves fillcolor rgb C_SKY \
        fillstyle solid 0.35 title "90 % interval", \
     '' skip 1 every ::A::B using 1:6:8 with filledcurves fillcolor rgb C_BLUE \
        fillstyle solid 0.45 title "50 % interval", \
     '' skip 1 every ::A::B using 1:7 with lines linecolor rgb C_BLUE linewidth 3 title "median", \
     NaN with lines linecolor rgb C_GREEN linewidth 2 dashtype 2 title "fund tranche: start and deployment years"
