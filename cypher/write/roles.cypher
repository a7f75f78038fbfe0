// Offices: (person)-[:HOLDS {role, from, to}]->(organisation), one edge per (person, role, organisation).
// $rows: [{actor, role, organisation, start (date|null), end (date|null)}]
UNWIND $rows AS row
MATCH (p:Actor {id: row.actor})
MATCH (o:Actor {id: row.organisation})
MERGE (p)-[h:HOLDS {role: row.role}]->(o)
SET h.from = row.start, h.to = row.end
