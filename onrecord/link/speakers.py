"""Canonical speakers across articles: one person under many names, anonymous sources kept apart.

Two steps:

1. `names.speaker_key` (at ingest, per attribution, by the store) gives a *raw key*. Within one article a
   bare surname ("Putin") takes the full name found in that article ("Vladimir Putin").
   Titles are stripped ("Russian President Vladimir Putin" -> "Vladimir Putin").
   Anonymous sources get ``anonymous|<description>|<outlet>``: grouped by description
   and outlet, never merged with a named speaker.
2. `canonicalize` (at link time, over all raw keys) merges names of one person across
   articles: names with the same first and last word ("Donald J. Trump", "Donald Trump"),
   a name that ends in a known name ("Crooked Hillary Clinton"), and a bare surname with
   the one full name that carries it (or that dominates it at least 3 to 1: "Clinton"
   stays apart while Hillary and Bill are both common). Organisations, media and groups
   are one speaker per name in any case ("PolitiFact", "Politifact").

Nobody is made a speaker from a pronoun, a determiner or a description: a person's name
must hold a proper name (`person_name`: capitalised words ending the phrase), and a lone
word becomes a speaker only as a surname or organisation known in the store.
"""


from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..gender import FEMALE, MALE, UNKNOWN, is_first_name
from ..lexicon import (ANONYMOUS_NOUNS, GENERIC_GROUPS, GROUP_NOUNS, MEDIA_NOUNS, ORGANIZATION_NOUNS, PERSON_NOUNS,
                       PERSON_TITLES)
# the raw key's name handling lives below the store, which computes the key as it writes
from ..names import (DETERMINERS, FUNCTION_WORDS, bare_name, clean_alias, clean_name, first_last, names_anyone,
                     person_name, useful_role)


@dataclass
class RawSpeaker:
    """What the store knows of one raw key (aggregated over its attributions)."""

    raw_key: str
    names: Counter[str] = field(default_factory=Counter)  # original names as written
    roles: dict[str, list[Any]] = field(default_factory=dict)  # role -> [n, first, last]
    n: int = 0
    first_date: str | None = None
    last_date: str | None = None
    outlet: str | None = None
    description: str | None = None

    def add(self, name: str | None, role: str | None, n: int, first: str | None, last: str | None,
            outlet: str | None, description: str | None) -> None:
        if name:
            self.names[name] += n
        if role and useful_role(role):
            entry = self.roles.setdefault(role, [0, first, last])
            entry[0] += n
            entry[1] = _min(entry[1], first)
            entry[2] = _max(entry[2], last)
        self.n += n
        self.first_date, self.last_date = _min(self.first_date, first), _max(self.last_date, last)
        self.outlet = self.outlet or outlet
        self.description = self.description or description


@dataclass
class Canonical:
    """One canonical speaker: its key (stable id), display name, type, aliases and roles."""

    key: str
    type: str
    name: str = ""
    outlet: str | None = None
    raw_keys: list[str] = field(default_factory=list)
    aliases: Counter[str] = field(default_factory=Counter)
    roles: dict[str, list[Any]] = field(default_factory=dict)
    n: int = 0
    first_date: str | None = None
    last_date: str | None = None


def _min(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


# At most this share of a person's gendered statements may give the other gender: above it the
# statements conflict. Not zero, because one misread pronoun would unsex anyone quoted often: in
# PolNeAR dev, Donald Trump has 203 statements resolved as male and one "she wrote" (Ivanka
# Trump's, joined to him by the surname) — unknown under a strict rule, male under this one.
OTHER_GENDER_AT_MOST = 0.1


def consistent_gender(type_: str, evidence: Mapping[str, int]) -> str:
    """A canonical speaker's gender from its statements' genders (``{"female": n, "male": n}``).

    The gender they give, unless the other one is given by more than one gendered statement
    in ten (`OTHER_GENDER_AT_MOST`): then they conflict, and so unknown, as with no evidence.
    People only: organisations, media, groups and anonymous sources have none.
    """
    if type_ != "person":
        return UNKNOWN
    female, male = evidence.get(FEMALE, 0), evidence.get(MALE, 0)
    for gender, n, other in ((FEMALE, female, male), (MALE, male, female)):
        if n > other and other <= OTHER_GENDER_AT_MOST * (n + other):
            return gender
    return UNKNOWN


def _refused(r: RawSpeaker) -> bool:
    """Raw keys that name nobody (also in stores filled before these checks existed):
    function words only, or a person with no proper name in any of its written forms."""
    kind, _, rest = r.raw_key.partition("|")
    if kind == "anonymous":
        return False
    rest = rest.partition("|")[0]
    if not names_anyone(rest):
        return True
    if kind in ("person", "unknown") and r.names:
        return not any(person_name(name, whole=kind == "unknown") and not _a_title_in_capitals(name)
                       for name in r.names)
    if kind in ("group", "organization", "media"):
        # "the agency", "Authorities": a description, whichever body the article meant; two
        # articles' "the agency" are not one speaker
        return not any(_names_a_group(name) for name in (r.names or [rest]))
    return False


def _a_title_in_capitals(name: str) -> bool:
    """A headline's words taken for a name: "Retired General", "Black Lawmakers" end in an office
    or a kind of person (plural, or with no first name before it), not in a surname."""
    words = bare_name(name).split()
    if len(words) < 2:
        return False
    last = words[-1].lower().rstrip(".")
    single = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
    kinds = PERSON_TITLES | PERSON_NOUNS | GROUP_NOUNS
    if single != last and single in kinds:
        return True  # "Black Lawmakers"
    return last in kinds and not any(is_first_name(w) for w in words[:-1])  # "Retired General", not "Martin King"


def _names_a_group(name: str) -> bool:
    """A group with a name of its own ("Tory MPs", "Republicans", "Trump supporters"), not people
    in general ("people", "His surrogates", "Critics", "many experts")."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", clean_name(name))
    # "people who go to Beijing": a relative clause says which people, it does not name them
    relative = next((n for n, w in enumerate(words) if n and w.lower() in {"who", "whom", "whose", "that", "which"}),
                    len(words))
    words = words[:relative]
    if not words or words[0].lower() in FUNCTION_WORDS - DETERMINERS:
        return False  # "His surrogates", "their lawyers": someone's people
    if len(words) == 1 and words[0].lower() in PERSON_TITLES:
        return False  # "Justice", "Speaker": a title cut from its name
    common = FUNCTION_WORDS | GENERIC_GROUPS | ORGANIZATION_NOUNS | MEDIA_NOUNS | ANONYMOUS_NOUNS
    # a capital that opens the phrase may only open the sentence ("Authorities said")
    return any(w[:1].isupper() and w.lower() not in FUNCTION_WORDS | GENERIC_GROUPS and (
        n > 0 or (w.lower() not in common and w.lower().rstrip("s") not in common)) for n, w in enumerate(words))


def _dominant(options: list[str], weight: dict[str, int]) -> str | None:
    """The one option, or the one that outweighs the next at least 3 to 1."""
    ranked = sorted(options, key=lambda o: -weight[o])
    if len(ranked) == 1 or (len(ranked) > 1 and weight[ranked[0]] >= 3 * weight[ranked[1]]):
        return ranked[0]
    return None


# Two statements of one name at least this many days apart, given offices that share no word,
# are two people: "Attorney General Loretta Lynch" (2016) is not "Loretta Lynch, a former
# president of the California Public Utilities Commission" (2020). Within a year a person's
# roles vary too much ("the nominee", "the billionaire") to tell anyone apart by them.
NAMESAKE_GAP_DAYS = 365


def _qualifier(r: RawSpeaker) -> str:
    return r.raw_key.split("|")[2] if r.raw_key.count("|") >= 2 else ""


def _days_apart(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> int:
    """Days between two date ranges (ISO days), 0 where they overlap or one is unknown."""
    from datetime import date

    if not (a[0] and a[1] and b[0] and b[1]):
        return 0
    try:
        lo_a, hi_a = date.fromisoformat(a[0][:10]), date.fromisoformat(a[1][:10])
        lo_b, hi_b = date.fromisoformat(b[0][:10]), date.fromisoformat(b[1][:10])
    except ValueError:
        return 0
    return max((lo_b - hi_a).days, (lo_a - hi_b).days, 0)


def namesakes(members: Sequence[RawSpeaker]) -> list[list[RawSpeaker]]:
    """The raw keys of one name grouped into people, the most quoted first.

    Keys with an office in their article (``person|loretta lynch|attorney general``) join the
    first person whose offices share a word with theirs or whose statements are within
    `NAMESAKE_GAP_DAYS` of theirs; otherwise they are someone else. Keys with no office join
    the person nearest in time (the most quoted where several are as near).
    """
    qualified = sorted((r for r in members if _qualifier(r)), key=lambda r: (-r.n, r.raw_key))
    people: list[tuple[list[RawSpeaker], set[str], list[tuple[str | None, str | None]]]] = []
    for r in qualified:
        words, span = set(_qualifier(r).split()), (r.first_date, r.last_date)
        for cluster, offices, spans in people:
            if offices & words or any(_days_apart(span, other) < NAMESAKE_GAP_DAYS for other in spans):
                cluster.append(r)
                offices |= words
                spans.append(span)
                break
        else:
            people.append(([r], words, [span]))
    plain = [r for r in members if not _qualifier(r)]
    if not people:
        return [plain]
    for r in plain:
        span = (r.first_date, r.last_date)
        nearest = min(range(len(people)), key=lambda i: (
            min(_days_apart(span, other) for other in people[i][2]), -sum(m.n for m in people[i][0])))
        people[nearest][0].append(r)
    clusters = [cluster for cluster, _, _ in people]
    return sorted(clusters, key=lambda c: -sum(r.n for r in c))


def canonicalize(raw: Sequence[RawSpeaker]) -> list[Canonical]:
    """Merge raw keys into canonical speakers (see the module docstring).

    Raw keys that name nobody get no speaker (`_refused`, and a single word that is no known
    surname or organisation: "Patriot"); their statements stay, unlinked.
    """
    raw = [r for r in raw if not _refused(r)]
    target: dict[str, str | None] = {}
    persons: dict[str, list[RawSpeaker]] = defaultdict(list)  # "first last" -> raw speakers
    singles: list[RawSpeaker] = []
    others: dict[str, list[RawSpeaker]] = defaultdict(list)  # organisation, media, group: by name
    for r in raw:
        kind, _, rest = r.raw_key.partition("|")
        rest = rest.partition("|")[0]  # without the roles a person has in its article
        if kind in ("person", "unknown"):
            words = rest.split()
            if len(words) >= 2:
                persons[first_last(words)].append(r)
            else:
                singles.append(r)
        elif kind in ("organization", "media", "group"):
            others[rest].append(r)
        else:
            target[r.raw_key] = r.raw_key
    weight = {fl: sum(r.n for r in rs) for fl, rs in persons.items()}
    # an epithet before a known name: "Crooked Hillary Clinton" is Hillary Clinton when that
    # name is at least as common in the store
    for fl, members in list(persons.items()):
        for r in list(members):
            words = r.raw_key.partition("|")[2].partition("|")[0].split()
            for k in range(1, len(words) - 1):
                known = first_last(words[k:])
                if known != fl and known in persons and weight[known] >= weight[fl]:
                    members.remove(r)
                    persons[known].append(r)
                    break
    persons = {fl: rs for fl, rs in persons.items() if rs}
    weight = {fl: sum(r.n for r in rs) for fl, rs in persons.items()}
    for fl, members in persons.items():
        for n, cluster in enumerate(namesakes(members)):
            for r in cluster:
                # the most quoted keeps the plain key (and its id); a namesake is told by its office
                target[r.raw_key] = f"person|{fl}" if n == 0 else f"person|{fl}|{_qualifier(cluster[0])}"
    by_surname: dict[str, list[str]] = defaultdict(list)
    for fl in persons:
        by_surname[fl.split()[-1]].append(fl)
    # one name of an organisation, medium or group in any case and type: the most common type
    other_key: dict[str, str] = {}
    for name, members in others.items():
        kinds: Counter[str] = Counter()
        for r in members:
            kinds[r.raw_key.partition("|")[0]] += r.n
        other_key[name] = f"{max(kinds, key=lambda k: (kinds[k], k))}|{name}"
        for r in members:
            target[r.raw_key] = other_key[name]
    for r in singles:
        word = r.raw_key.partition("|")[2].partition("|")[0]
        options = by_surname.get(word, [])
        best = _dominant(options, weight) if options else None
        if best is not None:
            target[r.raw_key] = f"person|{best}"
        elif options:  # a surname two known people share: kept apart, it is a name
            target[r.raw_key] = f"person|{word}" if r.raw_key.startswith("person|") else r.raw_key
        elif word in other_key:  # "Politico" typed as a person once: the medium
            target[r.raw_key] = other_key[word]
        else:  # a lone word no one in the store carries: "Patriot", "Melanie"
            target[r.raw_key] = None
    merged: dict[str, Canonical] = {}
    for r in raw:
        key = target[r.raw_key]
        if key is None:
            continue
        kind = key.partition("|")[0]
        c = merged.setdefault(key, Canonical(key=key, type=kind))
        c.raw_keys.append(r.raw_key)
        c.aliases.update({alias: n for name, n in r.names.items() if (alias := clean_alias(name))})
        for role, (n, first, last) in r.roles.items():
            entry = c.roles.setdefault(role, [0, first, last])
            entry[0] += n
            entry[1], entry[2] = _min(entry[1], first), _max(entry[2], last)
        c.n += r.n
        c.first_date, c.last_date = _min(c.first_date, r.first_date), _max(c.last_date, r.last_date)
        c.outlet = c.outlet or r.outlet
        if kind == "anonymous" and not c.name:
            c.name = r.description or key.split("|")[1]
    for c in merged.values():
        if c.type == "anonymous":
            c.aliases = Counter({a: n for a, n in c.aliases.items()}) or Counter({c.name: c.n})
            if c.outlet:
                c.name = f"{c.name} ({c.outlet})"
            continue
        cleaned: Counter[str] = Counter()
        for alias, n in c.aliases.items():
            shown = person_name(alias) if c.key.startswith("person|") else None
            cleaned[shown or bare_name(alias, titles=c.key.startswith(("person|", "unknown|")))] += n
        full = [(n, len(a), a) for a, n in cleaned.items() if len(a.split()) >= 2] or \
               [(n, len(a), a) for a, n in cleaned.items()]
        c.name = max(full)[2] if full else c.key.partition("|")[2]
        if c.type == "unknown" and c.key.startswith("person|"):
            c.type = "person"
    return list(merged.values())
