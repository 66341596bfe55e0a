"""The Dataverse-like record store and its query languages (OData); imports no CIF feature."""
