// title: Does this locality exist (for a clear message when a round is created)?
RETURN EXISTS { (:Locality {id: $locality}) } AS found
