"""The control API: what the agent (and the customer) does over plain HTTP."""
