import ArgumentParser
import Foundation
import Logging
import Mem0Client

/// The options every command that talks to Mem0 shares. The key comes from `MEM0_API_KEY` or `--api-key-file`,
/// never from a flag value (which would land in shell history and in `ps`).
struct Mem0Options: ParsableArguments {
    static let defaultURL = "http://127.0.0.1:8888"

    @Option(name: .customLong("mem0-url"), help: ArgumentHelp(
        "Mem0 server URL (default: $MEM0_URL, else \(Mem0Options.defaultURL)).", valueName: "url"))
    var mem0URL: String?

    @Option(name: .customLong("dialect"),
            help: "Which API the server speaks: auto, platform (hosted) or oss (self-hosted).")
    var dialectChoice: DialectChoice = .auto

    /// The parsed `--dialect`.
    var dialect: Mem0Dialect { dialectChoice.dialect }

    /// `--dialect` values. A type of the CLI's own rather than a conformance of `Mem0Dialect`, so no other command file
    /// declaring `Mem0Dialect: ExpressibleByArgument` can collide with it.
    enum DialectChoice: String, CaseIterable, ExpressibleByArgument {
        case auto, platform, oss
        var dialect: Mem0Dialect {
            switch self {
            case .auto: return .auto
            case .platform: return .platform
            case .oss: return .oss
            }
        }
    }

    @Option(name: .customLong("api-key-file"), help: ArgumentHelp(
        "Read the API key from the first line of this file instead of $MEM0_API_KEY.", valueName: "file"))
    var apiKeyFile: String?

    @Flag(name: .customLong("no-api-key"), help: ArgumentHelp(
        "Send no key: for a self-hosted OSS server run with AUTH_DISABLED=true (it refuses any key it is shown). Needs --dialect oss."))
    var noAPIKey = false

    @Option(name: .customLong("ca-file"), help: ArgumentHelp(
        "PEM file of CA certificates to trust (a private CA); proxies come from http_proxy/https_proxy/no_proxy.",
        valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("Seconds allowed for one request.", valueName: "seconds"))
    var timeout: Double = 30

    @Flag(help: "Log each Mem0 request (method and path only) to stderr.")
    var verbose = false

    /// Builds the client configuration, or throws a one-line `Mem0OptionsError` saying what to fix.
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment,
                       maxConcurrentRequests: Int = 8) throws -> Mem0Configuration {
        let text = mem0URL ?? environment["MEM0_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultURL
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.isEmpty == false, url.user == nil, url.password == nil, url.query == nil else {
            throw Mem0OptionsError.badURL(text.count > 200 ? String(text.prefix(200)) + "…" : text)
        }
        guard timeout.isFinite, timeout > 0, timeout <= 3600 else { throw Mem0OptionsError.badTimeout }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw Mem0OptionsError.unreadableCAFile(caFile)
        }
        let key: APIKey?
        if noAPIKey {
            guard dialect == .oss else { throw Mem0OptionsError.noKeyNeedsOSS }
            guard apiKeyFile == nil else { throw Mem0OptionsError.noKeyWithKeyFile }
            key = nil
        } else {
            key = try apiKey(environment: environment)
        }
        let requestTimeout = Duration.milliseconds(Int64(timeout * 1000))
        return Mem0Configuration(baseURL: url, dialect: dialect, apiKey: key,
                                 connectTimeout: min(.seconds(5), requestTimeout), requestTimeout: requestTimeout,
                                 caFile: caFile, maxConcurrentRequests: maxConcurrentRequests)
    }

    /// Whether a key (or the explicit `--no-api-key`) was given, without reading or checking it.
    func hasKey(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        noAPIKey || apiKeyFile != nil || !(environment["MEM0_API_KEY"] ?? "").isEmpty
    }

    private func apiKey(environment: [String: String]) throws -> APIKey {
        if let apiKeyFile {
            guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
                throw Mem0OptionsError.unreadableKeyFile(apiKeyFile)
            }
            let firstLine = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
            guard let key = firstLine.flatMap(APIKey.init) else { throw Mem0OptionsError.emptyKeyFile(apiKeyFile) }
            return key
        }
        guard let value = environment["MEM0_API_KEY"], !value.isEmpty else { throw Mem0OptionsError.missingKey }
        guard let key = APIKey(value) else { throw Mem0OptionsError.invalidKey }
        return key
    }

    func makeClient(maxConcurrentRequests: Int = 8) throws -> Mem0Client {
        let configuration = try configuration(maxConcurrentRequests: maxConcurrentRequests)
        var logger = Logger(label: "memconsole.mem0") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = verbose ? .debug : .warning
        return Mem0Client(configuration: configuration, logger: logger)
    }
}

/// Mistakes in the Mem0 options, found before any request is sent.
enum Mem0OptionsError: Error, Equatable {
    case badURL(String)
    case badTimeout
    case missingKey
    case invalidKey
    case unreadableKeyFile(String)
    case emptyKeyFile(String)
    case unreadableCAFile(String)
    case noKeyNeedsOSS
    case noKeyWithKeyFile

    var operatorMessage: String {
        switch self {
        case .badURL(let text):
            return "--mem0-url '\(text)' is not an http(s) URL with a host (and no credentials or query); "
                + "use e.g. http://127.0.0.1:8888 or https://api.mem0.ai."
        case .badTimeout:
            return "--timeout must be a number of seconds between 0 and 3600."
        case .missingKey:
            return "No Mem0 API key: export MEM0_API_KEY, or pass --api-key-file FILE."
        case .invalidKey:
            return "MEM0_API_KEY is blank or holds control characters; set it to the key alone."
        case .unreadableKeyFile(let path):
            return "Cannot read the API key file \(path); check the path and its permissions."
        case .emptyKeyFile(let path):
            return "The API key file \(path) has no key on its first line; write the key there alone."
        case .unreadableCAFile(let path):
            return "Cannot read the CA file \(path); pass a readable PEM bundle to --ca-file."
        case .noKeyNeedsOSS:
            return "--no-api-key is only for a self-hosted OSS server run with AUTH_DISABLED; add --dialect oss (the Platform always needs a key)."
        case .noKeyWithKeyFile:
            return "--no-api-key and --api-key-file contradict each other; give one."
        }
    }
}
