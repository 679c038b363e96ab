"""The whole participant flow in a real browser, with scripted key presses;
the stored reply is then read back through the admin download API: every
pair once, sides as shown on screen, keys as pressed, and the CSV's chosen
face the one on the pressed key's side."""

from collections import Counter

from conftest import SMALL_PACK
from images import pair_of
from participant import (answer_trial, confirm_details, open_start, pass_instructions, person,
                         session, start_experiment, wait_done)

KEYS = list("FJJFJFFJ")
DELAYS = [420, 310, 650, 280, 530, 360, 470, 390]


def check_reply(reply, p, session_pairs, shown, keys):
    """The stored reply against what the participant saw and pressed."""
    for field in ("name", "email", "no", "sex", "age", "phone"):
        assert reply[field] == p[field], f"{field}: stored {reply[field]!r}, typed {p[field]!r}"
    assert reply["layout"] == "key,rt,left,right", reply["layout"]
    answers = reply["answers"]
    assert len(answers) == len(session_pairs) == len(shown) == len(keys)
    for i, (answer, seen, key) in enumerate(zip(answers, shown, keys)):
        stored_key, rt, left, right = answer
        assert (left, right) == (seen["left"], seen["right"]), \
            f"trial {i}: stored {left} | {right}, shown {seen['left']} | {seen['right']}"
        assert [left, right] == session_pairs[i], f"trial {i}: not the pair the server gave for this position"
        assert stored_key == key, f"trial {i}: stored key {stored_key!r}, pressed {key!r}"
        assert 0 <= rt <= 3.0, f"trial {i}: rt {rt}"
    # Every pair of the pack exactly once, one ori and one inv image each.
    numbers = Counter()
    for _, _, left, right in answers:
        (n1, k1), (n2, k2) = pair_of(left), pair_of(right)
        assert n1 == n2 and {k1, k2} == {"ori", "inv"}, f"not one pair: {left} {right}"
        numbers[n1] += 1
    missing = set(range(1, len(session_pairs) + 1)) - set(numbers)
    repeated = {n: c for n, c in numbers.items() if c != 1}
    assert not missing and not repeated and len(numbers) == len(session_pairs), \
        f"pairs missing {sorted(missing)}, repeated {repeated}, in all {len(numbers)}"


def test_participant_flow(browser, api, small_stack):
    b = browser

    # The experiment page with no experiment begun says so.
    b.open("/experiment.html")
    b.wait_phase("error")
    assert "start page" in b.driver.find_element("id", "screen-error").text
    b.shot("participant-00-no-session")

    # The start page, in English (the browser's language) and in Korean.
    assert open_start(b) == "form"
    b.shot("participant-01-form")
    b.driver.find_element("css selector", '.lang-switch [data-lang="ko"]').click()
    b.wait("document.documentElement.lang === 'ko'")
    assert "이름" in b.driver.find_element("id", "details-form").text
    b.shot("participant-01-form-ko")
    b.driver.find_element("css selector", '.lang-switch [data-lang="en"]').click()
    b.wait("document.documentElement.lang === 'en'")

    # Nothing typed: every field says what is missing, in the page.
    b.driver.find_element("id", "form-next").click()
    b.wait("!document.getElementById('e-name').hidden && !document.getElementById('e-email').hidden")
    assert b.phase() == "form"
    b.shot("participant-02-form-errors")

    # No pack for a 90-year-old: the server's refusal is shown next to the confirmation.
    p = person("flow001", age=90)
    b.allow_console(r"/api/reply/start .*status of 400")
    confirm_details(b, p, shot="participant-03-confirm")
    assert "김민준" in b.driver.find_element("id", "confirm-list").text
    b.driver.find_element("id", "confirm-start").click()
    b.wait("!document.getElementById('start-error').hidden", what="the start error")
    error = b.driver.find_element("id", "start-error").text
    assert "No Suitable Pack for You" in error, error
    assert b.phase() == "confirm"
    b.shot("participant-04-no-pack")

    # Edit: the form keeps what was typed; with age 25 the experiment starts.
    b.driver.find_element("id", "confirm-edit").click()
    b.wait_phase("form")
    assert b.driver.find_element("id", "f-name").get_attribute("value") == "김민준"
    p = person("flow001", age=25)
    confirm_details(b, p)
    start_experiment(b)
    stored = session(b)
    assert stored["participant"] == p and stored["answers"] == []
    assert len(stored["pic_pairs"]) == SMALL_PACK

    steps = pass_instructions(b, shot_prefix="participant-05-instructions")
    assert len(steps) == 4
    assert f"{SMALL_PACK} pairs" in steps[0] and "F" in steps[1] and "J" in steps[1], steps
    assert "3 seconds" in steps[2], "the pack's time limit is not in the instructions"

    b.wait("!document.getElementById('fixation').hidden", what="the fixation cross")
    b.shot("participant-06-fixation")
    shown = []
    for i, (key, delay) in enumerate(zip(KEYS, DELAYS)):
        shown.append(answer_trial(b, i, key, delay, shot="participant-07-faces" if i == 0 else None))
        assert shown[i]["progress"] == f"{i + 1} / {SMALL_PACK}"
        if i < len(KEYS) - 1:  # after the last one the submit may already have cleared it
            kept = session(b)
            assert kept is not None and len(kept["answers"]) == i + 1, "progress not kept after the trial"
    wait_done(b)
    b.shot("participant-08-done")
    assert "saved" in b.driver.find_element("id", "screen-done").text
    assert session(b) is None, "the session stays in localStorage after the server confirmed"

    replies = api.replies_of(small_stack.men_pack_id, "flow001")
    assert len(replies) == 1, f"{len(replies)} replies stored"
    check_reply(replies[0], p, stored["pic_pairs"], shown, KEYS)
    rows = api.csv_rows(small_stack.men_pack_id, replies[0]["r_id"])
    assert len(rows) == len(KEYS)
    for i, (row, seen, key) in enumerate(zip(rows, shown, KEYS)):
        face = seen["left"] if key == "F" else seen["right"]
        assert (row["left"], row["chosen"]) == (seen["left"], face), f"trial {i}: {row}, shown {seen}"
        assert row["response"] == ("1" if "_ori." in face else "-1"), f"trial {i}: {row}"

    # Back on the start page, the form is empty again (nothing to resume).
    assert open_start(b) == "form"
