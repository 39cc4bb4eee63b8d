# backtest_years.gp: the first years of node milestones, forecast against
# observed.  One row per first-year observation: the 5-95 % range (thin bar),
# the 25-75 % range (thick bar), the median (white tick) and the observed year
# (dot; an arrow for "not reached by", which only says "later than").
# Reads backtest.csv (rows fy.K.row of the metadata).
CHART_TITLE = "Backtest: node years, forecast against observed"
CHART_SOURCE = "backtest.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

OBS = meta("dir") . "/backtest.csv"
NF = metai("nfy")
Y0 = metan("base_year")
Y1 = metan("horizon")
set xrange [Y0 - 0.5 : Y1 + 1.5]
set xtics Y0, 2 format "%.0f"
set mxtics 2
set xlabel sprintf("Year first reached (%.0f: not by the horizon)", Y1 + 1)
set yrange [0.4 : NF + 0.6]
unset ytics
set grid noytics
set grid xtics linestyle 100
set lmargin at screen 0.20
set tmargin at screen 0.77
set key horizontal maxrows 1 at screen 0.98, 0.84 right top Left reverse samplen 1.5 width 2
do for [k = 1:NF] {
    r = metai(sprintf("fy.%d.row", k))
    stats OBS skip 1 every ::r::r using (q05 = $6, q25 = $7, q50 = $8, q75 = $9, q95 = $10, \
        cen = $17, 0) nooutput
    stats OBS skip 1 every ::r::r using (yo = $3, 0) nooutput
    stats OBS skip 1 every ::r::r using (ov = (strcol(4) eq "" ? NaN : $4), 0) nooutput
    y = NF - k + 1
    set label (100 + k) meta(sprintf("fy.%d.label", k)) at graph -0.01, first y right font F(15) noenhanced
    set object (1000 + 3 * k) rect from q05 - 0.5, y - 0.08 to q95 + 0.5, y + 0.08 \
        fillcolor rgb C_SKY fillstyle solid 0.6 noborder
    set object (1001 + 3 * k) rect from q25 - 0.5, y - 0.25 to q75 + 0.5, y + 0.25 \
        fillcolor rgb C_BLUE fillstyle solid 0.55 noborder
    set object (1002 + 3 * k) rect from q50 - 0.06, y - 0.25 to q50 + 0.06, y + 0.25 \
        fillcolor rgb "white" fillstyle solid 1 noborder front
    if (cen > 0) {
        set arrow (100 + k) from yo, y to yo + 2.5, y linecolor rgb C_VERMILLION linewidth 3 \
            head filled size screen 0.012, 25 front
        set label (300 + k) sprintf("not by %.0f", yo) at yo, y + 0.38 center font F(13) \
            textcolor rgb C_VERMILLION front
        set label (500 + k) "" at yo, y point pointtype 7 pointsize 2.2 linecolor rgb C_VERMILLION front
    } else {
        set label (500 + k) "" at ov, y point pointtype 7 pointsize 2.4 linecolor rgb C_VERMILLION front
    }
}
plot NaN with boxes fillcolor rgb C_SKY fillstyle solid 0.6 title "forecast 5-95 %", \
     NaN with boxes fillcolor rgb C_BLUE fillstyle solid 0.55 title "forecast 25-75 % (white: median)", \
     NaN with points pointtype 7 pointsize 2.2 linecolor rgb C_VERMILLION title "observed (arrow: later than)"
