#!/usr/bin/env bash
# Make sure Debian packages are installed: install them when root (or with passwordless sudo),
# otherwise stop with one line that says what to install.
# Usage: scripts/system-deps.sh PACKAGE...
set -euo pipefail

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "缺少系统软件包，请先以 root 安装：apt-get install -y ${missing[*]}  (missing system packages: ${missing[*]})" >&2
  exit 1
fi

echo "安装系统软件包：${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
