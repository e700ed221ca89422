"""The panel members' area under /panel/: join by invitation, review a round's themes on a phone."""
