"""The domain model, defined once: entities (columns, types, references, labels, keys),
vocabularies (layers, lifecycle stages, outcomes, link qualities) and the records that the
loaders make of them. Every layer imports it; it imports nothing of the project."""

from kb.model.entities import *  # noqa: F401,F403
from kb.model.entities import __all__ as _entities_all
from kb.model.records import *  # noqa: F401,F403
from kb.model.records import __all__ as _records_all

__all__ = [*_entities_all, *_records_all]
