// title: Per cell of a run's block table (run.block_from[i] -> run.block_to[i]): is any tie of
// the run's network in it synthetic, or has it a synthetic end? Searched once at `kb analyse`
// time as layer-links searched it at every query (from the sending layer's actors along their
// own ties, stopping at the first); stored as run.block_synthetic (kb/store/query_columns.py).
MATCH (run:AnalysisRun {id: $run})
WITH run, coalesce(run.block_from, []) AS froms, coalesce(run.block_to, []) AS tos, run.network AS network
UNWIND range(0, size(froms) - 1) AS i
WITH run, i, froms[i] AS g, tos[i] AS h, network
WITH run, i, EXISTS { MATCH (sa:Actor)
                      WHERE sa.layer = g
                        AND EXISTS { MATCH (sa)-[st:TIE]->(sb)
                                     WHERE coalesce(sb.layer, '') = h AND sb:Actor AND sa <> sb
                                       AND (network = 'all' OR st.network = network) AND st.superseded IS NULL
                                       AND (coalesce(st.synthetic, false) OR coalesce(sa.synthetic, false) OR coalesce(sb.synthetic, false)) } } AS synthetic
ORDER BY i
WITH run, collect(synthetic) AS flags
SET run.block_synthetic = flags
