"""Editor tools beside the flow: scaffolds for new records and the what-changed summary."""
