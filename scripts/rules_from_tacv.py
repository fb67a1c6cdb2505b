#!/usr/bin/env python3
"""Writes rules/fr-*.json (our own parameter format) from the values of the dated TAC-Verif
`specificValues.validity` snapshots in ../shared/france/vectors/rules. Only values are taken;
the format and the decision logic are ours (see src/rules.rs).

A new file is written when a snapshot changes a parameter we model (TACV's 6000-day and
650-year sentinels mean "no end" / "disabled": written as absent). Run from the repo root:
    python3 scripts/rules_from_tacv.py ../shared/france/vectors/rules/tacv_validity_snapshots_sanipasse.json
"""
import json
import sys

NO_END = 6000



def ours(v, flavour, date):
    def opt(x):
        return None if x is None or x >= NO_END else x

    def end(day_key, max_key):
        # The 4-month rule (recoveryDelayMax) caps both recovery and positive tests.
        return min(v[day_key], v.get(max_key, v[day_key]))

    age = v.get("vaccineBoosterAgePeriod")
    if age is None and v.get("vaccineBoosterAge", 650) < 150:
        age = "P%dY" % v["vaccineBoosterAge"]
    out = {
        "description": "France, TAC-Verif validity parameters observed %s%s" % (
            date, " (%s set)" % flavour if flavour else ""),
        # TAC-Verif counted days on a phone set to French civil time.
        "time_zone": "Europe/Paris",
        "tests": {
            "dcc_pcr_types": ["LP6464-4"],
            "dcc_antigen_types": ["LP217198-3"],
            "b2_pcr_codes": ["943092", "945006", "948455"],
            "b2_antigen_codes": ["945584"],
            "negative_pcr_max_hours": v["testNegativePcrEndHour"],
            "negative_antigen_max_hours": v["testNegativeAntigenicEndHour"],
            "positive_from_day": v["testPositivePcrStartDay"],
            "positive_until_day": end("testPositivePcrEndDay", "recoveryDelayMax"),
        },
        "vaccination": {
            "delay_days": v["vaccineDelay"],
            "primary_max_days": v["vaccineDelayMax"],
            "single_dose_after_infection_max_days": v["vaccineDelayMaxRecovery"],
            "janssen_products": ["EU/1/20/1525"],
            "janssen_names": ["JANSSEN"],
            "janssen_delay_days": v["vaccineDelayJanssen"],
            "booster_delay_days": v["vaccineBoosterDelay"],
        },
        "recovery": {
            "from_day": v["recoveryStartDay"],
            "until_day": end("recoveryEndDay", "recoveryDelayMax"),
            "honour_valid_until": False,
        },
    }
    if v.get("testAcceptanceAgePeriod"):
        out["tests"]["accepted_below_age"] = v["testAcceptanceAgePeriod"]
    vac = out["vaccination"]
    if opt(v["vaccineDelayMaxJanssen"]) is not None:
        vac["janssen_max_days"] = v["vaccineDelayMaxJanssen"]
    if "vaccineBoosterToggleDate" in v:
        vac["booster_delay_change"] = {
            "from_date": v["vaccineBoosterToggleDate"],
            "delay_days": v["vaccineBoosterDelayNew"],
        }
    if opt(v["vaccineBoosterDelayMax"]) is not None:
        vac["booster_max_days"] = v["vaccineBoosterDelayMax"]
    if age is not None:
        vac["expiry_from_age"] = age
    return out


def main(path):
    snapshots = json.load(open(path))["snapshots"]
    last = {}
    for snap in snapshots:
        date = snap["commit_date"][:10]
        v = snap["validity"]
        sets = {"": v} if "health" not in v else {"health": v["health"], "vaccine": v["vaccine"]}
        for flavour, values in sets.items():
            params = ours(values, flavour, date)
            key = {k: params[k] for k in ("tests", "vaccination", "recovery")}
            if last.get(flavour) == key:
                continue
            last[flavour] = key
            name = "fr-%s%s" % (date, "-" + flavour if flavour else "")
            with open("rules/%s.json" % name, "w") as f:
                json.dump(params, f, indent=2)
                f.write("\n")
            print(name)


main(sys.argv[1])
