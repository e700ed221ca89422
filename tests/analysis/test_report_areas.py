"""District lookup: area values to ONS codes, deprivation, and the most deprived areas."""

import pandas as pd
import pytest

from analysis.districts import add_area_lookup, load_districts, most_deprived

# From SURVEY-CONTENT.md, "Areas (Leicester, Leicestershire and Rutland) and their ONS codes".
CODES = {
    "leicester": "E06000016",
    "rutland": "E06000017",
    "blaby": "E07000129",
    "charnwood": "E07000130",
    "harborough": "E07000131",
    "hinckley_and_bosworth": "E07000132",
    "melton": "E07000133",
    "north_west_leicestershire": "E07000134",
    "oadby_and_wigston": "E07000135",
}


def test_shipped_districts_match_the_content_rules():
    districts = load_districts()
    assert dict(zip(districts["area"], districts["lad_code"], strict=True)) == CODES
    # One police force covers all nine: Leicestershire (police force area E23000021).
    assert set(districts["pfa_code"]) == {"E23000021"}


def test_area_answers_get_codes_and_deprivation():
    responses = pd.DataFrame(
        {
            "area": pd.array(
                ["leicester", "rutland", "somewhere_else", "dont_know", "prefer_not_to_say", None],
                dtype="string",
            )
        }
    )
    out = add_area_lookup(responses)
    assert out["area_code"].tolist()[:2] == ["E06000016", "E06000017"]
    assert out["area_code"].iloc[2:].isna().all()
    # Leicester's median LSOA is in national decile 3 (quintile 2); Rutland's in decile 9.
    assert out["deprivation_decile"].tolist()[:2] == [3, 9]
    assert out["deprivation_quintile"].tolist()[:2] == [2, 5]
    assert out["deprivation_quintile"].iloc[2:].isna().all()
    assert out["deprivation_edition"].iloc[0] == "IMD 2019, LSOA 2011 boundaries"
    assert out["deprivation_edition"].iloc[2:].isna().all()


def test_most_deprived_is_the_lowest_quintile_reached():
    most = most_deprived()
    assert (most.quintile, most.areas, most.names) == (2, ("leicester",), ("Leicester",))


def test_a_replacement_file_is_checked(tmp_path):
    path = tmp_path / "districts.csv"
    path.write_text("area,lad_code,lad_name\nleicester,E06000016,Leicester\nleicester,E06000017,Rutland\n")
    with pytest.raises(ValueError, match="appears twice"):
        load_districts(path)
