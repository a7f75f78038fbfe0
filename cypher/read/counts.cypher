// How many articles, actors, statements (relationships with an id) and mentions are stored.
CALL () { MATCH (a:Article) RETURN count(a) AS articles }
CALL () { MATCH (a:Actor) RETURN count(a) AS actors }
CALL () { MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN count(r) AS statements }
CALL () { MATCH (m:Mention) RETURN count(m) AS mentions }
RETURN articles, actors, statements, mentions
