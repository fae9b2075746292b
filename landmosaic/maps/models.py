"""Maps: saved point maps ("data maps") built on datasets of the commons."""
