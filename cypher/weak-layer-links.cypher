// title: Weak links between layers
// question: Which layer-to-layer links are thin (density well below the network's overall density) or fragile (carried by only a few actors), and who carries them?
// note: thin = density < fraction x overall density; fragile = 1..k distinct actors carry the cell's ties; absent cells (no ties) are thin.
// param network: str = innovation -- a network type, or `all`
// param locality: str = null -- only actors of this locality
// param fraction: float = 0.25 -- thin below this fraction of the overall density
// param k: int = 2 -- fragile when carried by at most k actors
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors and ties (counted live then)
// param live: bool = false -- count the ties live even when the network's current analysis run has the table
// param stored: bool = false -- the network's current analysis run still matches the data (kb sets it: kb/store/analysis_runs.py stored_run_is_current; in Neo4j Browser leave false to count live)
// analysis: optional -- reads the network's current `kb analyse` run when it still matches the data, else counts live (on a large knowledge base without any run kb answers with no rows and says why)
// columns: from_layer, to_layer, ties, density, overall_density, thin, fragile, carriers, carried_by, synthetic
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
             carriers: run.block_carriers[i],
             carrier_ids: CASE WHEN run.block_carrier_ids[i] <> '' THEN split(run.block_carrier_ids[i], '\u001f') END,
             synthetic: run.block_synthetic[i]}] AS cells
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
  // Per actor a (its layer read once), its distinct tie partners b, kept as node pairs (ids
  // are read only for the few cells small enough to list their carriers, in id order). Without a
  // locality every tie partner is in the population.
  CALL (population) {
    UNWIND population AS a
    WITH a, a.layer AS g
    CALL (a) {
      MATCH (a)-[t:TIE]->(b:Actor)
      WHERE ($network = 'all' OR t.network = $network) AND a <> b AND t.superseded IS NULL
        AND ($include_synthetic OR NOT coalesce(t.synthetic, false))
      RETURN DISTINCT b
    }
    WITH g, a, b WHERE $locality IS NULL OR b IN population
    WITH g, b.layer AS h, collect([a, b]) AS pairs
    RETURN collect({g: g, h: h, ties: size(pairs),
                    carrier_ids: CASE WHEN size(pairs) <= 50 THEN COLLECT { UNWIND pairs AS p UNWIND p AS x WITH DISTINCT x.id AS id RETURN id ORDER BY id } ELSE null END,
                    carriers: size(COLLECT { UNWIND pairs AS p UNWIND p AS x RETURN DISTINCT x })}) AS cells
  }
  RETURN sizes, cells
}
WITH sizes, cells, reduce(s = 0, c IN cells | s + c.ties) AS total_ties, reduce(s = 0, x IN sizes | s + x.n) AS N
MATCH (g:Layer), (h:Layer) WHERE g <> h
WITH cells, total_ties, N, g, h,
     [x IN sizes WHERE x.layer = g.id | x.n][0] AS ng, [x IN sizes WHERE x.layer = h.id | x.n][0] AS nh
WHERE ng IS NOT NULL AND nh IS NOT NULL
WITH g, h, ng, nh, coalesce([c IN cells WHERE c.g = g.id AND c.h = h.id][0], {ties: 0, carriers: 0, carrier_ids: []}) AS cell,
     CASE WHEN N > 1 THEN toFloat(total_ties) / (N * (N - 1)) ELSE 0.0 END AS overall
WITH g, h, cell, overall, toFloat(cell.ties) / (ng * nh) AS density
WITH g, h, cell, overall, density, density < $fraction * overall AS thin, 0 < cell.carriers <= $k AS fragile
WHERE thin OR fragile
// Is any tie of the cell synthetic (or has a synthetic end)? Found from the sending layer's
// actors (index on layer) along their ties, stopping at the first: the receiving end's
// layer (and label) tested on the node reached: written so that the planner does not
// find both ends by layer and test every sender-receiver pair for a tie.
// A cell without ties of the whole network has no synthetic tie: not searched (a search
// that finds nothing reads every tie of the sending layer); one of the run's stored table
// has its answer stored with it (run.block_synthetic, searched so at `kb analyse` time).
WITH *, CASE WHEN cell.ties = 0 AND $locality IS NULL THEN false
             WHEN cell.synthetic IS NOT NULL THEN $include_synthetic AND cell.synthetic ELSE EXISTS { MATCH (sa:Actor)
                WHERE $include_synthetic AND sa.layer = g.id
                  AND ($locality IS NULL OR EXISTS { (sa)-[:LOCATED_IN|MEMBER_OF*1..2]->(:Locality {id: $locality}) })
                  AND EXISTS { MATCH (sa)-[st:TIE]->(sb)
                               WHERE coalesce(sb.layer, '') = h.id AND sb:Actor AND sa <> sb
                                 AND ($network = 'all' OR st.network = $network) AND st.superseded IS NULL
                                 AND (coalesce(st.synthetic, false) OR coalesce(sa.synthetic, false) OR coalesce(sb.synthetic, false)) } } END AS synthetic
CALL (cell) {
  UNWIND coalesce(cell.carrier_ids, []) AS id
  MATCH (c:Actor {id: id}) USING INDEX c:Actor(id)
  RETURN collect(c.name + ' (' + c.layer + ')') AS carried_by
}
RETURN g.id AS from_layer, h.id AS to_layer, cell.ties AS ties, round(density, 4) AS density,
       round(overall, 4) AS overall_density, thin, fragile, cell.carriers AS carriers,
       CASE WHEN fragile THEN carried_by ELSE [] END AS carried_by, synthetic
ORDER BY fragile DESC, density, g.rank, h.rank
