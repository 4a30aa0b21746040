// title: Attach one run's scores to actors. Each row's props carry the scores and what the named
// queries look up about the actor (name, layer, synthetic flag, localities, member_org, org_name,
// org_type: kb/store/query_columns.py), read once per `kb analyse` by
// cypher/analysis/actor-columns.cypher for every network instead of walked here per Score.
MATCH (run:AnalysisRun {id: $run})
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor})
CREATE (a)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(run)
SET s = row.props
