"""The easy-read pictures, drawn as small inline SVGs of our own.

One drawing for each name in `outcomes.easy_read.PICTURES` (a test checks both lists
match). Each is a line drawing on a 24 x 24 grid in near-black (#0b0c0c, GOV.UK's text
colour: over 19:1 against white) with a pale fill, so its shape reads on any of the
page's backgrounds. Pictures sit beside words that say everything on their own, so they
are hidden from screen readers (`aria-hidden`) and never take focus. They are written
into the page rather than linked: a handful of short paths costs fewer bytes than a
request for a file.
"""

from __future__ import annotations

from markupsafe import Markup

INK = "#0b0c0c"
# Pale fills (GOV.UK colours' lightest tints); the faces' match the standard scale's.
RED = "#f4d7d7"
ORANGE = "#fde4d7"
YELLOW = "#fff8cc"
GREEN = "#cfe4dc"
DEEP_GREEN = "#87bca8"
BLUE = "#d2e2f1"


def _face(fill: str, mouth: str, open_mouth: bool = False) -> str:
    filled = f' fill="{INK}"' if open_mouth else ""
    return (
        f'<circle cx="12" cy="12" r="10" fill="{fill}"/>'
        '<path d="M8.5 10h0M15.5 10h0" stroke-width="2.6"/>'
        f'<path d="{mouth}"{filled}/>'
    )


def _person(x: float, y: float, head: float, width: float, fill: str) -> str:
    """A head and shoulders standing on the bottom of the grid."""
    shoulders = y + head + 1.5
    return (
        f'<circle cx="{x:g}" cy="{y:g}" r="{head:g}" fill="{fill}"/>'
        f'<path d="M{x - width:g} 21v-{21 - shoulders - width:g}a{width:g} {width:g} 0 0 1 '
        f'{2 * width:g} 0V21" fill="{fill}"/>'
    )


DRAWINGS: dict[str, str] = {
    "face-1": _face(RED, "M7 17.5q5-5.5 10 0"),
    "face-2": _face(ORANGE, "M8 16.5q4-2.5 8 0"),
    "face-3": _face(YELLOW, "M8 15.5h8"),
    "face-4": _face(GREEN, "M8 14.5q4 3.5 8 0"),
    "face-5": _face(DEEP_GREEN, "M7 14q5 7 10 0z", open_mouth=True),
    "tick": (
        f'<circle cx="12" cy="12" r="10" fill="{GREEN}"/>'
        '<path d="m7 12.5 3.5 3.5L17 9" stroke-width="2"/>'
    ),
    "cross": (
        f'<circle cx="12" cy="12" r="10" fill="{RED}"/>'
        '<path d="m8 8 8 8m0-8-8 8" stroke-width="2"/>'
    ),
    "question-mark": (
        f'<circle cx="12" cy="12" r="10" fill="{YELLOW}"/>'
        '<path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 17h0" stroke-width="2"/>'
    ),
    "partly": (
        '<circle cx="12" cy="12" r="10" fill="#fff"/>'
        f'<path d="M12 2a10 10 0 0 0 0 20z" fill="{DEEP_GREEN}"/>'
    ),
    "safety": (
        f'<path d="M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5z" fill="{BLUE}"/>'
        '<path d="m8.5 12 2.5 2.5 4.5-5"/>'
    ),
    "trusted-adult": _person(8, 5, 2.5, 4, BLUE) + _person(17.5, 11, 2, 3, YELLOW),
    "listened-to": (
        f'<path d="M6 9a6 6 0 0 1 12 0c0 3.5-3.5 4.5-3.5 8a3 3 0 0 1-6 0" fill="{ORANGE}"/>'
        '<path d="M9.5 9a2.5 2.5 0 0 1 5 0c0 1.5-1.5 2-2 3"/>'
    ),
    "school": (
        f'<path d="M12 6C9 4 6 4 3 5v14c3-1 6-1 9 1 3-2 6-2 9-1V5c-3-1-6-1-9 1z" fill="{BLUE}"/>'
        '<path d="M12 6v14"/>'
    ),
    "feelings": (
        '<path d="M12 20S3 14.5 3 8.5A4.5 4.5 0 0 1 12 6a4.5 4.5 0 0 1 9 2.5C21 14.5 12 20 '
        f'12 20z" fill="{RED}"/>'
    ),
    "home": (
        f'<path d="M4 10.5V21h16V10.5L12 4z" fill="{YELLOW}"/>'
        '<path d="M2 12 12 3l10 9M10 21v-6h4v6"/>'
    ),
    "missing": (
        f'<path d="M12 22s7-6.5 7-12a7 7 0 0 0-14 0c0 5.5 7 12 7 12z" fill="{BLUE}"/>'
        '<path d="M10 8.5a2 2 0 1 1 2.8 1.8c-.5.2-.8.7-.8 1.2M12 14.5h0"/>'
    ),
    "future": (
        '<path d="M3 21c4-3 8-1 11-5" stroke-dasharray="2 2.5"/>'
        f'<path d="M14 16V3l7 3-7 3" fill="{GREEN}"/>'
    ),
    "help": (
        f'<circle cx="12" cy="12" r="9.5" fill="{RED}"/><circle cx="12" cy="12" r="4" fill="#fff"/>'
        '<path d="m5.3 5.3 3.9 3.9m5.6 5.6 3.9 3.9m0-13.4-3.9 3.9m-5.6 5.6-3.9 3.9"/>'
    ),
    "talk": (
        f'<path d="M3 4h18v12H9l-5 4v-4H3z" fill="{BLUE}"/>'
        '<path d="M8 10h0m4 0h0m4 0h0" stroke-width="2.5"/>'
    ),
    "thumbs-up": (
        f'<path d="M7 11v10H3V11zm0 0 4-8c1.5 0 2.5 1 2 3l-1 4h6.5a2 2 0 0 1 2 2.4l-1.5 6.6a2 '
        f'2 0 0 1-2 1.6H7" fill="{GREEN}"/>'
    ),
    "phone": f'<rect x="6" y="2" width="12" height="20" rx="2" fill="{BLUE}"/><path d="M11 18h2"/>',
    "better": '<path d="m3 20 7-7 4 4 7-9M15 8h6v6" stroke-width="2"/>',
    "friends": _person(7.5, 6, 3, 4.5, BLUE) + _person(16.5, 6, 3, 4.5, YELLOW),
    "family": _person(5.5, 5, 2.5, 3.5, BLUE)
    + _person(18.5, 5, 2.5, 3.5, BLUE)
    + _person(12, 12, 2, 2.5, YELLOW),
    "star": (
        '<path d="m12 2 3 6.5 7 .8-5.2 4.8 1.4 7L12 17.6l-6.2 3.5 1.4-7L2 9.3l7-.8z" '
        f'fill="{YELLOW}"/>'
    ),
    "pencil": f'<path d="M16 3l5 5L8 21H3v-5z" fill="{YELLOW}"/><path d="m13 6 5 5M3 16l5 5"/>',
    "people": _person(4.5, 9, 2, 2.5, YELLOW)
    + _person(19.5, 9, 2, 2.5, YELLOW)
    + _person(12, 6, 2.5, 4, BLUE),
    "person": _person(12, 6, 3.5, 6, BLUE),
    "worker": _person(12, 6, 3.5, 6, BLUE)
    + '<rect x="13" y="15" width="4" height="3" fill="#fff"/>',
    "ball": (
        '<circle cx="12" cy="12" r="10" fill="#fff"/>'
        f'<path d="m12 7.5 4 2.9-1.5 4.6h-5L8 10.4z" fill="{INK}"/>'
        '<path d="M12 7.5V2m4 8.4 5.5-1.8M14.5 15l3 4.5M9.5 15l-3 4.5M8 10.4 2.5 8.6"/>'
    ),
    "money": (
        f'<circle cx="12" cy="12" r="10" fill="{YELLOW}"/>'
        '<path d="M15 8.5a2.5 2.5 0 0 0-4.5 1.5v6.5h-2h7M8.5 12.5h5"/>'
    ),
    "nothing": '<rect x="4" y="4" width="16" height="16" rx="2" stroke-dasharray="3 3"/>',
}

# Presentation attributes, not CSS: the shapes inherit them from the <svg>.
_OPEN = (
    '<svg class="app-picture{size}" viewBox="0 0 24 24" width="{px}" height="{px}" '
    'aria-hidden="true" focusable="false" fill="none" stroke="' + INK + '" '
    'stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round">'
)
SIZES = {"option": ("", 32), "subject": (" app-picture--subject", 40)}


def picture(name: str, size: str = "option") -> Markup:
    """The picture called `name`, as inline SVG hidden from screen readers; KeyError for
    a name with no drawing (the easy-read files are checked at start-up to name only
    drawn pictures)."""
    modifier, px = SIZES[size]
    svg = _OPEN.format(size=modifier, px=px) + DRAWINGS[name] + "</svg>"
    return Markup(svg)  # noqa: S704  # nosec B704  # our own drawings, no outside value
