/// How result records are written.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// One compact JSON record per line (the default when standard output is not a terminal).
    case ndjson
    /// One JSON array of records, written as they come.
    case json
    /// Results as indented, optionally coloured JSON, errors as one readable line (the default on a terminal).
    case pretty
    /// Lists and the objects they hold as aligned columns, consecutive rows of one kind under one header; other
    /// results as in `pretty`.
    case table
    /// Lists and objects as CSV rows under one header (``CSVTable``); failures, help and the summary go to
    /// standard error.
    case csv
}
