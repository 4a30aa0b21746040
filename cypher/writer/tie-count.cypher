// title: How many ties the knowledge base holds (from the count store)
MATCH ()-[t:TIE]->() RETURN count(t) AS n
