"""The outcomes framework as staff see it: case journeys, case facts, goals, admin pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
