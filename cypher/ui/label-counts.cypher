// title: Nodes by type
// question: How many nodes of each type of fact are there, and how many of them are synthetic (illustrative)?
// note: Totals come from Neo4j's count store (no node is read); only the nodes of each type are read for
// their synthetic flag, never the whole graph (the analysis Scores alone are 800,000 nodes at 100,000
// actors). The records the knowledge base keeps about its own work are counted by ui/record-counts.
// param include_synthetic: bool = true -- false counts only sourced nodes
// columns: type, nodes, sourced, synthetic
UNWIND [
  {type: 'Actor', nodes: COUNT { MATCH (n:Actor) }, synthetic: COUNT { MATCH (n:Actor) WHERE n.synthetic = true }},
  {type: 'CaseStudy', nodes: COUNT { MATCH (n:CaseStudy) }, synthetic: COUNT { MATCH (n:CaseStudy) WHERE n.synthetic = true }},
  {type: 'Element', nodes: COUNT { MATCH (n:Element) }, synthetic: COUNT { MATCH (n:Element) WHERE n.synthetic = true }},
  {type: 'FundingInstrument', nodes: COUNT { MATCH (n:FundingInstrument) },
   synthetic: COUNT { MATCH (n:FundingInstrument) WHERE n.synthetic = true }},
  {type: 'Innovation', nodes: COUNT { MATCH (n:Innovation) }, synthetic: COUNT { MATCH (n:Innovation) WHERE n.synthetic = true }},
  {type: 'Layer', nodes: COUNT { MATCH (n:Layer) }, synthetic: COUNT { MATCH (n:Layer) WHERE n.synthetic = true }},
  {type: 'LayerLink', nodes: COUNT { MATCH (n:LayerLink) }, synthetic: COUNT { MATCH (n:LayerLink) WHERE n.synthetic = true }},
  {type: 'Locality', nodes: COUNT { MATCH (n:Locality) }, synthetic: COUNT { MATCH (n:Locality) WHERE n.synthetic = true }},
  {type: 'NetworkType', nodes: COUNT { MATCH (n:NetworkType) }, synthetic: COUNT { MATCH (n:NetworkType) WHERE n.synthetic = true }},
  {type: 'Organisation', nodes: COUNT { MATCH (n:Organisation) },
   synthetic: COUNT { MATCH (n:Organisation) WHERE n.synthetic = true }},
  {type: 'Person', nodes: COUNT { MATCH (n:Person) }, synthetic: COUNT { MATCH (n:Person) WHERE n.synthetic = true }},
  {type: 'Precondition', nodes: COUNT { MATCH (n:Precondition) },
   synthetic: COUNT { MATCH (n:Precondition) WHERE n.synthetic = true }},
  {type: 'Problem', nodes: COUNT { MATCH (n:Problem) }, synthetic: COUNT { MATCH (n:Problem) WHERE n.synthetic = true }},
  {type: 'Sector', nodes: COUNT { MATCH (n:Sector) }, synthetic: COUNT { MATCH (n:Sector) WHERE n.synthetic = true }},
  // A source is synthetic when only synthetic facts cite it (sources carry no flag of their own).
  {type: 'Source', nodes: COUNT { MATCH (n:Source) },
   synthetic: COUNT { MATCH (n:Source) WHERE n.synthetic = true OR (EXISTS { (:!Source)-[:CITES]->(n) }
                      AND NOT EXISTS { (x)-[:CITES]->(n) WHERE NOT coalesce(x.synthetic, false) }) }}
] AS c
WITH c.type AS type, CASE WHEN $include_synthetic THEN c.nodes ELSE c.nodes - c.synthetic END AS nodes,
     CASE WHEN $include_synthetic THEN c.synthetic ELSE 0 END AS synthetic
WHERE nodes > 0
RETURN type, nodes, nodes - synthetic AS sourced, synthetic
ORDER BY type
