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
# The names Word/WPS files use (仿宋, 楷体, 黑体, 宋体, 方正小标宋简体) mapped to these faces, so the
# report's .docx opens (LibreOffice) and converts on Linux set like the PDF.
ALIASES_SOURCE="$(cd "$(dirname "$0")" && pwd)/fontconfig/64-perfeval-official-faces.conf"
ALIASES_TARGET=/etc/fonts/conf.d/64-perfeval-official-faces.conf

install_aliases() {
  cmp -s "$ALIASES_SOURCE" "$ALIASES_TARGET" 2>/dev/null && return 0
  if [ -w /etc/fonts/conf.d ]; then
    install -m 0644 "$ALIASES_SOURCE" "$ALIASES_TARGET"
    command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null || true
  else
    echo "未安装字体别名（需 root）：$ALIASES_TARGET  (font aliases for the Word file need root)" >&2
  fi
}
SOURCE=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
LICENCE=./usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz

have_all() {
  for face in "${FACES[@]}"; do [ -s "$TARGET/$face" ] || return 1; done
}
have_all && { install_aliases; exit 0; }

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
install_aliases
exit 0
