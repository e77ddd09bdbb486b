#!/usr/bin/env bash
# sapu's HTML reports in a real browser. Builds the three kinds of report
# (the shipped examples cleaned, two rule sets compared, golden cases with
# one broken on purpose in a copy), a report of documents full of markup
# and one of a generated corpus larger than its sample, then loads each in headless Chromium (tests/browser/check_reports.py, over
# the DevTools protocol; Python's standard library only) and checks what a
# reader sees. Screenshots go to target/browser/.
#
#   tests/browser/run.sh            # the checks (.ci/run runs this)
#   tests/browser/run.sh --readme   # also rewrite docs/report.png
#
# Chromium is the Debian package `chromium`, installed with apt-get when
# /usr/bin/chromium is missing and this runs as root; CHROMIUM=PATH names
# another binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
chromium=${CHROMIUM:-/usr/bin/chromium}
readme=()
if [[ ${1:-} == --readme ]]; then
    mkdir -p "$root/docs"
    readme=(--readme "$root/docs/report.png")
fi

if [[ ! -x $chromium ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "tests/browser: installing chromium with apt-get" >&2
        apt-get install -y -qq chromium >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
    else
        echo "tests/browser: needs $chromium (apt-get install chromium, or CHROMIUM=PATH)" >&2
        exit 2
    fi
fi

cargo build --quiet --bin sapu
sapu="$root/target/debug/sapu"
out="$root/target/browser"
rm -rf "$out"
mkdir -p "$out"

# The shipped examples, with the --explain records the test compares with.
"$sapu" clean -q examples/news -o "$out/clean-news" \
    --explain "$out/news.explain.jsonl" --report "$out/news.html"

# Documents whose name and text are full of markup.
mkdir -p "$out/hostile"
line='Baca Juga: </script><script>window.pwned = 1</script> <img src=x onerror="window.pwned=2"> & "quotes" & <b>bold</b>'
printf '%s\n' "$line" >"$out/hostile-line.txt"
{
    printf 'Judul <b>berita</b> & "kutipan" hari ini\n\n'
    printf 'Pemerintah mengumumkan kebijakan baru hari ini untuk semua warga negara di seluruh wilayah.\n\n'
    printf '%s\n\n' "$line"
    printf 'Kebijakan itu mulai berlaku bulan depan dan akan ditinjau kembali setiap tahun oleh pemerintah.\n'
} >"$out/hostile/<script>alert(1)<script> & \"x\" <img src=x onerror=alert(2)>.txt"
# A document that loses most of its text, to be flagged.
cp golden/flag-heavy-removal-still-cleans/input.txt "$out/hostile/heavy.txt"
"$sapu" clean -q "$out/hostile" -o "$out/hostile-clean" --report "$out/hostile.html"

# A run larger than its sample: 2 MB of generated JSONL, 40 documents shown.
cargo build --quiet --example gen_corpus
"$root/target/debug/examples/gen_corpus" --out "$out/corpus" --mb 2 --seed 1 >/dev/null
"$sapu" clean -q "$out/corpus/corpus.jsonl" -o "$out/corpus-clean.jsonl" \
    --report "$out/sampled.html" --report-sample 40

# Two rule sets: the new one lacks the caption rules and has one rule more.
cp -r rules "$out/rules-old"
cp -r rules "$out/rules-new"
rm "$out/rules-new/captions.toml"
cat >"$out/rules-new/site.toml" <<'TOML'
[[rule]]
id = "site.kabul"
kind = "line"
description = "Lines naming Kabul (a rule of the browser test)."
contains = ["Kabul"]
max_chars = 400
keep_sentences = false
examples.drop = ["Berita dari Kabul"]
examples.keep = ["Berita dari Jakarta"]
TOML
status=0
"$sapu" diff-rules -q "$out/rules-old" "$out/rules-new" examples/news --report "$out/diff.html" || status=$?
[[ $status == 1 ]] || { echo "tests/browser: diff-rules exited $status, not 1" >&2; exit 1; }

# Golden cases, one broken: its expected text keeps a promo line.
# -L: golden/zones/rules.toml is a link to rules/extra/zones.toml.
cp -rL golden "$out/golden"
python3 - "$out/golden/seed-004-idntimes/expected.txt" <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
promo = "Baca Juga: Rusia Serang Mal di Ukraina saat Jam Ramai, 13 Warga Sipil Tewas"
open(p, "w").write(t.replace("\n\n1. Rusia coba", f"\n\n{promo}\n\n1. Rusia coba", 1))
PY
status=0
"$sapu" check "$out/golden" --report "$out/check.html" >/dev/null || status=$?
[[ $status == 1 ]] || { echo "tests/browser: check exited $status, not 1" >&2; exit 1; }

CHROMIUM="$chromium" timeout 300 python3 tests/browser/check_reports.py "$out" "${readme[@]}"
