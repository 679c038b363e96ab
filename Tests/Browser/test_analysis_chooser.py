"""The admin page's classification-image card on a stack that starts with no
packs: the pack chooser follows packs added and removed after the page
loaded (an upload through the page, and packs made and removed through the
API followed by either Refresh), a pack uploaded with its base face shows
which face its picture is drawn over, and the rcicr download link."""

import csv
import io
import json

import pytest

from api import API
from conftest import SMALL_PACK, browser_on, stack_of
from images import base_face, write_pack
from participant import person
from stack import ADMIN_PASSWORD, ADMIN_USER
from test_admin_page import fill_upload_form

CHOOSER = "Array.from(document.querySelectorAll('#analysis-pack option'), o => o.textContent)"


@pytest.fixture
def empty_page(request):
    """psyx + Nginx with PSYX_PACK_SIZE=8 and no pack at all, for this test alone, and a browser on it."""
    for stack in stack_of(SMALL_PACK, request):
        for b in browser_on(stack):
            yield stack, b


def offered(b):
    """The chooser's pack names (the first option is the prompt)."""
    return [text.split(" · ", 1)[1].split(" (", 1)[0] for text in b.js(f"return {CHOOSER}")[1:]]


def wait_offered(b, names, what):
    expected = json.dumps(json.dumps(list(names), separators=(",", ":")))
    b.wait(f"(() => {{ const o = {CHOOSER}.slice(1).map(t => t.split(' · ')[1].split(' (')[0]);"
           f" return JSON.stringify(o) === {expected}; }})()", what=what)
    assert offered(b) == list(names)


def test_chooser_follows_packs_added_and_removed(empty_page, tmp_path):
    empty_stack, b = empty_page
    api = API(empty_stack.base)
    b.open(f"http://{ADMIN_USER}:{ADMIN_PASSWORD}@127.0.0.1:{empty_stack.port}/admin/")
    b.wait("document.body.dataset.list === 'ready' && document.getElementById('analysis')", what="the admin page")
    assert offered(b) == [], "no pack yet"

    # The first pack, uploaded through the page with its base face: offered as soon as the list shows it.
    folder = write_pack(tmp_path / "firsts", SMALL_PACK)
    base_face().save(folder / "base.jpg", quality=95)
    fill_upload_form(b, None, 2, 30, 39, folder)
    summary = b.driver.find_element("id", "u-files-summary").text
    assert "base face base.jpg" in summary, summary
    b.driver.find_element("id", "upload-start").click()
    b.wait("document.getElementById('upload').dataset.state === 'done'", timeout=60, what="the upload")
    assert (empty_stack.data_dir / "packs" / "firsts" / "base.jpg").exists(), "the page did not send the base face"
    wait_offered(b, ["firsts"], "the uploaded pack in the chooser")
    b.shot("admin-09-chooser-after-upload")

    # A pack made through the API appears after the list's Refresh.
    other = write_pack(tmp_path / "others", SMALL_PACK)
    api.create_pack("others", 1, 40, 49, other)
    b.driver.find_element("id", "refresh").click()
    wait_offered(b, ["firsts", "others"], "the API's pack after the list's Refresh")

    # The first pack, with a reply, shown: its picture says it is drawn over the uploaded base face.
    api.reply_without_pages(person("chooser01", name="Lee Seo-yeon", sex=2, age=33))
    first_id = api.pack_id("firsts")
    b.driver.find_element("id", "analysis-refresh").click()
    b.wait(f"document.querySelector('#analysis-pack option[value=\"{first_id}\"]')?.textContent.endsWith('(1)')",
           what="the reply count in the chooser")
    b.js("const s = document.getElementById('analysis-pack'); s.value = arguments[0];"
         " s.dispatchEvent(new Event('change'));", str(first_id))
    b.wait("document.getElementById('analysis').dataset.state === 'ready'", timeout=60, what="the classification image")
    note = b.driver.find_element("css selector", "#analysis .analysis-base").text
    assert note == "Drawn over the uploaded base face base.jpg.", note
    b.shot("admin-10-analysis-uploaded-base")

    # The rcicr link: the answered trials, with the participant's number.
    href = b.driver.find_element("css selector", f'#pack-rows tr[data-id="{first_id}"] a[download="{first_id}-rcicr.csv"]') \
        .get_attribute("href")
    answer = api.request("GET", href.replace(f"{ADMIN_USER}:{ADMIN_PASSWORD}@", ""))
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert answer.status == 200 and len(rows) == SMALL_PACK, (answer.status, answer.text[:200])
    assert {r["participant"] for r in rows} == {"chooser01"} and {r["response"] for r in rows} <= {"1", "-1"}

    # Removed through the API: gone from the chooser after the card's own Refresh ...
    api.request("POST", f"/api/admin/remove?id={api.pack_id('others')}")
    b.driver.find_element("id", "analysis-refresh").click()
    wait_offered(b, ["firsts"], "the removed pack leaving the chooser")
    assert b.js("return document.getElementById('analysis-pack').value") == str(first_id), "the chosen pack was dropped"

    # ... and the chosen pack removed: it leaves after the list's Refresh, and the card empties.
    api.request("POST", f"/api/admin/remove?id={first_id}")
    b.driver.find_element("id", "refresh").click()
    wait_offered(b, [], "the chosen pack leaving the chooser")
    b.wait("document.getElementById('analysis').dataset.state === 'empty'", what="the empty card")
    b.shot("admin-11-chooser-after-removal")
