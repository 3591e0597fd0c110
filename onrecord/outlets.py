"""One name per publication: "nyt", "NYT", "nytimes.com" and "The New York Times" are one outlet.

An outlet reaches onrecord in many spellings: a JSON Lines field, a page's site name
(``og:site_name``), the suffix of its title ("… | Local Gazette"), the host of its URL, or the
prefix of a PolNeAR file name ("wash-post_2016-09-12_…"). Counted as given, one paper becomes
several rows of the sourcing table. `canonical_outlet` gives every spelling of a well-known
publication its one name (`KNOWN`, matched without case, punctuation or a leading "The"), and
for the others applies general rules only: a host loses ``www.``; a name written all in capitals
or all in lower case is title-cased ("POLITICO WEEKLY" and "politico weekly" are one row), while a
name in mixed case ("HuffPost", "openDemocracy") is its publisher's own spelling and is kept.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Well-known publications and the spellings they come in (names, abbreviations, hosts, the
# PolNeAR file-name prefixes). Keep it to publications known beyond one page of the dev set.
KNOWN: dict[str, tuple[str, ...]] = {
    "The New York Times": ("nyt", "NY Times", "New York Times", "nytimes", "nytimes.com"),
    "The Washington Post": ("wash-post", "wapo", "Washington Post", "washingtonpost.com"),
    "Politico": ("politico.com", "politico.eu", "Politico Europe"),
    "Breitbart": ("Breitbart News", "Breitbart News Network", "breitbart.com"),
    "HuffPost": ("huff-post", "Huffington Post", "The Huffington Post", "huffingtonpost.com", "huffpost.com",
                 "huffingtonpost.co.uk"),
    "USA Today": ("usa-today", "usatoday", "usatoday.com"),
    "The Western Journal": ("west-journal", "Western Journal", "westernjournal.com"),
    "The Wall Street Journal": ("wsj", "Wall Street Journal", "wsj.com"),
    "Los Angeles Times": ("LA Times", "latimes.com"),
    "The Guardian": ("Guardian", "theguardian.com", "guardian.co.uk"),
    "The Independent": ("Independent", "independent.co.uk"),
    "BBC News": ("BBC", "bbc.com", "bbc.co.uk"),
    "CNN": ("cnn.com", "CNN International"),
    "Fox News": ("foxnews.com", "Fox News Channel"),
    "CBS News": ("cbsnews.com",),
    "NBC News": ("nbcnews.com",),
    "ABC News": ("abcnews.go.com",),
    "NPR": ("npr.org", "National Public Radio"),
    "Reuters": ("reuters.com", "Thomson Reuters"),
    "Associated Press": ("AP", "AP News", "The Associated Press", "apnews.com"),
    "Agence France-Presse": ("AFP", "afp.com"),
    "Bloomberg": ("Bloomberg News", "bloomberg.com"),
    "The Atlantic": ("theatlantic.com",),
    "Salon": ("salon.com",),
    "Deutsche Welle": ("DW", "dw.com"),
    "Al Jazeera": ("aljazeera.com", "Al Jazeera English"),
    "TASS": ("tass.com", "tass.ru"),
    "Meduza": ("meduza.io",),
    "Ukrainska Pravda": ("pravda.com.ua", "Ukrainian Truth"),
    "The Kyiv Independent": ("kyivindependent.com", "Kyiv Independent"),
}

# Subdomains that name an edition or a device, not another publication.
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.", "edition.", "eu.", "uk.", "us.", "beta.")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
# "Headline | Local Gazette", "Headline – Local Gazette", "Headline - Local Gazette"
_TITLE_SUFFIX = re.compile(r"\s(\||–|—|-|::|·)\s+([^|–—]+?)\s*$")
_SMALL_WORDS = {"of", "the", "and", "for", "on", "in", "at", "de", "la", "le", "der", "die"}
_MAX_SUFFIX_WORDS = 5


def _key(name: str) -> str:
    """The spelling compared: lower case, letters and digits only, no leading "the"."""
    words = re.findall(r"[^\W_]+", name.casefold())
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return "".join(words)


_BY_KEY: dict[str, str] = {}
_BY_HOST: dict[str, str] = {}
for _name, _aliases in KNOWN.items():
    for _alias in (_name, *_aliases):
        _BY_KEY.setdefault(_key(_alias), _name)
        if _HOST.match(_alias):
            _BY_HOST[_alias] = _name


def host_of(url: str | None) -> str | None:
    """The URL's host without ``www.`` and the like (``https://www.nytimes.com/x`` -> ``nytimes.com``)."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or not _HOST.match(host):
        return None
    while host.startswith(_HOST_PREFIXES) and host.count(".") > 1:
        host = host.split(".", 1)[1]
    return host


def _known_host(host: str) -> str | None:
    """The publication of a host or of a domain above it (``edition.cnn.com`` is CNN)."""
    parts = host.split(".")
    for start in range(len(parts) - 1):
        found = _BY_HOST.get(".".join(parts[start:]))
        if found:
            return found
    return None


def canonical_outlet(name: str | None) -> str | None:
    """The one name of an outlet: a known publication's, a host without ``www.``, or the name with
    its spacing tidied (and title case when written all in capitals or all in lower case).

        >>> canonical_outlet("nyt"), canonical_outlet("https://www.nytimes.com/2016/x.html")
        ('The New York Times', 'The New York Times')
        >>> canonical_outlet("POLITICO"), canonical_outlet("local gazette"), canonical_outlet("www.kxan.com")
        ('Politico', 'Local Gazette', 'kxan.com')
    """
    if name is None:
        return None
    tidy = " ".join(name.split())
    if not tidy:
        return None
    if " " not in tidy and ("." in tidy or "//" in tidy):
        host = host_of(tidy.lower())
        if host:
            return _known_host(host) or host
    known = _BY_KEY.get(_key(tidy))
    if known:
        return known
    letters = [c for c in tidy if c.isalpha()]
    if len(letters) > 4 and (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        return " ".join(word[:1].upper() + word[1:].lower() for word in tidy.split(" "))
    return tidy


def outlet_from_title(title: str | None) -> str | None:
    """The publication a page's title ends with ("Bridge reopens | Local Gazette" -> "Local Gazette"),
    or None when the title has no such suffix (a dash inside a headline is not one: the suffix
    must be a short name that starts with a capital or a digit, every word capitalised after a
    plain hyphen)."""
    if not title:
        return None
    found = _TITLE_SUFFIX.search(title.strip())
    if not found or not title[:found.start()].strip():
        return None
    separator, suffix = found[1], found[2].strip()
    words = suffix.split()
    if not words or len(words) > _MAX_SUFFIX_WORDS or len(suffix) > 60 or not (suffix[0].isupper() or
                                                                                  suffix[0].isdigit()):
        return None
    if suffix[-1] in ".?!\"”'’" and not _HOST.match(suffix.lower()):
        return None  # a sentence, not a name
    if separator == "-" and not all(w[0].isupper() or w[0].isdigit() or w in _SMALL_WORDS for w in words):
        return None  # a hyphen is also a headline's dash ("Bridge - what comes next"): only a name in title case
    return canonical_outlet(suffix)


def derive_outlet(outlet: str | None = None, *, site_names: tuple[str | None, ...] = (),
                  titles: tuple[str | None, ...] = (), url: str | None = None) -> str | None:
    """The canonical outlet of an article from what is known of it, the most explicit first: the
    outlet given, the page's site name, its title's suffix, then its URL's host."""
    for candidate in (outlet, *site_names):
        found = canonical_outlet(candidate)
        if found:
            return found
    for title in titles:
        found = outlet_from_title(title)
        if found:
            return found
    host = host_of(url)
    return (_known_host(host) or host) if host else None


def aliases(outlet: str) -> tuple[str, ...]:
    """The other spellings of a known publication (empty for the others)."""
    return KNOWN.get(canonical_outlet(outlet) or "", ())
