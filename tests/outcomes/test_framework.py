import shutil
from pathlib import Path

import pytest
import yaml

from outcomes import framework as fw
from outcomes.framework import (
    Band,
    FrameworkError,
    check_all,
    current_framework,
    get_framework,
    load_framework_file,
    parse_framework,
    validate_questionnaire,
)
from outcomes.questionnaires import DefinitionError, get_questionnaire, parse_questionnaire

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
V1_FILE = fw.DEFINITIONS / "complex-safeguarding-v1.yaml"
V2_FILE = FIXTURES / "frameworks" / "complex-safeguarding-v2.yaml"


@pytest.fixture(autouse=True)
def _fresh_cache():
    fw.clear_cache()
    yield
    fw.clear_cache()


@pytest.fixture
def v1_from_file():
    return load_framework_file(V1_FILE)


# --- the real framework ---------------------------------------------------------------


def test_framework_has_the_domains_the_service_reports_on(v1_from_file):
    assert v1_from_file.code == "complex-safeguarding"
    assert v1_from_file.version == 1
    assert [d.code for d in v1_from_file.domains] == [
        "safety",
        "going-missing",
        "trusted-relationships",
        "education",
        "health-wellbeing",
        "family-home",
        "drugs-alcohol",
        "hopes-goals",
        "listened-to",
    ]
    assert v1_from_file.settings.domain_coverage == 0.5
    for domain in v1_from_file.domains:
        assert domain.name and domain.description
        assert domain.reliable_change >= 0
        assert domain.indicators


@pytest.mark.parametrize(
    "code",
    [
        "safety.feel-safe",
        "trusted-relationships.trusted-adult",
        "listened-to.feel-listened-to",
        "education.going-well",
        "health-wellbeing.feelings",
        "family-home.home-life",
        "going-missing.stayed-away",
        "hopes-goals.feel-about-future",
    ],
)
def test_framework_has_every_indicator_the_checkin_names(v1_from_file, code):
    assert v1_from_file.indicator(code).source == "young-person"


@pytest.mark.parametrize(
    ("code", "source"),
    [
        ("family-home.family-feel-supported", "family"),
        ("safety.family-think-safer", "family"),
        ("listened-to.family-listened-to", "family"),
        ("going-missing.missing-episodes", "practitioner"),
        ("education.in-education", "practitioner"),
        ("family-home.living-at-home", "practitioner"),
        ("safety.in-borough", "practitioner"),
        ("drugs-alcohol.use", "practitioner"),
        ("drugs-alcohol.harm", "practitioner"),
        ("hopes-goals.goal-progress", "practitioner"),
    ],
)
def test_framework_has_family_and_practitioner_indicators(v1_from_file, code, source):
    assert v1_from_file.indicator(code).source == source


def test_indicator_and_domain_helpers(v1_from_file):
    indicator = v1_from_file.indicator("safety.feel-safe")
    assert indicator.code == "feel-safe"
    assert indicator.full_code == "safety.feel-safe"
    assert indicator.domain == "safety"
    assert indicator.scale is v1_from_file.scale("five-point")
    assert indicator.scale.points == (0, 25, 50, 75, 100)
    assert v1_from_file.domain("safety").indicator("feel-safe") == indicator
    assert v1_from_file.has_indicator("safety.feel-safe")
    assert not v1_from_file.has_indicator("safety.nope")
    with pytest.raises(KeyError, match="no indicator 'safety.nope'"):
        v1_from_file.indicator("safety.nope")
    with pytest.raises(KeyError, match="no domain 'nope'"):
        v1_from_file.domain("nope")
    assert len(v1_from_file.indicators) == sum(len(d.indicators) for d in v1_from_file.domains)


def test_missing_episodes_bands(v1_from_file):
    scale = v1_from_file.indicator("going-missing.missing-episodes").scale
    assert scale.bands == (Band(4, None), Band(2, 3), Band(1, 1), Band(0, 0))
    assert [str(b) for b in scale.bands] == ["4+", "2-3", "1", "0"]
    assert [scale.score_count(n) for n in (0, 1, 2, 3, 4, 99)] == [100, 67, 33, 33, 0, 0]


def test_fact_scales_name_their_options(v1_from_file):
    assert v1_from_file.indicator("education.in-education").scale.options == ("no", "partly", "yes")
    assert v1_from_file.indicator("family-home.living-at-home").scale.options == (
        "placement",
        "home",
    )
    assert v1_from_file.indicator("safety.in-borough").scale.options == ("out", "in")


def test_get_framework_defaults_to_the_packaged_definitions(v1_from_file):
    # Version 2 adds what the exit interview measures: the newest.
    assert get_framework("complex-safeguarding").version == 2
    assert get_framework("complex-safeguarding", 1) == v1_from_file
    assert get_framework("complex-safeguarding") is get_framework("complex-safeguarding")
    with pytest.raises(KeyError, match="no framework called 'nope'"):
        get_framework("nope")
    with pytest.raises(KeyError, match="has no version 99"):
        get_framework("complex-safeguarding", 99)


def test_get_framework_takes_the_newest_version_in_a_directory(tmp_path):
    shutil.copy(V1_FILE, tmp_path)
    shutil.copy(V2_FILE, tmp_path)
    assert get_framework("complex-safeguarding", directory=tmp_path).version == 2
    assert get_framework("complex-safeguarding", 1, directory=tmp_path).version == 1
    assert set(fw.all_frameworks(tmp_path)) == {
        ("complex-safeguarding", 1),
        ("complex-safeguarding", 2),
    }


def test_the_current_framework_is_the_newest_version_defined(tmp_path):
    assert current_framework() is get_framework("complex-safeguarding", 2)
    assert current_framework("complex-safeguarding") is get_framework("complex-safeguarding")
    shutil.copy(V1_FILE, tmp_path)
    assert current_framework(directory=tmp_path).version == 1
    shutil.copy(V2_FILE, tmp_path)
    fw.clear_cache()
    assert current_framework(directory=tmp_path).version == 2
    with pytest.raises(KeyError, match="no framework called 'nope'"):
        current_framework("nope")


def test_the_dashboard_reports_on_version_1_until_it_shows_exit_interviews():
    assert fw.DASHBOARD_DEFAULT == (fw.SERVICE_FRAMEWORK, 1)


def test_a_version_defined_twice_in_a_directory_fails(tmp_path):
    shutil.copy(V1_FILE, tmp_path / "a.yaml")
    shutil.copy(V1_FILE, tmp_path / "b.yaml")
    with pytest.raises(FrameworkError, match=r"b\.yaml: .*also defined in a\.yaml"):
        fw.all_frameworks(tmp_path)


def test_check_all_passes_on_the_packaged_definitions():
    check_all()


# --- loading errors ---------------------------------------------------------------


def test_framework_error_is_a_definition_error():
    assert issubclass(FrameworkError, DefinitionError)


@pytest.mark.parametrize(
    ("filename", "where", "message"),
    [
        (
            "unknown-scale.yaml",
            "domains[0].indicators[1].scale",
            "unknown scale 'in-or-out' (the scales section defines five-point)",
        ),
        ("scale-without-points.yaml", "scales.five-point.points", "is missing"),
        (
            "duplicate-domain.yaml",
            "domains[1].code",
            "duplicate domain code 'safety' (also domains[0])",
        ),
        (
            "duplicate-indicator.yaml",
            "domains[0].indicators[1].code",
            "duplicate indicator code 'feel-safe' in domain 'safety' (also indicators[0])",
        ),
        (
            "bad-source.yaml",
            "domains[0].indicators[1].source",
            "Input should be 'young-person', 'family' or 'practitioner', got 'police'",
        ),
        (
            "reliable-change-missing.yaml",
            "domains[0].indicators[0].reliable_change",
            "is missing",
        ),
        (
            "reliable-change-negative.yaml",
            "domains[0].indicators[0].reliable_change",
            "Input should be greater than or equal to 0, got -5",
        ),
        ("domain-reliable-change-missing.yaml", "domains[0].reliable_change", "is missing"),
        (
            "coverage-out-of-range.yaml",
            "settings.domain_coverage",
            "Input should be less than or equal to 1, got 50",
        ),
    ],
)
def test_loading_errors_name_file_path_and_field(filename, where, message):
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(BROKEN / filename)
    assert str(caught.value).startswith(f"{filename}: {where}: ")
    assert message in str(caught.value)


def test_broken_fixtures_are_each_covered():
    covered = {
        "unknown-scale.yaml",
        "scale-without-points.yaml",
        "duplicate-domain.yaml",
        "duplicate-indicator.yaml",
        "bad-source.yaml",
        "reliable-change-missing.yaml",
        "reliable-change-negative.yaml",
        "domain-reliable-change-missing.yaml",
        "coverage-out-of-range.yaml",
    }
    assert {p.name for p in BROKEN.glob("*.yaml")} == covered


def test_not_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("code: [unclosed\n")
    with pytest.raises(FrameworkError, match=r"^bad\.yaml: file: not valid YAML"):
        load_framework_file(path)


def _minimal() -> dict:
    return yaml.safe_load(
        """
        code: tiny
        version: 1
        name: Tiny
        settings: {domain_coverage: 0.5}
        scales:
          five-point: {points: [0, 25, 50, 75, 100]}
          counted: {points: [0, 50, 100], bands: ["2+", "1", "0"]}
        domains:
          - code: safety
            name: Safety
            description: Feeling safe.
            reliable_change: 25
            indicators:
              - {code: feel-safe, name: Feels safe, source: young-person,
                 scale: five-point, reliable_change: 25}
        """
    )


def test_minimal_framework_loads():
    tiny = parse_framework(_minimal(), "tiny.yaml")
    assert tiny.source == "tiny.yaml"
    assert str(tiny) == "tiny v1"


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda d: d["scales"]["five-point"].update(points=[0, 50, 25, 75, 100]),
            "scales.five-point.points",
            "must rise from the worst outcome to the best",
        ),
        (
            lambda d: d["scales"]["five-point"].update(points=[0, 25, 50, 75, 101]),
            "scales.five-point.points[4]",
            "Input should be less than or equal to 100, got 101",
        ),
        (
            lambda d: d["scales"]["five-point"].update(points=[100]),
            "scales.five-point.points",
            "List should have at least 2 items",
        ),
        (
            lambda d: d["scales"]["five-point"].update(labels=["a", "b"]),
            "scales.five-point.labels",
            "must list one entry for each of the 5 points",
        ),
        (
            lambda d: d["scales"]["five-point"].update(options=["a", "b", "c", "d", "a"]),
            "scales.five-point.options",
            "duplicate option 'a'",
        ),
        (
            lambda d: d["scales"]["counted"].update(bands=["3+", "1", "0"]),
            "scales.counted.bands",
            "must cover every count from 0 up; 2 is missing",
        ),
        (
            lambda d: d["scales"]["counted"].update(bands=["2+", "0-1", "1"]),
            "scales.counted.bands",
            "band 1 overlaps another band",
        ),
        (
            lambda d: d["scales"]["counted"].update(bands=["1+", "2+", "0"]),
            "scales.counted.bands",
            "only the highest band can be open-ended (1+)",
        ),
        (
            lambda d: d["scales"]["counted"].update(bands=["2", "1", "0"]),
            "scales.counted.bands",
            "the highest band must be open-ended",
        ),
        (
            lambda d: d["scales"]["counted"].update(bands=["two", "1", "0"]),
            "scales.counted.bands",
            "band 'two' must look like 0, 2-3 or 4+",
        ),
        (
            lambda d: d["scales"]["counted"].update(options=["a", "b", "c"]),
            "scales.counted",
            "a scale has options or bands, not both",
        ),
        (
            lambda d: d["domains"][0]["indicators"][0].update(reliable_change=True),
            "domains[0].indicators[0].reliable_change",
            "Input should be a valid number, got True",
        ),
        (
            lambda d: d["domains"][0]["indicators"][0].update(code="Feel Safe"),
            "domains[0].indicators[0].code",
            "must be lower-case words joined by hyphens, got 'Feel Safe'",
        ),
        (
            lambda d: d["domains"][0]["indicators"][0].update(reliable_chnage=25),
            "domains[0].indicators[0].reliable_chnage",
            "is not a key this entry can have",
        ),
        (
            lambda d: d["domains"][0]["indicators"][0].pop("name"),
            "domains[0].indicators[0].name",
            "is missing",
        ),
        (
            lambda d: d["domains"][0].update(indicators=[]),
            "domains[0].indicators",
            "List should have at least 1 item",
        ),
        (
            lambda d: d["domains"][0].update(reliable_change=-1),
            "domains[0].reliable_change",
            "Input should be greater than or equal to 0, got -1",
        ),
        (lambda d: d["domains"][0].pop("description"), "domains[0].description", "is missing"),
        (
            lambda d: d["settings"].update(domain_coverage=-0.1),
            "settings.domain_coverage",
            "Input should be greater than or equal to 0, got -0.1",
        ),
        (lambda d: d.pop("settings"), "settings", "is missing"),
        (
            lambda d: d.update(version="one"),
            "version",
            "Input should be a valid integer, got 'one'",
        ),
        (lambda d: d.update(version=0), "version", "Input should be greater than or equal to 1"),
        (lambda d: d.update(domains=[]), "domains", "List should have at least 1 item"),
        (
            lambda d: d["domains"][0]["indicators"][0].update(name="  "),
            "domains[0].indicators[0].name",
            "String should have at least 1 character",
        ),
    ],
)
def test_other_loading_errors(change, where, message):
    data = _minimal()
    change(data)
    with pytest.raises(FrameworkError) as caught:
        parse_framework(data, "tiny.yaml")
    assert str(caught.value).startswith(f"tiny.yaml: {where}: ")
    assert message in str(caught.value)


@pytest.mark.parametrize("coverage", [0, 0.5, 1])
def test_coverage_limits_are_allowed(coverage):
    data = _minimal()
    data["settings"]["domain_coverage"] = coverage
    assert parse_framework(data).settings.domain_coverage == coverage


def _broken_framework(change) -> str:
    data = _minimal()
    change(data)
    with pytest.raises(FrameworkError) as caught:
        parse_framework(data, "tiny.yaml")
    return str(caught.value)


def test_an_unknown_key_names_file_path_and_key():
    message = _broken_framework(lambda d: d["scales"]["counted"].update(colour="red"))
    assert message == "tiny.yaml: scales.counted.colour: is not a key this entry can have"


def test_an_unknown_top_level_key_is_an_error():
    message = _broken_framework(lambda d: d.update(verison=2))
    assert message == "tiny.yaml: verison: is not a key this entry can have"


def test_a_wrong_type_names_file_path_field_and_what_was_given():
    message = _broken_framework(lambda d: d["domains"][0]["indicators"][0].update(scale=5))
    assert message == (
        "tiny.yaml: domains[0].indicators[0].scale: Input should be a valid string, got 5"
    )


def test_a_missing_field_names_file_path_and_field():
    message = _broken_framework(lambda d: d["domains"][0]["indicators"][0].pop("source"))
    assert message == "tiny.yaml: domains[0].indicators[0].source: is missing"


def test_every_problem_in_a_framework_file_is_reported_at_once():
    def two_problems(d):
        d.pop("name")
        d["domains"][0]["indicators"][0]["colour"] = "red"

    message = _broken_framework(two_problems)
    assert message == (
        "tiny.yaml: name: is missing; "
        "domains[0].indicators[0].colour: is not a key this entry can have"
    )


def test_a_file_that_is_not_a_mapping():
    with pytest.raises(FrameworkError, match=r"^tiny\.yaml: file: Input should be a valid dict"):
        parse_framework(["code"], "tiny.yaml")


def test_numbers_are_words_in_labels_options_and_bands():
    data = _minimal()
    data["scales"]["counted"]["bands"] = ["2+", 1, 0]
    data["scales"]["counted"]["labels"] = ["Twice or more", "Once", 0]
    counted = parse_framework(data).scale("counted")
    assert counted.bands == (Band(2, None), Band(1, 1), Band(0, 0))
    assert counted.labels == ("Twice or more", "Once", "0")


def test_a_yes_like_label_is_not_a_word():
    # YAML reads an unquoted `yes` as true: the file must quote it.
    message = _broken_framework(
        lambda d: d["scales"]["five-point"].update(labels=["a", "b", "c", "d", True])
    )
    assert message == (
        "tiny.yaml: scales.five-point.labels[4]: Input should be a valid string, got True"
    )


# --- questionnaires against the framework ------------------------------------------------


def _questionnaire(questions, kind="checkin"):
    return parse_questionnaire(
        {
            "code": "test-q",
            "version": 1,
            "kind": kind,
            "title": "Test",
            "framework": {"code": "complex-safeguarding", "version": 1},
            "questions": questions,
        },
        source="test-q.yaml",
    )


FIVE = [{"id": f"o{i}", "label": f"Option {i}"} for i in range(5)]


def test_the_checkin_fits_the_framework(v1_from_file):
    validate_questionnaire(get_questionnaire("checkin", 1), v1_from_file)


def test_question_on_an_unknown_indicator_fails(v1_from_file):
    q = _questionnaire(
        [
            {
                "id": "safe",
                "type": "scale",
                "text": "?",
                "audience": "worker",
                "indicator": "safety.feel-very-safe",
                "options": FIVE,
            }
        ]
    )
    with pytest.raises(FrameworkError) as caught:
        validate_questionnaire(q, v1_from_file)
    assert str(caught.value).startswith("test-q.yaml: question 'safe': ")
    assert "indicator 'safety.feel-very-safe' is not in framework complex-safeguarding v1" in str(
        caught.value
    )


def test_question_with_a_different_number_of_options_than_the_scale_fails(v1_from_file):
    # A yes-no question has two scored options; the five-point scale has five points.
    q = _questionnaire(
        [
            {
                "id": "safe",
                "type": "yes-no",
                "text": "?",
                "audience": "worker",
                "indicator": "safety.feel-safe",
            }
        ]
    )
    with pytest.raises(FrameworkError) as caught:
        validate_questionnaire(q, v1_from_file)
    assert str(caught.value).startswith("test-q.yaml: question 'safe': ")
    assert "2 scored options" in str(caught.value)
    assert "'five-point' with 5 points" in str(caught.value)


def test_unscored_options_do_not_count_towards_the_scale(v1_from_file):
    options = [*FIVE[:4], {"id": "dont-know", "label": "Don't know", "scored": False}]
    q = _questionnaire(
        [
            {
                "id": "safe",
                "type": "scale",
                "text": "?",
                "audience": "worker",
                "indicator": "safety.feel-safe",
                "options": options,
            }
        ]
    )
    with pytest.raises(FrameworkError, match="has 4 scored options"):
        validate_questionnaire(q, v1_from_file)


def test_family_questionnaire_cannot_feed_young_person_indicators(v1_from_file):
    q = _questionnaire(
        [
            {
                "id": "safe",
                "type": "scale",
                "text": "?",
                "audience": "service",
                "indicator": "safety.feel-safe",
                "options": FIVE,
            }
        ],
        kind="exit-family",
    )
    with pytest.raises(FrameworkError, match="collects family answers"):
        validate_questionnaire(q, v1_from_file)
    ok = _questionnaire(
        [
            {
                "id": "safer",
                "type": "scale",
                "text": "?",
                "audience": "service",
                "indicator": "safety.family-think-safer",
                "options": FIVE,
            }
        ],
        kind="exit-family",
    )
    validate_questionnaire(ok, v1_from_file)


def test_questions_cannot_feed_practitioner_facts(v1_from_file):
    q = _questionnaire(
        [
            {
                "id": "borough",
                "type": "yes-no",
                "text": "?",
                "audience": "worker",
                "indicator": "safety.in-borough",
            }
        ]
    )
    with pytest.raises(FrameworkError, match="practitioner-sourced"):
        validate_questionnaire(q, v1_from_file)


def test_two_questions_on_one_indicator_fail(v1_from_file):
    q = _questionnaire(
        [
            {
                "id": "safe",
                "type": "scale",
                "text": "?",
                "audience": "worker",
                "indicator": "safety.feel-safe",
                "options": FIVE,
            },
            {
                "id": "safe-again",
                "type": "scale",
                "text": "?",
                "audience": "worker",
                "indicator": "safety.feel-safe",
                "options": FIVE,
            },
        ]
    )
    with pytest.raises(FrameworkError, match="question 'safe-again'.*already scored by question"):
        validate_questionnaire(q, v1_from_file)


def test_check_all_fails_when_a_questionnaire_names_a_missing_framework(tmp_path):
    # Only version 2 is in this directory; check-in v1 names version 1.
    shutil.copy(V2_FILE, tmp_path)
    with pytest.raises(
        FrameworkError,
        match=r"checkin-v1\.yaml: framework: names framework "
        r"complex-safeguarding v1, which is not defined",
    ):
        check_all(directory=tmp_path)


def test_version_2_is_version_1_with_the_exit_interview_added(v1_from_file):
    v1 = v1_from_file
    v2 = get_framework("complex-safeguarding", 2)
    for domain in v1.domains:
        kept = v2.domain(domain.code)
        assert kept.indicators[: len(domain.indicators)] == domain.indicators
    for code in ("five-point", "no-yes", "zero-to-ten"):
        assert v2.scale(code) == v1.scale(code)
    assert v2.indicator("listened-to.exit-listened-to").scale.points == (0, 50, 100)
    assert [i.code for i in v2.domain("experience").indicators] == [
        "treated-well",
        "helped",
        "easy-to-reach",
        "things-better",
        "would-recommend",
    ]
