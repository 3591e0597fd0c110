"""Turn found attributions into `Attribution` records: speaker, stance, kind, date, nesting.

No coreference model works offline here, so pronouns are resolved from the parse and
the discourse: a relative pronoun to the noun phrase it follows, ``I``/``we`` inside a
quotation to its speaker, and ``he``/``she``/``it``/``they`` to the most recent subject
that agrees with them (gender for he/she, a person for he/she, an institution for it, a
plural or an institution for they), never to a mention inside a quotation or in page
furniture, and never past a nearer agreeing subject (an unnamed spokesperson blocks the
named person further up). Genders come from evidence only (`gender.py`).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from .attribute.candidates import Found, Offsets
from .gender import UNKNOWN, compatible, decide, is_first_name, name_gender, pronoun_gender, word_gender
from .lexicon import (ANONYMOUS_NOUNS, BELIEVE, BELIEVING, DATA_NOUNS, DENY, DOCUMENT_NOUNS, GROUP_NOUNS,
                      HONORIFICS, ISSUING_VERBS, MEDIA_NAME_WORDS, MEDIA_NOUNS, NEG_RAISING,
                      NEGATIVE_SUBJECTS, ORGANIZATION_NOUNS, PERSON_NOUNS, PERSON_TITLES, QUESTION, SPEECH_VERBS,
                      WITHHOLDING)
from .models import Attribution, Span, Speaker
from .nlp import doc_index

logger = logging.getLogger(__name__)

_PERSONAL = {"he", "she", "him", "her", "his", "hers"}
_PLURAL = {"they", "them", "their", "theirs"}
_NEUTER = {"it", "its"}
_FIRST = {"i", "we", "me", "us"}
_RELATIVE = {"who", "which", "that", "whom"}
_QUOTE_CHARS = "\"“”«»„"
_GENDERED_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]er|[Hh]is|[Hh]ers|[Hh]imself|[Hh]erself|HE|SHE)\b")
_DATE_WORDS = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\byesterday\b|\btoday\b|\blast\s+week\b"
    r"|\b\d+\s+days?\s+ago\b|\b\d{4}-\d{2}-\d{2}\b",
    re.I,
)


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
        return "assert" if negated else "deny"  # "did not dispute that ..." concedes it
    if head in BELIEVE:
        return "deny" if negated and head not in NEG_RAISING else "believe"
    if head in QUESTION and not _is_request(cue_tokens, content_text):
        return "deny" if negated else "question"
    return "deny" if negated else "assert"


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
        if child.dep_ == "neg":
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
    text = re.sub(r"^[\s<>|•·*#=~_–—-]+", "", text)  # markup left over from the page (">Sanders")
    text = re.sub(r"[’']s$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" ,.")


class Resolver:
    """Resolves the attributions of one parsed article.

    A plain class rather than a function: the article-wide indexes (person mentions,
    quotations, gender evidence) are built once and shared by every attribution.
    """

    def __init__(self, doc: Doc, *, published: str | None = None, outlet: str | None = None,
                 skip: Sequence[Offsets] = ()) -> None:
        self.doc = doc
        self.index = doc_index(doc)
        self.text = self.index.text
        self.published = published
        self.outlet = outlet
        self.persons = self.index.persons
        self._person_ends = [p.end_char for p in self.persons]
        # surname -> the full name the article uses most for it ("Trump" -> "Donald Trump");
        # a surname two people share ("Donald Trump", "Ivanka Trump") is ambiguous on its own
        self._names: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        self._surnames: set[str] = set()  # every word that ends a person's name in the article
        forms: dict[str, Counter[str]] = {}
        for person in self.persons:
            name = _clean_name(_strip_honorific(person.text))
            parts = name.split()
            if parts:
                self._surnames.add(parts[-1])
            if len(parts) > 1:
                forms.setdefault(parts[-1], Counter())[name] += 1
        # "Walter A. Clyburn Reed" … "Walter said": a first name that one full name opens and
        # nobody's surname is that person (interviews call people by their first names)
        firsts: dict[str, set[str]] = {}
        for counts in forms.values():
            for name in counts:
                first = name.split()[0]
                if first not in forms and is_first_name(first):
                    firsts.setdefault(first, set()).add(name)
        self._firsts = {first: next(iter(names)) for first, names in firsts.items() if len(names) == 1}
        for surname, counts in forms.items():
            self._names[surname] = max(counts, key=lambda n: (counts[n], len(n)))
            if len({n.split()[0].rstrip(".") for n in counts}) > 1:
                # two people: the surname alone is the one the article introduced first (news
                # style names the other one in full each time: "Debbie Meadows")
                self._ambiguous.add(surname)
                self._names[surname] = next(iter(counts))
        self._date_base = _parse_published(published)
        self._quotes = _quotations(self.text)
        self._quote_starts = [s for s, _ in self._quotes]
        self._skip = sorted([*skip, *_credit_lines(self.text)])
        self._skip_starts = [s for s, _ in self._skip]
        self._subjects: dict[int, list[Token]] = {}
        self._described: dict[tuple[int, int], Speaker] = {}  # pronouns look at the same subjects again
        self._evidence = self._gender_evidence()

    # --- where a mention is ----------------------------------------------------------

    def _quote_at(self, offset: int) -> Offsets | None:
        i = bisect_right(self._quote_starts, offset) - 1
        if i >= 0 and self._quotes[i][0] <= offset < self._quotes[i][1]:
            return self._quotes[i]
        return None

    def _skipped(self, offset: int) -> bool:
        i = bisect_right(self._skip_starts, offset) - 1
        return i >= 0 and self._skip[i][0] <= offset < self._skip[i][1]

    def _visible_from(self, offset: int, pronoun_at: int) -> bool:
        """A mention a pronoun can refer back to: not in page furniture, not inside a quotation
        (unless the pronoun is inside the same one)."""
        if self._skipped(offset):
            return False
        quote = self._quote_at(offset)
        return quote is None or quote == self._quote_at(pronoun_at)

    # --- gender ----------------------------------------------------------------------

    def _person_key(self, person: SpacySpan) -> str | None:
        name = _clean_name(_strip_honorific(person.text))
        if " " not in name and name in self._ambiguous:
            return None  # "Trump" in an article about Donald and Ivanka Trump: whose evidence?
        return self.full_name(name)

    def _gender_evidence(self) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
        """What the article itself says of each person's gender: (strong, from pronouns).

        Strong: a form of address or a gendered noun next to the name ("Mrs Lee", "actress
        Jane Doe"). From pronouns: a he/she outside quotations that can only mean that person
        (the one person named, outside quotations, in its sentence and the one before).
        """
        strong: dict[str, Counter[str]] = {}
        pronouns: dict[str, Counter[str]] = {}
        for person in self.persons:
            key = self._person_key(person)
            if key is None:
                continue
            words = [t.text for t in person[:1]]
            if person.start > 0:
                words.append(self.doc[person.start - 1].text)
            words += [c.lemma_ for c in person.root.children if c.dep_ == "appos"]
            for word in words:
                gender = word_gender(word)
                if gender != UNKNOWN:
                    strong.setdefault(key, Counter())[gender] += 1
        for match in _GENDERED_PRONOUN.finditer(self.text):  # a scan of the text, not of every token
            if self._quote_at(match.start()) is not None or self._skipped(match.start()):
                continue
            hit = self.doc.char_span(match.start(), match.end())
            if hit is None:
                continue
            token = hit[0]
            gender = pronoun_gender(token.lower_)
            sentence = self.index.sent_of(token.i)
            start = self.index.sent_of(sentence.start - 1).start if sentence.start > 0 else 0
            mentions = [p for p in self._persons_between(start, token.i) if self._quote_at(p.start_char) is None]
            named = {self._person_key(p) for p in mentions}
            key = named.pop() if len(named) == 1 else None
            if key is not None:
                pronouns.setdefault(key, Counter())[gender] += 1
        return strong, pronouns

    def _persons_between(self, start: int, end: int) -> list[SpacySpan]:
        """Person mentions whose tokens lie in [start, end)."""
        lo = bisect_right(self._person_ends, self.doc[start].idx) if start < len(self.doc) else len(self.persons)
        found = []
        for person in self.persons[lo:]:
            if person.start >= end:
                break
            if person.start >= start and person.end <= end:
                found.append(person)
        return found

    def gender_of(self, name: str) -> str:
        """female / male / unknown for a person named in the article.

        A form of address or a gendered noun in the article decides. Then the first-name
        list, unless the article's pronouns near the name are all of the other gender, at
        least two ("Alex ... she ... she" is a woman; one "he" near a name, or a mix, can
        mean someone else).
        """
        strong, pronouns = self._evidence
        said = decide(strong.get(name, Counter()))
        if said != UNKNOWN:
            return said
        tally = pronouns.get(name, Counter())
        from_pronouns = decide(tally)
        # a name alone is most often a surname ("Clinton" is also a first name): no list for it
        first = name.split()[0] if " " in name else ""
        listed = name_gender(first) if first else UNKNOWN
        if listed == UNKNOWN or from_pronouns == listed:
            return from_pronouns if listed == UNKNOWN else listed
        if from_pronouns != UNKNOWN and tally[from_pronouns] >= 2 and tally[listed] == 0:
            return from_pronouns  # only pronouns of one gender, twice: the article knows better
        return listed

    # --- speakers --------------------------------------------------------------------

    def speaker(self, source: Offsets | None, found: Found, resolved: list[Attribution]) -> Speaker:
        if source is None:
            if found.inherited_source is not None:
                inherited = self.speaker(found.inherited_source, found, resolved)
                return replace(inherited, resolved_from="(subject of the conjoined verb)")
            governing = self._governing(found)
            if governing is not None:
                cue, verb, subject = governing
                offsets = self._subject_offsets(subject)
                said = self.speaker(offsets, replace(found, source=offsets), resolved)
                if _addressed(cue):
                    return self._asker(cue, verb, said, resolved)
                return replace(said, resolved_from="(subject of the governing verb)")
            return Speaker()
        span = _tokens(self.doc, source)
        if span is None or not len(span):
            return Speaker(name=_clean_name(self.text[source[0]:source[1]]))
        root = _root(span)
        if len(span) == 1 and root.lower_ in _RELATIVE | _PERSONAL | _PLURAL | _FIRST | _NEUTER:
            return self._pronoun(root, found, resolved)
        if not any(t.pos_ in {"NOUN", "PROPN", "NUM"} or t.text[:1].isupper() and t.is_alpha
                   and t.pos_ not in {"DET", "ADV", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "PRON"} for t in span) \
                and root.lemma_.lower() not in ANONYMOUS_NOUNS:
            return Speaker()  # "here", "An", "you", "Some": no speaker is named by a function word
        quoted = self._quoted_speaker(found)
        if quoted is not None:
            return quoted
        described = self.describe(span)
        if described.type == "person" and described.name is None and described.role and span[0].lower_ == "the":
            return self._speaker_so_titled(span, described.role, resolved) or described
        return described

    def _quoted_speaker(self, found: Found) -> Speaker | None:
        """ "TASS quoted Foreign Minister Sergei Lavrov as saying …": the medium reports, the one
        it quotes speaks."""
        cue = _tokens(self.doc, found.cue)
        if cue is None or not found.content or _root(cue).lemma_.lower() != "quote":
            return None
        start, end = found.content[0]
        match = _QUOTED_AS.match(self.text, start, end)
        if match is None:
            return None
        span = self.doc.char_span(start, start + len(match[1]), alignment_mode="expand")
        if span is None or not len(span):
            return None
        speaker = self.describe(span)
        return replace(speaker, resolved_from=_clean_name(self.text[found.source[0]:found.source[1]])
                       if found.source else None)

    def _speaker_so_titled(self, span: SpacySpan, role: str, resolved: list[Attribution]) -> Speaker | None:
        """ "Chris Grayling warned … Speaking in the Commons, the Conservative MP said": a title
        that no earlier name carried refers back to the named person who spoke last, within a
        few sentences, where nothing known of that person contradicts it (journalists vary
        the mention rather than repeat the name)."""
        title = _root(span).lemma_.lower()
        earliest = self.index.sent_of(span[0].i)
        for _ in range(2):  # this sentence and the two before it
            if earliest.start == 0:
                break
            earliest = self.index.sent_of(earliest.start - 1)
        for attribution in reversed(resolved):
            if attribution.source is None or attribution.source.start >= span.start_char:
                continue
            if attribution.source.start < earliest.start_char:
                break
            if not self._visible_from(attribution.source.start, span.start_char):
                continue
            speaker = attribution.speaker
            if speaker.type != "person" or not speaker.name:
                return None  # the last speaker is no named person: the title may be anyone's
            if speaker.role and title not in speaker.role.lower():
                return None  # "Transport Secretary Grant Shapps", then "the Conservative MP"
            return replace(speaker, role=role, resolved_from=_clean_name(span.text))
        return None

    def _subject_offsets(self, subject: Token) -> Offsets:
        """A subject's characters, with its name entity whole."""
        start, end = subject.left_edge.i, subject.i + 1
        ent = self.index.ent_at(subject.i)
        if ent is not None:
            start, end = min(start, ent.start), max(end, ent.end)
        return self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1].text)

    def _governing(self, found: Found) -> tuple[Token, Token, Token] | None:
        """The verb of a subjectless cue, the verb it depends on and that verb's subject: "Walker
        spent weeks before announcing he would retire", "In announcing his retirement, Meadows ..."."""
        span = _tokens(self.doc, found.cue)
        if span is None:
            return None
        cue = verb = _root(span)
        if verb.pos_ != "VERB" or any(c.dep_ in {"nsubj", "nsubjpass", "expl", "auxpass"} for c in verb.children):
            return None  # its own subject, or a passive ("is expected to ...") that names no speaker
        for _ in range(3):
            if verb.dep_ not in {"advcl", "pcomp", "xcomp", "conj", "prep", "pobj"} or verb.head.i == verb.i:
                return None
            verb = verb.head
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None:
                return cue, verb, subject
        return None

    def _asker(self, cue: Token, verb: Token, asked: Speaker, resolved: list[Attribution]) -> Speaker:
        """Who put the question ``cue`` to ``asked``, the subject of ``verb``: the agent ("Asked
        by reporters"), the person the answer went to ("…, Scott told co-host Gayle King"), else
        the named person who last asked a question in the article (an interview's interviewer);
        else unknown."""
        agents = [g for c in cue.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents:
            agent = agents[0]
            span = self.doc[agent.left_edge.i:agent.right_edge.i + 1]
            return self.describe(span)  # the source, after the cue
        if cue.lemma_.lower() not in QUESTION:
            return Speaker()  # "Told of the decision, Hale said …": the teller is not named
        for child in verb.children:
            if child.dep_ in {"dobj", "dative"}:
                ent = self.index.ent_at(child.i)
                if ent is not None and ent.label_ == "PERSON":
                    return replace(self.describe(self._whole_name(ent)), resolved_from=_clean_name(ent.text))
        for attribution in reversed(resolved):
            speaker = attribution.speaker
            if attribution.stance == "question" and speaker.type == "person" and speaker.name \
                    and speaker.name != asked.name:
                return replace(speaker, resolved_from="(who asked before)")
        return Speaker()

    def describe(self, span: SpacySpan) -> Speaker:
        """Name, type, role and gender of a noun phrase that names (or hides) a speaker."""
        known = self._described.get((span.start, span.end))
        if known is None:
            known = self._described[span.start, span.end] = self._describe_with_gender(_without_participle(span))
        return known

    def _describe_with_gender(self, span: SpacySpan) -> Speaker:
        speaker = self._describe(span)
        if speaker.type == "person" and speaker.name:
            return replace(speaker, gender=self.gender_of(speaker.name))
        if speaker.type in {"person", "anonymous"}:
            root = _root(span)
            if root.tag_ in {"NN", "NNP"}:
                return replace(speaker, gender=word_gender(root.lemma_))
        return speaker

    def _describe(self, span: SpacySpan) -> Speaker:
        if len(span) > 2 and span[-1].like_num and span[-2].text == "," and len(span[-1].text) <= 3:
            # "Lopiano, 52": an age, which also says that the name is a person's
            named = self._describe(span[:-2])
            if named.type == "unknown" and named.name and span[0].text[:1].isupper():
                return replace(named, type="person", name=self.full_name(named.name))
            return named
        text = _clean_name(span.text)
        root = _root(span)
        lemma = root.lemma_.lower()
        ents = self.index.ents_in(span.start_char, span.end_char)
        orgs = [e for e in ents if e.label_ in {"ORG", "GPE", "NORP"}]
        person = self._person_of(span, root, ents)
        if person is not None:
            return Speaker(name=self.full_name(_clean_name(_strip_honorific(person.text))), type="person",
                           role=self._role(span, person))
        written = [t for t in span if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in HONORIFICS]
        if root.pos_ == "PROPN" and (full := self.known_person(root.text)) and (
                len(written) <= 1 or full.endswith(" ".join(t.text for t in written))):
            return Speaker(name=full, type="person")  # a surname met in full elsewhere: "Schiff"
        tag = self.index.ent_at(written[0].i) if written else None
        if root.pos_ == "PROPN" and 2 <= len(written) <= 3 and written[-1].i == root.i and is_first_name(
                written[0].text) and (tag is None or tag.label_ == "ORG" and root.text in self._surnames):
            # "Ivy Pike" tagged as nothing, "Keith Lamont Scott" as a company while "Scott" is a
            # person elsewhere: a first name from the list says a person
            return Speaker(name=" ".join(t.text for t in written), type="person")
        if root.pos_ == "PROPN" and root.text in self._surnames and not orgs:
            return Speaker(name=root.text, type="person")  # a one-word name the article gives a person
        if lemma in DOCUMENT_NOUNS or lemma in DATA_NOUNS:
            return self._document(span, root)  # "the report", "government data", "a statement by the ministry"
        if self._is_media(span, root):
            return Speaker(name=_strip_det(text) if root.pos_ == "PROPN" or orgs else text, type="media")
        if lemma in ANONYMOUS_NOUNS or (lemma == "one" and any(t.lemma_.lower() in ANONYMOUS_NOUNS for t in span)) \
                or _UNNAMED.search(span.text):
            return Speaker(type="anonymous", description=self._description(span))
        if (root.ent_type_ in {"ORG", "GPE", "NORP"} or lemma in ORGANIZATION_NOUNS) and not (
                root.ent_type_ == "NORP" and root.tag_ in {"NNS", "NNPS"}):  # "Republicans": people, a group
            ent = next((e for e in orgs if root.i in range(e.start, e.end)), None)
            return Speaker(name=_clean_name(ent.text) if ent is not None else _strip_det(text), type="organization")
        if (lemma in PERSON_TITLES or lemma in PERSON_NOUNS) and root.tag_ == "NN" or (
                lemma in PERSON_TITLES and span[0].lower_ == "the" and root.i == span.end - 1
                and not any(e.label_ == "PERSON" for e in ents)):  # "the Conservative MP": a title tagged NNP
            if span[0].lower_ in {"a", "an", "one", "another", "some"}:
                # "a council leader", "one academic": someone unnamed, as anonymous as "a government source"
                return Speaker(type="anonymous", description=text)
            if (earlier := self._titled_person(span, root)) is not None:
                return earlier  # "the former mayor": the mayor the article named before
            return Speaker(name=None, type="person", role=_strip_det(text))  # "the president": an office
        if root.tag_ in {"NNS", "NNPS"} or lemma in GROUP_NOUNS or re.fullmatch(r"[A-Z]{2,}s", root.text):
            # "Tory MPs", "CEOs": an acronym in the plural is people
            return Speaker(name=text[0].lower() + text[1:] if span[0].pos_ == "DET" else text, type="group")
        if root.pos_ == "PROPN":
            return Speaker(name=_strip_det(text), type="unknown")
        return Speaker(name=text, type="unknown")

    def _document(self, span: SpacySpan, root: Token) -> Speaker:
        """A document or data speaks for whoever issued it, else for nobody known."""
        author = self._author(root)
        if author is None and span[0].lower_ == "the":
            author = self._earlier_author(root)  # "the affidavit": the one "from the agency" before
        if author is not None:
            issuer = self.describe(author)
            if issuer.type in {"unknown", "group"} and _root(author).pos_ == "PROPN":
                issuer = replace(issuer, type="organization")  # a named issuer is an institution
            return issuer
        # nobody to name: described, so that no speaker is called "affidavit"
        return Speaker(type="unknown", description=_clean_name(span.text))

    def _author(self, root: Token) -> SpacySpan | None:
        """Who is behind a document: "by X", "from X", "X's statement", "a CBS News poll"."""
        for token in root.subtree:
            if token.lower_ not in {"by", "from"} or token.dep_ not in {"agent", "prep"}:
                continue
            if token.head.i == root.i and token.lower_ == "from" or (
                    token.head.i == root.i and token.lower_ == "by") or (
                    token.head.head.i == root.i and token.head.lemma_.lower() in ISSUING_VERBS):
                pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.doc[pobj.left_edge.i:pobj.right_edge.i + 1]
        owner = next((c for c in root.children if c.dep_ == "poss"), None)
        if owner is not None and owner.pos_ in {"PROPN", "NOUN"}:
            return self.doc[owner.left_edge.i:owner.i + 1]
        names = [c for c in root.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if names:  # "a CBS News poll", "Pentagon data"
            return self.doc[names[0].left_edge.i:names[-1].i + 1]
        return None

    def _earlier_author(self, root: Token) -> SpacySpan | None:
        lemma = root.lemma_.lower()
        for token in reversed(self.doc[max(0, root.i - 2000):root.i]):
            if token.lemma_.lower() == lemma and token.pos_ == "NOUN":
                author = self._author(token)
                if author is not None:
                    return author
        return None

    def _titled_person(self, span: SpacySpan, root: Token) -> Speaker | None:
        """ "the former mayor" after "former New York Mayor Jane Roe": the latest person with that title."""
        if span[0].lower_ != "the" or any(t.pos_ == "PROPN" for t in span) or root.i != span.end - 1:
            return None  # "the president of the club" is someone else
        earlier = self.persons[:bisect_right(self._person_ends, span.start_char)]
        for person in reversed(earlier[-40:]):
            mention = self._mention(person)
            words = {t.lemma_.lower() for t in mention if t.i < person.start}
            words |= {t.lemma_.lower() for c in person.root.children if c.dep_ == "appos" for t in c.subtree}
            if root.lemma_.lower() in words:
                name = self.full_name(_clean_name(_strip_honorific(person.text)))
                return Speaker(name=name, type="person", role=_strip_det(_clean_name(span.text)))
        return None

    def _person_of(self, span: SpacySpan, root: Token, ents: list[SpacySpan]) -> SpacySpan | None:
        """The person a phrase names: an entity at its head, in apposition to it, or closing it.

        "President and Chief Financial Officer of Acme Mary Smith": the name that ends a
        title is the person, whatever the parser made the head.
        """
        for ent in ents:
            if ent.label_ == "PERSON" and ent.start <= root.i < ent.end:
                whole = self._whole_name(ent)
                return whole if whole.start >= span.start else ent
        for child in root.children:
            if child.dep_ == "appos":
                for ent in ents:
                    if ent.label_ == "PERSON" and ent.start <= child.i < ent.end:
                        return ent
        persons = [e for e in ents if e.label_ == "PERSON"]
        if persons and not any(t.lower_ in {"and", "&"} for t in span[persons[-1].start - span.start:]):
            last = persons[-1]
            tail = self.doc[last.end:span.end]
            # only punctuation or an age may follow ("Lopez, 52"); a name after a preposition
            # belongs to another phrase ("a source close to Vladimir Putin"), as does one after
            # a common noun for unnamed sources or media
            before = self.doc[last.start - 1] if last.start > span.start else None
            if all(t.is_punct or t.like_num or t.is_space for t in tail) and not (
                    before is not None and before.pos_ == "ADP") and not (
                    root.pos_ == "NOUN" and root.lemma_.lower() in ANONYMOUS_NOUNS | MEDIA_NOUNS) and \
                    root.tag_ not in {"NNS", "NNPS"}:
                return last
        return self._name_after_title(span)

    def _name_after_title(self, span: SpacySpan) -> SpacySpan | None:
        """ "President of Super Foods Mary Smith", tagged as one organisation: the title's last
        capitalised words from a known first name on are the person."""
        end = span.end
        while end > span.start and (self.doc[end - 1].is_punct or self.doc[end - 1].like_num):
            end -= 1  # "..., 52,"
        start = end
        while start > span.start and self.doc[start - 1].pos_ == "PROPN" and self.doc[start - 1].text[:1].isupper():
            start -= 1
        if not any(t.lemma_.lower() in PERSON_TITLES | PERSON_NOUNS for t in self.doc[span.start:end]):
            return None
        for i in range(end - 2, start - 1, -1):
            if is_first_name(self.doc[i].text) and not self.doc[i].lemma_.lower() in PERSON_TITLES:
                first = i - 1 if i - 1 >= start and is_first_name(self.doc[i - 1].text) else i  # "Mary Ann Smith"
                if any(t.lemma_.lower() in PERSON_TITLES | PERSON_NOUNS for t in self.doc[span.start:first]):
                    return self.doc[first:end]
                return None
        return None

    def _whole_name(self, person: SpacySpan) -> SpacySpan:
        """ "Ivanka" + entity "Trump": a first name the tagger left out belongs to the name."""
        start = person.start
        while start > 0 and (word := self.doc[start - 1]).pos_ == "PROPN" and word.dep_ == "compound" and \
                not word.text.endswith(".") and word.lemma_.lower() not in PERSON_TITLES | HONORIFICS and \
                name_gender(word.text) != UNKNOWN and self.index.ent_at(start - 1) is None:
            start -= 1  # not a title ("Justice", "Sen.") nor a name the list cannot place
        return self.doc[start:person.end] if start < person.start else person

    def known_person(self, word: str) -> str | None:
        """The full name of a person the article named earlier, from one of its words."""
        word = word.strip(".,’'")
        return self._names.get(word) or self._firsts.get(word)

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
        # a media word names an outlet when it ends the name ("The Independent", "CBS News"),
        # not inside another institution's name ("California Independent System Operator")
        return root.pos_ == "PROPN" and root.lower_ in MEDIA_NAME_WORDS

    def _description(self, span: SpacySpan) -> str:
        # "Ukrainska Pravda's contacts in ..." describes the contacts, not the outlet
        text = re.sub(r"^(?:[A-Z][\w.’'-]*\s+)*[A-Z][\w.’'-]*?[’']s\s+", "", _clean_name(span.text))
        return re.sub(r"^one of\s+", "", text)

    def _role(self, span: SpacySpan, person: SpacySpan) -> str | None:
        """The title around a name: before it ("Russian President") or in apposition after it.

        The title is the text as written ("'Dear Neighbour' actress"), without the article,
        a possessor, forms of address ("Mr") or an age ("Lopez, 52").
        """
        start = span.start
        while start < person.start and (self.doc[start].pos_ in {"DET", "PUNCT"} and self.doc[start].text not in
                                        "'‘\"“" or self.doc[start].dep_ in {"poss", "case"}):
            start += 1
        end = person.start
        while end > start and (self.doc[end - 1].lower_.rstrip(".") in HONORIFICS or self.doc[end - 1].is_punct
                               and self.doc[end - 1].text not in "'’\"”"):
            end -= 1
        if end > start:
            before = _clean_name(self.doc[start:end].text)
            if before and not re.fullmatch(r"[\W\d]*", before):
                return before
        head = person.root
        for child in head.rights:
            if child.dep_ == "appos" and not child.like_num:
                role = _clean_name(self.doc[child.left_edge.i:child.right_edge.i + 1].text)
                return None if _is_age(role) else role or None
        after = self.doc[person.end:span.end].text
        words = after.strip(" ,").split()
        # only an apposition set off by a comma is a role ("Rudenko, Deputy Minister ...")
        if not after.startswith(",") or not words or words[0].lower() in {"who", "which", "that", "whose", "and", "or"}:
            return None
        role = _clean_name(re.sub(r"^\s*,?\s*\d{1,3}\s*(?:,|$)", "", after).strip(" ,"))
        return None if not role or _is_age(role) else role

    # --- pronouns --------------------------------------------------------------------

    def _pronoun(self, token: Token, found: Found, resolved: list[Attribution]) -> Speaker:
        word = token.lower_
        antecedent: Speaker | None = None
        if word in _RELATIVE:
            antecedent = self._relative_antecedent(token)
        elif word in _FIRST:
            outer = self._enclosing(token.idx, resolved)
            if outer is not None:
                antecedent = outer.speaker
                if word in {"we", "us"} and (represented := _represented(antecedent.role)) is not None:
                    return Speaker(name=represented, type="organization", resolved_from=token.text)
        elif word in _NEUTER and self._expletive(token):
            return Speaker()  # "it is understood that ...": nobody
        elif word in _PERSONAL | _PLURAL | _NEUTER:
            antecedent = self._antecedent(token, resolved)
        if antecedent is None:
            return Speaker(type="unknown", resolved_from=None, name=None, gender=pronoun_gender(word))
        if antecedent.gender == UNKNOWN and antecedent.type in {"person", "anonymous"}:
            antecedent = replace(antecedent, gender=pronoun_gender(word))  # the pronoun is evidence too
        return replace(antecedent, resolved_from=token.text)

    @staticmethod
    def _expletive(token: Token) -> bool:
        head = token.head
        return token.dep_ in {"expl", "nsubjpass"} or any(c.dep_ == "auxpass" for c in head.children)

    def _antecedent(self, token: Token, resolved: list[Attribution]) -> Speaker | None:
        """The most recent subject that agrees with he/she/it/they, nearest sentence first.

        Subjects and the speakers of earlier attributions are the most salient mentions
        (centering theory): in "Trump praised Putin. He said ...", "he" is Trump, not the
        nearer Putin. Only when none agrees within a few sentences does a named person
        elsewhere count.
        """
        word = token.lower_
        outer = self._enclosing(token.idx, resolved) if word in _PLURAL | _PERSONAL else None
        # in a quotation, "he" is not the one quoted (of themselves they say "I"); in reported
        # speech it mostly is ("Petraeus stated that he thought")
        quoting = outer.speaker.name if outer is not None and self._quote_at(token.idx) is not None else None
        sentence = self.index.sent_of(token.i)
        for _ in range(6):
            subjects = {subject.idx: (subject, subject.tag_ in {"NNS", "NNPS"} or any(
                c.dep_ == "conj" for c in subject.children)) for subject in self._sentence_subjects(sentence)}
            # (offset, subject or a speaker as resolved, plural, in the main clause)
            candidates: list[tuple[int, Token | Speaker, bool, bool]] = []
            for attribution in reversed(resolved):
                if attribution.source is None or attribution.cue.start < sentence.start_char - 2000:
                    if attribution.source is None:
                        continue
                    break
                if sentence.start_char <= attribution.source.start < sentence.end_char:
                    # a speaker's subject counts as resolved ("the former mayor": the mayor named before)
                    inside = [i for i in subjects if attribution.source.start <= i < attribution.source.end]
                    source = _tokens(self.doc, (attribution.source.start, attribution.source.end))
                    candidates.append((attribution.source.start, attribution.speaker,
                                       any([subjects.pop(i)[1] for i in inside]),
                                       source is not None and _in_main_clause(_root(source))))
            candidates += [(i, subject, plural, _in_main_clause(subject)) for i, (subject, plural) in subjects.items()]
            # in an earlier sentence, the main clause's subjects and speakers come before those
            # of its subordinate clauses ("The experts noted that …, when utilities coped. They
            # said"); in the pronoun's own sentence the nearest comes first ("Flynn said Trump
            # was right when he said")
            earlier = sentence.end_char <= token.idx
            for offset, candidate, plural, _ in sorted(candidates, key=lambda c: (earlier and not c[3], -c[0])):
                if offset >= token.idx or not self._visible_from(offset, token.idx):
                    continue
                if word in _PLURAL and outer is not None and outer.source is not None \
                        and outer.source.start <= offset < outer.source.end:
                    continue  # the speaker quoting "they" is not who "they" are
                described = self._subject_speaker(candidate) if isinstance(candidate, Token) else candidate
                if quoting is not None and described.name == quoting:
                    continue
                if _agrees(word, described, plural):
                    return described
            if sentence.start == 0:
                break
            sentence = self.index.sent_of(sentence.start - 1)
        if word in _PERSONAL:
            window = self.doc[sentence.start:token.i]
            for described in reversed(self._named_persons(window, token)):
                if compatible(word, described.gender):
                    return described
        return None

    def _named_persons(self, span: SpacySpan, token: Token) -> list[Speaker]:
        """People named in ``span`` before ``token`` and visible from it, in text order: name
        entities and honorific-led names the tagger missed ("Mr. Ban")."""
        found: list[tuple[int, Speaker]] = []
        for person in self._persons_between(span.start, min(span.end, token.i)):
            if self._visible_from(person.start_char, token.idx):
                found.append((person.start, self.describe(self._mention(person))))
        for word in span:
            if word.i + 1 < token.i and word.lower_.rstrip(".") in HONORIFICS and word.nbor().pos_ == "PROPN" \
                    and self.index.ent_at(word.i + 1) is None and self._visible_from(word.idx, token.idx):
                name = self.full_name(word.nbor().text)
                found.append((word.i, Speaker(name=name, type="person", gender=word_gender(word.text)
                                              if word_gender(word.text) != UNKNOWN else self.gender_of(name))))
        return [speaker for _, speaker in sorted(found, key=lambda f: f[0])]

    def _sentence_subjects(self, sentence: SpacySpan) -> list[Token]:
        subjects = self._subjects.get(sentence.start)
        if subjects is None:
            subjects = self._subjects[sentence.start] = [
                t for t in sentence if t.dep_ in {"nsubj", "nsubjpass"} and t.pos_ != "PRON"]
        return subjects

    def _subject_speaker(self, subject: Token) -> Speaker:
        """The speaker a subject names, with its name entity and apposition whole."""
        ent = self.index.ent_at(subject.i)
        if any(c.dep_ == "conj" for c in subject.children) and (ent is None or ent.label_ != "ORG"):
            # "the mayor and his wife": a group ("Johnson & Johnson" is one company)
            whole = _clean_name(self.doc[subject.left_edge.i:subject.right_edge.i + 1].text)
            return Speaker(name=whole[0].lower() + whole[1:] if subject.left_edge.pos_ == "DET" else whole, type="group")
        span = self.doc[subject.left_edge.i:subject.i + 1]
        if ent is not None and ent.end > subject.i + 1:
            span = self.doc[span.start:ent.end]
        for child in subject.rights:  # "Smith, the mayor," keeps its apposition for the role
            if child.dep_ == "appos":
                span = self.doc[span.start:child.right_edge.i + 1]
        return self.describe(span)

    def _mention(self, person: SpacySpan) -> SpacySpan:
        """A person's name with the title in front of it ("Russian President Vladimir Putin")."""
        person = self._whole_name(person)
        start = person.start
        while start > 0 and self.doc[start - 1].dep_ in {"compound", "amod"} and self.doc[start - 1].head.i >= person.start:
            start -= 1
        return self.doc[start:person.end]

    def _relative_antecedent(self, token: Token) -> Speaker | None:
        """The noun phrase a "who"/"which"/"that" refers to: the noun right before it (parsers
        often attach the clause too high), else the head of its relative clause; never a word
        such as "here" or "and". "Republicans in the state who suspect": a "who" is someone,
        so a nearer noun that names nobody ("the state") gives way to the clause's head."""
        i = token.i - 1
        while i >= 0 and (self.doc[i].is_punct or self.doc[i].is_space):
            i -= 1
        clause = token.head
        heads = []
        if i >= 0 and self.doc[i].pos_ in {"NOUN", "PROPN"}:
            heads.append(self.doc[i])
        if clause.dep_ in {"relcl", "acl"} and clause.head.pos_ in {"NOUN", "PROPN"} and clause.head.i < token.i:
            heads.append(clause.head)
        found = None
        for head in heads:
            ent = self.index.ent_at(head.i)
            span = self.doc[ent.start:ent.end] if ent is not None else self.doc[head.left_edge.i:head.i + 1]
            found = self.describe(span)
            if found.type != "unknown" or token.lower_ != "who":
                return found
        if found is not None and token.lower_ == "who" and heads[-1].pos_ == "NOUN":
            head = heads[-1]
            if head.i == i and (head.lemma_.lower() in PERSON_NOUNS | PERSON_TITLES or re.search(
                    r"(?:er|or|ist|ian|ant|ent|eer)s?$", head.lower_)):
                # "a reporter who asked": "who" says that a word for a doer is someone
                text = _clean_name(self.doc[head.left_edge.i:head.i + 1].text)
                if head.tag_ in {"NNS", "NNPS"}:
                    return Speaker(name=text, type="group")
                return Speaker(type="anonymous", description=text)
            return None  # "a focal point for demonstrators here, who": no one said
        return found

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
        """The date of the statement: a date expression that modifies the cue.

        "On Tuesday, the minister said ..." and "said in a statement on Tuesday" date the
        statement; "said the ban lasts until 30 April" dates the ban, not the statement.
        """
        cue = _tokens(self.doc, found.cue)
        if cue is None:
            return None
        targets = {t.i for t in cue}
        # "Speaking at a rally last Thursday, the senator promised": the speaking is the statement
        targets.update(c.i for t in cue for c in t.children if c.dep_ == "advcl" and c.tag_ == "VBG"
                       and c.lemma_.lower() in SPEAKING and not any(g.dep_ == "nsubj" for g in c.children))
        for token in cue:  # "On 31 October, X complained ... and said ...": the date dates both verbs
            while token.dep_ == "conj" and token.head.i != token.i:
                token = token.head
                targets.add(token.i)
        source = _tokens(self.doc, found.source) if found.source else None
        if source is not None:
            targets.add(_root(source).i)
        sent = self.index.sent_of(cue[0].i)
        base = self._date_base.date() if self._date_base else None
        for ent in self.index.ents_in(sent.start_char, sent.end_char):
            if ent.label_ != "DATE":
                continue
            # a day where the text names one, else the year or month it names ("In 1998, …")
            day = bool(_DATE_WORDS.search(ent.text))
            if not day and coarse_date(ent.text, base) is None:
                continue
            inside = any(s <= ent.start_char < e for s, e in found.content)
            if found.source and found.source[0] <= ent.start_char < found.source[1] and ent.root.dep_ in _OF_A_NOUN:
                continue  # "Gilley, author of the 2017 article, argued": the date describes the source
            governs = self._next_to(ent, found) or self._governs(ent.root, targets)
            if governs is False or governs is None and inside:
                continue
            if day:
                iso = _parse_date(ent.text, self._date_base)
            else:  # "in the summer of 2004 … in mid-August": a month takes the year the sentence names before it
                years = [y for e in self.index.ents_in(sent.start_char, ent.start_char) if e.label_ == "DATE"
                         for y in _YEAR.findall(e.text)]
                iso = coarse_date(ent.text, base, int(years[-1]) if years else None)
            if iso:
                return iso
        return None

    def _next_to(self, ent: SpacySpan, found: Found) -> bool | None:
        """ "said on Thursday it aims ...", "Smith on Thursday said": a date right by the cue dates it,
        whatever the parser attached it to."""
        if ent.root.dep_ in _OF_A_NOUN:
            return None  # "said Thursday's vote was rigged": the date of the vote
        between_after = self.text[found.cue[1]:ent.start_char]
        between_before = self.text[ent.end_char:found.cue[0]]
        if ent.start_char >= found.cue[1] and re.fullmatch(
                r"\s*,?\s*(?:on|in|last|this|earlier|late|early)?\s*", between_after, re.I):
            return True
        if ent.end_char <= found.cue[0] and re.fullmatch(r"\s*", between_before):
            return True
        return None

    @staticmethod
    def _governs(token: Token, targets: set[int]) -> bool | None:
        """True when the date hangs on the cue (or its source), False when another verb governs
        it first, None when the parse does not say."""
        for ancestor in token.ancestors:
            if ancestor.i in targets:
                return True
            if ancestor.pos_ in {"VERB", "AUX"}:
                return False
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
            content_text = " ".join(self.text[s:e] for s, e in f.content)
            result.append(Attribution(
                cue=Span.of(self.text, *f.cue),
                content=tuple(Span.of(self.text, s, e) for s, e in f.content),
                source=Span.of(self.text, *f.source) if f.source else None,
                kind=f.kind or kind_of(self.text, f.content),
                stance=stance_of(cue_text, list(cue_span) if cue_span is not None else [], content_text),
                speaker=self.speaker(f.source, f, result),
                statement_date=self.statement_date(f),
                nested_in=nested_in,
            ))
        return result


# "quoted Sergei Lavrov as saying": who is quoted, before "as saying"
_QUOTED_AS = re.compile(r"([^,;:\"“”]{2,100}?)\s+as\s+(?:saying|telling|stating|writing|arguing|adding|claiming)\b")
# "Speaking at a rally on Monday, X said": a participle of speaking carries the statement's date
SPEAKING = SPEECH_VERBS | frozenset("speak talk address appear testify answer".split())
# A source that says why it is not named is anonymous whatever its noun ("One of them, who
# spoke on condition of anonymity", "a person who asked not to be identified")
_UNNAMED = re.compile(r"\banonym|\bnot (?:to be |being )?(?:named|identified)\b|\bnot (?:authori[sz]ed|permitted|"
                      r"allowed) to (?:speak|comment|discuss)", re.I)
_SPOKES = r"(?:spokes(?:wo)?man|spokesperson|press secretary)"
_FOR_WHOM = re.compile(rf"^(?:an?\s+|the\s+)?(?:\w+\s+)?{_SPOKES}\s+(?:for|of|at)\s+(?:the\s+)?(?P<after>[A-Z].*)$"
                       rf"|^(?:an?\s+|the\s+)?(?P<before>[A-Z][\w.&' -]*?)\s+{_SPOKES}$")


def _represented(role: str | None) -> str | None:
    """The organisation a spokesperson speaks for, from the role: "a spokeswoman for
    California ISO", "White House spokesman"; their "we" is that organisation."""
    match = _FOR_WHOM.match(role or "")
    if match is None:
        return None
    return (match.group("after") or match.group("before")).strip()


def _addressed(cue: Token) -> bool:
    """ "Asked whether …, Ortiz said": a cue in the passive participle, depending on a verb,
    tells what was put to that verb's subject, who is then its addressee, not its speaker. (The
    tagger reads a sentence-opening "Asked" as often as VBD: with no subject of its own, it is
    the participle either way.)"""
    return cue.tag_ in {"VBN", "VBD"} and cue.dep_ == "advcl"


def _without_participle(span: SpacySpan) -> SpacySpan:
    """ "The mayor, asked about the plan," → "The mayor": a participle clause set off by a
    comma tells what the speaker was doing, not who they are (an apposition or a relative
    clause stays: "Priya Natarajan, an economist at Leeds")."""
    for token in span[1:-1]:
        if token.text == "," and token.nbor().tag_ in {"VBN", "VBG", "VBD"} and token.nbor().dep_ in {"acl", "advcl"}:
            return span[:token.i - span.start]
    return span


def _in_main_clause(subject: Token) -> bool:
    """The subject of its sentence's root verb or of a verb conjoined with it."""
    if subject.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    verb = subject.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def _quotations(text: str) -> list[Offsets]:
    """(start, end) of each quotation: “…”, "…", a curly quote closed by a straight one, and
    a paragraph opened by a quotation mark and never closed (a quote running on)."""
    found = []
    for line in re.finditer(r"[^\n]+", text):
        for match in re.finditer(r"[“\"«][^“”\"«»\n]*(?:[”\"»]|$)", line[0]):
            found.append((line.start() + match.start(), line.start() + match.end()))
    return found


def _agrees(pronoun: str, speaker: Speaker, plural: bool) -> bool:
    """Whether ``pronoun`` can refer to ``speaker``: he/she a person of a fitting gender, it an
    institution, they a group, an institution or several unnamed people."""
    if pronoun in _PERSONAL:
        return not plural and speaker.type in {"person", "anonymous"} and compatible(pronoun, speaker.gender)
    if pronoun in _NEUTER:
        return not plural and speaker.type in {"organization", "media"}
    return speaker.type in {"organization", "media", "group"} or (plural and speaker.type == "anonymous")


_CREDIT = re.compile(r"^\W{0,3}(?:photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|video)\b[^\n]{0,200}[:/]"
                     r"|getty images|ap photo|/\s*afp\b|reuters/|shutterstock|\bfile photo\b", re.I)


def _credit_lines(text: str) -> list[Offsets]:
    """Photo credits and captions with a credit: a name there is no one a pronoun refers to."""
    return [line.span() for line in re.finditer(r"[^\n]+", text)
            if len(line[0]) < 300 and _CREDIT.search(line[0])]


def _strip_honorific(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _is_age(text: str) -> bool:
    return bool(re.fullmatch(r"(?:aged\s+)?\d{1,3}(?:-year-old)?", text.strip(), re.I))


def _parse_published(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published[:19])
    except ValueError:
        import dateparser

        parsed: datetime | None = dateparser.parse(published)
        return parsed


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"(?:on\s+)?(last\s+|this\s+|this\s+past\s+|past\s+)?(%s)"
                      r"(?:\s+(?:morning|afternoon|evening|night))?" % "|".join(_WEEKDAYS), re.I)


def weekday_date(text: str, base: date) -> date | None:
    """The day a weekday names in an article of ``base``: the most recent such day on or before it.

    "on Wednesday" in an article published on a Wednesday is that same day (a statement
    can't be made after the article); "last Wednesday" is the one before.
    """
    match = _WEEKDAY.fullmatch(text.strip())
    if match is None:
        return None
    back = (base.weekday() - _WEEKDAYS.index(match[2].lower())) % 7
    if back == 0 and match[1] and "last" in match[1].lower():
        back = 7
    return base - timedelta(days=back)


# dependencies of a date that qualifies a noun ("Thursday's vote", "the 2010 nominee"), not an act
_OF_A_NOUN = frozenset({"poss", "compound", "amod", "nmod", "nummod"})
_YEAR = re.compile(r"(?<![\w-])(1[89]\d\d|20\d\d)(?![\w-])")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "May" only capitalised: "may" is mostly the verb
_MONTH = re.compile(r"\b(?:(?i:january|february|march|april|june|july|august|september|october|november|december"
                    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.)|May)(?![\w.])")
_RELATIVE_PERIOD = re.compile(r"(?:earlier\s+|early\s+)?(?:in\s+|during\s+)?(?:the\s+)?(last|this|previous)\s+(year|month)",
                              re.I)


def coarse_date(text: str, base: date | None, year_before: int | None = None) -> str | None:
    """The year or month a date expression names, as reduced-precision ISO 8601: "In 1998" →
    "1998", "in August 2004" → "2004-08", "last year" → the year before ``base``.

    A date that names no single year or month ("the 1990s", "from 2015 to 2017", "decades"),
    or one after ``base`` (a statement can't be made after the article), gives None; a
    month without a year is in ``year_before`` (a year the sentence named before it), else the
    latest such month up to ``base``.
    """
    text = text.strip()
    relative = _RELATIVE_PERIOD.fullmatch(text)
    if relative:
        if base is None:
            return None
        back = relative[1].lower() in {"last", "previous"}
        if relative[2].lower() == "year":
            return str(base.year - back)
        previous = base.month - back
        return f"{base.year - (previous < 1)}-{(previous - 1) % 12 + 1:02d}"
    years = set(_YEAR.findall(text))
    months = {_MONTHS.index(m[:3].lower()) + 1 for m in _MONTH.findall(text)}
    if len(years) > 1 or len(months) > 1 or not (years or months):
        return None
    month = months.pop() if months else None
    if years:
        year = int(years.pop())
    elif year_before is not None:
        year = year_before
    elif base is None:
        return None
    else:
        assert month is not None
        year = base.year if month <= base.month else base.year - 1
    if base is not None and (year, month or 1) > (base.year, base.month):
        return None
    return f"{year}-{month:02d}" if month else str(year)


@lru_cache(maxsize=4096)
def _parse_date(text: str, base: datetime | None) -> str | None:
    import dateparser

    if base is not None and (day := weekday_date(text, base.date())) is not None:
        return day.isoformat()
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
    if parsed is None:
        return None
    if base is not None and parsed.date() > base.date():
        return None  # a statement can't be made after the article that reports it
    return str(parsed.date().isoformat())
