#!/usr/bin/env python3
"""Derives data/observations.csv (what `gapsim backtest` scores) from
data/history.csv.

Every observation is one row of history.csv with that row's source and
confidence; no value is typed here, only which rows count, which model
output each scores (docs/model.md, "Outputs"), and the unit conversion
(percent -> fraction).  Run from anywhere:

    python3 data/derive_observations.py            # rewrites data/observations.csv
    python3 data/derive_observations.py --check    # exit 1 if the file is stale

Observation error.  history.csv gives no error bars; each row's confidence
stands for one (docs/validation.md): a log sd of 0.03 (high), 0.08 (medium)
or 0.15 (low), written as the sd of an additive error at the observed value,
sd = e |value| (the first-order equivalent of multiplying by exp(e z)).
Years are counted whole (sd 0).

Inputs.  Rows that a scenario can take as inputs (the observed scenario's
tool purchases, nodes and control years) name in `input_of` the setting that
pins them, PATH (a year or a list of years reaching the row's year) or
PATH=VALUE: `gapsim backtest` lists them as not scored in every scenario that
sets it so, whatever the scenario's name (a calibrated copy of the observed
scenario inherits its settings, and with them its inputs).  Rows that every scenario takes as input
(the frontier's record to 2018, SMIC's 28 and 14 nm years, which both pin)
are left out.

Left out, with the reason: the seed's 49 % CSIA share for 2019 (a claim, a
target output); China IC market rows marked FORECAST; SMIC's 150/180 nm mix
of 2017 (rung 0 lumps every node of 40 nm and older); Fund III's 93 bn CNY
allocation (not a deployment); the 2021 N+1 miner die (a first product, not
volume); the 2015, 2018, 2019 and 2021 listings of buyers and China's own
2024-25 measures (no fab effect in the model); the Deloitte and IBS shares
(definitions unclear); years before the base year 2014 (2010-2013 rows).
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HISTORY = os.path.join(HERE, "history.csv")
OUT = os.path.join(HERE, "observations.csv")

# Log sd of the observation error by confidence (docs/validation.md).
LOG_SD = {"high": 0.03, "medium": 0.08, "low": 0.15}
BASE_YEAR = 2014

# Value series: (id prefix, history series, entity prefix or None, model output,
# basis, scale, keep(row) or None).  Every row of the series from the base
# year on is an observation, every vintage included.
def not_forecast(r):
    return "FORECAST" not in r["definition"]


VALUE_SERIES = [
    # IC Insights / TechInsights: ICs made in China (all owners) over the China
    # IC market; the first vintage of each year and the revised one.
    ("made_in_china_share", "china_ic_selfsuff_icinsights", None, "share_made_in_china",
     "made_in_china", 0.01, None),
    ("made_in_china_share_revised", "china_ic_selfsuff_icinsights_revised", None,
     "share_made_in_china", "made_in_china", 0.01, None),
    # ICs made by China-headquartered firms over the same market.
    ("china_hq_share", "china_ic_selfsuff_china_hq", None, "share_china_hq", "china_hq", 0.01,
     None),
    # The China IC market (consumption), every vintage; forecasts are not outcomes.
    ("consumption", "china_ic_market_usd", None, "consumption", "made_in_china", 1, not_forecast),
    # Value of ICs produced in China, all owners.
    ("production_in_china", "china_ic_production_usd", None, "production_in_china",
     "made_in_china", 1, None),
    # CSIA-type industry sales (design + manufacturing + packaging/test), CNY and USD.
    ("csia_sales_cny", "china_ic_industry_sales_csia", None, "csia_sales_cny", "csia", 1, None),
    ("csia_sales_usd", "china_ic_industry_sales_usd", None, "csia_sales_usd", "csia", 1, None),
    # The domestic leader's revenue.
    ("leader_revenue", "smic_revenue", None, "leader_revenue", "", 1, None),
    # The leader's 7-nm-class price above the world's (FT: 40-50 %, midpoint).
    ("premium_7", "smic_price_premium", None, "premium_7", "", 0.01, None),
    # SEMI billings of new equipment shipped to mainland China.
    ("tools_china", "equipment_sales_china", None, "tools_china", "", 1, None),
]

# Single rows: (id, series, entity prefix, year, kind, output, basis, scale, note).
SINGLE_ROWS = [
    # The official (CSIA-basis) share: 2014 (the anchor) and 2019 (30 %).  The
    # seed's 49 % for 2019 (same series, same year) is a claim, not an outcome.
    ("csia_share_2014", "china_ic_selfsuff_official", "CSIA", 2014, "value", "share_csia",
     "csia", 0.01),
    ("csia_share_2019", "china_ic_selfsuff_official", "State Council", 2019, "value",
     "share_csia", "csia", 0.01),
    # Fund money put into the industry by 2022, all phases (cumulative).
    ("fund_invested_2022", "state_fund_deployment", "Big Fund (all", 2022, "value",
     "fund_invested", "", 1),
    # SMIC's 7-nm yield, "< 50 %" against an industry norm of 90 %: a bound.
    ("yield_7_2024", "smic_yield_estimate", "SMIC", 2024, "below", "yield_7", "", 0.01),
]

# SMIC's wafer revenue by node, quarterly: (entity, year, output(s)).  The
# quarter is in the row's unit; a quarter's figure is compared at its
# mid-point with a year's value at the year's middle (Q4 t + 0.375).
MIX_ROWS = [
    ("SMIC 28nm", 2015, "leader_mix_28nm"),
    ("SMIC 28nm", 2016, "leader_mix_28nm"),
    ("SMIC 28nm", 2017, "leader_mix_28nm"),
    ("SMIC 14nm", 2019, "leader_mix_14nm"),
    ("SMIC 28+14nm", 2020, "leader_mix_28nm+leader_mix_14nm"),
]
QUARTER_MID = {"Q1": -0.375, "Q2": -0.125, "Q3": 0.125, "Q4": 0.375}

# First years: (id, variable, series, entity prefix, row year, node of the
# row, covers, input_of).  covers None: the row's year is the first year;
# else "not reached by covers".
FIRST_YEAR_ROWS = [
    # The Kirin 9000S of 2023; a scenario that pins the 7-nm class takes it as input.
    ("smic_7nm", "milestone:7nm", "china_node_volume_production", "SMIC", 2023, 7, None,
     "leader.pinned.years"),
    # N+3 (Dec 2025) is still the 7-nm class: no 5 nm by 2025.
    ("smic_5nm", "milestone:5nm", "china_node_volume_production", "SMIC", 2025, 7, 2025,
     "leader.pinned.until"),
    # The frontier after the baseline's record (2018); an input where the record reaches it.
    ("frontier_5nm", "frontier:5nm", "frontier_node_volume_production", "TSMC", 2020, 5, None,
     "frontier.record.until"),
    ("frontier_3nm", "frontier:3nm", "frontier_node_volume_production", "Samsung", 2022, 3, None,
     "frontier.record.until"),
    ("frontier_2nm", "frontier:2nm", "frontier_node_volume_production", "TSMC", 2025, 2, None,
     "frontier.record.until"),
]

# Export-control measures of the model (configs: controls.NAME) and the
# history.csv row of each: (measure, entity prefix, year, unit).
CONTROL_ROWS = [
    ("euv", "Netherlands (US pressure)", 2019, "event_flag"),   # EUV licence not renewed
    ("huawei", "US BIS", 2020, "event_flag"),                   # FDPR extended to Huawei
    ("leader_el", "US BIS", 2020, "nm threshold"),              # SMIC listed, <= 10 nm
    ("oct2022", "US BIS", 2022, "nm threshold (logic)"),        # SME rule at 16/14 nm
    ("duv2023", "Netherlands", 2023, "event_flag"),             # advanced DUV licences
    ("oct2023", "US BIS", 2023, "event_flag"),                  # BIS SME update
    ("dec2024", "US BIS", 2024, "SME types newly controlled"),  # 24 SME types, SME FDPR
]


def load():
    with open(HISTORY, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def one(rows, series, entity, year, unit=None, value=None):
    hits = [r for r in rows if r["series"] == series and r["entity"].startswith(entity)
            and int(r["year"]) == year and (unit is None or r["unit"] == unit)
            and (value is None or float(r["value"]) == value)]
    if len(hits) != 1:
        sys.exit(f"derive_observations: {len(hits)} rows for {series} {entity} {year}")
    return hits[0]


def note(r):
    return f"history.csv: {r['series']}, {r['entity']}, {r['year']}: {r['value']} {r['unit']}"


def sd_of(value, confidence):
    return f"{LOG_SD[confidence] * abs(value):.6g}"


def row(oid, kind, var, year, value, basis, sd, r, extra="", at="", input_of=""):
    return [oid, kind, var, year, value, basis, sd, r["source_url_or_citation"], r["confidence"],
            at, input_of, note(r) + extra]


def derive():
    rows = load()
    out = []
    ids = set()

    def add(rec):
        if rec[0] in ids:
            sys.exit(f"derive_observations: duplicate id {rec[0]}")
        ids.add(rec[0])
        out.append(rec)

    for prefix, series, entity, var, basis, scale, keep in VALUE_SERIES:
        hits = [r for r in rows if r["series"] == series and int(r["year"]) >= BASE_YEAR
                and (entity is None or r["entity"].startswith(entity)) and (keep is None or keep(r))]
        if not hits:
            sys.exit(f"derive_observations: no rows for {series}")
        hits.sort(key=lambda r: int(r["year"]))
        years = [int(r["year"]) for r in hits]
        for r in hits:
            y = int(r["year"])
            value = float(r["value"]) * scale
            # Several vintages of one year: the vintage names the row.
            oid = f"{prefix}_{y}"
            if years.count(y) > 1:
                k = sorted((h for h in hits if int(h["year"]) == y), key=lambda h: h["entity"])
                oid += "_v" + str(k.index(r) + 1)
            inp = "tools.observed.years" if var == "tools_china" else ""
            add(row(oid, "value", var, y, f"{value:.10g}", basis, sd_of(value, r["confidence"]), r,
                    input_of=inp))
    for oid, series, entity, year, kind, var, basis, scale in SINGLE_ROWS:
        r = one(rows, series, entity, year)
        value = float(r["value"]) * scale
        add(row(oid, kind, var, year, f"{value:.10g}", basis, sd_of(value, r["confidence"]), r))
    for entity, year, var in MIX_ROWS:
        r = one(rows, "smic_wafer_rev_share", entity, year)
        quarter = next((q for q in QUARTER_MID if f"({q})" in r["unit"]), None)
        if quarter is None:
            sys.exit(f"derive_observations: no quarter in the unit of {note(r)}")
        value = float(r["value"]) * 0.01
        oid = "leader_mix_" + entity.split()[1].replace("+", "_") + f"_{year}{quarter.lower()}"
        add(row(oid, "value", var, year, f"{value:.10g}", "", sd_of(value, r["confidence"]), r,
                at=f"{year + QUARTER_MID[quarter]:g}"))
    for oid, var, series, entity, year, nm, covers, inp in FIRST_YEAR_ROWS:
        r = one(rows, series, entity, year, value=nm)
        first = "" if covers else str(year)
        extra = f"; still {nm} nm class in {covers}, so not reached by {covers}" if covers else ""
        add(row(oid, "first_year", f"{var}", covers or year, first, "", 0, r, extra,
                input_of=inp))
    for measure, entity, year, unit in CONTROL_ROWS:
        r = one(rows, "export_control_event", entity, year, unit=unit)
        add(row(f"control_{measure}", "first_year", f"measure:{measure}", year, str(year), "", 0,
                r, input_of=f"controls.{measure}.law=fixed"))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "kind", "variable", "year", "value", "basis", "sd", "source", "confidence",
                "at", "input_of", "note"])
    w.writerows(out)
    return buf.getvalue()


def main():
    text = derive()
    if "--check" in sys.argv[1:]:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("data/observations.csv is stale: run data/derive_observations.py")
        return
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
