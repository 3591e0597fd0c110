"""Hand-written attribution rules over the spaCy parse.

They cover the patterns that a statistical model sees too rarely or cannot see at
all: verb cues in both orders (``X said that ...``, ``"...," said X``), passive
cues (``was reported by X``), ``according to X``, colon lead-ins (``Quote from X:
"..."``, ``X: "..."``), a ``Source: X`` line that attributes the paragraph before
it, and noun cues (``X's claim that ...``). Every rule returns `Found` records
(character offsets only); speakers, stance and dates are resolved later.
"""

from __future__ import annotations

import itertools
import re
import sys
from bisect import bisect_right
from collections.abc import Iterable

from spacy.tokens import Doc, Span as SpacySpan, Token

from .candidates import Found, Offsets
from ..nlp import doc_index
from ..lexicon import (BELIEVE, COLON_LEADS, HEDGES, MEDIA_NOUNS, NEEDS_CLAUSE, OBJECT_VERBS, QUESTION, SPEECH_NOUNS,
                       SPEECH_VERBS, STATEMENT_OBJECT_VERBS)

len_max = sys.maxsize  # sorts after any end offset in bisections over (start, end) pairs
_OPEN = "“\"«„"
# Each opening mark with the marks that close it: pages mix curly and straight quotes
# ("“..." closed by a straight mark and vice versa), so both close either.
_CLOSE = {"“": "”\"", "\"": "\"”", "«": "»", "„": "“”"}
# a straight mark closes only after a non-space, so the opening marks of following paragraphs don't
_CLOSERS = {mark: re.compile("|".join(re.escape(c) if c != '"' else r'(?<=\S)"' for c in closers))
            for mark, closers in _CLOSE.items()}
_TRIM = " \t\n\r,.;:!?-–—•*"
# Contents keep their quotation marks and final punctuation inside quotes; only separators go.
TRIM_CONTENT = " \t\n\r,;:-–—•*"
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_CUE_LEFT = {"aux", "auxpass", "neg", "advmod"}
_CLAUSE_DEPS = {"ccomp", "xcomp"}
# Where a statement was made, which PolNeAR counts as part of the cue ("said in a statement").
CUE_SETTINGS = frozenset("statement interview briefing release email speech conference call tweet post letter "
                         "appearance rally debate hearing remarks podcast show broadcast message".split())


# The closing marks as patterns of their own, each searched forward once (see `quotations`);
# "\n\n" ends a paragraph, which a quotation does not cross.
_CLOSER_PATTERNS = {"”": re.compile("”"), "\"": re.compile(r'(?<=\S)"'), "»": re.compile("»"), "“": re.compile("“"),
                    "\n\n": re.compile("\n\n")}
_OPENING_MARK = re.compile("[" + re.escape(_OPEN) + "]")
_MAX_QUOTATION = 5000


def quotations(text: str) -> list[Offsets]:
    """(start, end) of each quotation, marks included; a quotation stays within a paragraph.

    A straight mark closes only after a non-space ("...now," he said), so that the
    opening marks of a quotation's following paragraphs ("...\n"More...") don't close it.

    Linear time on any text: the next mark of each kind is found once and kept until the
    opening marks pass it, so no stretch of text is searched twice for the same mark
    (searching from each opening mark took 17 s for 33,000 unclosed “).
    """
    spans: list[Offsets] = []
    n = len(text)
    following: dict[str, int] = {}  # each kind of mark: its next position (n: none left)

    def next_at(kind: str, pos: int) -> int:
        at = following.get(kind, -1)
        if at < pos:
            m = _CLOSER_PATTERNS[kind].search(text, pos)
            at = following[kind] = m.start() if m else n
        return at

    resume = 0  # past the last quotation found
    for m in _OPENING_MARK.finditer(text):
        i = m.start()
        ch = text[i]
        if i < resume or (ch == "\"" and i and text[i - 1].isalnum()):
            continue
        j = min(next_at(closer, i + 1) for closer in _CLOSE[ch])
        if j < min(n, i + _MAX_QUOTATION) and next_at("\n\n", i + 1) + 2 > j:
            spans.append((i, j + 1))
            resume = j + 1
    return spans


def doc_quotations(doc: Doc) -> list[Offsets]:
    """`quotations` of the doc's text, found once per document (cached in ``doc.user_data``)
    and shared by the rules, the filter's features and `quotes`."""
    cached = doc.user_data.get("onrecord_quotations")
    if not isinstance(cached, list):
        cached = doc.user_data["onrecord_quotations"] = quotations(doc_index(doc).text)
    return cached


def closing_mark(text: str, start: int, end: int) -> int:
    """Index of the mark in text[start + 1:end] that closes the quotation opened at ``start``, or -1."""
    pattern = _CLOSERS.get(text[start])
    m = pattern.search(text, start + 1, end) if pattern else None
    return m.start() if m else -1


def trim(text: str, start: int, end: int, chars: str = _TRIM) -> Offsets:
    """Offsets without the leading/trailing whitespace and punctuation in ``chars``."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _subtree_offsets(token: Token, exclude: Iterable[Token] = ()) -> Offsets:
    """Character span of a token's subtree, leaving out the subtrees of ``exclude``."""
    skip = {t.i for ex in exclude for t in ex.subtree}
    tokens = [t for t in token.subtree if t.i not in skip]
    # keep the contiguous run around the token itself
    idx = {t.i for t in tokens}
    lo = hi = token.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    doc = token.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def cue_offsets(verb: Token) -> Offsets:
    """The cue: the verb with the auxiliaries, negation and adverbs right before it."""
    start = verb.i
    for child in sorted(verb.lefts, key=lambda t: -t.i):
        if child.dep_ in _CUE_LEFT and child.i == start - 1 and child.pos_ in {"AUX", "PART", "ADV"}:
            start = child.i
    doc = verb.doc
    end = verb
    for child in verb.rights:
        if child.i != end.i + 1:
            break
        if child.dep_ == "prt":  # phrasal verbs: "pointed out"
            end = child
        elif child.dep_ in {"npadvmod", "advmod"} and child.pos_ in {"ADV", "NOUN", "PROPN"} \
                and child.lower_ not in {"that", "so", "then", "too", "here", "there"}:
            end = child.right_edge  # "said Friday", "said Thursday morning", "said sarcastically"
        elif child.dep_ == "prep" and child.lower_ in {"in", "at", "during", "on", "via"} and any(
                g.dep_ == "pobj" and g.lemma_.lower() in CUE_SETTINGS for g in child.children):
            end = child.right_edge  # "said in a statement", "said at a briefing"
        else:
            break
    return doc[start].idx, end.idx + len(end)


def _quote_at(quotes: list[Offsets], start: int, end: int) -> Offsets | None:
    # quotations do not overlap and are sorted: the candidate is the last one starting at or before
    i = bisect_right(quotes, (start, len_max)) - 1
    if i >= 0 and quotes[i][0] <= start and end <= quotes[i][1]:
        return quotes[i]
    return None


def _near(quotes: list[Offsets], left: int, right: int, reach: int = 10) -> list[Offsets]:
    """The quotations that end or start within ``reach`` characters of [left, right)."""
    lo = max(0, bisect_right(quotes, (left - 6000, 0)) - 1)
    hi = bisect_right(quotes, (right + reach, len_max))
    return [q for q in quotes[lo:hi] if q[1] >= left - reach or q[0] >= right]


def _adjacent_quotes(text: str, quotes: list[Offsets], left: int, right: int) -> list[Offsets]:
    """Quotations that touch the stretch [left, right) with only ``,:`` and spaces between."""
    found = []
    for q in _near(quotes, left, right):
        if q[1] <= left and not text[q[1]:left].strip(" ,:\t"):
            found.append(q)
        elif q[0] >= right and not text[right:q[0]].strip(" ,:\t"):
            found.append(q)
    return found


def _clean_span(text: str, offsets: Offsets) -> Offsets | None:
    start, end = trim(text, *offsets)
    return (start, end) if end > start else None


def _content_of(text: str, quotes: list[Offsets], clause: Token, cue: Offsets) -> Offsets | None:
    span = _clean_span(text, _subtree_offsets(clause))
    if span is None:
        return None
    # a clause that lies in a quotation (the cue outside it) is reported as the whole quotation
    inner = _quote_at(quotes, span[0], span[1])
    if inner is not None and inner[0] <= cue[0] < inner[1]:
        return span
    return inner or span


_DATELINE = re.compile(r"(?m)^[A-Z][A-Z .,'-]+(?:\([\w .]+\))?\s*(?:--|—|–)\s*")


def source_offsets(text: str, subject: Token) -> Offsets | None:
    """The source noun phrase: a subject's subtree without a dateline ("WASHINGTON --")."""
    span = _clean_span(text, _subtree_offsets(subject))
    if span and (m := _DATELINE.match(text, span[0], span[1])) and m.end() < span[1]:
        span = (m.end(), span[1])
    return span


def _source_of(verb: Token) -> Token | None:
    """The verb's subject; not a dateline ("OTTAWA —") parsed as a second one."""
    left = [c for c in verb.lefts if c.dep_ in {"nsubj", "csubj"}]
    if left:
        return next((c for c in left if not _is_dateline(c)), left[0])
    for child in verb.rights:
        if child.dep_ in {"nsubj"}:
            return child
    return None


def _is_dateline(token: Token) -> bool:
    """A place name in capitals opening a line and followed by a dash: "OTTAWA —", "LAGOS (Reuters) --"."""
    text = doc_index(token.doc).text
    line_start = text.rfind("\n", 0, token.idx) + 1
    m = _DATELINE.match(text, line_start)
    return m is not None and line_start <= token.idx < m.end() and token.text.isupper()


# Verbs that take no object as their statement: after a comma, the noun phrase that follows
# them is the speaker ("..., argued the spokesman", "..., insists 16-year-old Sam Reed, in ...").
_INVERTING = frozenset("""
say add argue insist explain claim note state contend assert maintain write recall observe reply respond
answer warn predict complain suggest acknowledge concede continue
""".split())


def _inverted_subject(verb: Token, lemma: str) -> Token | None:
    """The speaker after a comma and the cue, parsed as the cue's object: "..., argued the spokesman."."""
    doc = verb.doc
    if lemma not in _INVERTING or verb.tag_ not in {"VBD", "VBZ", "VBP"} or verb.i == 0 \
            or doc[verb.i - 1].text not in {",", "”", "\"", "’"}:
        return None  # "..., suggesting a few questions": a participle's object is no speaker
    for child in verb.rights:
        if child.dep_ not in {"dobj", "attr", "npadvmod", "appos", "oprd", "dative"} or child.left_edge.i != verb.i + 1:
            continue
        if child.pos_ not in {"PROPN", "NOUN"} or (child.pos_ == "NOUN" and not any(
                t.pos_ in {"DET", "PROPN"} or t.dep_ in {"poss", "amod", "compound"} for t in child.lefts)):
            return None
        after = child.right_edge.i + 1
        if after >= len(doc) or doc[after].text in {",", ".", ";", "!", "?"} or doc[after].is_space:
            return child
        return None
    return None


def _filtered_out(verb: Token, lemma: str, subject: Token | None) -> bool:
    """Cue words that are not attributions here: modifiers, infinitives, hedges ("I think")."""
    if verb.dep_ in {"amod", "compound", "acomp"}:
        return True
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and verb.dep_ in {"xcomp", "advcl", "acl"}:
        return not performative(verb)  # "to say", "wanted to know"
    if lemma in HEDGES and subject is not None and subject.lower_ in {"i", "you", "we"}:
        return True  # "I think", "you know": hedges inside quotations
    return lemma in HEDGES and any(c.dep_ == "neg" for c in verb.children)


# Passive cues that raise their subject out of the reported clause: "X is said / expected to ...".
_RAISING = BELIEVE | frozenset("say report claim allege rumour rumor".split())


def asked_participle(verb: Token) -> bool:
    """A bare passive participle opening a clause: "Asked why ..., X said": X is the one asked, not the asker."""
    # the tagger often reads a sentence-opening participle as a past tense ("Asked/VBD what ...")
    opening = verb.tag_ == "VBD" and verb.i == verb.left_edge.i and (
        verb.i == 0 or verb.doc[verb.i - 1].is_punct or verb.doc[verb.i - 1].is_space or bool(verb.is_sent_start))
    return (verb.tag_ == "VBN" or opening) and verb.dep_ in {"advcl", "ccomp", "xcomp"} and not any(
        c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} for c in verb.children)


def performative(verb: Token) -> bool:
    """A speech verb announced or hedged by its head: "I want to stress that ...", "voters seemed to agree that ..."."""
    if verb.dep_ != "xcomp" or verb.head.i > verb.i or not any(c.dep_ == "ccomp" for c in verb.children):
        return False
    head = verb.head.lemma_.lower()
    if head in {"seem", "appear"}:
        return True  # the statement is hedged, not requested: "appeared to acknowledge that ..."
    return head in {"want", "like"} and verb.lemma_.lower() not in NEEDS_CLAUSE | {"ask", "know"}


def _inherited_subject(verb: Token) -> Token | None:
    """The subject a subject-less verb shares with the verb it hangs off (conj, advcl, xcomp).

    Also the subject of the verb a gerund cue completes through "as" / "for": "X is on the
    record as saying ...", "X was quoted as saying ...", "X is known for saying ..."."""
    head = verb
    for _ in range(3):
        if head.dep_ == "pcomp" and head.head.dep_ == "prep" and head.head.lower_ in {"as", "for"} \
                and head.head.head.i != head.head.i:
            head = head.head.head
            subject = _source_of(head) or next((c for c in head.children if c.dep_ == "nsubjpass"), None)
            if subject is not None:
                return subject
            continue
        if head.dep_ not in {"conj", "advcl", "xcomp"} or head.head is head:
            return None
        head = head.head
        subject = _source_of(head)
        if subject is not None:
            return subject
    return None


def _object_content(verb: Token) -> list[Token]:
    """Right-hand complements of an object-taking cue: "called Clinton a 'champion'"."""
    return [c for c in verb.rights if c.dep_ in {"dobj", "oprd", "dative", "ccomp", "xcomp", "attr"}
            or (c.dep_ == "prep" and c.lower_ in {"as", "of", "for"})]


def _continued_quotes(text: str, quotes: list[Offsets], after: int) -> list[Offsets]:
    """Quotations that carry on right after ``X said.`` in the same paragraph."""
    more: list[Offsets] = []
    rest = text[after:after + 3]
    if not rest.startswith((".", ",", ";")) and not rest[:1].isspace():
        return more
    position = after
    for q in quotes[bisect_right(quotes, (after, 0)):]:
        if q[0] < position:
            continue
        gap = text[position:q[0]]
        if gap.strip(" .,;:\t") or "\n\n" in gap or "\n" in gap.strip(" .,;:\t"):
            break
        more.append(q)
        position = q[1]
    return more


_PROGRAMMES = frozenset("show program programme podcast broadcast newscast radio station channel".split())


def addressee(verb: Token) -> Offsets | None:
    """Whom ``told`` addresses, with a programme after a possessive: "told CBS News' Morning show"."""
    person = next((c for c in verb.rights if c.dep_ in {"dobj", "dative"}), None)
    if person is None:
        return None
    doc = verb.doc
    # the noun phrase without a clause hung on it ("told the station [the plant was shut]")
    end = max([person.i] + [c.right_edge.i for c in person.children if c.dep_ not in _TOLD_CLAUSES])
    if end + 1 < len(doc) and doc[end + 1].text in {"'", "’", "'s", "’s"}:
        # the programme's name: capitalised words, "the", "of", up to a programme noun
        k = end + 2
        while k < len(doc) and k - end < 8 and (doc[k].text[:1].isupper() or doc[k].lower_ in {"the", "of", "and"}):
            k += 1
        if k < len(doc) and doc[k].lower_ in _PROGRAMMES:
            k += 1
        end = k - 1
    return doc[person.left_edge.i].idx, doc[end].idx + len(doc[end])


_TOLD_CLAUSES = {"ccomp", "relcl", "acl"}


def _told_clause(verb: Token) -> Token | None:
    """What was told: the clause after the addressee, also where it was parsed as part of the addressee.

    "told NBC News' Weekend program the count could ...": the clause hangs on "program"
    (a relative clause) or on "Weekend" misparsed as a verb; a clause with a subject of its
    own that starts after the addressee is what was told.
    """
    whom = addressee(verb)
    for clause in (c for c in verb.rights if c.dep_ == "ccomp"):
        if whom is None or clause.left_edge.idx >= whom[1]:
            return clause
    if whom is None:
        return None
    return next((t for t in verb.subtree if t.dep_ in _TOLD_CLAUSES and t.left_edge.idx >= whom[1]
                 and any(c.dep_ in {"nsubj", "nsubjpass"} and c.tag_ not in {"WDT", "WP", "WP$"}
                         for c in t.children)), None)


def verb_cues(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``X said (that) ...``, ``"...," X said``, ``"...," said X``, ``... was reported by X``."""
    text = doc_index(doc).text
    found: list[Found] = []
    # whom a statement was told ("told CBS News' Morning show"): never a cue or content of its own
    addressees = [a for verb in doc if verb.lemma_.lower() == "tell" and (a := addressee(verb)) is not None]
    for verb in doc:
        lemma = verb.lemma_.lower()
        if verb.pos_ not in {"VERB", "AUX"} or lemma not in SPEECH_VERBS | OBJECT_VERBS:
            continue
        subject = _source_of(verb)
        inverted = _inverted_subject(verb, lemma) if subject is None else None
        subject = subject or inverted
        if _filtered_out(verb, lemma, subject) or any(s <= verb.idx < e for s, e in addressees):
            continue
        passive_subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        clause = next((c for c in verb.children if c.dep_ in _CLAUSE_DEPS
                       and not (c.dep_ == "xcomp" and lemma in {"continue", "begin"})
                       and not (c.dep_ == "xcomp" and lemma == "say" and passive_subject is None)), None)
        if lemma == "tell":
            clause = _told_clause(verb) or clause
        if clause is None and lemma in QUESTION:
            # "asked if the plan works": the question parsed as an adverbial clause
            clause = next((c for c in verb.rights if c.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in {"if", "whether"} for g in c.children)), None)
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        cue = cue_offsets(verb)
        if performative(verb):
            cue = (cue_offsets(verb.head)[0], cue[1])  # "want to emphasize"
        content: list[Offsets] = []
        source: Offsets | None = None
        inherited: Offsets | None = None

        if agent is not None and passive_subject is not None:  # "The move was first reported by MSNBC"
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is None or lemma in OBJECT_VERBS or lemma == "quote":
                continue  # "X was quoted by Politico as saying …": X speaks, Politico only quotes
            source = _clean_span(text, _subtree_offsets(pobj))
            cue = (cue[0], agent.idx + len(agent))
            span = _clean_span(text, _subtree_offsets(passive_subject))
            content = [span] if span else []
        elif lemma in OBJECT_VERBS:
            if passive_subject is not None:
                continue
            parts = _object_content(verb)
            nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
            if lemma == "call" and nxt is not None and nxt.dep_ == "prep" and nxt.lower_ in {"for", "on"}:
                cue = (cue[0], nxt.idx + len(nxt))  # "called for", "called on"
                parts = [c for c in nxt.children if c.dep_ in {"pobj", "pcomp"}] + [p for p in parts if p != nxt]
            if not parts:
                continue
            spans = [_subtree_offsets(c) for c in parts]
            span = _clean_span(text, (min(s for s, _ in spans), max(e for _, e in spans)))
            content = [span] if span else []
        elif clause is not None:
            span = _content_of(text, quotes, clause, cue)
            if span:
                content = [span]
            if span and clause.dep_ == "xcomp" and passive_subject is not None and passive_subject.i < verb.i \
                    and lemma in _RAISING:
                # "Prices are expected to rise": what is expected is the subject with the infinitive
                held = _clean_span(text, _subtree_offsets(passive_subject))
                if held and held[1] <= cue[0]:
                    content = [held, span]
        if not content and subject is not None and lemma in _INVERTING and subject.i > verb.i > 0 \
                and doc[verb.i - 1].text == ",":
            # "There is a joy, insists Sam Reed, in ...": the sentence around the cue and its speaker
            sent = doc_index(doc).sent_of(verb.i)
            pieces = [_clean_span(text, (sent.start_char, cue[0])),
                      _clean_span(text, (subject.right_edge.idx + len(subject.right_edge), sent.end_char))]
            content = [p for p in pieces if p]
        if not content and verb.dep_ == "parataxis" and lemma in SPEECH_VERBS:
            # "To understand it, Roberts said, one should visit": the sentence around the cue
            left = _subtree_offsets(subject)[0] if subject is not None and subject.i < verb.i else cue[0]
            head_span = _subtree_offsets(verb.head)
            own = _subtree_offsets(verb)
            pieces = [_clean_span(text, (head_span[0], min(left, own[0]))), _clean_span(text, (own[1], head_span[1]))]
            content = [p for p in pieces if p]
        if lemma in SPEECH_VERBS and (not content or (len(content) == 1 and content[0] in quotes)):
            # "...," X said, "...": the quotations on either side of the source and cue
            left = min([cue[0]] + ([_subtree_offsets(subject)[0]] if subject is not None else []))
            right = max([cue[1]] + ([_subtree_offsets(subject)[1]] if subject is not None else []))
            adjacent = _adjacent_quotes(text, quotes, left, right)
            if adjacent and (not content or content[0] in adjacent):
                content = sorted(adjacent)
            if content and content[0][1] <= left:
                content += [q for q in _continued_quotes(text, quotes, right) if q not in content]
        if not content and lemma in STATEMENT_OBJECT_VERBS and passive_subject is None:
            obj = next((c for c in verb.rights if c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN"}), None)
            span = _clean_span(text, _subtree_offsets(obj)) if obj is not None else None
            content = [span] if span else []  # "denied the rumours", "announced his retirement"
        if not content:
            continue
        if lemma in NEEDS_CLAUSE and clause is None and not _quote_at(quotes, content[0][0], content[0][1]):
            continue
        if source is None and subject is not None:
            source = source_offsets(text, subject)
            if source and source[1] > cue[0] and source[0] < cue[0]:
                source = (source[0], min(source[1], cue[0]))
                source = _clean_span(text, source)
        if source is None and subject is None and not asked_participle(verb):
            shared = _inherited_subject(verb)
            if shared is not None:
                inherited = _clean_span(text, _subtree_offsets(shared))
                head_is_cue = verb.dep_ == "conj" and verb.head.lemma_.lower() in SPEECH_VERBS
                if not head_is_cue:
                    source = inherited  # the subject belongs to no other cue: it is this one's source
        # the source and content never overlap (each token belongs to one role)
        if source and any(s < source[1] and source[0] < e for s, e in content):
            content = [c for c in content if not (c[0] <= source[0] and source[1] <= c[1])] or content
            if any(s < source[1] and source[0] < e for s, e in content):
                continue
        found.append(Found(cue=cue, content=tuple(content), source=source, inherited_source=inherited))
    return found


def made_clear(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``X makes clear that ...``, ``X made it clear that ...``: a statement by a person or a document."""
    text = doc_index(doc).text
    found = []
    for verb in doc:
        if verb.lemma_.lower() != "make" or verb.pos_ not in {"VERB", "AUX"}:
            continue
        clear = next((c for c in verb.rights if c.lower_ in {"clear", "plain"} and c.i - verb.i <= 2), None)
        if clear is None:
            continue
        clause = next((t for t in (*clear.children, *verb.children) if t.i > clear.i and t.pos_ in {"VERB", "AUX"}
                       and any(g.dep_ == "mark" and g.lower_ == "that" for g in t.children)), None)
        subject = _source_of(verb)
        if clause is None or subject is None or subject.lower_ == "it":
            continue
        cue = (cue_offsets(verb)[0], clear.idx + len(clear))
        content = _content_of(text, quotes, clause, cue)
        if content:
            found.append(Found(cue=cue, content=(content,), source=source_offsets(text, subject)))
    return found


# "…, it is understood.", "…, it was reported.": the hedge after the statement, with no source
_TRAILING_HEDGE = re.compile(r",\s+(it\s+(?:is|was|has\s+been|had\s+been)\s+(?:understood|believed|thought|reported|"
                             r"claimed|alleged|rumou?red|said|feared|suspected))\s*[.!]?\s*$", re.I)


def trailing_hedges(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``Northfield have sacked their manager, it is understood.``: the sentence before the hedge
    is its content (the parser rarely makes a clause of it)."""
    text = doc_index(doc).text
    found = []
    for sent in doc.sents:
        match = _TRAILING_HEDGE.search(sent.text)
        if match is None or any(s < sent.start_char + match.start() < e for s, e in quotes):
            continue
        cue = (sent.start_char + match.start(1), sent.start_char + match.end(1))
        start = sent.start
        while start > 0 and not re.search(r"[.!?\"”’\n]\s*$", text[max(0, doc[start].idx - 3):doc[start].idx]):
            start = doc[start - 1].sent.start  # a sentence cut where no sentence ended ("Northfield | have …")
        content = _clean_span(text, (max(doc[start].idx, text.rfind("\n", 0, cue[0]) + 1),
                                     sent.start_char + match.start()))
        if content and len(text[content[0]:content[1]].split()) >= 3:
            found.append(Found(cue=cue, content=(content,), source=None))
    return found


# Present-tense speech verbs that the tagger reads as the head noun of a compound after a plural:
# "The new rules[compound] state[NN] that ...", "The figures show that ...".
_MISTAGGED = frozenset("say state show suggest warn claim argue note indicate insist".split())


def mistagged_verbs(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``The regulations state that ...`` where the verb was tagged as a noun after a plural subject."""
    text = doc_index(doc).text
    found = []
    for word in doc:
        if word.pos_ != "NOUN" or word.lower_ not in _MISTAGGED or word.i == 0 or word.i + 1 >= len(doc):
            continue
        before, after = doc[word.i - 1], doc[word.i + 1]
        if before.dep_ != "compound" or before.head.i != word.i or before.tag_ not in {"NNS", "NNPS"} \
                or after.lower_ != "that":
            continue
        clause = next((c for c in word.rights if c.pos_ in {"VERB", "AUX"} and after.head.i == c.i), None)
        if clause is None:
            continue
        cue = (word.idx, word.idx + len(word))
        source = _clean_span(text, (doc[word.left_edge.i].idx, before.idx + len(before)))
        content = _content_of(text, quotes, clause, cue)
        if source and content:
            found.append(Found(cue=cue, content=(content,), source=source))
    return found


_VIEWING = frozenset("see view regard".split())


def seen_as(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``X sees Y as Z``: X's belief about Y (active voice only; "is seen as" has no holder)."""
    text = doc_index(doc).text
    found = []
    for verb in doc:
        if verb.lemma_.lower() not in _VIEWING or verb.pos_ != "VERB" or verb.tag_ == "VBN":
            continue
        obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
        as_ = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "as"), None)
        subject = _source_of(verb)
        if obj is None or as_ is None or subject is None or not list(as_.children) or obj.i > as_.i:
            continue
        if subject.lower_ in {"i", "you", "we"} and verb.lemma_.lower() == "see":
            continue  # "I see it as ..." in a quotation: a hedge, like "I think"
        content = _clean_span(text, (obj.left_edge.idx, _subtree_offsets(as_)[1]))
        source = source_offsets(text, subject)
        if content and source:
            found.append(Found(cue=cue_offsets(verb), content=(content,), source=source))
    return found


def according_to(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``According to X, ...`` and ``..., according to X.``"""
    text = doc_index(doc).text
    found = []
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        source = _clean_span(text, _subtree_offsets(pobj))
        phrase_end = _subtree_offsets(token)[1]
        sent = doc_index(doc).sent_of(token.i)
        if token.i == sent.start or all(t.is_punct or t.is_space for t in doc[sent.start:token.i]):
            span = (phrase_end, sent.end_char)  # According to X, CONTENT.
        else:
            span = (sent.start_char, token.idx)  # CONTENT, according to X.
            rest = _clean_span(text, (phrase_end, sent.end_char))
            if rest and rest[1] - rest[0] > span[1] - span[0]:
                span = (phrase_end, sent.end_char)  # CONTENT ... according to X, CONTENT
        content = _clean_span(text, span)
        if content is None or source is None:
            continue
        found.append(Found(cue=(token.idx, to.idx + len(to)), content=(content,), source=source))
    return found


def noun_cues(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``X's claim that ...``, ``the statement by X that ...``."""
    text = doc_index(doc).text
    found = []
    for noun in doc:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_NOUNS:
            continue
        clause = next((c for c in noun.children if c.dep_ in {"acl", "ccomp", "appos"}
                       and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if clause is None:
            continue
        content = _content_of(text, quotes, clause, (noun.idx, noun.idx + len(noun)))
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}), None)
            owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        source = _clean_span(text, _subtree_offsets(owner)) if owner is not None else None
        if content:
            found.append(Found(cue=(noun.idx, noun.idx + len(noun)), content=(content,), source=source))
    return found


_COLON_LINE = re.compile(r"(?m)^[ \t•*\-–\"“]*(?P<lead>[^\n:\"“”]{2,120}?)[ \t]*(?P<colon>:)[ \t]+(?=\S)")
_SOURCE_LINE = re.compile(r"(?m)^[ \t]*(?P<cue>Sources?\s*:)[ \t]*(?P<source>[^\n]+?)[ \t.]*$")
_DASH_SOURCE = re.compile(r"[ \t]*(?P<dash>[―—–]|--)[ \t]*(?P<source>[^\n“\"]{2,80}?)[ \t.]*(?=\n|$)")
# Line heads that end in a colon but are labels, not speakers.
_LABELS = frozenset("""
source sources details update updates note editor's editors photo photos video watch read related advertisement
tags tag image caption credit correction quote breaking live highlights background context why what how when
where who the a an this that these those here there q a question answer
""".split())


def _is_speaker_label(span: SpacySpan) -> bool:
    """A short name before a colon: "PENCE:", "Sanders:", "Mayor Adams:", "Poll:"."""
    words = [t for t in span if not t.is_punct]
    if not 1 <= len(words) <= 5 or words[0].lower_ in _LABELS or any(t.pos_ in {"VERB", "AUX"} for t in words):
        return False
    if all(t.text.isupper() and len(t.text) > 1 for t in words if t.is_alpha):
        return True  # transcript speakers: "PENCE:", "WALLACE:"
    if words[-1].pos_ == "PROPN" or words[-1].ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return True
    return len(words) == 1 and words[0].lemma_.lower() in MEDIA_NOUNS


def colon_leads(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``Quote from X: "..."``, ``X: "..."`` and ``NAME: text`` at the start of a line."""
    text = doc_index(doc).text
    starts = {q[0]: q for q in quotes}
    found = []
    for m in _COLON_LINE.finditer(text):
        lead_start, lead_end = m.span("lead")
        after = m.end()
        quote = starts.get(after)
        lead = m["lead"].lower()
        prefix = next((p for p in COLON_LEADS if lead.startswith(p)), None)
        span = doc.char_span(lead_start, lead_end, alignment_mode="expand")
        if span is None:
            continue
        if prefix:
            cue = (lead_start, lead_start + len(prefix))
            source = _clean_span(text, (cue[1], lead_end))
        elif quote is not None and 1 <= len(m["lead"].split()) <= 8 and not any(t.pos_ == "VERB" for t in span) \
                and any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in span) and span[0].lower_ not in _LABELS:
            cue = m.span("colon")
            source = _clean_span(text, (lead_start, lead_end))
        elif quote is None and _is_speaker_label(span):
            cue = m.span("colon")
            source = _clean_span(text, (lead_start, lead_end))
        else:
            continue
        content: Offsets | None = quote
        if quote is None:
            line_end = text.find("\n", after)
            content = _clean_span(text, (after, len(text) if line_end == -1 else line_end))
        if source and content:
            found.append(Found(cue=cue, content=(content,), source=source, kind="direct" if quote else None,
                               origin="layout"))
    return found


def _signs(doc: Doc, source: Offsets) -> bool:
    """Whether the words after a dash name someone ("― Jane Doe, a nurse"), not go on with the
    sentence (the practice of “redlining” ― discriminating against borrowers …)."""
    span = doc.char_span(*source, alignment_mode="expand")
    if span is None:
        return False
    name = list(itertools.takewhile(lambda t: t.text != ",", span))
    return not any(t.pos_ in {"VERB", "AUX"} for t in name) and any(
        t.pos_ in {"PROPN", "NOUN", "PRON"} for t in name)


def dash_sources(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``"..." ― Name`` at the end of a line: a quotation signed with a dash."""
    text = doc_index(doc).text
    found = []
    for quote in quotes:
        m = _DASH_SOURCE.match(text, quote[1])
        if m is None or len(m["source"].split()) > 8:
            continue
        source = _clean_span(text, m.span("source"))
        if source and _signs(doc, source):
            found.append(Found(cue=m.span("dash"), content=(quote,), source=source, kind="direct", origin="layout"))
    return found


def source_lines(doc: Doc, quotes: list[Offsets], skip: Iterable[Offsets] = ()) -> list[Found]:
    """A ``Source: X`` line attributes the paragraph before it."""
    text = doc_index(doc).text
    skip = list(skip)
    found = []
    for m in _SOURCE_LINE.finditer(text):
        before = text[:m.start()].rstrip()
        # the previous paragraph: the last non-empty line that is not title/date/boilerplate
        end = len(before)
        while end > 0:
            start = before.rfind("\n", 0, end) + 1
            span = _clean_span(text, (start, end))
            if span and not any(s <= span[0] and span[1] <= e for s, e in skip):
                content = (span[0], span[1])
                # keep the sentence-final period out, as the other rules do
                found.append(Found(cue=m.span("cue"), content=(content,), source=_clean_span(text, m.span("source")),
                                   origin="layout"))
                break
            end = start - 1
    return found


def find_attributions(doc: Doc, skip: Iterable[Offsets] = ()) -> list[Found]:
    """All rule-based attributions of a parsed article, in text order, without duplicates.

    Args:
        doc: the parsed article.
        skip: spans (title, date line, boilerplate) that hold no content.
    """
    skip = list(skip)
    quotes = doc_quotations(doc)
    found = source_lines(doc, quotes, skip) + colon_leads(doc, quotes) + dash_sources(doc, quotes)
    found += according_to(doc, quotes)
    found += trailing_hedges(doc, quotes) + made_clear(doc, quotes) + mistagged_verbs(doc, quotes) + seen_as(doc, quotes) + verb_cues(doc, quotes) + noun_cues(doc, quotes)
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
