"""The pipeline: five stages, each one notebook, run by Make.

- ``stages``: the registry, what each stage reads and writes (the one home of stage file names);
- ``deps``: Make rules computed from it (``python -m revalign deps PARAMS``);
- ``run``: executing one notebook with papermill (``python -m revalign run-notebook``).

Nothing is imported here, so a notebook that uses the registry does not depend on the others.
"""
