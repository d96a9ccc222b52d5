"""The sales cockpit: whom to call now, my day, and the pipeline."""
