"""One URL name for many rows: reversed once, then filled in per row.

A list page links each row to a few pages of its unit-year; ``reverse`` matches the URL pattern
again for every call (about 20 µs each, 150 calls on a 50-row 我的工作). ``url_filler(name,
"slug", "int")`` reverses the name once with stand-in arguments and returns a function that puts
each row's arguments in their place — the same string ``reverse(name, args=[…])`` returns for
every argument the converters accept; any other argument goes through ``reverse`` itself (which
refuses it as it always did). Build the filler per request: the script prefix is the request's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.urls import reverse

# What the path converters accept (django.urls.converters): a value matching its pattern is
# written into the URL as it is (slugs and digits need no quoting).
_ACCEPTS = {"slug": re.compile(r"[-a-zA-Z0-9_]+"), "int": re.compile(r"[0-9]+")}
_STAND_IN = {"slug": "zq{}standinqz", "int": "98765432{}"}


def url_filler(name: str, *converters: str) -> Callable[..., str]:
    """``fill(*args) == reverse(name, args=args)`` for args of the given converters, in order."""
    stand_ins = [_STAND_IN[kind].format(i) for i, kind in enumerate(converters)]
    reversed_ = reverse(name, args=stand_ins)
    pieces: list[str] = []
    rest = reversed_
    for stand_in in stand_ins:
        head, found, rest = rest.partition(stand_in)
        if not found:  # an argument not written into the path: let reverse handle every call
            return lambda *args: reverse(name, args=args)
        pieces.append(head)
    pieces.append(rest)
    checks = [(_ACCEPTS[kind].fullmatch, piece) for kind, piece in zip(converters, pieces[1:], strict=True)]
    head = pieces[0]

    def fill(*args: Any) -> str:
        if len(args) != len(checks):
            return reverse(name, args=args)
        out = head
        for arg, (accepts, piece) in zip(args, checks, strict=True):
            value = str(arg)
            if accepts(value) is None:
                return reverse(name, args=args)
            out += value + piece
        return out

    return fill
