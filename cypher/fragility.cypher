// title: Fragility: if the top brokers leave
// question: How much of the connectivity between layers is lost if the k actors with the highest betweenness leave their posts ("if the current core group leave their current posts")?
// param network: str = all -- a network type, or `all`
// param k: int = 5 -- how many top brokers leave
// columns: from_layer, to_layer, ties_before, ties_after, share_lost, disconnected, leaving
MATCH (run:AnalysisRun {network: $network, current: true})<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a:Actor)
WITH a, s ORDER BY s.betweenness DESC, a.id LIMIT $k
WITH collect(a) AS leaving
// The distinct tie pairs between layers. One network type: its ties straight from the
// TIE(network) index; `all`: every actor's distinct partners, its layer read once.
CALL (leaving) {
  WITH leaving WHERE $network <> 'all'
  MATCH (x:Actor)-[t:TIE]->(y:Actor)
  WHERE t.network = $network AND x.layer <> y.layer
  WITH DISTINCT x, y
  RETURN x.layer AS g, y.layer AS h, x, y
  UNION ALL
  WITH leaving WHERE $network = 'all'
  MATCH (x:Actor)
  WITH x, x.layer AS g
  CALL (x) {
    MATCH (x)-[:TIE]->(y:Actor)
    RETURN DISTINCT y
  }
  WITH g, x, y, y.layer AS h WHERE g <> h
  RETURN g, h, x, y
}
WITH leaving, g, h, count(*) AS ties_before,
     sum(CASE WHEN x IN leaving OR y IN leaving THEN 0 ELSE 1 END) AS ties_after
MATCH (lg:Layer {id: g}), (lh:Layer {id: h})
RETURN g AS from_layer, h AS to_layer, ties_before, ties_after,
       round(1.0 - toFloat(ties_after) / ties_before, 3) AS share_lost, ties_after = 0 AS disconnected,
       [p IN leaving | p.name + ' (' + p.layer + ')'] AS leaving
ORDER BY share_lost DESC, lg.rank, lh.rank
