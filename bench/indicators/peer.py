"""bench/indicators peer: the indicators of bench/indicators/plan.yaml in
pandas, from the tables exported to CSV, at every level (school, town,
group, city), written as CSV rows "id,level,unit,numerator,denominator"
for the runner to compare with zhenxing's own figures.

Usage: /usr/bin/python3 peer.py DIR YEAR OUT.csv
Prints "load SECONDS" and "compute SECONDS" on stdout.
"""
import sys
import time

import pandas as pd

d, year, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
RURAL = [121, 122, 123, 210, 220]
KINDERGARTEN = [111, 119]
PRIMARY = [211, 218, 219, 312, 345]
JUNIOR = [311, 312, 319, 341, 345]

t0 = time.perf_counter()
units = pd.read_csv(f"{d}/units.csv")          # id,kind,code,parent_id,group_id,type_code,urban_rural
enrol = pd.read_csv(f"{d}/enrolment.csv")      # school_id,year,students
teachers = pd.read_csv(f"{d}/teachers.csv")    # id,school_id,employment,birth
roles = pd.read_csv(f"{d}/roles.csv")          # teacher_id,title,start_year,end_year
values = pd.read_csv(f"{d}/values.csv")        # element,unit_id,year,num
t1 = time.perf_counter()

schools = units[units.kind == "school"].set_index("id")
towns = units[units.kind == "town"]
city = units[units.kind == "city"].iloc[0]
code = units.set_index("id")["code"]

# per school facts for the year
s = schools[["parent_id", "group_id", "type_code", "urban_rural"]].copy()
s["students"] = enrol[enrol.year == year].set_index("school_id")["students"]
s["rural"] = s.urban_rural.isin(RURAL)
v = values[values.year == year]
for el in ["counselling_room", "resource_classroom", "renrentong_accounts"]:
    s[el] = v[v.element == el].set_index("unit_id")["num"]

active = roles[(roles.start_year <= year) &
               (roles.end_year.isna() | (roles.end_year >= year))]
teachers["birth_year"] = teachers.birth.str[:4].astype(int)
seeds = active[active.title == "种子教师"].teacher_id.unique()
cadres = active[active.title == "后备干部"].teacher_id.unique()
t = teachers.set_index("id")
s["teachers"] = t.groupby("school_id").size()
s["seeds"] = t[t.index.isin(seeds)].groupby("school_id").size()
young = t[t.index.isin(cadres) & t.birth_year.between(1990, 1999)]
s["young_cadres"] = young.groupby("school_id").size()
s = s.fillna({"teachers": 0, "seeds": 0, "young_cadres": 0})

parts = []


def emit(ind, lvl, ids, n, d):
    """One frame of results: unit ids -> codes, vectorised."""
    parts.append(pd.DataFrame({"id": ind, "level": lvl,
                               "unit": code.reindex(ids.astype(int)).values,
                               "n": n.values, "d": d.values}))


def roll(ind, frame, n, d, school_key=None):
    """Sums n and d per school, town and group, and for the city."""
    f = frame.assign(n=n, d=d)
    keys = (("school", school_key), ("town", "parent_id"),
            ("group", "group_id"))
    for lvl, key in keys:
        g = f.groupby(f.index if key is None else f[key])[["n", "d"]].sum()
        emit(ind, lvl, g.index.to_series(), g.n, g.d)
    emit(ind, "city", pd.Series([city.id]), pd.Series([f.n.sum()]),
         pd.Series([f.d.sum()]))


rs = s[s.rural]
roll("counselling-room", rs, (rs.counselling_room == 1).astype(int), 1)
roll("seed-teachers", rs, (rs.seeds >= 2).astype(int), 1)
roll("reserve-cadre-90s", rs, (rs.young_cadres >= 1).astype(int), 1)
sub = t.join(s[["parent_id", "group_id"]], on="school_id")
roll("substitutes", sub, (sub.employment == 3).astype(int), 0, "school_id")
roll("renrentong", s, s.renrentong_accounts.fillna(0),
     s.students.fillna(0) + s.teachers)
rc = s[s.resource_classroom == 1]
have = {fam: set(rc[rc.type_code.isin(codes)].parent_id)
        for fam, codes in (("k", KINDERGARTEN), ("p", PRIMARY),
                           ("j", JUNIOR))}
ok = towns.id.isin(have["k"] & have["p"] & have["j"]).astype(int)
emit("resource-classrooms", "town", towns.id, ok, ok * 0 + 1)
emit("resource-classrooms", "city", pd.Series([city.id]),
     pd.Series([ok.sum()]), pd.Series([len(towns)]))
rows = pd.concat(parts, ignore_index=True)
t2 = time.perf_counter()

rows.to_csv(out, index=False)
print(f"load {t1 - t0:.3f}")
print(f"compute {t2 - t1:.3f}")
