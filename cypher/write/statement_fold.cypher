// Template ($$TYPE$$ a checked typology type): where a statement belongs among the reports of one event
// (graphkit.store.folding): folded_into is the event's statement id or null; an event's mentions count
// its own evidence and that of the reports folded into it, whose evidence ids are folded_mention_ids.
// $rows: [id, source, target, folded_into, mentions, folded_mention_ids] lists.
UNWIND $rows AS row
MATCH (:Actor {id: row[1]})-[r:$$TYPE$$ {id: row[0]}]->(:Actor {id: row[2]})
SET r.folded_into = row[3], r.mentions = row[4], r.folded_mention_ids = row[5]
