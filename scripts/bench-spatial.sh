#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Spatial queries with and without a spatial index, through the `cosmolite` command line (each time includes the
# process start): ITEMS items (default 100,000) with a GeoJSON point spread over the contiguous United States, every
# tenth with a zone (a polygon of about 10 km around it), 100 partitions, in WORK (default
# /tmp/cosmolite-bench-spatial). The first row reads every item with a plain condition,
# for the cost of the geometry alone. Each count is checked against geographiclib (python3), the reference
# implementation of geodesics on the WGS-84 ellipsoid. Needs python3 with geographiclib and a release build of
# `cosmolite`.
set -euo pipefail
items=${1:-100000}
work=${2:-/tmp/cosmolite-bench-spatial}
bin=${COSMOLITE_BIN:-"$(cd "$(dirname "$0")/.." && pwd)/.build/release/cosmolite"}
[ -x "$bin" ] || { echo "build it first: swift build -c release --product cosmolite" >&2; exit 1; }
python3 -c "import geographiclib" 2> /dev/null || { echo "needs python3 with geographiclib" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work/indexed" "$work/plain"
python3 - "$items" "$work" <<'PY'
import json, random, sys
from geographiclib.geodesic import Geodesic
from geographiclib.polygonarea import PolygonArea
items, work = int(sys.argv[1]), sys.argv[2]
random.seed(7)
points = [(random.uniform(-125, -67), random.uniform(25, 49)) for _ in range(items)]
def zone(x, y):
    return [[x - 0.05, y - 0.05], [x + 0.05, y - 0.05], [x + 0.05, y + 0.05], [x - 0.05, y + 0.05], [x - 0.05, y - 0.05]]
with open(f"{work}/docs.jsonl", "w") as out:
    for i, (x, y) in enumerate(points):
        item = {"id": f"d{i:06d}", "pk": f"t{i % 100:03d}", "location": {"type": "Point", "coordinates": [x, y]}}
        if i % 10 == 0:
            item["zone"] = {"type": "Polygon", "coordinates": [zone(x, y)]}
        out.write(json.dumps(item) + "\n")
center = [-98.5, 39.5]
# A quadrilateral of about 200 km by 150 km, counter-clockwise.
ring = [[-100, 38.5], [-97.5, 38.6], [-97.4, 40], [-99.8, 39.9], [-100, 38.5]]
g = Geodesic.WGS84
near = sum(1 for x, y in points if g.Inverse(center[1], center[0], y, x)["s12"] < 100_000)
near7 = sum(1 for i, (x, y) in enumerate(points)
            if i % 100 == 7 and g.Inverse(center[1], center[0], y, x)["s12"] < 100_000)
# A point is inside the geodesic polygon when adding it between consecutive vertices... simpler: the winding of the
# geodesic edges around it, from geographiclib's azimuths (the point is left of every edge of a convex ring).
def inside(x, y, ring=ring):
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        ab = g.Inverse(ay, ax, by, bx)["azi1"]
        ap = g.Inverse(ay, ax, y, x)["azi1"]
        if (ap - ab + 540) % 360 - 180 >= 0:
            return False
    return True
within = sum(1 for x, y in points if inside(x, y))
# A point in many zones: the first zone's corner region, where four neighbours may overlap.
probe = [points[0][0] + 0.03, points[0][1] + 0.02]
zones = sum(1 for i, (x, y) in enumerate(points) if i % 10 == 0 and inside(probe[0], probe[1], zone(x, y)))
area = PolygonArea(g)
for x, y in ring[:-1]:
    area.AddPoint(y, x)
json.dump({"center": {"type": "Point", "coordinates": center}, "zone": {"type": "Polygon", "coordinates": [ring]},
           "near": near, "near7": near7, "within": within, "area": abs(area.Compute()[2]),
           "probe": {"type": "Point", "coordinates": probe}, "zones": zones},
          open(f"{work}/expected.json", "w"))
policy = {"includedPaths": [{"path": "/*"}]}
json.dump({"id": "places", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": policy},
          open(f"{work}/plain/places.json", "w"))
policy["spatialIndexes"] = [{"path": "/*", "types": ["Point", "LineString", "Polygon", "MultiPolygon"]}]
json.dump({"id": "places", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": policy},
          open(f"{work}/indexed/places.json", "w"))
PY
expected() { python3 -c "import json; print(json.dumps(json.load(open('$work/expected.json'))['$1']))"; }
center=$(expected center); zone=$(expected zone); probe=$(expected probe)

. "$(dirname "$0")/bench-lib.sh"
import_stores places plain indexed
query() {
    "$bin" --store "$work/store-$1" --format json query places "$2" --all --param "p=$center" --param "zone=$zone" \
        --param "q=$probe"
}
count() { python3 -c "import json; print(sum(json.loads(l)['items'][0] for l in open('$1')))"; }
printf '\n| query | spatial index | items read | counts (index, items, geographiclib) |\n|---|---:|---:|---|\n'
run() {
    local sql=$1 want=$2 indexed plain
    indexed=$(best "$work/indexed.json" query indexed "$sql")
    plain=$(best "$work/plain.json" query plain "$sql")
    printf '| `%s` | %.2f s | %.2f s | %s, %s, %s |\n' "$sql" "$indexed" "$plain" "$(count "$work/indexed.json")" \
        "$(count "$work/plain.json")" "$want"
}
run "SELECT VALUE COUNT(1) FROM c WHERE IS_DEFINED(c.location.coordinates)" "$items"
run "SELECT VALUE COUNT(1) FROM c WHERE ST_DISTANCE(c.location, @p) < 100000" "$(expected near)"
run "SELECT VALUE COUNT(1) FROM c WHERE ST_WITHIN(c.location, @zone)" "$(expected within)"
run "SELECT VALUE COUNT(1) FROM c WHERE c.pk = 't007' AND ST_DISTANCE(c.location, @p) < 100000" "$(expected near7)"
run "SELECT VALUE COUNT(1) FROM c WHERE ST_WITHIN(@q, c.zone)" "$(expected zones)"
area=$("$bin" --store "$work/store-indexed" --format json query places "SELECT VALUE ST_AREA(@zone) FROM c" \
    --param "zone=$zone" --max-item-count 1 \
    | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['items'][0])")
echo "ST_AREA of the zone: $area m² (geographiclib $(expected area))"
