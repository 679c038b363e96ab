"""Headless Debian Chromium driven through Selenium, with key presses sent
through the DevTools protocol (Input.dispatchKeyEvent): Selenium's own key
actions add 100–200 ms, far too much for reaction times.

Every request the browser makes and every console message is collected; a
test fails (in the fixture's teardown) when a page loaded anything from
outside the site, violated its Content Security Policy or logged a
JavaScript error."""

import base64
import json
import re
import time
import urllib.parse
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Key events as a US keyboard sends them (event.code is what the pages read).
KEYS = {
    "F": {"key": "f", "code": "KeyF", "windowsVirtualKeyCode": 70, "nativeVirtualKeyCode": 70, "text": "f"},
    "J": {"key": "j", "code": "KeyJ", "windowsVirtualKeyCode": 74, "nativeVirtualKeyCode": 74, "text": "j"},
    "space": {"key": " ", "code": "Space", "windowsVirtualKeyCode": 32, "nativeVirtualKeyCode": 32, "text": " "},
}

# Resolves (through the WebDriver callback, the last argument) once the
# expression __TEST__ is truthy, watching the document's changes; a slow poll
# covers changes no mutation shows. __TEST__ is pasted into the script's text:
# the pages' CSP forbids eval and new Function.
WAIT_SCRIPT = """
const done = arguments[arguments.length - 1];
const test = () => (__TEST__);
let finished = false;
let observer = null;
let poll = null;
const attempt = () => {
  if (finished) return;
  let value;
  try { value = test(); } catch (e) { value = null; }
  if (value === null || value === undefined || value === false) return;
  finished = true;
  observer.disconnect();
  clearInterval(poll);
  done({value, now: performance.now()});
};
observer = new MutationObserver(attempt);
observer.observe(document.documentElement, {attributes: true, subtree: true, childList: true});
poll = setInterval(attempt, 50);
attempt();
"""


class PageProblem(AssertionError):
    pass


class Browser:
    def __init__(self, base, shots_dir, lang="en-US", block_site_data=False):
        self.base = base
        self.origin = urllib.parse.urlsplit(base)
        self.shots_dir = Path(shots_dir)
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in (
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1280,1000", f"--lang={lang}", "--hide-scrollbars",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            # Timers and frames at full rate in a headless, never-visible window.
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
            "--autoplay-policy=no-user-gesture-required",
        ):
            options.add_argument(arg)
        prefs = {"intl.accept_languages": lang}
        if block_site_data:  # cookies and localStorage refused, as some privacy settings do
            prefs["profile.default_content_setting_values.cookies"] = 2
        options.add_experimental_option("prefs", prefs)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_script_timeout(60)
        self.driver.set_page_load_timeout(30)
        self.requests = []  # every URL the browser asked for
        self.console = []  # every console entry
        self.allowed = []  # regexes of console errors a test expects
        self.clock_offset_ms = None
        self.clock_origin = None

    # ---- basics ----

    def cdp(self, command, params=None):
        return self.driver.execute_cdp_cmd(command, params or {})

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def open(self, path):
        self.driver.get(path if path.startswith("http") else self.base + path)

    def shot(self, name, full=True):
        """Saves the whole page (beyond the window when it is taller) as SHOTS/name.png;
        with full=False the window only (a modal dialog's backdrop covers only that)."""
        if not full:
            self.driver.save_screenshot(str(self.shots_dir / f"{name}.png"))
            return
        size = self.cdp("Page.getLayoutMetrics")["cssContentSize"]
        width = max(int(size["width"]), 1)
        height = max(int(size["height"]), 1)
        image = self.cdp("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        })
        (self.shots_dir / f"{name}.png").write_bytes(base64.b64decode(image["data"]))

    def quit(self):
        self.driver.quit()

    # ---- waiting ----

    def wait(self, test_js, timeout=20, what=None):
        """Waits until the JS expression `test_js` is truthy; returns {value, now}.
        A page navigation while waiting starts the wait again on the new page."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"timed out after {timeout} s waiting for {what or test_js}; "
                                   f"page {self.driver.current_url} phase {self.phase()}")
            self.driver.set_script_timeout(max(left, 0.5))
            try:
                return self.driver.execute_async_script(WAIT_SCRIPT.replace("__TEST__", test_js))
            except WebDriverException as err:
                text = str(err)
                if "unloaded" in text or "navigat" in text or "Execution context" in text:
                    time.sleep(0.05)  # the page changed under the script: wait on the new one
                    continue
                if "timeout" in text.lower():
                    continue  # the deadline check above reports it
                raise

    def phase(self):
        try:
            return self.js("return document.body && document.body.dataset.phase")
        except WebDriverException:
            return None

    def wait_phase(self, *phases, timeout=20):
        wanted = json.dumps(list(phases))
        return self.wait(f"{wanted}.includes(document.body && document.body.dataset.phase) "
                         "&& document.body.dataset.phase", timeout, what=f"phase in {phases}")["value"]

    def state(self):
        """window.psyxState of the experiment page."""
        return self.js("return window.psyxState ? {...window.psyxState} : null")

    # ---- keys and clocks ----

    def press(self, name):
        """A key press (down and up) through the DevTools protocol."""
        key = KEYS[name]
        self.cdp("Input.dispatchKeyEvent", {"type": "keyDown", **key})
        up = {k: v for k, v in key.items() if k != "text"}
        self.cdp("Input.dispatchKeyEvent", {"type": "keyUp", **up})

    def sync_clock(self, rounds=7):
        """Offset (ms) from the page's performance.now() to this process's
        time.monotonic(): from the round trip with the least delay, taking the
        page's reading as made half-way through it."""
        best = None
        for _ in range(rounds):
            t0 = time.monotonic()
            page, origin = self.js("return [performance.now(), performance.timeOrigin]")
            t1 = time.monotonic()
            if best is None or t1 - t0 < best[0]:
                best = (t1 - t0, (t0 + t1) / 2 * 1000 - page)
        self.clock_offset_ms = best[1]
        self.clock_origin = origin
        return best

    def ensure_clock(self, time_origin):
        """Synchronises again when the page (and so its clock's origin) changed."""
        if self.clock_offset_ms is None or self.clock_origin != time_origin:
            self.sync_clock()

    def page_to_local(self, page_ms):
        """A performance.now() time of the page as a time.monotonic() time (seconds)."""
        return (page_ms + self.clock_offset_ms) / 1000

    def local_now_in_page(self):
        return time.monotonic() * 1000 - self.clock_offset_ms

    # ---- files ----

    def set_files(self, element_id, paths):
        """Sets a file input's files (a folder for a webkitdirectory input), as a person choosing them would."""
        found = self.cdp("Runtime.evaluate", {"expression": f"document.getElementById({json.dumps(element_id)})"})
        object_id = found["result"]["objectId"]
        self.cdp("DOM.setFileInputFiles", {"files": [str(p) for p in paths], "objectId": object_id})

    # ---- what the pages did ----

    def allow_console(self, pattern):
        """A console error this test expects (e.g. a 400 the page shows), as a regex."""
        self.allowed.append(re.compile(pattern))

    def collect(self):
        for entry in self.driver.get_log("browser"):
            self.console.append(entry)
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif message["method"] == "Network.webSocketCreated":
                self.requests.append(params["url"])

    def foreign_requests(self):
        foreign = []
        for url in self.requests:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.scheme, parts.hostname, parts.port) != (self.origin.scheme, self.origin.hostname,
                                                              self.origin.port):
                foreign.append(url)
        return foreign

    def console_problems(self):
        problems = []
        for entry in self.console:
            message = entry.get("message", "")
            source = entry.get("source", "")
            bad = source == "security" or "Content Security Policy" in message or entry["level"] == "SEVERE"
            if bad and not (source != "security" and any(p.search(message) for p in self.allowed)):
                problems.append(f"[{entry['level']} {source}] {message}")
        return problems

    def problems(self):
        """Everything that must fail the test: outside requests, CSP violations, JS errors."""
        self.collect()
        found = [f"request outside the site: {url}" for url in self.foreign_requests()]
        found += [f"console: {line}" for line in self.console_problems()]
        return found

