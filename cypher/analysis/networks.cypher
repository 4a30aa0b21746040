// title: The network types that have ties
MATCH ()-[t:TIE]->() RETURN DISTINCT t.network AS network
