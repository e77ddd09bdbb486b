#!/usr/bin/env bash
# The one command that makes models/default.json, the embedded model of
# generic.model, from the training package beside the project
# (../shared/train, see its README and LICENSES):
#
#   models/train.sh            # train and check the result is models/default.json, byte for byte
#   models/train.sh --write    # train and write models/default.json (after a change of rules or features)
#
# Training is deterministic (same cases, rules and settings give the same
# file on any number of threads), so CI runs the check whenever the package
# is present; without it the check is skipped. A rule or feature change
# that moves the model shows up here: retrain with --write and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
write=0
case ${1:-} in
--write) write=1 ;;
"") ;;
*) echo "models/train.sh: unknown option '$1' (see the comment at its top)" >&2; exit 2 ;;
esac
if [[ ! -d ../shared/train ]]; then
    echo "models/train.sh: ../shared/train not found; the check is skipped"
    exit 0
fi
cargo build --release --quiet
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The paths are recorded in the file: keep them exactly as they are.
target/release/sapu train ../shared/train/wcxb-dev ../shared/train/scrapinghub ../shared/train/fundus -o "$out"
if [[ $write == 1 ]]; then
    cp "$out" models/default.json
    echo "models/train.sh: wrote models/default.json"
elif cmp -s "$out" models/default.json; then
    echo "models/train.sh: models/default.json is reproduced byte for byte"
else
    echo "models/train.sh: training gives a different file than models/default.json;" >&2
    echo "  if the rules or features changed on purpose, run models/train.sh --write and commit it" >&2
    exit 1
fi
