"""Outcomes frameworks: versioned definition files of domains, indicators and scales.

A framework file is read by strict pydantic models and checked as a whole before anything
uses it, so a mistake in it stops the app at start-up with a message naming the file, the
YAML path of the entry (``domains[2].indicators[0].scale``) and what is wrong there,
rather than showing up later as a wrong score. `check_all()` also checks every
questionnaire against the framework it names.

Public API::

    load_framework_file(path) -> Framework
    parse_framework(data, source="<string>") -> Framework
    all_frameworks(directory=None) -> dict[(code, version), Framework]
    current_framework(code=SERVICE_FRAMEWORK, *, directory=None) -> Framework
    get_framework(code, version=None, *, directory=None) -> Framework
    validate_questionnaire(questionnaire, framework) -> None
    check_all(*, directory=None) -> None
    clear_cache() -> None
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from outcomes.question_types import DefinitionError, Strict, _definition_error, _path
from outcomes.questionnaires import Questionnaire, all_questionnaires

DEFINITIONS = Path(__file__).parent / "definitions" / "frameworks"

Source = Literal["young-person", "family", "practitioner"]
SOURCES: tuple[str, ...] = ("young-person", "family", "practitioner")

# Whose answers a questionnaire of each kind collects. A question may only feed an
# indicator of that source, so that a parent's view is never counted as the young
# person's own.
KIND_SOURCES: dict[str, str] = {
    "checkin": "young-person",
    "exit-young-person": "young-person",
    "exit-family": "family",
    "service-feedback": "young-person",
}

# Kinds whose answers are anonymous. Each anonymous response is a person of its own in
# the store, so these kinds are counted only on their own and never with the others,
# where a young person who also checks in would be counted twice.
ANONYMOUS_KINDS: tuple[str, ...] = ("service-feedback",)

# The framework this service measures its outcomes by.
SERVICE_FRAMEWORK = "complex-safeguarding"
# What the dashboard reports on when the app's DASHBOARD_FRAMEWORK setting is left as it
# is: version 1, not the current version, because version 2 only adds what the young
# person's exit interview measures and the dashboard does not show exit interviews yet.
# Set DASHBOARD_FRAMEWORK to None for the current version (`current_framework`).
DASHBOARD_DEFAULT: tuple[str, int] = (SERVICE_FRAMEWORK, 1)

_CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_BAND = re.compile(r"^(\d+)(?:(\+)|-(\d+))?$")


class FrameworkError(DefinitionError):
    """A framework file, or a questionnaire's use of one, is not valid."""


@dataclass(frozen=True)
class Band:
    """A range of counts, ``high`` included; ``high`` is None for "and more"."""

    low: int
    high: int | None

    def contains(self, n: int) -> bool:
        return n >= self.low and (self.high is None or n <= self.high)

    def __str__(self) -> str:
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class Scale:
    """Points from the worst outcome to the best, each 0-100.

    A scale a practitioner records facts on names each point by an option id
    (``options``) or by a band of counts (``bands``).
    """

    code: str
    points: tuple[float, ...]
    labels: tuple[str, ...] | None = None
    options: tuple[str, ...] | None = None
    bands: tuple[Band, ...] | None = None

    def __len__(self) -> int:
        return len(self.points)

    def score_option(self, option_id: str) -> float | None:
        if self.options is None or option_id not in self.options:
            return None
        return self.points[self.options.index(option_id)]

    def score_count(self, n: int) -> float | None:
        if self.bands is None:
            return None
        for band, point in zip(self.bands, self.points, strict=True):
            if band.contains(n):
                return point
        return None


@dataclass(frozen=True)
class Indicator:
    code: str
    full_code: str
    domain: str
    name: str
    source: Source
    scale: Scale
    reliable_change: float
    description: str = ""


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    description: str
    reliable_change: float
    indicators: tuple[Indicator, ...]

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(f"domain {self.code!r} has no indicator {code!r}")


@dataclass(frozen=True)
class Settings:
    # The share of a domain's possible indicators that must be scored for the domain to
    # get a score on an occasion; see outcomes.scoring.
    domain_coverage: float


@dataclass(frozen=True)
class Framework:
    code: str
    version: int
    name: str
    domains: tuple[Domain, ...]
    scales: dict[str, Scale] = field(hash=False)
    settings: Settings
    source: str = ""
    description: str = ""
    _indicators: dict[str, Indicator] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(self._indicators.values())

    def indicator(self, full_code: str) -> Indicator:
        try:
            return self._indicators[full_code]
        except KeyError:
            raise KeyError(
                f"framework {self.code} v{self.version} has no indicator {full_code!r}"
            ) from None

    def has_indicator(self, full_code: str) -> bool:
        return full_code in self._indicators

    def domain(self, code: str) -> Domain:
        for d in self.domains:
            if d.code == code:
                return d
        raise KeyError(f"framework {self.code} v{self.version} has no domain {code!r}")

    def scale(self, code: str) -> Scale:
        return self.scales[code]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


# --- reading ------------------------------------------------------------------------
#
# A file is read by the pydantic models below, as questionnaire files are: a key a model
# does not know, a value of the wrong type or a missing key is a `FrameworkError` that
# names the file and the entry's YAML path (``domains[2].indicators[0].scale``). What a
# model cannot see on its own (an indicator naming a scale the file does not define, a
# code used twice) is checked afterwards by the small functions under "cross-checks".


def _fail(source: str, where: str, message: str) -> FrameworkError:
    return FrameworkError(f"{source}: {where}: {message}")


def _is_code(value: str) -> str:
    if not _CODE.match(value):
        raise ValueError(f"must be lower-case words joined by hyphens, got {value!r}")
    return value


Code = Annotated[str, AfterValidator(_is_code)]
# Words a person reads: stripped, and not empty.
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _number_as_word(value: object) -> object:
    # YAML reads `1` or `0` as a whole number; as a label, option id or band it is a word.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# A label, option id or band.
Entry = Annotated[str, BeforeValidator(_number_as_word)]
Point = Annotated[float, Field(ge=0, le=100)]
ReliableChange = Annotated[float, Field(ge=0, le=100)]


def _parse_band(text: str) -> Band:
    m = _BAND.match(text.strip())
    if not m:
        raise ValueError(f"band {text!r} must look like 0, 2-3 or 4+")
    low = int(m.group(1))
    if m.group(2):
        return Band(low, None)
    high = int(m.group(3)) if m.group(3) else low
    if high < low:
        raise ValueError(f"band {text!r} runs backwards")
    return Band(low, high)


def _check_bands(bands: Sequence[Band]) -> None:
    # Every count from 0 upwards must fall in exactly one band.
    ordered = sorted(bands, key=lambda b: b.low)
    expected = 0
    for band in ordered:
        if band.low > expected:
            raise ValueError(f"must cover every count from 0 up; {expected} is missing")
        if band.low < expected:
            raise ValueError(f"band {band} overlaps another band")
        if band.high is None:
            if band is not ordered[-1]:
                raise ValueError(f"only the highest band can be open-ended ({band})")
            return
        expected = band.high + 1
    raise ValueError("the highest band must be open-ended, like 4+")


class ScaleSpec(Strict):
    """A scale: points from the worst outcome to the best, and what names each point."""

    points: list[Point] = Field(min_length=2)
    labels: list[Entry] | None = None
    options: list[Entry] | None = None
    bands: list[Entry] | None = None
    description: str = ""

    @field_validator("points")
    @classmethod
    def _rising(cls, points: list[float]) -> list[float]:
        if any(b <= a for a, b in zip(points, points[1:], strict=False)):
            raise ValueError("must rise from the worst outcome to the best")
        return points

    @field_validator("labels", "options", "bands")
    @classmethod
    def _one_per_point(cls, values: list[str] | None, info: ValidationInfo) -> list[str] | None:
        points = info.data.get("points")
        if values is not None and points is not None and len(values) != len(points):
            raise ValueError(f"must list one entry for each of the {len(points)} points")
        return values

    @field_validator("options")
    @classmethod
    def _distinct_options(cls, options: list[str] | None) -> list[str] | None:
        if options is not None:
            twice = sorted({o for o in options if options.count(o) > 1})
            if twice:
                raise ValueError(f"duplicate option {', '.join(map(repr, twice))}")
        return options

    @field_validator("bands")
    @classmethod
    def _bands_cover_every_count(cls, bands: list[str] | None) -> list[str] | None:
        if bands is not None:
            _check_bands([_parse_band(b) for b in bands])
        return bands

    @model_validator(mode="after")
    def _options_or_bands(self) -> ScaleSpec:
        if self.options is not None and self.bands is not None:
            raise ValueError("a scale has options or bands, not both")
        return self


class IndicatorSpec(Strict):
    code: Code
    name: Words
    source: Source
    scale: str
    reliable_change: ReliableChange
    description: str = ""


class DomainSpec(Strict):
    code: Code
    name: Words
    description: Words
    reliable_change: ReliableChange
    indicators: list[IndicatorSpec] = Field(min_length=1)


class SettingsSpec(Strict):
    domain_coverage: Annotated[float, Field(ge=0, le=1)]


class FrameworkSpec(Strict):
    """A framework file."""

    code: Code
    version: Annotated[int, Field(ge=1)]
    name: Words
    settings: SettingsSpec
    scales: dict[Code, ScaleSpec] = Field(min_length=1)
    domains: list[DomainSpec] = Field(min_length=1)
    description: str = ""


# --- cross-checks -------------------------------------------------------------------


def _check_distinct_codes(spec: FrameworkSpec, source: str) -> None:
    """No domain code twice in the file, and no indicator code twice in a domain."""
    domains: dict[str, int] = {}
    for d, domain in enumerate(spec.domains):
        if domain.code in domains:
            raise _fail(
                source,
                _path(("domains", d, "code")),
                f"duplicate domain code {domain.code!r} (also domains[{domains[domain.code]}])",
            )
        domains[domain.code] = d
        indicators: dict[str, int] = {}
        for i, indicator in enumerate(domain.indicators):
            if indicator.code in indicators:
                raise _fail(
                    source,
                    _path(("domains", d, "indicators", i, "code")),
                    f"duplicate indicator code {indicator.code!r} in domain {domain.code!r} "
                    f"(also indicators[{indicators[indicator.code]}])",
                )
            indicators[indicator.code] = i


def _check_scales_defined(spec: FrameworkSpec, source: str) -> None:
    """Every indicator names a scale of the file's scales section."""
    for d, domain in enumerate(spec.domains):
        for i, indicator in enumerate(domain.indicators):
            if indicator.scale not in spec.scales:
                raise _fail(
                    source,
                    _path(("domains", d, "indicators", i, "scale")),
                    f"unknown scale {indicator.scale!r} (the scales section defines "
                    f"{', '.join(sorted(spec.scales))})",
                )


# --- from models to the framework ---------------------------------------------------


def _scale(code: str, spec: ScaleSpec) -> Scale:
    def entries(values: list[str] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(values)

    return Scale(
        code=code,
        points=tuple(spec.points),
        labels=entries(spec.labels),
        options=entries(spec.options),
        bands=None if spec.bands is None else tuple(_parse_band(b) for b in spec.bands),
    )


def _domain(spec: DomainSpec, scales: Mapping[str, Scale]) -> Domain:
    indicators = tuple(
        Indicator(
            code=i.code,
            full_code=f"{spec.code}.{i.code}",
            domain=spec.code,
            name=i.name,
            source=i.source,
            scale=scales[i.scale],
            reliable_change=i.reliable_change,
            description=i.description.strip(),
        )
        for i in spec.indicators
    )
    return Domain(spec.code, spec.name, spec.description, spec.reliable_change, indicators)


def parse_framework(data: object, source: str = "<string>") -> Framework:
    try:
        spec = FrameworkSpec.model_validate(data)
    except ValidationError as exc:
        raise _definition_error(exc, source, error=FrameworkError) from None
    _check_distinct_codes(spec, source)
    _check_scales_defined(spec, source)
    scales = {code: _scale(code, s) for code, s in spec.scales.items()}
    domains = tuple(_domain(d, scales) for d in spec.domains)
    return Framework(
        code=spec.code,
        version=spec.version,
        name=spec.name,
        domains=domains,
        scales=scales,
        settings=Settings(domain_coverage=spec.settings.domain_coverage),
        source=source,
        description=spec.description.strip(),
        _indicators={i.full_code: i for d in domains for i in d.indicators},
    )


def load_framework_file(path: Path | str) -> Framework:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(path.name, "file", f"not valid YAML: {exc}") from exc
    return parse_framework(data, source=path.name)


@cache
def _load_directory(directory: Path) -> dict[tuple[str, int], Framework]:
    found: dict[tuple[str, int], Framework] = {}
    for path in sorted(directory.glob("*.yaml")):
        framework = load_framework_file(path)
        key = (framework.code, framework.version)
        if key in found:
            raise _fail(path.name, "file", f"{framework} is also defined in {found[key].source}")
        found[key] = framework
    return found


def all_frameworks(directory: Path | str | None = None) -> dict[tuple[str, int], Framework]:
    """Every framework in the directory (by default the package's own), by (code, version).

    Read once per directory; `clear_cache()` forgets them."""
    return dict(_load_directory(Path(directory or DEFINITIONS).resolve()))


def current_framework(
    code: str = SERVICE_FRAMEWORK, *, directory: Path | str | None = None
) -> Framework:
    """The newest version of framework `code` defined (by default, the service's own).

    The one place that decides which version is current. Raises KeyError for an unknown
    code."""
    versions = {v: f for (c, v), f in all_frameworks(directory).items() if c == code}
    if not versions:
        raise KeyError(f"no framework called {code!r}")
    return versions[max(versions)]


def get_framework(
    code: str, version: int | None = None, *, directory: Path | str | None = None
) -> Framework:
    """The named version, or without one the current (newest) version.

    Raises KeyError for an unknown code or version."""
    if version is None:
        return current_framework(code, directory=directory)
    versions = {v: f for (c, v), f in all_frameworks(directory).items() if c == code}
    if not versions:
        raise KeyError(f"no framework called {code!r}")
    if version not in versions:
        raise KeyError(f"framework {code!r} has no version {version}")
    return versions[version]


def clear_cache() -> None:
    _load_directory.cache_clear()


# --- questionnaires against frameworks ------------------------------------------------


def validate_questionnaire(questionnaire: Questionnaire, framework: Framework) -> None:
    """Check that every scored question fits the indicator it names in `framework`."""
    source = questionnaire.source or f"questionnaire {questionnaire.code}"
    expected_source = KIND_SOURCES.get(questionnaire.kind)
    if questionnaire.anonymous != (questionnaire.kind in ANONYMOUS_KINDS):
        raise _fail(
            source,
            "anonymous",
            f"a {questionnaire.kind} questionnaire must "
            + ("be" if questionnaire.kind in ANONYMOUS_KINDS else "not be")
            + " anonymous, so that its answers are counted apart from named ones",
        )
    scored_by: dict[str, str] = {}
    for q in questionnaire.questions:
        if q.indicator is None:
            continue
        where = f"question {q.id!r}"
        if not framework.has_indicator(q.indicator):
            raise _fail(
                source,
                where,
                f"indicator {q.indicator!r} is not in framework {framework} ({framework.source})",
            )
        indicator = framework.indicator(q.indicator)
        n_options = len(q.scored_options)
        n_points = len(indicator.scale.points)
        if n_options != n_points:
            raise _fail(
                source,
                where,
                f"has {n_options} scored options but indicator {q.indicator!r} is on scale "
                f"{indicator.scale.code!r} with {n_points} points",
            )
        if expected_source is not None and indicator.source != expected_source:
            raise _fail(
                source,
                where,
                f"a {questionnaire.kind} questionnaire collects {expected_source} answers, "
                f"but indicator {q.indicator!r} is {indicator.source}-sourced",
            )
        # Two questions on one indicator would need a rule for combining them that the
        # framework does not define.
        if q.indicator in scored_by:
            raise _fail(
                source,
                where,
                f"indicator {q.indicator!r} is already scored by question "
                f"{scored_by[q.indicator]!r}",
            )
        scored_by[q.indicator] = q.id


def check_all(*, directory: Path | str | None = None) -> None:
    """Load every framework and check every questionnaire against the one it names.

    The app calls this at start-up so that a bad definition stops it there."""
    frameworks = all_frameworks(directory)
    for questionnaire in all_questionnaires().values():
        key = (questionnaire.framework_code, questionnaire.framework_version)
        if key not in frameworks:
            raise _fail(
                questionnaire.source,
                "framework",
                f"names framework {key[0]} v{key[1]}, which is not defined",
            )
        validate_questionnaire(questionnaire, frameworks[key])
