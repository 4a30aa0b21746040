// title: Remove a person's id from the stored results of every analysis run that holds it (the
// carriers listed in its layer block table, block_carrier_ids: ids joined by $sep) and mark those
// runs as no longer matching the data (forgotten_people; cypher/analysis/current-run-matches.cypher
// then answers false, so the named queries count live until the next `kb analyse`). Run before the
// person's :Score nodes are deleted (a run that scored the person is counted by them). The run's
// stored outside-core table and core-clique's member list (oc_rows, cc_rows:
// cypher/analysis/outside-core-groups.cypher, core-members.cypher), which name actors, are
// dropped: those queries read the remaining Scores instead.
MATCH (run:AnalysisRun)
WHERE any(c IN coalesce(run.block_carrier_ids, []) WHERE $id IN split(c, $sep))
   OR EXISTS { (run)<-[:IN_RUN]-(:Score {actor_id: $id}) }
SET run.block_carrier_ids = [c IN run.block_carrier_ids |
      coalesce(reduce(acc = null, x IN [y IN split(c, $sep) WHERE y <> $id] |
                      CASE WHEN acc IS NULL THEN x ELSE acc + $sep + x END), '')],
    run.forgotten_people = coalesce(run.forgotten_people, 0) + 1,
    run += {oc_core_fraction: null, oc_split: null, oc_rows: null, cc_rows: null}
RETURN count(run) AS runs
