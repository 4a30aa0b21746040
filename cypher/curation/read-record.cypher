// title: Read one record's stored properties (a form opens it). :RecordLabel as in lock-record
MATCH (n:RecordLabel {id: $id})
RETURN properties(n) AS props, labels(n) AS labels
