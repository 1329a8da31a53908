"""GOV.UK Frontend's form widgets for staff pages, with the words GOV.UK draws itself in
the staff catalogue: the hidden "Error" read before a field's error, a date's Day, Month
and Year, and the password field's "Show" and "Hide" button.

In English a page stays exactly as GOV.UK draws it: the password field's words are given
only where a catalogue changes them (each given word also becomes an attribute for the
field's script)."""

from __future__ import annotations

from govuk_frontend_wtf import wtforms_widgets as gov

from feedback.i18n import s_


def password_words() -> dict[str, str]:
    """The password field's words that the staff catalogue changes from GOV.UK's English."""
    words = {
        "showPasswordText": (s_("Show"), "Show"),
        "hidePasswordText": (s_("Hide"), "Hide"),
        "showPasswordAriaLabelText": (s_("Show password"), "Show password"),
        "hidePasswordAriaLabelText": (s_("Hide password"), "Hide password"),
        "passwordShownAnnouncementText": (
            s_("Your password is visible"),
            "Your password is visible",
        ),
        "passwordHiddenAnnouncementText": (
            s_("Your password is hidden"),
            "Your password is hidden",
        ),
    }
    return {name: text for name, (text, english) in words.items() if text != english}


class StaffWords:
    """A field's error, with the hidden word before it from the staff catalogue."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        if params.get("errorMessage"):
            params["errorMessage"]["visuallyHiddenText"] = s_("Error")
        return params


class TextInput(StaffWords, gov.GovTextInput):
    pass


class PasswordInput(StaffWords, gov.GovPasswordInput):
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.update(password_words())
        return params


class RadioInput(StaffWords, gov.GovRadioInput):
    pass


class CheckboxesInput(StaffWords, gov.GovCheckboxesInput):
    pass


class Select(StaffWords, gov.GovSelect):
    pass


class CheckboxInput(StaffWords, gov.GovCheckboxInput):
    pass


class TextArea(StaffWords, gov.GovTextArea):
    pass


class DateInput(StaffWords, gov.GovDateInput):
    """GOV.UK's date input, its Day, Month and Year from the staff catalogue."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, word in zip(params["items"], (s_("Day"), s_("Month"), s_("Year")), strict=True):
            item["label"] = word
        return params


SubmitInput = gov.GovSubmitInput
