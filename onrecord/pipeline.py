"""The extraction flow: read → clean → analyse → attribute → resolve.

`extract()` handles one text; `extract_many()` feeds spaCy in batches with
``nlp.pipe`` and loads the model once per process.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc

from .attribute import Found, attribute
from .cleaning import READ_KINDS, analyse_layout
from .config import Settings
from .errors import ExtractionError, InputTooLarge, OnRecordError
from .models import Article
from .nlp import load_nlp
from .html import article_from_html, looks_like_html
from .reading import clean_article
from .resolve import Resolver

logger = logging.getLogger(__name__)

_STEM_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


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
            raise ExtractionError("the parsed text differs from the input text (a bug: please report it)",
                                  input=article.id)
        docs.append(doc)
    return docs


def _outside(span: tuple[int, int], furniture: list[tuple[int, int]], text: str) -> tuple[int, int] | None:
    """The part of ``span`` left when furniture is cut from its ends; None when nothing is left."""
    start, end = span
    cut = False
    for a, b in furniture:
        if a <= start < b:
            start, cut = b, True
        if a < end <= b:
            end, cut = a, True
    while cut and start < end and text[start].isspace():
        start += 1
    while cut and end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def respect_layout(found: Found, furniture: list[tuple[int, int]], text: str) -> Found | None:
    """An attribution with no source, cue or content in page furniture, or None when nothing is left.

    Sources and contents that reach into furniture are trimmed ("OTTAWA — Andrew Scheer");
    a content that was only furniture (a dateline read as the complement) becomes the rest of
    the cue's sentence.
    """
    def inside(span: tuple[int, int]) -> bool:
        return any(a <= span[0] < b for a, b in furniture)

    if inside(found.cue):
        return None
    source = found.source
    if source is not None:
        source = _outside(source, furniture, text)
        if source is None or not text[source[0]:source[1]].strip(" \t\n,—–-"):
            return None
    content = []
    for fragment in found.content:
        kept = _outside(fragment, furniture, text)
        if kept is not None and not inside(kept) and text[kept[0]:kept[1]].strip(" \t\n,—–-"):
            content.append(kept)
    if not content and found.content:
        line_end = text.find("\n", found.cue[1])
        line_end = len(text) if line_end == -1 else line_end
        stop = text.find(". ", found.cue[1], line_end)
        rest = (found.cue[1], stop if stop != -1 else line_end)
        start, end = rest
        while start < end and text[start] in " \t,:—–-":
            start += 1
        while end > start and text[end - 1] in " \t.":
            end -= 1
        if end - start < 3 or inside((start, end)):
            return None
        content = [(start, end)]
    if source == found.source and tuple(content) == found.content:
        return found
    return replace(found, source=source, content=tuple(content))


def _analysed(article: Article, doc: Doc, settings: Settings) -> Article:
    # the reader's layout (the HTML page's headings, lists, captions) is kept; lines it does not
    # cover are judged by their shape
    layout = analyse_layout(article.text, structure=article.layout)
    published = article.published or layout.published
    if published is None and (m := _STEM_DATE.search(article.id)):
        published = m[1]  # "outlet_2015-11-16_title.txt": the date in the file name
    furniture = [(s.start, s.end) for s in layout.furniture if s.kind not in READ_KINDS]
    found = [kept for f in attribute(doc, skip=layout.skip_spans(), settings=settings)
             if (kept := respect_layout(f, furniture, article.text)) is not None]
    outlet = article.outlet or layout.outlet
    # a pronoun never refers back into page furniture: captions, credits, bylines, related links
    attributions = Resolver(doc, published=published, outlet=outlet,
                            skip=[*layout.skip_spans(), *furniture]).resolve(found)
    logger.info("extracted %s: %d attributions", article.id, len(attributions))
    return replace(
        article,
        title=article.title or layout.title,
        published=published,
        outlet=outlet,
        boilerplate=layout.boilerplate,
        editorial_notes=layout.editorial_notes,
        layout=layout.furniture,
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
        article = clean_article(article)  # spaCy and the UTF-8 output cannot take lone surrogates
        batch.append(article)
        chars += len(article.text)
        if len(batch) >= settings.batch_size or chars >= settings.segment_chars * 4:
            yield from _finish(batch, settings, progress, on_error)
            batch, chars = [], 0
    if batch:
        yield from _finish(batch, settings, progress, on_error)


def _finish(batch: list[Article], settings: Settings, progress: Callable[[Article], None] | None,
            on_error: Callable[[OnRecordError], None] | None) -> Iterator[Article]:
    try:
        docs = _parse(batch, settings)
    except Exception as err:  # one article spaCy cannot take must not lose the batch: parse one by one
        if on_error is None:
            raise
        if len(batch) == 1:
            logger.exception("parsing failed on %s", batch[0].id)
            on_error(ExtractionError(f"parsing failed ({type(err).__name__}: {err})", input=batch[0].id))
            return
        for article in batch:
            yield from _finish([article], settings, progress, on_error)
        return
    for article, doc in zip(batch, docs):
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
