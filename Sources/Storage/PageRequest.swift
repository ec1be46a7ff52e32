import GRDB

/// Which page of a list to read, by id (keyset), never by offset: every page costs O(log n + limit).
public struct PageRequest: Sendable, Hashable {
    public enum Anchor: Sendable, Hashable {
        case first
        /// Rows with ids greater than this one.
        case after(Int64)
        /// Rows with ids less than this one.
        case before(Int64)
        case last
    }

    public var anchor: Anchor
    /// At most this many rows (at least 1).
    public var limit: Int

    public init(_ anchor: Anchor, limit: Int) {
        self.anchor = anchor; self.limit = max(1, limit)
    }

    public static func first(limit: Int) -> PageRequest { PageRequest(.first, limit: limit) }
    public static func after(_ id: Int64, limit: Int) -> PageRequest { PageRequest(.after(id), limit: limit) }
    public static func before(_ id: Int64, limit: Int) -> PageRequest { PageRequest(.before(id), limit: limit) }
    public static func last(limit: Int) -> PageRequest { PageRequest(.last, limit: limit) }

    /// Reads backwards from the end or from an id (the rows are still returned in ascending order).
    var isBackward: Bool {
        switch anchor {
        case .first, .after: return false
        case .before, .last: return true
        }
    }
}

/// One page of rows, always in ascending id order whatever the direction it was read in.
public struct Page<Row: Sendable>: Sendable {
    public var rows: [Row]
    /// Rows with smaller ids exist (matching the same filter).
    public var hasPrevious: Bool
    /// Rows with larger ids exist (matching the same filter).
    public var hasNext: Bool

    public init(rows: [Row], hasPrevious: Bool, hasNext: Bool) {
        self.rows = rows; self.hasPrevious = hasPrevious; self.hasNext = hasNext
    }
}

/// A condition of a browse query: SQL text with `?` placeholders and its values.
struct QueryCondition: Sendable {
    var sql: String
    var arguments: [DatabaseValue]

    init(_ sql: String, _ arguments: [DatabaseValue] = []) { self.sql = sql; self.arguments = arguments }
}

/// A browse list: one table, fixed conditions (an indexed column equal to a value), an optional text filter,
/// read by keyset on the table's integer primary key.
///
/// Identifiers come from Storage's own code; every value (ids, the filter pattern) is a bound parameter.
public struct KeysetQuery<Record: FetchableRecord & Sendable>: Sendable {
    let table: String
    /// Columns to select, for example `users.*, (SELECT count(*) ...) AS profile_count`.
    let selection: String
    let conditions: [QueryCondition]
    /// The integer key the pages are anchored on (`<table>.id` for the app's tables).
    let idColumn: String
    let id: @Sendable (Record) -> Int64

    init(table: String, selection: String? = nil, conditions: [QueryCondition], textColumns: [String],
         matching text: String?, id: @escaping @Sendable (Record) -> Int64) {
        self.init(table: table, idColumn: "\(table).id", selection: selection, conditions: conditions,
                  textExpressions: textColumns.map { "\(table).\($0)" }, matching: text, id: id)
    }

    private init(table: String, idColumn: String, selection: String?, conditions: [QueryCondition],
                 textExpressions: [String], matching text: String?, id: @escaping @Sendable (Record) -> Int64) {
        self.table = table
        self.idColumn = idColumn
        self.selection = selection ?? "\(table).*"
        var conditions = conditions
        if let condition = TextFold.condition(matching: text, in: textExpressions) { conditions.append(condition) }
        self.conditions = conditions
        self.id = id
    }

    /// A keyset list over a table that is not the app's (Migration's journal), with the same paging and the same
    /// filter semantics as Browse's lists.
    ///
    /// `table`, `idColumn`, `selection` and `textExpressions` are SQL written by the caller's own code (never input);
    /// `equal` are column = value conditions with bound values.
    public init(table: String, idColumn: String, selection: String, equal: [(column: String, value: DatabaseValue)],
                textExpressions: [String], matching text: String?, id: @escaping @Sendable (Record) -> Int64) {
        self.init(table: table, idColumn: idColumn, selection: selection,
                  conditions: equal.map { QueryCondition("\($0.column) = ?", [$0.value]) },
                  textExpressions: textExpressions, matching: text, id: id)
    }

    /// Reads one page.
    public func fetchPage(_ request: PageRequest, in db: Database) throws -> Page<Record> {
        TextFold.register(in: db)
        let (sql, arguments) = pageSQL(request)
        var rows = try Record.fetchAll(db, sql: sql, arguments: arguments)
        let overflow = rows.count > request.limit
        if overflow { rows.removeLast() }
        if request.isBackward { rows.reverse() }
        let firstID = rows.first.map(id), lastID = rows.last.map(id)
        switch request.anchor {
        case .first:
            return Page(rows: rows, hasPrevious: false, hasNext: overflow)
        case .after(let anchor):
            return Page(rows: rows, hasPrevious: try exists("<", firstID ?? anchor + 1, in: db), hasNext: overflow)
        case .before(let anchor):
            return Page(rows: rows, hasPrevious: overflow, hasNext: try exists(">", lastID ?? anchor - 1, in: db))
        case .last:
            return Page(rows: rows, hasPrevious: overflow, hasNext: false)
        }
    }

    /// `EXPLAIN QUERY PLAN` details of the page query, for tests that prove no page scans the table.
    public func queryPlan(_ request: PageRequest, in db: Database) throws -> [String] {
        TextFold.register(in: db)
        let (sql, arguments) = pageSQL(request)
        return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
    }

    /// The page query's SQL and arguments (one row more than the limit, to know whether more rows follow).
    func pageSQL(_ request: PageRequest) -> (String, StatementArguments) {
        var conditions = self.conditions
        switch request.anchor {
        case .first, .last: break
        case .after(let anchor): conditions.append(QueryCondition("\(idColumn) > ?", [anchor.databaseValue]))
        case .before(let anchor): conditions.append(QueryCondition("\(idColumn) < ?", [anchor.databaseValue]))
        }
        let order = request.isBackward ? "DESC" : "ASC"
        let sql = "SELECT \(selection) FROM \(table)\(whereClause(conditions)) ORDER BY \(idColumn) \(order) LIMIT ?"
        return (sql, StatementArguments(conditions.flatMap(\.arguments) + [(request.limit + 1).databaseValue]))
    }

    private func exists(_ comparison: String, _ bound: Int64, in db: Database) throws -> Bool {
        let conditions = self.conditions + [QueryCondition("\(idColumn) \(comparison) ?", [bound.databaseValue])]
        let sql = "SELECT EXISTS (SELECT 1 FROM \(table)\(whereClause(conditions)))"
        return try Bool.fetchOne(db, sql: sql, arguments: StatementArguments(conditions.flatMap(\.arguments))) ?? false
    }

    private func whereClause(_ conditions: [QueryCondition]) -> String {
        conditions.isEmpty ? "" : " WHERE " + conditions.map(\.sql).joined(separator: " AND ")
    }
}

/// How every browse filter compares text: both sides folded for case and diacritics (`Ødegård`, `ødegard` and
/// `ODEGÅRD` are one key; `Straße` finds `STRASSE`), for every script alike, then a literal substring test.
///
/// SQLite's `LIKE` folds ASCII letters only, so "ødeg" did not find "Ødegård". The fold runs in Swift through the
/// SQL function `memconsole_fold`, registered on the connection before a filtered query (GRDB keeps it per
/// connection; registering again replaces it). `instr` compares literally, so `%` and `_` in the text are plain.
public enum TextFold {
    public static let functionName = "memconsole_fold"

    /// The folded form of `text`: case-folded and without diacritics, locale-independent.
    public static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    private static let function = DatabaseFunction(functionName, argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return nil }
        return fold(text)
    }

    public static func register(in db: Database) { db.add(function: function) }

    /// `(memconsole_fold(a) contains ? OR …)` over `columns`, with the folded text bound; nil for no filter.
    static func condition(matching text: String?, in columns: [String]) -> QueryCondition? {
        guard let text, !text.isEmpty, !columns.isEmpty else { return nil }
        let needle = fold(text).databaseValue
        let alternatives = columns.map { "instr(\(functionName)(\($0)), ?) > 0" }
        return QueryCondition("(" + alternatives.joined(separator: " OR ") + ")",
                              Array(repeating: needle, count: columns.count))
    }
}
