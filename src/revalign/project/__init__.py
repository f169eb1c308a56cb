"""Starting and checking a review of your own: ``revalign init NAME`` and ``revalign check PARAMS``."""
