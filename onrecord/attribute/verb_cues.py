"""Rules for verb cues: ``X said (that) ...``, ``"...," said X``, ``... was reported by X``,
``X made it clear that ...``, ``The regulations state that ...`` (a verb tagged as a noun),
``X sees Y as Z``.

The speaker is the verb's subject, or the noun phrase after an inverting verb
(``..., argued the spokesman``), or the subject of the verb it hangs off; quotations
on either side of the cue are its content.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..lexicon import BELIEVE, HEDGES, NEEDS_CLAUSE, OBJECT_VERBS, QUESTION, SPEECH_VERBS, STATEMENT_OBJECT_VERBS
from ..nlp import doc_index
from .candidates import Found, Offsets
from .quotations import adjacent_quotes, continued_quotes, quote_at
from .roles import clean_span, content_of, cue_offsets, source_of, source_offsets, subtree_offsets

_CLAUSE_DEPS = {"ccomp", "xcomp"}


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
            subject = source_of(head) or next((c for c in head.children if c.dep_ == "nsubjpass"), None)
            if subject is not None:
                return subject
            continue
        if head.dep_ not in {"conj", "advcl", "xcomp"} or head.head is head:
            return None
        head = head.head
        subject = source_of(head)
        if subject is not None:
            return subject
    return None


def _object_content(verb: Token) -> list[Token]:
    """Right-hand complements of an object-taking cue: "called Clinton a 'champion'"."""
    return [c for c in verb.rights if c.dep_ in {"dobj", "oprd", "dative", "ccomp", "xcomp", "attr"}
            or (c.dep_ == "prep" and c.lower_ in {"as", "of", "for"})]


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
        subject = source_of(verb)
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
            source = clean_span(text, subtree_offsets(pobj))
            cue = (cue[0], agent.idx + len(agent))
            span = clean_span(text, subtree_offsets(passive_subject))
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
            spans = [subtree_offsets(c) for c in parts]
            span = clean_span(text, (min(s for s, _ in spans), max(e for _, e in spans)))
            content = [span] if span else []
        elif clause is not None:
            span = content_of(text, quotes, clause, cue)
            if span:
                content = [span]
            if span and clause.dep_ == "xcomp" and passive_subject is not None and passive_subject.i < verb.i \
                    and lemma in _RAISING:
                # "Prices are expected to rise": what is expected is the subject with the infinitive
                held = clean_span(text, subtree_offsets(passive_subject))
                if held and held[1] <= cue[0]:
                    content = [held, span]
        if not content and subject is not None and lemma in _INVERTING and subject.i > verb.i > 0 \
                and doc[verb.i - 1].text == ",":
            # "There is a joy, insists Sam Reed, in ...": the sentence around the cue and its speaker
            sent = doc_index(doc).sent_of(verb.i)
            pieces = [clean_span(text, (sent.start_char, cue[0])),
                      clean_span(text, (subject.right_edge.idx + len(subject.right_edge), sent.end_char))]
            content = [p for p in pieces if p]
        if not content and verb.dep_ == "parataxis" and lemma in SPEECH_VERBS:
            # "To understand it, Roberts said, one should visit": the sentence around the cue
            left = subtree_offsets(subject)[0] if subject is not None and subject.i < verb.i else cue[0]
            head_span = subtree_offsets(verb.head)
            own = subtree_offsets(verb)
            pieces = [clean_span(text, (head_span[0], min(left, own[0]))), clean_span(text, (own[1], head_span[1]))]
            content = [p for p in pieces if p]
        if lemma in SPEECH_VERBS and (not content or (len(content) == 1 and content[0] in quotes)):
            # "...," X said, "...": the quotations on either side of the source and cue
            left = min([cue[0]] + ([subtree_offsets(subject)[0]] if subject is not None else []))
            right = max([cue[1]] + ([subtree_offsets(subject)[1]] if subject is not None else []))
            adjacent = adjacent_quotes(text, quotes, left, right)
            if adjacent and (not content or content[0] in adjacent):
                content = sorted(adjacent)
            if content and content[0][1] <= left:
                content += [q for q in continued_quotes(text, quotes, right) if q not in content]
        if not content and lemma in STATEMENT_OBJECT_VERBS and passive_subject is None:
            obj = next((c for c in verb.rights if c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN"}), None)
            span = clean_span(text, subtree_offsets(obj)) if obj is not None else None
            content = [span] if span else []  # "denied the rumours", "announced his retirement"
        if not content:
            continue
        if lemma in NEEDS_CLAUSE and clause is None and not quote_at(quotes, content[0][0], content[0][1]):
            continue
        if source is None and subject is not None:
            source = source_offsets(text, subject)
            if source and source[1] > cue[0] and source[0] < cue[0]:
                source = (source[0], min(source[1], cue[0]))
                source = clean_span(text, source)
        if source is None and subject is None and not asked_participle(verb):
            shared = _inherited_subject(verb)
            if shared is not None:
                inherited = clean_span(text, subtree_offsets(shared))
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
        subject = source_of(verb)
        if clause is None or subject is None or subject.lower_ == "it":
            continue
        cue = (cue_offsets(verb)[0], clear.idx + len(clear))
        content = content_of(text, quotes, clause, cue)
        if content:
            found.append(Found(cue=cue, content=(content,), source=source_offsets(text, subject)))
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
        source = clean_span(text, (doc[word.left_edge.i].idx, before.idx + len(before)))
        content = content_of(text, quotes, clause, cue)
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
        subject = source_of(verb)
        if obj is None or as_ is None or subject is None or not list(as_.children) or obj.i > as_.i:
            continue
        if subject.lower_ in {"i", "you", "we"} and verb.lemma_.lower() == "see":
            continue  # "I see it as ..." in a quotation: a hedge, like "I think"
        content = clean_span(text, (obj.left_edge.idx, subtree_offsets(as_)[1]))
        source = source_offsets(text, subject)
        if content and source:
            found.append(Found(cue=cue_offsets(verb), content=(content,), source=source))
    return found
