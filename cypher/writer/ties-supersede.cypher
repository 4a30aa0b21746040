// title: Mark the ties of the loaded pairs that the plain view leaves out (docs/analytics.md,
// "Change over time"): of the ties one pair has in one network type (with or without a round),
// only the latest (by date, then round id) counts; the others get `superseded: true`, the latest
// loses the mark. Run after ties.cypher in the same transaction, with the same rows; only the
// marks that change are written, so a reload writes none. The pair's ties are read from its two
// (bound) actors, as in ties.cypher, not by the TIE(network) index.
UNWIND $rows AS row
MATCH (a:Actor {id: row.from})
MATCH (b:Actor {id: row.to})
WITH DISTINCT a, b, row.props.network AS network
WITH a, b, [x IN [(a)-[x:TIE]->(b) | x] WHERE x.network = network] AS ties
WHERE size(ties) > 1 OR any(x IN ties WHERE x.superseded IS NOT NULL)
CALL (ties) {
  UNWIND ties AS x
  WITH x ORDER BY coalesce(x.date, '') DESC, coalesce(x.round, '') DESC
  WITH collect(x) AS ordered
  UNWIND range(0, size(ordered) - 1) AS i
  WITH ordered[i] AS x, i > 0 AS old
  WHERE coalesce(x.superseded, false) <> old
  SET x.superseded = CASE WHEN old THEN true END
  RETURN count(*) AS marked
}
RETURN sum(marked) AS marked
