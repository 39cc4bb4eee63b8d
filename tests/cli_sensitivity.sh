#!/bin/bash
# gapsim sensitivity sample -> model (awk) -> analyze, through the real binary.
# usage: cli_sensitivity.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$scratch" || exit 1

ishigami='{ print sin($1) + 7 * sin($2)^2 + 0.1 * $3^4 * sin($1) }'
cat > ishigami.txt <<'EOF'
# Ishigami: three factors on [-pi, pi]
x1 -3.141592653589793 3.141592653589793
x2,-3.141592653589793,3.141592653589793

x3 -3.141592653589793 3.141592653589793
EOF

# 1. help
"$gapsim" sensitivity --help > help.txt 2>&1
check "--help exits 0 and prints the usage" \
    test $? -eq 0 -a -n "$(grep -l 'gapsim sensitivity sample' help.txt)"

# 2. Sobol' round trip with second order: N = 4096 base rows, 2k+2 = 8 each.
"$gapsim" sensitivity sample --method sobol -p ishigami.txt -N 4096 --second-order -o X.txt
rc=$?
rows=$(wc -l < X.txt 2>/dev/null || echo 0)
check "sobol sample writes N(2k+2) = 32768 rows (rc $rc, $rows rows)" \
    test "$rc" -eq 0 -a "$rows" -eq 32768
awk "$ishigami" X.txt > Y.txt
"$gapsim" sensitivity analyze --method sobol -p ishigami.txt -Y Y.txt --second-order --seed 3 \
    -o S.csv
check "sobol analyze exits 0" test $? -eq 0
check "sobol CSV header" test "$(head -n 1 S.csv)" = "name,S1,S1_conf,ST,ST_conf,note"
check "one table per file: S.csv has the header and 3 rows only" test "$(wc -l < S.csv)" -eq 4
check "second-order indices in their own file S_S2.csv" \
    test "$(head -n 1 S_S2.csv 2>/dev/null)" = "name_i,name_j,S2,S2_conf,note" \
    -a "$(wc -l < S_S2.csv)" -eq 4

# Analytic Ishigami (a = 7, b = 0.1).  Tolerance: 2 * conf + 0.01, where
# conf is the reported 95 % bootstrap half-width (1.96 standard errors), so
# about 4 standard errors plus 0.01 for the O(1/N) bias of the ratio
# estimators; conf itself must be below 0.08 or the check would say little.
near=$(awk -F, '
    BEGIN { pi = 3.141592653589793; a = 7; b = 0.1
            v1 = 0.5 * (1 + b * pi^4 / 5)^2; v2 = a^2 / 8; v13 = b^2 * pi^8 * (1/18 - 1/50)
            v = v1 + v2 + v13
            s1["x1"] = v1 / v; s1["x2"] = v2 / v; s1["x3"] = 0
            st["x1"] = (v1 + v13) / v; st["x2"] = v2 / v; st["x3"] = v13 / v
            bad = 0; n = 0 }
    NR >= 2 && NR <= 4 {
        n++
        d1 = $2 - s1[$1]; if (d1 < 0) d1 = -d1
        dt = $4 - st[$1]; if (dt < 0) dt = -dt
        if (d1 > 2 * $3 + 0.01 || dt > 2 * $5 + 0.01 || $3 > 0.08 || $5 > 0.08) {
            bad = 1; printf "%s: S1 %s (exact %.4f) ST %s (exact %.4f)\n", $1, $2, s1[$1], $4, st[$1] > "/dev/stderr" }
    }
    END { print (bad == 0 && n == 3) ? "yes" : "no" }' S.csv)
check "Sobol indices within tolerance of the analytic Ishigami values" test "$near" = yes

# 3. Morris round trip on a linear model: every elementary effect of x_i is
# c_i times the width of its range, so mu is exact and sigma 0 (to 1e-9).
cat > linear.txt <<'EOF'
a 0 1
b -1 1
c 10 20
EOF
"$gapsim" sensitivity sample --method morris -p linear.txt -N 12 --levels 6 --seed 9 -o MX.txt
awk '{ print 3 * $1 - 2 * $2 + 0.5 * $3 }' MX.txt > MY.txt
"$gapsim" sensitivity analyze --method morris -p linear.txt -X MX.txt -Y MY.txt -o M.csv
check "morris CSV header" test "$(head -n 1 M.csv 2>/dev/null)" = "name,mu,mu_star,sigma,mu_star_conf,note"
exact=$(awk -F, '
    BEGIN { mu["a"] = 3; mu["b"] = -4; mu["c"] = 5; ok = 1; n = 0 }
    NR > 1 { n++; d = $2 - mu[$1]; if (d < 0) d = -d; s = $4; if (s < 0) s = -s
             if (d > 1e-9 || s > 1e-9) ok = 0 }
    END { print (ok && n == 3) ? "yes" : "no" }' M.csv)
check "morris mu equals the linear coefficients, sigma 0" test "$exact" = yes

# 4. Same seed, same bytes; another seed, another sample.
"$gapsim" sensitivity sample --method morris -p linear.txt -N 12 --levels 6 --seed 9 -o MX2.txt
check "same seed gives an identical morris sample" cmp -s MX.txt MX2.txt
"$gapsim" sensitivity sample --method morris -p linear.txt -N 12 --levels 6 --seed 10 -o MX3.txt
another() { test -s MX3.txt && ! cmp -s MX.txt MX3.txt; }
check "another seed gives another morris sample" another
"$gapsim" sensitivity analyze --method sobol -p ishigami.txt -Y Y.txt --max-order 2 --seed 3 \
    -o again.csv --output-s2 again2.csv
check "same seed gives identical intervals" cmp -s S.csv again.csv
check "same seed gives identical second-order intervals" cmp -s S_S2.csv again2.csv
"$gapsim" sensitivity analyze --method sobol -p ishigami.txt -Y Y.txt --max-order 2 \
    > /dev/null 2> err.txt
check "second order to stdout alone is refused (it needs its own file)" \
    grep -q 'second-order indices go to their own file' err.txt

# 5. A row count that does not fit: exit 2, and the message names the count.
head -n 999 Y.txt > short.txt
"$gapsim" sensitivity analyze --method sobol -p ishigami.txt -Y short.txt -o never.csv \
    2> err.txt
rc=$?
check "wrong row count exits 2 (got $rc)" test "$rc" -eq 2
check "wrong row count names the expected multiple" \
    grep -q 'short.txt: 999 rows, but sobol with 3 parameters needs a multiple of 5 (N\*(k+2))' err.txt
check "no output file is left after a failure" test ! -e never.csv
check "no temporary file is left after a failure" test -z "$(ls | grep '^never\.csv')"

# 6. A bad problem line: FILE:LINE: and exit 2.
printf 'x1 0 1\n# fine so far\nx2 5 1\n' > badproblem.txt
"$gapsim" sensitivity sample --method sobol -p badproblem.txt -N 8 > /dev/null 2> err.txt
rc=$?
check "bad problem line exits 2 (got $rc)" test "$rc" -eq 2
check "bad problem line is reported as FILE:LINE:" \
    grep -q '^gapsim: badproblem.txt:3: lower bound 5 of .x2. is not below its upper bound 1' err.txt

# 7. Morris without -X is a usage error.
"$gapsim" sensitivity analyze --method morris -p linear.txt -Y MY.txt > /dev/null 2> err.txt
check "morris analyze without -X exits 2" test $? -eq 2

# 8. Design and analysis that do not match are errors that say what was expected.
"$gapsim" sensitivity sample --method sobol -p ishigami.txt -N 64 -o X1.txt
awk "$ishigami" X1.txt > Y1.txt
"$gapsim" sensitivity analyze --method sobol -p ishigami.txt -X X1.txt -Y Y1.txt --max-order 2 \
    -o mm.csv 2> err.txt
rc=$?
check "second order asked of a first-order design exits 2 (got $rc)" test "$rc" -eq 2
check "... and says the rows are not a second-order design" \
    grep -Eq 'X1.txt:[0-9]+: row [0-9]+ is not (AB|BA)_[0-9]+ of a sobol design with second order' err.txt
check "... and writes neither file" test ! -e mm.csv -a ! -e mm_S2.csv
printf 'x1 0 1\nx2 0 1\nx3 0 1\n' > unit.txt
"$gapsim" sensitivity analyze --method sobol -p unit.txt -X X1.txt -Y Y1.txt > /dev/null 2> err.txt
check "a sample from another problem is refused" \
    grep -q "X1.txt:1: .*outside its unif support \[0, 1\]: is this sample from another problem" err.txt
"$gapsim" sensitivity analyze --method sobol -p ishigami.txt -X X1.txt -Y Y1.txt -o ok1.csv
check "the matching first-order analysis runs" test $? -eq 0 -a -s ok1.csv

# 9. SALib's problem files: groups (4th column, NA for none), distributions
# (5th), commas or another delimiter.
cat > groups.txt <<'EOF'
# name lower upper group dist
x1,-3.141592653589793,3.141592653589793,g13
x2,-3.141592653589793,3.141592653589793,NA
x3,-3.141592653589793,3.141592653589793,g13
EOF
"$gapsim" sensitivity sample --method sobol -p groups.txt -N 2048 -o GX.txt
rows=$(wc -l < GX.txt)
check "a grouped sobol design has N(D+2) rows, D = 2 groups ($rows)" test "$rows" -eq 8192
awk "$ishigami" GX.txt > GY.txt
"$gapsim" sensitivity analyze --method sobol -p groups.txt -X GX.txt -Y GY.txt -o G.csv
# The group {x1, x3} holds everything x2 does not: S1 = ST = 1 - V2/V
# (0.5576); x2: S1 = ST = V2/V (0.4424).  Tolerance as above.
grp=$(awk -F, 'NR == 2 { g = $1; s = $2; c = $3; t = $4; tc = $5 }
               NR == 3 { h = $1; s2 = $2; c2 = $3 }
    END { d = s - 0.5576; if (d < 0) d = -d; e = s2 - 0.4424; if (e < 0) e = -e
          f = t - 0.5576; if (f < 0) f = -f
          print (g == "g13" && h == "x2" && d < 2 * c + 0.01 && e < 2 * c2 + 0.01 && f < 2 * tc + 0.01 && NR == 3) ? "yes" : "no" }' G.csv)
check "group indices: S1 of {x1, x3} is 1 - V2/V, S1 of x2 is V2/V" test "$grp" = yes
sed 's/,/;/g' groups.txt > semi.txt
"$gapsim" sensitivity sample --method sobol -p semi.txt -d ';' -N 2048 -o SX.txt
same() { tr ';' ' ' < SX.txt | cmp -s - GX.txt; }
check "-d ';' reads the same problem and writes ';'-separated rows" same
cat > dists.txt <<'EOF'
a 0 1 NA unif
b 2 0.5 NA triang
c 10 2 NA norm
d 0 0.5 NA lognorm
EOF
"$gapsim" sensitivity sample --method delta -p dists.txt -N 4000 --seed 5 -o DX.txt
# Means 0.5, (0 + 2 + 1) / 3 = 1, 10 and (log) 0, within 4 standard errors of
# a mean of 4000 independent draws (a Latin hypercube's are smaller still).
dok=$(awk '{ n++; sa += $1; sb += $2; sc += $3; sd += log($4); if ($2 < 0 || $2 > 2 || $4 <= 0) bad = 1 }
    END { ma = sa / n; mb = sb / n; mc = sc / n; md = sd / n
          ok = !bad && (ma - 0.5)^2 < (4 * 0.289 / sqrt(n))^2 && (mb - 1)^2 < (4 * 0.41 / sqrt(n))^2 &&
               (mc - 10)^2 < (4 * 2 / sqrt(n))^2 && md^2 < (4 * 0.5 / sqrt(n))^2
          print ok ? "yes" : "no" }' DX.txt)
check "unif, triang, norm and lognorm columns have SALib's meanings" test "$dok" = yes
"$gapsim" sensitivity sample --method morris -p dists.txt -N 4 > /dev/null 2> err.txt
check "morris refuses an unbounded distribution" grep -q "a norm distribution has none" err.txt

# 10. Every method round trips through its files; same seed, same bytes.
for m in fast rbd_fast delta pawn; do
    case $m in
    fast) extra="-R 4"; n=513 ;;
    *) extra=""; n=1500 ;;
    esac
    xarg="-X ${m}X.txt"
    "$gapsim" sensitivity sample --method $m -p ishigami.txt -N $n $extra --seed 4 -o ${m}X.txt
    rc=$?
    awk "$ishigami" ${m}X.txt > ${m}Y.txt
    "$gapsim" sensitivity analyze --method $m -p ishigami.txt $xarg -Y ${m}Y.txt $extra \
        --seed 2 -o ${m}.csv 2> err.txt
    rc2=$?
    "$gapsim" sensitivity analyze --method $m -p ishigami.txt $xarg -Y ${m}Y.txt $extra \
        --seed 2 -o ${m}2.csv 2> /dev/null
    check "$m sample and analyze exit 0 (rc $rc, $rc2) with three rows" \
        test "$rc" -eq 0 -a "$rc2" -eq 0 -a "$(wc -l < ${m}.csv)" -eq 4
    check "$m: same seed, same bytes" cmp -s ${m}.csv ${m}2.csv
done
check "fast header" test "$(head -n 1 fast.csv)" = "name,S1,S1_conf,ST,ST_conf,note"
check "rbd_fast header" test "$(head -n 1 rbd_fast.csv)" = "name,S1,S1_conf,note"
check "delta header" test "$(head -n 1 delta.csv)" = "name,delta,delta_conf,S1,S1_conf,note"
check "pawn header" \
    test "$(head -n 1 pawn.csv)" = "name,minimum,mean,median,maximum,CV,stdev,median_conf,note"
# x2 carries the largest first-order share of Ishigami (0.44); every method
# that estimates S1 puts it first.
for m in fast rbd_fast delta; do
    c=$(head -n 1 $m.csv | tr ',' '\n' | grep -n '^S1$' | cut -d: -f1)
    top=$(tail -n +2 $m.csv | sort -t, -k${c},${c} -g -r | head -n 1 | cut -d, -f1)
    check "$m ranks x2 first by S1 ($top)" test "$top" = x2
done
"$gapsim" sensitivity analyze --method pawn -p ishigami.txt -Y pawnY.txt > /dev/null 2> err.txt
check "pawn without -X is refused" grep -q 'pawn analyze needs -X SAMPLE' err.txt
"$gapsim" sensitivity sample --method pawn -p ishigami.txt -N 10 --levels 4 > /dev/null 2> err.txt
check "an option of another method is refused by name" \
    grep -q "option '--levels' does not apply to pawn sample" err.txt
"$gapsim" sensitivity sample --method sobl -p ishigami.txt -N 10 > /dev/null 2> err.txt
check "a misspelt method gets a suggestion" grep -q "did you mean sobol" err.txt
"$gapsim" sensitivity sample --method morris -p groups.txt -N 40 -k 6 --seed 3 -o OX.txt
check "morris with groups and optimal trajectories: 6 x (D+1) = 18 rows" \
    test "$(wc -l < OX.txt)" -eq 18
awk "$ishigami" OX.txt > OY.txt
"$gapsim" sensitivity analyze --method morris -p groups.txt -X OX.txt -Y OY.txt -o O.csv
check "morris groups: one row per group, mu empty with a note" \
    test "$(sed -n 2p O.csv | cut -d, -f1,2)" = "g13," -a "$(wc -l < O.csv)" -eq 3

# 11. Files as SALib's command line writes them: a sample printed with
# np.savetxt's "%.8e", space-delimited, analyses like gapsim's own (Morris on
# the linear model: the same effects to 1e-6, the rounding of 8 digits).
awk '{ for (i = 1; i <= NF; i++) printf "%s%.8e", (i > 1 ? " " : ""), $i; print "" }' MX.txt > MXs.txt
awk '{ printf "%.8e\n", $1 }' MY.txt > MYs.txt
"$gapsim" sensitivity analyze morris -p linear.txt -X MXs.txt -Y MYs.txt -o Ms.csv
salib=$(awk -F, 'NR == FNR { if (FNR > 1) mu[$1] = $2; next }
    FNR > 1 { d = $2 - mu[$1]; if (d < 0) d = -d; if (d > 1e-6) bad = 1; n++ }
    END { print (n == 3 && !bad) ? "yes" : "no" }' M.csv Ms.csv)
check "a SALib-written sample (%.8e) gives the same Morris effects" test "$salib" = yes
printf 'a\t0\t1\nb\t-1\t1\nc\t10\t20\n' > tabs.txt
"$gapsim" sensitivity sample morris -p tabs.txt -d '\t' -N 12 --levels 6 --seed 9 -o TX.txt
same_tabs() { tr '\t' ' ' < TX.txt | cmp -s - MX.txt; }
check "a tab-delimited problem (-d '\\t') gives the same sample, tab-separated" same_tabs

# 12. Edges of the readers: each refusal is one line naming the file (and
# line), exit 2, and no output file left behind.
refused() { # description, expected message, command...
    local what=$1 want=$2; shift 2
    rm -f E.out
    "$@" > /dev/null 2> err.txt
    local rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -qF -- "$want" err.txt \
        && [ ! -e E.out ]; then
        ok "$what"
    else
        bad "$what (rc $rc: $(head -c 300 err.txt))"
    fi
}
printf 'tiny 4.9e-324 1\nb 0 1\n' > subnormal.txt
"$gapsim" sensitivity sample sobol -p subnormal.txt -N 8 -o SUB.txt 2> err.txt
check "a subnormal bound (4.9e-324) is a number (rc $?)" test -s SUB.txt
awk '{ print $1 + $2 }' SUB.txt | sed '1s/.*/4.9e-324/' > subY.txt
"$gapsim" sensitivity analyze sobol -p subnormal.txt -Y subY.txt -o SUBS.csv 2> err.txt
check "a subnormal output (4.9e-324) is a number (rc $?)" test -s SUBS.csv
refused "a directory as -p" "gapsim: $scratch: is a directory, not a problem file" \
    "$gapsim" sensitivity sample sobol -p "$scratch" -N 8 -o E.out
refused "a directory as -Y" "gapsim: $scratch: is a directory, not a file of outputs" \
    "$gapsim" sensitivity analyze sobol -p ishigami.txt -Y "$scratch" -o E.out
printf 'a 0 1\nb\000 0 1\nc 0 1\n' > nulprob.txt
refused "a NUL byte in a problem line" "gapsim: nulprob.txt:2: contains a NUL byte" \
    "$gapsim" sensitivity sample sobol -p nulprob.txt -N 8 -o E.out
printf '1\n2\000\n3\n' > nulY.txt
refused "a NUL byte in an output line" "gapsim: nulY.txt:2: contains a NUL byte" \
    "$gapsim" sensitivity analyze sobol -p ishigami.txt -Y nulY.txt -o E.out
printf 'a 0 1\nhuge -1e308 1e308\n' > wide.txt
refused "bounds whose width overflows" \
    "gapsim: wide.txt:2: unif 'huge' -1e+308 1e+308: the width upper - lower overflows a double" \
    "$gapsim" sensitivity sample sobol -p wide.txt -N 8 -o E.out
"$gapsim" sensitivity sample sobol -p ishigami.txt -N 8 -o HX.txt
awk '{ print (NR % 2 ? 1e308 : -1e308) }' HX.txt > HY.txt
refused "outputs whose variance overflows" \
    "gapsim: HY.txt:2: output -1e+308 makes the variance of the outputs overflow" \
    "$gapsim" sensitivity analyze sobol -p ishigami.txt -Y HY.txt -o E.out

gs_test_end cli_sensitivity
