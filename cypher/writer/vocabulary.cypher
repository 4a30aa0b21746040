// title: Write the controlled vocabularies: layers (with their order) and network types
UNWIND $layers AS layer
MERGE (l:Layer {id: layer.id}) SET l.name = layer.name, l.rank = layer.rank
WITH count(*) AS layers
UNWIND $networks AS network
MERGE (t:NetworkType {id: network})
RETURN layers, count(*) AS networks
