"""A participant number held at start (issue 21; PackSettings.md, "Holding a
participant number at start"): while one browser is at the experiment, a
second browser (another Chromium, its own storage) that starts with the same
number is refused at once, in the page's language, with nothing stored and
the number open to correction; the first browser resumes after a reload and
finishes, stored once, after which the number is `Already Participated`. A
discarded session's token stays with the page, so the same browser can start
over. Once a hold has ended the number can be taken over; a participant
link's platform ID is held the same way (and the refusal speaks of the ID)."""

import time

import pytest

from api import API
from browser import Browser
from conftest import MEN_PACK, SHOTS, SMALL_PACK, check_and_quit, stop_stack
from images import write_pack
from pack_links import CONSENT, fill_visible, link, make_pack, open_link, stored_session, switch_lang
from participant import (answer_trial, confirm_details, fill_form, open_start, pass_instructions, person,
                         session, start_experiment, wait_done, wait_faces)
from stack import Stack
from test_participant_flow import check_reply

IN_USE = {
    "en": "This participant number has just started the experiment in another window or on another device.",
    "ko": "이 참가자 번호로 방금 다른 창이나 다른 기기에서 실험이 시작되었습니다.",
}
# With a platform ID from the link there is no number to correct: the ID's own wording.
ID_IN_USE = {
    "en": "This participant ID has just started the experiment in another window or on another device.",
    "ko": "이 참가자 ID로 방금 다른 창이나 다른 기기에서 실험이 시작되었습니다.",
}
ALREADY = {
    "en": "You have already taken part in this experiment. Thank you!",
    "ko": "이미 이 실험에 참여하셨습니다. 감사합니다!",
}
REFUSED = r"/api/reply/start .*status of 400"
KEYS = list("FJJFFJFJ")
HOLD_SECONDS = 5  # the short hold of the stack where a hold is seen to end

# A pack of its own for the participant link: women 60–69 overlaps no other test's pack.
LINK_PACK = ("pheld", 2, 60, 69)
PROLIFIC = "60f0e0d0c0b0a09080706050"


def refusal(b):
    """Clicks Start on the confirmation and returns the refusal shown under it."""
    b.driver.find_element("id", "confirm-start").click()
    b.wait("!document.getElementById('start-error').hidden", what="the start's refusal")
    assert b.phase() == "confirm", b.phase()
    return b.driver.find_element("id", "start-error").text


def discard_session(b):
    """On the start page's resume panel: discard the unfinished experiment, back to the form."""
    assert open_start(b) == "resume"
    b.driver.find_element("id", "resume-discard").click()
    b.driver.find_element("id", "discard-yes").click()
    b.wait_phase("form")


def test_same_number_in_a_second_browser(browser, api, small_stack):
    a = browser
    men = small_stack.men_pack_id
    p = person("held001", name="Kim Held")

    # Browser A starts with the number and answers two trials.
    open_start(a)
    confirm_details(a, p)
    start_experiment(a)
    token = session(a)["hold"]
    pairs = session(a)["pic_pairs"]
    assert 16 <= len(token) <= 64
    pass_instructions(a)
    shown = [answer_trial(a, i, KEYS[i], 250) for i in range(2)]

    # A reloads in the middle of trial 2 and resumes with the same token; its reminder waits
    # for the space bar (the trials would run on, timing out, while B is at work).
    wait_faces(a, 2)
    a.driver.refresh()
    a.wait("window.psyxState && window.psyxState.phase === 'instructions'", what="instructions after the reload")
    kept = session(a)
    assert kept["hold"] == token and len(kept["answers"]) == 2

    # Browser B, another Chromium with its own storage, starts with the same number: refused at once.
    b = Browser(small_stack.base, SHOTS)
    try:
        b.allow_console(REFUSED)
        assert open_start(b) == "form"
        q = person("held001", name="Lee Other", age=27, phone="010-9876-5432", email="other@example.com")
        confirm_details(b, q)
        text = refusal(b)
        assert IN_USE["en"] in text and "Participant Number In Use" in text, text
        b.shot("participant-held-number-en")
        switch_lang(b, "ko")
        text = b.driver.find_element("id", "start-error").text
        assert IN_USE["ko"] in text, text
        b.shot("participant-held-number-ko")
        switch_lang(b, "en")
        assert session(b) is None and api.replies_of(men, "held001") == []

        # The number can be corrected: the form keeps what was typed; another number starts.
        b.driver.find_element("id", "confirm-edit").click()
        b.wait_phase("form")
        assert b.driver.find_element("id", "f-name").get_attribute("value") == "Lee Other"
        assert b.driver.find_element("id", "f-no").get_attribute("value") == "held001"
        q = person("held002", name="Lee Other", age=27, phone="010-9876-5432", email="other@example.com")
        fill_form(b, q)
        b.driver.find_element("id", "form-next").click()
        b.wait_phase("confirm")
        start_experiment(b)
        assert session(b)["participant"]["no"] == "held002"

        # A goes on where it stopped and finishes: stored once, every answer as given.
        pass_instructions(a)
        shown += [answer_trial(a, i, KEYS[i], 250) for i in range(2, SMALL_PACK)]
        wait_done(a)
        (reply,) = api.replies_of(men, "held001")
        check_reply(reply, p, pairs, shown, KEYS)

        # Now the number has taken part: B (starting over) is told so, in either language.
        discard_session(b)
        confirm_details(b, person("held001", name="Lee Other", age=27))
        text = refusal(b)
        assert ALREADY["en"] in text and "Already Participated" in text, text
        switch_lang(b, "ko")
        assert ALREADY["ko"] in b.driver.find_element("id", "start-error").text
        b.shot("participant-held-number-already-ko")
        assert session(b) is None and len(api.replies_of(men, "held001")) == 1
    finally:
        check_and_quit(b)


def test_starting_over_keeps_the_hold(browser, api):
    """A discarded session's token is the page's again: the same browser starts over with its
    number, which stays held against a start with another token or none."""
    b = browser
    p = person("held003", name="Park Again")
    open_start(b)
    confirm_details(b, p)
    start_experiment(b)
    token = session(b)["hold"]
    discard_session(b)
    assert session(b) is None
    confirm_details(b, p)
    start_experiment(b)
    assert session(b)["hold"] == token
    for other in ({}, {"hold": "another-token-0123456789"}):
        answer = api.post_json("/api/reply/start", {**person("held003"), **other})
        assert answer.status == 400 and "Participant Number In Use" in answer.text, answer.text


@pytest.fixture(scope="module")
def short_hold_stack(tmp_path_factory, request):
    """A stack whose holds last HOLD_SECONDS (PSYX_HOLD_SECONDS), with the men's pack."""
    stack = Stack(pack_size=SMALL_PACK, hold_seconds=HOLD_SECONDS).up()
    try:
        folder = write_pack(tmp_path_factory.mktemp("short") / MEN_PACK["name"], SMALL_PACK)
        API(stack.base).create_pack(MEN_PACK["name"], MEN_PACK["sex"], MEN_PACK["age_min"], MEN_PACK["age_max"],
                                    folder)
        yield stack
    finally:
        stop_stack(stack, request.session)


def test_a_number_free_again_once_its_hold_ended(short_hold_stack):
    stack = short_hold_stack
    a = Browser(stack.base, SHOTS)
    b = Browser(stack.base, SHOTS)
    try:
        b.allow_console(REFUSED)
        # B waits on its confirmation while A starts with the same number.
        open_start(b)
        confirm_details(b, person("ended001", name="Lee Later"))
        open_start(a)
        confirm_details(a, person("ended001", name="Kim First"))
        start_experiment(a)
        started = time.monotonic()  # A's hold began before this
        assert IN_USE["en"] in refusal(b)
        assert time.monotonic() - started < HOLD_SECONDS, "too slow to see the hold"
        assert session(b) is None

        # Once the hold has ended, the same Start takes the number over.
        time.sleep(max(0.0, started + HOLD_SECONDS + 0.5 - time.monotonic()))
        start_experiment(b)
        s = session(b)
        assert s["participant"]["no"] == "ended001" and s["participant"]["name"] == "Lee Later"
    finally:
        check_and_quit(b)
        check_and_quit(a)


def test_same_prolific_id_in_a_second_browser(small_stack, api, tmp_path_factory):
    pack_id = make_pack(api, tmp_path_factory, *LINK_PACK, ask="", consent=CONSENT)
    p = {"sex": 2, "age": 64}

    def agree_and_confirm(b, path):
        assert open_link(b, path) == "consent"
        b.driver.find_element("id", "consent-agree").click()
        b.wait_phase("form")
        fill_visible(b, p)

    a = Browser(small_stack.base, SHOTS)
    b = Browser(small_stack.base, SHOTS, lang="ko-KR")
    try:
        b.allow_console(REFUSED)
        agree_and_confirm(a, link(LINK_PACK[0], PROLIFIC_PID=PROLIFIC, STUDY_ID="study-held"))
        start_experiment(a)
        assert stored_session(a)["participant"]["no"] == PROLIFIC

        # The same Prolific ID in another browser: refused at once, in Korean, nothing kept.
        agree_and_confirm(b, link(LINK_PACK[0], PROLIFIC_PID=PROLIFIC, STUDY_ID="study-held"))
        text = refusal(b)
        assert ID_IN_USE["ko"] in text and "Participant Number In Use" in text, text
        b.shot("pack-held-id-ko")
        switch_lang(b, "en")
        assert ID_IN_USE["en"] in b.driver.find_element("id", "start-error").text
        b.shot("pack-held-id-en")
        switch_lang(b, "ko")
        assert stored_session(b) is None and api.replies_of(pack_id, PROLIFIC) == []

        # Another person's ID on the same browser starts.
        agree_and_confirm(b, link(LINK_PACK[0], PROLIFIC_PID="60f0e0d0c0b0a09080706051"))
        start_experiment(b)
        assert stored_session(b)["participant"]["no"] == "60f0e0d0c0b0a09080706051"

        # A goes on undisturbed.
        pass_instructions(a)
        answer_trial(a, 0, "F", 250)
        assert len(stored_session(a)["answers"]) == 1
    finally:
        check_and_quit(b)
        check_and_quit(a)
