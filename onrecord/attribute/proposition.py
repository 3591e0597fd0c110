"""A cue needs a proposition: requests, plans and refusals are not statements.

onrecord reports who *said*, *believes* or *denies* something (DESIGN.md). Verbs of asking,
ordering, planning, deciding and refusing also take a complement ("declined to comment",
"called on utilities to cut power", "plans to cut its emissions", "asked that he refrain"),
but what follows them is an act wished for, not a claim that can be true or false, so it is
not an attribution. PolNeAR annotates many of these, the web references and the sample do
not; docs/model.md measures both.

A candidate states no proposition when its content has no quotation mark, no finite verb,
no fragment before the cue ("X is forecast to …" reports X's forecast), and its head is a
verb in the base form (an infinitive or a subjunctive). Noun-phrase contents stay:
reporting verbs take facts and events as objects ("revealed a surge in cases"), except
after a directive cue ("urged restraint", "called for negotiations", "pushed the firm to
act"), a naming one ("were named best soloists", "was known for his portraits") or an
endorsing one ("endorsed Senator Harris"), when it is only the topic of a talk ("spoke about
the war", "was asked about the plan"), or after an answer not given ("did not respond to
requests for comment"). A content of only function words ("pushed the")
is a cut-off stub. Commissive cues stay: a promise, a threat, a denial or a prediction
commits the speaker to something true or false ("vowed to veto the bill", "expects to win").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from ..nlp import FINITE_TAGS, doc_index
from .candidates import Found
from .filter import _root, _Tokens

COMMISSIVE = frozenset(
    "promise pledge vow threaten swear guarantee commit insist claim deny admit predict expect warn".split())
# Directive cues: what they govern is wished for, also when it is a noun phrase ("urged restraint",
# "demanded an apology"); "call", "ask", "appeal", "press" and "push" only with "for" or "on"
# ("calling for negotiations"; "called the plan a mistake" is a statement).
DIRECTIVE = frozenset("urge demand request order instruct plead beg".split())
DIRECTIVE_WITH_FOR = frozenset("call ask appeal press push".split())
# Naming and reputation: "were named best soloists", "was known for his portraits" give a title
# or a name, not a statement anyone made (PolNeAR annotates some of them).
NAMING = frozenset("name appoint elect nominate crown dub know".split())
# Endorsement and opposition: "endorsed Senator Harris", "backing the bill" take a side; with no
# clause or quotation after them they report no statement (the web references leave them out).
ENDORSING = frozenset("endorse back support champion favor favour oppose".split())
_TITLE_OR_SIDE = NAMING | ENDORSING
# Verbs of talking that name their topic with a preposition: "talked about the economy", "was
# asked about the plan", "commented on the report" say what was discussed, not what was said.
TOPICAL = frozenset("talk speak ask question comment write testify tweet post chat".split())
_ABOUT = frozenset("about on over regarding concerning".split())
ANSWERING = frozenset("respond reply answer comment return".split())
# "declined to comment", "refused to elaborate": a refusal to answer at all ("declined to say
# whether …" stays: like "isn't saying whether", it withholds a claim on the record)
REFUSING = frozenset("decline refuse".split())
_NO_COMMENT = ANSWERING | frozenset("elaborate speculate discuss".split())
_QUOTE_CHARS = frozenset("\"“”«»„‘’'")
# A content without one of these (only articles, prepositions, punctuation) says nothing.
_WORDS_THAT_SAY = frozenset({"NOUN", "PROPN", "PRON", "VERB", "AUX", "ADJ", "ADV", "NUM", "INTJ"})


def _depth(token: Token) -> int:
    """Steps from ``token`` up to its sentence's root (bounded: parses are trees, but be safe)."""
    n = 0
    while token.head.i != token.i and n < 64:
        token, n = token.head, n + 1
    return n


def states_proposition(doc: Doc, found: Found, tokens: _Tokens | None = None) -> bool:
    """Whether ``found``'s content is something that can be true or false (see the module)."""
    text = doc_index(doc).text
    idiom = _IDIOM.match(text, _sentence_start(text, found.cue[0]))
    if idiom is not None and idiom.end() > found.cue[1]:
        return False  # "That said, …", "Needless to say, …": the writer's connective, nobody's words
    if not found.content:
        return True
    tokens = tokens or _Tokens(doc)
    if any(ch in _QUOTE_CHARS for s, e in found.content for ch in (text[s], text[e - 1])):
        return True
    content = [t for s, e in found.content for t in tokens.span(s, e)]
    cue = _root(tokens.span(*found.cue))
    if cue is not None and cue.lemma_.lower() in REFUSING and _no_comment(content):
        return False  # "declined to comment on whether …": the clause is the question left open
    if any(t.tag_ in FINITE_TAGS for t in content) or not content:
        return True
    if not any(t.pos_ in _WORDS_THAT_SAY for t in content):
        return False  # a stub: "pushed the" where the tagger cut the content after its article
    if cue is not None and cue.lemma_.lower() in _TITLE_OR_SIDE:
        return False  # a title given or a side taken: "X was named Y", "was endorsed by Y"
    if any(e <= found.cue[0] for _, e in found.content):
        return True
    head = min(content, key=_depth)
    if head.pos_ not in {"VERB", "AUX"}:
        # a noun phrase: a fact or an event reported ("announced a deal to sell …"), unless asked
        # for, or only the topic of a talk
        return cue is None or not (_directive(cue) or _topic(cue, head) or _no_answer(cue))
    infinitive = head.tag_ == "VB" or any(
        c.tag_ == "TO" or (c.dep_ in {"aux", "auxpass"} and c.tag_ == "VB") for c in head.children)
    if not infinitive:
        return True
    return cue is not None and cue.lemma_.lower() in COMMISSIVE


# connectives built on a verb of saying: the writer's, with nothing said by anyone
_IDIOM = re.compile(r"\W*(?:(?:that|this)(?: being)? said|having said (?:that|this)|needless to say|"
                    r"suffice it to say|that is to say),", re.IGNORECASE)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (after the last ". ", "? ", "! " or line break)."""
    ends = [i + 2 for end in (". ", "? ", "! ") if (i := text.rfind(end, 0, pos)) != -1]
    return max([*ends, text.rfind("\n", 0, pos) + 1])


def _topic(cue: Token, head: Token) -> bool:
    """Whether the noun phrase ``head`` is what ``cue`` talked about ("spoke about the war")."""
    if cue.lemma_.lower() not in TOPICAL:
        return False
    preposition = head.head if head.dep_ == "pobj" else head
    return preposition.lower_ in _ABOUT and preposition.head.i == cue.i


def _no_comment(content: list[Token]) -> bool:
    """Whether the content opens with "to comment", "to elaborate", … (after a refusal)."""
    words = [t for t in content if not t.is_punct][:2]
    return len(words) == 2 and words[0].tag_ == "TO" and words[1].lemma_.lower() in _NO_COMMENT


def _no_answer(cue: Token) -> bool:
    """ "did not respond to requests for comment", "would not comment on the report": no answer
    given is nothing said (a negated "say" stays: "isn't saying whether" withholds a claim)."""
    return cue.lemma_.lower() in ANSWERING and any(c.dep_ == "neg" for c in cue.children)


def _directive(cue: Token) -> bool:
    """Whether ``cue`` asks for what it governs ("urged restraint", "called for talks")."""
    lemma = cue.lemma_.lower()
    if lemma in DIRECTIVE:
        return True
    if lemma not in DIRECTIVE_WITH_FOR:
        return False
    # "calling for talks", "called on utilities to …"; "pushed the retailer to take a stance"
    children = list(cue.children)
    if any(c.lower_ in ("for", "on") and c.dep_ in ("prep", "prt") for c in children):
        return True
    return any(c.dep_ == "dobj" for c in children) and any(
        c.dep_ in ("xcomp", "ccomp", "advcl") and any(g.tag_ == "TO" for g in c.children) for c in children)


def with_propositions(doc: Doc, found: Iterable[Found], tokens: _Tokens | None = None) -> list[Found]:
    """The candidates that state a proposition; layout attributions (``Source:`` lines) always do.

    ``tokens``: the doc's offset lookup where the caller has built it already.
    """
    tokens = tokens or _Tokens(doc)
    return [f for f in found if f.origin == "layout" or states_proposition(doc, f, tokens)]
