"""The ledger's files: their format, the disk, the lock, the index, the undo journal and git."""
