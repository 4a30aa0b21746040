// title: After an adoption's save, in the same transaction: its new version, kept marks and the :Change
MATCH (:Innovation {id: $innovation})-[n:ADOPTED_IN]->(:Locality {id: $locality})
SET n += $keep, n.version = $change.version
CREATE (c:Change)
SET c = $change
RETURN c.id AS id
