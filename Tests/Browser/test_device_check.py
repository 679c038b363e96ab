"""A phone or tablet cannot answer with F and J: before this check every trial
timed out, the all-timeout reply was stored and counted, and the participant
number was then "Already Participated" on a computer. A touch-only device is
now told before the details form, and nothing is sent or stored (issue 21)."""

from browser import Browser
from conftest import SHOTS, check_and_quit
from participant import open_start


def touch_phone(b):
    """What a 390 px phone reports: a touch screen as its only pointer."""
    b.cdp("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    b.cdp("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})


def test_touch_only_device_is_told_before_the_form(small_stack, api):
    before = sum(p["count"] for p in api.packs())
    for lang, title in (("en-US", "needs a computer with a keyboard"), ("ko-KR", "키보드가 있는 컴퓨터가 필요합니다")):
        b = Browser(small_stack.base, SHOTS, lang=lang)
        try:
            touch_phone(b)
            assert open_start(b) == "device"
            box = b.driver.find_element("id", "device-problem")
            assert box.is_displayed() and title in box.text, box.text
            assert not b.driver.find_element("id", "details-form").is_displayed()
            b.collect()
            assert not [url for url in b.requests if "/api/" in url], "the page asked the server for something"
            assert b.js("return localStorage.length") == 0, "the page stored something"
            b.shot(f"participant-device-{lang[:2]}", full=False)
        finally:
            check_and_quit(b)
    assert sum(p["count"] for p in api.packs()) == before


def test_a_computer_gets_the_form(browser):
    assert open_start(browser) == "form"
    assert not browser.driver.find_element("id", "device-problem").is_displayed()
