// Actors by id ($ids null = all), ordered by id.
MATCH (a:Actor)
WHERE $ids IS NULL OR a.id IN $ids
RETURN a {.*} AS actor
ORDER BY a.id
