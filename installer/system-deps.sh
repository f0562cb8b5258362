#!/usr/bin/env bash
# Makes sure Qt's system libraries are present on Debian/Ubuntu.
# Usage: system-deps.sh offscreen|gui|build
#   gui adds what a real X display or Xvfb needs; build (installer/build.sh) adds to that makensis,
#   which compile-checks the Windows installer script, and binutils for PyInstaller. The tests
#   (offscreen) install makensis too, so the installer script is compile-checked by `make test`.
set -euo pipefail
mode="${1:-gui}"
pkgs=(libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0 poppler-utils
      fonts-dejavu-core)
if [ "$mode" = offscreen ]; then
  pkgs+=(postgresql    # the tests prove the storage layer on PostgreSQL too
         zbar-tools    # zbarimg reads printed certificate QR codes back in the tests
         nsis)         # makensis compile-checks installer/partdesk.nsi in tests/installer
fi
if [ "$mode" = build ]; then
  pkgs+=(nsis binutils)  # and the display's libraries below, so the Linux build carries them
fi
if [ "$mode" = gui ] || [ "$mode" = build ]; then
  pkgs+=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
         libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
fi
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian: nothing to check
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing Qt's system libraries: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "PartDesk needs these system libraries. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
