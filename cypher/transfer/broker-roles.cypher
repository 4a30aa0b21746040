// title: The broker roles (hub, gatekeeper, pulsetaker, brokerage roles) of these actors in the
// current analysis run of all networks, for weighting introduction paths (kb/services/transfer.py)
UNWIND $ids AS id
MATCH (a:Actor {id: id})-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(:AnalysisRun {network: 'all', current: true})
RETURN a.id AS id, coalesce(s.roles, []) AS roles
