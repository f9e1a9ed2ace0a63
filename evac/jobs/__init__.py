"""Long jobs started from a page, run off the event loop, their progress in the database."""
