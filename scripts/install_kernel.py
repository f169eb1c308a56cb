"""Register the project's Jupyter kernel inside .venv (so nothing depends on the user's kernels).

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
