// Benchmark baseline: LOAD CSV of one statement type's rows (template: $$TYPE$$ is a checked
// typology name, one file per type as a Neo4j user would split it). Same MERGE semantics as graphkit:
// statement relationship, its Mention node and the Mention-[:IN]->Article edge. $file: file:/// URL.
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (s:Actor {id: row.source})
  MATCH (t:Actor {id: row.target})
  MERGE (s)-[r:$$TYPE$$ {id: row.id}]->(t)
  ON CREATE SET r.date = date(row.date), r.date_precision = row.date_precision, r.cameo = row.cameo,
                r.quad_class = toInteger(row.quad_class), r.goldstein = toFloat(row.goldstein),
                r.modality = row.modality, r.confidence = toFloat(row.confidence), r.rule = row.rule,
                r.mentions = toInteger(row.mentions), r.dataset = row.dataset, r.sentence = row.sentence,
                r.article_id = row.article_id, r.char_start = toInteger(row.char_start),
                r.char_end = toInteger(row.char_end), r.mention_ids = [row.mention_id],
                r.article_ids = [row.article_id]
  MERGE (m:Mention {id: row.mention_id})
  ON CREATE SET m.statement_id = row.id, m.source = row.source, m.target = row.target,
                m.article_id = row.article_id, m.sentence = row.sentence, m.char_start = toInteger(row.char_start),
                m.char_end = toInteger(row.char_end), m.rule = row.rule, m.confidence = toFloat(row.confidence)
  WITH m, row
  MATCH (a:Article {id: row.article_id})
  MERGE (m)-[:IN]->(a)
} IN TRANSACTIONS OF 5000 ROWS
