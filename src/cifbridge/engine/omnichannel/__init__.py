"""The omnichannel customer side: conversations, arrivals, messaging, reconnection, completion."""
