# shares.gp: the share of China's IC consumption on the three measured bases
# (made in China, China-headquartered, and the CSIA ratio of industry sales to
# demand), median and 50 % band each.
# Reads quantiles.csv (share_made_in_china, share_china_hq, share_csia).
CHART_TITLE = "Share of China's IC consumption on three bases"
CHART_SOURCE = "quantiles.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

Q = meta("dir") . "/quantiles.csv"
Y0 = metan("base_year")
Y1 = metan("horizon")
VN(i) = word("share_made_in_china share_china_hq share_csia", i)
VT(i) = i == 1 ? "made in China" : (i == 2 ? "China-HQ fabs" : "CSIA ratio")
SA(i) = rfirst("q." . VN(i))
SB(i) = rlast("q." . VN(i))

set xrange [Y0 : Y1]
set xtics Y0, (Y1 - Y0 > 12 ? 4 : 2) format "%.0f"
set mxtics 2
set xlabel "Year"
# The two shares are at most 100 % (the demand limit); the CSIA basis is a
# ratio that may pass it (docs/model.md 8.3): the axis grows to show it.
stats Q skip 1 every ::SA(3)::SB(3) using (100 * $8) nooutput
YMAX = STATS_max > 100 ? 20 * ceil(STATS_max / 20) : 100
set yrange [0 : YMAX]
set ytics 0, (YMAX > 100 ? 20 : 10) format "%.0f %%"
set ylabel "Per cent of China's IC consumption"
set key at screen 0.775, graph 0.7 left top vertical Left reverse samplen 2.5 spacing 1.3 \
    title "median, 50 % band" noenhanced
set rmargin at screen 0.76

plot for [i = 1:3] Q skip 1 every ::SA(i)::SB(i) using 1:(100 * $6):(100 * $8) with filledcurves \
        fillcolor rgb pal(i) fillstyle transparent solid 0.22 notitle, \
     for [i = 1:3] Q skip 1 every ::SA(i)::SB(i) using 1:(100 * $7) with lines \
        linecolor rgb pal(i) linewidth 3 title VT(i) noenhanced

load G_CHECK
