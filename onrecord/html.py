"""Articles from HTML pages: main text, title, layout spans and warnings.

trafilatura finds the main text and metadata; the page's own structure (headings, list
items, captions, bylines, share and related boxes) becomes `LayoutSpan` records over that
text, so offsets never move. A page whose main text is suspiciously short falls back to its
story container's paragraphs, and says so in ``Article.warnings``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from .errors import InputError
from .models import Article, LayoutSpan
from .outlets import derive_outlet

logger = logging.getLogger(__name__)

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def decode_html(payload: bytes, content_type: str | None) -> str:
    """A page's text: UTF-8, else the declared charset, else Windows-1252 (what browsers assume)."""
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(content_type or "") or _CHARSET.search(payload[:2048].decode("ascii", "replace"))
    for encoding in ([declared[1]] if declared else []) + ["cp1252"]:
        try:
            return payload.decode(encoding, errors="replace")
        except LookupError:
            continue
    return payload.decode("utf-8", errors="replace")


# A page's main text is suspiciously short when it holds under this share of the page's
# paragraph text (and at least this many characters are missing), or under MIN_TEXT_CHARS of a
# large page: the extractor missed the article body.
SHORT_SHARE = 0.25
SHORT_MISSING_CHARS = 1000
MIN_TEXT_CHARS = 300
LARGE_PAGE_BYTES = 50_000
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
# Inline markup that belongs to a headline's words; anything else inside an <h1> (a byline
# <div>, a <time>) does not.
_INLINE_TAGS = frozenset("a abbr b bdi bdo cite em font i mark q s small span strong sub sup u".split())


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _headline_text(element: Any) -> str:
    """The words of a heading element, without nested blocks such as a byline."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() in _INLINE_TAGS:
            parts.append(_headline_text(child))
        parts.append(child.tail or "")
    return _clean("".join(parts))


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("′", "'").replace("’", "'"))


def _same_headline(heading: str, title: str) -> bool:
    """Whether a heading is the headline that a (longer, site-suffixed) title tag holds."""
    words, other = _tokens(heading), set(_tokens(title))
    return len(words) >= 3 and sum(w in other for w in words) >= 0.8 * len(words)


def _strip_site_name(title: str, site_names: list[str]) -> str:
    """ "Headline | Site" or "Site - Headline" → "Headline": drop the parts naming the site."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    names = set()
    for name in site_names:
        names.add(re.sub(r"\W", "", name.lower()))
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", name.lower()).split("/")[0]
        if "." in host:  # "bostonherald.com" names the site "bostonherald"
            names.add(re.sub(r"\W", "", max(host.split(".")[:-1], key=len)))
    names.discard("")

    def names_site(part: str) -> bool:
        return re.sub(r"\W", "", part.lower()) in names

    def is_tail(part: str) -> bool:  # what follows a headline: the site, a section, a date
        return names_site(part) or len(_tokens(part)) <= 3 or bool(re.fullmatch(r"[\d.\-/ ]+", part))

    kept = list(parts)
    while len(kept) > 1 and is_tail(kept[-1]):
        kept.pop()
    while len(kept) > 1 and names_site(kept[0]):
        kept.pop(0)
    return _clean(" - ".join(kept)) if len(kept) > 1 else _clean(kept[0])


def page_title(tree: Any, meta_titles: list[str], site_names: list[str]) -> str | None:
    """The headline a reader sees: the page's <h1> when the title tags name the same story,
    else the title tag without its site-name part.

    Args:
        tree: the parsed page (lxml).
        meta_titles: <title>, og:title, twitter:title and the extractor's title, best first.
        site_names: names of the site (og:site_name, the extractor's sitename, the host name).
    """
    headings = []
    for element in tree.iter("h1"):
        text = _headline_text(element)
        if len(text.split()) >= 2:
            # the microdata headline first
            headings.append((element.get("itemprop") != "headline", text))
    headings.sort(key=lambda h: h[0])
    titles = [_clean(t) for t in meta_titles if t and _clean(t)]
    for _, heading in headings:
        if any(_same_headline(heading, t) for t in titles):
            return heading
    if titles:
        return _strip_site_name(titles[0], site_names)
    return headings[0][1] if headings else None


def _meta(tree: Any, *keys: str) -> list[str]:
    found = []
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or ""
        if key.lower() in keys and element.get("content"):
            found.append(str(element.get("content")))
    return found


def _paragraph_chars(tree: Any) -> int:
    return sum(len(_clean(" ".join(p.itertext()))) for p in tree.iter("p"))


def structure_spans(body: Any, text: str) -> list[LayoutSpan]:
    """Headings and list items of trafilatura's XML body, located in its plain text.

    The plain text is made from the same tree, in the same order, so each element is found
    at or after the previous one; an element not found (text rewritten) is left out.
    """
    spans: list[LayoutSpan] = []
    cursor = 0
    for element in body.iter("head", "item", "p", "quote", "cell"):
        words = _clean("".join(element.itertext()))  # the element's own tail is not its text
        if not words:
            continue
        key = words[:60]
        start = text.find(key, cursor, cursor + 5000 + len(key))
        if start == -1:
            continue
        line_end = text.find("\n", start)
        end = min(start + len(words), len(text) if line_end == -1 else line_end) \
            if text.startswith(words, start) else (len(text) if line_end == -1 else line_end)
        if element.tag in {"head", "item"} and not any(e.tag in {"p", "list"} for e in element.iterdescendants()):
            line_start = text.rfind("\n", 0, start) + 1
            if element.tag == "item" and text[line_start:start].strip() in {"", "-", "*", "•"}:
                start = line_start  # the list marker trafilatura writes belongs to the item
            # `cleaning.analyse_layout` tells statement items ("bullet") from menu entries
            kind = "heading" if element.tag == "head" else "list_item"
            spans.append(LayoutSpan.of(text, start, end, kind))
        cursor = start + len(key)
    return spans


MAX_FURNITURE_CHARS = 600
_BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote figcaption pre dt dd".split())
_HIDDEN_TAGS = frozenset("script style noscript template svg button form select nav footer header aside iframe".split())
# Class and id words that mark page furniture, and the layout kind they give.
_FURNITURE_CLASSES = (
    (re.compile(r"caption", re.I), "caption"),
    (re.compile(r"credit|copyright", re.I), "credit"),
    (re.compile(r"byline|author", re.I), "byline"),
    (re.compile(r"share|social", re.I), "share"),
    (re.compile(r"related|read-?more|recommend|more-?stories|newsletter|promo|teaser", re.I), "related"),
    (re.compile(r"breadcrumb|menu", re.I), "menu"),
)


def _furniture_kind(element: Any, root: Any) -> str | None:
    """The layout kind that an element's tag, class or id (or an ancestor's, up to ``root``) gives."""
    node = element
    while node is not None:
        if node.tag == "figcaption":
            return "caption"
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        for pattern, kind in _FURNITURE_CLASSES:
            # a small box only: a class word on a container of the whole story says nothing
            if pattern.search(marks) and len(_clean("".join(node.itertext()))) <= MAX_FURNITURE_CHARS:
                return kind
        if node is root:
            break
        node = node.getparent()
    if isinstance(element.tag, str) and re.fullmatch(r"h[1-6]", element.tag):
        return "heading"
    return "list_item" if element.tag == "li" else None


def _story_root(tree: Any) -> Any:
    """The element holding the story: the <article>, articleBody or <main> with most paragraph text."""
    candidates = [*tree.iter("article", "main"),
                  *(e for e in tree.iter() if isinstance(e.tag, str) and e.get("itemprop") == "articleBody")]
    best = max(candidates, key=_paragraph_chars, default=None)
    if best is not None and _paragraph_chars(best) > 0:
        return best
    body = tree.find(".//body")
    return body if body is not None else tree


def paragraph_text(tree: Any) -> tuple[str, list[LayoutSpan]]:
    """The story's paragraphs, one per line, with headings, list items, captions, bylines and
    other furniture (told by tag, class or id) as layout spans of that text."""
    root = _story_root(tree)
    lines: list[tuple[str, str | None]] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCK_TAGS:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in element.iterdescendants()):
            continue  # the innermost blocks carry the text
        node, hidden = element, False
        while node is not None and node is not root:
            hidden = hidden or node.tag in _HIDDEN_TAGS
            node = node.getparent()
        words = _clean("".join(t for t in element.itertext() if t))
        if not hidden and words:
            lines.append((words, _furniture_kind(element, root)))
    text, spans = "", []
    for words, kind in lines:
        start = len(text) + (1 if text else 0)
        text = f"{text}\n{words}" if text else words
        if kind is not None:
            spans.append(LayoutSpan.of(text, start, len(text), kind))
    return text, spans


def article_from_html(html: str, *, id: str, name: str, url: str | None = None,
                      published: str | None = None, outlet: str | None = None) -> Article:
    """Main text and metadata of an HTML page, by trafilatura; offsets refer to that text.

    The page's own structure (headings, list items) becomes the article's ``layout``; the
    title is the headline a reader sees. When the main text is suspiciously short for the page
    a simpler extraction is tried, and if the text stays short the article carries a warning.
    """
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          favor_recall=True)
    except Exception as err:  # trafilatura/lxml raise many types on broken markup
        raise InputError(f"cannot parse HTML ({type(err).__name__}: {err})", input=name) from None
    text = getattr(doc, "text", None) if doc is not None else None
    body = getattr(doc, "body", None) if doc is not None else None
    reference = _paragraph_chars(tree) if tree is not None else 0

    def short(chars: int) -> bool:
        return (chars < SHORT_SHARE * reference and reference - chars > SHORT_MISSING_CHARS) or \
            (chars < MIN_TEXT_CHARS and len(html) > LARGE_PAGE_BYTES)

    fallback_layout: list[LayoutSpan] = []
    if short(len(text or "")) and tree is not None:
        # trafilatura stopped early (a figure or a widget inside the story): read the page's own
        # paragraphs in the story's container instead, keeping their structure
        fallback, fallback_layout = paragraph_text(tree)
        if len(fallback) > 2 * len(text or ""):
            logger.info("%s: short main text (%d characters), using the page's paragraphs (%d)",
                        name, len(text or ""), len(fallback))
            text, body = fallback, None
        else:
            fallback_layout = []
    if not text or not re.search(r"\w{2}", text):
        raise InputError("no article text found in the HTML", input=name)
    warnings = []
    if short(len(text)):
        warnings.append(f"{name}: main text suspiciously short ({len(text)} characters from a "
                        f"{len(html) / 1000:.0f} KB page with {reference} characters of paragraphs)")
    site_names = [n for n in (getattr(doc, "sitename", None), getattr(doc, "hostname", None), outlet,
                              *(_meta(tree, "og:site_name", "application-name") if tree is not None else [])) if n]
    meta_titles = [*(t.text or "" for t in tree.iter("title")), *_meta(tree, "og:title", "twitter:title")] \
        if tree is not None else []
    title = page_title(tree, [*meta_titles, getattr(doc, "title", None) or ""], site_names) \
        if tree is not None else getattr(doc, "title", None)
    return Article(
        id=id, text=text,
        title=title or getattr(doc, "title", None),
        published=published or getattr(doc, "date", None),
        outlet=derive_outlet(outlet, site_names=(getattr(doc, "sitename", None),
                                                 *(_meta(tree, "og:site_name") if tree is not None else [])),
                             titles=tuple(meta_titles), url=url or getattr(doc, "url", None)),
        url=url or getattr(doc, "url", None),
        text_is_input=False,
        layout=tuple(structure_spans(body, text)) if body is not None else tuple(fallback_layout),
        warnings=tuple(warnings),
    )


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head
