# sweep_index.gp: the indices of one metric from a sweep's fast, rbd_fast,
# delta or pawn table, one bar per parameter (two when the method has a second
# index) with its 95 % interval.  Every index is a share or a distance in
# [0, 1]; an index that could not be estimated has no bar.  Reads the file
# the metadata names.
CHART_TITLE = "Which parameters matter: indices with their 95 % intervals"
CHART_SOURCE = "the method's table (fast.csv, rbd_fast.csv, delta.csv or pawn.csv)"
G_META = ARG2; G_OUT = ARG3; G_TERM = ARG4; G_W = ARG5; G_H = ARG6
load ARG1

# The title and source depend on the method: set the labels again.
set label 9001 "Which parameters matter: " . meta("title") at screen 0.02, 0.955 left \
    font FB(26) noenhanced
set label 9005 meta("provenance") . " · data: " . meta("file") at screen 0.02, 0.018 left \
    font F(12) textcolor rgb "#7a7a7a" noenhanced
F = meta("dir") . "/" . meta("file")
A = rfirst("rows")
NP = metai("np")
C1 = metai("c1"); E1 = metai("e1"); C2 = metai("c2"); E2 = metai("e2")
TWO = C2 > 0
R(k) = A + k - 1
W = TWO ? 0.18 : 0
set xrange [0.4 : NP + 0.6]
set yrange [-0.05 : 1.05]
set ytics 0, 0.2, 1
unset xtics
set bmargin at screen 0.27
set ylabel "Index (0: no influence)"
set title meta("metric") noenhanced font F(20) offset 0, -0.5
set boxwidth (TWO ? 0.34 : 0.5) absolute
set xzeroaxis linecolor rgb "#b0b0b0"
set key top right Left reverse samplen 1.5 spacing 1.2 opaque box linecolor rgb "white"
do for [k = 1:NP] {
    set label (100 + k) meta(sprintf("param.%d", k)) at first k, graph -0.02 right rotate by 30 \
        font F(14) noenhanced
}

if (TWO) {
plot for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k - W):C1 with boxes \
        fillcolor rgb C_BLUE fillstyle solid 0.85 title (k == 1 ? meta("l1") : ""), \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k + W):C2 with boxes \
        fillcolor rgb C_ORANGE fillstyle solid 0.85 title (k == 1 ? meta("l2") : ""), \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k - W):C1:E1 with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle, \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k + W):C2:E2 with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle
} else {
plot for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k):C1 with boxes \
        fillcolor rgb C_BLUE fillstyle solid 0.85 title (k == 1 ? meta("l1") : ""), \
     for [k = 1:NP] F skip 1 every ::R(k)::R(k) using (k):C1:E1 with yerrorbars \
        linecolor rgb C_BLACK linewidth 1.5 pointsize 0 notitle
}
