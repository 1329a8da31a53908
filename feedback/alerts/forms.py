from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
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
    submit = SubmitField("Close alert", widget=GovSubmitInput())
