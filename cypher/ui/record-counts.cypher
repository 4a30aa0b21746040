// title: Records the knowledge base keeps about its own work
// question: How many analysis scores and runs, loads, changes, users and survey records are kept?
// note: Every count comes from Neo4j's count store: nothing is read. These records are not facts; they
// are kept for the data, sourced and synthetic alike.
// columns: type, nodes
UNWIND [
  {type: 'AnalysisRun', nodes: COUNT { MATCH (n:AnalysisRun) }},
  {type: 'Change', nodes: COUNT { MATCH (n:Change) }},
  {type: 'Load', nodes: COUNT { MATCH (n:Load) }},
  {type: 'Respondent', nodes: COUNT { MATCH (n:Respondent) }},
  {type: 'SavedQuery', nodes: COUNT { MATCH (n:SavedQuery) }},
  {type: 'Score', nodes: COUNT { MATCH (n:Score) }},
  {type: 'SignInBackoff', nodes: COUNT { MATCH (n:SignInBackoff) }},
  {type: 'SurveyRound', nodes: COUNT { MATCH (n:SurveyRound) }},
  {type: 'User', nodes: COUNT { MATCH (n:User) }}
] AS c
WITH c WHERE c.nodes > 0
RETURN c.type AS type, c.nodes AS nodes
ORDER BY type
