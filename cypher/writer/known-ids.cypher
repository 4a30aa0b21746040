// title: Which of these ids already exist as nodes of one label (validation: references to
// records loaded earlier). kb/store/writer.py known_ids puts the label in place of
// :ReferenceLabel, choosing it from the fixed map kb.model.REFERENCE_LABELS: a label given as
// a parameter (n:$($label)) would scan every node instead of seeking the label's id index.
UNWIND $ids AS id
MATCH (n:ReferenceLabel {id: id})
RETURN n.id AS id
