"""The web layer: thin blueprints over `portal.catalog.queries`."""
