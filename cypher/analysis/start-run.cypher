// title: Record an analysis run that is being written (not current until finished), with the
// analyst's choices: directed paths or not, the role thresholds (JSON), where they came from
// (`defaults` or a file) and those that differ from the defaults ("name=value"), and its scope:
// the ties it read ("" every tie; "round:R" one survey round; "as-of:DATE"), $round, $as_of
CREATE (r:AnalysisRun {id: $id, network: $network, status: 'writing', current: false, started_at: $at,
                       grouping: 'layer', parameters: $parameters, summary: $summary, max_coreness: $max_coreness,
                       actors: $actors, ties: $ties, loads: $loads,
                       directed_paths: $directed_paths, thresholds: $thresholds,
                       thresholds_from: $thresholds_from, thresholds_changed: $thresholds_changed,
                       scope: $scope, round: $round, as_of: $as_of, scope_current: false})
SET r += $blocks
