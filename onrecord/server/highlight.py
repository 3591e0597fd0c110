"""An article's text cut into highlighted stretches: sources, cues and contents of its
attributions, boilerplate and editorial notes, each stretch with the attribution it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Article


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of article text with the roles that cover it (``classes``) and its attribution."""

    text: str
    classes: str = ""
    attr: int | None = None
    title: str | None = None


def speaker_label(article: Article, index: int) -> str:
    a = article.attributions[index]
    return a.speaker.name or a.speaker.description or (a.source.text if a.source else "") or "(no source)"


def highlight(article: Article) -> list[Segment]:
    """Cut the text at every span boundary; each piece carries the roles that cover it.

    Where attributions nest, a piece belongs to the innermost (shortest) one.
    """
    text, n = article.text, len(article.text)
    marks: list[tuple[int, int, str, int | None]] = []
    for i, a in enumerate(article.attributions):
        if a.source:
            marks.append((a.source.start, a.source.end, "source", i))
        marks.append((a.cue.start, a.cue.end, "cue", i))
        marks.extend((c.start, c.end, "content", i) for c in a.content)
    marks.extend((s.start, s.end, "boilerplate", None) for s in article.boilerplate)
    marks.extend((s.start, s.end, "note", None) for s in article.editorial_notes)
    marks = [(max(0, s), min(n, e), role, i) for s, e, role, i in marks if 0 <= s < e and s < n]
    cuts = sorted({0, n} | {s for s, _, _, _ in marks} | {e for _, e, _, _ in marks})
    segments: list[Segment] = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        attributed = [m for m in covering if m[3] is not None]
        inner = min(attributed, key=lambda m: m[1] - m[0]) if attributed else None
        roles = sorted({m[2] for m in covering if m[3] is None or inner is None or m[3] == inner[3]}
                       | ({inner[2]} if inner else set()))
        classes = " ".join(f"hl-{r}" for r in roles)
        if inner is not None:
            a = article.attributions[inner[3]]  # type: ignore[index]
            classes += f" stance-{a.stance}"
            title = (f"#{inner[3]} {inner[2]}: {speaker_label(article, inner[3])} ({a.speaker.type}) · "  # type: ignore[arg-type]
                     f"{a.stance} · {a.statement_date or 'undated'}")
        else:
            title = None
        piece = Segment(text[start:end], classes, inner[3] if inner else None, title)
        if segments and (segments[-1].classes, segments[-1].attr) == (piece.classes, piece.attr):
            last = segments.pop()
            piece = Segment(last.text + piece.text, piece.classes, piece.attr, piece.title)
        segments.append(piece)
    return segments

