"""Who a pronoun source stands for, from the parse and the discourse.

No coreference model works offline here. A relative pronoun refers to the noun phrase it
follows, ``I``/``we`` inside a quotation to its speaker, and ``he``/``she``/``it``/``they``
to the most recent subject that agrees with them (gender for he/she, a person for he/she,
an institution for it, a plural or an institution for they), never to a mention inside a
quotation or in page furniture, and never past a nearer agreeing subject (an unnamed
spokesperson blocks the named person further up).
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span as SpacySpan, Token

from ..attribute.candidates import Found
from ..gender import UNKNOWN, compatible, pronoun_gender, word_gender
from ..lexicon import (FIRST_PERSON_PRONOUNS, HONORIFICS, NEUTER_PRONOUNS, PERSON_NOUNS, PERSON_TITLES,
                       PERSONAL_PRONOUNS, PLURAL_PRONOUNS, RELATIVE_PRONOUNS)
from ..models import Attribution, Speaker
from ..names import clean_name
from .context import ArticleContext, root_of, tokens_at
from .describe import Describer

# the pronouns resolved here: a source that is one of them is someone named elsewhere
RESOLVED = RELATIVE_PRONOUNS | PERSONAL_PRONOUNS | PLURAL_PRONOUNS | FIRST_PERSON_PRONOUNS | NEUTER_PRONOUNS
_SPOKES = r"(?:spokes(?:wo)?man|spokesperson|press secretary)"
_FOR_WHOM = re.compile(rf"^(?:an?\s+|the\s+)?(?:\w+\s+)?{_SPOKES}\s+(?:for|of|at)\s+(?:the\s+)?(?P<after>[A-Z].*)$"
                       rf"|^(?:an?\s+|the\s+)?(?P<before>[A-Z][\w.&' -]*?)\s+{_SPOKES}$")


class Pronouns:
    """Resolves the pronoun sources of one article (`speaker`), with the speakers resolved so far."""

    def __init__(self, context: ArticleContext, describer: Describer) -> None:
        self.context = context
        self.describer = describer
        self.doc = context.doc
        self.index = context.index
        self._subjects: dict[int, list[Token]] = {}

    def speaker(self, token: Token, found: Found, resolved: list[Attribution]) -> Speaker:
        """The speaker the pronoun ``token`` stands for, or one of unknown type (with the
        pronoun's gender) when nothing before it agrees."""
        word = token.lower_
        antecedent: Speaker | None = None
        if word in RELATIVE_PRONOUNS:
            subject = _predicated_of(token)
            if subject is not None:  # "He's a frat boy that thinks …": he thinks it
                if subject.pos_ == "PRON":
                    return self.speaker(subject, found, resolved)
                return replace(self._subject_speaker(subject), resolved_from=token.text)
            antecedent = self._relative_antecedent(token)
        elif word in FIRST_PERSON_PRONOUNS:
            outer = self.enclosing(token.idx, resolved)
            if outer is not None:
                antecedent = outer.speaker
                if word in {"we", "us"} and (represented := _represented(antecedent.role)) is not None:
                    return Speaker(name=represented, type="organization", resolved_from=token.text)
        elif word in NEUTER_PRONOUNS and self._expletive(token):
            return Speaker()  # "it is understood that ...": nobody
        elif word in PERSONAL_PRONOUNS | PLURAL_PRONOUNS | NEUTER_PRONOUNS:
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
        outer = self.enclosing(token.idx, resolved) if word in PLURAL_PRONOUNS | PERSONAL_PRONOUNS else None
        # in a quotation, "he" is not the one quoted (of themselves they say "I"); in reported
        # speech it mostly is ("Petraeus stated that he thought")
        quoting = outer.speaker.name if outer is not None and self.context.quote_at(token.idx) is not None else None
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
                    source = tokens_at(self.doc, (attribution.source.start, attribution.source.end))
                    candidates.append((attribution.source.start, attribution.speaker,
                                       any([subjects.pop(i)[1] for i in inside]),
                                       source is not None and _in_main_clause(root_of(source))))
            candidates += [(i, subject, plural, _in_main_clause(subject)) for i, (subject, plural) in subjects.items()]
            # in an earlier sentence, the main clause's subjects and speakers come before those
            # of its subordinate clauses ("The experts noted that …, when utilities coped. They
            # said"); in the pronoun's own sentence the nearest comes first ("Flynn said Trump
            # was right when he said")
            earlier = sentence.end_char <= token.idx
            for offset, candidate, plural, _ in sorted(candidates, key=lambda c: (earlier and not c[3], -c[0])):
                if offset >= token.idx or not self.context.visible_from(offset, token.idx):
                    continue
                if word in PLURAL_PRONOUNS and outer is not None and outer.source is not None \
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
        if word in PERSONAL_PRONOUNS:
            window = self.doc[sentence.start:token.i]
            for described in reversed(self._named_persons(window, token)):
                if compatible(word, described.gender):
                    return described
        return None

    def _named_persons(self, span: SpacySpan, token: Token) -> list[Speaker]:
        """People named in ``span`` before ``token`` and visible from it, in text order: name
        entities and honorific-led names the tagger missed ("Mr. Ban")."""
        found: list[tuple[int, Speaker]] = []
        for person in self.context.persons_between(span.start, min(span.end, token.i)):
            if self.context.visible_from(person.start_char, token.idx):
                found.append((person.start, self.describer.describe(self.describer.mention(person))))
        for word in span:
            if word.i + 1 < token.i and word.lower_.rstrip(".") in HONORIFICS and word.nbor().pos_ == "PROPN" \
                    and self.index.ent_at(word.i + 1) is None and self.context.visible_from(word.idx, token.idx):
                name = self.context.full_name(word.nbor().text)
                found.append((word.i, Speaker(name=name, type="person", gender=word_gender(word.text)
                                              if word_gender(word.text) != UNKNOWN else self.context.gender_of(name))))
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
            whole = clean_name(self.doc[subject.left_edge.i:subject.right_edge.i + 1].text)
            return Speaker(name=whole[0].lower() + whole[1:] if subject.left_edge.pos_ == "DET" else whole, type="group")
        span = self.doc[subject.left_edge.i:subject.i + 1]
        if ent is not None and ent.end > subject.i + 1:
            span = self.doc[span.start:ent.end]
        for child in subject.rights:  # "Smith, the mayor," keeps its apposition for the role
            if child.dep_ == "appos":
                span = self.doc[span.start:child.right_edge.i + 1]
        return self.describer.describe(span)

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
            found = self.describer.describe(span)
            if found.type != "unknown" or token.lower_ != "who":
                return found
        if found is not None and token.lower_ == "who" and heads[-1].pos_ == "NOUN":
            head = heads[-1]
            if head.i == i and (head.lemma_.lower() in PERSON_NOUNS | PERSON_TITLES or re.search(
                    r"(?:er|or|ist|ian|ant|ent|eer)s?$", head.lower_)):
                # "a reporter who asked": "who" says that a word for a doer is someone
                text = clean_name(self.doc[head.left_edge.i:head.i + 1].text)
                if head.tag_ in {"NNS", "NNPS"}:
                    return Speaker(name=text, type="group")
                return Speaker(type="anonymous", description=text)
            return None  # "a focal point for demonstrators here, who": no one said
        return found

    @staticmethod
    def enclosing(offset: int, resolved: list[Attribution]) -> Attribution | None:
        """The latest attribution whose content holds ``offset``: whose quotation it is in."""
        for attribution in reversed(resolved):
            if any(c.start <= offset < c.end for c in attribution.content):
                return attribution
            if attribution.cue.start < offset - 10_000:
                break
        return None


def _predicated_of(relative: Token) -> Token | None:
    """The subject a relative clause is about when its noun only describes that subject: "She is a
    spoiled kid who thinks …" (the noun is the complement of a copula): she, not some kid."""
    clause = relative.head
    noun = clause.head
    # the small model reads "He's a frat boy" as "he has": the object of a bare "'s" is its complement
    copula = noun.dep_ == "attr" or noun.dep_ == "dobj" and noun.head.lower_ in {"'s", "’s"}
    if clause.dep_ != "relcl" or not copula or noun.i >= relative.i:
        return None
    return next((c for c in noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def _represented(role: str | None) -> str | None:
    """The organisation a spokesperson speaks for, from the role: "a spokeswoman for
    California ISO", "White House spokesman"; their "we" is that organisation."""
    match = _FOR_WHOM.match(role or "")
    if match is None:
        return None
    return (match.group("after") or match.group("before")).strip()


def _in_main_clause(subject: Token) -> bool:
    """The subject of its sentence's root verb or of a verb conjoined with it."""
    if subject.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    verb = subject.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def _agrees(pronoun: str, speaker: Speaker, plural: bool) -> bool:
    """Whether ``pronoun`` can refer to ``speaker``: he/she a person of a fitting gender, it an
    institution, they a group, an institution or several unnamed people."""
    if pronoun in PERSONAL_PRONOUNS:
        return not plural and speaker.type in {"person", "anonymous"} and compatible(pronoun, speaker.gender)
    if pronoun in NEUTER_PRONOUNS:
        return not plural and speaker.type in {"organization", "media"}
    return speaker.type in {"organization", "media", "group"} or (plural and speaker.type == "anonymous")
