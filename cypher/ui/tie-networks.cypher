// title: Ties by network type
// question: How many ties does each network type hold, and how many of them are synthetic (illustrative)?
// param include_synthetic: bool = true -- false counts only sourced ties between sourced actors
// columns: network, ties, sourced, synthetic, actors
MATCH (a:Actor)-[t:TIE]->(b:Actor) WHERE t.superseded IS NULL
WITH t, a, b, coalesce(t.synthetic, false) OR coalesce(a.synthetic, false) OR coalesce(b.synthetic, false) AS synthetic
WHERE $include_synthetic OR NOT synthetic
WITH t.network AS network, count(t) AS ties, sum(toInteger(synthetic)) AS synthetic,
     collect(DISTINCT a) + collect(DISTINCT b) AS ends
RETURN network, ties, ties - synthetic AS sourced, synthetic, size(COLLECT { UNWIND ends AS x RETURN DISTINCT x }) AS actors
ORDER BY network
