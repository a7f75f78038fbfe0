// Benchmark baseline: LOAD CSV of the articles file. $file: file:/// URL.
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MERGE (a:Article {id: row.id})
  ON CREATE SET a.title = row.title, a.outlet = row.outlet, a.published = date(row.published)
} IN TRANSACTIONS OF 5000 ROWS
