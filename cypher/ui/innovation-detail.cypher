// title: One innovation
// question: What is this innovation, where did it start, what does it address, where is it documented?
// param innovation: str = see_through_shutters -- the innovation id
// columns: innovation, name, description, sector, stage, evidence_level, outcomes, resources, cost, transferability, preconditions, synthetic, source, section, notes, origin_id, origin, origin_year, problems, derived_from, derivatives, funding, case_studies
MATCH (i:Innovation {id: $innovation})
OPTIONAL MATCH (i)-[o:ORIGINATED_IN]->(origin:Locality)
RETURN i.id AS innovation, i.name AS name, i.description AS description,
       COLLECT { MATCH (i)-[:IN_SECTOR]->(s:Sector) RETURN s.name }[0] AS sector,
       i.lifecycle_stage AS stage, i.evidence_level AS evidence_level, i.outcomes AS outcomes, i.resources AS resources,
       i.cost AS cost, i.transferability AS transferability, i.preconditions AS preconditions,
       coalesce(i.synthetic, false) AS synthetic, i.source AS source, i.section AS section, i.notes AS notes,
       origin.id AS origin_id, origin.name AS origin, coalesce(o.year, i.origin_year) AS origin_year,
       COLLECT { MATCH (i)-[:ADDRESSES]->(p:Problem) RETURN {id: p.id, name: coalesce(p.name, p.id)} AS x ORDER BY x.name } AS problems,
       COLLECT { MATCH (i)-[:DERIVED_FROM]->(d:Innovation) RETURN {id: d.id, name: coalesce(d.name, d.id)} } AS derived_from,
       COLLECT { MATCH (d:Innovation)-[:DERIVED_FROM]->(i) RETURN {id: d.id, name: coalesce(d.name, d.id)} } AS derivatives,
       COLLECT { MATCH (i)-[:FUNDED_BY]->(f:FundingInstrument)
                 RETURN {name: coalesce(f.name, f.id), type: f.instrument_type} } AS funding,
       COLLECT { MATCH (i)-[:DOCUMENTED_IN]->(c:CaseStudy) RETURN {id: c.id, title: coalesce(c.title, c.id)} } AS case_studies
