"""The ledger in and out of other files: export, import, and git's merge of a report file."""
