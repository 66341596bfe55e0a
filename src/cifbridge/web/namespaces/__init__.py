"""The Socket.IO namespaces: /widget for partner widgets, /workspace for agent pages."""
