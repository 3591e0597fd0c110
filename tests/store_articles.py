"""Hand-built extracted articles for the store tests (no spaCy needed)."""

from __future__ import annotations

from onrecord.models import Article, Attribution, Span, Speaker


def make_article(id: str, sentences: list[tuple[str | None, str, str, str, str]], *, published: str | None = None,
                 outlet: str | None = None, title: str | None = None) -> Article:
    """``sentences``: (speaker name or description, type, cue, stance, content) -> text and attributions."""
    text, attributions = "", []
    for name, type_, cue, stance, content in sentences:
        start = len(text)
        source = name or "someone"
        sentence = f"{source} {cue} that {content}. "
        text += sentence
        cue_start = start + len(source) + 1
        content_start = cue_start + len(cue) + len(" that ")
        speaker = (Speaker(type=type_, description=name) if type_ == "anonymous"
                   else Speaker(name=name, type=type_))
        attributions.append(Attribution(
            cue=Span.of(text, cue_start, cue_start + len(cue)),
            content=(Span.of(text, content_start, content_start + len(content)),),
            source=Span.of(text, start, start + len(source)),
            stance=stance, speaker=speaker))
    return Article(id=id, text=text, title=title or id, published=published, outlet=outlet,
                   attributions=tuple(attributions))


def corpus() -> list[Article]:
    return [
        make_article("kyiv-1", [
            ("Russian President Vladimir Putin", "person", "said", "assert",
             "Russia would wait for Ukraine to agree to talks"),
            ("a government source", "anonymous", "said", "assert", "partners are not pushing Kyiv to negotiate"),
            ("Putin", "person", "complained", "assert", "Ukraine did not want peace talks"),
        ], published="2022-11-09T11:00", outlet="Ukrainska Pravda"),
        make_article("moscow-2", [
            ("Putin", "person", "said", "assert", "the special operation is going to plan"),
            ("Dmitry Peskov", "person", "denied", "deny", "the Kremlin had ordered a new mobilisation"),
            ("government sources", "anonymous", "said", "assert", "a new mobilisation was being prepared"),
        ], published="2022-11-10", outlet="Meduza"),
        make_article("wire-3", [
            ("Vladimir Putin", "person", "said", "assert", "Russia has no plans for a new mobilisation"),
            ("U.S. media", "media", "wrote", "assert", "Washington urged Kyiv to signal openness to talks"),
            ("a government source", "anonymous", "said", "assert", "the talks will not start this year"),
        ], published="2022-11-12", outlet="Ukrainska Pravda"),
    ]

# One claim, asserted, denied and repeated, beside an unrelated statement.
CLAIM = [
    make_article("a", [("Vladimir Putin", "person", "said", "assert",
                        "Russia will not announce a new mobilisation of reservists next week")],
                 published="2022-11-01", outlet="X"),
    make_article("b", [("Dmitry Peskov", "person", "denied", "deny",
                        "Russia will announce a new mobilisation of reservists next week")],
                 published="2022-11-02", outlet="Y"),
    make_article("c", [("a defence source", "anonymous", "said", "assert",
                        "Russia will announce a new mobilisation of reservists next week")],
                 published="2022-11-03", outlet="Y"),
    make_article("d", [("Joe Biden", "person", "said", "assert", "the weather in Delaware was lovely today")],
                 published="2022-11-03", outlet="Y"),
]


def with_genders(article: Article, genders: list[str]) -> Article:
    """``article`` with these speaker genders, one per attribution (as the extraction found them)."""
    from dataclasses import replace

    return replace(article, attributions=tuple(replace(a, speaker=replace(a.speaker, gender=g))
                                               for a, g in zip(article.attributions, genders)))


# Genders as extraction gives them, article by article: Jane Roe is "she" twice, Alex Poe "Ms" in
# one article and "he" in another (a conflict: unknown), Sam Loe never gendered, an organisation never.
GENDERED = [
    with_genders(make_article("g-1", [
        ("Jane Roe", "person", "said", "assert", "the harbour would reopen in spring"),
        ("John Doe", "person", "said", "assert", "the ferry fares would rise"),
        ("Alex Poe", "person", "said", "assert", "the pier was unsafe"),
    ], published="2022-11-01", outlet="Harbour Times"), ["female", "male", "female"]),
    with_genders(make_article("g-2", [
        ("Roe", "person", "added", "assert", "the dredging was finished"),
        ("Jane Roe", "person", "said", "deny", "the harbour was closed for good"),
        ("Alex Poe", "person", "said", "assert", "the pier would be rebuilt"),
        ("Sam Loe", "person", "said", "assert", "nobody had asked the fishermen"),
        ("the Port Authority", "organization", "said", "assert", "the works were on schedule"),
    ], published="2022-11-03", outlet="Harbour Times"), ["unknown", "female", "male", "unknown", "unknown"]),
    with_genders(make_article("g-3", [
        ("Jane Roe", "person", "said", "assert", "the harbour would reopen in April"),
        ("a port official", "anonymous", "said", "assert", "the budget had doubled"),
    ], published="2022-12-20", outlet="Coast News"), ["female", "female"]),
]
