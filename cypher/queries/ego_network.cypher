// An actor's ego network: statement edges (aggregated per source, type, target) within $hops hops
// Parameters: $actor actor id; $hops 1-3 (edges touching any actor fewer than $hops steps away).
// Counts asserted and claimed statements only, like the other aggregates.
// (Variable-length bounds cannot be parameters in Cypher, so the walk is bounded at 2 and cut by $hops.)
MATCH (c:Actor {id: $actor})
MATCH (c)-[walk*0..2]-(x:Actor)
WHERE size(walk) < $hops AND all(w IN walk WHERE w.id IS NOT NULL AND w.modality IN ['asserted', 'claimed'])
WITH DISTINCT x
MATCH (x)-[r]-(:Actor)
WHERE r.id IS NOT NULL AND r.modality IN ['asserted', 'claimed']
WITH DISTINCT r
WITH startNode(r) AS s, type(r) AS type, endNode(r) AS t, count(r) AS statements, sum(r.goldstein) AS goldstein_sum
RETURN s.id AS source, s.name AS source_name, type, t.id AS target, t.name AS target_name, statements,
       goldstein_sum
ORDER BY statements DESC, source, type, target
