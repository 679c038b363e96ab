"""Closing and opening a pack, and withdrawing replies, on the admin page in a
real browser behind Nginx's basic auth: the state in the list, a refused
reopening explained, the withdrawal dialog saying how many replies of which
packs will go before anything is deleted (Cancel keeps them), and the counts
following at once. Screenshots of each state, in English and in Korean."""

from browser import Browser
from conftest import SHOTS, SMALL_PACK, check_and_quit
from images import write_pack
from participant import person
from stack import ADMIN_PASSWORD, ADMIN_USER

# Ages no other browser test uses: these packs are this test's own.
WOMEN = ("women70s", 2, 70, 79)
MEN = ("men70s", 1, 70, 79)
REPLACEMENT = ("women75", 2, 75, 85)


def admin_url(stack):
    return f"http://{ADMIN_USER}:{ADMIN_PASSWORD}@127.0.0.1:{stack.port}/admin/"


def row(b, pack_id, selector=""):
    return b.driver.find_element("css selector", f'#pack-rows tr[data-id="{pack_id}"] {selector}'.strip())


def state_of(b, pack_id):
    return row(b, pack_id, ".state").text


def wait_result(b, text):
    b.wait("document.body.dataset.list === 'ready' && !document.getElementById('action-result').hidden"
           f" && document.getElementById('action-result').textContent.includes({text!r})", what=f"“{text}”")


def counts(api):
    return {p["pack_name"]: p["count"] for p in api.packs()}


def find_replies(b, kind, value):
    """The dialog's first step: choose what to look for, type it, Find."""
    b.wait("document.getElementById('withdraw-dialog').open", what="the withdrawal dialog")
    b.js("const s = document.getElementById('withdraw-kind'); s.value = arguments[0];"
         "s.dispatchEvent(new Event('change'));", kind)
    box = b.driver.find_element("id", "withdraw-value")
    box.clear()
    box.send_keys(value)
    b.driver.find_element("id", "withdraw-find").click()


def test_close_open_and_withdraw(small_stack, api, tmp_path):
    ids = {}
    for name, sex, age_min, age_max in (WOMEN, MEN):
        api.create_pack(name, sex, age_min, age_max, write_pack(tmp_path / name, SMALL_PACK))
        ids[name] = api.pack_id(name)
    women, men = ids[WOMEN[0]], ids[MEN[0]]
    api.reply_without_pages(person("wd700001", name="Choi Yu-na", sex=2, age=72))
    api.reply_without_pages(person("WD700001", name="Choi Yu-na", sex=1, age=72))
    api.reply_without_pages(person("keep7001", name="Han Min-ho", sex=1, age=75))
    keep_id = api.replies_of(men, "keep7001")[0]["r_id"]
    b = Browser(small_stack.base, SHOTS)
    try:
        b.open(admin_url(small_stack))
        b.wait(f"document.body.dataset.list === 'ready' && document.querySelector('#pack-rows tr[data-id=\"{women}\"]')",
               what="the pack list")
        assert state_of(b, women) == "Open" and row(b, women, 'button[data-action="close"]').text == "Close"

        # Close: the state in the list, and start gives the pack to no one new.
        row(b, women, 'button[data-action="close"]').click()
        wait_result(b, f"Pack {women} Closed.")
        assert state_of(b, women) == "Closed"
        assert "closed" in row(b, women).get_attribute("class")
        assert row(b, women, 'button[data-action="open"]').text == "Open"
        assert [p["open"] for p in api.packs() if p["p_id"] == women] == [False]
        start = api.post_json("/api/reply/start", person("new70001", sex=2, age=74))
        assert start.status == 400 and "No Suitable Pack for You" in start.text, start.text
        b.shot("admin-09-pack-closed")

        # A new pack in its place; reopening the old one is refused and explained.
        api.create_pack(*REPLACEMENT, write_pack(tmp_path / REPLACEMENT[0], SMALL_PACK))
        replacement = api.pack_id(REPLACEMENT[0])
        b.allow_console(r"/api/admin/open.*status of 400")
        b.driver.find_element("id", "refresh").click()
        b.wait(f"document.querySelector('#pack-rows tr[data-id=\"{replacement}\"]')", what="the replacement's row")
        row(b, women, 'button[data-action="open"]').click()
        b.wait("document.body.dataset.list === 'ready' && document.getElementById('action-result').classList.contains('error')",
               what="the refusal")
        refusal = b.driver.find_element("id", "action-result").text
        assert "Another open pack, women75" in refusal, refusal
        assert "Pack Condition Overlapped: women75 (sex 2, ages 75-85)" in refusal, "the server's words as detail"
        assert state_of(b, women) == "Closed"
        b.shot("admin-10-open-refused")
        assert api.request("POST", f"/api/admin/remove?id={replacement}").status == 200
        b.driver.find_element("id", "refresh").click()
        b.wait(f"!document.querySelector('#pack-rows tr[data-id=\"{replacement}\"]')", what="the list without it")
        row(b, women, 'button[data-action="open"]').click()
        wait_result(b, f"Pack {women} Opened.")
        assert state_of(b, women) == "Open"

        # Withdraw a participant number: the dialog names both packs and the count; Cancel keeps them.
        before = counts(api)
        row(b, women, 'button[data-action="withdraw"]').click()
        b.wait("document.getElementById('withdraw-dialog').open", what="the withdrawal dialog")
        b.shot("admin-11-withdraw-ask", full=False)
        find_replies(b, "no", "Wd700001")
        b.wait("document.getElementById('withdraw-dialog').dataset.step === 'confirm'", what="the confirmation")
        text = b.driver.find_element("id", "withdraw-dialog").text
        assert "Delete these replies?" in text and "2 replies will be deleted:" in text, text
        assert f"1 reply of pack “women70s” (ID {women})" in text and f"1 reply of pack “men70s” (ID {men})" in text, text
        assert b.driver.find_element("id", "withdraw-confirm").text == "Delete 2 replies"
        assert not b.driver.find_element("id", "withdraw-other").is_displayed()
        b.shot("admin-12-withdraw-confirm", full=False)
        b.driver.find_element("id", "withdraw-cancel").click()
        b.wait("!document.getElementById('withdraw-dialog').open")
        assert counts(api) == before, "Cancel deleted replies"

        row(b, women, 'button[data-action="withdraw"]').click()
        find_replies(b, "no", "wd700001")
        b.wait("document.getElementById('withdraw-dialog').dataset.step === 'confirm'", what="the confirmation")
        b.driver.find_element("id", "withdraw-confirm").click()
        wait_result(b, "2 Replies Deleted.")
        after = counts(api)
        assert (after["women70s"], after["men70s"]) == (before["women70s"] - 1, before["men70s"] - 1), after
        assert row(b, women).find_elements("css selector", "td")[5].text == "0"
        assert row(b, men).find_elements("css selector", "td")[5].text == "1"
        assert api.replies_of(men, "WD700001") == [] and api.replies_of(women, "wd700001") == []
        b.shot("admin-13-withdrawn")

        # A reply ID of another pack than the row's: said before it is deleted; Back, then nothing found.
        row(b, women, 'button[data-action="withdraw"]').click()
        find_replies(b, "r_id", str(keep_id))
        b.wait("document.getElementById('withdraw-dialog').dataset.step === 'confirm'", what="the confirmation")
        other = b.driver.find_element("id", "withdraw-other")
        assert other.is_displayed() and "not in pack “women70s”" in other.text, other.text
        b.shot("admin-14-withdraw-other-pack", full=False)
        b.driver.find_element("id", "withdraw-back").click()
        b.allow_console(r"/api/admin/withdraw/preview.*status of 400")
        find_replies(b, "no", "zz7000")
        b.wait("!document.getElementById('withdraw-error').hidden", what="the refusal in the dialog")
        error = b.driver.find_element("id", "withdraw-error").text
        assert "No reply matches" in error and "No Reply Found" in error, error
        b.shot("admin-15-withdraw-none", full=False)
        b.driver.find_element("id", "withdraw-cancel").click()
        assert api.replies_of(men, "keep7001"), "Back and Cancel kept the reply"

        # The same in Korean.
        b.driver.find_element("css selector", 'button[data-lang="ko"]').click()
        b.wait("document.documentElement.lang === 'ko'")
        assert state_of(b, women) == "열림" and row(b, women, 'button[data-action="close"]').text == "닫기"
        row(b, women, 'button[data-action="withdraw"]').click()
        find_replies(b, "r_id", str(keep_id))
        b.wait("document.getElementById('withdraw-dialog').dataset.step === 'confirm'", what="the confirmation")
        text = b.driver.find_element("id", "withdraw-dialog").text
        assert "이 응답을 삭제할까요?" in text and "응답 1개가 삭제됩니다:" in text, text
        assert b.driver.find_element("id", "withdraw-confirm").text == "응답 1개 삭제"
        b.shot("admin-16-withdraw-confirm-ko", full=False)
        b.driver.find_element("id", "withdraw-confirm").click()
        wait_result(b, "1 Reply Deleted.")
        assert api.replies_of(men, "keep7001") == []
        row(b, women, 'button[data-action="close"]').click()
        wait_result(b, f"Pack {women} Closed.")
        assert state_of(b, women) == "닫힘"
        b.shot("admin-17-closed-ko")
        b.driver.find_element("css selector", 'button[data-lang="en"]').click()
    finally:
        check_and_quit(b)
        for pack_id in ids.values():
            api.request("POST", f"/api/admin/remove?id={pack_id}")
