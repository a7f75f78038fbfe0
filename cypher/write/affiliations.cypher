// Template: $$TYPE$$ is PART_OF, MEMBER_OF or ALLIED_WITH (checked_rel_type). One edge per
// (source, target, type); `from` / `to` bound it in time.
// $rows: [{source, target, start (date|null), end (date|null)}]
UNWIND $rows AS row
MATCH (s:Actor {id: row.source})
MATCH (t:Actor {id: row.target})
MERGE (s)-[r:$$TYPE$$]->(t)
SET r.from = row.start, r.to = row.end
