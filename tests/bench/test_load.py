"""bench/load.py's own arithmetic and what its simulated young people send."""

from __future__ import annotations

from tests.bench.benches import load

load_bench = load("load")


def test_p95_is_the_time_95_in_100_requests_stay_within():
    assert load_bench.p95([]) == 0.0
    assert load_bench.p95([0.001 * n for n in range(1, 101)]) == 0.095
    assert load_bench.p95([0.2]) == 0.2


def test_the_summary_line_gives_the_ratio_of_check_in_requests_to_the_ceiling():
    figures = load_bench.Figures(completed=40, errors=1, requests=1000, elapsed=10.0)
    figures.times = [0.010] * 95 + [0.500] * 5
    assert load_bench.summary(figures, lost=0, ceiling_rps=400.0) == (
        "load completed=40 errors=1 lost=0 p95_ms=10 ratio=0.25"
    )
    assert load_bench.summary(load_bench.Figures(), 0, 0.0).endswith("ratio=0.00")


def test_errors_are_counted_and_a_few_kept_to_show():
    figures = load_bench.Figures()
    for n in range(20):
        figures.error(f"error {n}")
    assert figures.errors == 20 and len(figures.error_samples) == 8


def test_every_check_in_question_gets_an_answer_its_page_accepts():
    from outcomes.questionnaires import get_questionnaire

    sent = dict(load_bench.answers())
    questionnaire = get_questionnaire("checkin")
    assert list(sent) == [q.id for q in questionnaire.questions]
    for question in questionnaire.questions:
        value = sent[question.id]["answer"]
        if question.kind.is_free_text:
            assert value
        else:
            assert value in [option.id for option in question.options]


def test_the_start_button_and_the_form_token_are_found_in_a_page():
    page = (
        '<input type="hidden" name="csrf_token" value="abc.def">'
        '<a href="/check-in/questions/school" role="button" draggable="false" '
        'class="govuk-button govuk-button--start" data-module="govuk-button">'
    )
    assert load_bench.CSRF.search(page).group(1) == "abc.def"
    assert load_bench.START.search(page).group(1) == "/check-in/questions/school"
