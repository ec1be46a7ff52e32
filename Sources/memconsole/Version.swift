import CBuildInfo

/// What `memconsole --version` prints: the package version, plus the git revision the binary was built from when a
/// script built it in a checkout (docs/install.md says how the revision gets in).
enum MemconsoleVersion {
    /// The package version; raise it with each release.
    static let package = "0.1.0"

    /// `git rev-parse --short=12 HEAD`, with `-dirty` when the work tree had changes; nil when unknown.
    static var gitRevision: String? {
        let revision = String(cString: memconsole_build_git_revision())
        return revision.isEmpty ? nil : revision
    }

    static var description: String {
        gitRevision.map { "\(package) (git \($0))" } ?? package
    }
}
