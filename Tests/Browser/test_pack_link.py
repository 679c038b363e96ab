"""A recruitment platform's participant link, `/?pack=NAME&PROLIFIC_PID=…`
(issue 20 items 1, 2, 3, 8, 9; PackSettings.md): the pack's consent first,
drawn from text nodes only; a declined consent ends politely with nothing
stored; an agreed one leads to a form with only the pack's fields (the
Prolific ID is the participant number); the IDs stay with the session over a
reload; and only after the submit's 200 does the page send the participant
back to the platform's completion URL (here a same-site address, so nothing
leaves the site). A closed or unknown pack, or a link with a bad ID, ends
before anything is asked."""

import calendar
import time
import urllib.parse

import pytest

from api import API
from browser import Browser
from conftest import SHOTS, SMALL_PACK, check_and_quit
from pack_links import (CONSENT, access_lines, api_requests, close_pack, fill_visible, link, local_storage,
                        make_pack, open_link, stored_session, switch_lang, visible_fields)
from participant import SESSION_KEY, answer_trial, pass_instructions, start_experiment

PACK = "plinkw"  # women 20–29: a Prolific study asking nothing but sex and age
CLOSED = "plinkc"  # women 30–39, closed
IDS = {"PROLIFIC_PID": "5f1e2d3c4b5a69788796a5b4", "STUDY_ID": "study-77", "SESSION_ID": "sess_0042"}
KEYS = list("FJFJJFFJ")


@pytest.fixture(scope="module")
def packs(small_stack, tmp_path_factory):
    api = API(small_stack.base)
    target = (f"{small_stack.base}/favicon.svg?done=1&pid={{PROLIFIC_PID}}&study={{STUDY_ID}}"
              f"&session={{SESSION_ID}}&worker={{workerId}}")
    ids = {
        "open": make_pack(api, tmp_path_factory, PACK, 2, 20, 29, ask="", consent=CONSENT,
                          question_en="Which face looks more like a friend of yours?",
                          question_ko="어느 얼굴이 친구와 더 닮았나요?", completion_url=target),
        "closed": make_pack(api, tmp_path_factory, CLOSED, 2, 30, 39, consent=CONSENT),
    }
    close_pack(api, ids["closed"])
    return ids


def test_prolific_link_consent_short_form_and_completion(browser, api, small_stack, packs):
    b = browser
    before = len(api.download(packs["open"])["replies"])

    # Consent first, the researcher's Markdown drawn as elements and text: no markup of theirs runs.
    assert open_link(b, link(PACK, **IDS)) == "consent"
    box = b.driver.find_element("id", "consent-text")
    assert "face perception" in box.find_element("css selector", "strong").text
    assert box.find_element("css selector", "em").text == "five minutes"
    assert [h.text for h in box.find_elements("css selector", "h2, h3")] == ["Consent to take part", "What happens"]
    assert len(box.find_elements("css selector", "li")) == 2
    assert "<script>window.psyxInjected = true</script>" in box.text and "<b>not bold</b>" in box.text
    assert not box.find_elements("css selector", "script, b") and not b.js("return window.psyxInjected === true")
    assert "friend of yours" in b.driver.find_element("id", "lead").text
    assert stored_session(b) is None
    b.shot("pack-consent-en")
    switch_lang(b, "ko")
    assert "연구 참여 동의" in b.driver.find_element("id", "consent-panel").text
    assert "친구와 더 닮았나요" in b.driver.find_element("id", "lead").text
    b.shot("pack-consent-ko")

    # Agree: a form of sex and age only; the Prolific ID is the number, shown, not asked.
    b.driver.find_element("id", "consent-agree").click()
    b.wait_phase("form")
    assert visible_fields(b) == ["age", "sex"], visible_fields(b)
    assert IDS["PROLIFIC_PID"] in b.driver.find_element("id", "platform-note").text
    b.shot("pack-form-ko")
    switch_lang(b, "en")
    b.shot("pack-form-en")
    p = {"sex": 2, "age": 24}
    agreed_before = time.time()
    fill_visible(b, p)
    confirm = b.driver.find_element("id", "confirm-list").text
    assert "Participant ID" in confirm and IDS["PROLIFIC_PID"] in confirm and "Name" not in confirm, confirm
    start_experiment(b)

    s = stored_session(b)
    assert s["participant"] == {"sex": 2, "age": 24, "no": IDS["PROLIFIC_PID"]}, s["participant"]
    assert s["recruitment"] == IDS and s["pack_name"] == PACK
    assert len(s["hold"]) >= 16 and s["consent"]["version"] == s["consent_version"] != ""
    assert s["consent"]["at"].endswith("Z")
    (start_url,) = api_requests(b, "/api/reply/start")
    steps = pass_instructions(b)
    assert "Which face looks more like a friend of yours?" in steps[0], steps[0]

    # A reload in the middle resumes with the same IDs, consent and hold.
    shown = [answer_trial(b, i, KEYS[i], 250) for i in range(3)]
    b.driver.refresh()
    b.wait("window.psyxState && window.psyxState.phase === 'instructions'", what="instructions after the reload")
    kept = stored_session(b)
    for field in ("recruitment", "consent", "hold", "submission_id", "participant"):
        assert kept[field] == s[field], f"{field} changed over the reload"
    assert len(kept["answers"]) == 3
    # So does the start page, opened again from the link: no name was asked, so none is shown.
    assert open_link(b, link(PACK, **IDS)) == "resume"
    assert "answered 3 of 8 pairs" in b.driver.find_element("id", "resume-text").text
    b.shot("pack-resume-en")
    b.driver.find_element("id", "resume-go").click()
    b.wait("window.psyxState && window.psyxState.phase === 'instructions'", what="instructions after resuming")
    assert stored_session(b)["recruitment"] == IDS
    pass_instructions(b)
    shown += [answer_trial(b, i, KEYS[i], 250) for i in range(3, SMALL_PACK)]

    # Saved, then (and only then) the completion URL with the IDs filled in. The platform is played
    # by a same-site file, so nothing leaves the site; showing it alone, Chromium asks for /favicon.ico.
    b.allow_console(r"/favicon\.ico - Failed to load resource.*404")
    b.wait("document.body.dataset.completion === 'url'", timeout=60, what="the redirect notice")
    href = b.driver.find_element("id", "done-link").get_attribute("href")
    b.shot("pack-completion-redirect-en", full=False)
    b.wait("location.pathname === '/favicon.svg'", timeout=20, what="the redirect to the completion URL")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(b.driver.current_url).query, keep_blank_values=True)
    assert query == {"done": ["1"], "pid": [IDS["PROLIFIC_PID"]], "study": [IDS["STUDY_ID"]],
                     "session": [IDS["SESSION_ID"]], "worker": [""]}, query
    assert b.driver.current_url == href
    log = small_stack.access_log()
    submit = [i for i, line in enumerate(log) if '"POST /api/reply/submit ' in line and '" 200 ' in line]
    asked = [i for i, line in enumerate(log) if '"GET /api/reply/completion ' in line]
    landed = [i for i, line in enumerate(log) if '"GET /favicon.svg ' in line]
    assert submit and asked and landed and submit[-1] < asked[-1] < landed[-1], \
        "the completion was asked for, or the platform reached, before the submit's 200"
    assert not [line for line in log if "5f1e2d3c4b5a69788796a5b4" in line], \
        "a participant ID reached the access log (the link's query string or a Referer)"

    # Stored: the Prolific ID as the number, the IDs, the consent, nothing not asked.
    replies = api.download(packs["open"])["replies"]
    assert len(replies) == before + 1
    (reply,) = [r for r in replies if r["no"] == IDS["PROLIFIC_PID"]]
    assert (reply["name"], reply["email"], reply["phone"]) == ("", "", "")
    assert reply["recruitment"] == IDS, reply["recruitment"]
    assert reply["consent_version"] == s["consent"]["version"]
    consented = reply["consented_at"]
    assert consented[:19] == s["consent"]["at"][:19], (consented, s["consent"]["at"])
    at = calendar.timegm(time.strptime(s["consent"]["at"], "%Y-%m-%dT%H:%M:%SZ"))
    assert agreed_before - 120 < at < time.time() + 5, f"agreed at {s['consent']['at']}"
    assert reply.get("input", "keys") == "keys"
    assert [a[0] for a in reply["answers"]] == KEYS
    assert [(a[2], a[3]) for a in reply["answers"]] == [(x["left"], x["right"]) for x in shown]
    assert stored_session(b) is None and start_url


def test_declining_stores_nothing(small_stack, api, packs):
    before = len(api.download(packs["open"])["replies"])
    for lang in ("en-US", "ko-KR"):
        b = Browser(small_stack.base, SHOTS, lang=lang)
        try:
            assert open_link(b, link(PACK, **IDS)) == "consent"
            b.driver.find_element("id", "consent-decline").click()
            b.wait_phase("declined")
            text = b.driver.find_element("id", "link-panel").text
            assert ("Nothing has been stored" in text) if lang == "en-US" else ("아무것도 저장되지 않았습니다" in text)
            assert b.driver.find_element("id", "link-platform").is_displayed(), "no word on returning the study"
            assert not b.driver.find_element("id", "details-form").is_displayed()
            assert local_storage(b) == {}, local_storage(b)
            assert b.js("return sessionStorage.length") == 0
            assert not api_requests(b, "/api/reply/start")
            b.shot(f"pack-declined-{lang[:2]}")
        finally:
            check_and_quit(b)
    assert len(api.download(packs["open"])["replies"]) == before


def test_closed_unknown_and_bad_links_end_before_anything_is_asked(small_stack, packs):
    for lang, closed_words in (("en-US", "This study is closed"), ("ko-KR", "이 실험은 마감되었습니다")):
        b = Browser(small_stack.base, SHOTS, lang=lang)
        try:
            assert open_link(b, link(CLOSED, **IDS)) == "closed"
            assert closed_words in b.driver.find_element("id", "link-panel").text
            assert not b.driver.find_element("id", "consent-panel").is_displayed()
            b.shot(f"pack-closed-{lang[:2]}")
            assert open_link(b, link("nosuchpack")) == "unknown"
            assert "nosuchpack" in b.driver.find_element("id", "link-text").text
            assert open_link(b, link(PACK, PROLIFIC_PID="{{%PROLIFIC_PID%}}")) == "link"
            assert "PROLIFIC_PID" in b.driver.find_element("id", "link-text").text
            b.shot(f"pack-bad-link-{lang[:2]}")
            assert not api_requests(b, "/api/reply/start") and local_storage(b) in ({}, {"psyx.lang": lang[:2]})
        finally:
            b.allow_console(r"/api/reply/pack\?name=nosuchpack .*status of 400")
            check_and_quit(b)


def test_one_hold_token_per_session(browser):
    """The token that holds the number at start is made once and sent with every start of the
    session (a refused start, then the one that succeeds), then kept with the stored session."""
    b = browser
    assert open_link(b, link(PROLIFIC_PID="holdpid001")) == "form"
    assert "no" not in visible_fields(b), "a platform ID replaces the participant number on / too"
    b.allow_console(r"/api/reply/start .*status of 400")
    fill_visible(b, {"name": "Hold Test", "age": 90, "sex": 1, "phone": "010-1111-2222",
                     "email": "hold@example.com"})
    b.driver.find_element("id", "confirm-start").click()
    b.wait("!document.getElementById('start-error').hidden", what="the refusal")
    token = b.js("return sessionStorage.getItem('psyx.hold.v1')")
    assert token and 16 <= len(token) <= 64 and stored_session(b) is None
    b.driver.find_element("id", "confirm-edit").click()
    b.wait_phase("form")
    b.driver.find_element("id", "f-age").clear()
    b.driver.find_element("id", "f-age").send_keys("25")
    b.driver.find_element("id", "form-next").click()
    b.wait_phase("confirm")
    start_experiment(b)
    s = stored_session(b)
    assert s["hold"] == token and s["participant"]["no"] == "holdpid001"
    assert s["recruitment"] == {"PROLIFIC_PID": "holdpid001"}
    assert b.js("return sessionStorage.getItem('psyx.hold.v1')") is None
