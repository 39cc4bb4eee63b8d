# investment.gp: state fund money invested to date by every tranche (paid in,
# then invested after its lag) as a fan, with the tranches' paid-in periods
# marked.  Reads quantiles.csv (fund_invested) and tranches.csv.
CHART_TITLE = "State fund money invested (cumulative, USD bn)"
CHART_SOURCE = "quantiles.csv, tranches.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

DIR = meta("dir")
Q = DIR . "/quantiles.csv"
TR = DIR . "/tranches.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
A = rfirst("q.fund_invested")
B = rlast("q.fund_invested")
NF = metai("tranches.n")

set xrange [Y0 - 0.5 : Y1]
set xtics Y0, (Y1 - Y0 > 12 ? 4 : 2) format "%.0f"
set mxtics 2
set xlabel "Year"
set yrange [0 : *]
set ylabel "USD bn invested to date, all tranches"
set rmargin at screen 0.74
set key at screen 0.755, screen 0.80 left top Left reverse samplen 2.5 spacing 1.2 noenhanced
stats Q skip 1 every ::A::B using 9 nooutput
set yrange [0 : STATS_max * (1.15 + 0.09 * NF)]

# Labels sit on an opaque box so that another tranche's start line does not
# run through them.
set style textbox opaque noborder fillcolor rgb "white"
# Each tranche: its deployment years shaded, a line at its start and its
# name and size, stacked so that neighbouring labels do not collide.
do for [j = 1:NF] {
    r = metai(sprintf("tranches.%d.row", j))
    stats TR skip 1 every ::r::r using (fy = $2, fz = $3, fl = $4, 0) nooutput
    # One colour a tranche, as a bar along the top of the data area, so that
    # tranches that follow each other stay apart and nothing lies on the fan.
    TC = pal(j + 2)
    set object (200 + j) rectangle from fy, graph (0.985 - 0.07 * (j - 1)) to fy + fl, \
        graph (0.955 - 0.07 * (j - 1)) front fillcolor rgb TC fillstyle solid 0.9 noborder
    set arrow (200 + j) from fy, graph 0 to fy, graph (0.955 - 0.07 * (j - 1)) nohead linecolor rgb TC \
        linewidth 1.5 dashtype 2 back
    # The label; a folder written before tranches.csv had one shows the id.
    TL = meta(sprintf("tranches.%d.label", j))
    if (strlen(TL) == 0) { TL = meta(sprintf("tranches.%d.name", j)) }
    txt = TL . sprintf(": %.0f bn CNY, paid in %.1f–%.1f", fz, fy, fy + fl)
    # Right of the bar, unless it would run past the horizon into the legend:
    # then left of the bar's start.  The width is estimated from the label's
    # length (about 0.18 years a character on a 21.5-year axis at this font).
    TW = strlen(txt) * 0.18 * (Y1 - Y0 + 0.5) / 21.5
    if (fy + fl + TW < Y1) {
        set label (200 + j) txt at fy + fl, graph (0.97 - 0.07 * (j - 1)) left offset 0.6, 0 \
            font F(15) textcolor rgb TC noenhanced front boxed
    } else {
        set label (200 + j) txt at fy, graph (0.97 - 0.07 * (j - 1)) right offset -0.6, 0 \
            font F(15) textcolor rgb TC noenhanced front boxed
    }
}

plot Q skip 1 every ::A::B using 1:5:9 with filledcurves fillcolor rgb C_SKY \
        fillstyle solid 0.35 title "90 % interval", \
     '' skip 1 every ::A::B using 1:6:8 with filledcurves fillcolor rgb C_BLUE \
        fillstyle solid 0.45 title "50 % interval", \
     '' skip 1 every ::A::B using 1:7 with lines linecolor rgb C_BLUE linewidth 3 title "median", \
     NaN with boxes fillcolor rgb C_GREY fillstyle solid 0.9 title "years paid in"

load G_CHECK
