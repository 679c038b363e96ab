"""The end of a reply for a recruitment platform, and the consent of a pack
matched without a participant link (issue 20 items 3, 8, 9; PackSettings.md):
a pack with a completion code shows it, as text, once the reply is saved; a
pack matched on `/` with consent text shows it after the start and before the
first trial, and the details that pack does not ask never reach the submit."""

import pytest

from api import API
from conftest import SMALL_PACK
from pack_links import CONSENT, fill_visible, link, make_pack, open_link, stored_session, switch_lang, visible_fields
from participant import (answer_trial, confirm_details, open_start, pass_instructions, person, start_experiment,
                         wait_done)

CODE = "PSYX-42_done"


@pytest.fixture(scope="module")
def packs(small_stack, tmp_path_factory):
    api = API(small_stack.base)
    return {
        # SONA-style: the code to copy, every detail asked but name and phone.
        "code": make_pack(api, tmp_path_factory, "pcode", 2, 40, 49, ask="no,email", completion_code=CODE),
        # Matched on `/` (men 40–49): consent, and only name and number asked.
        "consent": make_pack(api, tmp_path_factory, "pconsent", 1, 40, 49, ask="name,no", consent=CONSENT),
    }


def run_trials(b, keys="FJFJFJFJ"):
    pass_instructions(b)
    return [answer_trial(b, i, keys[i], 200) for i in range(SMALL_PACK)]


def test_completion_code_is_shown_after_the_save(browser, api, packs):
    b = browser
    assert open_link(b, link("pcode")) == "form"
    assert visible_fields(b) == ["age", "sex", "no", "email"], visible_fields(b)
    p = {"sex": 2, "age": 44, "no": "code001", "email": "code001@example.com"}
    fill_visible(b, p)
    start_experiment(b)
    assert stored_session(b)["participant"] == p
    run_trials(b)
    wait_done(b)
    b.wait("document.body.dataset.completion === 'code'", what="the completion code")
    assert b.driver.find_element("id", "done-code").text == CODE
    assert not b.driver.find_element("id", "done-redirect").is_displayed()
    assert "code on the study site" in b.driver.find_element("id", "screen-done").text
    assert b.state()["completion"] == {"kind": "code", "code": CODE}
    b.shot("completion-code-en")
    switch_lang(b, "ko")
    assert "완료 코드" in b.driver.find_element("id", "screen-done").text
    assert b.driver.find_element("id", "done-code").text == CODE
    b.shot("completion-code-ko")
    (reply,) = api.replies_of(packs["code"], "code001")
    assert (reply["name"], reply["phone"], reply["email"]) == ("", "", "code001@example.com")


def test_consent_of_a_matched_pack_comes_before_the_first_trial(browser, api, packs):
    b = browser
    assert open_start(b) == "form"
    assert visible_fields(b) == ["name", "age", "sex", "no", "phone", "email"], "the `/` form changed"

    # Someone who declines: the session leaves the browser, nothing is stored.
    confirm_details(b, person("consent000", age=41))
    start_experiment_consent(b)
    b.driver.find_element("id", "consent-decline").click()
    b.wait_phase("declined")
    assert stored_session(b) is None
    assert "Nothing has been stored" in b.driver.find_element("id", "screen-declined").text
    b.shot("exp-declined-en")
    assert api.replies_of(packs["consent"], "consent000") == []

    # Someone who agrees.
    assert open_start(b) == "form"
    p = person("consent001", age=45)
    confirm_details(b, p)
    start_experiment_consent(b)
    s = stored_session(b)
    assert s["participant"] == {"name": p["name"], "no": p["no"], "sex": 1, "age": 45}, \
        "details the pack does not ask were kept for the submit"
    assert s["consent"] is None and s["consent_version"]
    screen = b.driver.find_element("id", "screen-consent")
    assert "face perception" in screen.find_element("css selector", "strong").text
    b.shot("exp-consent-en")
    switch_lang(b, "ko")
    assert "연구 참여 동의" in screen.text
    b.shot("exp-consent-ko")
    switch_lang(b, "en")
    b.driver.find_element("id", "consent-agree").click()
    b.wait("window.psyxState.phase === 'instructions'", what="the instructions after the consent")
    agreed = stored_session(b)["consent"]
    assert agreed["version"] == s["consent_version"]

    # A reload now does not ask again.
    b.driver.refresh()
    b.wait("window.psyxState && window.psyxState.phase === 'instructions'", what="instructions after the reload")
    run_trials(b)
    wait_done(b)
    b.wait("document.body.dataset.completion === 'none'", what="the usual thanks")
    assert b.driver.find_element("id", "done-end").is_displayed()
    (reply,) = api.replies_of(packs["consent"], "consent001")
    assert (reply["name"], reply["email"], reply["phone"]) == (p["name"], "", "")
    assert reply["consent_version"] == agreed["version"] and reply["consented_at"][:19] == agreed["at"][:19]


def start_experiment_consent(b):
    b.driver.find_element("id", "confirm-start").click()
    b.wait("location.pathname.endsWith('/experiment.html') && window.psyxState "
           "&& window.psyxState.phase === 'consent' && !document.getElementById('consent-agree').hidden",
           what="the consent before the first trial")
