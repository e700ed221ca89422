"""Co-production with community panels, shared by the staff pages, the members' pages and the
public "You said, we did" page: panels and invitations, review rounds and their cards, members'
feedback and votes, staff decisions, and what was done. Plain functions taking a Session.

This package serves the feature packages and imports none of them.
"""
