// title: Record an analysis run that is being written (not current until finished)
CREATE (r:AnalysisRun {id: $id, network: $network, status: 'writing', current: false, started_at: $at,
                       grouping: 'layer', parameters: $parameters, summary: $summary, max_coreness: $max_coreness,
                       actors: $actors, ties: $ties, loads: $loads})
SET r += $blocks
