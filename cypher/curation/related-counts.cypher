// title: What a record's completeness counts besides its own fields: an innovation's elements,
// adoptions and preconditions; a case study's documented innovations and actors.
// :RecordLabel as in lock-record
MATCH (n:RecordLabel {id: $id})
RETURN COUNT { (n)<-[:ELEMENT_OF]-(:Element) } AS elements,
       COUNT { (n)-[:ADOPTED_IN]->(:Locality) } AS adoptions,
       COUNT { (n)<-[:CONDITION_OF]-(:Precondition) } AS preconditions,
       COUNT { (n)<-[:DOCUMENTED_IN]-(:Innovation) } AS innovations,
       COUNT { (n)<-[:DOCUMENTED_IN]-(:Actor) } AS actors
