"""Issue 21's readability defects, each in a real browser: the experiment
screen's text against its grey field and the admin inputs' edges meet WCAG AA,
the trial counter stays on one line on a 390 px phone, and the admin page
tells a researcher in Korean what is wrong with an upload — naming the pack
in the way, stating how many pairs a pack needs, and refusing a folder it can
already tell is incomplete before sending it."""

from browser import Browser
from conftest import MEN_PACK, SHOTS, SMALL_PACK, check_and_quit
from images import write_pack
from participant import confirm_details, open_start, pass_instructions, person, start_experiment, wait_faces
from stack import ADMIN_PASSWORD, ADMIN_USER

# The contrast ratio (WCAG 2) of an element's text, or of its top border with
# `border`, against what is painted behind it (translucent layers blended).
CONTRAST = """
const parse = (c) => {
  const p = c.match(/rgba?\\(([^)]+)\\)/)[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const lum = (rgb) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]);
};
const blend = (top, base) => [0, 1, 2].map((i) => top[i] * top[3] + base[i] * (1 - top[3]));
const behind = (el) => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  return layers.reverse().reduce((base, c) => blend(c, base), [255, 255, 255]);
};
const ratio = (el, border) => {
  const start = border ? el.parentElement : el;
  const back = behind(start);
  const style = getComputedStyle(el);
  const fore = blend(parse(border ? style.borderTopColor : style.color), back);
  const [a, b] = [lum(fore), lum(back)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
};
return Array.from(document.querySelectorAll(arguments[0]))
  .map((el) => [el.id || el.className, Math.round(ratio(el, arguments[1]) * 100) / 100]);
"""


def contrast(b, selector, border=False):
    found = b.js(CONTRAST, selector, border)
    assert found, f"nothing matches {selector}"
    return found


def admin_url(stack):
    return f"http://{ADMIN_USER}:{ADMIN_PASSWORD}@127.0.0.1:{stack.port}/admin/"


def test_experiment_text_contrast_and_the_counter_on_a_phone(browser, small_stack):
    b = browser
    open_start(b)
    confirm_details(b, person("contrast01"))
    start_experiment(b)
    for name, value in contrast(b, "#instr-step, .key-label, #instr-prompt, #instr-body p, button.quiet"):
        assert value >= 4.5, f"instructions: {name} {value}:1"
    pass_instructions(b)
    wait_faces(b, 0)
    measured = contrast(b, "#progress-text, .keyhint")
    for name, value in measured:
        assert value >= 4.5, f"trial screen: {name} {value}:1 (WCAG AA wants 4.5:1)"
    b.shot("participant-contrast-trial")

    # A 390 px phone, with the widest counter a 300-pair pack shows.
    b.driver.set_window_size(390, 844)
    b.js("document.getElementById('progress-text').textContent = '300 / 300'")
    lines = b.js("const el = document.getElementById('progress-text');"
                 "const style = getComputedStyle(el);"
                 "return [el.getClientRects().length, el.getBoundingClientRect().height,"
                 " parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.6,"
                 " el.getBoundingClientRect().right <= document.documentElement.clientWidth]")
    assert lines[0] == 1 and lines[1] <= lines[2] * 1.2, f"the counter wraps at 390 px: {lines}"
    assert lines[3], "the counter runs off the screen at 390 px"
    b.shot("participant-contrast-390px", full=False)


def test_admin_input_edges_meet_non_text_contrast(browser, small_stack):
    b = browser
    b.open(admin_url(small_stack))
    b.wait("document.body.dataset.list === 'ready'", what="the pack list")
    for name, value in contrast(b, "#upload-form input[type=text], #upload-form input[type=number], #upload-form select",
                                border=True):
        assert value >= 3, f"admin input edge: {name} {value}:1 (WCAG AA 1.4.11 wants 3:1)"


def choose_folder(b, name, sex, age_min, age_max, folder):
    d = b.driver
    d.find_element("id", "u-name").clear()
    d.find_element("id", "u-name").send_keys(name)
    d.find_element("css selector", f'#u-sex option[value="{sex}"]').click()
    for field, value in (("u-age-min", age_min), ("u-age-max", age_max)):
        d.find_element("id", field).clear()
        d.find_element("id", field).send_keys(str(value))
    b.set_files("u-folder", [folder])
    b.wait("document.getElementById('u-files-summary').textContent.includes('" + str(SMALL_PACK * 2) + "')",
           what="the folder's summary with the pack size")


def creates_sent(b):
    b.collect()
    return [url for url in b.requests if url.endswith("/api/admin/create")]


def test_upload_refusals_in_korean_name_the_pack_and_the_count(small_stack, api, tmp_path):
    b = Browser(small_stack.base, SHOTS, lang="ko-KR")
    try:
        b.open(admin_url(small_stack))
        b.wait("document.body.dataset.list === 'ready' && document.documentElement.lang === 'ko'",
               what="the pack list in Korean")

        # A pair without its inv image: said at once, and Upload sends nothing.
        incomplete = write_pack(tmp_path / "incomplete", SMALL_PACK)
        next(incomplete.glob("*_00003_inv.*")).unlink()
        choose_folder(b, "incomplete", 2, 50, 59, incomplete)
        summary = b.driver.find_element("id", "u-files-summary").text
        assert f"완전한 쌍 {SMALL_PACK}개(이미지 {SMALL_PACK * 2}개)가 필요합니다" in summary, summary
        error = b.driver.find_element("id", "u-files-error")
        assert error.is_displayed() and "ori 이미지와 inv 이미지" in error.text, error.text
        b.driver.find_element("id", "upload-start").click()
        b.wait("true")
        assert b.js("return document.getElementById('upload').dataset.state") == "idle"
        assert creates_sent(b) == [], "the page sent a folder it knew to be incomplete"
        b.shot("admin-ko-incomplete-folder")

        # A complete folder whose ages overlap men20s: the server's refusal, in Korean, names it.
        b.allow_console(r"/api/admin/create .*status of 400")
        overlapping = write_pack(tmp_path / "overlap", SMALL_PACK)
        choose_folder(b, "overlap", MEN_PACK["sex"], 25, 35, overlapping)
        b.driver.find_element("id", "upload-start").click()
        b.wait("document.getElementById('upload').dataset.state === 'error'", timeout=60, what="the refusal")
        result = b.driver.find_element("id", "upload-result").text
        assert "겹치는 팩(men20s)" in result, result
        assert "Pack Condition Overlapped: men20s (sex 1, ages 20-29)" in result, "the server's own words as detail"
        assert not b.driver.find_element("id", "upload-progress-box").is_displayed(), "a full bar beside a refusal"
        assert "overlap" not in [p["pack_name"] for p in api.packs()]
        b.shot("admin-ko-overlap-refused")
    finally:
        check_and_quit(b)


def test_one_other_file_is_singular(browser, small_stack, tmp_path):
    b = browser
    b.open(admin_url(small_stack))
    b.wait("document.body.dataset.list === 'ready'", what="the pack list")
    folder = write_pack(tmp_path / "single", SMALL_PACK)
    (folder / "notes.txt").write_text("one other file\n")
    choose_folder(b, "single", 2, 60, 69, folder)
    summary = b.driver.find_element("id", "u-files-summary").text
    assert f"{SMALL_PACK * 2 + 1} files" in summary and "1 other file will be left out." in summary, summary
    assert f"A pack needs {SMALL_PACK} complete pairs ({SMALL_PACK * 2} images)" in summary, summary
    assert not b.driver.find_element("id", "u-files-error").is_displayed()
