"""The report's spreadsheet copies of earlier stages' files are copies, not the same file.

The report stage marks its outputs as made now (pipeline.run._touch); were they hard links of
stage 01's and 02's files, that would make those files newer than every stage that reads them,
and the next `make report` would redo stages 02-05 (seen in tests/e2e/test_make.py's -j2 run).
"""

from __future__ import annotations

import os

from revalign.report.exports import write_export


def test_touching_the_report_copy_leaves_the_stage_file_alone(tmp_path):
    stage = tmp_path / "interim"
    stage.mkdir()
    source = stage / "corpus.csv"
    source.write_text("record_id,title\nr1,A\n", encoding="utf-8")
    prepared = (stage / "corpus_export.csv", stage / "corpus_export.xlsx")
    prepared[0].write_text("record_id,title\nr1,A\n", encoding="utf-8")
    prepared[1].write_bytes(b"PK\x03\x04 not really a workbook, copied as bytes")
    old = 1_000_000_000_000_000_000
    for p in prepared:
        os.utime(p, ns=(old, old))
    page = tmp_path / "reports" / "report.html"
    out_csv, out_xlsx = tmp_path / "reports/report-data/corpus.csv", tmp_path / "reports/report-data/corpus.xlsx"
    export = write_export(source, out_csv, out_xlsx, page, "corpus", 1, prepared=prepared)
    assert export is not None and export.written
    assert out_csv.read_bytes() == prepared[0].read_bytes() and out_xlsx.read_bytes() == prepared[1].read_bytes()
    for out in (out_csv, out_xlsx):
        os.utime(out)  # what the report stage does to its outputs
    assert [p.stat().st_mtime_ns for p in prepared] == [old, old]
    # a second run with nothing changed writes nothing
    again = write_export(source, out_csv, out_xlsx, page, "corpus", 1, prepared=prepared)
    assert again is not None and not again.written


def test_a_copy_is_current_only_when_newer_and_alike_at_both_ends(tmp_path):
    """The report tells a current copy beside its page without reading both files through (their
    size, times and ends: issue 27); a copy older than its source, or that differs at either end,
    is written again."""
    from revalign.report import exports

    prepared, target = tmp_path / "corpus_export.csv", tmp_path / "report-data" / "corpus.csv"
    body = "record_id,title\n" + "".join(f"r{i},Title {i}\n" for i in range(20_000))  # > 2 * PROBE bytes
    assert len(body) > 2 * exports.PROBE
    prepared.write_text(body, encoding="utf-8")
    os.utime(prepared, ns=(1_000_000_000_000_000_000,) * 2)
    assert exports._link(prepared, target) and target.read_bytes() == prepared.read_bytes()
    assert not exports._link(prepared, target)  # current: nothing written
    for changed in (body.replace("r0,", "x0,"), body.replace("r19999,", "x19999,")):  # first, last bytes
        prepared.write_text(changed, encoding="utf-8")  # same size, written now: newer than the copy
        assert exports._link(prepared, target) and target.read_text(encoding="utf-8") == changed
    stale = body.replace("r0,", "x0,")
    target.write_text(stale, encoding="utf-8")  # same size and newer, but other first bytes
    assert exports._link(prepared, target) and target.read_bytes() == prepared.read_bytes()
