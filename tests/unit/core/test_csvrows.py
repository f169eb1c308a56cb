"""Rows of a user's CSV with the line each starts on (revalign.core.csvrows), counted by hand."""

from revalign.core.csvrows import UNCLOSED_QUOTE, csv_rows


def test_rows_keep_the_line_they_start_on_across_quoted_line_breaks_and_blank_lines():
    text = 'a, b ,c\n\n1,"two\nlines",3\n4,5,6\n   ,  \n7,8,9\n'
    # line 1 header; 2 blank; 3-4 one row (quoted break); 5 a row; 6 blank cells only; 7 a row
    parsed = csv_rows(text)
    assert parsed.header == ["a", "b", "c"]
    assert parsed.rows == [["1", "two\nlines", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    assert parsed.lines == [3, 5, 7]
    assert parsed.problem is None


def test_an_unclosed_quote_is_named_on_the_line_its_row_starts_and_stops_the_reading():
    parsed = csv_rows('a,b\n1,2\n3,"never closed\n4,5\n')
    assert parsed.rows == [["1", "2"]]
    assert parsed.problem == (3, UNCLOSED_QUOTE)


def test_other_delimiters_and_an_empty_text():
    assert csv_rows("x;y\n1;2\n", ";").rows == [["1", "2"]]
    empty = csv_rows("\n\n")
    assert empty.header is None and empty.rows == [] and empty.problem is None
