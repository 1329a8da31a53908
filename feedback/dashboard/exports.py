"""CSV and XLSX of the dashboard's tables, safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return is read by spreadsheet
programs as a formula (CSV injection), and a team name or a theme label is typed by a
person. In CSV such a cell gets a leading single quote; in XLSX it is written as a string
cell explicitly, never as a formula. Numbers (counts, means, percentages) are written as
numbers in XLSX so that they can be summed; "c" stays text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from feedback.dashboard.services import DataTable
from feedback.i18n import s_, sl_

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
KEY = sl_(
    '"c": fewer than 10 young people, or hidden so that a small group cannot be worked out '
    "from other figures. Counts are rounded to the nearest 5."
)
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$")


def neutralise(value: object) -> str:
    """A cell's text as a spreadsheet will read it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def table_lines(table: DataTable) -> list[list[str]]:
    return [list(table.head), *(list(row) for row in table.rows)]


def notes(table: DataTable, filters: Sequence[str]) -> list[str]:
    """What a reader needs beside a table, in every format: its note, the filters, and
    what "c" means."""
    return [
        *([table.note] if table.note else []),
        *([s_("Filters: %(filters)s", filters="; ".join(filters))] if filters else []),
        str(KEY),
    ]


def write_csv(
    tables: Iterable[DataTable], *, titles: bool | None = None, filters: Sequence[str] = ()
) -> str:
    """One table as CSV; several as blocks, each headed by its title. The header row
    comes first, so that a program reads the table as it is; the notes (the filters and
    the key to "c", as on each sheet of the XLSX) follow each table after a blank row."""
    tables = list(tables)
    titles = len(tables) > 1 if titles is None else titles
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        if titles:
            writer.writerow([neutralise(table.title)])
        for line in table_lines(table):
            writer.writerow([neutralise(cell) for cell in line])
        writer.writerow([""])  # a row of one empty cell, which readers take as a row
        for note in notes(table, filters):
            writer.writerow([neutralise(note)])
    return out.getvalue()


def _xlsx_value(text: str) -> tuple[object, bool]:
    """(value, is_number)."""
    plain = text.rstrip("%")
    if _NUMBER.match(plain):
        number = float(plain.replace(",", ""))
        value = int(number) if number.is_integer() else number
        return (value / 100 if text.endswith("%") else value), True
    return text, False


def write_xlsx(tables: Sequence[DataTable], filters: Sequence[str] = ()) -> bytes:
    """A workbook with a sheet a table; the filters and the key to "c" on each."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.sheet_name, used))
        preamble: list[list[str]] = [
            [table.title],
            *([note] for note in notes(table, filters)),
            [],
        ]
        for r, line in enumerate(preamble + table_lines(table), start=1):
            for c, text in enumerate(line, start=1):
                cell = sheet.cell(row=r, column=c)
                value, is_number = _xlsx_value(text)
                if is_number and r > len(preamble) + 1:
                    cell.value = value
                    if text.endswith("%"):
                        cell.number_format = "0%"
                else:
                    # Assigning a string that starts with "=" makes openpyxl store a
                    # formula, so the data type is set to string explicitly after it.
                    cell.value = text
                    cell.data_type = TYPE_STRING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """A sheet named for people ("Safeguarding alerts"): Excel allows 31 characters and
    none of []:*?/\\, and no two sheets alike in any case."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or s_("Table")
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:27]} ({n})"
        n += 1
    used.add(name.lower())
    return name
