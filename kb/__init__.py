"""kb: a graph knowledge base of local social innovations and the actors behind them.

Data flows one way: files -> loaders (parse, validate) -> kb.store.writer (Neo4j) ->
kb.analytics (projection, measures, write-back) -> cypher/ named queries -> ui / CLI.
"""

__version__ = "0.1.0"
