"""Area lookups: shipped IMD 2019 and Census 2021 files, derived figures, replaceable sources."""

import pandas as pd
import pytest

from analysis.areas import (
    IMD2019,
    DeprivationEdition,
    add_deprivation,
    load_district_deprivation,
    load_lsoa_deprivation,
    load_main_language,
    summarise_deprivation,
)

LLR = {
    "E06000016", "E06000017", "E07000129", "E07000130", "E07000131",
    "E07000132", "E07000133", "E07000134", "E07000135",
}  # fmt: skip


@pytest.fixture(scope="module")
def districts():
    return load_district_deprivation().set_index("lad_code")


def test_shipped_lsoa_file_covers_the_nine_districts():
    lsoas = load_lsoa_deprivation()
    assert len(lsoas) == 611
    assert set(lsoas["lad_code"]) == LLR
    assert (lsoas["edition"] == "IMD 2019, LSOA 2011 boundaries").all()


def test_decile_distribution_matches_the_data_readme(districts):
    deciles = [f"lsoas_decile_{d}" for d in range(1, 11)]
    assert districts.loc["E06000016", deciles].tolist() == [39, 29, 40, 27, 19, 15, 12, 6, 4, 1]
    assert districts.loc["E07000134", deciles].tolist() == [2, 0, 2, 8, 5, 4, 12, 11, 9, 5]
    assert districts[deciles].sum().tolist() == [43, 32, 62, 49, 53, 51, 73, 84, 80, 84]
    assert districts.loc["E06000016", "lsoa_count"] == 192


def test_share_in_most_deprived_fifth(districts):
    assert districts.loc["E06000016", "share_most_deprived_20pct"] == pytest.approx(68 / 192)
    assert districts.loc["E07000130", "share_most_deprived_20pct"] == pytest.approx(4 / 99)
    assert districts.loc["E06000017", "share_most_deprived_20pct"] == 0


def test_district_decile_is_that_of_the_median_lsoa(districts):
    # Leicester's 192 LSOAs by rank: 39 + 29 in deciles 1-2, so LSOAs 69-108 are decile 3 and the
    # 96th (the more deprived middle one) is decile 3. Rutland: 23 LSOAs, the 12th is in decile 9.
    assert districts.loc["E06000016", ["deprivation_decile", "deprivation_quintile"]].tolist() == [3, 2]
    assert districts.loc["E06000017", ["deprivation_decile", "deprivation_quintile"]].tolist() == [9, 5]
    assert districts["deprivation_decile"].between(1, 10).all()
    assert (districts["deprivation_quintile"] == (districts["deprivation_decile"] + 1) // 2).all()


def test_every_derived_figure_names_its_edition(districts):
    assert (districts["edition"] == IMD2019.label).all()


def test_lookup_is_replaceable_with_another_edition(tmp_path):
    path = tmp_path / "iod2025.csv"
    pd.DataFrame(
        {
            "LSOA21CD": ["E01000001", "E01000002", "E01000003"],
            "LSOA21NM": ["A 001A", "A 001B", "B 001A"],
            "LAD24CD": ["E06000016", "E06000016", "E06000017"],
            "LAD24NM": ["Leicester", "Leicester", "Rutland"],
            "Rank": [10, 30000, 20000],
            "Decile": [1, 10, 7],
        }
    ).to_csv(path, index=False)
    edition = DeprivationEdition(
        label="IoD 2025, LSOA 2021 boundaries",
        filename="unused.csv",
        columns={
            "LSOA21CD": "lsoa_code",
            "LSOA21NM": "lsoa_name",
            "LAD24CD": "lad_code",
            "LAD24NM": "lad_name",
            "Rank": "imd_rank",
            "Decile": "imd_decile",
        },
    )
    districts = load_district_deprivation(path, edition).set_index("lad_code")
    assert districts.loc["E06000016", "lsoa_count"] == 2
    assert districts.loc["E06000016", "deprivation_decile"] == 1
    assert districts.loc["E06000016", "share_most_deprived_20pct"] == 0.5
    assert (districts["edition"] == "IoD 2025, LSOA 2021 boundaries").all()


def test_finer_areas_summarise_the_same_way():
    lsoas = load_lsoa_deprivation()
    lsoas["postcode_district"] = lsoas["lsoa_code"].map(lambda code: "LE1" if code < "E01013700" else "LE2")
    summary = summarise_deprivation(lsoas, by="postcode_district")
    assert set(summary["postcode_district"]) == {"LE1", "LE2"}
    assert summary["lsoa_count"].sum() == 611
    assert "lad_name" not in summary


def test_bad_deciles_and_mixed_editions_are_rejected(tmp_path):
    lsoas = load_lsoa_deprivation()
    bad = tmp_path / "bad.csv"
    lsoas.assign(imd_decile=0).rename(columns={v: k for k, v in IMD2019.columns.items()}).to_csv(
        bad, index=False
    )
    with pytest.raises(ValueError, match="deciles"):
        load_lsoa_deprivation(bad)
    with pytest.raises(ValueError, match="editions"):
        summarise_deprivation(lsoas.assign(edition=["x", "y"] * 305 + ["x"]))


def test_responses_get_deprivation_from_their_district(districts):
    responses = pd.DataFrame({"area": ["E06000016", "E07000131", "somewhere_else", None]})
    out = add_deprivation(responses, districts.reset_index())
    assert out["deprivation_decile"].tolist()[:2] == [3, 9]
    assert out["deprivation_quintile"].tolist()[:2] == [2, 5]
    assert out["deprivation_decile"].isna().tolist() == [False, False, True, True]
    assert out["deprivation_edition"].tolist()[:2] == [IMD2019.label] * 2
    assert "deprivation_decile" not in responses


def test_main_language_shares_match_the_published_totals():
    languages = load_main_language()
    assert set(languages["lad_code"]) == LLR
    assert (languages.groupby("lad_code").size() == 94).all()
    assert languages.groupby("lad_code")["share"].sum().to_numpy() == pytest.approx(1.0)
    leicester = languages[languages["lad_code"] == "E06000016"].set_index("language")
    assert leicester["count"].sum() == 355_571
    assert round(leicester.loc["South Asian language: Gujarati", "share"], 3) == 0.126
    assert round(leicester.loc["English (English or Welsh in Wales)", "share"], 3) == 0.700
    assert languages.groupby("lad_code")["count"].sum().sum() == 1_087_301
    assert languages["source"].str.startswith("Census 2021").all()


def test_language_rows_that_do_not_add_up_are_rejected(tmp_path):
    table = pd.read_csv(load_main_language.__globals__["DATA_DIR"] / "census2021_main_language_llr.csv")
    table.loc[table["level"] == "total", "count"] += 1
    path = tmp_path / "languages.csv"
    table.to_csv(path, index=False)
    with pytest.raises(ValueError, match="add up"):
        load_main_language(path)
