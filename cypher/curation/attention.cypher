// title: What most needs attention: innovations without evidence, sourced records without a
// source, organisations linked to nothing, people with no ties (synthetic records left out)
CALL () {
  MATCH (n:Innovation) WHERE n.evidence_level IS NULL AND NOT coalesce(n.synthetic, false)
  RETURN 'innovations' AS kind, n.id AS id, n.name AS name, 'missing evidence (no evidence level)' AS problem, 1 AS rank
  UNION ALL
  MATCH (n:Innovation) WHERE NOT coalesce(n.synthetic, false) AND NOT EXISTS { (n)-[:ADOPTED_IN]->() }
    AND n.outcomes IS NULL
  RETURN 'innovations' AS kind, n.id AS id, n.name AS name, 'missing evidence (no outcomes and no adoptions)' AS problem,
         2 AS rank
  UNION ALL
  MATCH (n) WHERE (n:Innovation OR n:CaseStudy OR n:Organisation OR n:Person OR n:Problem OR n:Locality
                   OR n:FundingInstrument OR n:Element OR n:Precondition)
    AND n.source IS NULL AND NOT coalesce(n.synthetic, false) AND NOT coalesce(n.editors_judgement, false)
  RETURN CASE WHEN n:Innovation THEN 'innovations' WHEN n:CaseStudy THEN 'case_studies'
              WHEN n:Organisation THEN 'organisations' WHEN n:Person THEN 'people' WHEN n:Problem THEN 'problems'
              WHEN n:Locality THEN 'localities' WHEN n:FundingInstrument THEN 'funding' WHEN n:Element THEN 'elements'
              ELSE 'preconditions' END AS kind,
         n.id AS id, coalesce(n.name, n.title, n.description) AS name, 'missing source' AS problem, 3 AS rank
  UNION ALL
  MATCH (n:Organisation)
  WHERE NOT EXISTS { (n)-[:TIE|ORIGINATED|ADOPTED]-() } AND NOT EXISTS { (n)<-[:MEMBER_OF]-() }
    AND NOT EXISTS { (n)<-[:PROVIDED_BY]-() }
  RETURN 'organisations' AS kind, n.id AS id, n.name AS name,
         'orphan organisation (no ties, members, innovations, adoptions or funding)' AS problem, 4 AS rank
  UNION ALL
  MATCH (n:Person) WHERE NOT EXISTS { (n)-[:TIE]-() }
  RETURN 'people' AS kind, n.id AS id, n.name AS name, 'person with no ties' AS problem, 5 AS rank
}
RETURN kind, id, name, problem
ORDER BY rank, kind, id
LIMIT $limit
