"""A questionnaire offered in a language it does not give every word in stops the app at
start-up, with the file, the language and the string named."""

from __future__ import annotations

import shutil

import pytest
import yaml

import outcomes.questionnaires as questionnaires
import outcomes.words as words
from feedback import create_app
from outcomes.questionnaires import DefinitionError


@pytest.fixture
def definitions(tmp_path, monkeypatch):
    """A copy of the packaged questionnaire files and shared words the app reads."""
    folder = tmp_path / "questionnaires"
    shutil.copytree(questionnaires.DEFINITIONS, folder)
    shutil.copy(words.WORDS_FILE, tmp_path / "words.yaml")
    monkeypatch.setattr(questionnaires, "DEFINITIONS", folder)
    monkeypatch.setattr(words, "WORDS_FILE", tmp_path / "words.yaml")
    questionnaires.all_questionnaires.cache_clear()
    words.shared_words.cache_clear()
    yield folder
    monkeypatch.undo()
    questionnaires.all_questionnaires.cache_clear()
    words.shared_words.cache_clear()


def _edit(path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_app_starts_with_the_packaged_translations(app_config, definitions):
    create_app(app_config)


def test_a_missing_translation_stops_the_app_naming_file_language_and_string(
    app_config, definitions
):
    _edit(
        definitions / "exit-young-person-v1.yaml",
        lambda d: d["translations"]["ar"]["questions"]["helped"].pop("text"),
    )
    with pytest.raises(DefinitionError) as caught:
        create_app(app_config)
    assert str(caught.value) == (
        "exit-young-person-v1.yaml: translations.ar.questions.helped.text: is missing (language ar)"
    )


def test_a_missing_shared_word_stops_the_app_too(app_config, definitions):
    _edit(definitions.parent / "words.yaml", lambda d: d["ro"]["options"]["yes-no"].pop("no"))
    with pytest.raises(DefinitionError) as caught:
        create_app(app_config)
    assert str(caught.value) == "words.yaml: ro.options.yes-no.no: is missing (language ro)"
