// All articles, ordered by id.
MATCH (a:Article)
RETURN a {.*} AS article
ORDER BY a.id
