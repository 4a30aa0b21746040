// title: Lock one record for a save and read it (kb/store/curation.py): the SET takes the
// node's write lock, so two saves of the same record run one after the other and the second
// sees the first's version. :RecordLabel is replaced by the entity's label from the fixed map
// of kb.model (never from input).
MATCH (n:RecordLabel {id: $id})
SET n.version = coalesce(n.version, 0)
RETURN properties(n) AS props, labels(n) AS labels
