//! URL normalisation and network detection for claimed reshares.
