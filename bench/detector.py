"""Benchmark: how many disclosures the safeguarding detector catches, and at what cost.

Runs the detector over the two parts of its evaluation set
(`tests/feedback/safeguarding/data/`): messages written the way young people write,
labelled as disclosures (by kind of harm) or everyday feedback. For the development
part it prints, kind by kind, how many disclosures were caught (recall) and how many
everyday messages raised an alert (false alarms). For both parts it prints the overall
recall and false-positive rate, how many caught disclosures carried the expected
category, how many danger-now disclosures were caught at that level, and the time a
scan takes per message (the best of several scans of each, after a warm-up).

The development part is what phrase work tunes against: `--list` prints its misses, its
danger-now disclosures caught only as worrying, and its false alarms. The held-out part
is never tuned on, so only its totals are printed. The last line is the summary of the
last part run, the held-out part unless `--part` says otherwise (n is its number of
messages):

    detector recall=R false_positive_rate=F n=N

Run: .venv/bin/python bench/detector.py [--phrases PATH] [--part development] [--list]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.safeguarding.detector import load_phrases  # noqa: E402 - after the path is set
from feedback.safeguarding.evaluation import (  # noqa: E402
    Figures,
    Tally,
    kinds_in_order,
    load_set,
    measure,
)

DATA = ROOT / "tests" / "feedback" / "safeguarding" / "data"
PARTS = {"development": DATA / "detector-dev.yaml", "held-out": DATA / "detector-held-out.yaml"}


def _cell(tally: Tally | None) -> str:
    if tally is None or not tally.total:
        return f"{'-':>14}"
    return f"{tally.hits:>4}/{tally.total:<4} {tally.rate:5.2f}"


def _report(figures: list[Figures], kinds: list[str], disclosure_kinds: set[str]) -> None:
    # Kind by kind for the development part only: the held-out part shows its totals,
    # so that nothing printed points phrase work at what it missed.
    development = next((f for f in figures if f.part == "development"), None)
    if development is not None:
        print(f"{'development part':<28}{'caught (recall)':>16}")
        for kind in kinds:
            if kind in disclosure_kinds and kind in development.by_kind:
                print(f"  {kind:<26}  {_cell(development.by_kind[kind])}")
        print(f"{'':<28}{'false alarms':>16}")
        for kind in kinds:
            if kind not in disclosure_kinds and kind in development.by_kind:
                print(f"  {kind:<26}  {_cell(development.by_kind[kind])}")
        print()
    print(f"{'totals':<28}" + "".join(f"{f.part:>16}" for f in figures))
    rows = [
        ("recall", lambda f: f.disclosures),
        ("false positive rate", lambda f: f.false_alarms),
        ("caught under its category", lambda f: f.right_category),
        ("danger-now at danger-now", lambda f: f.danger_now),
    ]
    for label, pick in rows:
        print(f"  {label:<26}" + "".join(f"  {_cell(pick(f))}" for f in figures))
    print(
        f"  {'ms per message (slowest)':<26}"
        + "".join(
            f"  {f.seconds_per_message * 1000:6.3f} ({f.slowest_seconds * 1000:4.2f})"
            for f in figures
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phrases", type=Path, default=None, help="a phrase file to try")
    parser.add_argument(
        "--part", choices=[*PARTS, "both"], default="both", help="which part to run"
    )
    parser.add_argument(
        "--list", action="store_true", help="print the development part's misses and false alarms"
    )
    parser.add_argument("--repeat", type=int, default=5, help="scans of each message to time")
    args = parser.parse_args(argv)

    book = load_phrases(args.phrases)
    names = list(PARTS) if args.part == "both" else [args.part]
    sets = [load_set(PARTS[name]) for name in names]
    for evaluation in sets:  # warm-up: the first scan of a new word fills caches
        for message in evaluation.messages:
            book.scan(message.text)
    figures = [measure(book, evaluation, repeat=args.repeat) for evaluation in sets]

    source = args.phrases or "the default phrase file"
    print(f"Detector: {source} ({len(book.entries)} phrases, {len(book.everyday)} everyday)")
    disclosure_kinds = {m.kind for s in sets for m in s.messages if m.flag}
    _report(figures, kinds_in_order(sets), disclosure_kinds)

    development = next((f for f in figures if f.part == "development"), None)
    if args.list and development is not None:
        print("\nMissed in the development part:")
        for message in development.missed:
            print(f"  [{message.kind}] {message.text}")
        print("\nDanger-now in the development part, caught only as worrying:")
        for message in development.understated:
            print(f"  [{message.kind}] {message.text}")
        print("\nFalse alarms in the development part:")
        for message, matched in development.raised:
            print(f"  [{message.kind}] {message.text}  <- {list(matched)}")

    summary = figures[-1]
    print(
        f"detector recall={summary.recall:.2f} "
        f"false_positive_rate={summary.false_positive_rate:.2f} n={summary.n}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
