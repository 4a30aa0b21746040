// title: Do this innovation and this locality exist (for a clear message from `kb assess`)?
RETURN EXISTS { (:Innovation {id: $innovation}) } AS innovation, EXISTS { (:Locality {id: $locality}) } AS locality
