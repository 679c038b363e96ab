"""Progress survives the browser: a reload in the middle of a trial resumes at
that trial, a closed tab reopened from the start page resumes where it
stopped, and the final reply has every pair exactly once, in the server's
order, with the keys pressed last for each."""

from conftest import SMALL_PACK
from participant import (answer_trial, confirm_details, open_start, pass_instructions, person, session,
                         start_experiment, wait_done, wait_faces)
from test_participant_flow import check_reply

KEYS = list("JFFJFJJF")


def test_reload_and_closed_tab_resume(browser, api, small_stack):
    b = browser
    open_start(b)
    p = person("resume001", name="이서연", sex=1, age=29)
    confirm_details(b, p)
    start_experiment(b)
    pairs = session(b)["pic_pairs"]
    pass_instructions(b)

    shown = {}
    for i in range(3):
        shown[i] = answer_trial(b, i, KEYS[i], 200)

    # Reload while the faces of trial 3 are on screen: that trial was not
    # answered, so the page comes back to it after a short reminder.
    wait_faces(b, 3)
    b.driver.refresh()
    b.wait("window.psyxState && window.psyxState.phase === 'instructions'", what="instructions after the reload")
    st = b.state()
    assert (st["answered"], st["trial"], st["total"]) == (3, 3, SMALL_PACK), st
    assert st["instructionStep"] == 0
    assert "resum" in b.driver.find_element("id", "instr-title").text.lower() or \
        "4" in b.driver.find_element("id", "screen-instructions").text
    b.shot("participant-09-resume-after-reload")
    # The rest in Korean: the switch works mid-experiment and is remembered.
    b.driver.find_element("css selector", '.lang-switch [data-lang="ko"]').click()
    b.wait("document.documentElement.lang === 'ko'")
    b.shot("participant-09-resume-after-reload-ko")
    kept = session(b)
    assert kept["pic_pairs"] == pairs and len(kept["answers"]) == 3
    assert len(pass_instructions(b)) == 3, "a resume has its own short reminder (3 steps)"
    for i in range(3, 5):
        shown[i] = answer_trial(b, i, KEYS[i], 200)

    # The tab is closed during trial 5 and the link opened again later.
    wait_faces(b, 5)
    old = b.driver.current_window_handle
    b.driver.switch_to.new_window("tab")
    new = b.driver.current_window_handle
    b.driver.switch_to.window(old)
    b.driver.close()
    b.driver.switch_to.window(new)
    assert open_start(b) == "resume"
    assert b.js("return document.documentElement.lang") == "ko"
    text = b.driver.find_element("id", "resume-panel").text
    assert "5" in text and str(SMALL_PACK) in text and "이서연" in text, text
    b.shot("participant-10-resume-panel")
    b.driver.find_element("id", "resume-go").click()
    b.wait("window.psyxState && window.psyxState.phase === 'instructions'", what="instructions after reopening")
    assert b.state()["answered"] == 5
    pass_instructions(b)
    for i in range(5, SMALL_PACK):
        shown[i] = answer_trial(b, i, KEYS[i], 200)
    wait_done(b)

    (reply,) = api.replies_of(small_stack.men_pack_id, "resume001")
    check_reply(reply, p, pairs, [shown[i] for i in range(SMALL_PACK)], KEYS)
