// title: Links between layers as the case studies describe them
// question: Which links between layers do the sources call rich and dense, thin and atrophied, or fragmented?
// param locality: str = null -- only this locality
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: locality, from_layer, to_layer, quality, description, source, section, synthetic
MATCH (n:LayerLink)
WHERE ($locality IS NULL OR n.locality = $locality) AND ($include_synthetic OR NOT coalesce(n.synthetic, false))
OPTIONAL MATCH (l:Locality {id: n.locality})
OPTIONAL MATCH (f:Layer {id: n.from_layer})
OPTIONAL MATCH (t:Layer {id: n.to_layer})
RETURN coalesce(l.name, n.locality) AS locality, n.from_layer AS from_layer, n.to_layer AS to_layer, n.quality AS quality,
       n.description AS description, n.source AS source, n.section AS section, coalesce(n.synthetic, false) AS synthetic
ORDER BY locality, f.rank, t.rank
