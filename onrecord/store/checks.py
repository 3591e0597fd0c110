"""What the store accepts: every string field of an article checked before the database sees it.

PostgreSQL refuses NUL bytes, and a lone surrogate is not Unicode text (it cannot be
encoded, and crashes the parser); both stores refuse them alike, with the field named.
"""

from __future__ import annotations

import re

from ..models import Article

# longest accepted value of each metadata field (characters): anything longer is not metadata
MAX_CHARS = {"id": 500, "title": 2_000, "published": 64, "outlet": 500, "url": 4_000, "text": 50_000_000}
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_article(article: Article) -> str | None:
    """Why an article cannot be stored, or None: a field that is not a string, too long,
    with a NUL byte, a lone surrogate (not Unicode text) or, outside the text, control characters."""
    for name, limit in MAX_CHARS.items():
        value = getattr(article, name)
        if value is None and name not in ("id", "text"):
            continue
        if not isinstance(value, str):
            return f"{name}: not a string ({type(value).__name__})"
        if name == "id" and not value.strip():
            return "id: empty"
        if len(value) > limit:
            return f"{name}: {len(value):,} characters (at most {limit:,})"
        if "\x00" in value:
            return f"{name}: contains a NUL character"
        if _SURROGATE.search(value):
            return f"{name}: contains a lone surrogate (not Unicode text)"
        if name != "text" and _CONTROL.search(value):
            return f"{name}: contains control characters"
    return None


def check_attributions(article: Article) -> str | None:
    """Why an article's attributions cannot be stored (strings the extraction derived), or None."""
    for n, a in enumerate(article.attributions):
        strings = [a.cue.text, a.kind, a.stance, a.statement_date, a.speaker.name, a.speaker.type, a.speaker.role,
                   a.speaker.description, a.speaker.resolved_from, a.source.text if a.source else None,
                   *(c.text for c in a.content)]
        for value in strings:
            if value is not None and ("\x00" in value or _SURROGATE.search(value)):
                return f"attribution {n}: a NUL character or a lone surrogate"
    return None
