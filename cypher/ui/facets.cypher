// title: Search facets
// question: Which sectors, problems, stages, evidence levels, localities and layers can innovations be filtered by?
// columns: sectors, sector_terms, problems, stages, evidence_levels, localities, layers
RETURN COLLECT { MATCH (s:Sector) RETURN {id: s.id, name: coalesce(s.name, s.id)} AS x ORDER BY x.name } AS sectors,
       // The sectors' vocabulary: each term of a sector's name ("local government / education" is under
       // both "local government" and "education"), as the transfer finder matches them.
       COLLECT { MATCH (s:Sector) UNWIND split(coalesce(s.name, s.id), '/') AS part WITH toLower(trim(part)) AS term
                 WHERE term <> '' RETURN DISTINCT {id: term, name: term} AS x ORDER BY x.name } AS sector_terms,
       COLLECT { MATCH (p:Problem) RETURN {id: p.id, name: coalesce(p.name, p.id)} AS x ORDER BY x.name } AS problems,
       COLLECT { MATCH (i:Innovation) WHERE i.lifecycle_stage IS NOT NULL RETURN DISTINCT i.lifecycle_stage AS x ORDER BY x } AS stages,
       COLLECT { MATCH (i:Innovation) WHERE i.evidence_level IS NOT NULL RETURN DISTINCT i.evidence_level AS x ORDER BY x } AS evidence_levels,
       COLLECT { MATCH (l:Locality) RETURN {id: l.id, name: coalesce(l.name, l.id), synthetic: coalesce(l.synthetic, false)} AS x ORDER BY x.name } AS localities,
       COLLECT { MATCH (y:Layer) RETURN {id: y.id, name: coalesce(y.name, y.id)} AS x ORDER BY y.rank } AS layers
