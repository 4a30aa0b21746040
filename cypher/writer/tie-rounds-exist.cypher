// title: Does any stored tie carry a survey round (the TIE(round) index answers it)? Only then can
// a load's ties supersede stored ones (writer/ties-supersede.cypher).
RETURN EXISTS { MATCH ()-[t:TIE]->() WHERE t.round IS NOT NULL } AS rounds
