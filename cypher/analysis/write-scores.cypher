// title: Attach one run's scores to actors
MATCH (run:AnalysisRun {id: $run})
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor})
CREATE (a)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(run)
SET s = row.props
