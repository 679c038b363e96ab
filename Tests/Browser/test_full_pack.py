"""One run at full size: a 300-pair pack (600 images) uploaded through the
admin page, then the whole participant flow answered as fast as the page
allows (each key at once when the faces appear), and the stored reply
checked pair by pair. About four minutes: the page's own blank and fixation
take 750 ms per trial."""

import random
import time

import pytest

from api import API
from conftest import browser_on, report, stack_of
from images import write_pack
from participant import answer_trial, confirm_details, open_start, pass_instructions, person, session, start_experiment, wait_done
from test_admin_page import admin_url, fill_upload_form
from test_participant_flow import check_reply

PAIRS = 300

pytestmark = pytest.mark.full_pack


@pytest.fixture(scope="module")
def full_stack(request):
    yield from stack_of(PAIRS, request)


@pytest.fixture
def full_browser(full_stack):
    yield from browser_on(full_stack)


def test_full_pack_of_300_pairs(full_browser, full_stack, tmp_path):
    b = full_browser
    api = API(full_stack.base)

    # Upload through the page.
    folder = write_pack(tmp_path / "women20s", PAIRS)
    b.open(admin_url(full_stack))
    b.wait("document.body.dataset.list === 'ready'", what="the pack list")
    fill_upload_form(b, None, 2, 20, 29, folder)
    assert f"{PAIRS} complete pairs" in b.driver.find_element("id", "u-files-summary").text
    b.driver.find_element("id", "upload-start").click()
    b.wait("['done', 'error'].includes(document.getElementById('upload').dataset.state)", timeout=120,
           what="the end of the upload")
    assert b.driver.find_element("id", "upload-percent").text == "100 %"
    result = b.driver.find_element("id", "upload-result").text
    pack_id = api.pack_id("women20s")
    assert result == f"Pack {pack_id} Added.", result
    b.shot("admin-08-uploaded-300-pairs")

    # The participant, answering each pair as soon as it appears.
    open_start(b)
    p = person("full300", name="박지민", sex=2, age=24)
    confirm_details(b, p)
    start_experiment(b)
    pairs = session(b)["pic_pairs"]
    assert len(pairs) == PAIRS
    pass_instructions(b)
    keys = random.Random(300).choices("FJ", k=PAIRS)
    shown = []
    started = time.monotonic()
    for i, key in enumerate(keys):
        shown.append(answer_trial(b, i, key, shot="participant-13-faces-300-pairs" if i == PAIRS // 2 else None))
        assert shown[i]["progress"] == f"{i + 1} / {PAIRS}", f"trial {i}: progress {shown[i]['progress']!r}"
    wait_done(b)
    elapsed = time.monotonic() - started
    report(f"{PAIRS} pairs answered in {elapsed:.0f} s ({elapsed / PAIRS * 1000:.0f} ms per trial)")

    (reply,) = api.replies_of(pack_id, "full300")
    check_reply(reply, p, pairs, shown, keys)
