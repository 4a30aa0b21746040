// title: An innovation's elements and preconditions
// question: What is this innovation made of, what does it need to work, and which of that is an editors' judgement rather than a statement of the source?
// param innovation: str = south_tyneside_pa_projects -- the innovation id
// columns: part, name, kind, description, travels, editors_judgement, synthetic, source, section
CALL () {
  MATCH (e:Element)-[:ELEMENT_OF]->(:Innovation {id: $innovation})
  RETURN 'element' AS part, coalesce(e.name, e.id) AS name, e.kind AS kind, e.description AS description,
         e.travels AS travels, coalesce(e.editors_judgement, false) AS editors_judgement,
         coalesce(e.synthetic, false) AS synthetic, e.source AS source, e.section AS section, e.id AS id
  UNION ALL
  MATCH (c:Precondition)-[:CONDITION_OF]->(:Innovation {id: $innovation})
  RETURN 'precondition' AS part, c.id AS name, c.kind AS kind, c.description AS description,
         null AS travels, coalesce(c.editors_judgement, false) AS editors_judgement,
         coalesce(c.synthetic, false) AS synthetic, c.source AS source, c.section AS section, c.id AS id
}
RETURN part, name, kind, description, travels, editors_judgement, synthetic, source, section
ORDER BY part, id
