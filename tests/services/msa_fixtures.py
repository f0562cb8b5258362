"""Study sheets for the MSA tests: the AIAG manual's example, made-up gauges that are good,
marginal or bad, and an OK / NG check."""

from __future__ import annotations

import random
from pathlib import Path

from tests.domain.test_msa import AIAG, REFERENCE


def write_sheet(path: Path, header: list[str], rows: list[list[object]],
                delimiter: str = ",") -> Path:
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def aiag_rows() -> list[list[object]]:
    return [[op, part + 1, trial + 1, value] for op, trials in AIAG.items()
            for trial, row in enumerate(trials) for part, value in enumerate(row)]


def made_up_rows(noise: float, seed: int = 1, nominal: float = 12.0,
                 spread: float = 0.03) -> list[list[object]]:
    """3 operators x 10 parts x 3 trials: parts spread about `spread` around `nominal`, each
    reading off by a normal error of `noise`."""
    rng = random.Random(seed)
    sizes = [nominal + spread * (j - 4.5) / 3 for j in range(10)]
    return [[op, j + 1, t, f"{sizes[j] + rng.gauss(0, noise):.4f}"]
            for op in ("Amine", "Bilal", "Chloé") for t in (1, 2, 3) for j in range(10)]


def judgement_rows() -> list[list[object]]:
    """The hand-worked attribute example of tests/domain/test_msa.py, with its reference."""
    out = []
    for op in "ABC":
        for part, truth in REFERENCE.items():
            for trial in (1, 2):
                said = truth
                if op == "A" and part == "7" and trial == 2:
                    said = "OK"
                if op == "B" and part == "2":
                    said = "NG"
                out.append([op, part, trial, said, truth])
    return out


HEADER = ["operator", "part", "trial", "value"]
