from onrecord.models import Speaker
from onrecord.link.speakers import RawSpeaker, canonicalize, clean_name, normalize_description, speaker_key


def test_clean_name_strips_titles_and_possessives():
    assert clean_name("Russian President Vladimir Putin") == "Vladimir Putin"
    assert clean_name("Mr. Trump's") == "Trump"
    assert clean_name("Sen. Bernie Sanders") == "Bernie Sanders"
    assert clean_name("Hillary Clinton") == "Hillary Clinton"


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
