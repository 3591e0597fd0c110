"""The trained attributor: a CRF tags source / cue / content tokens, then spans are grouped.

Two steps per article:

1. **Tagging.** A linear-chain CRF (python-crfsuite) labels the tokens of each
   paragraph with BIO tags over the roles SOURCE, CUE and CONTENT, from the features
   in `onrecord.attribute.features`.
2. **Grouping.** Each predicted content fragment and source is attached to a
   predicted cue, preferring cues that govern it in the parse, then cues in the same
   sentence, then the nearest cue of the paragraph. See `group_spans`.

The model file (``onrecord/data/attribution.crfsuite``) ships with the package, with
a side file (``attribution.cues.json``) listing the cue lemmas the features use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from spacy.attrs import HEAD, SENT_START
from spacy.tokens import Doc

from .candidates import Found
from ..errors import ModelError
from .features import DEFAULT_CUE_LEMMAS, FeatureExtractor, _signed

if TYPE_CHECKING:
    import pycrfsuite

DATA_DIR = Path(__file__).parent.parent / "data"
MODEL_FILE = "attribution.crfsuite"
CUES_SUFFIX = ".cues.json"  # side file: model path with this suffix
# How many steps up the parse tree a source or content may be from its cue and
# still count as governed by it.
_LINK_DEPTH = 4


@dataclass(frozen=True, slots=True)
class TokenSpan:
    """A tagged span as doc token indices ``[start, end)``, with its role."""

    role: str
    start: int
    end: int


def decode(tokens: list[int], tags: list[str]) -> list[TokenSpan]:
    """Spans from BIO tags; an ``I-`` that does not continue a span of its role opens one."""
    spans: list[TokenSpan] = []
    role, start, prev = None, 0, -1
    for t, tag in zip(tokens, tags):
        kind, _, tag_role = tag.partition("-")
        if role is not None and (kind != "I" or tag_role != role or t != prev + 1):
            spans.append(TokenSpan(role, start, prev + 1))
            role = None
        if kind in ("B", "I") and role is None:
            role, start = tag_role, t
        prev = t
    if role is not None:
        spans.append(TokenSpan(role, start, prev + 1))
    return spans


class _Tree:
    """Parse heads and sentence / paragraph numbers of a doc, as plain lists."""

    def __init__(self, doc: Doc, paragraph_of: dict[int, int]) -> None:
        rows = doc.to_array([HEAD, SENT_START]).tolist()
        self.head = [i + _signed(r[0]) for i, r in enumerate(rows)]
        self.sent = []
        number = -1
        for r in rows:
            number += r[1] == 1
            self.sent.append(max(number, 0))
        self.paragraph_of = paragraph_of

    def governs(self, cue: TokenSpan, span: TokenSpan) -> bool:
        """Whether a token of ``span`` reaches a token of ``cue`` within a few head steps."""
        for t in range(span.start, span.end):
            node, depth = t, 0
            while depth < _LINK_DEPTH:
                parent = self.head[node]
                if parent == node:
                    break
                if cue.start <= parent < cue.end:
                    return True
                node, depth = parent, depth + 1
        # "according to X": the source hangs below the cue's last word the other way round.
        for t in range(cue.start, cue.end):
            if span.start <= self.head[t] < span.end:
                return True
        return False


def _gap(a: TokenSpan, b: TokenSpan) -> int:
    """Tokens between two spans (0 when adjacent or overlapping)."""
    return max(0, b.start - a.end, a.start - b.end)


def group_spans(spans: list[TokenSpan], tree: _Tree) -> list[tuple[TokenSpan, TokenSpan | None, list[TokenSpan]]]:
    """Group tagged spans into attributions ``(cue, source or None, contents)``.

    Contents and sources choose a cue by (not parse-linked, sentence distance, token
    gap); only cues of the same paragraph qualify. Each cue keeps at most one source
    (PolNeAR gives each token at most one attribution, so sources are not shared).
    """
    cues = [s for s in spans if s.role == "CUE"]
    groups: dict[TokenSpan, tuple[list[TokenSpan], list[TokenSpan]]] = {c: ([], []) for c in cues}
    if not cues:
        return []
    para = tree.paragraph_of
    for span in spans:
        if span.role == "CUE":
            continue
        best, best_key = None, None
        for cue in cues:
            if para.get(cue.start) != para.get(span.start):
                continue
            sent_dist = abs(tree.sent[cue.start] - tree.sent[span.start])
            if span.role == "SOURCE" and sent_dist > 0:
                continue
            key = (not tree.governs(cue, span), sent_dist, _gap(cue, span))
            if best_key is None or key < best_key:
                best, best_key = cue, key
        if best is not None:
            groups[best][0 if span.role == "SOURCE" else 1].append(span)
    result = []
    for cue in cues:
        sources, contents = groups[cue]
        source = min(sources, key=lambda s: (not tree.governs(cue, s), _gap(cue, s))) if sources else None
        result.append((cue, source, sorted(contents, key=lambda s: s.start)))
    return result


class LearnedAttributor:
    """Attributions predicted by the trained CRF model.

    Use `LearnedAttributor.load()` for the packaged model.
    """

    def __init__(self, tagger: "pycrfsuite.Tagger", extractor: FeatureExtractor, keep_cues_without_content: bool = False,
                 stacked: bool = False) -> None:
        self._tagger = tagger
        self.extractor = extractor
        self.keep_cues_without_content = keep_cues_without_content
        # A stacked model was trained with the rules' attributions as features.
        self.stacked = stacked

    @classmethod
    def load(cls, path: str | Path | None = None) -> LearnedAttributor:
        """Load a model file (default: the one shipped in ``onrecord/data``).

        The cue lemma list is read from the side file ``<model>.cues.json`` when present.

        Raises:
            ModelError: the model file is missing or cannot be read by crfsuite.
        """
        import pycrfsuite

        model = Path(path) if path is not None else DATA_DIR / MODEL_FILE
        if not model.is_file():
            raise ModelError(f"attribution model {model} not found; train one with `onrecord train`")
        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(str(model))
        except (OSError, ValueError) as err:
            raise ModelError(f"attribution model {model} is broken: {err}") from None
        if not tagger.labels():
            raise ModelError(f"attribution model {model} has no labels")
        cues = DEFAULT_CUE_LEMMAS
        stacked = False
        side = model.with_suffix(CUES_SUFFIX)
        if side.is_file():
            try:
                info = json.loads(side.read_text(encoding="utf-8"))
                cues = frozenset(info["cue_lemmas"])
                stacked = bool(info.get("stacked", False))
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                raise ModelError(f"cue list {side} is broken: {err}") from None
        return cls(tagger, FeatureExtractor(cues), stacked=stacked)

    def tag(self, doc: Doc, rules: Sequence[Found] | None = None) -> tuple[list[TokenSpan], dict[int, int]]:
        """Tagged spans of ``doc`` and the paragraph number of each non-space token.

        ``rules`` (the rules' attributions of ``doc``) is used by stacked models only.
        """
        spans: list[TokenSpan] = []
        paragraph_of: dict[int, int] = {}
        for number, seq in enumerate(self.extractor.sequences(doc, rules if self.stacked else None)):
            tags = self._tagger.tag(seq.features)
            spans.extend(decode(seq.tokens, tags))
            for t in seq.tokens:
                paragraph_of[t] = number
        return spans, paragraph_of

    def predict(self, doc: Doc, rules: Sequence[Found] | None = None,
                skip: Iterable[tuple[int, int]] = ()) -> list[Found]:
        """Attributions of one parsed article as character offsets into ``doc.text``.

        A stacked model reads the rules' attributions: pass them as ``rules`` when
        they are at hand (the pipeline does), else they are found here, outside ``skip``.
        """
        if self.stacked and rules is None:
            from .rules import find_attributions

            rules = find_attributions(doc, skip)
        spans, paragraph_of = self.tag(doc, rules)
        if not spans:
            return []
        tree = _Tree(doc, paragraph_of)

        def chars(span: TokenSpan) -> tuple[int, int]:
            last = doc[span.end - 1]
            return doc[span.start].idx, last.idx + len(last)

        found = []
        for cue, source, contents in group_spans(spans, tree):
            if not contents and not self.keep_cues_without_content:
                continue
            found.append(Found(
                cue=chars(cue),
                content=tuple(chars(c) for c in contents),
                source=chars(source) if source else None,
                origin="model",
            ))
        return found
