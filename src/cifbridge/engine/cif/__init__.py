"""The CIF API features, one module per feature; the module name is the catalog section."""
