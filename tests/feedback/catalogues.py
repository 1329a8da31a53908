"""What `make extract` does, for the tests that read the catalogues: where the project is,
the keywords each domain's extraction takes (Makefile: EXTRACT_KEYWORDS and
STAFF_KEYWORDS), and extracting afresh into a template."""

from __future__ import annotations

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def template_ids(path: Path) -> set[str]:
    with path.open("rb") as pot:
        return {message_key(m.id) for m in read_po(pot) if m.id}


def message_key(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else " | ".join(msgid)


# What `make extract` gives pybabel for each domain (Makefile: EXTRACT_KEYWORDS and
# STAFF_KEYWORDS): the young people's strings, and the words staff see.
MESSAGES_KEYWORDS = ["--keywords", "lazy_gettext", "--keywords", "_l"]
STAFF_KEYWORDS = [
    "--no-default-keywords",
    *("--keywords", "s_", "--keywords", "sl_", "--keywords", "sn_:1,2"),
    *("--keywords", "N_", "--keywords", "sN_"),
]


def _extract(keywords: list[str], output: Path, *sources: Path) -> set[str]:
    CommandLineInterface().run(
        ["pybabel", "--quiet", "extract", "--mapping-file", str(ROOT / "babel.cfg")]
        + keywords
        + ["--no-location", "--output-file", str(output)]
        + [str(source) for source in sources]
    )
    return template_ids(output)
