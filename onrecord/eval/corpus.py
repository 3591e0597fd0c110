"""Read a PolNeAR compartment (brat standoff) exactly as the reference scorer does.

A compartment folder holds ``text/<stem>.txt`` and ``attributions/<stem>_<annotator>.ann``.
Where an article has several annotators, the ``.ann`` whose annotator id sorts first
is used. Each E line of type ``Attribution`` / ``Attribution-no-source`` with at least
one argument is one gold attribution; ``Content`` and ``Content2`` are merged into one
list of fragments. Offsets are Python ``str`` indices into the UTF-8 decoded text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OnRecordError

ROLES = ("source", "cue", "content")
_EVENT_TYPES = {"Attribution", "Attribution-no-source"}

Fragments = list[tuple[int, int]]
Record = dict[str, Fragments | None]


class CorpusError(OnRecordError):
    """The compartment folder is missing or malformed."""


@dataclass
class GoldArticle:
    """One article of the corpus: its id, text and gold attributions."""

    stem: str
    text: str
    attributions: list[Record] = field(default_factory=list)

    @property
    def outlet(self) -> str:
        """The outlet is the file-stem prefix before the first ``_`` (e.g. ``breitbart``)."""
        return self.stem.split("_", 1)[0]


def _parse_fragments(text: str) -> Fragments:
    return [(int(a), int(b)) for a, b in (frag.split() for frag in text.split(";"))]


def parse_ann(ann: str) -> list[Record]:
    """Attributions of one ``.ann`` file as ``{role: fragments or None}``."""
    spans: dict[str, Fragments] = {}
    events: list[list[str]] = []
    for line in ann.splitlines():
        if m := re.match(r"(T\d+)\t\S+ ([\d ;]+)(\t|$)", line):
            spans[m[1]] = _parse_fragments(m[2])
        elif re.match(r"E\d+\t", line):
            events.append(line.split("\t")[1].split())
    attributions = []
    for args in events:
        if args[0].split(":")[0] not in _EVENT_TYPES or len(args) == 1:
            continue
        record: Record = dict.fromkeys(ROLES)
        for arg in args[1:]:
            role, ref = arg.split(":")
            role = re.sub(r"\d+$", "", role).lower()  # Content2 -> content
            if role in ROLES:
                record[role] = sorted((record[role] or []) + spans[ref])
        attributions.append(record)
    return attributions


def _ann_files(compartment: Path) -> dict[str, Path]:
    """The first-sorting annotator's ``.ann`` per article stem."""
    by_stem: dict[str, list[Path]] = {}
    for path in (compartment / "attributions").glob("*.ann"):
        by_stem.setdefault(path.stem.rsplit("_", 1)[0], []).append(path)
    if not by_stem:
        raise CorpusError(f"no .ann files under {compartment / 'attributions'}")
    return {stem: min(paths, key=lambda p: p.stem.rsplit("_", 1)[1]) for stem, paths in sorted(by_stem.items())}


def load_compartment(compartment: str | Path) -> dict[str, GoldArticle]:
    """All gold articles of a compartment, keyed by stem (sorted).

    Raises:
        CorpusError: the folder has no annotations or an article text is missing.
    """
    compartment = Path(compartment)
    articles = {}
    for stem, ann in _ann_files(compartment).items():
        text_path = compartment / "text" / f"{stem}.txt"
        try:
            text = text_path.read_text(encoding="utf-8")
        except OSError as err:
            raise CorpusError(f"cannot read {text_path}: {err}") from None
        articles[stem] = GoldArticle(stem, text, parse_ann(ann.read_text(encoding="utf-8")))
    return articles


def corpus_sha256(compartment: str | Path) -> str:
    """SHA-256 over the names and bytes of the files the reader uses (text and chosen .ann)."""
    compartment = Path(compartment)
    digest = hashlib.sha256()
    for stem, ann in _ann_files(compartment).items():
        for path in (compartment / "text" / f"{stem}.txt", ann):
            digest.update(f"{path.parent.name}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
