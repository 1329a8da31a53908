"""Every shipped language's catalogue is complete, keeps each string's placeholders and
markup, and the template (.pot) holds exactly the strings the code marks.

`make extract` re-extracts the strings and updates each .po file; a failure here names
the language and the string to fix.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from feedback.i18n import DEFAULT, LANGUAGES, TRANSLATIONS
from tests.feedback.catalogues import (
    MESSAGES_KEYWORDS,
    ROOT,
    STAFF_KEYWORDS,
    _extract,
    message_key,
    template_ids,
)

SHIPPED = sorted(code for code in LANGUAGES if code != DEFAULT)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
TAG = re.compile(r"<[^>]+>")


def catalogue(code: str):
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=code)


def problems(catalog) -> list[str]:
    """What is wrong with one language's catalogue, one line a string."""
    found = []
    if catalog.fuzzy:
        found.append("the catalogue's header is marked fuzzy")
    for message in catalog:
        if not message.id:
            continue
        name = message_key(message.id)
        if message.fuzzy:
            found.append(f"fuzzy: {name!r}")
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(form and form.strip() for form in forms):
            found.append(f"missing or empty: {name!r}")
            continue
        if message.pluralizable:
            if len(forms) != catalog.num_plurals:
                found.append(f"{len(forms)} plural forms, not {catalog.num_plurals}: {name!r}")
            # A form for exactly one (or two) may say the number in words.
            allowed = set(PLACEHOLDER.findall(" ".join(message.id)))
            if any(not set(PLACEHOLDER.findall(form)) <= allowed for form in forms):
                found.append(f"a placeholder not in the English: {name!r}")
            if set(PLACEHOLDER.findall(forms[-1])) != allowed:
                found.append(f"placeholders differ in the last plural form: {name!r}")
        else:
            if sorted(PLACEHOLDER.findall(forms[0])) != sorted(PLACEHOLDER.findall(message.id)):
                found.append(f"placeholders differ: {name!r}")
            if sorted(TAG.findall(forms[0])) != sorted(TAG.findall(message.id)):
                found.append(f"markup differs: {name!r}")
    return found


@pytest.mark.parametrize("code", SHIPPED)
def test_every_string_is_translated_with_its_placeholders_and_markup(code):
    catalog = catalogue(code)
    assert problems(catalog) == [], f"{LANGUAGES[code].english_name} ({code})"
    pot = template_ids(TRANSLATIONS / "messages.pot")
    assert {message_key(m.id) for m in catalog if m.id} == pot, (
        f"{code}: the .po file is not up to date with messages.pot: run `make extract`"
    )


def test_the_check_fails_on_a_missing_empty_fuzzy_or_changed_translation():
    catalog = catalogue("pl")
    plain = next(m for m in catalog if m.id and not m.pluralizable and "%(" in m.id)
    plural = next(m for m in catalog if m.pluralizable)
    original = plain.string

    plain.string = ""
    assert any("missing or empty" in p for p in problems(catalog))
    plain.string = original.replace("%(", "%(x")
    assert any("placeholders differ" in p for p in problems(catalog))
    plain.string = original
    plain.flags.add("fuzzy")
    assert any(p.startswith("fuzzy") for p in problems(catalog))
    plain.flags.discard("fuzzy")
    plural.string = plural.string[:-1]
    assert problems(catalog)


def test_the_template_holds_exactly_the_strings_the_code_marks(tmp_path):
    """Fails when a string was marked (or changed) without `make extract`."""
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "--quiet",
            "extract",
            "--mapping-file",
            str(ROOT / "babel.cfg"),
            "--keywords",
            "lazy_gettext",
            "--keywords",
            "_l",
            "--no-location",
            "--output-file",
            str(fresh),
            str(ROOT / "feedback"),
            str(ROOT / "templates"),
        ]
    )
    shipped = template_ids(TRANSLATIONS / "messages.pot")
    extracted = template_ids(fresh)
    assert extracted - shipped == set(), "strings not in messages.pot: run `make extract`"
    assert shipped - extracted == set(), "messages.pot has strings no longer used: `make extract`"


def test_the_staff_template_holds_exactly_the_strings_staff_see(tmp_path):
    """Fails when a staff string was marked (or changed) without `make extract`."""
    extracted = _extract(
        STAFF_KEYWORDS, tmp_path / "staff.pot", ROOT / "feedback", ROOT / "templates"
    )
    shipped = template_ids(TRANSLATIONS / "staff.pot")
    assert extracted - shipped == set(), "strings not in staff.pot: run `make extract`"
    assert shipped - extracted == set(), "staff.pot has strings no longer used: `make extract`"


def test_staff_words_are_marked_and_stay_out_of_the_young_peoples_catalogues(tmp_path):
    staff = template_ids(TRANSLATIONS / "staff.pot")
    assert len(staff) > 200
    # Words only staff see are not asked of the young people's translators.
    messages = template_ids(TRANSLATIONS / "messages.pot")
    for staff_only in ("There are no cases yet.", "Invite a member of staff", "Sign out"):
        assert staff_only in staff
        assert staff_only not in messages
    # The young people's extraction never takes s_ or sl_; the staff one never takes _.
    source = tmp_path / "source"
    source.mkdir()
    (source / "page.html").write_text(
        '{{ s_("For staff") }} {{ _("For young people") }}'
        ' {{ sn_("%(num)d case", "%(num)d cases", 2) }}'
    )
    (source / "code.py").write_text('sl_("Label for staff")\n_l("Label for young people")\n')
    young = _extract(MESSAGES_KEYWORDS, tmp_path / "young.pot", source)
    assert young == {"For young people", "Label for young people"}
    assert _extract(STAFF_KEYWORDS, tmp_path / "staff-only.pot", source) == {
        "For staff",
        "Label for staff",
        "%(num)d case | %(num)d cases",
    }


def test_staff_words_are_english_while_no_staff_catalogue_is_shipped(app):
    from feedback.i18n import s_, sl_, sn_

    assert not list(TRANSLATIONS.glob("*/LC_MESSAGES/staff.po"))
    with app.test_request_context("/?lang=ur"):
        assert s_("Signed in as %(name)s (%(role)s)", name="Sam", role="Admin") == (
            "Signed in as Sam (Admin)"
        )
        assert str(sl_("Cases")) == "Cases"
        assert sn_("%(num)d case", "%(num)d cases", 1) == "1 case"
        assert sn_("%(num)d case", "%(num)d cases", 3) == "3 cases"


def test_young_templates_never_hide_gettext_behind_a_variable():
    """`{% set _ = ... %}` would replace `_` (gettext) for the rest of the template."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "_(" in path.read_text() and re.search(r"{%-?\s*set\s+_\s*=", path.read_text())
    ]
    assert offenders == []
