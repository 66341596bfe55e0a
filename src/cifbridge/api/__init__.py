"""The CIF API surface: catalog, signatures, validation and dispatch (pure, no transport)."""
