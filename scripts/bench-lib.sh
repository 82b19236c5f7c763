# SPDX-License-Identifier: Apache-2.0
#
# What the command-line benchmarks share (sourced by bench-vectors.sh and bench-fulltext.sh). They set `bin` (the
# `cosmolite` binary) and `work` (their folder, holding `docs.jsonl` and one folder of container definitions per
# kind of store) before calling these.

# import_stores CONTAINER KIND...: creates store `$work/store-KIND` from the definitions in `$work/KIND` and imports
# `$work/docs.jsonl` into CONTAINER (relaxed durability), printing the import's time and the store's size.
import_stores() {
    local container=$1 kind start end
    shift
    for kind in "$@"; do
        "$bin" --store "$work/store-$kind" init --containers "$work/$kind" > /dev/null
        start=$(date +%s.%N)
        "$bin" --store "$work/store-$kind" --durability relaxed import "$work/docs.jsonl" --container "$container" \
            --quiet > /dev/null
        end=$(date +%s.%N)
        printf '%-8s import %6.2f s, store %s\n' "$kind" "$(awk "BEGIN { print $end - $start }")" \
            "$(du -sh "$work/store-$kind" | cut -f1)"
    done
}

# best OUT COMMAND...: the best of three wall-clock times of COMMAND, in seconds; its output is kept in OUT for
# comparison.
best() {
    local out=$1 fastest=999 start end
    shift
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        "$@" > "$out"
        end=$(date +%s.%N)
        fastest=$(awk "BEGIN { t = $end - $start; print (t < $fastest) ? t : $fastest }")
    done
    echo "$fastest"
}
