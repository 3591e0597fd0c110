"""A person's gender from evidence only: the article's own words first, then a first-name list.

The name list is the ``gender-guesser`` package (an offline, maintained list of about
40,000 first names by country). It is loaded once per process, on first use. A name
counts only when no country reading contradicts another ("Jordan" is male in one list
and mostly female in another: unknown); "andy" (androgynous) and unlisted names are unknown.
Nothing is guessed from nothing: no evidence, "unknown".
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache
from typing import Any

from .lexicon import FEMALE_WORDS, MALE_WORDS

logger = logging.getLogger(__name__)

FEMALE, MALE, UNKNOWN = "female", "male", "unknown"
_PRONOUNS = {"she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE,
             "he": MALE, "him": MALE, "his": MALE, "himself": MALE}
# The general reading and the two English-speaking lists most news is about.
_COUNTRIES = (None, "usa", "great_britain")


def pronoun_gender(word: str) -> str:
    """female for she/her, male for he/him/his, else unknown."""
    return _PRONOUNS.get(word.lower(), UNKNOWN)


def word_gender(word: str) -> str:
    """Gender carried by a form of address or a noun: "Mrs", "Sir", "spokeswoman", "actress"."""
    word = word.lower().rstrip(".")
    if word in FEMALE_WORDS:
        return FEMALE
    if word in MALE_WORDS:
        return MALE
    return UNKNOWN


@lru_cache(maxsize=1)
def _detector() -> Any:
    try:
        from gender_guesser.detector import Detector
    except ImportError:  # a core dependency, but a stripped install still extracts
        logger.warning("gender-guesser is not installed (pip install gender-guesser): no name-list genders")
        return None
    return Detector(case_sensitive=False)


@lru_cache(maxsize=16384)
def name_gender(first_name: str) -> str:
    """female / male / unknown for a first name, from the name list alone."""
    name = first_name.strip(".,’'\"")
    if len(name) < 2 or not name[:1].isupper() or not name.replace("-", "").isalpha():
        return UNKNOWN  # initials ("J."), lower-case words, numbers
    detector = _detector()
    if detector is None:
        return UNKNOWN
    readings = {detector.get_gender(name, country) for country in _COUNTRIES}
    female = {r for r in readings if r in {"female", "mostly_female"}}
    male = {r for r in readings if r in {"male", "mostly_male"}}
    if female and not male:
        return FEMALE
    if male and not female:
        return MALE
    return UNKNOWN


@lru_cache(maxsize=16384)
def is_first_name(word: str) -> bool:
    """Whether the name list knows ``word`` as a first name (of any gender)."""
    name = word.strip(".,’'\"")
    if len(name) < 2 or not name[:1].isupper() or not name.replace("-", "").isalpha():
        return False
    detector = _detector()
    return detector is not None and detector.get_gender(name) != "unknown"


def decide(evidence: Counter[str]) -> str:
    """The gender a tally of article evidence supports: a clear majority, else unknown."""
    female, male = evidence[FEMALE], evidence[MALE]
    if female > 2 * male:
        return FEMALE
    if male > 2 * female:
        return MALE
    return UNKNOWN


def compatible(pronoun: str, gender: str) -> bool:
    """Whether ``he``/``she`` can refer to someone of ``gender`` (unknown fits both)."""
    wanted = pronoun_gender(pronoun)
    return wanted == UNKNOWN or gender in {UNKNOWN, wanted}
