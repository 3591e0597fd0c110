"""What resolution knows of one article, built once and shared by every attribution in it.

The person mentions and the full names they stand for ("Trump" → "Donald Trump"), the
quotations and page furniture a pronoun cannot look into, and the article's own evidence
of each person's gender (`gender_of`). Genders come from evidence only (`gender.py`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..attribute.candidates import Offsets
from ..attribute.quotations import doc_quotations, quote_at
from ..gender import UNKNOWN, decide, is_first_name, name_gender, pronoun_gender, word_gender
from ..names import clean_name, without_honorific
from ..nlp import doc_index

_GENDERED_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]er|[Hh]is|[Hh]ers|[Hh]imself|[Hh]erself|HE|SHE)\b")
_CREDIT = re.compile(r"^\W{0,3}(?:photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|video)\b[^\n]{0,200}[:/]"
                     r"|getty images|ap photo|/\s*afp\b|reuters/|shutterstock|\bfile photo\b", re.I)


def tokens_at(doc: Doc, offsets: Offsets) -> SpacySpan | None:
    """The tokens that cover ``offsets``."""
    return doc.char_span(offsets[0], offsets[1], alignment_mode="expand")


def root_of(span: SpacySpan) -> Token:
    """The first word of ``span`` whose head lies outside it."""
    for token in span:
        if token.head.i < span.start or token.head.i >= span.end or token.head.i == token.i:
            if not token.is_punct:
                return token
    return span[0]


def credit_lines(text: str) -> list[Offsets]:
    """Photo credits and captions with a credit: a name there is no one a pronoun refers to."""
    return [line.span() for line in re.finditer(r"[^\n]+", text)
            if len(line[0]) < 300 and _CREDIT.search(line[0])]


class ArticleContext:
    """The article-wide indexes resolution reads: person mentions and their full names,
    quotations, page furniture and gender evidence.

    A plain class: built once per article (`Resolver`) and shared by the describer, the
    pronoun resolver and the dates.
    """

    def __init__(self, doc: Doc, *, published: str | None = None, outlet: str | None = None,
                 skip: Sequence[Offsets] = ()) -> None:
        self.doc = doc
        self.index = doc_index(doc)
        self.text = self.index.text
        self.published = published
        self.outlet = outlet
        self.persons = self.index.persons
        self.person_ends = [p.end_char for p in self.persons]
        # surname -> the full name the article uses most for it ("Trump" -> "Donald Trump");
        # a surname two people share ("Donald Trump", "Ivanka Trump") is ambiguous on its own
        self.names: dict[str, str] = {}
        self.ambiguous: set[str] = set()
        self.surnames: set[str] = set()  # every word that ends a person's name in the article
        forms: dict[str, Counter[str]] = {}
        for person in self.persons:
            name = clean_name(without_honorific(person.text))
            parts = name.split()
            if parts:
                self.surnames.add(parts[-1])
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
        self.firsts = {first: next(iter(names)) for first, names in firsts.items() if len(names) == 1}
        for surname, counts in forms.items():
            self.names[surname] = max(counts, key=lambda n: (counts[n], len(n)))
            if len({n.split()[0].rstrip(".") for n in counts}) > 1:
                # two people: the surname alone is the one the article introduced first (news
                # style names the other one in full each time: "Debbie Meadows")
                self.ambiguous.add(surname)
                self.names[surname] = next(iter(counts))
        # "Mr. Obama" in an article that names only Michelle Obama in full: the surname alone is
        # also someone else (a form of address of the other gender), so it takes her full name
        # only where a form of address says her gender ("Mrs. Obama"): surname -> the full name's gender
        self.contested: dict[str, str] = {}
        for person in self.persons:
            name = clean_name(without_honorific(person.text))
            full = self.names.get(name) if " " not in name else None
            if full is None:
                continue
            before = [person[0].text] + ([self.doc[person.start - 1].text] if person.start > 0 else [])
            said = {word_gender(w) for w in before} - {UNKNOWN}
            listed = name_gender(full.split()[0])
            if len(said) == 1 and listed != UNKNOWN and listed not in said:
                self.contested[name] = listed
        # the attribute stage's quotations of this doc (`doc_quotations`, found once per document)
        self._quotes = doc_quotations(doc)
        self._skip = sorted([*skip, *credit_lines(self.text)])
        self._skip_starts = [s for s, _ in self._skip]
        self._evidence = self._gender_evidence()

    # --- names -----------------------------------------------------------------------

    def known_person(self, word: str) -> str | None:
        """The full name of a person the article named earlier, from one of its words."""
        word = word.strip(".,’'")
        return self.names.get(word) or self.firsts.get(word)

    def full_name(self, name: str, gender: str = UNKNOWN) -> str:
        """ "Trump" → "Donald Trump" when the article has the full name; not where the mention
        gives another gender than the full name's first name ("Mr. Obama" in an article that
        names only Michelle Obama in full is not her)."""
        if " " in name:
            return name
        full = self.known_person(name)
        if full and gender != UNKNOWN and name_gender(full.split()[0]) not in (UNKNOWN, gender):
            return name
        if full and name in self.contested and gender != self.contested[name]:
            return name
        return full or name

    def persons_between(self, start: int, end: int) -> list[SpacySpan]:
        """Person mentions whose tokens lie in [start, end)."""
        lo = bisect_right(self.person_ends, self.doc[start].idx) if start < len(self.doc) else len(self.persons)
        found = []
        for person in self.persons[lo:]:
            if person.start >= end:
                break
            if person.start >= start and person.end <= end:
                found.append(person)
        return found

    # --- where a mention is ----------------------------------------------------------

    def quote_at(self, offset: int) -> Offsets | None:
        """The quotation that holds the character at ``offset``, or None."""
        return quote_at(self._quotes, offset, offset + 1)

    def skipped(self, offset: int) -> bool:
        i = bisect_right(self._skip_starts, offset) - 1
        return i >= 0 and self._skip[i][0] <= offset < self._skip[i][1]

    def visible_from(self, offset: int, pronoun_at: int) -> bool:
        """A mention a pronoun can refer back to: not in page furniture, not inside a quotation
        (unless the pronoun is inside the same one)."""
        if self.skipped(offset):
            return False
        quote = self.quote_at(offset)
        return quote is None or quote == self.quote_at(pronoun_at)

    # --- gender ----------------------------------------------------------------------

    def _person_key(self, person: SpacySpan) -> str | None:
        name = clean_name(without_honorific(person.text))
        if " " not in name and name in self.ambiguous:
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
            if self.quote_at(match.start()) is not None or self.skipped(match.start()):
                continue
            hit = self.doc.char_span(match.start(), match.end())
            if hit is None:
                continue
            token = hit[0]
            gender = pronoun_gender(token.lower_)
            sentence = self.index.sent_of(token.i)
            start = self.index.sent_of(sentence.start - 1).start if sentence.start > 0 else 0
            mentions = [p for p in self.persons_between(start, token.i) if self.quote_at(p.start_char) is None]
            named = {self._person_key(p) for p in mentions}
            key = named.pop() if len(named) == 1 else None
            if key is not None:
                pronouns.setdefault(key, Counter())[gender] += 1
        return strong, pronouns

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
