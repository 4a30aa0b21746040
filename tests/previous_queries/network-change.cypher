// title: Network change between two survey rounds
// question: Which ties between layers were gained or lost from one survey round to the next, who carries them now, and how did each layer block's density change?
// note: One row per ordered pair of layers with ties in either round. Ties are distinct arcs (a named b, in the network type chosen, or any type for `all`). Each round's population is the actors with a tie in that round (of the locality, when given: both ends). Block density per round over its own population: d_gh = ties(g->h) / (n_g n_h), d_gg = ties(g->g) / (n_g (n_g - 1)). Roles gained and lost, brokers who left, E-I per layer, the carriers between layers, Jaccard and the QAP correlation with its permutation p-value: `kb change --from R1 --to R2` (kb/services/change.py, docs/analytics.md "Change over time").
// param from: str = null -- the earlier survey round (default: the round before `to`)
// param to: str = null -- the later survey round (default: the latest round)
// param network: str = all -- a network type, or `all` for ties of any type (pairs counted once)
// param locality: str = null -- only actors of this locality
// columns: from_round, to_round, from_layer, to_layer, ties_before, ties_after, gained, lost, density_before, density_after, density_change, new_carriers, departed_carriers, synthetic
CALL () {
  MATCH ()-[t:TIE]->() WHERE t.round IS NOT NULL
  WITH t.round AS r, max(t.date) AS d ORDER BY d, r
  RETURN collect(r) AS rounds
}
WITH rounds, coalesce($to, rounds[-1]) AS r2
WITH rounds, r2, [i IN range(0, size(rounds) - 1) WHERE rounds[i] = r2][0] AS at
WITH r2, coalesce($from, CASE WHEN at > 0 THEN rounds[at - 1] END) AS r1
WHERE r1 IS NOT NULL AND r2 IS NOT NULL AND r1 <> r2
CALL (r1) {
  MATCH (a:Actor)-[:TIE {round: r1}]-(:Actor)
  WITH DISTINCT a
  WHERE $locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
        OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) }
  WITH collect(a) AS actors
  RETURN [x IN actors | x.layer] AS layers_before,
         COLLECT { UNWIND actors AS a
                   MATCH (a)-[t:TIE {round: r1}]->(b:Actor) WHERE b IN actors AND ($network = 'all' OR t.network = $network)
                   WITH a, b, collect(coalesce(t.synthetic, false)) AS flags
                   RETURN {a: a.id, b: b.id, fl: a.layer, tl: b.layer, synthetic: true IN flags} } AS before
}
CALL (r2) {
  MATCH (a:Actor)-[:TIE {round: r2}]-(:Actor)
  WITH DISTINCT a
  WHERE $locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
        OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) }
  WITH collect(a) AS actors
  RETURN [x IN actors | x.layer] AS layers_after,
         COLLECT { UNWIND actors AS a
                   MATCH (a)-[t:TIE {round: r2}]->(b:Actor) WHERE b IN actors AND ($network = 'all' OR t.network = $network)
                   WITH a, b, collect(coalesce(t.synthetic, false)) AS flags
                   RETURN {a: a.id, b: b.id, fl: a.layer, tl: b.layer, synthetic: true IN flags} } AS after
}
MATCH (g:Layer), (h:Layer)
WITH r1, r2, g, h, layers_before, layers_after,
     [x IN before WHERE x.fl = g.id AND x.tl = h.id] AS cell_before,
     [x IN after WHERE x.fl = g.id AND x.tl = h.id] AS cell_after
WHERE size(cell_before) + size(cell_after) > 0
WITH r1, r2, g, h, cell_before, cell_after,
     size([x IN layers_before WHERE x = g.id]) AS nfb, size([x IN layers_before WHERE x = h.id]) AS ntb,
     size([x IN layers_after WHERE x = g.id]) AS nfa, size([x IN layers_after WHERE x = h.id]) AS nta,
     [x IN cell_before | x.a + '>' + x.b] AS keys_before, [x IN cell_after | x.a + '>' + x.b] AS keys_after,
     COLLECT { UNWIND cell_before AS x UNWIND [x.a, x.b] AS id RETURN DISTINCT id } AS carriers_before,
     COLLECT { UNWIND cell_after AS x UNWIND [x.a, x.b] AS id RETURN DISTINCT id } AS carriers_after
WITH r1, r2, g, h, cell_before, cell_after, keys_before, keys_after, carriers_before, carriers_after,
     CASE WHEN g = h THEN nfb * (nfb - 1) ELSE nfb * ntb END AS possible_before,
     CASE WHEN g = h THEN nfa * (nfa - 1) ELSE nfa * nta END AS possible_after
WITH r1, r2, g, h, cell_before, cell_after, keys_before, keys_after, carriers_before, carriers_after,
     CASE WHEN possible_before > 0 THEN toFloat(size(keys_before)) / possible_before END AS density_before,
     CASE WHEN possible_after > 0 THEN toFloat(size(keys_after)) / possible_after END AS density_after
RETURN r1 AS from_round, r2 AS to_round, g.id AS from_layer, h.id AS to_layer,
       size(keys_before) AS ties_before, size(keys_after) AS ties_after,
       size([k IN keys_after WHERE NOT k IN keys_before]) AS gained,
       size([k IN keys_before WHERE NOT k IN keys_after]) AS lost,
       density_before, density_after, coalesce(density_after, 0.0) - coalesce(density_before, 0.0) AS density_change,
       [c IN carriers_after WHERE NOT c IN carriers_before] AS new_carriers,
       [c IN carriers_before WHERE NOT c IN carriers_after] AS departed_carriers,
       any(x IN cell_before + cell_after WHERE x.synthetic) AS synthetic
ORDER BY g.rank, h.rank
