#!/usr/bin/env bash
# Builds the PyInstaller folder for this platform, smoke-tests the frozen program, and (with
# --nsis, where makensis exists) wraps it in a Windows installer.
#   bash installer/build.sh [--nsis]
# A Windows installer must wrap a Windows build: run this script on Windows (Git Bash) with NSIS,
# or copy the Windows dist/PartDesk folder here and run makensis (Debian: apt-get install nsis).
set -euo pipefail
cd "$(dirname "$0")/.."
make .venv/.partdesk-installed >/dev/null
PY=.venv/bin/python
[ -x "$PY" ] || PY=.venv/Scripts/python.exe
"$PY" -m pip install --quiet "pyinstaller>=6.6,<7"
"$PY" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
  installer/partdesk.spec
exe=dist/PartDesk/partdesk
[ -x "$exe" ] || exe=dist/PartDesk/partdesk.exe

# Smoke test of the frozen program: set up a site, verify it, print a list.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$exe" --version
PARTDESK_PASSWORD=smoke-test-password "$exe" --data-dir "$tmp/data" init --site-code SMK \
  --site-name "Smoke test" --admin admin >/dev/null
"$exe" --data-dir "$tmp/data" verify
echo "Frozen build OK: dist/PartDesk"

if [ "${1:-}" = "--nsis" ]; then
  version=$("$PY" -c "import desktop_app; print(desktop_app.__version__)")
  makensis -V2 -DVERSION="$version" -DDIST="../dist/PartDesk" installer/partdesk.nsi
  echo "Installer: dist/PartDesk-$version-setup.exe"
fi
