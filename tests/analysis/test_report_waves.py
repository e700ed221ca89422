"""Which wave a report uses, and synthetic (demo) responses kept away from real ones."""

import pandas as pd
import pytest
from responses_factory import load_definition, make_responses, spread

from analysis.report import build_report
from analysis.reporting.markdown import render

YP = load_definition("young-people")
DEFINITIONS = {"young-people": YP}


def wave(n_unsafe, n_safe, **metadata):
    rows = spread(n_unsafe + n_safe, safe_area_dark={"very_unsafe": n_unsafe, "very_safe": n_safe})
    return make_responses(YP, rows, **metadata)


SPRING = {"wave": "2026-spring", "wave_label": "Spring 2026", "month": "2026-04"}
AUTUMN = {"wave": "2026-autumn", "wave_label": "Autumn 2026", "month": "2026-10"}
DEMO = {"wave": "demo", "wave_label": "Demo data", "month": "2026-12", "synthetic": True}

RESPONSES = pd.concat(
    [
        wave(20, 80, **SPRING),
        wave(40, 60, **AUTUMN),
        # Demo answers, all "very unsafe", in a later month than any real wave.
        wave(500, 0, **DEMO),
        # Synthetic rows stamped with a real wave's key must not count either.
        wave(300, 0, **{**AUTUMN, "synthetic": True}),
    ],
    ignore_index=True,
)


def overall_unsafe(report):
    return report.tables["young-people.safe_area_dark.overall"].cell("Total", "unsafe")


def test_latest_real_wave_by_month_not_by_key():
    # "2026-autumn" sorts before "2026-spring" but was fielded later.
    report = build_report(RESPONSES[~RESPONSES["synthetic"]], DEFINITIONS)
    [sample] = report.samples
    assert (sample.wave, sample.compare_wave) == ("2026-autumn", "2026-spring")


def test_synthetic_rows_never_enter_a_real_report():
    report = build_report(RESPONSES, DEFINITIONS)
    assert not report.synthetic
    row = overall_unsafe(report)
    assert (row["count"], row["base"], row["percent"]) == (40, 100, 40.0)
    for table in report.tables.values():
        assert set(table.cells["wave"]) == {"2026-autumn"}
        assert not table.cells["synthetic"].any()
    assert report.samples[0].responses == "100"
    assert "SYNTHETIC" not in render(report)


def test_the_wave_table_compares_real_waves_only():
    report = build_report(RESPONSES, DEFINITIONS)
    by_wave = report.tables["young-people.safe_area_dark.wave"]
    assert set(by_wave.cells["group"]) == {"2026-spring", "2026-autumn"}
    assert by_wave.cell("2026-spring", "unsafe")["percent"] == 20.0
    assert by_wave.cell("2026-autumn", "unsafe")["percent"] == 40.0


def test_a_synthetic_wave_only_when_named_and_labelled_prominently():
    report = build_report(RESPONSES, DEFINITIONS, wave="demo")
    assert report.synthetic
    row = overall_unsafe(report)
    assert (row["count"], row["base"]) == (500, 500)
    assert report.samples[0].compare_wave is None
    markdown = render(report)
    assert markdown.startswith("# SYNTHETIC DEMO DATA")
    assert "**SYNTHETIC DEMO DATA.**" in markdown


def test_the_earliest_wave_has_nothing_to_compare_with():
    report = build_report(RESPONSES, DEFINITIONS, wave="2026-spring")
    [sample] = report.samples
    assert (sample.wave, sample.compare_wave) == ("2026-spring", None)
    assert overall_unsafe(report)["percent"] == 20.0


def test_synthetic_and_real_waves_are_never_compared():
    with pytest.raises(ValueError, match="synthetic and real"):
        build_report(RESPONSES, DEFINITIONS, wave="demo", compare_wave="2026-autumn")
    with pytest.raises(ValueError, match="synthetic and real"):
        build_report(RESPONSES, DEFINITIONS, compare_wave="demo")


def test_a_named_real_wave_leaves_out_synthetic_rows_stamped_with_its_key():
    report = build_report(RESPONSES, DEFINITIONS, wave="2026-autumn")
    assert not report.synthetic
    assert (overall_unsafe(report)["count"], overall_unsafe(report)["base"]) == (40, 100)
    assert report.samples[0].compare_wave == "2026-spring"


def test_an_unknown_wave_is_an_error():
    with pytest.raises(ValueError, match="no responses in wave"):
        build_report(RESPONSES, DEFINITIONS, wave="2030-spring")


def test_only_synthetic_responses_give_an_empty_real_report():
    report = build_report(RESPONSES[RESPONSES["wave"] == "demo"], DEFINITIONS)
    assert report.samples == () and report.tables == {}
    assert all("No young people's survey responses" in s.text for s in report.statements[:5])


def test_an_unknown_comparison_wave_is_an_error():
    with pytest.raises(ValueError, match="no responses in comparison wave"):
        build_report(RESPONSES, DEFINITIONS, compare_wave="2020-spring")
