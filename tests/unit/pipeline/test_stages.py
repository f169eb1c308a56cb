"""The stage registry (revalign.pipeline.stages) and the undo of a failed stage."""

import os
import threading
from pathlib import Path

import pytest

from revalign.core import config
from revalign.pipeline import run, stages
from revalign.report import build, exports

PARAMS = "bibliography: [bib/refs.bib]\ncodebook: cb.yml\nsegments: seg.csv\n"


def _cfg(tmp_path, name="trial", extra=""):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "revalign").mkdir(parents=True, exist_ok=True)
    (tmp_path / "params").mkdir(exist_ok=True)
    p = tmp_path / "params" / f"{name}.yml"
    p.write_text(PARAMS + extra)
    return config.load(p, root=tmp_path)


def test_no_two_stages_write_the_same_file():
    names = [n for s in stages.STAGES for o in s.outputs for n in o.file_names]
    assert len(names) == len(set(names))


def test_each_stage_reads_only_files_of_earlier_stages():
    order = [s.name for s in stages.STAGES]
    for s in stages.STAGES:
        for name in s.reads:
            writer, _ = stages.producer(name)
            assert order.index(writer.name) < order.index(s.name), (s.name, name)


def test_stages_have_names_and_notebooks_are_numbered_by_order(root):
    """The numbers are only the notebooks' prefixes: 01_ for the first stage, and so on (the
    committed notebooks' names are a contract)."""
    assert [s.notebook for s in stages.STAGES] == [
        "01_bibliography.ipynb",
        "02_screening.ipynb",
        "03_coding.ipynb",
        "04_alignment.ipynb",
        "05_report.ipynb",
    ]
    assert [p.name for p in stages.stage_notebooks(root)] == sorted(
        p.name for p in (root / "notebooks").glob("*.ipynb")
    )
    assert stages.stage("alignment") is stages.stage("04_alignment.ipynb")
    with pytest.raises(stages.UndeclaredFile, match="no stage '04'; the stages are bibliography, screening"):
        stages.stage("0" + "4")


def test_upstream_stages_by_hand():
    # 02 reads corpus.csv and import_summary.csv (01); 03 corpus.csv (01) and screening.csv (02);
    # 04 corpus.csv (01); 05 reads files of every earlier stage
    assert {s.name: [u.name for u in stages.upstream(s)] for s in stages.STAGES} == {
        "bibliography": [],
        "screening": ["bibliography"],
        "coding": ["bibliography", "screening"],
        "alignment": ["bibliography"],
        "report": ["bibliography", "screening", "coding", "alignment"],
    }


def test_the_report_reads_only_declared_files():
    """Every file report.build looks up is one stage 05 declares it reads (else Make would not
    rebuild the report when that file changes)."""
    from revalign.report import cerqual

    names = set(build.OPTIONAL_FILES.values()) | {f"{stem}.png" for stems in build.FIGURES.values() for stem in stems}
    linked = {f"{name}_export.{ext}" for name in exports.EXPORTS for ext in ("csv", "xlsx")}  # report-data/
    stage01 = {"corpus.csv", "corpus_summary.json", "corpus_lookup.arrow"}
    assert names | linked | stage01 | {"table1.csv"} | set(cerqual.FILES) == set(stages.stage("report").reads)


def test_stage_files_gives_declared_paths_and_refuses_others(tmp_path):
    cfg = _cfg(tmp_path)
    out = stages.stage_files(cfg, "alignment")
    assert out["table1.csv"] == tmp_path / "runs/trial/processed/table1.csv"
    assert out["corpus.csv"] == tmp_path / "runs/trial/processed/corpus.csv"  # read from stage 01
    assert out.figure("sensitivity") == "sensitivity"
    with pytest.raises(stages.UndeclaredFile, match="stage alignment .* neither writes nor reads 'screening.csv'"):
        out["screening.csv"]  # stage 02's, which stage 04 does not read
    with pytest.raises(stages.UndeclaredFile, match="does not declare the figure 'venues'"):
        out.figure("venues")  # stage 01's figure
    assert stages.stage_files(cfg, "report")["report.html"] == tmp_path / "runs/trial/report.html"
    assert stages.stage_files(cfg, "bibliography")["rejects.csv"] == tmp_path / "runs/trial/interim/rejects.csv"


def test_conditional_outputs_follow_the_parameters_and_files(tmp_path):
    cfg = _cfg(tmp_path)
    s1, s3 = stages.stage("bibliography"), stages.stage("coding")
    names = lambda s, c, maybe=False: [p.name for p in stages.written_paths(s, c, maybe)]  # noqa: E731
    assert "citation_audit.csv" not in names(s1, cfg)  # no in_text_citations in the parameters
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "in_text_citations.csv").write_text("x\n")
    assert "citation_audit.csv" not in names(s1, cfg)  # a file beside the bibliography is not looked for
    assert "citation_audit.csv" in names(s1, _cfg(tmp_path, "cited", "in_text_citations: bib/in_text_citations.csv\n"))
    assert "key_statistics.png" not in names(s3, cfg)
    assert "key_statistics.png" in names(s3, _cfg(tmp_path, "other", "key_statistics: ks.csv\n"))
    # the data decide whether there is a dimension-by-year map: restored on failure, never a target
    assert "dimension_year.csv" not in names(s3, cfg)
    assert "dimension_year.csv" in names(s3, cfg, maybe=True)


# ---- OutputTransaction ---------------------------------------------------------------


def test_a_failed_stage_restores_its_files_with_their_times(tmp_path):
    kept, added = tmp_path / "a.csv", tmp_path / "new.csv"
    kept.write_text("old\n")
    os.utime(kept, ns=(1_000_000_000, 1_000_000_000))
    with pytest.raises(RuntimeError), run.OutputTransaction([kept, added]):
        kept.write_text("half-written\n")
        added.write_text("new\n")
        raise RuntimeError("cell failed")
    assert kept.read_text() == "old\n"
    assert kept.stat().st_mtime_ns == 1_000_000_000  # Make sees it unchanged (.DELETE_ON_ERROR keeps it)
    assert not added.exists()


def test_a_large_file_is_kept_as_a_link_not_in_memory_and_restored(tmp_path, monkeypatch):
    """A file of KEEP_IN_MEMORY bytes or more (the corpus at 200,000 works: 280 MB) is kept as a hard
    link, so guarding it costs the same whatever its size; a stage that replaces it (atomic write)
    and then fails gets the old bytes and time back, and no link is left beside it, after a failure
    or a success."""
    from revalign.core.atomic import write_text

    monkeypatch.setattr(run.OutputTransaction, "KEEP_IN_MEMORY", 10)
    big, small = tmp_path / "corpus.csv", tmp_path / "t.csv"
    big.write_text("record_id\nold-1\nold-2\n")  # 25 bytes: kept as a link
    small.write_text("x\n")  # 2 bytes: kept as bytes
    for f in (big, small):
        os.utime(f, ns=(2_000_000_000, 2_000_000_000))
    tx = run.OutputTransaction([big, small])
    with pytest.raises(RuntimeError), tx:
        assert isinstance(tx.before[big][0], Path) and tx.before[small][0] == b"x\n"
        assert os.path.samefile(tx.before[big][0], big)
        write_text(big, "record_id\nnew\n")  # replaced: a new file renamed over it
        write_text(small, "y\n")
        raise RuntimeError("cell failed")
    assert big.read_text() == "record_id\nold-1\nold-2\n" and small.read_text() == "x\n"
    assert big.stat().st_mtime_ns == small.stat().st_mtime_ns == 2_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.csv", "t.csv"]  # no link left
    with run.OutputTransaction([big]):
        write_text(big, "record_id\nnew\n")
    assert big.read_text() == "record_id\nnew\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.csv", "t.csv"]


def test_a_guarded_folder_does_not_count_its_own_links_as_new_files(tmp_path, monkeypatch):
    """A folder stands for every file under it (a scratch notebook): the links the transaction
    keeps there are not files the stage added (deleting them would lose the old content)."""
    from revalign.core.atomic import write_text

    monkeypatch.setattr(run.OutputTransaction, "KEEP_IN_MEMORY", 10)
    folder = tmp_path / "processed"
    folder.mkdir()
    (folder / "corpus.csv").write_text("record_id\nold-1\nold-2\n")
    with pytest.raises(RuntimeError), run.OutputTransaction([folder]):
        write_text(folder / "corpus.csv", "record_id\nnew\n")
        (folder / "added.csv").write_text("new\n")
        raise RuntimeError("cell failed")
    assert sorted(p.name for p in folder.iterdir()) == ["corpus.csv"]
    assert (folder / "corpus.csv").read_text() == "record_id\nold-1\nold-2\n"


def test_two_stages_in_parallel_do_not_undo_each_other(tmp_path):
    """Stage 03 fails while stage 04, running at the same time (make -j2) in the same run, succeeds.

    Worked out by hand: 03 rewrote evidence_map.csv (existing) and wrote vocabulary_check.json (new);
    04 wrote table1.csv (new) and rewrote sensitivity.csv (existing). After 03's failure its two
    files are as before (old content, absent), and 04's two files keep 04's content. Before, a
    stage guarded the whole output folders and deleted table1.csv, absent when it started.
    """
    cfg = _cfg(tmp_path)
    cfg.ensure_dirs()
    P = cfg.processed_dir
    (P / "evidence_map.csv").write_text("03 old\n")
    (P / "sensitivity.csv").write_text("04 old\n")
    nb = cfg.notebooks_dir
    started, done = threading.Event(), threading.Event()
    errors = []

    def stage_03():
        try:
            with run.OutputTransaction(run.output_paths(cfg, nb / "03_coding.ipynb", stages.stage("coding"))):
                (P / "evidence_map.csv").write_text("03 half\n")
                (P / "vocabulary_check.json").write_text("{}\n")
                started.set()
                done.wait(5)
                raise RuntimeError("stage 03 failed")
        except RuntimeError as exc:
            errors.append(str(exc))

    def stage_04():
        started.wait(5)
        with run.OutputTransaction(run.output_paths(cfg, nb / "04_alignment.ipynb", stages.stage("alignment"))):
            (P / "table1.csv").write_text("04 new\n")
            (P / "sensitivity.csv").write_text("04 new\n")
        done.set()

    threads = [threading.Thread(target=stage_03), threading.Thread(target=stage_04)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == ["stage 03 failed"]
    assert {p.name: p.read_text() for p in sorted(P.iterdir())} == {
        "evidence_map.csv": "03 old\n",
        "sensitivity.csv": "04 new\n",
        "table1.csv": "04 new\n",
    }


def test_a_registered_stage_guards_only_its_declared_files(tmp_path):
    cfg = _cfg(tmp_path)
    nb_out = tmp_path / "runs/trial/notebooks/04_alignment.ipynb"
    guarded = run.output_paths(cfg, nb_out, stages.stage("alignment"))
    assert nb_out in guarded
    assert tmp_path / "runs/trial/processed/table1.csv" in guarded
    assert tmp_path / "runs/trial/figures/sensitivity.svg" in guarded
    assert tmp_path / "runs/trial/processed/corpus.csv" not in guarded  # stage 01's
    assert not any(p.is_dir() or p == cfg.processed_dir for p in guarded)
    # a scratch notebook that is not a stage declares nothing: the whole output folders
    assert cfg.processed_dir in run.output_paths(cfg, nb_out, None)


def test_stage_notebooks_are_the_committed_ones(root):
    assert [p.name for p in stages.stage_notebooks(root)] == sorted(
        p.name for p in (root / "notebooks").glob("*.ipynb")
    )
    assert all(isinstance(p, Path) and p.exists() for p in stages.stage_notebooks(root))
