"""Forms for the pages officers and health staff use (detentions)."""
