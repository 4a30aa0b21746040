// title: Links between layers
// question: How dense are the ties within and between the layers of a local innovation system ("rich and dense" or "thin and atrophied"), who carries them, and how outward-looking is each layer (E-I index)?
// note: Actors counted are those with at least one tie (the surveyed population), of the locality if one is given. Block density (directed): d_gh = ties(g->h) / (n_g n_h), d_gg = ties(g->g) / (n_g (n_g - 1)). E-I (Krackhardt & Stern 1988) per layer = (E - I) / (E + I) over ties touching the layer.
// param network: str = innovation -- a network type, or `all` for ties of any type (pairs counted once)
// param locality: str = null -- only actors of this locality
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors and ties (counted live then)
// param live: bool = false -- count the ties live even when the network's current analysis run has the table
// param stored: bool = false -- the network's current analysis run still matches the data (kb sets it: kb/store/analysis_runs.py stored_run_is_current; in Neo4j Browser leave false to count live)
// analysis: optional -- reads the network's current `kb analyse` run when it still matches the data, else counts live (on a large knowledge base without any run kb answers with no rows and says why)
// columns: from_layer, to_layer, n_from, n_to, ties, density, relative_density, senders, receivers, carriers, from_layer_ei, synthetic
// The whole network (no locality): the block table stored by `kb analyse` on the
// network's current run (kb/store/analysis_runs.py block_properties: the same population, distinct
// arcs, senders, receivers and carriers), while the run still matches the data ($stored, which kb computes once: every
// score of the run is there (`kb forget` removes one), no load is under way or finished
// since the run's projection (run.loads counts the finished loads that changed data)). Otherwise (a
// locality, no current run, the data changed, a run older than the stored table, or
// $live or no $stored) counted live from the ties below.
OPTIONAL MATCH (run:AnalysisRun {network: $network, current: true})
WITH run, coalesce($stored AND NOT $live AND $include_synthetic AND $locality IS NULL AND run.block_from IS NOT NULL, false) AS stored
CALL (run, stored) {
  WITH run WHERE stored
  RETURN [i IN range(0, size(run.block_layers) - 1) | {layer: run.block_layers[i], n: run.block_sizes[i]}] AS sizes,
         [i IN range(0, size(run.block_from) - 1) | {g: run.block_from[i], h: run.block_to[i], ties: run.block_ties[i],
             senders: run.block_senders[i], receivers: run.block_receivers[i], carriers: run.block_carriers[i]}] AS cells
  UNION
  WITH run WHERE NOT stored
  CALL () {
    MATCH (x:Actor) WHERE EXISTS { (x)-[t:TIE]-() WHERE t.superseded IS NULL AND ($include_synthetic OR NOT coalesce(t.synthetic, false)) }
      AND ($include_synthetic OR NOT coalesce(x.synthetic, false))
      AND ($locality IS NULL OR EXISTS { (x)-[:LOCATED_IN]->(:Locality {id: $locality}) }
           OR EXISTS { (x)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) })
    RETURN collect(x) AS population
  }
  WITH population, COLLECT { UNWIND population AS x WITH x.layer AS layer, count(*) AS n RETURN {layer: layer, n: n} } AS sizes
  // The distinct tie pairs (a, b) of the population. One network type, no locality: its
  // ties straight from the TIE(network) relationship index. Otherwise per actor a (its layer
  // read once) its distinct tie partners; without a locality every partner is in the
  // population. A cell's senders and receivers are its distinct a and b, its carriers their
  // union (disjoint unless the cell is within one layer).
  CALL (population) {
    CALL (population) {
      WITH population WHERE $network <> 'all' AND $locality IS NULL
      MATCH (a:Actor)-[t:TIE]->(b:Actor)
      WHERE t.network = $network AND a <> b AND t.superseded IS NULL
        AND ($include_synthetic OR NOT coalesce(t.synthetic, false))
      WITH DISTINCT a, b
      RETURN a.layer AS g, a, b
      UNION ALL
      WITH population WHERE $network = 'all' OR $locality IS NOT NULL
      UNWIND population AS a
      WITH population, a, a.layer AS g
      CALL (a) {
        MATCH (a)-[t:TIE]->(b:Actor)
        WHERE ($network = 'all' OR t.network = $network) AND a <> b AND t.superseded IS NULL
          AND ($include_synthetic OR NOT coalesce(t.synthetic, false))
        RETURN DISTINCT b
      }
      WITH population, g, a, b WHERE $locality IS NULL OR b IN population
      RETURN g, a, b
    }
    WITH g, b.layer AS h, count(*) AS ties, collect(DISTINCT a) AS froms, collect(DISTINCT b) AS tos
    RETURN collect({g: g, h: h, ties: ties, senders: size(froms), receivers: size(tos),
                    carriers: CASE WHEN g <> h THEN size(froms) + size(tos)
                                   ELSE size(COLLECT { UNWIND froms + tos AS x RETURN DISTINCT x }) END}) AS cells
  }
  RETURN sizes, cells
}
WITH sizes, cells, reduce(s = 0, c IN cells | s + c.ties) AS total_ties, reduce(s = 0, x IN sizes | s + x.n) AS N
MATCH (g:Layer), (h:Layer)
WITH sizes, cells, total_ties, N, g, h,
     [x IN sizes WHERE x.layer = g.id | x.n][0] AS ng, [x IN sizes WHERE x.layer = h.id | x.n][0] AS nh
WHERE ng IS NOT NULL AND nh IS NOT NULL
WITH cells, total_ties, N, g, h, ng, nh,
     coalesce([c IN cells WHERE c.g = g.id AND c.h = h.id][0], {ties: 0, senders: 0, receivers: 0, carriers: 0}) AS cell,
     reduce(s = 0, c IN [c IN cells WHERE c.g = g.id AND c.h = g.id] | s + c.ties) AS internal,
     reduce(s = 0, c IN [c IN cells WHERE (c.g = g.id) <> (c.h = g.id)] | s + c.ties) AS external
WITH g, h, ng, nh, cell, internal, external,
     CASE WHEN N > 1 THEN toFloat(total_ties) / (N * (N - 1)) ELSE 0.0 END AS overall,
     CASE WHEN g = h THEN CASE WHEN ng > 1 THEN toFloat(cell.ties) / (ng * (ng - 1)) ELSE 0.0 END
          ELSE toFloat(cell.ties) / (ng * nh) END AS density
// Is any tie of the cell synthetic (or has a synthetic end)? Found from the sending layer's
// actors (index on layer) along their ties, stopping at the first: the receiving end's
// layer (and label) tested on the node reached: written so that the planner does not
// find both ends by layer and test every sender-receiver pair for a tie.
// A cell without ties of the whole network has no synthetic tie: not searched (a search
// that finds nothing reads every tie of the sending layer).
WITH *, CASE WHEN cell.ties = 0 AND $locality IS NULL THEN false ELSE EXISTS { MATCH (sa:Actor)
                WHERE $include_synthetic AND sa.layer = g.id
                  AND ($locality IS NULL OR EXISTS { (sa)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) })
                  AND EXISTS { MATCH (sa)-[st:TIE]->(sb)
                               WHERE coalesce(sb.layer, '') = h.id AND sb:Actor AND sa <> sb
                                 AND ($network = 'all' OR st.network = $network) AND st.superseded IS NULL
                                 AND (coalesce(st.synthetic, false) OR coalesce(sa.synthetic, false) OR coalesce(sb.synthetic, false)) } } END AS synthetic
RETURN g.id AS from_layer, h.id AS to_layer, ng AS n_from, nh AS n_to, cell.ties AS ties, round(density, 4) AS density,
       CASE WHEN overall > 0 THEN round(density / overall, 3) ELSE null END AS relative_density,
       cell.senders AS senders, cell.receivers AS receivers, cell.carriers AS carriers,
       CASE WHEN internal + external > 0 THEN round(toFloat(external - internal) / (external + internal), 3) ELSE null END AS from_layer_ei,
       synthetic
ORDER BY g.rank, h.rank
