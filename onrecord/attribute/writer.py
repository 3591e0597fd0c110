"""The writer's own voice is not an attribution.

onrecord answers *who said what, according to whom*: the writer of an article is the one
reporting, not a source. In reviews, blogs, columns and opinion pieces the writer often
speaks in the first person outside any quotation ("I think this will be the cheapest TV",
"we believe the grant is well placed", "I found that long combos are deadlier"); the
conventions of the references (data/news/README.md, rule 12) leave that voice out, as do
corpora that annotate speech only. What stays is the writer's report of their own past
speech to someone ("I asked his friends whether …", "I told them that …"): that is a
statement made on the record, to a source.

A candidate is the writer's voice when its speaker is a first-person pronoun (the candidate's
source, else the cue's subject), its cue stands outside every quotation, its paragraph is not
a transcript's turn ("A: I think …", "SMITH: We …") and its cue is not a verb of speaking to
someone in the simple past (`SPOKE`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from ..lexicon import FIRST_PERSON_PRONOUNS
from ..nlp import doc_index
from .candidates import Found, Offsets
from .filter import _in_quote, _root, _Tokens
from .quotations import doc_quotations

# "A: …", "Q: …", "SMITH: …", "Dr Jane Roe: …": a speaker's turn in an interview or transcript
_TURN = re.compile(r"[A-Z][\w.'’ -]{0,40}:\s")
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# speaking to someone: the writer's past speech to a source ("I asked", "I told them", "I wrote back")
SPOKE = frozenset(["say", "tell", "ask", "write", "reply", "respond", "answer", "explain", "email", "text",
                   "message", "tweet"])


def writers_voice(doc: Doc, found: Found, tokens: _Tokens, quotes: list[Offsets]) -> bool:
    """Whether ``found`` is the writer speaking in the first person (see the module docstring)."""
    if found.origin == "layout":
        return False
    cue = _root(tokens.span(*found.cue))
    if cue is None:
        return False
    speaker = _speaker(found, cue, tokens)
    if speaker is None or speaker.lower_ not in FIRST_PERSON_PRONOUNS:
        return False
    if _in_quote(quotes, found.cue[0]):
        return False
    text = doc_index(doc).text  # Doc.text joins every token on each call
    paragraph = text.rfind("\n", 0, found.cue[0]) + 1
    if _TURN.match(text, paragraph) or _open_quote(text[paragraph:found.cue[0]]):
        return False
    return not (cue.tag_ == "VBD" and cue.lemma_.lower() in SPOKE)


def _open_quote(before: str) -> bool:
    """A quotation opened earlier in the paragraph and not closed before the cue: one that runs on
    over several paragraphs (closed only at the end of the last), or that is marked with two
    apostrophes (''…'', as in the New York Times archive), which `quotations` does not read."""
    return (before.count("“") > before.count("”") or before.count('"') % 2 == 1
            or before.count("''") % 2 == 1)


def _speaker(found: Found, cue: Token, tokens: _Tokens) -> Token | None:
    if found.source is not None:
        words = tokens.span(*found.source)
        return words[0] if len(words) == 1 else None
    if found.inherited_source is not None:
        return None  # the subject of an earlier verb: judged there
    return next((c for c in cue.children if c.dep_ in _SUBJECTS), None)


def without_writer(doc: Doc, found: Iterable[Found], tokens: _Tokens | None = None) -> list[Found]:
    """The candidates that are not the writer's own voice (`writers_voice`)."""
    tokens = tokens or _Tokens(doc)
    quotes = doc_quotations(doc)
    return [f for f in found if not writers_voice(doc, f, tokens, quotes)]
