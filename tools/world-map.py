#!/usr/bin/env python3
"""Writes crates/web/assets/world.svg, the country outlines the dashboard's map is drawn
from, so Homeward never fetches map data at run time.

Outlines: Natural Earth (public domain) as packaged by the npm package world-atlas 2.0.2
(ISC licence): the 1:110m countries, and from 1:50m the countries too small for 1:110m
(Samoa among them). Projected with the Equal Earth projection (areas compared fairly on a
choropleth) into a 1000-wide view box; each country is a <path id="XX"> by its ISO 3166-1
alpha-2 code (numeric codes mapped with pycountry), and countries a few pixels wide also
get a <circle id="dot-XX"> so their colour can be seen.

Whole pixels with relative steps keep the file small enough for the page budget.

Run once when the outlines change:
  npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
  pip install pycountry
  python3 tools/world-map.py package/ > crates/web/assets/world.svg
"""
import json
import math
import sys

import pycountry

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
WIDTH = 1000.0
X_MAX = 2.7064                       # Equal Earth's half-width at unit radius
Y_MAX = 1.3173                       # and half-height
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round(2 * Y_MAX * SCALE)


def project(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    t = math.asin(M * math.sin(phi))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = lam * math.cos(t) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return (x + X_MAX) * SCALE, (Y_MAX - y) * SCALE


def decode(topo):
    """The topology's arcs as lists of (lon, lat)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, indexes):
    pts = []
    for i in indexes:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []


def path(arcs, geom):
    parts = []
    box = [math.inf, math.inf, -math.inf, -math.inf]
    for poly in polygons(geom):
        for r in poly:
            out = []
            pts = [project(lon, lat) for lon, lat in ring(arcs, r)]
            # A small island ring that crosses the antimeridian (1:50m is not cut there)
            # would draw a line across the world: keep it whole on the eastern edge.
            # (Large countries such as Russia follow the edge on purpose: left alone.)
            if any(abs(b[0] - a[0]) > WIDTH / 2 for a, b in zip(pts, pts[1:])):
                moved = [(x + WIDTH if x < WIDTH / 2 else x, y) for x, y in pts]
                xs = [x for x, _ in moved]
                if max(xs) - min(xs) < 100:
                    pts = moved
            for x, y in pts:
                box = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
                # Whole pixels, and no point within a pixel of the one before: at this
                # size the eye sees no difference and the file is a third as large.
                p = (round(x), round(y))
                if not out or abs(out[-1][0] - p[0]) + abs(out[-1][1] - p[1]) > 1:
                    out.append(p)
            if len(out) >= 3:
                (x0, y0), rest = out[0], out[1:]
                steps, (px, py) = [], (x0, y0)
                for x, y in rest:
                    steps.append(f"{x - px} {y - py}")
                    px, py = x, y
                parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts), box


def alpha2(numeric, name):
    c = pycountry.countries.get(numeric=numeric) if numeric else None
    if c:
        return c.alpha_2
    # Kosovo has no ISO code; XK is the code in common use (and in IATI's list).
    return {"Kosovo": "XK", "N. Cyprus": None, "Somaliland": None}.get(name)


def main(folder):
    shapes = {}
    for f in ["countries-110m.json", "countries-50m.json"]:
        topo = json.load(open(f"{folder}/{f}"))
        arcs = decode(topo)
        for g in topo["objects"]["countries"]["geometries"]:
            code = alpha2(g.get("id"), g["properties"]["name"])
            if code and code not in shapes:
                d, box = path(arcs, g)
                if box[0] < math.inf:
                    shapes[code] = (g["properties"]["name"], d, box)
    print(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT}">')
    print("<!-- Natural Earth (public domain) via world-atlas 2.0.2; tools/world-map.py -->")
    # Every outline in one group, so a page draws the whole world with one <use>.
    print('<g id="all">')
    for code in sorted(shapes):
        d = shapes[code][1]
        if d:
            print(f'<path id="{code}" d="{d}"/>')
    print("</g>")
    for code in sorted(shapes):
        _, _, (x0, y0, x1, y1) = shapes[code]
        if x1 - x0 < 6 and y1 - y0 < 6:
            print(f'<circle id="dot-{code}" cx="{(x0 + x1) / 2:.0f}" cy="{(y0 + y1) / 2:.0f}" r="4"/>')
    print("</svg>")


main(sys.argv[1])
