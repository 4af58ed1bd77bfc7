#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those that are missing.
#   scripts/system-deps.sh site   graphviz, fonts and the libraries WeasyPrint uses
#   scripts/system-deps.sh test   the above, plus what the tests use to look at the output
#                                 (and nodejs/npm, for axe-core, when npm is missing)
# Checking costs a few milliseconds when everything is present.
set -euo pipefail

site=(graphviz fonts-liberation2 fonts-dejavu-core fonts-noto-color-emoji libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
test=(poppler-utils chromium chromium-driver libreoffice-calc-nogui libreoffice-writer-nogui)

case "${1:-site}" in
  site) wanted=("${site[@]}") ;;
  test) wanted=("${site[@]}" "${test[@]}") ;;
  *) echo "pemakaian: $0 site|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# The tests install axe-core with npm (tests/axe/package-lock.json): Debian's nodejs and npm
# unless an npm is already on the PATH (for instance a Node.js installed outside Debian).
if [ "${1:-site}" = test ] && ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Paket sistem belum terpasang: ${missing[*]} (apt-get tidak tersedia; pasang secara manual)." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Paket sistem belum terpasang: ${missing[*]}; jalankan sebagai root atau pasang sudo." >&2
    exit 1
  fi
fi
echo "Memasang paket Debian: ${missing[*]}"
# Another make run may be installing too: wait for the package lock instead of failing.
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
