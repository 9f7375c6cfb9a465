"""audit: clean, deduplicate and trace scraped documents."""
