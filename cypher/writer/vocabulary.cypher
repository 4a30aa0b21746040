// title: Write the controlled vocabularies: layers (with their order) and network types
// Every load's transaction (and every chunk of a staged load) runs this first: the SET takes
// the layers' write locks even when nothing changes, so loads are serialised, and what a
// load reads afterwards (people.cypher's and organisations.cypher's actor-kind check)
// includes every load that committed before it (tests/test_load_concurrency.py).
UNWIND $layers AS layer
MERGE (l:Layer {id: layer.id}) SET l.name = layer.name, l.rank = layer.rank
WITH count(*) AS layers
UNWIND $networks AS network
MERGE (t:NetworkType {id: network})
RETURN layers, count(*) AS networks
