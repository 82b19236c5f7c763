#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Full-text search with and without a full-text index, through the `cosmolite` command line (each time includes the
# process start, about 0.03 s). Usage: scripts/bench-fulltext.sh [ITEMS] [WORK_DIR] (defaults 100000,
# /tmp/cosmolite-bench-fulltext). Items have 10-60 words drawn from a 20,000-word vocabulary with Zipf's frequencies
# (word r has weight 1/r), inflected so that stems are shared. Needs python3 and a release build of `cosmolite`.
set -euo pipefail

items=${1:-100000}
work=${2:-/tmp/cosmolite-bench-fulltext}
bin=${COSMOLITE_BIN:-"$(cd "$(dirname "$0")/.." && pwd)/.build/release/cosmolite"}
[ -x "$bin" ] || { echo "build it first: swift build -c release --product cosmolite" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work/indexed" "$work/plain"
python3 - "$items" "$work" <<'PY'
import bisect, itertools, json, random, sys
items, work = int(sys.argv[1]), sys.argv[2]
random.seed(11)
syllables = ["ka", "lo", "mi", "ren", "tus", "vo", "shi", "par", "den", "gol", "fi", "nor", "bel", "tra", "qui"]
words = []
while len(words) < 20000:
    w = "".join(random.choice(syllables) for _ in range(random.randint(2, 4)))
    if w not in words:
        words.append(w)
weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(words))))
suffixes = ["", "", "", "s", "ing", "ed", "er"]
def word():
    return words[bisect.bisect(weights, random.random() * weights[-1])] + random.choice(suffixes)
with open(f"{work}/docs.jsonl", "w") as out:
    for i in range(items):
        text = " ".join(word() for _ in range(random.randint(10, 60))).capitalize() + "."
        out.write(json.dumps({"id": f"d{i:06d}", "pk": f"t{i % 100:03d}", "text": text}) + "\n")
# A rare word (rank 5,000), a common one (rank 20), and a phrase of two words of one item.
json.dump({"rare": words[5000], "common": words[20], "phrase": " ".join(text.split()[3:5])},
          open(f"{work}/terms.json", "w"))
policy = {"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/text/?"}]}
definition = {"id": "docs", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": policy,
              "fullTextPolicy": {"defaultLanguage": "en-US", "fullTextPaths": [{"path": "/text"}]}}
json.dump(definition, open(f"{work}/plain/docs.json", "w"))
policy["fullTextIndexes"] = [{"path": "/text"}]
json.dump(definition, open(f"{work}/indexed/docs.json", "w"))
PY
term() { python3 -c "import json,sys; print(json.dumps(json.load(open('$work/terms.json'))['$1']))"; }
rare=$(term rare); common=$(term common); phrase=$(term phrase)
echo "rare $rare, common $common, phrase $phrase"

. "$(dirname "$0")/bench-lib.sh"
import_stores docs plain indexed
query() {
    "$bin" --store "$work/store-$1" --format json query docs "$2" --all --param "rare=$rare" --param "common=$common" \
        --param "phrase=$phrase"
}

printf '\n| query | full-text index | items read | same answer |\n|---|---:|---:|---|\n'
for sql in "SELECT c.id FROM c WHERE FullTextContains(c.text, @rare)" \
           "SELECT VALUE COUNT(1) FROM c WHERE FullTextContains(c.text, @common)" \
           "SELECT c.id FROM c WHERE FullTextContains(c.text, @phrase)" \
           "SELECT TOP 10 c.id FROM c ORDER BY RANK FullTextScore(c.text, @rare, @common)" \
           "SELECT TOP 10 c.id FROM c WHERE c.pk = 't007' ORDER BY RANK FullTextScore(c.text, @common)" \
           "SELECT TOP 10 c.id FROM c WHERE FullTextContains(c.text, @common) ORDER BY RANK FullTextScore(c.text, @phrase)"; do
    indexed=$(best "$work/indexed.json" query indexed "$sql")
    plain=$(best "$work/plain.json" query plain "$sql")
    # The same results in the same order (the pages may split them otherwise: a scan ends a page early).
    items() { python3 -c "import json; print(json.dumps([i for l in open('$1') for i in json.loads(l)['items']]))"; }
    same=$([ "$(items "$work/indexed.json")" = "$(items "$work/plain.json")" ] && echo yes || echo NO)
    results=$(items "$work/indexed.json" | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
    printf '| `%s` (%s results) | %.2f s | %.2f s | %s |\n' "$sql" "$results" "$indexed" "$plain" "$same"
done
"$bin" --store "$work/store-indexed" verify > /dev/null && echo "verify: the indexed store is consistent"
