"""importers: coded event datasets (GDELT, ACLED) into graphkit's model.

Each importer is a pure generator `iter_batches(path, registry, batch_size)` that streams a file and
yields (LoadBatch, [InputError]) pairs; the CLI writes the batches to a store.
"""
