// title: Diffusion of an innovation
// question: Where and when did this innovation spread, and from where?
// param innovation: str = see_through_shutters -- the innovation id
// columns: step, locality, year, kind, outcome, adaptation, actors, spread_from, synthetic
MATCH (i:Innovation {id: $innovation})
OPTIONAL MATCH (i)-[o:ORIGINATED_IN]->(origin:Locality)
OPTIONAL MATCH (originator:Actor)-[:ORIGINATED]->(i)
WITH i, origin, o, collect(DISTINCT originator.name) AS originators
OPTIONAL MATCH (i)-[:DERIVED_FROM]->(parent:Innovation)
WITH i, [{locality: origin.name, year: o.year, kind: 'origin', outcome: null, adaptation: null,
          synthetic: coalesce(i.synthetic, false), actors: originators, spread_from: CASE WHEN parent IS NULL THEN null ELSE 'derived from ' + parent.name END}]
        AS origin_rows, origin
OPTIONAL MATCH (i)-[a:ADOPTED_IN]->(l:Locality)
OPTIONAL MATCH (adopter:Actor)-[:ADOPTED {locality: l.id}]->(i)
WITH i, origin_rows, origin, a, l, collect(DISTINCT adopter.name) AS adopters
ORDER BY a.year
WITH i, origin_rows, origin, collect(CASE WHEN l IS NULL THEN null ELSE
       {locality: l.name, year: a.year, kind: 'adoption', outcome: a.outcome, adaptation: a.adaptation, synthetic: coalesce(a.synthetic, l.synthetic, false),
        actors: adopters, spread_from: origin.name} END) AS adoption_rows
OPTIONAL MATCH (child:Innovation)-[:DERIVED_FROM]->(i)
OPTIONAL MATCH (child)-[co:ORIGINATED_IN]->(cl:Locality)
WITH origin, origin_rows, adoption_rows,
     collect(CASE WHEN child IS NULL THEN null ELSE
       {locality: cl.name, year: co.year, kind: 'derived: ' + child.name, outcome: null, adaptation: child.description, synthetic: coalesce(child.synthetic, false),
        actors: [], spread_from: origin.name} END) AS child_rows
WITH CASE WHEN origin IS NULL THEN [] ELSE origin_rows END + adoption_rows + child_rows AS steps
UNWIND range(0, size(steps) - 1) AS n
WITH n, steps[n] AS s
RETURN n + 1 AS step, s.locality AS locality, s.year AS year, s.kind AS kind, s.outcome AS outcome,
       s.adaptation AS adaptation, s.actors AS actors, s.spread_from AS spread_from, s.synthetic AS synthetic
ORDER BY step
