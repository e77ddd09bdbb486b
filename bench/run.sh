#!/usr/bin/env bash
# The sapu benchmark, in one command: builds the release binary, generates
# the labelled corpus, measures the I/O floor and sapu at 1 and all threads,
# sapu with 1,000 extra literal and 100 extra regex rules, each part of the
# cleaner alone (examples/components.rs), the peers (datatrove
# C4QualityFilter, jusText) on a slice, peak memory on the 100 MB and the
# 1 GB corpus, and the same corpora as Parquet (row groups of 1,000 rows,
# zstd; examples/to_parquet.rs): the Parquet floor (read and write, no
# cleaning), sapu on Parquet, and its peak memory; then rewrites the tables
# in BENCHMARKS.md.
#
#   bench/run.sh                 # the full run (about 10 minutes on 2 cores)
#   bench/run.sh --smoke         # a tiny corpus, one round, BENCHMARKS.md untouched
#   bench/run.sh --no-peers      # skip datatrove and jusText
#
# Options: --mb N (timed corpus, default 100), --big-mb N (memory corpus,
# default 1000), --peer-mb N (peer slice, default 3), --rounds N (default 3),
# --seed S (default 1), --no-write (print the tables, leave BENCHMARKS.md).
# Corpora, outputs and the generated rule file go to bench/out/ (git-ignored);
# the peers are installed with pip into bench/.venv (git-ignored).
#
# Timing: each round runs every configuration once, in turn, as a whole
# process under /usr/bin/time; a figure is the median over the rounds and a
# ratio the median of the per-round ratios, so slow drift of a shared
# machine cancels out.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out="$root/bench/out"
mb=100 big_mb=1000 peer_mb=3 rounds=3 seed=1 peers=1 write=1 smoke=0
while [[ $# -gt 0 ]]; do
    case $1 in
    --smoke) smoke=1 mb=3 big_mb=6 peer_mb=0.3 rounds=1 write=0 ;;
    --mb) mb=$2; shift ;;
    --big-mb) big_mb=$2; shift ;;
    --peer-mb) peer_mb=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --seed) seed=$2; shift ;;
    --no-peers) peers=0 ;;
    --no-write) write=0 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$1' (see bench/run.sh --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ -x /usr/bin/time ]] || { echo "bench/run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

mkdir -p "$out"
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

log "building release binaries"
cargo build --release --quiet --bin sapu --example gen_corpus --example score_truth --example to_parquet --example components
# Copies, so that a rebuild during the run does not change what is measured.
mkdir -p "$out/bin"
for b in sapu examples/gen_corpus examples/score_truth examples/to_parquet examples/components; do
    cp "$root/target/release/$b" "$out/bin/"
done
sapu="$out/bin/sapu"
gen="$out/bin/gen_corpus"
score="$out/bin/score_truth"
to_parquet="$out/bin/to_parquet"
cores=$(nproc)

# ---------------------------------------------------------------- corpora
corpus_dir() { echo "$out/corpus-$1MB-seed$seed"; }
make_corpus() {
    local dir
    dir=$(corpus_dir "$1")
    if [[ ! -s $dir/corpus.jsonl || ! -s $dir/truth.jsonl ]]; then
        log "generating a $1 MB corpus in $dir"
        "$gen" --out "$dir" --mb "$1" --seed "$seed" >&2
    fi
    if [[ ! -s $dir/corpus.parquet ]]; then
        "$to_parquet" "$dir/corpus.jsonl" "$dir/corpus.parquet" --group-rows 1000 --codec zstd
    fi
}
make_corpus "$mb"
small=$(corpus_dir "$mb")
corpus="$small/corpus.jsonl"
truth="$small/truth.jsonl"
corpus_bytes=$(stat -c %s "$corpus")
corpus_docs=$(wc -l <"$corpus")

# ---------------------------------------------------------------- extra rules
# 1,000 literal rules (exact, prefix, contains, suffix in turn) and 100 regex
# rules, made of invented words so that they compete with the default rules
# for every line but match none of the corpus.
extra_rules="$out/extra-rules.toml"
awk 'BEGIN {
    split("ba ku ri to me sa lo ne di ga pu ra ze vo hi", syl, " ")
    kinds[0] = "exact"; kinds[1] = "prefix"; kinds[2] = "contains"; kinds[3] = "suffix"
    for (i = 0; i < 1100; i++) {
        w = ""; x = i * 7919 + 13
        for (k = 0; k < 3; k++) { w = w syl[x % 15 + 1]; x = int(x / 15) + i }
        word = w "x" i
        printf "[[rule]]\nid = \"bench.extra-%04d\"\nkind = \"line\"\n", i
        printf "description = \"Generated for the rule-scaling benchmark.\"\n"
        if (i < 1000) {
            pat = "Ikuti " word " di kanal kami"
            printf "%s = [\"%s\"]\n", kinds[i % 4], pat
            printf "max_chars = %d\n", 60 + (i % 5) * 40
            printf "examples.drop = [\"%s\"]\n", pat
        } else {
            printf "regex = [\x27^(?:promo|info|iklan)\\s+%s\\d*\\s*[:-]\x27]\n", word
            printf "max_chars = 200\n"
            printf "examples.drop = [\"promo %s: diskon\"]\n", word
        }
        printf "examples.keep = [\"Polisi menangkap seorang tersangka di Medan pada hari Senin.\"]\n\n"
    }
}' >"$extra_rules"

# ---------------------------------------------------------------- timing
times="$out/times.tsv"
: >"$times"
# run LABEL ROUND CMD...: one timed run, appended to $times as
# label, round, wall s, user s, sys s, peak RSS KB. The wall time is read
# from the clock in nanoseconds around the run (/usr/bin/time's is in
# hundredths, 5 to 10% of the floor's 0.1 to 0.2 s); CPU and memory are
# /usr/bin/time's.
run() {
    local label=$1 round=$2 start end
    shift 2
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S %M' -o "$out/time.tmp" "$@" 2>"$out/stderr-$label.txt" || {
        echo "bench/run.sh: '$label' failed; see $out/stderr-$label.txt" >&2
        cat "$out/stderr-$label.txt" >&2
        exit 1
    }
    end=$(date +%s%N)
    read -r user sys rss <"$out/time.tmp"
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$wall" "$user" "$sys" "$rss" >>"$times"
}
clean=("$sapu" clean -q --format jsonl)

cat "$corpus" >/dev/null # into the page cache
"$sapu" clean -q --format jsonl --no-clean -j 1 "$corpus" -o "$out/out-floor.jsonl" # warm-up, not counted
log "timing on $corpus ($corpus_docs docs), $rounds round(s)"
for round in $(seq 1 "$rounds"); do
    # Every run writes a new file, as a run into a fresh output directory
    # does: replacing the last round's 100 MB output would add the time the
    # system takes to free its pages (about 25 ms, serial) to every figure.
    rm -f "$out"/out-*.jsonl "$out"/out-*.parquet
    run floor "$round" "${clean[@]}" --no-clean -j 1 "$corpus" -o "$out/out-floor.jsonl"
    run floor-jN "$round" "${clean[@]}" --no-clean -j "$cores" "$corpus" -o "$out/out-floor-jN.jsonl"
    run no-rules "$round" "${clean[@]}" --no-default-rules -j 1 "$corpus" -o "$out/out-no-rules.jsonl"
    run j1 "$round" "${clean[@]}" -j 1 "$corpus" -o "$out/out-j1.jsonl"
    run jN "$round" "${clean[@]}" -j "$cores" "$corpus" -o "$out/out-jN.jsonl"
    run rules "$round" "${clean[@]}" -j 1 --rules "$extra_rules" "$corpus" -o "$out/out-rules.jsonl"
    run pq-floor "$round" "$sapu" clean -q --no-clean -j 1 "$small/corpus.parquet" -o "$out/out-floor.parquet"
    run pq-j1 "$round" "$sapu" clean -q -j 1 "$small/corpus.parquet" -o "$out/out-j1.parquet"
    run pq-jN "$round" "$sapu" clean -q -j "$cores" "$small/corpus.parquet" -o "$out/out-jN.parquet"
    log "round $round done"
done
cmp -s "$out/out-floor.jsonl" "$corpus" || log "note: the floor output differs from the input (JSON re-escaping)"
cmp "$out/out-floor.jsonl" "$out/out-floor-jN.jsonl" || { echo "bench/run.sh: the floor's -j 1 and -j $cores outputs differ" >&2; exit 1; }
cmp "$out/out-j1.jsonl" "$out/out-jN.jsonl" || { echo "bench/run.sh: -j 1 and -j $cores outputs differ" >&2; exit 1; }
cmp "$out/out-j1.parquet" "$out/out-jN.parquet" || { echo "bench/run.sh: Parquet -j 1 and -j $cores outputs differ" >&2; exit 1; }
cmp "$out/out-j1.jsonl" "$out/out-rules.jsonl" || { echo "bench/run.sh: the extra rules changed the output (they must match nothing)" >&2; exit 1; }

# Each part of the cleaner alone, warm, in one process (ns per corpus byte).
log "timing the parts of the cleaner"
components="$out/components.tsv"
"$out/bin/components" "$corpus" --rounds "$rounds" >"$components"

quality() { "$score" "$1" "$2"; }
sapu_quality=$(quality "$truth" "$out/out-j1.jsonl")

# ---------------------------------------------------------------- memory
make_corpus "$big_mb"
big=$(corpus_dir "$big_mb")
log "peak memory on $big/corpus.jsonl"
run mem-big 1 "${clean[@]}" -j "$cores" "$big/corpus.jsonl" -o "$out/out-big.jsonl"
big_bytes=$(stat -c %s "$big/corpus.jsonl")
rm -f "$out/out-big.jsonl"
run pq-mem-big 1 "$sapu" clean -q -j "$cores" "$big/corpus.parquet" -o "$out/out-big.parquet"
rm -f "$out/out-big.parquet"

# ---------------------------------------------------------------- peers
peer_rows=""
if [[ $peers == 1 ]]; then
    peer_python=$("$root/bench/peers-venv.sh")
    slice="$out/slice-${peer_mb}MB"
    mkdir -p "$slice"
    # The first documents up to peer_mb megabytes, and their truth.
    awk -v limit="$(awk -v m="$peer_mb" 'BEGIN { printf "%d", m * 1000000 }')" \
        '{ n += length($0) + 1; print; if (n >= limit) exit }' "$corpus" >"$slice/corpus.jsonl"
    slice_docs=$(wc -l <"$slice/corpus.jsonl")
    head -n "$slice_docs" "$truth" >"$slice/truth.jsonl"
    slice_bytes=$(stat -c %s "$slice/corpus.jsonl")
    log "peers on $slice ($slice_docs docs)"
    "${clean[@]}" -j 1 "$slice/corpus.jsonl" -o "$slice/out-sapu.jsonl"
    peer=("$peer_python" "$root/bench/peers.py")
    # Start-up (imports, spaCy, worker processes) measured on one document,
    # and taken off the peers' times: only their cleaning speed is compared.
    head -n 1 "$slice/corpus.jsonl" >"$slice/one.jsonl"
    run datatrove-1-startup 1 "${peer[@]}" datatrove --tasks 1 "$slice/one.jsonl" "$slice/out-one.jsonl"
    run datatrove-N-startup 1 "${peer[@]}" datatrove --tasks "$cores" "$slice/one.jsonl" "$slice/out-one.jsonl"
    run justext-startup 1 "${peer[@]}" justext "$slice/one.jsonl" "$slice/out-one.jsonl"
    run datatrove-1 1 "${peer[@]}" datatrove --tasks 1 "$slice/corpus.jsonl" "$slice/out-datatrove-1.jsonl"
    run datatrove-N 1 "${peer[@]}" datatrove --tasks "$cores" "$slice/corpus.jsonl" "$slice/out-datatrove-N.jsonl"
    run justext 1 "${peer[@]}" justext "$slice/corpus.jsonl" "$slice/out-justext.jsonl"
    q_slice_sapu=$(quality "$slice/truth.jsonl" "$slice/out-sapu.jsonl")
    q_dt=$(quality "$slice/truth.jsonl" "$slice/out-datatrove-1.jsonl")
    q_jt=$(quality "$slice/truth.jsonl" "$slice/out-justext.jsonl")
    peer_rows=$(printf 'sapu\t%s\t%s\ndatatrove-1\t%s\t%s\ndatatrove-N\t%s\t%s\njustext\t%s\t%s\n' \
        "$slice_bytes" "$q_slice_sapu" "$slice_bytes" "$q_dt" "$slice_bytes" "$q_dt" "$slice_bytes" "$q_jt")
fi

# ---------------------------------------------------------------- report
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo "+changes" || true)
table="$out/table.md"
awk -F'\t' -v cores="$cores" -v cpu="$cpu" -v mem="$mem" -v rev="$rev$dirty" \
    -v bytes="$corpus_bytes" -v docs="$corpus_docs" -v big_bytes="$big_bytes" \
    -v rounds="$rounds" -v date="$(date -u +%Y-%m-%d)" -v q="$sapu_quality" -v peers="$peer_rows" -v sdocs="${slice_docs:-0}" \
    -v components="$components" '
function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function field(json, name,    m) {
    if (match(json, "\"" name "\":[0-9.eE+-]+")) { m = substr(json, RSTART, RLENGTH); sub(/^[^:]*:/, "", m); return m + 0 }
    return -1
}
# Median over the rounds of wall (W) or CPU (C) seconds, and the median of
# the per-round ratios x / y.
function med(T, label,    i, n, a) { n = 0; for (i = 1; i <= R[label]; i++) a[++n] = T[label, i]; return median(a, n) }
# The median of the per-round differences x - y.
function delta(T, x, y,    i, n, a) { n = 0; for (i = 1; i <= R[x] && i <= R[y]; i++) a[++n] = T[x, i] - T[y, i]; return median(a, n) }
function ratio(T, x, y,    i, n, a) { n = 0; for (i = 1; i <= R[x] && i <= R[y]; i++) a[++n] = T[x, i] / T[y, i]; return median(a, n) }
function peak(label,    i, m) { m = 0; for (i = 1; i <= R[label]; i++) if (S[label, i] > m) m = S[label, i]; return m }
function row(name, label, base,    t, c) {
    t = med(W, label); c = med(C, label)
    printf "| %s | %.3f | %.2f | %.1f | %.1f | %.0f | %.1f | %s | %s |\n", name, t, c, bytes / 1e6 / t, bytes / 1e6 / c, docs / t, peak(label) / 1024, (base == "" ? "" : sprintf("%.2f", ratio(W, base, label))), (base == "" ? "" : sprintf("%.2f", ratio(C, base, label)))
}
function yes(ok) { return ok ? "yes" : "**no**" }
{ R[$1]++; W[$1, $2] = $3; C[$1, $2] = $4 + $5; S[$1, $2] = $6 }
END {
    printf "Run of %s at commit %s: %d cores (%s), %s memory; corpus %.1f MB, %d documents; median of %d round(s). ", date, rev, cores, cpu, mem, bytes / 1e6, docs, rounds
    printf "CPU s is user + system time of the whole process; MB/s per CPU s is the cost on one core, which a loaded shared machine disturbs less than wall time.\n\n"
    printf "| configuration | wall s | CPU s | MB/s | MB/s per CPU s | docs/s | peak RSS MB | speed vs floor (wall) | speed vs floor (CPU) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    row("floor: read + parse + write, no cleaning (`--no-clean`), -j 1", "floor", "")
    row("floor, -j " cores, "floor-jN", "")
    row("no rules, normalization and line features only (`--no-default-rules`), -j 1", "no-rules", "floor")
    row("sapu, default rules, -j 1", "j1", "floor")
    row("sapu, default rules, -j " cores, "jN", "floor")
    row("sapu, default + 1,000 literal + 100 regex rules, -j 1", "rules", "floor")
    row("Parquet floor: read + write, no cleaning (`--no-clean`), -j 1", "pq-floor", "")
    row("sapu on Parquet, default rules, -j 1", "pq-j1", "pq-floor")
    row("sapu on Parquet, default rules, -j " cores, "pq-jN", "pq-floor")
    printf "\nThe Parquet rows clean the same records as a Parquet file (examples/to_parquet.rs: row groups of 1,000 rows, zstd); their MB/s are of the records'"'"' JSONL bytes.\n"
    printf "\n| ratio | value | target | met |\n|---|---:|---:|---|\n"
    rw = ratio(W, "floor", "j1"); r = ratio(C, "floor", "j1")
    printf "| sapu -j 1 / floor, throughput per CPU s (wall: %.2f) | %.2f | >= 0.25 | %s |\n", rw, r, yes(r >= 0.25)
    r = ratio(W, "j1", "jN"); printf "| -j %d / -j 1 throughput (wall) | %.2f | >= 1.85 | %s |\n", cores, r, yes(r >= 1.85)
    r = ratio(W, "floor", "floor-jN"); printf "| floor -j %d / -j 1 throughput (wall) | %.2f | >= 1.80 | %s |\n", cores, r, yes(r >= 1.8)
    rw = ratio(W, "rules", "j1"); r = ratio(C, "rules", "j1")
    printf "| CPU time with the extra rules / default rules (wall: %.2f) | %.2f | < 1.50 | %s |\n", rw, r, yes(r < 1.5)
    small_rss = peak("jN") / 1024; big_rss = peak("mem-big") / 1024
    r = big_rss / small_rss
    printf "| peak RSS %.0f MB corpus / %.0f MB corpus (-j %d) | %.1f / %.1f MB = %.3f | <= 1.10, < 256 MB | %s |\n", big_bytes / 1e6, bytes / 1e6, cores, big_rss, small_rss, r, yes(r <= 1.1 && big_rss < 256)
    # What cleaning adds to each format'"'"'s floor, in CPU seconds: the same work.
    jc = delta(C, "j1", "floor"); pc = delta(C, "pq-j1", "pq-floor")
    printf "| Parquet: (clean - floor) / JSONL: (clean - floor), CPU s at -j 1 | %.2f s / %.2f s = %.3f | <= 1.05 | %s |\n", pc, jc, pc / jc, yes(pc / jc <= 1.05)
    small_pq = peak("pq-jN") / 1024; big_pq = peak("pq-mem-big") / 1024
    printf "| Parquet: peak RSS %.0f MB corpus / %.0f MB corpus (-j %d) | %.1f / %.1f MB = %.3f | <= 1.10 | %s |\n", big_bytes / 1e6, bytes / 1e6, cores, big_pq, small_pq, big_pq / small_pq, yes(big_pq / small_pq <= 1.1)
    printf "\nThe %.0f MB corpus took %.1f s wall, %.1f s CPU at -j %d.\n", big_bytes / 1e6, W["mem-big", 1], C["mem-big", 1], cores
    printf "\nEach part of the cleaner alone, warm, in one process on one core (`examples/components.rs`, median of %d round(s)), against the whole-process figures above, in nanoseconds per byte of the corpus:\n\n| part | ns/B | what it is |\n|---|---:|---|\n", rounds
    printf "| floor (whole process, CPU) | %.2f | `--no-clean`, -j 1: read, parse and write every record |\n", med(C, "floor") * 1e9 / bytes
    while ((getline l < components) > 0) { split(l, p, "\t"); printf "| %s | %.2f | %s |\n", p[1], p[2], p[3] }
    printf "| sapu (whole process, CPU) | %.2f | default rules, -j 1 |\n", med(C, "j1") * 1e9 / bytes
    printf "\nQuality of sapu on the ground truth of the whole corpus: content kept %.4f, clutter removed %.4f, F1 %.4f.\n", field(q, "content_kept"), field(q, "clutter_removed"), field(q, "f1")
    if (peers != "") {
        n = split(peers, lines, "\n")
        for (i = 1; i <= n; i++) { split(lines[i], p, "\t"); PB[p[1]] = p[2]; PQ[p[1]] = p[3] }
        sb = PB["sapu"]
        printf "\nPeers on the first %.1f MB of the corpus (%d documents), one run each. A peer'"'"'s time is that of its whole process less that of the same process on one document (start-up: imports, spaCy, worker processes). Per core: CPU seconds of the one-process runs (for datatrove with %d tasks, whose workers the CPU count misses, wall time / %d). sapu'"'"'s speed is that of the -j 1 run above, its quality that on this slice.\n\n", sb / 1e6, sdocs, cores, cores
        printf "| cleaner | processes | wall s | CPU s | MB/s per core | sapu per core / it | content kept | clutter removed | F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        base = bytes / 1e6 / med(C, "j1")
        printf "| sapu, default rules | 1 | %.2f | %.2f | %.1f | | %.4f | %.4f | %.4f |\n", sb / 1e6 / (bytes / 1e6 / med(W, "j1")), sb / 1e6 / base, base, field(PQ["sapu"], "content_kept"), field(PQ["sapu"], "clutter_removed"), field(PQ["sapu"], "f1")
        split("datatrove-1 datatrove-N justext", order, " ")
        names["datatrove-1"] = "datatrove 0.10.1 C4QualityFilter"
        names["datatrove-N"] = "datatrove 0.10.1 C4QualityFilter"; names["justext"] = "jusText 3.0.2, one paragraph per line"
        procs["datatrove-1"] = 1; procs["datatrove-N"] = cores; procs["justext"] = 1
        for (i = 1; i <= 3; i++) {
            k = order[i]; t = W[k, 1] - W[k "-startup", 1]; c = C[k, 1] - C[k "-startup", 1]
            if (t <= 0.01) t = 0.01; if (c <= 0.01) c = 0.01
            pc = (procs[k] == 1) ? sb / 1e6 / c : sb / 1e6 / t / procs[k]; PC[k] = pc
            printf "| %s | %d | %.2f | %s | %.2f | %.0fx | %.4f | %.4f | %.4f |\n", names[k], procs[k], t, (procs[k] == 1 ? sprintf("%.2f", c) : "n/a"), pc, base / pc, field(PQ[k], "content_kept"), field(PQ[k], "clutter_removed"), field(PQ[k], "f1")
        }
        dt = base / PC["datatrove-1"]; jt = base / PC["justext"]
        printf "\n| ratio | value | target | met |\n|---|---:|---:|---|\n"
        printf "| sapu / datatrove C4QualityFilter, per core | %.0fx | >= 300x, F1 not lower | %s |\n", dt, yes(dt >= 300 && field(PQ["sapu"], "f1") >= field(PQ["datatrove-1"], "f1"))
        printf "| sapu / jusText, per core | %.0fx | >= 100x, F1 not lower | %s |\n", jt, yes(jt >= 100 && field(PQ["sapu"], "f1") >= field(PQ["justext"], "f1"))
    }
}' "$times" >"$table"

cat "$table"
if [[ $write == 1 ]]; then
    bench_md="$root/BENCHMARKS.md"
    grep -q '<!-- bench:begin -->' "$bench_md" && grep -q '<!-- bench:end -->' "$bench_md" || {
        echo "bench/run.sh: $bench_md has no <!-- bench:begin --> / <!-- bench:end --> markers" >&2
        exit 1
    }
    awk -v table="$table" '
        /<!-- bench:begin -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
        /<!-- bench:end -->/ { skip = 0 }
        !skip { print }' "$bench_md" >"$bench_md.tmp"
    mv "$bench_md.tmp" "$bench_md"
    log "tables rewritten in BENCHMARKS.md"
fi
