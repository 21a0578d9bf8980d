"""Reports, recommendations, events and what follows from them on a date: no I/O, no terminal."""
