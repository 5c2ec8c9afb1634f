"""``coachsim drill``: short daily sessions of the moments where you slipped, scheduled in Leitner boxes."""
