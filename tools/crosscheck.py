#!/usr/bin/env python3
"""An independent second implementation of MODEL.md, to check the engine against.

Written from MODEL.md alone, in Python's `decimal` (no code shared with the Rust
engine), it projects every scenario of a district package folder and compares each
figure of `fulcrum project --json` (years and lever effects) with its own, to the
cent. Usage:

    tools/crosscheck.py PACKAGE_DIR DISTRICT.fulcrum [path/to/fulcrum]

The package folder is the one the file was made from (or `fulcrum export package`
of it). Exits non-zero and lists the differences if any figure differs.
"""

import csv
import json
import subprocess
import sys
from decimal import Decimal as D, ROUND_HALF_UP

CENT, ONE, MILL = D("0.01"), D("1"), D("0.0001")


def R(x):
    return x.quantize(CENT, rounding=ROUND_HALF_UP)  # half away from zero


def R0(x):
    return x.quantize(ONE, rounding=ROUND_HALF_UP)


def R4(x):
    return x.quantize(MILL, rounding=ROUND_HALF_UP)


def amount(text):
    t = text.strip()
    neg = t.startswith("-") or (t.startswith("(") and t.endswith(")"))
    t = t.strip("()-").replace("$", "").replace(",", "")
    return -D(t) if neg else D(t)


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [r for r in csv.DictReader(f) if any((v or "").strip() for v in r.values())]


COMPUTED = {"levy", "general_aid", "transfer_27"}


def default_rule(fund, kind, code):
    if kind == "expense":
        if fund == "10" and code == 827:
            return "transfer_27"
        if 100 <= code <= 199:
            return "salaries"
        if 200 <= code <= 299:
            return "benefits"
        if 300 <= code <= 599 or 700 <= code <= 799:
            return "inflation"
        return "flat"
    if fund == "10" and code == 211:
        return "levy"
    if fund == "10" and code == 621:
        return "general_aid"
    if fund == "27" and code == 100:
        return "transfer_27"
    return "flat"


class Package:
    def __init__(self, d):
        kv = {r["key"]: r["value"] for r in rows(f"{d}/district.csv")}
        self.B = int(kv["base_year"])
        self.H = int(kv.get("horizon") or 5)
        self.rl_base = amount(kv["revenue_limit_recurring_base"])
        self.policy = D(kv["reserve_policy_pct"])
        self.members = {int(r["year"]): D(r["membership"]) for r in rows(f"{d}/membership.csv")}
        self.funds = {r["fund"]: (amount(r["opening_balance"]), r["operating"].strip() == "true") for r in rows(f"{d}/funds.csv")}
        self.dept_kind = {r["code"]: r["kind"] for r in rows(f"{d}/departments.csv")}
        lines = {}
        for r in rows(f"{d}/budget_lines.csv"):
            project = r["project"].strip() or "000"
            code = int(r["code"])
            name = f'{r["fund"]}-{r["location"]}-{r["code"]}-{r["function"]}-{project}/{r["kind"]}'
            rule = r["rule"].strip() or default_rule(r["fund"], r["kind"], code)
            if name in lines:
                lines[name]["amount"] += amount(r["amount"])
            else:
                lines[name] = dict(name=name, fund=r["fund"], location=r["location"], kind=r["kind"], code=code,
                                   function=r["function"], department=r["department"], rule=rule, amount=amount(r["amount"]))
        self.lines = list(lines.values())
        self.assumptions = {}
        for r in rows(f"{d}/assumptions.csv"):
            self.assumptions.setdefault(int(r["year"]), {})[r["key"]] = D(r["value"])
        with open(f"{d}/scenarios.json", encoding="utf-8") as f:
            self.scenarios = {s["name"]: s for s in json.load(f)["scenarios"]}


def merged(pkg, name):
    """The scenario with its parents merged (§9): a child's item replaces in place, new ones append."""
    if name == "baseline":
        return {"referenda": [], "levers": [], "assumptions": [], "overrides": []}
    s = pkg.scenarios[name]
    base = merged(pkg, s.get("parent") or "baseline")
    ids = {"referenda": lambda x: x["name"], "levers": lambda x: x["id"],
           "assumptions": lambda x: (x["year"], x["key"]), "overrides": lambda x: (x["line"], x["year"])}
    out = {}
    for k, ident in ids.items():
        items = [dict(i) for i in base[k]]
        for item in s.get(k, []):
            at = next((j for j, b in enumerate(items) if ident(b) == ident(item)), None)
            if at is None:
                items.append(item)
            else:
                items[at] = item
        out[k] = items
    return out


def active(lever, t):
    return t >= lever["start_year"] if lever["recurring"] else t == lever["start_year"]


def matches(pkg, f, line):
    if line["rule"] in COMPUTED:
        return False
    if "kind" in f and line["kind"] != f["kind"]:
        return False
    if "funds" in f and line["fund"] not in f["funds"]:
        return False
    if "departments" in f and line["department"] not in f["departments"]:
        return False
    if "department_kinds" in f and pkg.dept_kind[line["department"]] not in f["department_kinds"]:
        return False
    if "locations" in f and line["location"] not in f["locations"]:
        return False
    if "codes" in f:
        ok = False
        for c in f["codes"]:
            lo, _, hi = c.partition("-")
            if int(lo) <= line["code"] <= int(hi or lo):
                ok = True
        if not ok:
            return False
    if "function_prefix" in f and not line["function"].startswith(f["function_prefix"]):
        return False
    return True


def project(pkg, sc):
    B, H = pkg.B, pkg.H
    years = list(range(B + 1, B + H + 1))
    # §5: package, then scenario assumptions, then assumption levers in order.
    a = {t: dict(pkg.assumptions[t]) for t in years}
    for s in sc["assumptions"]:
        a[s["year"]][s["key"]] = D(s["value"])
    for lv in sc["levers"]:
        if lv["type"] == "assumption":
            for t in years:
                if active(lv, t):
                    a[t][lv["key"]] = D(lv["value"])
    M = dict(pkg.members)
    for t in years:
        M[t] = a[t]["membership"]
    # §4: lines.
    overrides = {(o["line"], o["year"]): D(o["amount"]) for o in sc["overrides"]}
    P = {}
    for ln in pkg.lines:
        p = ln["amount"]
        P[(ln["name"], B)] = p
        for t in years:
            rule = ln["rule"]
            if rule == "salaries":
                p = R(p * (100 + a[t]["salary_increase_pct"]) / 100)
            elif rule == "benefits":
                p = R(p * (100 + a[t]["benefit_growth_pct"]) / 100)
            elif rule == "inflation":
                p = R(p * (100 + a[t]["inflation_pct"]) / 100)
            elif rule == "enrollment":
                p = R(p * M[t] / M[t - 1])
            elif rule == "one_time":
                p = D(0)
            if (ln["name"], t) in overrides:
                p = overrides[(ln["name"], t)]
            P[(ln["name"], t)] = p
    # §7: lever bookings {(fund, kind, t): amount}, per lever.
    booked = {}
    for lv in sc["levers"]:
        if lv["type"] == "assumption":
            continue
        b = {}
        v = D(lv["value"])
        cost = D(lv.get("cost_per_fte", "0"))
        A = None
        for t in years:
            if lv["type"] == "fte":
                cost = R(cost * (100 + a[t]["salary_increase_pct"]) / 100)
            if lv["type"] == "amount":
                if t == lv["start_year"]:
                    A = v
                elif A is not None:
                    A = R(A * (100 + a[t]["inflation_pct"]) / 100) if lv["indexed"] else v
            if not active(lv, t):
                continue
            if lv["type"] == "percent":
                for ln in pkg.lines:
                    if matches(pkg, lv["filter"], ln):
                        key = (ln["fund"], ln["kind"], t)
                        b[key] = b.get(key, D(0)) + R(P[(ln["name"], t)] * v / 100)
            elif lv["type"] == "fte":
                key = (lv["fund"], "expense", t)
                b[key] = b.get(key, D(0)) + R(v * cost)
            elif lv["type"] == "amount":
                key = (lv["fund"], lv["kind"], t)
                b[key] = b.get(key, D(0)) + A
        booked[lv["id"]] = b
    # §6 and §8.
    both = "10" in pkg.funds and "27" in pkg.funds and pkg.funds["10"][1] and pkg.funds["27"][1]
    out = []
    close = {f: pkg.funds[f][0] for f in pkg.funds}
    rev = {f: D(0) for f in pkg.funds}
    exp = {f: D(0) for f in pkg.funds}
    t_out = t_in = D(0)
    for ln in pkg.lines:
        (rev if ln["kind"] == "revenue" else exp)[ln["fund"]] += ln["amount"]
        if ln["rule"] == "transfer_27":
            if ln["kind"] == "expense":
                t_out += ln["amount"]
            else:
                t_in += ln["amount"]
    ga_b = sum((ln["amount"] for ln in pkg.lines if ln["rule"] == "general_aid"), D(0))
    levy_b = sum((ln["amount"] for ln in pkg.lines if ln["rule"] == "levy"), D(0))
    rl_rec_prev = pkg.rl_base
    ref_rec_sum = D(0)
    ref_cum_prev = D(0)

    def totals(t, rev, exp, t_out, t_in):
        revenue = sum((rev[f] for f in pkg.funds if pkg.funds[f][1]), D(0))
        expense = sum((exp[f] for f in pkg.funds if pkg.funds[f][1]), D(0))
        if both:
            revenue -= t_in
            expense -= t_out
        for f in pkg.funds:
            close[f] += rev[f] - exp[f]
        fb = sum((close[f] for f in pkg.funds if pkg.funds[f][1]), D(0))
        return revenue, expense, fb

    revenue, expense, fb = totals(B, rev, exp, t_out, t_in)
    out.append(dict(year=B, membership=M[B], revenue_limit=pkg.rl_base, general_aid=ga_b, levy_limit=levy_b,
                    levy_total=None, mill_rate=None, tax_per_100k=None, revenue=revenue, expense=expense,
                    surplus=revenue - expense, fund_balance=fb,
                    reserve_pct=R(fb * 100 / expense) if expense else None))
    for t in years:
        at = a[t]
        avg_prev = R0((M[t - 3] + M[t - 2] + M[t - 1]) / 3)
        avg_cur = R0((M[t - 2] + M[t - 1] + M[t]) / 3)
        per_member = max(R(rl_rec_prev / avg_prev) + at["per_pupil_adjustment"], at["low_revenue_ceiling"])
        rl_formula = R(per_member * avg_cur)
        decline = R(per_member * max(D(0), avg_prev - avg_cur))
        ref_rec = sum((D(e["amount"]) for r in sc["referenda"] if r["kind"] == "recurring" for e in r["schedule"] if e["year"] == t), D(0))
        ref_non = sum((D(e["amount"]) for r in sc["referenda"] if r["kind"] == "nonrecurring" for e in r["schedule"] if e["year"] == t), D(0))
        rl_rec = rl_formula + ref_rec + at["exemption_recurring"]
        RL = rl_rec + ref_non + decline + at["exemption_nonrecurring"]
        ref_rec_sum += ref_rec
        ref_cum = ref_rec_sum + ref_non
        aid = at["general_aid"] + R(at["referendum_aid_share_pct"] * ref_cum_prev / 100)
        levy_limit = RL - aid
        levy_total = levy_limit + at["levy_outside_limit"]
        EV = at["equalized_value"]
        rev = {f: D(0) for f in pkg.funds}
        exp = {f: D(0) for f in pkg.funds}
        for ln in pkg.lines:
            if ln["rule"] in COMPUTED:
                continue
            (rev if ln["kind"] == "revenue" else exp)[ln["fund"]] += P[(ln["name"], t)]
        for b in booked.values():
            for (f, kind, y), v in b.items():
                if y == t:
                    (rev if kind == "revenue" else exp)[f] += v
        if "10" in rev:
            rev["10"] += levy_limit + aid
        T = exp["27"] - rev["27"] if "27" in pkg.funds else D(0)
        if "27" in pkg.funds:
            exp["10"] += T
            rev["27"] += T
        revenue, expense, fb = totals(t, rev, exp, T, T)
        out.append(dict(year=t, membership=M[t], revenue_limit=RL, general_aid=aid, levy_limit=levy_limit,
                        levy_total=levy_total, mill_rate=R4(levy_total * 1000 / EV), tax_per_100k=R(levy_total * 100000 / EV),
                        revenue=revenue, expense=expense, surplus=revenue - expense, fund_balance=fb,
                        reserve_pct=R(fb * 100 / expense) if expense else None))
        rl_rec_prev, ref_cum_prev = rl_rec, ref_cum
    operating = {f for f in pkg.funds if pkg.funds[f][1]}
    effects = {}
    for lid, b in booked.items():
        effects[lid] = {str(t): sum(((v if k == "revenue" else -v) for (f, k, y), v in b.items() if y == t and f in operating), D(0)) for t in years}
    for lv in sc["levers"]:
        if lv["type"] == "assumption":
            without = dict(sc, levers=[x for x in sc["levers"] if x["id"] != lv["id"]])
            other = project(pkg, without)[0]
            effects[lv["id"]] = {str(y["year"]): y["surplus"] - o["surplus"] for y, o in zip(out[1:], other[1:])}
    return out, effects


def text(v, places):
    if v is None:
        return None
    return str(v.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)) if places else str(int(v))


def main():
    pkg_dir, file = sys.argv[1], sys.argv[2]
    exe = sys.argv[3] if len(sys.argv) > 3 else "fulcrum"
    pkg = Package(pkg_dir)
    problems, checked = [], 0
    for name in ["baseline", *pkg.scenarios]:
        years, effects = project(pkg, merged(pkg, name))
        engine = json.loads(subprocess.run([exe, "project", file, "--scenario", name, "--json"], check=True, capture_output=True, text=True).stdout)
        for mine, theirs in zip(years, engine["years"]):
            for key, places in [("membership", 0), ("revenue_limit", 2), ("general_aid", 2), ("levy_limit", 2), ("levy_total", 2),
                                ("mill_rate", 4), ("tax_per_100k", 2), ("revenue", 2), ("expense", 2), ("surplus", 2),
                                ("fund_balance", 2), ("reserve_pct", 2)]:
                want = text(mine[key], places)
                got = theirs[key] if key != "membership" else str(theirs[key])
                checked += 1
                if want != got:
                    problems.append(f"{name} {mine['year']} {key}: engine {got}, independent {want}")
        for lever in engine["levers"]:
            for year, got in lever["effect"].items():
                checked += 1
                want = text(effects[lever["id"]][year], 2)
                if want != got:
                    problems.append(f"{name} lever {lever['id']} {year}: engine {got}, independent {want}")
    for p in problems:
        print(p)
    print(f"{checked} figures checked over {len(pkg.scenarios) + 1} scenarios: {len(problems)} differ")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
