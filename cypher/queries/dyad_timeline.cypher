// A dyad's statements in date order, both directions, with provenance (article ids, sentence)
// Parameters: $a, $b actor ids; $since, $until dates or null (null = open). Undated statements come last
// and are left out when a date bound is given. Every modality is listed (see the modality column).
MATCH (x:Actor {id: $a})-[r]-(y:Actor {id: $b})
WHERE r.id IS NOT NULL AND r.folded_into IS NULL
  AND ($since IS NULL OR r.date >= $since) AND ($until IS NULL OR r.date <= $until)
RETURN r.date AS date, startNode(r).id AS source, type(r) AS type, endNode(r).id AS target,
       r.modality AS modality, r.cameo AS cameo, r.quad_class AS quad_class, r.goldstein AS goldstein,
       r.mentions AS mentions, r.id AS statement_id, r.article_ids AS article_ids, r.sentence AS sentence
ORDER BY date, statement_id
