// An actor's ego network: statement edges (aggregated per source, type, target) touching any actor
// fewer than $hops steps away. Parameters: $actor actor id; $hops 1-5 (graphkit.store.base.MAX_HOPS).
// Counts asserted and claimed statements only, like the other aggregates.
// Why rings and not a variable-length pattern: a path pattern (c)-[*0..4]-(x) enumerates every path,
// which explodes on a dense news graph, and its bound cannot be a parameter. Here each step expands
// the newest ring of actors once (a breadth-first search), and a step past $hops - 1 is a no-op.
MATCH (c:Actor {id: $actor})
WITH [c] AS inner, [c] AS ring
CALL (inner, ring) {
  WITH inner, ring WHERE $hops >= 2
  UNWIND ring AS a
  MATCH (a)-[w]-(b:Actor)
  WHERE w.id IS NOT NULL AND w.modality IN ['asserted', 'claimed'] AND w.folded_into IS NULL AND NOT b IN inner
  RETURN collect(DISTINCT b) AS ring1
}
WITH inner + ring1 AS inner, ring1
CALL (inner, ring1) {
  WITH inner, ring1 WHERE $hops >= 3
  UNWIND ring1 AS a
  MATCH (a)-[w]-(b:Actor)
  WHERE w.id IS NOT NULL AND w.modality IN ['asserted', 'claimed'] AND w.folded_into IS NULL AND NOT b IN inner
  RETURN collect(DISTINCT b) AS ring2
}
WITH inner + ring2 AS inner, ring2
CALL (inner, ring2) {
  WITH inner, ring2 WHERE $hops >= 4
  UNWIND ring2 AS a
  MATCH (a)-[w]-(b:Actor)
  WHERE w.id IS NOT NULL AND w.modality IN ['asserted', 'claimed'] AND w.folded_into IS NULL AND NOT b IN inner
  RETURN collect(DISTINCT b) AS ring3
}
WITH inner + ring3 AS inner, ring3
CALL (inner, ring3) {
  WITH inner, ring3 WHERE $hops >= 5
  UNWIND ring3 AS a
  MATCH (a)-[w]-(b:Actor)
  WHERE w.id IS NOT NULL AND w.modality IN ['asserted', 'claimed'] AND w.folded_into IS NULL AND NOT b IN inner
  RETURN collect(DISTINCT b) AS ring4
}
UNWIND inner + ring4 AS x
MATCH (x)-[r]-(:Actor)
WHERE r.id IS NOT NULL AND r.modality IN ['asserted', 'claimed'] AND r.folded_into IS NULL
WITH DISTINCT r
WITH startNode(r) AS s, type(r) AS type, endNode(r) AS t, count(r) AS statements, sum(r.goldstein) AS goldstein_sum
RETURN s.id AS source, s.name AS source_name, type, t.id AS target, t.name AS target_name, statements,
       goldstein_sum
ORDER BY statements DESC, source, type, target
