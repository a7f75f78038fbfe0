// Articles, merged on id. Mentions stored before their article arrived are linked to it now.
// $rows: [{id, title, outlet, url, published (date), date_source, source, language, dateline_place}]
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
ON CREATE SET a.title = row.title, a.outlet = row.outlet, a.url = row.url, a.published = row.published,
              a.date_source = row.date_source, a.source = row.source, a.language = row.language,
              a.dateline_place = row.dateline_place
WITH a
MATCH (m:Mention {article_id: a.id})
MERGE (m)-[:IN]->(a)
