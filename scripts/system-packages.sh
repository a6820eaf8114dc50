#!/usr/bin/env bash
# System packages the desk needs on Debian 12 / Ubuntu (UOS and Kylin are Debian-based too).
#   --test  also what the test suite needs (a throwaway PostgreSQL server, poppler's pdf tools)
set -euo pipefail

packages=(
  python3 python3-venv python3-pip
  # Qt's xcb/offscreen platforms
  libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
  libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xinerama0
  # CUPS client so the print dialog lists the printers, and lp to hand it the PDF itself
  libcups2 cups-client
  # CJK TrueType fonts: without them the desk shows boxes and documents cannot embed a face
  fonts-lxgw-wenkai fonts-babelstone-han fonts-wqy-zenhei fonts-arphic-uming
  poppler-utils
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(xvfb xauth postgresql zbar-tools cups-daemon)  # cupsd: a private print server for the print tests
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "安装系统软件包: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) != 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
