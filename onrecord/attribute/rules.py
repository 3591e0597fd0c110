"""Hand-written attribution rules over the spaCy parse, run in order by `find_attributions`.

They cover the patterns that a statistical model sees too rarely or cannot see at
all: verb cues in both orders (``X said that ...``, ``"...," said X``), passive
cues (``was reported by X``), ``according to X``, ``as X noted, ...``, colon lead-ins (``Quote from X:
"..."``, ``X: "..."``), a ``Source: X`` line that attributes the paragraph before
it, and noun cues (``X's claim that ...``). Every rule returns `Found` records
(character offsets only); speakers, stance and dates are resolved later.

The rules live by construction: `verb_cues` (verbs), `phrase_cues` (according to, "as X said", noun
cues, trailing hedges), `layout_cues` (colons, dashes, source lines); the spans they
share are in `roles` and the quotations in `quotations`.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from .candidates import Found, Offsets
from .layout_cues import bracket_labels, colon_leads, dash_sources, source_lines, tweet_signatures
from .phrase_cues import according_to, as_x_said, noun_cues, trailing_hedges
from .quotations import closing_mark, doc_quotations, quotations
from .roles import TRIM_CONTENT, cue_offsets, subtree_offsets as _subtree_offsets, trim
from .verb_cues import addressee, asked_participle, made_clear, mistagged_verbs, seen_as, verb_cues

# Besides `find_attributions`, names that other modules (merging, quotes, committee, filter,
# training.crf) and tests import from here; each is defined in the module it is imported from.
__all__ = ["TRIM_CONTENT", "_subtree_offsets", "addressee", "asked_participle", "closing_mark", "cue_offsets",
           "doc_quotations", "find_attributions", "quotations", "trim"]


def find_attributions(doc: Doc, skip: Iterable[Offsets] = ()) -> list[Found]:
    """All rule-based attributions of a parsed article, in text order, without duplicates.

    Args:
        doc: the parsed article.
        skip: spans (title, date line, boilerplate) that hold no content.
    """
    skip = list(skip)
    quotes = doc_quotations(doc)
    found = source_lines(doc, quotes, skip) + colon_leads(doc, quotes) + dash_sources(doc, quotes)
    found += tweet_signatures(doc, skip) + bracket_labels(doc, skip)
    found += according_to(doc, quotes) + as_x_said(doc, quotes)
    found += trailing_hedges(doc, quotes) + made_clear(doc, quotes) + mistagged_verbs(doc, quotes)
    found += seen_as(doc, quotes) + verb_cues(doc, quotes) + noun_cues(doc, quotes)
    result: list[Found] = []
    taken: set[int] = set()  # characters of the cues kept so far
    for f in found:
        if any(s <= f.cue[0] < e for s, e in skip):
            continue
        if taken.intersection(range(*f.cue)):
            continue  # one attribution per cue: the more specific rule came first
        taken.update(range(*f.cue))
        result.append(f)
    return sorted(result, key=lambda f: f.cue)
