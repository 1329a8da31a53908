"""The detector from the command line."""

from __future__ import annotations

import json


def test_scan_prints_one_json_object_a_line(runner):
    result = runner.invoke(
        args=["safeguarding", "scan"],
        input="my stepdad hits me\nMy worker is sound\n\nI want to kill myself\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["flag"] for line in lines] == [True, False, True]
    assert lines[0]["text"] == "my stepdad hits me"
    assert lines[0]["categories"] == ["abuse"]
    assert lines[2]["categories"] == ["suicide-self-harm"]


def test_check_reports_a_good_phrase_file(runner):
    result = runner.invoke(args=["safeguarding", "check"])
    assert result.exit_code == 0, result.output
    assert "behave as the file says" in result.output


def test_a_broken_phrase_file_is_a_kind_error(runner, tmp_path):
    broken = tmp_path / "phrases.yaml"
    broken.write_text("categories: [not, a, mapping\n", encoding="utf-8")
    for command in ("scan", "check"):
        result = runner.invoke(
            args=["safeguarding", command, "--phrases", str(broken)], input="hello\n"
        )
        assert result.exit_code == 1
        assert "Error:" in result.output and "not valid YAML" in result.output
        assert "Traceback" not in result.output
