"""Make rules for one run, computed from the stage registry: ``python -m revalign deps PARAMS``.

For each stage the rule's targets are the files it writes (one pattern rule with several
targets, so the notebook runs once however many of its files are missing), and its
prerequisites are everything it reads: the notebook, the parameter file, every package
module the notebook imports (followed through the package's own imports, with each
package's ``__init__`` and data files such as templates and the CSL style), the input
files named by the parameter file, and the files of the earlier stages it reads from.

Every path that goes into the rules is checked first: a path from the parameter file
with a control character, or with a character Make cannot take literally, stops the run
with ``error: PARAMS:LINE: ...``; spaces, ``#`` and ``$`` are escaped.
"""

from __future__ import annotations

import ast
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from revalign.core.config import RunConfig, load
from revalign.core.errors import InputError
from revalign.core.yamlio import LineMap, load_yaml
from revalign.pipeline.stages import STAGES, Stage, producer, read_paths, upstream, written_paths

# ---- the package modules a notebook uses ---------------------------------------------


def _module_file(package: Path, dotted: str) -> Path | None:
    """The file of package module *dotted* (``revalign.x.y``): ``x/y.py`` or ``x/y/__init__.py``."""
    parts = dotted.split(".")[1:]
    if not parts:
        return package / "__init__.py"
    rel = Path(*parts)
    for cand in (package / rel.with_suffix(".py"), package / rel / "__init__.py"):
        if cand.is_file():
            return cand
    return None


@lru_cache(maxsize=1024)
def _parsed(path: Path, stamp: tuple[int, int]) -> ast.Module:
    """The syntax tree of the module *path* (*stamp*: its modification time and size, so an
    edited file is parsed again). Every stage's notebook reaches most of the package, so
    without this each module was parsed several times per run's rules."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _tree(path: Path) -> ast.Module:
    st = path.stat()
    return _parsed(path, (st.st_mtime_ns, st.st_size))


def _package_imports(source: str | ast.Module, current: str = "revalign") -> set[str]:
    """Dotted names that Python *source* imports from the package.

    *current* is the dotted name of the package the source lives in (for relative imports).
    ``from revalign.x import y`` yields both ``revalign.x`` and ``revalign.x.y``: the caller
    keeps ``revalign.x.y`` when it is a module and checks that ``revalign.x`` defines ``y``
    otherwise.
    """
    tree = ast.parse(source) if isinstance(source, str) else source
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = current.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "revalign" or module.startswith("revalign."):
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name == "revalign" or a.name.startswith("revalign."))
    return names


class UnresolvedModule(Exception):
    """A notebook or module imports a name the package does not have."""


def notebook_modules(notebook: Path, package: Path) -> list[str]:
    """Files (relative to the repository) of the package modules a notebook uses.

    Followed through the package's own imports, each package's ``__init__`` included. A
    name that is neither a module nor defined by its parent module is an error, never
    skipped: a rename that leaves a notebook importing the old name must stop the build.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    todo: set[str] = {"revalign"}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            # IPython magics and shell escapes are not Python
            source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
            todo |= _package_imports(source)
    seen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(package, name)
        if path is None:
            parent = name.rsplit(".", 1)[0]
            if parent != name and _module_file(package, parent) is not None and _defines(package, parent, name):
                continue  # ``from revalign.x import some_function``: a name, not a module
            raise UnresolvedModule(f"{notebook.name} imports {name}, which the package does not have")
        seen[name] = path
        todo.update(_parents(name))
        current = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        todo |= _package_imports(_tree(path), current) - set(seen)
    return sorted(str(p.relative_to(package.parent.parent)) for p in seen.values())


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _defines(package: Path, module: str, dotted: str) -> bool:
    """Whether *module*'s source binds the last part of *dotted* (a function, class, constant)."""
    attr = dotted.rsplit(".", 1)[1]
    path = _module_file(package, module)
    if path is None:  # no such module in the package: it binds nothing
        return False
    for node in ast.walk(_tree(path)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == attr:
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(attr in _bound_names(t) for t in targets):
                return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.split(".")[0]) == attr for a in node.names
        ):
            return True
    return False


def _bound_names(target: ast.expr) -> set[str]:
    """The names an assignment target binds: ``A``, and each name of ``A, (B, *C) = ...``."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_bound_names(e) for e in target.elts))
    return set()  # an attribute or an item: binds no module-level name


def package_data_files(modules: list[str], root: Path) -> list[str]:
    """Data files (templates, CSS, the CSL style, schemas) that the modules *modules* read.

    A package's data are the files in its folder and its sub-folders that are not Python and
    not themselves a package. A data file (or folder of them) of the package of one of the
    stage's modules, or of a package above it, belongs to the stage when one of its modules
    names it in a string (``Path(__file__).with_name("templates")``, ``resources.files(...) /
    "schemas"``, ``Path(__file__).parent.parent / "locale"``): the report's templates are a
    prerequisite of the report stage, the message catalogs of every stage that translates, the
    ``init`` command's template of none.
    """
    strings: set[str] = set()
    packages: set[Path] = set()
    top = root / "src" / "revalign"
    for m in modules:
        strings |= _string_constants(root / m)
        folder = (root / m).parent
        while folder.is_relative_to(top):  # its package and the packages above it
            packages.add(folder)
            folder = folder.parent
    out: set[str] = set()
    for pkg in packages:
        for entry in sorted(pkg.iterdir()):
            if entry.name.startswith(".") or entry.name == "__pycache__" or entry.suffix in (".py", ".pyc"):
                continue
            if entry.name not in strings or (entry.is_dir() and (entry / "__init__.py").exists()):
                continue
            files = [entry] if entry.is_file() else sorted(entry.rglob("*"))
            out.update(
                str(f.relative_to(root))
                for f in files
                if f.is_file() and "__pycache__" not in f.parts and not f.name.startswith(".") and f.suffix != ".pyc"
            )
    return sorted(out)


def _string_constants(module: Path) -> frozenset[str]:
    """The string literals of a module's code (docstrings included: they cost nothing here)."""
    st = module.stat()
    return _strings_of(module, (st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=1024)
def _strings_of(module: Path, stamp: tuple[int, int]) -> frozenset[str]:
    tree = _parsed(module, stamp)
    return frozenset(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))


# ---- input files ---------------------------------------------------------------------


def codebook_chain(path: Path) -> list[Path]:
    """The codebook *path* and the codebooks its ``base:`` names, and theirs (no other file).

    Read without validation (``revalign check`` validates): a missing base or a cycle ends the
    chain here, and the stage that loads the codebook reports it with its line.
    """
    chain = [path]
    while True:
        try:
            st = chain[-1].stat()
            base = _base_of(chain[-1], (st.st_mtime_ns, st.st_size))
        except (InputError, OSError):
            return chain
        if not base:
            return chain
        nxt = chain[-1].parent / base
        if not nxt.is_file() or nxt.resolve() in {c.resolve() for c in chain}:
            return chain
        chain.append(nxt)


@lru_cache(maxsize=64)
def _base_of(path: Path, stamp: tuple[int, int]) -> str | None:
    """The ``base:`` a codebook names (None: none), read once per version of the file (every stage
    reads the codebook)."""
    data, _ = load_yaml(path)
    base = data.get("base") if isinstance(data, dict) else None
    return base if isinstance(base, str) and base else None


def stage_input_files(cfg: RunConfig, stage: Stage) -> list[tuple[str, Path]]:
    """(parameter key, file) for each input file the stage reads, in the order of its inputs."""
    files = cfg.input_files()
    out: list[tuple[str, Path]] = []
    for key in stage.inputs:
        for p in files.get(key, []):
            out += [(key, c) for c in codebook_chain(p)] if key == "codebook" else [(key, p)]
    return out


# ---- paths Make can read -------------------------------------------------------------

# Characters Make gives a meaning in a rule line that no escape reliably takes away:
# pattern (%), target/prerequisite separators (: ; |), variable assignment (=), glob
# characters (* ? [ ]), the escape character itself (\) and command substitution (`).
REFUSED = set("%:;|=*?[]\\`")
ESCAPED = {" ": "\\ ", "#": "\\#", "$": "$$"}


def make_problem(path: str) -> str | None:
    """Why *path* cannot be a file name in a Make rule, or None when it can (escaped)."""
    for ch in path:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch in "\t\n\r\x0b\x0c":
            return f"contains the control character U+{ord(ch):04X}"
    bad = sorted({ch for ch in path if ch in REFUSED})
    if bad:
        return "contains " + ", ".join(repr(c) for c in bad) + ", which Make cannot take as part of a file name"
    if path.startswith("~"):
        return "starts with '~', which Make would expand to a home folder"
    if re.search(r"\(.*\)$", path):
        return "ends in '(...)', which Make reads as an archive member"
    if not path.strip():
        return "is empty"
    return None


def make_escape(path: str) -> str:
    """*path* as a file name in a Make rule line (call make_problem first)."""
    return "".join(ESCAPED.get(ch, ch) for ch in path)


class _Paths:
    """Paths for the rules of one run, each checked and escaped once."""

    def __init__(self, cfg: RunConfig):
        self.cfg = cfg
        self.lines: LineMap | None = None

    def _line(self, key: str, value: str) -> int | None:
        if self.lines is None:
            self.lines = load_yaml(self.cfg.params_file)[1]
        raw = getattr(self.cfg.params, key, None)
        if isinstance(raw, list) and value in raw:
            return self.lines.line((key, raw.index(value)))
        return self.lines.line((key,))

    def param(self, key: str, path: Path, shown: str | None = None) -> str:
        """A path that comes from parameter *key* (an error names the key and its line)."""
        text = self.cfg.rel(path)
        problem = make_problem(text)
        if problem:
            raw = shown if shown is not None else _raw_value(self.cfg, key, path)
            what = f"the path {text!r}" if raw == text else f"the path {raw!r} ({text!r})"
            raise InputError(
                self.cfg.params_file, f"{key}: {what} {problem}; rename the file or folder", self._line(key, raw)
            )
        return make_escape(text)

    def own(self, path: Path | str) -> str:
        """A path the package itself chose (notebooks, modules, outputs): refused only by a bug
        or a hostile file in the source tree."""
        text = self.cfg.rel(path) if isinstance(path, Path) else path
        problem = make_problem(text)
        if problem:
            raise InputError(text, f"this file name {problem}; rename it")
        return make_escape(text)


def _raw_value(cfg: RunConfig, key: str, path: Path) -> str:
    raw = getattr(cfg.params, key, None)
    for value in raw if isinstance(raw, list) else [raw]:
        if value is not None and cfg.path(value) == path:
            return value
    return cfg.rel(path)


def check_param_paths(cfg: RunConfig) -> None:
    """Every path the parameter file names can go into a Make rule (InputError otherwise)."""
    paths = _Paths(cfg)
    for key, files in cfg.input_files().items():
        for p in files:
            paths.param(key, p)


def check_confined(cfg: RunConfig) -> None:
    """Every file the run writes lies inside its own output folder (``runs/NAME`` or, for the
    default run, the committed locations): no ``..`` and no symbolic link leads out of it."""
    if cfg.name == "default":
        homes = [cfg.root.resolve() / d for d in ("data/processed", "data/interim", "figures", "reports", "notebooks")]
    else:
        homes = [(cfg.root / "runs").resolve() / cfg.name]
    for s in STAGES:
        for p in [*written_paths(s, cfg, maybe=True), cfg.notebooks_dir / s.notebook]:
            real = p.resolve()
            if not any(real.is_relative_to(h) for h in homes):
                raise InputError(
                    cfg.params_file,
                    f"run {cfg.name!r} would write {_shown(p, cfg.root)} outside "
                    f"{_shown(cfg.out, cfg.root)} (a symbolic link or '..' on the way); remove it",
                )


def _shown(path: Path, root: Path) -> str:
    """*path* relative to *root* as written, without following links (unlike RunConfig.rel)."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


# ---- the rules -----------------------------------------------------------------------


def stage_targets(cfg: RunConfig, stage: Stage) -> list[Path]:
    """Make's targets for *stage*: the files it writes, and its executed notebook unless that
    is the notebook itself (the default run writes its notebooks in place)."""
    targets = written_paths(stage, cfg)
    executed = cfg.notebooks_dir / stage.notebook
    if executed.resolve() != (cfg.root / "notebooks" / stage.notebook).resolve():
        targets.append(executed)
    return targets


@dataclass
class Rule:
    """One stage's Make rule: its targets and each kind of prerequisite (escaped for a rule line)."""

    stage: Stage
    targets: list[str]
    notebook: str
    executed: str
    params: str
    modules: list[str] = field(default_factory=list)  # package modules and the data files they read
    inputs: list[str] = field(default_factory=list)  # files the parameter file names
    input_keys: list[str] = field(default_factory=list)  # the parameter key of each input
    reads: list[str] = field(default_factory=list)  # files of earlier stages it reads
    upstream: list[str] = field(default_factory=list)  # every file of the stages it reads from

    @property
    def prereqs(self) -> list[str]:
        """Every prerequisite: notebook, parameter file, modules, inputs, reads, upstream files."""
        return _unique([self.notebook, self.params, *self.modules, *self.inputs, *self.reads, *self.upstream])


def stage_rules(cfg: RunConfig) -> list[Rule]:
    """The Make rule of every stage of run *cfg*, paths checked (InputError) and escaped."""
    check_confined(cfg)
    root = cfg.root
    package = root / "src" / "revalign"
    paths = _Paths(cfg)
    params = paths.own(cfg.params_file)
    rules = []
    for stage in STAGES:
        notebook = root / "notebooks" / stage.notebook
        try:
            modules = notebook_modules(notebook, package)
        except UnresolvedModule as exc:
            raise InputError(cfg.rel(notebook), str(exc)) from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise InputError(cfg.rel(notebook), f"cannot read the notebook's imports: {exc}") from None
        files = stage_input_files(cfg, stage)
        inputs: dict[str, str] = {}
        for key, p in files:
            inputs.setdefault(paths.param(key, p), key)
        rules.append(
            Rule(
                stage,
                targets=[paths.own(p) for p in stage_targets(cfg, stage)],
                notebook=paths.own(notebook),
                executed=paths.own(cfg.notebooks_dir / stage.notebook),
                params=params,
                modules=[paths.own(m) for m in modules] + [paths.own(f) for f in package_data_files(modules, root)],
                inputs=list(inputs),
                input_keys=list(inputs.values()),
                reads=[paths.own(p) for p in read_paths(stage, cfg)],
                upstream=[paths.own(p) for up in upstream(stage) for p in stage_targets(cfg, up)],
            )
        )
    return rules


def _var(lines: list[str], name: str, values: list[str]) -> None:
    """``NAME := \\`` and one value per line (a variable a reader can scan)."""
    if not values:
        lines.append(f"{name} :=")
        return
    lines.append(f"{name} := \\")
    lines += [f"  {v} \\" for v in values[:-1]] + [f"  {values[-1]}"]


def make_deps(cfg: RunConfig) -> str:
    """The Make rules of every stage of run *cfg* (the text of its deps.mk).

    Per stage, variables list one file per line: ``NAME_OUTPUTS`` (the targets; ``%`` stands
    for the dot of each extension, see _pattern), ``NAME_NOTEBOOK``, ``NAME_MODULES``,
    ``NAME_INPUTS`` (files the parameter file names), ``NAME_READS`` (the earlier stages' files
    it reads) and ``NAME_AFTER`` (the earlier stages it reads from, as their rules' targets);
    then one short rule.

    Why ``NAME_AFTER``: a stage runs as a whole and touches every file it writes, so when any
    file of an earlier stage is missing or stale, that stage reruns and the stages reading
    from it must rerun too; with only the files it reads as prerequisites, ``make -n`` (4.3)
    would not plan them.
    """
    rules = stage_rules(cfg)
    lines = [
        f"# Make rules of the run {cfg.name!r}, written by `python -m revalign deps {cfg.rel(cfg.params_file)}`",
        "# from revalign.pipeline.stages. Do not edit: make recomputes this file when a notebook,",
        "# a package file, the parameter file or a codebook changes. `python -m revalign deps --explain",
        f"# {cfg.rel(cfg.params_file)}` prints the same graph for reading.",
        "",
    ]
    for r in rules:
        v = r.stage.name
        lines.append(f"# ---- stage {v} ({r.notebook})")
        _var(lines, f"{v}_OUTPUTS", [_pattern(t) for t in r.targets])
        lines.append(f"{v}_NOTEBOOK := {r.notebook}")
        lines.append(f"{v}_EXECUTED := {r.executed}")
        _var(lines, f"{v}_MODULES", r.modules)
        _var(lines, f"{v}_INPUTS", r.inputs)
        _var(lines, f"{v}_READS", r.reads)
        after = [u.name for u in upstream(r.stage)]
        lines.append(f"{v}_AFTER := " + " ".join(f"$(subst %,.,$({u}_OUTPUTS))" for u in after))
        lines += [
            f"$({v}_OUTPUTS): $({v}_NOTEBOOK) {r.params} $({v}_MODULES) $({v}_INPUTS) $({v}_READS) "
            f"$({v}_AFTER) $(ENV_STAMP) | $(CHECKED)",
            f"\t$(call run_stage,{v},$({v}_NOTEBOOK),$({v}_EXECUTED))",
            "",
        ]
    codebooks = [paths for r in rules for paths, key in zip(r.inputs, r.input_keys, strict=True) if key == "codebook"]
    lines.append(f"REVALIGN_RUN := {cfg.name}")
    _var(lines, "REVALIGN_TARGETS", [t for r in rules for t in r.targets])
    _var(lines, "REVALIGN_INPUTS", _unique([i for r in rules for i in r.inputs]))
    lines.append(
        "# the package's files when this was written: the Makefile recomputes it when a file is added or removed"
    )
    _var(lines, "REVALIGN_PKG_FILES", [_Paths(cfg).own(f) for f in package_files(cfg.root)])
    lines += [
        "",
        "# this file is stale when a notebook changes (its imports) or a codebook (its base)",
        "$(DEPS_MK): " + " ".join(_unique([r.notebook for r in rules] + codebooks)),
    ]
    return "\n".join(lines) + "\n"


def explain(cfg: RunConfig) -> str:
    """The stages of run *cfg* for a reader: stage -> inputs, reads, outputs, modules."""
    rules = stage_rules(cfg)
    out = [f"run {cfg.name} ({cfg.rel(cfg.params_file)}): {len(rules)} stages, in order", ""]
    for r in rules:
        out.append(f"{r.stage.name}  ({r.notebook}, executed into {r.executed})")
        out += _block("inputs", [f"{i}  ({k})" for i, k in zip(r.inputs, r.input_keys, strict=True)])
        by_stage = [f"{p}  (from {producer(Path(p.replace(chr(92), '')).name)[0].name})" for p in r.reads]
        out += _block("reads", by_stage)
        out += _block("writes", [t for t in r.targets if t != r.executed])
        mods = [m for m in r.modules if m.endswith(".py")]
        data = [m for m in r.modules if not m.endswith(".py")]
        names = [_dotted(m) for m in mods]
        out += _block(f"modules ({len(mods)})", [", ".join(names)], wrap=True)
        if data:
            out += _block(f"data files ({len(data)})", data)
        out.append("")
    return "\n".join(out)


def _dotted(module: str) -> str:
    name = module.removeprefix("src/").removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def _block(title: str, items: list[str], wrap: bool = False) -> list[str]:
    import textwrap

    head = f"  {title}:"
    if not items or items == [""]:
        return [f"{head} none"]
    if wrap:
        return textwrap.wrap(items[0], width=100, initial_indent=head + " ", subsequent_indent=" " * 4)
    return [head] + [f"    {i}" for i in items]


def package_files(root: Path) -> list[str]:
    """Every file of the package (as the Makefile's ``find`` lists them: no __pycache__, no dot-files)."""
    out = []
    for folder, dirs, files in os.walk(root / "src" / "revalign"):
        dirs[:] = [d for d in dirs if d != "__pycache__" and not d.startswith(".")]
        out += [str((Path(folder) / f).relative_to(root)) for f in files if not f.startswith(".")]
    return sorted(out)


def _pattern(target: str) -> str:
    """*target* as a pattern whose stem is the last ``.`` of its file name (``corpus%csv``).

    A pattern rule with several targets is Make's oldest way to say "one recipe makes all of
    these" (like the grouped targets ``&:`` of GNU make 4.3, but also right under ``make
    -n``, where 4.3 does not plan the stages downstream of a grouped target).
    """
    head, sep, name = target.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        raise ValueError(f"{target}: a stage's file needs an extension (revalign.pipeline.stages)")
    return f"{head}{sep}{stem}%{ext}"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def cli_deps(args) -> int:
    cfg = load(args.params)
    check_param_paths(cfg)
    cfg.check_inputs_exist()
    if getattr(args, "explain", False):
        print(explain(cfg), end="")
        return 0
    text = make_deps(cfg)
    output = getattr(args, "output", None)
    if output:
        from revalign.pipeline.guard import write_text

        write_text(cfg, Path(os.path.abspath(output)), text)
    else:
        print(text, end="")
    return 0
