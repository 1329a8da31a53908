"""Every route either says it is public or names the roles that may use it."""

from feedback.staff.access import PUBLIC_ATTR, ROLES_ATTR


def test_every_route_has_an_access_rule(app):
    unguarded = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not (getattr(view, PUBLIC_ATTR, False) or getattr(view, ROLES_ATTR, None)):
            unguarded.append(rule.rule)
    assert unguarded == []


def test_staff_routes_send_anonymous_visitors_to_sign_in(app, client):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, ROLES_ATTR, None) and "GET" in rule.methods and not rule.arguments:
            response = client.get(rule.rule)
            assert response.status_code == 302, rule.rule
            assert "/sign-in" in response.location, rule.rule
