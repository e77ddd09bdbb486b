#!/usr/bin/env bash
# The Python package's tests: a virtual environment with pinned packages
# from PyPI (python/.venv), the wheel built by maturin, `pip install` of the
# wheel into a fresh environment, then pytest.
#
#   python/test.sh [PYTEST ARGS]  everything (arguments go to pytest)
#   python/test.sh env            only create or update python/.venv (.ci/run
#                                 starts this in the background while Rust builds)
#
# Downloads are cached inside the venv (python/.venv/pip-cache); nothing is
# installed outside python/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
export PIP_CACHE_DIR="$venv/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1

make_env() {
    local stamp="$venv/.installed"
    local want
    want="$(cat "$here/requirements-test.txt" "$here/requirements-ray.txt")"
    if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        echo "python/test.sh: $venv is up to date"
        return
    fi
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$here/requirements-test.txt"
    # Ray is optional: its test skips itself when the import fails.
    if ! "$venv/bin/pip" install --quiet -r "$here/requirements-ray.txt"; then
        echo "python/test.sh: ray[data] did not install; its test will be skipped" >&2
    fi
    printf '%s' "$want" >"$stamp"
}

if [ "${1:-}" = env ]; then
    make_env
    exit 0
fi
make_env

repo="$(dirname "$here")"
# The CLI the tests compare with (the debug build `cargo test` leaves).
if [ -z "${SAPU_BIN:-}" ]; then
    (cd "$repo" && cargo build --quiet --bin sapu)
    export SAPU_BIN="$repo/target/debug/sapu"
fi

# The wheel, as users get it.
rm -rf "$here/dist"
(cd "$here" && "$venv/bin/maturin" build --quiet --release -o "$here/dist")
wheel="$(ls "$here"/dist/sapu-*.whl)"

# `pip install` of the wheel works in a fresh environment, with nothing
# else installed and no index.
fresh="$here/.venv-fresh"
rm -rf "$fresh"
"$python" -m venv "$fresh"
"$fresh/bin/pip" install --quiet --no-index "$wheel"
(cd /tmp && "$fresh/bin/python" - <<'PY'
import pickle
import sapu

cleaner = sapu.Cleaner()
text = "Pemerintah mengumumkan kebijakan baru hari ini untuk semua warga negara.\n\nBaca Juga: Lain\n"
assert cleaner.clean(text) == text.split("\n")[0], cleaner.clean(text)
assert pickle.loads(pickle.dumps(cleaner)).clean_batch([text]) == [cleaner.clean(text)]
print(f"python/test.sh: fresh venv: sapu {sapu.__version__} installs and cleans ({len(cleaner.rule_ids())} rules)")
PY
)
rm -rf "$fresh"

"$venv/bin/pip" install --quiet --force-reinstall --no-deps --no-index "$wheel"
# From tests/, so that `import sapu` is the installed wheel, not python/sapu/.
cd "$here/tests"
# A bound, so that an engine that hangs (a Ray pool waiting for CPUs, a
# Spark session) fails the run instead of holding CI.
exec timeout 1500 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
