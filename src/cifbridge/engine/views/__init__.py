"""Read models: what pages and the control API show of the workspace; they change nothing."""
