"""JupyterLab on the project without surprises: the stage notebooks open read-only.

JupyterLab autosaves an open notebook every two minutes once anything in it changed: the
kernel's ``language_info``, an edited parameter, the outputs of a run. Saved over
``notebooks/NN_name.ipynb`` that would change a committed file (and, through its time, make
Make rerun the stage and everything after it). So the contents manager below, which
``make env`` configures for every Jupyter server started from ``.venv``
(``.venv/etc/jupyter/jupyter_server_config.d/revalign.json``, written by
``scripts/install_kernel.py``), reports the stage notebooks as not writable: JupyterLab shows
them with a read-only mark, runs and edits them as usual, never autosaves them, and offers
"Save As" for a copy. A save that reaches the server anyway is refused with a message.

What a run in JupyterLab writes goes to ``runs/lab/RUN/`` (revalign.project.notebook).
"""

from __future__ import annotations

from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web

from revalign.pipeline.stages import STAGES

STAGE_NOTEBOOKS = {s.notebook for s in STAGES}
READ_ONLY_MESSAGE = (
    "{path} is a stage notebook of the project (committed; `make report` writes it). It opens "
    "read-only: run and edit it here, then use File > Save Notebook As... to keep a copy "
    "(for example under runs/lab/)."
)


def is_stage_notebook(os_path: str | Path) -> bool:
    """Whether the file *os_path* is a stage notebook of a revalign project: ``notebooks/NN_name.ipynb``
    in a folder holding ``pyproject.toml`` and ``src/revalign`` (wherever the server was started)."""
    p = Path(os_path)
    if p.name not in STAGE_NOTEBOOKS or p.parent.name != "notebooks":
        return False
    root = p.parent.parent
    return (root / "pyproject.toml").is_file() and (root / "src" / "revalign").is_dir()


class ProjectContentsManager(AsyncLargeFileManager):
    """The default contents manager, with the stage notebooks read-only (see the module docstring)."""

    def _stage(self, path: str) -> bool:
        return is_stage_notebook(self._get_os_path(path.strip("/")))

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if self._stage(path):
            model["writable"] = False
        elif model.get("type") == "directory" and model.get("content"):
            for child in model["content"]:
                if self._stage(child.get("path", "")):
                    child["writable"] = False
        return model

    async def save(self, model, path=""):
        if self._stage(path):
            raise web.HTTPError(403, READ_ONLY_MESSAGE.format(path=path.strip("/")))
        return await super().save(model, path)
