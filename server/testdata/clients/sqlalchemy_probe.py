"""Drive SQLAlchemy (over PyMySQL) and pandas against a running zarrsql, as Superset does
on connect, read the seed's histogram queries (examples/*.sql) with pandas.read_sql, and
print one JSON object that clients_test.go asserts.

Usage: /usr/bin/python3 sqlalchemy_probe.py HOST:PORT EXAMPLES_DIR
A step that raises is reported under "errors" (step -> message) and the others still run.
"""
import datetime
import json
import os
import sys

import pandas as pd
import sqlalchemy as sa


def main(addr, examples):
    engine = sa.create_engine("mysql+pymysql://root@%s/zarrsql" % addr)
    insp = sa.inspect(engine)
    out, errors = {}, {}

    def step(name, fn):
        try:
            out[name] = fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
            errors[name] = "%s: %s" % (type(e).__name__, e)

    step("schemas", insp.get_schema_names)
    step("tables", insp.get_table_names)
    step("views", insp.get_view_names)
    step("columns", lambda: [
        {"name": c["name"], "type": str(c["type"]), "nullable": c["nullable"], "comment": c.get("comment")}
        for c in insp.get_columns("era5")])
    step("pk", lambda: insp.get_pk_constraint("era5")["constrained_columns"])
    step("indexes", lambda: insp.get_indexes("era5"))
    step("foreign_keys", lambda: insp.get_foreign_keys("era5"))
    step("frame", lambda: frame(engine))
    step("seeds", lambda: seeds(engine, examples))
    out["errors"] = errors
    json.dump(out, sys.stdout, indent=1)


def frame(engine):
    df = pd.read_sql(
        "SELECT time, latitude, longitude, tp FROM era5"
        " WHERE time = '1989-12-31 14:00:00' AND latitude IN (87.5, 90) AND longitude IN (7.5, 42.5)"
        " ORDER BY latitude, longitude", engine)
    return {
        "dtypes": {k: str(v) for k, v in df.dtypes.items()},
        "rows": [[r.time.isoformat(), r.latitude, r.longitude, None if pd.isna(r.tp) else r.tp]
                 for r in df.itertuples()],
    }


def seeds(engine, examples):
    """The seed queries as written, and ERA5 with its time bounds as bound parameters."""
    def read(name):
        with open(os.path.join(examples, name), encoding="utf-8") as f:
            return f.read()

    era5, lens = read("era5_histogram.sql"), read("lens_histogram.sql")
    # Comments dropped: one quotes the bounds, and text() would take markers in them.
    bound = "\n".join(line.replace("'1990-01-01'", ":start").replace("'2006-01-01'", ":end")
                      for line in era5.splitlines() if not line.startswith("--"))
    params = {"start": datetime.datetime(1990, 1, 1), "end": datetime.datetime(2006, 1, 1)}
    return {
        "era5": hist_frame(pd.read_sql(era5, engine)),
        "era5-params": hist_frame(pd.read_sql(sa.text(bound), engine, params=params)),
        "lens": hist_frame(pd.read_sql(lens, engine)),
    }


def hist_frame(df):
    return {
        "dtypes": {k: str(v) for k, v in df.dtypes.items()},
        "rows": [[float(r.lat), int(r.bin), float(r.value)] for r in df.itertuples()],
    }


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
