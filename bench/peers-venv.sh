#!/usr/bin/env bash
# Installs the peers of the benchmark and of the evaluation (datatrove's
# C4QualityFilter, jusText) with pip into bench/.venv, unless they are
# there already, and prints the venv's python. Used by bench/run.sh and
# bench/eval_peers.sh; needs only python3 (with venv and pip).
#
#   py=$(bench/peers-venv.sh)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/bench/.venv"
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import datatrove, justext, lxml_html_clean, orjson, regex, spacy' 2>/dev/null; then
    printf '[bench %s] installing the peers into %s\n' "$(date -u +%H:%M:%S)" "$venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        datatrove==0.10.1 justext==3.0.2 lxml_html_clean orjson regex spacy >&2
fi
echo "$venv/bin/python"
