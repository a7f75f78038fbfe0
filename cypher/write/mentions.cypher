// Evidence: one (:Mention) per evidence row of the batch's statements (any type), merged on its
// deterministic id and linked -[:IN]->(:Article) when the article is stored (else when it arrives,
// see articles.cypher). Creates only Mention nodes, so nodes_created counts the new evidence rows.
// $rows: one list per mention, positional, in graphkit.store.prepare.MENTION_COLUMNS order
// (tests/test_store_misc.py checks this header against it).
// columns: statement_id, id, article_id, sentence, char_start, char_end, rule, confidence, attribution, record_id, source_text, source_start, source_end, target_text, target_start, target_end, source, target
UNWIND $rows AS row
MERGE (m:Mention {id: row[1]})
ON CREATE SET m.statement_id = row[0], m.article_id = row[2], m.sentence = row[3], m.char_start = row[4],
              m.char_end = row[5], m.rule = row[6], m.confidence = row[7], m.attribution = row[8],
              m.record_id = row[9], m.source_text = row[10], m.source_start = row[11],
              m.source_end = row[12], m.target_text = row[13], m.target_start = row[14],
              m.target_end = row[15], m.source = row[16], m.target = row[17]
WITH m, row[2] AS article_id
MATCH (a:Article {id: article_id})
MERGE (m)-[:IN]->(a)
