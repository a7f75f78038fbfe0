// Benchmark baseline (benchmarks/bench_store.py): Neo4j's own LOAD CSV of the actors file.
// $file: file:/// URL inside the server's import directory.
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MERGE (a:Actor {id: row.id})
  ON CREATE SET a.name = row.name, a.kind = row.kind, a.country = row.country, a.provisional = false
} IN TRANSACTIONS OF 5000 ROWS
