#!/usr/bin/env bash
# Quality of the peers (datatrove's C4QualityFilter, jusText) next to sapu's:
# line by line on the labelled training pages (shared/train) and on the
# development snippets (shared/eval/dev). Installs the peers into bench/.venv
# with pip as bench/run.sh does (bench/peers-venv.sh); prints Markdown tables
# (the ones in EVALUATION.md, "Peers on the training pages").
#
#   bench/eval_peers.sh                      # 2 to 4 minutes on 2 cores
#   bench/eval_peers.sh --shared /work/shared --json bench/out/peers-eval.json
#   bench/eval_peers.sh --limit 50           # the first 50 training pages only
#
# Options: --shared DIR (default: ../shared beside the checkout), --workers N
# (peer processes, default 2), --json FILE (every count), --no-sapu (no sapu
# column: no cargo needed), --limit N, --no-dev (training pages only).
# sapu's column comes from `sapu eval` of the release binary, built here with
# cargo unless --no-sapu; it is marked with the checkout's commit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
shared="$root/../shared" workers=2 json="" sapu=1 limit="" dev=1
while [[ $# -gt 0 ]]; do
    case $1 in
    --shared) shared=$2; shift ;;
    --workers) workers=$2; shift ;;
    --json) json=$2; shift ;;
    --no-sapu) sapu=0 ;;
    --no-dev) dev=0 ;;
    --limit) limit=$2; shift ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench/eval_peers.sh: unknown option '$1' (see bench/eval_peers.sh --help)" >&2; exit 2 ;;
    esac
    shift
done
train="$shared/train"
devset="$shared/eval/dev"
[[ -d $train ]] || { echo "bench/eval_peers.sh: no training pages in $train (give --shared DIR)" >&2; exit 2; }
[[ $dev == 0 || -d $devset/raw ]] || { echo "bench/eval_peers.sh: no development set in $devset (give --shared DIR or --no-dev)" >&2; exit 2; }
if [[ $sapu == 1 ]] && ! command -v cargo >/dev/null; then
    echo "bench/eval_peers.sh: no cargo, so no sapu column (--no-sapu to say so)" >&2
    sapu=0
fi

python=$("$root/bench/peers-venv.sh")
out="$root/bench/out"
mkdir -p "$out"
datasets=()
for d in "$train"/*/; do
    [[ -n $(find "$d" -mindepth 2 -maxdepth 2 -name input.txt -print -quit) ]] && datasets+=("${d%/}")
done

args=(--train "$train" --workers "$workers")
[[ $dev == 1 ]] && args+=(--dev "$devset")
[[ -n $limit ]] && args+=(--limit "$limit")
[[ -n $json ]] && args+=(--json "$json")
if [[ $sapu == 1 ]]; then
    cargo build --release --quiet --bin sapu
    rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && rev="$rev+changes"
    RAYON_NUM_THREADS="$workers" target/release/sapu eval "${datasets[@]}" --json "$out/sapu-train.json" >/dev/null
    args+=(--sapu-train "$out/sapu-train.json" --sapu-rev "$rev")
    if [[ $dev == 1 ]]; then
        RAYON_NUM_THREADS="$workers" target/release/sapu eval "$devset/raw" "$devset/expect" --json "$out/sapu-dev.json" >/dev/null
        args+=(--sapu-dev "$out/sapu-dev.json")
    fi
fi
exec "$python" "$root/bench/peers_eval.py" "${args[@]}"
