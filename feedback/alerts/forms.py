from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from feedback.i18n import s_, sl_
from feedback.staff.widgets import CheckboxInput, SubmitInput, TextArea


class AcknowledgeForm(FlaskForm):
    submit = SubmitField(sl_("Acknowledge alert"), widget=SubmitInput())


class ActionForm(FlaskForm):
    # Its hint is set on each form (below): an apostrophe in a lazy hint would not be
    # escaped as the page escapes every other word.
    note = TextAreaField(
        sl_("What action was taken?"),
        widget=TextArea(),
        validators=[
            InputRequired(message=sl_("Enter what was done about this alert")),
            Length(max=5000, message=sl_("The note must be 5,000 characters or fewer")),
        ],
    )
    submit = SubmitField(sl_("Record action"), widget=SubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.note.description = s_(
            "For example, who you spoke to and what was agreed. Do not copy the young "
            "person's words here"
        )


class CloseForm(FlaskForm):
    # Asked only of an alert on words in another language (see alerts/show.html).
    quotable = BooleanField(
        sl_(
            "I have read the words in another language: they hold nothing worrying and may "
            "be quoted to managers where the young person agreed"
        ),
        description=sl_(
            "Names, places, phone numbers and email addresses are taken out of quotes. Leave "
            "this unticked if anything in them needed action"
        ),
        widget=CheckboxInput(),
    )
    submit = SubmitField(sl_("Close alert"), widget=SubmitInput())
