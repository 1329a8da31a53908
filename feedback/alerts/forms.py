from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length


class AcknowledgeForm(FlaskForm):
    submit = SubmitField("Acknowledge alert", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    note = TextAreaField(
        "What action was taken?",
        description="For example, who you spoke to and what was agreed. Do not copy the "
        "young person's words here",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter what was done about this alert"),
            Length(max=5000, message="The note must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record action", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    # Asked only of an alert on words in another language (see alerts/show.html).
    quotable = BooleanField(
        "I have read the words in another language: they hold nothing worrying and may be "
        "quoted to managers where the young person agreed",
        description="Names, places, phone numbers and email addresses are taken out of "
        "quotes. Leave this unticked if anything in them needed action",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Close alert", widget=GovSubmitInput())
