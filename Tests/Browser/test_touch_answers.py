"""Answers by tapping a face (issue 21; PackSettings.md `touch`): on an
emulated touch phone a pack that allows it is let through the device check,
a tap on a face (Input.dispatchTouchEvent at scripted delays after the onset)
chooses that face, its rt comes from the pointer event's timeStamp on the
onset's clock, and the submit says `input: "touch"`. A pack without `touch`
still refuses a touch-only device, before anything is asked or stored."""

import time

import pytest

from api import API
from browser import Browser
from conftest import MEN_PACK, SHOTS, SMALL_PACK, check_and_quit, report
from pack_links import api_requests, fill_visible, link, local_storage, make_pack, open_link, stored_session
from participant import pass_instructions, start_experiment, wait_done, wait_faces
from test_device_check import touch_phone

PACK = "ptouch"  # men 30–39
TOLERANCE_MS = 60
PLAN = [("F", 400), ("J", 700), ("J", 350), ("F", 900), ("F", 500), ("J", 600), ("F", 450), ("J", 800)]


@pytest.fixture(scope="module")
def touch_pack(small_stack, tmp_path_factory):
    api = API(small_stack.base)
    return make_pack(api, tmp_path_factory, PACK, 1, 30, 39, touch="1", time_limit="4",
                     question_en="Which face looks friendlier?", question_ko="어느 얼굴이 더 친근해 보이나요?")


def centre(b, selector):
    return b.js("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                "return [r.left + r.width / 2, r.top + r.height / 2];", selector)


def tap_at(b, point):
    b.cdp("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": point[0], "y": point[1]}]})
    b.cdp("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_tapping_faces_on_a_phone(small_stack, api, touch_pack):
    b = Browser(small_stack.base, SHOTS)
    try:
        touch_phone(b)
        assert open_link(b, link(PACK)) == "form", "a touch pack must let a touch-only phone through"
        p = {"name": "박지훈", "age": 33, "sex": 1, "no": "touch001", "phone": "010-2222-3333",
             "email": "touch001@example.com"}
        fill_visible(b, p)
        assert "tap the face" in b.driver.find_element("id", "confirm-panel").text
        start_experiment(b)
        assert b.state()["touch"] is True and b.state()["timeLimit"] == 4
        text = b.driver.find_element("id", "screen-instructions").text
        assert "Which face looks friendlier?" in text, text
        assert "Tap the button below" in text and "space bar" not in text, "a phone has no space bar"
        assert b.js("return document.body.classList.contains('tap')"), "key hints are shown on a phone"
        b.shot("touch-instructions-phone", full=False)
        # Through the instructions by tapping "Next" (no keyboard on a phone).
        while b.state()["phase"] == "instructions":
            step = b.state()["instructionStep"]
            if "Tap the face" in b.driver.find_element("id", "instr-body").text:
                b.shot("touch-instructions-tap-phone", full=False)
            tap_at(b, centre(b, "#instr-next"))
            b.wait(f"window.psyxState.phase !== 'instructions' || window.psyxState.instructionStep !== {step}")

        b.sync_clock()
        shown = []
        for i, (side, delay) in enumerate(PLAN):
            seen = wait_faces(b, i)
            if i == 0:
                b.shot("touch-faces-phone", full=False)
                assert not b.driver.find_element("css selector", ".keyhint").is_displayed()
            point = centre(b, "#slot-left" if side == "F" else "#slot-right")
            b.ensure_clock(seen["time_origin"])
            target = b.page_to_local(seen["onset"] + delay)
            while (left := target - time.monotonic()) > 0:
                time.sleep(left if left < 0.002 else left - 0.001)
            seen["sent_at"] = b.local_now_in_page()
            tap_at(b, point)
            b.wait(f"window.psyxState.answered > {i}", what=f"trial {i} to be recorded")
            if i < SMALL_PACK - 1:  # after the last one the submit may already have cleared it
                assert stored_session(b)["touched"] is True
            shown.append(seen)
        wait_done(b)

        (reply,) = api.replies_of(touch_pack, "touch001")
        assert reply["input"] == "touch", reply.get("input")
        errors = []
        for i, ((side, delay), answer, seen) in enumerate(zip(PLAN, reply["answers"], shown)):
            key, rt, left, right = answer
            assert (left, right) == (seen["left"], seen["right"]), f"trial {i}: sides differ from the screen"
            assert key == side, f"trial {i}: tapped the {side} face, stored {key!r}"
            errors.append(rt * 1000 - delay)
        report("touch answers: rt - scripted delay (ms): " + ", ".join(f"{e:+.0f}" for e in errors))
        bad = [(i, e) for i, e in enumerate(errors) if not -5 <= e <= TOLERANCE_MS]
        assert not bad, f"rt off by more than {TOLERANCE_MS} ms (or early): {bad}"
    finally:
        check_and_quit(b)


def test_a_keyboard_pack_still_refuses_a_touch_only_phone(small_stack, touch_pack):
    b = Browser(small_stack.base, SHOTS, lang="ko-KR")
    try:
        touch_phone(b)
        assert open_link(b, link(MEN_PACK["name"])) == "device"
        assert "키보드가 있는 컴퓨터" in b.driver.find_element("id", "device-problem").text
        assert not b.driver.find_element("id", "details-form").is_displayed()
        assert not api_requests(b, "/api/reply/start") and local_storage(b) == {}
        assert open_link(b, "/") == "device"
    finally:
        check_and_quit(b)
