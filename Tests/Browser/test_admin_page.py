"""The admin page in a real browser, behind Nginx's basic auth: a folder
uploaded through the page with the progress bar reaching 100 %, the list
with reply counts, a refused upload shown in the page, downloads (clicked
in the page, and fetched with the account), and a delete after a
confirmation that names the pack and its replies."""

import csv
import io
import json
import time

from selenium.webdriver.support.select import Select

from conftest import SMALL_PACK
from images import write_pack
from participant import person
from stack import ADMIN_PASSWORD, ADMIN_USER

PACK = "women30s"

# Every value the progress bar takes, recorded by the page's own DOM changes.
RECORD_PROGRESS = """
window.__progress = [];
const bar = document.getElementById('upload-progress');
new MutationObserver(() => window.__progress.push(Number(bar.value)))
  .observe(bar, {attributes: true, attributeFilter: ['value']});
"""


def admin_url(stack):
    return f"http://{ADMIN_USER}:{ADMIN_PASSWORD}@127.0.0.1:{stack.port}/admin/"


def row_cells(b, pack_id):
    return b.js("const r = document.querySelector(`#pack-rows tr[data-id=\"${arguments[0]}\"]`);"
                "return r ? Array.from(r.cells, c => c.textContent.trim()) : null", str(pack_id))


def fill_upload_form(b, name, sex, age_min, age_max, folder):
    d = b.driver
    if name is not None:
        d.find_element("id", "u-name").clear()
        d.find_element("id", "u-name").send_keys(name)
    Select(d.find_element("id", "u-sex")).select_by_value(str(sex))
    for field, value in (("u-age-min", age_min), ("u-age-max", age_max)):
        d.find_element("id", field).clear()
        d.find_element("id", field).send_keys(str(value))
    b.set_files("u-folder", [folder])
    b.wait("document.getElementById('u-files-summary').textContent.includes('complete pairs')",
           what="the folder's summary")


def test_admin_flow(browser, api, small_stack, tmp_path):
    b = browser
    b.open(admin_url(small_stack))
    b.wait("document.body.dataset.list === 'ready'", what="the pack list")
    assert row_cells(b, small_stack.men_pack_id)[1] == "men20s"
    b.shot("admin-01-list")

    # A folder as a researcher has it: the pairs plus files that are not images.
    folder = write_pack(tmp_path / PACK, SMALL_PACK)
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / "notes.txt").write_text("taken 2026-11\n")
    fill_upload_form(b, None, 2, 30, 39, folder)
    summary = b.driver.find_element("id", "u-files-summary").text
    assert f"{SMALL_PACK} complete pairs" in summary and "2" in summary, summary
    assert b.driver.find_element("id", "u-name").get_attribute("value") == PACK, "folder name not offered"
    b.shot("admin-02-folder-chosen")

    # Upload, slowed down so the bar has something to show (about 2 s).
    b.js(RECORD_PROGRESS)
    size = sum(p.stat().st_size for p in folder.glob("*.jpg"))
    b.cdp("Network.enable")
    b.cdp("Network.emulateNetworkConditions",
          {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": max(size // 2, 1024)})
    b.driver.find_element("id", "upload-start").click()
    b.wait("(() => { const v = Number(document.getElementById('upload-progress').value);"
                 " return document.getElementById('upload').dataset.state !== 'uploading' || (v > 0 && v < 100); })()",
                 what="the upload under way")
    if b.js("return document.getElementById('upload').dataset.state") == "uploading":
        b.shot("admin-03-uploading")
    b.wait("['done', 'error'].includes(document.getElementById('upload').dataset.state)", timeout=60,
           what="the end of the upload")
    b.cdp("Network.emulateNetworkConditions",
          {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    result = b.driver.find_element("id", "upload-result").text
    assert b.js("return document.getElementById('upload').dataset.state") == "done", result
    pack_id = api.pack_id(PACK)
    assert result == f"Pack {pack_id} Added.", result
    assert b.driver.find_element("id", "upload-percent").text == "100 %"
    values = b.js("return window.__progress")
    assert values and values[-1] == 100, values
    assert values == sorted(values), f"the bar went backwards: {values}"
    assert any(0 < v < 100 for v in values), f"no progress between 0 and 100 %: {values}"
    b.wait(f"document.querySelector('#pack-rows tr[data-id=\"{pack_id}\"]')", what="the new pack's row")
    b.shot("admin-04-uploaded")
    cells = row_cells(b, pack_id)
    assert cells[1] == PACK and cells[2] == "Female" and cells[3] == "30–39" and cells[5] == "0", cells

    # The same folder again: the server's refusal appears in the page.
    b.allow_console(r"/api/admin/create .*status of 400")
    fill_upload_form(b, PACK, 2, 30, 39, folder)
    b.driver.find_element("id", "upload-start").click()
    b.wait("['done', 'error'].includes(document.getElementById('upload').dataset.state)", timeout=60)
    refused = b.driver.find_element("id", "upload-result").text
    assert "Pack Existed" in refused, refused
    b.shot("admin-05-upload-refused")

    # A participant replies; Refresh shows the count.
    api.reply_without_pages(person("admin001", name="Kim Ji-woo", sex=2, age=33))
    b.driver.find_element("id", "refresh").click()
    b.wait(f"(() => {{ const r = document.querySelector('#pack-rows tr[data-id=\"{pack_id}\"]');"
           " return r && r.cells[5].textContent.trim() === '1'; })()", what="the reply count")
    packs = api.packs()
    replies = sum(p["count"] for p in packs)
    expected = (f"{len(packs)} pack{'s' if len(packs) != 1 else ''}, "
                f"{replies} repl{'ies' if replies != 1 else 'y'} in all.")
    assert b.driver.find_element("id", "list-summary").text == expected

    # Download: the page's JSON link, clicked (the browser sends the account itself) ...
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    b.cdp("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    b.driver.find_element("css selector", f'#pack-rows tr[data-id="{pack_id}"] a[download$=".json"]').click()
    saved = downloads / f"{pack_id}.json"
    deadline = time.monotonic() + 20
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert saved.exists(), f"no download in {list(downloads.iterdir())}"
    data = json.loads(saved.read_text())
    assert data["pack_name"] == PACK and data["p_id"] == pack_id and data["count"] == 1
    (reply,) = data["replies"]
    assert reply["no"] == "admin001" and len(reply["answers"]) == SMALL_PACK
    # ... and both links fetched with the account.
    for fmt in ("json", "csv"):
        href = b.driver.find_element("css selector", f'#pack-rows tr[data-id="{pack_id}"] a[download$=".{fmt}"]') \
            .get_attribute("href")
        answer = api.request("GET", href.replace(f"{ADMIN_USER}:{ADMIN_PASSWORD}@", ""))
        assert answer.status == 200, (href, answer.status)
        if fmt == "json":
            assert answer.json()["replies"][0]["answers"] == reply["answers"]
        else:
            rows = list(csv.DictReader(io.StringIO(answer.text)))
            assert len(rows) == SMALL_PACK
            for column in ("r_id", "p_id", "no", "trial", "key", "rt", "left", "right", "chosen", "response"):
                assert column in rows[0], f"CSV without {column}: {list(rows[0])}"

    # Delete: the confirmation names the pack and its replies; Cancel keeps it.
    delete = f'button[data-action="delete"][data-id="{pack_id}"]'
    b.driver.find_element("css selector", delete).click()
    b.wait("document.getElementById('delete-dialog').open", what="the delete dialog")
    text = b.driver.find_element("id", "delete-dialog").text
    assert PACK in text and "1 reply" in text, text
    b.shot("admin-06-delete-dialog", full=False)
    b.driver.find_element("css selector", '#delete-dialog button[value="cancel"]').click()
    b.wait("!document.getElementById('delete-dialog').open && document.body.dataset.list === 'ready'")
    assert PACK in [p["pack_name"] for p in api.packs()], "Cancel deleted the pack"

    b.wait(f"!document.querySelector('{delete}').disabled", what="the delete button again")
    b.driver.find_element("css selector", delete).click()
    b.wait("document.getElementById('delete-dialog').open", what="the delete dialog")
    b.driver.find_element("id", "delete-confirm").click()
    b.wait(f"!document.getElementById('action-result').hidden && document.body.dataset.list === 'ready'"
           f" && !document.querySelector('#pack-rows tr[data-id=\"{pack_id}\"]')", what="the deletion")
    assert b.driver.find_element("id", "action-result").text == f"Pack {pack_id} Deleted."
    b.shot("admin-07-deleted")
    assert PACK not in [p["pack_name"] for p in api.packs()]
    assert api.request("GET", f"/api/admin/download?id={pack_id}").status == 400
    assert not (small_stack.data_dir / "packs" / PACK).exists()
    assert row_cells(b, small_stack.men_pack_id) is not None, "the other pack went too"
