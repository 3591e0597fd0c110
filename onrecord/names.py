"""A name (or title) as the article writes it, without what is not part of it.

One cleaning for every stage: resolution cleans the names and roles it reads from the
text with `clean_name`, and linking (`link.speakers.bare_name`) starts from it before it
takes titles off to compare people across articles.
"""

from __future__ import annotations

import re

from .lexicon import HONORIFICS


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
