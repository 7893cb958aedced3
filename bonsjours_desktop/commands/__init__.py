"""Sub-commands of the bonsjours CLI, one module per area."""
