# sweep_heatmap.gp: one metric over a grid of two parameters, each cell
# labelled with its value, and (when the sweep asks for it) the line where
# the metric reaches the contour level, interpolated along x.  Reads grid.csv
# and grid_contour.csv.
CHART_TITLE = "Two parameters at once"
CHART_SOURCE = "grid.csv, grid_contour.csv"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

F = meta("dir") . "/grid.csv"
C = meta("dir") . "/grid_contour.csv"
A = rfirst("rows")
B = rlast("rows")
DX = metan("dx")
DY = metan("dy")
HAS_C = meta("contour") ne ""
LEVEL = HAS_C ? metan("contour") : 0
CA = HAS_C ? rfirst("crows") : 0
CB = HAS_C ? rlast("crows") : 0

set xlabel meta("xname") noenhanced
set ylabel meta("yname") noenhanced
set cblabel meta("metric") noenhanced
set grid noytics
set rmargin at screen 0.86
set palette defined (0 "#440154", 0.25 "#3b528b", 0.5 "#21918c", 0.75 "#5ec962", 1 "#fde725")
set colorbox user origin screen 0.885, screen 0.14 size screen 0.02, screen 0.66
stats F skip 1 every ::A::B using 1:2 nooutput
set xrange [STATS_min_x - DX : STATS_max_x + DX]
set yrange [STATS_min_y - DY : STATS_max_y + DY]
set key at screen 0.86, screen 0.86 right bottom Left reverse samplen 2 opaque box linecolor rgb "white"

if (HAS_C) {
    plot F skip 1 every ::A::B using 1:2:($1 - DX):($1 + DX):($2 - DY):($2 + DY):4 \
            with boxxyerror fillcolor palette fillstyle solid 1.0 noborder notitle, \
         '' skip 1 every ::A::B using 1:2:(sprintf("%.3g", $4)) with labels font F(14) \
            textcolor rgb "#202020" notitle, \
         C skip 1 every ::CA::CB using 3:2 with linespoints linecolor rgb C_VERMILLION linewidth 4 \
            pointtype 7 pointsize 1.5 title sprintf("reaches %.4g here", LEVEL)
} else {
    plot F skip 1 every ::A::B using 1:2:($1 - DX):($1 + DX):($2 - DY):($2 + DY):4 \
            with boxxyerror fillcolor palette fillstyle solid 1.0 noborder notitle, \
         '' skip 1 every ::A::B using 1:2:(sprintf("%.3g", $4)) with labels font F(14) \
            textcolor rgb "#202020" notitle
}
