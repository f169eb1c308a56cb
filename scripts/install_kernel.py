"""Register the project's Jupyter kernel inside .venv (so nothing depends on the user's kernels),
and configure every Jupyter server started from .venv to open the stage notebooks read-only
(revalign.pipeline.lab: JupyterLab then never autosaves over a committed notebook).

The kernel logs only errors: its start-up warning about TCP transport (the kernel and
papermill talk over the loopback interface) would otherwise print on every stage.
"""

import json
import sys
from pathlib import Path

from ipykernel.kernelspec import install

NAME = "revalign"

path = Path(install(prefix=sys.prefix, kernel_name=NAME, display_name="Python 3 (revalign)")) / "kernel.json"
spec = json.loads(path.read_text())
if "--IPKernelApp.log_level=ERROR" not in spec["argv"]:
    spec["argv"].insert(spec["argv"].index("-f"), "--IPKernelApp.log_level=ERROR")
path.write_text(json.dumps(spec, indent=1) + "\n")

# A jupyter_server_config.json of the environment: merged with what is there (jupyter reads
# the .d folders beside it for enabling extensions only).
server_config = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
server_config.parent.mkdir(parents=True, exist_ok=True)
config = json.loads(server_config.read_text()) if server_config.is_file() else {}
config.setdefault("ServerApp", {})["contents_manager_class"] = "revalign.pipeline.lab.ProjectContentsManager"
server_config.write_text(json.dumps(config, indent=1) + "\n")
