"""The default decision: two taggers that learned differently must agree.

The transformer tagger and the CRF tagger (each merged with the rules) make different
mistakes: on PolNeAR dev what only one of them proposes is right for about half of the
transformer's and a fifth of the CRF's candidates, and on real pages from other outlets
for one in six (docs/model.md). A candidate of the transformer is kept when

* the CRF proposes the same cue and the learned filter keeps it (`AttributionFilter`'s
  threshold, chosen on PolNeAR dev for the CRF's candidates); or
* the filter is sure of it alone (`ALONE_AT_LEAST`); or
* the filter does not judge it (`filter.exempt`: layout patterns, statements nested in a content).

What the transformer does not propose (the CRF's candidates, the rules', and every verb or
predicative adjective with a complement: `complement_verbs`) is kept where the filter, which
learned from PolNeAR and the news corpus, gives it at least `ONE_AT_LEAST`: which of these make
a statement is learned from data, not listed. A second cue that borrows its subject ("…, adding
that …") then names no source of its own (`shared_subjects`).

Then statements quoted inside a quotation are added (`quoted_statements`), with the quoted
speaker's own beliefs ("'I'm sure they have a plan,' she said": `quoted_beliefs`), and candidates
that state no proposition (requests, plans, refusals) are dropped
(`proposition.with_propositions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from ..lexicon import BELIEVE, BELIEVING, FIRST_PERSON_PRONOUNS
from ..nlp import FINITE_TAGS, doc_index
from .candidates import Found, Offsets
from .filter import _WH_WORDS, AttributionFilter, _Context, context, exempt
from .proposition import with_propositions
from .roles import TRIM_CONTENT, cue_offsets, subtree_offsets, trim
from .rules import doc_quotations
from .shared_subjects import second_cue_sources
from .writer import without_writer

# The filter's probability a candidate needs when only the transformer proposes it: chosen on the
# development sets among .9, .8 and .7 (PolNeAR dev relation F1 .584, .587, .588; web dev the same),
# the higher of the two best, precision first (CHANGELOG 2026-12-08)
ALONE_AT_LEAST = 0.8
# ... and when the transformer does not propose it: the logistic regression's own boundary (not tuned)
ONE_AT_LEAST = 0.5


def _cue_chars(found: Sequence[Found]) -> set[int]:
    return {c for f in found for c in range(*f.cue)}


def agree(doc: Doc, found: Sequence[Found], other: Sequence[Found], rules: Sequence[Found],
          decision: AttributionFilter, ctx: _Context | None = None, skip: Sequence[Offsets] = ()) -> list[Found]:
    """The candidates of ``found`` that ``other`` backs or that ``decision`` is sure of, and those of
    ``other``, ``rules`` and `complement_verbs` that ``decision`` keeps alone (see the module).

    ``ctx``: `filter.context` of ``doc`` and ``rules``, where the caller has it. ``skip``: spans that
    hold no statement (title, date line, boilerplate); the taggers and the rules already leave them out.
    """
    ctx = ctx or context(doc, rules)
    scored: dict[Found, float] = {}

    def probability(f: Found) -> float:  # the CRF's candidates (and the rules' among them) are asked twice
        if f not in scored:
            scored[f] = decision.probability(doc, f, ctx)
        return scored[f]

    backing = _cue_chars([f for f in other if exempt(f, other) or probability(f) >= decision.threshold])
    kept = []
    for f in found:
        if exempt(f, found):
            kept.append(f)
            continue
        p = probability(f)
        if p >= ALONE_AT_LEAST or (p >= decision.threshold and any(c in backing for c in range(*f.cue))):
            kept.append(f)
    # what one tagger, the rules or the parse alone propose, where the filter judges it an attribution
    taken = _cue_chars(kept)
    for f in [*other, *rules, *complement_verbs(doc, [*found, *other, *rules])]:
        if f.origin == "layout" or any(c in taken for c in range(*f.cue)) \
                or any(s <= f.cue[0] < e for s, e in skip):
            continue
        if probability(f) >= ONE_AT_LEAST:
            kept.append(f)
            taken |= set(range(*f.cue))
    return sorted(kept, key=lambda f: f.cue)


def complement_verbs(doc: Doc, taken: Iterable[Found] = ()) -> list[Found]:
    """Every verb or predicative adjective with a complement as a candidate, outside the cues ``taken``.

    The taggers learned from PolNeAR, where findings and beliefs in some constructions are rare
    ("a survey showed that …", "believed that the flue was fitted"); which of these verbs make a
    statement is the filter's decision, learned from both corpora, not a word list's. Training the
    filter sees them too: what a verb with a complement looks like when it is not speech.
    """
    text = doc_index(doc).text
    covered = {c for f in taken for c in range(*f.cue)}
    found = []
    for word in doc:
        if word.idx in covered or word.pos_ not in {"VERB", "ADJ"}:
            continue
        parts = [trim(text, *span, TRIM_CONTENT) for span in _complement(word)]
        parts = [(s, e) for s, e in parts if e > s]
        if not parts:
            continue
        start = parts[0][0]
        # "I'm sure that …", "were optimistic that …": the adjective's subject is its copula's
        holder = word.head if word.pos_ == "ADJ" else word
        subject = next((c for c in holder.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        source = trim(text, *subtree_offsets(subject)) if subject is not None else None
        if source and (source[1] <= source[0] or source[0] < start < source[1]):
            source = None
        cue = cue_offsets(word)
        if word.pos_ == "ADJ" and holder is not word and holder.i < word.i:
            cue = (min(cue[0], cue_offsets(holder)[0]), cue[1])
        found.append(Found(cue=cue, content=tuple(parts), source=source, origin="verb"))
    return found


def _complement(word: Token) -> list[Offsets]:
    """The character span of what a verb (or a predicative adjective) governs as a complement: a
    clause or an object on its right, a clause on its left ("The pier is unsafe, she noted"), or
    the sentence it interrupts ("Organic materials can, we think, penetrate …")."""
    if word.pos_ == "ADJ":
        clause = next((c for c in word.rights if c.dep_ == "ccomp"), None) if word.dep_ == "acomp" else None
        return [subtree_offsets(clause)] if clause is not None else []
    right = next((c for c in word.rights if c.dep_ in {"ccomp", "xcomp", "dobj", "oprd", "attr"}), None)
    if right is not None:
        return [subtree_offsets(right)]
    left = next((c for c in word.lefts if c.dep_ == "ccomp"), None)
    if left is not None:
        return [subtree_offsets(left)]
    if word.dep_ in {"ccomp", "parataxis"}:
        # "“I think the allegations are not credible,” Volker said": the parser hangs the clause on
        # "said", beside "think"; the clause that starts right after the verb is the verb's complement
        sibling = next((c for c in word.head.children if c.dep_ == "ccomp" and c.i > word.i
                        and c.left_edge.i == word.i + 1), None)
        if sibling is not None:
            return [subtree_offsets(sibling)]
    if word.dep_ == "parataxis" and word.head.pos_ in {"VERB", "AUX"}:
        head, doc = word.head, word.doc
        before, after = doc[head.left_edge.i:word.left_edge.i], doc[word.right_edge.i + 1:head.right_edge.i + 1]
        return [(span.start_char, span.end_char) for span in (before, after) if len(span)]
    return []


def quoted_statements(doc: Doc, kept: Sequence[Found], rules: Sequence[Found],
                      quotes: Sequence[Offsets] | None = None) -> list[Found]:
    """``kept`` with the rules' statements quoted inside another attribution's quotation.

    "'We understand that rolling outages are not easy,' she said": the quoted speaker
    reports a belief of their own. The content of an "according to" frame counts as a
    quotation ("The mayor denied that …, according to a letter"). PolNeAR marks one
    attribution per token, so the taggers learned to leave these out; onrecord reports them,
    nested (`Attribution.nested_in`). A rule attribution is added where its cue, source and
    content lie inside one quotation that is part of a kept attribution's content, and no
    kept cue overlaps its cue.
    ``quotes``: the doc's quotations (`rules.quotations`), where the caller has them.
    """
    text = doc_index(doc).text
    if quotes is None:
        quotes = doc_quotations(doc)
    # "The mayor denied that …, according to a letter": the letter is where the denial is on
    # record, and the denial is the statement; its content holds it as a quotation would
    frames = [(f.content[0][0], f.content[-1][1]) for f in kept
              if f.content and text[slice(*f.cue)].lower().startswith("according to")]
    taken = _cue_chars(kept)
    result = list(kept)
    for r in rules:
        if r.origin == "layout" or any(c in taken for c in range(*r.cue)):
            continue
        quote = next(((s, e) for s, e in [*quotes, *frames] if s <= r.cue[0] and r.cue[1] <= e), None)
        if quote is None:
            continue
        spans = [*r.content, *([r.source] if r.source else [])]
        if not all(quote[0] <= s and e <= quote[1] for s, e in spans):
            continue
        if any(s <= r.cue[0] < e for f in kept for s, e in f.content):
            result.append(r)
            taken |= set(range(*r.cue))
    return sorted(result, key=lambda f: f.cue)


def without_date_fragments(doc: Doc, found: Found) -> Found:
    """``found`` without content fragments that are only a date or time ("denied on Tuesday that …")
    or only the pronoun "it" ("It is understood that …", "…, it is understood").

    Such a fragment dates the statement (`resolution` reads it from the cue's modifiers) or stands
    in for it; it is not what was said. A content of nothing else is left alone.
    """
    if len(found.content) < 2:
        return found
    kept = []
    for s, e in found.content:
        span = doc.char_span(s, e, alignment_mode="expand")
        words = [t for t in span if not t.is_punct and not t.is_space] if span is not None else []
        if not (words and all(t.ent_type_ in {"DATE", "TIME"} or t.pos_ == "ADP" for t in words)
                and any(t.ent_type_ for t in words)) and not _stands_in(words, found.cue):
            kept.append((s, e))
    return replace(found, content=tuple(kept)) if kept and len(kept) < len(found.content) else found


def _stands_in(words: list[Token], cue: Offsets) -> bool:
    """ "It" as the cue's placeholder subject ("It is understood that …"), not a content's ("told …
    it is clear") nor a raised one ("it is considered a threat": what is considered is "it")."""
    if len(words) != 1 or words[0].lower_ != "it":
        return False
    it, verb = words[0], words[0].head
    if cue[0] <= it.idx < cue[1]:
        return True  # part of the cue itself: "…, it is understood"
    return cue[0] <= verb.idx < cue[1] and (it.dep_ == "expl" or any(c.dep_ == "ccomp" for c in verb.children))


def decide(doc: Doc, found: Sequence[Found], other: Sequence[Found], rules: Sequence[Found],
           decision: AttributionFilter, skip: Sequence[Offsets] = ()) -> list[Found]:
    """The default's attributions from the transformer's candidates ``found`` and the CRF's ``other``
    (``skip``: spans that hold no statement)."""
    ctx = context(doc, rules)  # the doc's offset lookup and quotations, built once for every step
    kept = [without_date_fragments(doc, f) for f in agree(doc, found, other, rules, decision, ctx, skip)]
    kept = second_cue_sources(doc, kept)
    kept = quoted_beliefs(doc, quoted_statements(doc, kept, rules, ctx.quotes), ctx, decision)
    kept = without_writer(doc, kept, ctx.tokens)
    return with_propositions(doc, kept, ctx.tokens)


# negated, these deny nothing: not knowing that P is no statement about P (news conventions rule 5)
_KNOWING = frozenset("know realize realise see understand learn discover recognize recognise".split())


def quoted_beliefs(doc: Doc, kept: Sequence[Found], ctx: _Context, decision: AttributionFilter) -> list[Found]:
    """``kept`` with the quoted speaker's own beliefs: "'I'm sure they've got a plan,' she said".

    A first-person subject inside a kept quotation with a verb or adjective of belief
    (`lexicon.BELIEVE`, `lexicon.BELIEVING`) and a finite clause is the quoted speaker stating a
    belief of their own, a nested statement by onrecord's definition. The filter judges such
    candidates out of context ("I'm sure" reads like small talk, and PolNeAR, one attribution
    per token, counts them as negatives), so here the clause decides; the cue's word must still
    be one the filter learned as a cue (a positive weight for its lemma), which leaves out hedges
    ("I guess …"). A clause opened by a question word ("I don't know what …") or negated
    knowledge ("we didn't know that …", news conventions rule 5) states nothing.
    """
    taken = _cue_chars(kept)
    inside = [(s, e) for f in kept for s, e in f.content]
    quotes = [(s, e) for s, e in ctx.quotes if any(a <= s and e <= b for a, b in inside)]
    result = list(kept)
    for qs, qe in quotes:
        for word in ctx.tokens.span(qs, qe):
            lemma = word.lemma_.lower()
            if word.idx in taken or lemma not in (BELIEVING if word.pos_ == "ADJ" else BELIEVE) \
                    or decision.weights.get("l=" + lemma, 0.0) <= 0:
                continue
            holder = word.head if word.pos_ == "ADJ" and word.dep_ == "acomp" else word
            subject = next((c for c in holder.children if c.dep_ == "nsubj"), None)
            clause = next((c for c in word.children if c.dep_ == "ccomp"), None)
            if subject is None or subject.lower_ not in FIRST_PERSON_PRONOUNS or clause is None:
                continue
            first = next((t for t in clause.subtree if not t.is_punct), clause)
            if first.lower_ in _WH_WORDS or not any(t.tag_ in FINITE_TAGS for t in clause.subtree):
                continue
            if lemma in _KNOWING and any(c.dep_ == "neg" for c in holder.children):
                continue
            content = trim(ctx.text, *subtree_offsets(clause), TRIM_CONTENT)
            if not (qs <= content[0] < content[1] <= qe):
                continue
            cue = cue_offsets(word)
            if holder is not word and holder.i < word.i:
                cue = (min(cue[0], cue_offsets(holder)[0]), cue[1])
            result.append(Found(cue=cue, content=(content,), source=(subject.idx, subject.idx + len(subject)),
                                origin="verb"))
            taken |= set(range(*cue))
    return sorted(result, key=lambda f: f.cue)
