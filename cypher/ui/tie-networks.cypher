// title: Ties by network type
// question: How many ties does each network type hold?
// columns: network, ties, actors
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WITH t.network AS network, count(t) AS ties, collect(DISTINCT a) + collect(DISTINCT b) AS ends
RETURN network, ties, size(COLLECT { UNWIND ends AS x RETURN DISTINCT x }) AS actors
ORDER BY network
