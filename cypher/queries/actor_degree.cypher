// Actors ranked by Goldstein-weighted degree: the sum of |Goldstein| over their statements, in and out
// Parameters: $limit rows. Counts asserted and claimed statements only; goldstein_sum < 0 = mostly hostile.
MATCH (a:Actor)-[r]-(:Actor)
WHERE r.id IS NOT NULL AND r.modality IN ['asserted', 'claimed'] AND r.folded_into IS NULL
WITH DISTINCT a, r
RETURN a.id AS actor, a.name AS name, a.kind AS kind, count(r) AS statements,
       count(CASE WHEN r.quad_class IN [3, 4] THEN 1 END) AS conflict,
       count(CASE WHEN r.quad_class IN [1, 2] THEN 1 END) AS cooperation,
       sum(abs(r.goldstein)) AS weighted_degree, sum(r.goldstein) AS goldstein_sum
ORDER BY weighted_degree DESC, statements DESC, actor
LIMIT $limit
