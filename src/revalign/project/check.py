"""``python -m revalign check PARAMS``: every problem of every input of a run, in one pass.

Checked, in this order: the parameter file (schema and the ``framework`` id), that each
named input lies inside the project folder and is a regular file that exists
(:func:`input_file_problem`; a file outside is never read), that each bibliography export
parses, the codebook, the segments (structure, codes against the codebook, ``ref_key``
against the corpus keys of the exports), the optional published table, key statistics,
source appraisal and notes, and last that no input holds a control character other than
tab and line breaks (:func:`control_character_errors`). Each problem is one line
``error: FILE[:LINE]: message`` on stderr, followed by a count; the exit code is 2 when
there is any. Nothing is written. A problem that makes a later check meaningless (a
codebook that does not load) skips only the checks that need it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from revalign.core.atomic import file_kind
from revalign.core.errors import InputError, InputErrors, display_path


def _flatten(exc: InputError) -> list[InputError]:
    return list(exc.errors) if isinstance(exc, InputErrors) else [exc]


def corpus_keys(records) -> set[str]:
    """The keys segments may cite: ``citation_key`` where the corpus has one for every row, else ``record_id``."""
    if "citation_key" in records.columns:
        keys = records["citation_key"].astype("string").fillna("").str.strip()
        if len(keys) and keys.ne("").all():
            return set(keys)
    return set(records["record_id"].astype(str))


class Checker:
    def __init__(self, params_file: str | Path, root: str | Path | None = None):
        from revalign.core.config import repo_root

        self.root = Path(root).resolve() if root else repo_root()
        path = Path(params_file)
        self.params_file = path if path.is_absolute() else self.root / path
        self.problems: list[InputError] = []
        self.checked: list[str] = []
        # what the run survives but its reader should know, as "FILE[:LINE]: message": a bibliography record
        # repaired or skipped (the run reads the rest), a segment citing a work screening excludes, a label
        # the figures cannot draw
        self.warnings: list[str] = []
        self.inputs: list[tuple[str, Path]] = []  # (key, path) of each input found readable
        self._written: dict[Path, str] = {}  # each input path as the parameter file writes it

    def _add(self, exc: InputError) -> None:
        self.problems.extend(_flatten(exc))

    def _warn(self, exc: InputError) -> None:
        self.warnings.append(exc.format().removeprefix("error: "))

    def _path(self, value) -> Path | None:
        if not isinstance(value, str) or not value.strip():
            return None
        p = Path(value)
        p = p if p.is_absolute() else self.root / p
        self._written[p] = value
        return p

    def _exists(self, key: str, path: Path | None, line: int | None) -> bool:
        if path is None:
            return False
        value = self._written.get(path, str(path))
        problem = input_file_problem(self.params_file, key, value, path, self.root, line)
        if problem is not None:
            self._add(problem)
            return False
        self.inputs.append((key, path))
        return True

    def run(self) -> list[InputError]:
        from revalign.core import config
        from revalign.core.yamlio import load_yaml

        try:
            raw, lines = load_yaml(self.params_file)
        except InputError as exc:
            self._add(exc)
            return self.problems
        if not isinstance(raw, dict):
            self._add(InputError(self.params_file, "a parameter file must be a mapping of keys to values", 1))
            return self.problems
        cfg = None
        try:
            cfg = config.load(self.params_file, root=self.root)
        except InputError as exc:
            self._add(exc)
        self.checked.append(display_path(self.params_file))

        bib = raw.get("bibliography")
        bib = [bib] if isinstance(bib, str) else bib if isinstance(bib, list) else []
        bib_paths = []
        for i, value in enumerate(bib):
            p = self._path(value.get("file") if isinstance(value, dict) else value)
            if self._exists("bibliography", p, lines.line(("bibliography", i))):
                columns = value.get("columns") if isinstance(value, dict) else None
                bib_paths.append((p, columns))
        keys = self._check_bibliography(bib_paths, cfg) if bib_paths and len(bib_paths) == len(bib) else None

        cb = None
        cb_path = self._path(raw.get("codebook"))
        if self._exists("codebook", cb_path, lines.line(("codebook",))):
            cb = self._check_codebook(cb_path)

        if cb is not None:
            self._warn_undrawable_labels(cb_path, raw.get("lang"))
            self._check_weights(raw, lines, cb)

        seg_path = self._path(raw.get("segments"))
        if self._exists("segments", seg_path, lines.line(("segments",))):
            self._check_segments(seg_path, cb, keys)

        dec_path = self._path(raw.get("coding_decisions"))
        if dec_path is not None and self._exists("coding_decisions", dec_path, lines.line(("coding_decisions",))):
            self._check_decisions(dec_path, seg_path, cb, keys)

        for key in ("published_table", "key_statistics", "appraisal", "notes"):
            p = self._path(raw.get(key))
            if p is not None and self._exists(key, p, lines.line((key,))):
                self._check_text(key, p, keys)
        self._check_screening(raw, lines, keys is not None)
        self.problems.extend(control_character_errors([("params", self.params_file), *self.inputs]))
        if not self.problems:
            self._warn_excluded_citations(seg_path)
        return self.problems

    def _check_weights(self, raw: dict, lines, cb) -> None:
        """Each weighted term of ``alignment`` names a facet or context of the codebook (a weight
        for a term the codebook lacks would be silently ignored)."""
        import difflib

        from revalign.core.config import _TERM_WEIGHT_KEY

        al = raw.get("alignment") if isinstance(raw.get("alignment"), dict) else {}
        facets, contexts = [t.id for t in cb.facet], [t.id for t in cb.context]
        kinds = {"facet_weights": ("facet", facets), "context_weights": ("context", contexts)}
        given = []  # (the key as shown, its path in the file, the term, the kind, the valid ids)
        for key in al:
            match = _TERM_WEIGHT_KEY.match(key) if isinstance(key, str) else None
            if match:
                given.append((key, ("alignment", key), match["term"], "facet or context", facets + contexts))
            elif key in (*kinds, "term_weights") and isinstance(al[key], dict):
                kind, ids = kinds.get(key, ("facet or context", facets + contexts))
                given += [(f"{key}.{t}", ("alignment", key, t), str(t), kind, ids) for t in al[key]]
        for shown, path, term, kind, ids in given:
            if term in ids:
                continue
            close = difflib.get_close_matches(term, ids, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"the codebook's are: {', '.join(ids) or 'none'}"
            message = f"alignment.{shown}: the codebook has no {kind} {term!r}; {hint}"
            self._add(InputError(self.params_file, message, lines.line(path)))

    def _warn_undrawable_labels(self, cb_path: Path, lang) -> None:
        """A warning per codebook label (in the run's language) with characters the figures' font cannot
        draw: they would print as empty boxes in every figure."""
        from revalign.core.codebook import load_codebook
        from revalign.core.yamlio import load_yaml
        from revalign.plotting.style import FONT, undrawable

        lang = lang if isinstance(lang, str) and lang else "en"
        try:
            cb = load_codebook(cb_path)
            _, lines = load_yaml(cb_path)
        except InputError:
            return
        sections = {"components": cb.components}
        sections.update({name: getattr(cb, name) for name in ("themes", "polarity", "facet", "context", "levels")})
        for name, items in sections.items():
            for i, item in enumerate(items):
                text = item.label.text(lang, warn=False)
                missing = undrawable(text)
                if missing:
                    self._warn(
                        InputError(
                            cb_path,
                            f"{name}: the label {text!r} of {item.id!r} has characters the figures' font ({FONT}) "
                            f"cannot draw ({missing}); they print as empty boxes in the figures (the report's "
                            "text shows them)",
                            lines.line((name, i, "label")),
                        )
                    )

    def _warn_excluded_citations(self, seg_path: Path | None) -> None:
        """A warning per segment that cites a work screening excludes (it still counts as evidence, marked)."""
        segments = getattr(self, "segments", None)
        corpus = getattr(self, "corpus", None)
        if segments is None or corpus is None or seg_path is None or not len(segments):
            return
        from revalign.coding.screened import excluded_citation_warnings
        from revalign.core import config
        from revalign.screening.commands import screened_records

        try:
            cfg = config.load(self.params_file, root=self.root)
            records = screened_records(cfg, corpus)
        except InputError:
            return  # reported by the other checks
        for line, message in excluded_citation_warnings(segments, records, corpus):
            self._warn(InputError(seg_path, message, line))

    def _check_screening(self, raw: dict, lines, bibliography_ok: bool) -> None:
        """People's screening decisions and resolution sheets (revalign.screening.commands.problems)."""
        scr = raw.get("screening") if isinstance(raw.get("screening"), dict) else {}
        found = True
        for key in ("decisions", "resolutions"):
            items = scr.get(key) if isinstance(scr.get(key), list) else []
            for i, item in enumerate(items):
                value = item.get("file") if isinstance(item, dict) else item
                found &= self._exists(f"screening.{key}", self._path(value), lines.line(("screening", key, i)))
        if not (found and bibliography_ok and (scr.get("decisions") or scr.get("resolutions"))):
            return
        from revalign.core import config
        from revalign.screening.commands import problems

        try:
            cfg = config.load(self.params_file, root=self.root)
        except InputError:
            return  # reported by the parameter check
        self.problems.extend(problems(cfg, self.corpus))
        self.checked += [display_path(p) for p in cfg.input_files()["screening_decisions"]]

    def _check_bibliography(self, entries: list[tuple[Path, dict | None]], cfg=None) -> set[str] | None:
        from revalign.bibliography import kept
        from revalign.bibliography.importer import read_bibliography, read_file

        paths = [p for p, _ in entries]
        columns = {p: c for p, c in entries if c}
        same_files = cfg is not None and [Path(p).resolve() for p in cfg.bibliography_files] == [
            p.resolve() for p in paths
        ]
        try:
            # one read of the whole bibliography, the import stage 01 makes, kept for stage 01 so that a
            # run reads its bibliography once (revalign.bibliography.kept; docs/scaling.md)
            result = kept.read_and_keep(cfg) if same_files else read_bibliography(paths, columns=columns or None)
        except InputError as exc:
            # the import stops at its first problem: read each file on its own to list them all
            found = False
            for p, c in entries:
                try:
                    read_file(p, columns=c)
                    self.checked.append(display_path(p))
                except InputError as file_exc:
                    self._add(file_exc)
                    found = True
            if not found:
                self._add(exc)  # a problem of the files together (the same file named twice ...)
            return None
        self.checked += [display_path(p) for p in paths]
        self.warnings += result.warnings
        self.corpus = result.records
        return corpus_keys(self.corpus)

    def _check_codebook(self, path: Path):
        from revalign.core.codebook import coding_codebook

        try:
            cb = coding_codebook(path)
        except InputError as exc:
            self._add(exc)
            return None
        self.checked.append(display_path(path))
        return cb

    def _check_segments(self, path: Path, cb, keys) -> None:
        from revalign.coding.segments import parse_segments_csv_problems, read_segments, segment_problems

        try:
            if path.suffix.lower() == ".qdpx":
                if cb is None:
                    return
                read_segments(path, cb, keys)
                self.checked.append(display_path(path))
                return
            df, problems = parse_segments_csv_problems(path)
        except InputError as exc:
            self._add(exc)
            return
        self.segments = df
        if not (problems and df.empty):
            problems = problems + segment_problems(df, cb, keys)
        problems.sort(key=lambda p: (p[0] is not None, p[0] or 0))
        self.problems.extend(InputError(path, message, line) for line, message in problems)
        self.checked.append(display_path(path))

    def _check_decisions(self, path: Path, seg_path: Path | None, cb, keys) -> None:
        """The coding decisions file against the segments and codebook (skipped when those have problems)."""
        from revalign.alignment.decisions import read_decisions
        from revalign.coding.segments import read_segments

        if cb is None or seg_path is None or not seg_path.is_file():
            return
        try:
            segs = read_segments(seg_path, cb, keys)
        except InputError:
            return  # reported with the segments
        try:
            read_decisions(path, segs.fillna("").astype(str), cb, keys)
        except InputErrors as exc:
            self.problems.extend(exc.errors)
            return
        except InputError as exc:
            self._add(exc)
            return
        self.checked.append(display_path(path))

    def _check_text(self, key: str, path: Path, keys) -> None:
        from revalign.bibliography.keys import unknown_key_message
        from revalign.core.yamlio import read_text_checked

        try:
            if key == "key_statistics":
                from revalign.coding.key_statistics import read_key_statistics

                stats = read_key_statistics(path)
                if keys is not None and "ref_key" in stats.columns:
                    for rec in stats.to_dict("records"):
                        if rec["ref_key"] and rec["ref_key"] not in keys:
                            self._add(InputError(path, unknown_key_message(rec["ref_key"], keys), rec["line"]))
            elif key == "appraisal":
                from revalign.alignment.appraisal import read_appraisal

                read_text_checked(path)
                table = read_appraisal(path)
                if keys is not None:
                    for ref_key in sorted(set(table) - keys):
                        self._add(InputError(path, unknown_key_message(ref_key, keys)))
            elif key == "published_table":
                from revalign.alignment.inputs import read_published

                read_text_checked(path)
                read_published(path)
            else:
                read_text_checked(path)
        except InputError as exc:
            self._add(exc)
            return
        self.checked.append(display_path(path))


# ---- where an input is and what it is (SECURITY.md) ------------------------------------------
def input_file_problem(
    params_file: Path, key: str, value: str, path: Path, root: Path, line: int | None
) -> InputError | None:
    """Why the input *path* (written *value* in the parameter file) cannot be read, or None:
    it lies outside the project folder (the same error ``config.load`` raises), it does not
    exist, or it is a folder, a FIFO, a device or a socket (said as such)."""
    from revalign.core.config import input_outside

    problem = input_outside(params_file, key, value, path, root, line)
    if problem is not None:
        return problem
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return InputError(params_file, f"{key}: input file {display_path(path)} does not exist", line)
    except OSError as exc:
        return InputError(params_file, f"{key}: input file {display_path(path)} cannot be read: {exc.strerror}", line)
    kind = file_kind(mode)
    if kind is None:
        return None
    what = "is a folder, expected a file" if kind == "a folder" else f"is {kind}, not a regular file"
    return InputError(params_file, f"{key}: input file {display_path(path)} {what}", line)


# ---- control characters ------------------------------------------------------------------------
def _decoded_text(key: str, path: Path) -> str | None:
    """The text of an input as its reader decodes it (a bibliography export may be UTF-16 or
    declare its encoding); None for a binary input (.qdpx) or one that does not decode (its
    reader reports that)."""
    if path.suffix.lower() == ".qdpx":
        return None
    try:
        if key == "bibliography":
            from revalign.bibliography.importer import _read_bytes_checked

            data = _read_bytes_checked(path)
        else:
            data = path.read_bytes()
        return data.decode("utf-8-sig")
    except (InputError, OSError, UnicodeDecodeError):
        return None


def control_character_errors(inputs: list[tuple[str, Path]]) -> list[InputError]:
    """An error for each line of each input that holds a control character other than tab and
    line breaks (``FILE:LINE``; a vertical tab, ``\\x01``, an escape sequence, C1 characters),
    listing up to :data:`revalign.core.yamlio.MAX_CONTROL_LINES` lines per file."""
    from revalign.core.yamlio import control_character_problems

    errors = []
    seen: set[Path] = set()
    for key, path in inputs:
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        text = _decoded_text(key, path)
        if text is None:
            continue
        errors += [InputError(path, message, line) for line, message in control_character_problems(text)]
    return errors


def check(params_file: str | Path, root: str | Path | None = None) -> tuple[list[InputError], list[str]]:
    """(problems, inputs checked) of the run described by *params_file*."""
    problems, checked, _ = check_with_warnings(params_file, root)
    return problems, checked


def check_with_warnings(params_file: str | Path, root: str | Path | None = None):
    """(problems, inputs checked, warnings): the warnings (``FILE[:LINE]: message``) name what the run
    survives but its reader should know: bibliography records that were repaired or skipped (the run
    reads the rest of their files), segments citing a work screening excludes (they count, marked),
    codebook labels the figures' font cannot draw."""
    checker = Checker(params_file, root)
    problems, seen = [], set()
    for p in checker.run():  # the codebook is read by the parameter check too: report it once
        if p.format() not in seen:
            seen.add(p.format())
            problems.append(p)
    return problems, checker.checked, checker.warnings


def cli_check(args) -> int:
    problems, checked, warnings = check_with_warnings(args.params)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for p in problems:
        print(p.format(), file=sys.stderr)
    if problems:
        n = len(problems)
        print(f"{n} problem{'s' if n != 1 else ''} found in the inputs of {args.params}", file=sys.stderr)
        return 2
    print(f"ok: {len(checked)} input file{'s' if len(checked) != 1 else ''} of {args.params} checked, no problems")
    return 0
