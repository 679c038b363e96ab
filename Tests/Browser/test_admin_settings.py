"""A pack's settings on the admin page in a real browser (PackSettings.md,
issue 20 items 1, 2, 3, 8, 9): uploaded with the pack from the optional
"Task and participants" section — a bad value refused in the page before
anything is sent — and shown in brief under the pack's row with the
participant link in its plain, Prolific, SONA and MTurk forms, copied by the
Copy button; the settings dialog changing the consent text of a pack that has
replies while its task fields are disabled, a value refused in the page, and
the server's refusals in Korean. Screenshots of each state in English and in
Korean."""

import hashlib
import json

from selenium.webdriver.support.select import Select

from browser import Browser
from conftest import SHOTS, SMALL_PACK, check_and_quit
from images import write_pack
from participant import person
from stack import ADMIN_PASSWORD, ADMIN_USER

# Ages no other browser test uses: these packs are this file's own.
UPLOADED = ("set100w", 2, 100, 104)
FROZEN = ("set100m", 1, 100, 104)
FRESH = ("set105w", 2, 105, 109)

CONSENT = ("# Consent\n\nYou will see **pairs of faces** and choose *one* of each.\n\n"
           "## Your rights\n- You may stop at any time.\n- Your answers are kept without your name.\n\n"
           "<b>not markup</b>")


def version_of(text):
    """The contract's consent_version: the first 16 hex digits of the text's SHA-256."""
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""


def admin_url(stack):
    return f"http://{ADMIN_USER}:{ADMIN_PASSWORD}@127.0.0.1:{stack.port}/admin/"


# The list leaves out what is at its default (PackSettings.md); the page fills it in, as here.
LIST_DEFAULTS = {"ask": ["name", "email", "no", "phone"], "question": {"ko": "", "en": ""}, "touch": False,
                 "consent": "", "consent_version": "", "completion_url": "", "completion_code": ""}


def settings_of(api, name):
    (pack,) = [p for p in api.packs() if p["pack_name"] == name]
    return {**LIST_DEFAULTS, **pack["settings"]}


def sent_to(b, path):
    b.collect()
    return [url for url in b.requests if url.split("?")[0].endswith(path)]


def type_into(b, element_id, text):
    box = b.driver.find_element("id", element_id)
    box.clear()
    if text:
        box.send_keys(text)


def extra_row(b, pack_id):
    return b.driver.find_element("css selector", f'#pack-rows tr[data-extra="{pack_id}"]')


def wait_result(b, text):
    b.wait("document.body.dataset.list === 'ready' && !document.getElementById('action-result').hidden"
           f" && document.getElementById('action-result').textContent.includes({text!r})", what=f"“{text}”")


def switch_language(b, lang):
    # A modal dialog makes the rest of the page inert; the switch is clicked from script then.
    b.js("document.querySelector(`.lang-switch [data-lang=\"${arguments[0]}\"]`).click()", lang)
    b.wait(f"document.documentElement.lang === '{lang}'")


def clipboard(b):
    return b.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, (e) => done('failed: ' + e))")


def fill_pack(b, name, sex, age_min, age_max, folder):
    type_into(b, "u-name", name)
    Select(b.driver.find_element("id", "u-sex")).select_by_value(str(sex))
    type_into(b, "u-age-min", str(age_min))
    type_into(b, "u-age-max", str(age_max))
    b.set_files("u-folder", [folder])
    b.wait("document.getElementById('u-files-summary').textContent.includes('complete pairs')",
           what="the folder's summary")


def test_upload_with_settings_then_the_list_and_its_links(small_stack, api, tmp_path):
    b = Browser(small_stack.base, SHOTS)
    name = UPLOADED[0]
    try:
        b.cdp("Browser.grantPermissions", {"origin": small_stack.base,
                                           "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        b.open(admin_url(small_stack))
        b.wait("document.body.dataset.list === 'ready'", what="the pack list")
        assert not b.js("return document.getElementById('u-question-ko').checkVisibility()"), \
            "the settings are not tucked away"
        fill_pack(b, *UPLOADED, write_pack(tmp_path / name, SMALL_PACK))
        b.driver.find_element("css selector", "#u-settings > summary").click()
        for field in ("email", "phone"):
            b.driver.find_element("css selector", f'#upload-form input[name="ask"][value="{field}"]').click()
        assert b.driver.find_element("id", "u-ask-no").is_displayed() is False
        type_into(b, "u-question-ko", "어느 얼굴이 더 믿음직해 보이나요?")
        type_into(b, "u-question-en", "Which face looks more trustworthy?")
        type_into(b, "u-time-limit", "0.25")
        b.driver.find_element("id", "u-touch").click()
        b.js("const c = document.getElementById('u-consent'); c.value = arguments[0];"
             "c.dispatchEvent(new Event('input', {bubbles: true}))", CONSENT)
        type_into(b, "u-completion-url", "https://app.prolific.com/submissions/complete?cc=C1&p={PROLIFIC_PID}&x={foo}")
        type_into(b, "u-completion-code", "C1ABC-2")

        # The preview: the Markdown subset as elements, anything else as text.
        preview = b.js("const p = document.querySelector('#upload-form .consent-preview');"
                       "return {h3: Array.from(p.querySelectorAll('h3'), e => e.textContent),"
                       " h4: Array.from(p.querySelectorAll('h4'), e => e.textContent),"
                       " strong: Array.from(p.querySelectorAll('strong'), e => e.textContent),"
                       " em: Array.from(p.querySelectorAll('em'), e => e.textContent),"
                       " li: p.querySelectorAll('li').length, b: p.querySelectorAll('b').length,"
                       " text: p.textContent}")
        assert preview["h3"] == ["Consent"] and preview["h4"] == ["Your rights"], preview
        assert preview["strong"] == ["pairs of faces"] and preview["em"] == ["one"] and preview["li"] == 2, preview
        assert preview["b"] == 0 and "<b>not markup</b>" in preview["text"], "markup in the consent became HTML"

        # Two bad values: said under their fields, and nothing is sent.
        b.driver.find_element("id", "upload-start").click()
        b.wait("!document.getElementById('u-time-limit-error').hidden", what="the time limit refused")
        time_error = b.driver.find_element("id", "u-time-limit-error").text
        url_error = b.driver.find_element("id", "u-completion-url-error").text
        assert "0.5 to 60" in time_error, time_error
        assert "{PROLIFIC_PID}" in url_error and "{hitId}" in url_error, url_error
        assert b.js("return document.activeElement.id") == "u-time-limit"
        assert b.js("return document.getElementById('upload').dataset.state") == "idle"
        assert sent_to(b, "/api/admin/create") == [], "the page sent settings it knew to be wrong"
        b.shot("admin-settings-01-refused-in-page")
        switch_language(b, "ko")
        assert "0.5부터 60까지" in b.driver.find_element("id", "u-time-limit-error").text
        b.shot("admin-settings-01-refused-in-page-ko")
        switch_language(b, "en")

        type_into(b, "u-time-limit", "2.5")
        url = "https://app.prolific.com/submissions/complete?cc=C1ABC-2&p={PROLIFIC_PID}"
        type_into(b, "u-completion-url", url)
        assert b.driver.find_element("id", "u-time-limit-error").is_displayed() is False
        b.shot("admin-settings-02-upload-form")
        b.driver.find_element("id", "upload-start").click()
        b.wait("['done', 'error'].includes(document.getElementById('upload').dataset.state)", timeout=60,
               what="the end of the upload")
        result = b.driver.find_element("id", "upload-result").text
        assert b.js("return document.getElementById('upload').dataset.state") == "done", result
        pack_id = api.pack_id(name)
        stored = settings_of(api, name)
        assert stored["ask"] == ["name", "no"], stored
        assert stored["question"] == {"ko": "어느 얼굴이 더 믿음직해 보이나요?",
                                      "en": "Which face looks more trustworthy?"}, stored
        assert stored["time_limit"] == 2.5 and stored["touch"] is True, stored
        assert stored["consent"] == CONSENT, json.dumps(stored["consent"])
        assert stored["consent_version"] == version_of(CONSENT), stored
        assert stored["completion_url"] == url and stored["completion_code"] == "C1ABC-2", stored
        assert b.driver.find_element("id", "u-settings").get_attribute("open") is None, "the section stayed open"

        # The list: the settings in brief, and the link in each form, copied.
        b.wait(f"document.querySelector('#pack-rows tr[data-extra=\"{pack_id}\"]')", what="the pack's settings")
        brief = extra_row(b, pack_id).find_element("css selector", ".pack-settings").text
        for part in ("Asks name, number, sex and age", "own question", "2.5 s per pair", "keys or touch",
                     "consent: yes", "completion: link"):
            assert part in brief, brief
        link = f"{small_stack.base}/?pack={name}"
        forms = {
            "plain": link,
            "prolific": link + "&PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}",
            "sona": link + "&survey_code=%SURVEY_CODE%",
            "mturk": link,
        }
        row = extra_row(b, pack_id)
        for form, expected in forms.items():
            Select(row.find_element("css selector", "select.link-form")).select_by_value(form)
            assert row.find_element("css selector", ".link-text").get_attribute("value") == expected, form
            row.find_element("css selector", f'button[data-copy="{pack_id}"]').click()
            b.wait(f"document.querySelector('tr[data-extra=\"{pack_id}\"] .link-status').textContent === 'Copied.'",
                   what="Copied.")
            assert clipboard(b) == expected, form
            if form == "prolific":
                assert "Prolific fills in" in row.find_element("css selector", ".link-hint").text
                b.shot("admin-settings-03-list-prolific-link")
        men = extra_row(b, small_stack.men_pack_id).find_element("css selector", ".pack-settings").text
        assert "Asks name, e-mail, number, phone, sex and age" in men and "consent: no" in men, men
        assert "3 s per pair" in men and "keys only" in men and "completion: none" in men, men

        switch_language(b, "ko")
        row = extra_row(b, pack_id)
        brief = row.find_element("css selector", ".pack-settings").text
        for part in ("묻는 정보: 이름, 번호, 성별, 나이", "한 쌍 2.5초", "키보드 또는 터치", "동의서: 있음", "완료: 링크"):
            assert part in brief, brief
        assert row.find_element("css selector", "select.link-form").get_attribute("value") == "mturk", "form forgotten"
        assert "workerId" in row.find_element("css selector", ".link-hint").text
        row.find_element("css selector", f'button[data-copy="{pack_id}"]').click()
        b.wait(f"document.querySelector('tr[data-extra=\"{pack_id}\"] .link-status').textContent === '복사했습니다.'",
               what="복사했습니다.")
        b.driver.find_element("css selector", "#u-settings > summary").click()
        b.js("const c = document.getElementById('u-consent'); c.value = arguments[0];"
             "c.dispatchEvent(new Event('input', {bubbles: true}))", "# 연구 참여 동의서\n\n**자발적**으로 참여합니다.")
        b.shot("admin-settings-04-list-and-form-ko")
        switch_language(b, "en")
    finally:
        check_and_quit(b)
        for pack in api.packs():
            if pack["pack_name"] == name:
                api.request("POST", f"/api/admin/remove?id={pack['p_id']}")


def open_settings(b, pack_id):
    b.wait(f"document.body.dataset.list === 'ready' && document.querySelector('button[data-action=\"settings\"][data-id=\"{pack_id}\"]')"
           f" && !document.getElementById('settings-dialog').open", what="the settings button")
    b.driver.find_element("css selector", f'button[data-action="settings"][data-id="{pack_id}"]').click()
    b.wait("document.getElementById('settings-dialog').open", what="the settings dialog")


def task_disabled(b):
    return b.js("return ['ask', 'question_ko', 'question_en', 'time_limit', 'touch'].map((n) =>"
                " Array.from(document.getElementById('settings-form').querySelectorAll(`[name=\"${n}\"]`))"
                ".every((el) => el.disabled))")


def test_settings_dialog_consent_after_replies_task_frozen(small_stack, api, tmp_path):
    ids = {}
    for name, sex, age_min, age_max in (FROZEN, FRESH):
        api.create_pack(name, sex, age_min, age_max, write_pack(tmp_path / name, SMALL_PACK))
        ids[name] = api.pack_id(name)
    frozen, fresh = ids[FROZEN[0]], ids[FRESH[0]]
    api.reply_without_pages(person("set10001", name="Jung Hae-in", sex=1, age=101))
    b = Browser(small_stack.base, SHOTS, lang="ko-KR")
    try:
        b.open(admin_url(small_stack))
        b.wait("document.body.dataset.list === 'ready' && document.documentElement.lang === 'ko'",
               what="the pack list in Korean")

        # A pack with a reply: the task disabled with the reason; the consent changes.
        open_settings(b, frozen)
        assert task_disabled(b) == [True] * 5
        notice = b.driver.find_element("id", "settings-frozen")
        assert notice.is_displayed() and "응답 1개가 있습니다" in notice.text, notice.text
        assert b.driver.find_element("id", "e-consent").is_enabled()
        assert b.driver.find_element("id", "e-completion-url").is_enabled()
        consent = "# 동의\n\n- 언제든 그만둘 수 있습니다.\n- **익명**으로 보관됩니다."
        b.js("const c = document.getElementById('e-consent'); c.value = arguments[0];"
             "c.dispatchEvent(new Event('input', {bubbles: true}))", consent)
        type_into(b, "e-completion-code", "DONE-1")
        b.shot("admin-settings-05-dialog-frozen-ko", full=False)
        switch_language(b, "en")
        assert "This pack has 1 reply" in b.driver.find_element("id", "settings-frozen").text
        b.shot("admin-settings-05-dialog-frozen", full=False)
        switch_language(b, "ko")
        b.driver.find_element("id", "settings-save").click()
        wait_result(b, f"Pack {frozen} Updated.")
        stored = settings_of(api, FROZEN[0])
        assert stored["consent"] == consent and stored["consent_version"] == version_of(consent), stored
        assert stored["completion_code"] == "DONE-1" and stored["ask"] == ["name", "email", "no", "phone"], stored
        brief = extra_row(b, frozen).find_element("css selector", ".pack-settings").text
        assert "동의서: 있음" in brief and "완료: 코드 DONE-1" in brief, brief

        # A pack without replies: every field open; a bad time limit is refused in the page.
        open_settings(b, fresh)
        assert task_disabled(b) == [False] * 5
        assert not b.driver.find_element("id", "settings-frozen").is_displayed()
        assert b.driver.find_element("id", "e-time-limit").get_attribute("value") == "3"
        type_into(b, "e-time-limit", "75")
        b.driver.find_element("id", "settings-save").click()
        b.wait("!document.getElementById('e-time-limit-error').hidden", what="the time limit refused")
        assert "0.5부터 60까지" in b.driver.find_element("id", "e-time-limit-error").text
        assert sent_to(b, "/api/admin/settings") == [f"{small_stack.base}/api/admin/settings"], "sent a bad value"
        b.shot("admin-settings-06-dialog-refused-in-page-ko", full=False)
        switch_language(b, "en")
        assert "0.5 to 60" in b.driver.find_element("id", "e-time-limit-error").text
        b.shot("admin-settings-06-dialog-refused-in-page", full=False)
        switch_language(b, "ko")

        # A reply arrives while the dialog is open: the server's refusal, in Korean, and nothing changed.
        type_into(b, "e-time-limit", "4")
        b.driver.find_element("css selector", '#settings-form input[name="ask"][value="phone"]').click()
        api.reply_without_pages(person("set10501", name="Seo Ji-an", sex=2, age=106))
        b.allow_console(r"/api/admin/settings .*status of 400")
        b.driver.find_element("id", "settings-save").click()
        b.wait("!document.getElementById('settings-error').hidden", what="the refusal in the dialog")
        error = b.driver.find_element("id", "settings-error").text
        assert "이 팩에 이제 응답이 있어" in error and "Pack Has Replies" in error, error
        assert b.js("return document.getElementById('settings-dialog').open")
        b.shot("admin-settings-07-server-refused-ko", full=False)
        switch_language(b, "en")
        assert "This pack has replies now" in b.driver.find_element("id", "settings-error").text
        b.shot("admin-settings-07-server-refused", full=False)
        stored = settings_of(api, FRESH[0])
        assert stored["time_limit"] == 3 and stored["ask"] == ["name", "email", "no", "phone"], stored

        # The pack deleted meanwhile: "Unknown Pack N", translated.
        assert api.request("POST", f"/api/admin/remove?id={fresh}").status == 200
        b.driver.find_element("css selector", '#settings-form input[name="ask"][value="phone"]').click()
        type_into(b, "e-time-limit", "3")
        type_into(b, "e-completion-code", "GONE")
        b.driver.find_element("id", "settings-save").click()
        b.wait("document.getElementById('settings-error').textContent.includes('Unknown Pack')",
               what="the unknown pack")
        error = b.driver.find_element("id", "settings-error").text
        assert f"Pack {fresh} does not exist" in error, error
        b.driver.find_element("id", "settings-cancel").click()
        b.wait("!document.getElementById('settings-dialog').open")
    finally:
        check_and_quit(b)
        for pack_id in ids.values():
            api.request("POST", f"/api/admin/remove?id={pack_id}")


def test_new_parts_meet_contrast_aa(browser, small_stack):
    """The new inputs' edges (3:1, WCAG 1.4.11) and the new small texts (4.5:1) on the admin page."""
    from test_readable_pages import contrast

    b = browser
    b.open(admin_url(small_stack))
    b.wait("document.body.dataset.list === 'ready' && document.querySelector('#pack-rows .link-text')",
           what="the pack list with its links")
    b.driver.find_element("css selector", "#u-settings > summary").click()
    b.js("const c = document.getElementById('u-consent'); c.value = '# Consent\\n\\nText';"
         "c.dispatchEvent(new Event('input', {bubbles: true}));"
         "document.querySelector('#pack-rows button[data-copy]').click()")
    b.wait("document.querySelector('#pack-rows .link-status').textContent !== ''", what="the copy's status")
    edges = "#upload-form textarea, #pack-rows input.link-text, #pack-rows select.link-form"
    for name, value in contrast(b, edges, border=True):
        assert value >= 3, f"input edge: {name} {value}:1 (WCAG AA 1.4.11 wants 3:1)"
    texts = ("#pack-rows .pack-settings, #pack-rows .link-hint, #pack-rows .link-status, #pack-rows .pack-link label,"
             " #u-settings .hint, #u-settings .preview-label, #u-settings .choice span, #u-settings summary")
    for name, value in contrast(b, texts):
        assert value >= 4.5, f"text: {name} {value}:1 (WCAG AA wants 4.5:1)"
