"""File formats in. Each reader turns a file into normalised records (loaders.records)
that say where each value came from (file, row, column); validation then checks the
whole load before kb.writer writes anything."""

from loaders.detect import read_paths  # noqa: F401
from loaders.records import LoadBatch, Origin, Problem, Record  # noqa: F401
from loaders.validation import LoadRefused, validate  # noqa: F401
