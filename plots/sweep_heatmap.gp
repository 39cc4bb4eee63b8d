# sweep_heatmap.gp: one metric over a grid of two parameters, one cell per
# design point (cells evenly spaced whatever the values' spacing; the tics
# give the values), each labelled with its value, and, for the first metric
# when the sweep asks for it, the line where the metric reaches the contour
# level, interpolated along x.  Reads grid.csv (rows: y outer, x inner) and
# grid_contour.csv.
CHART_TITLE = "Two parameters at once"
CHART_SOURCE = "grid.csv, grid_contour.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
G_CHECK = ARG1[1:strlen(ARG1) - 8] . "check.gp"
load ARG1

F = meta("dir") . "/grid.csv"
C = meta("dir") . "/grid_contour.csv"
A = rfirst("rows")
B = rlast("rows")
NX = metai("nx")
NY = metai("ny")
HAS_C = meta("contour") ne ""
LEVEL = HAS_C ? metan("contour") : 0
CA = HAS_C ? rfirst("crows") : 0
CB = HAS_C ? rlast("crows") : 0
IX(n) = int(n) % NX
IY(n) = int(n) / NX
# Light text on the dark half of the palette, dark text on the light half.
stats F skip 1 every ::A::B using 4 nooutput
MID = (STATS_min + STATS_max) / 2.0
TC(v) = v < MID ? 0xffffff : 0x202020

set xlabel meta("xname.text") noenhanced
set ylabel meta("yname.text") noenhanced
set cblabel meta("metric.text") noenhanced
set label 9004 "x " . meta("xname") . ", y " . meta("yname") . ", colour " . meta("metric") . " · " . meta("footer1")
set grid noytics
set border 0
set tics scale 0
set rmargin at screen 0.86
set palette defined (0 "#440154", 0.25 "#3b528b", 0.5 "#21918c", 0.75 "#5ec962", 1 "#fde725")
set colorbox user origin screen 0.885, screen 0.14 size screen 0.02, screen 0.66
set xrange [-0.5 : NX - 0.5]
set yrange [-0.5 : NY - 0.5]
set key at screen 0.86, screen 0.86 right bottom Left reverse samplen 2 opaque box linecolor rgb "white"

# Tic labels are the parameters' values, numbers printed by the template.
if (HAS_C) {
    plot F skip 1 every ::A::B using (IX($0)):(IY($0)):(IX($0) - 0.5):(IX($0) + 0.5):(IY($0) - 0.5):(IY($0) + 0.5):4:xtic(sprintf("%.4g", $1)):ytic(sprintf("%.4g", $2)) \
            with boxxyerror fillcolor palette fillstyle solid 1.0 noborder notitle, \
         C skip 1 every ::CA::CB using 4:0 with lines linecolor rgb C_VERMILLION linewidth 3 \
            title sprintf("reaches %.4g here", LEVEL), \
         F skip 1 every ::A::B using (IX($0)):(IY($0)):(sprintf("%.3g", $4)):(TC($4)) with labels \
            font F(14) textcolor rgb variable notitle
} else {
    plot F skip 1 every ::A::B using (IX($0)):(IY($0)):(IX($0) - 0.5):(IX($0) + 0.5):(IY($0) - 0.5):(IY($0) + 0.5):4:xtic(sprintf("%.4g", $1)):ytic(sprintf("%.4g", $2)) \
            with boxxyerror fillcolor palette fillstyle solid 1.0 noborder notitle, \
         '' skip 1 every ::A::B using (IX($0)):(IY($0)):(sprintf("%.3g", $4)):(TC($4)) with labels \
            font F(14) textcolor rgb variable notitle
}

load G_CHECK
