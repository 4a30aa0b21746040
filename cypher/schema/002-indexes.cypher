// title: Search and lookup indexes
// question: Full-text search over innovations and actors; fast lookups by layer and network.
CREATE FULLTEXT INDEX innovation_text IF NOT EXISTS FOR (n:Innovation) ON EACH [n.name, n.description, n.outcomes, n.transferability, n.preconditions];
CREATE FULLTEXT INDEX actor_text IF NOT EXISTS FOR (n:Actor) ON EACH [n.name, n.role, n.org_type];
CREATE INDEX actor_layer IF NOT EXISTS FOR (n:Actor) ON (n.layer);
CREATE INDEX tie_network IF NOT EXISTS FOR ()-[r:TIE]-() ON (r.network);
CREATE INDEX innovation_stage IF NOT EXISTS FOR (n:Innovation) ON (n.lifecycle_stage);
CREATE INDEX score_run IF NOT EXISTS FOR (n:Score) ON (n.run_id);
CREATE INDEX analysis_run_current IF NOT EXISTS FOR (n:AnalysisRun) ON (n.network, n.current);
CREATE INDEX tie_round IF NOT EXISTS FOR ()-[r:TIE]-() ON (r.round);
CREATE INDEX score_broker_rank IF NOT EXISTS FOR (n:Score) ON (n.run_id, n.broker_rank);
CREATE INDEX score_betweenness_rank IF NOT EXISTS FOR (n:Score) ON (n.run_id, n.betweenness_rank);
CREATE INDEX score_main_core IF NOT EXISTS FOR (n:Score) ON (n.run_id, n.in_main_core);
CREATE INDEX score_gf_total IF NOT EXISTS FOR (n:Score) ON (n.run_id, n.gf_total);
