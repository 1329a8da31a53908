"""The outcomes framework as staff see it: case journeys, case facts, goals, admin pages."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup

from feedback.i18n import sl_
from outcomes.framework import check_all


def init_app(app: Flask) -> None:
    # A questionnaire naming an indicator no framework defines stops the app here, with
    # a message naming the file and the question, rather than scoring wrongly later.
    check_all()

    from feedback.outcomes_views import goals, routes, services
    from feedback.outcomes_views.cli import outcomes_group
    from feedback.responses.services import scoring_facts

    scoring_facts.connect(services.scoring_facts)
    app.register_blueprint(routes.bp)
    app.register_blueprint(goals.bp)
    app.cli.add_command(outcomes_group)

    def case_journey(case) -> Markup:
        return routes.render_case_journey(case)

    app.add_template_global(case_journey, "case_journey")
    app.config.setdefault("STAFF_NAV", []).append(
        (sl_("Outcomes framework"), "outcomes.framework_admin", ("admin",))
    )
