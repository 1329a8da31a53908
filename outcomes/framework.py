"""Outcomes frameworks: versioned definition files of domains, indicators and scales.

A framework file is read and checked as a whole before anything uses it, so a mistake in
it stops the app at start-up with a message naming the file, the domain and the
indicator, rather than showing up later as a wrong score. `check_all()` also checks every
questionnaire against the framework it names.

Public API::

    load_framework_file(path) -> Framework
    parse_framework(data, source="<string>") -> Framework
    all_frameworks(directory=None) -> dict[(code, version), Framework]
    get_framework(code, version=None, *, directory=None) -> Framework
    validate_questionnaire(questionnaire, framework) -> None
    check_all(*, directory=None) -> None
    clear_cache() -> None
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from outcomes.questionnaires import DefinitionError, Questionnaire, all_questionnaires

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


def _fail(source: str, where: str, message: str) -> FrameworkError:
    return FrameworkError(f"{source}: {where}: {message}")


def _check_keys(raw: Mapping, allowed: set[str], source: str, where: str) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise _fail(source, where, f"unknown key(s) {', '.join(unknown)}")


def _number(value: Any) -> bool:
    # YAML reads `yes`-like words as booleans, and bool is an int in Python.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _code(raw: Mapping, source: str, where: str) -> str:
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise _fail(
            source, where, f"code must be lower-case words joined by hyphens, got {code!r}"
        )
    return code


def _text(raw: Mapping, key: str, source: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, f"{key} is missing")
    return value.strip()


def _reliable_change(raw: Mapping, source: str, where: str) -> float:
    if "reliable_change" not in raw:
        raise _fail(source, where, "reliable_change is missing")
    value = raw["reliable_change"]
    if not _number(value) or not 0 <= value <= 100:
        raise _fail(
            source, where, f"reliable_change must be points from 0 to 100, got {value!r}"
        )
    return float(value)


def _parse_band(text: Any, source: str, where: str) -> Band:
    m = _BAND.match(str(text).strip())
    if not m:
        raise _fail(source, where, f"band {text!r} must look like 0, 2-3 or 4+")
    low = int(m.group(1))
    if m.group(2):
        return Band(low, None)
    high = int(m.group(3)) if m.group(3) else low
    if high < low:
        raise _fail(source, where, f"band {text!r} runs backwards")
    return Band(low, high)


def _check_bands(bands: tuple[Band, ...], source: str, where: str) -> None:
    # Every count from 0 upwards must fall in exactly one band.
    ordered = sorted(bands, key=lambda b: b.low)
    expected = 0
    for band in ordered:
        if band.low > expected:
            raise _fail(
                source, where, f"bands must cover every count from 0 up; {expected} is missing"
            )
        if band.low < expected:
            raise _fail(source, where, f"band {band} overlaps another band")
        if band.high is None:
            if band is not ordered[-1]:
                raise _fail(source, where, f"only the highest band can be open-ended ({band})")
            return
        expected = band.high + 1
    raise _fail(source, where, "the highest band must be open-ended, like 4+")


def _read_scale(code: Any, raw: Any, source: str) -> Scale:
    where = f"scale {code!r}"
    if not isinstance(code, str) or not _CODE.match(code):
        raise _fail(source, where, "a scale code must be lower-case words joined by hyphens")
    if not isinstance(raw, dict):
        raise _fail(source, where, "expected a mapping with points")
    _check_keys(raw, {"points", "labels", "options", "bands", "description"}, source, where)
    points = raw.get("points")
    if not isinstance(points, list) or len(points) < 2:
        raise _fail(source, where, "needs points: a list of at least two scores")
    if not all(_number(p) and 0 <= p <= 100 for p in points):
        raise _fail(source, where, f"every point must be a score from 0 to 100, got {points}")
    if any(b <= a for a, b in zip(points, points[1:], strict=False)):
        raise _fail(source, where, "points must rise from the worst outcome to the best")

    def parallel(key: str) -> tuple[str, ...] | None:
        values = raw.get(key)
        if values is None:
            return None
        if not isinstance(values, list) or len(values) != len(points):
            raise _fail(source, where, f"{key} must list one entry for each of the points")
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            raise _fail(source, where, f"{key} must be words, got {values}")
        return tuple(str(v) for v in values)

    labels = parallel("labels")
    options = parallel("options")
    band_texts = parallel("bands")
    if options is not None and band_texts is not None:
        raise _fail(source, where, "a scale has options or bands, not both")
    if options is not None and len(set(options)) != len(options):
        raise _fail(source, where, f"duplicate option in {list(options)}")
    bands = None
    if band_texts is not None:
        bands = tuple(_parse_band(t, source, where) for t in band_texts)
        _check_bands(bands, source, where)
    return Scale(
        code=code,
        points=tuple(float(p) for p in points),
        labels=labels,
        options=options,
        bands=bands,
    )


def _read_indicator(
    raw: Any, domain: str, scales: dict[str, Scale], source: str, seen: set[str]
) -> Indicator:
    if not isinstance(raw, dict):
        raise _fail(source, f"domain {domain!r}", f"each indicator must be a mapping, got {raw!r}")
    code = _code(raw, source, f"domain {domain!r}, indicator {raw.get('code')!r}")
    where = f"domain {domain!r}, indicator {code!r}"
    if code in seen:
        raise _fail(source, where, "duplicate indicator code in this domain")
    seen.add(code)
    _check_keys(
        raw,
        {"code", "name", "description", "source", "scale", "reliable_change"},
        source,
        where,
    )
    name = _text(raw, "name", source, where)
    if raw.get("source") not in SOURCES:
        raise _fail(
            source, where, f"source must be one of {', '.join(SOURCES)}, got {raw.get('source')!r}"
        )
    scale_code = raw.get("scale")
    if scale_code not in scales:
        raise _fail(
            source,
            where,
            f"unknown scale {scale_code!r} (the scales section defines "
            f"{', '.join(sorted(scales)) or 'none'})",
        )
    return Indicator(
        code=code,
        full_code=f"{domain}.{code}",
        domain=domain,
        name=name,
        source=raw["source"],
        scale=scales[scale_code],
        reliable_change=_reliable_change(raw, source, where),
        description=_text(raw, "description", source, where, required=False),
    )


def _read_domain(raw: Any, scales: dict[str, Scale], source: str, seen: set[str]) -> Domain:
    if not isinstance(raw, dict):
        raise _fail(source, "domains", f"each domain must be a mapping, got {raw!r}")
    code = _code(raw, source, f"domain {raw.get('code')!r}")
    where = f"domain {code!r}"
    if code in seen:
        raise _fail(source, where, "duplicate domain code")
    seen.add(code)
    _check_keys(
        raw, {"code", "name", "description", "reliable_change", "indicators"}, source, where
    )
    name = _text(raw, "name", source, where)
    description = _text(raw, "description", source, where)
    reliable_change = _reliable_change(raw, source, where)
    raw_indicators = raw.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        raise _fail(source, where, "needs at least one indicator")
    indicator_codes: set[str] = set()
    indicators = tuple(
        _read_indicator(i, code, scales, source, indicator_codes) for i in raw_indicators
    )
    return Domain(code, name, description, reliable_change, indicators)


def _read_settings(raw: Any, source: str) -> Settings:
    if not isinstance(raw, dict):
        raise _fail(source, "settings", "expected a mapping with domain_coverage")
    _check_keys(raw, {"domain_coverage"}, source, "settings")
    coverage = raw.get("domain_coverage")
    if not _number(coverage) or not 0 <= coverage <= 1:
        raise _fail(
            source, "settings", f"domain_coverage must be a share from 0 to 1, got {coverage!r}"
        )
    return Settings(domain_coverage=float(coverage))


def parse_framework(data: Any, source: str = "<string>") -> Framework:
    if not isinstance(data, dict):
        raise _fail(source, "file", "expected a mapping at the top level")
    _check_keys(
        data,
        {"code", "version", "name", "description", "settings", "scales", "domains"},
        source,
        "file",
    )
    for key in ("code", "version", "name", "settings", "scales", "domains"):
        if key not in data:
            raise _fail(source, "file", f"{key} is missing")
    code = _code(data, source, "file")
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(source, "file", f"version must be a whole number from 1, got {version!r}")
    settings = _read_settings(data["settings"], source)
    raw_scales = data["scales"]
    if not isinstance(raw_scales, dict) or not raw_scales:
        raise _fail(source, "scales", "expected a mapping of scale codes to scales")
    scales = {c: _read_scale(c, s, source) for c, s in raw_scales.items()}
    raw_domains = data["domains"]
    if not isinstance(raw_domains, list) or not raw_domains:
        raise _fail(source, "domains", "a framework needs at least one domain")
    seen: set[str] = set()
    domains = tuple(_read_domain(d, scales, source, seen) for d in raw_domains)
    return Framework(
        code=code,
        version=version,
        name=_text(data, "name", source, "file"),
        domains=domains,
        scales=scales,
        settings=settings,
        source=source,
        description=_text(data, "description", source, "file", required=False),
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


def get_framework(
    code: str, version: int | None = None, *, directory: Path | str | None = None
) -> Framework:
    """The named version, or the newest. Raises KeyError for an unknown code or version."""
    versions = {v: f for (c, v), f in all_frameworks(directory).items() if c == code}
    if not versions:
        raise KeyError(f"no framework called {code!r}")
    if version is None:
        return versions[max(versions)]
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
                source, where, f"indicator {q.indicator!r} is not in framework {framework} "
                f"({framework.source})"
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
