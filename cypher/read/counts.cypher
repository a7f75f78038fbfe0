// How many articles, actors and mentions are stored (count store lookups; the statements are
// counted per type by read/count_type.cypher).
CALL () { MATCH (a:Article) RETURN count(a) AS articles }
CALL () { MATCH (a:Actor) RETURN count(a) AS actors }
CALL () { MATCH (m:Mention) RETURN count(m) AS mentions }
RETURN articles, actors, mentions
