"""Assistant du Contrat de ville de Grand Chambéry."""

__version__ = "0.1.0"
