"""Co-production panels as staff run them: panels, invitations, review rounds and "You said, we did"."""
