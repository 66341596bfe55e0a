"""The transports: aiohttp routes, the control API and the Socket.IO namespaces (all thin)."""
