import pytest

from onrecord.models import Speaker
from onrecord.link.speakers import RawSpeaker, canonicalize
from onrecord.names import article_people, bare_name, clean_name, normalize_description, speaker_key


def test_bare_name_strips_titles_and_possessives():
    assert bare_name("Russian President Vladimir Putin") == "Vladimir Putin"
    assert bare_name("Mr. Trump's") == "Trump"
    assert bare_name("Sen. Bernie Sanders") == "Bernie Sanders"
    assert bare_name("Hillary Clinton") == "Hillary Clinton"


def test_one_name_cleaning_for_resolution_and_linking():
    # resolution keeps the title as written (it is the speaker's role); linking takes it off
    assert clean_name(">Russian President Vladimir Putin's") == "Russian President Vladimir Putin"
    assert bare_name(">Russian President Vladimir Putin's") == "Vladimir Putin"
    # an editorial note is no part of a name in either: the speaker is still found
    assert bare_name("Bernie Sanders [I-Vt.]") == clean_name("Bernie Sanders [I-Vt.]") == "Bernie Sanders"
    key = speaker_key(Speaker("Sen. Bernie Sanders [I-Vt.]", "person"), source=None, outlet=None)
    assert key == "person|bernie sanders"


def test_departments_named_by_a_title_word_are_two_organisations():
    """"State" and "Justice" are titles before a person's name, but part of an organisation's: the
    State Department and the Justice Department were one speaker called "Department"."""
    state, justice = (speaker_key(Speaker(n, "organization"), source=None, outlet=None)
                      for n in ("the State Department", "the Justice Department"))
    assert state != justice
    [entry] = canonicalize([raw(state, 2, "the State Department")])
    assert entry.name == "the State Department"
    assert speaker_key(Speaker("Secretary of State John Kerry", "person"), source=None, outlet=None) == \
        "person|john kerry"


def test_normalize_description():
    assert normalize_description("a government source") == "government source"
    assert normalize_description("Government sources") == "government source"
    assert normalize_description("the press") == "press"


def test_keys_resolve_surnames_within_an_article_and_keep_anonymous_apart():
    people = {"putin": "Vladimir Putin"}
    assert speaker_key(Speaker("Putin", "person"), source=None, outlet=None, people=people) == "person|vladimir putin"
    anon = speaker_key(Speaker(type="anonymous", description="a source close to Putin"), source=None, outlet="X")
    assert anon == "anonymous|source close to putin|x"
    assert speaker_key(Speaker("he", "unknown"), source=None, outlet=None) is None
    assert speaker_key(Speaker(), source="someone", outlet=None) is None


def raw(key, n=1, name=None):
    r = RawSpeaker(key)
    r.add(name or key.split("|")[1].title(), None, n, "2016-01-01", "2016-01-02", None, None)
    return r


def test_canonicalize_merges_forms_of_one_name():
    found = canonicalize([raw("person|donald j. trump", 2, "Donald J. Trump"), raw("person|donald trump", 5),
                          raw("person|trump", 9)])
    assert len(found) == 1 and found[0].name == "Donald Trump" and found[0].n == 16


def test_ambiguous_surname_stays_apart_unless_one_dominates():
    apart = canonicalize([raw("person|hillary clinton", 4), raw("person|bill clinton", 3), raw("person|clinton", 5)])
    assert sorted(c.name for c in apart) == ["Bill Clinton", "Clinton", "Hillary Clinton"]
    dominated = canonicalize([raw("person|hillary clinton", 12), raw("person|bill clinton", 3),
                              raw("person|clinton", 5)])
    assert sorted((c.name, c.n) for c in dominated) == [("Bill Clinton", 3), ("Hillary Clinton", 17)]


def test_anonymous_never_merges_with_a_person():
    found = canonicalize([raw("person|john smith"), raw("anonymous|smith|x")])
    assert sorted(c.type for c in found) == ["anonymous", "person"]


def key(name, type_="person", people=None):
    return speaker_key(Speaker(name, type_), source=None, outlet=None, people=people)


def test_function_words_and_descriptions_name_nobody():
    for name in ("his", "here", "An", "their", "all of them", "What"):
        assert key(name, "unknown") is None, name
        assert key(name, "person") is None, name
    assert key("A red tractor", "unknown") is None  # a description, not a name
    assert key("Stormy Weather Over Kent", "unknown") is None  # a headline: "Over" is no name word
    assert key("the retired shipwright", "person") is None


def test_stray_marks_and_descriptions_around_a_name_are_cut():
    assert key(">Marlow") == "person|marlow"
    assert key("― Odile Ferrand") == "person|odile ferrand"
    assert key("a veteran harbour pilot, Tomasz Wrona") == "person|tomasz wrona"
    assert key("Kwame de Souza") == "person|kwame de souza"
    assert key("Arturo P. Lindqvist Jr.") == "person|arturo p. lindqvist"
    assert key("Nadia A. Okafor Reyes", "unknown") == "unknown|nadia a. okafor reyes"


def test_first_names_take_the_full_name_within_an_article():
    people = article_people([Speaker("Odile Ferrand", "person"), Speaker("Tomasz Wrona", "person")])
    assert key("Odile", people=people) == "person|odile ferrand"
    assert key("Wrona", "unknown", people=people) == "person|tomasz wrona"


def test_epithets_before_a_known_name_join_it():
    found = canonicalize([raw("person|odile ferrand", 6), raw("person|sly odile ferrand", 2, "Sly Odile Ferrand"),
                          raw("person|farewell tomasz wrona", 1, "Farewell Tomasz Wrona"),
                          raw("person|tomasz wrona", 3)])
    assert sorted((c.name, c.n) for c in found) == [("Odile Ferrand", 8), ("Tomasz Wrona", 4)]


def test_a_lone_word_is_a_speaker_only_as_a_known_surname_or_organisation():
    found = canonicalize([raw("person|odile ferrand", 2), raw("person|ferrand", 3), raw("person|patriot", 5),
                          raw("unknown|melanie", 4), raw("media|harbourwatch", 2, "HarbourWatch"),
                          raw("unknown|harbourwatch", 3, "Harbourwatch"),
                          raw("organization|harbourwatch", 1, "HARBOURWATCH"),
                          raw("person|harbourwatch", 1, "Harbourwatch")])
    assert sorted((c.name, c.type, c.n) for c in found) == [("Harbourwatch", "media", 7),
                                                            ("Odile Ferrand", "person", 5)]


def test_keys_of_old_stores_are_checked_again():
    """Raw keys stored before the checks (function words, descriptions) get no speaker at link time."""
    found = canonicalize([raw("unknown|his", 6, "his"), raw("unknown|an", 1, "An"),
                          raw("unknown|a yellow crane", 2, "A yellow crane"), raw("person|odile ferrand", 1)])
    assert [c.name for c in found] == ["Odile Ferrand"]


def test_a_persons_gender_is_what_their_statements_give_unless_they_conflict():
    from onrecord.link.speakers import consistent_gender

    assert consistent_gender("person", {"female": 3}) == "female"
    assert consistent_gender("person", {"male": 203, "female": 1}) == "male"  # one misread "she": not a conflict
    assert consistent_gender("person", {"male": 9, "female": 1}) == "male"  # the other gender in one in ten
    assert consistent_gender("person", {"male": 8, "female": 1}) == "unknown"  # more: the statements conflict
    assert consistent_gender("person", {"male": 1, "female": 1}) == "unknown"
    assert consistent_gender("person", {}) == "unknown"  # no evidence, nothing guessed
    assert consistent_gender("organization", {"female": 5}) == "unknown"
    assert consistent_gender("anonymous", {"male": 5}) == "unknown"


def dated(key, n, first, last, name=None):
    r = RawSpeaker(key)
    r.add(name or key.split("|")[1].title(), None, n, first, last, None, None)
    return r


def test_two_people_of_one_name_years_and_offices_apart_stay_apart():
    found = canonicalize([dated("person|loretta lynch|attorney general", 6, "2016-02-01", "2016-09-14"),
                          dated("person|loretta lynch", 3, "2016-07-01", "2016-07-12"),
                          dated("person|loretta lynch|california commission president public utilities", 2,
                                "2020-08-17", "2020-08-17"),
                          dated("person|loretta lynch|regulator utilities", 1, "2020-08-20", "2020-08-20")])
    assert sorted(c.n for c in found) == [3, 9]  # the attorney general (with the role-less 2016 key), the regulator


def test_one_person_with_many_roles_in_one_year_stays_one():
    found = canonicalize([dated("person|donald trump|nominee republican", 5, "2016-08-01", "2016-10-01"),
                          dated("person|donald trump|billionaire", 2, "2016-09-01", "2016-09-02"),
                          dated("person|donald trump|businessman", 1, "2016-03-01", "2016-03-01")])
    assert len(found) == 1 and found[0].n == 8


def test_a_short_first_name_is_the_same_person():
    found = canonicalize([raw("person|michael r. bloomberg", 3, "Michael R. Bloomberg"),
                          raw("person|mike bloomberg", 2, "Mike Bloomberg")])
    assert len(found) == 1 and found[0].name == "Michael R. Bloomberg"


def test_a_campaign_named_after_a_person_is_one_organisation_apart_from_the_person():
    keys = {speaker_key(Speaker(name, "organization"), source=None, outlet=None)
            for name in ("Donald Trump's campaign", "the campaign of Donald Trump", "Trump's presidential campaign",
                         "The Trump campaign")}
    assert keys == {"organization|trump campaign"}
    found = canonicalize([raw("organization|trump campaign", 4), raw("person|donald trump", 9)])
    assert sorted(c.type for c in found) == ["organization", "person"]


def test_people_in_general_and_someones_people_are_no_speaker():
    for name in ("people", "His surrogates", "Critics", "many experts", "people who fly to Madrid"):
        assert canonicalize([raw(f"group|{name.lower()}", 3, name)]) == [], name
    assert [c.name for c in canonicalize([raw("group|tory mps", 2, "Tory MPs")])] == ["Tory MPs"]
    named = canonicalize([raw("group|tory mps who rebelled", 2, "Tory MPs who rebelled")])
    assert [c.name for c in named] == ["Tory MPs who rebelled"]


def test_aliases_carry_no_markup_or_stray_quotation_marks():
    found = canonicalize([raw("person|bernie sanders", 3, "Bernie Sanders"), raw("person|sanders", 1, '">Sanders'),
                          raw("media|wall street journal", 2, "Wall Street Journal”")])
    aliases = {a for c in found for a in c.aliases}
    assert aliases == {"Bernie Sanders", "Sanders", "Wall Street Journal"}


def test_roles_travel_in_the_key_of_a_person_named_in_full():
    people = article_people([Speaker("Loretta Lynch", "person", role="Attorney General"),
                             Speaker("Lynch", "person")])
    assert speaker_key(Speaker("Lynch", "person"), source=None, outlet=None, people=people) == \
        "person|loretta lynch|attorney general"


@pytest.mark.slow
def test_speaker_merges_on_the_labelled_articles():
    """tests/data/speakers: namesakes, one person named three ways, polls and campaigns named after people."""
    from pathlib import Path

    from onrecord import Settings
    from onrecord.eval.speakers import score_speakers

    score = score_speakers(Path(__file__).parent / "data" / "speakers", Settings(attributor="rules"))
    assert score.found >= 50
    assert score.precision >= 0.95, score.merged_wrongly
    assert score.recall >= 0.85, score.split_wrongly


def test_a_description_or_a_headline_is_no_speaker():
    for key, name in (("organization|agency", "the agency"), ("organization|authorities", "Authorities"),
                      ("person|retired general", "Retired General"), ("person|black lawmakers", "Black Lawmakers")):
        assert canonicalize([raw(key, 2, name)]) == [], name
    kept = canonicalize([raw("organization|european union", 2, "the European Union"),
                         raw("group|republicans", 3, "Republicans"), raw("person|martin luther king", 2,
                                                                         "Martin Luther King")])
    assert sorted(c.type for c in kept) == ["group", "organization", "person"]
