"""Fixtures of the browser tests: a stack of their own (nginx/dev up on a free
port, temporary data), a fresh headless Chromium per test that fails the test
when a page loads anything from outside the site or logs a JS error or CSP
violation, and a summary of measured numbers at the end of the run.

Run: python3 -m pytest Tests/Browser   (nginx/dev test runs it as its `browser` step)"""

import pytest

from api import API
from browser import Browser
from images import write_pack
from stack import REPO, Stack

SHOTS = REPO / ".psyx-test" / "screenshots"

# The pack size of the quick tests; the participants' pack of that stack.
SMALL_PACK = 8
MEN_PACK = {"name": "men20s", "sex": 1, "age_min": 20, "age_max": 29}

REPORT = []  # lines for the end of the run (measured numbers)


def report(line):
    REPORT.append(line)
    print(line)


def stop_stack(stack, session):
    """Stops a stack; its folder (logs, database) is kept when a test failed."""
    keep = session.testsfailed > 0
    stack.down(keep=keep)
    if keep:
        report(f"a test failed: the stack's logs and data are kept in {stack.root}")


def stack_of(pack_size, request):
    """A stack of its own for a fixture to `yield from`: up, then stopped at the end."""
    stack = Stack(pack_size=pack_size).up()
    try:
        yield stack
    finally:
        stop_stack(stack, request.session)


def browser_on(stack):
    """A fresh Chromium on `stack` for a fixture to `yield from`, checked and closed at the end."""
    b = Browser(stack.base, SHOTS)
    yield b
    check_and_quit(b)


@pytest.fixture(scope="session")
def small_stack(tmp_path_factory, request):
    """psyx + Nginx with PSYX_PACK_SIZE=8 and one participants' pack (men, 20–29)."""
    stack = Stack(pack_size=SMALL_PACK).up()
    try:
        folder = write_pack(tmp_path_factory.mktemp("men20s") / MEN_PACK["name"], SMALL_PACK)
        api = API(stack.base)
        api.create_pack(MEN_PACK["name"], MEN_PACK["sex"], MEN_PACK["age_min"], MEN_PACK["age_max"], folder)
        stack.men_pack_id = api.pack_id(MEN_PACK["name"])
        yield stack
    finally:
        stop_stack(stack, request.session)


@pytest.fixture
def api(small_stack):
    return API(small_stack.base)


@pytest.fixture
def browser(small_stack):
    yield from browser_on(small_stack)


def check_and_quit(b):
    """Teardown: fail when a page loaded something from outside the site or logged an error."""
    try:
        problems = b.problems()
    finally:
        b.quit()
    # Shown by pytest when the test fails.
    for entry in b.console:
        print(f"console [{entry['level']} {entry.get('source', '')}] {entry['message']}")
    if problems:
        pytest.fail("the pages misbehaved:\n  " + "\n  ".join(problems), pytrace=False)


# ---- No silent skips: a skipped browser test fails the run ----

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.section("browser test measurements")
        for line in REPORT:
            terminalreporter.write_line(line)
    if _skipped:
        terminalreporter.section("skipped tests fail the browser step")
        for nodeid in _skipped:
            terminalreporter.write_line(f"SKIPPED (counted as a failure): {nodeid}")
    terminalreporter.write_line(f"screenshots: {SHOTS}")
