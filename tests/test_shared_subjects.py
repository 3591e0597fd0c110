"""A second cue that borrows its subject names no source of its own, and keeps its speaker.

Sentences written for this test. The conventions are those of the web and news references
(rule 1 of data/news/README.md): "…, adding that …" has a null source and the first cue's speaker.
"""

import pytest

from onrecord import extract

from .test_unseen_news import found

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text, cue", [
    ("Mira Okafor, the harbour master, said the pier was unsafe, adding that repairs would take a year.",
     "adding"),
    ("The club's chairman, Tomas Berg, denied the report, saying that no offer had been received.", "saying"),
    ("The club denied the report on Friday and said that no offer had been received.", "said"),
])
def test_a_second_cue_has_no_source_but_the_same_speaker(text, cue):
    first, second = extract(text).attributions[0], found(text, cue)
    assert second.source is None
    assert second.speaker is not None and first.speaker is not None
    assert second.speaker.name == first.speaker.name


def test_a_cue_with_its_own_subject_keeps_its_source():
    text = ("The regulator cut its forecast on Tuesday, with the central bank suggesting that rates "
            "would stay high until spring.")
    suggesting = found(text, "suggesting")
    assert suggesting.source is not None and suggesting.source.text == "the central bank"


def test_a_verb_coordinated_with_a_predicate_that_is_no_cue_keeps_its_subject():
    text = "The singer is ready to tour again and has told friends that the new album is finished."
    told = found(text, "has told")
    assert told.source is not None and told.source.text == "The singer"


def test_a_progressive_is_finite_and_keeps_its_subject():
    text = "The lenders are not pushing for a sale, but are simply saying that the debt must be cut by spring."
    saying = found(text, "are simply saying")
    assert saying.source is not None and saying.source.text == "The lenders"


def test_a_perfect_participle_names_no_source_of_its_own():
    text = ("Having concluded that the cracks were cosmetic, the engineer Ana Ruiz signed the report, "
            "the council said.")
    concluded = found(text, "Having concluded")
    assert concluded.source is None
    assert concluded.speaker is not None and concluded.speaker.name == "Ana Ruiz"


def test_a_cue_coordinated_with_a_predicate_that_is_no_cue_names_its_subject():
    text = "Farmers and shop owners have complained of poor roads for years and say that the bypass came too late."
    say = found(text, "say")
    assert say.source is not None and say.source.text == "Farmers and shop owners"
