"""revalign: from a review's bibliography and coding to a framework-alignment table."""

__version__ = "0.1.0"
