// The statements one article supports: one row per mention, in text order
// Parameters: $article article id.
MATCH (m:Mention {article_id: $article})
MATCH (s:Actor {id: m.source})-[r]->(t:Actor {id: m.target})
WHERE r.id = m.statement_id
RETURN r.id AS statement_id, r.date AS date, s.id AS source, type(r) AS type, t.id AS target,
       r.modality AS modality, m.sentence AS sentence, m.char_start AS char_start, m.char_end AS char_end,
       m.rule AS rule, m.confidence AS confidence
ORDER BY char_start, statement_id
