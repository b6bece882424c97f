"""Records read from the documents' structure (pure: passages → records): places with
their commune, and the statements they yield as answer candidates."""
