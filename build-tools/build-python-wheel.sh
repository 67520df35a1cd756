#!/usr/bin/env bash
# Builds the Python wheel from the code jsii-pacmak generated (`--code-only`) into
# dist/python. The local PyPI mirror lacks the setuptools version pacmak's pyproject
# pins, so build without isolation against the installed setuptools and wheel.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import build, wheel, setuptools' 2>/dev/null; then
  # --retries 0: the default index is unreachable here; pip falls through to the configured mirror.
  python3 -m pip install --quiet --retries 0 build wheel
fi

src=dist/python
out=dist/python-wheel
rm -rf "$out"
python3 -m build --wheel --no-isolation --skip-dependency-check --outdir "$out" "$src"
# Keep only the wheel beside the generated sources, where `package-all` users expect it.
mv "$out"/*.whl "$src"/
rm -rf "$out" "$src"/build "$src"/src/*.egg-info
ls -1 "$src"/*.whl
