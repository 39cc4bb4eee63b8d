#!/usr/bin/env bash
# Regenerates configs/posteriors/observed-2025.csv, the posterior that
# configs/rebase-2025.cfg (and its variants) take their structural parameters
# from (parameters_from; docs/calibration.md, "The rebase posterior").
#
# configs/observed.cfg (base year 2014, the record as inputs) is calibrated on
# the observations of 2015-2025 for the parameters that carry over to a
# projection from 2025: rates, elasticities, learning, cadence and the effects
# of the measures already in force.  What describes the 2014 state
# (market.consumption0, fx.base_year, ownership.foreign0, ownership.leader0,
# ownership.tool_foreign0, leader.penalty0.n7) is replaced in the rebase by
# the 2025 anchors; what the observed scenario replaces by the record
# (tools.growth, the hazards of measures given fixed years) is not learnt
# from it; nor is leader.penalty0.euv (no EUV-class rung was reached by
# 2025), which the EUV variant sets: none of them is calibrated.  Same
# seed, same bytes, for any thread count.  A population of 1500 keeps about
# 230 distinct draws (600 kept 80); about 790 000 trajectories, some 7
# minutes on two cores, so CI does not run it: rerun it (or --check) when the
# model or data/observations.csv change.
#
#   bash docs/make-rebase-posterior.sh [GAPSIM_BINARY]          # rewrites the file
#   bash docs/make-rebase-posterior.sh --check [GAPSIM_BINARY]  # exit 1 when it is stale
set -euo pipefail
cd "$(dirname "$0")/.."
. docs/lib.sh
doc_start "$@"
out=configs/posteriors/observed-2025.csv

params=market.growth,market.cycle.sd,market.cycle.beta_domestic,market.cycle.beta_foreign
params+=,prices.decay,prices.floor,prices.mature_decay
params+=,capacity.turnover,capacity.depreciation,capacity.build_lag
params+=,ownership.tool_foreign_drift,ownership.leader_share,ownership.failure_share
params+=,leader.advanced_share,leader.pilot_share,leader.step,leader.difficulty
params+=,leader.elasticity,leader.learning,leader.penalty0.n28,leader.penalty0.n14

params+=,tools.noise,tools.saturation,tools.per_fund_usd,tools.domestic_push
params+=,csia.design_growth,csia.demand_drift
params+=,funds.fund2.paid_over,funds.fund2.lag,funds.fund3.paid_over,funds.fund3.lag
params+=,controls.euv.rho
params+=,controls.leader_el.rho,controls.leader_el.pi,controls.leader_el.zeta
params+=,controls.oct2022.rho,controls.oct2022.pi,controls.oct2022.zeta
params+=,controls.oct2022.sub,controls.oct2022.foreign_cut
params+=,controls.duv2023.rho,controls.duv2023.pi,controls.duv2023.zeta
params+=,controls.oct2023.rho,controls.oct2023.zeta,controls.oct2023.sub
params+=,controls.dec2024.rho,controls.dec2024.pi,controls.dec2024.zeta
params+=,controls.huawei.sub

cmd=(calibrate configs/observed.cfg --until 2025 --params "$params" --population 1500 -n 16
     --seed 20190101 --threads 2 --no-plots -q)
"$gapsim" "${cmd[@]}" -o "$scratch/cal"
# The calibration's report (prior against posterior, diagnostics) beside it,
# with the paths a reader would have after the command of the README.
sed "s#$scratch/cal#out/calibrate_observed#g; s#against [^ ]*observations.csv#against data/observations.csv#" \
    "$scratch/cal/calibration.txt" >"$scratch/report.txt"
doc_install "$scratch/cal/posterior.csv" "$out" docs/make-rebase-posterior.sh
# The report is rewritten with the posterior, not checked: the posterior is the figure.
[ "$check" = 1 ] || doc_install "$scratch/report.txt" "${out%.csv}.calibration.txt" docs/make-rebase-posterior.sh
