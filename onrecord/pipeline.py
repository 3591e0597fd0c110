"""The extraction flow: read → clean → analyse → attribute → resolve.

`extract()` handles one text; `extract_many()` feeds spaCy in batches with
``nlp.pipe`` and loads the model once per process.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from .candidates import Found
from .cleaning import analyse_layout
from .config import Settings
from .errors import ExtractionError, InputTooLarge, ModelError, OnRecordError
from .models import Article
from .nlp import doc_index, load_nlp
from .reading import article_from_html, looks_like_html
from .resolution import Resolver
from .rules import TRIM_CONTENT, find_attributions, trim

logger = logging.getLogger(__name__)

_STEM_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
# A model content shorter than this (in characters) is a stub such as "that".
_STUB_CONTENT = 10


@lru_cache(maxsize=2)
def _learned(path: str | None = None) -> Any:
    """The trained attributor, or None where no model is packaged."""
    try:
        from .learned import LearnedAttributor
    except ImportError:
        return None
    try:
        return LearnedAttributor.load(path)
    except ModelError as err:
        logger.warning("trained attribution model unavailable, using rules only: %s", err)
        return None


def attribute(doc: Doc, *, skip: Iterable[tuple[int, int]] = (), settings: Settings | None = None) -> list[Found]:
    """Raw attributions of a parsed article from the rules and, where available, the trained model."""
    settings = settings or Settings()
    skip = list(skip)
    model = _learned() if settings.attributor != "rules" else None
    # a stacked model reads the rules' output, so the rules run for it too
    wants_rules = settings.attributor in {"auto", "rules"} or getattr(model, "stacked", False)
    rules = find_attributions(doc, skip) if wants_rules else []
    if settings.attributor == "rules":
        return rules
    if model is None:
        if settings.attributor == "model":
            raise ModelError("no trained attribution model is installed")
        return rules
    text = doc_index(doc).text
    learned = [tidy(text, f) for f in predict_in_chunks(model, doc, rules, skip)
               if not any(s <= f.cue[0] < e for s, e in skip)]
    return merge(rules, learned, text) if settings.attributor == "auto" else learned


MODEL_CHUNK_TOKENS = 4000


def predict_in_chunks(model: Any, doc: Doc, rules: list[Found], skip: list[tuple[int, int]],
                      size: int | None = None) -> list[Found]:
    """The model's attributions, predicted on sentence-aligned chunks of a long Doc.

    Grouping spans into attributions compares every cue with every span, so a book-length
    input would cost quadratic time; news articles (a few thousand tokens) are one chunk.
    The model reads the rules' attributions (stacking), shifted into each chunk.
    """
    size = size or MODEL_CHUNK_TOKENS
    if len(doc) <= size:
        return list(model.predict(doc, rules, skip))
    found: list[Found] = []
    sents = doc_index(doc).sents
    start = 0
    while start < len(doc):
        end = min(len(doc), start + size)
        if end < len(doc):
            # cut at the last sentence start in the second half of the window
            end = max((s.start for s in sents if start + size // 2 < s.start <= end), default=end)
        chunk = doc[start:end]
        lo, hi = chunk.start_char, chunk.end_char
        inside = [_shift_found(r, -lo) for r in rules
                  if lo <= r.cue[0] < hi and all(lo <= s and e <= hi for s, e in r.content)]
        for f in model.predict(chunk.as_doc(), inside, [(s - lo, e - lo) for s, e in skip if s < hi and lo < e]):
            found.append(_shift_found(f, lo))
        start = end
    return found


def _shift_found(f: Found, by: int) -> Found:
    return replace(f, cue=_shift(f.cue, by), content=tuple(_shift(c, by) for c in f.content),
                   source=_shift(f.source, by) if f.source else None,
                   inherited_source=_shift(f.inherited_source, by) if f.inherited_source else None)


def _shift(offsets: tuple[int, int], by: int) -> tuple[int, int]:
    return offsets[0] + by, offsets[1] + by


def tidy(text: str, found: Found) -> Found:
    """Spans without edge whitespace, punctuation or bullets, as the rules give them."""
    source = trim(text, *found.source) if found.source else None
    content = tuple(c for c in (trim(text, s, e, TRIM_CONTENT) for s, e in found.content) if c[1] > c[0])
    return replace(found, source=source if source and source[1] > source[0] else None,
                   content=content or found.content)


def merge(rules: list[Found], learned: list[Found], text: str = "") -> list[Found]:
    """The model's attributions, completed by the rules.

    Chosen on PolNeAR dev with the stacked model (see docs/model.md): rules win
    outright for patterns the model sees too rarely to learn (``Source:`` lines, colon
    lead-ins, dash-signed quotations); where both find the same cue, the rule's cue
    span (with "said Friday", "in a statement"), the rule's source when the model found
    none and the rule's content when the model's is a stub ("that") are kept. Rule
    attributions are added where the model touched neither their cue nor their
    content: the model has seen the rules' output as features, so a rule content it
    tagged under another cue is mostly one it rejected. Exempt are attributions nested
    in a layout quotation ("Quote from X: '... saying that ...'") and relative-clause
    statements nested in another content ("Zelenskyy, who previously stated that ...":
    PolNeAR marks one attribution per token, so on dev this costs .001 relation F1).
    """
    def cue_index(items: Iterable[Found]) -> dict[int, Found]:
        """Each character of a cue → its attribution: overlap tests in constant time."""
        return {c: f for f in items for c in range(*f.cue)}

    def twin_of(found: Found, index: dict[int, Found]) -> Found | None:
        return next((index[c] for c in range(*found.cue) if c in index), None)

    def in_lead(found: Found, layout: Found) -> bool:
        """Inside a layout attribution's lead ("Quote from X:") or repeating its content."""
        lead = [layout.cue] + ([layout.source] if layout.source else [])
        start, end = min(s for s, _ in lead), max(e for _, e in lead)
        if start <= found.cue[0] < end + 2:
            return True
        return any(s <= c[0] and c[1] <= e + 1 for c in found.content for s, e in layout.content) and not any(
            s <= found.cue[0] < e for s, e in layout.content)

    def clashes(rule: Found, other: Found) -> bool:
        """The rule's content overlaps the other's, and not as an attribution nested in a layout quote."""
        if not any(s < e2 and s2 < e for s, e in rule.content for s2, e2 in other.content):
            return False
        if rule.source and text[rule.source[0]:rule.source[1]].lower() in {"who", "which"} and any(
                s <= rule.cue[0] < e for s, e in other.content):
            return False  # "Zelenskyy, who previously stated that ...": a statement of its own, nested
        return other.origin != "layout" or not any(s <= rule.cue[0] and rule.cue[1] <= e for s, e in other.content)

    layout = [r for r in rules if r.origin == "layout"]
    layout_cues = cue_index(layout)
    verb_cues = cue_index(r for r in rules if r.origin != "layout")
    # layout attributions near a cue: leads and contents span at most a few thousand characters
    layout_starts = [min(r.cue[0], *(s for s, _ in r.content)) for r in layout]
    order = sorted(range(len(layout)), key=layout_starts.__getitem__)
    starts = [layout_starts[i] for i in order]
    result = list(layout)
    for found in learned:
        near = order[bisect_left(starts, found.cue[0] - 10_000):bisect_right(starts, found.cue[0] + 10_000)]
        if twin_of(found, layout_cues) or any(in_lead(found, layout[i]) for i in near):
            continue
        twin = twin_of(found, verb_cues)
        if twin is not None:
            stub = bool(twin.content) and sum(e - s for s, e in found.content) < _STUB_CONTENT
            found = replace(found, cue=twin.cue, source=found.source or twin.source,
                            content=twin.content if stub else found.content,
                            inherited_source=found.inherited_source or twin.inherited_source)
        result.append(found)
    kept = cue_index(result)
    contents: dict[int, Found] = {c: f for f in result for s, e in f.content for c in range(s, e)}
    for rule in rules:
        if rule.origin == "layout" or twin_of(rule, kept) is not None:
            continue
        touched = {id(f): f for s, e in rule.content for c in range(s, e) if (f := contents.get(c)) is not None}
        if not any(clashes(rule, f) for f in touched.values()):
            result.append(rule)
    return sorted(result, key=lambda f: f.cue)


def _segments(text: str, size: int) -> list[tuple[int, int]]:
    """Paragraph-aligned pieces of at most about ``size`` characters covering the text."""
    if len(text) <= size:
        return [(0, len(text))]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        pieces.append((start, end))
        start = end
    return pieces


def _parse(articles: list[Article], settings: Settings) -> list[Doc]:
    """One Doc per article; long texts are parsed in segments and joined, so memory stays bounded."""
    nlp = load_nlp(settings.model)
    nlp.max_length = max(nlp.max_length, settings.segment_chars * 2)
    jobs = []
    for n, article in enumerate(articles):
        for s, e in _segments(article.text, settings.segment_chars):
            jobs.append((n, article.text[s:e]))
    parts: list[list[Doc]] = [[] for _ in articles]
    # spaCy holds a whole batch in memory: keep a batch to about two segments' worth of text
    longest = max((len(t) for _, t in jobs), default=1) or 1
    batch_size = max(1, min(settings.batch_size, settings.segment_chars * 2 // longest))
    for (n, _), doc in zip(jobs, nlp.pipe((t for _, t in jobs), batch_size=batch_size)):
        parts[n].append(doc)
    docs = []
    for article, pieces in zip(articles, parts):
        doc = pieces[0] if len(pieces) == 1 else Doc.from_docs(pieces, ensure_whitespace=False)
        if doc.text != article.text:  # offsets never move
            raise AssertionError(f"{article.id}: parsed text differs from the input text")
        docs.append(doc)
    return docs


def _analysed(article: Article, doc: Doc, settings: Settings) -> Article:
    layout = analyse_layout(article.text)
    published = article.published or layout.published
    if published is None and (m := _STEM_DATE.search(article.id)):
        published = m[1]  # "outlet_2015-11-16_title.txt": the date in the file name
    skip = [(s.start, s.end) for s in layout.boilerplate]  # titles carry attributions too
    if layout.date_span:
        skip.append((layout.date_span.start, layout.date_span.end))
    found = attribute(doc, skip=skip, settings=settings)
    outlet = article.outlet or layout.outlet
    attributions = Resolver(doc, published=published, outlet=outlet).resolve(found)
    logger.info("extracted %s: %d attributions", article.id, len(attributions))
    return replace(
        article,
        title=article.title or layout.title,
        published=published,
        outlet=outlet,
        boilerplate=layout.boilerplate,
        editorial_notes=layout.editorial_notes,
        attributions=tuple(attributions),
    )


def extract_many(articles: Iterable[Article], settings: Settings | None = None, *,
                 progress: Callable[[Article], None] | None = None,
                 on_error: Callable[[OnRecordError], None] | None = None) -> Iterator[Article]:
    """Attributions of many articles, parsed in batches.

    Args:
        articles: articles with their text (from `read_paths` or built by hand).
        settings: extraction settings.
        progress: called with each finished article (the CLI's progress bar uses it).
        on_error: when given, an article that fails is reported to it as an
            `ExtractionError` and skipped, and the batch goes on; otherwise the error is raised.
    """
    settings = settings or Settings()
    batch: list[Article] = []
    chars = 0
    for article in articles:
        batch.append(article)
        chars += len(article.text)
        if len(batch) >= settings.batch_size or chars >= settings.segment_chars * 4:
            yield from _finish(batch, settings, progress, on_error)
            batch, chars = [], 0
    if batch:
        yield from _finish(batch, settings, progress, on_error)


def _finish(batch: list[Article], settings: Settings, progress: Callable[[Article], None] | None,
            on_error: Callable[[OnRecordError], None] | None) -> Iterator[Article]:
    for article, doc in zip(batch, _parse(batch, settings)):
        try:
            result = _analysed(article, doc, settings)
        except Exception as err:  # a bug on one article must not lose the batch
            if on_error is None:
                raise
            logger.exception("extraction failed on %s", article.id)
            on_error(ExtractionError(f"extraction failed ({type(err).__name__}: {err})", input=article.id))
            continue
        if progress:
            progress(result)
        yield result


def extract(text_or_html: str, *, id: str | None = None, published: str | None = None, url: str | None = None,
            outlet: str | None = None, settings: Settings | None = None) -> Article:
    """Who said what in one article.

    Args:
        text_or_html: the article as plain text or as an HTML page (detected).
        id: an identifier for the article (default ``"article"``).
        published: publication date or timestamp (ISO); relative statement dates
            ("on Tuesday") are resolved against it. Found in the text when omitted.
        url: where the article comes from.
        outlet: the news outlet.
        settings: extraction settings.

    Returns:
        The `Article` with its attributions; offsets refer to ``article.text``.

    Raises:
        InputTooLarge: the text is over ``settings.max_bytes``.
        InputError: HTML from which no article text can be extracted.
    """
    settings = settings or Settings()
    name = id or "article"
    size = len(text_or_html.encode("utf-8", "surrogatepass"))
    if size > settings.max_bytes:
        raise InputTooLarge(f"{size / 1e6:.1f} MB is over the {settings.max_bytes / 1e6:g} MB limit", input=name)
    if looks_like_html(text_or_html):
        article = article_from_html(text_or_html, id=name, name=name, url=url, published=published, outlet=outlet)
    else:
        article = Article(id=name, text=text_or_html, published=published, url=url, outlet=outlet)
    return next(extract_many([article], settings))
