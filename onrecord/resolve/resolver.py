"""Found attributions into `Attribution` records: speaker, stance, kind, date, nesting."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from ..attribute.candidates import Found, Offsets
from ..models import Attribution, Span
from .context import ArticleContext, tokens_at
from .dates import StatementDates
from .speakers import Speakers
from .stance import kind_of, stance_of


class Resolver:
    """Resolves the attributions of one parsed article.

    A plain class rather than a function: the article-wide context (person mentions,
    quotations, gender evidence) is built once and shared by every attribution.
    """

    def __init__(self, doc: Doc, *, published: str | None = None, outlet: str | None = None,
                 skip: Sequence[Offsets] = ()) -> None:
        self.context = ArticleContext(doc, published=published, outlet=outlet, skip=skip)
        self.doc = doc
        self.text = self.context.text
        self.speakers = Speakers(self.context)
        self.dates = StatementDates(self.context)

    def resolve(self, found: list[Found]) -> list[Attribution]:
        """Attributions in text order, each with speaker, stance, kind, date and nesting."""
        found = sorted(found, key=lambda f: (f.content[0][0] if f.content else f.cue[0], f.cue))
        found = sorted(found, key=lambda f: min([f.cue[0]] + [s for s, _ in f.content] +
                                                 ([f.source[0]] if f.source else [])))
        result: list[Attribution] = []
        for f in found:
            cue_span = tokens_at(self.doc, f.cue)
            cue_text = self.text[f.cue[0]:f.cue[1]]
            nested_in = None
            # contents are sentences or quotations: an outer one starts within a few
            # thousand characters, so look back only that far (linear in long texts)
            for index in range(len(result) - 1, -1, -1):
                outer = result[index]
                if any(c.start <= f.cue[0] and f.cue[1] <= c.end for c in outer.content):
                    nested_in = index
                    break
                if outer.cue.start < f.cue[0] - 10_000:
                    break
            content_text = " ".join(self.text[s:e] for s, e in f.content)
            result.append(Attribution(
                cue=Span.of(self.text, *f.cue),
                content=tuple(Span.of(self.text, s, e) for s, e in f.content),
                source=Span.of(self.text, *f.source) if f.source else None,
                kind=f.kind or kind_of(self.text, f.content),
                stance=stance_of(cue_text, list(cue_span) if cue_span is not None else [], content_text),
                speaker=self.speakers.speaker(f.source, f, result),
                statement_date=self.dates.statement_date(f),
                nested_in=nested_in,
            ))
        return result
