// title: Lock one adoption (an ADOPTED_IN relationship) for a save and read it
MATCH (:Innovation {id: $innovation})-[n:ADOPTED_IN]->(:Locality {id: $locality})
SET n.version = coalesce(n.version, 0)
RETURN properties(n) AS props, ['Adoption'] AS labels
