"""A participant at the keyboard: the start page's form and confirmation,
the instructions, and trials answered with scripted keys and delays."""

import json
import time
import urllib.parse

SESSION_KEY = "psyx.session.v1"

# The faces of the current trial as the page shows them, read in the same
# moment the faces phase begins (onset set by the page's rAF callback).
FACES_TEST = """(() => {
  const s = window.psyxState;
  if (!s || s.phase !== 'faces' || s.trial !== %d || s.onset === null) return null;
  const l = document.querySelector('#slot-left img');
  const r = document.querySelector('#slot-right img');
  const faces = document.getElementById('faces');
  return {state: {...s}, left: l && l.getAttribute('src'), right: r && r.getAttribute('src'),
          decoded: !!(l && r && l.complete && r.complete && l.naturalWidth > 0 && r.naturalWidth > 0),
          visible: !faces.hidden && !document.getElementById('fixation').checkVisibility(),
          timeOrigin: performance.timeOrigin,
          progress: document.getElementById('progress-text').textContent};
})()"""


def person(no, name="김민준", age=25, sex=1, phone="010-1234-5678", email=None):
    return {"name": name, "email": email or f"{no}@example.com", "no": no, "sex": sex, "age": age,
            "phone": phone}


def fill_form(b, p):
    d = b.driver
    for field in ("name", "age", "no", "phone", "email"):
        box = d.find_element("id", f"f-{field}")
        box.clear()
        box.send_keys(str(p[field]))
    d.find_element("css selector", f'input[name="sex"][value="{p["sex"]}"]').click()


def open_start(b):
    b.open("/")
    return b.wait_phase("form", "resume", "blocked", "device")


def confirm_details(b, p, shot=None):
    """From the form to the confirmation step."""
    fill_form(b, p)
    b.driver.find_element("id", "form-next").click()
    b.wait_phase("confirm")
    if shot:
        b.shot(shot)


def start_experiment(b):
    """Confirms; the page calls /api/reply/start and moves to the experiment page."""
    b.driver.find_element("id", "confirm-start").click()
    b.wait("location.pathname.endsWith('/experiment.html') && window.psyxState "
           "&& window.psyxState.phase === 'instructions'", what="the experiment's instructions")


def session(b):
    raw = b.js(f"return localStorage.getItem({json.dumps(SESSION_KEY)})")
    return json.loads(raw) if raw else None


def pass_instructions(b, shot_prefix=None):
    """Presses the space bar through every instruction step; returns the steps' texts."""
    texts = []
    while True:
        st = b.state()
        assert st["phase"] == "instructions", st
        step = st["instructionStep"]
        assert step == len(texts), f"instruction step {step}, expected {len(texts)}"
        texts.append(b.driver.find_element("id", "screen-instructions").text)
        if shot_prefix:
            b.shot(f"{shot_prefix}-{step + 1}")
        b.press("space")
        b.wait("window.psyxState.phase !== 'instructions' || "
               f"window.psyxState.instructionStep !== {step}", what="the next instruction step")
        if b.state()["phase"] != "instructions":
            return texts


def file_of(src):
    return urllib.parse.unquote(src.rsplit("/", 1)[-1])


def wait_faces(b, trial, timeout=20):
    """Waits for trial `trial`'s faces; returns what was on screen, the onset
    and the page's clock when seen."""
    seen = b.wait(FACES_TEST % trial, timeout, what=f"the faces of trial {trial}")
    info = seen["value"]
    assert info["decoded"], f"trial {trial}: faces shown before both images were decoded: {info}"
    assert info["visible"], f"trial {trial}: faces hidden or the cross still visible: {info}"
    return {
        "onset": info["state"]["onset"],
        "seen_at": seen["now"],
        "left": file_of(info["left"]),
        "right": file_of(info["right"]),
        "left_src": info["left"],
        "state": info["state"],
        "time_origin": info["timeOrigin"],
        "progress": info["progress"],
    }


def answer_trial(b, trial, key, delay_ms=None, shot=None):
    """Waits for the faces of `trial`, then presses `key` `delay_ms` after their
    onset (at once when None), or leaves them alone when key is None (the
    time limit runs out). Returns what was shown and when the key was sent."""
    shown = wait_faces(b, trial)
    if shot:
        b.shot(shot)
    sent_at = None
    if key is not None:
        if delay_ms is not None:
            b.ensure_clock(shown["time_origin"])
            target = b.page_to_local(shown["onset"] + delay_ms)
            while True:
                left = target - time.monotonic()
                if left <= 0:
                    break
                time.sleep(left if left < 0.002 else left - 0.001)
        sent_at = b.local_now_in_page() if b.clock_offset_ms is not None else None
        b.press(key)
    b.wait(f"window.psyxState.answered > {trial} || window.psyxState.phase === 'error'",
           timeout=30, what=f"trial {trial} to be recorded")
    shown["key"] = key
    shown["sent_at"] = sent_at
    return shown


def wait_done(b, timeout=60):
    b.wait("window.psyxState && ['done', 'error'].includes(window.psyxState.phase)", timeout,
           what="the end page")
    st = b.state()
    assert st["phase"] == "done", f"the experiment ended in {st}: {b.driver.find_element('id', 'screen-error').text}"
    return st
