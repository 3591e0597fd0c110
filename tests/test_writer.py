"""onrecord.attribute.writer: the writer's own voice is not an attribution."""

import pytest

from onrecord import Settings, extract

pytestmark = pytest.mark.slow


def cues(text: str, attributor: str = "auto") -> list[str]:
    return [a.cue.text for a in extract(text, settings=Settings(attributor=attributor)).attributions]


@pytest.mark.parametrize("attributor", ["auto", "fast"])
def test_a_reviewer_giving_an_opinion_is_not_a_source(attributor):
    text = ("The new tablet ships next week for $499.\n"
            "I think this will be the best value of the holiday season. After a week with it, we believe "
            "the keyboard case is worth the extra money, and I found that the battery lasts two days.\n")
    assert cues(text, attributor) == []


def test_the_writers_past_speech_to_a_source_stays():
    text = ("When I reached the mayor on Tuesday, I told her that engineers had found cracks in the bridge. "
            "She said the council would close it for a week.\n")
    assert cues(text) == ["told", "said"]


def test_a_first_person_speaker_inside_a_quotation_stays():
    found = cues("“I think the vote will pass easily,” the senator said.\n")
    assert "said" in found and "think" in found


def test_a_turn_of_an_interview_transcript_is_the_interviewee_speaking():
    text = ("The interview was edited for length.\n\nQ: What matters most in your new job?\n\n"
            "A: I think listening to the staff matters more than anything else in the first months.\n")
    assert cues(text) == ["think"]


def test_a_quotation_running_over_paragraphs_is_still_the_speakers():
    text = ("“We have visited every county in this state. I think that is why the crowds keep growing.\n\n"
            "“We will keep going until the last day,” the governor said.\n")
    assert "think" in cues(text)


@pytest.mark.parametrize("attributor", ["auto", "fast"])
def test_the_reader_the_writer_addresses_is_not_a_source(attributor):
    text = ("The console costs $299 and streams games over the network.\n"
            "If you're asking whether the service is worth it, you will find that the library is small. "
            "You could argue that the controller alone justifies the price.\n")
    assert cues(text, attributor) == []


def test_you_inside_a_quotation_is_the_speaker_addressing_someone():
    found = cues("“You told me the factory would stay open,” the union leader said to the minister.\n")
    assert "said" in found and "told" in found


def test_a_sentence_speaking_to_the_reader_without_a_subject_is_the_writers():
    text = ("Seven candidates meet on stage in Atlanta tonight.\n"
            "Expect the senator from Vermont to argue that the plan is affordable.\n"
            "Wondering whether the debate will change the race? Pollsters say it rarely does.\n")
    found = cues(text)
    assert "say" in found and "Expect" not in found and "Wondering" not in found


def test_an_infinitive_with_nobody_to_think_it_is_no_attribution():
    text = ("The Chargers have three games left against winning teams.\n"
            "There is no reason to think they will win out, and it is fair to believe the season is over.\n"
            "The coach said the team would keep fighting.\n")
    assert cues(text) == ["said"]
