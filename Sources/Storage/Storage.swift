// Placeholder until the module lands; see docs/architecture.md.
