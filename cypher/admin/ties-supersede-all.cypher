// title: Mark every tie that the plain view leaves out (`kb init`, kb/store/schema.py: stores
// written before the mark, and bulk loads): as writer/ties-supersede.cypher, for every pair and
// network type that has a tie with a round (a pair can have more than one tie only then; the
// TIE(round) index finds them), in batches. Only the marks that change are written.
MATCH (a:Actor)-[r:TIE]->(b:Actor) WHERE r.round IS NOT NULL
WITH DISTINCT a, b, r.network AS network
CALL (a, b, network) {
  WITH a, b, network, [x IN [(a)-[x:TIE]->(b) | x] WHERE x.network = network] AS ties
  UNWIND ties AS x
  WITH x ORDER BY coalesce(x.date, '') DESC, coalesce(x.round, '') DESC
  WITH collect(x) AS ordered
  UNWIND range(0, size(ordered) - 1) AS i
  WITH ordered[i] AS x, i > 0 AS old
  WHERE coalesce(x.superseded, false) <> old
  SET x.superseded = CASE WHEN old THEN true END
} IN TRANSACTIONS OF 5000 ROWS
