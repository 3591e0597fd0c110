"""Atom feeds of new statements: a speaker's (``/speakers/N.atom``), a search's
(``/search.atom?q=…``) and a claim's (``/claims/N.atom``), so that a feed reader alerts on them.

Atom 1.0 (RFC 4287), written with ElementTree: every value goes in as text or an attribute
and is escaped by the serializer, and characters XML 1.0 cannot carry (control characters)
are replaced first, so a hostile statement neither injects markup nor breaks the feed.

Entries are the newest on record first (the statements stored last), so a statement stored
today about last year still reaches the reader. An entry's ``updated`` is when it was
stored, its ``published`` the day it was made (statement date, else the article's date),
its ``id`` the statement's place in its article on this server (``/articles/ID#aN``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

from fastapi import Query, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from .params import MAX_ID, Id, Text, blank
from .responses import backend, not_found, safe_url

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
EPOCH = "1970-01-01T00:00:00Z"
FeedLimit = Annotated[int, Query(ge=1, le=200, description="Entries in the feed.")]
# what XML 1.0 can carry: tab, newline, carriage return and the printable planes (no C0 controls, no surrogates)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FULL_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def xml_text(value: Any) -> str:
    """``value`` as text XML can carry: characters it cannot are replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def stored_at(local: str | None) -> str:
    """An ``ingested_at`` (the server's local time, to the second) as RFC 3339 in UTC."""
    try:
        stamp = dt.datetime.strptime((local or "")[:19], "%Y-%m-%dT%H:%M:%S").astimezone(dt.timezone.utc)
    except ValueError:
        return EPOCH
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def feed(request: Request, *, feed_id: str, title: str, html_url: str,
         entries: list[tuple[Any, str | None, str | None]], empty_updated: str | None) -> Response:
    """The Atom document: ``entries`` are ``(store.records.Quote, ingested_at, article URL)``, newest first."""
    base = str(request.base_url)
    root = ET.Element("feed", xmlns=ATOM)  # plain names in the default namespace: every element is Atom's
    _add(root, "id", base + feed_id)
    _add(root, "title", title)
    _add(root, "subtitle", "New statements on record, newest first (onrecord: who said what, when, "
                           "according to whom)")
    updated = [stored_at(stored) for _, stored, _ in entries]
    _add(root, "updated", max(updated) if updated else stored_at(empty_updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=str(request.url))
    _add(root, "link", rel="alternate", type="text/html", href=base + html_url.lstrip("/"))
    author = _add(root, "author")
    _add(author, "name", "onrecord")
    _add(root, "generator", "onrecord")
    for (q, _, article_url), when in zip(entries, updated):
        a = q.attribution
        who = q.speaker_name or (a.source.text if a.source else None) or "(no source)"
        url = f"{base}articles/{quote(q.article_id, safe='')}#a{q.index}"
        entry = _add(root, "entry")
        _add(entry, "id", url)
        _add(entry, "title", f"{_short(who, 60)} ({a.stance}): {_short(a.content_text)}")
        _add(entry, "updated", when)
        day = (a.statement_date or q.published or "")[:10]
        if _FULL_DAY.match(day):
            _add(entry, "published", f"{day}T00:00:00Z")
        person = _add(entry, "author")
        _add(person, "name", who)
        if q.speaker_id is not None:
            _add(person, "uri", f"{base}speakers/{q.speaker_id}")
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        source = safe_url(article_url)
        if source:
            _add(entry, "link", rel="related", href=source)
        if q.claim_id is not None:
            _add(entry, "link", rel="related", type="text/html", href=f"{base}claims/{q.claim_id}", title="the claim")
        _add(entry, "category", term=a.stance, label=a.stance)
        role = f", {a.speaker.role}" if a.speaker.role else ""
        where = ", ".join(x for x in (q.title or q.article_id, q.outlet, day or "undated") if x)
        _add(entry, "content", f"{who} ({a.speaker.type}{role}) — {a.stance}, “{a.cue.text}”:\n"
                               f"“{a.content_text}”\n\nIn: {where}", type="text")
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
    return Response(body.encode("utf-8"), media_type=MEDIA_TYPE)


async def speaker_feed(request: Request, speaker_id: Id, limit: FeedLimit = 50) -> Response:
    """New statements of one speaker."""
    from ..store.queries import last_stored, newest_on_record

    if speaker_id > MAX_ID:
        raise not_found("speaker")

    def load(store: Any) -> tuple[Any, list[Any], str | None]:
        entry = store.get_speaker(speaker_id)
        if entry is None:
            return None, [], None
        return entry, newest_on_record(store, speaker_id=speaker_id, limit=limit), last_stored(store)
    entry, entries, last = await backend(request).in_store_thread(load)
    if entry is None:
        raise not_found("speaker")
    return feed(request, feed_id=f"speakers/{speaker_id}.atom", title=f"{entry.name}: new statements (onrecord)",
                html_url=f"/speakers/{speaker_id}", entries=entries, empty_updated=last)


async def claim_feed(request: Request, claim_id: Id, limit: FeedLimit = 50) -> Response:
    """New statements of one claim, on either side."""
    from ..store.queries import last_stored, newest_on_record
    from ..link.sides import claim_sides

    if claim_id > MAX_ID:
        raise not_found("claim")

    def load(store: Any) -> tuple[Any, list[Any], str | None]:
        group = store.get_claim(claim_id)
        if group is None:
            return None, [], None
        return group, newest_on_record(store, claim_id=claim_id, limit=limit), last_stored(store)
    group, entries, last = await backend(request).in_store_thread(load)
    if group is None:
        raise not_found("claim")
    label = claim_sides(group.members).label or group.label
    return feed(request, feed_id=f"claims/{claim_id}.atom", title=f"Claim “{_short(label, 100)}”: new statements "
                "(onrecord)", html_url=f"/claims/{claim_id}", entries=entries, empty_updated=last)


async def search_feed(request: Request, q: Text = None, limit: FeedLimit = 50) -> Response:
    """New statements that contain every word of ``q``."""
    from ..store.queries import last_stored, newest_on_record

    words = blank(q)
    if words is None or not re.search(r"\w", words):
        raise HTTPException(400, "A search feed needs words to look for: /search.atom?q=peace+talks")

    def load(store: Any) -> tuple[list[Any], str | None]:
        return newest_on_record(store, text=words, limit=limit), last_stored(store)
    entries, last = await backend(request).in_store_thread(load)
    query = urlencode({"q": words})
    return feed(request, feed_id=f"search.atom?{query}", title=f"“{_short(words, 100)}”: new statements (onrecord)",
                html_url=f"/search?{query}", entries=entries, empty_updated=last)
