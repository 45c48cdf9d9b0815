"""Participant attributes from a CSV file."""

import pytest

from interviews.importing.attributes import parse_attribute_csv
from interviews.importing.common import ImportRefused


def parse(text, encoding="utf-8"):
    return parse_attribute_csv(text.encode(encoding))


def refusal(data):
    with pytest.raises(ImportRefused) as error:
        parse_attribute_csv(data)
    return str(error.value)


def test_it_reads_participants_and_their_attributes():
    rows, problems = parse("Participant,Age,Site\nP1,34,Leeds\nZoë,29,Málaga 🌞\n")
    assert rows == [
        ("P1", {"Age": "34", "Site": "Leeds"}),
        ("Zoë", {"Age": "29", "Site": "Málaga 🌞"}),
    ]
    assert problems == []


def test_it_finds_the_participant_column_anywhere_in_any_case():
    rows, _ = parse("age,PARTICIPANT\n34,P1\n")
    assert rows == [("P1", {"age": "34"})]


def test_it_drops_a_byte_order_mark_before_the_header():
    rows, _ = parse_attribute_csv(b"\xef\xbb\xbfparticipant,age\r\nP1,34\r\n")
    assert rows == [("P1", {"age": "34"})]


def test_it_reads_utf16_and_windows_1252():
    assert parse("participant,site\nP1,Málaga\n", "utf-16")[0] == [("P1", {"site": "Málaga"})]
    assert parse("participant,site\nP1,Málaga\n", "cp1252")[0] == [("P1", {"site": "Málaga"})]


def test_it_reads_semicolon_separated_files():
    rows, _ = parse("participant;age;site\nP1;34;Leeds, UK\n")
    assert rows == [("P1", {"age": "34", "site": "Leeds, UK"})]


def test_it_skips_blank_rows_silently():
    rows, problems = parse("participant,age\n\nP1,34\n,\n  ,  \nP2,40\n")
    assert [label for label, _ in rows] == ["P1", "P2"]
    assert problems == []


def test_it_leaves_empty_cells_out_and_trims_values():
    rows, _ = parse('participant,age,site\n  P1 , ,"  Leeds   city "\n')
    assert rows == [("P1", {"site": "Leeds city"})]


def test_it_reports_a_row_without_participant():
    rows, problems = parse("participant,age\nP1,34\n,40\n")
    assert rows == [("P1", {"age": "34"})]
    assert problems == [(3, "no participant: row skipped")]


def test_it_reports_a_participant_listed_twice():
    rows, problems = parse("participant,age\nP1,34\nP2,40\np1,35\n")
    assert rows == [("P1", {"age": "34"}), ("P2", {"age": "40"})]
    assert problems == [(4, "participant 'p1' is also in row 2: row skipped")]


def test_it_counts_rows_as_a_spreadsheet_does_with_multiline_cells():
    rows, problems = parse('participant,note\nP1,"two\nlines"\n,orphan\n')
    assert rows == [("P1", {"note": "two lines"})]
    assert problems == [(3, "no participant: row skipped")]


def test_it_reports_cells_beyond_the_header():
    rows, problems = parse("participant,age\nP1,34,extra\n")
    assert rows == [("P1", {"age": "34"})]
    assert problems == [(2, "more cells than the header has columns: extra cells ignored")]


def test_it_ignores_unnamed_empty_columns():
    rows, _ = parse("participant,age,,\nP1,34,,\n")
    assert rows == [("P1", {"age": "34"})]


def test_it_refuses_a_file_with_a_duplicated_column_name():
    assert refusal(b"participant,age,Age\nP1,34,35\n") == (
        "duplicate column name 'Age': each column needs a different name"
    )


def test_it_refuses_a_file_without_participant_column():
    assert refusal(b"name,age\nP1,34\n") == (
        "no participant column: the first row must name one column 'participant'"
    )


def test_it_refuses_values_in_a_column_without_name():
    assert refusal(b"participant,,age\nP1,x,34\n") == (
        "column 2 has values but no name: name it in the first row"
    )


def test_it_refuses_an_empty_file():
    assert refusal(b"  \n") == "empty file: there is nothing to import"


def test_it_refuses_a_header_without_rows():
    assert refusal(b"participant,age\n\n") == (
        "no participants to import: there are no rows below the header"
    )


def test_it_refuses_an_unterminated_quote():
    assert refusal(b'participant,note\nP1,"never closed\n').startswith("corrupt CSV file:")
