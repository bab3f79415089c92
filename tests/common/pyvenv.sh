# Sourced by the Python checks' run.sh: a virtualenv under $TMPDIR with PACKAGE
# installed from PyPI, its interpreter in $python. When pip cannot install it the
# check is skipped, saying so (exit 0).
# Usage: . tests/common/pyvenv.sh PACKAGE "the check's name"

venv="${TMPDIR:-/tmp}/paydeck-$1-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/pip" install -q "$1"; then
    echo "$2: skipped, pip could not install the $1 package"
    exit 0
fi
python="$venv/bin/python"
