pub fn run(_p: &std::path::Path) -> crate::error::Result<()> { Ok(()) }
