#!/usr/bin/env python3
"""measure.py: one benchmark run's numbers, as one JSON object on stdout.

  measure.py --label L --pack OUTDIR --time TIMEFILE --stats STATSJSON
             [--sim-cpu SECONDS] [--urls FILE] [--set key=value ...]

OUTDIR is the audit's -o directory (the dated pack is the one directory
under it); TIMEFILE is /usr/bin/time -v output (-o); STATSJSON is the
simulator's GET /__sim/stats taken right after the audit. --urls writes
the GETs a listing starts with ("accept<TAB>url": non-paged requests and
first pages) so the curl baseline repeats exactly the audit's requests
(it follows next links itself).
"""
import argparse
import glob
import json
import os
import sys


def parse_time(path):
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if ":" not in line:
                continue
            if line.startswith("Elapsed (wall clock) time"):
                v = line.rsplit(" ", 1)[1]
                secs = 0.0
                for part in v.split(":"):
                    secs = secs * 60 + float(part)
                out["wall_s"] = secs
            elif line.startswith("User time (seconds):"):
                out["user_s"] = float(line.split(":")[1])
            elif line.startswith("System time (seconds):"):
                out["sys_s"] = float(line.split(":")[1])
            elif line.startswith("Maximum resident set size (kbytes):"):
                out["rss_kib"] = int(line.split(":")[1])
            elif line.startswith("Exit status:"):
                out["exit"] = int(line.split(":")[1])
            elif line.startswith("Command exited with non-zero status"):
                out["exit"] = int(line.rsplit(" ", 1)[1])
    out.setdefault("exit", 0)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", required=True)
    ap.add_argument("--pack", required=True)
    ap.add_argument("--time", required=True)
    ap.add_argument("--stats")
    ap.add_argument("--sim-cpu", type=float)
    ap.add_argument("--urls")
    ap.add_argument("--set", action="append", default=[])
    a = ap.parse_args()

    m = {"label": a.label}
    for kv in a.set:
        k, _, v = kv.partition("=")
        try:
            m[k] = json.loads(v)
        except ValueError:
            m[k] = v
    m.update(parse_time(a.time))
    m["cpu_s"] = round(m.get("user_s", 0) + m.get("sys_s", 0), 3)

    packs = sorted(d for d in glob.glob(os.path.join(a.pack, "*"))
                   if os.path.isdir(d))
    metas = []
    if packs:
        for p in sorted(glob.glob(os.path.join(packs[-1], "raw",
                                               "*.meta.json"))):
            with open(p, encoding="utf-8") as f:
                metas.append(json.load(f))
    m["requests"] = len(metas)
    m["retries"] = sum(max(0, (x.get("attempts") or 1) - 1) for x in metas)
    m["not_ok"] = sum(1 for x in metas if x.get("outcome") != "ok")
    m["listings_incomplete"] = sum(1 for x in metas
                                   if x.get("listComplete") is False)
    m["projects"] = len({x["groupId"] for x in metas if x.get("groupId")})
    m["org_requests"] = sum(1 for x in metas if not x.get("groupId"))
    m["project_requests"] = sum(1 for x in metas
                                if x.get("groupId") and not x.get("cluster"))
    m["cluster_requests"] = sum(1 for x in metas if x.get("cluster"))
    errors = 0
    reports = 0
    if packs:
        for r in glob.glob(os.path.join(packs[-1],
                                        "residency-evidence-*.json")):
            with open(r, encoding="utf-8") as f:
                rep = json.load(f)
            reports += 1
            errors += int(rep.get("summary", {}).get("ERROR", 0))
    m["error_findings"] = errors
    m["reports"] = reports
    m["complete"] = bool(metas) and reports > 0 and m["not_ok"] == 0 and \
        m["listings_incomplete"] == 0 and errors == 0
    if a.stats and os.path.exists(a.stats):
        with open(a.stats, encoding="utf-8") as f:
            st = json.load(f)
        m["sim_requests"] = st.get("requests")
        m["sim_429"] = st.get("429s")
        m["sim_peak"] = st.get("peakConcurrent")
        m["sim_status"] = st.get("byStatus")
    if a.sim_cpu is not None:
        m["sim_cpu_s"] = a.sim_cpu
    if a.urls:
        with open(a.urls, "w", encoding="utf-8") as f:
            for x in metas:
                if x.get("page") in (None, 1):
                    f.write("%s\t%s\n" % (x["accept"], x["url"]))
    json.dump(m, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
