// Monthly conflict and cooperation between two actors (both directions), dated statements only
// Parameters: $a, $b actor ids. month is "YYYY-MM". Counts asserted and claimed statements only.
MATCH (x:Actor {id: $a})-[r]-(y:Actor {id: $b})
WHERE r.id IS NOT NULL AND r.modality IN ['asserted', 'claimed'] AND r.folded_into IS NULL AND r.date IS NOT NULL
WITH substring(toString(r.date), 0, 7) AS month, r
RETURN month, count(r) AS statements,
       count(CASE WHEN r.quad_class IN [3, 4] THEN 1 END) AS conflict,
       count(CASE WHEN r.quad_class IN [1, 2] THEN 1 END) AS cooperation,
       sum(r.goldstein) AS goldstein_sum, avg(r.goldstein) AS goldstein_mean
ORDER BY month
