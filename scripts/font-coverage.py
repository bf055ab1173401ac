#!/usr/bin/env python3
"""How much of GB 2312 does a font cover? Prints, for each face in each file, how many of the
6,763 hanzi and of the 682 symbols (rows 1–9) it maps, and its number of glyphs.

    .venv/bin/python scripts/font-coverage.py /usr/local/share/fonts/fandol/*.otf

Used to choose the report's faces (README, "Report fonts"); needs fontTools (a WeasyPrint
dependency, so it is in the project's virtualenv).
"""

from __future__ import annotations

import sys

from fontTools.ttLib import TTCollection, TTFont


def gb2312(rows: range) -> list[str]:
    chars = []
    for high in rows:
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def main(paths: list[str]) -> None:
    hanzi, symbols = gb2312(range(0xB0, 0xF8)), gb2312(range(0xA1, 0xAA))
    print(f"GB 2312: {len(hanzi)} hanzi, {len(symbols)} symbols")
    for path in paths:
        faces = TTCollection(path).fonts if path.lower().endswith(".ttc") else [TTFont(path, lazy=True)]
        for face in faces:
            cmap = face.getBestCmap()
            covered = sum(ord(c) in cmap for c in hanzi)
            signs = sum(ord(c) in cmap for c in symbols)
            name = face["name"].getDebugName(4)
            print(f"{covered:5d} hanzi {signs:4d} symbols {face['maxp'].numGlyphs:6d} glyphs  {name}  ({path})")


if __name__ == "__main__":
    main(sys.argv[1:])
