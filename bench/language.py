"""Benchmark: how surely short answers are told to be English or another language.

English answers: every comment of the project's corpora (outcomes/text/data) and every
message of the detector's evaluation sets (tests/feedback/safeguarding/data), short,
misspelt and full of slang as young people write them. Answers in other languages:
outcomes/text/data/other-languages.yaml (Polish, Romanian, Urdu, Arabic, Somali and
others). Two ways of telling are run on the same answers in the same process:

- `model`: lingua-language-detector alone (the same languages and accuracy mode),
  English when it ranks English first or nothing;
- `app`: `outcomes.text.language.language_of`, what the app uses: scripts, then English
  words and slang, then the model with a lead that grows with the share of English words.

A misread English answer raises an alert for nothing; a missed answer in another language
would pass unread, which is why the app flags whenever it is not sure of English.
The last line is the app's figures, with the ratio of its English misreads to the
model's alone:

    language english_misread=M n_english=N other_caught=C n_other=K misread_ratio=R

Run: .venv/bin/python bench/language.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from outcomes.text import language  # noqa: E402


def english_answers() -> list[str]:
    texts = []
    for name in ("training.yaml", "held-out.yaml"):
        data = yaml.safe_load((ROOT / "outcomes/text/data" / name).read_text(encoding="utf-8"))
        texts += [c["text"] for c in data["comments"]]
    for name in ("detector-dev.yaml", "detector-held-out.yaml"):
        path = ROOT / "tests/feedback/safeguarding/data" / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for value in data.values():
            if isinstance(value, list):
                texts += [m["text"] for m in value if isinstance(m, dict) and "text" in m]
    return texts


def other_answers() -> list[dict]:
    path = ROOT / "outcomes/text/data/other-languages.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


def model_alone(text: str) -> str:
    found = language._detector().detect_language_of(text)
    return "en" if found is None or found.name == "ENGLISH" else "other"


def app(text: str) -> str:
    return "en" if language.is_english(text) else "other"


def main() -> None:
    english, others = english_answers(), other_answers()
    results = {}
    print(f"{'':8}{'english misread':>18}{'other caught':>15}{'ms/answer':>12}")
    for name, tell in (("model", model_alone), ("app", app)):
        tell(english[0])  # load the models before timing
        started = time.perf_counter()
        misread = [t for t in english if tell(t) != "en"]
        caught = [a for a in others if tell(a["text"]) != "en"]
        ms = (time.perf_counter() - started) * 1000 / (len(english) + len(others))
        results[name] = (len(misread), len(caught))
        print(
            f"{name:8}{len(misread):>12}/{len(english):<5}{len(caught):>9}/{len(others):<5}"
            f"{ms:>12.2f}"
        )
        if name == "app":
            missed = [a["text"] for a in others if tell(a["text"]) == "en"]
            print(f"  app missed: {missed}\n  app misread: {misread[:10]}")
    misread, caught = results["app"]
    ratio = misread / results["model"][0] if results["model"][0] else 0.0
    print(
        f"language english_misread={misread} n_english={len(english)} "
        f"other_caught={caught} n_other={len(others)} misread_ratio={ratio:.3f}"
    )


if __name__ == "__main__":
    main()
