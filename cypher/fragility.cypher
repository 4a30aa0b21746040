// title: Fragility: if the top brokers leave
// question: How much of the connectivity between layers is lost if the k actors with the highest betweenness leave their posts ("if the current core group leave their current posts")?
// param network: str = all -- a network type, or `all`
// param k: int = 5 -- how many top brokers leave
// param locality: str = null -- only actors of this locality (its top brokers leave; ties among its actors are counted)
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors and ties (counted live then)
// param live: bool = false -- count every between-layer tie live even when the network's current analysis run has the table
// param stored: bool = false -- the network's current analysis run still matches the data (kb sets it: kb/store/analysis_runs.py stored_run_is_current; in Neo4j Browser leave false to count live)
// analysis: required -- answers from the network's current `kb analyse` run; without one it has no rows (kb says so)
// columns: from_layer, to_layer, ties_before, ties_after, share_lost, disconnected, leaving, synthetic
// The k leaving: while the run matches the data ($stored) and has the actors' copies on its
// scores (run.query_columns: kb/store/query_columns.py), walked in order of betweenness
// (Score.betweenness_rank, index score_betweenness_rank), stopping after k; otherwise every
// score of the run is read with its actor.
MATCH (run:AnalysisRun {network: $network, current: true})
WITH run, coalesce($stored AND run.query_columns >= 2, false) AS copied
CALL (run, copied) {
  WITH run, copied WHERE copied
  MATCH (s:Score) USING INDEX s:Score(run_id, betweenness_rank) WHERE s.run_id = CASE WHEN copied THEN run.id END AND s.betweenness_rank >= 1
    AND ($include_synthetic OR NOT s.synthetic) AND ($locality IS NULL OR $locality IN s.localities)
  WITH s ORDER BY s.run_id, s.betweenness_rank LIMIT $k  // s.run_id first: the index's order is used
  MATCH (a:Actor {id: s.actor_id}) USING INDEX a:Actor(id)
  RETURN a, s.betweenness_rank AS rank
  UNION ALL
  WITH run WHERE NOT copied
  MATCH (run)<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a:Actor)
  WHERE ($include_synthetic OR NOT coalesce(a.synthetic, false))
    AND ($locality IS NULL OR EXISTS { (a)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) })
  WITH a, s ORDER BY s.betweenness DESC, a.id LIMIT $k
  WITH collect(a) AS top
  UNWIND range(0, size(top) - 1) AS i
  RETURN top[i] AS a, i AS rank
}
WITH a ORDER BY rank
WITH collect(a) AS leaving
// The whole network: the between-layer cells of the block table stored by `kb analyse` on
// the run (kb/store/analysis_runs.py block_properties: distinct arcs), while the run still matches
// the data ($stored, which kb computes once: every score of the run is there (`kb forget` removes one), no load is under
// way or finished since the run's projection (run.loads counts the finished loads that
// changed data)); only the arcs of the k leaving actors (their own relationships) are read, to
// subtract them. Otherwise (the data changed, a run older than the stored table, or
// $live or no $stored) every between-layer arc is counted live.
OPTIONAL MATCH (run:AnalysisRun {network: $network, current: true})
WITH leaving, run, coalesce($stored AND NOT $live AND $include_synthetic AND $locality IS NULL AND run.block_from IS NOT NULL, false) AS stored
CALL (leaving, run, stored) {
  WITH leaving, run WHERE stored
  WITH run, COLLECT {
    UNWIND leaving AS p
    MATCH (p)-[t:TIE]-(q:Actor)
    WHERE ($network = 'all' OR t.network = $network) AND p <> q AND t.superseded IS NULL
    WITH CASE WHEN startNode(t) = p THEN [p, q] ELSE [q, p] END AS arc
    WITH DISTINCT arc[0] AS x, arc[1] AS y
    WITH x.layer AS g, y.layer AS h, count(*) AS n WHERE g <> h
    RETURN {g: g, h: h, n: n}
  } AS lost
  UNWIND range(0, size(run.block_from) - 1) AS i
  WITH lost, run.block_from[i] AS g, run.block_to[i] AS h, run.block_ties[i] AS ties_before,
       run.block_synthetic[i] AS cell_synthetic
  WHERE g <> h
  RETURN g, h, ties_before, ties_before - coalesce([x IN lost WHERE x.g = g AND x.h = h | x.n][0], 0) AS ties_after,
         cell_synthetic
  UNION
  WITH leaving, run WHERE NOT stored
  // The distinct tie pairs between layers. One network type: its ties straight from the
  // TIE(network) index; `all`: every actor's distinct partners, its layer read once.
  CALL (leaving) {
    WITH leaving WHERE $network <> 'all'
    MATCH (x:Actor)-[t:TIE]->(y:Actor)
    WHERE t.network = $network AND x.layer <> y.layer AND t.superseded IS NULL
      AND ($include_synthetic OR NOT (coalesce(t.synthetic, false) OR coalesce(x.synthetic, false) OR coalesce(y.synthetic, false)))
      AND ($locality IS NULL OR EXISTS { (x)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) } AND EXISTS { (y)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) })
    WITH DISTINCT x, y
    RETURN x.layer AS g, y.layer AS h, x, y
    UNION ALL
    WITH leaving WHERE $network = 'all'
    MATCH (x:Actor)
    WHERE ($include_synthetic OR NOT coalesce(x.synthetic, false))
      AND ($locality IS NULL OR EXISTS { (x)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) })
    WITH x, x.layer AS g
    CALL (x) {
      MATCH (x)-[t:TIE]->(y:Actor)
      WHERE t.superseded IS NULL AND ($include_synthetic OR NOT (coalesce(t.synthetic, false) OR coalesce(y.synthetic, false)))
        AND ($locality IS NULL OR EXISTS { (y)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) })
      RETURN DISTINCT y
    }
    WITH g, x, y, y.layer AS h WHERE g <> h
    RETURN g, h, x, y
  }
  RETURN g, h, count(*) AS ties_before,
         sum(CASE WHEN x IN leaving OR y IN leaving THEN 0 ELSE 1 END) AS ties_after, null AS cell_synthetic
}
MATCH (lg:Layer {id: g}), (lh:Layer {id: h})
RETURN g AS from_layer, h AS to_layer, ties_before, ties_after,
       round(1.0 - toFloat(ties_after) / ties_before, 3) AS share_lost, ties_after = 0 AS disconnected,
       [p IN leaving | p.name + ' (' + p.layer + ')'] AS leaving,
       // Any synthetic tie (or end) in the cell: stored with the run's block table
       // (run.block_synthetic), else found from the sending layer's actors along their own
       // ties, stopping at the first (not by testing sender-receiver pairs).
       $include_synthetic AND CASE WHEN cell_synthetic IS NOT NULL THEN cell_synthetic ELSE EXISTS { MATCH (sa:Actor) WHERE sa.layer = g
                                      AND ($locality IS NULL OR EXISTS { (sa)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) })
                                      AND EXISTS { MATCH (sa)-[st:TIE]->(sb)
                                                   WHERE coalesce(sb.layer, '') = h AND sb:Actor
                                                     AND ($network = 'all' OR st.network = $network) AND st.superseded IS NULL
                                                     AND (coalesce(st.synthetic, false) OR coalesce(sa.synthetic, false) OR coalesce(sb.synthetic, false))
                                                     AND ($locality IS NULL OR EXISTS { (sb)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) }) } } END AS synthetic
ORDER BY share_lost DESC, lg.rank, lh.rank
