"""Reasons a reviewer may give when sending a year back (退回), as reviewers word them
(docs/domain.md §5). The indicator-quality findings map onto the first seven."""

from __future__ import annotations

from indicators.quality import INDICATOR_REASONS

SEND_BACK_REASONS: tuple[str, ...] = INDICATOR_REASONS
