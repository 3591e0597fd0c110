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
someone in the simple past (`SPOKE`). A second-person speaker outside quotations ("if you're
asking whether …", "you can call it …") is the writer addressing the reader: left out too, as is
a sentence that speaks to the reader without a subject ("Expect the senator to …", "Wondering how
…?"), and an infinitive with nobody to think or say it ("there's no reason to think they'll win").
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
# outside quotations "you" is the reader the writer addresses, never a source on the record
_READER = frozenset({"you"})
_WRITER_OR_READER = FIRST_PERSON_PRONOUNS | _READER
SPOKE = frozenset(["say", "tell", "ask", "write", "reply", "respond", "answer", "explain", "email", "text",
                   "message", "tweet"])


def writers_voice(doc: Doc, found: Found, tokens: _Tokens, quotes: list[Offsets]) -> bool:
    """Whether ``found`` is the writer speaking in the first person (see the module docstring)."""
    if found.origin == "layout":
        return False
    cue = _root(tokens.span(*found.cue))
    if cue is None:
        return False
    if found.source is None and found.inherited_source is None and _impersonal(cue):
        return True
    speaker = _speaker(found, cue, tokens)
    # the object of an imperative ("Expect the senator to …") is no source either; an inverted cue
    # ("“…,” explain the authors") has its content before it
    addressed = (found.inherited_source is None and _addresses(cue)
                 and all(start >= found.cue[1] for start, _ in found.content))
    if not addressed and (speaker is None or speaker.lower_ not in _WRITER_OR_READER):
        return False
    if _in_quote(quotes, found.cue[0]):
        return False
    text = doc_index(doc).text  # Doc.text joins every token on each call
    paragraph = text.rfind("\n", 0, found.cue[0]) + 1
    if _TURN.match(text, paragraph) or _open_quote(text[paragraph:found.cue[0]]):
        return False
    if addressed or (speaker is not None and speaker.lower_ in _READER):
        return True  # the writer addressing the reader: "if you're asking whether …", "you can call it …"
    return not (cue.tag_ == "VBD" and cue.lemma_.lower() in SPOKE)


def _impersonal(cue: Token) -> bool:
    """An infinitive with nobody to think or say it: "there's no reason to think they'll win",
    "it's fair to think that …" (in a quotation too: a possibility weighed, not a statement)."""
    if not any(c.tag_ == "TO" for c in cue.children) or any(c.dep_ in _SUBJECTS for c in cue.children):
        return False
    head = cue.head
    if cue.dep_ in {"relcl", "acl"}:
        return head.pos_ == "NOUN" and not head.ent_type_
    return cue.dep_ == "xcomp" and (head.pos_ == "ADJ" or head.lemma_.lower() == "be")


def _addresses(cue: Token) -> bool:
    """A sentence that speaks to the reader without a subject: an imperative ("Expect the senator to
    …", "Say goodbye to …", "Note that …") or a question opened by a participle ("Wondering how …?")."""
    if cue.dep_ != "ROOT" or any(c.dep_ in _SUBJECTS or c.dep_ == "expl" for c in cue.children):
        return False
    first = next((t for t in cue.sent if not (t.is_punct or t.is_space)), cue)
    return cue.tag_ == "VB" or (cue.tag_ == "VBG" and first.i == cue.i)


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
