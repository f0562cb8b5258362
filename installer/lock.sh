#!/usr/bin/env bash
# Regenerates installer/requirements.lock, the pinned versions with hashes that the installer
# builds install (`pip install --require-hashes`): pyproject.toml's dependencies, the PostgreSQL
# driver (`postgres` extra, frozen into plant builds only) and PyInstaller, each pinned with the
# SHA-256 of every file PyPI has for that version. One file serves Linux and Windows: uv resolves
# for every platform at once, so Windows-only packages (pefile, pywin32-ctypes, tzdata) are in it
# with their markers, which pip-compile, resolving for this machine only, would leave out.
#   bash installer/lock.sh             # after a change to pyproject.toml's dependencies: keeps
#                                      # every pin that still fits
#   bash installer/lock.sh --upgrade   # newest releases within pyproject.toml's ranges
#   bash installer/lock.sh --upgrade-package reportlab
# tests/installer checks that the lock covers pyproject.toml and pins PySide6 below 6.12.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
venv=build/lock-venv
if [ ! -x "$venv/bin/uv" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet "uv==$UV_VERSION"
fi
"$venv/bin/uv" pip compile pyproject.toml installer/requirements-build.in \
  --extra postgres --universal --python-version 3.11 --generate-hashes \
  --custom-compile-command "bash installer/lock.sh" \
  --output-file installer/requirements.lock "$@"
