"""Who a noun phrase names: name, type, role and gender of a speaker.

"Russian President Vladimir Putin" is a person with a role, "the ministry" an organisation,
"U.S. media" media, "a government source" anonymous, "the report" whoever issued it, "the
former mayor" the mayor the article named before. A surname takes the article's full name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from spacy.tokens import Span as SpacySpan, Token

from ..gender import UNKNOWN, is_first_name, name_gender, word_gender
from ..lexicon import (ANONYMOUS_NOUNS, DATA_NOUNS, DOCUMENT_NOUNS, GENERIC_PEOPLE, GROUP_NOUNS, HONORIFICS,
                       INSTITUTIONAL_DOCUMENTS, ISSUING_VERBS, MEMBER_NOUNS, TITLE_SYNONYMS,
                       MEDIA_NAME_WORDS, MEDIA_NOUNS, ORGANIZATION_NOUNS, PERSON_NOUNS, PERSON_TITLES)
from ..models import Speaker
from ..names import clean_name, without_article, without_honorific
from ..nlp import doc_index
from .context import ArticleContext, root_of

# A source that says why it is not named is anonymous whatever its noun ("One of them, who
# spoke on condition of anonymity", "a person who asked not to be identified")
_UNNAMED = re.compile(r"\banonym|\bnot (?:to be |being )?(?:named|identified)\b|\bnot (?:authori[sz]ed|permitted|"
                      r"allowed) to (?:speak|comment|discuss)", re.I)


# what makes people a source kept unnamed rather than people in general: "people familiar with the
# matter", "people close to the president", "people who have spoken with lawmakers"
_IN_THE_KNOW = re.compile(r"\b(?:familiar|close|briefed|knowledge|knowledgeable|involved|informed|aware|privy|"
                          r"inside|spoken|spoke|talked|told|present|attended|sources?)\b", re.I)

# how far after "a judge" the article may name the judge for the source to count as named
LATER_CHARS = 3000


class Describer:
    """Describes the noun phrases of one article as speakers, each phrase once (pronouns and
    titles look at the same subjects again)."""

    def __init__(self, context: ArticleContext) -> None:
        self.context = context
        self.doc = context.doc
        self.index = context.index
        self._described: dict[tuple[int, int], Speaker] = {}

    def describe(self, span: SpacySpan) -> Speaker:
        """Name, type, role and gender of a noun phrase that names (or hides) a speaker."""
        known = self._described.get((span.start, span.end))
        if known is None:
            known = self._described[span.start, span.end] = self._describe_with_gender(_without_participle(span))
        return known

    def _describe_with_gender(self, span: SpacySpan) -> Speaker:
        speaker = self._describe(span)
        if speaker.type == "person" and speaker.name:
            return replace(speaker, gender=self.context.gender_of(speaker.name))
        if speaker.type in {"person", "anonymous"}:
            root = root_of(span)
            if root.tag_ in {"NN", "NNP"}:
                return replace(speaker, gender=word_gender(root.lemma_))
        return speaker

    def _describe(self, span: SpacySpan) -> Speaker:
        if len(span) > 2 and span[-1].like_num and span[-2].text == "," and len(span[-1].text) <= 3:
            # "Lopiano, 52": an age, which also says that the name is a person's
            named = self._describe(span[:-2])
            if named.type == "unknown" and named.name and span[0].text[:1].isupper():
                return replace(named, type="person", name=self.context.full_name(named.name))
            return named
        text = clean_name(span.text)
        root = root_of(span)
        lemma = root.lemma_.lower()
        ents = self.index.ents_in(span.start_char, span.end_char)
        orgs = [e for e in ents if e.label_ in {"ORG", "GPE", "NORP"}]
        person = self._person_of(span, root, ents)
        if person is None and span[0].lower_ in {"a", "an"} and root.tag_ == "NN" and _hypothetical(root):
            return Speaker(type="unknown", description=text)  # "if a minister says …": anyone, not a source
        if person is not None:
            said = self._addressed_as(span, person)
            return Speaker(name=self.context.full_name(clean_name(without_honorific(person.text)), said), type="person",
                           role=self._role(span, person))
        written = [t for t in span if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in HONORIFICS]
        if root.pos_ == "PROPN" and (full := self.context.known_person(root.text)) and (
                len(written) <= 1 or full.endswith(" ".join(t.text for t in written))):
            return Speaker(name=full, type="person")  # a surname met in full elsewhere: "Schiff"
        tag = self.index.ent_at(written[0].i) if written else None
        if root.pos_ == "PROPN" and 2 <= len(written) <= 3 and written[-1].i == root.i and is_first_name(
                written[0].text) and (tag is None or tag.label_ == "ORG" and root.text in self.context.surnames):
            # "Ivy Pike" tagged as nothing, "Keith Lamont Scott" as a company while "Scott" is a
            # person elsewhere: a first name from the list says a person
            return Speaker(name=" ".join(t.text for t in written), type="person")
        if root.pos_ == "PROPN" and root.text in self.context.surnames and not orgs:
            return Speaker(name=root.text, type="person")  # a one-word name the article gives a person
        if lemma in DOCUMENT_NOUNS or lemma in DATA_NOUNS:
            return self._document(span, root)  # "the report", "government data", "a statement by the ministry"
        if self._is_media(span, root):
            return Speaker(name=without_article(text) if root.pos_ == "PROPN" or orgs else text, type="media")
        if lemma in GENERIC_PEOPLE and root.tag_ in {"NNS", "NNPS", "NN"} and not root.lower_.startswith("person") \
                and not _UNNAMED.search(span.text) and not _IN_THE_KNOW.search(span.text):
            # "People say", "some people": people in general, a group, not a source kept unnamed
            return Speaker(name=text[0].lower() + text[1:], type="group")
        if lemma in MEMBER_NOUNS and root.tag_ in {"NNS", "NNPS"} and not _UNNAMED.search(span.text) and \
                not any(c.i > root.i for c in root.children if not c.is_punct):
            # "Union members", "party members": a group the article names, not sources kept unnamed
            return Speaker(name=text[0].lower() + text[1:] if span[0].pos_ == "DET" else text, type="group")
        if lemma in ANONYMOUS_NOUNS or (lemma == "one" and any(t.lemma_.lower() in ANONYMOUS_NOUNS for t in span)) \
                or _UNNAMED.search(span.text):
            if lemma in PERSON_TITLES and not _UNNAMED.search(span.text) and (
                    later := self._named_later(span, root)) is not None:
                return later  # "a spokesman … The spokesman, Oleg Nikolenko, said": named after all
            return Speaker(type="anonymous", description=self._description(span))
        generic = lemma in ORGANIZATION_NOUNS and root.tag_ == "NNS" and not orgs and not any(
            t.pos_ == "PROPN" for t in span)  # "Companies and individuals", "banks": any of them, a group
        if (root.ent_type_ in {"ORG", "GPE", "NORP"} or lemma in ORGANIZATION_NOUNS) and not generic and not (
                root.ent_type_ == "NORP" and root.tag_ in {"NNS", "NNPS"}):  # "Republicans": people, a group
            ent = next((e for e in orgs if root.i in range(e.start, e.end)), None)
            return Speaker(name=clean_name(ent.text) if ent is not None else without_article(text), type="organization")
        if (lemma in PERSON_TITLES or lemma in PERSON_NOUNS) and root.tag_ == "NN" or (
                lemma in PERSON_TITLES and span[0].lower_ == "the" and root.i == span.end - 1
                and not any(e.label_ == "PERSON" for e in ents)):  # "the Conservative MP": a title tagged NNP
            if span[0].lower_ in {"a", "an", "one", "another", "some"}:
                if (later := self._named_later(span, root)) is not None:
                    return later  # "A New York judge ruled … The judge, Arthur Engoron, said": not anonymous
                # "a council leader", "one academic": someone unnamed, as anonymous as "a government source"
                return Speaker(type="anonymous", description=text)
            if (earlier := self._titled_person(span, root)) is not None:
                return earlier  # "the former mayor": the mayor the article named before
            return Speaker(name=None, type="person", role=without_article(text))  # "the president": an office
        if root.tag_ in {"NNS", "NNPS"} or lemma in GROUP_NOUNS or re.fullmatch(r"[A-Z]{2,}s", root.text):
            # "Tory MPs", "CEOs": an acronym in the plural is people
            if not any(t.ent_type_ in {"NORP", "ORG", "GPE", "PERSON", "LOC", "FAC"} or t.pos_ == "PROPN" and
                       t.i > span.start for t in span) and not re.fullmatch(r"[A-Z]{2,}s", root.text):
                # "Proponents", "FELLOW DOCTORS": common nouns capitalised by the sentence or a headline
                # name people in general, as "proponents" does (and no speaker of their own when linked)
                return Speaker(name=text.lower(), type="group")
            return Speaker(name=text[0].lower() + text[1:] if span[0].pos_ == "DET" else text, type="group")
        if root.pos_ == "PROPN":
            return Speaker(name=without_article(text), type="unknown")
        return Speaker(name=text, type="unknown")

    def _document(self, span: SpacySpan, root: Token) -> Speaker:
        """A document or data speaks for whoever issued it, else for nobody known."""
        author = self._author(root)
        if author is None and span[0].lower_ == "the":
            author = self._earlier_author(root)  # "the affidavit": the one "from the agency" before
        if author is not None:
            issuer = self.describe(author)
            if issuer.type in {"unknown", "group"} and root_of(author).pos_ == "PROPN":
                issuer = replace(issuer, type="organization")  # a named issuer is an institution
            elif issuer.type == "person" and root.lemma_.lower() in INSTITUTIONAL_DOCUMENTS and \
                    root_of(author).dep_ == "compound" and not any(e.label_ == "PERSON" and len(e) > 1 for e in
                                                                    self.index.ents_in(author.start_char, author.end_char)):
                # "a Bloomberg poll": the pollster, even where Michael Bloomberg speaks in the article
                issuer = Speaker(name=without_article(clean_name(author.text)), type="organization")
            return issuer
        # nobody to name: described, so that no speaker is called "affidavit"
        return Speaker(type="unknown", description=clean_name(span.text))

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
        earlier = self.context.persons[:bisect_right(self.context.person_ends, span.start_char)]
        for person in reversed(earlier[-40:]):
            mention = self.mention(person)
            words = {t.lemma_.lower() for t in mention if t.i < person.start}
            words |= {t.lemma_.lower() for c in person.root.children if c.dep_ == "appos" for t in c.subtree}
            if root.lemma_.lower() in words:
                name = self.context.full_name(clean_name(without_honorific(person.text)))
                return Speaker(name=name, type="person", role=without_article(clean_name(span.text)))
        return None

    def _addressed_as(self, span: SpacySpan, person: SpacySpan) -> str:
        """The gender a form of address or gendered title right before a name gives ("Mr. Obama")."""
        words = [t.text for t in person[:1]]
        if person.start > span.start:
            words.append(self.doc[person.start - 1].text)
        genders = {word_gender(w) for w in words} - {UNKNOWN}
        return genders.pop() if len(genders) == 1 else UNKNOWN

    def _named_later(self, span: SpacySpan, root: Token) -> Speaker | None:
        """ "A New York judge ruled …; the judge, Arthur Engoron, said": the first person after
        ``span`` who carries its title (before the name or in apposition either way), within
        the next few paragraphs. A source the article names is no anonymous source."""
        title = root.lemma_.lower()
        titles = {title} | TITLE_SYNONYMS.get(title, set())
        at = bisect_right(self.context.person_ends, span.end_char)
        later = [p for p in self.context.persons[at:at + 40] if p.start_char - span.end_char <= LATER_CHARS]
        earlier = [p for p in reversed(self.context.persons[max(0, at - 40):at])
                   if p.end_char <= span.start_char and span.start_char - p.end_char <= LATER_CHARS]
        for person in later + earlier:  # named after it, else before it ("…, a New York judge said")
            mention = self.mention(person)
            words = {t.lemma_.lower() for t in mention if t.i < person.start}
            words |= {t.lemma_.lower() for c in person.root.children if c.dep_ == "appos" for t in c.subtree}
            if person.root.dep_ == "appos":
                words.add(person.root.head.lemma_.lower())  # "The judge, Arthur Engoron,"
            if titles & words:
                name = self.context.full_name(clean_name(without_honorific(person.text)))
                return Speaker(name=name, type="person", role=without_article(clean_name(span.text)))
        return None

    def _person_of(self, span: SpacySpan, root: Token, ents: list[SpacySpan]) -> SpacySpan | None:
        """The person a phrase names: an entity at its head, in apposition to it, or closing it.

        "President and Chief Financial Officer of Acme Mary Smith": the name that ends a
        title is the person, whatever the parser made the head.
        """
        for ent in ents:
            if ent.label_ == "PERSON" and ent.start <= root.i < ent.end:
                whole = self.whole_name(ent)
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

    def whole_name(self, person: SpacySpan) -> SpacySpan:
        """ "Ivanka" + entity "Trump": a first name the tagger left out belongs to the name."""
        start = person.start
        while start > 0 and (word := self.doc[start - 1]).pos_ == "PROPN" and word.dep_ == "compound" and \
                not word.text.endswith(".") and word.lemma_.lower() not in PERSON_TITLES | HONORIFICS and \
                name_gender(word.text) != UNKNOWN and self.index.ent_at(start - 1) is None:
            start -= 1  # not a title ("Justice", "Sen.") nor a name the list cannot place
        return self.doc[start:person.end] if start < person.start else person

    def mention(self, person: SpacySpan) -> SpacySpan:
        """A person's name with the title in front of it ("Russian President Vladimir Putin")."""
        person = self.whole_name(person)
        start = person.start
        while start > 0 and self.doc[start - 1].dep_ in {"compound", "amod"} and self.doc[start - 1].head.i >= person.start:
            start -= 1
        return self.doc[start:person.end]

    def _is_media(self, span: SpacySpan, root: Token) -> bool:
        if root.lemma_.lower() in MEDIA_NOUNS - {"poll", "survey", "study", "report"} and root.pos_ == "NOUN":
            # "U.S. media", "the newspaper"; but "a reporter's source" is anonymous
            return root.lemma_.lower() not in {"reporter", "journalist", "columnist", "correspondent"}
        text = clean_name(span.text)
        if self.context.outlet and text.lower().endswith(self.context.outlet.lower()):
            return True
        # a media word names an outlet when it ends the name ("The Independent", "CBS News"),
        # not inside another institution's name ("California Independent System Operator")
        return root.pos_ == "PROPN" and root.lower_ in MEDIA_NAME_WORDS

    def _description(self, span: SpacySpan) -> str:
        # "Ukrainska Pravda's contacts in ..." describes the contacts, not the outlet
        text = re.sub(r"^(?:[A-Z][\w.’'-]*\s+)*[A-Z][\w.’'-]*?[’']s\s+", "", clean_name(span.text))
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
            before = clean_name(self.doc[start:end].text)
            if before and not re.fullmatch(r"[\W\d]*", before):
                return before
        head = person.root
        for child in head.rights:
            if child.dep_ == "appos" and not child.like_num:
                role = clean_name(self.doc[child.left_edge.i:child.right_edge.i + 1].text)
                return None if _is_age(role) else role or None
        after = self.doc[person.end:span.end].text
        words = after.strip(" ,").split()
        # only an apposition set off by a comma is a role ("Rudenko, Deputy Minister ...")
        if not after.startswith(",") or not words or words[0].lower() in {"who", "which", "that", "whose", "and", "or"}:
            return None
        role = clean_name(re.sub(r"^\s*,?\s*\d{1,3}\s*(?:,|$)", "", after).strip(" ,"))
        return None if not role or _is_age(role) else role


# clauses that make an indefinite subject anyone at all: "if a minister says", "when they hear a candidate say"
_HYPOTHETICAL_MARKS = {"if", "when", "whenever", "unless"}
_MODALS = {"can", "could", "would", "should", "might", "may", "must"}


def _hypothetical(root: Token) -> bool:
    """Whether the statement of an indefinite speaker ("a minister") is one anyone might make, not
    one a source made: the phrase opens a present-tense "if"/"when" clause ("If a minister says",
    "when they hear a senator say"), or its verb asks a question with a modal ("How can a
    candidate claim …?"). Past tense stays a real event ("When a spokesman was asked, he said")."""
    verb = root.head
    sent = doc_index(root.doc).sent_of(root.i)  # Token.sent walks the whole doc on every call
    if verb.tag_ in {"VB", "VBP", "VBZ"}:
        for token in reversed(root.doc[sent.start:root.left_edge.i]):
            if token.is_punct:
                break
            if token.lower_ in _HYPOTHETICAL_MARKS:
                return True
    if sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
        return any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children)
    return False


def _without_participle(span: SpacySpan) -> SpacySpan:
    """ "The mayor, asked about the plan," → "The mayor": a participle clause set off by a
    comma tells what the speaker was doing, not who they are (an apposition or a relative
    clause stays: "Priya Natarajan, an economist at Leeds")."""
    for token in span[1:-1]:
        if token.text == "," and token.nbor().tag_ in {"VBN", "VBG", "VBD"} and token.nbor().dep_ in {"acl", "advcl"}:
            return span[:token.i - span.start]
    return span


def _is_age(text: str) -> bool:
    return bool(re.fullmatch(r"(?:aged\s+)?\d{1,3}(?:-year-old)?", text.strip(), re.I))
