"""Every table of the app, imported in one place for Alembic and for create_all in tests."""

from feedback.audit.models import AuditEvent
from feedback.cases.models import Case, CaseStrand
from feedback.invitations.models import Invitation
from feedback.responses.models import Answer, Response
from feedback.staff.models import Team, User, staff_team

__all__ = [
    "AuditEvent",
    "Answer",
    "Case",
    "CaseStrand",
    "Invitation",
    "Response",
    "Team",
    "User",
    "staff_team",
]

# Each feature's tables, one line a feature (features add their own line here):
from feedback.alerts.models import Alert, OutboxMessage, TeamDuty, TeamDutyDay  # noqa: E402, F401
from feedback.dashboard.models import ReportCommentary  # noqa: E402, F401
from feedback.outbox.models import OutboxAddress  # noqa: E402, F401
from feedback.outcomes_views.models import CaseFacts, Goal, GoalRating  # noqa: E402, F401
from feedback.settings.models import Setting  # noqa: E402, F401
from feedback.talk.models import TalkRequest, YouSaidWeDid  # noqa: E402, F401
