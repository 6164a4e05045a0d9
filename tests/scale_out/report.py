#!/usr/bin/env python3
"""Reads what load.py logged and when the primary was killed: prints the seconds without
service and the failed requests, checks through psql that every write answered 2xx is in
the database, and exits 1 when something acknowledged was lost or service took longer
than the bound to come back."""

import argparse
import json
import subprocess
import sys
from collections import Counter


def count(uri, sql):
    out = subprocess.run(["psql", uri, "-Atc", sql], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--killed-at", type=float, required=True)
    p.add_argument("--uri", required=True)
    p.add_argument("--bound", type=float, default=30)
    args = p.parse_args()
    r = json.load(open(args.results))
    reqs = r["requests"]
    kill = args.killed_at
    ok = lambda s: 200 <= s < 400
    failed = [q for q in reqs if not ok(q[3])]
    print(f"requests: {len(reqs)}, failed: {len(failed)} "
          f"({', '.join(f'{k} {n}' for k, n in sorted(Counter(q[2] for q in failed).items()))})")
    by_status = Counter(q[3] for q in failed)
    if by_status:
        print("failed by status (0 = no answer): "
              + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items())))
    writes = ("register", "visit")
    back = {}
    for kind in ("any", "write", "read"):
        after = [q for q in reqs if q[0] >= kill and ok(q[3])
                 and (kind == "any" or (q[2] in writes) == (kind == "write"))]
        back[kind] = min((q[1] for q in after), default=None)
    # The longest stretch after the kill with no request answered successfully.
    ends = sorted(q[1] for q in reqs if ok(q[3]))
    gaps = [b - a for a, b in zip(ends, ends[1:]) if b >= kill]
    longest = max(gaps, default=0.0)
    for kind, t in back.items():
        shown = "never" if t is None else f"{t - kill:.1f} s after the kill"
        print(f"first successful {kind} request: {shown}")
    print(f"seconds without service (longest stretch with no successful answer): {longest:.1f}")

    registered, visits = r["registered"], r["visits"]
    problems = []
    if registered:
        ids = ",".join(str(i) for i in registered)
        have = count(args.uri, f"SELECT COUNT(*) FROM cases WHERE id IN ({ids})")
        print(f"registrations answered 201: {len(registered)}; in the database: {have}")
        if have != len(registered):
            problems.append(f"{len(registered) - have} acknowledged registration(s) lost")
    if visits:
        notes = ",".join("'" + v.replace("'", "''") + "'" for v in visits)
        have = count(args.uri, f"SELECT COUNT(*) FROM follow_ups WHERE notes IN ({notes})")
        print(f"visits answered 201: {len(visits)}; in the database: {have}")
        if have != len(visits):
            problems.append(f"{len(visits) - have} acknowledged visit(s) lost")
    if not registered or not visits:
        problems.append("the load wrote nothing to check")
    if back["write"] is None:
        problems.append("no write succeeded after the primary was killed")
    elif back["write"] - kill > args.bound:
        problems.append(f"writes came back after {back['write'] - kill:.1f} s (bound {args.bound} s)")
    for prob in problems:
        print(f"FAILED: {prob}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
