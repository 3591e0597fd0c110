"""Web pages against snippet references, scored as ``web_score.py`` does.

A folder holds one ``<id>.gold.json`` per page. A reference gives its spans as snippets
of the text, not offsets, so that it holds whatever main text the extractor takes from
the page; they are located in the analysed text (the ``"text"`` of the prediction) at
scoring time:

- a snippet ``["snippet", n]`` is its n-th occurrence (0-based);
- otherwise the first content fragment is its first occurrence after the previous
  attribution's content (references are in reading order), later fragments the first
  after the one before, and the cue and source the occurrences nearest to the content.

A reference whose content cannot be found counts as missed ("unlocated"). Each page is
then scored as one sample article (`onrecord.eval.sample.score_article`); the figures are
micro-averaged over pages: precision = matched / predicted, recall = matched / reference,
attributes right on matched pairs, title and published date per page.
"""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OnRecordError

from .sample import SUFFIX, attribute_counts, describe, score_article

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Article

HEADLINE = ("precision", "recall")


def occurrences(text: str, snippet: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``snippet``."""
    found, start = [], text.find(snippet)
    while start >= 0:
        found.append(start)
        start = text.find(snippet, start + 1)
    return found


def _span(start: int, snippet: str) -> dict[str, Any]:
    return {"start": start, "end": start + len(snippet), "text": snippet}


def _is_nth(spec: object) -> bool:
    return isinstance(spec, list) and len(spec) == 2 and isinstance(spec[1], int)


def _nth(text: str, spec: object) -> tuple[str, int | None]:
    """The snippet of a spec, and its offset when the spec names an occurrence."""
    if isinstance(spec, list) and _is_nth(spec):
        snippet, n = str(spec[0]), spec[1]
        hits = occurrences(text, snippet)
        return snippet, hits[n] if n < len(hits) else None
    return str(spec), None


def locate(text: str, gold: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The reference with offsets into ``text``, and what could not be found there."""
    located, lost, cursor = [], [], 0
    for attribution in gold["attributions"]:
        content = attribution["content"]
        fragments = content if isinstance(content, list) and not _is_nth(content) else [content]
        spans: list[dict[str, Any]] = []
        at = cursor
        for fragment in fragments:
            snippet, start = _nth(text, fragment)
            if start is None:
                hits = [h for h in occurrences(text, snippet) if h >= at] or occurrences(text, snippet)
                start = hits[0] if hits else None
            if start is None:
                spans = []
                break
            spans.append(_span(start, snippet))
            at = start + len(snippet)
        if not spans:
            lost.append(str(fragments[0])[:70])
            continue
        cursor = anchor = spans[0]["start"]
        out = dict(attribution)
        out["content"] = spans[0] if len(spans) == 1 else spans
        for role in ("cue", "source"):
            spec = attribution.get(role)
            if spec is None:
                out[role] = None
                continue
            snippet, start = _nth(text, spec)
            if start is None:
                hits = occurrences(text, snippet)
                start = min(hits, key=lambda h: abs(h - anchor)) if hits else None
            if start is None:
                out[role] = None
                lost.append(f"{role} {snippet[:40]!r} of {str(fragments[0])[:40]!r}")
                continue
            out[role] = _span(start, snippet)
            anchor = start
        located.append(out)
    return {**gold, "attributions": located, "boilerplate": []}, lost


def reference_paths(gold_dir: str | Path) -> list[Path]:
    """The ``*.gold.json`` references of a folder, sorted."""
    return sorted(Path(gold_dir).glob("*" + SUFFIX))


def load_references(gold_dir: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every reference of a folder with its path.

    Raises:
        OSError: a reference cannot be read.
        ValueError: a reference is not JSON.
    """
    return [(path, json.loads(path.read_text(encoding="utf-8"))) for path in reference_paths(gold_dir)]


def records_by_id(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Prediction records keyed by ``id`` (a later record with the same id wins, as in the reference)."""
    return {str(record.get("id")): record for record in records}


def load_records(path: str | Path) -> dict[str, dict[str, Any]]:
    """Prediction records of a JSON Lines file, keyed by ``id``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return records_by_id(json.loads(line) for line in lines if line.strip())


def score_pages(gold_dir: str | Path, records: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The figures of ``web_score.py --json`` for a folder of references, plus ``headline``.

    Args:
        gold_dir: the folder of ``<id>.gold.json`` references.
        records: prediction records (``extract --format jsonl``) keyed by id; a page
            without one predicts nothing. A record without ``"text"`` is scored
            against ``<id>.txt`` beside its reference.
    """
    return score_references(load_references(gold_dir), records)


def score_references(references: Iterable[tuple[Path, dict[str, Any]]],
                     records: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """`score_pages` over the given references (a fold of a corpus, the pages two annotators share)."""
    totals = dict.fromkeys(("pages", "gold", "predicted", "matched", "correct", "checks", "title", "published",
                            "unlocated"), 0)
    pages: list[dict[str, Any]] = []
    for path, gold in references:
        record = records.get(gold["id"])
        totals["pages"] += 1
        totals["gold"] += len(gold["attributions"])
        if record is None:
            pages.append({"id": gold["id"], "error": "no prediction"})
            continue
        text = record.get("text")
        if text is None:
            beside = path.with_name(gold["id"] + ".txt")
            text = beside.read_text(encoding="utf-8") if beside.exists() else ""
        located, lost = locate(text, gold)
        figures = score_article(located, text, record)
        correct, checks = attribute_counts(figures)
        totals["predicted"] += figures["predicted_attributions"]
        totals["matched"] += figures["matched"]
        totals["correct"] += correct
        totals["checks"] += checks
        totals["title"] += figures["title"]
        totals["published"] += figures["published"]
        totals["unlocated"] += len(lost)
        matched_pred = {row["pred"] for row in figures["pairs"]}
        pages.append({"id": gold["id"], "gold": len(gold["attributions"]),
                      "predicted": figures["predicted_attributions"], "matched": figures["matched"],
                      "missed": figures["missed"] + [f"(not in the text) {x}" for x in lost],
                      "spurious": [describe(a) for j, a in enumerate(record.get("attributions") or [])
                                   if j not in matched_pred]})
    p = totals["matched"] / totals["predicted"] if totals["predicted"] else 0.0
    r = totals["matched"] / totals["gold"] if totals["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {**totals, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "pages_detail": pages,
            "headline": {"precision": p, "recall": r}}


def headline_line(totals: dict[str, Any]) -> str:
    """``web_score.py``'s last line."""
    t = totals
    return (f"web: pages={t['pages']} gold={t['gold']} predicted={t['predicted']} matched={t['matched']} "
            f"precision={t['precision']:.3f} recall={t['recall']:.3f} f1={t['f1']:.3f} "
            f"attributes={t['correct']}/{t['checks']} title={t['title']}/{t['pages']} "
            f"published={t['published']}/{t['pages']} unlocated={t['unlocated']}")


def format_pages(totals: dict[str, Any], verbose: bool = False) -> str:
    """One line per page (with ``verbose``, its misses and spurious attributions), then the headline."""
    lines = []
    for page in totals["pages_detail"]:
        if "error" in page:
            lines.append(f"{page['id']}: {page['error']}")
            continue
        lines.append(f"{page['id']}: matched {page['matched']}/{page['gold']}, predicted {page['predicted']}")
        if verbose:
            lines += [f"  missed:   {m}" for m in page["missed"]]
            lines += [f"  spurious: {s}" for s in page["spurious"]]
    lines.append(headline_line(totals))
    return "\n".join(lines)


def page_paths(ids: Iterable[str], pages: str | Path) -> dict[str, Path]:
    """The page of each id that has one: ``<id>.<suffix>`` in ``pages`` that onrecord reads (HTML first)."""
    from ..reading import SUFFIXES

    found = {}
    for page in ids:
        candidates = sorted((p for p in Path(pages).glob(glob.escape(page) + ".*")
                             if p.suffix.lower() in SUFFIXES and p.stem == page),
                            key=lambda p: (p.suffix.lower() not in (".html", ".htm"), p.name))
        if candidates:
            found[page] = candidates[0]
    return found


def extract_pages(paths: Mapping[str, Path], settings: Settings,
                  on_error: Callable[[OnRecordError], None] | None = None) -> dict[str, dict[str, Any]]:
    """Read and extract each page as the article ``id`` (key): records as ``extract --format jsonl`` writes
    them, with the analysed text. A page that cannot be read or extracted predicts nothing (and goes to
    ``on_error`` when given)."""
    from dataclasses import replace

    from ..pipeline import extract_many
    from ..reading import read_paths

    def report(error: OnRecordError) -> None:
        if on_error is not None:
            on_error(error)

    def articles() -> Iterator[Article]:
        for page, path in paths.items():
            for item in read_paths([path], settings):
                if isinstance(item, OnRecordError):
                    report(item)
                else:
                    yield replace(item, id=page)

    return {a.id: a.to_dict(with_text=True) for a in extract_many(articles(), settings, on_error=report)}


def corpus_sha256(gold_dir: str | Path) -> str:
    """SHA-256 over the names and bytes of the references (the pages are not part of it)."""
    digest = hashlib.sha256()
    for path in reference_paths(gold_dir):
        digest.update(f"{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
