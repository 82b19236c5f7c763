#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Vector search with and without a vector index, through the `cosmolite` command line (each time includes the
# process start, about 0.03 s). Usage: scripts/bench-vectors.sh [ITEMS] [DIMENSIONS] [WORK_DIR]
# (defaults 20000, 384, /tmp/cosmolite-bench-vectors). Needs python3 and a release build of `cosmolite`.
set -euo pipefail

items=${1:-20000}
dimensions=${2:-384}
work=${3:-/tmp/cosmolite-bench-vectors}
bin=${COSMOLITE_BIN:-"$(cd "$(dirname "$0")/.." && pwd)/.build/release/cosmolite"}
[ -x "$bin" ] || { echo "build it first: swift build -c release --product cosmolite" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work/indexed" "$work/plain"
python3 - "$items" "$dimensions" "$work" <<'EOF'
import json, random, sys
items, dimensions, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
random.seed(7)
with open(f"{work}/docs.jsonl", "w") as out:
    for i in range(items):
        vector = [round(random.gauss(0, 1), 6) for _ in range(dimensions)]
        out.write(json.dumps({"id": f"d{i:06d}", "pk": f"t{i % 100:03d}", "category": random.choice("abcd"),
                              "embedding": vector}) + "\n")
json.dump([round(random.gauss(0, 1), 6) for _ in range(dimensions)], open(f"{work}/q.json", "w"))
policy = {"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/embedding/*"}]}
definition = {"id": "vec", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": policy,
              "vectorEmbeddingPolicy": {"vectorEmbeddings": [
                  {"path": "/embedding", "dataType": "float32", "dimensions": dimensions, "distanceFunction": "cosine"}]}}
json.dump(definition, open(f"{work}/plain/vec.json", "w"))
policy["vectorIndexes"] = [{"path": "/embedding", "type": "flat" if dimensions <= 505 else "diskANN"}]
json.dump(definition, open(f"{work}/indexed/vec.json", "w"))
EOF

. "$(dirname "$0")/bench-lib.sh"
import_stores vec plain indexed
query() { "$bin" --store "$work/store-$1" --format json query vec "$2" --param-file "q=$work/q.json"; }

printf '\n| query | vector index | items read | same answer |\n|---|---:|---:|---|\n'
for sql in "SELECT TOP 10 c.id FROM c ORDER BY VectorDistance(c.embedding, @q)" \
           "SELECT TOP 10 c.id FROM c WHERE c.category = 'a' ORDER BY VectorDistance(c.embedding, @q)" \
           "SELECT TOP 10 c.id FROM c WHERE c.pk = 't007' ORDER BY VectorDistance(c.embedding, @q)" \
           "SELECT c.id FROM c ORDER BY VectorDistance(c.embedding, @q) OFFSET 1000 LIMIT 10"; do
    indexed=$(best "$work/indexed.json" query indexed "$sql")
    plain=$(best "$work/plain.json" query plain "$sql")
    same=$(cmp -s "$work/indexed.json" "$work/plain.json" && echo yes || echo NO)
    printf '| `%s` | %.2f s | %.2f s | %s |\n' "$sql" "$indexed" "$plain" "$same"
done
"$bin" --store "$work/store-indexed" verify > /dev/null && echo "verify: the indexed store is consistent"
