#!/usr/bin/env bash
# The Python package's tests: a virtual environment with pinned packages
# from PyPI (python/.venv), the wheel built by maturin, `pip install` of the
# wheel into a fresh environment, then pytest.
#
#   python/test.sh        everything
#   python/test.sh env    only create or update python/.venv (.ci/run starts
#                         this in the background while Rust builds)
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

if [ "${1:-all}" = env ]; then
    make_env
    exit 0
fi
make_env
