"""Packs with per-pack settings and participant links (PackSettings.md), from
the test's side: a pack made with its settings through the admin API, and a
participant following `/?pack=NAME&…` through consent, the short form and the
trials."""

import json
import urllib.parse

from conftest import SMALL_PACK
from images import write_pack
from participant import SESSION_KEY

# A consent text in the Markdown subset, with markup that must stay text.
CONSENT = """# Consent to take part

You are invited to a study of **face perception**. It takes about *five minutes*.

## What happens
- You see pairs of faces and choose one of each pair.
- Your answers are stored with your participant ID.

You may stop at any time. <script>window.psyxInjected = true</script> <b>not bold</b>
Questions: researcher@example.com"""


def make_pack(api, tmp_path_factory, name, sex, age_min, age_max, **settings):
    """A pack of SMALL_PACK pairs with `settings` (the settings form's fields); returns its p_id."""
    folder = write_pack(tmp_path_factory.mktemp(name) / name, SMALL_PACK)
    api.create_pack(name, sex, age_min, age_max, folder)
    pack_id = api.pack_id(name)
    if settings:
        set_settings(api, pack_id, **settings)
    return pack_id


def set_settings(api, pack_id, **fields):
    body = urllib.parse.urlencode({"id": pack_id, **fields}).encode()
    answer = api.request("POST", "/api/admin/settings", body,
                         {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 200, f"settings of pack {pack_id}: {answer.status} {answer.text}"


def close_pack(api, pack_id):
    answer = api.request("POST", f"/api/admin/close?id={pack_id}")
    assert answer.status == 200, answer.text


def link(pack=None, **ids):
    query = ({"pack": pack} if pack else {}) | ids
    return "/?" + urllib.parse.urlencode(query)


PHASES = ("form", "consent", "closed", "unknown", "link", "declined", "packerror", "resume", "device", "blocked")


def open_link(b, path):
    b.open(path)
    return b.wait_phase(*PHASES)


def switch_lang(b, lang):
    b.driver.find_element("css selector", f'.lang-switch [data-lang="{lang}"]').click()
    b.wait(f"document.documentElement.lang === '{lang}'")


def visible_fields(b):
    """The form's fields a participant sees, by data-field."""
    return b.js("return Array.from(document.querySelectorAll('#details-form [data-field]'))"
                ".filter((e) => e.checkVisibility()).map((e) => e.dataset.field)")


def fill_visible(b, p):
    """Fills the form's visible fields from `p` and goes on to the confirmation."""
    for field in visible_fields(b):
        if field == "sex":
            b.driver.find_element("css selector", f'input[name="sex"][value="{p["sex"]}"]').click()
        else:
            box = b.driver.find_element("id", f"f-{field}")
            box.clear()
            box.send_keys(str(p[field]))
    b.driver.find_element("id", "form-next").click()
    b.wait_phase("confirm")


def local_storage(b):
    return b.js("return Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]))")


def stored_session(b):
    raw = b.js(f"return localStorage.getItem({json.dumps(SESSION_KEY)})")
    return json.loads(raw) if raw else None


def api_requests(b, path):
    """The URLs the browser asked for whose path is `path`."""
    b.collect()
    return [u for u in b.requests if urllib.parse.urlsplit(u).path == path]


def access_lines(stack, *needles):
    """Nginx's access-log lines that contain every needle, in order."""
    return [line for line in stack.access_log() if all(n in line for n in needles)]
