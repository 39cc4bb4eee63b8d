#!/usr/bin/env python3
"""Derives data/observations.csv (what `gapsim backtest` scores) from
data/history.csv.

Every observation is one row of history.csv (or, for the count of export-control
measures, a stated count of rows), with that row's source and confidence; no
value is typed here.  Run from anywhere:

    python3 data/derive_observations.py            # rewrites data/observations.csv
    python3 data/derive_observations.py --check    # exit 1 if the file is stale
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HISTORY = os.path.join(HERE, "history.csv")
OUT = os.path.join(HERE, "observations.csv")

# (id, kind, variable, basis, series, entity prefix, year, scale, covers)
# scale turns the row's unit into the variable's (percent -> fraction).
# covers: for first_year rows "not reached by YEAR", the year; the history
# row is the evidence that the node was still not reached (value left empty).
VALUE_ROWS = [
    # China's share on the CSIA basis (industry sales over consumption).  The
    # seed's 49 % for 2019 was a projection, not an outcome: not used.
    ("csia_share_2014", "share_total", "CSIA", "china_ic_selfsuff_official", "CSIA", 2014, 0.01),
    ("csia_share_2019", "share_total", "CSIA", "china_ic_selfsuff_official", "State Council", 2019, 0.01),
    # CSIA industry sales, bn RMB.
    ("csia_sales_2014", "sales_rmb", "CSIA", "china_ic_industry_sales_csia", "MIIT/NBS", 2014, 1),
    ("csia_sales_2018", "sales_rmb", "CSIA", "china_ic_industry_sales_csia", "MIIT", 2018, 1),
    ("csia_sales_2019", "sales_rmb", "CSIA", "china_ic_industry_sales_csia", "CSIA", 2019, 1),
    ("csia_sales_2021", "sales_rmb", "CSIA", "china_ic_industry_sales_csia", "CSIA", 2021, 1),
    # IC Insights / TechInsights: ICs made in China over the China IC market
    # (first vintage of each year; later revisions are in history.csv).
    ("made_in_china_share_2014", "share_total", "made_in_china", "china_ic_selfsuff_icinsights", "IC Insights", 2014, 0.01),
    ("made_in_china_share_2018", "share_total", "made_in_china", "china_ic_selfsuff_icinsights", "IC Insights", 2018, 0.01),
    ("made_in_china_share_2019", "share_total", "made_in_china", "china_ic_selfsuff_icinsights", "IC Insights", 2019, 0.01),
    ("made_in_china_share_2020", "share_total", "made_in_china", "china_ic_selfsuff_icinsights", "IC Insights", 2020, 0.01),
    ("made_in_china_share_2021", "share_total", "made_in_china", "china_ic_selfsuff_icinsights", "IC Insights", 2021, 0.01),
    ("made_in_china_share_2022", "share_total", "made_in_china", "china_ic_selfsuff_icinsights", "TechInsights", 2022, 0.01),
    ("made_in_china_share_2023", "share_total", "made_in_china", "china_ic_selfsuff_icinsights", "TechInsights", 2023, 0.01),
    # ICs made by China-headquartered firms over the China IC market.
    ("china_hq_share_2019", "share_total", "china_hq", "china_ic_selfsuff_china_hq", "IC Insights", 2019, 0.01),
    ("china_hq_share_2020", "share_total", "china_hq", "china_ic_selfsuff_china_hq", "IC Insights", 2020, 0.01),
    ("china_hq_share_2021", "share_total", "china_hq", "china_ic_selfsuff_china_hq", "IC Insights", 2021, 0.01),
    ("china_hq_share_2022", "share_total", "china_hq", "china_ic_selfsuff_china_hq", "TechInsights", 2022, 0.01),
    # Other definitions.
    ("deloitte_share_2019", "share_total", "deloitte", "china_ic_selfsuff_other", "Deloitte", 2019, 0.01),
    ("ibs_share_2023", "share_total", "unstated", "china_ic_selfsuff_other", "IBS", 2023, 0.01),
    # The China IC market (consumption), USD bn: the denominator of the
    # made-in-China share, not the consumption the CSIA share implies.
    ("made_in_china_market_2018", "demand", "made_in_china", "china_ic_market_usd", "IC Insights (Jan 2019", 2018, 1),
    ("made_in_china_market_2019", "demand", "made_in_china", "china_ic_market_usd", "IC Insights (2020", 2019, 1),
    ("made_in_china_market_2020", "demand", "made_in_china", "china_ic_market_usd", "IC Insights (2021", 2020, 1),
    ("made_in_china_market_2021", "demand", "made_in_china", "china_ic_market_usd", "IC Insights (2022", 2021, 1),
    ("made_in_china_market_2022", "demand", "made_in_china", "china_ic_market_usd", "TechInsights", 2022, 1),
]

# (id, variable, series, entity prefix, row year, node value of the row, covers)
# covers None: the row's year is the first year; else "not reached by covers".
FIRST_YEAR_ROWS = [
    ("smic_14nm", "milestone:14nm", "china_node_volume_production", "SMIC", 2019, 14, None),
    # The Kirin 9000S of 2023 (high); the 2021 N+1 miner die (medium) was a
    # small logic die, not volume production.
    ("smic_7nm", "milestone:7nm", "china_node_volume_production", "SMIC", 2023, 7, None),
    # N+3 (Dec 2025) is still 7 nm class: no 5 nm, so no 3 nm, by 2025.
    ("smic_5nm", "milestone:5nm", "china_node_volume_production", "SMIC", 2025, 7, 2025),
    ("smic_3nm", "milestone:3nm", "china_node_volume_production", "SMIC", 2025, 7, 2025),
    ("frontier_7nm", "frontier:7nm", "frontier_node_volume_production", "TSMC", 2018, 7, None),
    ("frontier_5nm", "frontier:5nm", "frontier_node_volume_production", "TSMC", 2020, 5, None),
    ("frontier_3nm", "frontier:3nm", "frontier_node_volume_production", "Samsung", 2022, 3, None),
    ("frontier_2nm", "frontier:2nm", "frontier_node_volume_production", "TSMC", 2025, 2, None),
]

# Export-control measures in the model's sense (a measure slows the domestic
# leader's steps to walled nodes): rules on tools, technology or services for
# China's chipmakers, one per acting government and year, the 2023 Dutch,
# Japanese and US rules counted as one coordinated tightening (history-notes,
# E: the January 2023 understanding).  Rules aimed at buyers (NUDT 2015, ZTE
# 2018, Huawei 2019-2020, supercomputer centres 2021) and China's own
# measures are not counted.  (entity prefix, year) of each counted row:
CONTROL_ROWS = [
    ("Netherlands (US pressure)", 2019),
    ("US BIS", 2020, "nm threshold"),
    ("US BIS", 2022, "nm threshold (logic)"),
    ("Netherlands", 2023),
    ("Japan (METI)", 2023, "items controlled"),
    ("US BIS", 2023),
    ("US BIS", 2024, "SME types newly controlled"),
]
CONTROL_COUNTS = [("controls_2020", 2020), ("controls_2023", 2023)]


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


def derive():
    rows = load()
    out = []
    for oid, var, basis, series, entity, year, scale in VALUE_ROWS:
        r = one(rows, series, entity, year)
        value = float(r["value"]) * scale
        out.append([oid, "value", var, year, f"{value:.10g}", basis, 0,
                    r["source_url_or_citation"], r["confidence"], note(r)])
    for oid, var, series, entity, year, nm, covers in FIRST_YEAR_ROWS:
        r = one(rows, series, entity, year, value=nm)
        first = "" if covers else str(year)
        extra = f"; still {nm} nm class in {covers}, so not reached by {covers}" if covers else ""
        out.append([oid, "first_year", var, covers or year, first, "", 0,
                    r["source_url_or_citation"], r["confidence"], note(r) + extra])
    counted = []
    for spec in CONTROL_ROWS:
        entity, year = spec[0], spec[1]
        unit = spec[2] if len(spec) > 2 else "event_flag"
        counted.append(one(rows, "export_control_event", entity, year, unit=unit))
    for oid, year in CONTROL_COUNTS:
        acts = {(r["entity"], int(r["year"])) for r in counted if int(r["year"]) <= year}
        # 2023: three governments, one coordinated tightening.
        n = len({(e, y) if y != 2023 else ("2023", y) for e, y in acts})
        srcs = " ; ".join(r["source_url_or_citation"].split(" ; ")[0]
                          for r in counted if int(r["year"]) <= year)
        out.append([oid, "value", "controls_active", year, n, "", 0, srcs, "medium",
                    f"COUNT of export_control_event rows in force by {year}: tool and "
                    "technology measures against China's chipmakers, one per government and "
                    "year, the 2023 Dutch, Japanese and US rules as one (derive_observations.py)"])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "kind", "variable", "year", "value", "basis", "sd", "source",
                "confidence", "note"])
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
