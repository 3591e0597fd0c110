"""Canonical speakers across articles: one person under many names, anonymous sources kept apart.

Two steps:

1. `speaker_key` (at ingest, per attribution) gives a *raw key*. Within one article a
   bare surname ("Putin") takes the full name found in that article ("Vladimir Putin").
   Titles are stripped ("Russian President Vladimir Putin" -> "Vladimir Putin").
   Anonymous sources get ``anonymous|<description>|<outlet>``: grouped by description
   and outlet, never merged with a named speaker.
2. `canonicalize` (at link time, over all raw keys) merges names of one person across
   articles: names with the same first and last word ("Donald J. Trump", "Donald Trump"),
   and a bare surname with the one full name that carries it (or that dominates it at
   least 3 to 1: "Clinton" stays apart while Hillary and Bill are both common).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import Speaker

NAMED_TYPES = ("person", "organization", "media", "group")
TITLES = frozenset("""
mr mrs ms miss dr sen senator rep representative gov governor president vice secretary gen general minister
prime chancellor judge justice mayor sir lord lady prof professor rev adm admiral col colonel lt sgt capt captain
speaker leader chairman chairwoman chair ambassador deputy former candidate nominee spokesman spokeswoman
spokesperson director chief attorney commissioner sheriff king queen pope foreign defence defense state
""".split())
DETERMINERS = frozenset("a an the one two three some several many other another certain".split())
PRONOUNS = frozenset("""
i me we us you he him she her it they them who which that this those these one someone everyone everybody
anyone nobody somebody
""".split())
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"[’']s$")


def clean_name(name: str) -> str:
    """A name without titles, possessive or stray punctuation: "Russian President Vladimir Putin's" -> "Vladimir Putin"."""
    name = _POSSESSIVE.sub("", _SPACE.sub(" ", name).strip(" \t\n,.;:\"“”'’()"))
    words = name.split(" ")
    last_title = -1
    for n, word in enumerate(words[:-1]):
        if word.lower().rstrip(".") in TITLES:
            last_title = n
    if last_title >= 0 and words[last_title + 1:] and words[last_title + 1][:1].isupper():
        words = words[last_title + 1:]
    return " ".join(words)


def useful_role(role: str) -> bool:
    """Roles worth listing: not a bare honorific ("Mr") or a stray fragment."""
    words = re.findall(r"[A-Za-z]+", role)
    return bool(words) and not (len(words) == 1 and words[0].lower() in TITLES | {"mr", "mrs", "ms", "dr"}) \
        and sum(len(w) for w in words) >= 3


def normalize_description(text: str) -> str:
    """"Highly placed sources" -> "highly placed source"; "a government source" -> "government source"."""
    words = _SPACE.sub(" ", text.lower()).strip(" ,.;:\"“”'’").split(" ")
    while len(words) > 1 and words[0] in DETERMINERS:
        words = words[1:]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _norm_outlet(outlet: str | None) -> str:
    return (outlet or "").strip().lower()


def article_people(speakers: Iterable[Speaker]) -> dict[str, str]:
    """Surname -> full name of the people named in full in one article (unambiguous ones only)."""
    full: dict[str, set[str]] = defaultdict(set)
    for s in speakers:
        if s.name and s.type == "person":
            name = clean_name(s.name)
            if len(name.split()) >= 2:
                full[name.split()[-1].lower()].add(name)
    return {surname: next(iter(names)) for surname, names in full.items() if len(names) == 1}


def speaker_key(speaker: Speaker, *, source: str | None, outlet: str | None,
                people: dict[str, str] | None = None) -> str | None:
    """The raw key of an attribution's speaker, or None when it has no name and no description."""
    if speaker.type == "anonymous":
        description = speaker.description or speaker.name or source
        if not description:
            return None
        return f"anonymous|{normalize_description(description)}|{_norm_outlet(outlet)}"
    if not speaker.name:
        return None
    name = clean_name(speaker.name)
    if not name or name.lower() in PRONOUNS:  # an unresolved pronoun names nobody
        return None
    if people and len(name.split()) == 1 and speaker.type in ("person", "unknown"):
        name = people.get(name.lower(), name)
    kind = "person" if speaker.type == "unknown" and people and name in people.values() else speaker.type
    if kind in ("organization", "media", "group"):
        words = name.lower().split()
        name = " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)
    return f"{kind}|{name.lower()}"


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


def canonicalize(raw: Sequence[RawSpeaker]) -> list[Canonical]:
    """Merge raw keys into canonical speakers (see the module docstring)."""
    target: dict[str, str] = {}
    persons: dict[str, list[RawSpeaker]] = defaultdict(list)  # "first last" -> raw speakers
    singles: list[RawSpeaker] = []
    for r in raw:
        kind, _, rest = r.raw_key.partition("|")
        if kind in ("person", "unknown"):
            words = rest.split()
            if len(words) >= 2:
                persons[f"{words[0]} {words[-1]}"].append(r)
                target[r.raw_key] = f"person|{words[0]} {words[-1]}"
                continue
            if kind == "person" or not words:
                singles.append(r)
                continue
        target[r.raw_key] = r.raw_key
    by_surname: dict[str, list[str]] = defaultdict(list)
    for fl in persons:
        by_surname[fl.split()[-1]].append(fl)
    weight = {fl: sum(r.n for r in rs) for fl, rs in persons.items()}
    for r in singles:
        surname = r.raw_key.partition("|")[2]
        options = sorted(by_surname.get(surname, []), key=lambda fl: -weight[fl])
        if len(options) == 1 or (len(options) > 1 and weight[options[0]] >= 3 * weight[options[1]]):
            target[r.raw_key] = f"person|{options[0]}"
        else:
            target[r.raw_key] = r.raw_key
    # "unknown" single-word names that match a person's surname join that person
    for r in raw:
        kind, _, rest = r.raw_key.partition("|")
        if kind == "unknown" and len(rest.split()) == 1 and (matches := by_surname.get(rest)):
            best = sorted(matches, key=lambda fl: -weight[fl])
            if len(best) == 1 or weight[best[0]] >= 3 * weight[best[1]]:
                target[r.raw_key] = f"person|{best[0]}"

    merged: dict[str, Canonical] = {}
    for r in raw:
        key = target[r.raw_key]
        kind = key.partition("|")[0]
        c = merged.setdefault(key, Canonical(key=key, type=kind))
        c.raw_keys.append(r.raw_key)
        c.aliases.update(r.names)
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
            cleaned[clean_name(alias)] += n
        full = [(n, len(a), a) for a, n in cleaned.items() if len(a.split()) >= 2] or \
               [(n, len(a), a) for a, n in cleaned.items()]
        c.name = max(full)[2] if full else c.key.partition("|")[2]
        if c.type == "unknown" and c.key.startswith("person|"):
            c.type = "person"
    return list(merged.values())
