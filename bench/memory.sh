#!/usr/bin/env bash
# Peak memory of `sapu clean` on a JSONL corpus of ~100 MB and of ~1 GB.
# The pipeline holds a bounded number of batches, so the peak must not grow
# with the input: the 1 GB peak should be within 10% of the 100 MB peak,
# and under 256 MB.
#
#   bench/memory.sh            # corpora and outputs go to bench/out/ (git-ignored)
#   SAPU_JOBS=2 bench/memory.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
cd "$root"

cargo build --release --quiet
sapu="$root/target/release/sapu"

# Golden inputs as records with varied ids, repeated up to the target size.
generate() {
    local path=$1 megabytes=$2
    if [[ -f $path && $(stat -c %s "$path") -ge $((megabytes * 1000000)) ]]; then
        return
    fi
    python3 - "$root/golden" "$path" "$megabytes" <<'PY'
import json, os, sys
golden, path, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = []
for case in sorted(os.listdir(golden)):
    p = os.path.join(golden, case, "input.txt")
    if os.path.exists(p):
        texts.append(open(p, encoding="utf-8").read())
target = megabytes * 1_000_000
written = 0
i = 0
with open(path + ".part", "w", encoding="utf-8") as f:
    while written < target:
        text = texts[i % len(texts)]
        line = json.dumps({"id": f"doc-{i:09d}", "url": f"https://example.com/{i}",
                           "text": text.replace("Rusia", f"Rusia {i % 97}")},
                          ensure_ascii=False) + "\n"
        f.write(line)
        written += len(line.encode("utf-8"))
        i += 1
os.rename(path + ".part", path)
PY
}

peak_kb() {
    local input=$1
    /usr/bin/time -v "$sapu" clean -q ${SAPU_JOBS:+-j "$SAPU_JOBS"} "$input" \
        -o "$out/clean-$(basename "$input")" 2>"$out/time.txt"
    awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt"
}

generate "$out/corpus-100M.jsonl" 100
generate "$out/corpus-1G.jsonl" 1000

small=$(peak_kb "$out/corpus-100M.jsonl")
start=$(date +%s.%N)
big=$(peak_kb "$out/corpus-1G.jsonl")
end=$(date +%s.%N)

awk -v s="$small" -v b="$big" -v t0="$start" -v t1="$end" 'BEGIN {
    printf "peak RSS, 100 MB corpus: %.1f MB\n", s / 1024
    printf "peak RSS, 1 GB corpus:   %.1f MB (%.1f s, %.0f MB/s)\n", b / 1024, t1 - t0, 1000 / (t1 - t0)
    ratio = b / s
    printf "ratio 1 GB / 100 MB:     %.3f\n", ratio
    ok = (ratio <= 1.10 && b / 1024 < 256)
    print (ok ? "OK: bounded memory" : "FAIL: memory grows with the input or exceeds 256 MB")
    exit (ok ? 0 : 1)
}'
