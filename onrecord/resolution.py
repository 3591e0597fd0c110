"""Turn found attributions into `Attribution` records: speaker, stance, kind, date, nesting.

No coreference model works offline here, so pronouns are resolved from the parse and
the discourse: a relative pronoun to the noun phrase it follows, ``he``/``she`` to
the latest person named before, ``they`` to the latest plural subject that is not
the speaker quoting them, ``I``/``we`` inside a quotation to its speaker.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from .attribute.candidates import Found, Offsets
from .lexicon import (ANONYMOUS_NOUNS, BELIEVE, DENY, GROUP_NOUNS, HONORIFICS, MEDIA_NAME_WORDS, MEDIA_NOUNS,
                      DOCUMENT_NOUNS, ORGANIZATION_NOUNS, PERSON_TITLES, QUESTION)
from .models import Attribution, Span, Speaker
from .nlp import doc_index

logger = logging.getLogger(__name__)

_PERSONAL = {"he", "she", "him", "her"}
_PLURAL = {"they", "them"}
_FIRST = {"i", "we", "me", "us"}
_RELATIVE = {"who", "which", "that", "whom"}
_QUOTE_CHARS = "\"“”«»„"
_DATE_WORDS = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\byesterday\b|\btoday\b|\blast\s+(?:week|month)\b"
    r"|\b\d+\s+days?\s+ago\b|\b\d{4}-\d{2}-\d{2}\b",
    re.I,
)


def stance_of(cue_text: str, cue_tokens: list[Token]) -> str:
    """assert, deny, believe or question, from the cue's head lemma."""
    lemmas = [t.lemma_.lower() for t in cue_tokens if not t.is_punct] or [cue_text.lower()]
    head = lemmas[-1]
    if any(lemma in DENY for lemma in lemmas):
        return "deny"
    if head in BELIEVE:
        return "believe"
    if head in QUESTION:
        return "question"
    return "assert"


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


def _tokens(doc: Doc, offsets: Offsets) -> SpacySpan | None:
    return doc.char_span(offsets[0], offsets[1], alignment_mode="expand")


def _root(span: SpacySpan) -> Token:
    for token in span:
        if token.head.i < span.start or token.head.i >= span.end or token.head.i == token.i:
            if not token.is_punct:
                return token
    return span[0]


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)


def _clean_name(text: str) -> str:
    text = re.sub(r"\s*\[[^\]]*\]", "", text)  # editorial notes
    text = re.sub(r"[’']s$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" ,.")


class Resolver:
    """Resolves the attributions of one parsed article.

    A plain class rather than a function: the article-wide indexes (person mentions,
    plural subjects) are built once and shared by every attribution.
    """

    def __init__(self, doc: Doc, *, published: str | None = None, outlet: str | None = None) -> None:
        self.doc = doc
        self.index = doc_index(doc)
        self.text = self.index.text
        self.published = published
        self.outlet = outlet
        self.persons = self.index.persons
        self._person_ends = [p.end_char for p in self.persons]
        # surname -> the longest full name ending in it ("Clinton" -> "Hillary Clinton")
        self._names: dict[str, str] = {}
        for person in self.persons:
            name = _clean_name(person.text)
            parts = name.split()
            if len(parts) > 1 and len(name) > len(self._names.get(parts[-1], "")):
                self._names[parts[-1]] = name
        self._date_base = _parse_published(published)

    # --- speakers --------------------------------------------------------------------

    def speaker(self, source: Offsets | None, found: Found, resolved: list[Attribution]) -> Speaker:
        if source is None:
            if found.inherited_source is not None:
                inherited = self.speaker(found.inherited_source, found, resolved)
                return replace(inherited, resolved_from="(subject of the conjoined verb)")
            return Speaker()
        span = _tokens(self.doc, source)
        if span is None or not len(span):
            return Speaker(name=_clean_name(self.text[source[0]:source[1]]))
        root = _root(span)
        if len(span) == 1 and root.lower_ in _RELATIVE | _PERSONAL | _PLURAL | _FIRST:
            return self._pronoun(root, found, resolved)
        return self.describe(span)

    def describe(self, span: SpacySpan) -> Speaker:
        """Name, type and role of a noun phrase that names (or hides) a speaker."""
        text = _clean_name(span.text)
        root = _root(span)
        lemma = root.lemma_.lower()
        ents = self.index.ents_in(span.start_char, span.end_char)
        orgs = [e for e in ents if e.label_ in {"ORG", "GPE", "NORP"}]
        if lemma in DOCUMENT_NOUNS and (author := self._author(root)) is not None:
            return self.describe(author)  # "a statement published by the ministry"
        person = self._person_of(root, ents)
        if person is not None:
            return Speaker(name=self.full_name(_clean_name(person.text)), type="person", role=self._role(span, person))
        if root.pos_ == "PROPN" and (full := self.known_person(root.text)):
            return Speaker(name=full, type="person")  # a surname met in full elsewhere: "Schiff"
        if self._is_media(span, root):
            return Speaker(name=_strip_det(text) if root.pos_ == "PROPN" or orgs else text, type="media")
        if lemma in ANONYMOUS_NOUNS or (lemma == "one" and any(t.lemma_.lower() in ANONYMOUS_NOUNS for t in span)):
            return Speaker(type="anonymous", description=self._description(span))
        if root.ent_type_ in {"ORG", "GPE", "NORP"} or lemma in ORGANIZATION_NOUNS:
            ent = next((e for e in orgs if root.i in range(e.start, e.end)), None)
            return Speaker(name=_clean_name(ent.text) if ent is not None else _strip_det(text), type="organization")
        if lemma in PERSON_TITLES and root.tag_ == "NN":
            if span[0].lower_ in {"a", "an", "one", "another", "some"}:
                # "a council leader": someone unnamed, as anonymous as "a government source"
                return Speaker(type="anonymous", description=text)
            return Speaker(name=None, type="person", role=_strip_det(text))  # "the president": an office
        if root.tag_ in {"NNS", "NNPS"} or lemma in GROUP_NOUNS:
            return Speaker(name=text[0].lower() + text[1:] if span[0].pos_ == "DET" else text, type="group")
        if root.pos_ == "PROPN":
            return Speaker(name=_strip_det(text), type="unknown")
        return Speaker(name=text, type="unknown")

    def _author(self, root: Token) -> SpacySpan | None:
        """Who is behind a document: "by X", "from X", "X's statement"."""
        for token in root.subtree:
            if token.dep_ in {"agent", "prep"} and token.lower_ in {"by", "from"} and token.head.i in {
                    root.i, *(c.i for c in root.children)}:
                pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.doc[pobj.left_edge.i:pobj.right_edge.i + 1]
        owner = next((c for c in root.children if c.dep_ == "poss"), None)
        if owner is not None and owner.pos_ in {"PROPN", "NOUN"}:
            return self.doc[owner.left_edge.i:owner.i + 1]
        return None

    def _person_of(self, root: Token, ents: list[SpacySpan]) -> SpacySpan | None:
        """The person a phrase names: an entity at its head, or in apposition to it."""
        for ent in ents:
            if ent.label_ == "PERSON" and ent.start <= root.i < ent.end:
                return ent
        for child in root.children:
            if child.dep_ == "appos":
                for ent in ents:
                    if ent.label_ == "PERSON" and ent.start <= child.i < ent.end:
                        return ent
        return None

    def known_person(self, word: str) -> str | None:
        """The full name of a person the article named earlier, from one of its words."""
        return self._names.get(word.strip(".,’'"))

    def full_name(self, name: str) -> str:
        """ "Trump" → "Donald Trump" when the article has the full name."""
        if " " in name:
            return name
        return self.known_person(name) or name

    def _is_media(self, span: SpacySpan, root: Token) -> bool:
        if root.lemma_.lower() in MEDIA_NOUNS - {"poll", "survey", "study", "report"} and root.pos_ == "NOUN":
            # "U.S. media", "the newspaper"; but "a reporter's source" is anonymous
            return root.lemma_.lower() not in {"reporter", "journalist", "columnist", "correspondent"}
        text = _clean_name(span.text)
        if self.outlet and text.lower().endswith(self.outlet.lower()):
            return True
        propn = [t for t in span if t.pos_ == "PROPN"]
        return bool(propn) and root.pos_ == "PROPN" and any(t.lower_ in MEDIA_NAME_WORDS for t in propn)

    def _description(self, span: SpacySpan) -> str:
        # "Ukrainska Pravda's contacts in ..." describes the contacts, not the outlet
        text = re.sub(r"^(?:[A-Z][\w.’'-]*\s+)*[A-Z][\w.’'-]*?[’']s\s+", "", _clean_name(span.text))
        return re.sub(r"^one of\s+", "", text)

    def _role(self, span: SpacySpan, person: SpacySpan) -> str | None:
        """The title around a name: before it ("Russian President") or in apposition after it."""
        before = [t for t in span if t.i < person.start and t.pos_ not in {"DET", "PUNCT"} and t.dep_ not in {"poss", "case"}
                  and t.lower_.rstrip(".") not in HONORIFICS]
        if before:
            return _clean_name("".join(t.text_with_ws for t in before)) or None
        head = person.root
        for child in head.rights:
            if child.dep_ == "appos":
                return _clean_name(self.doc[child.left_edge.i:child.right_edge.i + 1].text) or None
        after = self.doc[person.end:span.end].text
        words = after.strip(" ,").split()
        # only an apposition set off by a comma is a role ("Rudenko, Deputy Minister ...")
        if not after.startswith(",") or not words or words[0].lower() in {"who", "which", "that", "whose", "and", "or"}:
            return None
        return _clean_name(after.strip(" ,")) or None

    def _pronoun(self, token: Token, found: Found, resolved: list[Attribution]) -> Speaker:
        word = token.lower_
        antecedent: Speaker | None = None
        if word in _RELATIVE:
            antecedent = self._relative_antecedent(token)
        elif word in _FIRST:
            outer = self._enclosing(token.idx, resolved)
            if outer is not None:
                antecedent = outer.speaker
        elif word in _PERSONAL:
            person = self._person_antecedent(token)
            if person is not None:
                antecedent = self.describe(self._mention(person))
        elif word in _PLURAL:
            antecedent = self._plural_antecedent(token, resolved)
        if antecedent is None:
            return Speaker(type="unknown", resolved_from=None, name=None)
        return replace(antecedent, resolved_from=token.text)

    def _person_antecedent(self, token: Token) -> SpacySpan | None:
        """The person "he"/"she" most likely refers to: subjects first, nearest sentence first.

        Subjects are the most salient mentions (centering theory): in "Trump praised
        Putin. He said ...", "he" is Trump, not the nearer Putin.
        """
        earlier = self.persons[:bisect_right(self._person_ends, token.idx)]
        if not earlier:
            return None
        sentence = self.index.sent_of(token.i)
        for _ in range(3):
            in_sentence = [p for p in earlier if sentence.start <= p.start < sentence.end]
            subjects = [p for p in in_sentence if p.root.dep_ in {"nsubj", "nsubjpass"}
                        or (p.root.dep_ == "appos" and p.root.head.dep_ in {"nsubj", "nsubjpass"})]
            if subjects:
                return subjects[-1]
            if sentence.start == 0:
                break
            sentence = self.index.sent_of(sentence.start - 1)
        return earlier[-1]

    def _mention(self, person: SpacySpan) -> SpacySpan:
        """A person's name with the title in front of it ("Russian President Vladimir Putin")."""
        start = person.start
        while start > 0 and self.doc[start - 1].dep_ in {"compound", "amod"} and self.doc[start - 1].head.i >= person.start:
            start -= 1
        return self.doc[start:person.end]

    def _relative_antecedent(self, token: Token) -> Speaker | None:
        # The noun phrase right before ", who": parsers often attach the clause too high.
        i = token.i - 1
        while i >= 0 and (self.doc[i].is_punct or self.doc[i].is_space):
            i -= 1
        if i < 0:
            return None
        prev = self.doc[i]
        ent = self.index.ent_at(i)
        if ent is not None:
            return self.describe(self.doc[ent.start:ent.end])
        return self.describe(self.doc[prev.left_edge.i:prev.i + 1])

    def _plural_antecedent(self, token: Token, resolved: list[Attribution]) -> Speaker | None:
        outer = self._enclosing(token.idx, resolved)
        # The speaker quoting "they" is not who "they" are.
        window = self.doc[max(0, token.i - 400):token.i]  # a few sentences back
        for candidate in reversed([t for t in window if t.dep_ in {"nsubj", "nsubjpass"}]):
            if candidate.tag_ not in {"NNS", "NNPS"} and not (candidate.ent_type_ in {"ORG", "GPE", "NORP"}):
                continue
            if outer is not None and outer.source is not None and outer.source.start <= candidate.idx < outer.source.end:
                continue
            span = self.doc[candidate.left_edge.i:candidate.i + 1]
            return self.describe(span)
        return None

    @staticmethod
    def _enclosing(offset: int, resolved: list[Attribution]) -> Attribution | None:
        for attribution in reversed(resolved):
            if any(c.start <= offset < c.end for c in attribution.content):
                return attribution
            if attribution.cue.start < offset - 10_000:
                break
        return None

    # --- dates -----------------------------------------------------------------------

    def statement_date(self, found: Found) -> str | None:
        """The date of the statement: a date expression in the cue's sentence, outside the content."""
        cue = _tokens(self.doc, found.cue)
        if cue is None:
            return None
        sent = self.index.sent_of(cue[0].i)
        for ent in self.index.ents_in(sent.start_char, sent.end_char):
            if ent.label_ != "DATE" or any(s <= ent.start_char < e for s, e in found.content):
                continue
            if not _DATE_WORDS.search(ent.text):
                continue
            iso = _parse_date(ent.text, self._date_base)
            if iso:
                return iso
        return None

    # --- all together ----------------------------------------------------------------

    def resolve(self, found: list[Found]) -> list[Attribution]:
        """Attributions in text order, each with speaker, stance, kind, date and nesting."""
        found = sorted(found, key=lambda f: (f.content[0][0] if f.content else f.cue[0], f.cue))
        found = sorted(found, key=lambda f: min([f.cue[0]] + [s for s, _ in f.content] +
                                                 ([f.source[0]] if f.source else [])))
        result: list[Attribution] = []
        for f in found:
            cue_span = _tokens(self.doc, f.cue)
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
            result.append(Attribution(
                cue=Span.of(self.text, *f.cue),
                content=tuple(Span.of(self.text, s, e) for s, e in f.content),
                source=Span.of(self.text, *f.source) if f.source else None,
                kind=f.kind or kind_of(self.text, f.content),
                stance=stance_of(cue_text, list(cue_span) if cue_span is not None else []),
                speaker=self.speaker(f.source, f, result),
                statement_date=self.statement_date(f),
                nested_in=nested_in,
            ))
        return result


def _parse_published(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published[:19])
    except ValueError:
        import dateparser

        parsed: datetime | None = dateparser.parse(published)
        return parsed


@lru_cache(maxsize=4096)
def _parse_date(text: str, base: datetime | None) -> str | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    elif not re.search(r"\b\d{4}\b", text):
        return None  # a relative date needs the publication date
    cleaned = re.sub(r"^(?:on|last|this|early|late)\s+(?=\w)", lambda m: m[0] if "last" in m[0].lower() else "",
                     text.strip(), flags=re.I)
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd strings
        return None
    return parsed.date().isoformat() if parsed else None
