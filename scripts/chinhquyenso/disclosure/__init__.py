"""Disclosure control: the stage between the raw tables and everything that publishes them."""

from .audit import Protection, protect, proven_range
from .cells import CellModel, build
from .stage import protect_tables, published_table

__all__ = ["CellModel", "Protection", "build", "protect", "protect_tables", "proven_range", "published_table"]
