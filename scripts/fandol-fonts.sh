#!/usr/bin/env bash
# Install the Fandol 仿宋 and 楷体 faces (FandolFang, FandolKai; GPL v3 with the font exception,
# free to embed and redistribute) for the report PDF, without installing TeX.
#
# Debian ships Fandol only inside texlive-lang-chinese, whose dependencies (texlive-base,
# texlive-binaries, …) come to ~270 MB installed. This takes Debian's own package through apt
# (`apt-get download`: the file is checked against the signed archive index), unpacks just the
# two faces and their licence into /usr/local/share/fonts/fandol (≈15 MB, on fontconfig's
# default path) and refreshes the font cache. Nothing is registered with dpkg; remove the folder
# to undo. Usage: scripts/fandol-fonts.sh [TARGET_DIR]
set -euo pipefail

TARGET=${1:-/usr/local/share/fonts/fandol}
FACES=(FandolFang-Regular.otf FandolKai-Regular.otf)
SOURCE=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
LICENCE=./usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz

have_all() {
  for face in "${FACES[@]}"; do [ -s "$TARGET/$face" ] || return 1; done
}
have_all && exit 0

if [ "$(id -u)" -ne 0 ] && [ ! -w "$(dirname "$TARGET")" ]; then
  echo "缺少仿宋、楷体字体，请先以 root 运行 scripts/fandol-fonts.sh  (missing the Fandol fonts: run scripts/fandol-fonts.sh as root)" >&2
  exit 1
fi

echo "安装仿宋、楷体字体（Fandol，取自 Debian 的 texlive-lang-chinese 软件包）"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download drops privileges to _apt: give it a folder it may write.
chmod 0777 "$work"
(cd "$work" && apt-get download -q texlive-lang-chinese >/dev/null 2>&1) || {
  apt-get update -q >/dev/null
  (cd "$work" && apt-get download -q texlive-lang-chinese >/dev/null)
}
deb=$(find "$work" -maxdepth 1 -name 'texlive-lang-chinese_*.deb' | head -1)
members=("${FACES[@]/#/$SOURCE/}" "$LICENCE")
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" "${members[@]}"
mkdir -p "$TARGET"
install -m 0644 "${members[@]/#/$work/}" "$TARGET/"
have_all
command -v fc-cache >/dev/null 2>&1 && fc-cache -f "$TARGET" >/dev/null
exit 0
