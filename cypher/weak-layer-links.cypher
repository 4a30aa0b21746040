// title: Weak links between layers
// question: Which layer-to-layer links are thin (density well below the network's overall density) or fragile (carried by only a few actors), and who carries them?
// note: thin = density < fraction x overall density; fragile = 1..k distinct actors carry the cell's ties; absent cells (no ties) are thin.
// param network: str = innovation -- a network type, or `all`
// param locality: str = null -- only actors of this locality
// param fraction: float = 0.25 -- thin below this fraction of the overall density
// param k: int = 2 -- fragile when carried by at most k actors
// columns: from_layer, to_layer, ties, density, overall_density, thin, fragile, carriers, carried_by
CALL () {
  MATCH (x:Actor) WHERE EXISTS { (x)-[:TIE]-() }
    AND ($locality IS NULL OR EXISTS { (x)-[:LOCATED_IN]->(:Locality {id: $locality}) }
         OR EXISTS { (x)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) })
  RETURN collect(x) AS population
}
WITH population, COLLECT { UNWIND population AS x WITH x.layer AS layer, count(*) AS n RETURN {layer: layer, n: n} } AS sizes
// Per actor a (its layer read once), its distinct tie partners b, kept as node pairs (ids
// are read only for the few cells small enough to list their carriers). Without a
// locality every tie partner is in the population.
CALL (population) {
  UNWIND population AS a
  WITH a, a.layer AS g
  CALL (a) {
    MATCH (a)-[t:TIE]->(b:Actor)
    WHERE ($network = 'all' OR t.network = $network) AND a <> b
    RETURN DISTINCT b
  }
  WITH g, a, b WHERE $locality IS NULL OR b IN population
  WITH g, b.layer AS h, collect([a, b]) AS pairs
  RETURN collect({g: g, h: h, ties: size(pairs),
                  carrier_ids: CASE WHEN size(pairs) <= 50 THEN COLLECT { UNWIND pairs AS p UNWIND p AS x RETURN DISTINCT x.id } ELSE null END,
                  carriers: size(COLLECT { UNWIND pairs AS p UNWIND p AS x RETURN DISTINCT x })}) AS cells
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
CALL (cell) {
  UNWIND coalesce(cell.carrier_ids, []) AS id
  MATCH (c:Actor {id: id})
  RETURN collect(c.name + ' (' + c.layer + ')') AS carried_by
}
RETURN g.id AS from_layer, h.id AS to_layer, cell.ties AS ties, round(density, 4) AS density,
       round(overall, 4) AS overall_density, thin, fragile, cell.carriers AS carriers,
       CASE WHEN fragile THEN carried_by ELSE [] END AS carried_by
ORDER BY fragile DESC, density, g.rank, h.rank
