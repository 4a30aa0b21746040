// title: Delete runs of a network that are not current in their scope (retired or interrupted)
// with their scores
MATCH (run:AnalysisRun {network: $network}) WHERE NOT run.current AND NOT coalesce(run.scope_current, false)
OPTIONAL MATCH (run)<-[:IN_RUN]-(s:Score)
CALL (s) { DETACH DELETE s } IN TRANSACTIONS OF 10000 ROWS
WITH DISTINCT run
DETACH DELETE run
