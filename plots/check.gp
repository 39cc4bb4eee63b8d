# check.gp: the layout of the chart just drawn, for tests/chart_review.sh.
# Every template ends by loading it.  For SVG it appends to the metadata
# lines beside the output (see style.gp) the data area in terminal
# coordinates, the canvas in the same units, the y-range, and the level the
# chart promises to show (CHECK_LEVEL, when the template sets one); the
# driver puts them into the SVG's <metadata>.  In a multiplot, the last panel.
if (G_TERM eq "svg") {
    set print G_OUT . ".title" append
    print sprintf("area %.6g %.6g %.6g %.6g canvas %.6g %.6g", GPVAL_TERM_XMIN, GPVAL_TERM_XMAX, \
        GPVAL_TERM_YMIN, GPVAL_TERM_YMAX, GPVAL_TERM_XSIZE, GPVAL_TERM_YSIZE)
    print sprintf("yrange %.10g %.10g", GPVAL_Y_MIN, GPVAL_Y_MAX)
    if (exists("CHECK_LEVEL")) { print sprintf("level %.10g", CHECK_LEVEL) }
    unset print
}
