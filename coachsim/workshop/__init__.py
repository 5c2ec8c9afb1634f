"""Workshop mode: many participants practising in one room, and the facilitator's view of it."""
