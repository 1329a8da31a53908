"""The app's Jinja environment: a template's globals read through to the environment's,
as Jinja's own do, with the same keys."""

from __future__ import annotations

from collections import ChainMap

from jinja2 import DictLoader

from feedback.templating import Environment, TemplateGlobals


def test_a_templates_globals_have_the_keys_jinjas_would(app):
    assert isinstance(app.jinja_env, Environment)
    template = app.jinja_env.get_template("young/base.html")
    assert isinstance(template.globals, TemplateGlobals)
    assert template.globals.keys() == set(ChainMap(*template.globals.maps).keys())
    assert set(template.globals) == template.globals.keys()


def test_globals_added_later_are_seen_by_templates_already_loaded(app):
    app.jinja_env.loader = DictLoader(
        {
            "page.html": '{% from "parts.html" import part %}{{ part() }}',
            "parts.html": "{% macro part() %}{{ added_later() }}{% endmacro %}",
        }
    )
    page = app.jinja_env.get_template("page.html")
    app.jinja_env.globals["added_later"] = lambda: "seen"
    assert {"added_later"} <= page.globals.keys()
    assert page.render() == "seen"


def test_a_templates_own_globals_stay_its_own(app):
    app.jinja_env.loader = DictLoader({"own.html": "{{ mine }}"})
    template = app.jinja_env.get_template("own.html", globals={"mine": "only here"})
    assert template.render() == "only here"
    assert "mine" not in app.jinja_env.globals
