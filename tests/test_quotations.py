"""onrecord.attribute.quotations: where the quotations of a text are, found once per document and
shared by the attribute and resolve stages."""

import pytest
from hypothesis import given, settings, strategies as st

from onrecord import Settings, extract
from onrecord.attribute import quotations as quotations_module
from onrecord.attribute.quotations import quotations


def attributions(text: str, attributor: str = "auto"):
    return extract(text, settings=Settings(attributor=attributor)).attributions


# --- quotations (no spaCy) -------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("“Open curly, closed straight,\" he said.", ["“Open curly, closed straight,\""]),
    ("\"Open straight, closed curly,” she said.", ["\"Open straight, closed curly,”"]),
    # the opening marks of the next paragraphs do not close a straight quotation
    ("\"First part.\n\"Second part.\n\"Last part.\" Then", ["\"First part.\n\"Second part.\n\"Last part.\""]),
])
def test_quotations_mixed_marks(text, expected):
    assert [text[s:e] for s, e in quotations(text)] == expected


@given(st.text(alphabet="ab \n“”\"«»„,.", max_size=80))
def test_quotations_are_ordered_marked_spans(text):
    spans = quotations(text)
    assert spans == sorted(spans)
    for (s, e), nxt in zip(spans, spans[1:] + [(len(text) + 1, 0)]):
        assert s < e <= nxt[0]
        assert text[s] in "“\"«„" and text[e - 1] in "”\"»“"
        assert "\n\n" not in text[s:e]


# --- quotations: linear work on any text, found once per document ------------------------------------

_ALL_MARKS = "“”\"«»„‘’'"  # every quotation mark onrecord reads (rules, resolution, proposition)


def _spec_quotations(text: str) -> list[tuple[int, int]]:
    """The pairing as first written (a search from each opening mark): the reference for the linear one."""
    import re

    closers = {"“": "”\"", "\"": "\"”", "«": "»", "„": "“”"}
    spans, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch in closers and (ch != "\"" or i == 0 or not text[i - 1].isalnum()):
            pattern = re.compile("|".join(re.escape(c) if c != '"' else r'(?<=\S)"' for c in closers[ch]))
            m = pattern.search(text, i + 1, min(n, i + 5000))
            if m and text.find("\n\n", i + 1, m.start()) == -1:
                spans.append((i, m.start() + 1))
                i = m.start() + 1
                continue
        i += 1
    return spans


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALL_MARKS + "ab. \n", max_size=300))
def test_quotations_pair_marks_as_the_reference_does(text):
    assert quotations(text) == _spec_quotations(text)


def test_quotations_pair_far_marks_as_the_reference_does():
    text = "“" + "a" * 4_990 + "” then “" + "b" * 5_000 + "” and „x“ «y» \"z\"\n\n“w”"
    assert quotations(text) == _spec_quotations(text)


@pytest.mark.parametrize("mark", list(_ALL_MARKS) + ["“a ", "\"a\" ", "„“", "“\n\n", "« "])
def test_quotations_search_each_stretch_of_text_once(monkeypatch, mark):
    """Work is counted, not timed: the characters the mark searches pass over stay within a few
    times the text's length (searching from each opening mark passed over 5,000 per mark)."""
    scanned = 0

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, text, pos=0, endpos=None):
            nonlocal scanned
            m = self.pattern.search(text, pos, len(text) if endpos is None else endpos)
            scanned += (m.start() if m else len(text)) - pos
            return m

    monkeypatch.setattr(quotations_module, "_CLOSER_PATTERNS",
                        {k: Counting(p) for k, p in quotations_module._CLOSER_PATTERNS.items()})
    for n in (2_000, 8_000):
        text = mark * (n // len(mark))
        scanned = 0
        quotations(text)
        assert scanned <= 5 * len(text), (n, scanned)


def test_quotations_are_found_once_per_document(monkeypatch):
    """The rules, the filter, the committee, `quotes` and the resolve stage share one finding."""
    import sys

    from onrecord.attribute import committee, filter, quotes, rules  # noqa: F401 - patched below
    from onrecord.resolve import context  # noqa: F401 - patched below

    calls = []
    real = quotations_module.quotations

    def counted(text):
        calls.append(len(text))
        return real(text)

    # wherever a stage may call it
    for name in ("onrecord.attribute.quotations", "onrecord.attribute.rules", "onrecord.attribute.filter",
                 "onrecord.attribute.committee", "onrecord.attribute.quotes", "onrecord.resolve.context"):
        monkeypatch.setattr(sys.modules[name], "quotations", counted, raising=False)
    text = ("“The bridge is safe,” the mayor said on Monday.\n\n"
            "“We will reopen it next week.”\n\nCritics said that the repairs were rushed.")
    for attributor in ("rules", "fast", "auto"):
        calls.clear()
        assert attributions(text, attributor)
        assert calls == [len(text)], attributor


@pytest.mark.slow
def test_thousands_of_unclosed_curly_quotes_take_little_time():
    import time

    start = time.process_time()
    extract("“" * 33_000, settings=Settings(attributor="rules"))
    assert time.process_time() - start < 8  # 17 s of CPU before the pairing was made linear
