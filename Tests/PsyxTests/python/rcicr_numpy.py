#!/usr/bin/env python3
"""rcicr's classification images computed independently in numpy, from the truth of a generated
pack and Psyx's format=rcicr download, for AnalysisBaseFaceTests.

usage: rcicr_numpy.py TRUTH_DIR RCICR_CSV PSYX_PNG_DIR

TRUTH_DIR holds size.json ({"width", "height", "pairs"}), noise.f32 (pairs x height x width
float32: stimulus n's noise pattern at index n - 1, as rcicr's generateNoiseImage gives it) and
base.f32 (height x width float32: rcicr's base_faces entry, 0...1). RCICR_CSV is the body of
/api/admin/download?format=rcicr. PSYX_PNG_DIR holds Psyx's pictures with independent scaling:
pack_independent.png and reply_<r_id>_independent.png (any subset).

As rcicr's generateCI2IFC and batchGenerateCI2IFC(by = "participant", scaling = "independent"):
  group CI: responses averaged per stimulus (aggregate), then the mean over stimuli of
            response x noise (generateCINoise's colMeans of the weighted parameters);
  a participant's CI: the mean over their trials of response x noise;
  scaled = (ci + c) / (2c) with c = max |ci|; combined = (scaled + base) / 2.
Prints a JSON object: picture name -> {"max", "mean"}, the largest and the mean per-pixel
difference in grey levels between Psyx's picture and round(255 * combined).
"""
import csv
import json
import os
import sys

import numpy as np

from ci_numpy import read_png


def main(truth_dir, rcicr_csv, psyx_dir):
    with open(os.path.join(truth_dir, "size.json"), encoding="utf-8") as handle:
        size = json.load(handle)
    shape = (size["pairs"], size["height"], size["width"])
    noise = np.fromfile(os.path.join(truth_dir, "noise.f32"), dtype="<f4").astype(np.float64).reshape(shape)
    base = np.fromfile(os.path.join(truth_dir, "base.f32"), dtype="<f4").astype(np.float64).reshape(shape[1:])

    with open(rcicr_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) >= {"participant", "stimulus", "response"}, rows[:1]
    for row in rows:
        assert row["response"] in ("1", "-1"), row  # rcicr would turn an NA into an NA CI

    def ci(trials):
        """mean over the distinct stimuli of (mean response) x noise."""
        sums, counts = {}, {}
        for stimulus, response in trials:
            sums[stimulus] = sums.get(stimulus, 0.0) + response
            counts[stimulus] = counts.get(stimulus, 0) + 1
        total = sum(sums[s] / counts[s] * noise[s - 1] for s in sums)
        return total / len(sums)

    trials = [(int(r["stimulus"]), float(r["response"])) for r in rows]
    cis = {"pack": ci(trials)}
    for participant in sorted({r["participant"] for r in rows}):
        mine = [r for r in rows if r["participant"] == participant]
        cis["reply_%s" % mine[0]["r_id"]] = ci([(int(r["stimulus"]), float(r["response"])) for r in mine])

    report = {}
    for name, values in cis.items():
        constant = np.abs(values).max()
        scaled = (values + constant) / (2 * constant)
        combined = np.clip(np.round((scaled + base) / 2 * 255), 0, 255)
        path = os.path.join(psyx_dir, "%s_independent.png" % name)
        if os.path.exists(path):
            difference = np.abs(read_png(path) - combined)
            report["%s_independent" % name] = {"max": float(difference.max()), "mean": float(difference.mean())}
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:4])
