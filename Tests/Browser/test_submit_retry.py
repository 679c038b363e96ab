"""The submit survives the API going away: psyx is stopped just before the
last answer (Nginx stays up and answers 502), the page keeps retrying with
back-off, and once psyx is back the reply is stored exactly once."""

import re
import time

from conftest import SMALL_PACK, report
from images import write_pack
from participant import (answer_trial, confirm_details, open_start, pass_instructions, person, session,
                         start_experiment, wait_done, wait_faces)
from test_participant_flow import check_reply

KEYS = list("FFJJFJFJ")
SUBMIT_LINE = re.compile(r'"POST /api/reply/submit HTTP/[\d.]+" (\d{3}) ')


def submit_statuses(stack):
    return [int(m.group(1)) for line in stack.access_log() if (m := SUBMIT_LINE.search(line))]


def test_submit_retries_until_the_api_is_back(browser, api, small_stack):
    b = browser
    b.allow_console(r"/api/reply/submit .*status of 502")
    open_start(b)
    p = person("retry001", name="Alex Kim", age=21)
    confirm_details(b, p)
    start_experiment(b)
    pairs = session(b)["pic_pairs"]
    submission_id = session(b)["submission_id"]
    pass_instructions(b)
    shown = [answer_trial(b, i, KEYS[i], 150) for i in range(SMALL_PACK - 1)]
    before = submit_statuses(small_stack)

    last = SMALL_PACK - 1
    wait_faces(b, last)
    small_stack.stop_api()
    stopped_at = time.monotonic()
    try:
        shown.append(answer_trial(b, last, KEYS[last], 150))
        # Two failed attempts at least, the page saying it will try again.
        b.wait("window.psyxState.phase === 'submitting' && window.psyxState.submitAttempts >= 2 "
               "&& !document.getElementById('submit-detail').hidden", timeout=20, what="a second attempt")
        status = b.driver.find_element("id", "screen-submitting").text
        assert "502" in status, status
        b.shot("participant-11-submit-retrying")
        kept = session(b)
        assert kept is not None and len(kept["answers"]) == SMALL_PACK, "the answers must stay until confirmed"
        assert kept["submission_id"] == submission_id
    finally:
        small_stack.restart_api()
    down_for = time.monotonic() - stopped_at

    st = wait_done(b, timeout=60)
    b.shot("participant-12-saved-after-retries")
    assert session(b) is None

    statuses = submit_statuses(small_stack)[len(before):]
    assert statuses and statuses[-1] == 200 and all(s == 502 for s in statuses[:-1]), statuses
    assert len(statuses) == st["submitAttempts"] >= 3, (statuses, st)
    report(f"submit with the API down for {down_for:.1f} s: {len(statuses)} attempts, statuses {statuses}")

    replies = api.replies_of(small_stack.men_pack_id, "retry001")
    assert len(replies) == 1, f"{len(replies)} replies stored"
    check_reply(replies[0], p, pairs, shown, KEYS)


def test_refused_submit_says_not_saved_and_keeps_the_answers(browser, api, small_stack, tmp_path):
    """A 400 is final: the pack was deleted while the participant was at it.
    The page must say plainly that nothing was saved, and keep the answers."""
    folder = write_pack(tmp_path / "women50s", SMALL_PACK)
    api.create_pack("women50s", 2, 50, 59, folder)
    pack_id = api.pack_id("women50s")
    b = browser
    b.allow_console(r"/api/reply/submit .*status of 400")
    open_start(b)
    confirm_details(b, person("refused001", name="Park Mi-ja", sex=2, age=55))
    start_experiment(b)
    pass_instructions(b)
    for i in range(SMALL_PACK - 1):
        answer_trial(b, i, "F", 100)
    assert api.request("POST", f"/api/admin/remove?id={pack_id}").status == 200
    answer_trial(b, SMALL_PACK - 1, "J", 100)
    b.wait("window.psyxState.phase === 'error'", what="the error page")
    page = b.driver.find_element("id", "screen-error").text
    assert "NOT saved" in page and "kept in this browser" in page, page
    assert b.state()["submitAttempts"] == 1, "a 400 must not be retried"
    kept = session(b)
    assert kept is not None and len(kept["answers"]) == SMALL_PACK
    b.shot("participant-15-not-saved")
