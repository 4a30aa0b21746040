// title: Innovations by name
// question: Which innovations are there (for choosing one by name)?
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) innovations
// columns: innovation, name, synthetic
MATCH (i:Innovation) WHERE $include_synthetic OR NOT coalesce(i.synthetic, false)
RETURN i.id AS innovation, coalesce(i.name, i.id) AS name, coalesce(i.synthetic, false) AS synthetic
ORDER BY name, innovation
