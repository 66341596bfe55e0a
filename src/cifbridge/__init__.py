"""cifbridge: a local Dynamics 365 multisession workspace for Channel Integration Framework 2.0."""

__version__ = "0.1.0"
