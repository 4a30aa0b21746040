// title: Read one adoption's stored properties (a form opens it)
MATCH (:Innovation {id: $innovation})-[n:ADOPTED_IN]->(:Locality {id: $locality})
RETURN properties(n) AS props, ['Adoption'] AS labels
