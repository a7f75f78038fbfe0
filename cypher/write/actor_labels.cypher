// Template: $$LABEL$$ is replaced only by a label from graphkit.typology.KIND_LABELS (checked_label),
// because Cypher cannot take a label as a parameter. Gives each actor of kind $kind its kind label.
// $ids: actor ids; $kind: the actor kind whose label this is.
UNWIND $ids AS id
MATCH (a:Actor {id: id})
WHERE a.kind = $kind AND NOT a:$$LABEL$$
REMOVE a:State:Government:Military:Police:ArmedGroup:Party:IGO:NGO:Media:Person:Group:Other
SET a:$$LABEL$$
