#!/usr/bin/env bash
# Installs the Debian packages the system needs, only those missing, so running it again
# costs nothing. Chromium drives the browser tests; gettext compiles the translations;
# Liberation Serif 2 and Tinos are Times New Roman-metric fonts with full Vietnamese coverage
# (the old fonts-liberation lacks ơ, ư and stacked marks). LibreOffice Writer (headless)
# turns the DOCX documents into PDF; poppler-utils (pdftotext, pdffonts, pdftoppm) lets the
# tests read those PDFs and renders the review PNGs.
set -euo pipefail

packages=(gettext chromium fonts-liberation2 fonts-croscore python3-venv
  libreoffice-writer-nogui poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
