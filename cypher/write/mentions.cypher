// Evidence: one (:Mention) per (statement id, article id, char_start, char_end), linked
// (:Mention)-[:IN]->(:Article) when the article is stored (else when it arrives, see articles.cypher).
// The statement relationship lists its mention_ids; a mention names its statement_id, source, target.
// $rows: [{id, statement_id, source, target, article_id, sentence, char_start, char_end, rule, confidence}]
UNWIND $rows AS row
MERGE (m:Mention {id: row.id})
ON CREATE SET m += row
WITH m, row
MATCH (a:Article {id: row.article_id})
MERGE (m)-[:IN]->(a)
