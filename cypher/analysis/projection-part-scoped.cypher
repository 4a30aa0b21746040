// title: One part of the projection of one survey round or of the ties as of a date (`kb analyse
// --round R`, `--as-of DATE`, and plain `kb analyse` once ties carry rounds): as
// projection-part.cypher, over the ties in scope. With $round: the ties of that round only.
// Otherwise: ties without a round, and the ties of every round, dated on or before $as_of when
// it is given (a date compares by its leading characters: a tie of 2008 is on or before
// 2008-06-30, and a tie of 2008-05 is on or before 2008); of the ties one pair has in one network
// type, only the latest (by date, then round id) counts. The analysed population is the actors
// with a tie in scope.
MATCH (a:Actor) WHERE a.id IS NOT NULL
WITH a ORDER BY a.id SKIP $skip LIMIT $limit
CALL (a) {
  OPTIONAL MATCH (a)-[t:TIE]-()
  WHERE CASE WHEN $round IS NOT NULL THEN t.round = $round
             ELSE $as_of IS NULL OR t.date IS NULL OR left(t.date, size($as_of)) <= $as_of END
  RETURN count(t) > 0 AS inside
}
WITH a WHERE inside
CALL (a) {
  OPTIONAL MATCH (a)-[t:TIE]->(b:Actor)
  WHERE ($network = 'all' OR t.network = $network)
    AND CASE WHEN $round IS NOT NULL THEN t.round = $round
             ELSE $as_of IS NULL OR t.date IS NULL OR left(t.date, size($as_of)) <= $as_of END
  WITH b, t ORDER BY coalesce(t.date, '') DESC, coalesce(t.round, '') DESC
  WITH b, t.network AS network, head(collect(t)) AS latest
  RETURN collect(b.id) AS targets, collect(coalesce(latest.weight, 1.0)) AS weights
}
RETURN a.id AS id, a.layer AS layer, targets, weights
