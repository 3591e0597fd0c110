"""A name (or title) as the article writes it, without what is not part of it.

One cleaning for every stage: resolution cleans the names and roles it reads from the
text with `clean_name`; `bare_name` starts from it and takes titles off to compare people
across articles; `speaker_key` turns an attribution's speaker into the raw key the store
writes with it (within one article, `article_people`: "Putin" is "Vladimir Putin") and
linking (`link.speakers.canonicalize`) merges across articles. Below the store, so that
writing an attribution needs nothing from the link stage.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .gender import is_first_name
from .lexicon import HONORIFICS, NICKNAMES, ORGANIZATION_NOUNS, PRONOUNS, ROLE_FILLER
from .models import Speaker


def clean_name(text: str) -> str:
    """A name or title without editorial notes, page markup, a possessive or stray spaces:
    ">Sanders" → "Sanders", "Putin's" → "Putin", "Zelensky [Ukraine's President]" → "Zelensky".

    Titles and quotation marks stay ("'Dear Neighbour' actress" is a role as written).
    """
    text = re.sub(r"\s*\[[^\]]*\]", "", text)  # editorial notes
    text = re.sub(r"^[\s<>|•·*#=~_–—-]+", "", text)  # markup left over from the page (">Sanders")
    text = re.sub(r"[’']s$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" ,.")


def without_honorific(name: str) -> str:
    """ "Mr. Ban" → "Ban": a form of address is no part of the name (a lone "Mr" stays)."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def without_article(text: str) -> str:
    """ "the Foreign Ministry" → "Foreign Ministry"."""
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)


NAMED_TYPES = ("person", "organization", "media", "group")
TITLES = frozenset("""
mr mrs ms miss dr sen senator rep representative gov governor president vice secretary gen general minister
prime chancellor judge justice mayor sir lord lady prof professor rev adm admiral col colonel lt sgt capt captain
speaker leader chairman chairwoman chair ambassador deputy former candidate nominee spokesman spokeswoman
spokesperson director chief attorney commissioner sheriff king queen pope foreign defence defense state
""".split())
DETERMINERS = frozenset("a an the one two three some several many other another certain".split())
# closed-class words: a name made only of these names nobody ("his", "here", "An", "all of them")
FUNCTION_WORDS = DETERMINERS | PRONOUNS | frozenset("""
my your his its our their mine yours hers ours theirs myself yourself himself herself itself ourselves themselves
here there now then today yesterday tomorrow where when why how what whom whose whoever whatever
and or but nor so yet if as of in on at by for from to with without about into over under after before than
not no yes all any each every both either neither such same own only also just very more most much few
is are was were be been am has have had do does did will would shall should can could may might must
""".split())
# lower-case words that belong inside a person's name ("Bill de Blasio", "Osama bin Laden")
PARTICLES = frozenset("de da del della der den di du dos van von bin ibn al el la le ter st y".split())
SUFFIXES = frozenset("jr sr ii iii iv".split())
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"[’']s$")
_EDGES = re.compile(r"^[^\w]+|[^\w.]+$")  # stray marks around a name: ">Sanders", "― Jane Roe", "(D-Va"
_POSSESSIVE_WORD = re.compile(r"(?<=\w)[’']s\b")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)$")  # capitalised: "Lynch", "E.", "O'Neill", "Ki-moon"


def bare_name(name: str, *, titles: bool = True) -> str:
    """A name as `names.clean_name` leaves it, without titles (unless ``titles`` is false: an
    organisation's "State" or "Justice" is its name, not a title), quotation marks or brackets
    around it: "Russian President Vladimir Putin's" -> "Vladimir Putin"."""
    name = _EDGES.sub("", clean_name(name))
    name = _POSSESSIVE.sub("", name.strip(" \t\n,.;:\"“”'’()")).strip(" ,")
    if not titles:
        return name
    words = name.split(" ")
    last_title = -1
    for n, word in enumerate(words[:-1]):
        if word.lower().rstrip(".") in TITLES:
            last_title = n
    if last_title >= 0 and words[last_title + 1:] and words[last_title + 1][:1].isupper():
        words = words[last_title + 1:]
    while len(words) > 2 and words[-1].lower().rstrip(".") in SUFFIXES:  # "Joseph R. Biden Jr." is Joseph Biden
        words = words[:-1]
    return " ".join(words)


def _name_word(word: str) -> bool:
    """A word that can be part of a person's name: capitalised and not a function word, or a particle."""
    if word in PARTICLES or re.fullmatch(r"[A-Z]\.", word):  # an initial, even "A."
        return True
    return bool(_NAME_WORD.match(word)) and word.lower().rstrip(".") not in FUNCTION_WORDS


def names_anyone(name: str) -> bool:
    """Whether a name has one word that is not a function word ("his", "here", "An" name nobody)."""
    return any(w.lower().strip(".,;:'’\"") not in FUNCTION_WORDS for w in re.findall(r"[^\W\d_][\w'’.-]*", name))


def person_name(name: str, *, whole: bool = False) -> str | None:
    """The proper name in a person's name, or None when there is none.

    A name is a run of capitalised words (particles like "de" and initials allowed) ending
    the phrase: "a reality TV star, Donald Trump" -> "Donald Trump". With ``whole`` (a
    phrase not typed as a person) every word must be part of the name: "A yellow
    bulldozer" and "Obama on Climate Change" are not names.
    """
    words = bare_name(name).split(" ")
    run: list[str] = []
    for word in reversed(words):
        if not _name_word(word):
            break
        run.insert(0, word)
    while run and run[0] in PARTICLES:
        run = run[1:]
    if not run or (whole and len(run) != len(words)):
        return None
    return " ".join(run)


def clean_alias(name: str) -> str:
    """A name as a reader may look it up: without page markup or quotation marks around it
    ('">Sanders' -> "Sanders", "Wall Street Journal”" -> "Wall Street Journal"); titles stay."""
    return _EDGES.sub("", clean_name(name)).strip(" \t\n,;:\"“”'’()")


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


class ArticlePeople(dict[str, str]):
    """Surname (or first name) -> full name of the people one article names in full, and
    (``roles``) each full name's office words in that article ("attorney general")."""

    roles: dict[str, str]


def role_signature(roles: Iterable[str]) -> str:
    """The words of a person's roles that say which office it is, sorted: "Attorney General",
    "the attorney general" -> "attorney general"; "a former president of the California
    Public Utilities Commission" -> "california commission president public utilities"."""
    words = {w for role in roles for w in re.findall(r"[a-z][a-z'’-]+", role.lower())
             if len(w) > 2 and w not in ROLE_FILLER and w not in HONORIFICS}
    return " ".join(sorted(words)[:6])


def article_people(speakers: Iterable[Speaker]) -> ArticlePeople:
    """Surname (or first name) -> full name of the people named in full in one article.

    Only unambiguous ones: a word that is the surname or first name of two people, or the
    surname of one and the first name of another, maps to nobody. The roles the article gives
    each of them travel in the raw key (`speaker_key`): two people of one name are told apart
    across articles by their offices and years (`canonicalize`).
    """
    full: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, set[str]] = defaultdict(set)
    speakers = list(speakers)
    for s in speakers:
        name = person_name(s.name) if s.name and s.type == "person" else None
        if name and len(name.split()) >= 2:
            words = name.split()
            full[words[-1].lower()].add(name)
            full[words[0].lower()].add(name)
    people = ArticlePeople({word: next(iter(names)) for word, names in full.items() if len(names) == 1})
    for s in speakers:
        name = person_name(s.name) if s.name and s.type == "person" and s.role else None
        if name:
            name = name if len(name.split()) >= 2 else people.get(name.lower(), name)
            if useful_role(s.role or ""):
                roles[name].add(s.role or "")
    people.roles = {name: sig for name, rs in roles.items() if (sig := role_signature(rs))}
    return people


def organization_name(name: str) -> str:
    """One name for an organisation a person's name names: "Donald Trump's campaign", "the
    campaign of Donald Trump", "Trump's presidential campaign" -> "Trump campaign" (the
    surname, the institution's noun; the modifiers between them dropped)."""
    match = re.fullmatch(r"(?:the\s+)?(\w+)\s+of\s+((?:[A-Z][\w.'’-]*\s*){1,4})", name)
    if match and match[1].lower() in ORGANIZATION_NOUNS:
        name = f"{match[2].strip()} {match[1]}"
    words = _POSSESSIVE_WORD.sub("", name).split()
    if len(words) < 2 or words[-1].lower() not in ORGANIZATION_NOUNS:
        return name
    named = [w for w in words[:-1] if w[:1].isupper()]
    if not named or not all(w[:1].isupper() for w in words[:len(named)]) or words[0].lower() == "the":
        return name
    if len(named) >= 2 and is_first_name(named[0]) and all(_name_word(w) for w in named):
        named = named[-1:]  # "Donald J. Trump campaign": the surname names it
    return " ".join([*named, words[-1]])


def first_last(words: Sequence[str]) -> str:
    """The key of a person's name: first and last word, a short first name in full ("mike" is michael)."""
    return f"{NICKNAMES.get(words[0], words[0])} {words[-1]}"


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
    # titles come off people's names only: "the State Department" and "the Justice Department" are two
    name: str | None = bare_name(speaker.name, titles=speaker.type in ("person", "unknown"))
    if not name or not names_anyone(name):  # an unresolved pronoun, a determiner: nobody
        return None
    if speaker.type in ("person", "unknown"):
        name = person_name(name, whole=speaker.type == "unknown")
        if name is None:  # no proper name in it: "a yellow bulldozer", "the billionaire"
            return None
    if people and len(name.split()) == 1 and speaker.type in ("person", "unknown"):
        name = people.get(name.lower(), name)
    kind = "person" if speaker.type == "unknown" and people and name in people.values() else speaker.type
    if kind in ("organization", "media", "group"):
        name = organization_name(name) if kind == "organization" else name
        words = name.lower().split()
        name = " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)
    role = getattr(people, "roles", {}).get(name) if kind == "person" else None
    return f"{kind}|{name.lower()}" + (f"|{role}" if role else "")
