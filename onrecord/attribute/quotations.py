"""Where the quotations of a text are, found once per document and shared.

A quotation runs from an opening mark (“ " « „) to a mark that closes it, within one
paragraph. The rules, the filter's features, `quotes` and the resolve stage (which
pronouns a quotation hides) all read the same spans: `doc_quotations`. The helpers
below look quotations up around a cue in the sorted list.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right

from spacy.tokens import Doc

from ..nlp import doc_index
from .candidates import Offsets

len_max = sys.maxsize  # sorts after any end offset in bisections over (start, end) pairs
_OPEN = "“\"«„"
# Each opening mark with the marks that close it: pages mix curly and straight quotes
# ("“..." closed by a straight mark and vice versa), so both close either.
_CLOSE = {"“": "”\"", "\"": "\"”", "«": "»", "„": "“”"}
# a straight mark closes only after a non-space, so the opening marks of following paragraphs don't
_CLOSERS = {mark: re.compile("|".join(re.escape(c) if c != '"' else r'(?<=\S)"' for c in closers))
            for mark, closers in _CLOSE.items()}
# The closing marks as patterns of their own, each searched forward once (see `quotations`);
# "\n\n" ends a paragraph, which a quotation does not cross.
_CLOSER_PATTERNS = {"”": re.compile("”"), "\"": re.compile(r'(?<=\S)"'), "»": re.compile("»"), "“": re.compile("“"),
                    "\n\n": re.compile("\n\n")}
_OPENING_MARK = re.compile("[" + re.escape(_OPEN) + "]")
_MAX_QUOTATION = 5000


def quotations(text: str) -> list[Offsets]:
    """(start, end) of each quotation, marks included; a quotation stays within a paragraph.

    A straight mark closes only after a non-space ("...now," he said), so that the
    opening marks of a quotation's following paragraphs ("...\n"More...") don't close it.

    Linear time on any text: the next mark of each kind is found once and kept until the
    opening marks pass it, so no stretch of text is searched twice for the same mark
    (searching from each opening mark took 17 s for 33,000 unclosed “).
    """
    spans: list[Offsets] = []
    n = len(text)
    following: dict[str, int] = {}  # each kind of mark: its next position (n: none left)

    def next_at(kind: str, pos: int) -> int:
        at = following.get(kind, -1)
        if at < pos:
            m = _CLOSER_PATTERNS[kind].search(text, pos)
            at = following[kind] = m.start() if m else n
        return at

    resume = 0  # past the last quotation found
    for m in _OPENING_MARK.finditer(text):
        i = m.start()
        ch = text[i]
        if i < resume or (ch == "\"" and i and text[i - 1].isalnum()):
            continue
        j = min(next_at(closer, i + 1) for closer in _CLOSE[ch])
        if j < min(n, i + _MAX_QUOTATION) and next_at("\n\n", i + 1) + 2 > j:
            spans.append((i, j + 1))
            resume = j + 1
    return spans


def doc_quotations(doc: Doc) -> list[Offsets]:
    """`quotations` of the doc's text, found once per document (cached in ``doc.user_data``)
    and shared by the rules, the filter's features, `quotes` and the resolve stage."""
    cached = doc.user_data.get("onrecord_quotations")
    if not isinstance(cached, list):
        cached = doc.user_data["onrecord_quotations"] = quotations(doc_index(doc).text)
    return cached


def closing_mark(text: str, start: int, end: int) -> int:
    """Index of the mark in text[start + 1:end] that closes the quotation opened at ``start``, or -1."""
    pattern = _CLOSERS.get(text[start])
    m = pattern.search(text, start + 1, end) if pattern else None
    return m.start() if m else -1


def quote_at(quotes: list[Offsets], start: int, end: int) -> Offsets | None:
    """The quotation in ``quotes`` (sorted, as `quotations` gives them) that holds [start, end), or None."""
    # quotations do not overlap and are sorted: the candidate is the last one starting at or before
    i = bisect_right(quotes, (start, len_max)) - 1
    if i >= 0 and quotes[i][0] <= start and end <= quotes[i][1]:
        return quotes[i]
    return None


def _near(quotes: list[Offsets], left: int, right: int, reach: int = 10) -> list[Offsets]:
    """The quotations that end or start within ``reach`` characters of [left, right)."""
    lo = max(0, bisect_right(quotes, (left - 6000, 0)) - 1)
    hi = bisect_right(quotes, (right + reach, len_max))
    return [q for q in quotes[lo:hi] if q[1] >= left - reach or q[0] >= right]


def adjacent_quotes(text: str, quotes: list[Offsets], left: int, right: int) -> list[Offsets]:
    """Quotations that touch the stretch [left, right) with only ``,:`` and spaces between."""
    found = []
    for q in _near(quotes, left, right):
        if q[1] <= left and not text[q[1]:left].strip(" ,:\t"):
            found.append(q)
        elif q[0] >= right and not text[right:q[0]].strip(" ,:\t"):
            found.append(q)
    return found


def continued_quotes(text: str, quotes: list[Offsets], after: int) -> list[Offsets]:
    """Quotations that carry on right after ``X said.`` in the same paragraph."""
    more: list[Offsets] = []
    rest = text[after:after + 3]
    if not rest.startswith((".", ",", ";")) and not rest[:1].isspace():
        return more
    position = after
    for q in quotes[bisect_right(quotes, (after, 0)):]:
        if q[0] < position:
            continue
        gap = text[position:q[0]]
        if gap.strip(" .,;:\t") or "\n\n" in gap or "\n" in gap.strip(" .,;:\t"):
            break
        more.append(q)
        position = q[1]
    return more
