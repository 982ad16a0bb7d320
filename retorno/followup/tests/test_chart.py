from retorno.followup.chart import line_chart


def test_chart_draws_one_line_per_series_with_gaps_for_missing_values():
    svg = line_chart(
        ["2025-01-01", "2025-04-01", "2025-07-01"],
        [("A", [0.2, None, 0.8]), ("<b>", [0.5, 0.6, 0.7])],
        title="T",
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 5  # the None is a gap, not a zero
    assert "&lt;b&gt;" in svg and "<b>" not in svg  # labels are escaped
    assert "2025-04-01" in svg


def test_single_survey_is_centred():
    svg = line_chart(["2025-01-01"], [("A", [1.0])], title="T")
    assert "<circle" in svg
