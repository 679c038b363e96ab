"""The checks every other test relies on can fail: a request outside the
site, an inline script refused by the CSP and an uncaught error are all
reported. And a browser that refuses site data gets the page's explanation
instead of an experiment that would lose its progress."""

from browser import Browser
from conftest import SHOTS, check_and_quit
from participant import open_start


def test_outside_requests_csp_violations_and_errors_are_caught(small_stack):
    b = Browser(small_stack.base, SHOTS)
    try:
        open_start(b)
        assert b.problems() == [], "a clean page reported problems"
        b.js("new Image().src = 'http://outside.invalid/pixel.png';"
             "const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.head.append(s);"
             "setTimeout(() => { throw new Error('guard test'); }, 0);")
        b.wait("true")
        problems = "\n".join(b.problems())
    finally:
        b.quit()
    assert "request outside the site: http://outside.invalid/pixel.png" in problems, problems
    assert "Content Security Policy" in problems, problems
    assert "guard test" in problems, problems


def test_blocked_site_data_is_explained(small_stack):
    b = Browser(small_stack.base, SHOTS, block_site_data=True)
    try:
        assert open_start(b) == "blocked"
        assert b.driver.find_element("id", "storage-problem").is_displayed()
        assert not b.driver.find_element("id", "details-form").is_displayed()
        b.shot("participant-14-storage-blocked")
        b.open("/experiment.html")
        assert b.wait_phase("error") == "error"
    finally:
        check_and_quit(b)
