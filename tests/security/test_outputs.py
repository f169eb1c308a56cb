"""Outputs: only a new path or an existing regular file, never an input, another output,
a device, a FIFO, a folder or anything under data/raw/; several outputs all or none;
no temporary file survives SIGTERM/SIGINT, and stale ones are cleaned on the next run.

Attacks (issue 14): ``-o /dev/full`` replaced the device node with a regular file;
``bib import refs.bib -o refs.bib`` overwrote the input; ``qda import -o
data/raw/coding/segments.csv`` replaced the raw coding; ``-o`` equal to
``--dedup-report`` silently replaced one with the other; with several outputs the first
was written before the next failed; a killed run left ``*.tmp`` files; an OSError on
output (a folder, a full disk, a read-only folder) ended in a traceback.

The device is a node made here with the numbers of /dev/full (char 1, 7), so a
regression replaces a node in the test's folder, not the system's /dev/full.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time

import pytest
from hostile import (
    ROOT,
    SOURCE_GUID,
    make_qdpx,
    no_temp_files,
    one_error_line,
    project_qde,
    qda_import,
    run_main,
)

BIB = """@article{smith2020,
  title = {Micro-credentials and learners},
  author = {Smith, Ann},
  year = {2020},
  doi = {10.1000/abc}
}
@article{smith2020b,
  title = {Micro-credentials and learners},
  author = {Smith, Ann},
  year = {2020},
  doi = {10.1000/ABC}
}
"""


@pytest.fixture
def bib(tmp_path):
    p = tmp_path / "refs.bib"
    p.write_text(BIB, encoding="utf-8")
    return p


def _bib_import(bib, out, *extra):
    return ["bib", "import", bib, "-o", out, "-q", *extra]


def test_output_equal_to_input_refused(tmp_path, bib, capfd):
    code, o, e = run_main(_bib_import(bib, bib), capfd)
    one_error_line(code, e, where=str(bib), pattern=r"input")
    assert bib.read_text(encoding="utf-8") == BIB


def test_output_equal_to_input_by_another_spelling_refused(tmp_path, bib, capfd):
    os.symlink(bib, tmp_path / "alias.bib")
    code, o, e = run_main(_bib_import(bib, tmp_path / "x" / ".." / "alias.bib"), capfd)
    one_error_line(code, e, pattern=r"input")
    assert bib.read_text(encoding="utf-8") == BIB
    assert (tmp_path / "alias.bib").is_symlink()


def test_output_equal_to_another_output_refused(tmp_path, bib, capfd):
    out = tmp_path / "corpus.csv"
    code, o, e = run_main(_bib_import(bib, out, "--dedup-report", out), capfd)
    one_error_line(code, e, where=str(out), pattern=r"--dedup-report|twice|same")
    assert not out.exists()


def test_rejects_equal_to_dedup_report_refused(tmp_path, bib, capfd):
    rep = tmp_path / "rep.csv"
    code, o, e = run_main(_bib_import(bib, tmp_path / "c.csv", "--dedup-report", rep, "--rejects", rep), capfd)
    one_error_line(code, e, where=str(rep), pattern=r"--rejects|--dedup-report|twice|same")
    assert not rep.exists() and not (tmp_path / "c.csv").exists()


def test_qda_unmapped_equal_to_output_refused(tmp_path, capfd):
    qdpx = make_qdpx(
        tmp_path / "p.qdpx", project_qde(), {f"sources/{SOURCE_GUID}.txt": b"Learners chose their own courses."}
    )
    out = tmp_path / "s.csv"
    code, o, e = run_main(qda_import(qdpx, out, "--unmapped", out), capfd)
    one_error_line(code, e, where=str(out), pattern=r"--unmapped|twice|same")
    assert not out.exists()


def test_output_under_data_raw_refused(tmp_path, capfd):
    raw = tmp_path / "data" / "raw" / "coding" / "segments.csv"
    raw.parent.mkdir(parents=True)
    raw.write_text("original raw coding\n", encoding="utf-8")
    qdpx = make_qdpx(
        tmp_path / "p.qdpx", project_qde(), {f"sources/{SOURCE_GUID}.txt": b"Learners chose their own courses."}
    )
    code, o, e = run_main(qda_import(qdpx, raw), capfd)
    one_error_line(code, e, where=str(raw), pattern=r"data/raw")
    assert raw.read_text(encoding="utf-8") == "original raw coding\n"


def test_output_under_data_raw_of_the_repository_refused(tmp_path, bib, capfd):
    target = ROOT / "data" / "raw" / "bibliography" / "never-written.csv"
    try:
        code, o, e = run_main(_bib_import(bib, "data/raw/bibliography/never-written.csv"), capfd)
        written = target.exists()
    finally:
        target.unlink(missing_ok=True)  # a regression must not leave clutter in the repository
    one_error_line(code, e, where="data/raw/bibliography/never-written.csv", pattern=r"data/raw")
    assert not written


def test_output_is_a_fifo_refused(tmp_path, bib, capfd):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    code, o, e = run_main(_bib_import(bib, fifo), capfd)
    one_error_line(code, e, where=str(fifo), pattern=r"FIFO|regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    no_temp_files(tmp_path)


def test_output_is_a_device_refused(tmp_path, bib, capfd):
    full = tmp_path / "full"
    try:
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # the numbers of /dev/full
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    code, o, e = run_main(_bib_import(bib, full), capfd)
    one_error_line(code, e, where=str(full), pattern=r"device|regular file")
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    no_temp_files(tmp_path)


def test_dev_full_refused_before_anything_is_written(tmp_path, bib, capfd, monkeypatch):
    # /dev/full itself, with every rename disabled so that even a regression cannot replace it
    def no_replace(src, dst, *a, **k):
        raise AssertionError(f"would replace {dst}")

    monkeypatch.setattr(os, "replace", no_replace)
    monkeypatch.setattr(os, "rename", no_replace)
    code, o, e = run_main(_bib_import(bib, "/dev/full"), capfd)
    one_error_line(code, e, where="/dev/full", pattern=r"device|regular file")
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_output_is_a_folder_refused(tmp_path, bib, capfd):
    folder = tmp_path / "out"
    folder.mkdir()
    code, o, e = run_main(_bib_import(bib, folder), capfd)
    one_error_line(code, e, where=str(folder), pattern=r"folder|director")
    assert folder.is_dir()
    no_temp_files(tmp_path)


def test_output_folder_of_align_is_a_file(tmp_path, capfd):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    code, o, e = run_main(["align", "--segments", "data/raw/coding/segments.csv", "-o", f], capfd)
    one_error_line(code, e, where=str(f), pattern=r"folder|director|file")


def test_output_in_a_folder_that_is_a_file(tmp_path, bib, capfd):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    code, o, e = run_main(_bib_import(bib, f / "out.csv"), capfd)
    one_error_line(code, e, where=str(f / "out.csv"), pattern=r"folder|director")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_output_in_a_read_only_folder(tmp_path, bib, capfd):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        code, o, e = run_main(_bib_import(bib, ro / "out.csv"), capfd)
    finally:
        ro.chmod(0o755)
    one_error_line(code, e, where=str(ro / "out.csv"), pattern=r"permission|read-only|cannot write")


@pytest.mark.parametrize(
    "err",
    [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO, errno.EDQUOT],
    ids=["ENOSPC", "EROFS", "EACCES", "EIO", "EDQUOT"],
)
def test_every_oserror_on_output_is_one_line(tmp_path, bib, capfd, monkeypatch, err):
    """A full disk, a read-only file system, a denied write: the OS error as one line, exit 2."""

    def fail(src, dst, *a, **k):
        raise OSError(err, os.strerror(err), str(dst))

    monkeypatch.setattr(os, "replace", fail)
    out = tmp_path / "out.csv"
    code, o, e = run_main(_bib_import(bib, out), capfd)
    one_error_line(code, e, where=str(out), pattern=os.strerror(err))
    assert not out.exists()
    no_temp_files(tmp_path)


def test_several_outputs_all_or_none_when_the_second_cannot_be_written(tmp_path, bib, capfd):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    out = tmp_path / "corpus.csv"
    code, o, e = run_main(_bib_import(bib, out, "--dedup-report", f / "rep.csv"), capfd)
    one_error_line(code, e, where=str(f / "rep.csv"))
    assert not out.exists(), "the first output was written although the second failed"
    no_temp_files(tmp_path)


def test_several_outputs_all_or_none_when_a_rename_fails(tmp_path, bib, capfd, monkeypatch):
    out, rep = tmp_path / "corpus.csv", tmp_path / "rep.csv"
    out.write_text("old corpus\n", encoding="utf-8")
    real = os.replace

    def fail_on_report(src, dst, *a, **k):
        if os.fspath(dst).endswith("rep.csv"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", fail_on_report)
    code, o, e = run_main(_bib_import(bib, out, "--dedup-report", rep), capfd)
    one_error_line(code, e, where=str(rep), pattern=os.strerror(errno.ENOSPC))
    assert out.read_text(encoding="utf-8") == "old corpus\n", "the first output was replaced"
    assert not rep.exists()
    no_temp_files(tmp_path)


# ---- interrupted runs ----------------------------------------------------------------------------
# The child replaces os.replace by one that says "ready" and sleeps: the moment when the
# finished temporary file waits to be moved over the target, the widest window for a kill.
CHILD = r"""
import os, sys, time
def slow_replace(src, dst, *a, **k):
    print("ready", flush=True)
    time.sleep(60)
os.replace = slow_replace
from revalign.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_temporary_files_removed_on_signal(tmp_path, bib, sig):
    # SIGINT passes on a5f39f4 too (KeyboardInterrupt unwound the context manager); SIGTERM did not
    out = tmp_path / "out" / "corpus.csv"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, *map(str, _bib_import(bib, out))],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in child.stdout:  # the command may print its summary first
            if line.strip() == "ready":
                break
        else:
            pytest.fail("the child never reached the rename: " + child.stderr.read())
        assert [p for p in out.parent.iterdir() if p.name.endswith(".tmp")], "no temporary file to remove?"
        child.send_signal(sig)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode != 0
    no_temp_files(out.parent)
    assert not out.exists()
    err = child.stderr.read()
    assert "Traceback" not in err, err


def test_stale_temporary_files_cleaned_on_next_run(tmp_path, bib, capfd):
    out = tmp_path / "corpus.csv"
    # the names a5f39f4's atomic writer gave its temporary files (".NAME.RANDOM.csv.tmp"), one hour old
    stale = tmp_path / ".corpus.csv.k2j3h4g5.csv.tmp"
    stale.write_text("half-written", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    other = tmp_path / ".unrelated.csv.abc.tmp"  # another file's temporary: not ours to judge here
    other.write_text("x", encoding="utf-8")
    code, o, e = run_main(_bib_import(bib, out), capfd)
    assert code == 0, e
    assert out.exists()
    assert not stale.exists(), "stale temporary file of the same output not cleaned"
    assert other.exists()
