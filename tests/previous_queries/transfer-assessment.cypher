// title: Transfer assessment (the facts)
// question: What does the knowledge base know for judging whether this innovation could transfer to this locality: its problems, evidence, elements and preconditions, where it started and was adopted (with those places' profiles), and the locality's profile?
// note: The facts only, as one row; `chains` are the 12 fewest-hop chains of ties and memberships from an actor of the locality (located there, or a member of an organisation located there) to an actor behind the innovation (an originator or adopter), as in `introduction-path`, each actor with its broker roles in the current analysis of all networks; the service picks the three cheapest distinct ones (kb/analytics/paths.py). `kb assess` and the transfer finder (kb/services/transfer.py) read this query and judge each precondition met, unmet or unknown against the locality's profile, compare places and score (docs/transfer.md).
// param innovation: str = south_tyneside_pa_projects -- the innovation id
// param locality: str = knowsley -- the locality to transfer to
// param max_hops: int = 6 -- longest introduction chain searched (ties and memberships, at most 6)
// columns: innovation, locality, preconditions, elements, places, chains
MATCH (i:Innovation {id: $innovation}), (here:Locality {id: $locality})
CALL (here) {
  // The locality's profile: what the graph knows of the place, with the actors by layer and
  // organisation type (located here, or a member of an organisation located here).
  OPTIONAL CALL (here) {
    MATCH (a:Actor)-[:LOCATED_IN]->(here) RETURN a
    UNION
    MATCH (a:Actor)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(here) RETURN a
  }
  WITH here, a.layer AS layer, a.org_type AS org_type, count(a) AS n, min(coalesce(a.name, a.id)) AS example
  ORDER BY n DESC
  WITH here, collect(CASE WHEN n > 0 THEN {layer: layer, org_type: org_type, count: n, example: example} END) AS kinds,
       sum(n) AS actors
  RETURN {id: here.id, name: coalesce(here.name, here.id), country: here.country, region: here.region, kind: here.kind,
          population: here.population, governance: here.governance, legal_system: here.legal_system,
          capacities: coalesce(here.capacities, []), synthetic: coalesce(here.synthetic, false),
          source: here.source, section: here.section,
          problems: COLLECT { MATCH (here)-[:FACES]->(p:Problem)
                              RETURN {id: p.id, name: coalesce(p.name, p.id), description: p.description, embedding: p.embedding} AS x ORDER BY x.id },
          actors: actors, kinds: kinds[..200],
          funding: COLLECT { MATCH (f:FundingInstrument)-[:PROVIDED_BY]->(:Actor)-[:LOCATED_IN]->(here)
                             RETURN {name: coalesce(f.name, f.id), type: f.instrument_type, how: 'provided by an actor located here'} AS x
                             UNION
                             MATCH (f:FundingInstrument)<-[:FUNDED_BY]-(:Innovation)-[:ORIGINATED_IN|ADOPTED_IN]->(here)
                             RETURN {name: coalesce(f.name, f.id), type: f.instrument_type, how: 'funds an innovation here'} AS x }
         } AS profile
}
RETURN {id: i.id, name: coalesce(i.name, i.id), evidence_level: i.evidence_level, synthetic: coalesce(i.synthetic, false),
        transferability: i.transferability, source: i.source, section: i.section,
        problems: COLLECT { MATCH (i)-[:ADDRESSES]->(p:Problem)
                            RETURN {id: p.id, name: coalesce(p.name, p.id), description: p.description,
                                    embedding: p.embedding} AS x ORDER BY x.id },
        here: EXISTS { (i)-[:ORIGINATED_IN|ADOPTED_IN]->(here) }} AS innovation,
       profile AS locality,
       COLLECT { MATCH (c:Precondition)-[:CONDITION_OF]->(i)
                 RETURN properties(c) AS x ORDER BY x.id } AS preconditions,
       COLLECT { MATCH (e:Element)-[:ELEMENT_OF]->(i) RETURN properties(e) AS x ORDER BY x.id } AS elements,
       // Where it started and where it was adopted, each place with what a comparison needs.
       COLLECT { MATCH (i)-[r:ORIGINATED_IN|ADOPTED_IN]->(l:Locality)
                 RETURN {id: l.id, name: coalesce(l.name, l.id), role: CASE type(r) WHEN 'ORIGINATED_IN' THEN 'origin' ELSE 'adoption' END,
                         year: coalesce(r.year, CASE WHEN type(r) = 'ORIGINATED_IN' THEN i.origin_year END),
                         outcome: r.outcome, adaptation: r.adaptation, elements: coalesce(r.elements, []),
                         synthetic: coalesce(r.synthetic, false), source: r.source, section: r.section,
                         country: l.country, kind: l.kind, population: l.population,
                         problems: COLLECT { MATCH (l)-[:FACES]->(p:Problem) RETURN p.id }} AS x
                 ORDER BY x.role DESC, x.name } AS places,
       COLLECT {
         MATCH path = SHORTEST 12 (here)(()<-[:LOCATED_IN|MEMBER_OF]-()){1,2}(:Actor)
                                  (()-[:TIE|MEMBER_OF]-()){0,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)
         WITH path, CASE WHEN type(relationships(path)[1]) = 'MEMBER_OF'
                              AND endNode(relationships(path)[1]) = nodes(path)[1] THEN 2 ELSE 1 END AS start
         WHERE length(path) - 1 - start <= $max_hops
         RETURN {nodes: [n IN nodes(path)[start .. length(path)] |
                         {id: n.id, name: coalesce(n.name, n.id), layer: n.layer,
                          kind: CASE WHEN n:Organisation THEN 'organisation' ELSE 'person' END,
                          synthetic: coalesce(n.synthetic, false),
                          roles: coalesce(COLLECT { MATCH (n)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(:AnalysisRun {network: 'all', current: true})
                                                    RETURN s.roles }[0], [])}],
                 links: [r IN relationships(path)[start .. length(path) - 1] |
                         {source: startNode(r).id, target: endNode(r).id, type: type(r), network: r.network,
                          weight: r.weight, date: r.date, synthetic: coalesce(r.synthetic, false),
                          cited: r.source, section: r.section}]} AS chain
       } AS chains
