# prim_box.gp: the chosen box of scenario discovery on each parameter's
# sampled range: a grey bar is the range (left end its minimum, right end its
# maximum), the coloured bar the box's bounds within it; restricted parameters
# first, most significant at the top.  The driver passes every number in the
# metadata (dim.K.box: lower and upper as shares of the range, and whether the
# parameter is restricted), from prim_box.csv.
CHART_TITLE = "Scenario discovery: the box on each parameter's range"
CHART_SOURCE = "prim_box.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

NP = metai("np")
HB = 0.30
do for [k = 1:NP] {
    b = meta(sprintf("dim.%d.box", k))
    lo = real(word(b, 1))
    hi = real(word(b, 2))
    res = int(word(b, 3))
    y = NP - k + 1
    set object (1000 + 2 * k) rect from 0, y - HB to 1, y + HB \
        fillcolor rgb "#e4e4e4" fillstyle solid 1.0 noborder behind
    set object (1001 + 2 * k) rect from lo, y - HB to hi, y + HB \
        fillcolor rgb (res ? C_BLUE : "#b8b8b8") fillstyle solid 0.85 noborder
    set label (100 + k) meta(sprintf("dim.%d.label", k)) . "\n" . meta(sprintf("dim.%d.range", k)) \
        at graph -0.01, first y right font F(14) noenhanced
    set label (200 + k) meta(sprintf("dim.%d.text", k)) at graph 1.01, first y left font F(13) \
        textcolor rgb (res ? C_BLACK : C_GREY) noenhanced
}
set xrange [0 : 1]
set yrange [0.4 : NP + 0.6]
unset ytics
set xtics ("range minimum" 0, "" 0.25, "middle" 0.5, "" 0.75, "range maximum" 1)
set grid noytics
set grid xtics linestyle 100
set lmargin at screen 0.25
set rmargin at screen 0.64
set key vertical Left reverse samplen 1.5 opaque box linecolor rgb "white" \
    at screen 0.985, screen 0.095 right
plot NaN with boxes fillcolor rgb C_BLUE fillstyle solid 0.85 title "box bounds, restricted", \
     NaN with boxes fillcolor rgb "#b8b8b8" fillstyle solid 0.85 title "not restricted"

load G_CHECK
