"""The words staff read for each kind of alert are marked for the staff catalogue."""

from __future__ import annotations

from feedback.alerts import CATEGORY_LABELS, _category_label
from feedback.safeguarding.detector import load_phrases


def test_every_label_of_the_shipped_phrase_file_is_marked_for_translation():
    shipped = set(load_phrases().labels.values())
    assert {str(label) for label in CATEGORY_LABELS} == shipped


def test_a_category_shows_its_label_and_an_unknown_code_shows_itself(app):
    with app.test_request_context("/alerts"):
        assert _category_label("another-language") == (
            "Written in another language: needs a human read"
        )
        assert _category_label("no-such-kind") == "no-such-kind"
