//! Share kits: per-network one-tap share links with UTM parameters.
