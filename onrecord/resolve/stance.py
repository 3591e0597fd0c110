"""The stance of a cue (assert, deny, believe, question) and the kind of its content
(direct, indirect, mixed)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..attribute.candidates import Offsets
from ..lexicon import BELIEVE, BELIEVING, DENIABLE, DENY, NEG_RAISING, NEGATIVE_SUBJECTS, QUESTION, SPEECH_VERBS, WITHHOLDING

_QUOTE_CHARS = "\"“”«»„"


def stance_of(cue_text: str, cue_tokens: list[Token], content_text: str = "") -> str:
    """assert, deny, believe or question, from the cue's head lemma and its negation.

    A negated cue is a denial ("isn't saying", "No one knows"), except for belief verbs
    that raise the negation into their content ("does not think that ..." is a belief
    that not ...). "asked not to be named" is a request, not a question.
    """
    words = [t for t in cue_tokens if not t.is_punct]
    while len(words) > 1 and (words[-1].ent_type_ in {"DATE", "TIME"} or words[-1].pos_ in {"ADV", "ADP", "DET", "PART"}):
        words.pop()  # "asked Monday", "wondered aloud", "asked on": the head word comes before
    lemmas = [t.lemma_.lower() for t in words] or [cue_text.lower()]
    head = lemmas[-1]
    if words and head not in BELIEVE | QUESTION | DENY:
        head = next((form for form in _forms(words[-1].lower_) if form in BELIEVE), head)  # "hopes" → "hop"
    if words and words[-1].lower_ in BELIEVING:
        head = "believe"  # "is convinced that", "are skeptical that"
    if head in SPEECH_VERBS and any(lemma in WITHHOLDING for lemma in lemmas[:-1]):
        return "deny"  # "refused to say whether", as "isn't saying whether"
    # only a negated verb of saying or knowing is a denial ("isn't saying", "No one knows");
    # "is not being pushed" is no statement at all, denied or not
    negated = head in SPEECH_VERBS | BELIEVE and _negated(cue_tokens)
    if any(lemma in DENY for lemma in lemmas):
        if not _denies_a_statement(words):
            return "assert"  # "could deny mining permits", "Denying justice": something refused, nothing denied
        return "assert" if negated else "deny"  # "did not dispute that ..." concedes it
    if words and _rejected(words[-1]):
        return "deny"  # "rejected reports that ...", "dismissed claims that ..."
    if _NOT_TRUE.match(content_text):
        return "deny"  # "It is not true that we raised taxes," the mayor said
    if head in BELIEVE:
        return "deny" if negated and head not in NEG_RAISING else "believe"
    if head in QUESTION and not _is_request(cue_tokens, content_text):
        return "deny" if negated else "question"
    return "deny" if negated else "assert"


# content that denies what follows it: "It is not true that ...", "There is no truth to ..."
_NOT_TRUE = re.compile(r"\W*(?:it(?:['’]s|\s+is|\s+was)|that(?:['’]s|\s+is|\s+was)|this\s+is)\s+(?:simply\s+|just\s+|absolutely\s+)?"
                       r"(?:not\s+true|untrue|false|a\s+lie|not\s+the\s+case|nonsense|fake)\b"
                       r"|\W*there\s+(?:is|was)\s+no\s+truth\b", re.I)


def _denies_a_statement(words: list[Token]) -> bool:
    """A deny-verb denies a statement when what it governs is a clause or quotation, or a
    noun for something said or done ("the allegations", "wrongdoing"), not for a thing it
    refuses ("permits", "the motion", "justice")."""
    verb = next((t for t in reversed(words) if t.lemma_.lower() in DENY), None)
    if verb is None:
        return True
    objects = [c for c in verb.children if c.dep_ in {"dobj", "obj"}]
    if not objects:
        return True  # a clause, a quotation, or nothing said: as written
    return any(o.lemma_.lower() in DENIABLE or o.lower_ in DENIABLE for o in objects)


def _rejected(noun: Token) -> bool:
    """A speech noun that a deny-verb governs: "rejected reports that ...", "denied claims that ..."."""
    if noun.pos_ != "NOUN" or noun.dep_ not in {"dobj", "obj", "nsubjpass"}:
        return False
    return noun.head.lemma_.lower() in DENY


def _forms(word: str) -> list[str]:
    """Base forms a verb may have, for when the lemmatizer slips ("hopes" → "hop")."""
    forms = [word]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("d", ""), ("ing", ""),
                         ("ing", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[:-len(suffix)] + repl)
    return forms


def _negated(cue_tokens: list[Token]) -> bool:
    """Whether the cue's verb is negated, by a particle ("not", "never") or its subject ("no one")."""
    words = [t for t in cue_tokens if not t.is_punct]
    if not words:
        return False
    if any(t.dep_ == "neg" for t in words):
        return True
    verbs = [t for t in words if t.pos_ in {"VERB", "AUX"}] or words[-1:]
    verb = verbs[-1]
    for child in verb.children:
        if child.dep_ == "neg" and child.i < verb.i:  # "did not say"; not a "not" later in the sentence
            return True
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.lower_ in NEGATIVE_SUBJECTS or any(
                    d.dep_ in {"det", "neg"} and d.lower_ == "no" for d in child.children):
                return True
    return False


def _is_request(cue_tokens: list[Token], content_text: str) -> bool:
    """ "asked not to be named", "asked them to leave", "asked that ...": a request, not a question."""
    if re.match(r"\s*(?:not\s+)?to\s|\s*that\s|\s*for\s", content_text, re.I):
        return True
    verb = next((t for t in reversed(cue_tokens) if t.pos_ == "VERB"), None)
    return verb is not None and any(c.dep_ == "xcomp" for c in verb.children) and "?" not in content_text


def kind_of(text: str, content: tuple[Offsets, ...]) -> str:
    """direct when the content is one quotation, mixed when it holds one, else indirect."""
    pieces = [text[s:e].strip(" ,.;:") for s, e in content]
    if all(p[:1] in _QUOTE_CHARS and p[-1:] in _QUOTE_CHARS for p in pieces if p):
        inner = [p[1:-1] for p in pieces]
        if not any(c in "\"“”" for p in inner for c in p):
            return "direct"
    joined = " ".join(pieces)
    if any(c in _QUOTE_CHARS for c in joined) or re.search(r"(?:^|\W)‘\w", joined):
        return "mixed"
    return "indirect"
