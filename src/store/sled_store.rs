//! placeholder
pub struct SledStore;
