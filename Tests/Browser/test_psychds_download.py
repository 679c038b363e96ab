"""The admin page's Psych-DS button (issue 20, item 7): clicked in the page, the
browser saves a zip that Python's zipfile opens, holding dataset_description.json
(schema.org Dataset with every CSV column in variableMeasured) and the CSV."""

import csv
import io
import json
import time
import zipfile

from participant import person
from stack import ADMIN_PASSWORD, ADMIN_USER


def test_psychds_button_saves_a_valid_dataset(browser, api, small_stack, tmp_path):
    b = browser
    api.reply_without_pages(person("psychds01", sex=1, age=24))
    pack_id = small_stack.men_pack_id
    b.open(f"http://{ADMIN_USER}:{ADMIN_PASSWORD}@127.0.0.1:{small_stack.port}/admin/")
    b.wait("document.body.dataset.list === 'ready'", what="the pack list")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    b.cdp("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    link = b.driver.find_element("css selector", f'#pack-rows tr[data-id="{pack_id}"] a[download="{pack_id}-psychds.zip"]')
    assert link.text == "Psych-DS"
    link.click()
    saved = downloads / f"{pack_id}-psychds.zip"
    deadline = time.monotonic() + 20
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert saved.exists(), f"no download in {list(downloads.iterdir())}"
    with zipfile.ZipFile(saved) as archive:
        assert archive.testzip() is None
        description = json.loads(archive.read("dataset_description.json"))
        rows = list(csv.reader(io.StringIO(archive.read("data/study-men20s_data.csv").decode())))
    assert description["@type"] == "Dataset" and description["name"] and description["description"]
    measured = {v["name"] for v in description["variableMeasured"]}
    assert set(rows[0]) <= measured, (rows[0], measured)
    assert "psychds01" in {row[rows[0].index("participant")] for row in rows[1:]}
