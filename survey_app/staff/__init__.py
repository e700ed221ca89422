"""The staff area under /staff/: accounts, roles, the audit log, and the tools built on them."""
