"""Reaction-time accuracy: keys sent through the DevTools protocol at
scripted delays after the faces' onset (the page's own performance.now()
onset, mapped onto this process's clock); every recorded rt must be within
50 ms of its scripted delay. A trial left alone is recorded as a timeout:
key " " and rt = the time limit."""

import statistics
import time

from conftest import SMALL_PACK, report
from participant import answer_trial, confirm_details, open_start, pass_instructions, person, start_experiment, wait_done

TOLERANCE_MS = 50
# (key, delay in ms after the onset); None: no key, the time limit runs out.
PLAN = [("F", 300), ("J", 600), ("F", 900), ("J", 1200), (None, None), ("J", 450), ("F", 750), ("J", 1050)]


def test_reaction_times(browser, api, small_stack):
    assert len(PLAN) == SMALL_PACK
    b = browser
    open_start(b)
    p = person("rt001", name="Jane O'Neil-Smith", phone="+82 10 5555 0101")
    confirm_details(b, p)
    start_experiment(b)
    pass_instructions(b)
    limit = b.state()["timeLimit"]
    assert limit == small_stack.time_limit

    b.sync_clock()
    shown = []
    for i, (key, delay) in enumerate(PLAN):
        if i == 3:
            b.sync_clock()  # again half-way: the two clocks need not run at exactly the same rate
        started = time.monotonic()
        shown.append(answer_trial(b, i, key, delay))
        if key is None:
            # The page moved on by itself, after the limit and not before.
            waited = time.monotonic() - started
            assert waited >= limit - 0.1, f"the unanswered trial ended after {waited:.3f} s"
    wait_done(b)

    (reply,) = api.replies_of(small_stack.men_pack_id, "rt001")
    errors = []
    lines = []
    for i, ((key, delay), answer, seen) in enumerate(zip(PLAN, reply["answers"], shown)):
        stored_key, rt, left, right = answer
        assert (left, right) == (seen["left"], seen["right"]), f"trial {i}: sides differ from the screen"
        if key is None:
            assert stored_key == " ", f"trial {i}: left alone but stored {stored_key!r}"
            assert rt == limit, f"trial {i}: a timeout is recorded with rt = the limit ({limit}), got {rt}"
            lines.append(f"  trial {i}: no key -> {stored_key!r} rt {rt:.3f} s (the limit)")
            continue
        assert stored_key == key, f"trial {i}: pressed {key}, stored {stored_key!r}"
        assert rt == round(rt, 3), f"trial {i}: rt {rt} has more than millisecond precision"
        error = rt * 1000 - delay
        errors.append(error)
        sent_late = seen["sent_at"] - seen["onset"] - delay
        lines.append(f"  trial {i}: key {key} at {delay} ms -> rt {rt * 1000:.0f} ms "
                     f"(error {error:+.1f} ms; the test sent it {sent_late:+.1f} ms after the scripted moment)")
    median = statistics.median(abs(e) for e in errors)
    report(f"reaction times: median |error| {median:.1f} ms, max {max(abs(e) for e in errors):.1f} ms "
           f"over {len(errors)} keys (tolerance {TOLERANCE_MS} ms)")
    for line in lines:
        report(line)
    bad = [(i, e) for i, e in enumerate(errors) if abs(e) > TOLERANCE_MS]
    assert not bad, f"rt off by more than {TOLERANCE_MS} ms: {bad}"
