#!/usr/bin/env bash
# Install what peerkit needs on a Debian or Ubuntu machine, then peerkit itself into .venv/.
#   scripts/setup.sh        system packages for building, then peerkit
#   scripts/setup.sh test   also what the tests need (Chromium, qpdf, the test extra)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core gettext poppler-utils)
extra="."
if [ "${1:-}" = "test" ]; then
  packages+=(qpdf chromium)
  extra=".[test]"
fi

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    as_root=""
    [ "$(id -u)" -eq 0 ] || as_root="sudo"
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  echo "No apt-get here: install these system packages yourself: ${packages[*]}" >&2
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e "$extra"
