"""File formats in. Each reader turns a file into normalised records (kb.model)
that say where each value came from (file, row, column); validation then checks the
whole load before kb.store.writer writes anything."""

from loaders.detect import read_paths  # noqa: F401
from kb.model import LoadBatch, Origin, Problem, Record  # noqa: F401
from loaders.validation import LoadRefused, validate  # noqa: F401
