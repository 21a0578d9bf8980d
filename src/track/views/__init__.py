"""Every output, in every format: the one place that renders (tables, JSON, CSV, markdown, HTML)."""
