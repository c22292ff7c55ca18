#!/usr/bin/python3
"""Regenerate the seed-query reference stores in this directory and cases.json.

Each case is written by ../../../../shared/reference/make_store.py (ERA5-like or LENS-like,
zarr-python v2, blosc lz4 + shuffle, consolidated, CF time), then post-edited in place with
zarr-python where make_store.py has no option for what the case needs (lat/lon chunking,
member ids, a different time axis, NaN-heavy data, values on bin edges, missing chunks).
Edits keep the encoding: same dtype, compressor, fill_value and attributes; the store is
re-consolidated. The reference CSV is then computed by seed_hist.py (xarray + dask) and
checked against an independent numpy computation (sequential float32 window sums).

  /usr/bin/python3 gen_stores.py [--reference DIR] [--only NAME ...]
"""
import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile

import cftime
import numpy as np
import zarr

HERE = os.path.dirname(os.path.abspath(__file__))
BINS = np.concatenate([[0], np.logspace(-5, 0, 50)])
F32 = np.float32
INF32 = F32(np.inf)
WINDOW = 6


def up(x):
    return np.nextafter(F32(x), INF32)


def down(x):
    return np.nextafter(F32(x), -INF32)


def bin_of(v):
    """The xhistogram bin of a float32 value compared in float64, or None when not counted."""
    c = np.histogram(np.array([v], dtype="f8"), BINS)[0]
    return int(np.argmax(c)) if c.any() else None


def seq_sum(vals):
    """Window sum as xarray does it: NaN skipped, float32, in position order."""
    acc = F32(0)
    first = True
    for v in vals:
        v = F32(0) if np.isnan(v) else F32(v)
        acc, first = (v if first else F32(acc + v)), False
    return acc


# ---------------------------------------------------------------- cases

ERA5, LENS = "era5", "lens"

CASES = [
    dict(name="era5-t7-trim", kind=ERA5, start="1990-01-01", end=None,
         make=dict(seed=11, nlat=9, nlon=24, tchunk=7, hours=131, start="1989-12-31T14:00", nan=True),
         edits=[],
         notes="time chunk 7; store starts 10 h before 1990-01-01 so the selection starts at position 10, "
               "3 into chunk 1; windows cross chunk boundaries; 121 selected steps -> 20 windows, 1 trimmed; "
               "last chunk ragged (5 of 7); make_store --nan cells (latitude row 1 lon 3 NaN at every step)"),
    dict(name="era5-t24-latlon-end", kind=ERA5, start="1990-01-01", end="1990-01-05",
         make=dict(seed=12, nlat=15, nlon=24, tchunk=24, hours=130, start="1989-12-31T19:00"),
         edits=[("rechunk", dict(chunks=(24, 7, 10)))],
         notes="chunks (24, 7, 10): latitude and longitude chunked with ragged edge chunks (15 = 7+7+1, "
               "24 = 10+10+4); selection starts at position 5 (mid chunk 0); end 1990-01-05 includes the whole "
               "day (xarray partial-date slice) = SQL time < '1990-01-06'; last selected position 124 cuts chunk 5 (120-129, ragged); "
               "120 selected -> 20 windows exactly"),
    dict(name="era5-t50-endhour", kind=ERA5, start="1990-01-01", end="1990-01-05T20:00",
         make=dict(seed=13, nlat=13, nlon=12, tchunk=50, hours=200, start="1989-12-30T11:00"),
         edits=[],
         notes="time chunk 50; store starts 37 h early (selection starts at position 37, mid chunk 0); end is an "
               "hour (inclusive: SQL time <= '1990-01-05 20:00:00'), position 153 mid chunk 3; "
               "117 selected -> 19 windows, 3 trimmed"),
    dict(name="era5-t24-aligned", kind=ERA5, start="1990-01-01", end=None,
         make=dict(seed=14, nlat=9, nlon=12, tchunk=24, hours=100, start="1989-12-31T00:00"),
         edits=[],
         notes="control: the selection starts exactly on a chunk boundary (position 24, chunk 1); "
               "76 selected -> 12 windows, 4 trimmed; last chunk ragged (4 of 24)"),
    dict(name="era5-nostart-latlon", kind=ERA5, start=None, end=None,
         make=dict(seed=15, nlat=13, nlon=20, tchunk=12, hours=111, start="1989-12-31T21:00"),
         edits=[("rechunk", dict(chunks=(12, 5, 12)))],
         notes="no time selection: windows count from the store's first step (21:00, not midnight); "
               "chunks (12, 5, 12), lat 13 = 5+5+3, lon 20 = 12+8; time chunk a multiple of the window; "
               "111 steps -> 18 windows, 3 trimmed"),
    dict(name="era5-nan-heavy", kind=ERA5, start="1990-01-01", end=None,
         make=dict(seed=16, nlat=11, nlon=16, tchunk=9, hours=100, start="1989-12-31T20:00"),
         edits=[("rechunk", dict(chunks=(9, 6, 8))), ("era5_nan_heavy", dict(seed=1016)),
                ("drop_chunks", dict(keys=["0.0.1", "3.1.0"]))],
         notes="NaN-heavy: ~35% random NaN; ~15% of (window, cell) pairs all-NaN (sum 0 -> bin 0); latitude row 2 "
               "NaN at every step (every window sums to 0); every cell of the window starting at selected step 30 "
               "NaN; one whole time step NaN; chunks 0.0.1 and 3.1.0 absent from the store (read as fill_value NaN; "
               "0.0.1 straddles the selection start at position 4); chunks (9, 6, 8); 96 selected -> 16 windows"),
    dict(name="era5-edges", kind=ERA5, start="1990-01-01", end=None,
         make=dict(seed=17, nlat=9, nlon=36, tchunk=5, hours=150, start="1989-12-31T22:00"),
         edits=[("era5_edges", dict(seed=1017))],
         notes="time chunk 5 (every window crosses a chunk boundary); selection starts at position 2; "
               "crafted windows whose float32 sum is exactly 0, -0, float32(1e-5) (bin 0), 1.0 (last bin, "
               "inclusive), next float32 above 1.0 and 2.0 (dropped), negatives (dropped), float32(edge) and its "
               "float32 neighbours for all 51 edges; windows where float32 and float64 accumulation land in different "
               "bins; windows where summation order decides the bin (a + 5 small, 5 small + a); "
               "148 selected -> 24 windows, 4 trimmed"),
    dict(name="era5-nonfinite", kind=ERA5, start="1990-01-01", end=None,
         make=dict(seed=18, nlat=9, nlon=12, tchunk=10, hours=60, start="1990-01-01T00:00"),
         edits=[("era5_nonfinite", dict(seed=1018))],
         notes="windows holding +Inf (sum +Inf, not counted), -Inf (not counted), +Inf and -Inf (sum NaN, not "
               "counted), +Inf with NaN (NaN skipped, +Inf), float32 overflow (6 x 3e38 = +Inf); store starts at "
               "1990-01-01 00:00; 60 selected -> 10 windows"),
    dict(name="lens-first7", kind=LENS, start=None, end=None,
         make=dict(seed=21, members=3, nlat=9, nlon=24, tchunk=24, steps=75),
         edits=[("set_members", dict(ids=[7, 8, 9]))],
         notes="member_id [7, 8, 9]: isel(member_id=0) is member_id 7 and there is no member 1; member chunk 2 "
               "(ragged 2+1); time chunk 24, ragged last (3 of 24); noleap from 1990-01-01 06:00"),
    dict(name="lens-unsorted-leap", kind=LENS, start=None, end=None,
         make=dict(seed=22, members=3, nlat=12, nlon=20, tchunk=12, steps=60, nan=True),
         edits=[("set_members", dict(ids=[12, 1, 7])),
                ("set_time", dict(start="1992-02-20 06:00", units="days since 1920-01-01", calendar="noleap")),
                ("rechunk", dict(chunks=(2, 12, 5, 10)))],
         notes="member_id [12, 1, 7] (unsorted; member 1 exists but is index 1; member chunks 2+1); noleap 6-hourly from "
               "1992-02-20 06:00 to 1992-03-07 00:00, over 1992-02-28 18:00 -> 1992-03-01 00:00 (no Feb 29 in a "
               "leap year); chunks (2, 12, 5, 10), lat 12 = 5+5+2, lon 20 = 10+10; make_store --nan cells"),
    dict(name="lens-edges-365day", kind=LENS, start=None, end=None,
         make=dict(seed=23, members=2, nlat=9, nlon=24, tchunk=50, steps=80),
         edits=[("set_members", dict(ids=[104, 1])),
                ("set_time", dict(start="1990-01-01 06:00", units="hours since 1990-01-01 00:00:00",
                                  calendar="365_day")),
                ("lens_edges", dict(seed=1023))],
         notes="calendar '365_day' with units 'hours since 1990-01-01 00:00:00' (float64); member_id [104, 1]; "
               "time chunk 50, ragged last (30); crafted PRECT whose float32 product with 21600 is exactly 0, -0, "
               "float32(1e-5), 1.0, the next float32 above 1.0, 2.0, negative, float32(edge) and its neighbours; "
               "values whose float32 product and exact (float64) product fall on opposite sides of an edge"),
    dict(name="lens-nan-heavy", kind=LENS, start=None, end=None,
         make=dict(seed=24, members=3, nlat=11, nlon=16, tchunk=10, steps=60),
         edits=[("set_members", dict(ids=[35, 2, 101])), ("lens_nan_heavy", dict(seed=1024)),
                ("drop_chunks", dict(keys=["0.2.0.0"]))],
         notes="member_id [35, 2, 101]; member 35 NaN-heavy: ~40% random NaN, latitude row 1 NaN at every step "
               "(a row of zero counts), time steps 7 and 33 all NaN (still counted in the mean's denominator, "
               "all bins 0), chunk 0.2.0.0 (members 35 and 2, steps 20-29) absent from the store"),
]


# ---------------------------------------------------------------- edits

def data_var(g, kind):
    return g["tp" if kind == ERA5 else "PRECT"]


def rechunk(g, case, chunks):
    """Rewrite the data variable with other chunks, same dtype, compressor, fill_value, attrs."""
    name = data_var(g, case["kind"]).basename
    a = g[name]
    data, attrs = a[...], dict(a.attrs)
    comp, fill, dtype = a.compressor, a.fill_value, a.dtype
    del g[name]
    b = g.create(name, shape=data.shape, chunks=chunks, dtype=dtype, compressor=comp,
                 fill_value=fill, order="C", filters=None)
    b[...] = data
    b.attrs.update(attrs)


def set_members(g, case, ids):
    g["member_id"][...] = np.asarray(ids, dtype=g["member_id"].dtype)


def set_time(g, case, start, units, calendar):
    """Replace the LENS 6-hourly time axis (same length and dtype) with another start, units, calendar."""
    t = g["time"]
    y, rest = start.split("-", 1)
    d0 = cftime.datetime(int(y), int(rest[:2]), int(rest[3:5]), int(start[11:13]), int(start[14:16]),
                         calendar=calendar)
    dates = [d0 + dt.timedelta(hours=6 * i) for i in range(t.shape[0])]
    t[...] = cftime.date2num(dates, units, calendar=calendar).astype(t.dtype)
    t.attrs.update({"units": units, "calendar": calendar})


def drop_chunks(g, case, keys):
    """Delete chunk objects: readers must treat them as fill_value (NaN)."""
    a = data_var(g, case["kind"])
    for k in keys:
        os.remove(os.path.join(case["_path"], a.basename, k))


def era5_nan_heavy(g, case, seed):
    a, s = g["tp"], case["_sel0"]
    x = a[...]
    rng = np.random.default_rng(seed)
    x[rng.random(x.shape) < 0.35] = np.nan
    nwin = (x.shape[0] - s) // WINDOW
    for w, i, j in zip(*np.nonzero(rng.random((nwin,) + x.shape[1:]) < 0.15)):
        x[s + WINDOW * w: s + WINDOW * (w + 1), i, j] = np.nan
    x[:, 2, :] = np.nan
    x[s + 30: s + 36] = np.nan
    x[s + 49] = np.nan
    x[: s] = np.nan  # before the selection: must not matter
    a[...] = x


def era5_special_windows():
    """6-value windows (float32) whose sums sit on, around and across the bin edges."""
    zeros = [F32(0)] * 5
    singles = [F32(0), F32(1e-5), F32(1.0), up(1.0), F32(2.0), F32(-1e-7), -F32(1e-5), F32(0.5)]
    for e in BINS:
        singles += [F32(e), up(e), down(e)]
    wins = [[v] + zeros for v in singles]
    wins.append([-F32(0)] * 6)
    wins.append([F32(1e-5)] * 6)  # six float32(1e-5) -> above 1e-5
    wins.append([F32(0.25), F32(0.25), F32(0.25), F32(0.25), F32(0), F32(0)])  # exactly 1.0
    wins.append([F32(0.5)] * 3 + [F32(0)] * 3)  # 1.5
    wins += accumulation_windows()
    return wins


def accumulation_windows():
    """Windows whose bin depends on float32 accumulation or on summation order."""
    out = []
    for k in range(1, len(BINS)):
        e = BINS[k]
        a = F32(e) if F32(e) < e else down(e)  # largest float32 below the edge
        ulp = float(up(a)) - float(a)
        b = F32(e - float(a))
        b = b if float(a) + float(b) >= e else up(b)
        if F32(a + b) == a and float(a) + float(b) >= e:  # float64 sum >= edge, float32 sum < edge
            out.append([a, b] + [F32(0)] * 4)
        hi = up(a)
        m = (float(a) + float(hi)) / 2
        c = up(F32(m - float(a)))
        if float(a) + float(c) < e <= float(F32(a + c)):  # float64 sum < edge, float32 sum >= edge
            out.append([a, c] + [F32(0)] * 4)
        if k in (1, 12, 25, 37, 49, 50):
            s = F32(0.45 * ulp)
            out.append([a] + [s] * 5)  # each small add is lost: a, below the edge
            out.append([s] * 5 + [a])  # small ones first: rounds to at or above the edge
    return out


def check_windows(wins):
    """How many crafted windows land in another bin when summed in float64, or in reverse order."""
    for w in wins:
        assert len(w) == WINDOW and all(isinstance(v, np.float32) for v in w), w
    f64 = sum(bin_of(seq_sum(w)) != bin_of(sum(float(v) for v in w if not np.isnan(v))) for w in wins)
    order = sum(bin_of(seq_sum(w)) != bin_of(seq_sum(w[::-1])) for w in wins)
    return {"windows": len(wins), "float64_sum_differs": int(f64), "reverse_order_differs": int(order)}


def place_windows(x, s, wins, rng):
    """Write each window at a distinct random (window, lat, lon) of the selection."""
    nwin = (x.shape[0] - s) // WINDOW
    cells = rng.choice(nwin * x.shape[1] * x.shape[2], size=len(wins), replace=False)
    for win, c in zip(wins, cells):
        w, rem = divmod(int(c), x.shape[1] * x.shape[2])
        i, j = divmod(rem, x.shape[2])
        x[s + WINDOW * w: s + WINDOW * (w + 1), i, j] = win


def era5_edges(g, case, seed):
    a, s = g["tp"], case["_sel0"]
    x = a[...]
    wins = era5_special_windows()
    case["_crafted"] = check_windows(wins)
    place_windows(x, s, wins, np.random.default_rng(seed))
    a[...] = x


def era5_nonfinite(g, case, seed):
    a, s = g["tp"], case["_sel0"]
    x = a[...]
    z, nan, big = F32(0), F32(np.nan), F32(3e38)
    wins = [[INF32] + [z] * 5, [-INF32] + [z] * 5, [INF32, z, -INF32, z, z, z],
            [nan, INF32, nan, z, z, z], [big] * 6, [z, z, z, z, z, INF32]]
    place_windows(x, s, wins * 3, np.random.default_rng(seed))
    a[...] = x


def lens_targets():
    """PRECT values (float32) whose float32 product with 21600 sits on or across edges."""
    k6 = F32(21600)
    out = [F32(0), -F32(0), F32(-1e-9), F32(5e-5)]
    for t in [F32(1e-5), F32(1.0), up(1.0), F32(2.0)] + [F32(e) for e in BINS] + \
             [up(e) for e in BINS] + [down(e) for e in BINS]:
        p = exact_factor(t, k6)
        if p is not None:
            out.append(p)
    for e in BINS[1:]:
        p = F32(e / 21600)
        for _ in range(32):  # a value whose float32 product and exact product straddle e
            if (float(p) * 21600 < e) != (float(p * k6) < e):
                out.append(p)
                break
            p = down(p)
    return out


def exact_factor(t, k6):
    p = F32(float(t) / 21600)
    for cand in [p, up(p), down(p), up(up(p)), down(down(p))]:
        if F32(cand * k6) == t:
            return cand
    return None


def lens_edges(g, case, seed):
    a = g["PRECT"]
    x = a[0]
    vals = lens_targets()
    rng = np.random.default_rng(seed)
    cells = rng.choice(x.size, size=len(vals), replace=False)
    x.reshape(-1)[cells] = vals
    k6 = F32(21600)
    case["_crafted"] = {"values": len(vals),
                        "float64_product_differs": int(sum(bin_of(v * k6) != bin_of(float(v) * 21600) for v in vals))}
    a[0] = x


def lens_nan_heavy(g, case, seed):
    a = g["PRECT"]
    x = a[0]
    rng = np.random.default_rng(seed)
    x[rng.random(x.shape) < 0.4] = np.nan
    x[:, 1, :] = np.nan
    x[[7, 33]] = np.nan
    a[0] = x


EDITS = {f.__name__: f for f in [rechunk, set_members, set_time, drop_chunks, era5_nan_heavy,
                                  era5_edges, era5_nonfinite, lens_edges, lens_nan_heavy]}


# ---------------------------------------------------------------- selection and independent check

def era5_times(g):
    t = g["time"]
    assert t.attrs["units"] == "hours since 1900-01-01", t.attrs["units"]
    return np.datetime64("1900-01-01T00:00", "h") + g["time"][...].astype("timedelta64[h]")


def end_exclusive(end):
    """xarray partial-string slice end -> the exclusive bound (a date includes its whole day)."""
    if end is None:
        return None
    if len(end) == 10:
        return np.datetime64(end, "D") + np.timedelta64(1, "D")
    if len(end) == 13:
        return np.datetime64(end, "h") + np.timedelta64(1, "h")
    return np.datetime64(end, "m") + np.timedelta64(1, "m")


def era5_selection(g, case):
    t = era5_times(g)
    lo = 0 if case["start"] is None else int(np.searchsorted(t, np.datetime64(case["start"]), "left"))
    hi_t = end_exclusive(case["end"])
    hi = len(t) if hi_t is None else int(np.searchsorted(t, hi_t, "left"))
    return lo, hi


def independent(g, case):
    """The reference computed without xarray: numpy, sequential float32 window sums."""
    if case["kind"] == ERA5:
        lo, hi = era5_selection(g, case)
        x = g["tp"][lo:hi]
        n = x.shape[0] // WINDOW
        acc = np.zeros((n,) + x.shape[1:], dtype="f4")
        with np.errstate(over="ignore", invalid="ignore"):  # era5-nonfinite: 6 x 3e38, Inf - Inf
            for j in range(WINDOW):
                v = x[j: n * WINDOW: WINDOW]
                acc = np.where(np.isnan(v), acc, acc + v) if j else np.where(np.isnan(v), F32(0), v)
        lat = g["latitude"][...]
    else:
        acc = g["PRECT"][0] * F32(21600)
        lat = g["lat"][...]
    counts = np.zeros((acc.shape[1], len(BINS) - 1))
    for t in range(acc.shape[0]):
        for i in range(acc.shape[1]):
            counts[i] += np.histogram(acc[t, i].astype("f8"), BINS)[0]
    return lat, counts / acc.shape[0], acc.shape[0]


def compare(csv_path, lat, mean):
    rows = [r.split(",") for r in open(csv_path).read().split("\n")[1:] if r]
    assert len(rows) == mean.size, (len(rows), mean.size)
    exact = 0
    for k, (la, b, v) in enumerate(rows):
        i, j = divmod(k, mean.shape[1])
        assert la == f"{lat[i]:.6f}" and int(b) == j, (k, la, b)
        assert abs(float(v) - mean[i, j]) <= 1e-12, (csv_path, la, b, v, mean[i, j])
        exact += float(v) == mean[i, j]
    return exact


# ---------------------------------------------------------------- driver

def make(ref, case, path):
    m = case["make"]
    cmd = [sys.executable, os.path.join(ref, "make_store.py"), case["kind"], path, "--seed", str(m["seed"]),
           "--nlat", str(m["nlat"]), "--nlon", str(m["nlon"]), "--tchunk", str(m["tchunk"])]
    if case["kind"] == ERA5:
        cmd += ["--hours", str(m["hours"]), "--start", m["start"]]
    else:
        cmd += ["--steps", str(m["steps"]), "--members", str(m["members"])]
    cmd += ["--nan"] if m.get("nan") else []
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    return cmd


def lon_whole_twin(case, path, tmp):
    """seed_hist.py needs longitude (its histogram's core dimension) in one dask chunk: when the store
    chunks it, compute the reference on a copy with the same values (absent chunks read as NaN)
    and the longitude chunk widened to the whole axis."""
    a = data_var(zarr.open_group(path, mode="r"), case["kind"])
    if a.chunks[-1] == a.shape[-1]:
        return path
    twin = os.path.join(tmp, os.path.basename(path))
    zarr.copy_store(zarr.DirectoryStore(path), zarr.DirectoryStore(twin))
    rechunk(zarr.open_group(twin, mode="r+"), case, a.chunks[:-1] + (a.shape[-1],))
    zarr.consolidate_metadata(twin)
    return twin


def seed_hist(ref, case, path, csv):
    cmd = [sys.executable, os.path.join(ref, "seed_hist.py"), case["kind"], path, csv, "--coarsen", str(WINDOW),
           "--workers", "1"]
    cmd += ["--start", case["start"]] if case["start"] else []
    cmd += ["--end", case["end"]] if case["end"] else []
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cmd


def sql_bounds(case):
    lo = None if case["start"] is None else str(np.datetime64(case["start"], "s")).replace("T", " ")
    hi = end_exclusive(case["end"])
    hi = None if hi is None else str(hi.astype("datetime64[s]")).replace("T", " ")
    return lo, hi


def build(ref, case):
    name = case["name"]
    path, csv = os.path.join(HERE, name + ".zarr"), os.path.join(HERE, name + ".hist.csv")
    shutil.rmtree(path, ignore_errors=True)
    make(ref, case, path)
    case["_path"] = path
    g = zarr.open_group(path, mode="r+")
    case["_sel0"] = era5_selection(g, case)[0] if case["kind"] == ERA5 else 0
    for edit, kw in case["edits"]:
        EDITS[edit](g, case, **kw)
    zarr.consolidate_metadata(path)
    with tempfile.TemporaryDirectory() as tmp:
        seed_hist(ref, case, lon_whole_twin(case, path, tmp), csv)
    g = zarr.open_consolidated(path, mode="r")
    lat, mean, steps = independent(g, case)
    exact = compare(csv, lat, mean)
    return entry(case, g, steps, exact)


def entry(case, g, steps, exact):
    a = data_var(g, case["kind"])
    lo, hi = sql_bounds(case)
    e = {"name": case["name"], "kind": case["kind"], "store": case["name"] + ".zarr",
         "csv": case["name"] + ".hist.csv", "start": case["start"], "end": case["end"],
         "coarsen": WINDOW if case["kind"] == ERA5 else None,
         "boundary": "trim" if case["kind"] == ERA5 else None, "member_index": 0,
         "notes": case["notes"],
         "shape": list(a.shape), "chunks": list(a.chunks), "time_steps": steps,
         "time_lo": lo, "time_hi_exclusive": hi}
    if case["kind"] == ERA5:
        sel = era5_selection(g, case)
        e.update(first_selected=sel[0], selected=sel[1] - sel[0], trimmed=(sel[1] - sel[0]) % WINDOW)
    else:
        e["member_id"] = int(g["member_id"][0])
    if "_crafted" in case:
        e["crafted"] = case["_crafted"]
    print(f"{case['name']}: shape {a.shape} chunks {a.chunks} steps {steps} rows equal to the bit {exact}/"
          f"{len(g['latitude' if case['kind'] == ERA5 else 'lat']) * (len(BINS) - 1)}", flush=True)
    return e


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reference", default=os.path.normpath(os.path.join(HERE, "../../../../shared/reference")))
    p.add_argument("--only", nargs="*")
    a = p.parse_args()
    out = os.path.join(HERE, "cases.json")
    old = {c["name"]: c for c in json.load(open(out))} if a.only and os.path.exists(out) else {}
    entries = [build(a.reference, c) if not a.only or c["name"] in a.only else old[c["name"]]
               for c in CASES if not a.only or c["name"] in a.only or c["name"] in old]
    with open(out, "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
