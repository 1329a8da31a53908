"""Benchmark: how well each way of reading free text labels comments it was not built from.

Reads the labelled corpus (outcomes/text/data: training.yaml, and held-out.yaml, which
nothing learns from and nothing is tuned on) and the labelled examples the text tests
check (tests/outcomes/text/examples.py), and scores each analyser:

- `textblob`: TextBlob's polarity alone, labelled with the analyser's own thresholds;
- `before`: the analyser as it was at --before (default: the commit this work started
  from), run from a copy of that commit's outcomes/text in a separate interpreter;
- `rules`: today's lexicon and rules, without the classifier;
- `classifier`: the classifier alone;
- `analyser`: what the app uses, the rules and the classifier combined.

Columns:

- `train`: accuracy and macro F1 on the training part. For the two that learn, this is
  5-fold cross-validated (stratified, fixed seed): each comment is scored by a model
  trained on the other four fifths. The rest learn nothing and are scored as they are.
- `held-out`: accuracy and macro F1 on the held-out part, with the learning analysers
  trained on the whole training part and never on the held-out one.
- `pos/neg`: on held-out comments labelled positive or negative, the share given that
  same label (a neutral or mixed answer counts as wrong).
- `tests`: share of the test examples' comment labels, and of their theme sets (each
  theme with its feeling, all or nothing), that the analyser gets right, using the model
  the app uses, trained on both parts; a second table splits them by kind: the lexicon,
  negation and labelling examples and themes by clause, and the complaints, praise,
  turns and negation of theme feelings.
- `themes`: on the held-out part, F1 of the theme codes found against those a reader
  filed, and the share of rightly found themes given the reader's feeling.

Four labels: positive, negative, mixed, neutral. The last line is the analyser's
held-out figures:

    text accuracy=A macro_f1=F n=N

Run: .venv/bin/python bench/text.py [--before REV]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import accuracy_score, f1_score  # noqa: E402 - after the path is set
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from textblob import TextBlob  # noqa: E402

from outcomes.text import analyse  # noqa: E402
from outcomes.text.classifier import load_model, train  # noqa: E402
from outcomes.text.corpus import (  # noqa: E402
    LABELS,
    LabelledComment,
    load_held_out,
    load_training,
)
from outcomes.text.sentiment import label_for, score_text  # noqa: E402
from tests.outcomes.text.examples import (  # noqa: E402
    CLAUSE_THEME_EXAMPLES,
    COMPLAINTS_AND_PRAISE,
    SENTIMENT_EXAMPLES,
    THEME_EXAMPLES,
    TURN_THEME_EXAMPLES,
    WORD_EXAMPLES,
)

# The commit before the classifier: the lexicon-and-rules analyser as it first shipped.
BEFORE = "3313ebb98e4de6e475d4790733f3dbbc8181caaa"
FOLDS = 5
SEED = 2026


@dataclass(frozen=True)
class Reading:
    sentiment: str
    themes: frozenset[tuple[str, str]] | None  # None: the analyser finds no themes


Reader = Callable[[Sequence[str]], list[Reading]]


@dataclass(frozen=True)
class Analyser:
    name: str
    reader: Reader  # as the app would use it: for one that learns, trained on everything
    # Given the comments to learn from, a reader; None for one that learns nothing.
    fit: Callable[[Sequence[LabelledComment]], Reader] | None = None


def _reading(analysis) -> Reading:
    return Reading(analysis.sentiment, frozenset((m.code, m.sentiment) for m in analysis.themes))


def read_textblob(texts: Sequence[str]) -> list[Reading]:
    return [Reading(label_for(TextBlob(t).sentiment.polarity), None) for t in texts]


def read_rules(texts: Sequence[str]) -> list[Reading]:
    return [_reading(analyse(t, rules_only=True)) for t in texts]


def classifier_reader(model) -> Reader:
    def read(texts: Sequence[str]) -> list[Reading]:
        chances = model.probabilities(texts, [score_text(t) for t in texts])
        return [Reading(max(c, key=c.__getitem__), None) for c in chances]

    return read


def fit_classifier(comments: Sequence[LabelledComment]) -> Reader:
    return classifier_reader(train(comments))


def analyser_reader(model) -> Reader:
    return lambda texts: [_reading(analyse(t, model=model)) for t in texts]


def fit_analyser(comments: Sequence[LabelledComment]) -> Reader:
    return analyser_reader(train(comments))


_BEFORE_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from outcomes.text import analyse
    for text in json.load(sys.stdin):
        a = analyse(text)
        print(json.dumps([a.sentiment, [[m.code, m.sentiment] for m in a.themes]]))
    """
)


def before_reader(rev: str) -> Reader | None:
    """The analyser at rev, from a copy of its outcomes/text in a separate interpreter,
    or None when this is not a git checkout holding that commit."""
    folder = Path(tempfile.mkdtemp(prefix="text-before-"))
    archive = subprocess.run(  # noqa: S603 - git on a fixed revision and paths
        ["git", "archive", rev, "outcomes/__init__.py", "outcomes/text"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        print(f"before: no commit {rev[:12]} here ({archive.stderr.decode().strip()})")
        return None
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)  # noqa: S603, S607

    def read_all(texts: Sequence[str]) -> list[Reading]:
        done = subprocess.run(  # noqa: S603 - this interpreter on a fixed script
            [sys.executable, "-c", _BEFORE_SCRIPT],
            input=json.dumps(list(texts)),
            capture_output=True,
            text=True,
            cwd=folder,
            env={**os.environ, "PYTHONPATH": str(folder)},
            check=True,
        )
        return [
            Reading(label, frozenset(tuple(m) for m in themes))
            for label, themes in map(json.loads, done.stdout.splitlines())
        ]

    # Starting an interpreter costs more than reading every comment, so read them all in
    # one go and answer from that.
    everything = sorted(
        {c.text for c in (*load_training(), *load_held_out())}
        | {t for t, _ in SENTIMENT_EXAMPLES}
        | {t for t, _ in THEME_EXAMPLES}
    )
    readings = dict(zip(everything, read_all(everything), strict=True))
    return lambda texts: [readings[t] for t in texts]


# --- Scores -------------------------------------------------------------------------


def _labels(comments: Sequence[LabelledComment]) -> list[str]:
    return [c.sentiment for c in comments]


def accuracy_and_f1(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    return (
        accuracy_score(gold, predicted),
        f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0),
    )


def positive_against_negative(gold: Sequence[str], predicted: Sequence[str]) -> float:
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g in ("positive", "negative")]
    return sum(g == p for g, p in pairs) / len(pairs)


def theme_scores(
    comments: Sequence[LabelledComment], readings: Sequence[Reading]
) -> tuple[float, float] | None:
    """(F1 of theme codes, share of rightly found themes with the right feeling)."""
    if any(r.themes is None for r in readings):
        return None
    found = wanted = hit = right_feeling = 0
    for comment, reading in zip(comments, readings, strict=True):
        gold = dict(comment.themes)
        codes = {code for code, _ in reading.themes}
        found += len(codes)
        wanted += len(gold)
        for code in codes & set(gold):
            hit += 1
            # A theme found with two feelings counts as right only if both are the reader's.
            right_feeling += {s for c, s in reading.themes if c == code} == {gold[code]}
    f1 = 2 * hit / (found + wanted) if found + wanted else 1.0
    return f1, (right_feeling / hit if hit else 0.0)


def labels_right(reader: Reader, examples: Sequence[tuple[str, str]]) -> float:
    readings = reader([t for t, _ in examples])
    return sum(
        r.sentiment == label for r, (_, label) in zip(readings, examples, strict=True)
    ) / len(examples)


def theme_sets_right(
    reader: Reader, examples: Sequence[tuple[str, set[tuple[str, str]]]]
) -> float | None:
    readings = reader([t for t, _ in examples])
    if any(r.themes is None for r in readings):
        return None
    right = sum(r.themes == frozenset(e) for r, (_, e) in zip(readings, examples, strict=True))
    return right / len(examples)


def cross_validated(
    fit: Callable[[Sequence[LabelledComment]], Reader], comments: Sequence[LabelledComment]
) -> list[str]:
    predicted: list[str] = [""] * len(comments)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for learn, test in folds.split([c.text for c in comments], _labels(comments)):
        reader = fit([comments[i] for i in learn])
        for i, reading in zip(test, reader([comments[i].text for i in test]), strict=True):
            predicted[i] = reading.sentiment
    return predicted


def _cell(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE, help="commit of the earlier analyser")
    args = parser.parse_args()

    training, held_out = load_training(), load_held_out()
    print(
        f"corpus: {len(training)} training, {len(held_out)} held out; "
        f"{len(SENTIMENT_EXAMPLES)} test labels, {len(THEME_EXAMPLES)} test theme sets"
    )
    analysers = [Analyser("textblob", read_textblob)]
    before = before_reader(args.before)
    if before is not None:
        analysers.append(Analyser("before", before))
    analysers.append(Analyser("rules", read_rules))
    analysers.append(Analyser("classifier", classifier_reader(load_model()), fit_classifier))
    analysers.append(Analyser("analyser", analyser_reader(load_model()), fit_analyser))

    print(f"{'':12} {'train':>13} {'held-out':>13} {'pos/neg':>8} {'tests':>13} {'themes':>13}")
    print(
        f"{'':12} {'acc':>6} {'F1':>6} {'acc':>6} {'F1':>6} {'acc':>8} {'labels':>6} "
        f"{'sets':>6} {'F1':>6} {'feel':>6}"
    )
    last = None
    by_kind: list[list[float | None]] = []
    for analyser in analysers:
        started = time.perf_counter()
        if analyser.fit is None:
            train_predicted = [r.sentiment for r in analyser.reader([c.text for c in training])]
            held_reader = analyser.reader
        else:
            train_predicted = cross_validated(analyser.fit, training)
            held_reader = analyser.fit(training)
        held = held_reader([c.text for c in held_out])
        held_predicted = [r.sentiment for r in held]
        train_acc, train_f1 = accuracy_and_f1(_labels(training), train_predicted)
        held_acc, held_f1 = accuracy_and_f1(_labels(held_out), held_predicted)
        pos_neg = positive_against_negative(_labels(held_out), held_predicted)

        tests_labels = labels_right(analyser.reader, SENTIMENT_EXAMPLES)
        tests_themes = theme_sets_right(analyser.reader, THEME_EXAMPLES)
        by_kind.append(
            [
                labels_right(analyser.reader, WORD_EXAMPLES),
                labels_right(analyser.reader, COMPLAINTS_AND_PRAISE),
                theme_sets_right(analyser.reader, CLAUSE_THEME_EXAMPLES),
                theme_sets_right(analyser.reader, TURN_THEME_EXAMPLES),
            ]
        )
        themes = theme_scores(held_out, held)
        theme_f1, theme_feel = themes if themes is not None else (None, None)
        print(
            f"{analyser.name:12} {_cell(train_acc):>6} {_cell(train_f1):>6} "
            f"{_cell(held_acc):>6} {_cell(held_f1):>6} {_cell(pos_neg):>8} "
            f"{_cell(tests_labels):>6} {_cell(tests_themes):>6} "
            f"{_cell(theme_f1):>6} {_cell(theme_feel):>6}"
            f"   ({time.perf_counter() - started:.1f} s)"
        )
        last = (held_acc, held_f1)

    print(f"\ntest examples by kind{'':19}" + "".join(f"{a.name:>11}" for a in analysers))
    kinds = [
        f"labels: lexicon, negation, mixed ({len(WORD_EXAMPLES)})",
        f"labels: complaints and praise ({len(COMPLAINTS_AND_PRAISE)})",
        f"theme sets: by clause ({len(CLAUSE_THEME_EXAMPLES)})",
        f"theme sets: turns and complaints ({len(TURN_THEME_EXAMPLES)})",
    ]
    for i, kind in enumerate(kinds):
        print(f"{kind:40}" + "".join(f"{_cell(row[i]):>11}" for row in by_kind))

    assert last is not None
    print(f"text accuracy={last[0]:.3f} macro_f1={last[1]:.3f} n={len(held_out)}")


if __name__ == "__main__":
    main()
